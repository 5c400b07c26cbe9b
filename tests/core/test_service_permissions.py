"""Every service that changes something checks the permission itself, whoever calls it.

The desk and the API check first as well; these tests call the services directly, as the CLI,
the demo loader, a script or a new view would. For each service in SERVICES: everyone below the
lowest persona allowed is refused with PermissionDenied and nothing is written; that persona
succeeds, and so does clearline itself (`SYSTEM`), recorded as nobody; and `by=None` is a
programming error, never clearline acting with every right.

Alert deliveries take no `by`: the source's secret proves them, and they act as SYSTEM.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from clearline.accounts import services as accounts
from clearline.accounts.models import Organisation
from clearline.brief import services as brief
from clearline.core import permissions
from clearline.core.errors import PermissionDenied
from clearline.core.models import AuditEntry
from clearline.core.permissions import SYSTEM
from clearline.incidents import services as incidents
from clearline.incidents.alerts import services as alerts
from clearline.incidents.models import Incident
from clearline.notify import retry
from clearline.notify import services as notify
from clearline.promises import services as promises
from clearline.reviews import plan, preliminary
from clearline.reviews import review as reviews
from clearline.reviews.actions import services as actions
from clearline.updates import compose
from clearline.updates import services as updates
from tests.core.test_permission_matrix import build_world, in_savepoint
from tests.unchanged import state as fingerprint
from tests.updates.test_approval import CLEAN

# Least to most trusted; each holds every right of the ones before it.
ANONYMOUS, NO_ROLE, VIEWER, RESPONDER, APPROVER, ADMIN = PERSONAS = (
    "signed out",
    "no role",
    "viewer",
    "responder",
    "approver",
    "admin",
)
NO_ACTOR = "pass a user or permissions.SYSTEM as `by`, not None"


class World:
    """The permission matrix's world (texts written by another responder, so every persona
    approving one is a second pair of eyes), with every persona; objects are read afresh."""

    def __init__(self, people):
        self.people = {
            ANONYMOUS: AnonymousUser(),
            NO_ROLE: people["outsider"],
            VIEWER: people["support"],
            RESPONDER: people["comms"],
            APPROVER: people["commander"],
            ADMIN: people["admin"],
        }
        self.made = build_world(people).objects

    def __getitem__(self, name):
        made = self.made[name]
        return type(made).objects.get(pk=made.pk)


def _approving(approve_with):
    """A call approving the draft's text as read."""
    return lambda w, by: approve_with(
        update=w["draft"], by=by, content_hash=updates.content_hash_of(w["draft"])
    )


def _composed() -> compose.Composed:
    return compose.Composed(CLEAN, compose.FIRST, "first-minor-1", "investigating", None)


@dataclass(frozen=True)
class Service:
    name: str
    lowest: str  # the least trusted persona allowed
    act: Callable[[World, object], object]


# Every service that changes something, the least trusted persona allowed to call it (as the
# role table in clearline/accounts/roles.py grants), and a call that succeeds for them.
SERVICES = [
    Service(
        "incidents.open_incident",
        RESPONDER,
        lambda w, by: incidents.open_incident(
            by=by, title="Exports fail", started_at=timezone.now() - timedelta(minutes=10)
        ),
    ),
    Service(
        "incidents.edit_incident",
        RESPONDER,
        lambda w, by: incidents.edit_incident(
            incident=w["incident"], by=by, title="Card payments fail in the EU"
        ),
    ),
    Service(
        "incidents.add_timeline_entry",
        RESPONDER,
        lambda w, by: incidents.add_timeline_entry(
            incident=w["incident"], by=by, text="Paged the payments team."
        ),
    ),
    Service(
        "incidents.add_fact",
        RESPONDER,
        lambda w, by: incidents.add_fact(incident=w["incident"], by=by, text="Which banks?"),
    ),
    Service(
        "incidents.settle_fact",
        RESPONDER,
        lambda w, by: incidents.settle_fact(fact=w["fact"], by=by, status="withdrawn"),
    ),
    Service(
        "incidents.set_component_status",
        RESPONDER,
        lambda w, by: incidents.set_component_status(
            component=w["component"], by=by, status="major_outage"
        ),
    ),
    Service(
        "alerts.issue_alertmanager_token",
        ADMIN,
        lambda w, by: alerts.issue_alertmanager_token(source=w["source"], by=by),
    ),
    Service(
        "accounts.issue_token",
        ADMIN,
        lambda w, by: accounts.issue_token(user=w.people[RESPONDER], name="deploy bot", by=by),
    ),
    Service(
        "accounts.change_check_settings",
        ADMIN,
        lambda w, by: accounts.change_check_settings(
            org=Organisation.current(), by=by, check_max_sentence_words=30
        ),
    ),
    Service(
        "updates.draft_update",
        RESPONDER,
        lambda w, by: updates.draft_update(incident=w["incident"], by=by, body=CLEAN),
    ),
    Service(
        "updates.edit_update",
        RESPONDER,
        lambda w, by: updates.edit_update(
            update=w["draft"], by=by, version=w["draft"].version, body=CLEAN + " We are sorry."
        ),
    ),
    Service(
        "updates.approve_update",
        APPROVER,
        _approving(updates.approve_update),
    ),
    Service(
        "updates.publish_update",
        RESPONDER,
        lambda w, by: updates.publish_update(update=w["approved"], by=by),
    ),
    Service(
        "updates.approve_and_publish",
        APPROVER,
        _approving(updates.approve_and_publish),
    ),
    Service(
        "updates.publish_new_update",
        RESPONDER,
        # An internal note needs no approval, so a responder publishes it alone.
        lambda w, by: updates.publish_new_update(
            incident=w["incident"], by=by, body="Paged the payments team.", audience="internal"
        ),
    ),
    Service(
        "updates.publish_edited_update",
        RESPONDER,
        # Saved unchanged, the text keeps its approval.
        lambda w, by: updates.publish_edited_update(
            update=w["approved"], by=by, version=w["approved"].version
        ),
    ),
    Service(
        "updates.approve_edited_update",
        APPROVER,
        lambda w, by: updates.approve_edited_update(
            update=w["draft"],
            by=by,
            version=w["draft"].version,
            content_hash=updates.content_hash_of(w["draft"]),
        ),
    ),
    Service(
        "compose.draft_composed",
        RESPONDER,
        lambda w, by: compose.draft_composed(
            incident=w["incident"],
            by=by,
            kind=compose.FIRST,
            fields=compose.initial_fields(w["incident"], compose.FIRST)
            | {"symptom": "card payments fail"},
        ),
    ),
    Service(
        "compose.save_draft",
        RESPONDER,
        lambda w, by: compose.save_draft(incident=w["incident"], by=by, composed=_composed()),
    ),
    Service(
        "brief.log_signal",
        VIEWER,
        lambda w, by: brief.log_signal(
            incident=w["incident"], by=by, kind="report", text="My invoice shows unpaid."
        ),
    ),
    Service(
        "brief.write_answer",
        RESPONDER,
        lambda w, by: brief.write_answer(
            incident=w["incident"],
            topic="what_happened",
            by=by,
            version=0,
            text="Card payments failed.",
        ),
    ),
    Service(
        "brief.write_group_answer",
        RESPONDER,
        lambda w, by: brief.write_group_answer(
            group=w["group"],
            by=by,
            version=0,
            question="Was I charged twice?",
            text="No: a failed payment is never charged.",
        ),
    ),
    Service(
        "notify.retry.retry_delivery",
        RESPONDER,
        lambda w, by: retry.retry_delivery(delivery=w["failed_delivery"], by=by),
    ),
    Service(
        "notify.retry.retry_failed",
        RESPONDER,
        lambda w, by: retry.retry_failed(update_id=w["failed_delivery"].event.update_id, by=by),
    ),
    Service(
        "brief.approve_answer",
        APPROVER,
        lambda w, by: brief.approve_answer(
            answer=w["answer"], by=by, content_hash=w["answer"].content_hash
        ),
    ),
    Service(
        "preliminary.draft_preliminary_report",
        RESPONDER,
        lambda w, by: preliminary.draft_preliminary_report(incident=w["resolved"], by=by),
    ),
    Service(
        "plan.create_plan",
        RESPONDER,
        lambda w, by: plan.create_plan(incident=w["resolved"], by=by),
    ),
    Service(
        "plan.complete_step",
        RESPONDER,
        lambda w, by: plan.complete_step(
            incident=w["planned"], step="process", note="Owners named in the review.", by=by
        ),
    ),
    Service(
        "plan.mark_not_needed",
        RESPONDER,
        lambda w, by: plan.mark_not_needed(
            item=w["plan_item"], by=by, reason="Said in the last update."
        ),
    ),
    Service(
        "notify.add_subscriber",
        ADMIN,
        lambda w, by: notify.add_subscriber(by=by, email="ana@example.com", skip_confirmation=True),
    ),
    Service(
        "notify.remove_subscriber",
        ADMIN,
        lambda w, by: notify.remove_subscriber(by=by, subscriber=w["subscriber"]),
    ),
    Service(
        "reviews.propose_review",
        RESPONDER,
        lambda w, by: reviews.propose_review(incident=w["unreviewed"], by=by),
    ),
    Service(
        "reviews.edit_writeup",
        RESPONDER,
        lambda w, by: reviews.edit_writeup(
            review=w["review"], by=by, version=w["review"].version, done="Renewed the certificate."
        ),
    ),
    Service(
        "reviews.schedule_review",
        RESPONDER,
        lambda w, by: reviews.schedule_review(review=w["review"], by=by),
    ),
    Service(
        "reviews.add_attendee",
        RESPONDER,
        lambda w, by: reviews.add_attendee(
            review=w["review"], by=by, role="engineering_lead", name="Morgan Diaz"
        ),
    ),
    Service(
        "reviews.remove_attendee",
        RESPONDER,
        lambda w, by: reviews.remove_attendee(attendee=w["attendee"], by=by),
    ),
    Service(
        "reviews.mark_held",
        RESPONDER,
        lambda w, by: reviews.mark_held(review=w["review"], by=by),
    ),
    Service(
        "notify.import_subscribers",
        ADMIN,
        lambda w, by: notify.import_subscribers(
            by=by, rows=[notify.ImportRow(2, "ana@example.com", "", [])], confirmed=True
        ),
    ),
    Service(
        "actions.create_action_item",
        RESPONDER,
        lambda w, by: actions.create_action_item(
            incident=w["incident"],
            by=by,
            outcome="Rehearse the card gateway rollback in staging",
            owner=w.people[VIEWER],
            due_date=timezone.localdate() + timedelta(days=3),
            category="rollback",
        ),
    ),
    Service(
        "actions.edit_action_item",
        RESPONDER,
        lambda w, by: actions.edit_action_item(item=w["action"], by=by, status="in_progress"),
    ),
    Service(
        "actions.close_action_item",
        RESPONDER,
        lambda w, by: actions.close_action_item(
            item=w["action"], by=by, evidence_note="The alert fired in a rehearsal."
        ),
    ),
]
IDS = [service.name for service in SERVICES]

SERVICE_MODULES = {
    "incidents": incidents,
    "alerts": alerts,
    "accounts": accounts,
    "updates": updates,
    "compose": compose,
    "brief": brief,
    "promises": promises,
    "notify": notify,
    "notify.retry": retry,
    "reviews": reviews,
    "actions": actions,
    "plan": plan,
    "preliminary": preliminary,
}


@pytest.fixture
def world(people):
    return World(people)


def test_the_table_names_every_service_that_acts_for_someone():
    """A new service taking `by` must get its line in SERVICES."""
    acting = {
        f"{label}.{name}"
        for label, module in SERVICE_MODULES.items()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "by" in inspect.signature(function).parameters
        and inspect.signature(function).parameters["by"].kind == inspect.Parameter.KEYWORD_ONLY
    }
    assert acting == set(IDS)


def test_no_service_offers_a_default_actor():
    """A caller always says who acts: no `by` falls back to anyone."""
    for label, module in SERVICE_MODULES.items():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            by = inspect.signature(function).parameters.get("by")
            if by is not None and by.kind == inspect.Parameter.KEYWORD_ONLY:
                assert by.default is inspect.Parameter.empty, f"{label}.{name}"


@pytest.mark.parametrize("service", SERVICES, ids=IDS)
def test_it_refuses_everyone_below_the_lowest_role_allowed_and_writes_nothing(world, service):
    below = PERSONAS[: PERSONAS.index(service.lowest)]
    assert ANONYMOUS in below and NO_ROLE in below
    for persona in below:

        def act(persona=persona):
            before = fingerprint()
            with pytest.raises(PermissionDenied) as refusal:
                service.act(world, world.people[persona])
            return refusal.value, before, fingerprint()

        refusal, before, after = in_savepoint(act)
        assert refusal.status == 403, persona
        assert before == after, f"{service.name} refused {persona}, yet wrote: " + ", ".join(
            label for label in before if before[label] != after[label]
        )


@pytest.mark.parametrize("service", SERVICES, ids=IDS)
def test_it_lets_the_lowest_role_allowed_act_in_their_own_name(world, service):
    person = world.people[service.lowest]

    def act():
        before = fingerprint()
        service.act(world, person)
        return before, fingerprint(), list(AuditEntry.objects.values_list("actor", flat=True))

    before, after, actors = in_savepoint(act)
    assert before != after
    assert actors.count(person.pk) >= 1


@pytest.mark.parametrize("service", SERVICES, ids=IDS)
def test_clearline_itself_may_act_and_is_recorded_as_nobody(world, service):
    def act():
        before = set(AuditEntry.objects.values_list("pk", flat=True))
        service.act(world, SYSTEM)
        return list(AuditEntry.objects.exclude(pk__in=before).values_list("actor", flat=True))

    actors = in_savepoint(act)
    assert actors and set(actors) == {None}


@pytest.mark.parametrize("service", SERVICES, ids=IDS)
def test_none_for_by_is_a_programming_error_and_writes_nothing(world, service):
    def act():
        before = fingerprint()
        with pytest.raises(TypeError) as mistake:
            service.act(world, None)
        return str(mistake.value), before, fingerprint()

    message, before, after = in_savepoint(act)
    assert message == NO_ACTOR
    assert before == after


def test_the_system_actor_says_what_it_is():
    assert repr(SYSTEM) == "permissions.SYSTEM"
    assert SYSTEM.is_system is True and SYSTEM.pk is None
    assert SYSTEM.has_perm("accounts.change_organisation") is True
    assert permissions.person(SYSTEM) is None


def test_require_perm_refuses_someone_signed_out_and_none(db):
    with pytest.raises(PermissionDenied):
        permissions.require_perm(AnonymousUser(), "incidents.view_incident")
    with pytest.raises(TypeError, match="pass a user or permissions.SYSTEM"):
        permissions.require_perm(None, "incidents.view_incident")
    permissions.require_perm(SYSTEM, "incidents.add_incident")


def test_what_clearline_opens_records_nobody_as_its_author(db):
    incident = incidents.open_incident(
        by=SYSTEM, title="Exports fail", started_at=timezone.now() - timedelta(minutes=5)
    )
    assert Incident.objects.get(pk=incident.pk).created_by is None
    assert AuditEntry.objects.get(action="incident.opened").actor is None
