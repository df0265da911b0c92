#!/usr/bin/env python3
"""Robustness on real code that does not use aorm: every aorm check over libstdc++ headers,
LLVM/Clang 19 headers, Boost.Asio's headers (its awaitable, deferred, experimental coroutine and
channel machinery, which the asio profile's names and the awaitable recognition meet) and this
repository's own sources. Any aorm finding there is a false
positive, and any crash is a bug; both make the exit status non-zero.

    real_code.py --build BUILD_DIR [--slice] [--jobs N] [--json OUT]

Uses aorm-tidy when it is built, else clang-tidy-19 with the plugin. --slice runs a few TUs of
each kind (the ctest version)."""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
LIBSTDCXX = "/usr/include/c++/12"
LLVM_INCLUDE = "/usr/lib/llvm-19/include"
# Header directories of LLVM/Clang taken in sorted order; each TU includes a group of them.
LLVM_DIRS = ["llvm/ADT", "llvm/Support", "clang/AST", "clang/ASTMatchers", "clang/Basic",
             "clang/Lex", "clang/Tooling", "clang/Analysis", "clang/Sema"]
LLVM_GROUP = 8
GROUPS_PER_DIR = 2  # keeps a full run within the 15-minute budget on 2 cores
# Boost.Asio TUs, each a group of its public headers (Debian's libboost1.81-dev).
ASIO_GROUPS = [
    ["boost/asio.hpp"],
    ["boost/asio/awaitable.hpp", "boost/asio/co_spawn.hpp", "boost/asio/use_awaitable.hpp",
     "boost/asio/deferred.hpp", "boost/asio/detached.hpp", "boost/asio/redirect_error.hpp"],
    ["boost/asio/experimental/awaitable_operators.hpp", "boost/asio/experimental/channel.hpp",
     "boost/asio/experimental/coro.hpp", "boost/asio/experimental/promise.hpp",
     "boost/asio/experimental/parallel_group.hpp"],
    ["boost/asio/ssl.hpp", "boost/asio/thread_pool.hpp", "boost/asio/strand.hpp"],
]
CRASH = re.compile(r"Stack dump:|PLEASE submit a bug report|Segmentation fault|Aborted")
AORM_FINDING = re.compile(r"^(.*?):(\d+):(\d+): (warning|error): (.*\[aorm-[a-z-]+\])$", re.M)
COMPILE_ERROR = re.compile(r"error: .*\[clang-diagnostic-error\]")
# The repository's own sources that do not use aorm as a client.
REPO_GLOBS = ["checks/*.cpp", "tool/*/*.cpp", "orm-runtime/src/*.cpp"]


def libstdcxx_headers():
    names = sorted(n for n in os.listdir(LIBSTDCXX)
                   if os.path.isfile(os.path.join(LIBSTDCXX, n)) and "." not in n)
    # Headers that need a library or an option the default compile line does not give.
    skip = {"stacktrace", "spanstream", "expected", "execution"}
    return [n for n in names if n not in skip]


def llvm_header_groups():
    groups = []
    for d in LLVM_DIRS:
        hs = sorted(glob.glob(os.path.join(LLVM_INCLUDE, d, "*.h")))
        for i in range(0, min(len(hs), LLVM_GROUP * GROUPS_PER_DIR), LLVM_GROUP):
            groups.append([os.path.relpath(h, LLVM_INCLUDE) for h in hs[i:i + LLVM_GROUP]])
    return groups


def build_corpus(out, build, slice_):
    """Writes the TUs and one compile_commands.json; returns {kind: [entries]}."""
    std = ["clang++-19", "-std=c++20"]
    kinds = {"libstdc++": [], "llvm/clang": [], "boost.asio": [], "repository": []}
    heads = libstdcxx_headers()
    if slice_:
        heads = ["coroutine", "future", "ranges", "regex", "vector"]
    for h in heads:
        path = os.path.join(out, "std_{}.cpp".format(h))
        with open(path, "w") as f:
            f.write("#include <{}>\n".format(h))
        kinds["libstdc++"].append({"directory": out, "file": path,
                                   "arguments": std + ["-c", path]})
    groups = llvm_header_groups()
    if slice_:
        groups = [g for g in groups if g[0].startswith("clang/ASTMatchers")][:1] + groups[:1]
    for i, g in enumerate(groups):
        path = os.path.join(out, "llvm_{:03d}.cpp".format(i))
        with open(path, "w") as f:
            f.write("".join("#include \"{}\"\n".format(h) for h in g))
        kinds["llvm/clang"].append({"directory": out, "file": path,
                                    "arguments": std + ["-I" + LLVM_INCLUDE, "-fno-rtti",
                                                        "-D__STDC_CONSTANT_MACROS",
                                                        "-D__STDC_LIMIT_MACROS", "-c", path]})
    for i, g in enumerate(ASIO_GROUPS[:1] if slice_ else ASIO_GROUPS):
        path = os.path.join(out, "asio_{:02d}.cpp".format(i))
        with open(path, "w") as f:
            f.write("".join("#include <{}>\n".format(h) for h in g))
        kinds["boost.asio"].append({"directory": out, "file": path, "arguments": std + ["-c", path]})
    db_path = os.path.join(build, "compile_commands.json")
    try:
        with open(db_path) as f:
            db = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("real_code.py: cannot read {}: {} (configure the build first)".format(db_path, e))
    wanted = set()
    for g in REPO_GLOBS:
        wanted.update(os.path.abspath(p) for p in glob.glob(os.path.join(REPO, g)))
    repo = sorted((e for e in db if os.path.abspath(
        os.path.join(e["directory"], e["file"])) in wanted), key=lambda e: e["file"])
    if slice_:
        repo = [e for e in repo if os.path.basename(e["file"]) in
                ("Intent.cpp", "evaluate.cpp", "ResultCache.cpp")]
    kinds["repository"] = repo
    entries = [e for es in kinds.values() for e in es]
    with open(os.path.join(out, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=1)
    return kinds


def count_lines(entries):
    """Distinct files every TU reads (clang++ -MM over the same command) and their lines."""
    files = set()
    for e in entries:
        args = e.get("arguments") or e["command"].split()
        keep, skip = [], False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a in ("-c", "-o"):
                skip = a == "-o"
                continue
            keep.append(a)
        p = subprocess.run(["clang++-19", "-M"] + keep, cwd=e["directory"], text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        deps = p.stdout.replace("\\\n", " ").split(":", 1)[-1].split()
        files.update(os.path.realpath(os.path.join(e["directory"], d)) for d in deps)
    lines = 0
    for path in files:
        try:
            with open(path, "rb") as f:
                lines += f.read().count(b"\n")
        except OSError:
            pass
    return len(files), lines


def crash_excerpt(text):
    """The part of a crash report that names the failure: from "Stack dump:" on."""
    i = text.find("Stack dump:")
    return text[i:i + 2500] if i >= 0 else text[-2500:]


class Linter:
    def __init__(self, build, out, jobs):
        aorm_tidy = os.path.join(build, "tool", "aorm-tidy", "aorm-tidy")
        plugin = os.path.join(build, "checks", "libaorm-tidy-plugin.so")
        self.common = ["-checks=-*,aorm-*", "--header-filter=.*", "--system-headers"]
        self.out, self.jobs = out, jobs
        if os.path.exists(aorm_tidy):
            self.aorm_tidy, self.tool = aorm_tidy, "aorm-tidy"
        elif os.path.exists(plugin):
            self.aorm_tidy, self.plugin, self.tool = None, plugin, "clang-tidy-19 + plugin"
        else:
            sys.exit("real_code.py: neither {} nor {} is built".format(aorm_tidy, plugin))

    def commands(self, files):
        if self.aorm_tidy:
            return [[self.aorm_tidy, "-p", self.out, "-j", str(self.jobs)] + self.common + files]
        return [["clang-tidy-19", "--load=" + self.plugin, "-p", self.out, "--quiet"] + self.common
                + [f] for f in files]

    def run(self, files):
        """(outputs, crashed?) for one batch of TUs."""
        outputs, crashed = [], []
        for cmd in self.commands(files):
            p = subprocess.run(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            outputs.append(p.stdout)
            if p.returncode < 0 or CRASH.search(p.stdout):
                crashed.append((cmd, p.returncode, p.stdout))
        return outputs, crashed

    def lint(self, kinds):
        """Lints each kind of code in its own batch; a batch that crashes is re-run one TU at a
        time to name the TU, and to tell a reproducible crash from a one-off."""
        outputs, crashes = [], []
        for kind, entries in kinds.items():
            files = [e["file"] for e in entries]
            outs, crashed = self.run(files)
            outputs += outs
            if not crashed:
                continue
            first = crashed[0]
            culprits = []
            for f in files:
                _, again = self.run([f])
                if again:
                    culprits.append((f, again[0][1], again[0][2]))
            if culprits:
                for f, rc, text in culprits:
                    crashes.append("{}: {} (exit {}), reproducible alone:\n{}".format(
                        kind, f, rc, crash_excerpt(text)))
            else:
                crashes.append("{}: the batch crashed (exit {}) but no TU crashes alone; first "
                               "report:\n{}".format(kind, first[1], crash_excerpt(first[2])))
        return outputs, crashes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--slice", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    out = tempfile.mkdtemp(prefix="aorm-real-code-")
    try:
        kinds = build_corpus(out, build, a.slice)
        start = time.perf_counter()
        linter = Linter(build, out, a.jobs)
        tool = linter.tool
        outputs, crashes = linter.lint(kinds)
        secs = time.perf_counter() - start
        text = "\n".join(outputs)
        findings = sorted(set(m.group(0) for m in AORM_FINDING.finditer(text)))
        broken = sorted(set(COMPILE_ERROR.findall(text)))
        summary = {"tool": tool, "seconds": secs, "kinds": {}, "findings": findings,
                   "crashes": len(crashes), "compile_errors": len(broken)}
        for kind, es in kinds.items():
            nfiles, nlines = count_lines(es)
            summary["kinds"][kind] = {"tus": len(es), "files": nfiles, "lines": nlines}
    finally:
        shutil.rmtree(out, ignore_errors=True)

    print("| code | TUs | distinct files read | lines |\n|---|---:|---:|---:|")
    for kind, k in summary["kinds"].items():
        print("| {} | {} | {} | {} |".format(kind, k["tus"], k["files"], k["lines"]))
    print("\n{}: {} crashes, {} aorm findings (false positives), {} TUs with compile errors, "
          "{:.0f} s".format(tool, len(crashes), len(findings), len(broken), secs))
    for f in findings:
        print("  false positive: " + f)
    for c in crashes:
        print("  crash: " + c)
    for b in broken[:10]:
        print("  compile error: " + b)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)
    sys.exit(1 if findings or crashes else 0)


if __name__ == "__main__":
    main()
