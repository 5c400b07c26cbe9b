"""Every operation: no token is a 401, a role without the permission is a 403.

The table below must name every operation in the schema, so a new endpoint cannot ship without
these checks.
"""

import re

import pytest

from clearline.api import api

ANY = "aaaaaaaaaaaa"  # checks run before lookups: the ids need not exist
INCIDENT = {"title": "Sign-in fails", "started_at": "2025-03-04T09:00:00Z"}

# (method, path, body, lowest role allowed)
OPERATIONS = [
    ("GET", "/api/me", None, "viewer"),
    ("GET", "/api/incidents", None, "viewer"),
    ("POST", "/api/incidents", INCIDENT, "responder"),
    ("GET", f"/api/incidents/{ANY}", None, "viewer"),
    ("PATCH", f"/api/incidents/{ANY}", {"title": "New"}, "responder"),
    ("GET", "/api/components", None, "viewer"),
    ("PATCH", f"/api/components/{ANY}", {"status": "major_outage"}, "responder"),
    ("GET", f"/api/incidents/{ANY}/timeline", None, "viewer"),
    ("POST", f"/api/incidents/{ANY}/timeline", {"text": "Noticed."}, "responder"),
    ("GET", f"/api/incidents/{ANY}/facts", None, "viewer"),
    ("POST", f"/api/incidents/{ANY}/facts", {"text": "Why?"}, "responder"),
    ("POST", f"/api/incidents/{ANY}/facts/1/settle", {"status": "withdrawn"}, "responder"),
    ("GET", f"/api/incidents/{ANY}/updates", None, "viewer"),
    ("POST", f"/api/incidents/{ANY}/updates", {"body": "Looking."}, "responder"),
    ("GET", f"/api/updates/{ANY}", None, "viewer"),
    ("PATCH", f"/api/updates/{ANY}", {"version": 1, "body": "New."}, "responder"),
    ("POST", f"/api/updates/{ANY}/publish", None, "responder"),
    ("POST", f"/api/incidents/{ANY}/compose", {"kind": "first"}, "responder"),
    ("POST", "/api/checks", {"text": "Sign-in fails."}, "responder"),
    ("POST", f"/api/updates/{ANY}/approve", {"content_hash": "0" * 64}, "responder"),
]
WRITES = [op for op in OPERATIONS if op[3] == "responder"]


def _ids(operations):
    return [f"{method} {path}" for method, path, _, _ in operations]


def test_it_covers_every_operation_in_the_schema():
    documented = {
        (method.upper(), re.sub(r"\{\w+\}", "{id}", path))
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    tabled = {
        (method, path.replace(ANY, "{id}").replace("/1/", "/{id}/"))
        for method, path, _, _ in OPERATIONS
    }
    assert documented == tabled


@pytest.mark.parametrize(("method", "path", "body", "role"), OPERATIONS, ids=_ids(OPERATIONS))
def test_it_answers_401_without_a_token(api_as, people, method, path, body, role):
    response = api_as(None).call(method, path, body)
    assert response.status_code == 401
    assert set(response.data) == {"detail", "errors"}


@pytest.mark.parametrize(("method", "path", "body", "role"), OPERATIONS, ids=_ids(OPERATIONS))
def test_it_answers_403_to_a_person_without_a_role(api_as, people, method, path, body, role):
    response = api_as("outsider").call(method, path, body)
    assert response.status_code == 403
    assert set(response.data) == {"detail", "errors"}


@pytest.mark.parametrize(
    ("method", "path", "body", "role"), WRITES, ids=[f"{m} {p}" for m, p, _, _ in WRITES]
)
def test_it_answers_403_to_a_viewer_who_tries_to_change_something(
    api_as, people, method, path, body, role
):
    response = api_as("support").call(method, path, body)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body", "role"), WRITES, ids=[f"{m} {p}" for m, p, _, _ in WRITES]
)
def test_it_checks_the_permission_before_reading_the_body(api_as, people, method, path, body, role):
    response = api_as("support").call(method, path, {"nonsense": True})
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path", "body", "role"), OPERATIONS, ids=_ids(OPERATIONS))
def test_it_lets_the_allowed_role_past_the_permission_check(
    api_as, people, method, path, body, role
):
    persona = {"viewer": "support", "responder": "comms"}[role]
    response = api_as(persona).call(method, path, body)
    assert response.status_code not in {401, 403}, response.data
