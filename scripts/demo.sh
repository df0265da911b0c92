#!/usr/bin/env bash
# The main job from a fresh checkout: installs what is missing, builds, and runs the quickstart,
# which makes real sync and async queries against an embedded SQLite file and says what it did.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default

db="build/quickstart.db"
rm -f "$db" "$db-wal" "$db-shm"
./build/examples/quickstart/aorm-quickstart "$db"
