"""Action items and the record of what was sent to the tracker, in the admin: read only.

Items change through the desk and the API, where CL151 and CL153 apply; admins see each event
sent to the tracker and every try, with its error."""

from django.contrib import admin

from clearline.core.admin_audit import RecordAdmin
from clearline.reviews.models import ActionItem, ActionWebhook, ActionWebhookAttempt


@admin.register(ActionItem)
class ActionItemAdmin(RecordAdmin):
    list_display = ["outcome", "incident", "owner", "due_date", "category", "status", "closed_at"]
    list_filter = ["status", "category"]
    search_fields = ["outcome", "incident__title", "owner__username"]
    list_select_related = ["incident", "owner"]


class AttemptInline(admin.TabularInline):
    model = ActionWebhookAttempt
    fields = ["number", "started_at", "seconds", "host", "succeeded", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActionWebhook)
class ActionWebhookAdmin(RecordAdmin):
    list_display = ["event", "action_item", "state", "attempts", "delivered_at", "last_error"]
    list_filter = ["state", "event"]
    search_fields = ["action_item__outcome", "last_error"]
    list_select_related = ["action_item"]
    inlines = [AttemptInline]


@admin.register(ActionWebhookAttempt)
class ActionWebhookAttemptAdmin(RecordAdmin):
    list_display = ["webhook", "number", "started_at", "seconds", "host", "succeeded", "error"]
    list_filter = ["succeeded"]
    list_select_related = ["webhook__action_item"]
