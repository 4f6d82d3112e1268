#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each): `bash scripts/fuzz.sh [SECONDS]`.
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable toolchain provide them.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in $(RUSTC_BOOTSTRAP=1 cargo fuzz list); do
  echo "fuzzing $target for ${seconds}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- -max_total_time="$seconds"
done
