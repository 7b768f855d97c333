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
like "$OUT" "fingerprints: [1-9][0-9]* postings in 1 runs" "stats: fingerprint postings recorded, in one run"
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
run archive add "$A" --batch-bytes 0 "$ORIG"
is "$RC" 2 "--batch-bytes needs a positive number"

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

# a removed source is not used; added back, it is
R=$TMP/r.vba
run archive add "$R" "$ORIG" "$TMP"/docs/d*.txt
run archive remove "$R" "$ORIG"
run check --archive "$R" "$TMP/draft.txt"
ok "removed source: no crash" no_crash
unlike "$OUT" "source $R:$ORIG" "a removed document is not loaded as a source"
run archive add "$R" "$ORIG"
run check --archive "$R" "$TMP/draft.txt"
like "$OUT" "source $R:$ORIG" "added back, it is found again"

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

# --------------------------------------- many commits: runs merged as they come
K=$TMP/k.vba
for i in $(seq 1 300); do cp "$TMP/docs/d$(( i % 40 + 1 )).txt" "$TMP/docs/k$i.txt"; echo "Item $i of the day." >>"$TMP/docs/k$i.txt"; done
run archive add "$K" --batch-bytes 20000 "$ORIG" "$TMP"/docs/k*.txt
is "$RC" 0 "add in batches of 20,000 bytes"
run archive stats "$K"
like "$OUT" "documents: 301" "every document arrived"
runs=$(sed -n 's/.* postings in \([0-9]*\) runs/\1/p' "$TMP/out")
ok "some 40 commits leave at most 8 runs ($runs)" test "${runs:-99}" -le 8
run check --archive "$K" --max-sources 2 "$TMP/draft.txt"
like "$OUT" "source $K:$ORIG" "the source is found across the runs"

# ------------------------------------------------- kill -9 during add, reopen
# Killed at several moments of a long add (many commits, runs being merged,
# one large document being read): each time the archive reopens with what
# was committed, and a later add and check work.
for i in $(seq 1 8); do cat "$TMP"/docs/k*.txt; done >"$TMP/large.txt"
"$VERBATIM" archive add "$K" "$ORIG" >/dev/null
kills=0 reopened=0 checked=0
for delay in 0.05 0.1 0.2 0.3 0.5 0.8; do
  for i in $(seq 1 300); do echo "Edition $delay." >>"$TMP/docs/k$i.txt"; done
  "$VERBATIM" archive add "$K" --batch-bytes 30000 "$TMP"/docs/k*.txt "$TMP/large.txt" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -0 "$pid" 2>/dev/null && kills=$((kills + 1))
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  "$VERBATIM" archive stats "$K" >"$TMP/kstats" 2>&1 && grep -q "documents: " "$TMP/kstats" && reopened=$((reopened + 1))
  "$VERBATIM" check --archive "$K" --max-sources 2 "$TMP/draft.txt" 2>&1 | grep -q "source $K:$ORIG" && checked=$((checked + 1))
done
[ "$kills" -gt 0 ] || diag "every add ended before its kill"
ok "at least one add was killed while it ran ($kills of 6)" test "$kills" -gt 0
is "$reopened" 6 "after each kill -9: the archive opens"
is "$checked" 6 "after each kill -9: check --archive finds the source"
run archive add "$K" "$ORIG" "$TMP"/docs/k*.txt "$TMP/large.txt"
is "$RC" 0 "after the kills: add again"
run archive stats "$K"
like "$OUT" "documents: 302" "after the kills: all documents, none twice"

# ------------------------------------------- damaged pages inside the file
# Garbage over pages in the middle of a real archive: never a crash, and an
# error names the file. (A damaged page met inside LMDB leaves that call's
# memory unfreed, so leaks are not counted here.)
for frac in 4 2 3; do
  cp "$K" "$TMP/dmg.vba"
  size=$(stat -c %s "$TMP/dmg.vba")
  seek=$(( size / frac / 4096 ))
  yes 'damaged page ' | head -c $((40 * 4096)) | dd of="$TMP/dmg.vba" bs=4096 seek="$seek" conv=notrunc 2>/dev/null
  ASAN_OPTIONS=exitcode=86:detect_leaks=0 run check --archive "$TMP/dmg.vba" "$TMP/draft.txt"
  ok "damaged pages at 1/$frac: no crash" no_crash
  if [ "$RC" != 0 ]; then like "$ERR" "dmg.vba: " "damaged pages at 1/$frac: the error names the file"
  else ok "damaged pages at 1/$frac: not met by this check" true; fi
  ASAN_OPTIONS=exitcode=86:detect_leaks=0 run archive stats "$TMP/dmg.vba"
  ok "damaged pages at 1/$frac: stats does not crash" no_crash
done

# ----------------------------------------------- readers while a writer adds
W=$TMP/w.vba
"$VERBATIM" archive add "$W" "$ORIG" >/dev/null
"$VERBATIM" archive add "$W" --batch-bytes 30000 "$TMP"/docs/k*.txt "$TMP/large.txt" >/dev/null 2>&1 &
pid=$!
bad=0
for i in 1 2 3 4 5; do
  "$VERBATIM" check --archive "$W" --max-sources 2 "$TMP/draft.txt" >"$TMP/r$i" 2>&1 &
done
wait
for i in 1 2 3 4 5; do grep -q "source $W:$ORIG" "$TMP/r$i" || bad=1; done
is "$bad" 0 "five readers during an add all find the source"
run archive stats "$W"
like "$OUT" "documents: 302" "the writer's documents all arrived"

done_testing
