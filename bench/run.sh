#!/usr/bin/env bash
# All benchmarks in one run, so every ratio shares one machine state:
#   runtime cost (get/aget/alist vs raw sqlite3), loop stall (heartbeat, plotted), linter cost
#   (floor vs plugin vs aorm-tidy vs a built-in peer; -j1/-j2; cold/warm cache) and the real-code
#   robustness sweep. A full run rewrites the results section of docs/performance.md and
#   docs/loop-stall.svg. A separate last step, editor latency (aorm-clangd against clangd-19 on
#   the lint demo, bench/editor_latency.py), fills the "Editor latency" section there.
#
#   bash bench/run.sh [--smoke] [--build DIR] [--out DIR] [--tus N] [--repeat N] [--no-build]
#                     [--lint-only | --runtime-only | --editor-only | --cross-file-only]
#
# --smoke: tiny sizes (under a minute), results only under --out, docs untouched.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$repo/build"
out=""
smoke=0
tus=16
repeat=1
do_build=1
parts="runtime lint real editor crossfile"
real_status=0

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --build) build="$2"; shift ;;
    --out) out="$2"; shift ;;
    --tus) tus="$2"; shift ;;
    --repeat) repeat="$2"; shift ;;
    --no-build) do_build=0 ;;
    --lint-only) parts="lint" ;;
    --runtime-only) parts="runtime" ;;
    --editor-only) parts="editor" ;;
    --cross-file-only) parts="crossfile" ;;
    *) echo "run.sh: unknown option '$1' (see the header of bench/run.sh)" >&2; exit 2 ;;
  esac
  shift
done
case "$tus" in ''|*[!0-9]*) echo "run.sh: --tus needs a whole number, got '$tus'" >&2; exit 2 ;; esac
case "$repeat" in ''|0|*[!0-9]*) echo "run.sh: --repeat needs a positive number, got '$repeat'" >&2; exit 2 ;; esac
build="$(cd "$build" 2>/dev/null && pwd)" || {
  echo "run.sh: build directory '$build' does not exist; configure it first (cmake --preset default)" >&2
  exit 2
}
[ -n "$out" ] || out="$build/bench-results"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if [ "$do_build" = 1 ]; then
  cmake --build "$build" --target aorm-bench-cost aorm-bench-stall aorm-tidy aorm-tidy-plugin \
    aorm-clangd
fi

smoke_flag=()
[ "$smoke" = 1 ] && smoke_flag=(--smoke)

has() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }

if has runtime; then
  echo "== runtime cost (aorm vs raw sqlite3 C API)"
  "$build/bench/aorm-bench-cost" "${smoke_flag[@]}" --json "$out/cost.json" | tee "$out/cost.md"
  echo
  echo "== runtime cost again with one worker thread (AORM_WORKERS=1)"
  AORM_WORKERS=1 "$build/bench/aorm-bench-cost" "${smoke_flag[@]}" --json "$out/cost-w1.json" |
    tee "$out/cost-w1.md"
  echo
  echo "== loop stall (1 ms heartbeat while ORM queries run)"
  "$build/bench/aorm-bench-stall" "${smoke_flag[@]}" --json "$out/stall.json" | tee "$out/stall.md"
  python3 "$repo/bench/plot_stall.py" "$out/stall.json" "$out/loop-stall.svg"
  echo
fi

if has lint; then
  echo "== linter cost"
  corpus="$out/corpus"
  rm -rf "$corpus"
  if [ "$smoke" = 1 ]; then
    # Ten small TUs: one Drogon-shaped, one Asio-shaped, the rest aorm.
    python3 "$repo/bench/gen_corpus.py" "$corpus" --tus 10 --big-lines 600
    python3 "$repo/bench/lint_cost.py" --build "$build" --corpus "$corpus" --jobs-list 2 \
      --no-cache --json "$out/lint.json" | tee "$out/lint.md"
  else
    python3 "$repo/bench/gen_corpus.py" "$corpus" --tus "$tus" --big-lines 30000
    python3 "$repo/bench/lint_cost.py" --build "$build" --corpus "$corpus" --jobs-list 2,1 \
      --repeat "$repeat" --json "$out/lint.json" | tee "$out/lint.md"
  fi
  echo
fi

if has real && [ "$smoke" = 0 ]; then
  echo "== robustness: aorm checks over real code that does not use aorm"
  # A crash or a false positive is a result to report, so the report is written either way.
  python3 "$repo/bench/real_code.py" --build "$build" --json "$out/real.json" |
    tee "$out/real.md" || real_status=$?
  echo
fi

if [ "$smoke" = 0 ] && [ "$parts" = "runtime lint real editor crossfile" ]; then
  python3 "$repo/bench/write_report.py" --results "$out" --doc "$repo/docs/performance.md"
  cp "$out/loop-stall.svg" "$repo/docs/loop-stall.svg"
  echo "wrote the results into docs/performance.md and docs/loop-stall.svg"
fi
# Editor latency: its own step, and its own section of docs/performance.md (on a full or an
# --editor-only run), so the other parts' report is untouched by it.
if has editor; then
  echo "== editor latency (aorm-clangd vs clangd-19, unsaved edits on the lint demo)"
  if [ "$smoke" = 1 ]; then
    python3 "$repo/bench/editor_latency.py" --server "$build/tool/aorm-clangd/aorm-clangd" \
      --edits 5 --sessions 1 --big-lines 0 --json "$out/editor.json" --md "$out/editor.md"
  else
    python3 "$repo/bench/editor_latency.py" --server "$build/tool/aorm-clangd/aorm-clangd" \
      --edits 7 --sessions 2 --json "$out/editor.json" --md "$out/editor.md" \
      --doc "$repo/docs/performance.md"
    echo "wrote the editor latency into docs/performance.md"
  fi
  echo
fi

# Calls into other files: aorm-tidy with and without project summaries on a generated project
# (its own section of docs/performance.md, written by hand from this table).
if has crossfile; then
  echo "== calls into other files (aorm-tidy with project summaries vs --no-summaries)"
  if [ "$smoke" = 1 ]; then
    python3 "$repo/bench/cross_file_cost.py" --build "$build" --smoke --json "$out/cross-file.json" |
      tee "$out/cross-file.md"
  else
    python3 "$repo/bench/cross_file_cost.py" --build "$build" --tus 60 --chains 120 \
      --repeat "$((repeat > 3 ? repeat : 3))" --json "$out/cross-file.json" | tee "$out/cross-file.md"
  fi
  echo
fi

if [ "$real_status" != 0 ]; then
  echo "run.sh: the real-code sweep found crashes or false positives (see above)" >&2
  exit "$real_status"
fi
