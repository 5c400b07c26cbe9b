"""Every operation: no token is a 401, a role without the permission is a 403 that changes
nothing, and the role allowed gets its exact success status and the change it asked for.

The table below must name every operation in the schema, so a new endpoint cannot ship without
these checks.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.api import api
from clearline.core.permissions import SYSTEM
from clearline.incidents.models import Component, Fact, Incident, TimelineEntry
from clearline.incidents.services import add_fact
from clearline.loop.accounts import link_account, save_key_account
from clearline.loop.followups import create_follow_ups
from clearline.loop.models import FollowUp, IncidentAccount, KeyAccount, LateQuestion
from clearline.loop.questions import log_late_question
from clearline.notify.models import Subscriber
from clearline.reviews.actions.services import create_action_item
from clearline.reviews.models import ActionItem, PlanItem, Review
from clearline.reviews.plan import create_plan
from clearline.reviews.reports.services import draft_reports
from clearline.reviews.review import add_attendee, propose_review
from clearline.updates.models import Update
from clearline.updates.services import content_hash_of, draft_update
from tests.factories import approve, make_component, make_incident, make_user, publish
from tests.unchanged import audited, nothing_changes
from tests.updates.test_approval import CLEAN

ANY = "aaaaaaaaaaaa"  # checks run before lookups: the ids need not exist
INCIDENT = {"title": "Sign-in fails", "started_at": "2025-03-04T09:00:00Z"}
ACTION_ITEM = {
    "outcome": "Rehearse the card gateway rollback in staging",
    "owner": "wren",
    "due_date": "{due_date}",
    "category": "rollback",
}

# (method, path, body, lowest role allowed); {names} are the world's objects.
OPERATIONS = [
    ("GET", "/api/me", None, "viewer"),
    ("GET", "/api/incidents", None, "viewer"),
    ("POST", "/api/incidents", INCIDENT, "responder"),
    ("GET", "/api/incidents/{incident}", None, "viewer"),
    ("PATCH", "/api/incidents/{incident}", {"title": "New"}, "responder"),
    ("GET", "/api/components", None, "viewer"),
    ("PATCH", "/api/components/{component}", {"status": "major_outage"}, "responder"),
    ("GET", "/api/incidents/{incident}/timeline", None, "viewer"),
    ("POST", "/api/incidents/{incident}/timeline", {"text": "Noticed."}, "responder"),
    ("GET", "/api/incidents/{incident}/facts", None, "viewer"),
    ("POST", "/api/incidents/{incident}/facts", {"text": "Why?"}, "responder"),
    (
        "POST",
        "/api/incidents/{incident}/facts/{fact}/settle",
        {"status": "withdrawn"},
        "responder",
    ),
    ("GET", "/api/incidents/{incident}/updates", None, "viewer"),
    ("POST", "/api/incidents/{incident}/updates", {"body": "Looking."}, "responder"),
    ("GET", "/api/updates/{draft}", None, "viewer"),
    ("PATCH", "/api/updates/{draft}", {"version": 1, "body": "New."}, "responder"),
    ("POST", "/api/updates/{approved}/publish", None, "responder"),
    (
        "POST",
        "/api/incidents/{incident}/compose",
        {"kind": "update", "symptom": "Card payments fail", "news": "The bank fixed its gateway."},
        "responder",
    ),
    ("POST", "/api/checks", {"text": "Sign-in fails."}, "responder"),
    ("POST", "/api/updates/{draft}/approve", {"content_hash": "{draft_hash}"}, "approver"),
    ("GET", "/api/subscribers", None, "viewer"),
    (
        "POST",
        "/api/subscribers",
        {"email": "ana@example.com", "skip_confirmation_notification": True},
        "admin",
    ),
    ("GET", "/api/subscribers/{subscriber}", None, "viewer"),
    ("DELETE", "/api/subscribers/{subscriber}", None, "admin"),
    ("GET", "/api/incidents/{incident}/actions", None, "viewer"),
    ("POST", "/api/incidents/{incident}/actions", ACTION_ITEM, "responder"),
    ("GET", "/api/actions", None, "viewer"),
    ("GET", "/api/actions/{action}", None, "viewer"),
    ("PATCH", "/api/actions/{action}", {"status": "in_progress"}, "responder"),
    ("POST", "/api/actions/{action}/close", {"evidence_note": "It paged in a drill."}, "responder"),
    ("GET", "/api/incidents/{planned}/plan", None, "viewer"),
    ("GET", "/api/insights", None, "viewer"),
    ("POST", "/api/plan-items/{plan_item}/not-needed", {"reason": "Said already."}, "responder"),
    ("POST", "/api/incidents/{resolved}/preliminary-report", None, "responder"),
    ("GET", "/api/incidents/{reviewed}/review", None, "viewer"),
    ("POST", "/api/incidents/{unreviewed}/review", None, "responder"),
    (
        "PATCH",
        "/api/incidents/{reviewed}/review",
        {"version": 1, "done": "Renewed it."},
        "responder",
    ),
    (
        "POST",
        "/api/incidents/{reviewed}/review/attendees",
        {"role": "scribe", "name": "Ruth Adeyemi"},
        "responder",
    ),
    ("DELETE", "/api/incidents/{reviewed}/review/attendees/{attendee}", None, "responder"),
    ("POST", "/api/incidents/{reviewed}/review/held", None, "responder"),
    ("GET", "/api/accounts", None, "viewer"),
    ("POST", "/api/accounts", {"name": "Initech", "owner": "vic"}, "responder"),
    ("POST", "/api/accounts/import", {"csv": "name,owner\nInitech,vic\n"}, "responder"),
    ("GET", "/api/incidents/{incident}/accounts", None, "viewer"),
    ("POST", "/api/incidents/{incident}/accounts", {"account": "{account}"}, "responder"),
    ("GET", "/api/incidents/{followed}/followups", None, "viewer"),
    # The follow-up is the support viewer's own: its owner closes it, whatever their role.
    ("POST", "/api/followups/{follow_up}/done", {"note": "Called them."}, "viewer"),
    ("PATCH", "/api/followups/{follow_up}", {"owner": "sam"}, "responder"),
    ("DELETE", "/api/incidents/{followed}/accounts/{account}", None, "responder"),
    ("GET", "/api/incidents/{resolved}/questions", None, "viewer"),
    ("POST", "/api/incidents/{resolved}/questions", {"text": "Were we charged?"}, "viewer"),
    (
        "POST",
        "/api/incidents/{resolved}/questions/{question}/answer",
        {"body": "Nobody was charged twice."},
        "responder",
    ),
    ("GET", "/api/incidents/{reported}/reports", None, "viewer"),
    ("POST", "/api/incidents/{unreviewed}/reports", None, "responder"),
    ("POST", "/api/reports/{report}/publish", {"notify": False}, "responder"),
    ("GET", "/api/reports/{internal_report}/export", None, "viewer"),
]
WRITES = [op for op in OPERATIONS if op[3] != "viewer"]
PERSONA = {"viewer": "support", "responder": "comms", "approver": "commander", "admin": "admin"}


def _ids(operations):
    return [f"{method} {path}" for method, path, _, _ in operations]


def nowhere(path: str) -> str:
    """The path with ids that name nothing."""
    return re.sub(r"\{(\w+)\}", lambda m: "1" if m[1] in ("fact", "attendee") else ANY, path)


def filled(value, names: dict):
    """A path or body with the world's ids in place of its {names}."""
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: str(names[m[1]]), value)
    if isinstance(value, dict):
        return {key: filled(item, names) for key, item in value.items()}
    return value


@pytest.fixture
def world(people):
    """One of everything an operation names; the texts are wren's, so anybody else approves."""
    payments = make_component("Payments")
    incident = make_incident(
        title="Card payments fail", components={payments: "partial_outage"}, published=False
    )
    wren = make_user("wren", "responder")
    draft = draft_update(incident=incident, by=wren, body=CLEAN)
    approved = draft_update(incident=incident, by=wren, body=CLEAN)
    ava = make_user("ava", "approver")
    approve(approved, by=ava)
    fact = add_fact(incident=incident, by=wren, text="Is card data safe?")
    subscriber = Subscriber.objects.create(email="bo@example.com", confirmed_at=timezone.now())
    due_date = timezone.localdate() + timedelta(days=7)
    action = create_action_item(
        incident=incident,
        by=wren,
        outcome="Alert when card declines pass 5% for five minutes",
        owner=wren,
        due_date=due_date,
        category="detection",
    )
    resolved = make_incident(title="Uploads failed", status="resolved")
    planned = make_incident(title="Invoices were late", status="resolved")
    [plan_item, *_] = create_plan(incident=planned, by=SYSTEM)
    reviewed = make_incident(title="Exports failed")
    publish(reviewed, "Exports work again for every customer.", status="resolved")
    review = propose_review(incident=reviewed, by=SYSTEM)
    attendee = add_attendee(review=review, by=SYSTEM, role="service_owner", name="Noor Haddad")
    globex = save_key_account(by=SYSTEM, name="Globex", owner=people["support"])
    followed = make_incident(title="Reports were slow")
    link_account(incident=followed, account=globex, by=SYSTEM)
    publish(followed, "Reports load quickly again for every customer.", status="resolved")
    create_follow_ups(incident=followed)
    question = log_late_question(incident=resolved, by=SYSTEM, text="Were exports affected?")
    unreviewed = make_incident(title="Imports failed")
    publish(unreviewed, "Imports work again for every customer.", status="resolved")
    reports = {r.edition: r for r in draft_reports(incident=reviewed, by=wren)}
    approve(reports["plain"].update, by=ava)
    return {
        "reported": reviewed.public_id,
        "report": reports["plain"].public_id,
        "internal_report": reports["internal"].public_id,
        "resolved": resolved.public_id,
        "planned": planned.public_id,
        "plan_item": plan_item.public_id,
        "reviewed": reviewed.public_id,
        "unreviewed": unreviewed.public_id,
        "attendee": attendee.pk,
        "incident": incident.public_id,
        "component": payments.public_id,
        "draft": draft.public_id,
        "draft_hash": content_hash_of(draft),
        "approved": approved.public_id,
        "fact": fact.pk,
        "subscriber": subscriber.public_id,
        "action": action.public_id,
        "due_date": due_date.isoformat(),
        "account": globex.public_id,
        "followed": followed.public_id,
        "follow_up": FollowUp.objects.get(incident=followed).public_id,
        "follow_up_pk": FollowUp.objects.get(incident=followed).pk,
        "followed_link": IncidentAccount.objects.get(incident=followed).pk,
        "question": question.public_id,
    }


def test_it_covers_every_operation_in_the_schema():
    documented = {
        (method.upper(), re.sub(r"\{\w+\}", "{id}", path))
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    tabled = {(method, re.sub(r"\{\w+\}", "{id}", path)) for method, path, _, _ in OPERATIONS}
    assert documented == tabled


@pytest.mark.parametrize(("method", "path", "body", "role"), OPERATIONS, ids=_ids(OPERATIONS))
def test_it_answers_401_without_a_token(api_as, people, method, path, body, role):
    anonymous = api_as(None)
    with nothing_changes():
        response = anonymous.call(method, nowhere(path), body)
    assert response.status_code == 401
    assert set(response.data) == {"detail", "errors"}


@pytest.mark.parametrize(("method", "path", "body", "role"), OPERATIONS, ids=_ids(OPERATIONS))
def test_it_answers_403_to_a_person_without_a_role(api_as, people, method, path, body, role):
    outsider = api_as("outsider")
    with nothing_changes():
        response = outsider.call(method, nowhere(path), body)
    assert response.status_code == 403
    assert set(response.data) == {"detail", "errors"}


@pytest.mark.parametrize(("method", "path", "body", "role"), WRITES, ids=_ids(WRITES))
def test_it_answers_403_to_a_viewer_who_tries_to_change_something(
    api_as, people, world, method, path, body, role
):
    """Real objects and a body that would work: only the permission stands in the way."""
    support = api_as("support")
    with nothing_changes():
        response = support.call(method, filled(path, world), filled(body, world))
    assert response.status_code == 403
    assert response.data["detail"].startswith("Your role does not allow this")


def test_it_answers_403_to_a_responder_who_tries_to_approve(api_as, people, world):
    comms = api_as("comms")
    with nothing_changes():
        response = comms.post(
            f"/api/updates/{world['draft']}/approve", {"content_hash": world["draft_hash"]}
        )
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path", "body", "role"), WRITES, ids=_ids(WRITES))
def test_it_checks_the_permission_before_reading_the_body(api_as, people, method, path, body, role):
    support = api_as("support")
    with nothing_changes():
        response = support.call(method, nowhere(path), {"nonsense": True})
    assert response.status_code == 403


def opened(response):
    incident = Incident.objects.get(title="Sign-in fails")
    assert response.data["id"] == incident.public_id
    assert (incident.created_by.username, incident.visibility) == ("sam", "public")
    return [("incident.opened", "sam", "incidents.incident", str(incident.pk))]


def retitled(response):
    incident = Incident.objects.get(title="New")
    assert response.data["title"] == "New"
    return [("incident.edited", "sam", "incidents.incident", str(incident.pk))]


def component_changed(response):
    component = Component.objects.get(name="Payments")
    assert (component.status, response.data["status"]) == ("major_outage", "major_outage")
    return [("component.status", "sam", "incidents.component", str(component.pk))]


def noted(response):
    entry = TimelineEntry.objects.get(text="Noticed.")
    assert (entry.author.username, entry.kind, entry.incident.title) == (
        "sam",
        "note",
        "Card payments fail",
    )
    return [("timeline.added", "sam", "incidents.timelineentry", str(entry.pk))]


def asked(response):
    fact = Fact.objects.get(text="Why?")
    assert (fact.created_by.username, fact.kind, fact.status) == ("sam", "question", "open")
    assert response.data["created_by"] == "sam"
    return [("fact.added", "sam", "incidents.fact", str(fact.pk))]


def withdrawn(response):
    fact = Fact.objects.get(text="Is card data safe?")
    assert (fact.status, response.data["status"]) == ("withdrawn", "withdrawn")
    return [("fact.settled", "sam", "incidents.fact", str(fact.pk))]


def drafted(response):
    update = Update.objects.get(body="Looking.")
    assert (update.author.username, update.state, update.published_at) == ("sam", "draft", None)
    return [("update.drafted", "sam", "updates.update", str(update.pk))]


def edited(response):
    update = Update.objects.get(body="New.")
    assert (update.author.username, update.edited_by.username, update.version) == (
        "wren",
        "sam",
        2,
    )
    return [("update.edited", "sam", "updates.update", str(update.pk))]


def published(response):
    update = Update.objects.get(public_id=response.data["id"])
    assert update.published_at is not None and update.approver.username == "ava"
    return [("update.published", "sam", "updates.update", str(update.pk))]


def approved(response):
    update = Update.objects.get(public_id=response.data["id"])
    assert (update.state, update.approver.username, update.author.username) == (
        "approved",
        "dana",
        "wren",
    )
    return [("update.approved", "dana", "updates.update", str(update.pk))]


def subscribed(response):
    subscriber = Subscriber.objects.get(email="ana@example.com")
    assert subscriber.is_active and response.data["id"] == subscriber.public_id
    return [("subscriber.added", "alex", "notify.subscriber", str(subscriber.pk))]


def unsubscribed(response):
    subscriber = Subscriber.objects.get(email="bo@example.com")
    assert subscriber.unsubscribed_at is not None and response.data["unsubscribed_at"]
    return [("subscriber.removed", "alex", "notify.subscriber", str(subscriber.pk))]


def action_added(response):
    item = ActionItem.objects.get(public_id=response.data["id"])
    assert (item.outcome, item.owner.username, item.created_by.username) == (
        ACTION_ITEM["outcome"],
        "wren",
        "sam",
    )
    return [("action_item.created", "sam", "reviews.actionitem", str(item.pk))]


def action_started(response):
    item = ActionItem.objects.get(public_id=response.data["id"])
    assert item.status == response.data["status"] == "in_progress"
    return [("action_item.edited", "sam", "reviews.actionitem", str(item.pk))]


def action_closed(response):
    item = ActionItem.objects.get(public_id=response.data["id"])
    assert (item.status, item.evidence_note, item.closed_by.username) == (
        "done",
        "It paged in a drill.",
        "sam",
    )
    return [("action_item.closed", "sam", "reviews.actionitem", str(item.pk))]


def not_needed(response):
    item = PlanItem.objects.get(public_id=response.data["id"])
    assert (item.state, item.reason, item.closed_by.username) == (
        "not_needed",
        "Said already.",
        "sam",
    )
    return [("plan_item.not_needed", "sam", "reviews.planitem", str(item.pk))]


def reported(response):
    report = Update.objects.get(public_id=response.data["id"])
    assert (report.kind, report.state, report.author.username) == ("preliminary", "draft", "sam")
    return [("update.drafted", "sam", "updates.update", str(report.pk))]


def account_saved(response):
    account = KeyAccount.objects.get(name="Initech")
    assert account.owner.username == "vic"
    return [("key_account.saved", "sam", "loop.keyaccount", str(account.pk))]


def account_linked(response):
    link = IncidentAccount.objects.get(account__name="Globex", incident__title="Card payments fail")
    assert (response.data["source"], link.linked_by.username) == ("hand", "sam")
    return [("key_account.linked", "sam", "loop.incidentaccount", str(link.pk))]


def followed_up(response):
    item = FollowUp.objects.get(public_id=response.data["id"])
    assert (item.state, item.note, item.done_by.username) == ("done", "Called them.", "vic")
    return [("follow_up.done", "vic", "loop.followup", str(item.pk))]


def follow_up_handed_over(response):
    item = FollowUp.objects.get(public_id=response.data["id"])
    assert (item.owner.username, response.data["owner"]) == ("sam", "sam")
    return [("follow_up.changed", "sam", "loop.followup", str(item.pk))]


def account_unlinked(response, world):
    assert (response.data["account"]["name"], response.data["follow_up"]) == ("Globex", "removed")
    assert not IncidentAccount.objects.filter(pk=world["followed_link"]).exists()
    assert not FollowUp.objects.filter(pk=world["follow_up_pk"]).exists()
    return [
        ("follow_up.withdrawn", "sam", "loop.followup", str(world["follow_up_pk"])),
        ("key_account.unlinked", "sam", "loop.incidentaccount", str(world["followed_link"])),
    ]


def question_logged(response):
    question = LateQuestion.objects.get(public_id=response.data["id"])
    assert (question.text, question.logged_by.username) == ("Were we charged?", "vic")
    return [("late_question.logged", "vic", "loop.latequestion", str(question.pk))]


def answer_drafted(response):
    addendum = Update.objects.get(public_id=response.data["addendum"])
    assert (addendum.kind, addendum.state, response.data["state"]) == ("addendum", "draft", "draft")
    return [("update.drafted", "sam", "updates.update", str(addendum.pk))]


def _review_entry(action: str, title: str = "Exports failed") -> list[tuple]:
    review = Review.objects.get(incident__title=title)
    return [(action, "sam", "reviews.review", str(review.pk))]


def review_proposed(response):
    assert response.data["state"] == "proposed"
    return _review_entry("review.proposed", "Imports failed")


def review_edited(response):
    assert response.data["writeup"]["sections"]["done"] == "Renewed it."
    return _review_entry("review.edited")


def attendee_added(response):
    assert "Ruth Adeyemi" in [a["name"] for a in response.data["attendees"]]
    return _review_entry("review.attendee_added")


def attendee_removed(response):
    assert "Noor Haddad" not in [a["name"] for a in response.data["attendees"]]
    return _review_entry("review.attendee_removed")


def review_held(response):
    assert response.data["state"] == "held" and response.data["held_at"]
    return _review_entry("review.held")


def reports_drafted(response):
    updates = Update.objects.filter(public_id__in=[r["update_id"] for r in response.data])
    return [("update.drafted", "sam", "updates.update", str(u.pk)) for u in updates.order_by("pk")]


def report_published(response):
    update = Update.objects.get(public_id=response.data["update_id"])
    assert update.published_at is not None and update.approver.username == "ava"
    return [("update.published", "sam", "updates.update", str(update.pk))]


def read_only(response):
    return []


def me(response):
    assert response.data == {"username": "vic", "role": "viewer"}
    return []


def listed(response):
    titles = [incident["title"] for incident in response.data["items"]]
    # Newest first: the resolved incidents were opened after the first.
    assert titles == [
        "Imports failed",
        "Reports were slow",
        "Exports failed",
        "Invoices were late",
        "Uploads failed",
        "Card payments fail",
    ]
    return []


def previewed(response):
    assert "The bank fixed its gateway." in response.data["text"]
    drafts = Update.objects.filter(incident__title="Card payments fail")
    assert response.data["update"] is None and drafts.count() == 2
    return []


def checked(response):
    assert isinstance(response.data["findings"], list)
    return []


# (method, path) → (exact success status, what the response and the rows must show; returns the
# audit entries the request must write).
SUCCESS = {
    ("GET", "/api/me"): (200, me),
    ("GET", "/api/incidents"): (200, listed),
    ("POST", "/api/incidents"): (201, opened),
    ("GET", "/api/incidents/{incident}"): (200, read_only),
    ("PATCH", "/api/incidents/{incident}"): (200, retitled),
    ("GET", "/api/components"): (200, read_only),
    ("PATCH", "/api/components/{component}"): (200, component_changed),
    ("GET", "/api/incidents/{incident}/timeline"): (200, read_only),
    ("POST", "/api/incidents/{incident}/timeline"): (201, noted),
    ("GET", "/api/incidents/{incident}/facts"): (200, read_only),
    ("POST", "/api/incidents/{incident}/facts"): (201, asked),
    ("POST", "/api/incidents/{incident}/facts/{fact}/settle"): (200, withdrawn),
    ("GET", "/api/incidents/{incident}/updates"): (200, read_only),
    ("POST", "/api/incidents/{incident}/updates"): (201, drafted),
    ("GET", "/api/updates/{draft}"): (200, read_only),
    ("PATCH", "/api/updates/{draft}"): (200, edited),
    ("POST", "/api/updates/{approved}/publish"): (200, published),
    ("POST", "/api/incidents/{incident}/compose"): (200, previewed),  # a preview: saves nothing
    ("POST", "/api/checks"): (200, checked),
    ("POST", "/api/updates/{draft}/approve"): (200, approved),
    ("GET", "/api/subscribers"): (200, read_only),
    ("POST", "/api/subscribers"): (201, subscribed),
    ("GET", "/api/subscribers/{subscriber}"): (200, read_only),
    ("DELETE", "/api/subscribers/{subscriber}"): (200, unsubscribed),
    ("GET", "/api/incidents/{incident}/actions"): (200, read_only),
    ("POST", "/api/incidents/{incident}/actions"): (201, action_added),
    ("GET", "/api/actions"): (200, read_only),
    ("GET", "/api/actions/{action}"): (200, read_only),
    ("PATCH", "/api/actions/{action}"): (200, action_started),
    ("POST", "/api/actions/{action}/close"): (200, action_closed),
    ("GET", "/api/incidents/{planned}/plan"): (200, read_only),
    ("GET", "/api/insights"): (200, read_only),
    ("POST", "/api/plan-items/{plan_item}/not-needed"): (200, not_needed),
    ("POST", "/api/incidents/{resolved}/preliminary-report"): (201, reported),
    ("GET", "/api/incidents/{reviewed}/review"): (200, read_only),
    ("POST", "/api/incidents/{unreviewed}/review"): (201, review_proposed),
    ("PATCH", "/api/incidents/{reviewed}/review"): (200, review_edited),
    ("POST", "/api/incidents/{reviewed}/review/attendees"): (201, attendee_added),
    ("DELETE", "/api/incidents/{reviewed}/review/attendees/{attendee}"): (200, attendee_removed),
    ("POST", "/api/incidents/{reviewed}/review/held"): (200, review_held),
    ("GET", "/api/accounts"): (200, read_only),
    ("POST", "/api/accounts"): (201, account_saved),
    ("POST", "/api/accounts/import"): (200, account_saved),
    ("GET", "/api/incidents/{incident}/accounts"): (200, read_only),
    ("POST", "/api/incidents/{incident}/accounts"): (201, account_linked),
    ("GET", "/api/incidents/{followed}/followups"): (200, read_only),
    ("POST", "/api/followups/{follow_up}/done"): (200, followed_up),
    ("PATCH", "/api/followups/{follow_up}"): (200, follow_up_handed_over),
    ("DELETE", "/api/incidents/{followed}/accounts/{account}"): (200, account_unlinked),
    ("GET", "/api/incidents/{resolved}/questions"): (200, read_only),
    ("POST", "/api/incidents/{resolved}/questions"): (201, question_logged),
    ("POST", "/api/incidents/{resolved}/questions/{question}/answer"): (201, answer_drafted),
    ("GET", "/api/incidents/{reported}/reports"): (200, read_only),
    ("POST", "/api/incidents/{unreviewed}/reports"): (201, reports_drafted),
    ("POST", "/api/reports/{report}/publish"): (200, report_published),
    ("GET", "/api/reports/{internal_report}/export"): (200, read_only),
}


READS = {read_only, me, listed, previewed, checked}
# Effects that name rows the request removes, so they are told the world's ids.
KNOWING_THE_WORLD = {account_unlinked}


@pytest.mark.parametrize(("method", "path", "body", "role"), OPERATIONS, ids=_ids(OPERATIONS))
def test_the_allowed_role_gets_the_exact_status_and_the_change(
    api_as, people, world, method, path, body, role
):
    status, effect = SUCCESS[(method, path)]
    caller = api_as(PERSONA[role])
    if effect in READS:
        with nothing_changes():
            response = caller.call(method, filled(path, world), filled(body, world))
        assert response.status_code == status, response.data
        assert effect(response) == []
        return
    with audited() as entries:
        response = caller.call(method, filled(path, world), filled(body, world))
    assert response.status_code == status, response.data
    assert entries == (effect(response, world) if effect in KNOWING_THE_WORLD else effect(response))
