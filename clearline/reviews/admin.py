from django.contrib import admin

from clearline.core.admin_audit import RecordAdmin
from clearline.reviews.actions import admin as actions_admin
from clearline.reviews.models import PlanItem

__all__ = ["actions_admin"]


@admin.register(PlanItem)
class PlanItemAdmin(RecordAdmin):
    """Shown, not edited: steps close themselves when their text is published, or at the desk
    with a reason."""

    list_display = ["incident", "step", "state", "owner", "due_at", "done_at"]
    list_filter = ["step", "state"]
    search_fields = ["incident__title", "reason", "completion_note"]
