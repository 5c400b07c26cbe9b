"""On the desk: support logs a late question, a responder drafts its answer and lands in the
editor; owners see their follow-ups; a spreadsheet with bad rows is refused row by row."""

from django.core.files.uploadedfile import SimpleUploadedFile

from clearline.loop import accounts
from clearline.loop.models import KeyAccount, LateQuestion
from tests.loop.conftest import incident_for, resolve
from tests.unchanged import nothing_changes


def test_support_logs_a_question_and_a_responder_drafts_the_answer(client, london, people):
    incident = resolve(incident_for(people))
    client.force_login(people["support"])
    page = client.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert "Late questions" in page and "Draft the answer" not in page
    response = client.post(
        f"/desk/incidents/{incident.pk}/late-questions/",
        {"text": "Were our refunds doubled?", "account": ""},
    )
    assert response.status_code == 302
    question = LateQuestion.objects.get()
    client.force_login(people["comms"])
    response = client.post(
        f"/desk/late-questions/{question.public_id}/answer/",
        {"body": "No refund was paid twice; each went out once, later that day."},
    )
    question.refresh_from_db()
    assert response.url == f"/desk/updates/{question.addendum.pk}/edit/"
    editor = client.get(response.url).content.decode()
    assert "Edit the addendum" in editor and "dated addendum" in editor


def test_an_empty_question_is_refused_and_nothing_is_logged(client, london, people):
    incident = resolve(incident_for(people))
    client.force_login(people["support"])
    with nothing_changes():
        response = client.post(
            f"/desk/incidents/{incident.pk}/late-questions/", {"text": " ", "account": "Acme"}
        )
    assert response.status_code == 400
    assert "Write the customer&#x27;s question." in response.content.decode()


def test_the_owner_sees_their_follow_up_marked_overdue_and_closes_it(client, people, acme):
    incident = resolve(incident_for(people))
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    follow_up = acme.follow_ups.get()
    follow_up.due_date = follow_up.due_date.replace(year=2025)
    follow_up.save()
    client.force_login(acme.owner)
    page = client.get("/desk/follow-ups/?mine=1").content.decode()
    assert "Acme Freight" in page and "Overdue" in page
    assert "The published resolution".lower() in page.lower()
    response = client.post(
        f"/desk/follow-ups/{follow_up.public_id}/done/", {"note": "Called their ops lead."}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.is_done


def test_an_upload_with_a_bad_row_names_it_and_imports_nothing(client, london, people):
    client.force_login(people["comms"])
    upload = SimpleUploadedFile(
        "accounts.csv", b"name,owner\nAcme,sam\nGlobex,nobody\n", content_type="text/csv"
    )
    with nothing_changes():
        response = client.post("/desk/accounts/", {"file": upload})
    assert response.status_code == 400
    assert "Row 3, owner: no active person with a role is called &#x27;nobody&#x27;" in (
        response.content.decode()
    )
    good = SimpleUploadedFile("accounts.csv", b"name,owner\nAcme,sam\n", content_type="text/csv")
    assert client.post("/desk/accounts/", {"file": good}).status_code == 302
    assert KeyAccount.objects.get().owner == people["comms"]
    export = client.get("/desk/accounts/export.csv").content.decode()
    assert export == "name,tier,renewal_date,owner,notes\nAcme,enterprise,,sam,\n"
