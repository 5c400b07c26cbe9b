"""`clearline check` as whole processes, beside proselint run the same way on the same files.

Two measures, each a median over runs that alternate the two tools so both see the same machine:

- many files: one command checks a folder of 999 short texts (`clearline check DIR`, `proselint
  check DIR`): start-up plus the checks themselves. clearline shares many files out among a
  process per processor (`--jobs`), so it is measured that way, as a user runs it, and with
  `--jobs 1`, all in one process, for the CPU work alone (proselint uses one process);
- one file from a cold start, as a git hook or an editor runs it: a new process for one update.

Both run from compiled bytecode, as installed packages do. Times are the processes' CPU time
(user and system, as the system counts it for children, with their own children: other work on a
busy machine counts against neither tool) and wall-clock time. clearline keeps what it works out
from its phrase lists between processes (see `clearline.checks.stored`): the runs use a cache
folder of their own, filled by one run first, and the first run of all (an empty cache, as just
after installing or upgrading) is measured apart. Writes bench/results/check_cli.json.

    python bench/check_cli.py [--runs 21] [--folder-runs 11]
"""

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.checks.labelled import HELDOUT, load_examples  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "check_cli.json"
TEXTS = 999
TARGET_MANY = 5.0  # proselint's time over clearline's, at least
TARGET_ONE = 1.0  # clearline's time over proselint's, at most
BIN = Path(sys.executable).parent
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def short_texts() -> list[str]:
    """999 different short updates: every labelled text, then the first sentences of one with
    the last sentences of another, as updates reuse each other's wording."""
    labelled = [e.text.strip() for e in load_examples() + load_examples(HELDOUT)]
    sentences = [_SENTENCE_END.split(text) for text in labelled]
    texts, seen = [], set()
    step = 0
    while len(texts) < TEXTS:
        for i, parts in enumerate(sentences):
            if step == 0:
                text = labelled[i]
            else:
                other = sentences[(i * 7 + step * 13) % len(sentences)]
                head, tail = parts[: max(1, len(parts) // 2)], other[len(other) // 2 :]
                text = " ".join(head + tail)
            if text not in seen:
                seen.add(text)
                texts.append(text)
            if len(texts) == TEXTS:
                break
        step += 1
    return texts


def one_update() -> str:
    """A first update of about 150 words, as one file is checked on commit or save."""
    return (
        "Since 09:40 UTC some customers in the EU region cannot sign in to the dashboard from "
        "the web app; the mobile apps and the API still work, and anyone already signed in can "
        "keep working. Our identity team is leading the response. A configuration change in "
        "this morning's release stopped sign-in requests from reaching the service that checks "
        "passwords, and we are rolling that change back now. No payment data was exposed. If "
        "you cannot sign in, your administrator can send you a single sign-on link meanwhile; "
        "there is nothing else you need to do. We are sorry that your team lost time this "
        "morning. We will post the next update on this page by 10:30 UTC, or sooner if the "
        "rollback finishes before then. Questions can go to support@example.com at any time.\n"
    )


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compare(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, object]:
    """Medians of each command's runs, and proselint's over each clearline command's. The
    commands take turns, each run starting from another one: none always runs after the same."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    order = list(commands.items())
    for i in range(runs):
        for name, argv in order[i % len(order) :] + order[: i % len(order)]:
            samples[name].append(run(argv, env))
    figures: dict[str, object] = {"runs": runs}
    for name, found in samples.items():
        figures[name] = {
            "wall_median_ms": round(statistics.median(w for w, _ in found) * 1000, 1),
            "cpu_median_ms": round(statistics.median(c for _, c in found) * 1000, 1),
        }
    for name in commands:
        if name == "proselint":
            continue
        suffix = name.removeprefix("clearline")
        for clock in ("wall", "cpu"):
            key = f"{clock}_median_ms"
            figures[f"proselint_over_clearline{suffix}_{clock}"] = round(
                figures["proselint"][key] / figures[name][key],  # type: ignore[index]
                2,
            )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="one-file runs per tool")
    parser.add_argument("--folder-runs", type=int, default=11, help="999-file runs per tool")
    args = parser.parse_args()
    clearline, prose = BIN / "clearline", BIN / "proselint"
    if not prose.exists():
        print("proselint is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    import proselint.version

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "texts"
        folder.mkdir()
        texts = short_texts()
        for number, text in enumerate(texts, 1):
            (folder / f"{number:04}.txt").write_text(text + "\n", encoding="utf-8")
        single = Path(work) / "update.txt"
        single.write_text(one_update(), encoding="utf-8")
        cache = Path(work) / "cache"
        # Both tools run from compiled bytecode, as after `pip install` (written once, to a
        # folder of this run's own, whatever PYTHONDONTWRITEBYTECODE says here).
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPYCACHEPREFIX": str(Path(work) / "bytecode"),
            "CLEARLINE_CACHE_DIR": str(cache),
            "NO_COLOR": "1",
        }
        ours_one = [str(clearline), "check", "--kind", "first", str(single)]
        theirs_one = [str(prose), "check", str(single)]

        # The first run of all, with nothing kept yet (each run starts from an empty cache).
        empty = []
        for i in range(5):
            fresh = {**env, "CLEARLINE_CACHE_DIR": str(Path(work) / f"empty-{i}")}
            empty.append(run(ours_one, fresh))
        run(ours_one, env)  # fills the cache the measured runs read
        run(theirs_one, env)
        one = compare({"clearline": ours_one, "proselint": theirs_one}, args.runs, env)
        ours_many = [str(clearline), "check", "--kind", "update", str(folder)]
        # As the first run after installing: nothing kept of these texts' words yet.
        many_empty = run(ours_many, {**env, "CLEARLINE_CACHE_DIR": str(Path(work) / "empty")})
        many = compare(
            {
                "clearline": ours_many,  # as a user runs it: a process per processor
                "clearline_one_process": [*ours_many, "--jobs", "1"],
                "proselint": [str(prose), "check", str(folder)],
            },
            args.folder_runs,
            env,
        )
    one["clearline_with_an_empty_cache"] = {
        "runs": len(empty),
        "wall_median_ms": round(statistics.median(w for w, _ in empty) * 1000, 1),
        "cpu_median_ms": round(statistics.median(c for _, c in empty) * 1000, 1),
    }
    one["words"] = len(one_update().split())
    many["clearline_with_an_empty_cache"] = {
        "runs": 1,
        "wall_ms": round(many_empty[0] * 1000, 1),
        "cpu_ms": round(many_empty[1] * 1000, 1),
    }
    many["texts"] = len(texts)
    many["words_median"] = statistics.median(len(t.split()) for t in texts)
    results = {
        "generated": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "proselint": proselint.version.__version__,
        "clock": "median per command: CPU (user + system, of all its processes) and wall-clock",
        "processors": len(os.sched_getaffinity(0)),
        "many_files": many,
        "one_file_cold_start": one,
        "targets": {
            "many_files_proselint_over_clearline_at_least": TARGET_MANY,
            "one_file_clearline_over_proselint_at_most": TARGET_ONE,
            "many_files_met": many["proselint_over_clearline_wall"] >= TARGET_MANY,
            "many_files_met_in_one_process_cpu": (
                many["proselint_over_clearline_one_process_cpu"] >= TARGET_MANY
            ),
            "one_file_met": one["proselint_over_clearline_cpu"] >= 1 / TARGET_ONE,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    for title, figures in (
        (f"{many['texts']} short texts, one command each tool", many),
        (f"one {one['words']}-word file, a new process each time", one),
    ):
        c, p = figures["clearline"], figures["proselint"]
        print(
            f"{title} (median of {figures['runs']}): clearline {c['cpu_median_ms']} ms CPU, "
            f"{c['wall_median_ms']} ms wall; proselint {p['cpu_median_ms']} ms CPU, "
            f"{p['wall_median_ms']} ms wall: proselint takes "
            f"{figures['proselint_over_clearline_cpu']}x clearline's CPU time "
            f"({figures['proselint_over_clearline_wall']}x wall)."
        )
    single = many["clearline_one_process"]
    print(
        f"  clearline --jobs 1 (one process): {single['cpu_median_ms']} ms CPU, "
        f"{single['wall_median_ms']} ms wall: proselint takes "
        f"{many['proselint_over_clearline_one_process_cpu']}x its CPU time."
    )
    e, f = one["clearline_with_an_empty_cache"], many["clearline_with_an_empty_cache"]
    print(
        f"clearline with an empty cache: one file {e['cpu_median_ms']} ms CPU, "
        f"{e['wall_median_ms']} ms wall (median of {e['runs']}); the {many['texts']} texts "
        f"{f['cpu_ms']} ms CPU, {f['wall_ms']} ms wall."
    )
    print(f"Results written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
