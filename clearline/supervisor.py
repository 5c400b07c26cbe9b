"""Run several commands as one and keep them running: what `clearline serve --with-worker` uses.

A worker that dies (killed, out of memory, a bug) must not take the status page with it, and a
web server that gives up (granian exits after a crash loop of its own workers) must come back.
Each dead child is started again after a pause that doubles with each quick death and starts
over once the child has stayed up a while. Only Ctrl-C or SIGTERM to the supervisor stops them.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

# The first pause before a restart, its ceiling, and how long a child must have run for its
# next death to count as a fresh one (the pause starts over).
FIRST_DELAY = 0.5
MAX_DELAY = 30.0
STABLE_AFTER = 60.0
# How long each child may take to finish its requests or its task in hand once asked to stop.
STOP_GRACE = 40.0


def say(message: str) -> None:
    print(f"clearline: {message}", file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    delay: float = FIRST_DELAY
    restarts: int = 0

    def start(self) -> None:
        # Its own process group: a Ctrl-C in the terminal reaches it once, from here, as a
        # SIGTERM, and stopping it stops whatever it started (granian's worker processes).
        self.process = subprocess.Popen(self.argv, process_group=0)  # noqa: S603 - our own argv
        self.started_at = time.monotonic()
        self.restart_at = None

    def signal_group(self, signum: int) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)

    def check(self, now: float) -> None:
        """Notice a death and schedule the restart; start it again when its pause is over."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                say(f"starting the {self.name} again (restart {self.restarts})")
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        # Whatever it left behind in its group (a web server's orphaned workers holding the
        # port) goes with it, so the new one starts clean.
        self.signal_group(signal.SIGKILL)
        if now - self.started_at >= STABLE_AFTER:
            self.delay = FIRST_DELAY
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
        say(f"the {self.name} stopped ({how}); starting it again in {self.delay:g} s")
        self.restart_at = now + self.delay
        self.delay = min(self.delay * 2, MAX_DELAY)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def run_side_by_side(commands: dict[str, list[str]]) -> int:
    """Run the commands side by side until Ctrl-C or SIGTERM, restarting any that dies.

    On Ctrl-C or SIGTERM every child's process group gets a SIGTERM (the web server finishes
    its requests, the worker its task in hand); what is still running after STOP_GRACE seconds
    is killed.
    """
    stop_requested: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stop_requested.append(signum))
    children = [Child(name, argv) for name, argv in commands.items()]
    for child in children:
        child.start()
    while not stop_requested:
        now = time.monotonic()
        for child in children:
            child.check(now)
        time.sleep(0.1)
    say(f"stopping the {' and the '.join(commands)}")
    for child in children:
        if child.running():
            child.signal_group(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for child in children:
        if child.process is None:
            continue
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"the {child.name} did not stop within {STOP_GRACE:g} s; killing it")
        child.signal_group(signal.SIGKILL)  # also anything it left behind in its group
        child.process.wait()
    return 0
