"""The after-incident records in the admin: shown, never edited there.

Every change to a review goes through its services, which the admin would bypass: scheduling
sends the invitations (and raises their SEQUENCE), the write-up is versioned so two editors do
not overwrite each other, marking it held closes the plan's last step, and each writes its
audit entry. Admins read the whole record here — the room, the write-up, every invitation sent
and its error — and change it on the review page or through the API.
"""

from django.contrib import admin

from clearline.core.admin_audit import RecordAdmin
from clearline.reviews.actions import admin as actions_admin
from clearline.reviews.models import (
    Attendee,
    ContributingFactor,
    Invitation,
    PlanItem,
    Review,
    Why,
)

__all__ = ["actions_admin"]


@admin.register(PlanItem)
class PlanItemAdmin(RecordAdmin):
    """Steps close themselves when their text is published, or at the desk with a reason."""

    list_display = ["incident", "step", "state", "owner", "due_at", "done_at"]
    list_filter = ["step", "state"]
    search_fields = ["incident__title", "reason", "completion_note"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class AttendeeInline(ReadOnlyInline):
    model = Attendee
    fields = ["role", "user", "name", "email", "created_at"]


class WhyInline(ReadOnlyInline):
    model = Why
    fields = ["position", "question", "answer", "timeline_entry"]


class FactorInline(ReadOnlyInline):
    model = ContributingFactor
    fields = ["position", "kind", "text", "timeline_entry"]


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = ["email", "method", "sequence", "attempts", "sent_at", "error"]


@admin.register(Review)
class ReviewAdmin(RecordAdmin):
    list_display = ["incident", "state", "starts_at", "minutes", "held_at", "version"]
    list_filter = ["state"]
    search_fields = ["incident__title", "public_id"]
    list_select_related = ["incident"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (None, {"fields": ["public_id", "incident", "state", "edited_by", "version"]}),
        (
            "When it meets",
            {
                "fields": [
                    "resolved_at",
                    "proposed_for",
                    "starts_at",
                    "minutes",
                    "sequence",
                    "invited_at",
                    "held_at",
                ]
            },
        ),
        (
            "Write-up",
            {"fields": ["timeline", "missed", "done", "next_steps", "customer_signal"]},
        ),
    ]
    inlines = [AttendeeInline, WhyInline, FactorInline, InvitationInline]


@admin.register(Attendee)
class AttendeeAdmin(RecordAdmin):
    list_display = ["review", "role", "user", "name", "email"]
    list_filter = ["role"]
    search_fields = ["review__incident__title", "name", "email", "user__username"]
    list_select_related = ["review__incident", "user"]


@admin.register(Invitation)
class InvitationAdmin(RecordAdmin):
    """Every invitation email, with its tries and the last error: where a missing invite is
    looked for."""

    list_display = ["review", "email", "method", "sequence", "attempts", "sent_at", "error"]
    list_filter = ["method"]
    search_fields = ["review__incident__title", "email", "error"]
    list_select_related = ["review__incident"]
