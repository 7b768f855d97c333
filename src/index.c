/* index.c: the fingerprint index (stub until it lands). */
#include "internal.h"

int vb_index_init(vb_corpus *c) { (void)c; return 0; }
void vb_index_free(vb_corpus *c) { (void)c; }
int vb_index_add(vb_corpus *c, vb_doc *d) { (void)c; (void)d; return 0; }
void vb_index_remove(vb_corpus *c, vb_doc *d) { (void)c; (void)d; }

int vb_index_candidates(vb_corpus *c, const vb_doc *d, uint32_t t0, uint32_t t1, size_t max,
                        vb_candidate **out, size_t *n) {
  (void)t0; (void)t1;
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  for (int id = vb_corpus_next(c, -1); id >= 0 && *n < max; id = vb_corpus_next(c, id)) {
    vb_doc *o = vb_get_doc(c, id);
    if (o == d) continue;
    vb_candidate cand = {id, 0, (uint32_t)o->ntoks, 0};
    if (VB_PUSH(*out, *n, cap, cand)) return VB_ERR_NOMEM;
  }
  return 0;
}
