#!/bin/sh
# The Lua binding inside Neovim's LuaJIT.
exec "${VB_ROOT:-.}/tests/nvim/run.sh" spec/binding_spec.lua
