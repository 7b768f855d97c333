/* fuzz_names: the names-file reader. The input is loaded as a names file,
 * then a fixed paragraph and the input itself are analysed with it. */
#include "fuzz.h"

static const char story[] =
    "Harbourmaster Ada Quell of the Northwind Harbour Authority said on Tuesday that "
    "\xE2\x80\x9Cthe pier will reopen in May.\xE2\x80\x9D She added that Port Velden "
    "had lost $2.4 million, or 12%, of its trade.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  vb_corpus *c = vb_corpus_new();
  FUZZ_ASSERT(c != NULL);
  int rc = vb_corpus_load_names(c, (const char *)data, size);
  if (rc < 0) {
    /* a refusal must be a parse or limit error with a message */
    FUZZ_ASSERT(rc == VB_ERR_PARSE || rc == VB_ERR_LIMIT);
    FUZZ_ASSERT(vb_corpus_error(c)[0] != '\0');
  } else {
    int a = vb_corpus_add(c, "story", story, sizeof story - 1, 0);
    int b = vb_corpus_add(c, "names", (const char *)data, size, 0);
    FUZZ_ASSERT(a >= 0 && b >= 0);
    fuzz_check_doc(c, a, story, sizeof story - 1);
    fuzz_check_doc(c, b, (const char *)data, size);
    /* Loading again re-analyses the documents already there. */
    FUZZ_ASSERT(vb_corpus_load_names(c, (const char *)data, size) == 0);
    fuzz_check_doc(c, a, story, sizeof story - 1);
  }
  vb_corpus_free(c);
  return 0;
}
