"""The incident desk page's "Closing the loop" section, which gathers its own context so the
desk's incident view need not know this app."""

from django import template

from clearline.loop import followups, selectors
from clearline.loop.forms import AnswerForm, DoneForm, LinkForm, QuestionForm
from clearline.loop.models import KeyAccount

register = template.Library()


@register.inclusion_tag("loop/_incident.html", takes_context=True)
def loop_section(context, incident) -> dict:
    user = context["request"].user
    items = selectors.listed(selectors.follow_ups(incident=incident))
    for item in items:
        item.may_complete = followups.may_complete(user, item) and not item.is_done
    late = list(selectors.late_questions(incident))
    for question in late:
        question.state = selectors.question_state(question)
    linked = list(selectors.linked_accounts(incident))
    # What unlinking would do to each account's follow-up, said beside its button.
    by_account = {item.account_id: item for item in items}
    for link in linked:
        link.follow_up = by_account.get(link.account_id)
    taken = {link.account_id for link in linked}
    link_form = LinkForm()
    link_form.fields["account"].queryset = KeyAccount.objects.exclude(pk__in=taken).order_by(
        "name_key"
    )
    return {
        "request": context["request"],
        "perms": context.get("perms"),
        "csrf_token": context.get("csrf_token"),
        "incident": incident,
        "linked": linked,
        "link_form": link_form,
        "follow_ups": items,
        "start": selectors.starting_text(incident),
        "questions": late,
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
        "done_form": DoneForm(),
    }
