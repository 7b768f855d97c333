#!/bin/sh
# Empty, binary and huge files in Neovim: no errors, no hangs.
exec "${VB_ROOT:-.}/tests/nvim/run.sh" spec/robust_spec.lua
