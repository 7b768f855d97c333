#!/usr/bin/env bash
# verbatim align and verbatim related: JSON shapes, text output, and what
# they find in the example story.
. "$VB_ROOT/tests/cli/lib.sh"

# ------------------------------------------------------------------ align
run align --format json --target "$REWRITE" "$ORIG" "$COPY"
is "$RC" 0 "align the rewrite: exit 0"
is "$ERR" "" "align: nothing on stderr"
ok "align: target, coverage, reuse and spans" \
  jcheck 'd["target"] == "'"$REWRITE"'" and set(d["coverage"]) >= {"verbatim", "rewrite", "new"} and d["reuse"] in ("wholly", "partially", "none") and isinstance(d["spans"], list)'
ok "align: coverage shares lie in 0..1 and sum to 1" \
  jcheck 'all(0 <= d["coverage"][k] <= 1 for k in ("verbatim", "rewrite", "new")) and abs(sum(d["coverage"][k] for k in ("verbatim", "rewrite", "new")) - 1) < 0.01'
ok "align: spans lie in the target and in a given source, in target order" \
  jcheck 'all(0 <= s["start"] < s["end"] <= len(B(d["target"])) and s["relation"] in ("verbatim", "rewrite") and s["source"] in ("'"$ORIG"'", "'"$COPY"'") and 0 <= s["source_start"] < s["source_end"] <= len(B(s["source"])) for s in d["spans"]) and [s["start"] for s in d["spans"]] == sorted(s["start"] for s in d["spans"])'
ok "align: spans do not overlap" \
  jcheck 'all(a["end"] <= b["start"] for a, b in zip(d["spans"], d["spans"][1:]))'
ok "align: verbatim spans hold the same words as their source" \
  jcheck 'all(span(d["target"], s).split() == B(s["source"])[s["source_start"]:s["source_end"]].decode("utf-8", "replace").split() for s in d["spans"] if s["relation"] == "verbatim")'
ok "align: the careless rewrite is derived from its sources" jcheck 'd["reuse"] in ("wholly", "partially")'
ok "align: the rewrite has both verbatim and rewritten stretches" \
  jcheck '{"verbatim", "rewrite"} <= {s["relation"] for s in d["spans"]}'
run align --format json --target "$COPY" "$ORIG"
ok "align: the reworded copy comes wholly from the original" jcheck 'd["reuse"] == "wholly"'
ok "align: most of the copy is rewritten or verbatim" jcheck 'd["coverage"]["new"] < 0.3'
cp "$ORIG" "$TMP/dup.txt"
run align --format json --target "$TMP/dup.txt" "$ORIG"
ok "align: an identical file is wholly verbatim" \
  jcheck 'd["reuse"] == "wholly" and d["coverage"]["verbatim"] > 0.95'
cat >"$TMP/unrelated.txt" <<'TXT'
The village choir of Upper Fenwick won the county singing contest on Saturday with a programme of folk songs, and will perform at the cathedral next spring.
TXT
run align --format json --target "$TMP/unrelated.txt" "$ORIG"
ok "align: an unrelated text is not derived" jcheck 'd["reuse"] == "none" and d["coverage"]["new"] > 0.9'

run align --target "$REWRITE" "$ORIG"
is "$RC" 0 "align text: exit 0"
like_line "$OUT" "$REWRITE: (wholly|partially|none) derived \(verbatim [0-9]+%, rewritten [0-9]+%, new [0-9]+%\)" \
  "align text: a summary line with the shares"
bad=$(printf '%s\n' "$OUT" | sed 1d | grep -v -x -E "  [^:]+:[0-9]+:[0-9]+: (verbatim|rewrite) +from [^:]+:[0-9]+:[0-9]+" || true)
is "$bad" "" "align text: then one line per span, with where it comes from"

# ---------------------------------------------------------------- related
run related --format json --at "$REWRITE:6" "$ORIG" "$COPY"
is "$RC" 0 "related: exit 0"
is "$ERR" "" "related: nothing on stderr"
ok "related: the query is the paragraph at the given line" \
  jcheck 'd["query"]["path"] == "'"$REWRITE"'" and line_of(d["query"]["path"], d["query"]["start"]) == 6 and col_of(d["query"]["path"], d["query"]["start"]) == 1 and B(d["query"]["path"])[d["query"]["start"]:d["query"]["end"]].rstrip(b"\n").count(b"\n") == 0 and d["query"]["end"] > d["query"]["start"]'
ok "related: passages with path, span, line/col, score, relation and aligned stretches" \
  jcheck 'all(p["path"] in ("'"$ORIG"'", "'"$COPY"'") and 0 <= p["start"] < p["end"] <= len(B(p["path"])) and p["line"] == line_of(p["path"], p["start"]) and 0 <= p["score"] <= 1 and p["relation"] in ("verbatim", "rewrite", "related") and isinstance(p["aligned"], list) for p in d["passages"])'
ok "related: aligned stretches lie in the query and in the passage" \
  jcheck 'all(d["query"]["start"] <= a["start"] < a["end"] <= d["query"]["end"] and p["start"] <= a["source_start"] < a["source_end"] <= p["end"] for p in d["passages"] for a in p["aligned"])'
ok "related: best first" \
  jcheck '[p["score"] for p in d["passages"]] == sorted((p["score"] for p in d["passages"]), reverse=True)'
ok "related: never the query document itself" \
  jcheck 'not [p for p in d["passages"] if p["path"] == "'"$REWRITE"'"]'
ok "related: the best passage is the spokesman's quote, original.txt line 6 or copy.txt line 11" \
  jcheck '(d["passages"][0]["path"], d["passages"][0]["line"]) in (("'"$ORIG"'", 6), ("'"$COPY"'", 11))'
ok "related: it is a rewrite of it (one phrase dropped)" \
  jcheck 'd["passages"][0]["relation"] in ("rewrite", "verbatim") and d["passages"][0]["aligned"]'

run related --format json --max 1 --at "$REWRITE:6" "$ORIG" "$COPY"
ok "related --max 1: at most one passage" jcheck 'len(d["passages"]) <= 1'

run related --format json --at "$REWRITE:6:10" "$ORIG" "$COPY"
ok "related --at FILE:LINE:COL: the same paragraph" \
  jcheck 'line_of(d["query"]["path"], d["query"]["start"]) == 6'

run related --format json --at "$COPY:4" "$ORIG"
ok "related at a blank line: no crash, JSON" is_json

run related --format json --at "$REWRITE:999" "$ORIG"
ok "related past the last line: no crash, JSON" is_json

run related --at "$REWRITE:6" "$ORIG" "$COPY"
is "$RC" 0 "related text: exit 0"
like "$OUT" "^related to $REWRITE:6:" "related text: says what it relates to"
bad=$(printf '%s\n' "$OUT" | sed 1d | grep -v -x -E "  \(nothing related\)|  [01]\.[0-9]{2} (verbatim|rewrite|related) +[^:]+:[0-9]+:[0-9]+" || true)
is "$bad" "" "related text: one line per passage with score, relation and place"

done_testing
