#!/usr/bin/env bash
# Installs what aorm needs from Debian 12 packages, only where something is missing.
set -euo pipefail
pkgs=(cmake ninja-build g++ clang-19 libclang-19-dev llvm-19-dev clang-tidy-19 clangd-19
      llvm-19-tools clang-tools-19 nlohmann-json3-dev libsqlite3-dev libgtest-dev googletest
      python3 neovim lld-19
      libboost1.81-dev # libboost: the asio profile's tests lint real Boost.Asio code
      libpq-dev pkg-config postgresql-15 postgresql-common) # the PostgreSQL backend and its test server
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
