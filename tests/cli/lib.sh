# lib.sh: TAP helpers for the command-line tests (bash).
#
# Each test file sources this, calls the helpers, and ends with done_testing.
# Environment (set by `make test`): VERBATIM (the CLI), VB_ROOT (the checkout),
# VB_SAN (non-empty for a sanitizer build).

set -u

VERBATIM=${VERBATIM:-$VB_ROOT/build/verbatim}
STORY=$VB_ROOT/examples/story
ORIG=$STORY/original.txt
COPY=$STORY/copy.txt
REWRITE=$STORY/rewrite.txt

# A sanitizer report must not look like an ordinary exit status.
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=86:print_stacktrace=1}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/verbatim-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

_tap_n=0
_tap_failed=0
TODO=   # set to a reason to mark the following tests as TODO; empty it after

_tap_result() { # PASSED DESCRIPTION
  _tap_n=$((_tap_n + 1))
  local line
  if [ "$1" = 1 ]; then line="ok $_tap_n - $2"; else line="not ok $_tap_n - $2"; fi
  if [ -n "$TODO" ]; then
    line="$line # TODO $TODO"
  elif [ "$1" != 1 ]; then
    _tap_failed=$((_tap_failed + 1))
  fi
  printf '%s\n' "$line"
  [ "$1" = 1 ]
}

diag() {
  local l
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}

# ok DESCRIPTION COMMAND...: passes when COMMAND exits 0.
ok() {
  local desc=$1
  shift
  if "$@"; then _tap_result 1 "$desc"; else _tap_result 0 "$desc"; return 1; fi
}

# is GOT WANT DESCRIPTION
is() {
  if [ "$1" = "$2" ]; then _tap_result 1 "$3"; return 0; fi
  _tap_result 0 "$3"
  diag "got:  '$1'" "want: '$2'"
  return 1
}

# like GOT REGEX DESCRIPTION (an extended regular expression, bash =~)
like() {
  if [[ $1 =~ $2 ]]; then _tap_result 1 "$3"; return 0; fi
  _tap_result 0 "$3"
  diag "got:  '$(printf '%s' "$1" | head -c 400)'" "want a match for /$2/"
  return 1
}

unlike() {
  if ! [[ $1 =~ $2 ]]; then _tap_result 1 "$3"; return 0; fi
  _tap_result 0 "$3"
  diag "got:  '$(printf '%s' "$1" | head -c 400)'" "want no match for /$2/"
  return 1
}

# like_line GOT REGEX DESCRIPTION: some line of GOT matches ^REGEX$.
like_line() {
  if printf '%s\n' "$1" | grep -q -E -e "^($2)\$"; then _tap_result 1 "$3"; return 0; fi
  _tap_result 0 "$3"
  diag "got:  '$(printf '%s' "$1" | head -c 400)'" "want a line matching /^($2)\$/"
  return 1
}

skip() { # REASON [COUNT]
  local i
  for ((i = 0; i < ${2:-1}; i++)); do
    _tap_n=$((_tap_n + 1))
    printf 'ok %d # skip %s\n' "$_tap_n" "$1"
  done
}

done_testing() {
  printf '1..%d\n' "$_tap_n"
  [ "$_tap_failed" = 0 ]
  exit $?
}

# run ARGS...: run the CLI; sets RC, OUT (stdout) and ERR (stderr), and keeps
# stdout in $TMP/out for the JSON helpers.
run() {
  "$VERBATIM" "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}

# run_in FILE ARGS...: as run, with stdin from FILE.
run_in() {
  local input=$1
  shift
  "$VERBATIM" "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}

# no_crash: the last run ended by itself, with a status the CLI documents
# (0, 1 or 2) and no sanitizer report.
no_crash() {
  [ "$RC" -le 2 ] && ! grep -q -E 'Sanitizer|runtime error:' "$TMP/err"
}

# jcheck PYTHON-EXPRESSION: true when the expression holds for the last
# run's stdout parsed as JSON. Names available: d (the document), raw (the
# stdout bytes), files (a dict path -> bytes, read lazily by B(path)), and the
# helpers below. Stdout must be strict UTF-8 JSON.
jcheck() {
  python3 - "$TMP/out" "$1" <<'PY'
import json, re, sys
raw = open(sys.argv[1], 'rb').read()
try:
    d = json.loads(raw.decode('utf-8'))
except Exception as e:
    print('# not JSON: %s' % e)
    sys.exit(1)
_cache = {}
def B(path):
    """The bytes of a file named in the output."""
    if path not in _cache:
        _cache[path] = open(path, 'rb').read()
    return _cache[path]
def line_of(path, off):
    return B(path).count(b'\n', 0, off) + 1
def col_of(path, off):
    b = B(path)
    return off - (b.rfind(b'\n', 0, off) + 1) + 1
def span(path, x):
    return B(path)[x['start']:x['end']].decode('utf-8', 'replace')
def docs(suffix):
    return [x for x in d['documents'] if x['path'].endswith(suffix)][0]
def quote(doc, words):
    """The first quote of an analyze document whose text contains words."""
    for q in doc['quotes']:
        if words in q['text']:
            return q
    return None
def surname(q):
    s = q and q.get('speaker')
    return s['name'].split()[-1] if s and s.get('name') else None
def diags(suffix, rule=None, line=None):
    return [x for x in d['diagnostics'] if x['path'].endswith(suffix)
            and (rule is None or x['rule'] == rule) and (line is None or x['line'] == line)]
def qmatch(suffix, line):
    """Relations of the matches of the checked quote starting on a line."""
    for q in d['quotes']:
        if q['path'].endswith(suffix) and q['line'] == line:
            return [m['relation'] for m in q['matches']]
    return None
try:
    result = eval(sys.argv[2])
except Exception as e:
    print('# %s: %s' % (type(e).__name__, e))
    sys.exit(1)
if not result:
    sys.exit(1)
PY
}

# is_json: the last run printed one strict UTF-8 JSON value.
is_json() { jcheck 'True'; }

# checksum FILE...: a checksum of the files' bytes.
checksum() { cat "$@" | cksum; }
