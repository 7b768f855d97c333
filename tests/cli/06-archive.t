#!/usr/bin/env bash
# verbatim archive: add, replace, remove, merge, stats; check --archive
# finding a draft's source among other documents; damaged files; a kill
# during add; readers while a writer adds.
. "$VB_ROOT/tests/cli/lib.sh"

A=$TMP/a.vba
# other documents the source hides among: the story's files with a changed line
mkdir -p "$TMP/docs"
for i in $(seq 1 40); do
  { printf 'Filed %d. ' "$i"; sed "s/the/the $i/g" "$REWRITE"; } >"$TMP/docs/d$i.txt"
done

# ------------------------------------------------------------------ add/stats
run archive add "$A" "$ORIG" "$TMP"/docs/d1.txt "$TMP"/docs/d2.txt
is "$RC" 0 "archive add: exit 0"
is "$OUT" "added 3, replaced 0, unchanged 0" "archive add: three added"
run archive stats "$A"
like "$OUT" "documents: 3" "stats: three documents"
like "$OUT" "fingerprints: [1-9][0-9]*" "stats: fingerprints recorded"
run archive add "$A" "$ORIG"
is "$OUT" "added 0, replaced 0, unchanged 1" "re-adding the same file changes nothing"
cp "$TMP/docs/d1.txt" "$TMP/keep.txt"
echo "A late line." >>"$TMP/docs/d1.txt"
run archive add "$A" "$TMP/docs/d1.txt"
is "$OUT" "added 0, replaced 1, unchanged 0" "re-adding a changed file replaces it"
run archive stats "$A"
like "$OUT" "documents: 3" "replacing keeps the count"
ls "$TMP"/docs/d*.txt >"$TMP/list"
run_in "$TMP/list" archive add "$A" --from-list -
like "$OUT" "added 38, replaced 0, unchanged 2" "--from-list - reads paths from stdin"
run archive remove "$A" "$TMP/docs/d2.txt" "$TMP/none.txt"
is "$OUT" "removed 1" "remove: one removed"
like "$ERR" "none.txt: not in" "remove: an unknown name is said"
run archive stats "$A"
like "$OUT" "documents: 40" "remove: forty left"

# ------------------------------------------------------------ check --archive
cp "$COPY" "$TMP/draft.txt"
run check --archive "$A" "$TMP/draft.txt"
ok "check --archive: no crash" no_crash
like "$OUT" "draft.txt: source $A:$ORIG \(" "check --archive names the archive document used"
like "$OUT" "quote-altered" "check --archive finds the altered quotation against the archived source"
first=$(grep -m1 ': source ' "$TMP/out")
like "$first" "original.txt" "the real source ranks first"
run check --archive "$A" --max-sources 1 "$TMP/draft.txt"
is "$(grep -c ': source ' "$TMP/out")" 1 "--max-sources 1 loads one document"
run check --format json --archive "$A" "$TMP/draft.txt"
ok "check --archive --format json prints JSON" jcheck 'any(x["rule"] == "quote-altered" for x in d["diagnostics"])'

# ------------------------------------------------------------- shards, merge
B=$TMP/b.vba
C=$TMP/c.vba
run archive add "$B" "$TMP"/docs/d3.txt "$TMP"/docs/d4.txt
run archive add "$C" "$ORIG"
run check --archive "$B" --archive "$C" "$TMP/draft.txt"
like "$OUT" "source $C:$ORIG" "two archives are queried together"
run archive merge "$B" "$C"
is "$OUT" "merged 1" "merge: one document merged"
run archive stats "$B"
like "$OUT" "documents: 3" "merge: the shard holds both"
run check --archive "$B" "$TMP/draft.txt"
like "$OUT" "source $B:$ORIG" "merged archive finds the source"

# ------------------------------------------------------------ damaged files
printf 'not an archive at all %.0s' $(seq 1 500) >"$TMP/bad.vba"
run archive stats "$TMP/bad.vba"
is "$RC" 1 "garbage file: exit 1"
like "$ERR" "bad.vba: .*not a verbatim archive" "garbage file: a clear error naming the file"
head -c 20000 "$A" >"$TMP/short.vba"
run check --archive "$TMP/short.vba" "$TMP/draft.txt"
ok "truncated file: no crash" no_crash
like "$ERR" "short.vba: truncated archive" "truncated file: a clear error naming the file"
: >"$TMP/empty.vba"
run archive stats "$TMP/empty.vba"
like "$ERR" "empty.vba: " "empty file: a clear error"
run check --archive "$TMP/missing.vba" "$TMP/draft.txt"
like "$ERR" "missing.vba: No such file" "missing archive: said"

# ------------------------------------------------- kill -9 during add, reopen
K=$TMP/k.vba
for i in $(seq 1 300); do cp "$TMP/docs/d$(( i % 40 + 1 )).txt" "$TMP/docs/k$i.txt"; echo "$i" >>"$TMP/docs/k$i.txt"; done
"$VERBATIM" archive add "$K" "$ORIG" >/dev/null
# one large document keeps the writer busy inside its transaction
for i in $(seq 1 12); do cat "$TMP"/docs/k*.txt; done >"$TMP/large.txt"
"$VERBATIM" archive add "$K" "$TMP"/docs/k*.txt "$TMP/large.txt" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -0 "$pid" 2>/dev/null && killed=1 || killed=0
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$killed" = 1 ] || diag "the add ended before the kill"
run archive stats "$K"
is "$RC" 0 "after kill -9 during add: the archive opens"
like "$OUT" "documents: [0-9]+" "after kill -9: stats"
run archive add "$K" "$ORIG" "$TMP"/docs/k*.txt
is "$RC" 0 "after kill -9: add again"
run check --archive "$K" --max-sources 2 "$TMP/draft.txt"
like "$OUT" "source $K:$ORIG" "after kill -9: check --archive works"

# ----------------------------------------------- readers while a writer adds
W=$TMP/w.vba
"$VERBATIM" archive add "$W" "$ORIG" >/dev/null
"$VERBATIM" archive add "$W" "$TMP"/docs/k*.txt >/dev/null 2>&1 &
pid=$!
bad=0
for i in 1 2 3 4 5; do
  "$VERBATIM" check --archive "$W" --max-sources 2 "$TMP/draft.txt" >"$TMP/r$i" 2>&1 &
done
wait
for i in 1 2 3 4 5; do grep -q "source $W:$ORIG" "$TMP/r$i" || bad=1; done
is "$bad" 0 "five readers during an add all find the source"
run archive stats "$W"
like "$OUT" "documents: 301" "the writer's documents all arrived"

done_testing
