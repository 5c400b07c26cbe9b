"""Admin changes are changes too: each save and delete writes an audit entry and, where the
object is customer-visible, an outbox event (the status page re-renders from it)."""

from django.contrib import admin
from django.db import transaction

from clearline.core import audit, outbox
from clearline.core.models import EventKind


class AuditedAdmin(admin.ModelAdmin):
    #: Set on admins of models that appear on public surfaces.
    public = False
    #: Form fields whose values never enter an audit entry (secrets); only the change is noted.
    redacted_fields: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = {
            name: "(changed)" if name in self.redacted_fields else str(form.cleaned_data.get(name))
            for name in form.changed_data
        }
        verb = "edited" if change else "created"
        audit.record(
            actor=request.user,
            action=f"admin.{verb}",
            obj=obj,
            summary=f"{verb.capitalize()} {obj._meta.verbose_name} “{obj}” in the admin",
            changes=changed,
        )
        # The event is written in save_related, once the many-to-many fields are saved too.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._refresh_public(form.instance, form)

    def delete_model(self, request, obj):
        self._record_deletion(request, obj)
        super().delete_model(request, obj)
        self._refresh_public(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_deletion(request, obj)
        super().delete_queryset(request, queryset)
        self._refresh_public(None)

    @staticmethod
    def _record_deletion(request, obj) -> None:
        audit.record(
            actor=request.user,
            action="admin.deleted",
            obj=obj,
            summary=f"Deleted {obj._meta.verbose_name} “{obj}” in the admin",
        )

    def _refresh_public(self, obj, form=None) -> None:
        if self.public:
            # An action's bulk delete runs outside the admin's own transaction.
            with transaction.atomic():
                outbox.publish(**self.public_event(obj, form))

    def public_event(self, obj, form) -> dict:
        """The outbox event a save or delete writes; `obj` is None after a bulk delete and
        `form` is None after any delete."""
        return {"kind": EventKind.PAGE_CHANGED}


class RecordAdmin(admin.ModelAdmin):
    """A record clearline keeps (audit entries, reminders sent): shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
