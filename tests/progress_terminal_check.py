#!/usr/bin/env python3
"""Progress of long runs as a user sees it: `montecarlo`, `sensitivity --grid`, `bid` over a grid
and `report` show a progress line on standard error only when it is a terminal (here a
pseudo-terminal from Python's pty module), never when it is a pipe or with --quiet; standard
output is byte for byte the same either way.

usage: progress_terminal_check.py LEASECALC MODELS_DIR"""

import os
import pty
import re
import select
import subprocess
import sys


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def with_pipes(args):
    run = subprocess.run(args, capture_output=True, timeout=120)
    return run.returncode, run.stdout, run.stderr


def with_terminal_stderr(args):
    """Standard error on a pseudo-terminal, standard output on a pipe."""
    master, slave = pty.openpty()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    terminal = b""
    stdout = b""
    streams = [master, process.stdout.fileno()]
    while streams:
        ready, _, _ = select.select(streams, [], [], 120)
        if not ready:
            process.kill()
            fail("no output for 120 s from " + " ".join(args))
        for stream in ready:
            try:
                chunk = os.read(stream, 65536)
            except OSError:  # the terminal's other end closed (Linux says EIO)
                chunk = b""
            if not chunk:
                streams.remove(stream)
            elif stream == master:
                terminal += chunk
            else:
                stdout += chunk
    os.close(master)
    return process.wait(), stdout, terminal


def main():
    leasecalc, models = sys.argv[1:3]
    model = os.path.join(models, "us-h100-take-or-pay.yaml")
    cases = [
        ("montecarlo", [leasecalc, "montecarlo", model, "--runs", "600", "--threads", "2", "--format", "csv"],
         r"montecarlo: \d+/600 scenarios \(\d+%\)", "montecarlo: 600/600 scenarios (100%)"),
        ("sensitivity --grid", [leasecalc, "sensitivity", model, "--grid"],
         r"sensitivity grid: \d+/\d+ cells", None),
        ("bid", [leasecalc, "bid", model, "--target", "project-irr", "10%", "--terms", "24,36,48", "--fast"],
         r"bid: \d/3 grid points", "bid: 3/3 grid points (100%)"),
    ]
    for name, args, pattern, last in cases:
        code, piped_out, piped_err = with_pipes(args)
        if code != 0:
            fail("%s exited with %d: %s" % (name, code, piped_err.decode(errors="replace")))
        if piped_err != b"":
            fail("%s printed on a standard error that is no terminal: %r" % (name, piped_err[:300]))
        code, out, terminal = with_terminal_stderr(args)
        if code != 0:
            fail("%s on a terminal exited with %d" % (name, code))
        if out != piped_out:
            fail("%s: standard output differs when standard error is a terminal" % name)
        shown = terminal.decode(errors="replace")
        if not re.search(pattern, shown):
            fail("%s: no progress line on the terminal: %r" % (name, shown[:300]))
        if last and last not in shown:
            fail("%s: the progress line never reached the end: %r" % (name, shown[-300:]))
        if not shown.endswith("\r\033[K"):
            fail("%s: the progress line is not erased before the result: %r" % (name, shown[-80:]))
        if "left" not in shown or "/s" not in shown:
            fail("%s: the progress line lacks the rate or the time left: %r" % (name, shown[:300]))
        code, out, terminal = with_terminal_stderr(args + ["--quiet"])
        if code != 0 or out != piped_out or terminal != b"":
            fail("%s --quiet: %d, standard output %s, terminal %r" %
                 (name, code, "same" if out == piped_out else "differs", terminal[:200]))
        print("%s: progress shown on a terminal only; standard output unchanged" % name)


if __name__ == "__main__":
    main()
