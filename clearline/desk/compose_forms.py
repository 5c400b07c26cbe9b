"""The compose forms: the facts of an update, from which its text is written."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from clearline.core import limits
from clearline.desk.forms import line, local_time, prose
from clearline.updates import compose

FIRST, PROGRESS, RESOLVED = (compose.REQUIRED[kind] for kind in compose.KINDS)
# A minute of slack: the browser's clock and ours differ a little.
CLOCK_SLACK = timedelta(minutes=1)


def fact(label: str, **kwargs) -> forms.CharField:
    """A box for one fact of the update, within the compose fields' limit."""
    return prose(label, limit=limits.COMPOSE_FIELD, **kwargs)


def minutes_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Next update in (minutes)",
        min_value=compose.MIN_MINUTES,
        max_value=compose.MAX_MINUTES,
        help_text="The text promises a clock time this far from now.",
        error_messages={
            "required": FIRST["next_update_minutes"],
            "min_value": f"Promise the next update in at least {compose.MIN_MINUTES} minutes.",
            "max_value": "Promise the next update within a day.",
        },
    )


def who_field() -> forms.CharField:
    return fact(
        "Who is affected",
        rows=2,
        required=None,
        help_text="Left empty, the text says you are still confirming who is affected.",
    )


class ComposeForm(forms.Form):
    """What every kind shares: the checks on times, and the fields as `compose` takes them."""

    kind = ""

    def clean(self) -> dict:
        data = super().clean()
        now = timezone.now()
        started, fixed = data.get("started_at"), data.get("fixed_at")
        if started and started > now + CLOCK_SLACK:
            self.add_error("started_at", "That is in the future; say when it started.")
        if fixed and fixed > now + CLOCK_SLACK:
            self.add_error("fixed_at", "That is in the future; say when it was fixed.")
        elif fixed and started and fixed < started:
            self.add_error("fixed_at", "It cannot be fixed before it started.")
        report_by = data.get("report_by")
        if report_by and report_by < timezone.localdate():
            self.add_error("report_by", "Pick today or a later day.")
        return data


class FirstUpdateForm(ComposeForm):
    kind = compose.FIRST

    symptom = fact(
        "What customers experience",
        rows=2,
        required=FIRST["symptom"],
        help_text="What they cannot do or what they see, e.g. “Card payments fail at checkout”.",
    )
    who = who_field()
    still_works = fact("What still works", rows=2, required=None)
    lead = line(
        limits.COMPOSE_LEAD,
        label="Who leads the response",
        required=False,
        help_text="A person, role or team, e.g. “Dana Reyes, VP Engineering”.",
    )
    action = fact(
        "What customers should do meanwhile",
        rows=2,
        required=None,
        help_text="A workaround, or “No action is needed on your side”.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_at"] = local_time("Started at", help_text="When customers were hit.")
        self.fields["next_update_minutes"] = minutes_field()
        self.order_fields(["symptom", "who", "still_works", "started_at", "lead", "action"])


class ProgressUpdateForm(ComposeForm):
    kind = compose.PROGRESS

    news = fact(
        "What changed, or what we know now",
        rows=3,
        required=PROGRESS["news"],
        help_text="Only what is confirmed; say what you are checking rather than guessing.",
    )
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in compose.PROGRESS_STATUSES],
        error_messages={"invalid_choice": "Choose investigating, identified or monitoring."},
    )
    symptom = fact(
        "What customers experience now",
        rows=2,
        required=PROGRESS["symptom"],
        help_text="E.g. “Some card payments still fail at checkout”.",
    )
    who = who_field()
    action = fact("Workaround", rows=2, required=None)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_update_minutes"] = minutes_field()


class ResolutionForm(ComposeForm):
    kind = compose.RESOLVED

    symptom = fact(
        "What customers experienced",
        rows=2,
        required=RESOLVED["symptom"],
        help_text="In the past tense, e.g. “Card payments failed at checkout”.",
    )
    who = who_field()
    verification = fact(
        "How the fix was checked",
        rows=3,
        required=RESOLVED["verification"],
        help_text="E.g. “we repeated the failed payments and watched error rates stay normal "
        "for an hour”.",
    )
    safe = fact(
        "What stayed safe",
        rows=2,
        required=None,
        help_text="Only what is confirmed, e.g. “No card details were exposed”.",
    )
    action = fact("What customers may need to do", rows=2, required=None)
    report_by = forms.DateField(
        label="Full report by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_at"] = local_time("Started at")
        self.fields["fixed_at"] = local_time(
            "Fixed at", required=True, error_messages={"required": RESOLVED["fixed_at"]}
        )
        self.order_fields(["symptom", "started_at", "fixed_at", "who", "verification"])


FORMS: dict[str, type[ComposeForm]] = {
    "first": FirstUpdateForm,
    "progress": ProgressUpdateForm,
    "resolution": ResolutionForm,
}
HEADINGS = {
    "first": "Compose the first update",
    "progress": "Compose an update",
    "resolution": "Compose the resolution",
}
