#!/usr/bin/env bash
# Output: one buffered writer, a clear error when the output cannot be
# written, and -j N giving the same bytes as one thread.
. "$VB_ROOT/tests/cli/lib.sh"

# ------------------------------------------------------------ write errors
if [ -w /dev/full ]; then
  for fmt in json text; do
    "$VERBATIM" analyze --format $fmt "$ORIG" "$COPY" "$REWRITE" >/dev/full 2>"$TMP/err"
    rc=$?
    is "$rc" 1 "analyze --format $fmt to a full disk: exit 1"
    like "$(cat "$TMP/err")" '^verbatim: cannot write the output: No space left on device$' \
      "analyze --format $fmt to a full disk: the error says so"
  done
  "$VERBATIM" check --format vimgrep --fail-on off --source "$ORIG" "$REWRITE" >/dev/full 2>"$TMP/err"
  is "$?" 1 "check to a full disk: exit 1"
else
  skip "no /dev/full" 5
fi

# ------------------------------------------------------- large outputs whole
big=$TMP/big.txt
for i in $(seq 1 400); do
  printf '“We will reopen the pier number %d,” said Mayor Ada Quell of Port Velden on Monday.\n\n' "$i"
done >"$big"
run analyze --format json "$big"
is "$RC" 0 "analyze a long file: exit 0"
ok "analyze a long file: output larger than the buffer is one JSON value" \
  jcheck 'len(raw) > 65536 and len(d["documents"][0]["quotes"]) == 400'

done_testing
