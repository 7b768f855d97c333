#!/bin/sh
# Each editor loads only its own entry point: plugin/verbatim.vim does
# nothing in Neovim, plugin/verbatim.lua nothing in Vim.
set -u
root=${VB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/verbatim-editors.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "1..2"
if command -v nvim >/dev/null 2>&1; then
  HOME=$tmp nvim --headless -u NONE -i NONE -n --cmd "set rtp^=$root" \
    -c "source $root/plugin/verbatim.vim" \
    -c "call writefile([exists('g:loaded_verbatim'), exists('*verbatim#Run')], '$tmp/nvim')" \
    -c 'qa!' >"$tmp/nvim.log" 2>&1
  if [ "$(tr '\n' ' ' <"$tmp/nvim" 2>/dev/null)" = "0 0 " ] && ! grep -q 'E[0-9]' "$tmp/nvim.log"; then
    echo "ok 1 - Neovim sources plugin/verbatim.vim without error and without effect"
  else
    echo "not ok 1 - Neovim sources plugin/verbatim.vim without error and without effect"
    sed 's/^/# /' "$tmp/nvim" "$tmp/nvim.log"
  fi
else
  echo "ok 1 # SKIP nvim not installed"
fi
if command -v vim >/dev/null 2>&1; then
  HOME=$tmp vim -N -u NONE -i NONE -n -es --cmd "set rtp^=$root" \
    -c 'runtime! plugin/*.vim plugin/*.lua' \
    -c "call writefile([exists(':Verbatim'), exists('g:loaded_verbatim')], '$tmp/vim')" \
    -c 'qa!' >"$tmp/vim.log" 2>&1
  if [ "$(tr '\n' ' ' <"$tmp/vim" 2>/dev/null)" = "2 1 " ] && ! grep -q 'E[0-9]' "$tmp/vim.log"; then
    echo "ok 2 - Vim loads plugin/verbatim.vim and is not disturbed by plugin/verbatim.lua"
  else
    echo "not ok 2 - Vim loads plugin/verbatim.vim and is not disturbed by plugin/verbatim.lua"
    sed 's/^/# /' "$tmp/vim" "$tmp/vim.log"
  fi
else
  echo "ok 2 # SKIP vim not installed"
fi
