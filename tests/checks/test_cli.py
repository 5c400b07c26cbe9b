"""`clearline check` as a comms owner runs it: a real process, real files, exit codes."""

import json
import marshal
import os
import pty
import subprocess
import sys

import pytest

GOOD = """Since 09:40 UTC, customers on the EU region cannot sign in to the web app.
Existing sessions still work and payments are not affected. Our identity team is leading the
response. If you are already signed in, please stay signed in for now. We will post the next
update by 10:30 UTC.
"""

NO_NEXT_UPDATE = """Since 09:40 UTC, customers on the EU region cannot sign in to the web app.
Existing sessions still work. Our identity team is leading the response.
We apologize for any inconvenience.
"""

VENDOR = """Page loads are slow for all customers due to an outage at our cloud provider.
We will post the next update by 12:30 UTC. No action is needed.
"""

PRELIMINARY = """This preliminary report holds only what we have confirmed so far. The problem
lasted from 09:12 UTC on Monday 30 November until 10:42 UTC (1 hour 30 minutes).

What customers experienced: invoice emails to customers in the EU region arrived up to 40 minutes
late. This affected customers in the EU region.

What stayed safe: no invoice data was changed or lost. How we checked the fix: we sent test
invoices every five minutes for half an hour and each arrived within a minute.

A full review of this incident will follow by Monday 7 December, with the cause in plain words.

If you have questions, write to help@example.com and a person on our team will answer.
"""

REPEATED = (
    "We know how much you rely on our service to run your business every day, and we want you "
    "to know that our engineers watch every part of the platform at all hours so that problems "
    "are found early."
)


def clearline(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "clearline", "check", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def file(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_it_exits_0_for_a_clean_update(tmp_path):
    result = clearline("--kind", "first", str(file(tmp_path, "good.md", GOOD)))
    assert result.returncode == 0, result.stdout
    assert result.stdout == "1 file checked: 0 errors, 0 warnings, 0 info\n"


def test_it_exits_1_and_prints_compiler_style_lines_for_an_error(tmp_path):
    path = file(tmp_path, "draft.txt", NO_NEXT_UPDATE)
    result = clearline("--kind", "update", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{path}:1:1: CL104 missing-next-update error: No concrete time" in result.stdout
    stock = next(line for line in lines if "CL112" in line)
    assert stock.startswith(f"{path}:3:1: CL112 stock-apology warning:")
    assert lines[lines.index(stock) + 1].startswith("    suggestion: Name the real impact")
    assert lines[-1] == "1 file checked: 1 error, 1 warning, 1 info"


def test_warnings_alone_exit_0(tmp_path):
    result = clearline("--kind", "update", str(file(tmp_path, "vendor.txt", VENDOR)))
    assert result.returncode == 0
    assert "CL117 vendor-blame warning" in result.stdout


def test_it_writes_the_documented_json_for_one_file(tmp_path):
    result = clearline("--format", "json", str(file(tmp_path, "draft.txt", NO_NEXT_UPDATE)))
    data = json.loads(result.stdout)
    assert set(data) == {"kind", "findings", "reader_test", "stats"} and data["kind"] == "update"
    codes = [f["code"] for f in data["findings"]]
    assert "CL104" in codes
    assert data["reader_test"]["next_update"] is None


def test_it_checks_a_preliminary_report_as_that_kind(tmp_path):
    good = clearline("--kind", "preliminary", str(file(tmp_path, "report.md", PRELIMINARY)))
    assert good.returncode == 0, good.stdout
    assert good.stdout == "1 file checked: 0 errors, 0 warnings, 0 info\n"
    review = PRELIMINARY.index("A full review")
    no_review = PRELIMINARY[:review] + PRELIMINARY[PRELIMINARY.index("If you have", review) :]
    result = clearline(
        "--kind", "preliminary", "--format", "json", str(file(tmp_path, "short.md", no_review))
    )
    data = json.loads(result.stdout)
    assert data["kind"] == "preliminary"
    assert [f["code"] for f in data["findings"]] == ["CL132"]
    # The same text as a progress update would need a next-update time: the kind matters.
    assert "CL104" in clearline("--kind", "update", str(file(tmp_path, "u.md", PRELIMINARY))).stdout


def test_it_reads_standard_input():
    result = clearline("--kind", "first", "--format", "json", "-", stdin=GOOD)
    assert result.returncode == 0 and json.loads(result.stdout)["findings"] == []


def test_it_checks_every_text_file_in_a_folder(tmp_path):
    file(tmp_path, "drafts/a.md", GOOD)
    file(tmp_path, "drafts/nested/b.txt", NO_NEXT_UPDATE)
    file(tmp_path, "drafts/notes.json", "{}")
    result = clearline("--format", "json", str(tmp_path / "drafts"))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [os.path.relpath(d["file"], tmp_path) for d in data] == [
        "drafts/a.md",
        "drafts/nested/b.txt",
    ]
    assert all(set(d) == {"file", "kind", "findings", "reader_test", "stats"} for d in data)


def test_several_files_give_one_summary(tmp_path):
    first = file(tmp_path, "a.md", GOOD)
    second = file(tmp_path, "b.md", VENDOR)
    result = clearline("--kind", "update", str(first), str(second))
    assert result.stdout.splitlines()[-1].startswith("2 files checked: 0 errors")


def test_it_flags_a_paragraph_repeated_from_the_history_folder(tmp_path):
    file(tmp_path, "published/march.md", "Old incident.\n\n" + REPEATED)
    draft = file(tmp_path, "draft.md", VENDOR + "\n" + REPEATED)
    result = clearline("--kind", "update", "--history", str(tmp_path / "published"), str(draft))
    assert "CL119 boilerplate warning: This paragraph repeats" in result.stdout
    without = clearline("--kind", "update", str(draft))
    assert "CL119" not in without.stdout


def test_a_config_can_make_a_warning_block(tmp_path):
    config = file(tmp_path, "clearline.toml", '[checks.severity]\nvendor-blame = "error"\n')
    draft = file(tmp_path, "vendor.txt", VENDOR)
    result = clearline("--kind", "update", "--config", str(config), str(draft))
    assert result.returncode == 1
    assert "CL117 vendor-blame error" in result.stdout


def test_a_config_can_turn_a_rule_off(tmp_path):
    config = file(tmp_path, "clearline.toml", '[checks]\ndisable = ["CL104", "CL112"]\n')
    draft = file(tmp_path, "draft.txt", NO_NEXT_UPDATE)
    assert clearline("--config", str(config), str(draft)).returncode == 0


def test_an_unknown_kind_is_a_usage_error(tmp_path):
    result = clearline("--kind", "tweet", str(file(tmp_path, "a.md", GOOD)))
    assert result.returncode == 2 and "invalid choice: 'tweet'" in result.stderr


def test_a_missing_file_is_a_usage_error(tmp_path):
    result = clearline(str(tmp_path / "missing.md"))
    assert result.returncode == 2
    assert result.stderr == f"clearline check: {tmp_path / 'missing.md'}: no such file or folder\n"


def test_an_unreadable_file_is_a_usage_error(tmp_path):
    path = file(tmp_path, "binary.txt", "")
    path.write_bytes(b"\xff\xfe\x00bad")
    result = clearline(str(path))
    assert result.returncode == 2 and "not UTF-8 text" in result.stderr


def test_standard_input_that_is_not_utf8_is_a_usage_error():
    result = subprocess.run(
        [sys.executable, "-m", "clearline", "check", "-"],
        input=b"Uploads fail \xff\xfe",
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == b"clearline check: cannot read standard input: not UTF-8 text\n"


def test_a_bad_config_is_a_usage_error_naming_the_setting(tmp_path):
    config = file(tmp_path, "clearline.toml", '[checks.severity]\nCL104 = "fatal"\n')
    result = clearline("--config", str(config), str(file(tmp_path, "a.md", GOOD)))
    assert result.returncode == 2
    assert "--config: severity for 'CL104' must be one of error, warning, info" in result.stderr


def test_a_folder_without_texts_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = clearline(str(tmp_path / "empty"))
    assert result.returncode == 2 and "no .txt, .md, .markdown files" in result.stderr


def test_a_missing_history_folder_is_a_usage_error(tmp_path):
    result = clearline("--history", str(tmp_path / "nope"), str(file(tmp_path, "a.md", GOOD)))
    assert result.returncode == 2 and "--history:" in result.stderr


def _run_on_a_terminal(tmp_path, **env):
    draft = file(tmp_path, "draft.txt", NO_NEXT_UPDATE)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "clearline", "check", str(draft)],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(leader)
    return output.decode()


def test_it_colours_severities_on_a_terminal(tmp_path):
    output = _run_on_a_terminal(tmp_path, NO_COLOR="")
    assert "\x1b[31merror\x1b[0m" in output


def test_it_never_colours_when_no_color_is_set(tmp_path):
    output = _run_on_a_terminal(tmp_path, NO_COLOR="1")
    assert "\x1b[" not in output and "error:" in output


def test_it_never_colours_output_sent_to_a_file(tmp_path):
    result = clearline(str(file(tmp_path, "draft.txt", NO_NEXT_UPDATE)))
    assert "\x1b[" not in result.stdout


def _in_this_process(capsys, *args):
    from clearline.cli import main

    code = main(["check", *args])
    return code, capsys.readouterr().out


def test_a_new_process_prints_what_a_long_running_one_does(tmp_path, capsys):
    # As a git hook or an editor runs it: the installed command, a new process each time, with
    # nothing kept yet, then with what the first run kept, then with keeping turned off.
    paths = [
        str(file(tmp_path, name, text))
        for name, text in [("a.md", GOOD), ("b.txt", NO_NEXT_UPDATE), ("c.txt", VENDOR)]
    ]
    command = [os.path.join(os.path.dirname(sys.executable), "clearline"), "check"]
    for args in (["--kind", "update", *paths], ["--format", "json", paths[1]]):
        expected = _in_this_process(capsys, *args)
        runs = []
        for cache in ("kept", "kept", "off"):
            where = cache if cache == "off" else str(tmp_path / cache)
            env = {**os.environ, "CLEARLINE_CACHE_DIR": where, "NO_COLOR": "1"}
            result = subprocess.run(
                [*command, *args], capture_output=True, text=True, timeout=120, env=env
            )
            assert result.stderr == ""
            runs.append((result.returncode, result.stdout))
        assert runs == [expected] * 3
    assert '"code": "CL104"' in expected[1]


def test_checking_leaves_no_reference_cycles_so_the_command_runs_without_the_collector():
    # `clearline check` turns the cyclic collector off for its run: that is only safe while
    # what a check allocates is freed as it goes. Every labelled text, under every kind.
    import gc

    from clearline.checks import check
    from clearline.checks.catalog import KINDS
    from tests.checks.labelled import FOLDER, HELDOUT, REAL_DEVELOPMENT, load_examples

    folders = (FOLDER, HELDOUT, REAL_DEVELOPMENT)
    texts = [example.text for folder in folders for example in load_examples(folder)]
    for kind in KINDS:  # what is built once (phrase tables, grammars) is built before counting
        check(texts[0], kind=kind)
    gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    try:
        for text in texts:
            for kind in KINDS:
                check(text, kind=kind)
        assert gc.collect() == 0
    finally:
        if collecting:
            gc.enable()


def test_the_command_gives_the_collector_back_when_run_in_a_longer_process(tmp_path, capsys):
    import gc

    assert gc.isenabled()
    code, out = _in_this_process(capsys, str(file(tmp_path, "draft.txt", NO_NEXT_UPDATE)))
    assert code == 1 and "CL104" in out
    assert gc.isenabled()


def many_files(tmp_path, count=100):
    """A folder of `count` different drafts, good and bad, one of every kind of finding."""
    drafts = [GOOD, NO_NEXT_UPDATE, VENDOR, PRELIMINARY, REPEATED]
    for i in range(count):
        text = drafts[i % len(drafts)].replace("09:40", f"{i % 24:02d}:40")
        file(tmp_path, f"many/{i:03d}.md", f"{text}\nDraft {i} of the Quorblefrax release.\n")
    return tmp_path / "many"


def test_many_files_checked_by_several_processes_give_what_one_process_gives(tmp_path):
    folder = many_files(tmp_path)
    for args in ([], ["--format", "json"], ["--kind", "preliminary"]):
        one = clearline("--jobs", "1", *args, str(folder))
        several = clearline("--jobs", "3", *args, str(folder))
        assert several.returncode == one.returncode == 1
        assert several.stderr == one.stderr == ""
        assert several.stdout == one.stdout
    assert one.stdout.splitlines()[-1].startswith("100 files checked: ")
    assert len(json.loads(clearline("-j", "2", "--format", "json", str(folder)).stdout)) == 100


def test_what_other_processes_worked_out_is_kept_for_the_next_run(tmp_path):
    # The last files are checked by another process: the words only they hold are kept too.
    folder = many_files(tmp_path)
    file(tmp_path, "many/999.md", "Uploads fail for the Zumbrelloquist team since 10:00 UTC.\n")
    cache = tmp_path / "cache"
    result = clearline("--jobs", "2", str(folder), env={**os.environ, "CLEARLINE_CACHE_DIR": cache})
    assert result.returncode == 1
    (kept,) = cache.glob("checks-*.marshal")
    tables = marshal.loads(kept.read_bytes())  # noqa: S302 (what this run just wrote)
    syllables = marshal.loads(tables["syllables"][1])  # noqa: S302
    assert {"zumbrelloquist", "quorblefrax"} <= {word.lower() for word in syllables}


# An unreadable file in the part this process checks (it stops the workers) or in a worker's.
@pytest.mark.parametrize("unreadable", ["005.md", "098.md"])
def test_an_unreadable_file_is_the_same_usage_error_whichever_process_reads_it(
    tmp_path, unreadable
):
    folder = many_files(tmp_path)
    (folder / unreadable).write_bytes(b"\xff\xfe\x00bad")
    one = clearline("--jobs", "1", str(folder))
    several = clearline("--jobs", "3", str(folder))
    assert several.returncode == one.returncode == 2
    assert several.stdout == one.stdout == ""
    assert (
        several.stderr
        == one.stderr
        == f"clearline check: cannot read {folder / unreadable}: not UTF-8 text\n"
    )


def test_jobs_must_be_a_whole_number_of_processes(tmp_path):
    draft = str(file(tmp_path, "a.md", GOOD))
    for bad in ("0", "-2", "two"):
        result = clearline("--jobs", bad, draft)
        assert result.returncode == 2
        assert "argument --jobs/-j: must be a whole number of processes, 1 or more" in result.stderr
