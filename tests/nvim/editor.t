#!/bin/sh
# The editor layer (jump, fix, sidebar, diagnostics, highlights) on a stand-in core.
exec "${VB_ROOT:-.}/tests/nvim/run.sh" spec/editor_spec.lua
