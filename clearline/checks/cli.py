"""`clearline check`: the update checks from the command line, with no database and no Django."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from clearline.checks import stored
from clearline.checks.catalog import KINDS
from clearline.checks.stored import without_cycle_collection
from clearline.checks.text import line_col, line_starts

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn, TextIO

    from clearline.checks.report import Report

SUFFIXES = (".txt", ".md", ".markdown")
EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
_COLOURS = {"error": "31", "warning": "33", "info": "36"}


class UsageError(Exception):
    pass


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check updates and reviews for wording and completeness",
        description=(
            "Check customer updates and internal reviews against the clearline rules. "
            "Exit 0 when no finding is an error, 1 when one is, 2 for a usage error."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="FILE",
        help="files or folders (their .txt, .md and .markdown files); - reads standard input",
    )
    parser.add_argument(
        "--kind", choices=KINDS, default="update", help="what the text is (default: update)"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="clearline.toml with a [checks] table to apply"
    )
    parser.add_argument(
        "--history",
        metavar="DIR",
        help="folder of texts published before, for the boilerplate rule (CL119)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=0,
        metavar="N",
        help=(
            "processes that check many files at once (default: one per processor this process "
            "may use; 1 checks every file in this process)"
        ),
    )
    parser.set_defaults(func=run)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of processes, 1 or more: {value!r}"
        )
    return jobs


def run(args: argparse.Namespace) -> int:
    # The checks make no reference cycles (tests/checks/test_cli.py shows it): what they
    # allocate is freed as it goes, and the cyclic collector would only walk the phrase tables
    # again and again, a tenth of a run over many files.
    try:
        with without_cycle_collection():
            return _run(args, sys.stdout)
    except UsageError as error:
        print(f"clearline check: {error}", file=sys.stderr)
        return EXIT_USAGE


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from clearline.checks import CheckConfig, ConfigError, History, check

    try:
        config = CheckConfig.from_toml(args.config) if args.config else CheckConfig()
    except ConfigError as error:
        raise UsageError(f"--config: {error}") from error
    sources = _sources(args.paths)
    history = History()
    if args.history:
        folder = Path(args.history)
        if not folder.is_dir():
            raise UsageError(f"--history: {args.history} is not a folder")
        checked = {p.resolve() for p in sources if isinstance(p, Path)}
        history = History(_read(p) for p in _files_in(folder) if p.resolve() not in checked)
    texts = [(str(source), _read_stdin() if source == "-" else None) for source in sources]
    colour = args.format == "text" and out.isatty() and not os.environ.get("NO_COLOR")

    def checked(chunk: list[tuple[str, str | None]]) -> list[Result]:
        results = []
        for name, text in chunk:
            text = _read(Path(name)) if text is None else text
            report = check(text, kind=args.kind, config=config, history=history)
            if args.format == "json":
                results.append((report.to_dict(), report.has_errors))
            else:
                results.append((_text_lines(name, text, report, colour), report.has_errors))
        return results

    jobs = _job_count(args.jobs, len(texts))
    results = checked(texts) if jobs == 1 else _in_processes(checked, texts, jobs)
    if args.format == "json":
        # One file: exactly the report object. Several: a list of them, each with its "file".
        several = len(sources) > 1 or len(args.paths) > 1
        data = (
            [{"file": name, **entry} for (name, _), (entry, _) in zip(texts, results, strict=True)]
            if several
            else results[0][0]
        )
        _write_json(data, out=out)
    else:
        _write_text([lines for lines, _ in results], out=out)
    return EXIT_ERRORS if any(errors for _, errors in results) else EXIT_CLEAN


# What one file's check leaves for the output: its JSON object or its lines and their count of
# each severity; and whether a finding is an error.
Result = tuple[object, bool]
# Files per process below which starting another one costs more than it saves (a short update is
# checked in about half a millisecond; a process starts in a few).
_FILES_PER_JOB = 32


def _job_count(asked: int, files: int) -> int:
    if not hasattr(os, "fork"):
        return 1
    if asked == 0:  # the processors this process may use (all of them where that is not known)
        usable = getattr(os, "sched_getaffinity", None)
        asked = len(usable(0)) if usable is not None else (os.cpu_count() or 1)
    return max(1, min(asked, files // _FILES_PER_JOB))


def _in_processes(
    checked: Callable[[list[tuple[str, str | None]]], list[Result]],
    texts: list[tuple[str, str | None]],
    jobs: int,
) -> list[Result]:
    """`checked(texts)`, the texts cut into `jobs` runs of neighbouring files and each run
    checked in a process of its own (forked, so that it starts with everything this process
    has read), the results in the files' order. The first run is checked here, after one file
    that loads the phrase lists for every process; so is any run no process could be started
    for. Whatever stops this process (an unreadable file in its own run, Ctrl-C) stops the
    workers too."""
    import marshal  # what the workers send back: strings, numbers, lists and dicts

    first = checked(texts[:1])
    cuts = [1 + (len(texts) - 1) * i // jobs for i in range(jobs + 1)]
    runs = list(zip(cuts[:-1], cuts[1:], strict=True))
    mine = [runs[0]]
    workers: list[tuple[int, int, int, int]] = []  # pid, read end of its pipe, its run
    for start, end in runs[1:]:
        try:
            read, write = os.pipe()
        except OSError:  # out of file descriptors: this process checks the run
            mine.append((start, end))
            continue
        try:
            pid = os.fork()
        except OSError:  # out of processes
            os.close(read)
            os.close(write)
            mine.append((start, end))
            continue
        if pid == 0:
            os.close(read)
            for _, other, _, _ in workers:
                os.close(other)
            _work(checked, texts[start:end], write)
        os.close(write)
        workers.append((pid, read, start, end))
    found: dict[int, list[Result]] = {0: first}
    waiting = list(workers)
    try:
        for start, end in mine:
            found[start] = checked(texts[start:end])
        while waiting:
            pid, read, start, end = waiting[0]
            with os.fdopen(read, "rb") as stream:
                data = stream.read()
            _, status = os.waitpid(pid, 0)
            waiting.pop(0)
            try:
                # From the worker this process forked, through its own pipe.
                state, outcome, kept = marshal.loads(data)  # noqa: S302
            except (EOFError, ValueError, TypeError):
                state, outcome, kept = "failed", _ended(status), None
            if state == "usage":
                raise UsageError(outcome)
            if state == "failed":
                raise RuntimeError(
                    f"the process checking {texts[start][0]} to {texts[end - 1][0]} failed: "
                    f"{outcome}"
                )
            found[start] = outcome
            stored.merge(kept)  # what the worker worked out of new words, for the next run
    finally:
        for pid, read, _, _ in waiting:  # stopped early: the rest of the work is not wanted
            os.kill(pid, signal.SIGKILL)
            os.close(read)
            os.waitpid(pid, 0)
    return [result for start in sorted(found) for result in found[start]]


def _work(
    checked: Callable[[list[tuple[str, str | None]]], list[Result]],
    texts: list[tuple[str, str | None]],
    write: int,
) -> NoReturn:
    """A forked worker: check its run, send the results (or its error) and leave, whatever
    happens, without running anything of the process it was forked from (its exit handlers,
    its buffered output). Ctrl-C is left to that process, which stops the workers; a worker
    whose parent is gone stops at its next few files."""
    import marshal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        parent = os.getppid()
        stored.forked()
        try:
            results: list[Result] = []
            for at in range(0, len(texts), 16):
                if os.getppid() != parent:
                    os._exit(1)
                results += checked(texts[at : at + 16])
            outcome: tuple[str, object, object] = ("done", results, stored.changes())
        except UsageError as error:
            outcome = ("usage", str(error), None)
        except BaseException:  # sent back whole, to be shown as it would be shown here
            import traceback

            outcome = ("failed", traceback.format_exc(), None)
        with os.fdopen(write, "wb") as stream:
            marshal.dump(outcome, stream)
    finally:
        os._exit(0)


def _ended(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return f"it was stopped by signal {-code} ({signal.Signals(-code).name})"
    return f"it ended (exit status {code}) without sending its results"


def _sources(paths: list[str]) -> list[Path | str]:
    sources: list[Path | str] = []
    for name in paths:
        if name == "-":
            sources.append("-")
            continue
        path = Path(name)
        if path.is_dir():
            found = _files_in(path)
            if not found:
                raise UsageError(f"{name}: no {', '.join(SUFFIXES)} files in this folder")
            sources.extend(found)
        elif path.exists():
            sources.append(path)
        else:
            raise UsageError(f"{name}: no such file or folder")
    return sources


def _files_in(folder: Path) -> list[Path]:
    """The texts in a folder and the folders under it (not those behind symbolic links), in
    path order. Listed with `os.scandir`, which knows most entries' types without asking the
    system about each file: a folder of a thousand texts is listed in a few milliseconds."""
    found: list[Path] = []
    folders = [str(folder)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except PermissionError:
            continue  # a folder that cannot be listed is passed over
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_file() and (path := Path(entry.path)).suffix.lower() in SUFFIXES:
                found.append(path)
    return sorted(found, key=lambda path: path.parts)


def _read(path: Path) -> str:
    """The file's text, its line ends made "\n" as `Path.read_text` makes them; read as bytes
    without a buffer (the file is read whole) and decoded at once."""
    try:
        with open(path, "rb", buffering=0) as stream:
            data = stream.read()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"cannot read {path}: not UTF-8 text") from error
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _read_stdin() -> str:
    try:
        return sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError("cannot read standard input: not UTF-8 text") from error


def _write_json(data: object, *, out: TextIO) -> None:
    import json  # only for this format: a text run starts without it

    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _text_lines(name: str, text: str, report: Report, colour: bool) -> tuple[str, tuple[int, ...]]:
    """A file's compiler-style lines and how many findings of each severity they hold."""
    totals = {"error": 0, "warning": 0, "info": 0}
    lines = []
    starts = line_starts(text) if report.findings else []
    for finding in report.findings:
        totals[finding.severity] += 1
        line, col = line_col(starts, finding.start) if finding.start is not None else (1, 1)
        severity = finding.severity
        if colour:
            severity = f"\033[{_COLOURS[severity]}m{severity}\033[0m"
        lines.append(
            f"{name}:{line}:{col}: {finding.code} {finding.rule} {severity}: {finding.message}\n"
        )
        if finding.suggestion:
            lines.append(f"    suggestion: {finding.suggestion}\n")
    return "".join(lines), (totals["error"], totals["warning"], totals["info"])


def _write_text(files: list[tuple[str, tuple[int, ...]]], *, out: TextIO) -> None:
    """Every file's lines and the summary, written at once: an unbuffered standard output
    (PYTHONUNBUFFERED) would otherwise cost a system call per line."""
    errors = sum(counts[0] for _, counts in files)
    warnings = sum(counts[1] for _, counts in files)
    info = sum(counts[2] for _, counts in files)
    summary = (
        f"{_count(len(files), 'file')} checked: {_count(errors, 'error')}, "
        f"{_count(warnings, 'warning')}, {info} info\n"
    )
    out.write("".join([lines for lines, _ in files] + [summary]))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
