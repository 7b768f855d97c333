/* corpus.c: the corpus handle, its documents, and the analysis pipeline. */
#include <errno.h>
#include <stdio.h>

#include "index.h"
#include "internal.h"

const char *vb_version(void) { return VB_VERSION_STRING; }

const char *vb_strerror(int code) {
  switch (code) {
  case VB_OK: return "ok";
  case VB_ERR_NOMEM: return "out of memory";
  case VB_ERR_INVALID: return "invalid argument";
  case VB_ERR_LIMIT: return "limit exceeded";
  case VB_ERR_OPTION: return "bad option";
  case VB_ERR_REGEX: return "pattern error";
  case VB_ERR_PARSE: return "parse error";
  case VB_ERR_INTERNAL: return "internal error";
  default: return code >= 0 ? "ok" : "unknown error";
  }
}

int vb_fail(vb_corpus *c, int code, const char *fmt, ...) {
  if (c) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
  }
  return code;
}

const char *vb_corpus_error(const vb_corpus *c) { return c ? c->err : "no corpus"; }

/* ------------------------------------------------------------ names tables */

static const char *const entity_type_names[VB_ENT_COUNT_] = {
    "PERSON", "ORG", "PLACE", "TITLE", "DATE", "NUMBER", "MONEY", "PERCENT", "EVENT", "MISC"};
const char *vb_entity_type_name(int type) {
  return type >= 0 && type < VB_ENT_COUNT_ ? entity_type_names[type] : "UNKNOWN";
}

const char *vb_quote_kind_name(int kind) {
  static const char *const names[] = {"direct", "partial", "term"};
  return kind >= 0 && kind <= 2 ? names[kind] : "unknown";
}

const char *vb_relation_name(int rel) {
  static const char *const names[VB_REL_COUNT_] = {"verbatim", "fragment", "altered", "extended",
                                                   "unquoted", "rewrite",  "related", "new"};
  return rel >= 0 && rel < VB_REL_COUNT_ ? names[rel] : "unknown";
}

static const char *const severity_names[] = {"off", "hint", "info", "warning", "error"};
const char *vb_severity_name(int s) { return s >= 0 && s <= VB_SEV_ERROR ? severity_names[s] : "unknown"; }

const char *vb_reuse_name(int r) {
  static const char *const names[] = {"none", "partially", "wholly"};
  return r >= 0 && r <= 2 ? names[r] : "unknown";
}

const char *const vb_rule_names[VB_RULE_COUNT] = {
    "quote-altered",   "quote-unsourced",  "quote-from-paraphrase", "speaker-mismatch",
    "name-variant",    "number-mismatch",  "entity-unsupported",    "unbalanced-quote"};

static const uint8_t default_severity[VB_RULE_COUNT] = {
    VB_SEV_WARNING, VB_SEV_WARNING, VB_SEV_WARNING, VB_SEV_WARNING,
    VB_SEV_WARNING, VB_SEV_WARNING, VB_SEV_INFO,    VB_SEV_WARNING};

/* ------------------------------------------------------------------ corpus */

vb_corpus *vb_corpus_new(void) {
  vb_corpus *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->cfg.max_doc_bytes = 268435456;
  c->cfg.max_docs = 100000;
  c->cfg.match_limit = 100000;
  c->cfg.min_score = 0.5;
  c->cfg.fail_on = VB_SEV_ERROR;
  memcpy(c->cfg.rule_severity, default_severity, sizeof default_severity);
  if (vb_patterns_init(c) || vb_entities_init(c) || vb_index_init(c)) {
    vb_corpus_free(c);
    return NULL;
  }
  return c;
}

static void doc_clear_analysis(vb_doc *d) {
  if (d->text != d->orig) free(d->text);
  d->text = NULL;
  free(d->to_orig);
  d->to_orig = NULL;
  d->ntoks = d->nsents = d->nparas = d->nents = d->nquotes = d->nstrays = 0;
  d->pool.len = 0;
  free(d->pub_ents);
  free(d->pub_quotes);
  free(d->line_starts);
  d->pub_ents = NULL;
  d->pub_quotes = NULL;
  d->line_starts = NULL;
  d->nlines = 0;
}

void vb_doc_release(vb_doc *d) {
  doc_clear_analysis(d);
  free(d->toks);
  free(d->sents);
  free(d->paras);
  free(d->ents);
  free(d->quotes);
  free(d->strays);
  vb_buf_free(&d->pool);
  free(d->orig);
  free(d->name);
}

static void doc_free(vb_doc *d) {
  if (!d) return;
  vb_doc_release(d);
  free(d);
}

void vb_corpus_free(vb_corpus *c) {
  if (!c) return;
  for (size_t i = 0; i < c->ndocs; i++) {
    if (c->docs[i]) vb_index_remove(c, c->docs[i]);
    doc_free(c->docs[i]);
  }
  free(c->docs);
  vb_index_free(c);
  vb_speakers_free(c);
  vb_entities_free(c);
  vb_patterns_free(c);
  vb_buf_free(&c->user_names);
  free(c->accepted);
  free(c);
}

vb_doc *vb_get_doc(const vb_corpus *c, int id) {
  if (!c || id < 0 || (size_t)id >= c->ndocs) return NULL;
  return c->docs[id];
}

/* Run the whole analysis of one document. */
static int analyze(vb_corpus *c, vb_doc *d) {
  int rc;
  doc_clear_analysis(d);
  if ((rc = vb_text_load(c, d)) < 0) return rc;
  if ((rc = vb_text_tokenize(c, d)) < 0) return rc;
  if ((rc = vb_text_segment(c, d)) < 0) return rc;
  if ((rc = vb_entities_tag(c, d)) < 0) return rc;
  if ((rc = vb_quotes_find(c, d)) < 0) return rc;
  if ((rc = vb_speakers_attribute(c, d)) < 0) return rc;
  c->index_stale = 1; /* indexed on the next query: analysis alone never needs it */
  return 0;
}

int vb_index_ensure(vb_corpus *c) {
  if (!c->index_stale) return 0;
  for (size_t i = 0; i < c->ndocs; i++) {
    vb_doc *d = c->docs[i];
    if (!d || d->index_data) continue;
    int rc = vb_index_add(c, d);
    if (rc < 0) return rc;
  }
  c->index_stale = 0;
  return 0;
}

static int check_size(vb_corpus *c, const char *name, size_t len) {
  size_t max = c->cfg.max_doc_bytes;
  if (max > (size_t)VB_NONE / 4) max = (size_t)VB_NONE / 4;
  if (len > max)
    return vb_fail(c, VB_ERR_LIMIT, "%s: %zu bytes is over the document size limit (limit.doc_bytes = %zu)",
                   name, len, max);
  return 0;
}

int vb_corpus_add(vb_corpus *c, const char *name, const char *bytes, size_t len, unsigned flags) {
  if (!c) return VB_ERR_INVALID;
  if (!bytes && len) return vb_fail(c, VB_ERR_INVALID, "document bytes are NULL");
  if (!name) name = "(unnamed)";
  if (c->alive >= c->cfg.max_docs)
    return vb_fail(c, VB_ERR_LIMIT, "%s: the corpus already holds %zu documents (limit.docs)", name,
                   c->alive);
  if (c->ndocs >= (size_t)INT32_MAX) return vb_fail(c, VB_ERR_LIMIT, "too many documents added");
  int rc = check_size(c, name, len);
  if (rc) return rc;
  vb_doc *d = calloc(1, sizeof *d);
  if (!d) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  d->name = strdup(name);
  d->orig = malloc(len + 1);
  if (!d->name || !d->orig) {
    doc_free(d);
    return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  }
  if (len) memcpy(d->orig, bytes, len);
  d->orig[len] = '\0';
  d->orig_len = len;
  d->flags = flags;
  d->id = (int)c->ndocs;
  if (VB_PUSH(c->docs, c->ndocs, c->cdocs, d)) {
    doc_free(d);
    return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  }
  c->alive++;
  if ((rc = analyze(c, d)) < 0) {
    vb_index_remove(c, d);
    c->docs[d->id] = NULL;
    c->alive--;
    doc_free(d);
    return rc;
  }
  return d->id;
}

/* The fingerprints of a text that is not added to the corpus: it is only
 * decoded and tokenized (no entities, quotations or speakers), which is all
 * the fingerprints depend on. */
int vb_corpus_fingerprints(vb_corpus *c, const char *bytes, size_t len, int all, uint32_t **fps,
                           size_t *n) {
  *fps = NULL;
  *n = 0;
  if (!c || (!bytes && len)) return VB_ERR_INVALID;
  int rc = check_size(c, "text", len);
  if (rc) return rc;
  vb_doc *d = calloc(1, sizeof *d);
  if (!d) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  d->id = -1;
  d->orig = malloc(len + 1);
  if (!d->orig) {
    doc_free(d);
    return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  }
  if (len) memcpy(d->orig, bytes, len);
  d->orig[len] = '\0';
  d->orig_len = len;
  if ((rc = vb_text_load(c, d)) >= 0 && (rc = vb_text_tokenize(c, d)) >= 0 &&
      vb_doc_fingerprints(d, all, fps, n) != 0)
    rc = vb_fail(c, VB_ERR_NOMEM, "out of memory");
  doc_free(d);
  return rc < 0 ? rc : 0;
}

int vb_corpus_replace(vb_corpus *c, int id, const char *bytes, size_t len) {
  vb_doc *d = vb_get_doc(c, id);
  if (!d) return c ? vb_fail(c, VB_ERR_INVALID, "no document %d", id) : VB_ERR_INVALID;
  if (!bytes && len) return vb_fail(c, VB_ERR_INVALID, "document bytes are NULL");
  int rc = check_size(c, d->name, len);
  if (rc) return rc;
  char *copy = malloc(len + 1);
  if (!copy) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  if (len) memcpy(copy, bytes, len);
  copy[len] = '\0';
  vb_index_remove(c, d);
  doc_clear_analysis(d);
  free(d->orig);
  d->orig = copy;
  d->orig_len = len;
  if ((rc = analyze(c, d)) < 0) {
    /* keep the document, empty, so that its id stays valid */
    vb_index_remove(c, d);
    doc_clear_analysis(d);
    d->orig_len = 0;
    d->orig[0] = '\0';
    d->text = d->orig;
    d->len = 0;
    return rc;
  }
  return 0;
}

int vb_corpus_remove(vb_corpus *c, int id) {
  vb_doc *d = vb_get_doc(c, id);
  if (!d) return c ? vb_fail(c, VB_ERR_INVALID, "no document %d", id) : VB_ERR_INVALID;
  vb_index_remove(c, d);
  c->docs[id] = NULL;
  c->alive--;
  doc_free(d);
  return 0;
}

int vb_corpus_set_flags(vb_corpus *c, int id, unsigned flags) {
  vb_doc *d = vb_get_doc(c, id);
  if (!d) return c ? vb_fail(c, VB_ERR_INVALID, "no document %d", id) : VB_ERR_INVALID;
  d->flags = flags;
  return 0;
}

size_t vb_corpus_count(const vb_corpus *c) { return c ? c->alive : 0; }

int vb_corpus_next(const vb_corpus *c, int after) {
  if (!c) return -1;
  for (size_t i = after < 0 ? 0 : (size_t)after + 1; i < c->ndocs; i++)
    if (c->docs[i]) return (int)i;
  return -1;
}

/* Re-analyse every document after a change that affects analysis. */
static int reanalyze_all(vb_corpus *c) {
  for (size_t i = 0; i < c->ndocs; i++) {
    vb_doc *d = c->docs[i];
    if (!d) continue;
    vb_index_remove(c, d);
    int rc = analyze(c, d);
    if (rc < 0) return rc;
  }
  return 0;
}

/* ----------------------------------------------------------------- options */

static int parse_size(const char *v, size_t *out) {
  if (!v || !*v) return -1;
  errno = 0;
  char *end;
  unsigned long long x = strtoull(v, &end, 10);
  if (errno || *end || v[0] == '-') return -1;
  *out = (size_t)x;
  return 0;
}

static int parse_severity(const char *v) {
  for (int s = 0; s <= VB_SEV_ERROR; s++)
    if (strcmp(v, severity_names[s]) == 0) return s;
  if (strcmp(v, "warn") == 0) return VB_SEV_WARNING;
  if (strcmp(v, "on") == 0) return -2;
  return -1;
}

int vb_corpus_set_option(vb_corpus *c, const char *name, const char *value) {
  if (!c) return VB_ERR_INVALID;
  if (!name || !value) return vb_fail(c, VB_ERR_INVALID, "option name or value is NULL");
  size_t n;
  if (strcmp(name, "limit.doc_bytes") == 0 || strcmp(name, "limit.docs") == 0) {
    if (parse_size(value, &n) || n == 0)
      return vb_fail(c, VB_ERR_OPTION, "%s wants a positive whole number, not '%s'", name, value);
    if (name[6] == 'd' && name[7] == 'o' && name[9] == 's' && name[10] == '\0') c->cfg.max_docs = n;
    else c->cfg.max_doc_bytes = n;
    return 0;
  }
  if (strcmp(name, "limit.match") == 0) {
    if (parse_size(value, &n) || n == 0 || n > UINT32_MAX)
      return vb_fail(c, VB_ERR_OPTION, "%s wants a positive whole number, not '%s'", name, value);
    c->cfg.match_limit = (uint32_t)n;
    return reanalyze_all(c);
  }
  if (strcmp(name, "check.min_score") == 0) {
    char *end;
    double x = strtod(value, &end);
    if (*end || x < 0 || x > 1)
      return vb_fail(c, VB_ERR_OPTION, "%s wants a number from 0 to 1, not '%s'", name, value);
    c->cfg.min_score = x;
    return 0;
  }
  if (strcmp(name, "check.fail_on") == 0) {
    int s = parse_severity(value);
    if (s < 0) return vb_fail(c, VB_ERR_OPTION, "%s wants a severity, not '%s'", name, value);
    c->cfg.fail_on = s;
    return 0;
  }
  if (strncmp(name, "rule.", 5) == 0) {
    for (int r = 0; r < VB_RULE_COUNT; r++) {
      if (strcmp(name + 5, vb_rule_names[r]) != 0) continue;
      int s = parse_severity(value);
      if (s == -2) s = default_severity[r];
      if (s < 0)
        return vb_fail(c, VB_ERR_OPTION,
                       "%s wants off, hint, info, warning, error or on, not '%s'", name, value);
      c->cfg.rule_severity[r] = (uint8_t)s;
      return 0;
    }
    return vb_fail(c, VB_ERR_OPTION, "unknown rule '%s'", name + 5);
  }
  return vb_fail(c, VB_ERR_OPTION, "unknown option '%s'", name);
}

const char *vb_corpus_get_option(vb_corpus *c, const char *name) {
  if (!c || !name) return NULL;
  if (strcmp(name, "limit.doc_bytes") == 0)
    snprintf(c->optval, sizeof c->optval, "%zu", c->cfg.max_doc_bytes);
  else if (strcmp(name, "limit.docs") == 0)
    snprintf(c->optval, sizeof c->optval, "%zu", c->cfg.max_docs);
  else if (strcmp(name, "limit.match") == 0)
    snprintf(c->optval, sizeof c->optval, "%u", (unsigned)c->cfg.match_limit);
  else if (strcmp(name, "check.min_score") == 0)
    snprintf(c->optval, sizeof c->optval, "%g", c->cfg.min_score);
  else if (strcmp(name, "check.fail_on") == 0)
    snprintf(c->optval, sizeof c->optval, "%s", severity_names[c->cfg.fail_on]);
  else if (strncmp(name, "rule.", 5) == 0) {
    int r;
    for (r = 0; r < VB_RULE_COUNT; r++)
      if (strcmp(name + 5, vb_rule_names[r]) == 0) break;
    if (r == VB_RULE_COUNT) return NULL;
    snprintf(c->optval, sizeof c->optval, "%s", severity_names[c->cfg.rule_severity[r]]);
  } else
    return NULL;
  return c->optval;
}

int vb_corpus_load_names(vb_corpus *c, const char *text, size_t len) {
  if (!c) return VB_ERR_INVALID;
  if (!text && len) return vb_fail(c, VB_ERR_INVALID, "names text is NULL");
  if (len > 64u * 1024 * 1024) return vb_fail(c, VB_ERR_LIMIT, "names file over 64 MiB");
  c->user_names.len = 0;
  if (vb_buf_append(&c->user_names, text ? text : "", len))
    return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  int rc = vb_entities_init(c);
  if (rc < 0) return rc;
  return reanalyze_all(c);
}

/* --------------------------------------------------------------- documents */

const char *vb_doc_name(const vb_corpus *c, int id) {
  vb_doc *d = vb_get_doc(c, id);
  return d ? d->name : NULL;
}

const char *vb_doc_bytes(const vb_corpus *c, int id, size_t *len) {
  vb_doc *d = vb_get_doc(c, id);
  if (len) *len = d ? d->orig_len : 0;
  return d ? d->orig : NULL;
}

unsigned vb_doc_flags(const vb_corpus *c, int id) {
  vb_doc *d = vb_get_doc(c, id);
  return d ? d->flags : 0;
}

int vb_doc_encoding(const vb_corpus *c, int id) {
  vb_doc *d = vb_get_doc(c, id);
  return d ? d->encoding : VB_ERR_INVALID;
}

int vb_doc_position(const vb_corpus *c, int id, size_t offset, size_t *line, size_t *col) {
  vb_doc *d = vb_get_doc(c, id);
  if (!d) return VB_ERR_INVALID;
  if (!d->line_starts) {
    const char *b = d->orig, *end = d->orig + d->orig_len, *p;
    size_t n = 1;
    for (p = b; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) n++;
    d->line_starts = malloc(n * sizeof(size_t));
    if (!d->line_starts) return VB_ERR_NOMEM;
    d->line_starts[0] = 0;
    size_t k = 1;
    for (p = b; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
      d->line_starts[k++] = (size_t)(p - b) + 1;
    d->nlines = n;
  }
  if (offset > d->orig_len) offset = d->orig_len;
  size_t lo = 0, hi = d->nlines;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->line_starts[mid] <= offset) lo = mid;
    else hi = mid;
  }
  if (line) *line = lo + 1;
  if (col) *col = offset - d->line_starts[lo] + 1;
  return VB_OK;
}

int vb_doc_paragraph(vb_corpus *c, int id, size_t offset, size_t *start, size_t *end) {
  vb_doc *d = vb_get_doc(c, id);
  if (!d) return c ? vb_fail(c, VB_ERR_INVALID, "no document %d", id) : VB_ERR_INVALID;
  if (d->nparas == 0) {
    *start = *end = 0;
    return 0;
  }
  /* find the working offset for the original offset */
  uint32_t w = (uint32_t)(offset > d->orig_len ? d->orig_len : offset);
  if (d->to_orig) {
    size_t lo = 0, hi = d->len;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (d->to_orig[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    w = (uint32_t)lo;
  }
  uint32_t t = vb_text_token_at(d, w);
  if (t >= d->ntoks) t = (uint32_t)d->ntoks - 1;
  const vb_range *p = &d->paras[vb_text_paragraph_of(d, t)];
  *start = vb_orig(d, p->start);
  *end = vb_orig(d, p->end);
  return 0;
}

/* Copy a working-text range as a NUL-terminated string into the pool. */
static int pool_text(vb_doc *d, uint32_t a, uint32_t b, uint32_t *off) {
  return vb_buf_add_str(&d->pool, d->text + a, b - a, off);
}

/* Build the public views of entities and quotes together: every string is
 * added to the pool first, so no later growth moves what they point at. */
static int build_public(vb_doc *d) {
  if (d->pub_ents || d->pub_quotes || (d->nents == 0 && d->nquotes == 0)) return 0;
  size_t n = d->nents + d->nquotes;
  uint32_t *texts = malloc(n * sizeof(uint32_t));
  vb_entity *ents = d->nents ? malloc(d->nents * sizeof(vb_entity)) : NULL; /* all set below */
  vb_quote *quotes = d->nquotes ? calloc(d->nquotes, sizeof(vb_quote)) : NULL;
  if (!texts || (d->nents && !ents) || (d->nquotes && !quotes)) goto oom;
  size_t need = 0; /* grow the pool once */
  for (size_t i = 0; i < d->nents; i++) need += d->ents[i].end - d->ents[i].start + 1;
  for (size_t i = 0; i < d->nquotes; i++) need += d->quotes[i].inner_end - d->quotes[i].inner_start + 1;
  if (vb_buf_reserve(&d->pool, need)) goto oom;
  for (size_t i = 0; i < d->nents; i++)
    if (pool_text(d, d->ents[i].start, d->ents[i].end, &texts[i])) goto oom;
  for (size_t i = 0; i < d->nquotes; i++)
    if (pool_text(d, d->quotes[i].inner_start, d->quotes[i].inner_end, &texts[d->nents + i]))
      goto oom;
  for (size_t i = 0; i < d->nents; i++) {
    const vb_ient *e = &d->ents[i];
    vb_entity *p = &ents[i];
    p->start = vb_orig(d, e->start);
    p->end = vb_orig(d, e->end);
    p->type = (vb_entity_type)e->type;
    p->text = d->pool.data + texts[i];
    p->canonical = e->canonical == VB_NONE ? p->text : d->pool.data + e->canonical;
  }
  for (size_t i = 0; i < d->nquotes; i++) {
    const vb_iquote *q = &d->quotes[i];
    vb_quote *p = &quotes[i];
    p->start = vb_orig(d, q->start);
    p->end = vb_orig(d, q->end);
    p->inner_start = vb_orig(d, q->inner_start);
    p->inner_end = vb_orig(d, q->inner_end);
    p->kind = (vb_quote_kind)q->kind;
    p->flags = q->flags;
    p->text = d->pool.data + texts[d->nents + i];
    p->speaker_name = vb_pool_str(d, q->speaker_name);
    if (p->speaker_name && q->speaker_start != VB_NONE) {
      p->speaker_start = vb_orig(d, q->speaker_start);
      p->speaker_end = vb_orig(d, q->speaker_end);
    }
    if (q->cue_start != VB_NONE) {
      p->cue_start = vb_orig(d, q->cue_start);
      p->cue_end = vb_orig(d, q->cue_end);
    }
  }
  free(texts);
  d->pub_ents = ents;
  d->pub_quotes = quotes;
  return 0;
oom:
  free(texts);
  free(ents);
  free(quotes);
  return VB_ERR_NOMEM;
}

const vb_entity *vb_doc_entities(vb_corpus *c, int id, size_t *count) {
  vb_doc *d = vb_get_doc(c, id);
  if (count) *count = 0;
  if (!d) return NULL;
  if (build_public(d)) {
    vb_fail(c, VB_ERR_NOMEM, "out of memory");
    return NULL;
  }
  if (count) *count = d->pub_ents ? d->nents : 0;
  return d->pub_ents;
}

const vb_quote *vb_doc_quotes(vb_corpus *c, int id, size_t *count) {
  vb_doc *d = vb_get_doc(c, id);
  if (count) *count = 0;
  if (!d) return NULL;
  if (build_public(d)) {
    vb_fail(c, VB_ERR_NOMEM, "out of memory");
    return NULL;
  }
  if (count) *count = d->pub_quotes ? d->nquotes : 0;
  return d->pub_quotes;
}
