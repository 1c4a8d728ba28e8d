#!/usr/bin/env bash
# `npm run vscode`: VS Code in the browser (code-server, the one the end-to-end tests use) with this
# extension installed and a copy of the examples open, for trying Falsify without installing VS Code.
#   PORT=8080 (default) · FALSIFY_VSCODE_FOLDER=<folder> to open your own folder instead of the copy
#   FALSIFY_VSCODE_STATE=<dir> (default .cache/vscode) · FALSIFY_VSCODE_SKIP_BUILD=1 to reuse dist/falsify.vsix
# Everything it writes stays under the state folder (git-ignored by default): Run All writes outputs into
# the copy of the examples, never into the repository's examples/. Delete the copy for a fresh one.
# Stop it with Ctrl+C.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
port="${PORT:-8080}"
state="${FALSIFY_VSCODE_STATE:-$repo/.cache/vscode}"
node24="$repo/.cache/node24/bin/node"
code_server="$repo/.cache/code-server/out/node/entry.js"
dirs=(--user-data-dir "$state/user-data" --extensions-dir "$state/extensions")
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

if [[ -n "${FALSIFY_VSCODE_FOLDER:-}" ]]; then
  folder="$(cd "$FALSIFY_VSCODE_FOLDER" && pwd)"
else
  folder="$state/examples"
  if [[ -d "$folder" ]]; then
    say "opening your copy of the examples in $folder (delete it for a fresh copy)"
  else
    mkdir -p "$state"
    cp -R examples "$folder"
    say "copied examples/ to $folder: notebooks you run there leave the repository's examples untouched"
  fi
fi

# First start: no Chat panel in the way (the extension opens its walkthrough instead), and no offer to open
# the repository around the copy. Kept if you change it.
settings="$state/user-data/User/settings.json"
if [[ ! -f "$settings" ]]; then
  mkdir -p "$(dirname "$settings")"
  printf '{\n  "workbench.secondarySideBar.defaultVisibility": "hidden",\n  "workbench.startupEditor": "none",\n  "git.openRepositoryInParentFolders": "never"\n}\n' >"$settings"
fi

# The examples are this repository's own notebooks, so the workspace is trusted from the start (the
# kernel runs code only in a trusted workspace).
say "open http://127.0.0.1:$port/  (Ctrl+C stops it)"
exec "$node24" "$code_server" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust "${dirs[@]}" "$folder"
