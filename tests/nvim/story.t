#!/bin/sh
# The plugin on the example story: diagnostics, jump, sidebar, fix, highlights.
exec "${VB_ROOT:-.}/tests/nvim/run.sh" spec/story_spec.lua
