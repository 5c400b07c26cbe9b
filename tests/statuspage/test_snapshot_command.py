"""An operator's timer refreshes the time-dependent public pages: `clearline snapshot --core`."""

import os

from clearline.cli import main
from clearline.statuspage.snapshot import render_everything
from tests.factories import make_incident


def test_it_refreshes_the_front_page_and_leaves_incident_pages_alone(db, snapshot_dir, capsys):
    incident = make_incident(title="Exports delayed", status="resolved")
    render_everything()
    index = snapshot_dir / "index.html"
    summary = snapshot_dir / "api" / "v2" / "summary.json"
    page = snapshot_dir / "incidents" / f"{incident.public_id}.html"
    for path in (index, summary, page):
        os.utime(path, (0, 0))  # as if written long ago

    assert main(["snapshot", "--core"]) == 0

    assert index.stat().st_mtime > 0
    assert summary.stat().st_mtime > 0
    assert page.stat().st_mtime == 0
    assert "wrote 12 files" in capsys.readouterr().out
