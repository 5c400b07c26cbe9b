from django.urls import path

from clearline.desk.compose_forms import FORMS as COMPOSE_KINDS
from clearline.desk.views import (
    channels,
    compose,
    deliveries,
    incidents,
    ledger,
    settings,
    updates,
)

app_name = "desk"

urlpatterns = [
    path("", incidents.dashboard, name="dashboard"),
    path("incidents/new/", incidents.open_incident, name="open-incident"),
    path("incidents/<int:incident_id>/", incidents.incident_page, name="incident"),
    path("incidents/<int:incident_id>/edit/", incidents.edit_incident, name="edit-incident"),
    path("incidents/<int:incident_id>/timeline/", ledger.add_timeline_entry, name="add-timeline"),
    path("incidents/<int:incident_id>/facts/", ledger.add_fact, name="add-fact"),
    path("facts/<int:fact_id>/settle/", ledger.settle_fact, name="settle-fact"),
    path("incidents/<int:incident_id>/updates/new/", updates.write_update, name="write-update"),
    path("incidents/<int:incident_id>/resolve/", updates.resolve, name="resolve"),
    path("incidents/<int:incident_id>/checks/", updates.check_draft, name="check-draft"),
    path("updates/<int:update_id>/edit/", updates.edit_update, name="edit-update"),
    path("updates/<int:update_id>/channels/", channels.update_channels, name="update-channels"),
    path(
        "updates/<int:update_id>/deliveries/",
        deliveries.update_deliveries,
        name="update-deliveries",
    ),
    path(
        "updates/<int:update_id>/deliveries.json",
        deliveries.update_delivery_counts,
        name="update-delivery-counts",
    ),
    path(
        "updates/<int:update_id>/deliveries/retry/",
        deliveries.retry_failed,
        name="retry-deliveries",
    ),
    *(
        path(
            f"incidents/<int:incident_id>/compose/{kind}/{page}",
            view,
            {"kind": kind},
            name=f"compose-{kind}{suffix}",
        )
        for kind in COMPOSE_KINDS
        for page, view, suffix in [
            ("", compose.compose_update, ""),
            ("preview/", compose.compose_preview, "-preview"),
        ]
    ),
    path("settings/checks/", settings.check_settings, name="check-settings"),
]
