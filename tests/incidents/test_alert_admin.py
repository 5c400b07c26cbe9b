"""An admin connects Alertmanager and PagerDuty; secrets go in and never come back out."""

import re

import pytest

from clearline.core.models import AuditEntry
from clearline.incidents.models import AlertSource, Incident
from tests.incidents.conftest import delivery, sign
from tests.unchanged import audited, nothing_changes

ADD = "/admin/incidents/alertsource/add/"
LIST = "/admin/incidents/alertsource/"


def form(**fields):
    return {"name": "Prometheus production", "default_impact": "minor", "enabled": "on", **fields}


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["admin"])
    return client


def shown_token(response) -> str:
    text = " ".join(str(m) for m in response.context["messages"])
    return re.search(r"not shown again: (\S+)", text).group(1)


def test_it_issues_an_alertmanager_token_once_and_keeps_only_its_hash(admin_client):
    with audited() as entries:
        created = admin_client.post(ADD, form(kind="alertmanager"), follow=True)
    token = shown_token(created)

    assert created.status_code == 200
    source = AlertSource.objects.get()
    assert (source.name, source.kind, source.default_impact, source.enabled) == (
        "Prometheus production",
        "alertmanager",
        "minor",
        True,
    )
    assert entries == [("admin.created", "alex", "incidents.alertsource", str(source.pk))]
    assert token not in str(AuditEntry.objects.get().changes)
    assert token not in (source.token_hash, source.signing_secret)
    assert token not in admin_client.get(LIST).content.decode()


def test_it_accepts_deliveries_with_the_issued_token(admin_client, alertmanager):
    token = shown_token(admin_client.post(ADD, form(kind="alertmanager"), follow=True))
    source = AlertSource.objects.exclude(pk=alertmanager.source.pk).get()

    response = alertmanager(
        admin_client, delivery("alertmanager_firing"), token=token, source=source
    )

    assert response.status_code == 200


def test_it_asks_for_the_pagerduty_signing_secret(admin_client):
    with nothing_changes():
        response = admin_client.post(ADD, form(kind="pagerduty", name="PagerDuty"))

    assert response.status_code == 200
    assert "Paste the signing secret" in response.content.decode()
    assert not AlertSource.objects.exists()


def test_it_never_shows_or_audits_the_pagerduty_secret(admin_client):
    secret = "pd-signing-secret-4f1e9a"
    with audited() as entries:
        response = admin_client.post(ADD, form(kind="pagerduty", name="PagerDuty", secret=secret))
    source = AlertSource.objects.get()
    assert response.status_code == 302
    assert (source.name, source.kind) == ("PagerDuty", "pagerduty")
    assert entries == [("admin.created", "alex", "incidents.alertsource", str(source.pk))]

    pages = [
        admin_client.get(LIST),
        admin_client.get(f"{LIST}{source.pk}/change/"),
        admin_client.get("/admin/core/auditentry/"),
    ]

    assert source.signing_secret == secret
    assert all(secret not in page.content.decode() for page in pages)
    assert secret not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_it_keeps_the_secret_when_an_edit_leaves_it_empty(admin_client, pagerduty):
    source = pagerduty.source
    with audited() as entries:
        response = admin_client.post(
            f"{LIST}{source.pk}/change/",
            form(name="PagerDuty payments (EU)", default_impact="major"),
        )

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "PagerDuty payments (EU)" and source.signing_secret == pagerduty.secret
    assert source.default_impact == "major"
    assert entries == [("admin.edited", "alex", "incidents.alertsource", str(source.pk))]
    assert AuditEntry.objects.get(action="admin.edited").changes == {
        "name": "PagerDuty payments (EU)",
        "default_impact": "major",
    }


def test_it_audits_a_source_change_without_its_secret(admin_client, pagerduty):
    response = admin_client.post(
        f"{LIST}{pagerduty.source.pk}/change/", form(name="PagerDuty", secret="rotated-secret-9")
    )

    assert response.status_code == 302
    pagerduty.source.refresh_from_db()
    assert pagerduty.source.signing_secret == "rotated-secret-9"
    entry = AuditEntry.objects.get(action="admin.edited")
    assert (entry.actor.username, entry.object_id) == ("alex", str(pagerduty.source.pk))
    assert entry.changes["secret"] == "(changed)"
    assert "rotated-secret-9" not in str(entry.changes)


def test_it_voids_the_old_token_when_a_new_one_is_issued(admin_client, alertmanager):
    with audited() as entries:
        response = admin_client.post(
            LIST,
            {"action": "issue_new_token", "_selected_action": [alertmanager.source.pk]},
            follow=True,
        )
    new = re.search(r"shown once: (\S+)", str(list(response.context["messages"]))).group(1)

    assert response.status_code == 200
    assert entries == [
        ("alert_source.token_issued", "alex", "incidents.alertsource", str(alertmanager.source.pk))
    ]

    assert alertmanager(admin_client, delivery("alertmanager_firing")).status_code == 401
    assert alertmanager(admin_client, delivery("alertmanager_firing"), token=new).status_code == 200


def test_it_keeps_alert_sources_out_of_a_responders_reach(client, people):
    client.force_login(people["comms"])

    assert client.get(LIST).status_code == 302
    with nothing_changes():
        response = client.post(ADD, form(kind="alertmanager"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_shows_which_alert_fed_which_incident(admin_client, pagerduty):
    body = delivery("pagerduty_triggered")
    pagerduty(admin_client, body, signature=sign(pagerduty.secret, body))

    page = admin_client.get("/admin/incidents/alertlink/").content.decode()

    assert "P7QK2MX" in page and Incident.objects.get().title in page
