#!/usr/bin/env bash
# npm run package: builds the release binary, bundles it and the extension into
# preflight-<platform>-<version>.vsix for the current platform (or another: see README.md).
#   VSCE_TARGET        the VS Code platform (linux-x64, linux-arm64, alpine-x64, darwin-x64,
#                      darwin-arm64, win32-x64, win32-arm64); default: this machine's
#   CARGO_BUILD_TARGET the Rust target triple to cross-compile for (cargo reads it too)
#   PREFLIGHT_BINARY   an already built binary to bundle instead of building one
#   CARGO_TARGET_DIR   honoured, as cargo does
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"

host_target=""
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host_target=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) host_target=linux-arm64 ;;
  Darwin-x86_64) host_target=darwin-x64 ;;
  Darwin-arm64) host_target=darwin-arm64 ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) host_target=win32-x64 ;;
esac
if [ -z "${VSCE_TARGET:-}" ]; then
  [ -n "$host_target" ] || { echo "package.sh: unknown platform $(uname -s)-$(uname -m); set VSCE_TARGET" >&2; exit 2; }
  VSCE_TARGET=$host_target
fi
exe=preflight
case "$VSCE_TARGET" in win32-*) exe=preflight.exe ;; esac

binary=${PREFLIGHT_BINARY:-}
if [ -z "$binary" ]; then
  target_dir=${CARGO_TARGET_DIR:-$root/target}
  triple_dir=""
  if [ -n "${CARGO_BUILD_TARGET:-}" ]; then
    triple_dir="$CARGO_BUILD_TARGET/"
  fi
  (cd "$root" && cargo build --release -p preflight)
  binary="$target_dir/${triple_dir}release/$exe"
fi
[ -x "$binary" ] || { echo "package.sh: no binary at $binary" >&2; exit 2; }

rm -rf bin out
mkdir -p bin
cp "$binary" "bin/$exe"
chmod +x "bin/$exe"
# The release profile keeps debug info (for benchmarks' profiles): users need none of it
# (about 69 MB -> 10 MB on linux-x64). The host's strip only knows the host's format.
if [ "$VSCE_TARGET" = "$host_target" ] && [ -z "${CARGO_BUILD_TARGET:-}" ] && command -v strip >/dev/null; then
  strip "bin/$exe"
fi
"bin/$exe" --version >/dev/null 2>&1 || [ "$VSCE_TARGET" != "$host_target" ] \
  || { echo "package.sh: bin/$exe does not run" >&2; exit 2; }
node scripts/bundle.mjs
version=$(node -p 'require("./package.json").version')
npx vsce package --no-dependencies --target "$VSCE_TARGET" --out "preflight-$VSCE_TARGET-$version.vsix"
echo "built $here/preflight-$VSCE_TARGET-$version.vsix (bundles $binary)"
