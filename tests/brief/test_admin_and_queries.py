"""In the admin, an admin corrects a logged signal (audited); answers are only shown there.
And the brief pages cost the same few queries however much is on them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearline.brief.models import Answer, CustomerSignal
from clearline.brief.services import write_group_answer
from clearline.core.models import AuditEntry
from tests.brief.conftest import approved, ask, drafted
from tests.factories import make_incident


def test_it_audits_an_admin_correction_of_a_logged_signal(client, people, incident):
    signal = ask(incident, people["support"], "Is my data safe?", "Acme Crop")
    client.force_login(people["admin"])
    response = client.post(
        f"/admin/brief/customersignal/{signal.pk}/change/",
        {
            "text": "Is my data safe?",
            "account": "Acme Corp",
            "symptom": "",
            "reported_at_0": signal.reported_at.strftime("%Y-%m-%d"),
            "reported_at_1": signal.reported_at.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    assert CustomerSignal.objects.get().account == "Acme Corp"
    entry = AuditEntry.objects.get(action="admin.edited")
    assert entry.actor == people["admin"] and entry.changes["account"] == "Acme Corp"


def test_it_shows_answers_in_the_admin_but_never_edits_them(client, people, incident):
    answer = approved(drafted(incident, people["comms"], "We are checking."), people["commander"])
    client.force_login(people["admin"])
    assert client.get("/admin/brief/answer/").status_code == 200
    client.post(f"/admin/brief/answer/{answer.pk}/change/", {"text": "Rewritten in the admin."})
    assert Answer.objects.get().text == "We are checking."
    assert Answer.objects.get().is_approved


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def answered_questions(people, incident, count):
    for n in range(count):
        signal = ask(incident, people["support"], f"Question {n} about topic{n}?", f"Acct {n}")
        ask(incident, people["support"], f"question {n} about topic{n}", f"Other {n}")
        faq = write_group_answer(
            group=signal.group, by=people["comms"], version=0, question=f"Q{n}", text="Yes."
        )
        approved(faq, people["commander"])


@pytest.mark.parametrize("page", ["brief", "signal"])
def test_it_reads_a_brief_page_in_the_same_queries_however_much_is_on_it(
    client, people, incident, page
):
    small, large = incident, make_incident(title="Another one", by=people["comms"])
    answered_questions(people, small, 1)
    answered_questions(people, large, 5)
    for topic in ["data_safe", "what_to_do", "what_happened"]:
        approved(drafted(large, people["comms"], f"Answer {topic}", topic), people["commander"])
    client.force_login(people["comms"])
    queries(client, f"/desk/incidents/{small.pk}/{page}/")  # session and organisation warm
    assert queries(client, f"/desk/incidents/{large.pk}/{page}/") == queries(
        client, f"/desk/incidents/{small.pk}/{page}/"
    )
