#!/usr/bin/env bash
# Peak RSS of the language server with the large generated tree (scripts/gen-tree.py) as its
# workspace: scripts/lsp-memory.py starts `preflight lsp` (release) with rootUri = the tree, opens
# its 200 settings modules and 200 nginx files, waits until every one has had its diagnostics
# published, and reads VmHWM from /proc/<pid>/status.
#   bash scripts/bench-memory.sh [--files N] [--smoke]
# --smoke: a debug build and a small tree (CI: only checks that it runs). Writes
# target/bench-memory.json.
set -euo pipefail
cd "$(dirname "$0")/.."
files=10000
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --smoke) smoke=1; shift ;;
    *) echo "bench-memory.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
if [ "$smoke" = 1 ]; then
  cargo build --quiet -p preflight
  preflight="$target_dir/debug/preflight"
else
  cargo build --release --quiet -p preflight
  preflight="$target_dir/release/preflight"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/gen-tree.py "$work/tree" --files "$files" >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$target_dir"
python3 scripts/lsp-memory.py "$preflight" "$work/tree" | tee "$target_dir/bench-memory.json"
