#!/usr/bin/env python3
"""Lints the aorm corpora: clean/ must give zero aorm findings; misuse/ must give exactly the
findings in misuse/expected.txt; after --fix every fixed file compiles and re-lints down to the
findings marked no-fix.

    lint_corpus.py --build BUILD_DIR [--tool aorm-tidy|plugin]

Uses aorm-tidy by default, or clang-tidy-19 with the plugin."""

import argparse
import collections
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
REPO = os.path.dirname(os.path.dirname(HERE))
# The Drogon-shaped files use the mock Drogon headers of the checks' tests; Asio is the real one.
FLAGS = ["-std=c++20", "-I" + os.path.join(REPO, "orm-runtime", "include"),
         "-I" + os.path.join(REPO, "test", "checks", "Inputs")]
FINDING = re.compile(r"^(\S+?):(\d+):(\d+): warning: .*\[(aorm-[a-z-]+)\]$", re.M)
CRASH = re.compile(r"Stack dump:|PLEASE submit a bug report")


class Linter:
    def __init__(self, build, tool):
        self.build = build
        if tool == "aorm-tidy":
            exe = os.path.join(build, "tool", "aorm-tidy", "aorm-tidy")
            self.base = [exe]
        else:
            exe = os.path.join(build, "checks", "libaorm-tidy-plugin.so")
            self.base = ["clang-tidy-19", "--load=" + exe, "--quiet"]
        if not os.path.exists(exe):
            sys.exit("lint_corpus.py: {} is not built".format(exe))

    def run(self, files, fix=False):
        """Findings as a list of (basename, line, column, check)."""
        cmd = self.base + ["-checks=-*,aorm-*"] + (["--fix"] if fix else []) + files
        cmd += ["--"] + FLAGS
        p = subprocess.run(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode < 0 or CRASH.search(p.stdout):
            sys.exit("lint_corpus.py: the linter crashed (exit {}) on {}:\n{}".format(
                p.returncode, " ".join(files), p.stdout[-3000:]))
        return sorted((os.path.basename(f), int(l), int(c), chk)
                      for f, l, c, chk in FINDING.findall(p.stdout))


def read_expected(path):
    expected, unfixable = [], []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"(\S+):(\d+):(\d+) (aorm-[a-z-]+)( no-fix)?", line)
            if not m:
                sys.exit("lint_corpus.py: {}:{}: expected '<file>:<line>:<col> <check> [no-fix]',"
                         " got '{}'".format(path, n, line))
            item = (m.group(1), int(m.group(2)), int(m.group(3)), m.group(4))
            expected.append(item)
            if m.group(5):
                unfixable.append(item)
    return sorted(expected), sorted(unfixable)


def show(items):
    return "\n".join("    {}:{}:{} {}".format(*i) for i in items) or "    (none)"


def compare(what, got, want):
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    if missing or extra:
        print("FAIL {}:\n  missing:\n{}\n  unexpected:\n{}".format(what, show(missing),
                                                                   show(extra)))
        return False
    print("ok   {}: {} findings as expected".format(what, len(got)))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--tool", choices=["aorm-tidy", "plugin"], default="aorm-tidy")
    a = ap.parse_args()
    lint = Linter(os.path.abspath(a.build), a.tool)
    ok = True

    clean = sorted(glob.glob(os.path.join(CORPUS, "clean", "*.cpp")))
    ok &= compare("clean corpus ({} files)".format(len(clean)), lint.run(clean), [])

    misuse = sorted(glob.glob(os.path.join(CORPUS, "misuse", "*.cpp")))
    expected, unfixable = read_expected(os.path.join(CORPUS, "misuse", "expected.txt"))
    ok &= compare("misuse corpus ({} files)".format(len(misuse)), lint.run(misuse), expected)

    work = tempfile.mkdtemp(prefix="aorm-lint-corpus-")
    try:
        shutil.copy(os.path.join(CORPUS, "models.hpp"), work)
        shutil.copytree(os.path.join(CORPUS, "misuse"), os.path.join(work, "misuse"))
        fixed = [os.path.join(work, "misuse", os.path.basename(f)) for f in misuse]
        lint.run(fixed, fix=True)
        for f in fixed:
            p = subprocess.run(["clang++-19", "-fsyntax-only"] + FLAGS + [f], text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if p.returncode != 0:
                ok = False
                print("FAIL fixed {} does not compile:\n{}".format(os.path.basename(f), p.stdout))
        # Fixes keep the line structure, so what is left is compared by file and check.
        left = collections.Counter((f, chk) for f, _, _, chk in lint.run(fixed))
        want = collections.Counter((f, chk) for f, _, _, chk in unfixable)
        if left != want:
            ok = False
            print("FAIL after --fix: left {}, expected only the no-fix ones {}".format(
                sorted(left.elements()), sorted(want.elements())))
        else:
            print("ok   after --fix: every fixed file compiles; {} no-fix findings remain".format(
                sum(left.values())))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
