"""The delivery record in the admin: read only, with one action, sending dead letters again."""

from django.contrib import admin, messages

from clearline.core.errors import ClearlineError
from clearline.notify.models import Delivery, DeliveryState
from clearline.notify.retry import retry_delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "subscriber", "channel", "state", "attempts", "delivered_at", "event"]
    list_filter = ["state", "channel"]
    search_fields = ["subscriber__email", "subscriber__url", "last_error"]
    list_select_related = ["subscriber", "event"]
    actions = ["retry_failed"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed deliveries again", permissions=["change"])
    def retry_failed(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(state=DeliveryState.FAILED):
            try:
                retry_delivery(delivery=delivery, by=request.user)
            except ClearlineError as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
                return
            retried += 1
        skipped = queryset.count() - retried
        note = f" ({skipped} not failed, left as they are)" if skipped else ""
        self.message_user(request, f"{retried} deliveries queued again{note}.", messages.SUCCESS)
