#!/usr/bin/env bash
# Whole-process comparison: `preflight check` on one settings module against the real
# `django-admin check --deploy` on the same module (tests/example's production settings), and
# `preflight check` on the whole example project (walk, project discovery, every file).
# Needs hyperfine (`apt-get install -y hyperfine`). Writes the table to target/bench-cli.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench-cli.sh: install hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
bash tests/oracle/setup.sh >/dev/null
cargo build --release --quiet -p preflight
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
preflight="$target_dir/release/preflight"
django_admin="$PWD/.oracle/django-6.1/bin/django-admin"
module=tests/example/mysite/settings/production.py
mkdir -p "$target_dir"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# both exit 1 on findings: -i keeps hyperfine going
hyperfine --warmup 3 --min-runs 20 -i -N \
  --export-markdown "$target_dir/bench-cli.md" \
  -n "preflight check (one module)" "$preflight check $module" \
  -n "preflight check (whole project)" "$preflight check tests/example" \
  -n "django-admin check --deploy" \
  "env PYTHONPATH=tests/example $django_admin check --deploy --settings=mysite.settings.production"
cat "$target_dir/bench-cli.md"
