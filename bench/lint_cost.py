#!/usr/bin/env python3
"""Linter cost on a generated corpus, every tool in the same run so the ratios share one machine
state: clang++-19 -fsyntax-only (the floor), clang-tidy-19 with the aorm plugin, aorm-tidy, and
clang-tidy-19 with one built-in check (a peer). -j1 against -j2, and aorm-tidy's --cache-dir cold
against warm.

    lint_cost.py --build BUILD_DIR --corpus CORPUS_DIR [--jobs-list 2,1] [--repeat N]
                 [--no-cache] [--json OUT]

The corpus comes from gen_corpus.py. The first -j value runs every tool; the others run the floor
and aorm-tidy only (the scaling question). Each timing is the fastest of --repeat runs, the usual
guard against a shared machine's noise. Prints a markdown table; --json keeps the numbers."""

import argparse
import concurrent.futures as cf
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

FINDING = re.compile(r"warning: .*\[(aorm-[a-z-]+|bugprone-unused-return-value)[,\]]")


def find_tool(name):
    path = shutil.which(name)
    if not path:
        sys.exit("lint_cost.py: {} is not on PATH".format(name))
    return path


class Tools:
    def __init__(self, build):
        self.clangxx = find_tool("clang++-19")
        self.clang_tidy = find_tool("clang-tidy-19")
        self.plugin = os.path.join(build, "checks", "libaorm-tidy-plugin.so")
        self.aorm_tidy = os.path.join(build, "tool", "aorm-tidy", "aorm-tidy")
        self.missing = [p for p in (self.plugin, self.aorm_tidy) if not os.path.exists(p)]


def load_corpus(corpus):
    path = os.path.join(corpus, "compile_commands.json")
    try:
        with open(path) as f:
            entries = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("lint_cost.py: cannot read {}: {}".format(path, e))
    small = [e for e in entries if os.path.basename(e["file"]) != "big.cpp"]
    big = [e for e in entries if os.path.basename(e["file"]) == "big.cpp"]
    return small, big


CACHED = re.compile(r"(\d+) from cache")
LAST_CACHED = [0]


PEAK_KIB = [0]  # the largest resident set of any process since the last reset


def run_one(argv, keep_output=None):
    """Runs one process; returns the findings it printed. A crash or an error exit is fatal:
    a timing of a tool that failed means nothing. Its peak resident set (from wait4's rusage)
    raises PEAK_KIB."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = p.stdout.read()
    p.stdout.close()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    PEAK_KIB[0] = max(PEAK_KIB[0], usage.ru_maxrss)
    if keep_output is not None:
        keep_output.append(out)
    if p.returncode < 0 or (p.returncode != 0 and "error:" in out):
        sys.exit("lint_cost.py: {} failed (exit {}):\n{}".format(" ".join(argv[:4]), p.returncode,
                                                                  out[-3000:]))
    m = CACHED.search(out)
    LAST_CACHED[0] = int(m.group(1)) if m else 0
    return len(FINDING.findall(out))


PROFILE_ROW = re.compile(r"^\s*(?:[\d.]+ \(\s*[\d.]+%\)\s+){3}([\d.]+) \(\s*[\d.]+%\)\s+(aorm-[a-z-]+)$",
                         re.M)


def check_profile(tools, corpus, entry):
    """clang-tidy's own --enable-check-profile split for the aorm checks on one TU: wall seconds
    per check, and the whole run's wall seconds for scale."""
    out = []
    start = time.perf_counter()
    run_one(tidy_argv(tools, corpus, "aorm-*", True)(entry)[:-1] + ["--enable-check-profile",
                                                                    entry["file"]], out)
    whole = time.perf_counter() - start
    checks = {name: float(secs) for secs, name in PROFILE_ROW.findall(out[0])}
    return {"file": os.path.basename(entry["file"]), "checks": checks, "run": whole}


def per_tu(entries, jobs, make_argv):
    """Runs make_argv(entry) for each TU with `jobs` processes at once; wall seconds, findings."""
    start = time.perf_counter()
    with cf.ThreadPoolExecutor(max_workers=jobs) as pool:
        findings = sum(pool.map(lambda e: run_one(make_argv(e)), entries))
    return time.perf_counter() - start, findings


def floor_argv(tools):
    def argv(e):
        args = [a for a in e["arguments"][1:]]
        i = args.index("-c")
        args = args[:i] + args[i + 1:]
        if "-o" in args:
            j = args.index("-o")
            del args[j:j + 2]
        return [tools.clangxx, "-fsyntax-only"] + args
    return argv


def tidy_argv(tools, corpus, checks, plugin):
    def argv(e):
        cmd = [tools.clang_tidy, "-p", corpus, "--quiet", "-checks=-*," + checks]
        if plugin:
            cmd.insert(1, "--load=" + tools.plugin)
        return cmd + [e["file"]]
    return argv


def aorm_tidy(tools, corpus, entries, jobs, cache=None):
    cmd = [tools.aorm_tidy, "-p", corpus, "-j", str(jobs)]
    if cache:
        cmd += ["--cache-dir", cache]
    cmd += [e["file"] for e in entries]
    start = time.perf_counter()
    findings = run_one(cmd)
    return time.perf_counter() - start, findings


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--jobs-list", default="2,1", help="comma-separated -j values, e.g. 2,1")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-cache", action="store_true", help="skip the --cache-dir measurement")
    ap.add_argument("--json")
    a = ap.parse_args()
    if a.repeat < 1:
        sys.exit("lint_cost.py: --repeat must be at least 1")
    try:
        jobs_list = [int(j) for j in a.jobs_list.split(",")]
        assert all(j >= 1 for j in jobs_list)
    except (ValueError, AssertionError):
        sys.exit("lint_cost.py: --jobs-list must be positive integers like 2,1, got " + a.jobs_list)
    corpus = os.path.abspath(a.corpus)
    tools = Tools(os.path.abspath(a.build))
    if tools.missing:
        sys.exit("lint_cost.py: not built yet: " + ", ".join(tools.missing))
    small, big = load_corpus(corpus)
    with open(os.path.join(corpus, "corpus.json")) as f:
        meta = json.load(f)

    configs = [
        ("clang++-19 -fsyntax-only (floor)", lambda es, j: per_tu(es, j, floor_argv(tools))),
        ("clang-tidy-19 --load plugin -checks=-*,aorm-*",
         lambda es, j: per_tu(es, j, tidy_argv(tools, corpus, "aorm-*", True))),
        ("aorm-tidy", lambda es, j: aorm_tidy(tools, corpus, es, j)),
        ("clang-tidy-19 -checks=-*,bugprone-unused-return-value",
         lambda es, j: per_tu(es, j, tidy_argv(tools, corpus, "bugprone-unused-return-value",
                                               False))),
    ]
    results = {"corpus": meta, "jobs": jobs_list, "rows": []}
    def fastest(fn, es, j):
        runs = [fn(es, j) for _ in range(a.repeat)]
        return min(r[0] for r in runs), runs[-1][1]

    for name, fn in configs:
        row = {"tool": name}
        PEAK_KIB[0] = 0
        aorm_tidy_row = name.startswith("aorm-tidy")  # one process for all TUs: not comparable
        scaled = name.startswith(("clang++", "aorm-tidy"))
        for j in (jobs_list if scaled else jobs_list[:1]):
            secs, n = fastest(fn, small, j)
            row["small_j{}".format(j)] = secs
            row["findings"] = n
            if "small_peak_mib" not in row and not aorm_tidy_row:
                row["small_peak_mib"] = PEAK_KIB[0] / 1024.0
            print("  {:<55} small TUs -j{}: {:7.1f} s, {} findings".format(name, j, secs, n),
                  file=sys.stderr)
        if big:
            PEAK_KIB[0] = 0
            secs, n = fastest(fn, big, 1)
            if not aorm_tidy_row:
                row["big_peak_mib"] = PEAK_KIB[0] / 1024.0
            row["big"] = secs
            row["big_findings"] = n
            print("  {:<55} big TU: {:7.1f} s, {} findings".format(name, secs, n),
                  file=sys.stderr)
        results["rows"].append(row)
        if name.startswith(("aorm-tidy", "clang-tidy-19 --load")):
            want = (meta["small_misuses"], meta["big_misuses"])
            got = (row["findings"], row.get("big_findings", 0))
            if got != want:
                sys.exit("lint_cost.py: {} found {} findings (small, big), the corpus holds {}"
                         .format(name, got, want))

    results["profile"] = [check_profile(tools, corpus, e) for e in (small[:1] + big)]

    if not a.no_cache:
        cache = tempfile.mkdtemp(prefix="aorm-bench-cache-")
        try:
            j = jobs_list[0]
            cold, _ = aorm_tidy(tools, corpus, small, j, cache)
            warm, warm_findings = aorm_tidy(tools, corpus, small, j, cache)
            hits = LAST_CACHED[0]
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        results["cache"] = {"jobs": j, "cold": cold, "warm": warm, "warm_findings": warm_findings,
                            "hits": hits, "tus": len(small)}

    print_table(results)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


def print_table(r):
    jobs = r["jobs"]
    rows = r["rows"]
    floor = rows[0]
    c = r["corpus"]
    print("Corpus: {} TUs ({} lines) + one TU of {} lines, all including <aorm/aorm.hpp>\n".format(
        c["tus"], c["small_lines"], c["big_lines"]))
    j0 = jobs[0]
    head = "| tool | {} TUs -j{} | x floor |".format(c["tus"], j0)
    head += " big TU | x floor | findings (small + big) |"
    print(head)
    print("|---|" + "---:|---:|" * 2 + "---:|")
    for row in rows:
        line = "| {} |".format(row["tool"])
        k = "small_j{}".format(j0)
        line += " {:.1f} s | {:.2f} |".format(row[k], row[k] / floor[k])
        if "big" in row:
            line += " {:.1f} s | {:.2f} |".format(row["big"], row["big"] / floor["big"])
        else:
            line += " - | - |"
        line += " {} + {} |".format(row["findings"], row.get("big_findings", 0))
        print(line)
    plugin, peer = rows[1], rows[3]
    k = "small_j{}".format(j0)
    print("\nThe aorm checks over clang-tidy's own cost (plugin / built-in peer): {:.2f}x on the "
          "small TUs, {:.2f}x on the big TU.".format(
              plugin[k] / peer[k], plugin.get("big", 0) / max(peer.get("big", 0), 1e-9)))
    print("Over the compiler alone (plugin / clang++-19 -fsyntax-only): {:.2f}x on the small TUs, "
          "{:.2f}x on the big TU.".format(plugin[k] / floor[k],
                                          plugin.get("big", 0) / max(floor.get("big", 0), 1e-9)))
    for part, what in (("small", "the largest small-TU process"), ("big", "the big TU")):
        key = part + "_peak_mib"
        if plugin.get(key) and peer.get(key):
            print("\nPeak memory, {}: plugin {:.0f} MiB, peer {:.0f} MiB ({:.2f}x); floor {:.0f} "
                  "MiB.".format(what, plugin[key], peer[key], plugin[key] / peer[key],
                                floor[key]))
    for prof in r.get("profile", []):
        total = sum(prof["checks"].values())
        print("\n--enable-check-profile on {}: the aorm checks take {:.3f} s of a {:.2f} s run "
              "({:.1f} %): {}".format(prof["file"], total, prof["run"],
                                      100.0 * total / max(prof["run"], 1e-9),
                                      ", ".join("{} {:.3f} s".format(k, v)
                                                for k, v in sorted(prof["checks"].items()))))
    for j in jobs[1:]:
        print("\nScaling -j{} to -j{} on the small TUs (speed-up):".format(j, j0))
        for row in rows:
            if "small_j{}".format(j) in row:
                print("- {}: {:.1f} s -> {:.1f} s, {:.2f}x".format(
                    row["tool"], row["small_j{}".format(j)], row[k],
                    row["small_j{}".format(j)] / row[k]))
    ch = r.get("cache")
    if ch:
        print("\naorm-tidy --cache-dir, -j{}: cold {:.1f} s, warm {:.1f} s ({:.1f}x); the warm run "
              "took {} of {} TUs from the cache and reported {} findings".format(
                  ch["jobs"], ch["cold"], ch["warm"], ch["cold"] / max(ch["warm"], 1e-6),
                  ch["hits"], ch["tus"], ch["warm_findings"]))


if __name__ == "__main__":
    main()
