"""Tokens: issued hashed, refused when revoked, the owner acting; and the browser session path."""

from datetime import timedelta

from django.apps import apps
from django.core import serializers
from django.test import Client
from django.utils import timezone

from clearline.accounts.models import ApiToken
from clearline.accounts.services import issue_token
from clearline.core.permissions import SYSTEM
from clearline.incidents.models import Incident
from tests.factories import PASSWORD
from tests.unchanged import audited, nothing_changes


def test_it_asks_for_a_token_when_none_is_sent(api_as, people):
    response = api_as(None).get("/api/incidents")
    assert response.status_code == 401
    assert response.data == {
        "detail": "Send an API token: Authorization: Bearer <token>.",
        "errors": [],
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_an_unknown_token(client, people):
    response = client.get("/api/incidents", headers={"Authorization": "Bearer cl_made-up"})
    assert response.status_code == 401
    assert response.json()["detail"] == "This API token is not valid or has been revoked."


def test_it_refuses_a_revoked_token(api_as, people):
    comms = api_as("comms")
    ApiToken.objects.update(revoked_at=timezone.now())
    response = comms.get("/api/incidents")
    assert response.status_code == 401


def test_it_refuses_the_token_of_a_deactivated_person(api_as, people):
    comms = api_as("comms")
    people["comms"].is_active = False
    people["comms"].save()
    assert comms.get("/api/incidents").status_code == 401


def test_it_refuses_everything_to_a_person_without_a_role(api_as, people):
    response = api_as("outsider").get("/api/incidents")
    assert response.status_code == 403
    assert response.data["detail"].startswith("Your role does not allow this")
    assert response.data["errors"] == []


def test_it_tells_who_the_token_belongs_to(api_as, people):
    response = api_as("commander").get("/api/me")
    assert response.data == {"username": "dana", "role": "approver"}


def test_it_records_when_a_token_was_last_used(api_as, people):
    comms = api_as("comms")
    comms.get("/api/me")
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=30)


def test_it_never_stores_or_logs_the_raw_token(api_as, people, caplog):
    comms = api_as("comms")
    opened = comms.post(
        "/api/incidents", {"title": "Sign-in fails", "started_at": "2025-03-04T09:00:00Z"}
    )
    assert opened.status_code == 201
    assert comms.get("/api/incidents").status_code == 200
    everything = "".join(
        serializers.serialize("json", model.objects.all()) for model in apps.get_models()
    )
    assert ApiToken.objects.exists()
    assert comms.token not in everything
    assert comms.token[len("cl_") :] not in everything
    assert comms.token not in caplog.text


def signed_in_browser(people) -> Client:
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username="sam", password=PASSWORD)
    browser.get("/login/")  # sets the CSRF cookie, as any page with a form does
    return browser


def test_it_serves_a_signed_in_browser_without_a_token(people):
    browser = signed_in_browser(people)
    response = browser.get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "sam"


def open_incident(browser: Client, headers=None):
    return browser.post(
        "/api/incidents",
        data={"title": "Sign-in fails", "started_at": "2025-03-04T09:00:00Z"},
        content_type="application/json",
        headers=headers or {},
    )


def opened_by_sam(response, entries) -> None:
    """The incident the request opened: sam's, with the audit entry naming sam."""
    incident = Incident.objects.get()
    assert response.json()["id"] == incident.public_id
    assert (incident.title, incident.created_by.username) == ("Sign-in fails", "sam")
    assert entries == [("incident.opened", "sam", "incidents.incident", str(incident.pk))]


def test_it_refuses_a_browser_write_without_the_csrf_token(people):
    browser = signed_in_browser(people)
    with nothing_changes():
        response = open_incident(browser)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("The CSRF check failed")


def test_it_accepts_a_browser_write_with_the_csrf_token(people):
    browser = signed_in_browser(people)
    with audited() as entries:
        response = open_incident(browser, {"X-CSRFToken": browser.cookies["csrftoken"].value})
    assert response.status_code == 201
    opened_by_sam(response, entries)


def test_it_needs_no_csrf_token_with_a_bearer_token(people):
    _, raw = issue_token(user=people["comms"], name="deploy bot", by=SYSTEM)
    with audited() as entries:
        response = open_incident(
            Client(enforce_csrf_checks=True), {"Authorization": f"Bearer {raw}"}
        )
    assert response.status_code == 201
    opened_by_sam(response, entries)
