#!/usr/bin/env bash
# Runs every test: creates the oracle venvs (the real Django 6.1 and 5.2, gixy-ng, gunicorn 27.0.1,
# pre-commit, Neovim) and the real VS Code (code-server) when they are missing, then the Zed
# extension's tests (its own workspace), the whole workspace's tests, the benchmarks' smoke run
# (scripts/bench.sh --smoke), the VS Code extension's end-to-end test, and every fuzz target for
# 20 s (PREFLIGHT_FUZZ_SECONDS). The VS Code test packages the .vsix around the debug binary
# `cargo test` just built, so CI needs no release build (`npm run package` alone bundles the
# release binary); under CI=true a missing VS Code or chromium fails it, locally it skips loudly. Extra arguments go to the workspace's `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/oracle/setup.sh

# editors/zed: unit tests on the host; the WebAssembly component too when the wasm32-wasip2 target
# is installed (Zed builds it itself on "Install Dev Extension").
zed_target="${CARGO_TARGET_DIR:-$PWD/target}/zed"
cargo test --manifest-path editors/zed/Cargo.toml --target-dir "$zed_target"
if rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2; then
  cargo build --manifest-path editors/zed/Cargo.toml --target-dir "$zed_target" --target wasm32-wasip2 --release
else
  echo "note: no wasm32-wasip2 target installed; the Zed extension was built and tested for the host only"
fi

status=0
cargo test --workspace --no-fail-fast "$@" || status=$?
# the benchmarks' smoke run: each runs once at tiny sizes (no timings asserted)
bash scripts/bench.sh --smoke || status=1
PREFLIGHT_BINARY="${CARGO_TARGET_DIR:-$PWD/target}/debug/preflight" \
  bash editors/vscode/scripts/e2e.sh || status=1
# every fuzz target for a bounded time (crash, hang or memory blow-up fails it)
bash scripts/fuzz.sh "${PREFLIGHT_FUZZ_SECONDS:-20}" || status=1
exit "$status"
