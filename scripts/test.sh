#!/usr/bin/env bash
# Runs every test: creates the oracle venvs (the real Django 6.1 and 5.2, gixy-ng, gunicorn 27.0.1)
# and the real VS Code (code-server) when they are missing, then the whole workspace's tests, then
# the VS Code extension's end-to-end test (it builds the release binary and the .vsix; under
# CI=true a missing VS Code or chromium fails it, locally it skips loudly). Extra arguments go to
# `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/oracle/setup.sh
status=0
cargo test --workspace --no-fail-fast "$@" || status=$?
bash editors/vscode/scripts/e2e.sh || status=1
exit "$status"
