"""A spreadsheet of key accounts comes in whole or not at all, every bad row named."""

from datetime import date

import pytest

from clearline.core.permissions import SYSTEM
from clearline.loop import accounts
from clearline.loop.models import KeyAccount
from tests.factories import make_user
from tests.unchanged import nothing_changes

GOOD = """name,tier,renewal_date,owner,notes
Acme Freight,Strategic,2027-03-31,kim,Renews in March
  northwind   traders ,growth,,kim@example.com,
"""


@pytest.fixture
def kim(db):
    return make_user("kim", "viewer")


def test_a_good_file_adds_every_account(kim):
    assert accounts.import_key_accounts(by=SYSTEM, text=GOOD) == (2, 0)
    acme = KeyAccount.objects.get(name="Acme Freight")
    assert (acme.tier, acme.renewal_date, acme.owner, acme.notes) == (
        "strategic",
        date(2027, 3, 31),
        kim,
        "Renews in March",
    )
    northwind = KeyAccount.objects.get(name_key="northwind traders")
    assert northwind.name == "northwind traders" and northwind.renewal_date is None


def test_importing_again_changes_what_matches_by_name(kim):
    accounts.import_key_accounts(by=SYSTEM, text=GOOD)
    again = "name,tier,owner\nACME FREIGHT,enterprise,kim\n"
    assert accounts.import_key_accounts(by=SYSTEM, text=again) == (0, 1)
    assert KeyAccount.objects.get(name_key="acme freight").tier == "enterprise"


def test_bad_rows_import_nothing_and_are_each_named(kim):
    bad = (
        "name,tier,renewal_date,owner\n"
        "Acme Freight,strategic,2027-03-31,kim\n"
        ",growth,,kim\n"
        "Globex,platinum,31/03/2027,nobody\n"
        "acme  freight,growth,,kim\n"
    )
    with nothing_changes(), pytest.raises(accounts.ImportRefused) as refused:
        accounts.import_key_accounts(by=SYSTEM, text=bad)
    assert refused.value.problems == [
        (3, "name", "Give the account's name"),
        (4, "owner", "no active person with a role is called 'nobody'"),
        (5, "name", "the same account as row 2"),
    ]
    assert "row 4, owner" in refused.value.message


def test_a_file_without_the_owner_column_is_refused(kim):
    with pytest.raises(accounts.ImportRefused) as refused:
        accounts.import_key_accounts(by=SYSTEM, text="name,tier\nAcme,growth\n")
    assert refused.value.problems == [(1, "owner", "this column is missing")]


def test_a_viewer_may_not_import(kim):
    with nothing_changes(), pytest.raises(Exception, match="permission|allowed|not"):
        accounts.import_key_accounts(by=kim, text=GOOD)


def test_the_export_imports_back_and_defuses_formulas(kim):
    accounts.import_key_accounts(by=SYSTEM, text=GOOD + "=HYPERLINK(1),growth,,kim,\n")
    exported = accounts.export_key_accounts(KeyAccount.objects.order_by("name_key"))
    assert exported.splitlines()[0] == "name,tier,renewal_date,owner,notes"
    assert "'=HYPERLINK(1),growth,,kim," in exported
    assert "Acme Freight,strategic,2027-03-31,kim,Renews in March" in exported


def test_the_command_line_imports_all_or_nothing_and_exports(kim, tmp_path, capsys):
    from clearline.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("name,owner\nAcme Freight,kim\nGlobex,\n")
    assert main(["accounts", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert "row 3, owner: give the account owner's username or email address" in err
    assert not KeyAccount.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    assert main(["accounts", "import", str(good)]) == 0
    assert "2 added, 0 changed" in capsys.readouterr().out
    assert main(["accounts", "export"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "Acme Freight,strategic,2027-03-31,kim,Renews in March"
    )
