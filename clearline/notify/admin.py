from django.contrib import admin, messages
from django.db import models

from clearline.core.admin_audit import RecordAdmin
from clearline.notify import selectors, services
from clearline.notify.models import Subscriber


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"
    STATES = ["confirmed", "unconfirmed", "unsubscribed", "suppressed", "disabled"]

    def lookups(self, request, model_admin):
        return [(state, state.capitalize()) for state in self.STATES]

    def queryset(self, request, queryset):
        live = {"unsubscribed_at__isnull": True}
        return {
            "confirmed": queryset.active(),
            "unconfirmed": queryset.filter(confirmed_at__isnull=True, **live),
            "unsubscribed": queryset.filter(unsubscribed_at__isnull=False),
            "suppressed": queryset.filter(suppressed_at__isnull=False, **live),
            "disabled": queryset.filter(disabled_at__isnull=False, **live),
        }.get(self.value(), queryset)


@admin.register(Subscriber)
class SubscriberAdmin(RecordAdmin):
    """Shown, not edited: subscriptions change through their owners' links, the API and the
    CLI. The signing secret is never shown here, only whether one is set."""

    list_display = ["address", "channel", "state", "incident", "created_at", "confirmed_at"]
    list_filter = ["channel", StateFilter]
    search_fields = ["email", "url", "public_id"]
    exclude = ["secret"]
    readonly_fields = ["public_id", "has_secret"]
    actions = ["unsubscribe_selected"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="state")
    def state(self, subscriber: Subscriber) -> str:
        return selectors.status_of(subscriber)

    @admin.display(description="signing secret", boolean=True)
    def has_secret(self, subscriber: Subscriber) -> bool:
        return bool(subscriber.secret)

    @admin.action(description="Unsubscribe selected subscribers", permissions=["delete"])
    def unsubscribe_selected(self, request, queryset):
        for subscriber in queryset:
            services.remove_subscriber(by=request.user, subscriber=subscriber)
        self.message_user(request, f"Unsubscribed {queryset.count():,}.", messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Deleting a row would lose its record of deliveries: the action unsubscribes instead.
        return obj is None and request.user.has_perm("notify.delete_subscriber")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
