#!/usr/bin/env bash
# The fuzz targets' seed corpus, replayed through each target's entry point
# without libFuzzer: the invariants in tests/fuzz/fuzz.h hold on every seed,
# and under the sanitizer build nothing leaks or reads out of bounds.
. "$VB_ROOT/tests/cli/lib.sh"

REPLAY=${VB_BUILD:-$VB_ROOT/build}/replay
# under `make test-valgrind`, VB_VALGRIND holds the valgrind command line
WRAP=()
case ${VB_VALGRIND:-} in valgrind*) read -r -a WRAP <<<"$VB_VALGRIND" ;; esac
export ASAN_OPTIONS=${ASAN_OPTIONS}:detect_leaks=1

for src in "$VB_ROOT"/tests/fuzz/fuzz_*.c; do
  target=$(basename "$src" .c)
  target=${target#fuzz_}
  seeds=("$VB_ROOT/tests/fuzz/seeds/$target"/*)
  if [ ! -e "${seeds[0]}" ]; then
    skip "no seeds for $target"
    continue
  fi
  "${WRAP[@]}" "$REPLAY/fuzz_$target" "${seeds[@]}" >"$TMP/replay.out" 2>&1
  rc=$?
  is "$rc" 0 "fuzz target $target holds its invariants on its ${#seeds[@]} seeds" ||
    diag "$(tail -n 20 "$TMP/replay.out")"
done

done_testing
