#!/usr/bin/env bash
# verbatim check: output formats, exit status, rule configuration, and the
# findings the example story's key lists (examples/story/README.md).
. "$VB_ROOT/tests/cli/lib.sh"

RULES='("quote-altered", "quote-unsourced", "quote-from-paraphrase", "speaker-mismatch", "name-variant", "number-mismatch", "entity-unsupported", "unbalanced-quote")'
SEVS='("hint", "info", "warning", "error")'
VIMGREP='[^:]+:[0-9]+:[0-9]+: (error|warning|info|hint): .+ \[[a-z]+(-[a-z]+)*\]'

# -------------------------------------------------------------- JSON shape
run check --format json --source "$ORIG" "$COPY" "$REWRITE"
ok "check the story: no crash" no_crash
is "$ERR" "" "check the story: nothing on stderr"
ok "check --format json prints JSON with diagnostics and quotes" \
  jcheck 'isinstance(d["diagnostics"], list) and isinstance(d["quotes"], list)'
cp "$TMP/out" "$TMP/story.json"
ok "diagnostics: path, span, line/col of both ends, severity, rule, message, related" \
  jcheck 'all(0 <= x["start"] <= x["end"] <= len(B(x["path"])) and x["line"] == line_of(x["path"], x["start"]) and x["col"] == col_of(x["path"], x["start"]) and x["end_line"] == line_of(x["path"], x["end"]) and x["end_col"] == col_of(x["path"], x["end"]) and x["severity"] in '"$SEVS"' and x["rule"] in '"$RULES"' and x["message"] and isinstance(x["related"], list) for x in d["diagnostics"])'
ok "diagnostics: related locations are inside their files" \
  jcheck 'all(0 <= r["start"] <= r["end"] <= len(B(r["path"])) and r["line"] == line_of(r["path"], r["start"]) and r["col"] == col_of(r["path"], r["start"]) for x in d["diagnostics"] for r in x["related"])'
ok "diagnostics are ordered by file, then offset" \
  jcheck 'all(a["start"] <= b["start"] for a, b in zip(d["diagnostics"], d["diagnostics"][1:]) if a["path"] == b["path"])'
ok "sources are references only: no diagnostic and no quote entry in original.txt" \
  jcheck 'not any(x["path"].endswith("original.txt") for x in d["diagnostics"] + d["quotes"])'
ok "quotes: path, span, line/col and matches with relation and score" \
  jcheck 'all(0 <= q["start"] < q["end"] <= len(B(q["path"])) and q["line"] == line_of(q["path"], q["start"]) and all(0 <= m["start"] < m["end"] <= len(B(m["path"])) and m["relation"] in ("verbatim", "fragment", "altered", "extended", "unquoted") and 0 <= m["score"] <= 1 and m["path"] != q["path"] for m in q["matches"]) for q in d["quotes"])'
ok "quotes: matches are best first" \
  jcheck 'all([m["score"] for m in q["matches"]] == sorted((m["score"] for m in q["matches"]), reverse=True) for q in d["quotes"])'

# ------------------------------------------------------- the story's key
KEY=(
  "copy.txt 27 quote-altered"
  "rewrite.txt 2 number-mismatch"
  "rewrite.txt 4 entity-unsupported"
  "rewrite.txt 5 quote-unsourced"
  "rewrite.txt 6 quote-altered"
  "rewrite.txt 7 quote-from-paraphrase|quote-altered"
  "rewrite.txt 8 speaker-mismatch"
  "rewrite.txt 9 unbalanced-quote"
  "rewrite.txt 11 entity-unsupported"
  "rewrite.txt 12 name-variant"
)
for k in "${KEY[@]}"; do
  set -- $k
  ok "key: $1 line $2: $3" \
    jcheck 'any(x["rule"] in "'"$3"'".split("|") for x in diags("'"$1"'", line='"$2"'))'
done
ok "key: number-mismatch points at '36'" \
  jcheck '"36" in span("'"$REWRITE"'", diags("rewrite.txt", "number-mismatch")[0])'
ok "key: entity-unsupported points at 'Rotterdam' and at 'Lindqvist'" \
  jcheck 'sorted(span("'"$REWRITE"'", x).split()[-1] for x in diags("rewrite.txt", "entity-unsupported")) == ["Lindqvist", "Rotterdam"]'
ok "key: name-variant points at 'Vargha'" \
  jcheck 'span("'"$REWRITE"'", diags("rewrite.txt", "name-variant")[0]) == "Vargha"'
ok "key: the altered quote says what changed ('in order to' -> 'to')" \
  jcheck '"in order to" in diags("rewrite.txt", "quote-altered", 6)[0]["message"]'
ok "key: the altered quote points at its source, original.txt line 6" \
  jcheck 'any(r["path"].endswith("original.txt") and r["line"] == 6 for r in diags("rewrite.txt", "quote-altered", 6)[0]["related"])'
ok "key: the misspelling is named ('anwser')" \
  jcheck '"anwser" in diags("copy.txt", "quote-altered", 27)[0]["message"]'
ok "key: the speaker mismatch names both speakers" \
  jcheck 'all(n in diags("rewrite.txt", "speaker-mismatch", 8)[0]["message"] for n in ("Reyes", "Quill"))'
ok "key: entity-unsupported is info, the others warnings (default severities)" \
  jcheck 'all(x["severity"] == ("info" if x["rule"] == "entity-unsupported" else "warning") for x in d["diagnostics"]) and len(d["diagnostics"]) > 0'

# What must NOT be reported: these hold whatever the checker finds.
ok "copy.txt: no quote or speaker warning except the misspelt quote (line 27)" \
  jcheck 'not [x for x in diags("copy.txt") if (x["rule"].startswith("quote-") or x["rule"] == "speaker-mismatch") and x["line"] != 27]'
ok "copy.txt: no other finding at all (curly vs straight, truncation, continued quote)" \
  jcheck 'not [x for x in diags("copy.txt") if x["line"] != 27]'
ok "rewrite.txt: quote and speaker warnings only on lines 5 to 8" \
  jcheck 'not [x for x in diags("rewrite.txt") if (x["rule"].startswith("quote-") or x["rule"] == "speaker-mismatch") and x["line"] not in (5, 6, 7, 8)]'
ok "rewrite.txt: the verbatim quote on line 3 passes" jcheck 'not diags("rewrite.txt", line=3)'

# All three files checked, each against the others: the rewrite's speaker
# mismatch still shows (the original names Quill outright, whatever the
# copy's "she said" resolves to), and the copy and the rewrite raise no
# other speaker finding.
run check --format json "$ORIG" "$COPY" "$REWRITE"
ok "three checked files: speaker-mismatch on rewrite.txt line 8" \
  jcheck 'diags("rewrite.txt", "speaker-mismatch", 8)'
ok "three checked files: no other speaker-mismatch in the copy or the rewrite" \
  jcheck 'not [x for x in diags("copy.txt", "speaker-mismatch") + diags("rewrite.txt", "speaker-mismatch") if not (x["path"].endswith("rewrite.txt") and x["line"] == 8)]'
cp "$TMP/story.json" "$TMP/out"
ok "rewrite.txt: the truncated quotes on lines 12 and 14 pass" \
  jcheck 'not [x for x in diags("rewrite.txt", line=12) + diags("rewrite.txt", line=14) if x["rule"].startswith("quote-")]'
ok "rewrite.txt: number-mismatch only for the number that changed" \
  jcheck 'all(x["line"] == 2 for x in diags("rewrite.txt", "number-mismatch"))'
ok "rewrite.txt: name-variant only for 'Vargha'" \
  jcheck 'all(x["line"] == 12 for x in diags("rewrite.txt", "name-variant"))'
ok "rewrite.txt: entity-unsupported only for what no source mentions" \
  jcheck 'all(x["line"] in (4, 11) for x in diags("rewrite.txt", "entity-unsupported"))'
ok "rewrite.txt: one unbalanced quote, the unclosed one" \
  jcheck 'all(x["line"] == 9 for x in diags("rewrite.txt", "unbalanced-quote"))'
ok "no diagnostic on a name in quotation marks ('Northern Star', 'Operation Steady Hands')" \
  jcheck 'not [x for x in d["diagnostics"] if "Northern Star" in span(x["path"], x) or "Steady Hands" in span(x["path"], x)]'

# ------------------------------------------------------ quote counterparts
rel() { # FILE WORDS RELATION: the checked quote holding WORDS has that match in original.txt
  jcheck '[m["relation"] for q in d["quotes"] if q["path"].endswith("'"$1"'") and "'"$2"'" in span(q["path"], q) for m in q["matches"] if m["path"].endswith("original.txt")][:1] == ["'"$3"'"]'
}
ok "copy: 'We were lucky' (straight marks) is verbatim" rel copy.txt "We were lucky" verbatim
ok "copy: 'The minister has asked' is verbatim" rel copy.txt "The minister has asked" verbatim
ok "copy: the nested quote is verbatim" rel copy.txt "I do not trust this crane" verbatim
ok "copy: the continued quote is verbatim" rel copy.txt "By the time I turned round" verbatim
ok "copy: 'suspended all lifting at North Quay' is a fragment" rel copy.txt "suspended all lifting" fragment
ok "copy: the misspelt quote is altered" rel copy.txt "anwser" altered
ok "rewrite: 'We were lucky' is verbatim" rel rewrite.txt "We were lucky" verbatim
ok "rewrite: 'in order to' dropped: altered" rel rewrite.txt "to see who signed off" altered
ok "rewrite: the reporter's words put in marks: extended" rel rewrite.txt "Our members had complained" extended
ok "rewrite: 'cut back to almost nothing.' (the whole quote, a full stop for the comma) is verbatim" rel rewrite.txt "cut back to almost nothing" verbatim
ok "rewrite: 'suspended all lifting' is a fragment" rel rewrite.txt "suspended all lifting" fragment
ok "rewrite: the invented quote has no verbatim or fragment counterpart" \
  jcheck 'not [m for q in d["quotes"] if q["path"].endswith("rewrite.txt") and "on my watch" in span(q["path"], q) for m in q["matches"] if m["relation"] in ("verbatim", "fragment")]'

# ---------------------------------------------------------------- vimgrep
run check --format vimgrep --source "$ORIG" "$COPY" "$REWRITE"
ok "vimgrep: no crash" no_crash
bad=$(printf '%s' "$OUT" | grep -v -x -E "$VIMGREP" || true)
is "$bad" "" "vimgrep: every line is path:line:col: severity: message [rule]"
want=$(python3 - "$TMP/story.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
for x in d['diagnostics']:
    msg = ''.join(' ' if c in '\n\r\t' else c for c in x['message'])
    print('%s:%d:%d: %s: %s [%s]' % (x['path'], x['line'], x['col'], x['severity'], msg, x['rule']))
PY
)
is "$OUT" "$want" "vimgrep: the same findings, places and messages as the JSON"
like_line "$OUT" "$REWRITE:6:[0-9]+: warning: .*in order to.* \[quote-altered\]" "vimgrep: the altered quote on rewrite.txt line 6"

# ------------------------------------------------------------------- text
run check --source "$ORIG" "$COPY" "$REWRITE"
ok "text: no crash" no_crash
summary=$(python3 - "$TMP/story.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
n = lambda *s: sum(x['severity'] in s for x in d['diagnostics'])
e, w, o = n('error'), n('warning'), n('info', 'hint')
print('%d error%s, %d warning%s, %d note%s' % (e, '' if e == 1 else 's', w, '' if w == 1 else 's', o, '' if o == 1 else 's'))
PY
)
is "$(printf '%s\n' "$OUT" | tail -n 1)" "$summary" "text: ends with a count of errors, warnings and notes"
bad=$(printf '%s\n' "$OUT" | sed '$d' | grep -v -x -E "$VIMGREP|    see [^:]+:[0-9]+:[0-9]+" || true)
is "$bad" "" "text: findings as in vimgrep, each followed by where to look"
like_line "$OUT" "    see $ORIG:6:[0-9]+" "text: 'see' names the source of the altered quote"

# ------------------------------------------------------------ exit status
run check --format json --source "$ORIG" "$COPY" "$REWRITE"
has_error=$(jcheck 'any(x["severity"] == "error" for x in d["diagnostics"])' && echo 1 || echo 0)
is "$RC" "$has_error" "the story has warnings, not errors: exit 0 by default"
run check --fail-on warning --source "$ORIG" "$COPY" "$REWRITE"
is "$RC" 1 "--fail-on warning: the story's warnings give exit 1"
run check --fail-on info --source "$ORIG" "$REWRITE"
is "$RC" 1 "--fail-on info: entity-unsupported notes give exit 1"
run check --rule number-mismatch=error --source "$ORIG" "$REWRITE"
is "$RC" 1 "--rule number-mismatch=error: exit 1 by default"
run check --format json --rule number-mismatch=error --source "$ORIG" "$REWRITE"
ok "--rule number-mismatch=error: the finding is an error" \
  jcheck 'diags("rewrite.txt", "number-mismatch") and all(x["severity"] == "error" for x in diags("rewrite.txt", "number-mismatch"))'
run check --fail-on off --rule number-mismatch=error --source "$ORIG" "$REWRITE"
is "$RC" 0 "--fail-on off: exit 0 even with errors"
run check --fail-on error --source "$ORIG" "$COPY"
is "$RC" 0 "--fail-on error: the copy's warning does not fail"

# ------------------------------------------------------------ rule config
for r in quote-altered quote-unsourced quote-from-paraphrase speaker-mismatch name-variant number-mismatch entity-unsupported unbalanced-quote; do
  run check --format json --rule "$r=off" --source "$ORIG" "$COPY" "$REWRITE"
  ok "--rule $r=off: no $r finding, no crash" jcheck 'not [x for x in d["diagnostics"] if x["rule"] == "'$r'"]'
done
run check --format json --rule quote-altered=off --source "$ORIG" "$COPY" "$REWRITE"
ok "--rule quote-altered=off leaves the other rules on" \
  jcheck 'diags("rewrite.txt", "entity-unsupported") and diags("rewrite.txt", "number-mismatch")'
run check --format json --option rule.name-variant=off --source "$ORIG" "$REWRITE"
ok "--option rule.name-variant=off silences name-variant, keeps the rest" \
  jcheck 'not diags("rewrite.txt", "name-variant") and diags("rewrite.txt", "number-mismatch")'
run check --format json --rule entity-unsupported=warning --source "$ORIG" "$REWRITE"
ok "--rule entity-unsupported=warning raises its severity" \
  jcheck 'diags("rewrite.txt", "entity-unsupported") and all(x["severity"] == "warning" for x in diags("rewrite.txt", "entity-unsupported"))'
run check --format json --rule quote-altered=off --rule quote-altered=on --source "$ORIG" "$COPY"
ok "--rule RULE=on restores a rule switched off earlier" no_crash

# ------------------------------------------------------ inline fixtures
# A source and drafts that must pass without a quote warning.
cat >"$TMP/src.txt" <<'TXT'
Mayor Ana Ruiz said the Old Mill bridge would reopen on Monday. "We will reopen the bridge on Monday in order to ease the traffic on the ring road," Ruiz said.
TXT
cat >"$TMP/same.txt" <<'TXT'
The Old Mill bridge reopens on Monday, Mayor Ana Ruiz said. “We will reopen the bridge on Monday in order to ease the traffic on the ring road,” Ruiz said.
TXT
cat >"$TMP/punct.txt" <<'TXT'
Mayor Ana Ruiz: "We will reopen the bridge on Monday, in order to ease the traffic on the ring road!" Ruiz said.
TXT
cat >"$TMP/short.txt" <<'TXT'
The bridge will reopen "in order to ease the traffic on the ring road", Mayor Ana Ruiz said.
TXT
cat >"$TMP/altered.txt" <<'TXT'
"We will reopen the bridge on Monday to ease the traffic on the ring road," Mayor Ana Ruiz said.
TXT
cat >"$TMP/other.txt" <<'TXT'
"We will reopen the bridge on Monday in order to ease the traffic on the ring road," said Tom Hale, a spokesman for the council.
TXT
for f in same punct short; do
  run check --format json --source "$TMP/src.txt" "$TMP/$f.txt"
  ok "fixture $f.txt: no quote or speaker warning" \
    jcheck 'not [x for x in d["diagnostics"] if x["rule"].startswith("quote-") or x["rule"] == "speaker-mismatch"]'
done
run check --format json "$TMP/src.txt" "$TMP/same.txt"
ok "the same quote with the same speaker in two checked files: no warning" \
  jcheck 'not [x for x in d["diagnostics"] if x["rule"].startswith("quote-") or x["rule"] == "speaker-mismatch"]'
run check --format json --source "$TMP/src.txt" "$TMP/same.txt"
ok "fixture same.txt: the quote pairs as verbatim" \
  jcheck 'any(m["relation"] == "verbatim" for q in d["quotes"] for m in q["matches"])'
run check --format json --source "$TMP/src.txt" "$TMP/short.txt"
ok "fixture short.txt: the truncated quote pairs as a fragment" \
  jcheck 'any(m["relation"] == "fragment" for q in d["quotes"] for m in q["matches"])'
run check --format json --source "$TMP/src.txt" "$TMP/altered.txt"
ok "fixture altered.txt: quote-altered" jcheck 'diags("altered.txt", "quote-altered")'
run check --format json --source "$TMP/src.txt" "$TMP/other.txt"
ok "fixture other.txt: speaker-mismatch (Hale, not Ruiz)" jcheck 'diags("other.txt", "speaker-mismatch")'

# Checking the original against an identical copy of itself.
cp "$ORIG" "$TMP/same-as-original.txt"
run check --format json --source "$ORIG" "$TMP/same-as-original.txt"
ok "an identical copy of the source: no warning at all" \
  jcheck 'not [x for x in d["diagnostics"] if x["severity"] in ("warning", "error")]'

done_testing
