/* fuzz_analyze: analyse one document through the public API, replace its
 * text with a part of itself, and check every view of it. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  vb_corpus *c = fuzz_corpus();
  const char *bytes = (const char *)data;
  int id = vb_corpus_add(c, "fuzz", bytes, size, 0);
  FUZZ_ASSERT(id >= 0); /* no limit is near: every input must analyse */
  fuzz_check_doc(c, id, bytes, size);
  /* The second half, as an edited buffer would be. */
  size_t half = size / 2;
  FUZZ_ASSERT(vb_corpus_replace(c, id, bytes + half, size - half) == 0);
  fuzz_check_doc(c, id, bytes + half, size - half);
  FUZZ_ASSERT(vb_corpus_remove(c, id) == 0);
  FUZZ_ASSERT(vb_corpus_count(c) == 0);
  return 0;
}
