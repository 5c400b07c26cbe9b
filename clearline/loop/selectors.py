"""What the desk, the API, the reminder check and the command line read of the loop."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.incidents.models import Incident, IncidentStatus
from clearline.loop.models import (
    FollowUp,
    FollowUpState,
    IncidentAccount,
    KeyAccount,
    LateQuestion,
    name_key,
)
from clearline.updates.models import Audience, Update, UpdateKind, UpdateState

# The external incident report's kind (clearline.reviews.reports): the text customers forward.
REPORT_KIND = "report"


def today(*, now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now(), Organisation.current().zone)


def overdue_from(due_date: date) -> datetime:
    """The moment a follow-up due on `due_date` goes overdue: its day is over in the org zone."""
    zone = Organisation.current().zone
    return datetime.combine(due_date + timedelta(days=1), time.min, tzinfo=zone)


def key_accounts(*, named: str = "") -> QuerySet[KeyAccount]:
    """Every key account by name; those whose name holds `named`, compared as names are."""
    rows = KeyAccount.objects.select_related("owner").order_by("name_key")
    key = name_key(named)
    return rows.filter(name_key__contains=key) if key else rows


def key_account(public_id: str) -> KeyAccount | None:
    return key_accounts().filter(public_id=public_id).first()


def linked_accounts(incident: Incident) -> QuerySet[IncidentAccount]:
    return IncidentAccount.objects.filter(incident=incident).select_related(
        "account__owner", "linked_by"
    )


def linked_account(incident: Incident, account_id: str) -> IncidentAccount | None:
    """The incident's link to the key account whose id is `account_id`, if it is linked."""
    return linked_accounts(incident).filter(account__public_id=account_id).first()


def follow_ups(
    *,
    incident: Incident | None = None,
    owner=None,
    overdue: bool | None = None,
    on: date | None = None,
) -> QuerySet[FollowUp]:
    """Follow-ups, soonest due first; of one incident, of one owner, overdue or not on `on`."""
    rows = FollowUp.objects.select_related("incident", "account", "owner", "done_by")
    if incident is not None:
        rows = rows.filter(incident=incident)
    if owner is not None:
        rows = rows.filter(owner=owner)
    if overdue is not None:
        late = {"state": FollowUpState.OPEN, "due_date__lt": on or today()}
        rows = rows.filter(**late) if overdue else rows.exclude(**late)
    return rows.order_by("state", "due_date", "id")


def follow_up(public_id: str) -> FollowUp | None:
    return follow_ups().filter(public_id=public_id).first()


def is_overdue(item: FollowUp, *, on: date) -> bool:
    return item.state == FollowUpState.OPEN and item.due_date < on


def listed(items, *, on: date | None = None) -> list[FollowUp]:
    """The follow-ups with `overdue` set on each, for the desk to mark."""
    on = on or today()
    found = list(items)
    for item in found:
        item.overdue = is_overdue(item, on=on)
    return found


@dataclass(frozen=True)
class StartingText:
    """The approved words a follow-up starts from, and what they are."""

    label: str
    update: Update


def starting_text(incident: Incident) -> StartingText | None:
    """The latest approved customer text: the published external report if there is one, else
    the preliminary report, else the resolution. Read when shown, so a report published after
    the follow-up was made is what its owner sees."""
    published = Update.objects.filter(
        incident=incident, state=UpdateState.PUBLISHED, audience=Audience.PUBLIC
    ).order_by("-published_at", "-id")
    for kind, label in (
        (REPORT_KIND, "The published incident report"),
        (UpdateKind.PRELIMINARY, "The published preliminary report"),
    ):
        text = published.filter(kind=kind).first()
        if text is not None:
            return StartingText(label, text)
    resolution = published.filter(kind=UpdateKind.UPDATE, status=IncidentStatus.RESOLVED).first()
    return StartingText("The published resolution", resolution) if resolution else None


def late_questions(incident: Incident) -> QuerySet[LateQuestion]:
    return LateQuestion.objects.filter(incident=incident).select_related(
        "addendum__approver", "logged_by"
    )


def late_question(incident: Incident, public_id: str) -> LateQuestion | None:
    return late_questions(incident).filter(public_id=public_id).first()


def question_state(question: LateQuestion) -> str:
    """open (no answer yet), draft, approved or published: where its answer stands."""
    return question.addendum.state if question.addendum_id else "open"
