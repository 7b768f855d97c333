/*
 * bench_check: index build throughput, and the latency of checking one
 * 1,000-word draft against 10, 100, 1,000 and 10,000 sources of about 800
 * words, on a generated news-like corpus (bench/newsgen.h).
 *
 * "check" is vb_check of the draft (every rule); "align" is vb_align of the
 * draft; "related" is vb_find_related on one of its paragraphs.
 *
 * Each corpus size runs in its own child process so that its peak memory is
 * its own. Output: TSV rows "metric<TAB>value<TAB>unit".
 *
 * Usage: bench_check [MAX_SOURCES]   (default 10000)
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "newsgen.h"

#define VOCAB 40000
#define SOURCE_WORDS 800
#define DRAFT_WORDS 1000

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double peak_rss_bytes(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_maxrss * 1024.0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double percentile(double *v, size_t n, double p) {
  qsort(v, n, sizeof *v, cmp_double);
  size_t k = (size_t)(p * (double)(n - 1) + 0.5);
  return v[k < n ? k : n - 1];
}

/* A draft: two paragraphs copied, two edited, the rest fresh. */
static void make_draft(ng_rng *r, ng_buf *draft, char **sources) {
  ng_copy_paragraph(r, draft, sources[0], 0, 0, VOCAB);
  ng_copy_paragraph(r, draft, sources[0], 2, 0, VOCAB);
  ng_copy_paragraph(r, draft, sources[1], 1, 6, VOCAB);
  ng_copy_paragraph(r, draft, sources[2], 3, 5, VOCAB);
  ng_document(r, draft, VOCAB, DRAFT_WORDS);
}

static int run_size(size_t n) {
  ng_rng r = {0x9E3779B97F4A7C15ULL};
  char **src = malloc(n * sizeof *src);
  size_t bytes = 0;
  for (size_t i = 0; i < n; i++) {
    ng_buf b = {0};
    ng_document(&r, &b, VOCAB, SOURCE_WORDS);
    src[i] = b.p;
    bytes += b.n;
  }
  ng_buf draft = {0};
  make_draft(&r, &draft, src);
  double rss0 = peak_rss_bytes();

  vb_corpus *c = vb_corpus_new();
  if (!c) return 1;
  double t0 = now_ms();
  for (size_t i = 0; i < n; i++)
    if (vb_corpus_add(c, "source", src[i], strlen(src[i]), VB_DOC_SOURCE) < 0) {
      fprintf(stderr, "bench_check: %s\n", vb_corpus_error(c));
      return 1;
    }
  double t_add = now_ms() - t0;
  /* the index alone: drop and re-add every document's postings */
  for (int id = vb_corpus_next(c, -1); id >= 0; id = vb_corpus_next(c, id))
    vb_index_remove(c, vb_get_doc(c, id));
  t0 = now_ms();
  for (int id = vb_corpus_next(c, -1); id >= 0; id = vb_corpus_next(c, id))
    if (vb_index_add(c, vb_get_doc(c, id)) < 0) return 1;
  double t_index = now_ms() - t0;

  int d = vb_corpus_add(c, "draft", draft.p, draft.n, 0);
  if (d < 0) return 1;

  size_t iters = n <= 100 ? 200 : n <= 1000 ? 100 : 40;
  double *lat = malloc(iters * sizeof *lat);
  double *alat = malloc(iters * sizeof *alat);
  double *rel = malloc(iters * sizeof *rel);
  double covered = 0;
  size_t ndiag = 0;
  for (size_t k = 0; k < iters; k++) {
    double a = now_ms();
    vb_report *rep = NULL;
    if (vb_check(c, d, &rep) < 0) return 1;
    lat[k] = now_ms() - a;
    ndiag = rep->n_diagnostics;
    vb_report_free(rep);
  }
  for (size_t k = 0; k < iters; k++) {
    double a = now_ms();
    vb_alignment *al = NULL;
    if (vb_align(c, d, &al) < 0) return 1;
    alat[k] = now_ms() - a;
    covered = al->verbatim + al->rewrite;
    vb_alignment_free(al);
  }
  /* related passages for the paragraph under the cursor, cycling paragraphs */
  vb_doc *dd = vb_get_doc(c, d);
  for (size_t k = 0; k < iters; k++) {
    const vb_range *p = &dd->paras[k % dd->nparas];
    double a = now_ms();
    vb_related *rl = NULL;
    if (vb_find_related(c, d, p->start, p->end, 10, &rl) < 0) return 1;
    rel[k] = now_ms() - a;
    vb_related_free(rl);
  }
  double rss1 = peak_rss_bytes();

  double mb = (double)bytes / 1e6;
  printf("analyse_and_index_%zu\t%.1f\tMB/s\n", n, mb / (t_add / 1e3));
  printf("index_build_%zu\t%.1f\tMB/s\n", n, mb / (t_index / 1e3));
  printf("check_p50_%zu\t%.3f\tms\n", n, percentile(lat, iters, 0.5));
  printf("check_p99_%zu\t%.3f\tms\n", n, percentile(lat, iters, 0.99));
  printf("check_diagnostics_%zu\t%zu\tcount\n", n, ndiag);
  printf("align_p50_%zu\t%.3f\tms\n", n, percentile(alat, iters, 0.5));
  printf("align_p99_%zu\t%.3f\tms\n", n, percentile(alat, iters, 0.99));
  printf("related_p50_%zu\t%.3f\tms\n", n, percentile(rel, iters, 0.5));
  printf("related_p99_%zu\t%.3f\tms\n", n, percentile(rel, iters, 0.99));
  printf("align_draft_derived_%zu\t%.2f\tshare\n", n, covered);
  printf("peak_memory_%zu\t%.1f\tMB\n", n, (rss1 - rss0) / 1e6);
  printf("memory_per_indexed_byte_%zu\t%.2f\tbytes/byte\n", n, (rss1 - rss0) / (double)bytes);
  fflush(stdout);

  vb_corpus_free(c);
  for (size_t i = 0; i < n; i++) free(src[i]);
  free(src);
  free(draft.p);
  free(lat);
  free(alat);
  free(rel);
  return 0;
}

int main(int argc, char **argv) {
  size_t max = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 10000;
  static const size_t sizes[] = {10, 100, 1000, 10000};
  double p50[4] = {0};
  int rc = 0;
  for (size_t i = 0; i < 4 && sizes[i] <= max; i++) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) _exit(run_size(sizes[i]));
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status)) rc = 1;
    (void)p50;
  }
  return rc;
}
