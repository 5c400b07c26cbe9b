from django.contrib import admin

from clearline.core.admin_audit import RecordAdmin
from clearline.promises.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(RecordAdmin):
    list_display = [
        "incident",
        "kind",
        "action_item",
        "due_at",
        "sent_at",
        "channel",
        "attempts",
        "error",
    ]
    list_filter = ["kind", "channel"]
    search_fields = ["incident__title"]
