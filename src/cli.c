/* cli.c: the `verbatim` command-line tool over the public API. */
#define _DEFAULT_SOURCE /* sysconf(_SC_NPROCESSORS_ONLN) */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_archive.h"
#include "emit.h"
#include "json.h"
#include "lsp/lsp.h"
#include "verbatim.h"

enum { FMT_TEXT, FMT_JSON, FMT_VIMGREP };
enum { EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: verbatim COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Commands:\n"
    "  analyze [--format text|json] FILE...\n"
    "      entities and quotations with their speakers\n"
    "  check [--source FILE]... [--format text|json|vimgrep] FILE...\n"
    "      check each FILE against all the others (--source files are references only)\n"
    "  check --archive ARCHIVE... [--max-sources N] FILE...\n"
    "      check FILE against its likely sources in the archives (at most N, default 16)\n"
    "  archive add ARCHIVE [--from-list FILE|-] FILE... | remove ARCHIVE NAME...\n"
    "  archive stats ARCHIVE | merge ARCHIVE FROM...\n"
    "      build and maintain an on-disk archive of sources\n"
    "  align [--format text|json] --target FILE SOURCE...\n"
    "      how much of FILE comes from the SOURCE files, verbatim or rewritten\n"
    "  related [--format text|json] [--max N] --at FILE:LINE[:COL] FILE...\n"
    "      passages of the other files related to the paragraph at FILE:LINE\n"
    "  lsp [--stdio]\n"
    "      a language server on stdin and stdout (see :help verbatim-lsp)\n"
    "\n"
    "Options for every command:\n"
    "  --names FILE          a names file: one name a line, optional type after a tab\n"
    "  --option NAME=VALUE   set a library option (rule.quote-altered=off, limit.docs=10, ...)\n"
    "  --rule RULE=SEVERITY  shorthand for --option rule.RULE=SEVERITY\n"
    "  --fail-on SEVERITY    check: exit 1 when a finding is this severe (default error)\n"
    "  -j N, --jobs N        analyze, check: N files at once on N threads (default: the\n"
    "                        number of online cores); output stays in argument order\n"
    "  -h, --help            this text\n"
    "  --version             the version\n"
    "\n"
    "Exit status: 0 success, 1 findings at --fail-on severity or an unreadable file,\n"
    "2 bad usage.\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "verbatim: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'verbatim --help'.\n");
  return EXIT_USAGE;
}

/* ----------------------------------------------------------------- options */

typedef struct {
  const char *command;
  int format;
  const char **files;
  size_t nfiles;
  const char **sources;
  size_t nsources;
  const char *target;
  const char *at;
  const char *names;
  const char **options; /* NAME=VALUE */
  size_t noptions;
  char *is_rule; /* per option: given as --rule, so the name lacks "rule." */
  size_t max;
  const char *fail_on;
  const char **archives; /* check --archive */
  size_t narchives;
  size_t max_sources;
  size_t jobs;  /* -j N: worker threads for analyze and check */
  vb_out *out; /* standard output, buffered */
} cli_args;

static int parse_format(const char *v, int allow_vimgrep, int *out) {
  if (strcmp(v, "text") == 0) *out = FMT_TEXT;
  else if (strcmp(v, "json") == 0) *out = FMT_JSON;
  else if (allow_vimgrep && strcmp(v, "vimgrep") == 0) *out = FMT_VIMGREP;
  else return -1;
  return 0;
}

static int parse_args(int argc, char **argv, cli_args *a) {
  memset(a, 0, sizeof *a);
  a->command = argv[1];
  a->max = 10;
  size_t n = (size_t)argc;
  a->files = calloc(n, sizeof(char *));
  a->sources = calloc(n, sizeof(char *));
  a->options = calloc(n, sizeof(char *));
  a->is_rule = calloc(n, 1);
  a->archives = calloc(n, sizeof(char *));
  a->max_sources = 16;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  a->jobs = cores > 0 ? (size_t)cores : 1;
  if (!a->files || !a->sources || !a->options || !a->is_rule) {
    fprintf(stderr, "verbatim: out of memory\n");
    return EXIT_USAGE;
  }
  int is_check = strcmp(a->command, "check") == 0;
  int only_files = 0;
  for (int i = 2; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (only_files || arg[0] != '-' || strcmp(arg, "-") == 0) {
      a->files[a->nfiles++] = arg;
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      only_files = 1;
      continue;
    }
    if (strncmp(arg, "-j", 2) == 0 && arg[2]) { /* -jN */
      char *end;
      long v = strtol(arg + 2, &end, 10);
      if (*end || v <= 0 || v > 1024) return usage_error("-j wants a number of threads (1 to 1024), not '%s'", arg + 2);
      a->jobs = (size_t)v;
      continue;
    }
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      fputs(usage_text, stdout);
      exit(0);
    }
    int takes_value = strcmp(arg, "--format") == 0 || strcmp(arg, "--source") == 0 ||
                      strcmp(arg, "--target") == 0 || strcmp(arg, "--at") == 0 ||
                      strcmp(arg, "--names") == 0 || strcmp(arg, "--option") == 0 ||
                      strcmp(arg, "--rule") == 0 || strcmp(arg, "--max") == 0 ||
                      strcmp(arg, "--fail-on") == 0 || strcmp(arg, "--archive") == 0 ||
                      strcmp(arg, "--max-sources") == 0 || strcmp(arg, "-j") == 0 ||
                      strcmp(arg, "--jobs") == 0;
    if (!takes_value) return usage_error("unknown option '%s'", arg);
    if (!val) return usage_error("option '%s' needs a value", arg);
    i++;
    if (strcmp(arg, "--format") == 0) {
      if (parse_format(val, is_check, &a->format))
        return usage_error("unknown format '%s'", val);
    } else if (strcmp(arg, "--source") == 0) {
      a->sources[a->nsources++] = val;
    } else if (strcmp(arg, "--target") == 0) {
      a->target = val;
    } else if (strcmp(arg, "--at") == 0) {
      a->at = val;
    } else if (strcmp(arg, "--names") == 0) {
      a->names = val;
    } else if (strcmp(arg, "--option") == 0 || strcmp(arg, "--rule") == 0) {
      if (!strchr(val, '=')) return usage_error("'%s' is not NAME=VALUE", val);
      a->is_rule[a->noptions] = arg[2] == 'r';
      a->options[a->noptions++] = val;
    } else if (strcmp(arg, "--max") == 0) {
      char *end;
      long v = strtol(val, &end, 10);
      if (*end || v <= 0) return usage_error("--max wants a positive number, not '%s'", val);
      a->max = (size_t)v;
    } else if (strcmp(arg, "--fail-on") == 0) {
      a->fail_on = val;
    } else if (strcmp(arg, "--archive") == 0) {
      a->archives[a->narchives++] = val;
    } else if (strcmp(arg, "-j") == 0 || strcmp(arg, "--jobs") == 0) {
      char *end;
      long v = strtol(val, &end, 10);
      if (*end || v <= 0 || v > 1024) return usage_error("-j wants a number of threads (1 to 1024), not '%s'", val);
      a->jobs = (size_t)v;
    } else if (strcmp(arg, "--max-sources") == 0) {
      char *end;
      long v = strtol(val, &end, 10);
      if (*end || v <= 0) return usage_error("--max-sources wants a positive number, not '%s'", val);
      a->max_sources = (size_t)v;
    }
  }
  return 0;
}

/* ------------------------------------------------------------------- input */

/* Read a whole file; NULL with errno set when it cannot be read. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return NULL;
  struct stat st;
  if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    errno = EISDIR;
    return NULL;
  }
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    char *nb = cap > ((size_t)1 << 40) ? NULL : realloc(buf, cap * 2);
    if (!nb) {
      free(buf);
      buf = NULL;
      errno = ENOMEM;
      break;
    }
    buf = nb;
    cap *= 2;
  }
  int failed = buf && ferror(f);
  if (f != stdin) fclose(f);
  if (failed) {
    free(buf);
    errno = EIO;
    return NULL;
  }
  *len = n;
  return buf;
}

/* A message about one file: to stderr, or into err (a worker's, printed
 * later in argument order). */
static void say(vb_out *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(vb_out *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (err) vb_out_vprintf(err, fmt, ap);
  else vfprintf(stderr, fmt, ap);
  va_end(ap);
}

static int add_bytes(vb_corpus *c, const char *path, const char *bytes, size_t len, unsigned flags,
                     vb_out *err) {
  int id = vb_corpus_add(c, path, bytes, len, flags);
  if (id < 0) {
    /* some messages name the document already ("a.txt: ... (limit.docs)") */
    const char *msg = vb_corpus_error(c);
    size_t n = strlen(path);
    if (strncmp(msg, path, n) == 0 && msg[n] == ':') say(err, "verbatim: %s\n", msg);
    else say(err, "verbatim: %s: %s\n", path, msg);
  }
  return id;
}

static int add_file_to(vb_corpus *c, const char *path, unsigned flags, vb_out *err) {
  size_t len = 0;
  char *bytes = read_file(path, &len);
  if (!bytes) {
    say(err, "verbatim: cannot read %s: %s\n", path, strerror(errno));
    return -1;
  }
  int id = add_bytes(c, path, bytes, len, flags, err);
  free(bytes);
  return id;
}

static int add_file(vb_corpus *c, const char *path, unsigned flags) {
  return add_file_to(c, path, flags, NULL);
}

static vb_corpus *make_corpus(const cli_args *a, int *status) {
  vb_corpus *c = vb_corpus_new();
  if (!c) {
    fprintf(stderr, "verbatim: out of memory\n");
    *status = EXIT_FINDINGS;
    return NULL;
  }
  for (size_t i = 0; i < a->noptions; i++) {
    char name[128];
    const char *eq = strchr(a->options[i], '=');
    size_t n = (size_t)(eq - a->options[i]);
    size_t pre = a->is_rule[i] ? 5 : 0;
    if (n + pre >= sizeof name) n = sizeof name - 1 - pre;
    memcpy(name, "rule.", pre);
    memcpy(name + pre, a->options[i], n);
    name[n + pre] = '\0';
    if (vb_corpus_set_option(c, name, eq + 1) < 0) {
      fprintf(stderr, "verbatim: %s\n", vb_corpus_error(c));
      vb_corpus_free(c);
      *status = EXIT_USAGE;
      return NULL;
    }
  }
  if (a->fail_on && vb_corpus_set_option(c, "check.fail_on", a->fail_on) < 0) {
    fprintf(stderr, "verbatim: %s\n", vb_corpus_error(c));
    vb_corpus_free(c);
    *status = EXIT_USAGE;
    return NULL;
  }
  if (a->names) {
    size_t len;
    char *text = read_file(a->names, &len);
    if (!text) {
      fprintf(stderr, "verbatim: cannot read %s: %s\n", a->names, strerror(errno));
      vb_corpus_free(c);
      *status = EXIT_FINDINGS;
      return NULL;
    }
    int rc = vb_corpus_load_names(c, text, len);
    free(text);
    if (rc < 0) {
      fprintf(stderr, "verbatim: %s: %s\n", a->names, vb_corpus_error(c));
      vb_corpus_free(c);
      *status = EXIT_FINDINGS;
      return NULL;
    }
  }
  return c;
}

/* ----------------------------------------------------------------- helpers */

static void print_location(vb_out *o, vb_corpus *c, int doc, size_t off) {
  size_t line = 0, col = 0;
  vb_doc_position(c, doc, off, &line, &col);
  vb_out_printf(o, "%s:%zu:%zu", vb_doc_name(c, doc), line, col);
}

/* Print text on one line: newlines and tabs as spaces. */
static void print_flat(vb_out *o, const char *s) {
  for (; *s; s++) vb_out_putc(o, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
}

/* ----------------------------------------------------------------- analyze */

/* Entities by type, then by canonical form, then in text order. */
static int by_canonical(const void *a, const void *b) {
  const vb_entity *x = *(const vb_entity *const *)a, *y = *(const vb_entity *const *)b;
  if (x->type != y->type) return x->type < y->type ? -1 : 1;
  int cmp = strcmp(x->canonical, y->canonical);
  if (cmp) return cmp;
  return x < y ? -1 : x > y;
}

typedef struct {
  const vb_entity *first; /* first mention of the canonical form */
  size_t count;
} ent_group;

/* Groups by type, then in the order their forms first appear. */
static int by_first_mention(const void *a, const void *b) {
  const vb_entity *x = ((const ent_group *)a)->first, *y = ((const ent_group *)b)->first;
  if (x->type != y->type) return x->type < y->type ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* "  PERSON: Marco Rubio (3), Jane Doe": one line per type, each distinct
 * canonical form once with its count, in order of first mention. Sorting
 * keeps this O(n log n) for documents with thousands of entities. */
static int print_entity_groups(vb_out *o, const vb_entity *ents, size_t ne) {
  if (ne == 0) return 0;
  const vb_entity **order = malloc(ne * sizeof *order);
  ent_group *groups = malloc(ne * sizeof *groups);
  if (!order || !groups) {
    free(order);
    free(groups);
    return -1;
  }
  for (size_t i = 0; i < ne; i++) order[i] = &ents[i];
  qsort(order, ne, sizeof *order, by_canonical);
  size_t ng = 0;
  for (size_t i = 0; i < ne; i++) {
    if (i > 0 && order[i]->type == order[i - 1]->type &&
        strcmp(order[i]->canonical, order[i - 1]->canonical) == 0) {
      groups[ng - 1].count++;
      continue;
    }
    groups[ng].first = order[i];
    groups[ng].count = 1;
    ng++;
  }
  qsort(groups, ng, sizeof *groups, by_first_mention);
  for (size_t g = 0; g < ng; g++) {
    const vb_entity *e = groups[g].first;
    int same_type = g > 0 && groups[g - 1].first->type == e->type;
    if (same_type) vb_out_puts(o, ", ");
    else vb_out_printf(o, "  %s: ", vb_entity_type_name(e->type));
    print_flat(o, e->canonical);
    if (groups[g].count > 1) vb_out_printf(o, " (%zu)", groups[g].count);
    if (g + 1 == ng || groups[g + 1].first->type != e->type) vb_out_putc(o, '\n');
  }
  free(order);
  free(groups);
  return 0;
}

/* --------------------------------------------------------------- workers */

/* analyze and check run over files on -j N threads. Each worker has its own
 * corpus (the library is safe for separate handles) and writes each file's
 * output and messages into memory; the main thread writes them out in the
 * order of the arguments. With one worker the main thread does the work. */

typedef struct {
  vb_out out;   /* analyze: the file's text or JSON document; check: its diagnostics */
  vb_out out2;  /* check --format json: its quotes */
  vb_out err;   /* messages for stderr */
  int status;
  size_t counts[VB_SEV_ERROR + 1]; /* check: findings by severity */
  int done;
} file_result;

typedef struct pool pool;
typedef void (*work_fn)(pool *p, vb_corpus *c, const int *ids, size_t i);

struct pool {
  const cli_args *a;
  size_t nfiles;
  file_result *res;
  work_fn work;
  vb_corpus *first;   /* the main thread's corpus */
  /* check: every document, read once by the main thread */
  char **bytes;
  size_t *lens;
  unsigned *flags;
  const char **paths;
  int *first_ids;     /* the documents' ids in `first` (-1: not added) */
  size_t ndocs;
  size_t checked_from; /* the checked files are paths[checked_from..] */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t next;        /* the next file to take */
  int threaded;
  int threshold;      /* check: the severity that fails */
};

static size_t take_next(pool *p) {
  if (p->threaded) pthread_mutex_lock(&p->mu);
  size_t i = p->next < p->nfiles ? p->next++ : p->nfiles;
  if (p->threaded) pthread_mutex_unlock(&p->mu);
  return i;
}

static void finish_file(pool *p, size_t i) {
  if (p->threaded) pthread_mutex_lock(&p->mu);
  p->res[i].done = 1;
  if (p->threaded) {
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
}

static void wait_file(pool *p, size_t i) {
  if (!p->threaded) return;
  pthread_mutex_lock(&p->mu);
  while (!p->res[i].done) pthread_cond_wait(&p->cv, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

static void run_files(pool *p, vb_corpus *c, const int *ids) {
  for (size_t i; (i = take_next(p)) < p->nfiles;) {
    p->work(p, c, ids, i);
    finish_file(p, i);
  }
}

/* A corpus of the worker's own, with every document the main thread read. */
static vb_corpus *worker_corpus(pool *p, int **ids_out) {
  int status = 0;
  vb_corpus *c = make_corpus(p->a, &status);
  int *ids = p->ndocs ? calloc(p->ndocs, sizeof *ids) : NULL;
  if (!c || (p->ndocs && !ids)) {
    vb_corpus_free(c);
    free(ids);
    return NULL;
  }
  for (size_t d = 0; d < p->ndocs; d++)
    ids[d] = p->first_ids[d] < 0 ? -1
                                 : vb_corpus_add(c, p->paths[d], p->bytes[d], p->lens[d], p->flags[d]);
  *ids_out = ids;
  return c;
}

static void *worker_main(void *arg) {
  pool *p = arg;
  int *ids = NULL;
  vb_corpus *c = worker_corpus(p, &ids);
  if (c) run_files(p, c, ids);
  /* out of memory: the other workers (and the main thread) do the files */
  vb_corpus_free(c);
  free(ids);
  return NULL;
}

/* Run p->work over the files on up to a->jobs threads; `emit` writes file
 * i's result as soon as it and those before it are done. */
static int run_pool(pool *p, void (*emit)(pool *p, size_t i, void *ctx), void *ctx) {
  p->res = calloc(p->nfiles ? p->nfiles : 1, sizeof *p->res);
  if (!p->res) {
    fprintf(stderr, "verbatim: out of memory\n");
    return EXIT_FINDINGS;
  }
  for (size_t i = 0; i < p->nfiles; i++) {
    vb_out_init_buffer(&p->res[i].out);
    vb_out_init_buffer(&p->res[i].out2);
    vb_out_init_buffer(&p->res[i].err);
  }
  size_t nthreads = p->a->jobs < p->nfiles ? p->a->jobs : p->nfiles;
  pthread_t *tids = nthreads > 1 ? calloc(nthreads - 1, sizeof *tids) : NULL;
  size_t started = 0;
  if (tids) {
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->threaded = 1;
    for (size_t t = 0; t + 1 < nthreads; t++)
      if (pthread_create(&tids[t], NULL, worker_main, p) == 0) started++;
  }
  int status = 0;
  if (!tids || started == 0) {
    /* one thread: each file's result is written as soon as it is done */
    p->threaded = 0;
    for (size_t i; (i = take_next(p)) < p->nfiles;) {
      p->work(p, p->first, p->first_ids, i);
      p->res[i].done = 1;
      emit(p, i, ctx);
    }
  } else {
    /* the main thread works too, and writes results in order as they come */
    size_t written = 0;
    for (size_t i; (i = take_next(p)) < p->nfiles;) {
      p->work(p, p->first, p->first_ids, i);
      finish_file(p, i);
      pthread_mutex_lock(&p->mu);
      while (written < p->nfiles && p->res[written].done) {
        pthread_mutex_unlock(&p->mu);
        emit(p, written++, ctx);
        pthread_mutex_lock(&p->mu);
      }
      pthread_mutex_unlock(&p->mu);
    }
    for (; written < p->nfiles; written++) {
      wait_file(p, written);
      emit(p, written, ctx);
    }
    for (size_t t = 0; t < started; t++) pthread_join(tids[t], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
  }
  free(tids);
  for (size_t i = 0; i < p->nfiles; i++) {
    if (p->res[i].status) status = p->res[i].status;
    vb_out_free(&p->res[i].out);
    vb_out_free(&p->res[i].out2);
    vb_out_free(&p->res[i].err);
  }
  free(p->res);
  p->res = NULL;
  return status;
}

/* Write a worker's messages to stderr. */
static void flush_err(file_result *r) {
  if (r->err.len) fwrite(r->err.buf, 1, r->err.len, stderr);
  if (r->err.failed) fprintf(stderr, "verbatim: out of memory\n");
}

/* ----------------------------------------------------------------- analyze */

static int analyze_text(vb_out *o, vb_corpus *c, int id) {
  size_t ne, nq;
  const vb_quote *qs = vb_doc_quotes(c, id, &nq);
  const vb_entity *ents = vb_doc_entities(c, id, &ne);
  vb_out_printf(o, "%s: %zu quotation%s, %zu entit%s\n", vb_doc_name(c, id), nq,
                nq == 1 ? "" : "s", ne, ne == 1 ? "y" : "ies");
  for (size_t i = 0; i < nq; i++) {
    vb_out_puts(o, "  ");
    print_location(o, c, id, qs[i].start);
    vb_out_printf(o, ": %-7s %s: \"", vb_quote_kind_name(qs[i].kind),
                  qs[i].speaker_name ? qs[i].speaker_name : "(no speaker)");
    print_flat(o, qs[i].text);
    vb_out_puts(o, "\"\n");
  }
  return print_entity_groups(o, ents, ne);
}

/* Each file is analysed alone: added, written out, and removed again, so
 * that memory stays that of one document. */
static void analyze_work(pool *p, vb_corpus *c, const int *ids, size_t i) {
  file_result *r = &p->res[i];
  const char *path = p->a->files[i];
  const char *lim = vb_corpus_get_option(c, "limit.docs");
  size_t limit = lim ? (size_t)strtoull(lim, NULL, 10) : 0;
  if (i >= limit) {
    /* as if every file were in one corpus */
    say(&r->err, "verbatim: %s: the corpus already holds %zu documents (limit.docs)\n", path, limit);
    r->status = EXIT_FINDINGS;
    return;
  }
  int id = add_file_to(c, path, 0, &r->err);
  if (id < 0) {
    r->status = EXIT_FINDINGS;
    return;
  }
  if (p->a->format == FMT_JSON) {
    vb_json j;
    vb_json_init_out(&j, &r->out);
    vb_emit_document(&j, c, id);
  } else if (analyze_text(&r->out, c, id)) {
    say(&r->err, "verbatim: out of memory\n");
    r->status = EXIT_FINDINGS;
  }
  vb_corpus_remove(c, id);
}

typedef struct {
  vb_out *o;
  size_t ndocs; /* documents written so far */
} analyze_ctx;

static void analyze_emit(pool *p, size_t i, void *arg) {
  analyze_ctx *x = arg;
  file_result *r = &p->res[i];
  flush_err(r);
  if (r->out.failed) {
    fprintf(stderr, "verbatim: %s: out of memory\n", p->a->files[i]);
    r->status = EXIT_FINDINGS;
  } else if (r->out.len) {
    if (p->a->format == FMT_JSON && x->ndocs++) vb_out_putc(x->o, ',');
    vb_out_write(x->o, r->out.buf, r->out.len);
  }
  vb_out_free(&r->out);
  vb_out_free(&r->err);
}

static int cmd_analyze(const cli_args *a) {
  vb_out *o = a->out;
  if (a->nfiles == 0) return usage_error("%s: no files given", "analyze");
  int status = 0;
  vb_corpus *c = make_corpus(a, &status);
  if (!c) return status;
  pool p;
  memset(&p, 0, sizeof p);
  p.a = a;
  p.nfiles = a->nfiles;
  p.work = analyze_work;
  p.first = c;
  analyze_ctx x = {o, 0};
  if (a->format == FMT_JSON) vb_out_puts(o, "{\"documents\":[");
  status = run_pool(&p, analyze_emit, &x);
  if (a->format == FMT_JSON) vb_out_puts(o, "]}\n");
  vb_corpus_free(c);
  return status;
}

/* ------------------------------------------------------------------- check */

static void check_lines(vb_out *o, vb_corpus *c, const vb_report *r, int verbose,
                        size_t *counts) {
  for (size_t i = 0; i < r->n_diagnostics; i++) {
    const vb_diagnostic *d = &r->diagnostics[i];
    counts[d->severity <= VB_SEV_ERROR ? d->severity : VB_SEV_ERROR]++;
    print_location(o, c, d->doc, d->start);
    vb_out_printf(o, ": %s: ", vb_severity_name(d->severity));
    print_flat(o, d->message);
    vb_out_printf(o, " [%s]\n", d->rule);
    if (!verbose) continue;
    for (size_t k = 0; k < d->n_related; k++) {
      vb_out_puts(o, "    see ");
      print_location(o, c, d->related[k].doc, d->related[k].start);
      vb_out_putc(o, '\n');
    }
  }
}

/* Check one file against all the other documents: its diagnostics (and,
 * for JSON, its quotations' matches) into its result. */
static void check_work(pool *p, vb_corpus *c, const int *ids, size_t i) {
  file_result *res = &p->res[i];
  int id = ids[p->checked_from + i];
  if (id < 0) return; /* not read: said already */
  vb_report *r = NULL;
  if (vb_check(c, id, &r) < 0) {
    say(&res->err, "verbatim: check failed: %s\n", vb_corpus_error(c));
    res->status = EXIT_FINDINGS;
    return;
  }
  if (p->a->format == FMT_JSON) {
    /* comma-separated values, spliced into the arrays of the whole report */
    vb_json j;
    vb_json_init_out(&j, &res->out);
    for (size_t k = 0; k < r->n_diagnostics; k++) vb_emit_diagnostic(&j, c, &r->diagnostics[k]);
    vb_json_init_out(&j, &res->out2);
    for (size_t k = 0; k < r->n_quotes; k++) vb_emit_quote_matches(&j, c, &r->quotes[k]);
  } else {
    check_lines(&res->out, c, r, p->a->format == FMT_TEXT, res->counts);
  }
  for (size_t k = 0; k < r->n_diagnostics; k++)
    if ((int)r->diagnostics[k].severity >= p->threshold && p->threshold > VB_SEV_OFF)
      res->status = EXIT_FINDINGS;
  vb_report_free(r);
}

typedef struct {
  vb_out *o;
  vb_out quotes;  /* JSON: the quotes array, written after the diagnostics */
  size_t ndiag_chunks, nquote_chunks;
  size_t counts[VB_SEV_ERROR + 1];
} check_ctx;

static void check_emit(pool *p, size_t i, void *arg) {
  check_ctx *x = arg;
  file_result *r = &p->res[i];
  flush_err(r);
  if (r->out.failed || r->out2.failed) {
    fprintf(stderr, "verbatim: %s: out of memory\n", p->a->files[i]);
    r->status = EXIT_FINDINGS;
  } else if (p->a->format == FMT_JSON) {
    if (r->out.len) {
      if (x->ndiag_chunks++) vb_out_putc(x->o, ',');
      vb_out_write(x->o, r->out.buf, r->out.len);
    }
    if (r->out2.len) {
      if (x->nquote_chunks++) vb_out_putc(&x->quotes, ',');
      vb_out_write(&x->quotes, r->out2.buf, r->out2.len);
    }
  } else {
    vb_out_write(x->o, r->out.buf, r->out.len);
    for (int s = 0; s <= VB_SEV_ERROR; s++) x->counts[s] += r->counts[s];
  }
  vb_out_free(&r->out);
  vb_out_free(&r->out2);
  vb_out_free(&r->err);
}

static int cmd_check(const cli_args *a) {
  vb_out *o = a->out;
  if (a->nfiles == 0) return usage_error("%s: no files to check", "check");
  int status = 0;
  vb_corpus *c = make_corpus(a, &status);
  if (!c) return status;
  /* every document is read once, here; the workers' corpora add the same bytes */
  size_t ndocs = a->nsources + a->nfiles;
  pool p;
  memset(&p, 0, sizeof p);
  p.a = a;
  p.ndocs = ndocs;
  p.checked_from = a->nsources;
  p.nfiles = a->nfiles;
  p.work = check_work;
  p.first = c;
  p.bytes = calloc(ndocs, sizeof *p.bytes);
  p.lens = calloc(ndocs, sizeof *p.lens);
  p.flags = calloc(ndocs, sizeof *p.flags);
  p.paths = calloc(ndocs, sizeof *p.paths);
  p.first_ids = calloc(ndocs, sizeof *p.first_ids);
  int rc = 0;
  if (!p.bytes || !p.lens || !p.flags || !p.paths || !p.first_ids) {
    fprintf(stderr, "verbatim: out of memory\n");
    rc = EXIT_FINDINGS;
    goto done;
  }
  for (size_t d = 0; d < ndocs; d++) {
    p.paths[d] = d < a->nsources ? a->sources[d] : a->files[d - a->nsources];
    p.flags[d] = d < a->nsources ? VB_DOC_SOURCE : 0;
    p.first_ids[d] = -1;
    p.bytes[d] = read_file(p.paths[d], &p.lens[d]);
    if (!p.bytes[d]) say(NULL, "verbatim: cannot read %s: %s\n", p.paths[d], strerror(errno));
    else p.first_ids[d] = add_bytes(c, p.paths[d], p.bytes[d], p.lens[d], p.flags[d], NULL);
    if (p.first_ids[d] < 0) status = EXIT_FINDINGS;
  }
  vb_out_flush(o); /* the archive's text lines go to stdout directly */
  if (cli_archive_sources(c, a->archives, a->narchives, a->max_sources,
                          a->format == FMT_TEXT ? stdout : NULL)) {
    rc = EXIT_FINDINGS;
    goto done;
  }
  const char *fail_on = vb_corpus_get_option(c, "check.fail_on");
  p.threshold = VB_SEV_ERROR;
  for (int s = VB_SEV_OFF; s <= VB_SEV_ERROR; s++)
    if (fail_on && strcmp(fail_on, vb_severity_name(s)) == 0) p.threshold = s;
  /* one thread per file to check at most; archive sources live only in `c` */
  cli_args one = *a;
  if (a->narchives) one.jobs = 1;
  p.a = &one;
  check_ctx x;
  memset(&x, 0, sizeof x);
  x.o = o;
  vb_out_init_buffer(&x.quotes);
  if (a->format == FMT_JSON) vb_out_puts(o, "{\"diagnostics\":[");
  int st = run_pool(&p, check_emit, &x);
  if (st) status = st;
  if (a->format == FMT_JSON) {
    vb_out_puts(o, "],\"quotes\":[");
    vb_out_write(o, x.quotes.buf, x.quotes.len);
    vb_out_puts(o, "]}\n");
    if (x.quotes.failed) {
      fprintf(stderr, "verbatim: out of memory\n");
      status = EXIT_FINDINGS;
    }
  } else if (a->format == FMT_TEXT) {
    size_t *n = x.counts;
    vb_out_printf(o, "%zu error%s, %zu warning%s, %zu note%s\n", n[VB_SEV_ERROR],
                  n[VB_SEV_ERROR] == 1 ? "" : "s", n[VB_SEV_WARNING],
                  n[VB_SEV_WARNING] == 1 ? "" : "s", n[VB_SEV_INFO] + n[VB_SEV_HINT],
                  n[VB_SEV_INFO] + n[VB_SEV_HINT] == 1 ? "" : "s");
  }
  vb_out_free(&x.quotes);
  rc = status;
done:
  for (size_t d = 0; p.bytes && d < ndocs; d++) free(p.bytes[d]);
  free(p.bytes);
  free(p.lens);
  free(p.flags);
  free(p.paths);
  free(p.first_ids);
  vb_corpus_free(c);
  return rc;
}

/* ------------------------------------------------------------------- align */

static int cmd_align(const cli_args *a) {
  vb_out *o = a->out;
  if (!a->target) return usage_error("%s: --target FILE is required", "align");
  if (a->nfiles == 0) return usage_error("%s: no source files given", "align");
  int status = 0;
  vb_corpus *c = make_corpus(a, &status);
  if (!c) return status;
  int target = add_file(c, a->target, 0);
  if (target < 0) {
    vb_corpus_free(c);
    return EXIT_FINDINGS;
  }
  for (size_t i = 0; i < a->nfiles; i++)
    if (add_file(c, a->files[i], VB_DOC_SOURCE) < 0) status = EXIT_FINDINGS;
  vb_alignment *al = NULL;
  if (vb_align(c, target, &al) < 0) {
    fprintf(stderr, "verbatim: align failed: %s\n", vb_corpus_error(c));
    vb_corpus_free(c);
    return EXIT_FINDINGS;
  }
  if (a->format == FMT_JSON) {
    vb_json j;
    vb_json_init_out(&j, o);
    vb_emit_alignment(&j, c, al, a->target);
    vb_out_putc(o, '\n');
  } else {
    vb_out_printf(o, "%s: %s derived (verbatim %.0f%%, rewritten %.0f%%, new %.0f%%)\n", a->target,
           vb_reuse_name(al->reuse), al->verbatim * 100, al->rewrite * 100, al->fresh * 100);
    for (size_t i = 0; i < al->n_spans; i++) {
      const vb_span *s = &al->spans[i];
      vb_out_printf(o, "  ");
      print_location(o, c, target, s->start);
      vb_out_printf(o, ": %-8s from ", vb_relation_name(s->relation));
      print_location(o, c, s->source, s->source_start);
      vb_out_putc(o, '\n');
    }
  }
  vb_alignment_free(al);
  vb_corpus_free(c);
  return status;
}

/* ----------------------------------------------------------------- related */

static int cmd_related(const cli_args *a) {
  vb_out *o = a->out;
  if (!a->at) return usage_error("%s: --at FILE:LINE[:COL] is required", "related");
  /* split FILE:LINE[:COL] from the right, so that paths may hold ':' */
  char *spec = strdup(a->at);
  if (!spec) return EXIT_FINDINGS;
  long line = 0, col = 1;
  char *p1 = strrchr(spec, ':');
  char *end;
  if (p1) {
    long v = strtol(p1 + 1, &end, 10);
    if (*end == '\0' && v > 0) {
      *p1 = '\0';
      char *p2 = strrchr(spec, ':');
      long v2 = p2 ? strtol(p2 + 1, &end, 10) : 0;
      if (p2 && *end == '\0' && v2 > 0) {
        *p2 = '\0';
        line = v2;
        col = v;
      } else {
        line = v;
      }
    }
  }
  if (line <= 0) {
    free(spec);
    return usage_error("--at wants FILE:LINE[:COL], not '%s'", a->at);
  }
  int status = 0;
  vb_corpus *c = make_corpus(a, &status);
  if (!c) {
    free(spec);
    return status;
  }
  int query = add_file(c, spec, 0);
  for (size_t i = 0; query >= 0 && i < a->nfiles; i++) {
    if (strcmp(a->files[i], spec) == 0) continue;
    if (add_file(c, a->files[i], VB_DOC_SOURCE) < 0) status = EXIT_FINDINGS;
  }
  if (query < 0) {
    free(spec);
    vb_corpus_free(c);
    return EXIT_FINDINGS;
  }
  /* byte offset of LINE:COL */
  size_t len;
  const char *bytes = vb_doc_bytes(c, query, &len);
  size_t off = 0;
  for (long l = 1; l < line && off < len; off++)
    if (bytes[off] == '\n') l++;
  off += (size_t)(col - 1);
  if (off > len) off = len;
  size_t ps, pe;
  vb_doc_paragraph(c, query, off, &ps, &pe);
  vb_related *rel = NULL;
  if (vb_find_related(c, query, ps, pe, a->max, &rel) < 0) {
    fprintf(stderr, "verbatim: related failed: %s\n", vb_corpus_error(c));
    free(spec);
    vb_corpus_free(c);
    return EXIT_FINDINGS;
  }
  if (a->format == FMT_JSON) {
    vb_json j;
    vb_json_init_out(&j, o);
    vb_emit_related(&j, c, spec, ps, pe, rel);
    vb_out_putc(o, '\n');
  } else {
    vb_out_printf(o, "related to %s:%ld:\n", spec, line);
    if (rel->n_passages == 0) vb_out_printf(o, "  (nothing related)\n");
    for (size_t i = 0; i < rel->n_passages; i++) {
      const vb_passage *p = &rel->passages[i];
      vb_out_printf(o, "  %.2f %-8s ", p->score, vb_relation_name(p->relation));
      print_location(o, c, p->doc, p->start);
      vb_out_putc(o, '\n');
    }
  }
  vb_related_free(rel);
  free(spec);
  vb_corpus_free(c);
  return status;
}

/* -------------------------------------------------------------------- main */

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
    fputs(usage_text, stdout);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("verbatim %s\n", vb_version());
    return 0;
  }
  if (strcmp(cmd, "archive") == 0) return cli_archive(argc - 1, argv + 1);
  if (strcmp(cmd, "lsp") == 0) return vb_lsp_main(argc - 1, argv + 1);
  int (*run)(const cli_args *) = NULL;
  if (strcmp(cmd, "analyze") == 0) run = cmd_analyze;
  else if (strcmp(cmd, "check") == 0) run = cmd_check;
  else if (strcmp(cmd, "align") == 0) run = cmd_align;
  else if (strcmp(cmd, "related") == 0) run = cmd_related;
  else return usage_error("unknown command '%s'", cmd);
  cli_args a;
  vb_out out;
  vb_out_init_file(&out, stdout);
  int rc = parse_args(argc, argv, &a);
  a.out = &out;
  if (rc == 0) rc = run(&a);
  if (vb_out_flush(&out)) {
    fprintf(stderr, "verbatim: cannot write the output: %s\n", strerror(out.err));
    rc = EXIT_FINDINGS;
  }
  vb_out_free(&out);
  free(a.files);
  free(a.sources);
  free(a.options);
  free(a.is_rule);
  free(a.archives);
  return rc;
}
