/* align.c: document alignment and related passages (stub until it lands). */
#include "internal.h"

int vb_align(vb_corpus *c, int target, vb_alignment **out) {
  if (!c || !out) return VB_ERR_INVALID;
  *out = NULL;
  if (!vb_get_doc(c, target)) return vb_fail(c, VB_ERR_INVALID, "no document %d", target);
  vb_alignment *a = calloc(1, sizeof *a);
  if (!a) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  a->target = target;
  a->fresh = 1.0;
  a->reuse = VB_REUSE_NONE;
  *out = a;
  return 0;
}

void vb_alignment_free(vb_alignment *a) {
  if (!a) return;
  free(a->spans);
  free(a);
}

int vb_find_related(vb_corpus *c, int doc, size_t start, size_t end, size_t max, vb_related **out) {
  (void)start; (void)end; (void)max;
  if (!c || !out) return VB_ERR_INVALID;
  *out = NULL;
  if (!vb_get_doc(c, doc)) return vb_fail(c, VB_ERR_INVALID, "no document %d", doc);
  vb_related *r = calloc(1, sizeof *r);
  if (!r) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  *out = r;
  return 0;
}

void vb_related_free(vb_related *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_passages; i++) free(r->passages[i].aligned);
  free(r->passages);
  free(r);
}
