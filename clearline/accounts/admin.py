from django import forms
from django.contrib import admin, messages
from django.db import models

from clearline.accounts.models import ApiToken, Organisation
from clearline.accounts.services import CHECK_SETTINGS, issue_token
from clearline.core import business_days
from clearline.core.admin_audit import AuditedAdmin


class OrganisationForm(forms.ModelForm):
    working_days = forms.MultipleChoiceField(
        choices=list(business_days.WEEKDAY_NAMES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Reviews are scheduled on these days, less the public holidays below.",
    )

    class Meta:
        model = Organisation
        fields = ["working_days"]  # the admin's fieldsets add the rest

    def clean_working_days(self) -> list[str]:
        chosen = set(self.cleaned_data["working_days"])
        return [day for day in business_days.WEEKDAYS if day in chosen]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    public = True
    form = OrganisationForm
    list_display = ["name", "time_zone", "cadence_major_minutes", "cadence_minor_minutes"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "page_url", "time_zone", "support_url", "support_email"]}),
        (
            "Update cadence",
            {"fields": ["cadence_major_minutes", "cadence_minor_minutes", "remind_before_minutes"]},
        ),
        (
            "Approval",
            {
                "description": "A second person approves every customer text. Only a team of "
                "one should let writers approve their own; each such approval is audited.",
                "fields": ["allow_self_approval"],
            },
        ),
        (
            "Business days",
            {
                "description": "An incident review is proposed three to five business days "
                "after the resolution: working days that are not public holidays.",
                "fields": ["working_days", "holiday_country", "holiday_subdivision"],
            },
        ),
        (
            "Update checks",
            {
                "description": "The desk's check settings page offers the same settings with a "
                "field per rule.",
                "fields": CHECK_SETTINGS,
            },
        ),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, raw = issue_token(user=obj.user, name=obj.name, by=request.user)
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(request, f"Copy this token now, it is not shown again: {raw}")
