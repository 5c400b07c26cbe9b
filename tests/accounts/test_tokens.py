"""API tokens: issued once in the clear, stored hashed, their use recorded sparingly."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.accounts.models import ApiToken, hash_token
from clearline.accounts.services import issue_token, use_token
from clearline.core.errors import ClearlineError
from clearline.core.models import AuditEntry
from clearline.core.permissions import SYSTEM
from tests.unchanged import nothing_changes


def test_it_issues_a_named_token_and_audits_it_without_the_secret(people):
    token, raw = issue_token(user=people["comms"], name="  status bot ", by=SYSTEM)
    assert token.name == "status bot" and raw.startswith("cl_")
    entry = AuditEntry.objects.get(action="token.issued")
    assert token.prefix in entry.summary and raw not in json.dumps(entry.changes) + entry.summary


def test_it_writes_last_used_at_most_once_a_minute(people):
    _, raw = issue_token(user=people["comms"], name="chat bot", by=SYSTEM)
    start = timezone.now()
    use_token(raw=raw, now=start)
    use_token(raw=raw, now=start + timedelta(seconds=50))
    assert ApiToken.objects.get().last_used_at == start
    use_token(raw=raw, now=start + timedelta(seconds=61))
    assert ApiToken.objects.get().last_used_at == start + timedelta(seconds=61)


def test_it_finds_the_person_behind_a_token(people):
    _, raw = issue_token(user=people["comms"], name="chat bot", by=SYSTEM)
    assert use_token(raw=raw) == people["comms"]
    assert ApiToken.objects.get().token_hash == hash_token(raw)


def test_it_finds_nobody_behind_a_revoked_token(people):
    token, raw = issue_token(user=people["comms"], name="chat bot", by=SYSTEM)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert use_token(raw=raw) is None


def test_it_refuses_a_token_without_a_name(people):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        issue_token(user=people["comms"], name=" ", by=SYSTEM)
    assert refused.value.field == "name"
    assert not ApiToken.objects.exists()


def test_it_shows_the_admin_the_new_token_once(client, people):
    client.force_login(people["admin"])
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"user": people["comms"].pk, "name": "deploy bot", "revoked_at_0": "", "revoked_at_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    [message] = [m for m in map(str, response.context["messages"]) if m.startswith("Copy")]
    raw = message.rsplit(" ", 1)[-1]
    assert use_token(raw=raw) == people["comms"]
    assert AuditEntry.objects.get(action="token.issued").actor == people["admin"]
