"""`clearline check`: the update checks from the command line, with no database and no Django."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clearline.checks.catalog import KINDS
from clearline.checks.stored import without_cycle_collection
from clearline.checks.text import line_col, line_starts

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

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
    parser.set_defaults(func=run)


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
    reports = []
    for source in sources:
        text = _read_stdin() if source == "-" else _read(source)
        reports.append(
            (str(source), text, check(text, kind=args.kind, config=config, history=history))
        )
    if args.format == "json":
        _write_json(reports, several=len(sources) > 1 or len(args.paths) > 1, out=out)
    else:
        _write_text(reports, out=out)
    return EXIT_ERRORS if any(report.has_errors for _, _, report in reports) else EXIT_CLEAN


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


def _write_json(reports: list, *, several: bool, out: TextIO) -> None:
    """One file: exactly the report object. Several: a list of them, each with its "file"."""
    import json  # only for this format: a text run starts without it

    if several:
        data: object = [{"file": name, **report.to_dict()} for name, _, report in reports]
    else:
        data = reports[0][2].to_dict()
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _write_text(reports: list, *, out: TextIO) -> None:
    """Compiler-style lines, written at once: an unbuffered standard output (PYTHONUNBUFFERED)
    would otherwise cost a system call per line."""
    colour = out.isatty() and not os.environ.get("NO_COLOR")
    totals = {"error": 0, "warning": 0, "info": 0}
    lines = []
    for name, text, report in reports:
        starts = line_starts(text) if report.findings else []
        for finding in report.findings:
            totals[finding.severity] += 1
            line, col = line_col(starts, finding.start) if finding.start is not None else (1, 1)
            severity = finding.severity
            if colour:
                severity = f"\033[{_COLOURS[severity]}m{severity}\033[0m"
            lines.append(
                f"{name}:{line}:{col}: {finding.code} {finding.rule} {severity}: "
                f"{finding.message}\n"
            )
            if finding.suggestion:
                lines.append(f"    suggestion: {finding.suggestion}\n")
    lines.append(
        f"{_count(len(reports), 'file')} checked: {_count(totals['error'], 'error')}, "
        f"{_count(totals['warning'], 'warning')}, {totals['info']} info\n"
    )
    out.write("".join(lines))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
