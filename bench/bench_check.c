/*
 * bench_check: index build throughput, and the latency of checking one
 * 1,000-word draft against 10, 100, 1,000 and 10,000 sources of about 800
 * words, on a generated news-like corpus (bench/newsgen.h).
 *
 * "check" is vb_check of the draft (every rule); "align" is vb_align of the
 * draft; "related" is vb_find_related on one of its paragraphs.
 *
 * With VB_BENCH_TEXTS set (folders of .txt files, separated by ':'), the
 * same is measured once more per folder with its texts as the sources (the
 * first 1,000 by name) and a draft made from three of them the same way:
 * rows named metric_texts_FOLDER_N. bench/run.sh sets it to the generated
 * news and, when the shared data set is there, the PolNeAR articles.
 *
 * Each corpus runs in its own child process so that its peak memory is its
 * own. Output: TSV rows "metric<TAB>value<TAB>unit".
 *
 * Usage: bench_check [MAX_SOURCES]   (default 10000)
 */
#include <dirent.h>
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

#define MAX_TEXTS 1000

/* A draft: two paragraphs copied, two edited, the rest fresh. */
static void make_draft(ng_rng *r, ng_buf *draft, char **sources) {
  ng_copy_paragraph(r, draft, sources[0], 0, 0, VOCAB);
  ng_copy_paragraph(r, draft, sources[0], 2, 0, VOCAB);
  ng_copy_paragraph(r, draft, sources[1], 1, 6, VOCAB);
  ng_copy_paragraph(r, draft, sources[2], 3, 5, VOCAB);
  ng_document(r, draft, VOCAB, DRAFT_WORDS);
}

/* Every measurement of one corpus: `n` sources and a draft made from the
 * first three; rows are suffixed with `label`. */
static int run_corpus(const char *label, char **src, size_t n, ng_rng *r) {
  size_t bytes = 0;
  for (size_t i = 0; i < n; i++) bytes += strlen(src[i]);
  ng_buf draft = {0};
  make_draft(r, &draft, src);
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
  printf("analyse_and_index_%s\t%.1f\tMB/s\n", label, mb / (t_add / 1e3));
  printf("index_build_%s\t%.1f\tMB/s\n", label, mb / (t_index / 1e3));
  printf("check_p50_%s\t%.3f\tms\n", label, percentile(lat, iters, 0.5));
  printf("check_p99_%s\t%.3f\tms\n", label, percentile(lat, iters, 0.99));
  printf("check_diagnostics_%s\t%zu\tcount\n", label, ndiag);
  printf("align_p50_%s\t%.3f\tms\n", label, percentile(alat, iters, 0.5));
  printf("align_p99_%s\t%.3f\tms\n", label, percentile(alat, iters, 0.99));
  printf("related_p50_%s\t%.3f\tms\n", label, percentile(rel, iters, 0.5));
  printf("related_p99_%s\t%.3f\tms\n", label, percentile(rel, iters, 0.99));
  printf("align_draft_derived_%s\t%.2f\tshare\n", label, covered);
  printf("peak_memory_%s\t%.1f\tMB\n", label, (rss1 - rss0) / 1e6);
  printf("memory_per_indexed_byte_%s\t%.2f\tbytes/byte\n", label, (rss1 - rss0) / (double)bytes);
  fflush(stdout);

  vb_corpus_free(c);
  free(draft.p);
  free(lat);
  free(alat);
  free(rel);
  return 0;
}

static int run_size(size_t n) {
  ng_rng r = {0x9E3779B97F4A7C15ULL};
  char **src = malloc(n * sizeof *src);
  if (!src) return 1;
  for (size_t i = 0; i < n; i++) {
    ng_buf b = {0};
    ng_document(&r, &b, VOCAB, SOURCE_WORDS);
    src[i] = b.p;
  }
  char label[32];
  snprintf(label, sizeof label, "%zu", n);
  int rc = run_corpus(label, src, n, &r);
  for (size_t i = 0; i < n; i++) free(src[i]);
  free(src);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  ng_buf b = {0};
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) ng_put(&b, chunk, got);
  fclose(f);
  if (!b.p) ng_put(&b, "", 0);
  return b.p;
}

/* The sources are the first MAX_TEXTS .txt files of `dir` by name. */
static int run_folder(const char *dir) {
  DIR *dh = opendir(dir);
  if (!dh) {
    fprintf(stderr, "bench_check: cannot read %s\n", dir);
    return 1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(dh))) {
    size_t len = strlen(e->d_name);
    if (len < 5 || strcmp(e->d_name + len - 4, ".txt") || e->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 256;
      names = realloc(names, cap * sizeof *names);
      if (!names) return 1;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(dh);
  if (n < 3) {
    fprintf(stderr, "bench_check: %s holds fewer than 3 .txt files\n", dir);
    return 1;
  }
  qsort(names, n, sizeof *names, cmp_str);
  if (n > MAX_TEXTS) n = MAX_TEXTS;
  char **src = malloc(n * sizeof *src);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    char *text = read_file(path);
    if (text) src[m++] = text;
  }
  const char *base = strrchr(dir, '/');
  base = base && base[1] ? base + 1 : dir;
  /* ".../polnear/train/text": name the folder after the data set */
  char label[160], where[128];
  snprintf(where, sizeof where, "%s", base);
  if (strcmp(base, "text") == 0 && strstr(dir, "polnear")) snprintf(where, sizeof where, "polnear");
  snprintf(label, sizeof label, "texts_%s_%zu", where, m);
  ng_rng r = {0x9E3779B97F4A7C15ULL};
  int rc = m >= 3 ? run_corpus(label, src, m, &r) : 1;
  for (size_t i = 0; i < m; i++) free(src[i]);
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(src);
  free(names);
  return rc;
}

/* Run fn(arg) in a child process: its peak memory is its own. */
static int in_child(int (*fn)(const void *), const void *arg) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) _exit(fn(arg));
  int status;
  waitpid(pid, &status, 0);
  return !WIFEXITED(status) || WEXITSTATUS(status);
}

static int size_job(const void *arg) { return run_size(*(const size_t *)arg); }
static int folder_job(const void *arg) { return run_folder((const char *)arg); }

int main(int argc, char **argv) {
  size_t max = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 10000;
  static const size_t sizes[] = {10, 100, 1000, 10000};
  int rc = 0;
  for (size_t i = 0; i < 4 && sizes[i] <= max; i++)
    if (in_child(size_job, &sizes[i])) rc = 1;
  const char *texts = getenv("VB_BENCH_TEXTS");
  if (texts && *texts) {
    char *list = strdup(texts);
    for (char *dir = strtok(list, ":"); dir; dir = strtok(NULL, ":"))
      if (in_child(folder_job, dir)) rc = 1;
    free(list);
  }
  return rc;
}
