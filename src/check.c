/* check.c: the checker (stub until it lands): lists quotes, no diagnostics. */
#include "internal.h"

int vb_check(vb_corpus *c, int doc, vb_report **out) {
  if (!c || !out) return VB_ERR_INVALID;
  *out = NULL;
  if (doc >= 0 && !vb_get_doc(c, doc)) return vb_fail(c, VB_ERR_INVALID, "no document %d", doc);
  vb_report *r = calloc(1, sizeof *r);
  if (!r) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  size_t cap = 0;
  for (int id = vb_corpus_next(c, -1); id >= 0; id = vb_corpus_next(c, id)) {
    vb_doc *d = vb_get_doc(c, id);
    if (doc >= 0 ? id != doc : (d->flags & VB_DOC_SOURCE)) continue;
    for (size_t i = 0; i < d->nquotes; i++) {
      vb_quote_matches m = {id, vb_orig(d, d->quotes[i].start), vb_orig(d, d->quotes[i].end), NULL, 0};
      if (VB_PUSH(r->quotes, r->n_quotes, cap, m)) {
        vb_report_free(r);
        return vb_fail(c, VB_ERR_NOMEM, "out of memory");
      }
    }
  }
  *out = r;
  return 0;
}

void vb_report_free(vb_report *r) {
  if (!r) return;
  free(r->diagnostics);
  free(r->quotes);
  free(r);
}

int vb_corpus_accept_quote(vb_corpus *c, const char *text, size_t len) {
  if (!c || (!text && len)) return VB_ERR_INVALID;
  vb_buf b = {0};
  if (vb_norm_append(&b, text ? text : "", len)) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  uint64_t h = vb_hash64(b.data ? b.data : "", b.len);
  vb_buf_free(&b);
  return VB_PUSH(c->accepted, c->naccepted, c->caccepted, h) ? vb_fail(c, VB_ERR_NOMEM, "out of memory") : 0;
}
