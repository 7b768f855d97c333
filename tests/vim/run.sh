#!/bin/sh
# Run a spec (Test_* functions) inside a real headless Vim 9 with this
# checkout on 'runtimepath', a private HOME and no user config; prints TAP.
# Usage: tests/vim/run.sh SPEC.vim   (env: VB_ROOT, VB_VIM, VERBATIM)
set -u
root=${VB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
vim=${VB_VIM:-vim}
spec=$1
if ! command -v "$vim" >/dev/null 2>&1; then
  echo "1..0 # SKIP $vim not installed"
  exit 0
fi
if [ "$("$vim" -Nu NONE -i NONE -es -c 'if has("vim9script") && has("job") && has("textprop") | cquit 0 | else | cquit 1 | endif' 2>/dev/null; echo $?)" != 0 ]; then
  echo "1..0 # SKIP $vim has no vim9script, +job or +textprop"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/verbatim-vim.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/home"
cd "$root" || exit 1
HOME="$tmp/home" TMPDIR="$tmp" VB_ROOT="$root" VB_TAP="$tmp/tap" \
VB_SPEC="$root/tests/vim/spec/$spec" \
  timeout 300 "$vim" -N -u NONE -i NONE -n -es -S "$root/tests/vim/runner.vim" </dev/null >"$tmp/messages" 2>&1
rc=$?
cat "$tmp/tap" 2>/dev/null
if [ "$rc" -ne 0 ] || [ ! -s "$tmp/tap" ]; then
  echo "# Vim exited with $rc; its messages:"
  sed 's/^/#   /' "$tmp/messages" | head -100
  [ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
