"""Drives aorm-clangd (clangd 19 with the aorm checks built in) on the sample project, one
scenario per ctest test.

usage: aorm_clangd_test.py SCENARIO --server PATH --include DIR --docs DIR
"""

import sys

sys.dont_write_bytecode = True  # Run from the source tree; leave no __pycache__ there.

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

from lsp_client import LspClient, LspError

HERE = pathlib.Path(__file__).resolve().parent
TEMP_DIRS = []
# The project's .clang-tidy turns the aorm checks on, as in examples/lint-demo; no .clangd file.
AORM_TIDY_CONFIG = "Checks: '-*,aorm-*'\n"


def temp_dir(prefix):
    path = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    TEMP_DIRS.append(path)
    return path


# -- LSP positions are UTF-16 code units ------------------------------------------------------
def utf16_len(s):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def index_of_utf16(line, units):
    count = 0
    for i, c in enumerate(line):
        if count >= units:
            return i
        count += 2 if ord(c) > 0xFFFF else 1
    return len(line)


def offset_of(text, pos):
    lines = text.split("\n")
    start = sum(len(l) + 1 for l in lines[: pos["line"]])
    return start + index_of_utf16(lines[pos["line"]], pos["character"])


def position_of(text, index):
    before = text[:index]
    line = before.count("\n")
    col = utf16_len(before[before.rfind("\n") + 1:])
    return {"line": line, "character": col}


def apply_edits(text, edits):
    spans = sorted(((offset_of(text, e["range"]["start"]), offset_of(text, e["range"]["end"]),
                     e["newText"]) for e in edits), reverse=True)
    for begin, end, new in spans:
        text = text[:begin] + new + text[end:]
    return text


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def one(items, what):
    check(len(items) == 1, "want exactly one %s, got %r" % (what, items))
    return items[0]


# -- fixtures ---------------------------------------------------------------------------------
def write_flags(directory, args):
    (directory / "compile_flags.txt").write_text(
        "-std=c++20\n-Wall\n-I%s\n" % os.path.abspath(args.include))


def make_project(args, root=None, with_flags=True, tidy=AORM_TIDY_CONFIG, clangd=None):
    root = root or temp_dir("aorm-clangd-test-")
    root.mkdir(parents=True, exist_ok=True)
    for sample in (HERE / "project").iterdir():
        shutil.copy(sample, root / sample.name)
    if with_flags:
        write_flags(root, args)
    if tidy is not None:
        (root / ".clang-tidy").write_text(tidy)
    if clangd is not None:
        (root / ".clangd").write_text(clangd)
    return root


def start(args, root, extra=(), capabilities=None, env=None):
    argv = [args.server, "--log=verbose", "--background-index=false", *extra]
    client = LspClient(argv, cwd=str(root), env=env)
    if capabilities is None:
        capabilities = {
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True},
                "codeAction": {"codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix", "refactor"]}}},
            },
            "workspace": {"workspaceEdit": {"documentChanges": True}},
        }
    init = client.request("initialize", {
        "processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": capabilities})
    client.notify("initialized", {})
    client.init_result = init
    return client


def open_file(client, path, text, version=1):
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": version, "text": text}})
    return uri


def diagnostics_of(client, uri, version):
    """The diagnostics clangd publishes for one version of a document."""
    params = client.wait_publish(uri, lambda p: p.get("version") == version,
                                 what="diagnostics for %s version %d" % (uri, version))
    return params["diagnostics"]


def finish(client):
    client.request("shutdown", None)
    client.notify("exit", None)
    status = client.wait_exit()
    check(status == 0, "aorm-clangd exited with %r after shutdown/exit, want 0" % status)


def aorm_diags(diags, check_name=None):
    return [d for d in diags if d.get("source") == "clang-tidy"
            and str(d.get("code", "")).startswith("aorm-")
            and (check_name is None or d["code"] == check_name)]


def tidy_diags(diags, check_name):
    return [d for d in diags if d.get("source") == "clang-tidy" and d.get("code") == check_name]


def unused_warnings(diags):
    return [d for d in diags if d.get("source") == "clang" and d.get("code") == "-Wunused-variable"]


def errors(diags):
    return [d for d in diags if d.get("severity") == 1]


def quick_fixes(actions, check_name):
    return [a for a in actions or [] if a.get("kind") == "quickfix" and
            any(d.get("code") == check_name for d in a.get("diagnostics", []))]


def code_actions(client, uri, rng, diagnostics):
    return client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng,
        "context": {"diagnostics": diagnostics}}) or []


def compiles(args, path, text):
    """The text compiles with the project's flags (a fix-it must give code that builds)."""
    out = subprocess.run([args.cxx, "-std=c++20", "-fsyntax-only", "-I" + args.include,
                          "-x", "c++", "-"], input=text, capture_output=True, text=True,
                         cwd=str(path.parent), timeout=120)
    check(out.returncode == 0, "fixed %s does not compile:\n%s" % (path.name, out.stderr))


BLOCKING = "aorm-blocking-call-in-coroutine"


# -- scenarios --------------------------------------------------------------------------------
def scenario_editing(args):
    """didOpen -> clangd's warning and the aorm finding in one publish, linked to our docs; the
    preferred quick fix gives the expected, compiling file; a buffer-only edit that fixes the
    call clears the finding in the publish for that version."""
    root = make_project(args)
    path = root / "handlers.cpp"
    text = path.read_text(encoding="utf-8")
    expected = (HERE / "expected" / "handlers.fixed.cpp").read_text(encoding="utf-8")
    client = start(args, root)
    try:
        uri = open_file(client, path, text)
        diags = diagnostics_of(client, uri, 1)
        check(unused_warnings(diags), "clangd's own warning missing: %r" % diags)
        check(not errors(diags), "errors (builtin headers not found?): %r" % errors(diags))
        finding = one(aorm_diags(diags), "aorm finding")
        check(finding["code"] == BLOCKING, "code %r" % finding["code"])
        check("'count'" in finding["message"] and "acount" in finding["message"],
              "message %r" % finding["message"])
        # The comment before the call has a 2-unit emoji and an accented letter: the start is
        # right only if columns are UTF-16 code units.
        call = text.index("Post::objects.count()")
        name = text.index("count()", call)  # the finding sits on the called name
        check(finding["range"]["start"] == position_of(text, name),
              "aorm range starts at %r, want %r" % (finding["range"]["start"],
                                                    position_of(text, name)))
        doc = pathlib.Path(args.docs) / (BLOCKING + ".md")
        check(doc.is_file(), "no check page %s" % doc)
        href = finding.get("codeDescription", {}).get("href")
        check(href == doc.as_uri(), "documentation link %r, want %r" % (href, doc.as_uri()))

        # Everything else is clangd's: hover, go-to-definition, and its refactorings (the
        # tweaks register themselves at start-up, so this also shows they are linked in).
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": position_of(text, text.index("count_posts"))})
        check(hover and "count_posts" in str(hover["contents"]), "hover %r" % hover)
        [definition] = client.request("textDocument/definition", {
            "textDocument": {"uri": uri}, "position": position_of(text, call)})
        check(definition["uri"] == uri and definition["range"]["start"]["line"] ==
              text[:text.index("struct Post")].count("\n"), "definition %r" % definition)
        sum_text = "int sum() { return 1 + 2; }\n"
        sum_uri = open_file(client, root / "sum.cpp", sum_text)
        selected = {"start": position_of(sum_text, sum_text.index("1 + 2")),
                    "end": position_of(sum_text, sum_text.index("; }"))}
        refactorings = [a for a in code_actions(client, sum_uri, selected, [])
                        if a.get("kind") == "refactor"]
        check(any(a["title"] == "Extract subexpression to variable" for a in refactorings),
              "no clangd refactoring offered: %r" % refactorings)

        fix = one(quick_fixes(code_actions(client, uri, finding["range"], [finding]), BLOCKING),
                  "aorm quick fix")
        check(fix.get("isPreferred") is True, "the fix should be preferred: %r" % fix)
        change = one(fix["edit"]["documentChanges"], "document change")
        check(change["textDocument"] == {"uri": uri, "version": 1}, "edit on %r" % change)
        fixed = apply_edits(text, change["edits"])
        check(fixed == expected, "quick fix gives:\n%s" % fixed)
        compiles(args, path, fixed)

        # A code action elsewhere in the file offers no aorm fix.
        far = code_actions(client, uri, {"start": {"line": 0, "character": 0},
                                         "end": {"line": 0, "character": 1}}, [])
        check(not [a for a in far if "co_await" in json.dumps(a)], "unexpected fix %r" % far)

        # Fix the buffer only (incremental change); the disk keeps the blocking call.
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": position_of(text, call),
                                          "end": position_of(text, call + len(
                                              "Post::objects.count()"))},
                                "text": "co_await Post::objects.acount()"}]})
        diags = diagnostics_of(client, uri, 2)
        check(not aorm_diags(diags), "aorm finding after the fix: %r" % diags)
        check(unused_warnings(diags), "clangd's warning lost after the edit: %r" % diags)
        check(path.read_text(encoding="utf-8") == text, "the file on disk changed")
        actions = code_actions(client, uri, finding["range"], [])
        check(not [a for a in actions if "acount" in json.dumps(a.get("edit"))],
              "stale quick fix offered: %r" % actions)
        finish(client)
    finally:
        client.kill()


LEGACY = """#include <aorm/aorm.hpp>
namespace legacy { int fetch_all(); }
aorm::Task<int> load() { int spare = 0; co_return legacy::fetch_all(); }
"""


def scenario_clang_tidy_file(args):
    """The project's .clang-tidy decides: a check turned off there, or aorm-* not enabled,
    gives no aorm finding while clangd keeps reporting; CheckOptions reach the check."""
    base = temp_dir("aorm-clangd-test-")
    option = ("Checks: '-*,aorm-*'\nCheckOptions:\n"
              "  %s.BlockingFunctions: 'legacy::fetch_all'\n" % BLOCKING)
    cases = {
        # name: (.clang-tidy, {file: aorm finding expected})
        "off": ("Checks: '-*,aorm-*,-%s'\n" % BLOCKING, {"handlers.cpp": False}),
        "not-enabled": ("Checks: '-*,bugprone-*'\n", {"handlers.cpp": False}),
        "on": (AORM_TIDY_CONFIG, {"handlers.cpp": True, "legacy.cpp": False}),
        "option": (option, {"legacy.cpp": True}),
    }
    for name, (tidy, _) in cases.items():
        make_project(args, root=base / name, tidy=tidy)
        (base / name / "legacy.cpp").write_text(LEGACY)
    client = start(args, base)
    try:
        for name, (_, files) in cases.items():
            for file, want in files.items():
                path = base / name / file
                uri = open_file(client, path, path.read_text(encoding="utf-8"))
                diags = diagnostics_of(client, uri, 1)
                check(unused_warnings(diags), "%s/%s: clangd's warning missing: %r"
                      % (name, file, diags))
                check(bool(aorm_diags(diags)) == want, "%s/%s: aorm findings %r, want %s"
                      % (name, file, aorm_diags(diags), "one" if want else "none"))
        finish(client)
    finally:
        client.kill()


def scenario_clangd_file(args):
    """Without a .clangd the aorm checks run (declared fast) while clangd still drops a check it
    measured slow; a .clangd's FastCheckFilter and Remove behave as in clangd."""
    slow = "misc-const-correctness"  # On clangd's slow list; flags `int unused = 0;`.
    tidy = "Checks: '-*,aorm-*,%s'\n" % slow
    filter_yaml = "Diagnostics:\n  ClangTidy:\n    FastCheckFilter: %s\n"
    cases = {
        # name: (.clangd text, aorm finding expected, slow check expected)
        "default": (None, True, False),
        "strict": (filter_yaml % "Strict", True, False),
        "loose": (filter_yaml % "Loose", True, False),
        "none": (filter_yaml % "None", True, True),
        "removed": ("Diagnostics:\n  ClangTidy:\n    Remove: %s\n" % BLOCKING, False, False),
    }
    base = temp_dir("aorm-clangd-test-")
    for name, (clangd, _, _) in cases.items():
        make_project(args, root=base / name, tidy=tidy, clangd=clangd)
    client = start(args, base)
    try:
        for name, (_, want_aorm, want_slow) in cases.items():
            path = base / name / "handlers.cpp"
            uri = open_file(client, path, path.read_text(encoding="utf-8"))
            diags = diagnostics_of(client, uri, 1)
            check(unused_warnings(diags), "%s: clangd's warning missing: %r" % (name, diags))
            check(bool(aorm_diags(diags)) == want_aorm,
                  "%s: aorm findings %r, want %s" % (name, aorm_diags(diags), want_aorm))
            check(bool(tidy_diags(diags, slow)) == want_slow,
                  "%s: %s findings %r, want %s" % (name, slow, tidy_diags(diags, slow),
                                                   want_slow))
        finish(client)
    finally:
        client.kill()


def scenario_notes(args):
    """A note becomes relatedInformation; a finding without a fix-it offers no quick fix."""
    root = make_project(args)
    path = root / "notes.cpp"
    text = path.read_text(encoding="utf-8")
    client = start(args, root)
    try:
        uri = open_file(client, path, text)
        finding = one(aorm_diags(diagnostics_of(client, uri, 1)), "aorm finding")
        check(finding["range"]["start"] == position_of(text, text.index("total();")),
              "range %r" % finding)
        note = one(finding["relatedInformation"], "note")
        check(note["location"]["uri"] == uri, "note in %r" % note)
        check(note["location"]["range"]["start"] ==
              position_of(text, text.index("count()", text.index("Post::objects.count()"))),
              "note at %r" % note)
        check("calls blocking 'count'" in note["message"], "note %r" % note)
        actions = code_actions(client, uri, finding["range"], [finding])
        check(not quick_fixes(actions, BLOCKING),
              "quick fix offered for a finding without fix-it: %r" % actions)
        finish(client)
    finally:
        client.kill()


def scenario_client_variants(args):
    """A plainer client: UTF-8 positions negotiated, no relatedInformation (notes folded into
    the message and published at their place), no versioned documentChanges (edits under
    "changes"); --aorm-docs-url moves the documentation links."""
    root = make_project(args)
    client = start(args, root, extra=["--aorm-docs-url=https://docs.example.org/aorm/checks"],
                   capabilities={
                       # clangd 19 negotiates through its offsetEncoding extension.
                       "offsetEncoding": ["utf-8"],
                       "textDocument": {"codeAction": {"codeActionLiteralSupport": {
                           "codeActionKind": {"valueSet": ["quickfix"]}}}}})
    try:
        check(client.init_result.get("offsetEncoding") == "utf-8",
              "clangd chose %r" % client.init_result.get("offsetEncoding"))
        handlers = root / "handlers.cpp"
        text = handlers.read_text(encoding="utf-8")
        data = text.encode("utf-8")
        uri = open_file(client, handlers, text)
        finding = one(aorm_diags(diagnostics_of(client, uri, 1)), "aorm finding (utf-8)")
        call = data.index(b"count()", data.index(b"Post::objects.count()"))
        line = data[:call].count(b"\n")
        column = call - (data[:call].rfind(b"\n") + 1)
        check(finding["range"]["start"] == {"line": line, "character": column},
              "utf-8 range %r, want line %d byte column %d" % (finding["range"], line, column))
        check(finding["codeDescription"]["href"] ==
              "https://docs.example.org/aorm/checks/%s.md" % BLOCKING,
              "link %r" % finding["codeDescription"])
        fix = one(quick_fixes(code_actions(client, uri, finding["range"], [finding]), BLOCKING),
                  "aorm quick fix")
        check("documentChanges" not in fix["edit"], "unsupported documentChanges sent")
        fixed = data
        for e in sorted(fix["edit"]["changes"][uri], key=lambda e: (
                e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
            lines = fixed.split(b"\n")
            start_at = sum(len(l) + 1 for l in lines[:e["range"]["start"]["line"]]) + \
                e["range"]["start"]["character"]
            end_at = sum(len(l) + 1 for l in lines[:e["range"]["end"]["line"]]) + \
                e["range"]["end"]["character"]
            fixed = fixed[:start_at] + e["newText"].encode("utf-8") + fixed[end_at:]
        expected = (HERE / "expected" / "handlers.fixed.cpp").read_bytes()
        check(fixed == expected, "utf-8 quick fix gives:\n%s" % fixed.decode("utf-8", "replace"))

        notes = root / "notes.cpp"
        ntext = notes.read_text(encoding="utf-8")
        nuri = open_file(client, notes, ntext)
        diags = diagnostics_of(client, nuri, 1)
        finding = one(aorm_diags(diags), "aorm finding with a note")
        check("relatedInformation" not in finding, "unsupported relatedInformation sent")
        pos = position_of(ntext, ntext.index("count()", ntext.index("Post::objects.count()")))
        where = "notes.cpp:%d:%d: note: " % (pos["line"] + 1, pos["character"] + 1)
        check(where in finding["message"], "note not folded in: %r" % finding["message"])
        at_note = [d for d in diags if d["range"]["start"] == pos]
        check(at_note and "calls blocking 'count'" in at_note[0]["message"],
              "no diagnostic at the note's place: %r" % diags)
        finish(client)
    finally:
        client.kill()


def scenario_rapid_edits(args):
    """Edits in quick succession: every publish matches the text of the version it names (a
    blocking version has the finding, a fixed one has none), and the last version arrives."""
    root = make_project(args)
    path = root / "handlers.cpp"
    blocking = path.read_text(encoding="utf-8")
    fixed = (HERE / "expected" / "handlers.fixed.cpp").read_text(encoding="utf-8")
    client = start(args, root)
    try:
        uri = open_file(client, path, blocking)
        texts = {1: blocking, 2: fixed, 3: blocking, 4: fixed, 5: blocking, 6: fixed}
        for version in range(2, 7):
            time.sleep(0.1 * (version % 3))  # Some edits land mid-build, some back to back.
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": texts[version]}]})
        diagnostics_of(client, uri, 6)
        seen = 0
        for msg in client.notifications:
            if msg.get("method") != "textDocument/publishDiagnostics" or \
                    msg["params"]["uri"] != uri:
                continue
            version = msg["params"]["version"]
            want = texts[version] is blocking
            check(bool(aorm_diags(msg["params"]["diagnostics"])) == want,
                  "version %d published %r" % (version, msg["params"]["diagnostics"]))
            seen += 1
        check(seen >= 2, "only %d publishes" % seen)
        finish(client)
    finally:
        client.kill()


def scenario_compile_commands_dir(args):
    """--compile-commands-dir points clangd at a build directory; the checks run with it."""
    root = make_project(args, with_flags=False)
    build = temp_dir("aorm-clangd-test-build-")
    path = root / "handlers.cpp"
    (build / "compile_commands.json").write_text(json.dumps([{
        "directory": str(build), "file": str(path),
        "arguments": ["clang++", "-std=c++20", "-Wall", "-I" + os.path.abspath(args.include),
                      "-c", str(path), "-o", "handlers.o"]}]))
    client = start(args, root, extra=["--compile-commands-dir=" + str(build)])
    try:
        uri = open_file(client, path, path.read_text(encoding="utf-8"))
        diags = diagnostics_of(client, uri, 1)
        check(aorm_diags(diags) and unused_warnings(diags),
              "both diagnostics with the build directory's command: %r" % diags)
        finish(client)
    finally:
        client.kill()


def scenario_no_compile_command(args):
    """No compile command (an empty --compile-commands-dir, so nothing above the project can
    supply one): clangd's fallback command cannot find the aorm headers; clangd says so, no
    aorm finding is invented and nothing crashes. Once the flags appear, the next edit gets
    the finding."""
    root = make_project(args, with_flags=False)
    flags_dir = temp_dir("aorm-clangd-test-flags-")
    path = root / "handlers.cpp"
    text = path.read_text(encoding="utf-8")
    client = start(args, root, extra=["--compile-commands-dir=" + str(flags_dir)])
    try:
        uri = open_file(client, path, text)
        diags = diagnostics_of(client, uri, 1)
        check([d for d in errors(diags) if "aorm/aorm.hpp" in d["message"]],
              "want clangd's error about the missing header, got %r" % diags)
        check(not aorm_diags(diags), "aorm finding without a compile command: %r" % diags)
        write_flags(flags_dir, args)
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": (flags_dir / "compile_flags.txt").as_uri(), "type": 1}]})
        version, deadline = 1, time.monotonic() + 60
        while True:  # clangd looks for a missing database again after about 30 s.
            version += 1
            # A new text each time: clangd skips a rebuild of unchanged inputs.
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text + "// edit %d\n" % version}]})
            diags = diagnostics_of(client, uri, version)
            if aorm_diags(diags) or time.monotonic() > deadline:
                break
            time.sleep(1)
        check(aorm_diags(diags) and not errors(diags),
              "after compile_flags.txt appeared: %r" % diags)
        finish(client)
    finally:
        client.kill()


def scenario_resource_dir(args):
    """clang's builtin headers come from the clang the binary links (<cstddef> needs them),
    named once on the compile command; a resource dir the user names, here through
    CLANGD_FLAGS, replaces it."""
    root = make_project(args)
    path = root / "builtin.cpp"
    text = "#include <cstddef>\nstd::size_t width() { return sizeof(int); }\n"
    path.write_text(text)
    for env in (None, {"CLANGD_FLAGS": "--resource-dir=/nonexistent"}):
        client = start(args, root, env=dict(os.environ, **env) if env else None)
        try:
            uri = open_file(client, path, text)
            diags = diagnostics_of(client, uri, 1)
            finish(client)
            # clangd logs the command it builds with on a line of its own, ending in `-- FILE`.
            command = [l for l in client.stderr().splitlines()
                       if l.endswith(" -- " + str(path))]
            check(command, "no compile command logged:\n" + client.stderr()[-3000:])
            dirs = [w.split("=", 1)[1] for w in command[-1].split() if
                    w.startswith("-resource-dir=")]
            check(len(dirs) == 1, "env %r: resource dirs %r in %s" % (env, dirs, command[-1]))
            if env:
                check(dirs == ["/nonexistent"], "the user's resource dir lost: %r" % dirs)
            else:
                check((pathlib.Path(dirs[0]) / "include" / "stddef.h").is_file(),
                      "resource dir %r has no include/stddef.h" % dirs[0])
                check(not errors(diags), "errors with the default resource dir: %r" % diags)
        finally:
            client.kill()


def scenario_malformed(args):
    """Broken frames, invalid JSON and wrongly shaped fields are logged and the session goes
    on; a message that is JSON but not JSON-RPC ends it (clangd's rule) with status 1 and the
    reason logged, never a crash."""
    root = make_project(args)
    client = start(args, root)
    try:
        client.send_raw(b"X-Garbage: yes\r\n\r\n")                     # No Content-Length.
        client.send_raw(b"Content-Length: nope\r\n\r\n")               # Bad length.
        body = b'{"jsonrpc": "2.0", "method": '                        # Invalid JSON.
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        client.notify("textDocument/didOpen", {"textDocument": 5})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": 7, "text": None}})
        client.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere.cpp"},
                                                 "contentChanges": "x"})
        uri = open_file(client, root / "tiny.cpp", "int main() { return 0; }\n")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"range": "x", "text": ""}]})
        client.send({"jsonrpc": "2.0", "id": {"odd": "id"}, "method": "textDocument/codeAction",
                     "params": {"textDocument": {"uri": uri}, "range": 3}})
        client.send({"jsonrpc": "2.0", "id": 999, "method": "textDocument/codeAction"})
        reply = client._wait(lambda m: m.get("id") == 999, 60, "the reply to a bad request")
        check("error" in reply, "want an error reply, got %r" % reply)
        # The session still works.
        path = root / "handlers.cpp"
        huri = open_file(client, path, path.read_text(encoding="utf-8"))
        check(aorm_diags(diagnostics_of(client, huri, 1)), "no aorm finding after bad input")
        finish(client)
        err = client.stderr()
        for want in ("Missing Content-Length header", "JSON parse error",
                     "Failed to decode textDocument/didOpen request",
                     "Failed to decode textDocument/codeAction request"):
            check(want in err, "%r not logged:\n%s" % (want, err[-3000:]))
    finally:
        client.kill()
    client = start(args, root)
    try:
        body = b"[1, 2, 3]"
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        status = client.wait_exit()
        check(status == 1, "a non-JSON-RPC message gave status %r, want 1" % status)
        check("Not a JSON-RPC 2.0 message" in client.stderr(), "reason not logged")
    finally:
        client.kill()


def scenario_huge(args):
    """An 8 MB document and a 40 MB notification are handled; the session goes on."""
    root = make_project(args)
    client = start(args, root)
    try:
        big = "int big_unused() { return missing_name; }\n// " + "x" * (8 << 20) + "\n"
        elsewhere = temp_dir("aorm-clangd-test-big-")
        uri = open_file(client, elsewhere / "big.cpp", big)
        diags = diagnostics_of(client, uri, 1)
        check(any("missing_name" in d["message"] for d in diags), "diagnostics %r" % diags)
        client.notify("$/aorm-test/huge", {"blob": "y" * (40 << 20)})
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 5}})
        check(hover and "big_unused" in str(hover["contents"]), "hover %r" % hover)
        finish(client)
    finally:
        client.kill()


def scenario_exit_status(args):
    """exit without shutdown gives clangd's status 1 (shutdown then exit gives 0: finish())."""
    root = make_project(args)
    client = start(args, root)
    try:
        client.notify("exit", None)
        status = client.wait_exit()
        check(status == 1, "exit without shutdown gave %r, want 1" % status)
    finally:
        client.kill()


def scenario_command_line(args):
    """--version and --help are clangd's (--help also lists --aorm-docs-url); --check runs the
    aorm checks; bad options are refused naming the option."""
    def run(*argv, cwd=None):
        return subprocess.run([args.server, *argv], capture_output=True, text=True,
                              timeout=120, cwd=cwd)
    out = run("--version")
    check(out.returncode == 0 and "clangd version 19" in out.stdout, "--version gave %r" % out)
    out = run("--help")
    check(out.returncode == 0 and "--aorm-docs-url=<url>" in out.stdout and
          "--compile-commands-dir" in out.stdout, "--help gave %r" % out.stdout[-2000:])
    # clangd's --check reports errors only: the project makes aorm findings errors.
    root = make_project(args, tidy=AORM_TIDY_CONFIG + "WarningsAsErrors: 'aorm-*'\n")
    shutil.copy(HERE / "expected" / "handlers.fixed.cpp", root / "fixed.cpp")
    out = run("--check=" + str(root / "handlers.cpp"), cwd=str(root))
    check(out.returncode != 0 and "[%s] Line 18:" % BLOCKING in out.stderr,
          "--check gave status %d:\n%s" % (out.returncode, out.stderr[-3000:]))
    out = run("--check=" + str(root / "fixed.cpp"), cwd=str(root))
    check(out.returncode == 0 and "[aorm-" not in out.stderr,
          "--check on the fixed file gave status %d:\n%s" % (out.returncode, out.stderr[-3000:]))
    for extra, want_text in ((["--log=loud"], "--log"),
                             (["--aorm-docs-url=nowhere"], "'nowhere' is not a URL"),
                             (["--aorm-docs-url="], "'' is not a URL"),
                             (["--no-such-option"], "--no-such-option")):
        out = run(*extra)
        check(out.returncode != 0 and want_text in out.stderr,
              "%s gave status %d, stderr %r" % (extra, out.returncode, out.stderr))


def scenario_project_summary(args):
    """Calls into other files in the editor: the summary file aorm-tidy writes, named in
    .clang-tidy, gives the coroutine's call to a function of another TU a finding, with its
    notes in the other files as relatedInformation; a same-named harmless callee stays clean."""
    check(args.tidy, "--tidy (aorm-tidy) is needed for this scenario")
    root = temp_dir("aorm-clangd-summary-")
    fixture = HERE.parent / "tool" / "Inputs" / "cross-file"
    for sample in fixture.iterdir():
        shutil.copy(sample, root / sample.name)
    build = root / "build"
    build.mkdir()
    units = sorted(p.name for p in root.glob("*.cpp"))
    (build / "compile_commands.json").write_text(json.dumps([
        {"directory": str(build), "file": str(root / u),
         "arguments": [args.cxx, "-std=c++20", "-I" + args.include, "-I" + str(root), "-c",
                       str(root / u)]} for u in units]))
    (root / ".clang-tidy").write_text(
        AORM_TIDY_CONFIG + "CheckOptions:\n  aorm-blocking-call-in-coroutine.ProjectSummary: "
        "build/aorm-project-summary.json\n")
    run = subprocess.run([args.tidy, "-p", str(build), "--quiet", "-o", os.devnull],
                         capture_output=True, text=True, timeout=300)
    check(run.returncode == 0, "aorm-tidy failed: %s" % run.stderr)
    check((build / "aorm-project-summary.json").exists(), "aorm-tidy wrote no summary file")
    path = root / "handlers.cpp"
    text = path.read_text(encoding="utf-8")
    client = start(args, root, ["--compile-commands-dir=%s" % build])
    try:
        uri = open_file(client, path, text)
        diags = aorm_diags(diagnostics_of(client, uri, 1), BLOCKING)
        show = [d for d in diags if "coroutine 'show'" in d["message"]]
        finding = one(show, "finding for show()")
        check(finding["range"]["start"] == position_of(text, text.index("repo::title_of(id); }")),
              "range %r" % finding)
        check("in another file" in finding["message"] and "atitle_of" in finding["message"],
              "message %r" % finding["message"])
        note = one(finding["relatedInformation"], "note")
        check(note["location"]["uri"] == (root / "repository.cpp").as_uri(), "note in %r" % note)
        check("'title_of' calls blocking 'get'" in note["message"], "note %r" % note)
        check(not [d for d in diags if "coroutine 'elsewhere'" in d["message"]],
              "other::title_of reported: %r" % diags)
        finish(client)
    finally:
        client.kill()


SCENARIOS = {
    "editing": scenario_editing,
    "clang-tidy-file": scenario_clang_tidy_file,
    "clangd-file": scenario_clangd_file,
    "notes": scenario_notes,
    "client-variants": scenario_client_variants,
    "rapid-edits": scenario_rapid_edits,
    "compile-commands-dir": scenario_compile_commands_dir,
    "no-compile-command": scenario_no_compile_command,
    "resource-dir": scenario_resource_dir,
    "malformed": scenario_malformed,
    "huge": scenario_huge,
    "exit-status": scenario_exit_status,
    "command-line": scenario_command_line,
    "project-summary": scenario_project_summary,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--server", required=True, help="the aorm-clangd binary")
    parser.add_argument("--include", required=True, help="orm-runtime/include")
    parser.add_argument("--docs", required=True, help="docs/checks, where links must point")
    parser.add_argument("--cxx", default="clang++-19", help="compiler that checks fixed files")
    parser.add_argument("--tidy", help="aorm-tidy, which writes the project summary")
    args = parser.parse_args()
    args.include = os.path.abspath(args.include)
    args.server = os.path.abspath(args.server)
    args.docs = os.path.abspath(args.docs)
    try:
        SCENARIOS[args.scenario](args)
    except (AssertionError, LspError) as e:
        print("FAIL %s: %s" % (args.scenario, e))
        return 1
    finally:
        for path in TEMP_DIRS:
            shutil.rmtree(path, ignore_errors=True)
    print("PASS %s" % args.scenario)
    return 0


if __name__ == "__main__":
    sys.exit(main())
