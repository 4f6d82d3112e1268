#!/usr/bin/env bash
# The README picture (docs/images/vscode.png): code-server's VS Code UI with the packaged
# extension, the example project's production settings open, squiggles, a hover and the
# Problems panel, taken by headless chromium (test/screenshot.mjs). Needs what the e2e test needs
# (bash tests/oracle/setup.sh, chromium). Builds the .vsix first (npm run package) unless
# PREFLIGHT_VSIX names one. SHOT=checklist SHOT_NAME=vscode-checklist takes the checklist webview
# instead (docs/images/vscode-checklist.png).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
oracle="$root/.oracle/vscode"
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -f "$oracle/node_modules/code-server/out/node/entry.js" ] || { echo "screenshot: run bash tests/oracle/setup.sh first" >&2; exit 2; }
[ -n "$chromium" ] || { echo "screenshot: chromium is needed (apt-get install chromium)" >&2; exit 2; }

run=$(mktemp -d "${TMPDIR:-/tmp}/preflight-vscode-shot.XXXXXX")
pgids=()
cleanup() {
  local status=$?
  for pgid in "${pgids[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  sleep 0.5
  for pgid in "${pgids[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  [ "$status" -eq 0 ] || tail -n 30 "$run/server.log" >&2 2>/dev/null || true
  rm -rf "$run"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$run"/{tmp,data,config,cache,user-data/User,extensions,browser}
export PATH="$oracle/node/bin:$PATH" npm_config_nodedir="$oracle/node"
export TMPDIR="$run/tmp" XDG_DATA_HOME="$run/data" XDG_CONFIG_HOME="$run/config" XDG_CACHE_HOME="$run/cache"
# code-server reads its extension gallery from EXTENSIONS_GALLERY (default: open-vsx.org): none, offline.
export EXTENSIONS_GALLERY="{}"

cd "$here"
vsix=${PREFLIGHT_VSIX:-}
if [ -z "$vsix" ]; then
  [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
  npm run --silent package
  vsix=$(ls -t "$here"/preflight-*.vsix | head -n 1)
fi

workspace="$run/example"
cp -R "$root/tests/example" "$workspace"
cat >"$run/user-data/User/settings.json" <<'JSON'
{
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "editor.minimap.enabled": false,
  "editor.fontSize": 14,
  "editor.hover.delay": 100,
  "window.commandCenter": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none"
}
JSON
code_server="$oracle/node_modules/code-server"
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$run/config.yaml"
node "$code_server/out/node/entry.js" --config "$run/config.yaml" --user-data-dir "$run/user-data" \
  --extensions-dir "$run/extensions" --install-extension "$vsix" >"$run/install.log" 2>&1 \
  || { cat "$run/install.log" >&2; exit 1; }

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
setsid node "$code_server/out/node/entry.js" --config "$run/config.yaml" --bind-addr "127.0.0.1:$port" \
  --auth none --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --user-data-dir "$run/user-data" --extensions-dir "$run/extensions" \
  "$workspace" >"$run/server.log" 2>&1 &
pgids+=("$!")
for _ in $(seq 1 300); do
  node -e 'require("http").get(process.argv[1],r=>process.exit(r.statusCode<500?0:1)).on("error",()=>process.exit(1))' \
    "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  sleep 0.1
done

out="$root/docs/images/${SHOT_NAME:-vscode}.png"
mkdir -p "$(dirname "$out")"
PREFLIGHT_VSCODE_ORACLE="$oracle" CHROMIUM="$chromium" \
  setsid node "$here/test/screenshot.mjs" "$port" "$workspace" "mysite/settings/production.py" "$out" "$run/browser" &
pgids+=("$!")
wait "${pgids[-1]}"
echo "screenshot: $out ($(du -k "$out" | cut -f1) KB)"
