"""The comms owner finds the alert's incident at the desk, marked internal, with what fired."""

from clearline.accounts.models import Organisation
from clearline.core import transfer
from clearline.incidents.models import AlertLink, Incident
from tests.core.test_transfer import differences, rows, wipe
from tests.incidents.conftest import delivery


def test_it_lists_the_alert_incident_at_the_desk_as_internal(client, alertmanager, people):
    alertmanager(client, delivery("alertmanager_firing"))
    client.force_login(people["comms"])

    page = client.get("/desk/").content.decode()

    assert "Checkout requests are failing" in page
    assert '<span class="badge internal">Internal</span>' in page


def test_it_shows_what_fired_on_the_incident_timeline(client, pagerduty, people):
    body = delivery("pagerduty_triggered").replace(
        b"are timing out", b"are timing out <script>alert(1)</script>"
    )
    pagerduty(client, body)
    client.force_login(people["comms"])

    page = client.get(f"/desk/incidents/{Incident.objects.get().pk}/").content.decode()

    assert "Assigned to: Priya Raman" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_keeps_alert_sources_and_links_through_export_and_import(client, pagerduty):
    Organisation.current()
    pagerduty(client, delivery("pagerduty_triggered"))
    before = rows(transfer.MODELS)
    first = transfer.export_json()

    wipe()
    transfer.import_json(first)

    assert differences(before, rows(transfer.MODELS)) == []
    assert transfer.export_json() == first
    link = AlertLink.objects.get()
    assert link.external_key == "P7QK2MX" and link.source.signing_secret == pagerduty.secret
