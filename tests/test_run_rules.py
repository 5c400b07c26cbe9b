"""The rules of a test run (tests/conftest.py): under CI a skip fails unless the other database's
run covers the test, and a run is on the database it names. Checked on a small suite run by
pytest in its own process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clearline.core.dbcheck import ci_is_on

REPO = Path(__file__).resolve().parent.parent

SUITE = """
import pytest


@pytest.mark.skipif(True, reason="the PostgreSQL run covers this")
def test_covered_by_the_other_run():
    pass


def test_that_needs_a_missing_tool():
    pytest.skip("chromium is not installed")


def test_that_runs():
    pass
"""


def run_suite(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_runtest_makereport, pytest_sessionstart  # noqa: F401\n"
    )
    (tmp_path / "test_small.py").write_text(SUITE)
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CI", "DATABASE_URL", "CLEARLINE_TEST_DATABASE"}
    }
    environ.update(PYTHONPATH=str(REPO), DJANGO_SETTINGS_MODULE="clearline.settings", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", "--rootdir", tmp_path],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "On", " true "])
def test_ci_is_on_for_any_true_word(value):
    assert ci_is_on({"CI": value}) is True


@pytest.mark.parametrize("value", ["", "0", "false", "no", "off", "nope"])
def test_ci_is_off_otherwise(value):
    assert ci_is_on({"CI": value}) is False
    assert ci_is_on({}) is False


@pytest.mark.slow
def test_under_ci_a_skip_for_another_reason_fails_the_run(tmp_path):
    done = run_suite(tmp_path, CI="yes")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed, 1 skipped" in done.stdout
    assert (
        "skipped under CI, where only another database run may skip: chromium is not installed"
    ) in done.stdout
    assert "SKIPPED [1] test_small.py:5: the PostgreSQL run covers this" in done.stdout


@pytest.mark.slow
def test_outside_ci_skips_pass_and_are_listed_with_their_reasons(tmp_path):
    done = run_suite(tmp_path, CI="false")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 2 skipped" in done.stdout
    assert "SKIPPED [1] test_small.py:5: the PostgreSQL run covers this" in done.stdout
    assert "SKIPPED [1] test_small.py:11: chromium is not installed" in done.stdout


@pytest.mark.slow
def test_a_run_meant_for_postgresql_stops_when_it_would_run_on_sqlite(tmp_path):
    done = run_suite(tmp_path, DATABASE_URL="", CLEARLINE_TEST_DATABASE="postgresql")
    assert done.returncode == 4
    assert (
        "this run should be on postgresql, but DATABASE_URL names sqlite "
        "and the tests would run on sqlite"
    ) in done.stderr
    assert "passed" not in done.stdout
