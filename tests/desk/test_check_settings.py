"""An admin tunes the checks for the organisation; every draft is checked with the result."""

import pytest

from clearline.accounts.models import Organisation
from clearline.core.models import AuditEntry
from clearline.updates.checking import check_draft
from tests.factories import make_incident, organisation_admin_form
from tests.unchanged import nothing_changes

URL = "/desk/settings/checks/"
TEXT = (
    "Since 09:40 UTC some customers cannot sign in. We restarted Falcon. We apologize for "
    "any inconvenience. We will post the next update by 10:30 UTC."
)


def form_data(**changes) -> dict:
    data = {"check_glossary": "", "check_grade_target": "10", "check_max_sentence_words": "35"}
    return data | changes


@pytest.fixture
def admin_desk(client, people):
    client.force_login(people["admin"])
    return client


def finding(code: str):
    report = check_draft(incident=make_incident(), body=TEXT)
    return [f for f in report.findings if f.code == code]


def test_an_admin_sees_every_rule_with_its_catalog_severity(admin_desk):
    page = admin_desk.get(URL).content.decode()
    assert "CL122 unsupported-claim" in page
    assert "Catalog: error for first, update, resolved, preliminary, report." in page
    assert 'name="phrases_CL111"' in page


@pytest.mark.parametrize("persona", ["comms", "commander", "support"])
def test_no_one_below_admin_may_open_or_change_the_settings(client, people, persona):
    client.force_login(people[persona])
    assert client.get(URL).status_code == 403
    with nothing_changes():
        response = client.post(URL, form_data(check_glossary="secret-host"))
    assert response.status_code == 403
    assert Organisation.current().check_glossary == ""


def test_the_desk_links_the_settings_only_for_admins(client, people):
    client.force_login(people["comms"])
    assert URL not in client.get("/desk/").content.decode()
    client.force_login(people["admin"])
    assert URL in client.get("/desk/").content.decode()


def test_a_glossary_term_becomes_a_jargon_finding(admin_desk):
    assert finding("CL110") == []
    response = admin_desk.post(URL, form_data(check_glossary="Falcon\n\n  Ledgerline \n"))
    assert response.status_code == 302
    assert Organisation.current().glossary_terms == ["Falcon", "Ledgerline"]
    assert [f.message for f in finding("CL110")] == [
        '"Falcon" is an internal or soft label, not what customers saw.'
    ]


def test_a_severity_override_changes_the_severity(admin_desk):
    assert [f.severity for f in finding("CL112")] == ["warning"]
    admin_desk.post(URL, form_data(rule_CL112="error"))
    assert [f.severity for f in finding("CL112")] == ["error"]
    assert 'value="error" selected' in admin_desk.get(URL).content.decode()


def test_a_rule_turned_off_finds_nothing(admin_desk):
    admin_desk.post(URL, form_data(rule_CL112="off"))
    assert Organisation.current().check_disabled == ["CL112"]
    assert finding("CL112") == []


def test_extra_phrases_are_flagged_under_their_rule(admin_desk):
    admin_desk.post(URL, form_data(phrases_CL111="our engineers are heroes\n"))
    report = check_draft(incident=make_incident(), body=TEXT + " Our engineers are heroes.")
    assert "empty-reassurance" in report.rules


def test_a_long_sentence_limit_is_applied(admin_desk):
    admin_desk.post(URL, form_data(check_max_sentence_words="8"))
    assert finding("CL120")


def test_a_bad_value_names_the_field_keeps_what_was_typed_and_saves_nothing(admin_desk):
    typed = form_data(check_glossary="Falcon", check_grade_target="45", rule_CL112="error")
    response = admin_desk.post(URL, typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["check_grade_target"]
    page = response.content.decode()
    assert "everything you typed is kept" in page
    assert "Falcon</textarea>" in page
    assert 'value="error" selected' in page
    org = Organisation.current()
    assert (org.check_glossary, org.check_severities) == ("", {})


def test_every_change_is_audited_with_what_changed(admin_desk, people):
    admin_desk.post(URL, form_data(check_glossary="Falcon", rule_CL107="off"))
    entry = AuditEntry.objects.get(action="organisation.checks_changed")
    assert entry.actor == people["admin"]
    assert set(entry.changes) == {"check_glossary", "check_disabled"}
    assert entry.summary == "Changed the check settings: internal names, rules turned off"


def test_saving_unchanged_settings_writes_no_audit_entry(admin_desk):
    admin_desk.post(URL, form_data())
    assert not AuditEntry.objects.filter(action="organisation.checks_changed").exists()


def save_in_admin(client, org, **json_fields):
    """Post the organisation's admin form as it stands, with some JSON settings typed in."""
    data = organisation_admin_form(org)
    return client.post(f"/admin/accounts/organisation/{org.pk}/change/", data | json_fields)


def test_the_admin_refuses_a_setting_the_checks_cannot_use_naming_the_field(admin_desk):
    org = Organisation.current()
    response = save_in_admin(admin_desk, org, check_severities='{"CL999": "error"}')
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["check_severities"] == ["severity: 'CL999' is not a rule code or name"]
    org.refresh_from_db()
    assert org.check_severities == {}


def test_the_admin_saves_and_audits_a_good_setting(admin_desk):
    org = Organisation.current()
    response = save_in_admin(
        admin_desk,
        org,
        check_phrases='{"jargon": ["pod restart"]}',
        check_severities='{"CL118": "error"}',
        check_disabled='["CL107"]',
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.check_config().severity("CL118", "warning") == "error"
    assert AuditEntry.objects.filter(action="admin.edited").exists()
