#!/usr/bin/env python3
"""Writes one bench/run.sh run into docs/performance.md: replaces the text between the
results markers with the run's date, machine and tables.

    write_report.py --results DIR --doc docs/performance.md"""

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys

BEGIN = "<!-- bench:results:begin -->"
END = "<!-- bench:results:end -->"


def read(results, name):
    path = os.path.join(results, name)
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError as e:
        sys.exit("write_report.py: missing result {}: {}".format(path, e))


def run_time(results):
    """When the run's first result was written (the report may be written later)."""
    stamp = os.path.getmtime(os.path.join(results, "cost.json"))
    return datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC")


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            cpu = m.group(1) if m else cpu
    except OSError:
        pass
    cc = subprocess.run(["clang++-19", "--version"], stdout=subprocess.PIPE, text=True)
    return "{} cores ({}), {}, {}".format(os.cpu_count(), cpu, platform.platform(),
                                         cc.stdout.splitlines()[0] if cc.stdout else "clang?")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--doc", required=True)
    a = ap.parse_args()
    body = "\n".join([
        BEGIN,
        "Run of {} on {}. The ratios, measured side by side in this run, are the result; "
        "absolute times move with the machine's load.".format(
            run_time(a.results), machine()),
        "", "### Runtime cost", "", "Default worker pool (4 threads):", "",
        read(a.results, "cost.md"),
        "", "One worker thread (`AORM_WORKERS=1`):", "", read(a.results, "cost-w1.md"),
        "", "### Loop stall", "", read(a.results, "stall.md"),
        "", "![heartbeat tick delay](loop-stall.svg)",
        "", "### Linter cost", "", read(a.results, "lint.md"),
        "", "### Real code without aorm", "", read(a.results, "real.md"),
        END])
    try:
        with open(a.doc) as f:
            doc = f.read()
    except OSError as e:
        sys.exit("write_report.py: cannot read {}: {}".format(a.doc, e))
    if BEGIN not in doc or END not in doc:
        sys.exit("write_report.py: {} has no {} ... {} section to fill".format(a.doc, BEGIN, END))
    start, stop = doc.index(BEGIN), doc.index(END) + len(END)
    with open(a.doc, "w") as f:
        f.write(doc[:start] + body + doc[stop:])


if __name__ == "__main__":
    main()
