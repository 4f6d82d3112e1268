#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each): `bash scripts/fuzz.sh [SECONDS]`.
# Fails on any crash, on an input that takes more than 10 s (a hang) and on one that needs more
# than 1 GB; the failing input is saved under fuzz/artifacts/<target>/. The kept corpora
# (fuzz/corpus/<target>) seed each run read-only: new inputs go to a temporary folder, unless
# PREFLIGHT_FUZZ_GROW=1 (then minimise with `cargo fuzz cmin <target>` before committing).
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable toolchain provide them.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
scratch=$(mktemp -d "${TMPDIR:-/tmp}/preflight-fuzz.XXXXXX")
trap 'rm -rf "$scratch" "${TMPDIR:-/tmp}"/preflight-fuzz-project-*' EXIT
for target in $(RUSTC_BOOTSTRAP=1 cargo fuzz list); do
  echo "fuzzing $target for ${seconds}s"
  corpora=("corpus/$target")
  if [ "${PREFLIGHT_FUZZ_GROW:-}" != "1" ]; then
    mkdir -p "$scratch/$target"
    corpora=("$scratch/$target" "corpus/$target")
  fi
  status=0
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "${corpora[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 >"$scratch/$target.log" 2>&1 || status=$?
  grep -E "^(Done |==[0-9]+==|SUMMARY)|panicked|Test unit written|ERROR" "$scratch/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$scratch/$target.log" >&2
    echo "fuzz target $target failed (the input is in fuzz/artifacts/$target/)" >&2
    exit 1
  fi
done
