/*
 * cli_archive.c: `verbatim archive` (add, remove, stats, merge) and the
 * archive lookup behind `check --archive`.
 */
#include "cli_archive.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_FAIL 1
#define EXIT_USAGE 2
/* Additions are committed in batches of about this much text: a reader
 * sees whole batches, a kill loses at most the batch in progress, and each
 * batch is one run of postings in the archive. */
#define BATCH_BYTES ((size_t)128 << 20)
#define MIN_SHARED 3

static const char archive_usage[] =
    "usage: verbatim archive add ARCHIVE [--batch-bytes N] [--from-list FILE|-] FILE...\n"
    "       verbatim archive remove ARCHIVE NAME...\n"
    "       verbatim archive stats ARCHIVE\n"
    "       verbatim archive merge ARCHIVE FROM...\n";

static char *slurp(FILE *f, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    char *more = realloc(buf, cap *= 2);
    if (!more) {
      free(buf);
      return NULL;
    }
    buf = more;
  }
  if (buf && ferror(f)) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

static char *read_path(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return NULL;
  char *s = slurp(f, len);
  int e = errno;
  if (f != stdin) fclose(f);
  errno = e;
  return s;
}

static vb_archive *open_archive(const char *path, unsigned flags) {
  vb_archive *a = vb_archive_new();
  if (!a) {
    fprintf(stderr, "verbatim: out of memory\n");
    return NULL;
  }
  if (vb_archive_open(a, path, flags) < 0) {
    fprintf(stderr, "verbatim: %s\n", vb_archive_error(a));
    vb_archive_close(a);
    return NULL;
  }
  return a;
}

/* *done: bytes added since the last commit; a commit every `batch` */
static int add_one(vb_archive *a, const char *path, size_t *done, size_t batch, size_t *counts) {
  size_t len;
  char *bytes = read_path(path, &len);
  if (!bytes) {
    fprintf(stderr, "verbatim: cannot read %s: %s\n", path, strerror(errno));
    return EXIT_FAIL;
  }
  int rc = vb_archive_add(a, path, bytes, len);
  free(bytes);
  *done += len;
  if (rc < 0) {
    fprintf(stderr, "verbatim: %s: %s\n", path, vb_archive_error(a));
    return rc == VB_ERR_LIMIT || rc == VB_ERR_INVALID ? EXIT_FAIL : -1;
  }
  counts[rc]++;
  if (*done >= batch && (*done = 0, vb_archive_commit(a) < 0)) {
    fprintf(stderr, "verbatim: %s\n", vb_archive_error(a));
    return -1;
  }
  return 0;
}

static int cmd_add(vb_archive *a, int argc, char **argv) {
  int status = 0;
  size_t done = 0, counts[3] = {0, 0, 0}, batch = BATCH_BYTES;
  for (int i = 0; i < argc; i++) {
    int rc = 0;
    if (strcmp(argv[i], "--batch-bytes") == 0) {
      char *end = NULL;
      unsigned long long v = i + 1 < argc ? strtoull(argv[i + 1], &end, 10) : 0;
      if (i + 1 >= argc || !end || *end || v == 0) {
        fprintf(stderr, "verbatim: --batch-bytes needs a positive number of bytes\n");
        return EXIT_USAGE;
      }
      batch = (size_t)v;
      i++;
      continue;
    }
    if (strcmp(argv[i], "--from-list") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "verbatim: --from-list needs a file (or -)\n");
        return EXIT_USAGE;
      }
      const char *list = argv[++i];
      FILE *f = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
      if (!f) {
        fprintf(stderr, "verbatim: cannot read %s: %s\n", list, strerror(errno));
        status = EXIT_FAIL;
        continue;
      }
      char *line = NULL;
      size_t cap = 0;
      ssize_t n;
      while (rc >= 0 && (n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (n == 0) continue;
        rc = add_one(a, line, &done, batch, counts);
        if (rc > 0) status = rc;
      }
      free(line);
      if (f != stdin) fclose(f);
    } else {
      rc = add_one(a, argv[i], &done, batch, counts);
      if (rc > 0) status = rc;
    }
    if (rc < 0) return EXIT_FAIL;
  }
  if (vb_archive_commit(a) < 0) {
    fprintf(stderr, "verbatim: %s\n", vb_archive_error(a));
    return EXIT_FAIL;
  }
  printf("added %zu, replaced %zu, unchanged %zu\n", counts[2], counts[1], counts[0]);
  return status;
}

static int cmd_stats(vb_archive *a) {
  vb_archive_stats s;
  if (vb_archive_stat(a, &s) < 0) {
    fprintf(stderr, "verbatim: %s\n", vb_archive_error(a));
    return EXIT_FAIL;
  }
  printf("documents: %zu\n", s.documents);
  printf("text bytes: %llu\n", (unsigned long long)s.text_bytes);
  printf("stored bytes: %llu\n", (unsigned long long)s.stored_bytes);
  printf("fingerprints: %zu postings in %zu runs\n", s.fingerprints, s.runs);
  printf("file bytes: %llu\n", (unsigned long long)s.file_bytes);
  if (s.text_bytes)
    printf("file / text: %.3f\n", (double)s.file_bytes / (double)s.text_bytes);
  return 0;
}

int cli_archive(int argc, char **argv) {
  if (argc < 3 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
    fputs(archive_usage, argc < 3 ? stderr : stdout);
    return argc < 3 ? EXIT_USAGE : 0;
  }
  const char *sub = argv[1], *path = argv[2];
  int is_add = strcmp(sub, "add") == 0, is_remove = strcmp(sub, "remove") == 0;
  int is_stats = strcmp(sub, "stats") == 0, is_merge = strcmp(sub, "merge") == 0;
  if (!is_add && !is_remove && !is_stats && !is_merge) {
    fprintf(stderr, "verbatim: unknown archive command '%s'\n%s", sub, archive_usage);
    return EXIT_USAGE;
  }
  vb_archive *a = open_archive(path, is_stats ? VB_ARCHIVE_READONLY : 0);
  if (!a) return EXIT_FAIL;
  int status = 0;
  if (is_add) {
    status = cmd_add(a, argc - 3, argv + 3);
  } else if (is_stats) {
    status = cmd_stats(a);
  } else if (is_remove) {
    size_t removed = 0;
    for (int i = 3; i < argc; i++) {
      int rc = vb_archive_remove(a, argv[i]);
      if (rc < 0) {
        fprintf(stderr, "verbatim: %s\n", vb_archive_error(a));
        status = EXIT_FAIL;
        break;
      }
      if (rc == 0) fprintf(stderr, "verbatim: %s: not in %s\n", argv[i], path);
      removed += (size_t)rc;
    }
    if (status == 0) printf("removed %zu\n", removed);
  } else {
    int total = 0;
    for (int i = 3; i < argc && status == 0; i++) {
      vb_archive *from = open_archive(argv[i], VB_ARCHIVE_READONLY);
      if (!from) {
        status = EXIT_FAIL;
        break;
      }
      int rc = vb_archive_merge(a, from);
      vb_archive_close(from);
      if (rc < 0) {
        fprintf(stderr, "verbatim: %s\n", vb_archive_error(a));
        status = EXIT_FAIL;
      } else {
        total += rc;
      }
    }
    if (status == 0) printf("merged %d\n", total);
  }
  if (vb_archive_close(a) < 0 && status == 0) {
    fprintf(stderr, "verbatim: %s: cannot commit\n", path);
    status = EXIT_FAIL;
  }
  return status;
}

/* ------------------------------------------------------------ check --archive */

typedef struct {
  size_t archive;
  vb_archive_hit hit;
} ranked;

static int by_rank(const void *x, const void *y) {
  const ranked *a = x, *b = y;
  /* as vb_archive_find_sources ranks: shared n-grams, then score */
  if (a->hit.shared != b->hit.shared) return a->hit.shared < b->hit.shared ? 1 : -1;
  if (a->hit.score != b->hit.score) return a->hit.score < b->hit.score ? 1 : -1;
  if (a->archive != b->archive) return a->archive < b->archive ? -1 : 1;
  return a->hit.id < b->hit.id ? -1 : a->hit.id > b->hit.id;
}

static int already_added(vb_corpus *c, const char *name) {
  for (int d = vb_corpus_next(c, -1); d >= 0; d = vb_corpus_next(c, d))
    if (strcmp(vb_doc_name(c, d), name) == 0) return 1;
  return 0;
}

int cli_archive_sources(vb_corpus *c, const char **archives, size_t narchives, size_t max_sources,
                        FILE *report) {
  if (narchives == 0) return 0;
  vb_archive **open = calloc(narchives, sizeof *open);
  if (!open) return EXIT_FAIL;
  int status = 0;
  for (size_t i = 0; i < narchives && status == 0; i++)
    if (!(open[i] = open_archive(archives[i], VB_ARCHIVE_READONLY))) status = EXIT_FAIL;
  /* the drafts: every document present before the archive sources come */
  size_t ndrafts = 0;
  int *drafts = malloc((vb_corpus_count(c) + 1) * sizeof *drafts);
  if (!drafts) status = EXIT_FAIL;
  for (int d = vb_corpus_next(c, -1); status == 0 && d >= 0; d = vb_corpus_next(c, d))
    if (!(vb_doc_flags(c, d) & VB_DOC_SOURCE)) drafts[ndrafts++] = d;
  for (size_t k = 0; k < ndrafts && status == 0; k++) {
    size_t len;
    const char *bytes = vb_doc_bytes(c, drafts[k], &len);
    ranked *all = NULL;
    size_t nall = 0;
    for (size_t i = 0; i < narchives && status == 0; i++) {
      vb_archive_hit *hits;
      size_t n;
      /* MIN_SHARED n-grams: fewer are too often chance */
      if (vb_archive_find_sources(open[i], bytes, len, max_sources, MIN_SHARED, &hits, &n) < 0) {
        fprintf(stderr, "verbatim: %s\n", vb_archive_error(open[i]));
        status = EXIT_FAIL;
        break;
      }
      ranked *more = realloc(all, (nall + n + 1) * sizeof *all);
      if (!more) status = EXIT_FAIL;
      else all = more;
      for (size_t j = 0; status == 0 && j < n; j++) all[nall++] = (ranked){i, hits[j]};
      vb_archive_release(hits);
    }
    if (status == 0) qsort(all, nall, sizeof *all, by_rank);
    for (size_t j = 0; status == 0 && j < nall && j < max_sources; j++) {
      char *name, *text;
      size_t tlen;
      vb_archive *a = open[all[j].archive];
      if (vb_archive_get(a, all[j].hit.id, &name, &text, &tlen) < 0) {
        fprintf(stderr, "verbatim: %s\n", vb_archive_error(a));
        status = EXIT_FAIL;
        break;
      }
      const char *arch = archives[all[j].archive];
      size_t nn = strlen(arch) + strlen(name) + 2;
      char *full = malloc(nn);
      if (full) snprintf(full, nn, "%s:%s", arch, name);
      if (!full) status = EXIT_FAIL;
      else if (!already_added(c, full)) {
        if (vb_corpus_add(c, full, text, tlen, VB_DOC_SOURCE) < 0) {
          fprintf(stderr, "verbatim: %s: %s\n", full, vb_corpus_error(c));
          status = EXIT_FAIL;
        } else if (report) {
          fprintf(report, "%s: source %s (%zu shared n-grams)\n", vb_doc_name(c, drafts[k]), full,
                  all[j].hit.shared);
        }
      }
      free(full);
      vb_archive_release(name);
      vb_archive_release(text);
    }
    free(all);
  }
  free(drafts);
  for (size_t i = 0; i < narchives; i++) vb_archive_close(open[i]);
  free(open);
  return status;
}
