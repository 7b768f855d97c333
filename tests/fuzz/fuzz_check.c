/* fuzz_check: a corpus of several documents (split on byte 0x1E), some of
 * them sources, checked one by one and all together; then one document is
 * removed and the rest checked again. */
#include "fuzz.h"

#define MAX_DOCS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned sources = data[0]; /* bit k: document k is a source */
  const char *parts[MAX_DOCS];
  size_t lens[MAX_DOCS];
  size_t n = fuzz_split(data + 1, size - 1, parts, lens, MAX_DOCS);
  vb_corpus *c = fuzz_corpus();
  int ids[MAX_DOCS];
  for (size_t i = 0; i < n; i++) {
    ids[i] = vb_corpus_add(c, "doc", parts[i], lens[i], (sources >> i) & 1 ? VB_DOC_SOURCE : 0);
    FUZZ_ASSERT(ids[i] >= 0);
  }
  for (size_t i = 0; i < n; i++) fuzz_check_doc(c, ids[i], parts[i], lens[i]);
  for (size_t i = 0; i < n; i++) {
    vb_report *r = NULL;
    FUZZ_ASSERT(vb_check(c, ids[i], &r) >= 0);
    fuzz_check_report(c, r);
    vb_report_free(r);
  }
  vb_report *all = NULL;
  FUZZ_ASSERT(vb_check(c, -1, &all) >= 0);
  fuzz_check_report(c, all);
  vb_report_free(all);
  FUZZ_ASSERT(vb_corpus_remove(c, ids[0]) == 0);
  if (n > 1) {
    vb_report *r = NULL;
    FUZZ_ASSERT(vb_check(c, ids[1], &r) >= 0);
    fuzz_check_report(c, r);
    vb_report_free(r);
  }
  for (size_t i = 1; i < n; i++) FUZZ_ASSERT(vb_corpus_remove(c, ids[i]) == 0);
  FUZZ_ASSERT(vb_corpus_count(c) == 0);
  return 0;
}
