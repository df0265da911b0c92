"""Neovim (headless, built-in LSP client, no plugins) fixes an aorm finding in a copy of
examples/lint-demo through aorm-clangd; the saved buffer must then compile.

usage: nvim_test.py --nvim PATH --server PATH --demo DIR --include DIR --cxx PATH
"""

import sys

sys.dont_write_bytecode = True

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def run(args, work):
    project = work / "lint-demo"
    shutil.copytree(args.demo / "src", project / "src")
    shutil.copy(args.demo / ".clang-tidy", project / ".clang-tidy")
    flags = ["-std=c++20", "-Wall", "-I" + str(args.include), "-I" + str(project / "src")]
    (project / "src" / "compile_flags.txt").write_text("\n".join(flags) + "\n")
    feed = project / "src" / "feed.cpp"
    original = feed.read_text(encoding="utf-8")
    result_path = work / "result.json"
    env = dict(os.environ, AORM_CLANGD=str(args.server), AORM_FILE=str(feed),
               AORM_RESULT=str(result_path), HOME=str(work), XDG_STATE_HOME=str(work / "state"),
               XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
    nvim = subprocess.run([args.nvim, "--headless", "--clean", "-n", "-i", "NONE",
                           "-c", "luafile " + str(HERE / "nvim_quickfix.lua")],
                          env=env, cwd=str(project), capture_output=True, text=True,
                          timeout=240, stdin=subprocess.DEVNULL)
    check(result_path.exists(), "Neovim wrote no result (status %d):\n%s%s"
          % (nvim.returncode, nvim.stdout, nvim.stderr))
    result = json.loads(result_path.read_text())
    check("error" not in result and nvim.returncode == 0,
          "Neovim failed (status %d): %s" % (nvim.returncode, result.get("error")))

    # feed.cpp blocks twice: get() in post_title and count() in published_count.
    lines = original.split("\n")
    get_line = next(i for i, l in enumerate(lines) if "Post::objects.get(" in l)
    count_line = next(i for i, l in enumerate(lines) if ".count();" in l)
    before = [f["line"] for f in result["before"]]
    check(before == [get_line, count_line], "findings on lines %r, want %r"
          % (before, [get_line, count_line]))
    href = result["before"][0]["href"] or ""
    check(href.endswith("/aorm-blocking-call-in-coroutine.md"), "documentation link %r" % href)
    preferred = [o for o in result["offered"] if o["preferred"]]
    check(len(preferred) == 1 and preferred[0]["kind"] == "quickfix",
          "want one preferred quick fix, offered %r" % result["offered"])
    want = '  Post post = co_await Post::objects.aget(Q("id", id));'
    check(result["fixed_line"] == want, "fixed line %r, want %r" % (result["fixed_line"], want))
    # The other finding stays: only the chosen one was fixed.
    check([f["line"] for f in result["after"]] == [count_line],
          "findings after the fix %r" % result["after"])

    saved = feed.read_text(encoding="utf-8")
    check(saved == original.replace('Post post = Post::objects.get(Q("id", id));',
                                    'Post post = co_await Post::objects.aget(Q("id", id));'),
          "saved file:\n" + saved)
    out = subprocess.run([args.cxx, *flags, "-fsyntax-only", str(feed)], capture_output=True,
                         text=True, timeout=120)
    check(out.returncode == 0, "the fixed file does not compile:\n" + out.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nvim", required=True)
    parser.add_argument("--server", required=True, type=pathlib.Path)
    parser.add_argument("--demo", required=True, type=pathlib.Path)
    parser.add_argument("--include", required=True, type=pathlib.Path)
    parser.add_argument("--cxx", required=True)
    args = parser.parse_args()
    for name in ("server", "demo", "include"):
        setattr(args, name, getattr(args, name).resolve())
    work = pathlib.Path(tempfile.mkdtemp(prefix="aorm-nvim-test-"))
    try:
        run(args, work)
    except (AssertionError, subprocess.TimeoutExpired) as e:
        print("FAIL nvim-quickfix: %s" % e)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("PASS nvim-quickfix")
    return 0


if __name__ == "__main__":
    sys.exit(main())
