from django.contrib import admin, messages

from clearline.core.admin_audit import AuditedAdmin
from clearline.core.errors import ClearlineError
from clearline.updates.models import Update, UpdateState
from clearline.updates.services import publish_update


@admin.register(Update)
class UpdateAdmin(AuditedAdmin):
    """Drafts can be corrected here (a correction withdraws nothing by itself, but publishing
    refuses text that no longer matches its approval); publishing goes through the action."""

    list_display = ["incident", "kind", "status", "audience", "state", "published_at", "author"]
    list_filter = ["kind", "state", "audience", "status"]
    search_fields = ["body", "incident__title"]
    readonly_fields = [
        "public_id",
        "kind",
        "state",
        "approver",
        "approved_at",
        "approved_hash",
        "override_reason",
        "overridden_codes",
        "published_at",
        "version",
        "author",
        "created_at",
        "updated_at",
    ]
    actions = ["publish_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state == UpdateState.PUBLISHED:
            # What customers saw is the record; it is never rewritten.
            return [f.name for f in Update._meta.fields]
        return self.readonly_fields

    @admin.action(description="Publish selected drafts", permissions=["publish"])
    def publish_selected(self, request, queryset):
        for update in queryset:
            try:
                publish_update(update=update, by=request.user)
            except ClearlineError as error:
                self.message_user(request, f"{update}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"Published: {update}", messages.SUCCESS)

    def has_publish_permission(self, request):
        return request.user.has_perm("updates.publish_update")
