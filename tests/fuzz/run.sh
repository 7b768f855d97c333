#!/usr/bin/env bash
# Run libFuzzer targets for a fixed time each and print one line per target.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS TARGET...
# FUZZ_JOBS=N runs N targets at a time (each uses one core).
# Seeds: tests/fuzz/seeds/TARGET/. Generated inputs: BUILD_DIR/corpus/TARGET/.
# A crash leaves its input in BUILD_DIR/crashes/ and makes the run fail.
# Target "sources" is tests/fuzz/fuzz_sources.lua, run in a headless Neovim.
set -u
build=$1 seconds=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${FUZZ_JOBS:-1}
mkdir -p "$build/logs" "$build/crashes"

run_one() {
  local t=$1
  if [ "$t" = sources ]; then # the Lua reader of .verbatim files, in Neovim
    FUZZ_SECONDS=$seconds FUZZ_OUT=$build/crashes VB_ROOT=$root \
      timeout -s KILL $((seconds + 120)) nvim --headless -i NONE -n -u "$root/tests/nvim/minimal_init.lua" \
      -c "luafile $root/tests/fuzz/fuzz_sources.lua" </dev/null >"$build/logs/$t.log" 2>&1
    echo $? >"$build/logs/$t.rc"
    return
  fi
  mkdir -p "$build/corpus/$t"
  local seeds=$root/tests/fuzz/seeds/$t
  [ -d "$seeds" ] || seeds=
  "$build/fuzz_$t" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2560 \
    -dict="$root/tests/fuzz/verbatim.dict" -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$t-" "$build/corpus/$t" $seeds >"$build/logs/$t.log" 2>&1
  echo $? >"$build/logs/$t.rc"
}

running=0
for t in "$@"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

status=0
printf '%-10s %8s %12s %10s %8s  %s\n' target seconds executions exec/s corpus result
for t in "$@"; do
  log=$build/logs/$t.log
  rc=$(cat "$build/logs/$t.rc" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  files=$(find "$build/corpus/$t" -type f 2>/dev/null | wc -l)
  if [ "$rc" = 0 ]; then
    result=ok
  else
    result="FAILED (exit $rc): see $log"
    status=1
    grep -m1 -E '^==[0-9]+==ERROR|runtime error|deadly signal|ALARM|out-of-memory|^FINDING' "$log" | sed 's/^/    /'
    ls "$build"/crashes/"$t"-* 2>/dev/null | sed 's/^/    input: /'
  fi
  printf '%-10s %8s %12s %10s %8s  %s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$files" "$result"
done
exit $status
