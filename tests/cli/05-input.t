#!/usr/bin/env bash
# Awkward input: the CLI never changes its input files, and empty files,
# binary files, invalid UTF-8, NUL bytes, CRLF, a BOM, huge lines and
# unbalanced quotation marks give a clear result, never a crash or a hang.
. "$VB_ROOT/tests/cli/lib.sh"

LIMIT="timeout 120"
BIG=$((4 * 1024 * 1024))
[ -n "${VB_SAN:-}" ] && BIG=$((1024 * 1024))

# run_all FILE: analyze (json and text) and check (json and vimgrep) FILE
# against the original; align and related too. Each must end by itself.
run_all() {
  local f=$1 name=$2
  run analyze --format json "$f"
  ok "$name: analyze json, no crash" no_crash
  ok "$name: analyze json is strict UTF-8 JSON" is_json
  ok "$name: analyze offsets lie inside the file" \
    jcheck 'all(0 <= x["start"] <= x["end"] <= len(B(doc["path"])) for doc in d["documents"] for x in doc["entities"] + doc["quotes"])'
  run analyze "$f"
  ok "$name: analyze text, no crash" no_crash
  run check --format json --source "$ORIG" "$f"
  ok "$name: check json, no crash" no_crash
  ok "$name: check json is strict UTF-8 JSON" is_json
  run check --format vimgrep --source "$f" "$COPY"
  ok "$name: as a source, no crash" no_crash
  run align --format json --target "$f" "$ORIG"
  ok "$name: align, no crash" no_crash
  ok "$name: align json is strict UTF-8 JSON" is_json
  run related --format json --at "$f:1" "$ORIG"
  ok "$name: related, no crash" no_crash
}

# ------------------------------------------------- inputs are not changed
cp "$ORIG" "$COPY" "$REWRITE" "$TMP/"
mkdir "$TMP/story" && cp "$ORIG" "$COPY" "$REWRITE" "$TMP/story/"
before=$(checksum "$TMP/story/original.txt" "$TMP/story/copy.txt" "$TMP/story/rewrite.txt")
times_before=$(stat -c %Y "$TMP"/story/*.txt)
S=$TMP/story
run analyze --format json "$S/original.txt" "$S/copy.txt" "$S/rewrite.txt"
run analyze "$S/original.txt" "$S/copy.txt" "$S/rewrite.txt"
run check --source "$S/original.txt" "$S/copy.txt" "$S/rewrite.txt"
run check --format json --source "$S/original.txt" "$S/copy.txt" "$S/rewrite.txt"
run check --format vimgrep "$S/original.txt" "$S/copy.txt" "$S/rewrite.txt"
run align --format json --target "$S/rewrite.txt" "$S/original.txt" "$S/copy.txt"
run related --at "$S/rewrite.txt:6" "$S/original.txt" "$S/copy.txt"
is "$(checksum "$S/original.txt" "$S/copy.txt" "$S/rewrite.txt")" "$before" "every command leaves the story's bytes unchanged"
is "$(stat -c %Y "$TMP"/story/*.txt)" "$times_before" "every command leaves the files' modification times alone"
is "$(ls "$S" | tr '\n' ' ')" "copy.txt original.txt rewrite.txt " "no file is created next to the input"

# ------------------------------------------------------------------ empty
: >"$TMP/empty.txt"
run analyze --format json "$TMP/empty.txt"
is "$RC" 0 "empty file: analyze exits 0"
ok "empty file: one document, no entities, no quotes" \
  jcheck 'len(d["documents"]) == 1 and d["documents"][0]["entities"] == [] and d["documents"][0]["quotes"] == []'
run analyze "$TMP/empty.txt"
is "$OUT" "$TMP/empty.txt: 0 quotations, 0 entities" "empty file: analyze text says there is nothing"
run check --format json --source "$ORIG" "$TMP/empty.txt"
is "$RC" 0 "empty file: check exits 0"
ok "empty file: nothing to report" jcheck 'd["diagnostics"] == [] and d["quotes"] == []'
run_all "$TMP/empty.txt" "empty file"
printf '\n\n   \n\t\n' >"$TMP/blank.txt"
run_all "$TMP/blank.txt" "blank lines only"

# ----------------------------------------------------------------- binary
# Deterministic "random" bytes, NULs included.
perl -e 'srand(7); print map { chr(int(rand(256))) } 1 .. 65536; print "\0" x 64; print "\"\xe2\x80\x9c\0said\0\n"' >"$TMP/binary.bin"
run_all "$TMP/binary.bin" "binary file"
run analyze --format json "$TMP/binary.bin"
ok "binary file: read as something, not rejected" \
  jcheck 'd["documents"][0]["encoding"] in ("utf-8", "windows-1252", "utf-8 (repaired)")'

# ------------------------------------------------------------ invalid UTF-8
# Windows-1252 curly quotes (0x93/0x94) in otherwise ASCII text.
printf 'Harbour Minister Elena Varga said: \x93We were lucky this morning.\x94 The port of Castellan is closed.\n' >"$TMP/cp1252.txt"
run_all "$TMP/cp1252.txt" "Windows-1252 text"
run analyze --format json "$TMP/cp1252.txt"
ok "Windows-1252 text: reported as windows-1252" \
  jcheck 'd["documents"][0]["encoding"] == "windows-1252"'
ok "Windows-1252 text: the quote is found, its offsets on the 0x93 and past the 0x94 bytes" \
  jcheck 'any(B(doc["path"])[q["start"]] == 0x93 and B(doc["path"])[q["end"] - 1] == 0x94 and q["text"] == "We were lucky this morning." for doc in d["documents"] for q in doc["quotes"])'
# UTF-8 with stray bytes: a lone continuation byte, an overlong form, a
# truncated sequence, a surrogate and 0xFF.
printf 'Varga said \xe2\x80\x9cthe port \x80 will \xc0\xaf reopen \xe2\x80 soon \xed\xa0\x80 now\xff\xe2\x80\x9d on Friday.\n' >"$TMP/badutf8.txt"
run_all "$TMP/badutf8.txt" "invalid UTF-8"
# Mostly UTF-8 (curly marks, accents, dashes) with two stray bytes.
{
  cat "$ORIG"
  printf 'The caf\xc3\xa9 on North Quay \xe2\x80\x93 Varga\xe2\x80\x99s favourite \xe2\x80\x93 stayed open\xff, \x80said the owner.\n'
} >"$TMP/mostly.txt"
run_all "$TMP/mostly.txt" "UTF-8 with two stray bytes"
run analyze --format json "$TMP/mostly.txt"
ok "UTF-8 with two stray bytes: reported as repaired UTF-8" \
  jcheck 'd["documents"][0]["encoding"] == "utf-8 (repaired)"'
ok "UTF-8 with two stray bytes: the story's quotations are still found" \
  jcheck 'any(q["text"].startswith("We were lucky") and B(doc["path"])[q["start"]:q["start"] + 3] == "\u201c".encode() for doc in d["documents"] for q in doc["quotes"])'
printf '\xe2\x80' >"$TMP/truncated.txt"
run_all "$TMP/truncated.txt" "a file ending inside a UTF-8 sequence"

# --------------------------------------------------------------- NUL bytes
printf 'Varga said: "We were\0 lucky." Osei said\0 "Friday."\n' >"$TMP/nul.txt"
run_all "$TMP/nul.txt" "NUL bytes in text"

# ---------------------------------------------------------------- CRLF, BOM
sed 's/$/\r/' "$ORIG" >"$TMP/crlf.txt"
run_all "$TMP/crlf.txt" "CRLF line ends"
printf '\xef\xbb\xbf' | cat - "$ORIG" >"$TMP/bom.txt"
run_all "$TMP/bom.txt" "a byte-order mark"
run analyze --format json "$ORIG" "$TMP/crlf.txt" "$TMP/bom.txt"
ok "CRLF and BOM: still read as UTF-8" \
  jcheck 'all(x["encoding"] == "utf-8" for x in d["documents"])'
ok "CRLF: the same quotations, their offsets moved by one byte a line" \
  jcheck '[(q["text"], q["line"]) for q in d["documents"][0]["quotes"]] == [(q["text"], q["line"]) for q in d["documents"][1]["quotes"]] and all(b["start"] == a["start"] + a["line"] - 1 for a, b in zip(d["documents"][0]["quotes"], d["documents"][1]["quotes"]))'
ok "BOM: the same quotations, their offsets moved by three bytes" \
  jcheck '[q["text"] for q in d["documents"][0]["quotes"]] == [q["text"] for q in d["documents"][2]["quotes"]] and all(b["start"] == a["start"] + 3 for a, b in zip(d["documents"][0]["quotes"], d["documents"][2]["quotes"]))'
ok "BOM: the same entities, their offsets moved by three bytes" \
  jcheck '[(e["text"], e["start"] + 3) for e in d["documents"][0]["entities"]] == [(e["text"], e["start"]) for e in d["documents"][2]["entities"]]'
run check --format json --source "$ORIG" "$TMP/crlf.txt"
ok "CRLF copy of the source: no warning" \
  jcheck 'not [x for x in d["diagnostics"] if x["severity"] in ("warning", "error")]'

# ------------------------------------------------------------ huge lines
perl -e 'my $s = "Harbour Minister Elena Varga said the port of Castellan would reopen on Friday, and \"we will be ready\" was her promise. "; print $s x int('"$BIG"' / length $s), "\n"' >"$TMP/huge-line.txt"
start=$(date +%s)
$LIMIT "$VERBATIM" analyze --format json "$TMP/huge-line.txt" >"$TMP/out" 2>"$TMP/err"
RC=$?
is "$RC" 0 "a $((BIG / 1024 / 1024)) MB line: analyze ends, exit 0"
ok "a $((BIG / 1024 / 1024)) MB line: valid JSON" is_json
$LIMIT "$VERBATIM" check --format json --source "$ORIG" "$TMP/huge-line.txt" >"$TMP/out" 2>"$TMP/err"
RC=$?
ok "a $((BIG / 1024 / 1024)) MB line: check ends without a crash" no_crash
diag "huge line: $(( $(date +%s) - start )) s for analyze and check"

# ------------------------------------------------------ unbalanced quotes
perl -e 'print "\xe2\x80\x9c" x 20000, "\n", "\"" x 20001, "\n", "\xe2\x80\x9d" x 20000, "\n", "\x27" x 5001, "\n"' >"$TMP/marks.txt"
start=$(date +%s)
run_all "$TMP/marks.txt" "lines of nothing but quotation marks"
perl -e 'print "\xe2\x80\x9cOpen quote that never closes ", "and goes on " x 20000, "\n"' >"$TMP/open.txt"
run_all "$TMP/open.txt" "one quotation left open for a long line"
run check --format json --source "$ORIG" "$TMP/open.txt"
ok "a quotation left open: unbalanced-quote on line 1" \
  jcheck 'any(x["rule"] == "unbalanced-quote" and x["line"] == 1 for x in d["diagnostics"])'
printf 'The mayor said the plan was ready.\xe2\x80\x9d Then she left.\n' >"$TMP/close.txt"
run check --format json --source "$ORIG" "$TMP/close.txt"
ok "a closing mark never opened, in a file with no quotation: unbalanced-quote at it" \
  jcheck 'any(x["rule"] == "unbalanced-quote" and x["line"] == 1 and x["col"] == 35 for x in d["diagnostics"])'
diag "quotation-mark files: $(( $(date +%s) - start )) s"

# ------------------------------------------------------ many small files
for i in $(seq 1 200); do printf 'Story %d: "Quote %d," Varga said.\n' "$i" "$i" >"$TMP/many-$i.txt"; done
run check --format json --source "$ORIG" "$TMP"/many-*.txt
ok "200 small files at once: no crash" no_crash
ok "200 small files at once: JSON" is_json

done_testing
