"""Drives aorm-clangd over the real clangd on the sample project, one scenario per ctest test.

usage: aorm_clangd_test.py SCENARIO --proxy PATH --clangd PATH --include DIR
"""

import sys

sys.dont_write_bytecode = True  # Run from the source tree; leave no __pycache__ there.

import argparse
import os
import pathlib
import shutil
import tempfile
import time

from lsp_client import LspClient, LspError

HERE = pathlib.Path(__file__).resolve().parent
TEMP_DIRS = []


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


# -- fixtures ---------------------------------------------------------------------------------
def make_project(args, with_flags=True):
    root = temp_dir("aorm-clangd-test-")
    for sample in (HERE / "project").iterdir():
        shutil.copy(sample, root / sample.name)
    if with_flags:
        (root / "compile_flags.txt").write_text(
            "-std=c++20\n-Wall\n-I%s\n" % os.path.abspath(args.include))
    return root


def start(args, root, extra=(), related_information=True):
    argv = [args.proxy, "--clangd=" + args.clangd, "--aorm-debounce=50", "--log=verbose",
            "--background-index=false", *extra]
    client = LspClient(argv, cwd=str(root))
    client.request("initialize", {
        "processId": os.getpid(),
        "rootUri": "file://" + str(root),
        "capabilities": {
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": related_information},
                "codeAction": {"codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix", "refactor"]}}},
            },
            "workspace": {"workspaceEdit": {"documentChanges": True}},
        },
    })
    client.notify("initialized", {})
    return client


def open_file(client, path, text, version=1):
    uri = "file://" + str(path)
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": version, "text": text}})
    return uri


def finish(client):
    client.request("shutdown", None)
    client.notify("exit", None)
    status = client.wait_exit()
    check(status == 0, "aorm-clangd exited with %r after shutdown/exit, want 0" % status)


def wait_log(client, line, timeout=60):
    """Waits for aorm-clangd's stderr (at --log=verbose) to contain line."""
    deadline = time.monotonic() + timeout
    while line not in client.stderr() and time.monotonic() < deadline:
        client.drain(0.2)
    check(line in client.stderr(), "no log line %r in:\n%s" % (line, client.stderr()[-3000:]))


def aorm_diags(diags):
    return [d for d in diags if d.get("source") == "aorm"]


def unused_warnings(diags):
    return [d for d in diags if d.get("source") != "aorm" and d.get("code") == "-Wunused-variable"]


# -- scenarios --------------------------------------------------------------------------------
def scenario_editing(args):
    """didOpen -> clangd's warning and the aorm finding; code action fixes it; a buffer-only
    edit that fixes it clears the aorm diagnostic."""
    root = make_project(args)
    path = root / "handlers.cpp"
    text = path.read_text(encoding="utf-8")
    expected = (HERE / "expected" / "handlers.fixed.cpp").read_text(encoding="utf-8")
    client = start(args, root)
    try:
        uri = open_file(client, path, text)
        params = client.wait_diagnostics(
            uri, lambda ds: aorm_diags(ds) and unused_warnings(ds),
            what="clangd's unused-variable warning and an aorm finding together")
        check(params.get("version") == 1, "diagnostics for version %r" % params.get("version"))
        [finding] = aorm_diags(params["diagnostics"])
        check(finding["code"] == "aorm-blocking-call-in-coroutine", "code %r" % finding["code"])
        check("count" in finding["message"] and "acount" in finding["message"],
              "message %r" % finding["message"])
        # The comment before the call has a 2-unit emoji and an accented letter: the start is
        # right only if the proxy counted UTF-16 code units.
        call = text.index("Post::objects.count()")
        check(finding["range"]["start"] == position_of(text, call),
              "aorm range starts at %r, want %r" % (finding["range"]["start"],
                                                    position_of(text, call)))

        # Pass-through: a request only clangd answers still gets its answer.
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": position_of(text, text.index("count_posts"))})
        check(hover and "count_posts" in str(hover["contents"]), "hover %r" % hover)

        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": finding["range"],
            "context": {"diagnostics": [finding]}}) or []
        fixes = [a for a in actions if a.get("kind") == "quickfix" and
                 any(d.get("source") == "aorm" for d in a.get("diagnostics", []))]
        check(len(fixes) == 1, "want one aorm quick fix, got %r" % actions)
        fix = fixes[0]
        check(fix.get("isPreferred") is True, "the only fix should be preferred: %r" % fix)
        [change] = fix["edit"]["documentChanges"]
        check(change["textDocument"] == {"uri": uri, "version": 1}, "edit on %r" % change)
        fixed = apply_edits(text, change["edits"])
        check(fixed == expected, "quick fix gives:\n%s" % fixed)

        # A code action elsewhere in the file offers no aorm fix.
        far = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
            "context": {"diagnostics": []}}) or []
        check(not [a for a in far if "co_await" in str(a)], "unexpected fix %r" % far)

        # Fix the buffer only (incremental change); the disk keeps the blocking call.
        start_pos = position_of(text, call)
        end_pos = position_of(text, call + len("Post::objects.count()"))
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": start_pos, "end": end_pos},
                                "text": "co_await Post::objects.acount()"}]})
        params = client.wait_diagnostics(
            uri, lambda ds: not aorm_diags(ds) and unused_warnings(ds),
            what="the aorm diagnostic to disappear after the buffer fix")
        check(path.read_text(encoding="utf-8") == text, "the file on disk changed")
        # The edit itself drops the finding it overlaps; the analysis of the edited buffer must
        # then confirm it (analysing the disk would bring it back).
        wait_log(client, "%s version 2: 0 aorm finding(s)" % path)
        client.drain(0.5)
        last = client.wait_diagnostics(uri, lambda ds: True)
        check(not aorm_diags(last["diagnostics"]), "aorm finding came back: %r" % last)

        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": finding["range"],
            "context": {"diagnostics": []}}) or []
        check(not [a for a in actions if "acount" in str(a.get("edit"))],
              "stale quick fix offered: %r" % actions)
        finish(client)
    finally:
        client.kill()


def scenario_clang_tidy_file(args):
    """A .clang-tidy file that turns the check off is honoured; clangd keeps reporting."""
    root = make_project(args)
    (root / ".clang-tidy").write_text("Checks: '-aorm-blocking-call-in-coroutine'\n")
    path = root / "handlers.cpp"
    client = start(args, root)
    try:
        uri = open_file(client, path, path.read_text(encoding="utf-8"))
        client.wait_diagnostics(uri, unused_warnings, what="clangd's warning")
        wait_log(client, "%s version 1: 0 aorm finding(s)" % path)
        for msg in client.notifications:
            if msg.get("method") == "textDocument/publishDiagnostics":
                check(not aorm_diags(msg["params"]["diagnostics"]), "aorm diagnostic %r" % msg)
        finish(client)
    finally:
        client.kill()


def scenario_notes(args):
    """Notes become relatedInformation; a finding without a fix-it offers no quick fix."""
    root = make_project(args)
    path = root / "notes.cpp"
    text = path.read_text(encoding="utf-8")
    client = start(args, root)
    try:
        uri = open_file(client, path, text)
        params = client.wait_diagnostics(uri, aorm_diags, what="the aorm finding with a note")
        [finding] = aorm_diags(params["diagnostics"])
        check(finding["range"]["start"] == position_of(text, text.index("total();")),
              "range %r" % finding)
        [note] = finding["relatedInformation"]
        check(note["location"]["uri"] == uri, "note in %r" % note)
        check(note["location"]["range"]["start"] ==
              position_of(text, text.index("Post::objects.count()")), "note at %r" % note)
        check("calls blocking 'count'" in note["message"], "note %r" % note)
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": finding["range"],
            "context": {"diagnostics": [finding]}}) or []
        check(not [a for a in actions if any(d.get("source") == "aorm"
                                             for d in a.get("diagnostics", []))],
              "quick fix offered for a finding without fix-it: %r" % actions)
        finish(client)
    finally:
        client.kill()


def scenario_client_variants(args):
    """A plainer client: UTF-8 positions negotiated, no relatedInformation (notes folded into
    the message), no versioned documentChanges (edits under "changes")."""
    root = make_project(args)
    argv = [args.proxy, "--clangd=" + args.clangd, "--aorm-debounce=50", "--log=verbose",
            "--background-index=false"]
    client = LspClient(argv, cwd=str(root))
    try:
        init = client.request("initialize", {
            "processId": os.getpid(), "rootUri": "file://" + str(root),
            "capabilities": {
                # clangd 19 negotiates through its offsetEncoding extension.
                "offsetEncoding": ["utf-8"],
                "textDocument": {"codeAction": {"codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix"]}}}}}})
        check(init.get("offsetEncoding") == "utf-8", "clangd chose %r"
              % init.get("offsetEncoding"))
        client.notify("initialized", {})

        handlers = root / "handlers.cpp"
        text = handlers.read_text(encoding="utf-8")
        data = text.encode("utf-8")
        uri = open_file(client, handlers, text)
        params = client.wait_diagnostics(uri, aorm_diags, what="the aorm finding (utf-8)")
        [finding] = aorm_diags(params["diagnostics"])
        call = data.index(b"Post::objects.count()")
        line = data[:call].count(b"\n")
        column = call - (data[:call].rfind(b"\n") + 1)
        check(finding["range"]["start"] == {"line": line, "character": column},
              "utf-8 range %r, want line %d byte column %d" % (finding["range"], line, column))
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": finding["range"],
            "context": {"diagnostics": [finding]}}) or []
        [fix] = [a for a in actions if a.get("kind") == "quickfix"]
        edits = fix["edit"]["changes"][uri]
        check("documentChanges" not in fix["edit"], "unsupported documentChanges sent")
        fixed = data
        for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                             e["range"]["start"]["character"]), reverse=True):
            lines = fixed.split(b"\n")
            start = sum(len(l) + 1 for l in lines[:e["range"]["start"]["line"]]) + \
                e["range"]["start"]["character"]
            end = sum(len(l) + 1 for l in lines[:e["range"]["end"]["line"]]) + \
                e["range"]["end"]["character"]
            fixed = fixed[:start] + e["newText"].encode("utf-8") + fixed[end:]
        expected = (HERE / "expected" / "handlers.fixed.cpp").read_bytes()
        check(fixed == expected, "utf-8 quick fix gives:\n%s" % fixed.decode("utf-8", "replace"))

        notes = root / "notes.cpp"
        ntext = notes.read_text(encoding="utf-8")
        nuri = open_file(client, notes, ntext)
        params = client.wait_diagnostics(nuri, aorm_diags, what="the aorm finding with a note")
        [finding] = aorm_diags(params["diagnostics"])
        check("relatedInformation" not in finding, "unsupported relatedInformation sent")
        pos = position_of(ntext, ntext.index("Post::objects.count()"))
        where = "%s:%d:%d: note: " % (notes, pos["line"] + 1, pos["character"] + 1)
        check(where in finding["message"], "note not folded in: %r" % finding["message"])
        finish(client)
    finally:
        client.kill()


def scenario_rapid_edits(args):
    """Edits faster than an analysis: overtaken runs are cancelled and never published; the
    last version's finding arrives."""
    root = make_project(args)
    path = root / "handlers.cpp"
    blocking = path.read_text(encoding="utf-8")
    fixed = (HERE / "expected" / "handlers.fixed.cpp").read_text(encoding="utf-8")
    client = start(args, root)
    try:
        uri = open_file(client, path, blocking)
        versions = [(2, fixed), (3, blocking), (4, fixed), (5, blocking)]
        for version, text in versions:
            time.sleep(0.3)  # Past the 50 ms debounce: each version's run has started.
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}]})
        params = client.wait_diagnostics(uri, lambda ds: aorm_diags(ds),
                                         what="the aorm finding for the last version")
        check(params.get("version") == 5, "aorm finding published for version %r"
              % params.get("version"))
        for msg in client.notifications:
            if msg.get("method") == "textDocument/publishDiagnostics" and \
                    aorm_diags(msg["params"]["diagnostics"]):
                check(msg["params"].get("version") == 5, "stale aorm publish %r" % msg["params"])
        finish(client)
        err = client.stderr()
        check("dropping stale aorm results for %s version 1" % uri in err,
              "version 1's run was not dropped:\n" + err[-3000:])
    finally:
        client.kill()


def scenario_compile_commands_dir(args):
    """--compile-commands-dir points both clangd and the aorm layer at a build directory."""
    import json
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
        client.wait_diagnostics(uri, lambda ds: aorm_diags(ds) and unused_warnings(ds),
                                what="both diagnostics with the build directory's command")
        finish(client)
    finally:
        client.kill()


def scenario_analysis_crash(args):
    """The parse for the aorm checks crashes (clang's debug-crash pragma, which clangd itself
    ignores): the failure is logged, nothing is published for it, and the session goes on."""
    root = make_project(args)
    path = root / "crash.cpp"
    text = "#pragma clang __debug crash\nint crash_site() { int spare = 0; return 0; }\n"
    client = start(args, root)
    try:
        uri = open_file(client, path, text)
        client.wait_diagnostics(uri, unused_warnings, what="clangd's warning")
        wait_log(client, "the aorm checks crashed on " + str(path))
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 1, "character": 5}})
        check(hover and "crash_site" in str(hover["contents"]), "hover %r" % hover)
        for msg in client.notifications:
            if msg.get("method") == "textDocument/publishDiagnostics":
                check(not aorm_diags(msg["params"]["diagnostics"]), "aorm diagnostic %r" % msg)
        finish(client)
    finally:
        client.kill()


def scenario_no_compile_command(args):
    """A file with no compile command: clangd still reports, aorm stays silent and says why,
    until a compile_flags.txt appears."""
    root = make_project(args, with_flags=False)
    for parent in root.parents:
        if (parent / "compile_commands.json").exists() or (parent / "compile_flags.txt").exists():
            print("skipped: %s has a compilation database" % parent)
            return
    path = root / "handlers.cpp"
    client = start(args, root)
    try:
        uri = open_file(client, path, path.read_text(encoding="utf-8"))
        client.wait_diagnostics(uri, lambda ds: len(ds) > 0, what="clangd's diagnostics")
        client.drain(3.0)
        for msg in client.notifications:
            if msg.get("method") == "textDocument/publishDiagnostics":
                check(not aorm_diags(msg["params"]["diagnostics"]), "aorm diagnostic %r" % msg)
        check("no compile command for " + str(path) in client.stderr(),
              "stderr does not explain the skip:\n" + client.stderr())
        # Once the editor reports a new compile_flags.txt, the open file is analysed.
        (root / "compile_flags.txt").write_text(
            "-std=c++20\n-Wall\n-I%s\n" % os.path.abspath(args.include))
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": "file://%s/compile_flags.txt" % root, "type": 1}]})
        client.wait_diagnostics(uri, aorm_diags, what="the aorm finding after the new flags")
        finish(client)
    finally:
        client.kill()


def scenario_malformed(args):
    """Broken frames and bodies are dropped (clangd would end the session on them); odd field
    shapes pass through; the session keeps working."""
    root = make_project(args)
    client = start(args, root)
    try:
        client.send_raw(b"X-Garbage: yes\r\n\r\n")                     # No Content-Length.
        client.send_raw(b"Content-Length: nope\r\n\r\n")               # Bad length.
        body = b'{"jsonrpc": "2.0", "method": '                        # Invalid JSON.
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        body = b"[1, 2, 3]"                                            # Not an object.
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        # Well-formed JSON with the wrong shapes in the fields the proxy follows.
        client.notify("textDocument/didOpen", {"textDocument": 5})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": 7, "text": None}})
        client.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere.cpp"},
                                                 "contentChanges": "x"})
        # A small file: the point is the proxy's handling, not a long analysis.
        uri = open_file(client, root / "tiny.cpp", "int main() { return 0; }\n")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"range": "x", "text": ""}]})
        client.send({"jsonrpc": "2.0", "id": {"odd": "id"}, "method": "textDocument/codeAction",
                     "params": {"textDocument": {"uri": uri}, "range": 3}})
        client.send({"jsonrpc": "2.0", "id": 999, "method": "textDocument/codeAction"})
        reply = client._wait(lambda m: m.get("id") == 999, 60, "clangd's reply to a bad request")
        check("error" in reply, "want an error reply, got %r" % reply)
        finish(client)
        err = client.stderr()
        check("malformed message from the editor: header block without Content-Length" in err,
              "missing header not reported:\n" + err)
        check("bad Content-Length value 'nope'" in err, "bad length not reported:\n" + err)
        check("malformed message from the editor: invalid JSON" in err, "bad JSON not reported")
        check("malformed message from the editor: not an object" in err, "array not reported")
    finally:
        client.kill()


def scenario_huge(args):
    """An 8 MB document (followed) and a 40 MB notification (streamed) pass through."""
    root = make_project(args)
    client = start(args, root)
    try:
        big = "int big_unused() { return missing_name; }\n// " + "x" * (8 << 20) + "\n"
        # Outside the project (no compile command): only the proxy's handling is under test.
        elsewhere = temp_dir("aorm-clangd-test-big-")
        uri = open_file(client, elsewhere / "big.cpp", big)
        client.wait_diagnostics(uri, lambda ds: any("missing_name" in d["message"] for d in ds),
                                what="clangd's diagnostics for the big file")
        client.notify("$/aorm-test/huge", {"blob": "y" * (40 << 20)})
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 5}})
        check(hover and "big_unused" in str(hover["contents"]), "hover %r" % hover)
        finish(client)
        check("without inspecting it" in client.stderr(), "streaming not reported")
        check("aorm stops checking them until they are reopened" in client.stderr(),
              "open documents still followed after an uninspected message")
    finally:
        client.kill()


def scenario_exit_status(args):
    """aorm-clangd exits with clangd's status: 1 for exit without shutdown, and whatever a
    clangd that dies on its own returns."""
    root = make_project(args)
    client = start(args, root)
    try:
        client.notify("exit", None)
        status = client.wait_exit()
        check(status == 1, "exit without shutdown gave %r, want clangd's 1" % status)
    finally:
        client.kill()
    fake = root / "fake-clangd.sh"
    fake.write_text("#!/bin/sh\nexit 7\n")
    fake.chmod(0o755)
    client = LspClient([args.proxy, "--clangd=" + str(fake)])
    try:
        status = client.wait_exit()
        check(status == 7, "proxy exited with %r, want the fake clangd's 7" % status)
    finally:
        client.kill()


def scenario_command_line(args):
    """--version reaches clangd's own answer; bad options are refused naming the option."""
    import subprocess
    out = subprocess.run([args.proxy, "--clangd=" + args.clangd, "--version"],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode == 0 and "clangd version" in out.stdout, "--version gave %r" % (out,))
    cases = [(["--aorm-debounce=soon"], 2, "--aorm-debounce: 'soon'"),
             (["--clangd=/nonexistent/clangd"], 1, "--clangd: '/nonexistent/clangd'"),
             (["--log=loud"], 2, "--log: 'loud'")]
    for extra, want_status, want_text in cases:
        client = LspClient([args.proxy, *extra])
        try:
            status = client.wait_exit()
            check(status == want_status, "%s gave status %r" % (extra, status))
            check(want_text in client.stderr(), "%s: stderr %r" % (extra, client.stderr()))
        finally:
            client.kill()


SCENARIOS = {
    "editing": scenario_editing,
    "no-compile-command": scenario_no_compile_command,
    "rapid-edits": scenario_rapid_edits,
    "compile-commands-dir": scenario_compile_commands_dir,
    "analysis-crash": scenario_analysis_crash,
    "notes": scenario_notes,
    "client-variants": scenario_client_variants,
    "clang-tidy-file": scenario_clang_tidy_file,
    "malformed": scenario_malformed,
    "huge": scenario_huge,
    "exit-status": scenario_exit_status,
    "command-line": scenario_command_line,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--clangd", required=True)
    parser.add_argument("--include", required=True)
    args = parser.parse_args()
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
