/* check.c: the checker's driver. Runs every rule over the checked documents
 * and builds the caller-owned report. */
#include <stdio.h>

#include "check.h"

/* Tokens scanned while matching, at most, in one check: far above what a
 * draft against thousands of sources needs, and a bound on pathological
 * input (thousands of quotations, each found all over a huge source). */
#define VB_CHECK_BUDGET 50000000ull

int vb_check_judges(const vb_checker *k, const vb_doc *d, const vb_doc *o) {
  (void)d;
  return o && (!k->have_sources || (o->flags & VB_DOC_SOURCE));
}

/* Documents compared with the checked one for names and entities. */
#define RELATED_MAX_DOCS 32

int vb_check_related(vb_checker *k, const vb_doc *d, const int **docs, size_t *n) {
  if (k->related_for != d->id) {
    vb_candidate *cands = NULL;
    size_t nc = 0;
    int rc = vb_index_candidates(k->c, d, 0, (uint32_t)d->ntoks, RELATED_MAX_DOCS, &cands, &nc);
    if (rc) return rc;
    free(k->related);
    k->related = malloc((nc ? nc : 1) * sizeof(int));
    if (!k->related) {
      free(cands);
      return VB_ERR_NOMEM;
    }
    k->nrelated = 0;
    for (size_t i = 0; i < nc; i++) {
      int dup = 0;
      for (size_t j = 0; j < k->nrelated && !dup; j++) dup = k->related[j] == cands[i].doc;
      if (!dup && cands[i].doc != d->id) k->related[k->nrelated++] = cands[i].doc;
    }
    free(cands);
    k->related_for = d->id;
  }
  *docs = k->related;
  *n = k->nrelated;
  return 0;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

const char *vb_check_where(vb_checker *k, const vb_doc *d, uint32_t off, char *buf, size_t n) {
  size_t line = 0, col = 0;
  vb_doc_position(k->c, d->id, vb_orig(d, off), &line, &col);
  snprintf(buf, n, "%s:%zu", base_name(d->name), line);
  return buf;
}

int vb_check_emit(vb_checker *k, int rule, const vb_doc *d, uint32_t start, uint32_t end,
                  const vb_location *related, size_t nrelated, const char *fmt, ...) {
  int sev = k->c->cfg.rule_severity[rule];
  if (sev == VB_SEV_OFF) return 0;
  vb_diagnostic g;
  memset(&g, 0, sizeof g);
  g.doc = d->id;
  g.start = vb_orig(d, start);
  g.end = vb_orig(d, end);
  g.severity = (vb_severity)sev;
  g.rule = vb_rule_names[rule];
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = malloc(len > 0 ? (size_t)len + 1 : 1);
  if (!msg) {
    va_end(ap2);
    return VB_ERR_NOMEM;
  }
  vsnprintf(msg, len > 0 ? (size_t)len + 1 : 1, fmt, ap2);
  va_end(ap2);
  g.message = msg;
  if (nrelated) {
    vb_location *rel = malloc(nrelated * sizeof *rel);
    if (!rel) {
      free(msg);
      return VB_ERR_NOMEM;
    }
    for (size_t i = 0; i < nrelated; i++) {
      const vb_doc *o = vb_get_doc(k->c, related[i].doc);
      rel[i].doc = related[i].doc;
      rel[i].start = o ? vb_orig(o, (uint32_t)related[i].start) : 0;
      rel[i].end = o ? vb_orig(o, (uint32_t)related[i].end) : 0;
    }
    g.related = rel;
    g.n_related = nrelated;
  }
  if (VB_PUSH(k->diags, k->ndiags, k->cdiags, g)) {
    free(msg);
    free((void *)g.related);
    return VB_ERR_NOMEM;
  }
  return 0;
}

static int rule_index(const char *rule) {
  for (int r = 0; r < VB_RULE_COUNT; r++)
    if (vb_rule_names[r] == rule) return r;
  return VB_RULE_COUNT;
}

static int cmp_diag(const void *x, const void *y) {
  const vb_diagnostic *p = x, *q = y;
  if (p->doc != q->doc) return p->doc < q->doc ? -1 : 1;
  if (p->start != q->start) return p->start < q->start ? -1 : 1;
  if (p->end != q->end) return p->end < q->end ? -1 : 1;
  return rule_index(p->rule) - rule_index(q->rule);
}

static void free_diags(vb_diagnostic *g, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free((void *)g[i].message);
    free((void *)g[i].related);
  }
  free(g);
}

int vb_check(vb_corpus *c, int doc, vb_report **out) {
  if (!c || !out) return VB_ERR_INVALID;
  *out = NULL;
  if (doc >= 0 && !vb_get_doc(c, doc)) return vb_fail(c, VB_ERR_INVALID, "no document %d", doc);
  vb_report *r = calloc(1, sizeof *r);
  if (!r) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  vb_checker k;
  memset(&k, 0, sizeof k);
  k.c = c;
  k.related_for = -1;
  k.budget = VB_CHECK_BUDGET;
  size_t cap_quotes = 0;
  int rc = 0;
  /* one document, or every document that is not a source */
  for (int id = doc >= 0 ? doc : vb_corpus_next(c, -1); id >= 0 && rc == 0;
       id = doc >= 0 ? -1 : vb_corpus_next(c, id)) {
    vb_doc *d = vb_get_doc(c, id);
    if (doc >= 0 ? id != doc : (d->flags & VB_DOC_SOURCE)) continue;
    k.have_sources = 0;
    for (int o = vb_corpus_next(c, -1); o >= 0 && !k.have_sources; o = vb_corpus_next(c, o))
      if (o != id && (vb_get_doc(c, o)->flags & VB_DOC_SOURCE)) k.have_sources = 1;
    if (rc == 0) rc = vb_rules_balance(&k, d);
    if (rc == 0) rc = vb_rules_quotes(&k, d, r, &cap_quotes);
    if (rc == 0) rc = vb_rules_names(&k, d);
    if (rc == 0) rc = vb_rules_entities(&k, d);
    if (rc == 0) rc = vb_rules_numbers(&k, d);
  }
  free(k.related);
  if (rc) {
    free_diags(k.diags, k.ndiags);
    vb_report_free(r);
    return vb_fail(c, rc, "%s while checking", vb_strerror(rc));
  }
  if (k.ndiags > 1) qsort(k.diags, k.ndiags, sizeof *k.diags, cmp_diag);
  r->diagnostics = k.diags;
  r->n_diagnostics = k.ndiags;
  *out = r;
  return 0;
}

void vb_report_free(vb_report *r) {
  if (!r) return;
  free_diags(r->diagnostics, r->n_diagnostics);
  for (size_t i = 0; i < r->n_quotes; i++) {
    vb_quote_matches *q = &r->quotes[i];
    for (size_t m = 0; m < q->n_matches; m++) {
      free((void *)q->matches[m].diff);
      free((void *)q->matches[m].speaker);
    }
    free((void *)q->matches);
  }
  free(r->quotes);
  free(r);
}

/* ------------------------------------------------------------ accepted quotes */

/* Hash of the words of a text: matching form, punctuation dropped, words
 * joined by single spaces, so "Yes, we can." and "yes we can" agree. */
int vb_words_hash(const char *s, size_t n, uint64_t *out) {
  vb_buf norm = {0}, words = {0};
  int rc = vb_norm_append(&norm, s ? s : "", n);
  for (size_t i = 0; rc == 0 && i < norm.len; i++) {
    unsigned char ch = (unsigned char)norm.data[i];
    int word = ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    int joiner = (ch == '\'' || ch == '-') && words.len && words.data[words.len - 1] != ' ' &&
                 i + 1 < norm.len &&
                 ((unsigned char)norm.data[i + 1] >= 0x80 ||
                  ((unsigned char)norm.data[i + 1] >= 'a' && (unsigned char)norm.data[i + 1] <= 'z') ||
                  ((unsigned char)norm.data[i + 1] >= '0' && (unsigned char)norm.data[i + 1] <= '9'));
    if (word || joiner) rc = vb_buf_putc(&words, (char)ch);
    else if (words.len && words.data[words.len - 1] != ' ') rc = vb_buf_putc(&words, ' ');
  }
  size_t len = words.len;
  while (len && words.data[len - 1] == ' ') len--;
  *out = vb_hash64(words.data ? words.data : "", len);
  vb_buf_free(&norm);
  vb_buf_free(&words);
  return rc;
}

int vb_corpus_accept_quote(vb_corpus *c, const char *text, size_t len) {
  if (!c || (!text && len)) return VB_ERR_INVALID;
  uint64_t h;
  if (vb_words_hash(text, len, &h)) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  return VB_PUSH(c->accepted, c->naccepted, c->caccepted, h) ? vb_fail(c, VB_ERR_NOMEM, "out of memory") : 0;
}
