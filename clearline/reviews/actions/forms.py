"""Desk forms for action items. Owner, due date and outcome are not required here: the service
refuses a missing one as CL151, with the same words the API and a review's text get."""

from django import forms

from clearline.core import limits
from clearline.desk.forms import PersonChoiceField, line, prose
from clearline.reviews.actions.selectors import possible_owners
from clearline.reviews.models import ActionCategory


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ActionItemForm(forms.Form):
    outcome = line(
        limits.ACTION_OUTCOME,
        required=False,
        label="Outcome",
        help_text="The one change it delivers, e.g. 'Alert the on-call engineer when invoice "
        "emails wait more than 10 minutes'.",
    )
    category = forms.ChoiceField(
        choices=[("", "Choose a category"), *ActionCategory.choices],
        required=False,
        error_messages={"invalid_choice": "Choose one of the categories listed."},
    )
    due_date = forms.DateField(required=False, label="Due date", widget=DateInput())
    override_reason = prose(
        "Why keep this outcome as written",
        rows=2,
        required=None,
        limit=limits.OVERRIDE_REASON,
        help_text="Only when the checks call the outcome vague (CL153) and you keep it anyway.",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "action-%s")  # one page holds several forms
        super().__init__(*args, **kwargs)
        self.fields["owner"] = PersonChoiceField(
            possible_owners(), required=False, label="Owner", empty_label="Choose one person"
        )
        self.order_fields(["outcome", "owner", "due_date", "category", "override_reason"])


class CloseActionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("done", "Done"), ("wont_do", "Won't do")],
        initial="done",
        widget=forms.RadioSelect,
        label="Close as",
    )
    evidence_url = line(limits.EVIDENCE_LINK, required=False, label="Evidence link")
    evidence_note = prose(
        "Evidence note",
        rows=2,
        required=None,
        limit=limits.ACTION_NOTE,
        help_text="How you know the change works, e.g. 'Rollback rehearsed; it took 4 minutes'.",
    )
    wont_do_reason = prose(
        "Why it will not be done", rows=2, required=None, limit=limits.ACTION_NOTE
    )


def closing_form(item, data=None) -> CloseActionForm:
    """The close form of one item, its element ids its own (the page lists every item)."""
    return CloseActionForm(data, auto_id=f"close-{item.pk}-%s")


def editing_form(item, data=None, *, owners=None) -> ActionItemForm:
    """The edit form of one item, filled with what it says now, its element ids its own.
    `owners`: the owner choices read once for a page that lists many items."""
    initial = {
        "outcome": item.outcome,
        "owner": item.owner_id,
        "due_date": item.due_date,
        "category": item.category,
        "override_reason": item.override_reason,
    }
    form = ActionItemForm(data, initial=initial, auto_id=f"edit-{item.pk}-%s")
    if owners is not None:
        form.fields["owner"].choices = owners
    return form


def attach_item_forms(items, *, refused=None, close_form=None, edit_form=None) -> None:
    """Give each item its close and edit forms: for the item a post was refused on
    (`refused`), the refused form as typed."""
    owners = None
    for item in items:
        mine = refused is not None and refused.pk == item.pk
        item.close_form = close_form if mine and close_form else closing_form(item)
        if mine and edit_form:
            item.edit_form = edit_form
            continue
        if owners is None:
            # One query for the page, not one per item.
            owners = list(ActionItemForm().fields["owner"].choices)
        item.edit_form = editing_form(item, owners=owners)


class StartActionForm(forms.Form):
    status = forms.ChoiceField(choices=[("open", "Open"), ("in_progress", "In progress")])
