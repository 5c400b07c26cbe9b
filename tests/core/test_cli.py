import subprocess
import sys

import pytest

from tests.servers import clearline_env, run_cli

COMMANDS = ["serve", "worker", "demo", "snapshot", "export", "import", "unlock"]


@pytest.mark.parametrize("command", COMMANDS)
def test_it_explains_every_command(command):
    result = subprocess.run(
        [sys.executable, "-m", "clearline", command, "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"usage: clearline {command}" in result.stdout


def test_it_rejects_an_unknown_command_with_exit_code_2():
    result = subprocess.run(
        [sys.executable, "-m", "clearline", "launch"], capture_output=True, text=True
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.mark.slow
def test_it_loads_the_demo_once_and_prints_the_logins(tmp_path):
    env = clearline_env(tmp_path)
    first = run_cli("demo", "--if-empty", env=env).stdout
    assert "demo data loaded" in first and "dana" in first and "role approver" in first
    second = run_cli("demo", "--if-empty", env=env).stdout
    assert "already present" in second
    password = first.split("password for all: ")[1].split(")")[0]
    assert password in second  # the same login works after a restart
    snapshot = run_cli("snapshot", env=env).stdout
    assert "wrote" in snapshot and (tmp_path / "snapshot" / "index.html").exists()
