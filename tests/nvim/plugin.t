#!/bin/sh
# Commands, configuration, sources, health and help tags, inside Neovim.
exec "${VB_ROOT:-.}/tests/nvim/run.sh" spec/plugin_spec.lua
