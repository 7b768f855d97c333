#!/usr/bin/env bash
# Usage, help, version and exit statuses of the verbatim command.
. "$VB_ROOT/tests/cli/lib.sh"

# ---------------------------------------------------------------- help
run --help
is "$RC" 0 "--help exits 0"
like "$OUT" '^usage: verbatim COMMAND' "--help prints the usage on stdout"
for cmd in analyze check align related; do
  like "$OUT" "  $cmd " "--help lists the $cmd command"
done
like "$OUT" 'Exit status: 0 success' "--help documents the exit statuses"
is "$ERR" "" "--help writes nothing to stderr"

run -h
is "$RC" 0 "-h exits 0"
like "$OUT" '^usage: verbatim' "-h prints the usage"

run check --help
is "$RC" 0 "check --help exits 0"
like "$OUT" '^usage: verbatim' "check --help prints the usage"

# ------------------------------------------------------------- version
want=$(sed -n 's/^#define VB_VERSION_STRING "\(.*\)"/\1/p' "$VB_ROOT/include/verbatim.h")
run --version
is "$RC" 0 "--version exits 0"
is "$OUT" "verbatim $want" "--version prints the header's version"

# ----------------------------------------------------- bad usage: exit 2
run
is "$RC" 2 "no arguments: exit 2"
like "$ERR" 'usage: verbatim' "no arguments: usage on stderr"
is "$OUT" "" "no arguments: nothing on stdout"

run frobnicate "$ORIG"
is "$RC" 2 "unknown command: exit 2"
like "$ERR" "unknown command 'frobnicate'" "unknown command: named in the message"
like "$ERR" "verbatim --help" "unknown command: points at --help"

run analyze --frob "$ORIG"
is "$RC" 2 "unknown option: exit 2"
like "$ERR" "unknown option '--frob'" "unknown option: named in the message"

run analyze -x "$ORIG"
is "$RC" 2 "unknown short option: exit 2"

run analyze --format xml "$ORIG"
is "$RC" 2 "unknown format: exit 2"
like "$ERR" "unknown format 'xml'" "unknown format: named in the message"

run analyze --format vimgrep "$ORIG"
is "$RC" 2 "vimgrep is for check only: analyze --format vimgrep exits 2"

run align --format vimgrep --target "$COPY" "$ORIG"
is "$RC" 2 "align --format vimgrep exits 2"

run check --format vimgrep --source "$ORIG" "$COPY"
ok "check --format vimgrep is accepted" no_crash
unlike "$ERR" "unknown format" "check --format vimgrep: no usage error"

run check --source
is "$RC" 2 "option without its value: exit 2"
like "$ERR" "'--source' needs a value" "option without its value: named"

run analyze
is "$RC" 2 "analyze without files: exit 2"
like "$ERR" "no files" "analyze without files: says so"

run check --source "$ORIG"
is "$RC" 2 "check with sources only: exit 2"

run align "$ORIG" "$COPY"
is "$RC" 2 "align without --target: exit 2"
like "$ERR" "--target" "align without --target: names --target"

run align --target "$REWRITE"
is "$RC" 2 "align without sources: exit 2"

run related "$ORIG" "$COPY"
is "$RC" 2 "related without --at: exit 2"
like "$ERR" "--at" "related without --at: names --at"

run related --at "$ORIG" "$COPY"
is "$RC" 2 "related --at without a line: exit 2"
run related --at "$ORIG:0" "$COPY"
is "$RC" 2 "related --at line 0: exit 2"
run related --at "$ORIG:three" "$COPY"
is "$RC" 2 "related --at with a word for a line: exit 2"

run related --max 0 --at "$ORIG:3" "$COPY"
is "$RC" 2 "--max 0: exit 2"
run related --max ten --at "$ORIG:3" "$COPY"
is "$RC" 2 "--max ten: exit 2"

run check --rule quote-altered --source "$ORIG" "$COPY"
is "$RC" 2 "--rule without =: exit 2"
like "$ERR" "NAME=VALUE" "--rule without =: says what is wanted"

run check --rule no-such-rule=off --source "$ORIG" "$COPY"
is "$RC" 2 "--rule with an unknown rule: exit 2"
like "$ERR" "no-such-rule" "--rule with an unknown rule: named"

run check --rule quote-altered=loud --source "$ORIG" "$COPY"
is "$RC" 2 "--rule with an unknown severity: exit 2"
like "$ERR" "loud" "--rule with an unknown severity: named"

run check --option no.such.option=1 --source "$ORIG" "$COPY"
is "$RC" 2 "--option with an unknown name: exit 2"

run check --fail-on sometimes --source "$ORIG" "$COPY"
is "$RC" 2 "--fail-on with an unknown severity: exit 2"

# ------------------------------------------- unreadable input: exit 1
missing=$TMP/no-such-file.txt
run analyze "$missing"
is "$RC" 1 "analyze a missing file: exit 1"
like "$ERR" "no-such-file.txt" "analyze a missing file: the file is named"

run analyze --format json "$ORIG" "$missing"
is "$RC" 1 "analyze one good and one missing file: exit 1"
ok "analyze one good and one missing file: the good one is still reported" \
  jcheck 'len(d["documents"]) == 1 and d["documents"][0]["path"].endswith("original.txt")'

run check --source "$missing" "$COPY"
is "$RC" 1 "check with a missing --source: exit 1"
like "$ERR" "no-such-file.txt" "check with a missing --source: the file is named"

run check --source "$ORIG" "$missing"
is "$RC" 1 "check a missing file: exit 1"
like "$ERR" "no-such-file.txt" "check a missing file: the file is named"

run align --target "$missing" "$ORIG"
is "$RC" 1 "align a missing target: exit 1"
like "$ERR" "no-such-file.txt" "align a missing target: the file is named"

run align --target "$COPY" "$missing"
is "$RC" 1 "align against a missing source: exit 1"

run related --at "$missing:1" "$ORIG"
is "$RC" 1 "related at a missing file: exit 1"
like "$ERR" "no-such-file.txt" "related at a missing file: the file is named"

run analyze "$TMP"
is "$RC" 1 "a directory given as a file: exit 1"
like "$ERR" "$TMP" "a directory given as a file: named"

run check --names "$missing" --source "$ORIG" "$COPY"
is "$RC" 1 "a missing --names file: exit 1"
like "$ERR" "no-such-file.txt" "a missing --names file: named"

if [ "$(id -u)" = 0 ]; then
  skip "root can read a mode-000 file" 2
else
  cp "$ORIG" "$TMP/locked.txt"
  chmod 000 "$TMP/locked.txt"
  run analyze "$TMP/locked.txt"
  is "$RC" 1 "a file without read permission: exit 1"
  like "$ERR" "locked.txt: Permission denied" "a file without read permission: named, with the reason"
fi

# ------------------------------------------------------ file arguments
cp "$ORIG" "$TMP/-dash.txt"
run analyze --format json -- "$TMP/-dash.txt"
is "$RC" 0 "-- ends the options"
run analyze --format json -- -dash.txt
is "$RC" 1 "after --, a name starting with - is a file (missing here)"

run_in "$ORIG" analyze --format json -
is "$RC" 0 "- reads standard input"
ok "- reads standard input: one document named -" \
  jcheck 'len(d["documents"]) == 1 and d["documents"][0]["path"] == "-"'

done_testing
