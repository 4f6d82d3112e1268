#!/usr/bin/env bash
# Every benchmark of BENCHMARKS.md, one after the other (release builds; needs hyperfine and the
# oracle venvs of tests/oracle/setup.sh):
#   - edit-to-diagnostics latency in the server (criterion; and median/p99 of 2,000 edits),
#   - the CLI vs `django-admin check --deploy` (scripts/bench-cli.sh),
#   - the CLI vs gixy-ng on nginx configs (scripts/bench-nginx.sh),
#   - the CLI on a 10,000-file generated tree (scripts/bench-tree.sh),
#   - the server's peak RSS with that tree as its workspace (scripts/bench-memory.sh).
#
#   bash scripts/bench.sh           # the full run (about 10 minutes on 2 cores)
#   bash scripts/bench.sh --smoke   # CI: tiny sizes, one run each, debug builds, no hyperfine:
#                                   # only checks that every benchmark runs and prints its figures
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--smoke" ]; then
  # the benches compiled and run as tests: criterion runs each bench once, edit_percentiles
  # 20 edits per case (debug build, no timing)
  cargo test --quiet -p preflight_lsp --benches
  bash scripts/bench-tree.sh --smoke --files 300
  bash scripts/bench-memory.sh --smoke --files 300
  echo "bench.sh --smoke: every benchmark ran"
  exit 0
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -p preflight_lsp --bench edit_latency -- --warm-up-time 3 --measurement-time 10
cargo bench -p preflight_lsp --bench edit_percentiles -- 2000
bash scripts/bench-cli.sh
bash scripts/bench-nginx.sh
bash scripts/bench-tree.sh
bash scripts/bench-memory.sh
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
