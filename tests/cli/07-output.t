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

# ---------------------------------------------------------------------- -j
# many files, some unreadable, one not UTF-8: -j 2 and -j 3 give the bytes of -j 1
files=()
for i in $(seq 1 12); do
  f=$TMP/story-$i.txt
  { printf 'Story %d\n\n' "$i"; cat "$ORIG"; printf '\n\n“Number %d is ours,” said Ada Quell.\n' "$i"; } >"$f"
  files+=("$f")
done
printf 'Caf\xe9 owner Ren\xe9 Morel said: \x93We stay open.\x94\n' >"$TMP/latin1.txt"
files+=("$TMP/latin1.txt" "$TMP/missing.txt" "$COPY" "$REWRITE")
for fmt in json text; do
  "$VERBATIM" analyze -j 1 --format $fmt "${files[@]}" >"$TMP/j1.$fmt" 2>"$TMP/j1.err"
  rc1=$?
  for j in 2 3; do
    "$VERBATIM" analyze -j $j --format $fmt "${files[@]}" >"$TMP/jn.$fmt" 2>"$TMP/jn.err"
    rcn=$?
    ok "analyze --format $fmt: -j $j prints the bytes of -j 1" cmp -s "$TMP/j1.$fmt" "$TMP/jn.$fmt"
    ok "analyze --format $fmt: -j $j says the same on stderr" cmp -s "$TMP/j1.err" "$TMP/jn.err"
    is "$rcn" "$rc1" "analyze --format $fmt: -j $j exits as -j 1"
  done
done
is "$rc1" 1 "analyze with a missing file: exit 1"
like "$(cat "$TMP/j1.err")" "cannot read $TMP/missing.txt" "the missing file is named"
ok "analyze -j 1: the documents in argument order" \
  python3 -c "import json,sys; d=json.load(open('$TMP/j1.json')); sys.exit([x['path'] for x in d['documents']] != sys.argv[1:])" \
  "${files[@]:0:13}" "$COPY" "$REWRITE"
for fmt in json text vimgrep; do
  "$VERBATIM" check -j 1 --fail-on warning --format $fmt --source "$ORIG" "${files[@]}" >"$TMP/c1.$fmt" 2>"$TMP/c1.err"
  rc1=$?
  "$VERBATIM" check -j 2 --fail-on warning --format $fmt --source "$ORIG" "${files[@]}" >"$TMP/c2.$fmt" 2>"$TMP/c2.err"
  rc2=$?
  ok "check --format $fmt: -j 2 prints the bytes of -j 1" cmp -s "$TMP/c1.$fmt" "$TMP/c2.$fmt"
  ok "check --format $fmt: -j 2 says the same on stderr" cmp -s "$TMP/c1.err" "$TMP/c2.err"
  is "$rc2" "$rc1" "check --format $fmt: -j 2 exits as -j 1"
done
run check -j 2 --format json --source "$ORIG" "$COPY" "$REWRITE"
ok "check -j 2 --format json is one JSON report with findings for the rewrite" \
  jcheck 'len(diags("rewrite.txt")) > 0 and len(d["quotes"]) > 0'
run analyze -j 0 "$ORIG"
is "$RC" 2 "-j 0 is bad usage"
run analyze -jx "$ORIG"
is "$RC" 2 "-jx is bad usage"
run analyze --jobs 4 --format json "$ORIG"
is "$RC" 0 "--jobs 4 with one file"

done_testing
