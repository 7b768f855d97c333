#!/bin/sh
# The Neovim specs again on a current Neovim (0.10 or newer), when one can be
# found: $VB_NVIM_NEW, or an unpacked release under /opt or ~/.local.
root=${VB_ROOT:-.}
found=
for cand in "${VB_NVIM_NEW:-}" /opt/nvim*/bin/nvim /opt/nvim*/usr/bin/nvim "$HOME"/.local/nvim*/bin/nvim \
            "$HOME"/.local/nvim*/usr/bin/nvim /usr/local/bin/nvim; do
  [ -n "$cand" ] && [ -x "$cand" ] || continue
  if "$cand" --headless -u NONE -c 'lua io.write(vim.fn.has("nvim-0.10"))' -c 'qa!' 2>/dev/null | grep -q 1; then
    found=$cand
    break
  fi
done
if [ -z "$found" ]; then
  echo "1..0 # SKIP no Neovim 0.10+ here (Debian ships $(nvim --version 2>/dev/null | head -1)); set VB_NVIM_NEW=/path/to/nvim to run the specs on it"
  exit 0
fi
n=0
fail=0
for spec in "$root"/tests/nvim/spec/*_spec.lua; do
  n=$((n + 1))
  name=$(basename "$spec")
  if VB_NVIM="$found" "$root/tests/nvim/run.sh" "spec/$name" >/tmp/verbatim-newer.$$ 2>&1; then
    echo "ok $n - $name on $("$found" --version | head -1)"
  else
    echo "not ok $n - $name on $("$found" --version | head -1)"
    sed 's/^/# /' /tmp/verbatim-newer.$$ | grep -a '^# \(not ok\|#\)' | head -40
    fail=1
  fi
done
rm -f /tmp/verbatim-newer.$$
echo "1..$n"
exit $fail
