"""A support viewer exports a report: Markdown, HTML and a PDF whose text a reader can pull
out, each with the organisation's name (and its logo when it has one) and every section."""

import io

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from clearline.accounts.models import Organisation
from clearline.cli import main
from clearline.reviews.reports import drafting, exports, services
from clearline.reviews.reports.models import Edition
from tests.reviews.reports.conftest import publish_edition

# A 1×1 PNG: enough for the export to carry an image.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2a4d8a40000000049454e44ae426082"
)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def reports(incident, people):
    return {r.edition: r for r in services.draft_reports(incident=incident, by=people["comms"])}


@pytest.mark.parametrize("edition", list(Edition))
def test_the_pdf_carries_every_section_heading_as_text(filled, people, edition):
    export = exports.export_report(reports(filled, people)[edition], "pdf")
    assert export.content.startswith(b"%PDF") and export.filename.endswith(".pdf")
    text = " ".join(pdf_text(export.content).split())
    assert "Tallyhouse" in text
    for heading in drafting.headings(edition):
        assert heading in text, heading


def test_the_html_export_names_the_organisation_and_shows_its_logo(
    filled, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    org = Organisation.current()
    org.logo.save("tallyhouse.png", ContentFile(PNG))
    page = exports.export_report(reports(filled, people)["plain"], "html").content.decode()
    assert '<div class="org">Tallyhouse</div>' in page
    assert 'src="data:image/png;base64,' in page
    assert "<h2>What stayed safe</h2>" in page


def test_the_internal_export_says_it_is_not_for_customers(filled, people):
    page = exports.export_report(reports(filled, people)["internal"], "html").content.decode()
    assert "Internal: not for customers" in page


def test_edited_markup_is_shown_as_words_not_run(filled, people):
    report = reports(filled, people)["plain"]
    report.update.body += "\n\n<script>alert(1)</script>"
    page = exports.export_report(report, "html").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_markdown_export_is_the_text_under_the_organisations_name(filled, people):
    report = reports(filled, people)["plain"]
    text = exports.export_report(report, "md").content.decode()
    assert text.startswith("Tallyhouse · Customer report (plain language)\n")
    assert report.update.body in text


def test_the_desk_exports_for_viewers_only(filled, people, client):
    report = reports(filled, people)["internal"]
    address = f"/desk/reports/{report.public_id}/export.pdf"
    client.force_login(people["outsider"])
    assert client.get(address).status_code == 403
    client.force_login(people["support"])
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_cli_exports_the_published_report(filled, people, tmp_path, capsys):
    publish_edition(filled, people, "technical")
    out = tmp_path / "report.pdf"
    assert main(["report", "export", filled.public_id, "--format", "pdf", "-o", str(out)]) == 0
    assert "Incident report (technical)" in " ".join(pdf_text(out.read_bytes()).split())
    assert main(["report", "export", str(filled.pk), "--format", "md"]) == 0
    assert "## How to ask us questions" in capsys.readouterr().out


def test_the_cli_exits_2_without_a_report(filled, capsys):
    assert main(["report", "export", filled.public_id]) == 2
    assert "no such report" in capsys.readouterr().err
