#!/usr/bin/env bash
# `npm run vscode`: VS Code in the browser (code-server, the one the end-to-end tests use) with this
# extension installed and the examples folder open, for trying Falsify without installing VS Code.
#   PORT=8080 (default) · FALSIFY_VSCODE_FOLDER=examples (default) · FALSIFY_VSCODE_SKIP_BUILD=1 to reuse dist/falsify.vsix
# Everything it writes stays under .cache/ (git-ignored); stop it with Ctrl+C.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
port="${PORT:-8080}"
folder="$(cd "${FALSIFY_VSCODE_FOLDER:-examples}" && pwd)"
node24="$repo/.cache/node24/bin/node"
code_server="$repo/.cache/code-server/out/node/entry.js"
dirs=(--user-data-dir "$repo/.cache/vscode/user-data" --extensions-dir "$repo/.cache/vscode/extensions")
say() { echo "[vscode] $*"; }

# code-server and Node 24 (idempotent: a second run takes a second).
npm run --silent setup:e2e

if [[ -z "${FALSIFY_VSCODE_SKIP_BUILD:-}" || ! -f dist/falsify.vsix ]]; then
  say "building and packaging the extension (dist/falsify.vsix)"
  npm run --silent build:production
  npm run --silent package >/dev/null
fi
say "installing dist/falsify.vsix"
"$node24" "$code_server" "${dirs[@]}" --force --install-extension dist/falsify.vsix >/dev/null

# The examples are this repository's own notebooks, so the workspace is trusted from the start (the
# kernel runs code only in a trusted workspace); open your own folders with FALSIFY_VSCODE_FOLDER.
say "open http://127.0.0.1:$port/?folder=$folder  (Ctrl+C stops it)"
exec "$node24" "$code_server" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust "${dirs[@]}" "$folder"
