#!/usr/bin/env bash
# The CLI on hostile input: missing, unreadable, directory and binary files,
# odd encodings, limits; and it never modifies the files it reads.
set -u
V=${VERBATIM:-build/verbatim}
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
t() { # t DESCRIPTION COMMAND...: one test, passing when COMMAND succeeds
  local desc=$1
  shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; failed=$((failed + 1)); fi
}
has() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
# valid_json TEXT: TEXT is UTF-8 JSON (checked when python3 is there)
valid_json() {
  command -v python3 >/dev/null || return 0
  printf '%s' "$1" | python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' 2>/dev/null
}
skip() { n=$((n + 1)); echo "ok $n - # SKIP $1"; }

# run ARGS...: sets rc, out, err
run() {
  "$V" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}

printf 'Harbourmaster Ada Quell said "the pier will reopen in May" on Tuesday.\n\n"We are ready," she added.\n' >"$tmp/story.txt"
printf 'Ada Quell said "the pier reopens in May" on Tuesday.\n' >"$tmp/copy.txt"
printf 'Ada Quell\tPERSON\nNorthwind Harbour Authority | ORG\n' >"$tmp/names.txt"

# --- missing, unreadable, directory
run analyze "$tmp/no-such-file.txt"
t "a missing file: exit 1" [ $rc = 1 ]
t "a missing file: the error names it" has "$err" "no-such-file.txt"

run analyze "$tmp"
t "a directory: exit 1" [ $rc = 1 ]
t "a directory: the error names it" has "$err" "$tmp"

run check --source "$tmp" "$tmp/story.txt"
t "a directory as a source: exit 1" [ $rc = 1 ]

cp "$tmp/story.txt" "$tmp/secret.txt"
chmod 000 "$tmp/secret.txt"
if [ "$(id -u)" != 0 ]; then
  run analyze "$tmp/secret.txt"
  t "an unreadable file: exit 1" [ $rc = 1 ]
  t "an unreadable file: the error names it" has "$err" "secret.txt"
  t "an unreadable file: the error says why" has "$err" "ermission"
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
  setpriv --reuid=65534 --regid=65534 --clear-groups "$V" --version >/dev/null 2>&1; then
  # root reads everything: drop to nobody to see a permission error
  setpriv --reuid=65534 --regid=65534 --clear-groups "$V" analyze "$tmp/secret.txt" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  t "an unreadable file: exit 1" [ $rc = 1 ]
  err=$(cat "$tmp/err")
  t "an unreadable file: the error names it" has "$err" "secret.txt"
  t "an unreadable file: the error says why" has "$err" "ermission"
else
  skip "running as root without setpriv: cannot make a file unreadable"
  skip "running as root without setpriv: cannot make a file unreadable"
  skip "running as root without setpriv: cannot make a file unreadable"
fi

run analyze "$tmp/story.txt" "$tmp/no-such-file.txt"
t "one missing file among good ones: exit 1" [ $rc = 1 ]
t "one missing file among good ones: the good one is still reported" has "$out" "story.txt"

# --- binary and odd files
# a deterministic byte soup: every byte value, NULs included, in a scrambled order
i=0
while [ $i -lt 4096 ]; do
  printf "\\$(printf %03o $(((i * 151 + 17) % 256)))"
  i=$((i + 1))
done >"$tmp/binary.bin"
for f in "$tmp/binary.bin" /bin/sh; do
  run analyze "$f"
  t "binary file $(basename "$f"): analysed, exit 0" [ $rc = 0 ]
  run analyze --format json "$f"
  t "binary file $(basename "$f"): the JSON output is valid UTF-8 JSON" valid_json "$out"
  run check --source "$tmp/story.txt" "$f"
  t "binary file $(basename "$f"): checked without a crash (exit $rc)" [ $rc -le 1 ]
done

: >"$tmp/empty.txt"
run analyze "$tmp/empty.txt"
t "an empty file: exit 0" [ $rc = 0 ]
run check --source "$tmp/empty.txt" "$tmp/empty.txt"
t "checking empty files: no crash (exit $rc)" [ $rc -le 1 ]

printf '\357\273\277Ada Quell said "yes."\r\n\r\n\377\376 caf\351 \300\257 \355\240\200' >"$tmp/odd.txt"
run analyze --format json "$tmp/odd.txt"
t "BOM, CRLF and invalid UTF-8: analysed" [ $rc = 0 ]
t "BOM, CRLF and invalid UTF-8: valid JSON" valid_json "$out"
run check --format vimgrep --source "$tmp/odd.txt" "$tmp/story.txt"
t "invalid UTF-8 as a source: checked (exit $rc)" [ $rc -le 1 ]

stdin_reads() { printf 'Ada Quell said "yes."' | "$V" analyze - >"$tmp/out" 2>"$tmp/err"; }
t "text on standard input is read with -" stdin_reads

run analyze /dev/null
t "/dev/null reads as an empty document" [ $rc = 0 ]

# --- limits
run analyze --option limit.doc_bytes=10 "$tmp/story.txt"
t "a file over limit.doc_bytes: exit 1" [ $rc = 1 ]
t "a file over limit.doc_bytes: the error names the limit" has "$err" "limit.doc_bytes"
t "a file over limit.doc_bytes: the file is named once" [ "$err" = "verbatim: $tmp/story.txt: $(wc -c <"$tmp/story.txt" | tr -d " ") bytes is over the document size limit (limit.doc_bytes = 10)" ]
run analyze --option limit.docs=1 "$tmp/story.txt" "$tmp/copy.txt"
t "more files than limit.docs: exit 1" [ $rc = 1 ]
t "more files than limit.docs: the error names the limit" has "$err" "limit.docs"
t "more files than limit.docs: the file is named once" [ "$err" = "verbatim: $tmp/copy.txt: the corpus already holds 1 documents (limit.docs)" ]
run analyze --option limit.docs=zero "$tmp/story.txt"
t "a bad limit value is a usage error (exit $rc)" [ $rc = 2 ]

# --- every role word at once
# One name beside each role noun the project ships, so the per-document role
# table sees every role and family there is; it must still finish.
roles_doc() {
  local i=0 role
  grep -v -e '^#' -e '^$' -e '| *document' "$VB_ROOT/data/roles.txt" | sed 's/ *|.*//' |
    while IFS= read -r role; do
      i=$((i + 1))
      printf 'Corin Vash%s, a %s for the Velden board, said "we stand by the plan %s."\n\n' \
        "$(printf '%s' "$i" | tr 0-9 a-j)" "$role" "$i"
    done
}
roles_doc >"$tmp/roles.txt"
nroles=$(grep -c said "$tmp/roles.txt")
timeout 30 "$V" analyze --format json "$tmp/roles.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
t "a document naming every role word ($nroles of them) is analysed (exit $rc)" [ $rc = 0 ]
t "each of its quotations has a speaker" [ "$(grep -o '"name": *"Corin Vash' "$tmp/out" | wc -l)" = "$nroles" ]

# --- inputs are never modified
files="$tmp/story.txt $tmp/copy.txt $tmp/names.txt $tmp/odd.txt $tmp/binary.bin"
before=$(for f in $files; do cksum <"$f"; stat -c '%s %Y %a' "$f"; done)
sleep 1
touch "$tmp/marker"
"$V" analyze --names "$tmp/names.txt" $files >/dev/null 2>&1
"$V" analyze --format json --names "$tmp/names.txt" $files >/dev/null 2>&1
"$V" check --names "$tmp/names.txt" --source "$tmp/story.txt" "$tmp/copy.txt" "$tmp/odd.txt" >/dev/null 2>&1
"$V" check --format vimgrep "$tmp/story.txt" "$tmp/copy.txt" >/dev/null 2>&1
"$V" align --target "$tmp/copy.txt" "$tmp/story.txt" "$tmp/binary.bin" >/dev/null 2>&1
"$V" related --at "$tmp/copy.txt:1" "$tmp/story.txt" "$tmp/copy.txt" >/dev/null 2>&1
after=$(for f in $files; do cksum <"$f"; stat -c '%s %Y %a' "$f"; done)
t "analyze, check, align and related leave their input files untouched" [ "$before" = "$after" ]
left=$(find "$tmp" -newer "$tmp/marker" -type f ! -name out ! -name err | wc -l)
t "no new files appear next to the inputs" [ "$left" = 0 ]

echo "1..$n"
[ $failed = 0 ]
