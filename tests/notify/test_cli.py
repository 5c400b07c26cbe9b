"""`clearline subscribers import|export`: every row checked before anything is written, a report
naming each bad row and column, and a file that goes out and back in unchanged."""

import csv
import io

import pytest
from django.utils import timezone

from clearline import worker
from clearline.cli import main
from clearline.notify.models import Subscriber
from tests.unchanged import nothing_changes


def run(capsys, *argv):
    code = main(["subscribers", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, text: str):
    path = tmp_path / "subscribers.csv"
    path.write_text(text)
    return str(path)


def test_a_good_file_is_imported_whole(parts, tmp_path, capsys):
    api, web = parts["api"].public_id, parts["web"].public_id
    path = write(
        tmp_path,
        f"email,webhook_url,components\nana@example.com,,{api};{web}\nbo@example.com,,\n",
    )
    code, out, err = run(capsys, "import", path, "--confirmed")
    assert code == 0, err
    assert "imported 2 subscribers" in err
    ana = Subscriber.objects.get(email="ana@example.com")
    assert ana.is_active and {c.public_id for c in ana.components.all()} == {api, web}
    assert not Subscriber.objects.get(email="bo@example.com").components.exists()


def test_without_confirmed_each_new_address_gets_its_confirmation_mail(
    transactional_db, tmp_path, capsys, smtp
):
    Subscriber.objects.create(email="old@example.com", confirmed_at=timezone.now())
    path = write(
        tmp_path,
        "email,webhook_url,components\nana@example.com,,\nbo@example.com,,\nold@example.com,,\n",
    )
    code, _, err = run(capsys, "import", path)
    assert code == 0, err
    assert "1 were subscribed already" in err
    worker.run(batch=True, periodic=False)
    assert sorted(m["To"] for m in smtp.messages) == ["ana@example.com", "bo@example.com"]
    assert Subscriber.objects.active().count() == 1


def test_a_bad_row_imports_nothing_and_the_report_names_row_and_column(parts, tmp_path, capsys):
    path = write(
        tmp_path,
        "email,webhook_url,components\n"
        "ana@example.com,,\n"
        "not-an-address,,\n"
        f"bo@example.com,,{parts['billing'].public_id}\n"
        ",http://10.0.0.7/hook,\n"
        "ana@example.com,,\n",
    )
    with nothing_changes():
        code, out, err = run(capsys, "import", path, "--confirmed")
    assert code == 1
    lines = err.splitlines()
    assert f"{path}: row 3, column email: Enter an email address such as name@example.com." in lines
    assert any(
        line.startswith(f"{path}: row 4, column components: no component on the status page")
        for line in lines
    )
    assert any(
        line.startswith(f"{path}: row 5, column webhook_url: 10.0.0.7 leads to a private")
        for line in lines
    )
    assert f"{path}: row 6, column email: the same address as row 2" in lines
    assert "4 problems found; nothing was imported." in err


def test_a_missing_column_is_reported_on_the_header_row(db, tmp_path, capsys):
    code, _, err = run(capsys, "import", write(tmp_path, "email,components\nana@example.com,\n"))
    assert code == 1
    assert "row 1, column webhook_url: this column is missing from the header" in err


def test_export_then_import_gives_back_the_same_file(parts, tmp_path, capsys, loopback):
    api = parts["api"]
    ana = Subscriber.objects.create(email="ana@example.com", confirmed_at=timezone.now())
    ana.components.set([api])
    Subscriber.objects.create(email="bo@example.com", confirmed_at=timezone.now())
    Subscriber.objects.create(
        channel="webhook", url="http://127.0.0.1:9000/hook", confirmed_at=timezone.now()
    )
    code, exported, _ = run(capsys, "export")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0] == {
        "email": "ana@example.com",
        "webhook_url": "",
        "components": api.public_id,
        "status": "confirmed",
    }
    Subscriber.objects.all().delete()
    code, out, err = run(capsys, "import", write(tmp_path, exported))
    assert code == 0, err
    assert "http://127.0.0.1:9000/hook\twhsec_" in out  # the new secret, shown this once
    _, again, _ = run(capsys, "export")
    assert again == exported


def test_a_large_file_shows_its_progress(db, tmp_path, capsys):
    lines = ["email,webhook_url,components"] + [f"p{n}@example.com,," for n in range(1200)]
    code, _, err = run(capsys, "import", write(tmp_path, "\n".join(lines) + "\n"), "--confirmed")
    assert code == 0
    assert "\r checked 1,200/1,200" in err and "\r imported 1,200/1,200" in err
    assert Subscriber.objects.active().count() == 1200


@pytest.mark.parametrize("status", ["unsubscribed", "suppressed"])
def test_an_exported_row_no_longer_subscribed_is_not_brought_back(db, tmp_path, capsys, status):
    path = write(tmp_path, f"email,webhook_url,components,status\nana@example.com,,,{status}\n")
    code, _, err = run(capsys, "import", path, "--confirmed")
    assert code == 0 and "1 no longer subscribed rows skipped" in err
    assert not Subscriber.objects.exists()
