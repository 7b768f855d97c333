#!/usr/bin/env bash
# The library never prints, never exits and never aborts: its objects call
# no output or process-ending function (only the CLI does).
set -u
build=${VB_BUILD:-build}
lib=$build/libverbatim.a
forbidden='^(printf|fprintf|vprintf|vfprintf|puts|fputs|putchar|fputc|putc|fwrite|perror|write|exit|_exit|_Exit|abort|quick_exit|__assert_fail|stderr|stdout|system|popen|fork|raise|kill)$'
if [ ! -f "$lib" ] || ! command -v nm >/dev/null; then
  echo "1..0 # SKIP no $lib or no nm"
  exit 0
fi
n=0 failed=0
for obj in $(ar t "$lib"); do
  bad=$(nm -u "$lib" 2>/dev/null | awk -v o="$obj:" '$0 == o {on = 1; next} /:$/ {on = 0} on && NF == 2 {print $2}' |
    sed 's/@.*//' | grep -E "$forbidden" | tr '\n' ' ')
  n=$((n + 1))
  if [ -z "$bad" ]; then
    echo "ok $n - $obj calls nothing that prints or exits"
  else
    echo "not ok $n - $obj calls $bad"
    failed=$((failed + 1))
  fi
done
echo "1..$n"
[ $failed = 0 ]
