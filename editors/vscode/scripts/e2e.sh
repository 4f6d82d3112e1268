#!/usr/bin/env bash
# The extension's end-to-end test in a real VS Code (code-server's, offline; see
# ../../tests/oracle/setup.sh and /work/shared/vscode-e2e.md): builds the .vsix (npm ci, npm run
# package), installs it into a fresh extensions folder, starts the VS Code server with the smoke
# test driver, and runs out/test/index.js inside its extension host from a headless chromium.
# The extension runs its bundled binary (the release build `npm run package` makes, or
# PREFLIGHT_BINARY: scripts/test.sh passes the debug binary `cargo test` already built).
# Everything lives in one run folder; every process started is ended with its process group.
# Missing prerequisites (setup.sh's .oracle/vscode, chromium): a failure under CI=true, else a
# loud skip. Keeps the run folder when PREFLIGHT_E2E_KEEP=1.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
oracle="$root/.oracle/vscode"
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}

missing=""
[ -x "$oracle/node/bin/node" ] && [ -f "$oracle/node_modules/code-server/lib/vscode/out/server-main.js" ] \
  || missing="code-server and node 24 in $oracle (run bash tests/oracle/setup.sh)"
[ -n "$chromium" ] && [ -x "$chromium" ] || missing="${missing:+$missing; }chromium (apt-get install chromium)"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "vscode e2e: FAILED: missing $missing" >&2
    exit 1
  fi
  echo "######################################################################" >&2
  echo "## vscode e2e: SKIPPED: missing $missing" >&2
  echo "######################################################################" >&2
  exit 0
fi

started=$(date +%s)
run=$(mktemp -d "${TMPDIR:-/tmp}/preflight-vscode-e2e.XXXXXX")
pgids=()
cleanup() {
  local status=$?
  for pgid in "${pgids[@]}"; do
    kill -TERM -- "-$pgid" 2>/dev/null || true
  done
  sleep 0.5
  for pgid in "${pgids[@]}"; do
    kill -KILL -- "-$pgid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ] && [ -f "$run/server.log" ]; then
    echo "--- the VS Code server's log (last lines) ---" >&2
    tail -n 40 "$run/server.log" >&2
  fi
  if [ "${PREFLIGHT_E2E_KEEP:-}" = "1" ]; then
    echo "vscode e2e: run folder kept: $run" >&2
  else
    rm -rf "$run"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$run"/{tmp,data,config,cache,server-data,user-data,extensions,browser}
export PATH="$oracle/node/bin:$PATH" npm_config_nodedir="$oracle/node"
export TMPDIR="$run/tmp" XDG_DATA_HOME="$run/data" XDG_CONFIG_HOME="$run/config" XDG_CACHE_HOME="$run/cache"
# code-server reads its extension gallery from EXTENSIONS_GALLERY (default: open-vsx.org): none, offline.
export EXTENSIONS_GALLERY="{}"

# 1. The .vsix, as a user gets it.
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent package
vsix=$(ls -t "$here"/preflight-*.vsix | head -n 1)
echo "vscode e2e: built $(basename "$vsix") ($(du -k "$vsix" | cut -f1) KB) in $(($(date +%s) - started)) s"

# 2. A fresh workspace: the fixture project.
workspace="$run/workspace"
cp -R "$root/tests/fixtures/vscode" "$workspace"

# 3. Installed offline into a fresh extensions folder.
code_server="$oracle/node_modules/code-server"
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$run/config.yaml"
node "$code_server/out/node/entry.js" --config "$run/config.yaml" --user-data-dir "$run/user-data" \
  --extensions-dir "$run/extensions" --install-extension "$vsix" >"$run/install.log" 2>&1 \
  || { cat "$run/install.log" >&2; exit 1; }
installed=$(ls -d "$run"/extensions/preflight.preflight-* | head -n 1)
[ -x "$installed/bin/preflight" ] || { echo "vscode e2e: the installed extension has no bin/preflight" >&2; exit 1; }

# 4. The VS Code server with the smoke test driver, in its own process group; no extension
#    gallery queries (offline, and nothing to update).
mkdir -p "$run/server-data/data/Machine"
cat >"$run/server-data/data/Machine/settings.json" <<'JSON'
{
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off"
}
JSON
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PREFLIGHT_E2E_LOG="$run/tests.log" PREFLIGHT_REPO="$root" \
  setsid node "$code_server/lib/vscode/out/server-main.js" --host 127.0.0.1 --port "$port" \
  --without-connection-token --accept-server-license-terms --enable-smoke-test-driver \
  --disable-telemetry --disable-workspace-trust --server-data-dir "$run/server-data" \
  --user-data-dir "$run/user-data" --extensions-dir "$run/extensions" >"$run/server.log" 2>&1 &
pgids+=("$!")
for _ in $(seq 1 300); do
  if node -e 'require("http").get(process.argv[1],r=>process.exit(r.statusCode<500?0:1)).on("error",()=>process.exit(1))' \
    "http://127.0.0.1:$port/version" 2>/dev/null; then
    break
  fi
  sleep 0.1
done

# 5. The tests, from a headless chromium (its own process group too).
tests_started=$(date +%s)
PREFLIGHT_VSCODE_ORACLE="$oracle" CHROMIUM="$chromium" \
  setsid node "$here/test/e2e.mjs" "$port" "$workspace" "$installed" "$here/out/test" "$run/browser" \
  "${PREFLIGHT_E2E_TIMEOUT:-240}" &
pgids+=("$!")
set +e
wait "${pgids[-1]}"
code=$?
set -e
cat "$run/tests.log" 2>/dev/null || echo "vscode e2e: the tests wrote no log (they did not run)" >&2
echo "vscode e2e: tests $(($(date +%s) - tests_started)) s, whole run $(($(date +%s) - started)) s: $([ "$code" -eq 0 ] && echo PASSED || echo FAILED)"
exit "$code"
