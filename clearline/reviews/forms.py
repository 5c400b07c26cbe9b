"""Desk forms of the after-incident records. They check what a person typed; the services decide."""

from django import forms

from clearline.core import limits
from clearline.desk.forms import prose


class NotNeededForm(forms.Form):
    reason = prose(
        "Why is this step not needed?",
        rows=2,
        required="Say why this step is not needed.",
        limit=limits.PLAN_REASON,
        help_text="Kept with the step and in the audit log.",
    )
