/*
 * archive_gen: distinct news-like documents for the archive benchmark
 * (bench/archive_bench.sh).
 *
 *   archive_gen docs OUTDIR N SEED [REAL.txt...]
 *       writes N documents, OUTDIR/DDD/NNNNNN.txt (1,000 a folder), and
 *       prints their paths. Each mixes paragraphs of the real articles
 *       given (one word in about seven edited, so no two documents share
 *       long runs by chance) with paragraphs of bench/newsgen.h, 9 to 21
 *       paragraphs in all, about 800 words (some 5 KB).
 *   archive_gen drafts OUTDIR N SEED DOC...
 *       writes N drafts of about 1,000 words, each made from one of the
 *       DOC files (taken in turn): two of its paragraphs word for word, one
 *       edited, the rest fresh; prints "draft<TAB>its document".
 *
 * The same arguments always give the same files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "newsgen.h"

#define VOCAB 60000

typedef struct {
  char **p;
  size_t n, cap;
} strv;

static void push(strv *v, char *s) {
  if (v->n == v->cap) {
    v->cap = v->cap ? 2 * v->cap : 1024;
    v->p = realloc(v->p, v->cap * sizeof *v->p);
    if (!v->p) abort();
  }
  v->p[v->n++] = s;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  ng_buf b = {0};
  char tmp[65536];
  size_t got;
  while ((got = fread(tmp, 1, sizeof tmp, f)) > 0) ng_put(&b, tmp, got);
  fclose(f);
  *len = b.n;
  return b.p;
}

/* The paragraphs of a text (blank-line separated; a text without blank
 * lines is split at its line ends), each of 20 words or more, with single
 * line breaks turned into spaces. */
static void paragraphs(strv *out, char *text) {
  int blank = strstr(text, "\n\n") != NULL || strstr(text, "\r\n\r\n") != NULL;
  char *p = text;
  while (*p) {
    char *end = blank ? strstr(p, "\n\n") : strchr(p, '\n');
    if (!end) end = p + strlen(p);
    size_t words = 0;
    for (char *q = p; q < end; q++) {
      if (*q == '\n' || *q == '\r' || *q == '\t') *q = ' ';
      words += *q == ' ';
    }
    if (words >= 20) push(out, strndup(p, (size_t)(end - p)));
    p = *end ? end + (blank ? 2 : 1) : end;
  }
}

static int mkdirs(const char *dir) {
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "archive_gen: %s: %s\n", dir, strerror(errno));
    return -1;
  }
  return 0;
}

static int write_file(const char *path, const ng_buf *b) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(b->p, 1, b->n, f) != b->n || fclose(f) != 0) {
    fprintf(stderr, "archive_gen: %s: %s\n", path, strerror(errno));
    return -1;
  }
  return 0;
}

static int gen_docs(const char *out, long n, uint64_t seed, int nreal, char **real) {
  strv paras = {0};
  for (int i = 0; i < nreal; i++) {
    size_t len;
    char *t = slurp(real[i], &len);
    if (!t) continue;
    paragraphs(&paras, t);
    free(t);
  }
  if (mkdirs(out)) return 1;
  char path[4096];
  ng_buf b = {0};
  for (long i = 0; i < n; i++) {
    if (i % 1000 == 0) {
      snprintf(path, sizeof path, "%s/%03ld", out, i / 1000);
      if (mkdirs(path)) return 1;
    }
    ng_rng r = {seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i * 0xD1B54A32D192ED03ULL + 1};
    for (int k = 0; k < 4; k++) ng_next(&r);
    b.n = 0;
    unsigned np = 9 + ng_below(&r, 13);
    for (unsigned k = 0; k < np; k++) {
      if (paras.n && ng_below(&r, 10) < 6) {
        const char *src = paras.p[ng_below(&r, (unsigned)paras.n)];
        ng_copy_paragraph(&r, &b, src, 0, 7, VOCAB);
      } else {
        ng_paragraph(&r, &b, VOCAB);
      }
    }
    snprintf(path, sizeof path, "%s/%03ld/%06ld.txt", out, i / 1000, i);
    if (write_file(path, &b)) return 1;
    printf("%s\n", path);
  }
  free(b.p);
  for (size_t i = 0; i < paras.n; i++) free(paras.p[i]);
  free(paras.p);
  return 0;
}

static int gen_drafts(const char *out, long n, uint64_t seed, int ndocs, char **docs) {
  if (mkdirs(out) || ndocs == 0) return 1;
  char path[4096];
  ng_buf b = {0};
  for (long i = 0; i < n; i++) {
    const char *doc = docs[i % ndocs];
    size_t len;
    char *t = slurp(doc, &len);
    if (!t) {
      fprintf(stderr, "archive_gen: cannot read %s\n", doc);
      return 1;
    }
    ng_rng r = {seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i * 0xD1B54A32D192ED03ULL + 1};
    b.n = 0;
    ng_copy_paragraph(&r, &b, t, 0, 0, VOCAB);
    ng_copy_paragraph(&r, &b, t, 2, 0, VOCAB);
    ng_copy_paragraph(&r, &b, t, 3, 6, VOCAB);
    ng_document(&r, &b, VOCAB, 1000);
    free(t);
    snprintf(path, sizeof path, "%s/draft%04ld.txt", out, i);
    if (write_file(path, &b)) return 1;
    printf("%s\t%s\n", path, doc);
  }
  free(b.p);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 5 || (strcmp(argv[1], "docs") != 0 && strcmp(argv[1], "drafts") != 0)) {
    fprintf(stderr, "usage: archive_gen docs OUTDIR N SEED [REAL.txt...]\n"
                    "       archive_gen drafts OUTDIR N SEED DOC...\n");
    return 2;
  }
  long n = strtol(argv[3], NULL, 10);
  uint64_t seed = strtoull(argv[4], NULL, 10);
  if (strcmp(argv[1], "docs") == 0) return gen_docs(argv[2], n, seed, argc - 5, argv + 5);
  return gen_drafts(argv[2], n, seed, argc - 5, argv + 5);
}
