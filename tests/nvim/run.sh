#!/bin/sh
# Run a busted spec inside a headless Neovim with this checkout on its
# runtimepath and a private HOME, so the user's config cannot interfere.
# Usage: tests/nvim/run.sh SPEC.lua   (env: VB_ROOT, VB_NVIM)
set -u
root=${VB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
nvim=${VB_NVIM:-nvim}
spec=$1
if ! command -v "$nvim" >/dev/null 2>&1; then
  echo "1..0 # SKIP $nvim not installed"
  exit 0
fi
if [ ! -f "$root/lua/verbatim/core.so" ]; then
  echo "1..0 # SKIP lua/verbatim/core.so not built (run make)"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/verbatim-nvim.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/home" "$tmp/xdg/config" "$tmp/xdg/data" "$tmp/xdg/state" "$tmp/xdg/cache"
cd "$root" || exit 1
HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache" TMPDIR="$tmp" \
VB_ROOT="$root" VB_SPEC="$root/tests/nvim/$spec" \
  timeout 300 "$nvim" --headless -i NONE -n -u "$root/tests/nvim/minimal_init.lua" \
  -c "luafile $root/tests/nvim/run.lua" </dev/null 2>"$tmp/messages"
rc=$?
# Neovim's messages (stderr in headless mode) only matter when it failed.
if [ "$rc" -ne 0 ]; then
  echo "# Neovim exited with $rc; its messages:"
  sed 's/^/#   /' "$tmp/messages" | head -100
fi
exit "$rc"
