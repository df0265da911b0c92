#!/usr/bin/env python3
"""Fixtures and schema-level assertions for the aorm-tidy lit tests.

Each subcommand exits non-zero with a message saying what was wrong, so a RUN line fails loudly.
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys


def fail(message):
    sys.exit(f"tool_test: {message}")


def write_db(root, files, cxx, flags):
    build = os.path.join(root, "build")
    os.makedirs(build, exist_ok=True)
    entries = [
        {
            "directory": build,
            "file": os.path.join(root, f),
            "arguments": [cxx, *flags, "-c", os.path.join(root, f), "-o", f + ".o"],
        }
        for f in files
    ]
    with open(os.path.join(build, "compile_commands.json"), "w") as out:
        json.dump(entries, out, indent=1)


def cmd_demo(args):
    """A fresh copy of examples/lint-demo at DEST with build/compile_commands.json."""
    shutil.rmtree(args.dest, ignore_errors=True)
    shutil.copytree(args.source, args.dest)
    files = sorted(os.path.join("src", f) for f in os.listdir(os.path.join(args.dest, "src"))
                   if f.endswith(".cpp"))
    write_db(args.dest, files, args.cxx, ["-std=c++20", f"-I{args.include}",
                                          f"-I{os.path.join(args.dest, 'src')}"])


def cmd_tiny(args):
    """N small TUs (t1.cpp ... tN.cpp) sharing one header, plus extra files named with --broken
    (do not compile) and --unlisted (exist but are not in the database)."""
    shutil.rmtree(args.dest, ignore_errors=True)
    os.makedirs(args.dest)
    # Own configuration, so a .clang-tidy above the build tree cannot change the results.
    with open(os.path.join(args.dest, ".clang-tidy"), "w") as c:
        c.write("Checks: '-*,aorm-*'\n")
    with open(os.path.join(args.dest, "shared.h"), "w") as h:
        h.write("inline int shared() { return 1; }\n")
    listed = []
    for i in range(1, args.count + 1):
        name = f"t{i}.cpp"
        with open(os.path.join(args.dest, name), "w") as f:
            f.write(f'#include "shared.h"\nint f{i}() {{ int unused{i} = 0; return shared() + {i}; }}\n')
        listed.append(name)
    for name in args.broken:
        with open(os.path.join(args.dest, name), "w") as f:
            f.write('#include "no_such_header.h"\nint broken() { return undeclared; }\n')
        listed.append(name)
    for name in args.unlisted:
        with open(os.path.join(args.dest, name), "w") as f:
            f.write("int unlisted() { return 0; }\n")
    write_db(args.dest, listed, args.cxx, ["-std=c++20"])


def cmd_project(args):
    """A copy of the project directory SOURCE at DEST with its own .clang-tidy and
    build/compile_commands.json listing every .cpp in it."""
    shutil.rmtree(args.dest, ignore_errors=True)
    shutil.copytree(args.source, args.dest)
    with open(os.path.join(args.dest, ".clang-tidy"), "w") as c:
        c.write("Checks: '-*,aorm-*'\n")
    files = sorted(f for f in os.listdir(args.dest) if f.endswith(".cpp"))
    write_db(args.dest, files, args.cxx, ["-std=c++20", f"-I{args.include}", f"-I{args.dest}"])


def cmd_single(args):
    """One source file copied to DEST, with its own .clang-tidy enabling CHECKS and
    build/compile_commands.json."""
    shutil.rmtree(args.dest, ignore_errors=True)
    os.makedirs(args.dest)
    shutil.copy(args.source, args.dest)
    with open(os.path.join(args.dest, ".clang-tidy"), "w") as c:
        c.write(f"Checks: '{args.checks}'\n")
    write_db(args.dest, [os.path.basename(args.source)], args.cxx, ["-std=c++20"])


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as err:
        fail(f"{path}: not valid JSON: {err}")


def parse_ends(items):
    """PATH:LINE:CHECK=ENDLINE:ENDCOLUMN -> {(path, line, check): (endline, endcolumn)}."""
    out = {}
    for item in items:
        key, end = item.rsplit("=", 1)
        (finding,) = parse_expect([key])
        end_line, end_column = end.split(":")
        out[finding] = (int(end_line), int(end_column))
    return out


def check_ends(want, got, where):
    for finding, end in sorted(want.items()):
        if finding not in got:
            fail(f"{where}: no finding {finding} to check the end of")
        if got[finding] != end:
            fail(f"{where}: finding {finding} ends at {got[finding]}, expected {end}")


def check_order(start, end, where):
    """An end, when given, is a (line, column) pair of ints not before the start."""
    if end == (None, None):
        return
    if not all(isinstance(v, int) for v in (*start, *end)) or end < start:
        fail(f"{where}: end {end} missing, mistyped or before the start {start}")


def parse_expect(items):
    out = set()
    for item in items:
        path, line, check = item.rsplit(":", 2)
        out.add((path, int(line), check))
    return out


def cmd_check_json(args):
    report = load(args.report)
    # Round trip: what we parse re-serialises to the same document.
    if json.loads(json.dumps(report)) != report:
        fail("JSON report does not round-trip")
    for key in ("tool", "diagnostics", "translationUnits"):
        if key not in report:
            fail(f"missing top-level field '{key}'")
    if report["tool"].get("name") != "aorm-tidy":
        fail("tool.name is not aorm-tidy")
    seen = set()
    ends = {}
    for i, d in enumerate(report["diagnostics"]):
        for key, kind in (("check", str), ("level", str), ("message", str), ("file", str),
                          ("offset", int), ("line", int), ("column", int), ("endLine", int),
                          ("endColumn", int), ("notes", list), ("warningAsError", bool)):
            if not isinstance(d.get(key), kind):
                fail(f"diagnostics[{i}].{key} missing or not {kind.__name__}")
        check_order((d["line"], d["column"]), (d["endLine"], d["endColumn"]), f"diagnostics[{i}]")
        for j, n in enumerate(d["notes"]):
            check_order((n.get("line"), n.get("column")), (n.get("endLine"), n.get("endColumn")),
                        f"diagnostics[{i}].notes[{j}]")
        if not os.path.isabs(d["file"]):
            fail(f"diagnostics[{i}].file is not absolute: {d['file']}")
        for fix in d.get("fixes", []):
            for key in ("file", "offset", "length", "replacement"):
                if key not in fix:
                    fail(f"diagnostics[{i}].fixes lacks '{key}'")
        finding = (os.path.relpath(d["file"], args.root), d["line"], d["check"])
        seen.add(finding)
        ends[finding] = (d["endLine"], d["endColumn"])
    check_ends(parse_ends(args.end), ends, args.report)
    want = parse_expect(args.expect or [])
    if args.expect is not None and seen != want:
        fail(f"findings differ\n  missing: {sorted(want - seen)}\n  unexpected: {sorted(seen - want)}")
    if args.with_fixes and not all("fixes" in d for d in report["diagnostics"]):
        fail("a finding has no fixes")
    statuses = {os.path.relpath(u["file"], args.root): u["status"]
                for u in report["translationUnits"]}
    for item in args.status:
        name, status = item.split("=")
        if statuses.get(name) != status:
            fail(f"translation unit {name}: status {statuses.get(name)!r}, expected {status!r}")


def cmd_check_sarif(args):
    log = load(args.report)
    if log.get("version") != "2.1.0":
        fail("version is not 2.1.0")
    if "$schema" not in log:
        fail("no $schema")
    runs = log.get("runs")
    if not isinstance(runs, list) or len(runs) != 1:
        fail("expected exactly one run")
    run = runs[0]
    driver = run.get("tool", {}).get("driver", {})
    if driver.get("name") != "aorm-tidy":
        fail("tool.driver.name is not aorm-tidy")
    rules = driver.get("rules", [])
    ids = [r.get("id") for r in rules]
    if len(set(ids)) != len(ids) or any(not i for i in ids):
        fail(f"rule ids missing or duplicated: {ids}")
    for rule in rules:
        if not rule.get("shortDescription", {}).get("text"):
            fail(f"rule {rule.get('id')} has no shortDescription.text")
    for check in args.rule:
        if check not in ids:
            fail(f"rule {check} missing from tool.driver.rules")
    base = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
    if not base.startswith("file://") or not base.endswith("/"):
        fail(f"%SRCROOT% must be a file:// URI ending in '/': {base!r}")
    seen = set()
    ends = {}
    fixes = 0
    for i, r in enumerate(run.get("results", [])):
        if r.get("level") not in ("error", "warning", "note"):
            fail(f"results[{i}].level invalid: {r.get('level')}")
        if not r.get("message", {}).get("text"):
            fail(f"results[{i}].message.text missing")
        idx = r.get("ruleIndex")
        if not isinstance(idx, int) or idx >= len(ids) or ids[idx] != r.get("ruleId"):
            fail(f"results[{i}].ruleIndex does not point at rule {r.get('ruleId')}")
        locs = r.get("locations", [])
        if len(locs) != 1:
            fail(f"results[{i}] needs one location")
        phys = locs[0].get("physicalLocation", {})
        art = phys.get("artifactLocation", {})
        region = phys.get("region", {})
        if art.get("uriBaseId") != "%SRCROOT%" or art.get("uri", "").startswith("/"):
            fail(f"results[{i}] location is not relative to %SRCROOT%: {art}")
        if not isinstance(region.get("startLine"), int) or region["startLine"] < 1:
            fail(f"results[{i}] region.startLine invalid: {region}")
        # Every finding underlines something: its range, else its token.
        start = (region["startLine"], region.get("startColumn"))
        end = (region.get("endLine"), region.get("endColumn"))
        if None in end:
            fail(f"results[{i}] region has no endLine/endColumn: {region}")
        check_order(start, end, f"results[{i}] region")
        for j, rel in enumerate(r.get("relatedLocations", [])):
            rr = rel.get("physicalLocation", {}).get("region", {})
            check_order((rr.get("startLine"), rr.get("startColumn")),
                        (rr.get("endLine"), rr.get("endColumn")),
                        f"results[{i}].relatedLocations[{j}] region")
        for fix in r.get("fixes", []):
            fixes += 1
            for change in fix.get("artifactChanges", []):
                if "uri" not in change.get("artifactLocation", {}):
                    fail(f"results[{i}] fix artifactLocation.uri missing")
                for rep in change.get("replacements", []):
                    dr = rep.get("deletedRegion", {})
                    if not all(isinstance(dr.get(k), int) for k in
                               ("startLine", "startColumn", "endLine", "endColumn")):
                        fail(f"results[{i}] fix deletedRegion incomplete: {dr}")
                    if "text" not in rep.get("insertedContent", {}):
                        fail(f"results[{i}] fix insertedContent.text missing")
        seen.add((art["uri"], region["startLine"], r["ruleId"]))
        ends[(art["uri"], region["startLine"], r["ruleId"])] = end
    check_ends(parse_ends(args.end), ends, args.report)
    want = parse_expect(args.expect)
    if seen != want:
        fail(f"results differ\n  missing: {sorted(want - seen)}\n  unexpected: {sorted(seen - want)}")
    if fixes < args.min_fixes:
        fail(f"{fixes} results carry fixes, expected at least {args.min_fixes}")


def cmd_check_shards(args):
    full = load(args.full)
    everything = sorted(u["file"] for u in full["translationUnits"])
    covered = []
    for path in args.shards:
        covered += [u["file"] for u in load(path)["translationUnits"]]
    if sorted(covered) != everything:
        fail(f"shards cover {sorted(covered)}, expected each of {everything} exactly once")
    if len(everything) < len(args.shards):
        fail("fixture too small to tell shards apart")


def cmd_same_findings(args):
    a, b = load(args.a)["diagnostics"], load(args.b)["diagnostics"]
    if a != b:
        fail(f"{args.a} and {args.b} report different findings")
    if not a and not args.allow_empty:
        fail("no findings at all: the comparison proves nothing")


def cmd_union_findings(args):
    """The shards' findings together are exactly the full run's."""
    key = lambda d: json.dumps(d, sort_keys=True)
    full = sorted(load(args.full)["diagnostics"], key=key)
    union = sorted((d for path in args.shards for d in load(path)["diagnostics"]), key=key)
    if full != union:
        fail(f"the shards report {len(union)} findings, the full run {len(full)}, or others")
    if not full:
        fail("no findings at all: the comparison proves nothing")


def cmd_explain_docs(args):
    listing = subprocess.run([args.tool, "--list-checks"], capture_output=True, text=True)
    checks = [line.strip() for line in listing.stdout.splitlines() if line.startswith("    ")]
    if not checks:
        fail(f"--list-checks listed nothing: {listing.stdout}{listing.stderr}")
    for check in checks:
        doc = os.path.join(args.docs, check + ".md")
        if not os.path.exists(doc):
            fail(f"enabled check {check} has no doc at {doc}")
        out = subprocess.run([args.tool, f"--explain={check}"], capture_output=True, text=True)
        with open(doc) as f:
            if out.returncode != 0 or out.stdout != f.read():
                fail(f"--explain={check} does not print {doc} (exit {out.returncode})")


def cmd_pre_commit(args):
    """Runs each aorm-tidy hook of a .pre-commit-config.yaml the way pre-commit does: the entry,
    its args, then the staged file names."""
    import yaml
    with open(args.config) as f:
        config = yaml.safe_load(f)
    hooks = [h for repo in config.get("repos", []) for h in repo.get("hooks", [])
             if h.get("id") == "aorm-tidy"]
    if not hooks:
        fail(f"{args.config}: no hook with id aorm-tidy")
    hook = hooks[0]
    for key in ("entry", "language", "files"):
        if key not in hook:
            fail(f"{args.config}: hook aorm-tidy lacks '{key}'")
    argv = shlex.split(hook["entry"].replace("aorm-tidy", args.tool, 1)) + hook.get("args", [])
    result = subprocess.run(argv + args.files, cwd=args.cwd)
    sys.exit(result.returncode)


def cmd_workflow(args):
    """Checks a GitHub Actions workflow lints with aorm-tidy into a SARIF file and uploads that
    file with the code-scanning action; prints the aorm-tidy command for the test to run."""
    import yaml
    with open(args.workflow) as f:
        wf = yaml.safe_load(f)
    jobs = wf.get("jobs", {})
    steps = [s for job in jobs.values() for s in job.get("steps", [])]
    lint = [s for s in steps if s.get("id") == "lint" and "aorm-tidy" in s.get("run", "")]
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    if not lint or not upload:
        fail(f"{args.workflow}: needs a step 'lint' running aorm-tidy and an upload-sarif step")
    perms = next(iter(jobs.values())).get("permissions", {})
    if perms.get("security-events") != "write":
        fail(f"{args.workflow}: upload-sarif needs permissions: security-events: write")
    sarif = upload[0].get("with", {}).get("sarif_file")
    script = lint[0]["run"]
    if "--format=sarif" not in script or f"-o {sarif}" not in script:
        fail(f"{args.workflow}: lint step must write --format=sarif -o {sarif}: {script}")
    # Run the step as the runner would, with aorm-tidy resolved to the binary under test.
    env = dict(os.environ, PATH=os.path.dirname(args.tool) + os.pathsep + os.environ["PATH"])
    result = subprocess.run(["bash", "-e", "-c", script], cwd=args.cwd, env=env)
    if result.returncode not in (0, 1):
        fail(f"lint step failed with exit {result.returncode}")
    if not os.path.exists(os.path.join(args.cwd, sarif)):
        fail(f"lint step did not write {sarif}")
    print(os.path.join(args.cwd, sarif))


def cmd_expect_exit(args):
    """Runs a command and checks its exit status exactly (lit's `not` only checks non-zero)."""
    result = subprocess.run(args.command)
    if result.returncode != args.code:
        fail(f"exit status {result.returncode}, expected {args.code}: {shlex.join(args.command)}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("demo"); s.add_argument("source"); s.add_argument("dest")
    s.add_argument("--include", required=True); s.add_argument("--cxx", required=True)
    s.set_defaults(fn=cmd_demo)
    s = sub.add_parser("tiny"); s.add_argument("dest"); s.add_argument("--count", type=int, default=3)
    s.add_argument("--broken", nargs="*", default=[]); s.add_argument("--unlisted", nargs="*", default=[])
    s.add_argument("--cxx", required=True); s.set_defaults(fn=cmd_tiny)
    s = sub.add_parser("project"); s.add_argument("source"); s.add_argument("dest")
    s.add_argument("--include", required=True); s.add_argument("--cxx", required=True)
    s.set_defaults(fn=cmd_project)
    s = sub.add_parser("single"); s.add_argument("source"); s.add_argument("dest")
    s.add_argument("--checks", required=True); s.add_argument("--cxx", required=True)
    s.set_defaults(fn=cmd_single)
    s = sub.add_parser("check-json"); s.add_argument("report"); s.add_argument("--root", required=True)
    s.add_argument("--expect", nargs="*", default=None); s.add_argument("--status", nargs="*", default=[])
    s.add_argument("--end", nargs="*", default=[])
    s.add_argument("--with-fixes", action="store_true"); s.set_defaults(fn=cmd_check_json)
    s = sub.add_parser("check-sarif"); s.add_argument("report")
    s.add_argument("--expect", nargs="*", default=[]); s.add_argument("--rule", nargs="*", default=[])
    s.add_argument("--min-fixes", type=int, default=0); s.add_argument("--end", nargs="*", default=[])
    s.set_defaults(fn=cmd_check_sarif)
    s = sub.add_parser("check-shards"); s.add_argument("full"); s.add_argument("shards", nargs="+")
    s.set_defaults(fn=cmd_check_shards)
    s = sub.add_parser("same-findings"); s.add_argument("a"); s.add_argument("b")
    s.add_argument("--allow-empty", action="store_true"); s.set_defaults(fn=cmd_same_findings)
    s = sub.add_parser("union-findings"); s.add_argument("full"); s.add_argument("shards", nargs="+")
    s.set_defaults(fn=cmd_union_findings)
    s = sub.add_parser("explain-docs"); s.add_argument("tool"); s.add_argument("docs")
    s.set_defaults(fn=cmd_explain_docs)
    s = sub.add_parser("pre-commit"); s.add_argument("config"); s.add_argument("--tool", required=True)
    s.add_argument("--cwd", required=True); s.add_argument("--files", nargs="+", required=True)
    s.set_defaults(fn=cmd_pre_commit)
    s = sub.add_parser("workflow"); s.add_argument("workflow"); s.add_argument("--tool", required=True)
    s.add_argument("--cwd", required=True); s.set_defaults(fn=cmd_workflow)
    s = sub.add_parser("expect-exit"); s.add_argument("code", type=int)
    s.add_argument("command", nargs=argparse.REMAINDER); s.set_defaults(fn=cmd_expect_exit)
    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
