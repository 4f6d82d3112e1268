#!/usr/bin/env bash
# `preflight check` (release) on a large generated tree (scripts/gen-tree.py: 10,000 files, 200
# settings modules, 200 nginx files, gunicorn configs, plus node_modules, .venv, .git and a
# .gitignore'd build/ that must not be read). Times it with hyperfine, then checks with strace
# that no file or folder under the excluded folders was opened, and reports files checked/s.
#   bash scripts/bench-tree.sh [--files N] [--smoke]
# --smoke: 1 run, no hyperfine needed (CI: only checks that it runs, finds files, and stays out
# of the excluded folders). Writes target/bench-tree.md.
set -euo pipefail
cd "$(dirname "$0")/.."
files=10000
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --smoke) smoke=1; shift ;;
    *) echo "bench-tree.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
if [ "$smoke" = 1 ]; then
  profile=debug
  cargo build --quiet -p preflight
else
  profile=release
  cargo build --release --quiet -p preflight
fi
preflight="$target_dir/$profile/preflight"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
python3 scripts/gen-tree.py "$tree" --files "$files" >/dev/null
echo "generated: $(cat "$tree/.tree-manifest.json" | tr -d '\n ')"

# Files checked: what the walk takes (every *.py and nginx *.conf outside the excluded folders;
# the other files of the tree, templates, static files, READMEs, are walked past).
checked=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["python_files"]+m["nginx_files"])' "$tree/.tree-manifest.json")
set +e
"$preflight" check --format json "$tree" >"$work/out.json" 2>"$work/err.txt"
rc=$?
set -e
if [ "$rc" -gt 1 ]; then
  echo "bench-tree.sh: preflight check exited $rc" >&2
  cat "$work/err.txt" >&2
  exit 1
fi
findings=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d) if isinstance(d, list) else len(d.get("diagnostics", d.get("findings", []))))' "$work/out.json" 2>/dev/null || echo "?")

# Excluded folders: strace every openat of the whole process tree.
if command -v strace >/dev/null; then
  strace -f -qq -e trace=openat,open -o "$work/strace.txt" "$preflight" check "$tree" >/dev/null 2>&1 || true
  opened=$(grep -c "\"$tree/" "$work/strace.txt" || true)
  leaked=$(grep -E "\"$tree/(node_modules|\.venv|\.git/objects|build)(/|\")" "$work/strace.txt" | grep -vc ENOENT || true)
  echo "strace: $opened opens under the tree (files, folders, and configuration files looked for), $leaked under node_modules/.venv/.git/objects/build"
  if [ "$leaked" != 0 ]; then
    grep -E "\"$tree/(node_modules|\.venv|\.git/objects|build)(/|\")" "$work/strace.txt" | head >&2
    echo "bench-tree.sh: preflight read an excluded folder" >&2
    exit 1
  fi
else
  echo "strace missing: the exclusion check was skipped" >&2
fi
echo "findings: $findings"

mkdir -p "$target_dir"
if [ "$smoke" = 1 ]; then
  start=$(date +%s.%N)
  "$preflight" check "$tree" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print(f'smoke (debug build, 1 run): {t*1000:.0f} ms, {int(sys.argv[3])/t:.0f} files checked/s')" "$start" "$end" "$checked" | tee "$target_dir/bench-tree.md"
  exit 0
fi
command -v hyperfine >/dev/null || { echo "bench-tree.sh: install hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# exits 1 on findings: -i keeps hyperfine going
hyperfine --warmup 2 --min-runs 10 -i -N \
  --export-json "$work/tree.json" --export-markdown "$target_dir/bench-tree.md" \
  -n "preflight check (tree, $files files)" "$preflight check $tree"
python3 - "$work/tree.json" "$checked" <<'PY' | tee -a "$target_dir/bench-tree.md"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
n = int(sys.argv[2])
print(f"\n{n} files checked; median {r['median']*1000:.0f} ms: {n / r['median']:.0f} files checked/s")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
