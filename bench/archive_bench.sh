#!/usr/bin/env bash
# The archive at scale: build an archive of N distinct news-like documents
# (bench/archive_gen: paragraphs of the real PolNeAR articles, edited, mixed
# with generated ones) with the METER dev wire copy hidden among them, then
#   - build throughput (text bytes / wall seconds of `verbatim archive add`,
#     one process, one core), its peak memory, and the archive's size
#     against the text;
#   - `check --archive` latency (whole process, warm page cache) p50/p99 and
#     peak memory over generated drafts of about 1,000 words, each made from
#     one archive document;
#   - retrieval recall@1: each METER dev newspaper article labelled wholly
#     or partially derived, checked with --max-sources 1: is the archive
#     document ranked first wire copy of its own story?
#
# Usage: bench/archive_bench.sh BUILD_DIR
# ARCHIVE_DOCS: the sizes to build, comma-separated (default 10000; e.g.
#   ARCHIVE_DOCS=100000,300000 for the large runs). With two sizes or more,
#   rows extrapolated to 1,000,000 documents are added (linear in N from the
#   two largest, and named so).
# ARCHIVE_DRAFTS: drafts timed per size (default 200).
# ARCHIVE_KEEP=1 keeps the documents and archives (in BUILD_DIR/bench-work/
#   archive) for the next run; by default the archives are removed.
# Output: TSV rows "metric<TAB>value<TAB>unit".
set -u
build=$(cd "${1:?usage: bench/archive_bench.sh BUILD_DIR}" && pwd) || exit 1
root=$(cd "$(dirname "$0")/.." && pwd)
cli=$build/verbatim
gen=$build/bench/archive_gen
work=$build/bench-work/archive
sizes=${ARCHIVE_DOCS:-10000}
ndrafts=${ARCHIVE_DRAFTS:-200}
say() { echo "archive_bench: $*" >&2; }
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3"; }

[ -x "$cli" ] && [ -x "$gen" ] || { say "$cli or $gen is missing (make bench builds them)"; exit 1; }
[ -x /usr/bin/time ] || { say "/usr/bin/time is missing (apt-get install time)"; exit 1; }
data=
for d in "$root/../shared/data" "$root/../../shared/data"; do
  [ -d "$d/polnear/train/text" ] && [ -d "$d/meter/dev" ] && data=$(cd "$d" && pwd) && break
done
[ -n "$data" ] || { say "no ../shared/data (PolNeAR and METER): archive not measured"; exit 0; }
mkdir -p "$work"

max=0
for n in ${sizes//,/ }; do [ "$n" -gt "$max" ] && max=$n; done
# about 5 KB a document, twice over (the files and the archive), plus room
need_kb=$((max * 5 * 3 + 1048576))
free_kb=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
if [ "$free_kb" -lt "$need_kb" ]; then
  say "only $((free_kb / 1024)) MB free in $work, $((need_kb / 1024)) MB needed: not measured"
  exit 0
fi

# ---------------------------------------------------------- the documents
if [ ! -f "$work/docs-$max.list" ]; then
  say "generating $max documents"
  rm -rf "$work/docs" "$work"/docs-*.list
  "$gen" docs "$work/docs" "$max" 11 "$data"/polnear/train/text/*.txt "$data"/polnear/dev/text/*.txt \
    >"$work/docs-$max.list.tmp" || exit 1
  mv "$work/docs-$max.list.tmp" "$work/docs-$max.list"
fi
list=$(ls "$work"/docs-*.list | head -1)
wire=$work/wire.list
find "$data/meter/dev" -path '*/pa-rawtexts/*' -type f | sort >"$wire"
nwire=$(wc -l <"$wire")
# the derived newspaper articles and their story folders
awk -F '\t' -v root="$data/meter/dev" '$2 == "wholly" || $2 == "partially" {
  p = $1; s = p; sub(/\/newspapers-rawtexts\/.*/, "", s); print root "/" p "\t" root "/" s }' \
  "$data/meter/dev/labels.tsv" >"$work/meter.tsv"

for n in ${sizes//,/ }; do
  a=$work/a-$n.vba
  rm -f "$a" "$a-lock"
  # the wire copy spread evenly among the first n documents
  head -n "$n" "$list" | awk -v w="$wire" -v nw="$nwire" -v n="$n" '
    BEGIN { while ((getline l < w) > 0) wl[k++] = l; step = int(n / (nw + 1)); if (step < 1) step = 1 }
    { print; if (NR % step == 0 && j < nw) print wl[j++] }
    END { while (j < nw) print wl[j++] }' >"$work/add-$n.list"
  say "$n documents + $nwire wire stories: archive add"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time-$n" "$cli" archive add "$a" --from-list "$work/add-$n.list" \
    >/dev/null 2>"$work/add-$n.err" || { say "archive add failed (see $work/add-$n.err)"; continue; }
  read -r wall user sys rss <"$work/time-$n"
  "$cli" archive stats "$a" >"$work/stats-$n"
  text=$(awk -F': ' '$1 == "text bytes" {print $2}' "$work/stats-$n")
  file=$(awk -F': ' '$1 == "file bytes" {print $2}' "$work/stats-$n")
  runs=$(awk '$1 == "fingerprints:" {print $5}' "$work/stats-$n")
  row "archive_${n}_text" "$(awk -v t="$text" 'BEGIN {printf "%.1f", t / 1e6}')" MB
  row "archive_${n}_build" "$(awk -v t="$text" -v s="$wall" 'BEGIN {printf "%.1f", t / 1e6 / s}')" "MB/s (wall)"
  row "archive_${n}_build_cpu" "$(awk -v t="$text" -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", t / 1e6 / (u + s)}')" "MB/s (CPU)"
  row "archive_${n}_add_peak_memory" "$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')" MB
  row "archive_${n}_size_ratio" "$(awk -v t="$text" -v f="$file" 'BEGIN {printf "%.3f", f / t}')" "file/text"
  row "archive_${n}_runs" "$runs" runs

  cat "$a" >/dev/null # a warm page cache
  # ----------------------------------------------------- latency, memory
  rm -rf "$work/drafts"
  head -n "$n" "$list" | awk -v k="$ndrafts" -v n="$n" 'NR % int(n / k > 1 ? n / k : 1) == 0' | head -n "$ndrafts" |
    xargs "$gen" drafts "$work/drafts" "$ndrafts" 5 >"$work/drafts.tsv"
  : >"$work/lat-$n"
  : >"$work/mem-$n"
  found=0
  while IFS=$'\t' read -r draft doc; do
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$work/m" "$cli" check --archive "$a" "$draft" >"$work/out" 2>&1
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) * 1000}' >>"$work/lat-$n"
    cat "$work/m" >>"$work/mem-$n"
    first=$(grep -m1 ': source ' "$work/out" | sed 's/.*: source [^:]*://; s/ (.*//')
    [ "$first" = "$doc" ] && found=$((found + 1))
  done <"$work/drafts.tsv"
  sort -n "$work/lat-$n" -o "$work/lat-$n"
  cnt=$(wc -l <"$work/lat-$n")
  p50=$(awk -v c="$cnt" 'NR == int(c * 0.50 + 0.5) {print}' "$work/lat-$n")
  p99=$(awk -v c="$cnt" 'NR == int(c * 0.99 + 0.5) {print}' "$work/lat-$n")
  row "archive_${n}_check_p50" "$p50" ms
  row "archive_${n}_check_p99" "$p99" ms
  row "archive_${n}_check_peak_memory" "$(sort -n "$work/mem-$n" | tail -1 | awk '{printf "%.1f", $1 / 1024}')" MB
  row "archive_${n}_drafts_source_first" "$(awk -v f="$found" -v c="$cnt" 'BEGIN {printf "%.3f", f / c}')" "of $cnt drafts"

  # ---------------------------------------------------------- recall@1
  hit=0
  tot=0
  while IFS=$'\t' read -r article story; do
    [ -f "$article" ] || continue
    tot=$((tot + 1))
    "$cli" check --archive "$a" --max-sources 1 "$article" >"$work/out" 2>&1
    first=$(grep -m1 ': source ' "$work/out" | sed 's/.*: source [^:]*://; s/ (.*//')
    case "$first" in "$story"/pa-rawtexts/*) hit=$((hit + 1)) ;; esac
  done <"$work/meter.tsv"
  row "archive_${n}_meter_recall_at_1" "$(awk -v h="$hit" -v t="$tot" 'BEGIN {printf "%.3f", t ? h / t : 0}')" "of $tot articles"
  [ "${ARCHIVE_KEEP:-}" = 1 ] || rm -f "$a" "$a-lock"
done | tee "$work/rows.tsv"

# ------------------------------------------- extrapolated to a million
# A power law through the two largest sizes, v(N) = v(b) * (N / b)^k: costs
# are not allowed to fall with N (k >= 0), throughput not to rise (k <= 0).
set -- $(echo "${sizes//,/ }" | tr ' ' '\n' | sort -n | tail -2)
if [ $# = 2 ] && [ "$1" != "$2" ]; then
  awk -F '\t' -v a="$1" -v b="$2" '
    { v[$1] = $2 }
    END {
      split("check_p50 check_p99 check_peak_memory add_peak_memory size_ratio build build_cpu", m, " ")
      split("ms ms MB MB file/text MB/s MB/s", u, " ")
      for (i = 1; i <= 7; i++) {
        x = v["archive_" a "_" m[i]]; y = v["archive_" b "_" m[i]]
        if (x == "" || y == "" || x <= 0 || y <= 0) continue
        k = log(y / x) / log(b / a)
        if (m[i] ~ /^build/) { if (k > 0) k = 0 } else if (k < 0) k = 0
        printf "archive_1000000_%s_extrapolated\t%.3f\t%s (power law through %d and %d)\n", m[i], y * (1000000 / b) ^ k, u[i], a, b
      }
    }' "$work/rows.tsv"
fi
[ "${ARCHIVE_KEEP:-}" = 1 ] || rm -rf "$work/drafts"
exit 0
