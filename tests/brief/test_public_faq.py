"""An approved answer to a customer question reaches the public incident page only when an
approver chose it, only while its text is the approved one, and never for an internal incident
or a drill."""

from pathlib import Path

import pytest

from clearline.brief import services
from clearline.statuspage.selectors import public_faq
from tests.brief.conftest import approved, ask, drafted
from tests.factories import make_incident

QUESTION, TEXT = "Were some cards charged twice?", "No card was charged twice."


def faq_answer(people, incident, *, question=QUESTION, text=TEXT):
    signal = ask(incident, people["support"], "were we charged twice", "Acme")
    return services.write_group_answer(
        group=signal.group, by=people["comms"], version=0, question=question, text=text
    )


def public_files(snapshot_dir) -> str:
    return "".join(p.read_text() for p in Path(snapshot_dir).rglob("*") if p.is_file())


def incident_file(snapshot_dir, incident) -> Path:
    return Path(snapshot_dir, f"incidents/{incident.public_id}.html")


def test_it_shows_a_chosen_answer_on_the_public_page_and_in_its_snapshot(
    client, people, incident, committed, snapshot_dir
):
    answer = faq_answer(people, incident)
    with committed():
        approved(answer, people["commander"], show=True)
    snapshot = incident_file(snapshot_dir, incident).read_text()
    assert QUESTION in snapshot and TEXT in snapshot
    page = client.get(f"/incidents/{incident.public_id}").content.decode()
    assert "Questions customers ask" in page and TEXT in page


def test_it_keeps_an_approved_answer_off_the_status_page_unless_chosen(
    client, people, incident, committed, snapshot_dir
):
    with committed():
        approved(faq_answer(people, incident), people["commander"], show=False)
    assert TEXT not in public_files(snapshot_dir)
    assert TEXT not in client.get(f"/incidents/{incident.public_id}").content.decode()


def test_it_takes_an_answer_off_the_page_when_it_is_edited_after_approval(
    people, incident, committed, snapshot_dir
):
    with committed():
        answer = approved(faq_answer(people, incident), people["commander"], show=True)
    assert TEXT in incident_file(snapshot_dir, incident).read_text()
    with committed():
        services.write_group_answer(
            group=answer.group,
            by=people["comms"],
            version=answer.version,
            question=QUESTION,
            text="Some cards were charged twice.",
        )
    snapshot = incident_file(snapshot_dir, incident).read_text()
    assert QUESTION not in snapshot
    assert "Some cards were charged twice." not in snapshot


def test_it_takes_an_answer_off_the_page_when_the_approver_hides_it(
    people, incident, committed, snapshot_dir
):
    with committed():
        answer = approved(faq_answer(people, incident), people["commander"], show=True)
    assert TEXT in incident_file(snapshot_dir, incident).read_text()
    with committed():
        approved(answer, people["commander"], show=False)
    assert TEXT not in incident_file(snapshot_dir, incident).read_text()


@pytest.mark.parametrize("kind", [{"visibility": "internal"}, {"is_drill": True}])
def test_it_never_shows_an_answer_for_an_internal_incident_or_a_drill(
    client, people, committed, snapshot_dir, kind
):
    with committed():
        incident = make_incident(title="Quiet one", by=people["comms"], **kind)
        approved(faq_answer(people, incident), people["commander"], show=True)
    assert public_faq(incident) == []
    assert TEXT not in public_files(snapshot_dir)
    assert client.get(f"/incidents/{incident.public_id}").status_code == 404


def test_it_never_puts_the_hard_question_answers_on_the_status_page(
    people, incident, committed, snapshot_dir
):
    with committed():
        approved(
            drafted(incident, people["comms"], "Our own words for sales."), people["commander"]
        )
        approved(faq_answer(people, incident), people["commander"], show=True)
    snapshot = incident_file(snapshot_dir, incident).read_text()
    assert TEXT in snapshot
    assert "Our own words for sales." not in snapshot


def test_it_escapes_an_answer_on_the_public_page(people, incident, committed, snapshot_dir):
    payload = '<script>alert("x")</script>'
    answer = faq_answer(people, incident, question=f"Q {payload}", text=f"A {payload}")
    with committed():
        approved(answer, people["commander"], show=True)
    snapshot = incident_file(snapshot_dir, incident).read_text()
    assert "<script>alert" not in snapshot
    assert "A &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in snapshot
