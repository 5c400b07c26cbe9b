"""Brief forms: they check what a person typed; the brief services decide what may change."""

from django import forms

from clearline.brief.models import CustomerSignalKind
from clearline.core import limits
from clearline.desk.forms import line, local_time, prose


class SignalForm(forms.Form):
    kind = forms.ChoiceField(
        choices=CustomerSignalKind.choices,
        initial=CustomerSignalKind.QUESTION,
        widget=forms.RadioSelect,
        label="What is it?",
    )
    text = prose(
        "What the customer said",
        rows=3,
        required="Write what the customer said.",
        limit=limits.SIGNAL_TEXT,
        help_text="In their words where you can. Repeated questions are counted together.",
    )
    account = line(
        limits.SIGNAL_ACCOUNT,
        required=False,
        label="Account",
    )
    symptom = line(
        limits.SIGNAL_SYMPTOM,
        required=False,
        label="Symptom",
        help_text="What they saw, in a few words: “card payments declined”.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_at"] = local_time("When", help_text="Blank means now.")


class AnswerForm(forms.Form):
    """An answer to one of the hard questions; the version loaded travels with the text."""

    text = prose("Answer", rows=5, required="Write the answer.", limit=limits.ANSWER_TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class GroupAnswerForm(AnswerForm):
    question = line(
        limits.ANSWER_QUESTION,
        label="Question, as readers will see it",
        help_text="Word it for every customer: no account names, no one person's details.",
        error_messages={"required": "Write the question as readers will see it."},
    )
    field_order = ["question", "text", "version"]


class ApproveForm(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput, min_length=64, max_length=64)
    show_on_status_page = forms.BooleanField(required=False, label="Show on the status page")
