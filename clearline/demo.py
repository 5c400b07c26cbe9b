"""The demo company: Tallyhouse, an invoicing and payments service, and 90 days of its history.

Every incident goes through the same services a person would use, so the demo exercises the real
publish path and the audit log.
"""

import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.accounts.roles import ADMIN, APPROVER, RESPONDER, VIEWER, grant
from clearline.brief import demo as brief_demo
from clearline.incidents import services as incidents
from clearline.incidents.models import Component, ComponentGroup, Incident, Maintenance
from clearline.loop import demo as loop_demo
from clearline.loop.followups import due_date_from
from clearline.reviews import demo as reviews_demo
from clearline.reviews import demo_actions, demo_review
from clearline.reviews.reports import demo as reports_demo
from clearline.updates.services import approve_and_publish, content_hash_of, draft_update

GROUPS = {
    "Product": [
        ("Web app", "Invoices, customers and settings in the browser"),
        ("Mobile apps", "iOS and Android"),
        ("Reporting dashboards", "Revenue and cash-flow reports"),
    ],
    "Payments": [
        ("Card payments", "Cards taken on invoices and checkout links"),
        ("Bank transfers", "Direct debit and bank payouts"),
        ("Payouts", "Transfers of collected money to your bank account"),
    ],
    "Integrations": [
        ("Public API", "REST API and client libraries"),
        ("Webhooks", "Event delivery to your endpoints"),
        ("Accounting sync", "Exports to bookkeeping tools"),
    ],
}
# A drill's practice notes are not customer updates: the approver overrides the checks on them,
# which is how the desk shows an override and its reason.
DRILL_OVERRIDE = (
    "Practice run in a drill: a short note for the team, never published to customers, so the "
    "checks for customer updates do not apply."
)
UNGROUPED = [
    ("Sign-in and single sign-on", "Passwords, SAML and Google sign-in"),
    ("Email delivery", "Invoice and reminder emails to your customers"),
]

# The facts the commander confirmed in each incident's ledger: the updates' claims rest on them.
FACTS = {
    "Invoice emails delivered late": [
        ("cause", "A routine change to the outgoing mail queue's settings left it with a backlog."),
    ],
    "Card payments declined for some EU customers": [
        ("data_safety", "Payment logs show no card was charged twice and no card data was read."),
    ],
    "Reporting dashboards show yesterday's numbers": [
        ("data_safety", "Dashboard totals match invoice records; the refresh job only reads data."),
    ],
    "Web app slow to load invoices": [
        ("cause", "This morning's migration dropped the index on invoice searches."),
        ("data_safety", "Rebuilding an index reads the invoice table; no rows were changed."),
    ],
}

# (days ago, hours long, title, impact, components, segments, still works, updates)
# Each update: (minutes after start, status, text). The latest's days ago (None) are counted
# when the demo is loaded: see latest_days_ago.
HISTORY = [
    (
        None,
        1.5,
        "Invoice emails delivered late",
        "minor",
        {"Email delivery": "degraded_performance"},
        [("everyone", "")],
        "Invoices can still be created, viewed and paid through their links.",
        [
            (
                12,
                "investigating",
                "Invoice and reminder emails to all customers are arriving 20 to 40 minutes late. "
                "Invoices are still created and can be paid through their links; only the email is "
                "slow. Our messaging team is investigating. Next update by {t+40}.",
            ),
            (
                50,
                "identified",
                "Invoice and reminder emails are still arriving up to 40 minutes late. We found "
                "the cause: a backlog in our outgoing mail queue after a "
                "routine configuration change at {t+0}. We have reverted the change and the backlog "
                "is shrinking. Emails still in the queue will be sent; you do not need to resend them. "
                "Next update by {t+90}.",
            ),
            (
                90,
                "resolved",
                "All delayed emails have been sent and new emails arrive within a "
                "minute again. We confirmed this by sending test invoices every five minutes for the "
                "last half hour and checking delivery times. Invoice data and payments were not "
                "affected.",
            ),
        ],
    ),
    (
        11,
        2.5,
        "Card payments declined for some EU customers",
        "major",
        {"Card payments": "partial_outage"},
        [("region", "European Union")],
        "Bank transfers and payments from outside the EU work normally.",
        [
            (
                9,
                "investigating",
                "Some customers paying by card from EU-issued cards see the "
                "payment declined with a generic error. Cards issued outside the EU and bank transfers "
                "work normally. If a payment failed, your customer can retry by bank transfer. Our "
                "payments team, led by the on-call payments lead, is investigating. Next update by "
                "{t+30}.",
            ),
            (
                38,
                "identified",
                "Declines come from a certificate that expired on the connection to "
                "one of our EU card processors. We are installing the renewed certificate now. No "
                "card was charged twice. Next update by {t+70}.",
            ),
            (
                75,
                "monitoring",
                "The renewed certificate is in place and EU card payments are "
                "succeeding again. We are watching approval rates before we call this resolved. Next "
                "update by {t+150}.",
            ),
            (
                150,
                "resolved",
                "EU card payments have worked normally since {t+75}. Approval rates "
                "have matched the usual level for over an hour, and we retried a sample of the "
                "failed payments ourselves to confirm. No payment was charged twice and no card data "
                "was exposed. We are adding an alert on certificate expiry dates for every processor "
                "connection.",
            ),
        ],
    ),
    (
        24,
        0.75,
        "Reporting dashboards show yesterday's numbers",
        "minor",
        {"Reporting dashboards": "degraded_performance"},
        [("feature", "Reporting dashboards")],
        "Invoices, payments and exports are up to date.",
        [
            (
                15,
                "investigating",
                "Revenue and cash-flow dashboards show figures up to yesterday "
                "evening only, for every account. Invoices, payments and exports are current; only the dashboards lag. "
                "Next update by {t+45}.",
            ),
            (
                45,
                "resolved",
                "Dashboards that showed yesterday's figures are current again after the nightly refresh job was "
                "restarted at {t+35}. We compared dashboard totals with invoice records for a sample "
                "of accounts and they match. No data was changed or lost.",
            ),
        ],
    ),
    (
        37,
        3.0,
        "Web app slow to load invoices",
        "major",
        {"Web app": "degraded_performance", "Public API": "degraded_performance"},
        [("everyone", "")],
        "Payments, payouts and emails are working normally.",
        [
            (
                7,
                "investigating",
                "Opening an invoice or the customer list takes 10 to 30 seconds "
                "in the web app, and API requests are slower than usual. Payments and emails work "
                "normally. Our platform team is investigating. Next update by {t+30}.",
            ),
            (
                40,
                "identified",
                "A database index was dropped by a migration in this morning's "
                "release, which slows invoice searches. We are rebuilding it; pages will speed up as "
                "it completes. Next update by {t+100}.",
            ),
            (
                110,
                "monitoring",
                "The index is rebuilt and invoices and the customer list open in under a second "
                "again. "
                "We are watching response times. Next update by {t+180}.",
            ),
            (
                180,
                "resolved",
                "Invoices and the customer list, which were slow to open this morning, have "
                "opened in under a second for over an hour. We confirmed by "
                "timing the slowest invoice searches from the morning again. No data was affected. "
                "Our release checks now compare index definitions before a migration runs.",
            ),
        ],
    ),
    (
        52,
        1.0,
        "Webhook deliveries delayed",
        "minor",
        {"Webhooks": "degraded_performance"},
        [("feature", "Webhook endpoints")],
        "The API and web app are not affected.",
        [
            (
                10,
                "investigating",
                "Webhook events are delivered up to 25 minutes late for all customers. No events "
                "are lost: every delayed event will arrive in order. The API and web app are not "
                "affected. Next update by {t+40}.",
            ),
            (
                60,
                "resolved",
                "The delivery backlog cleared at {t+52} and new events arrive within "
                "seconds. We checked that every delayed event was delivered by comparing sent and "
                "acknowledged counts. No action is needed on your side.",
            ),
        ],
    ),
    (
        68,
        4.0,
        "Payouts to UK bank accounts held",
        "critical",
        {"Payouts": "major_outage"},
        [("region", "United Kingdom")],
        "Collecting payments works; only payouts to UK banks wait.",
        [
            (
                20,
                "investigating",
                "Payouts to UK bank accounts due today have not left; they are held in your "
                "balance. Payments from your customers are still collected. Payouts "
                "to other countries are on time. Our payments team is working with our UK banking "
                "partner. Next update by {t+50}.",
            ),
            (
                75,
                "identified",
                "UK payouts due today are still held: a file sent to our UK banking partner was "
                "rejected because of a "
                "formatting change on our side. We have corrected the file and are resending it. "
                "Next update by {t+140}.",
            ),
            (
                150,
                "monitoring",
                "The corrected payout file was accepted. Held UK payouts should reach UK "
                "accounts today. We are confirming receipt with the partner. Next update by {t+240}.",
            ),
            (
                240,
                "resolved",
                "All held UK payouts were sent and the banking partner confirmed "
                "receipt of every one. Balances are correct and nothing was paid twice. We now "
                "validate every payout file against the partner's test service before sending.",
            ),
        ],
    ),
    (
        81,
        0.5,
        "Sign-in with Google failing",
        "major",
        {"Sign-in and single sign-on": "partial_outage"},
        [("feature", "Google sign-in")],
        "Password and SAML sign-in work.",
        [
            (
                6,
                "investigating",
                "Signing in with Google shows an error page. Password and SAML "
                "sign-in work; if you are locked out, use 'Forgot password' to set one. Next update by "
                "{t+25}.",
            ),
            (
                30,
                "resolved",
                "Google sign-in works again since {t+24}, after we restored a "
                "redirect address removed by mistake. We confirmed by signing in with test accounts on "
                "web and mobile. Accounts and sessions were not affected.",
            ),
        ],
    ),
]


def has_data() -> bool:
    return Component.objects.exists() or Incident.objects.exists()


def _text(template: str, start: datetime, zone) -> str:
    out = template
    for marker in {part.split("}")[0] for part in template.split("{t+")[1:]}:
        at = (start + timedelta(minutes=int(marker))).astimezone(zone)
        out = out.replace("{t+" + marker + "}", f"{at:%H:%M} {at.tzname()}")
    return out


def _incident(
    org,
    components,
    now,
    days_ago,
    hours,
    title,
    impact,
    affected,
    segments,
    still_works,
    updates,
    people,
    *,
    resolved=True,
):
    start = _start(now, days_ago)
    incident = incidents.open_incident(
        by=people["sam"],
        title=title,
        started_at=start,
        impact=impact,
        still_works=still_works,
        detected_at=start + timedelta(minutes=4),
        commander=people["dana"],
        comms_owner=people["sam"],
        components={components[n]: s for n, s in affected.items()},
        segments=segments,
    )
    incidents.add_timeline_entry(
        incident=incident,
        by=people["dana"],
        kind="noticed",
        occurred_at=start + timedelta(minutes=4),
        text="Alert fired and the on-call engineer confirmed it.",
    )
    for subject, text in FACTS.get(title, ()):
        incidents.add_fact(
            incident=incident, by=people["dana"], kind="fact", subject=subject, text=text
        )
    for minutes, status, template in updates:
        at = start + timedelta(minutes=minutes)
        # The stored promise is the one the text makes, so the desk's lateness matches the story.
        promised = re.search(r"Next update by \{t\+(\d+)\}", template)
        due = start + timedelta(minutes=int(promised[1])) if promised else None
        update = draft_update(
            incident=incident,
            by=people["sam"],
            status=status,
            body=_text(template, start, org.zone),
            next_update_due=due,
        )
        _approve_and_publish(update, people["dana"], at)
    return incident


def _start(now: datetime, days_ago: int) -> datetime:
    return (now - timedelta(days=days_ago)).replace(minute=12, second=0, microsecond=0)


def latest_days_ago(now: datetime) -> int:
    """How many days before `now` the latest resolved incident starts: three or more, and far
    enough back in the organisation's business days that its key accounts' follow-ups are
    already overdue, whatever the weekday, hour or holiday the demo is loaded on. Each link is
    taken as made a whole day after the start, later than any of the demo's incidents ends."""
    today = timezone.localdate(now, Organisation.current().zone)
    # Never as old as the next incident back: the latest must stay the latest (with many
    # business days set for follow-ups, it is then simply not overdue yet).
    oldest = min(row[0] for row in HISTORY if row[0] is not None) - 1
    days = 3
    while days < oldest and due_date_from(_start(now, days) + timedelta(days=1)) >= today:
        days += 1
    return days


def _approve_and_publish(update, approver, at: datetime, override_reason: str = "") -> None:
    """The commander approves the text she read and publishes it, as in the desk.

    The customer updates pass the checks as written; only a drill's practice notes need an
    override, and its reason is kept with them.
    """
    approve_and_publish(
        update=update,
        by=approver,
        content_hash=content_hash_of(update),
        override_reason=override_reason,
        now=at,
    )


def make_components() -> dict[str, Component]:
    """Tallyhouse's components in their groups, by name (the benchmark's page uses them too)."""
    components = {}
    position = 0
    for g_pos, (group_name, members) in enumerate(GROUPS.items()):
        group = ComponentGroup.objects.create(name=group_name, position=g_pos)
        for name, description in members:
            position += 1
            components[name] = Component.objects.create(
                name=name, description=description, group=group, position=position
            )
    for name, description in UNGROUPED:
        position += 1
        components[name] = Component.objects.create(
            name=name, description=description, position=len(GROUPS) + position
        )
    return components


def load(*, now: datetime | None = None) -> None:
    """Load the demo as it stands at `now` (this moment unless given)."""
    now = now or timezone.now()
    with transaction.atomic():
        people = _people()
        org = Organisation.current()
        org.name, org.time_zone = "Tallyhouse", "Europe/London"
        org.holiday_country, org.holiday_subdivision = "GB", "ENG"
        org.support_email = "help@tallyhouse.example"
        org.save()
        components = make_components()
        latest_days = latest_days_ago(now)
        history = [
            _incident(org, components, now, days or latest_days, *row, people)
            for days, *row in HISTORY
        ]
        # The most recent resolved public incident carries the after-incident work: its
        # record and review, then the preliminary report and plan drafted from that record.
        latest = Incident.objects.filter(
            pk__in=[i.pk for i in history], is_drill=False, visibility="public"
        ).latest("resolved_at")
        demo_review.load(incident=latest, people=people, now=now)
        reviews_demo.load(incident=latest, people=people)
        demo_actions.load(incident=latest, people=people, now=now)
        reports_demo.load(incident=latest, people=people, now=now)
        loop_demo.load(incident=latest, people=people, now=now)
        _active(org, components, now, people)
        _private(components, now, people)
        Maintenance.objects.create(
            title="Database upgrade for reporting",
            description="Reporting dashboards will be read-only for up to 30 minutes while we "
            "upgrade their database. Invoices, payments and the API are not affected.",
            scheduled_for=(now + timedelta(days=4)).replace(
                hour=6, minute=0, second=0, microsecond=0
            ),
            scheduled_until=(now + timedelta(days=4)).replace(
                hour=6, minute=30, second=0, microsecond=0
            ),
        ).components.set([components["Reporting dashboards"]])


def _active(org, components, now, people) -> None:
    start = now - timedelta(minutes=47)
    incident = incidents.open_incident(
        by=people["sam"],
        title="Bank transfer payments not marked as paid",
        impact="major",
        started_at=start,
        detected_at=start + timedelta(minutes=6),
        commander=people["dana"],
        comms_owner=people["sam"],
        components={components["Bank transfers"]: "partial_outage"},
        segments=[("feature", "bank transfer payments")],
        still_works="Card payments, invoicing and payouts work normally.",
    )
    incidents.add_fact(
        incident=incident,
        by=people["dana"],
        kind="fact",
        subject="data_safety",
        text="Incoming transfers are received and recorded by the bank feed.",
    )
    incidents.add_fact(
        incident=incident,
        by=people["dana"],
        kind="question",
        subject="cause",
        text="Is the matching delay caused by the bank feed's new file format?",
    )
    incidents.add_timeline_entry(
        incident=incident,
        by=people["dana"],
        kind="noticed",
        occurred_at=start + timedelta(minutes=6),
        text="Support saw three tickets about unpaid invoices in 5 min.",
    )
    first = start + timedelta(minutes=14)
    body = _text(
        "Invoices paid by bank transfer since {t+0} are still shown as unpaid. The money has "
        "arrived and is recorded; only the matching to invoices is delayed, so no reminder "
        "emails will be sent for these invoices. Card payments, invoicing and payouts work "
        "normally. You do not need to do anything. Our payments team, led by Dana Reyes, is "
        "investigating. Next update by {t+44}.",
        start,
        org.zone,
    )
    update = draft_update(
        incident=incident,
        by=people["sam"],
        status="investigating",
        body=body,
        next_update_due=first + timedelta(minutes=30),
    )
    _approve_and_publish(update, people["dana"], first)
    brief_demo.load(incident=incident, people=people, start=start)


def _private(components, now, people) -> None:
    """An internal incident and a drill: visible in the desk, never on the public page."""
    internal = incidents.open_incident(
        by=people["sam"],
        title="Staging database disk nearly full",
        impact="none",
        visibility="internal",
        started_at=now - timedelta(days=2),
        components={components["Reporting dashboards"]: "degraded_performance"},
    )
    note = draft_update(
        incident=internal,
        by=people["sam"],
        status="resolved",
        audience="internal",
        body="Old snapshots removed; 60% free again.",
    )
    _approve_and_publish(note, people["dana"], now - timedelta(days=2, hours=-1))
    # The drill's response times stand beside the real incidents' on the insights page: first
    # update after 6 minutes, the next 19 minutes later, resolved on time 46 minutes in.
    drill = incidents.open_incident(
        by=people["sam"],
        title="Drill: payouts delayed for all regions",
        impact="critical",
        is_drill=True,
        started_at=now - timedelta(days=6, minutes=6),
        components={components["Payouts"]: "major_outage"},
    )
    practice = draft_update(
        incident=drill,
        by=people["sam"],
        status="investigating",
        body="Practice run: payouts are delayed for every region.",
    )
    _approve_and_publish(practice, people["dana"], now - timedelta(days=6), DRILL_OVERRIDE)
    found = draft_update(
        incident=drill,
        by=people["sam"],
        status="identified",
        body="Practice run: the payout batch job stopped; restarting it.",
    )
    _approve_and_publish(
        found, people["dana"], now - timedelta(days=6, minutes=-19), DRILL_OVERRIDE
    )
    done = draft_update(
        incident=drill,
        by=people["sam"],
        status="resolved",
        body="Practice run over: first update went out in 6 minutes.",
    )
    _approve_and_publish(done, people["dana"], now - timedelta(days=6, minutes=-40), DRILL_OVERRIDE)


DEMO_PEOPLE = [
    ("admin", "Alex Admin", ADMIN, True),
    ("dana", "Dana Reyes", APPROVER, False),
    ("sam", "Sam Okafor", RESPONDER, False),
    ("vic", "Vic Lind", VIEWER, False),
]


def _people() -> dict:
    User = get_user_model()
    people = {}
    for username, full_name, role, superuser in DEMO_PEOPLE:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@tallyhouse.example",
            },
        )
        if superuser and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save()
        grant(user, role)
        people[username] = user
    return people


def ensure_logins() -> list[str]:
    """Give the demo people a password (kept in var/demo-logins, mode 600) and list them."""
    store = settings.VAR_DIR / "demo-logins"
    password = store.read_text().strip() if store.exists() else secrets.token_urlsafe(12)
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    store.write_text(password + "\n")
    store.chmod(0o600)
    people = _people()
    lines = ["clearline demo logins (password for all: " + password + "):"]
    for username, full_name, role, _ in DEMO_PEOPLE:
        user = people[username]
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        lines.append(f"  {username:6} {full_name:12} role {role}")
    lines.append(f"  admin site: {settings.SITE_URL}/admin/   desk: {settings.SITE_URL}/desk/")
    return lines
