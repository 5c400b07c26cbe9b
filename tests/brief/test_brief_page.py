"""The brief a support or sales person reads: the published truth, the approved answers, what
not to say yet, and text to paste."""

import re
from datetime import timedelta

from django.utils import timezone

from clearline.brief import services
from clearline.brief.models import Answer
from clearline.incidents.services import add_fact, settle_fact
from tests.brief.conftest import approved, ask, drafted
from tests.factories import make_incident, publish

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def brief(client, person, incident):
    client.force_login(person)
    response = client.get(f"/desk/incidents/{incident.pk}/brief/")
    assert response.status_code == 200
    return response


def test_it_shows_the_latest_public_update_as_the_current_status(client, people, incident):
    due = timezone.now() + timedelta(minutes=45)
    publish(incident, "A fix is being rolled out.", status="identified", by=people["comms"])
    incident.updates.filter(body="A fix is being rolled out.").update(next_update_due=due)
    publish(incident, "Internal: rollback at 50%.", audience="internal", by=people["comms"])
    response = brief(client, people["support"], incident)
    status = response.context["brief"].status
    assert status.body == "A fix is being rolled out."
    page = response.content.decode()
    assert "A fix is being rolled out." in page
    assert "Identified" in page
    assert "Next update by" in page
    assert "rollback at 50%" not in page


def test_it_says_when_nothing_has_been_published_yet(client, people):
    incident = make_incident(published=False)
    page = brief(client, people["support"], incident).content.decode()
    assert "No update has been published to customers yet" in page


def test_it_shows_an_approved_answer_and_marks_the_rest_not_yet_approved(client, people, incident):
    approved(
        drafted(incident, people["comms"], "Card numbers never left our systems."),
        people["commander"],
    )
    drafted(incident, people["comms"], "Wait for the next update.", topic="what_to_do")
    page = brief(client, people["support"], incident).content.decode()
    assert "Card numbers never left our systems." in page
    assert "Wait for the next update." not in page
    assert page.count("Not yet approved") == 5


def test_it_stops_showing_an_answer_once_it_is_edited_after_approval(client, people, incident):
    answer = approved(drafted(incident, people["comms"], "Nothing was lost."), people["commander"])
    services.write_answer(
        incident=incident,
        topic="data_safe",
        by=people["comms"],
        version=answer.version,
        text="We are still checking.",
    )
    page = brief(client, people["support"], incident).content.decode()
    assert "Nothing was lost." not in page
    assert "We are still checking." not in page
    assert page.count("Not yet approved") == 6


def test_it_shows_a_responder_the_draft_marked_as_a_draft(client, people, incident):
    drafted(incident, people["comms"], "We are checking.")
    page = brief(client, people["comms"], incident).content.decode()
    assert "We are checking." in page
    assert "Draft" in page


def test_it_lists_open_questions_under_what_not_to_say_yet(client, people, incident):
    add_fact(incident=incident, by=people["comms"], text="Were any cards charged twice?")
    settled = add_fact(incident=incident, by=people["comms"], text="Is the EU region affected?")
    settle_fact(fact=settled, by=people["comms"], status="answered", text="EU is not affected.")
    add_fact(incident=incident, by=people["comms"], kind="fact", text="A certificate expired.")
    response = brief(client, people["support"], incident)
    section = re.search(r'<section id="not-yet".*?</section>', response.content.decode(), re.S)
    assert "Were any cards charged twice?" in section.group(0)
    assert "EU" not in section.group(0)
    assert "certificate" not in section.group(0)


def test_it_shows_approved_customer_questions_as_the_faq_with_how_often_asked(
    client, people, incident
):
    vic = people["support"]
    signal = ask(incident, vic, "Were we charged twice?", "Acme")
    ask(incident, vic, "were we charged twice??", "Globex")
    faq = services.write_group_answer(
        group=signal.group,
        by=people["comms"],
        version=0,
        question="Were some cards charged twice?",
        text="No card was charged twice.",
    )
    page = brief(client, vic, incident).content.decode()
    assert "No card was charged twice." not in page
    approved(faq, people["commander"])
    page = brief(client, vic, incident).content.decode()
    assert "Were some cards charged twice?" in page
    assert "No card was charged twice." in page
    assert "asked 2 times" in page


def test_it_offers_plain_text_for_an_email_and_a_chat_message(client, people, incident):
    approved(
        drafted(incident, people["comms"], "Card numbers never left our systems."),
        people["commander"],
    )
    drafted(incident, people["comms"], "Unapproved words.", topic="what_to_do")
    add_fact(incident=incident, by=people["comms"], text="Were any cards charged twice?")
    response = brief(client, people["support"], incident)
    email, chat = response.context["email_text"], response.context["chat_text"]
    for text in (email, chat):
        assert not re.search(r"<[a-zA-Z/!]", text)
        assert "&lt;" not in text and "&amp;" not in text
        assert "Card payments fail for some customers." in text
        assert "Unapproved words." not in text
        assert "charged twice" not in text
        assert "UTC" in text
    assert "Is my data safe?\nCard numbers never left our systems." in email
    assert chat.startswith(f"{incident.title} — ")
    page = response.content.decode()
    assert 'data-copy="email-text"' in page and 'data-copy="chat-text"' in page
    assert re.search(r'<textarea id="email-text"[^>]*readonly>Hello,', page)


def test_it_escapes_customer_and_staff_text_everywhere_on_the_brief(client, people):
    incident = make_incident(title=f"Payments {XSS}", body=f"Update {XSS}", by=people["comms"])
    answer = approved(drafted(incident, people["comms"], f"Answer {XSS}"), people["commander"])
    add_fact(incident=incident, by=people["comms"], text=f"Question {XSS}")
    signal = ask(incident, people["support"], f"Customer {XSS}", account=f"Acme {XSS}")
    faq = services.write_group_answer(
        group=signal.group, by=people["comms"], version=0, question=f"Q {XSS}", text=f"A {XSS}"
    )
    approved(faq, people["commander"])
    response = brief(client, people["support"], incident)
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # The copy text keeps the words as typed: it is pasted as text, not read as HTML.
    assert f"Answer {XSS}" in response.context["email_text"]
    assert Answer.objects.get(pk=answer.pk).is_approved
    client.force_login(people["support"])
    signal_page = client.get(f"/desk/incidents/{incident.pk}/signal/").content.decode()
    assert "<script>alert" not in signal_page and "<img src=x" not in signal_page


def test_it_is_linked_from_the_incident_page_and_the_dashboard(client, people, incident):
    client.force_login(people["support"])
    url = f"/desk/incidents/{incident.pk}/brief/"
    assert f'href="{url}"' in client.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert f'href="{url}"' in client.get("/desk/").content.decode()


def test_it_warns_that_an_internal_incident_is_not_for_customers(client, people):
    incident = make_incident(visibility="internal", by=people["comms"])
    page = brief(client, people["support"], incident).content.decode()
    assert "Do not mention it outside the company" in page
