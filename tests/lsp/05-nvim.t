#!/bin/sh
# Neovim's built-in LSP client with verbatim lsp: the system Neovim (0.7:
# vim.lsp.start_client) and, when tools/nvim-newer.sh could unpack one, a
# current Neovim (0.10+: vim.lsp.start, the README's configuration).
set -u
root=${VB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
verbatim=${VERBATIM:-$root/build/verbatim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/verbatim-nvim-lsp.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
run() { # LABEL NVIM
  label=$1
  nv=$2
  : >"$tmp/out"
  HOME=$tmp VB_OUT=$tmp/out VERBATIM=$verbatim VB_ROOT=$root timeout 60 "$nv" --headless -u NONE -i NONE -n \
    -c "luafile $root/tests/lsp/nvim_client.lua" >"$tmp/log" 2>&1
  if [ ! -s "$tmp/out" ]; then
    n=$((n + 1))
    echo "not ok $n - $label: the script did not finish"
    sed 's/^/# /' "$tmp/log" | head -30
    return
  fi
  while IFS= read -r line; do
    n=$((n + 1))
    case $line in
      "ok - "*) echo "ok $n - $label: ${line#ok - }" ;;
      *) echo "not ok $n - $label: ${line#not ok - }" ;;
    esac
  done <"$tmp/out"
}
if command -v nvim >/dev/null 2>&1; then
  run "Neovim $(nvim --version | head -1 | cut -d' ' -f2)" nvim
else
  n=$((n + 1)); echo "ok $n # SKIP nvim not installed"
fi
new=${VB_NVIM_NEW:-}
if [ -n "$new" ] && [ -x "$new" ]; then
  run "Neovim $("$new" --version | head -1 | cut -d' ' -f2)" "$new"
else
  n=$((n + 1)); echo "ok $n # SKIP no current Neovim (tools/nvim-newer.sh)"
fi
echo "1..$n"
