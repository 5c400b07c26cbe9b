from django import forms
from django.contrib import admin

from clearline.core.admin_audit import AuditedAdmin
from clearline.core.models import EventKind
from clearline.core.permissions import CHOOSE_COMMANDER
from clearline.incidents.models import (
    AffectedComponent,
    Component,
    ComponentGroup,
    Fact,
    Incident,
    Maintenance,
    Segment,
    TimelineEntry,
    Visibility,
)


@admin.register(ComponentGroup)
class ComponentGroupAdmin(AuditedAdmin):
    public = True
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(Component)
class ComponentAdmin(AuditedAdmin):
    public = True
    list_display = ["name", "group", "position", "status", "showcase"]
    list_filter = ["group", "status", "showcase"]
    list_editable = ["position"]
    search_fields = ["name"]


class AffectedInline(admin.TabularInline):
    model = AffectedComponent
    extra = 0


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0


@admin.register(Incident)
class IncidentAdmin(AuditedAdmin):
    """Back-office corrections. Status moves only by publishing an update, never here."""

    public = True
    list_display = ["title", "impact", "status", "visibility", "is_drill", "started_at"]
    list_filter = ["status", "impact", "visibility", "is_drill"]
    search_fields = ["title", "public_id"]
    readonly_fields = [
        "public_id",
        "status",
        "identified_at",
        "monitoring_at",
        "resolved_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [AffectedInline, SegmentInline]
    date_hierarchy = "started_at"

    def get_readonly_fields(self, request, obj=None):
        # The commander approves customer text, so only approvers choose them.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(CHOOSE_COMMANDER):
            fields.append("commander")
        return fields

    def public_event(self, obj, form) -> dict:
        return {"kind": EventKind.PAGE_CHANGED, "incident_id": obj.pk if obj else None}


@admin.register(TimelineEntry)
class TimelineEntryAdmin(AuditedAdmin):
    list_display = ["incident", "kind", "occurred_at", "author"]
    list_filter = ["kind"]


@admin.register(Fact)
class FactAdmin(AuditedAdmin):
    list_display = ["incident", "kind", "subject", "status", "text"]
    list_filter = ["kind", "subject", "status"]


class MaintenanceForm(forms.ModelForm):
    notify = forms.BooleanField(
        required=False,
        initial=True,
        label="Notify subscribers",
        help_text="Tell subscribers about this change when the maintenance is public.",
    )

    class Meta:
        model = Maintenance
        fields = [
            "title",
            "description",
            "status",
            "visibility",
            "scheduled_for",
            "scheduled_until",
            "components",
        ]


@admin.register(Maintenance)
class MaintenanceAdmin(AuditedAdmin):
    public = True
    form = MaintenanceForm
    list_display = ["title", "status", "visibility", "scheduled_for", "scheduled_until"]
    list_filter = ["status", "visibility"]
    filter_horizontal = ["components"]

    def public_event(self, obj, form) -> dict:
        if form is None or obj.visibility != Visibility.PUBLIC:
            return {"kind": EventKind.PAGE_CHANGED}  # deleted or internal: it leaves the page
        return {
            "kind": EventKind.MAINTENANCE_PUBLISHED,
            "maintenance_id": obj.pk,
            "notify": form.cleaned_data.get("notify", False),
        }


# Alert intake keeps its admin beside its code; importing it here registers it.
import clearline.incidents.alerts.admin  # noqa: E402,F401
