/* cli.c: the `verbatim` command-line tool over the public API. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_archive.h"
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
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      fputs(usage_text, stdout);
      exit(0);
    }
    int takes_value = strcmp(arg, "--format") == 0 || strcmp(arg, "--source") == 0 ||
                      strcmp(arg, "--target") == 0 || strcmp(arg, "--at") == 0 ||
                      strcmp(arg, "--names") == 0 || strcmp(arg, "--option") == 0 ||
                      strcmp(arg, "--rule") == 0 || strcmp(arg, "--max") == 0 ||
                      strcmp(arg, "--fail-on") == 0 || strcmp(arg, "--archive") == 0 ||
                      strcmp(arg, "--max-sources") == 0;
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

static int add_file(vb_corpus *c, const char *path, unsigned flags) {
  size_t len = 0;
  char *bytes = read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "verbatim: cannot read %s: %s\n", path, strerror(errno));
    return -1;
  }
  int id = vb_corpus_add(c, path, bytes, len, flags);
  free(bytes);
  if (id < 0) {
    /* some messages name the document already ("a.txt: ... (limit.docs)") */
    const char *msg = vb_corpus_error(c);
    size_t n = strlen(path);
    if (strncmp(msg, path, n) == 0 && msg[n] == ':') fprintf(stderr, "verbatim: %s\n", msg);
    else fprintf(stderr, "verbatim: %s: %s\n", path, msg);
    return -1;
  }
  return id;
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

static void json_position(vb_json *j, vb_corpus *c, int doc, size_t off, const char *lk,
                          const char *ck) {
  size_t line = 0, col = 0;
  vb_doc_position(c, doc, off, &line, &col);
  vb_json_key(j, lk);
  vb_json_size(j, line);
  vb_json_key(j, ck);
  vb_json_size(j, col);
}

static void print_location(vb_corpus *c, int doc, size_t off) {
  size_t line = 0, col = 0;
  vb_doc_position(c, doc, off, &line, &col);
  printf("%s:%zu:%zu", vb_doc_name(c, doc), line, col);
}

/* Print text on one line: newlines and tabs as spaces. */
static void print_flat(const char *s) {
  for (; *s; s++) putchar(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
}

/* ----------------------------------------------------------------- analyze */

static void analyze_json(vb_corpus *c, const int *ids, size_t n) {
  vb_json j;
  vb_json_init(&j, stdout);
  vb_json_begin_object(&j);
  vb_json_key(&j, "documents");
  vb_json_begin_array(&j);
  for (size_t k = 0; k < n; k++) {
    int id = ids[k];
    vb_json_begin_object(&j);
    vb_json_key(&j, "path");
    vb_json_string(&j, vb_doc_name(c, id));
    vb_json_key(&j, "encoding");
    vb_json_string(&j, vb_doc_encoding(c, id) == VB_ENC_CP1252     ? "windows-1252"
                       : vb_doc_encoding(c, id) == VB_ENC_REPAIRED ? "utf-8 (repaired)"
                                                                   : "utf-8");
    size_t ne, nq;
    const vb_entity *ents = vb_doc_entities(c, id, &ne);
    vb_json_key(&j, "entities");
    vb_json_begin_array(&j);
    for (size_t i = 0; i < ne; i++) {
      vb_json_begin_object(&j);
      vb_json_key(&j, "start");
      vb_json_size(&j, ents[i].start);
      vb_json_key(&j, "end");
      vb_json_size(&j, ents[i].end);
      vb_json_key(&j, "type");
      vb_json_string(&j, vb_entity_type_name(ents[i].type));
      vb_json_key(&j, "text");
      vb_json_string(&j, ents[i].text);
      vb_json_key(&j, "canonical");
      vb_json_string(&j, ents[i].canonical);
      vb_json_end_object(&j);
    }
    vb_json_end_array(&j);
    const vb_quote *qs = vb_doc_quotes(c, id, &nq);
    vb_json_key(&j, "quotes");
    vb_json_begin_array(&j);
    for (size_t i = 0; i < nq; i++) {
      const vb_quote *q = &qs[i];
      vb_json_begin_object(&j);
      vb_json_key(&j, "start");
      vb_json_size(&j, q->start);
      vb_json_key(&j, "end");
      vb_json_size(&j, q->end);
      vb_json_key(&j, "text");
      vb_json_string(&j, q->text);
      vb_json_key(&j, "kind");
      vb_json_string(&j, vb_quote_kind_name(q->kind));
      json_position(&j, c, id, q->start, "line", "col");
      vb_json_key(&j, "speaker");
      if (q->speaker_name) {
        vb_json_begin_object(&j);
        vb_json_key(&j, "name");
        vb_json_string(&j, q->speaker_name);
        vb_json_key(&j, "start");
        vb_json_size(&j, q->speaker_start);
        vb_json_key(&j, "end");
        vb_json_size(&j, q->speaker_end);
        vb_json_end_object(&j);
      } else {
        vb_json_null(&j);
      }
      if (q->cue_end > q->cue_start) {
        vb_json_key(&j, "cue");
        vb_json_begin_object(&j);
        vb_json_key(&j, "start");
        vb_json_size(&j, q->cue_start);
        vb_json_key(&j, "end");
        vb_json_size(&j, q->cue_end);
        vb_json_end_object(&j);
      }
      vb_json_end_object(&j);
    }
    vb_json_end_array(&j);
    vb_json_end_object(&j);
  }
  vb_json_end_array(&j);
  vb_json_end_object(&j);
  putchar('\n');
}

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
static int print_entity_groups(const vb_entity *ents, size_t ne) {
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
    if (same_type) printf(", ");
    else printf("  %s: ", vb_entity_type_name(e->type));
    print_flat(e->canonical);
    if (groups[g].count > 1) printf(" (%zu)", groups[g].count);
    if (g + 1 == ng || groups[g + 1].first->type != e->type) putchar('\n');
  }
  free(order);
  free(groups);
  return 0;
}

static int analyze_text(vb_corpus *c, const int *ids, size_t n) {
  for (size_t k = 0; k < n; k++) {
    int id = ids[k];
    size_t ne, nq;
    const vb_quote *qs = vb_doc_quotes(c, id, &nq);
    const vb_entity *ents = vb_doc_entities(c, id, &ne);
    printf("%s: %zu quotation%s, %zu entit%s\n", vb_doc_name(c, id), nq, nq == 1 ? "" : "s", ne,
           ne == 1 ? "y" : "ies");
    for (size_t i = 0; i < nq; i++) {
      printf("  ");
      print_location(c, id, qs[i].start);
      printf(": %-7s %s: \"", vb_quote_kind_name(qs[i].kind),
             qs[i].speaker_name ? qs[i].speaker_name : "(no speaker)");
      print_flat(qs[i].text);
      printf("\"\n");
    }
    if (print_entity_groups(ents, ne)) {
      fprintf(stderr, "verbatim: out of memory\n");
      return -1;
    }
  }
  return 0;
}

static int cmd_analyze(const cli_args *a) {
  if (a->nfiles == 0) return usage_error("%s: no files given", "analyze");
  int status = 0;
  vb_corpus *c = make_corpus(a, &status);
  if (!c) return status;
  int *ids = calloc(a->nfiles, sizeof(int));
  size_t n = 0;
  for (size_t i = 0; ids && i < a->nfiles; i++) {
    int id = add_file(c, a->files[i], 0);
    if (id < 0) status = EXIT_FINDINGS;
    else ids[n++] = id;
  }
  if (ids) {
    if (a->format == FMT_JSON) analyze_json(c, ids, n);
    else if (analyze_text(c, ids, n)) status = EXIT_FINDINGS;
  }
  free(ids);
  vb_corpus_free(c);
  return status;
}

/* ------------------------------------------------------------------- check */

static void check_json(vb_corpus *c, const vb_report *r) {
  vb_json j;
  vb_json_init(&j, stdout);
  vb_json_begin_object(&j);
  vb_json_key(&j, "diagnostics");
  vb_json_begin_array(&j);
  for (size_t i = 0; i < r->n_diagnostics; i++) {
    const vb_diagnostic *d = &r->diagnostics[i];
    vb_json_begin_object(&j);
    vb_json_key(&j, "path");
    vb_json_string(&j, vb_doc_name(c, d->doc));
    vb_json_key(&j, "start");
    vb_json_size(&j, d->start);
    vb_json_key(&j, "end");
    vb_json_size(&j, d->end);
    json_position(&j, c, d->doc, d->start, "line", "col");
    json_position(&j, c, d->doc, d->end, "end_line", "end_col");
    vb_json_key(&j, "severity");
    vb_json_string(&j, vb_severity_name(d->severity));
    vb_json_key(&j, "rule");
    vb_json_string(&j, d->rule);
    vb_json_key(&j, "message");
    vb_json_string(&j, d->message);
    vb_json_key(&j, "related");
    vb_json_begin_array(&j);
    for (size_t k = 0; k < d->n_related; k++) {
      const vb_location *l = &d->related[k];
      vb_json_begin_object(&j);
      vb_json_key(&j, "path");
      vb_json_string(&j, vb_doc_name(c, l->doc));
      vb_json_key(&j, "start");
      vb_json_size(&j, l->start);
      vb_json_key(&j, "end");
      vb_json_size(&j, l->end);
      json_position(&j, c, l->doc, l->start, "line", "col");
      vb_json_end_object(&j);
    }
    vb_json_end_array(&j);
    vb_json_end_object(&j);
  }
  vb_json_end_array(&j);
  vb_json_key(&j, "quotes");
  vb_json_begin_array(&j);
  for (size_t i = 0; i < r->n_quotes; i++) {
    const vb_quote_matches *q = &r->quotes[i];
    vb_json_begin_object(&j);
    vb_json_key(&j, "path");
    vb_json_string(&j, vb_doc_name(c, q->doc));
    vb_json_key(&j, "start");
    vb_json_size(&j, q->start);
    vb_json_key(&j, "end");
    vb_json_size(&j, q->end);
    json_position(&j, c, q->doc, q->start, "line", "col");
    vb_json_key(&j, "matches");
    vb_json_begin_array(&j);
    for (size_t k = 0; k < q->n_matches; k++) {
      const vb_match *m = &q->matches[k];
      vb_json_begin_object(&j);
      vb_json_key(&j, "path");
      vb_json_string(&j, vb_doc_name(c, m->doc));
      vb_json_key(&j, "start");
      vb_json_size(&j, m->start);
      vb_json_key(&j, "end");
      vb_json_size(&j, m->end);
      json_position(&j, c, m->doc, m->start, "line", "col");
      vb_json_key(&j, "relation");
      vb_json_string(&j, vb_relation_name(m->relation));
      vb_json_key(&j, "score");
      vb_json_double(&j, m->score);
      if (m->diff) {
        vb_json_key(&j, "diff");
        vb_json_string(&j, m->diff);
      }
      if (m->speaker) {
        vb_json_key(&j, "speaker");
        vb_json_string(&j, m->speaker);
      }
      vb_json_end_object(&j);
    }
    vb_json_end_array(&j);
    vb_json_end_object(&j);
  }
  vb_json_end_array(&j);
  vb_json_end_object(&j);
  putchar('\n');
}

static void check_lines(vb_corpus *c, const vb_report *r, int verbose) {
  size_t counts[VB_SEV_ERROR + 1] = {0};
  for (size_t i = 0; i < r->n_diagnostics; i++) {
    const vb_diagnostic *d = &r->diagnostics[i];
    counts[d->severity <= VB_SEV_ERROR ? d->severity : VB_SEV_ERROR]++;
    print_location(c, d->doc, d->start);
    printf(": %s: ", vb_severity_name(d->severity));
    print_flat(d->message);
    printf(" [%s]\n", d->rule);
    if (!verbose) continue;
    for (size_t k = 0; k < d->n_related; k++) {
      printf("    see ");
      print_location(c, d->related[k].doc, d->related[k].start);
      putchar('\n');
    }
  }
  if (verbose)
    printf("%zu error%s, %zu warning%s, %zu note%s\n", counts[VB_SEV_ERROR],
           counts[VB_SEV_ERROR] == 1 ? "" : "s", counts[VB_SEV_WARNING],
           counts[VB_SEV_WARNING] == 1 ? "" : "s", counts[VB_SEV_INFO] + counts[VB_SEV_HINT],
           counts[VB_SEV_INFO] + counts[VB_SEV_HINT] == 1 ? "" : "s");
}

static int cmd_check(const cli_args *a) {
  if (a->nfiles == 0) return usage_error("%s: no files to check", "check");
  int status = 0;
  vb_corpus *c = make_corpus(a, &status);
  if (!c) return status;
  for (size_t i = 0; i < a->nsources; i++)
    if (add_file(c, a->sources[i], VB_DOC_SOURCE) < 0) status = EXIT_FINDINGS;
  for (size_t i = 0; i < a->nfiles; i++)
    if (add_file(c, a->files[i], 0) < 0) status = EXIT_FINDINGS;
  if (cli_archive_sources(c, a->archives, a->narchives, a->max_sources,
                          a->format == FMT_TEXT ? stdout : NULL)) {
    vb_corpus_free(c);
    return EXIT_FINDINGS;
  }
  vb_report *r = NULL;
  if (vb_check(c, -1, &r) < 0) {
    fprintf(stderr, "verbatim: check failed: %s\n", vb_corpus_error(c));
    vb_corpus_free(c);
    return EXIT_FINDINGS;
  }
  if (a->format == FMT_JSON) check_json(c, r);
  else check_lines(c, r, a->format == FMT_TEXT);
  const char *fail_on = vb_corpus_get_option(c, "check.fail_on");
  int threshold = VB_SEV_ERROR;
  for (int s = VB_SEV_OFF; s <= VB_SEV_ERROR; s++)
    if (fail_on && strcmp(fail_on, vb_severity_name(s)) == 0) threshold = s;
  for (size_t i = 0; i < r->n_diagnostics; i++)
    if ((int)r->diagnostics[i].severity >= threshold && threshold > VB_SEV_OFF) status = EXIT_FINDINGS;
  vb_report_free(r);
  vb_corpus_free(c);
  return status;
}

/* ------------------------------------------------------------------- align */

static int cmd_align(const cli_args *a) {
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
    vb_json_init(&j, stdout);
    vb_json_begin_object(&j);
    vb_json_key(&j, "target");
    vb_json_string(&j, a->target);
    vb_json_key(&j, "coverage");
    vb_json_begin_object(&j);
    vb_json_key(&j, "verbatim");
    vb_json_double(&j, al->verbatim);
    vb_json_key(&j, "rewrite");
    vb_json_double(&j, al->rewrite);
    vb_json_key(&j, "new");
    vb_json_double(&j, al->fresh);
    vb_json_end_object(&j);
    vb_json_key(&j, "reuse");
    vb_json_string(&j, vb_reuse_name(al->reuse));
    vb_json_key(&j, "spans");
    vb_json_begin_array(&j);
    for (size_t i = 0; i < al->n_spans; i++) {
      const vb_span *s = &al->spans[i];
      vb_json_begin_object(&j);
      vb_json_key(&j, "start");
      vb_json_size(&j, s->start);
      vb_json_key(&j, "end");
      vb_json_size(&j, s->end);
      vb_json_key(&j, "relation");
      vb_json_string(&j, vb_relation_name(s->relation));
      vb_json_key(&j, "source");
      vb_json_string(&j, vb_doc_name(c, s->source));
      vb_json_key(&j, "source_start");
      vb_json_size(&j, s->source_start);
      vb_json_key(&j, "source_end");
      vb_json_size(&j, s->source_end);
      vb_json_end_object(&j);
    }
    vb_json_end_array(&j);
    vb_json_end_object(&j);
    putchar('\n');
  } else {
    printf("%s: %s derived (verbatim %.0f%%, rewritten %.0f%%, new %.0f%%)\n", a->target,
           vb_reuse_name(al->reuse), al->verbatim * 100, al->rewrite * 100, al->fresh * 100);
    for (size_t i = 0; i < al->n_spans; i++) {
      const vb_span *s = &al->spans[i];
      printf("  ");
      print_location(c, target, s->start);
      printf(": %-8s from ", vb_relation_name(s->relation));
      print_location(c, s->source, s->source_start);
      putchar('\n');
    }
  }
  vb_alignment_free(al);
  vb_corpus_free(c);
  return status;
}

/* ----------------------------------------------------------------- related */

static int cmd_related(const cli_args *a) {
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
    vb_json_init(&j, stdout);
    vb_json_begin_object(&j);
    vb_json_key(&j, "query");
    vb_json_begin_object(&j);
    vb_json_key(&j, "path");
    vb_json_string(&j, spec);
    vb_json_key(&j, "start");
    vb_json_size(&j, ps);
    vb_json_key(&j, "end");
    vb_json_size(&j, pe);
    vb_json_end_object(&j);
    vb_json_key(&j, "passages");
    vb_json_begin_array(&j);
    for (size_t i = 0; i < rel->n_passages; i++) {
      const vb_passage *p = &rel->passages[i];
      vb_json_begin_object(&j);
      vb_json_key(&j, "path");
      vb_json_string(&j, vb_doc_name(c, p->doc));
      vb_json_key(&j, "start");
      vb_json_size(&j, p->start);
      vb_json_key(&j, "end");
      vb_json_size(&j, p->end);
      json_position(&j, c, p->doc, p->start, "line", "col");
      vb_json_key(&j, "score");
      vb_json_double(&j, p->score);
      vb_json_key(&j, "relation");
      vb_json_string(&j, vb_relation_name(p->relation));
      vb_json_key(&j, "aligned");
      vb_json_begin_array(&j);
      for (size_t k = 0; k < p->n_aligned; k++) {
        const vb_span *s = &p->aligned[k];
        vb_json_begin_object(&j);
        vb_json_key(&j, "start");
        vb_json_size(&j, s->start);
        vb_json_key(&j, "end");
        vb_json_size(&j, s->end);
        vb_json_key(&j, "relation");
        vb_json_string(&j, vb_relation_name(s->relation));
        vb_json_key(&j, "source_start");
        vb_json_size(&j, s->source_start);
        vb_json_key(&j, "source_end");
        vb_json_size(&j, s->source_end);
        vb_json_end_object(&j);
      }
      vb_json_end_array(&j);
      vb_json_end_object(&j);
    }
    vb_json_end_array(&j);
    vb_json_end_object(&j);
    putchar('\n');
  } else {
    printf("related to %s:%ld:\n", spec, line);
    if (rel->n_passages == 0) printf("  (nothing related)\n");
    for (size_t i = 0; i < rel->n_passages; i++) {
      const vb_passage *p = &rel->passages[i];
      printf("  %.2f %-8s ", p->score, vb_relation_name(p->relation));
      print_location(c, p->doc, p->start);
      putchar('\n');
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
  int rc = parse_args(argc, argv, &a);
  if (rc == 0) rc = run(&a);
  free(a.files);
  free(a.sources);
  free(a.options);
  free(a.is_rule);
  free(a.archives);
  return rc;
}
