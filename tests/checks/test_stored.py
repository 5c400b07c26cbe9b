"""What the checks keep between processes (`clearline.checks.stored`) never changes a finding,
and a missing, broken or unwritable cache only costs time."""

import os
import re
import subprocess
import sys

import pytest

from clearline.checks import lexicon, stored

TEXT = (
    "Since 09:40 UTC some customers cannot sign in to the dashboard. We are looking into it and "
    "apologise for any inconvenience. We will post the next update by 10:30 UTC.\n"
)
# Prints the findings of a check, and which of the modules the cache spares were imported.
PROGRAM = (
    "import sys\n"
    "from clearline.cli import main\n"
    "code = main(['check', '--format', 'json', '--kind', sys.argv[2], sys.argv[1]])\n"
    "print(sorted(m for m in ('pyphen', 'tomllib') if m in sys.modules), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run(tmp_path, cache, text=TEXT, kind="update"):
    draft = tmp_path / "draft.txt"
    draft.write_text(text)
    env = {**os.environ, "CLEARLINE_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, str(draft), kind],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def kept_files(folder):
    return sorted(folder.glob("checks-*.marshal")) if folder.is_dir() else []


def test_a_second_process_reads_what_the_first_kept_and_finds_the_same(tmp_path):
    cache = tmp_path / "cache"
    first = run(tmp_path, cache)
    [kept] = kept_files(cache)
    written = kept.stat().st_mtime_ns
    second = run(tmp_path, cache)
    assert first.returncode == second.returncode == 0  # warnings only
    assert first.stdout == second.stdout and "CL104" not in first.stdout
    assert "CL112" in first.stdout  # the stock apology
    # The first parsed the data file and the hyphenation patterns; the second needed neither,
    # and had nothing new to write.
    assert first.stderr.strip() == "['pyphen', 'tomllib']"
    assert second.stderr.strip() == "[]"
    assert kept.stat().st_mtime_ns == written


def test_what_a_process_did_not_read_is_kept_when_it_writes(tmp_path):
    cache = tmp_path / "cache"
    expected = run(tmp_path, cache, kind="first")
    # Other words, and another kind's phrase lists: this process reads only part of the file,
    # and writes the file again with what it learnt.
    other = "Webhook deliveries to Frankfurt were delayed. Next update at 16:00 UTC.\n"
    run(tmp_path, cache, other)
    [kept] = kept_files(cache)
    written = kept.stat().st_mtime_ns
    again = run(tmp_path, cache, kind="first")
    assert (again.returncode, again.stdout) == (expected.returncode, expected.stdout)
    # Everything the first kind of check needs was still there: nothing new to write.
    assert again.stderr.strip() == "[]" and kept.stat().st_mtime_ns == written


def test_importing_the_checks_leaves_the_cache_alone(tmp_path):
    # The web application imports the checks when it starts: the cache is read and written
    # only once a text is checked.
    cache = tmp_path / "cache"
    program = "import clearline.checks, clearline.cli; clearline.checks.CheckConfig()"
    env = {**os.environ, "CLEARLINE_CACHE_DIR": str(cache)}
    subprocess.run([sys.executable, "-c", program], env=env, check=True, timeout=60)
    assert not cache.exists()


def test_keeping_turned_off_writes_nothing(tmp_path):
    result = run(tmp_path, "off")
    assert result.returncode == 0 and "CL112" in result.stdout
    assert not list(tmp_path.rglob("*.marshal"))


def test_a_broken_cache_file_is_passed_over_and_written_anew(tmp_path):
    cache = tmp_path / "cache"
    expected = run(tmp_path, cache)
    [kept] = kept_files(cache)
    kept.write_bytes(b"\x00not what marshal wrote")
    again = run(tmp_path, cache)
    assert (again.returncode, again.stdout) == (expected.returncode, expected.stdout)
    assert kept_files(cache) == [kept] and run(tmp_path, cache).stderr.strip() == "[]"


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("a file where the folder would be")
    expected = run(tmp_path, "off")
    result = run(tmp_path, blocked / "cache")
    assert (result.returncode, result.stdout) == (expected.returncode, expected.stdout)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_kept_expression_matches_as_the_one_re_compiles(flags):
    patterns = [
        lexicon._compile([(0, p)], folded=False).pattern for p in lexicon.load().stock_apology
    ] + [r"(?P<start>since|from)\s*$", r"\b(\d{1,2}):(\d\d)\b(?!\s*UTC)"]
    text = "We apologise for any inconvenience since 09:40 UTC and sorry from 9:05\n" * 3
    for pattern in patterns:
        ours, theirs = stored.compile(pattern, flags), re.compile(pattern, flags)
        assert (ours.flags, ours.groups, ours.groupindex) == (
            theirs.flags,
            theirs.groups,
            theirs.groupindex,
        )
        found = [(m.span(), m.groups()) for m in ours.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in theirs.finditer(text)]


def test_what_a_forked_process_kept_joins_what_this_one_kept(tmp_path, monkeypatch):
    # `clearline check --jobs` forks workers; each sends back what it worked out of new words,
    # and which kept results it read, so that a file over the size limit keeps them too.
    monkeypatch.setenv("CLEARLINE_CACHE_DIR", str(tmp_path))
    mine, theirs = stored._Store(), stored._Store()
    here = mine.table("words", packed=True)
    here.update({"upload": {"fails": (1,)}, "queue": b"packed", "sign": (2,)})
    mine.get("hyphenation", "en", lambda: "patterns")
    there = theirs.table("words", packed=True)
    theirs.get("hyphenation", "en", lambda: "patterns")
    theirs.forked()
    there.update({"upload": {"stalls": (3,)}, "queue": {"backs": (4,)}, "new": (5,)})
    for word in ("upload", "queue", "new"):
        theirs.added("words", word)
    theirs.get("syllables", "quorble", lambda: 2)
    theirs.get("hyphenation", "en", lambda: "not asked again")
    mine._used.clear()  # as if this process had read none of it
    mine.merge(theirs.changes())
    assert here == {
        "upload": {"fails": (1,), "stalls": (3,)},  # both processes' following words
        "queue": {"backs": (4,)},  # unpacked there, with more in it
        "sign": (2,),
        "new": (5,),
    }
    assert mine.get("syllables", "quorble", lambda: 0) == 2
    assert mine._used["hyphenation"] == {"en": "patterns"}


def test_a_forked_process_sends_nothing_back_when_nothing_is_kept(monkeypatch):
    monkeypatch.setenv("CLEARLINE_CACHE_DIR", "off")
    theirs = stored._Store()
    theirs.forked()
    theirs.get("syllables", "quorble", lambda: 2)
    assert theirs.changes() == {"kept": {}, "used": {}}
