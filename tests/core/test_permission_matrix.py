"""Every address clearline answers × every persona → allowed (its exact status) or refused.

The addresses come from the URL conf itself, the private API's operations included, so a new
view without a line in RULES fails here, naming it. RULES is the one table of who may do what,
written out below on purpose rather than read from the roles: a change to either shows here.

Refused means: someone signed out is sent to /login/ (desk) or gets 401 (API); a signed-in
person without the right gets 403 (or 404). A refused write leaves every row and the audit log
as they were. Each request runs in a savepoint rolled back afterwards, so every cell starts
from the same world.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.accounts.services import issue_token
from clearline.api import api
from clearline.brief import services as brief
from clearline.core.models import OutboxEvent
from clearline.core.permissions import SYSTEM
from clearline.desk.check_settings import CheckSettingsForm
from clearline.incidents import services as incidents
from clearline.loop import accounts as loop_accounts
from clearline.loop.questions import log_late_question
from clearline.notify.links import confirm_token
from clearline.notify.models import Delivery, Subscriber
from clearline.reviews import plan
from clearline.reviews import review as reviews
from clearline.reviews.actions.services import create_action_item
from clearline.reviews.reports.services import draft_reports
from clearline.updates.services import content_hash_of, draft_update
from tests.factories import (
    approve,
    make_alert_source,
    make_component,
    make_incident,
    make_user,
    publish,
)
from tests.unchanged import differences, state
from tests.updates.test_approval import CLEAN

# Personas, least to most trusted: each holds every right of the one before.
ANONYMOUS, VIEWER, RESPONDER, APPROVER, ADMIN = PERSONAS = (
    "anonymous",
    "viewer",
    "responder",
    "approver",
    "admin",
)
NOBODY = "nobody"  # no persona: the address proves itself another way (an alert source's secret)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Rule:
    """From `lowest` up, the request succeeds with `status`; below it, it is refused."""

    lowest: str
    status: int
    refused: int | None = None  # a refusal status of its own (alert hooks: 401 for everybody)


def read(lowest: str, status: int = 200) -> dict[str, Rule]:
    """A page or document read with GET (and HEAD, which Django answers like GET)."""
    return {"GET": Rule(lowest, status), "HEAD": Rule(lowest, status)}


def form(lowest: str, posted: int = 302) -> dict[str, Rule]:
    """A desk form: shown with GET/HEAD, saved with POST (a redirect after a good save)."""
    return {**read(lowest), "POST": Rule(lowest, posted)}


def post(lowest: str, status: int = 302) -> dict[str, Rule]:
    return {"POST": Rule(lowest, status)}


def operations(**methods: Rule) -> dict[str, Rule]:
    return methods


# Route (as the URL conf spells it) → method → rule. Methods left out must answer 405.
RULES: dict[str, dict[str, Rule]] = {
    # Signing in and out.
    # An empty form: its errors. Django's form views take PUT as POST.
    "login/": {**read(ANONYMOUS), "POST": Rule(ANONYMOUS, 200), "PUT": Rule(ANONYMOUS, 200)},
    "logout/": post(ANONYMOUS),
    # The admin, coarsely: its index and a few lists (see ADMIN_ADDRESSES).
    "admin/": read(ADMIN),
    # The update desk.
    "desk/": read(VIEWER),
    "desk/incidents/new/": form(RESPONDER),
    "desk/incidents/<int:incident_id>/": read(VIEWER),
    "desk/incidents/<int:incident_id>/edit/": form(RESPONDER),
    "desk/incidents/<int:incident_id>/timeline/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/facts/": post(RESPONDER),
    "desk/facts/<int:fact_id>/settle/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/updates/new/": form(RESPONDER),
    "desk/incidents/<int:incident_id>/resolve/": form(RESPONDER),
    "desk/incidents/<int:incident_id>/checks/": post(RESPONDER, 200),
    "desk/updates/<int:update_id>/edit/": form(RESPONDER),
    "desk/updates/<int:update_id>/channels/": read(VIEWER),
    "desk/updates/<int:update_id>/deliveries/": read(VIEWER),
    "desk/updates/<int:update_id>/deliveries.json": read(VIEWER),
    "desk/updates/<int:update_id>/deliveries/retry/": post(RESPONDER),
    # Composing only previews unless asked to draft: 200 with the text.
    "desk/incidents/<int:incident_id>/compose/first/": form(RESPONDER, 200),
    "desk/incidents/<int:incident_id>/compose/first/preview/": post(RESPONDER, 200),
    "desk/incidents/<int:incident_id>/compose/progress/": form(RESPONDER, 200),
    "desk/incidents/<int:incident_id>/compose/progress/preview/": post(RESPONDER, 200),
    "desk/incidents/<int:incident_id>/compose/resolution/": form(RESPONDER, 200),
    "desk/incidents/<int:incident_id>/compose/resolution/preview/": post(RESPONDER, 200),
    "desk/settings/checks/": form(ADMIN),
    # The brief and the customer-signal log.
    "desk/incidents/<int:incident_id>/brief/": read(VIEWER),
    "desk/incidents/<int:incident_id>/brief/answers/<slug:topic>/": form(RESPONDER),
    "desk/answers/<int:answer_id>/approve/": post(APPROVER),
    "desk/incidents/<int:incident_id>/signal/": read(VIEWER),
    "desk/incidents/<int:incident_id>/signal/log/": post(VIEWER),
    "desk/question-groups/<int:group_id>/answer/": form(RESPONDER),
    # The blameless review: viewers read it and its calendar file, responders change it.
    "desk/incidents/<int:incident_id>/review/": read(VIEWER),
    # Insights: every member reads them.
    "desk/insights/": read(VIEWER),
    "desk/incidents/<int:incident_id>/review/propose/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/review/writeup/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/review/checks/": post(RESPONDER, 200),
    "desk/incidents/<int:incident_id>/review/schedule/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/review/attendees/": post(RESPONDER),
    "desk/review-attendees/<int:attendee_id>/remove/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/review/held/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/review/invitation.ics": read(VIEWER),
    # Action items: shown on the incident page, changed by responders.
    "desk/incidents/<int:incident_id>/actions/": post(RESPONDER),
    "desk/actions/<int:action_id>/edit/": post(RESPONDER),
    "desk/actions/<int:action_id>/close/": post(RESPONDER),
    "desk/actions/<int:action_id>/status/": post(RESPONDER),
    # After the incident: the preliminary report drafted on demand, plan steps closed.
    "desk/incidents/<int:incident_id>/preliminary-report/": post(RESPONDER),
    "desk/plan-items/<slug:item_id>/not-needed/": post(RESPONDER),
    # Closing the loop: viewers read and log late questions, and an owner closes their own
    # follow-up (the viewer's here); responders keep key accounts and draft answers.
    "desk/accounts/": {**read(VIEWER), "POST": Rule(RESPONDER, 302)},
    "desk/accounts/export.csv": read(VIEWER),
    "desk/follow-ups/": read(VIEWER),
    "desk/follow-ups/<str:follow_up_id>/done/": post(VIEWER),
    # Handing a follow-up on or moving its date, and unlinking an account, are responders'.
    "desk/follow-ups/<str:follow_up_id>/edit/": form(RESPONDER),
    "desk/incidents/<int:incident_id>/key-accounts/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/key-accounts/<str:account_id>/unlink/": post(RESPONDER),
    "desk/incidents/<int:incident_id>/late-questions/": post(VIEWER),
    "desk/late-questions/<str:question_id>/answer/": post(RESPONDER),
    # Incident reports: viewers read and export them, responders draft them.
    "desk/incidents/<int:incident_id>/reports/": read(VIEWER),
    "desk/incidents/<int:incident_id>/reports/draft/": post(RESPONDER),
    r"^desk/reports/(?P<report_id>[a-z0-9]{12})/export\.(?P<fmt>md|html|pdf)$": read(VIEWER),
    # The public PDF exists only for a published customer report; the world's incident has none.
    r"^incidents/(?P<public_id>[a-z0-9]{12})/report\.pdf$": read(ANONYMOUS, 404),
    # Alert intake: the source's secret, never a person, lets a delivery in.
    "hooks/alertmanager/<str:source_id>/": {"POST": Rule(NOBODY, 0, refused=401)},
    "hooks/pagerduty/<str:source_id>/": {"POST": Rule(NOBODY, 0, refused=401)},
    "hooks/alertmanager/<str:source_id>": {"POST": Rule(NOBODY, 0, refused=401)},
    "hooks/pagerduty/<str:source_id>": {"POST": Rule(NOBODY, 0, refused=401)},
    # The public status page, its feeds and Statuspage-compatible JSON.
    "": read(ANONYMOUS),
    "history/": read(ANONYMOUS),
    r"^history/(?P<month>\d{4}-\d{2})/?$": read(ANONYMOUS),
    r"^incidents/(?P<public_id>[a-z0-9]{12})/?$": read(ANONYMOUS),
    r"^history\.(?P<kind>atom|rss)$": read(ANONYMOUS),
    r"^api/v2/(?P<doc>[a-z/-]+\.json)$": read(ANONYMOUS),
    "api/v2/openapi.json": read(ANONYMOUS),
    # The private API: a token (or a signed-in browser) with the right role.
    # The schema and its docs page answer whatever the method.
    "api/openapi.json": {m: Rule(ANONYMOUS, 200) for m in METHODS},
    "api/docs": {m: Rule(ANONYMOUS, 200) for m in METHODS},
    "api/": {m: Rule(ANONYMOUS, 404) for m in METHODS},
    "api/me": operations(GET=Rule(VIEWER, 200)),
    "api/incidents": operations(GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 201)),
    "api/incidents/<incident_id>": operations(GET=Rule(VIEWER, 200), PATCH=Rule(RESPONDER, 200)),
    "api/components": operations(GET=Rule(VIEWER, 200)),
    "api/components/<component_id>": operations(PATCH=Rule(RESPONDER, 200)),
    "api/incidents/<incident_id>/timeline": operations(
        GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 201)
    ),
    "api/incidents/<incident_id>/facts": operations(
        GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 201)
    ),
    "api/incidents/<incident_id>/facts/<fact_id>/settle": operations(POST=Rule(RESPONDER, 200)),
    "api/incidents/<incident_id>/updates": operations(
        GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 201)
    ),
    "api/updates/<update_id>": operations(GET=Rule(VIEWER, 200), PATCH=Rule(RESPONDER, 200)),
    "api/updates/<update_id>/publish": operations(POST=Rule(RESPONDER, 200)),
    "api/updates/<update_id>/approve": operations(POST=Rule(APPROVER, 200)),
    "api/incidents/<incident_id>/compose": operations(POST=Rule(RESPONDER, 200)),
    "api/checks": operations(POST=Rule(RESPONDER, 200)),
    "api/incidents/<incident_id>/actions": operations(
        GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 201)
    ),
    "api/actions": operations(GET=Rule(VIEWER, 200)),
    "api/actions/<action_id>": operations(GET=Rule(VIEWER, 200), PATCH=Rule(RESPONDER, 200)),
    "api/actions/<action_id>/close": operations(POST=Rule(RESPONDER, 200)),
    "api/incidents/<incident_id>/plan": operations(GET=Rule(VIEWER, 200)),
    "api/insights": operations(GET=Rule(VIEWER, 200)),
    "api/plan-items/<item_id>/not-needed": operations(POST=Rule(RESPONDER, 200)),
    "api/incidents/<incident_id>/preliminary-report": operations(POST=Rule(RESPONDER, 201)),
    "api/accounts": operations(GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 201)),
    "api/accounts/import": operations(POST=Rule(RESPONDER, 200)),
    "api/incidents/<incident_id>/accounts": operations(
        GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 201)
    ),
    "api/incidents/<incident_id>/followups": operations(GET=Rule(VIEWER, 200)),
    "api/incidents/<incident_id>/accounts/<account_id>": operations(DELETE=Rule(RESPONDER, 200)),
    "api/followups/<follow_up_id>": operations(PATCH=Rule(RESPONDER, 200)),
    "api/followups/<follow_up_id>/done": operations(POST=Rule(VIEWER, 200)),
    "api/incidents/<incident_id>/questions": operations(
        GET=Rule(VIEWER, 200), POST=Rule(VIEWER, 201)
    ),
    "api/incidents/<incident_id>/questions/<question_id>/answer": operations(
        POST=Rule(RESPONDER, 201)
    ),
    "api/subscribers": operations(GET=Rule(VIEWER, 200), POST=Rule(ADMIN, 201)),
    "api/subscribers/<subscriber_id>": operations(GET=Rule(VIEWER, 200), DELETE=Rule(ADMIN, 200)),
    "api/incidents/<incident_id>/review": operations(
        GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 200), PATCH=Rule(RESPONDER, 200)
    ),
    "api/incidents/<incident_id>/review/attendees": operations(POST=Rule(RESPONDER, 201)),
    "api/incidents/<incident_id>/review/attendees/<attendee_id>": operations(
        DELETE=Rule(RESPONDER, 200)
    ),
    "api/incidents/<incident_id>/review/held": operations(POST=Rule(RESPONDER, 200)),
    "api/incidents/<incident_id>/reports": operations(
        GET=Rule(VIEWER, 200), POST=Rule(RESPONDER, 201)
    ),
    "api/reports/<report_id>/publish": operations(POST=Rule(RESPONDER, 200)),
    "api/reports/<report_id>/export": operations(GET=Rule(VIEWER, 200)),
    # Subscribing: anyone; a subscription's signed links act on it without signing in.
    "subscribe": {**read(ANONYMOUS), "POST": Rule(ANONYMOUS, 200)},
    "subscribe/confirm/<str:token>": {**read(ANONYMOUS), "POST": Rule(ANONYMOUS, 200)},
    "subscriptions/<str:token>/": {**read(ANONYMOUS), "POST": Rule(ANONYMOUS, 200)},
    "subscriptions/<str:token>/unsubscribe": {**read(ANONYMOUS), "POST": Rule(ANONYMOUS, 200)},
    # The mail provider's bounce reports: none until ANYMAIL_WEBHOOK_SECRET is set.
    **{
        f"anymail/{provider}/tracking/": {m: Rule(NOBODY, 0, refused=404) for m in METHODS}
        for provider in (
            "amazon_ses",
            "brevo",
            "mailersend",
            "mailgun",
            "mailjet",
            "mailtrap",
            "postal",
            "postmark",
            "resend",
            "sendgrid",
            "sendinblue",
            "sparkpost",
            "unisender_go",
            "mandrill",
        )
    },
    # Any other address under /api/ answers 404 in the API's shape, to everybody.
    r"^api/(?P<rest>.*)$": {m: Rule(ANONYMOUS, 404) for m in METHODS},
}
ADMIN_ADDRESSES = ["/admin/", "/admin/incidents/incident/", "/admin/axes/accessattempt/"]
# Which of the world's objects an address names, where the parameter alone does not say.
TARGETS = {
    "api/updates/<update_id>/publish": {"update_id": "approved"},
    "desk/facts/<int:fact_id>/settle/": {"fact_id": "fact"},
    **{
        route: {"incident_id": "reviewed"}
        for route in (
            "desk/incidents/<int:incident_id>/review/",
            "desk/incidents/<int:incident_id>/review/propose/",
            "desk/incidents/<int:incident_id>/review/writeup/",
            "desk/incidents/<int:incident_id>/review/checks/",
            "desk/incidents/<int:incident_id>/review/schedule/",
            "desk/incidents/<int:incident_id>/review/attendees/",
            "desk/incidents/<int:incident_id>/review/held/",
            "desk/incidents/<int:incident_id>/review/invitation.ics",
            "api/incidents/<incident_id>/review",
            "api/incidents/<incident_id>/review/attendees",
            "api/incidents/<incident_id>/review/attendees/<attendee_id>",
            "api/incidents/<incident_id>/review/held",
        )
    },
    "api/incidents/<incident_id>/preliminary-report": {"incident_id": "resolved"},
    "api/incidents/<incident_id>/reports": {"incident_id": "resolved"},
    "desk/incidents/<int:incident_id>/reports/": {"incident_id": "resolved"},
    "desk/incidents/<int:incident_id>/reports/draft/": {"incident_id": "resolved"},
    "desk/incidents/<int:incident_id>/preliminary-report/": {"incident_id": "resolved"},
    "desk/incidents/<int:incident_id>/late-questions/": {"incident_id": "resolved"},
    "api/incidents/<incident_id>/questions": {"incident_id": "resolved"},
    "api/incidents/<incident_id>/questions/<question_id>/answer": {"incident_id": "resolved"},
    "desk/incidents/<int:incident_id>/key-accounts/<str:account_id>/unlink/": {
        "incident_id": "resolved"
    },
    "api/incidents/<incident_id>/accounts/<account_id>": {"incident_id": "resolved"},
}
SIGN_IN_OUT = {"login/", "logout/"}
ACTION_ITEM = {
    "outcome": "Rehearse the card gateway rollback in staging",
    "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
    "category": "rollback",
}


def routes(patterns, prefix=""):
    """(route, pattern) for every address of the URL conf; the admin as one entry."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield route, pattern
            else:
                yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def api_methods() -> dict[str, set[str]]:
    """Each API operation's methods, by the name its URL pattern carries (the operation id)."""
    methods: dict[str, set[str]] = {}
    for item in api.get_openapi_schema()["paths"].values():
        for method, operation in item.items():
            methods.setdefault(operation["operationId"], set()).add(method.upper())
    return methods


@dataclass
class World:
    """One of everything an address can name, made through the services people use."""

    objects: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.objects[name]


def build_world(people) -> World:
    world = World(people={VIEWER: people["support"], RESPONDER: people["comms"]})
    world.people[APPROVER] = people["commander"]
    world.people[ADMIN] = people["admin"]
    component = make_component("Payments")
    incident = make_incident(title="Card payments fail", components={component: "partial_outage"})
    writer = make_user("wren", "responder")  # wrote the texts: every persona is a second pair
    draft = draft_update(incident=incident, by=writer, body=CLEAN)
    approved = draft_update(incident=incident, by=writer, body=CLEAN)
    ava = make_user("ava", "approver")
    approve(approved, by=ava)
    fact = incidents.add_fact(incident=incident, by=writer, text="Is card data safe?")
    answer = brief.write_answer(
        incident=incident, topic="data_safe", by=writer, version=0, text="Card data is safe."
    )
    group = brief.log_signal(
        incident=incident, by=writer, kind="question", text="Was I charged twice?"
    ).group
    source, _ = make_alert_source()
    action = create_action_item(
        incident=incident,
        by=writer,
        outcome="Alert when card declines pass 5% for five minutes",
        owner=writer,
        due_date=timezone.localdate() + timedelta(days=7),
        category="detection",
    )
    subscriber = Subscriber.objects.create(email="bo@example.com")
    reviewed = make_incident(title="Exports failed", commander=people["commander"])
    publish(reviewed, "Exports work again for every customer.", status="resolved")
    review = reviews.propose_review(incident=reviewed, by=SYSTEM)
    attendee = reviews.add_attendee(review=review, by=SYSTEM, role="scribe", name="Ruth")
    # Resolved while no worker ran: nothing has proposed its review yet.
    unreviewed = make_incident(title="Imports failed")
    publish(unreviewed, "Imports work again for every customer.", status="resolved")
    # Resolved with no report or plan yet, and resolved with its first-week plan made.
    resolved = make_incident(title="Exports failed", status="resolved")
    planned = make_incident(title="Invoices were late", status="resolved")
    plan_item = plan.create_plan(incident=planned, by=SYSTEM)[0]
    key_account = loop_accounts.save_key_account(by=SYSTEM, name="Globex", owner=people["support"])
    loop_accounts.link_account(incident=resolved, account=key_account, by=SYSTEM)
    question = log_late_question(incident=resolved, by=SYSTEM, text="Was anyone charged twice?")
    # Reports drafted on the resolved incident, the plain customer one approved.
    report = draft_reports(incident=resolved, by=writer)[1]
    approve(report.update, by=ava)
    failed_delivery = Delivery.objects.create(
        event=OutboxEvent.objects.filter(incident_id=incident.pk).first(),
        subscriber=Subscriber.objects.create(email="kim@example.com", confirmed_at=timezone.now()),
        channel="email",
        state="failed",
        attempts=8,
        last_error="The mail server refused the address: 550 No such user",
    )
    world.objects = {
        "component": component,
        "incident": incident,
        "draft": draft,
        "approved": approved,
        "fact": fact,
        "answer": answer,
        "group": group,
        "source": source,
        "action": action,
        "subscriber": subscriber,
        "failed_delivery": failed_delivery,
        "reviewed": reviewed,
        "unreviewed": unreviewed,
        "review": review,
        "attendee": attendee,
        "resolved": resolved,
        "planned": planned,
        "plan_item": plan_item,
        "key_account": key_account,
        "follow_up": resolved.follow_ups.get(),
        "question": question,
        "report": report,
    }
    for persona in (VIEWER, RESPONDER, APPROVER, ADMIN):
        _, world.tokens[persona] = issue_token(user=world.people[persona], name="matrix", by=SYSTEM)
    return world


def parameters(route: str, world: World) -> dict[str, str]:
    """Values for the route's parameters, from the world's objects."""
    chosen = TARGETS.get(route, {})
    desk = "<int:" in route
    update = world[chosen.get("update_id", "draft")]
    incident = world[chosen.get("incident_id", "incident")]
    values = {
        "incident_id": incident.pk if desk else incident.public_id,
        "update_id": update.pk if desk else update.public_id,
        "fact_id": world[chosen.get("fact_id", "fact")].pk,
        "answer_id": world["answer"].pk,
        "group_id": world["group"].pk,
        "topic": "data_safe",
        "source_id": world["source"].public_id,
        "component_id": world["component"].public_id,
        "month": timezone.now().strftime("%Y-%m"),
        "public_id": world["incident"].public_id,
        "kind": "atom",
        "doc": "summary.json",
        "rest": "no-such-operation",
        "subscriber_id": world["subscriber"].public_id,
        "attendee_id": world["attendee"].pk,
        "action_id": world["action"].pk if desk else world["action"].public_id,
        "item_id": world["plan_item"].public_id,
        "follow_up_id": world["follow_up"].public_id,
        "account_id": world["key_account"].public_id,
        "question_id": world["question"].public_id,
        "report_id": world["report"].public_id,
        "fmt": "pdf",
        "token": confirm_token(world["subscriber"])
        if "confirm" in route
        else world["subscriber"].manage_token(),
    }
    return {name: str(value) for name, value in values.items()}


def address(route: str, pattern, world: World) -> str:
    values = parameters(route, world)
    if route.startswith("^"):
        import re

        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], route)
        path = path.strip("^$").replace("/?", "/").replace("\\.", ".")
    else:
        import re

        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], route)
    return "/" + path


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def body(route: str, method: str, world: World) -> dict:
    """A request that succeeds for whoever may make it."""
    incident, draft = world["incident"], world["draft"]
    started = local(timezone.now() - timedelta(minutes=20))
    record = {
        "title": "Card payments fail",
        "impact": "minor",
        "visibility": "public",
        "started_at": started,
        "segment_0_kind": "everyone",
    }
    bodies = {
        ("desk/incidents/new/", "POST"): record,
        ("desk/incidents/<int:incident_id>/edit/", "POST"): record,
        ("desk/incidents/<int:incident_id>/timeline/", "POST"): {
            "kind": "note",
            "text": "Paged the payments team.",
        },
        ("desk/incidents/<int:incident_id>/facts/", "POST"): {
            "kind": "question",
            "subject": "other",
            "text": "Which banks?",
        },
        ("desk/facts/<int:fact_id>/settle/", "POST"): {"status": "withdrawn"},
        ("desk/incidents/<int:incident_id>/updates/new/", "POST"): {
            "status": "investigating",
            "audience": "public",
            "body": CLEAN,
            "action": "draft",
        },
        ("desk/incidents/<int:incident_id>/resolve/", "POST"): {
            "audience": "public",
            "body": "Card payments work again for everyone since 10:40 UTC.",
            "action": "draft",
        },
        ("desk/incidents/<int:incident_id>/checks/", "POST"): {"body": CLEAN},
        ("desk/updates/<int:update_id>/edit/", "POST"): {
            "status": draft.status,
            "body": CLEAN + " We are sorry.",
            "version": draft.version,
            "content_hash": content_hash_of(draft),
            "action": "draft",
        },
        ("desk/settings/checks/", "POST"): check_settings_as_they_are(),
        ("desk/incidents/<int:incident_id>/brief/answers/<slug:topic>/", "POST"): {
            "version": world["answer"].version,
            "text": "Card data is safe: payments never reached us.",
        },
        ("desk/answers/<int:answer_id>/approve/", "POST"): {
            "content_hash": world["answer"].content_hash
        },
        ("desk/incidents/<int:incident_id>/signal/log/", "POST"): {
            "kind": "question",
            "text": "Is my order lost?",
        },
        ("desk/question-groups/<int:group_id>/answer/", "POST"): {
            "version": 0,
            "question": "Was I charged twice?",
            "text": "No. Declined payments are not charged.",
        },
        ("api/incidents", "POST"): {
            "title": "Checkout slow",
            "started_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        },
        ("api/incidents/<incident_id>", "PATCH"): {"title": "Card payments fail in the EU"},
        ("api/components/<component_id>", "PATCH"): {"status": "degraded_performance"},
        ("api/incidents/<incident_id>/timeline", "POST"): {"text": "Paged the bank."},
        ("api/incidents/<incident_id>/facts", "POST"): {"text": "Which banks?"},
        ("api/incidents/<incident_id>/facts/<fact_id>/settle", "POST"): {"status": "withdrawn"},
        ("api/incidents/<incident_id>/updates", "POST"): {"body": CLEAN},
        ("api/updates/<update_id>", "PATCH"): {
            "version": draft.version,
            "body": CLEAN + " We are sorry.",
        },
        ("api/updates/<update_id>/approve", "POST"): {"content_hash": content_hash_of(draft)},
        ("api/incidents/<incident_id>/compose", "POST"): {
            "kind": "update",
            "news": "The bank fixed its gateway.",
        },
        ("api/checks", "POST"): {"text": CLEAN, "incident": incident.public_id},
        ("desk/incidents/<int:incident_id>/actions/", "POST"): {
            **ACTION_ITEM,
            "owner": world["action"].owner_id,
        },
        ("desk/actions/<int:action_id>/edit/", "POST"): {
            **ACTION_ITEM,
            "owner": world["action"].owner_id,
        },
        ("desk/actions/<int:action_id>/close/", "POST"): {
            "status": "done",
            "evidence_note": "The alert fired in a rehearsal.",
        },
        ("desk/actions/<int:action_id>/status/", "POST"): {"status": "in_progress"},
        ("api/incidents/<incident_id>/actions", "POST"): {**ACTION_ITEM, "owner": "wren"},
        ("api/actions/<action_id>", "PATCH"): {"status": "in_progress"},
        ("api/actions/<action_id>/close", "POST"): {"evidence_note": "It fired in a rehearsal."},
        ("api/subscribers", "POST"): {"email": "ana@example.com"},
        ("desk/incidents/<int:incident_id>/review/writeup/", "POST"): {
            "version": world["review"].version,
            "done": "Renewed the certificate.",
        },
        ("desk/incidents/<int:incident_id>/review/checks/", "POST"): {
            "version": world["review"].version,
            "missed": "Nothing watched the expiry date.",
        },
        ("desk/incidents/<int:incident_id>/review/schedule/", "POST"): {
            "starts_at": local(world["review"].starts_at),
            "minutes": 60,
        },
        ("desk/incidents/<int:incident_id>/review/attendees/", "POST"): {
            "role": "subject_matter_expert",
            "name": "Lee Chan",
        },
        ("desk/incidents/<int:incident_id>/review/held/", "POST"): {"held_at": ""},
        ("api/incidents/<incident_id>/review", "PATCH"): {
            "version": world["review"].version,
            "done": "Renewed the certificate.",
        },
        ("api/incidents/<incident_id>/review/attendees", "POST"): {
            "role": "subject_matter_expert",
            "name": "Lee Chan",
        },
        ("api/plan-items/<item_id>/not-needed", "POST"): {"reason": "Said in the last update."},
        ("desk/plan-items/<slug:item_id>/not-needed/", "POST"): {"reason": "Said already."},
        ("desk/accounts/", "POST"): {
            "name": "Initech",
            "tier": "growth",
            "owner": world.people[VIEWER].pk,
        },
        ("desk/follow-ups/<str:follow_up_id>/done/", "POST"): {"note": "Called them."},
        ("desk/follow-ups/<str:follow_up_id>/edit/", "POST"): {
            "owner": world.people[RESPONDER].pk,
            "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
        ("desk/incidents/<int:incident_id>/key-accounts/", "POST"): {
            "account": world["key_account"].public_id
        },
        ("desk/incidents/<int:incident_id>/late-questions/", "POST"): {"text": "Why?"},
        ("desk/late-questions/<str:question_id>/answer/", "POST"): {"body": "Nobody was."},
        ("api/accounts", "POST"): {"name": "Initech", "owner": world.people[VIEWER].username},
        ("api/accounts/import", "POST"): {
            "csv": f"name,owner\nInitech,{world.people[VIEWER].username}\n"
        },
        ("api/incidents/<incident_id>/accounts", "POST"): {
            "account": world["key_account"].public_id
        },
        ("api/followups/<follow_up_id>/done", "POST"): {"note": "Called them."},
        ("api/followups/<follow_up_id>", "PATCH"): {"owner": world.people[RESPONDER].username},
        ("api/incidents/<incident_id>/questions", "POST"): {"text": "Why?"},
        ("api/incidents/<incident_id>/questions/<question_id>/answer", "POST"): {
            "body": "Nobody was charged twice."
        },
        ("subscribe", "POST"): {"channel": "email", "email": "ana@example.com"},
        ("subscriptions/<str:token>/", "POST"): {"action": "save"},
        ("subscriptions/<str:token>/unsubscribe", "POST"): {"List-Unsubscribe": "One-Click"},
    }
    return bodies.get((route, method), {})


def check_settings_as_they_are() -> dict:
    """The check settings form as an admin would post it unchanged."""
    settings_form = CheckSettingsForm(org=Organisation.current())
    data = {}
    for name in settings_form.fields:
        value = settings_form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def is_api(route: str) -> bool:
    return route.startswith("api/")


def refused(route: str, persona: str, response, rule: Rule) -> str | None:
    """None if the response is the refusal this persona should get, else what was wrong."""
    status = response.status_code
    if rule.refused is not None:
        return None if status == rule.refused else f"expected {rule.refused}, got {status}"
    if route == "admin/":
        at = response.get("Location", "")
        ok = status == 302 and at.startswith("/admin/login/")
        return None if ok else f"expected a redirect to /admin/login/, got {status} {at}"
    if persona == ANONYMOUS:
        if is_api(route):
            return None if status == 401 else f"expected 401, got {status}"
        at = response.get("Location", "")
        ok = status == 302 and at.startswith("/login/")
        return None if ok else f"expected a redirect to /login/, got {status} {at}"
    return None if status in (403, 404) else f"expected 403 or 404, got {status}"


class Requester:
    def __init__(self, world: World):
        self.world = world
        self.clients = {ANONYMOUS: Client()}
        for persona in (VIEWER, RESPONDER, APPROVER, ADMIN):
            client = Client()
            client.force_login(world.people[persona])
            self.clients[persona] = client
        self.bare = Client()

    def client(self, route: str, persona: str) -> Client:
        """The persona's browser; for signing in and out a fresh one, so it stays signed in."""
        if route in SIGN_IN_OUT and persona != ANONYMOUS:
            client = Client()
            client.force_login(self.world.people[persona])
            return client
        return self.clients[persona]

    def send(self, route: str, persona: str, method: str, path: str, data: dict, client=None):
        if is_api(route):
            headers = {}
            if persona != ANONYMOUS:
                headers["Authorization"] = f"Bearer {self.world.tokens[persona]}"
            import json

            return self.bare.generic(
                method,
                path,
                data=json.dumps(data) if data else "",
                content_type="application/json",
                headers=headers,
            )
        client = client or self.client(route, persona)
        if method in ("GET", "HEAD"):
            return client.generic(method, path)
        return client.generic(
            method,
            path,
            data=_encoded(data),
            content_type="application/x-www-form-urlencoded",
        )


def _encoded(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


class Rollback(Exception):
    pass


def in_savepoint(act):
    """Run `act` and undo whatever it wrote; its result comes back."""
    result = {}
    try:
        with transaction.atomic():
            result["value"] = act()
            raise Rollback
    except Rollback:
        pass
    return result["value"]


@pytest.fixture
def world(people):
    return build_world(people)


def test_every_address_has_a_rule():
    """A new view must say who may use it: add its line to RULES."""
    missing = [route for route, _ in routes(get_resolver().url_patterns) if route not in RULES]
    assert not missing, "No permission rule for: " + ", ".join(missing)
    known = {route for route, _ in routes(get_resolver().url_patterns)}
    stale = sorted(set(RULES) - known)
    assert not stale, "Rules for addresses that no longer exist: " + ", ".join(stale)


def test_every_api_operation_s_methods_are_in_the_rules():
    operations = api_methods()
    for route, pattern in routes(get_resolver().url_patterns):
        if getattr(pattern, "name", None) in operations:
            assert operations[pattern.name] <= set(RULES[route]), (route, pattern.name)


@pytest.mark.slow
def test_every_address_answers_each_persona_as_the_rules_say(world, django_assert_max_num_queries):
    requester = Requester(world)
    problems, counts = [], {"urls": 0, "cells": 0, "writes": 0}
    seen = set()
    for route, pattern in routes(get_resolver().url_patterns):
        if route not in RULES:
            problems.append(f"{route}: no permission rule; add its line to RULES")
            continue
        paths = ADMIN_ADDRESSES if route == "admin/" else [address(route, pattern, world)]
        for path in paths:
            if path in seen:
                continue
            seen.add(path)
            counts["urls"] += 1
            for method in METHODS:
                rule = RULES[route].get(method)
                if rule is None:
                    check_not_allowed(requester, route, method, path, problems)
                    continue
                for persona in PERSONAS:
                    counts["cells"] += 1
                    counts["writes"] += method in WRITES
                    problem = check_cell(requester, route, rule, persona, method, path)
                    if problem:
                        problems.append(f"{method} {path} as {persona}: {problem}")
    print(
        f"\npermission matrix: {counts['urls']} URLs, {counts['cells']} cells, "
        f"{counts['writes']} writes"
    )
    assert not problems, "\n".join(problems)


def check_cell(requester, route, rule, persona, method, path) -> str | None:
    allowed = rule.lowest != NOBODY and PERSONAS.index(persona) >= PERSONAS.index(rule.lowest)
    data = body(route, method, requester.world)

    response, changed = in_savepoint(
        lambda: sent(requester, route, persona, method, path, data, watch=not allowed)
    )
    if allowed:
        if response.status_code != rule.status:
            said = response.content[:300].decode(errors="replace") if is_api(route) else ""
            return f"expected {rule.status}, got {response.status_code} {said}".rstrip()
        return None
    problem = refused(route, persona, response, rule)
    if problem:
        return problem
    if changed:
        return "refused, yet changed:\n  " + "\n  ".join(changed)
    return None


def sent(requester, route, persona, method, path, data, *, watch: bool):
    """The response, and what a write changed if `watch` (every row and snapshot file)."""
    client = None if is_api(route) else requester.client(route, persona)
    before = state() if watch and method in WRITES else None
    response = requester.send(route, persona, method, path, data, client)
    return response, differences(before, state()) if before is not None else []


def check_not_allowed(requester, route, method, path, problems):
    """A method the rules leave out is not served, even to an admin."""
    if route == "admin/":
        return
    data = body(route, method, requester.world)
    response, changed = in_savepoint(
        lambda: sent(requester, route, ADMIN, method, path, data, watch=True)
    )
    if response.status_code != 405:
        problems.append(
            f"{method} {path}: not in the rules, yet answered {response.status_code} (not 405)"
        )
    if changed:
        problems.append(f"{method} {path}: answered 405, yet changed:\n  " + "\n  ".join(changed))
