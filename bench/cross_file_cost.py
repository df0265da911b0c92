#!/usr/bin/env python3
"""The cost of calls into other files: aorm-tidy over a generated multi-TU project, with the
project summaries (the default) and without (--no-summaries), side by side in one run.

    cross_file_cost.py --build BUILD [--tus N] [--chains C] [--repeat R] [--json F] [--smoke]

The project has N translation units, each including the aorm runtime headers and holding some
ordinary async and sync code. C call chains run across files: chain c starts in a coroutine of
handlers_<c % N>.cpp and goes down depth = 1 + c % 5 sync functions, each defined in another TU;
the last one blocks (count()) in even chains and does not in odd ones. With summaries every even
chain must be reported once, at its coroutine, with one note per step; without, none. The script
checks that before it reports a time, so a fast wrong answer never passes as a measurement."""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RUNTIME_INCLUDE = os.path.join(REPO, "orm-runtime", "include")

MODELS = """#pragma once
#include <aorm/aorm.hpp>

struct Item : aorm::Model<Item> {
  std::int64_t id = 0;
  std::string name;
  std::int64_t stock = 0;
};
AORM_MODEL(Item, "item", id, name, stock)
"""

# Ordinary code every TU carries, so the parse costs what a real file's does.
FILLER = """
aorm::Task<std::int64_t> in_stock_{t}_{k}() {{
  co_return co_await Item::objects.filter(aorm::Q("stock__gt", {k})).acount();
}}
std::int64_t report_{t}_{k}() {{ return Item::objects.filter(aorm::Q("stock", {k})).count(); }}
"""


def fn(c, level):
    return f"chain_{c}_{level}"


def generate(root, tus, chains):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "models.hpp"), "w") as f:
        f.write(MODELS)
    decls, bodies, expected = [], {t: [] for t in range(tus)}, []
    for c in range(chains):
        depth = 1 + c % 5
        home = c % tus
        for level in range(1, depth + 1):
            decls.append(f"std::int64_t {fn(c, level)}(int n);")
            where = (home + level * 7) % tus
            if where == home:
                where = (where + 1) % tus
            if level < depth:
                body = f"return {fn(c, level + 1)}(n + 1);"
            elif c % 2 == 0:
                body = 'return Item::objects.filter(aorm::Q("stock__gte", n)).count();'
            else:
                body = "return n * 3;"
            bodies[where].append(f"std::int64_t {fn(c, level)}(int n) {{ {body} }}")
        bodies[home].append(f"aorm::Task<std::int64_t> handle_{c}() {{ co_return {fn(c, 1)}(0); }}")
        if c % 2 == 0:
            expected.append((f"handlers_{home}.cpp", f"handle_{c}", depth))
    with open(os.path.join(root, "chains.hpp"), "w") as f:
        f.write('#pragma once\n#include "models.hpp"\n' + "\n".join(decls) + "\n")
    files = []
    for t in range(tus):
        name = f"handlers_{t}.cpp"
        with open(os.path.join(root, name), "w") as f:
            f.write('#include "chains.hpp"\n')
            for k in range(4):
                f.write(FILLER.format(t=t, k=k))
            f.write("\n".join(bodies[t]) + "\n")
        files.append(name)
    with open(os.path.join(root, ".clang-tidy"), "w") as f:
        f.write("Checks: '-*,aorm-*'\n")
    build = os.path.join(root, "build")
    os.makedirs(build)
    db = [{"directory": build, "file": os.path.join(root, f),
           "arguments": ["clang++-19", "-std=c++20", f"-I{RUNTIME_INCLUDE}", f"-I{root}", "-c",
                         os.path.join(root, f), "-o", f + ".o"]} for f in files]
    with open(os.path.join(build, "compile_commands.json"), "w") as f:
        json.dump(db, f, indent=1)
    return expected


def run(tidy, root, extra, jobs):
    start = time.perf_counter()
    proc = subprocess.run([tidy, "-p", os.path.join(root, "build"), f"-j{jobs}", "--quiet",
                           "--format=json", *extra], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"cross_file_cost: aorm-tidy {' '.join(extra)} failed:\n{proc.stderr}")
    return elapsed, json.loads(proc.stdout)


def cross_findings(report):
    return [d for d in report["diagnostics"] if "in another file" in d["message"]]


def verify(report, expected, with_summaries):
    found = cross_findings(report)
    if not with_summaries:
        if found:
            sys.exit(f"cross_file_cost: --no-summaries reported {len(found)} cross-file findings")
        return
    got = sorted((os.path.basename(d["file"]), d["message"].split("coroutine '")[1].split("'")[0],
                  len(d.get("notes", []))) for d in found)
    if got != sorted(expected):
        missing = sorted(set(expected) - set(got))
        extra = sorted(set(got) - set(expected))
        sys.exit(f"cross_file_cost: wrong cross-file findings; missing {missing[:5]}, "
                 f"unexpected {extra[:5]}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", required=True)
    p.add_argument("--tus", type=int, default=60)
    p.add_argument("--chains", type=int, default=120)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--json")
    p.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat: a correctness run")
    a = p.parse_args()
    if a.smoke:
        a.tus, a.chains, a.repeat = 6, 10, 1
    tidy = os.path.join(a.build, "tool", "aorm-tidy", "aorm-tidy")
    root = tempfile.mkdtemp(prefix="aorm-cross-file-")
    try:
        expected = generate(root, a.tus, a.chains)
        times = {"summaries": [], "alone": []}
        for _ in range(a.repeat):
            # Alternated, so drift in the machine's state hits both alike.
            t, r = run(tidy, root, [], a.jobs)
            verify(r, expected, True)
            times["summaries"].append(t)
            t, r = run(tidy, root, ["--no-summaries"], a.jobs)
            verify(r, expected, False)
            times["alone"].append(t)
        cache = os.path.join(root, "cache")
        run(tidy, root, [f"--cache-dir={cache}"], a.jobs)
        warm, r = run(tidy, root, [f"--cache-dir={cache}"], a.jobs)
        verify(r, expected, True)
        with_s, alone = statistics.median(times["summaries"]), statistics.median(times["alone"])
        result = {"tus": a.tus, "chains": a.chains, "reported": len(expected), "jobs": a.jobs,
                  "repeat": a.repeat, "with_summaries_s": round(with_s, 3),
                  "alone_s": round(alone, 3), "ratio": round(with_s / alone, 3),
                  "warm_cache_s": round(warm, 3)}
        print(f"| project | TUs | chains (depth 1-5) | reported | -j | with summaries | alone | ratio | warm cache |")
        print(f"|---|---|---|---|---|---|---|---|---|")
        print(f"| generated | {a.tus} | {a.chains} | {len(expected)} | {a.jobs} | {with_s:.2f} s | "
              f"{alone:.2f} s | {with_s / alone:.3f}x | {warm:.2f} s |")
        if a.json:
            with open(a.json, "w") as f:
                json.dump(result, f, indent=1)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
