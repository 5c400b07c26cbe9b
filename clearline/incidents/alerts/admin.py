"""Back-office set-up of alert sources. Secrets go in through a write-only field and never
come back out: not in a list, a form, an audit entry or a log line."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse

from clearline.core.admin_audit import AuditedAdmin
from clearline.incidents.alerts import services
from clearline.incidents.alerts.auth import new_token, set_secret
from clearline.incidents.models import AlertLink, AlertSource, AlertSourceKind


class AlertSourceForm(forms.ModelForm):
    secret = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=(
            "Alertmanager: leave empty and clearline issues a token, shown once. "
            "PagerDuty: paste the signing secret PagerDuty showed when you created the webhook "
            "subscription. On an existing source, leave empty to keep the current secret."
        ),
    )

    class Meta:
        model = AlertSource
        fields = ["name", "kind", "secret", "default_impact", "default_components", "enabled"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or self.instance.kind
        if (
            kind == AlertSourceKind.PAGERDUTY
            and not cleaned.get("secret")
            and not self.instance.signing_secret
        ):
            self.add_error(
                "secret",
                "Paste the signing secret PagerDuty showed when you created the subscription.",
            )
        return cleaned


def hook_path(source: AlertSource) -> str:
    return reverse(f"hook-{source.kind}", args=[source.public_id])


@admin.register(AlertSource)
class AlertSourceAdmin(AuditedAdmin):
    form = AlertSourceForm
    redacted_fields = ("secret",)
    list_display = ["name", "kind", "enabled", "default_impact", "secret_set", "last_delivery_at"]
    list_filter = ["kind", "enabled"]
    readonly_fields = ["webhook_address", "last_delivery_at", "created_at", "updated_at"]
    filter_horizontal = ["default_components"]
    actions = ["issue_new_token"]

    def get_readonly_fields(self, request, obj=None):
        # What the secret means depends on the kind, so the kind is fixed once chosen.
        return [*self.readonly_fields, "kind"] if obj else self.readonly_fields

    @admin.display(description="secret set", boolean=True)
    def secret_set(self, obj: AlertSource) -> bool:
        return obj.has_secret

    @admin.display(description="webhook address")
    def webhook_address(self, obj: AlertSource) -> str:
        return hook_path(obj) if obj.pk else "Shown once the source is saved."

    def save_model(self, request, obj, form, change):
        raw = form.cleaned_data.get("secret")
        issued = None
        if not raw and not change and obj.kind == AlertSourceKind.ALERTMANAGER:
            raw = issued = new_token()
        if raw:
            set_secret(obj, raw)
        super().save_model(request, obj, form, change)
        address = request.build_absolute_uri(hook_path(obj))
        if issued:
            messages.warning(
                request,
                f"Copy this token now, it is not shown again: {issued} — Alertmanager sends it "
                f"as a bearer token to {address}",
            )
        elif not change:
            messages.info(request, f"Deliveries for “{obj.name}” go to {address}")

    @admin.action(description="Issue a new token (Alertmanager sources)")
    def issue_new_token(self, request, queryset):
        for source in queryset:
            if source.kind != AlertSourceKind.ALERTMANAGER:
                messages.info(request, f"“{source.name}” is signed by PagerDuty; it has no token.")
                continue
            raw = services.issue_alertmanager_token(source=source, by=request.user)
            messages.warning(
                request, f"New token for “{source.name}”, shown once: {raw} — the old one is void."
            )


@admin.register(AlertLink)
class AlertLinkAdmin(AuditedAdmin):
    """Which alert group or PagerDuty incident feeds which clearline incident. Read-only."""

    list_display = ["source", "short_key", "incident", "last_status", "last_seen_at"]
    list_filter = ["source", "last_status"]
    search_fields = ["external_key", "incident__title", "incident__public_id"]
    list_select_related = ["source", "incident"]

    @admin.display(description="alert key")
    def short_key(self, obj: AlertLink) -> str:
        return obj.external_key[:80]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
