#!/usr/bin/env bash
# verbatim analyze: the JSON contract, the text report, and what it finds in
# the example story (examples/story/README.md).
. "$VB_ROOT/tests/cli/lib.sh"

TYPES='{"PERSON","ORG","PLACE","TITLE","DATE","NUMBER","MONEY","PERCENT","EVENT","MISC"}'
MARKS='("\u201c","\u201d","\u2018","\u2019","\"","\u00ab","\u00bb","\u201e","\u2039","\u203a","\x27")'

# ------------------------------------------------------------ JSON shape
run analyze --format json "$ORIG" "$COPY" "$REWRITE"
is "$RC" 0 "analyze the story: exit 0"
is "$ERR" "" "analyze the story: nothing on stderr"
ok "analyze --format json prints JSON" is_json
ok "one document per file, in the order given" \
  jcheck '[x["path"] for x in d["documents"]] == ["'"$ORIG"'", "'"$COPY"'", "'"$REWRITE"'"]'
ok "every document has encoding, entities and quotes" \
  jcheck 'all(x["encoding"] == "utf-8" and isinstance(x["entities"], list) and isinstance(x["quotes"], list) for x in d["documents"])'
ok "entities: start < end inside the file, a known type, text equal to the bytes, a canonical form" \
  jcheck 'all(isinstance(e["start"], int) and 0 <= e["start"] < e["end"] <= len(B(x["path"])) and e["type"] in '"$TYPES"' and e["text"] == span(x["path"], e) and isinstance(e["canonical"], str) and e["canonical"] for x in d["documents"] for e in x["entities"])'
ok "entities are in text order" \
  jcheck 'all([e["start"] for e in x["entities"]] == sorted(e["start"] for e in x["entities"]) for x in d["documents"])'
ok "quotes: start < end inside the file, a known kind, text inside the span" \
  jcheck 'all(0 <= q["start"] < q["end"] <= len(B(x["path"])) and q["kind"] in ("direct", "partial", "term") and q["text"] in span(x["path"], q) for x in d["documents"] for q in x["quotes"])'
ok "quotes: start on a quotation mark, line and col agree with start" \
  jcheck 'all(span(x["path"], q).startswith('"$MARKS"') and q["line"] == line_of(x["path"], q["start"]) and q["col"] == col_of(x["path"], q["start"]) for x in d["documents"] for q in x["quotes"])'
ok "quotes: speaker is null or a name with a span inside the file" \
  jcheck 'all(q["speaker"] is None or (q["speaker"]["name"] and 0 <= q["speaker"]["start"] < q["speaker"]["end"] <= len(B(x["path"]))) for x in d["documents"] for q in x["quotes"])'
ok "quotes are in text order and do not start inside each other unless nested" \
  jcheck 'all([q["start"] for q in x["quotes"]] == sorted(q["start"] for q in x["quotes"]) for x in d["documents"])'

run analyze --format json "$ORIG"
cp "$TMP/out" "$TMP/orig.json"
run analyze --format json "$ORIG" "$COPY"
ok "a document's analysis does not depend on the other files given" \
  jcheck 'd["documents"][0] == json.load(open("'"$TMP/orig.json"'"))["documents"][0]'

# ---------------------------------------------------- entities (story)
run analyze --format json "$ORIG" "$COPY" "$REWRITE"
for t in PERSON ORG PLACE TITLE DATE NUMBER MONEY PERCENT EVENT; do
  ok "original.txt has a $t entity" jcheck 'any(e["type"] == "'$t'" for e in docs("original.txt")["entities"])'
done
ok "'Elena Varga' is a PERSON" \
  jcheck 'any(e["type"] == "PERSON" and e["text"] == "Elena Varga" for e in docs("original.txt")["entities"])'
ok "'Harbour Minister' is a TITLE" \
  jcheck 'any(e["type"] == "TITLE" and e["text"] == "Harbour Minister" for e in docs("original.txt")["entities"])'
ok "'Varga' alone resolves to 'Elena Varga'" \
  jcheck 'any(e["text"] == "Varga" and e["canonical"] == "Elena Varga" for e in docs("original.txt")["entities"])'
ok "'Reyes' resolves to 'Tomas Reyes'" \
  jcheck 'any(e["text"] == "Reyes" and e["canonical"] == "Tomas Reyes" for e in docs("original.txt")["entities"])'
ok "'Baltic Gate Terminals' is an ORG" \
  jcheck 'any(e["type"] == "ORG" and e["text"] == "Baltic Gate Terminals" for e in docs("original.txt")["entities"])'
ok "'Castellan Port Authority' is an ORG" \
  jcheck 'any(e["type"] == "ORG" and "Castellan Port Authority" in e["text"] for e in docs("original.txt")["entities"])'
ok "'Lisbon' is a PLACE" \
  jcheck 'any(e["type"] == "PLACE" and e["text"] == "Lisbon" for e in docs("original.txt")["entities"])'
ok "'\$2 million' is MONEY" \
  jcheck 'any(e["type"] == "MONEY" and "2 million" in e["text"] for e in docs("original.txt")["entities"])'
ok "'17%' is a PERCENT" \
  jcheck 'any(e["type"] == "PERCENT" and "17" in e["text"] for e in docs("original.txt")["entities"])'
ok "'March 3' is a DATE" \
  jcheck 'any(e["type"] == "DATE" and "March 3" in e["text"] for e in docs("original.txt")["entities"])'
ok "'Harbour Safety Week' is an EVENT" \
  jcheck 'any(e["type"] == "EVENT" and "Harbour Safety Week" in e["text"] for e in docs("original.txt")["entities"])'
ok "pronouns are not entities" \
  jcheck 'not any(e["text"].lower() in ("she", "he", "her", "him", "they") for x in d["documents"] for e in x["entities"])'

# ---------------------------------------------------- quotes (story)
ok "original.txt: 13 quotations of speech and 2 names in quotation marks" \
  jcheck 'sum(q["kind"] != "term" for q in docs("original.txt")["quotes"]) == 13 and sum(q["kind"] == "term" for q in docs("original.txt")["quotes"]) == 2'
ok "curly marks: 'We were lucky...' is direct speech, without its marks" \
  jcheck 'quote(docs("original.txt"), "We were lucky")["kind"] == "direct" and quote(docs("original.txt"), "We were lucky")["text"].startswith("We were") and quote(docs("original.txt"), "We were lucky")["text"].rstrip(",").endswith("policy")'
ok "straight marks: 'I will answer for...' is found whole (two sentences)" \
  jcheck 'quote(docs("original.txt"), "I will answer for")["text"].rstrip(".").endswith("That is what the inquiry is for")'
ok "a mixed pair (opened curly, closed straight) is one quotation" \
  jcheck 'span("'"$ORIG"'", quote(docs("original.txt"), "We are cooperating fully")).endswith("North Quay,\"")'
ok "a nested quotation in single marks is found" \
  jcheck 'quote(docs("original.txt"), "I do not trust this crane in a crosswind") is not None'
ok "the outer quotation around the nested one is found whole" \
  jcheck 'quote(docs("original.txt"), "One of the drivers wrote")["text"].rstrip(".").endswith("nobody answered him")'
ok "a quotation left open at the end of a paragraph stops there" \
  jcheck 'line_of("'"$ORIG"'", quote(docs("original.txt"), "I shouted at everyone")["end"] - 1) == 9'
ok "the next paragraph, which reopens, is a quotation of its own" \
  jcheck 'quote(docs("original.txt"), "By the time I turned round")["line"] == 10'
ok "a partial quote woven into a sentence is 'partial'" \
  jcheck 'quote(docs("original.txt"), "full and independent inquiry")["kind"] == "partial"'
ok "'a patch on a patch' is 'partial'" \
  jcheck 'quote(docs("original.txt"), "a patch on a patch")["kind"] == "partial"'
ok "the ship's name in single marks is a term, not speech" \
  jcheck 'quote(docs("original.txt"), "Northern Star")["kind"] == "term"'
ok "the scheme's name in double marks is a term, not speech" \
  jcheck 'quote(docs("original.txt"), "Operation Steady Hands")["kind"] == "term"'
ok "the copy's ship name in double marks is a term" \
  jcheck 'quote(docs("copy.txt"), "Northern Star")["kind"] == "term"'
ok "apostrophes are not quotation marks (Dockworkers' Union, St Brigid's, country's)" \
  jcheck 'not any(q["text"].startswith(("Union", "s Hospital", "s busiest", "s brakes")) for x in d["documents"] for q in x["quotes"])'

# ---------------------------------------------------- speakers (story)
ok "'\"...,\" Varga said': Varga" jcheck 'surname(quote(docs("original.txt"), "We were lucky")) == "Varga"'
ok "'\"...,\" X, a spokesman for Y, said': the spokesman, not the authority" \
  jcheck 'surname(quote(docs("original.txt"), "The minister has asked")) == "Osei"'
ok "'\"...,\" said Reyes': Reyes" jcheck 'surname(quote(docs("original.txt"), "Our people told")) == "Reyes"'
ok "a second quote in the same paragraph keeps the speaker" \
  jcheck 'surname(quote(docs("original.txt"), "One of the drivers wrote")) == "Reyes"'
ok "'said Marta Quill, 41, a lashing supervisor': Quill" \
  jcheck 'surname(quote(docs("original.txt"), "When a crane that size")) == "Quill"'
ok "'\"...,\" she said' resolves to Quill" \
  jcheck 'surname(quote(docs("original.txt"), "By the time I turned round")) == "Quill"'
ok "'\"...,\" she said': the speaker span is the pronoun" \
  jcheck 'span("'"$ORIG"'", quote(docs("original.txt"), "By the time I turned round")["speaker"]) == "she"'
ok "'according to Reyes': Reyes" jcheck 'surname(quote(docs("original.txt"), "cut back to almost nothing")) == "Reyes"'
ok "'Varga said: \"...\"': Varga" jcheck 'surname(quote(docs("original.txt"), "I will answer for")) == "Varga"'
ok "'Reyes, said the repairs ... were \"a patch on a patch\"': Reyes" \
  jcheck 'surname(quote(docs("original.txt"), "a patch on a patch")) == "Reyes"'
ok "copy: '\"...,\" she told reporters' resolves to Varga" \
  jcheck 'surname(quote(docs("copy.txt"), "We were lucky")) == "Varga"'
ok "copy: 'Reyes said' after the quote" jcheck 'surname(quote(docs("copy.txt"), "Our people told")) == "Reyes"'
ok "copy: 'she said' after a sentence naming Marta Quill" \
  jcheck 'surname(quote(docs("copy.txt"), "When a crane that size")) == "Quill"'
ok "copy: the paragraph that continues the quote keeps its speaker" \
  jcheck 'surname(quote(docs("copy.txt"), "By the time I turned round")) == "Quill"'
ok "rewrite: 'Reyes said' (the wrong speaker, as written)" \
  jcheck 'surname(quote(docs("rewrite.txt"), "When a crane that size")) == "Reyes"'
ok "rewrite: 'said Tomas Reyes, general secretary of ...': Reyes" \
  jcheck 'surname(quote(docs("rewrite.txt"), "Our members had complained")) == "Reyes"'
ok "rewrite: the unclosed quote stays inside its paragraph" \
  jcheck 'line_of("'"$REWRITE"'", quote(docs("rewrite.txt"), "I shouted at everyone")["end"] - 1) == 9'
ok "no speaker is a name inside a quotation" \
  jcheck 'not any(q["start"] <= o["speaker"]["start"] < q["end"] for x in d["documents"] for o in x["quotes"] if o["speaker"] for q in x["quotes"] if q["kind"] != "term")'

# ---------------------------------------------------------- text output
run analyze "$ORIG" "$COPY" "$REWRITE"
is "$RC" 0 "analyze text: exit 0"
for f in "$ORIG" "$COPY" "$REWRITE"; do
  like_line "$OUT" "$f: [0-9]+ quotations?, [0-9]+ entit(y|ies)" "analyze text: a header line for ${f##*/}"
done
bad=$(printf '%s\n' "$OUT" | grep -v -E '^(\S.*: [0-9]+ quotations?, [0-9]+ entit(y|ies)|  \S+:[0-9]+:[0-9]+: (direct|partial|term) +.+: ".*"|  [A-Z]+: .+)$' || true)
is "$bad" "" "analyze text: every line is a header, a quotation or an entity group"
like_line "$OUT" "  $ORIG:3:[0-9]+: direct +Elena Varga: \"We were lucky this morning.*" "analyze text: a quotation line with place, kind and speaker"
like_line "$OUT" "  $ORIG:4:[0-9]+: term .*Northern Star.*" "analyze text: the ship's name listed as a term"
like_line "$OUT" "  PERSON: (.*, )?Elena Varga \([0-9]+\).*" "analyze text: people grouped, with how often they appear"
like_line "$OUT" "  ORG: (.*, )?Castellan Port Authority.*" "analyze text: organisations grouped"
like_line "$OUT" "  MONEY: (.*, )?\\\$2 million.*" "analyze text: money grouped"

# each type on one line, each name once with its count, in order of first mention
printf 'Mayor Ada Quell met Tomas Brenn in Karsk on Monday.\n\nBrenn said Quell was late. Quell left for Lisbon on Tuesday, and Brenn stayed in Karsk.\n\nAda Quell returned on Friday.\n' >"$TMP/groups.txt"
run analyze "$TMP/groups.txt"
is "$(printf '%s\n' "$OUT" | tail -n +2)" "  PERSON: Ada Quell (4), Tomas Brenn (3)
  PLACE: Karsk (2), Lisbon
  TITLE: Mayor
  DATE: Monday, Tuesday, Friday" "analyze text: groups by type, counts, first mention first"
# many distinct names: grouping stays fast (it once compared every pair)
awk 'BEGIN { for (i = 1; i <= 12000; i++) printf "Mayor Person%05d Quell met Minister Other%05d Brenn.\n\n", i, i }' >"$TMP/many.txt"
start=$(date +%s)
run analyze "$TMP/many.txt"
is "$RC" 0 "analyze text: a document with 24,000 distinct names"
like_line "$OUT" "  TITLE: Mayor \(12000\), Minister \(12000\)" "analyze text: 24,000 distinct names, counted"
if [ -n "${VB_VALGRIND:-}" ]; then
  skip "timing under valgrind"
else
  ok "analyze text: 24,000 distinct names grouped in seconds" [ $(($(date +%s) - start)) -lt 5 ]
fi

done_testing
