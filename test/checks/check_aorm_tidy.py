#!/usr/bin/env python3
"""Runs one aorm check over a lit test file the way clang-tidy's own tests do.

  check_aorm_tidy.py [tool paths] [--std=c++20,c++23] <test.cpp> <check-name> <temp-prefix>
                     [-config=...] [-- flags]

For each language standard of --std (a matrix, as clang-tidy's check_clang_tidy.py runs one; a
test may narrow it with a later --std=...):
1. copies the test to <temp>.cpp with its CHECK lines blanked (line numbers kept),
2. runs clang-tidy-19 with the plugin and --fix on the copy,
3. FileChecks the diagnostics against CHECK-MESSAGES (any other warning or error fails), or, when
   the file has none, requires that there are no diagnostics at all,
4. FileChecks the fixed copy against CHECK-FIXES,
5. compiles the fixed copy against the runtime headers, so every fix-it must compile.
"""
import argparse
import os
import re
import subprocess
import sys


def run(cmd, what):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def fail(message, output=""):
    sys.stderr.write(f"check_aorm_tidy: {message}\n")
    if output:
        sys.stderr.write(output + "\n")
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--include", required=True, help="runtime include directory")
    parser.add_argument("--clangxx", default="clang++-19")
    parser.add_argument("--no-compile", action="store_true", help="skip compiling the fixed copy")
    parser.add_argument("--std", default="c++20",
                        help="comma-separated language standards to run the test under")
    parser.add_argument("input")
    parser.add_argument("check")
    parser.add_argument("temp")
    argv = sys.argv[1:]
    extra_flags = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    args, tidy_args = parser.parse_known_args(argv)
    standards = [s.strip() for s in args.std.split(",") if s.strip()]
    if not standards or any(not re.fullmatch(r"c\+\+\d\d", s) for s in standards):
        fail(f"--std: expected a list like 'c++20,c++23', got '{args.std}'")
    for std in standards:
        run_one(args, tidy_args, extra_flags, std, len(standards) > 1)


def run_one(args, tidy_args, extra_flags, std, matrix):
    """Runs the whole test (lint, fix, FileCheck, compile) under one language standard."""
    # The copy lives in the build tree; the test directory stays on the include path.
    flags = [f"-std={std}", f"-I{args.include}", f"-I{os.path.dirname(os.path.abspath(args.input))}"]
    flags += extra_flags
    temp = f"{args.temp}.{std.replace('+', 'x')}" if matrix else args.temp

    try:
        with open(args.input, encoding="utf-8") as f:
            source = f.read()
    except OSError as e:
        fail(f"cannot read test file '{args.input}': {e.strerror}")

    has_messages = "CHECK-MESSAGES:" in source
    has_fixes = "CHECK-FIXES" in source
    copy = temp + ".cpp"
    with open(copy, "w", encoding="utf-8") as f:
        # Blank the CHECK comments so they cannot match themselves in the fixed file.
        f.write(re.sub(r"//\s*CHECK-[A-Z0-9-]*:[^\r\n]*", "//", source))

    cmd = [args.clang_tidy, f"--load={args.plugin}", f"-checks=-*,{args.check}", "--fix"]
    cmd += tidy_args + [copy, "--"] + flags
    code, output = run(cmd, "clang-tidy")
    with open(temp + ".msg", "w", encoding="utf-8") as f:
        f.write(output)
    if code != 0:
        fail(f"[{std}] clang-tidy exited with {code}: {' '.join(cmd)}", output)

    if has_messages:
        code, out = run([args.filecheck, f"-input-file={temp}.msg", args.input,
                         "-check-prefix=CHECK-MESSAGES", "-implicit-check-not={{warning|error}}:"],
                        "FileCheck")
        if code != 0:
            fail(f"[{std}] diagnostics differ from CHECK-MESSAGES", out)
    else:
        findings = [l for l in output.splitlines() if re.search(r": (warning|error):", l)]
        if findings:
            fail(f"[{std}] expected no diagnostics, got:", "\n".join(findings))

    if has_fixes:
        code, out = run([args.filecheck, f"-input-file={copy}", args.input,
                         "-check-prefix=CHECK-FIXES", "-strict-whitespace"], "FileCheck")
        if code != 0:
            fail(f"[{std}] fixed file differs from CHECK-FIXES", out)

    if not args.no_compile:
        code, out = run([args.clangxx, "-fsyntax-only"] + flags + [copy], "clang++")
        if code != 0:
            fail(f"[{std}] the fixed copy '{copy}' does not compile", out)


if __name__ == "__main__":
    main()
