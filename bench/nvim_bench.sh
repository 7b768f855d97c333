#!/bin/sh
# Editor timings from a headless Neovim (TSV: metric, value, unit), then a
# check against the targets: :w to diagnostics <= 30 ms, sidebar <= 10 ms.
# Usage: bench/nvim_bench.sh   (from the repository root; needs `make`)
# Ignores VB_BENCH_TEXTS: see the note at the top of bench/nvim_bench.lua.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v nvim >/dev/null 2>&1; then echo "# nvim_bench: nvim not installed, skipped"; exit 0; fi
if [ ! -f "$root/lua/verbatim/core.so" ]; then echo "# nvim_bench: run make first"; exit 1; fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/verbatim-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/home"
out="$tmp/rows.tsv"
HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home" XDG_DATA_HOME="$tmp/home" XDG_STATE_HOME="$tmp/home" \
XDG_CACHE_HOME="$tmp/home" TMPDIR="$tmp" VB_ROOT="$root" \
  nvim --headless -i NONE -n -u "$root/tests/nvim/minimal_init.lua" -c "luafile $root/bench/nvim_bench.lua" \
  </dev/null >"$out" 2>"$tmp/messages" || { cat "$tmp/messages" >&2; exit 1; }
cat "$out"
awk -F '\t' '
  $1 ~ /^save_to_diagnostics_.*_median$/ { t = 30 }
  $1 ~ /^sidebar_refresh_median$/ { t = 10 }
  t { printf "# %s %s ms: %s (target <= %d ms)\n", $1, $2, ($2 <= t ? "within target" : "OVER TARGET"), t; t = 0 }
' "$out"
