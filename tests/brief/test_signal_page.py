"""Support logs what customers report and ask; repeated questions are counted together."""

from datetime import timedelta

from django.utils import timezone

from clearline.brief.models import CustomerSignal, QuestionGroup
from tests.brief.conftest import drafted


def log(client, incident, **fields):
    return client.post(f"/desk/incidents/{incident.pk}/signal/log/", fields)


def test_it_logs_a_question_with_its_account_and_time_now(client, people, incident):
    client.force_login(people["support"])
    response = log(client, incident, kind="question", text="Is my data safe?", account="Acme")
    assert response.status_code == 302
    signal = CustomerSignal.objects.get()
    assert (signal.kind, signal.account, signal.logged_by) == (
        "question",
        "Acme",
        people["support"],
    )
    assert timezone.now() - signal.reported_at < timedelta(seconds=10)
    page = client.get(response["Location"]).content.decode()
    assert "Logged as a new question." in page


def test_it_counts_a_repeated_question_and_says_so(client, people, incident):
    client.force_login(people["support"])
    log(client, incident, kind="question", text="Is my data safe?", account="Acme")
    response = log(client, incident, kind="question", text="is our data safe??", account="Globex")
    page = client.get(response["Location"]).content.decode()
    assert "2 customers have now asked this." in page
    assert '<strong class="count">2×</strong>' in page
    assert "Accounts: Acme, Globex" in page
    assert QuestionGroup.objects.count() == 1


def test_it_lists_questions_by_how_often_they_are_asked(client, people, incident):
    client.force_login(people["support"])
    log(client, incident, kind="question", text="Can we get a refund?")
    for account in ["Acme", "Globex", "Initech"]:
        log(client, incident, kind="question", text="Were we charged twice?", account=account)
    page = client.get(f"/desk/incidents/{incident.pk}/signal/").content.decode()
    assert page.index("Were we charged twice?") < page.index("Can we get a refund?")
    assert "3×" in page and "1×" in page


def test_it_logs_a_report_with_its_symptom_and_time(client, people, incident):
    client.force_login(people["support"])
    when = (timezone.now() - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    log(
        client,
        incident,
        kind="report",
        text="Checkout says 'card declined' for every Visa card",
        account="Acme",
        symptom="Card declined",
        reported_at=when,
    )
    log(client, incident, kind="report", text="Same here", symptom="card declined")
    signal = CustomerSignal.objects.order_by("id").first()
    assert signal.symptom == "Card declined"
    assert timedelta(minutes=19) < timezone.now() - signal.reported_at < timedelta(minutes=21)
    page = client.get(f"/desk/incidents/{incident.pk}/signal/").content.decode()
    assert "Symptoms: Card declined (2)" in page


def test_it_names_the_missing_text_and_keeps_what_was_typed(client, people, incident):
    client.force_login(people["support"])
    response = log(client, incident, kind="question", text="  ", account="Acme Corp")
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == ["Write what the customer said."]
    assert 'value="Acme Corp"' in response.content.decode()
    assert not CustomerSignal.objects.exists()


def test_it_refuses_a_report_time_in_the_future(client, people, incident):
    client.force_login(people["support"])
    later = (timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = log(client, incident, kind="report", text="Errors", reported_at=later)
    assert response.context["form"].errors["reported_at"] == ["That time is in the future."]
    assert not CustomerSignal.objects.exists()


def test_it_shows_whether_a_question_has_an_answer_yet(client, people, incident):
    client.force_login(people["support"])
    log(client, incident, kind="question", text="Were we charged twice?")
    page = client.get(f"/desk/incidents/{incident.pk}/signal/").content.decode()
    assert "Not answered yet" in page
    assert "Answer it" not in page  # support logs; responders and approvers answer
    client.force_login(people["commander"])
    assert "Answer it" in client.get(f"/desk/incidents/{incident.pk}/signal/").content.decode()


def test_it_answers_a_question_group_from_the_desk_and_approves_it(client, people, incident):
    client.force_login(people["support"])
    log(client, incident, kind="question", text="Acme: were we charged twice?", account="Acme")
    group = QuestionGroup.objects.get()
    client.force_login(people["comms"])
    form = client.get(f"/desk/question-groups/{group.pk}/answer/")
    assert form.context["form"]["question"].initial == "Acme: were we charged twice?"
    response = client.post(
        f"/desk/question-groups/{group.pk}/answer/",
        {"version": "0", "question": "Were cards charged twice?", "text": "No."},
    )
    assert response.status_code == 302
    answer = group.answer
    client.force_login(people["commander"])  # a second pair of eyes approves
    client.post(
        f"/desk/answers/{answer.pk}/approve/",
        {"content_hash": answer.content_hash, "show_on_status_page": "on"},
    )
    answer.refresh_from_db()
    assert answer.is_approved and answer.show_on_status_page


def test_it_keeps_the_second_editors_text_on_a_conflict(client, people, incident):
    drafted(incident, people["comms"], "Sam's first words.")
    client.force_login(people["commander"])
    url = f"/desk/incidents/{incident.pk}/brief/answers/data_safe/"
    version = client.get(url).context["form"]["version"].initial
    client.force_login(people["comms"])
    client.post(url, {"version": version, "text": "Sam changed it."})
    client.force_login(people["commander"])
    response = client.post(url, {"version": version, "text": "Dana's careful answer."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this answer" in page
    assert "Dana&#x27;s careful answer." in page  # their text, still in the box
    assert "Sam changed it." in page  # and the saved one beside it
    assert response.context["form"].data["version"] == "2"
    # Saving again now goes through, over the version they have seen.
    client.post(url, {"version": "2", "text": "Dana's careful answer."})
    assert incident.answers.get().text == "Dana's careful answer."


def test_it_refuses_approval_of_text_changed_since_the_page_was_read(client, people, incident):
    answer = drafted(incident, people["comms"], "We are checking.")
    read = answer.content_hash
    client.force_login(people["comms"])
    client.post(
        f"/desk/incidents/{incident.pk}/brief/answers/data_safe/",
        {"version": "1", "text": "Nothing was lost."},
    )
    client.force_login(people["commander"])
    response = client.post(f"/desk/answers/{answer.pk}/approve/", {"content_hash": read})
    page = client.get(response["Location"]).content.decode()
    assert "This answer changed after you read it." in page
    assert not incident.answers.get().is_approved
