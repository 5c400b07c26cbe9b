"""Desk forms. They check what a person typed; the services decide what may change."""

import re

from django import forms
from django.utils import timezone

from clearline.accounts.selectors import display_name, responders
from clearline.core import limits
from clearline.incidents.models import (
    Component,
    ComponentStatus,
    FactKind,
    FactStatus,
    FactSubject,
    Impact,
    Incident,
    IncidentStatus,
    SegmentKind,
    TimelineKind,
    Visibility,
)
from clearline.incidents.services import INCIDENT_FIELDS
from clearline.updates.models import Audience, UpdateKind
from clearline.updates.services import body_limit

SEGMENT_ROWS = 3
_SEGMENT_KEY = re.compile(r"^segment_(\d+)_kind$")
AFFECTED_STATUSES = [
    (value, label) for value, label in ComponentStatus.choices if value != "operational"
]


class LocalTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; the value is read in the organisation's zone."""

    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def prose(
    label: str, *, rows: int, required: str | None, limit: limits.Limit, **kwargs
) -> forms.CharField:
    """A text area; `required` is what to say when it is left empty (None: it may be).

    Text over `limit` is refused by the server with the text kept in the box: a browser's
    maxlength would cut a pasted text short without a word.
    """
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required is not None,
        error_messages={"required": required} if required else {},
        validators=[limits.form_validator(limit)],
        **kwargs,
    )


def line(limit: limits.Limit, **kwargs) -> forms.CharField:
    """A one-line text input of at most `limit` characters."""
    return forms.CharField(
        max_length=limit.chars, validators=[limits.form_validator(limit)], **kwargs
    )


def local_time(label: str, *, required: bool = False, **kwargs) -> forms.DateTimeField:
    zone = timezone.get_current_timezone_name()
    return forms.DateTimeField(
        label=f"{label} ({zone})", required=required, widget=LocalTimeInput(), **kwargs
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class IncidentForm(forms.Form):
    """The incident record: what is broken, for whom, since when, and who owns the response."""

    title = line(limits.TITLE, error_messages={"required": "Give the incident a title."})
    impact = forms.ChoiceField(choices=Impact.choices, initial=Impact.MINOR)
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text="Internal incidents never appear on the status page.",
    )
    is_drill = forms.BooleanField(
        required=False, label="This is a drill", help_text="Nothing reaches the public."
    )
    still_works = prose("What still works", rows=2, required=None, limit=limits.STILL_WORKS)

    def __init__(
        self, *args, components: list[Component], may_choose_commander: bool = True, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        # Built here, not on the class, so the labels name the zone in force for this request.
        self.fields["started_at"] = local_time(
            "Started at",
            required=True,
            help_text="When customers were first affected.",
            error_messages={"required": "Say when customers were first affected."},
        )
        self.fields["detected_at"] = local_time("Detected at", help_text="Blank means now.")
        people = responders()
        self.fields["commander"] = PersonChoiceField(
            people, required=False, label="Incident commander"
        )
        if not may_choose_commander:
            # A disabled field keeps the value it had, whatever is posted.
            self.fields["commander"].disabled = True
            self.fields[
                "commander"
            ].help_text = (
                "Only an approver chooses the commander: the commander approves customer text."
            )
        self.fields["comms_owner"] = PersonChoiceField(people, required=False, label="Comms owner")
        self.component_names = []
        for component in components:
            name = f"component_{component.pk}"
            self.fields[name] = forms.ChoiceField(
                label=component.name,
                required=False,
                choices=[("", "Not affected"), *AFFECTED_STATUSES],
            )
            self.component_names.append((name, component))
        self.segment_names = []
        for row in range(self._segment_rows()):
            kind, label = f"segment_{row}_kind", f"segment_{row}_label"
            self.fields[kind] = forms.ChoiceField(
                label="Kind", required=False, choices=[("", "—"), *SegmentKind.choices]
            )
            self.fields[label] = line(limits.SEGMENT_LABEL, label="Which", required=False)
            self.segment_names.append((kind, label))

    def _segment_rows(self) -> int:
        rows = [int(m.group(1)) + 1 for key in self.data if (m := _SEGMENT_KEY.match(key))]
        rows += [int(m.group(1)) + 2 for key in self.initial if (m := _SEGMENT_KEY.match(key))]
        return max([SEGMENT_ROWS, *rows])

    @classmethod
    def initial_for(cls, incident: Incident) -> dict:
        initial = {name: getattr(incident, name) for name in INCIDENT_FIELDS}
        for row in incident.affected.all():
            initial[f"component_{row.component_id}"] = row.status
        for index, segment in enumerate(incident.segments.all()):
            initial[f"segment_{index}_kind"] = segment.kind
            initial[f"segment_{index}_label"] = segment.label
        return initial

    def clean(self) -> dict:
        data = super().clean()
        for kind_name, label_name in self.segment_names:
            kind, label = data.get(kind_name), (data.get(label_name) or "").strip()
            if not kind and label:
                self.add_error(kind_name, "Choose what kind of group this is.")
            elif kind and kind != SegmentKind.EVERYONE and not label:
                self.add_error(label_name, "Name the region, plan, platform or feature.")
        return data

    @property
    def components_bound(self):
        return [(self[name], component) for name, component in self.component_names]

    @property
    def segments_bound(self):
        return [(self[kind], self[label]) for kind, label in self.segment_names]

    def changes(self) -> dict:
        """The record as the incident services take it."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in INCIDENT_FIELDS},
            "components": {c: data[name] for name, c in self.component_names if data[name]},
            "segments": [(data[k], data[label]) for k, label in self.segment_names if data[k]],
        }


class TimelineEntryForm(forms.Form):
    kind = forms.ChoiceField(choices=TimelineKind.choices, initial=TimelineKind.NOTE)
    text = prose("What happened", rows=2, required="Say what happened.", limit=limits.TIMELINE_TEXT)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"] = local_time("When", help_text="Blank means now.")


class FactForm(forms.Form):
    kind = forms.ChoiceField(
        choices=FactKind.choices, initial=FactKind.QUESTION, widget=forms.RadioSelect
    )
    subject = forms.ChoiceField(choices=FactSubject.choices, initial=FactSubject.OTHER)
    text = prose(
        "Fact or question", rows=2, required="Write the fact or question.", limit=limits.FACT_TEXT
    )


class SettleFactForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (FactStatus.CONFIRMED, "Confirm"),
            (FactStatus.ANSWERED, "Answer"),
            (FactStatus.WITHDRAWN, "Withdraw"),
        ]
    )
    text = line(limits.FACT_TEXT, required=False, label="Answer")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == FactStatus.ANSWERED and not data.get("text", "").strip():
            self.add_error("text", "Write the answer.")
        return data


# Fields about how the text goes out, not the text: the update services take them apart.
APPROVAL_FIELDS = ("override_reason", "content_hash", "notify")


class UpdateForm(forms.Form):
    promises_next_update = True
    status = forms.ChoiceField(choices=IncidentStatus.choices)
    audience = forms.ChoiceField(
        choices=Audience.choices,
        initial=Audience.PUBLIC,
        widget=forms.RadioSelect,
        help_text="Internal updates stay inside the desk.",
    )
    body = prose("Update text", rows=8, required="Write the update text.", limit=limits.UPDATE_BODY)
    override_reason = prose(
        "Override reason",
        rows=2,
        required=None,
        limit=limits.OVERRIDE_REASON,
        help_text="Needed only to approve text the checks found errors in. It is kept in the "
        "audit log with your name.",
    )
    # Unchecked sends nothing; a browser leaves an unchecked box out, so absent means off.
    notify = forms.BooleanField(
        required=False,
        initial=True,
        label="Notify subscribers",
        help_text="Send this update to the status page's subscribers when it is published.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.promises_next_update:
            self.fields["next_update_due"] = local_time(
                "Next update due", help_text="The time customers are promised the next update."
            )

    def changes(self) -> dict:
        """The update as the update services take it, without the approval's own fields."""
        return {k: v for k, v in self.cleaned_data.items() if k not in APPROVAL_FIELDS}

    def clean(self) -> dict:
        data = super().clean()
        due = data.get("next_update_due")
        if due and data.get("status") != IncidentStatus.RESOLVED and due <= timezone.now():
            self.add_error("next_update_due", "Pick a time in the future.")
        return data


class DraftForm(UpdateForm):
    """Editing a draft: the version the editor loaded travels with the text."""

    audience = None
    version = forms.IntegerField(widget=forms.HiddenInput)
    content_hash = forms.CharField(widget=forms.HiddenInput, required=False)

    def changes_to(self, update) -> dict:
        """The changes to `update`. The picker shows whole minutes, so an untouched time that
        was stored with seconds keeps them: re-saving it must not count as a change of text."""
        changes = self.changes()
        due, stored = changes.get("next_update_due"), update.next_update_due
        if due and stored and due == stored.replace(second=0, microsecond=0):
            changes["next_update_due"] = stored
        return changes


class ResolutionForm(UpdateForm):
    """The last update: the status is resolved, so no next update is promised."""

    promises_next_update = False
    status = None
    body = prose(
        "Resolution",
        rows=8,
        required="Write the resolution text.",
        limit=limits.UPDATE_BODY,
        help_text="What was fixed, how the fix was checked, and what stayed safe.",
    )

    def clean(self) -> dict:
        return {**super().clean(), "status": IncidentStatus.RESOLVED}


class ReportDraftForm(DraftForm):
    """Editing a report written after the resolution: its status stays resolved and it promises
    no next update (the text says when the full review follows)."""

    promises_next_update = False
    status = None
    body = prose(
        "Report text",
        rows=16,
        required="Write the report text.",
        limit=limits.UPDATE_BODY,
        help_text="Only what is confirmed: the time window, what customers experienced and who, "
        "what stayed safe, what is still being checked, and when the full review follows.",
    )

    def clean(self) -> dict:
        return {**super().clean(), "status": IncidentStatus.RESOLVED}


class IncidentReportForm(ReportDraftForm):
    """Editing the full incident report: a document, so a longer text than an update."""

    body = prose(
        "Report text",
        rows=24,
        required="Write the report text.",
        limit=body_limit(UpdateKind.REPORT),
        help_text="Each section of the report, as customers (or, in the internal edition, your "
        "engineers) will read it.",
    )
