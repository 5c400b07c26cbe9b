"""Desk forms for closing the loop; the services check everything again."""

from django import forms

from clearline.core import limits
from clearline.desk.forms import PersonChoiceField, line, prose
from clearline.loop.models import KeyAccount, Tier
from clearline.reviews.actions.forms import DateInput
from clearline.reviews.actions.selectors import possible_owners


class KeyAccountForm(forms.Form):
    name = line(limits.SIGNAL_ACCOUNT, label="Account name")
    tier = forms.ChoiceField(choices=Tier.choices, initial=Tier.ENTERPRISE)
    renewal_date = forms.DateField(required=False, label="Renewal date", widget=DateInput())
    owner = PersonChoiceField(queryset=possible_owners(), label="Account owner")
    notes = prose("Notes", rows=2, required=None, limit=limits.ACTION_NOTE)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, tier, renewal_date (YYYY-MM-DD), owner (username or email), "
        "notes. A header row first. Any bad row imports nothing.",
    )


class LinkForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=KeyAccount.objects.order_by("name_key"),
        label="Key account",
        to_field_name="public_id",
        empty_label="Choose a key account",
    )


class DoneForm(forms.Form):
    note = prose(
        "What you told them",
        rows=2,
        required="Write a note: what you told the customer, and anything still owed.",
        limit=limits.ACTION_NOTE,
    )


class FollowUpForm(forms.Form):
    """Who follows up and by when; only an open follow-up changes."""

    owner = PersonChoiceField(
        queryset=possible_owners(),
        label="Owner",
        empty_label="Choose one person",
        error_messages={"required": "Choose who follows up: one person with a role."},
    )
    due_date = forms.DateField(
        label="Due date",
        widget=DateInput(),
        error_messages={
            "required": "Give the day it is due.",
            "invalid": "Write the due date as YYYY-MM-DD.",
        },
        help_text="A day in the organisation's zone. A new date starts a new reminder if the "
        "follow-up goes overdue again; a new owner of an overdue one is reminded too.",
    )
    # Where the person came from: the incident's page, or the follow-ups list with its filters.
    back = forms.CharField(widget=forms.HiddenInput, required=False)


class QuestionForm(forms.Form):
    text = prose(
        "The customer's question",
        rows=3,
        required="Write the customer's question.",
        limit=limits.SIGNAL_TEXT,
        help_text="As they asked it. It stays inside; the public reads only the approved answer.",
    )
    account = line(limits.SIGNAL_ACCOUNT, required=False, label="Account")


class AnswerForm(forms.Form):
    body = prose(
        "Answer, as customers will read it",
        rows=6,
        required="Write the answer.",
        limit=limits.UPDATE_BODY,
        help_text="Published under 'Addendum, <date>' on the incident's page once an "
        "approver approves it. Restate the question in general words; name no customer.",
    )
