#!/usr/bin/env python3
"""Start to first frame with data, the real binary in a pseudo-terminal.

Launches `ducklens` in an 80x24 (or --size) pty, times from the spawn to the first output that
holds the Account tab's data ("Equity"), then presses q and waits for the exit. Two
ways in are timed, interleaved, N times each, and the best and median of each are printed
with `uptime` before and after:

  open   `ducklens --db DEMO_FILE`: the app on an existing demo database (what a user's
         every start is);
  demo   `ducklens --db DEMO_FILE demo`: the README's first command, which rebuilds the demo
         file and then opens it.

Usage: python3 benches/compare/first_frame.py [--bin PATH] [--runs N] [--size 80x24]
The binary defaults to $CARGO_TARGET_DIR/release/ducklens (or target/release/ducklens).
"""

import argparse
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import tempfile
import time

# The Account summary's first word that only a frame with data has. One word: ratatui writes
# only the cells that changed, so a phrase can arrive split by cursor moves.
MARKER = b"Equity"


def default_bin():
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    return os.path.join(target, "release", "ducklens")


def set_size(fd, cols, rows):
    import fcntl
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def one_run(argv, cols, rows, env, timeout=30.0):
    """Seconds from spawn to the first frame with data."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    set_size(fd, cols, rows)
    os.kill(pid, signal.SIGWINCH)
    start = time.perf_counter()
    seen = b""
    elapsed = None
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen = (seen + chunk)[-4096:]
        if MARKER in seen:
            elapsed = time.perf_counter() - start
            break
    os.write(fd, b"q")
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            select.select([fd], [], [], 0.05)
            os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        raise SystemExit(f"no frame with data within {timeout} s: {' '.join(argv)}")
    return elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=default_bin())
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--size", default="80x24")
    args = ap.parse_args()
    cols, rows = (int(v) for v in args.size.split("x"))
    binary = os.path.abspath(args.bin)
    work = tempfile.mkdtemp(prefix="ducklens-first-frame-")
    demo_db = os.path.join(work, "demo.duckdb")
    env = dict(os.environ, TERM="xterm-256color", HOME=work)
    env.pop("NO_COLOR", None)
    # Build the demo file once, so that `open` has one to open.
    subprocess.run(
        [binary, "--db", demo_db, "demo", "--no-tui"],
        env=env,
        check=False,
        capture_output=True,
    )
    if not os.path.exists(demo_db):
        one_run([binary, "--db", demo_db, "demo"], cols, rows, env)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    times = {"open": [], "demo": []}
    for _ in range(args.runs):
        times["open"].append(one_run([binary, "--db", demo_db], cols, rows, env))
        times["demo"].append(one_run([binary, "--db", demo_db, "demo"], cols, rows, env))
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for name, ts in times.items():
        ms = sorted(t * 1000 for t in ts)
        print(
            f"{name:5} best {ms[0]:7.1f} ms  median {statistics.median(ms):7.1f} ms  "
            f"({len(ms)} runs, {cols}x{rows})"
        )


if __name__ == "__main__":
    main()
