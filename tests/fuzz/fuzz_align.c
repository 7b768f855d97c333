/* fuzz_align: alignment of two documents (split on byte 0x1E) both ways,
 * and related passages for the paragraph at a fuzzed offset. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  size_t at = data[0] | (size_t)data[1] << 8;
  const char *parts[2];
  size_t lens[2];
  size_t n = fuzz_split(data + 2, size - 2, parts, lens, 2);
  if (n < 2) return 0;
  vb_corpus *c = fuzz_corpus();
  int a = vb_corpus_add(c, "a", parts[0], lens[0], 0);
  int b = vb_corpus_add(c, "b", parts[1], lens[1], VB_DOC_SOURCE);
  FUZZ_ASSERT(a >= 0 && b >= 0);
  for (int t = 0; t < 2; t++) {
    int target = t ? b : a;
    vb_alignment *al = NULL;
    FUZZ_ASSERT(vb_align(c, target, &al) >= 0);
    fuzz_check_alignment(c, al, target);
    vb_alignment_free(al);
  }
  size_t ps = 0, pe = 0;
  FUZZ_ASSERT(vb_doc_paragraph(c, a, at, &ps, &pe) == 0);
  vb_related *rel = NULL;
  FUZZ_ASSERT(vb_find_related(c, a, ps, pe, 5, &rel) >= 0);
  FUZZ_ASSERT(rel != NULL && rel->n_passages <= 5);
  for (size_t i = 0; i < rel->n_passages; i++) {
    const vb_passage *p = &rel->passages[i];
    FUZZ_ASSERT(p->doc == b);
    fuzz_check_location(c, p->doc, p->start, p->end);
    FUZZ_ASSERT(p->score >= 0 && p->score <= 1);
    for (size_t k = 0; k < p->n_aligned; k++) {
      fuzz_check_location(c, a, p->aligned[k].start, p->aligned[k].end);
      fuzz_check_location(c, b, p->aligned[k].source_start, p->aligned[k].source_end);
    }
  }
  vb_related_free(rel);
  FUZZ_ASSERT(vb_corpus_remove(c, a) == 0 && vb_corpus_remove(c, b) == 0);
  return 0;
}
