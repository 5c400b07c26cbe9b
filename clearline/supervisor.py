"""Run several commands as one: what `clearline serve --with-worker` (and `make run`) uses."""

import signal
import subprocess
import sys
import time


def run_side_by_side(commands: dict[str, list[str]]) -> int:
    """Run the commands side by side; Ctrl-C or SIGTERM stops them all, and so does one dying.

    Each child has its own process group, so a Ctrl-C reaches it once, from here, as a SIGTERM:
    the web server finishes its requests and the worker its task in hand.
    """
    stop_requested = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stop_requested.append(signum))
    children = {
        name: subprocess.Popen(argv, process_group=0)  # noqa: S603 - our own argv, no shell
        for name, argv in commands.items()
    }
    while not stop_requested and all(child.poll() is None for child in children.values()):
        time.sleep(0.2)
    for name, child in children.items():
        if child.poll() is not None and not stop_requested:
            print(f"clearline: the {name} stopped (exit {child.returncode})", file=sys.stderr)
    print(f"clearline: stopping the {' and the '.join(children)}", file=sys.stderr, flush=True)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    for child in children.values():
        try:
            child.wait(timeout=40)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return 0 if stop_requested else 1
