"""Export everything, restore it into an empty database, and get the same export back."""

import json

import pytest
from django.contrib.auth import get_user_model

from clearline.accounts.models import ApiToken
from clearline.core import transfer
from clearline.core.errors import ClearlineError
from clearline.core.models import AuditEntry
from clearline.incidents.services import add_fact, add_timeline_entry
from tests.factories import make_component, make_incident, publish
from tests.servers import clearline_env, run_cli


def wipe() -> None:
    from django.apps import apps

    for label in reversed(transfer.MODELS):
        apps.get_model(label).objects.all().delete()


def test_it_round_trips_everything_through_an_empty_database(db, people):
    web = make_component("Web app", group="Product")
    incident = make_incident(
        title="Uploads fail",
        body="Uploads over 10 MB fail.",
        by=people["comms"],
        components={web: "partial_outage"},
    )
    add_timeline_entry(incident=incident, by=people["commander"], text="Cause found: proxy limit.")
    add_fact(incident=incident, by=people["commander"], text="Is data lost?", kind="question")
    publish(incident, "Uploads work again.", status="resolved", by=people["commander"])
    ApiToken.issue(user=people["admin"], name="monitoring")
    first = transfer.export_json()

    wipe()
    assert not get_user_model().objects.exists()
    transfer.import_json(first)

    assert transfer.export_json() == first
    restored = get_user_model().objects.get(username="dana")
    assert restored.check_password("a-long-test-password-1")
    assert restored.has_perm("updates.approve_update")
    assert AuditEntry.objects.filter(action="update.published").count() == 2


def test_it_refuses_to_import_over_existing_data(db, people):
    document = transfer.export_json()
    with pytest.raises(ClearlineError, match="already holds data"):
        transfer.import_json(document)


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "Not a JSON file"),
        ('{"format": "other"}', "Not a clearline export"),
        ('{"format": "clearline-export", "version": 99, "objects": []}', "version 99"),
    ],
)
def test_it_explains_what_is_wrong_with_a_bad_file(db, text, message):
    with pytest.raises(ClearlineError, match=message):
        transfer.import_json(text)


def test_it_restores_nothing_from_a_damaged_export(db, people):
    make_incident(title="Uploads fail", body="Uploads over 10 MB fail.")
    document = json.loads(transfer.export_json())
    wipe()
    document["objects"].append({"model": "incidents.incident", "pk": 999, "fields": {"title": 5}})
    with pytest.raises(ClearlineError, match="damaged"):
        transfer.import_json(json.dumps(document))
    assert not get_user_model().objects.exists()


@pytest.mark.slow
def test_it_exports_and_imports_from_the_command_line(tmp_path):
    source = clearline_env(tmp_path / "a")
    run_cli("demo", env=source)
    run_cli("export", str(tmp_path / "export.json"), env=source)
    target = clearline_env(tmp_path / "b")
    run_cli("import", str(tmp_path / "export.json"), env=target)
    again = run_cli("export", env=target).stdout
    assert again == (tmp_path / "export.json").read_text()
    assert (tmp_path / "b" / "snapshot" / "api" / "v2" / "summary.json").exists()
    refused = run_cli("import", str(tmp_path / "export.json"), env=target, check=False)
    assert refused.returncode == 2 and "already holds data" in refused.stderr
