#!/usr/bin/env bash
# `make bench`: speed and memory of verbatim, side by side with compromise
# (the JavaScript NLP library) on the same texts in the same run, plus the
# rows of every other benchmark in BUILD_DIR/bench/, bench/nvim_bench.sh and
# bench/lsp_bench.py (the language server over its pipes).
# Prints one table.
#
# Usage: bench/run.sh BUILD_DIR
# Texts: about VB_BENCH_MB (default 12) megabytes of generated news articles,
# and the PolNeAR training articles when the shared data set is next to the
# checkout (read in place, never copied).
# VB_BENCH_PEER_SECONDS (default 30): CPU seconds compromise gets per text set.
set -u
build=$(cd "${1:?usage: bench/run.sh BUILD_DIR}" && pwd) || exit 1
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/bench
work=$build/bench-work
rows=$work/rows.tsv
notes=$work/notes.txt
mkdir -p "$work"
: >"$rows"
: >"$notes"
note() { echo "$*" >>"$notes"; }
say() { echo "bench: $*" >&2; }

if [ ! -x "$bin/bench_analyze" ]; then
  echo "bench: $bin/bench_analyze is missing (run make bench)" >&2
  exit 1
fi

load_at_start=$( [ -r /proc/loadavg ] && cut -d' ' -f1 /proc/loadavg)

# -------------------------------------------------------------- the texts
mb=${VB_BENCH_MB:-12}
if [ ! -f "$work/news/.done-$mb" ]; then
  rm -rf "$work/news"
  "$bin/bench_analyze" --generate "$work/news" "$mb" >/dev/null || exit 1
  touch "$work/news/.done-$mb"
fi
sets="news"
declare -A files
files[news]="$work/news/*.txt"
declare -A set_name=([news]="generated news" [polnear]="PolNeAR articles")
data=
for d in "$root/../shared/data" "$root/../../shared/data"; do
  [ -d "$d/polnear/train/text" ] && data=$d && break
done
if [ -n "$data" ]; then
  sets="$sets polnear"
  files[polnear]="$data/polnear/train/text/*.txt"
else
  note "no ../shared/data: PolNeAR articles not measured"
fi

# ----------------------------------------------------------------- verbatim
for s in $sets; do
  say "verbatim analyze: ${set_name[$s]}"
  # shellcheck disable=SC2086
  "$bin/bench_analyze" --label "$s" ${files[$s]} | sed 's/$/\tbench_analyze/' >>"$rows"
done

# ------------------------------------------------------------- compromise
peer=$work/compromise
have_peer=
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  note "compromise NOT MEASURED: node or npm is not installed (apt-get install npm)"
else
  if [ ! -d "$peer/node_modules/compromise" ]; then
    say "installing compromise with npm into $peer"
    mkdir -p "$peer"
    cp "$root/bench/compromise/package.json" "$peer/"
    (cd "$peer" && npm install --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) ||
      note "compromise NOT MEASURED: npm install failed (see $work/npm.log)"
  fi
  [ -d "$peer/node_modules/compromise" ] && have_peer=yes
fi
if [ -n "$have_peer" ]; then
  for s in $sets; do
    say "compromise: ${set_name[$s]} (up to ${VB_BENCH_PEER_SECONDS:-30} CPU s)"
    # shellcheck disable=SC2086
    VB_COMPROMISE_MODULES=$peer/node_modules node "$root/bench/compromise/run.js" --label "$s" \
      --seconds "${VB_BENCH_PEER_SECONDS:-30}" ${files[$s]} | sed 's/$/\tcompromise/' >>"$rows" ||
      note "compromise failed on ${set_name[$s]}"
  done
fi

# ---------------------------------------------------------------- callgrind
if command -v valgrind >/dev/null 2>&1; then
  say "callgrind: instructions per byte"
  # the first megabyte or so of the generated news
  small=$(ls "$work"/news/*.txt | head -400)
  out=$work/callgrind.out
  # shellcheck disable=SC2086
  bytes=$(valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
    --toggle-collect=analyze_pass "$bin/bench_analyze" --once $small 2>/dev/null |
    awk -F '\t' '$1 == "bytes" {print $2}')
  ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$out" 2>/dev/null)
  if [ -n "$bytes" ] && [ -n "$ir" ] && [ "$bytes" -gt 0 ]; then
    awk -v ir="$ir" -v b="$bytes" 'BEGIN {printf "instructions_per_byte_news\t%.1f\tIr/B\tcallgrind\n", ir / b}' >>"$rows"
  else
    note "callgrind run failed"
  fi
else
  note "valgrind not installed: no instructions per byte"
fi

# ------------------------------------------------------- other benchmarks
# VB_BENCH_TEXTS: folders of real or generated articles the benchmarks may
# use besides their own generated corpora (bench_check checks a draft
# against the first 1,000 texts of each).
texts=$work/news
[ -n "$data" ] && texts="$texts:$data/polnear/train/text"
for b in "$bin"/bench_*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  [ "$name" = bench_analyze ] && continue
  say "$name"
  VB_ROOT=$root VB_BENCH_TEXTS=$texts "$b" 2>"$work/$name.err" |
    awk -F '\t' -v src="$name" 'NF >= 3 && $1 !~ /^#/ {print $1 "\t" $2 "\t" $3 "\t" src}' >>"$rows" ||
    note "$name failed (see $work/$name.err)"
done
if [ -x "$root/bench/nvim_bench.sh" ] || [ -f "$root/bench/nvim_bench.sh" ]; then
  say "nvim_bench"
  sh "$root/bench/nvim_bench.sh" 2>"$work/nvim_bench.err" |
    awk -F '\t' 'NF >= 3 && $1 !~ /^#/ {print $1 "\t" $2 "\t" $3 "\tnvim_bench"}' >>"$rows" ||
    note "nvim_bench failed (see $work/nvim_bench.err)"
fi

if command -v python3 >/dev/null 2>&1 && [ -x "$build/verbatim" ]; then
  say "lsp_bench (VB_BENCH_SOAK=${VB_BENCH_SOAK:-600} s of soak)"
  nice python3 "$root/bench/lsp_bench.py" "$build/verbatim" "$work" 2>"$work/lsp_bench.err" |
    awk -F '\t' 'NF >= 3 && $1 !~ /^#/ {print $1 "\t" $2 "\t" $3 "\tlsp_bench"}' >>"$rows" ||
    note "lsp_bench failed (see $work/lsp_bench.err)"
fi

if [ -f "$root/bench/archive_bench.sh" ]; then
  say "archive_bench (ARCHIVE_DOCS=${ARCHIVE_DOCS:-10000})"
  bash "$root/bench/archive_bench.sh" "$build" 2>"$work/archive_bench.err" |
    awk -F '\t' 'NF >= 3 && $1 !~ /^#/ {print $1 "\t" $2 "\t" $3 "\tarchive_bench"}' >>"$rows" ||
    note "archive_bench failed (see $work/archive_bench.err)"
fi

# Other work on the machine slows even CPU-time figures (caches, memory
# bandwidth, frequency): say so when the machine was busy as the run began.
if [ -n "$load_at_start" ]; then
  cores=$(nproc 2>/dev/null || echo 1)
  load=$load_at_start
  if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l > c / 2) }'; then
    note "the machine was busy (load average $load on $cores cores): timings are lower than on a quiet machine; instructions per byte are not affected"
  fi
fi

# -------------------------------------------------------------- the table
awk -F '\t' -v sets="$sets" -v notes="$notes" '
  { val[$1] = $2; unit[$1] = $3; src[$1] = $4; order[++n] = $1 }
  function line(measure, v, peer, ratio, target) {
    printf "%-54s %14s %14s %7s  %s\n", measure, v, peer, ratio, target
  }
  END {
    split("news polnear", all, " ")
    names["news"] = "generated news"; names["polnear"] = "PolNeAR articles"
    print "verbatim benchmark: one core, CPU time; verbatim and compromise on the same texts"
    print ""
    line("measure", "verbatim", "compromise", "ratio", "target")
    line("-------", "--------", "----------", "-----", "------")
    for (i = 1; i <= 2; i++) {
      s = all[i]
      if (!(("analyze_" s) in val)) continue
      desc = sprintf("analyze, %s (%s MB, %s docs)", names[s], val["text_" s], val["documents_" s])
      v = val["analyze_" s]; p = val["compromise_analyze_" s]
      ratio = (p != "" && p > 0) ? sprintf("%.0fx", v / p) : "-"
      peer = p != "" ? sprintf("%s MB/s", p) : "not run"
      line(desc, v " MB/s", peer, ratio, ">= 200x, >= 50 MB/s")
      if (("compromise_text_" s) in val && val["compromise_text_" s] + 0 < val["text_" s] + 0)
        line("  (compromise timed on the first " val["compromise_text_" s] " MB)", "", "", "", "")
      line("  entities / quotations found", val["entities_" s] " / " val["quotes_" s],
           p != "" ? val["compromise_entities_" s] " / " val["compromise_quotes_" s] : "", "", "")
      line("index build, " names[s], val["index_build_" s] " MB/s", "", "", "")
      line("peak memory per byte indexed, " names[s], val["memory_per_byte_indexed_" s] " B/B", "", "", "<= 10")
      line("peak memory, " names[s], val["peak_memory_" s] " MB", "", "", "")
    }
    if ("instructions_per_byte_news" in val)
      line("instructions per byte, analyze (callgrind)", val["instructions_per_byte_news"], "", "", "")
    for (i = 1; i <= n; i++) {
      m = order[i]
      if (src[m] == "bench_analyze" || src[m] == "compromise" || src[m] == "callgrind") continue
      line(m " (" src[m] ")", val[m] " " unit[m], "", "", "")
    }
    if ("analyze_news" in val) {
      print ""
      met = val["analyze_news"] + 0 >= 50 ? "met" : "NOT met"
      ipb = ("instructions_per_byte_news" in val) ? val["instructions_per_byte_news"] " instructions per byte (callgrind)" : "instructions per byte not measured"
      printf "analyze, generated news: %s MB/s on one core (target >= 50 MB/s: %s); peak memory %s MB; %s\n", \
        val["analyze_news"], met, val["peak_memory_news"], ipb
    }
    while ((getline l < notes) > 0) print "note: " l
  }' "$rows"
