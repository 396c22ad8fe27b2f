#!/usr/bin/env bash
# Usage: nvim-check.sh [REPO] [FILE-in-shop]   (REPO default: this repository, built; FILE default
# services/orders/src/clients/carrier.ts). Copies REPO/examples/shop to a temp dir, opens FILE there in headless
# nvim with nvim-check.lua, prints the result JSON and exits 0 on pass.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "${1:-$HERE/../..}" && pwd)
FILE=${2:-services/orders/src/clients/carrier.ts}
RUN=$(mktemp -d "${TMPDIR:-/tmp}/bw-nvim-XXXXXX")
trap 'rm -rf "$RUN"' EXIT
cp -r "$REPO/examples/shop" "$RUN/shop"
export XDG_CACHE_HOME="$RUN/cache" XDG_DATA_HOME="$RUN/data" XDG_STATE_HOME="$RUN/state" XDG_CONFIG_HOME="$RUN/config"
export BW_SERVER="$REPO/bin/breakwater-language-server.js" BW_ROOT="$RUN/shop" BW_OUT="$RUN/out.json"
cd "$RUN/shop"
start=$(date +%s%N)
# --clean is 0.9+; -u NONE would drop filetype detection, which start_client does not need.
timeout 120 nvim --headless -n -i NONE -u NONE "$FILE" -c "luafile $HERE/nvim-check.lua"
echo "nvim exited after $(( ($(date +%s%N) - start) / 1000000 )) ms"
cat "$RUN/out.json"; echo
node -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).pass ? 0 : 1)' "$RUN/out.json" && echo PASS || { echo FAIL; exit 1; }
