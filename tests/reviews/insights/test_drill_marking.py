"""A drill is opened from the desk, the API or the command line, and is marked as a drill
wherever the team sees it."""

from clearline.cli import main
from clearline.incidents.models import Incident
from tests.factories import make_component, make_incident


def test_the_command_line_opens_a_drill_and_says_so(db, people, capsys):
    make_component("Payouts")
    code = main(
        [
            "drill", "open", "Payouts held for every region",
            "--impact", "critical",
            "--component", "Payouts",
            "--commander", "dana",
            "--by", "sam",
        ]
    )  # fmt: skip
    assert code == 0
    drill = Incident.objects.get()
    assert (drill.is_drill, drill.impact, drill.commander.username) == (True, "critical", "dana")
    assert drill.created_by.username == "sam"
    assert [row.component.name for row in drill.affected.all()] == ["Payouts"]
    out = capsys.readouterr().out
    assert out.startswith("[DRILL] Payouts held for every region\n")
    assert f"id: {drill.public_id}" in out and f"/desk/incidents/{drill.pk}/" in out


def test_the_command_line_names_what_it_cannot_find(db, people, capsys):
    assert main(["drill", "open", "Practice", "--component", "Nowhere"]) == 2
    assert "No component is named 'Nowhere'" in capsys.readouterr().err
    assert main(["drill", "open", "Practice", "--commander", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
    assert not Incident.objects.exists()


def test_a_person_without_the_right_cannot_open_one_from_the_command_line(db, people, capsys):
    assert main(["drill", "open", "Practice", "--by", "vic"]) == 2
    assert not Incident.objects.exists()


def test_the_desk_opens_a_drill_and_marks_it_on_the_list_and_its_page(client, people):
    client.force_login(people["comms"])
    response = client.post(
        "/desk/incidents/new/",
        {
            "title": "Payouts held (practice)",
            "impact": "major",
            "visibility": "public",
            "is_drill": "on",
            "started_at": "2026-03-02T10:00",
            "comms_owner": people["comms"].pk,
        },
    )
    drill = Incident.objects.get()
    assert response.status_code == 302 and drill.is_drill
    for page in ("/desk/", f"/desk/incidents/{drill.pk}/"):
        html = client.get(page).content.decode()
        assert '<span class="badge drill">Drill</span>' in html, page


def test_the_api_and_the_insights_mark_it_too(client, people, api_as):
    drill = make_incident(title="Payouts held (practice)", is_drill=True)
    assert api_as("support").get(f"/api/incidents/{drill.public_id}").data["is_drill"] is True
    assert api_as("support").get("/api/insights").data["incidents"][0]["kind"] == "drill"
    client.force_login(people["support"])
    html = client.get("/desk/insights/").content.decode()
    assert 'Payouts held (practice)</a> <span class="badge drill">Drill</span>' in html
    assert "Drill: Payouts held (practice)" in html  # the per-incident chart's label
