#!/bin/sh
# Check that what verbatim builds and tests with is installed; install the
# missing Debian packages when run as root, else print the command to run.
# Usage: tools/deps.sh [build|test|fuzz]   (fuzz: clang with libFuzzer, valgrind)
set -u
need=${1:-test}
packages="build-essential pkg-config libpcre2-dev libutf8proc-dev liblua5.4-dev libluajit-5.1-dev liblmdb-dev libcjson-dev libzstd-dev"
if [ "$need" = test ]; then
  packages="$packages lua5.4 luajit neovim vim lua-busted tmux python3"
fi

if [ "$need" = fuzz ]; then
  packages="clang valgrind"
fi

missing() {
  if [ "$need" = fuzz ]; then
    for cmd in clang valgrind; do command -v "$cmd" >/dev/null 2>&1 || return 0; done
    return 1
  fi
  for cmd in cc make pkg-config; do command -v "$cmd" >/dev/null 2>&1 || return 0; done
  for mod in libpcre2-8 libutf8proc lua5.4 luajit libzstd libcjson; do pkg-config --exists "$mod" 2>/dev/null || return 0; done
  pkg-config --exists lmdb 2>/dev/null || [ -f /usr/include/lmdb.h ] || return 0
  if [ "$need" = test ]; then
    for cmd in nvim vim busted luajit lua5.4 prove tmux python3; do command -v "$cmd" >/dev/null 2>&1 || return 0; done
  fi
  return 1
}

missing || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "verbatim: installing missing packages: $packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq $packages >/dev/null || {
    echo "verbatim: apt-get install failed" >&2
    exit 1
  }
  missing && { echo "verbatim: dependencies still missing after install" >&2; exit 1; }
  exit 0
fi
echo "verbatim: missing dependencies. Install them with:" >&2
echo "  sudo apt-get install $packages" >&2
exit 1
