#!/usr/bin/env bash
# Lints this demo with aorm-tidy and prints the findings with their fix-its.
#
#   examples/lint-demo/lint.sh [path/to/aorm-tidy] [build-dir]
#
# Defaults: the aorm-tidy of the main build (build/) and build/lint-demo for the demo's
# compile_commands.json. Exits with aorm-tidy's status (0: only warnings).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tidy=${1:-$here/../../build/tool/aorm-tidy/aorm-tidy}
build=${2:-$here/../../build/lint-demo}
if [[ ! -x $tidy ]]; then
  echo "lint.sh: no aorm-tidy at '$tidy' (build the main project first)" >&2
  exit 2
fi
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 >/dev/null
exec "$tidy" -p "$build"
