"""What the brief and the customer-signal page read. Desk only: public surfaces read FAQ
answers through clearline.statuspage.selectors."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from clearline.brief.models import (
    HARD_QUESTIONS,
    Answer,
    CustomerSignal,
    CustomerSignalKind,
    QuestionGroup,
    Topic,
)
from clearline.incidents.models import Fact, FactKind, FactStatus, Incident
from clearline.updates.models import Update
from clearline.updates.selectors import public_updates


@dataclass
class HardQuestion:
    topic: Topic
    answer: Answer | None

    @property
    def question(self) -> str:
        return self.topic.label

    @property
    def approved(self) -> bool:
        return self.answer is not None and self.answer.is_approved


@dataclass
class Brief:
    incident: Incident
    status: Update | None
    questions: list[HardQuestion]
    faq: list[Answer]
    open_questions: list[Fact]
    drafts: list[Answer] = field(default_factory=list)

    @property
    def approved_answers(self) -> list[Answer]:
        return [q.answer for q in self.questions if q.approved and q.answer]


def current_status(incident: Incident) -> Update | None:
    """The approved version of the truth: the latest update published to customers."""
    return public_updates(incident).first()


def open_questions(incident: Incident) -> list[Fact]:
    """Questions the facts ledger still holds open: what nobody may state yet."""
    return list(
        incident.facts.filter(kind=FactKind.QUESTION, status=FactStatus.OPEN).order_by(
            "created_at", "id"
        )
    )


def _answers(incident: Incident) -> QuerySet[Answer]:
    return Answer.objects.filter(incident=incident).select_related("approver", "author", "group")


def brief_of(incident: Incident) -> Brief:
    answers = list(_answers(incident).annotate(asked=Count("group__signals")))
    by_topic = {a.topic: a for a in answers if a.topic != Topic.FAQ}
    faq = [a for a in answers if a.topic == Topic.FAQ]
    return Brief(
        incident=incident,
        status=current_status(incident),
        questions=[HardQuestion(topic, by_topic.get(topic)) for topic in HARD_QUESTIONS],
        faq=sorted((a for a in faq if a.is_approved), key=lambda a: (-a.asked, a.created_at, a.pk)),
        open_questions=open_questions(incident),
        drafts=[a for a in faq if not a.is_approved],
    )


def hard_question(incident: Incident, topic: Topic) -> HardQuestion:
    return HardQuestion(topic, _answers(incident).filter(topic=topic).first())


def question_groups(incident: Incident) -> list[QuestionGroup]:
    """Questions customers ask, the most asked first, each with the accounts asking."""
    groups = (
        QuestionGroup.objects.filter(incident=incident)
        .annotate(asked=Count("signals"))
        .prefetch_related(
            Prefetch(
                "signals",
                queryset=CustomerSignal.objects.order_by("reported_at", "id"),
                to_attr="wordings",
            )
        )
        .select_related("answer")
        .order_by("-asked", "created_at", "id")
    )
    groups = list(groups)
    for group in groups:
        # One entry per account however it was typed, spelled as first logged.
        accounts = {}
        for signal in group.wordings:
            if signal.account:
                accounts.setdefault(signal.account.casefold(), signal.account)
        group.accounts = sorted(accounts.values(), key=str.casefold)
    return groups


def reports(incident: Incident) -> QuerySet[CustomerSignal]:
    return CustomerSignal.objects.filter(
        incident=incident, kind=CustomerSignalKind.REPORT
    ).select_related("logged_by")


def symptoms(incident: Incident) -> list[tuple[str, int]]:
    """Symptoms customers reported, the most reported first (same words, any case), each named
    as first reported."""
    counts: dict[str, list] = {}
    rows = reports(incident).exclude(symptom="").order_by("reported_at", "id")
    for symptom in rows.values_list("symptom", flat=True):
        entry = counts.setdefault(symptom.casefold(), [symptom, 0])
        entry[1] += 1
    return sorted(((label, n) for label, n in counts.values()), key=lambda item: -item[1])
