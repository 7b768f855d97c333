#!/bin/sh
# Screen test: Neovim in a real terminal (tmux) on the example story. Checks
# what a user sees after :w and with the sidebar open, and keeps the screen
# in $VB_BUILD/screen-*.txt (VB_UPDATE_CAPTURE=1 also copies it to doc/).
set -u
root=${VB_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VB_BUILD:-$root/build}
for cmd in tmux nvim; do
  command -v $cmd >/dev/null 2>&1 || { echo "1..0 # SKIP $cmd not installed"; exit 0; }
done
[ -f "$root/lua/verbatim/core.so" ] || { echo "1..0 # SKIP lua/verbatim/core.so not built"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/verbatim-screen.XXXXXX") || exit 1
sock="verbatim-screen-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
mkdir -p "$tmp/home" "$tmp/story"
cp "$root"/examples/story/original.txt "$root"/examples/story/copy.txt "$root"/examples/story/rewrite.txt "$tmp/story/"

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - # SKIP $1"; }
screen() { tmux -L "$sock" capture-pane -p -t vb; }
keys() { tmux -L "$sock" send-keys -t vb "$@"; }
# wait until the screen contains $1 (up to 10 s)
wait_for() {
  i=0
  while [ $i -lt 100 ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

cd "$tmp/story" || exit 1
tmux -L "$sock" -f /dev/null new-session -d -s vb -x 132 -y 36 \
  "env HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home XDG_DATA_HOME=$tmp/home XDG_STATE_HOME=$tmp/home \
   VB_ROOT=$root TERM=xterm-256color nvim -i NONE -n -u $root/tests/nvim/minimal_init.lua \
   -c 'set laststatus=2 signcolumn=yes linebreak' rewrite.txt" || { echo "1..0 # SKIP tmux cannot start"; exit 0; }

if wait_for "Minister vows crackdown"; then ok "Neovim shows rewrite.txt in the terminal"; else notok "Neovim shows rewrite.txt in the terminal"; screen | sed 's/^/# /'; fi

keys ":w" Enter
wait_for "written" || true
sleep 0.3
keys ":lua vim.fn.writefile({tostring(#vim.diagnostic.get(0))}, '$tmp/count')" Enter
sleep 0.3
screen >"$tmp/after-save.txt"
if grep -qE "E[0-9]+:|Error|stack traceback" "$tmp/after-save.txt"; then
  notok ":w shows no error"
  sed 's/^/# /' "$tmp/after-save.txt"
else
  ok ":w shows no error"
fi
count=$(cat "$tmp/count" 2>/dev/null || echo 0)
if [ "${count:-0}" -gt 0 ]; then
  # vim.diagnostic's default signs ("W") and virtual text ("■")
  if grep -q "■" "$tmp/after-save.txt" && grep -qE "^W " "$tmp/after-save.txt"; then
    ok "$count diagnostics on screen after :w (signs and virtual text)"
  else
    notok "$count diagnostics on screen after :w (signs and virtual text)"
    sed 's/^/# /' "$tmp/after-save.txt"
  fi
else
  skip "diagnostics on screen after :w (the C core reports none on the story yet)"
fi

keys ":6" Enter "5|" ":Verbatim sidebar" Enter
if wait_for "rewritten"; then ok "the sidebar opens with its verbatim / rewritten / new header"; else notok "the sidebar opens with its header"; screen | sed 's/^/# /'; fi
sleep 0.3
screen >"$tmp/sidebar.txt"
if grep -qF "paragraph at line 6" "$tmp/sidebar.txt" || grep -qF "quotation at line 6" "$tmp/sidebar.txt"; then
  ok "the sidebar follows the cursor (line 6)"
else
  notok "the sidebar follows the cursor (line 6)"
  sed 's/^/# /' "$tmp/sidebar.txt"
fi
if grep -qE "[0-9]+\. (original|copy)\.txt:[0-9]+" "$tmp/sidebar.txt"; then
  ok "the sidebar lists related passages of the sources"
elif grep -qF "no related passage" "$tmp/sidebar.txt"; then
  skip "the sidebar lists related passages (the C core finds none yet)"
else
  notok "the sidebar lists related passages"
  sed 's/^/# /' "$tmp/sidebar.txt"
fi

mkdir -p "$build"
cp "$tmp/after-save.txt" "$build/screen-after-save.txt"
cp "$tmp/sidebar.txt" "$build/screen-sidebar.txt"
if [ "${VB_UPDATE_CAPTURE:-}" = 1 ]; then
  cp "$tmp/sidebar.txt" "$root/doc/screen.txt"
fi
keys Escape ":qa!" Enter
echo "1..$n"
[ $fails -eq 0 ]
