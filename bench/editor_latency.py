"""Editor latency: how soon an unsaved edit's aorm finding reaches the editor, next to clangd's
own diagnostic for the same edit, and what an editing session costs in CPU against plain
clangd-19.

Two files: examples/lint-demo/src/feed.cpp (a copy, with the demo's .clang-tidy) and the
30000-line big.cpp of the linter corpus (bench/gen_corpus.py, -Wall added). A session opens one
and makes --edits unsaved edits in a coroutine, each adding

    int spare_N = static_cast<int>(Post::objects.count());

which gives clangd's own -Wunused-variable and an aorm-blocking-call-in-coroutine finding,
then an edit removing it (both must leave). Times run from sending didChange to the first
publishDiagnostics of that version holding (or no longer holding) the diagnostic. Sessions of
aorm-clangd and clangd-19 alternate, so both see the same machine state; CPU is the server's
user+system time from start to exit.

usage: editor_latency.py --server PATH [--clangd clangd-19] [--edits N] [--sessions N]
                         [--big-lines N] [--json FILE] [--md FILE] [--doc docs/performance.md]

--big-lines 0 leaves out the big file. --doc replaces the text between the editor markers of
docs/performance.md with this run's table.
"""

import sys

sys.dont_write_bytecode = True

import argparse
import json
import os
import pathlib
import resource
import shutil
import statistics
import subprocess
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "test" / "clangd"))
from lsp_client import LspClient  # noqa: E402  (the tests' client, one copy)

CHECK = "aorm-blocking-call-in-coroutine"
BEGIN = "<!-- bench:editor:begin -->"
END = "<!-- bench:editor:end -->"
PAUSE = 0.3  # Seconds between edits: a person typing, not a flood.


def lint_demo(work):
    demo = REPO / "examples" / "lint-demo"
    project = work / "lint-demo"
    shutil.copytree(demo / "src", project / "src")
    shutil.copy(demo / ".clang-tidy", project / ".clang-tidy")
    (project / "src" / "compile_flags.txt").write_text(
        "-std=c++20\n-Wall\n-I%s\n-I%s\n" % (REPO / "orm-runtime" / "include", project / "src"))
    feed = project / "src" / "feed.cpp"
    anchor = "  Author author = co_await Author::objects.aget(Q(\"id\", id));\n"
    return feed, after_line(feed, anchor, last=False), "Post"


def big_file(work, lines):
    corpus = work / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(corpus),
                    "--tus", "0", "--big-lines", str(lines)], check=True,
                   stdout=subprocess.DEVNULL)
    db = corpus / "compile_commands.json"
    commands = json.loads(db.read_text())
    for entry in commands:  # -Wall, so clangd has its own diagnostic for the edit too.
        entry["arguments"].insert(1, "-Wall")
    db.write_text(json.dumps(commands))
    (corpus / ".clang-tidy").write_text("Checks: '-*,aorm-*'\n")
    big = corpus / "big.cpp"
    return big, after_line(big, "  std::int64_t n = co_await qs.acount();\n", last=True), \
        "corpus::Post"


def after_line(path, anchor, last):
    """The number of the line after anchor (its first or last occurrence)."""
    text = path.read_text(encoding="utf-8")
    at = text.rindex(anchor) if last else text.index(anchor)
    return text[:at + len(anchor)].count("\n")


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def line_diags(diags, line, source, code):
    return [d for d in diags if d["range"]["start"]["line"] == line and
            d.get("source") == source and d.get("code") == code]


def session(server, workload, edits):
    """One editing session; returns the per-edit times and the server's CPU seconds."""
    feed, line, model = workload
    text = feed.read_text(encoding="utf-8")
    cpu_before = cpu_of_children()
    client = LspClient([server, "--log=error", "--background-index=false"],
                       cwd=str(feed.parent))
    result = {"clangd": [], "aorm": [], "cleared": []}
    try:
        client.request("initialize", {"processId": os.getpid(),
                                      "rootUri": feed.parent.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        uri = feed.as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "cpp", "version": 1, "text": text}})
        client.wait_publish(uri, lambda p: p.get("version") == 1, timeout=120,
                            what="the first diagnostics")
        version = 1
        at = {"line": line, "character": 0}
        for n in range(edits):
            time.sleep(PAUSE)
            added = "  int spare_%d = static_cast<int>(%s::objects.count());\n" % (n, model)
            version += 1
            since = len(client.notifications)
            sent = time.monotonic()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": added}]})
            want = version
            _, own = client.wait_publish_timed(
                uri, lambda p: p.get("version") == want and
                line_diags(p["diagnostics"], line, "clang", "-Wunused-variable"),
                since=since, what="clangd's warning for edit %d" % n)
            result["clangd"].append(own - sent)
            if server_has_checks(server):
                _, found = client.wait_publish_timed(
                    uri, lambda p: p.get("version") == want and
                    line_diags(p["diagnostics"], line, "clang-tidy", CHECK),
                    since=since, what="the aorm finding for edit %d" % n)
                result["aorm"].append(found - sent)

            time.sleep(PAUSE)
            version += 1
            since = len(client.notifications)
            sent = time.monotonic()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": at, "end": {"line": line + 1,
                                                                   "character": 0}},
                                    "text": ""}]})
            want = version
            _, gone = client.wait_publish_timed(
                uri, lambda p: p.get("version") == want and
                not line_diags(p["diagnostics"], line, "clang", "-Wunused-variable") and
                not line_diags(p["diagnostics"], line, "clang-tidy", CHECK),
                since=since, what="the diagnostics to leave after edit %d" % n)
            result["cleared"].append(gone - sent)
        client.request("shutdown", None)
        client.notify("exit", None)
        status = client.wait_exit()
        if status != 0:
            raise RuntimeError("%s exited with %d" % (server, status))
    finally:
        client.kill()
    result["cpu"] = cpu_of_children() - cpu_before
    return result


_HAS_CHECKS = {}


def server_has_checks(server):
    """aorm-clangd lists --aorm-docs-url in its --help; clangd-19 does not."""
    if server not in _HAS_CHECKS:
        out = subprocess.run([server, "--help"], capture_output=True, text=True, timeout=60)
        _HAS_CHECKS[server] = "--aorm-docs-url" in out.stdout
    return _HAS_CHECKS[server]


def ms(seconds):
    return "%.0f ms" % (seconds * 1000)


def summarise(runs):
    def pooled(name, key):
        return [t for r in runs[name] for t in r[key]]

    own, found = pooled("aorm-clangd", "clangd"), pooled("aorm-clangd", "aorm")
    ratios = [f / o for f, o in zip(found, own)]
    return {
        "edits": len(own),
        "aorm_clangd": {
            "own_diagnostic_median_s": statistics.median(own),
            "aorm_finding_median_s": statistics.median(found),
            "finding_over_own_median": statistics.median(ratios),
            "finding_over_own_max": max(ratios),
            "cleared_median_s": statistics.median(pooled("aorm-clangd", "cleared")),
            "cpu_per_session_s": statistics.median(r["cpu"] for r in runs["aorm-clangd"]),
        },
        "clangd_19": {
            "own_diagnostic_median_s": statistics.median(pooled("clangd-19", "clangd")),
            "cleared_median_s": statistics.median(pooled("clangd-19", "cleared")),
            "cpu_per_session_s": statistics.median(r["cpu"] for r in runs["clangd-19"]),
        },
    }


def rows(title, f):
    a, p = f["aorm_clangd"], f["clangd_19"]
    return [
        "| **%s** | | | |" % title,
        "| edit → clangd's own diagnostic (median) | %s | %s | %.2f× |"
        % (ms(a["own_diagnostic_median_s"]), ms(p["own_diagnostic_median_s"]),
           a["own_diagnostic_median_s"] / p["own_diagnostic_median_s"]),
        "| edit → aorm finding (median) | %s | — | %.2f× own diagnostic (worst edit %.2f×) |"
        % (ms(a["aorm_finding_median_s"]), a["finding_over_own_median"],
           a["finding_over_own_max"]),
        "| removing edit → its diagnostics gone (median) | %s | %s | %.2f× |"
        % (ms(a["cleared_median_s"]), ms(p["cleared_median_s"]),
           a["cleared_median_s"] / p["cleared_median_s"]),
        "| CPU per editing session (median) | %.1f s | %.1f s | %.2f× |"
        % (a["cpu_per_session_s"], p["cpu_per_session_s"],
           a["cpu_per_session_s"] / p["cpu_per_session_s"]),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, help="aorm-clangd")
    parser.add_argument("--clangd", default="clangd-19", help="plain clangd to compare with")
    parser.add_argument("--edits", type=int, default=7, help="edits per session (>= 5)")
    parser.add_argument("--sessions", type=int, default=2, help="sessions per server and file")
    parser.add_argument("--big-lines", type=int, default=30000,
                        help="lines of the generated big file (0: lint demo only)")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--md", help="write the table here")
    parser.add_argument("--doc", help="fill the editor section of this file (performance.md)")
    args = parser.parse_args()
    if args.edits < 5 or args.sessions < 1 or args.big_lines < 0:
        parser.error("--edits must be at least 5, --sessions at least 1, --big-lines >= 0")
    server = str(pathlib.Path(args.server).resolve())
    clangd = shutil.which(args.clangd)
    if not clangd:
        parser.error("--clangd: '%s' not found" % args.clangd)
    if not os.path.isfile(server) or not server_has_checks(server):
        parser.error("--server: '%s' is not aorm-clangd (no --aorm-docs-url)" % args.server)

    workloads = [("lint-demo feed.cpp", lint_demo)]
    if args.big_lines:
        workloads.append(("corpus big.cpp (%d lines)" % args.big_lines,
                          lambda work: big_file(work, args.big_lines)))
    work = pathlib.Path(tempfile.mkdtemp(prefix="aorm-editor-latency-"))
    figures = {"files": {}}
    try:
        for title, make in workloads:
            runs = {"aorm-clangd": [], "clangd-19": []}
            for i in range(args.sessions):
                for name, binary in (("aorm-clangd", server), ("clangd-19", clangd)):
                    workload = make(work / ("%s-%s-%d" % (make.__name__, name, i)))
                    runs[name].append(session(binary, workload, args.edits))
            figures["files"][title] = summarise(runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["binary_bytes"] = {"aorm-clangd": os.path.getsize(server),
                               "clangd-19": os.path.getsize(os.path.realpath(clangd))}

    table = ["| %d edits × %d sessions per file | aorm-clangd | clangd-19 | ratio |"
             % (args.edits, args.sessions), "| --- | ---: | ---: | ---: |"]
    for title, f in figures["files"].items():
        table += rows(title, f)
    table.append("| binary size | %.1f MB | %.1f MB | |"
                 % (figures["binary_bytes"]["aorm-clangd"] / 1e6,
                    figures["binary_bytes"]["clangd-19"] / 1e6))
    text = "\n".join(table) + "\n"
    print(text, end="")
    if args.md:
        pathlib.Path(args.md).write_text(text)
    if args.doc:
        doc = pathlib.Path(args.doc).read_text()
        if BEGIN not in doc or END not in doc:
            sys.exit("editor_latency.py: %s has no %s ... %s section to fill"
                     % (args.doc, BEGIN, END))
        stamp = "Run of %s on %d cores:" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                            os.cpu_count())
        body = "%s\n%s\n\n%s%s" % (BEGIN, stamp, text, END)
        start, stop = doc.index(BEGIN), doc.index(END) + len(END)
        pathlib.Path(args.doc).write_text(doc[:start] + body + doc[stop:])
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
