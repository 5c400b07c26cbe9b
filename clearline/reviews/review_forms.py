"""Review forms: they check what a person typed; the review services decide what may change."""

from django import forms
from django.contrib.auth import get_user_model

from clearline.core import limits
from clearline.desk.forms import PersonChoiceField, line, local_time, prose
from clearline.incidents.models import TimelineEntry
from clearline.reviews import review as services
from clearline.reviews import schedule
from clearline.reviews.models import SECTIONS, AttendeeRole, FactorKind, Review

SECTION_HELP = {
    "timeline": "Started from the incident's timeline, in real times. Correct it and add what "
    "is missing.",
    "missed": "Signals, checks or steps that could have caught it sooner: aim at systems.",
    "done": "What changed already, and how you know it works.",
    "next_steps": "One line per change: the outcome, one owner, a due date.",
    "customer_signal": "Started from the customer-signal log: what customers saw and asked, "
    "which accounts, how many.",
}
NO_ENTRY = [("", "No timeline entry")]
SPARE_FACTORS = 2
FIVE = 5


def _entry_label(entry: TimelineEntry, zone) -> str:
    local = entry.occurred_at.astimezone(zone)
    return f"{local:%d %b %H:%M} {local.tzname()} · {entry.get_kind_display()}: {entry.text[:60]}"


class WriteupForm(forms.Form):
    """The write-up: its sections, the Five Whys and the contributing factors, saved together
    and checked together. Blank rows are left out."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, review: Review, entries: list[TimelineEntry], zone, **kwargs):
        super().__init__(*args, **kwargs)
        for name, heading in SECTIONS.items():
            self.fields[name] = prose(
                heading,
                rows=8 if name in ("timeline", "customer_signal") else 4,
                required=None,
                limit=limits.REVIEW_SECTION,
                help_text=SECTION_HELP[name],
            )
        choices = NO_ENTRY + [(str(e.pk), _entry_label(e, zone)) for e in entries]
        saved_whys = len(review.whys.all())
        self.why_rows = min(services.MAX_WHYS, max(FIVE, saved_whys + 1))
        for row in range(self.why_rows):
            self.fields[f"why_{row}_question"] = line(
                limits.REVIEW_WHY, required=False, label=f"Why {row + 1}: question"
            )
            self.fields[f"why_{row}_answer"] = prose(
                f"Why {row + 1}: answer", rows=2, required=None, limit=limits.REVIEW_WHY
            )
            self.fields[f"why_{row}_entry"] = forms.ChoiceField(
                choices=choices, required=False, label=f"Why {row + 1}: on the timeline"
            )
        saved_factors = len(review.factors.all())
        self.factor_rows = min(services.MAX_FACTORS, saved_factors + SPARE_FACTORS)
        for row in range(self.factor_rows):
            self.fields[f"factor_{row}_kind"] = forms.ChoiceField(
                choices=FactorKind.choices,
                initial=FactorKind.OTHER,
                required=False,
                label="Where it lies",
            )
            self.fields[f"factor_{row}_text"] = prose(
                f"Factor {row + 1}", rows=2, required=None, limit=limits.REVIEW_FACTOR
            )
            self.fields[f"factor_{row}_entry"] = forms.ChoiceField(
                choices=choices, required=False, label="On the timeline"
            )

    @classmethod
    def initial_for(cls, review: Review) -> dict:
        initial = {"version": review.version, **{n: getattr(review, n) for n in SECTIONS}}
        for row, why in enumerate(review.whys.all()):
            initial[f"why_{row}_question"] = why.question
            initial[f"why_{row}_answer"] = why.answer
            initial[f"why_{row}_entry"] = str(why.timeline_entry_id or "")
        for row, factor in enumerate(review.factors.all()):
            initial[f"factor_{row}_kind"] = factor.kind
            initial[f"factor_{row}_text"] = factor.text
            initial[f"factor_{row}_entry"] = str(factor.timeline_entry_id or "")
        return initial

    def section_fields(self) -> list:
        return [self[name] for name in SECTIONS]

    def why_fields(self) -> list[tuple]:
        return [
            (self[f"why_{r}_question"], self[f"why_{r}_answer"], self[f"why_{r}_entry"])
            for r in range(self.why_rows)
        ]

    def factor_fields(self) -> list[tuple]:
        return [
            (self[f"factor_{r}_kind"], self[f"factor_{r}_text"], self[f"factor_{r}_entry"])
            for r in range(self.factor_rows)
        ]

    def clean(self) -> dict:
        data = super().clean()
        for row in range(self.why_rows):
            answered = data.get(f"why_{row}_answer") or data.get(f"why_{row}_entry")
            if answered and not (data.get(f"why_{row}_question") or "").strip():
                self.add_error(f"why_{row}_question", "Write the question this answers.")
        for row in range(self.factor_rows):
            if (
                data.get(f"factor_{row}_entry")
                and not (data.get(f"factor_{row}_text") or "").strip()
            ):
                self.add_error(f"factor_{row}_text", "Say what the factor is.")
        return data

    def typed(self) -> dict:
        """What is in the boxes now, valid or not: what the live checks read."""
        value = lambda name: self.data.get(name, "") if self.is_bound else ""  # noqa: E731
        sections = {name: value(name) for name in SECTIONS}
        whys = [
            (value(f"why_{r}_question"), value(f"why_{r}_answer"), value(f"why_{r}_entry"))
            for r in range(self.why_rows)
        ]
        factors = [
            (value(f"factor_{r}_kind"), value(f"factor_{r}_text"), value(f"factor_{r}_entry"))
            for r in range(self.factor_rows)
        ]
        return {
            "sections": sections,
            "whys": [row for row in whys if any(part.strip() for part in row)],
            "factors": [row for row in factors if row[1].strip()],
        }

    def changes(self) -> dict:
        data = self.cleaned_data
        whys = [
            services.WhyIn(
                data[f"why_{r}_question"],
                data[f"why_{r}_answer"],
                int(data[f"why_{r}_entry"]) if data[f"why_{r}_entry"] else None,
            )
            for r in range(self.why_rows)
            if data[f"why_{r}_question"].strip()
        ]
        factors = [
            services.FactorIn(
                data[f"factor_{r}_text"],
                data[f"factor_{r}_kind"] or FactorKind.OTHER,
                int(data[f"factor_{r}_entry"]) if data[f"factor_{r}_entry"] else None,
            )
            for r in range(self.factor_rows)
            if data[f"factor_{r}_text"].strip()
        ]
        return {
            "version": data["version"],
            "whys": whys,
            "factors": factors,
            **{name: data[name] for name in SECTIONS},
        }


class ScheduleForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"] = local_time(
            "Meets at",
            required=True,
            help_text=f"Business days {schedule.FIRST_DAY}–{schedule.LAST_DAY} after the "
            "resolution give everyone a breather first.",
        )
        self.fields["minutes"] = forms.IntegerField(
            label="Minutes", min_value=services.SHORTEST, max_value=services.LONGEST
        )


class AttendeeForm(forms.Form):
    role = forms.ChoiceField(choices=AttendeeRole.choices, label="Role")
    name = line(limits.ATTENDEE_NAME, required=False, label="Or a name")
    email = forms.EmailField(required=False, label="Their email", max_length=254)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["user"] = PersonChoiceField(
            people, required=False, label="Person", empty_label="Someone without an account"
        )
        self.order_fields(["role", "user", "name", "email"])

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("user", "Choose a person, or give a name.")
        return data


class HeldForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_at"] = local_time("It met at", help_text="Blank means now.")
