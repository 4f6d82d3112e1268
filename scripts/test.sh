#!/usr/bin/env bash
# Runs every test: creates the oracle venvs (the real Django 6.1 and 5.2, gixy-ng, gunicorn 27.0.1)
# when they are missing, then the whole workspace's tests. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/oracle/setup.sh
cargo test --workspace --no-fail-fast "$@"
