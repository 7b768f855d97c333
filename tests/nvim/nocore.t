#!/bin/sh
# The plugin when the C core is not built.
exec "${VB_ROOT:-.}/tests/nvim/run.sh" spec/nocore_spec.lua
