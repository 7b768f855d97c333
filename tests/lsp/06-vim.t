#!/bin/sh
# Vim 9's own LSP channel (autoload/verbatim/lsp.vim) on verbatim lsp.
set -u
root=${VB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
verbatim=${VERBATIM:-$root/build/verbatim}
if ! command -v vim >/dev/null 2>&1 ||
   [ "$(vim -Nu NONE -i NONE -es -c 'if has("vim9script") && has("job") && has("textprop") | cquit 0 | else | cquit 1 | endif' 2>/dev/null; echo $?)" != 0 ]; then
  echo "1..0 # SKIP no Vim 9 with +job and +textprop"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/verbatim-vim-lsp.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r "$root/examples/story" "$tmp/story"
mkdir -p "$tmp/home"
HOME=$tmp/home VB_OUT=$tmp/out VB_STORY=$tmp/story VERBATIM=$verbatim VB_ROOT=$root \
  timeout 120 vim -N -u NONE -i NONE -n -es -S "$root/tests/lsp/vim_client.vim" </dev/null >"$tmp/log" 2>&1
n=0
if [ ! -s "$tmp/out" ]; then
  echo "not ok 1 - the Vim script did not finish"
  sed 's/^/# /' "$tmp/log" | head -30
  echo "1..1"
  exit 1
fi
while IFS= read -r line; do
  n=$((n + 1))
  case $line in
    "ok - "*) echo "ok $n - Vim: ${line#ok - }" ;;
    *) echo "not ok $n - Vim: ${line#not ok - }" ;;
  esac
done <"$tmp/out"
echo "1..$n"
