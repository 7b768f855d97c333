#!/bin/sh
# Hostile .verbatim files: odd globs, NUL bytes, ** from /, binary junk.
exec "${VB_ROOT:-.}/tests/nvim/run.sh" spec/sources_hostile_spec.lua
