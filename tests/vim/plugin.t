#!/bin/sh
# The Vim 9 plugin without the server: command, completion, options.
exec "${VB_ROOT:-.}/tests/vim/run.sh" plugin.vim
