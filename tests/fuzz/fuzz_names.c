/* fuzz_names: the names-file reader. The input is loaded as a names file
 * (which rebuilds the lexicon and re-analyses what the corpus holds), then
 * analysed itself as a document. */
#include "fuzz.h"

static const char story[] =
    "Harbourmaster Ada Quell of the Northwind Harbour Authority said on Tuesday that "
    "\xE2\x80\x9Cthe pier will reopen in May.\xE2\x80\x9D She added that Port Velden "
    "had lost $2.4 million, or 12%, of its trade.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static vb_corpus *c;
  static int a = -1;
  static unsigned runs;
  /* Ids are never reused: start afresh now and then (see fuzz_corpus). */
  if (c && ++runs % 256 == 0) {
    vb_corpus_free(c);
    c = NULL;
  }
  if (!c) {
    c = vb_corpus_new();
    FUZZ_ASSERT(c != NULL);
    a = vb_corpus_add(c, "story", story, sizeof story - 1, 0);
    FUZZ_ASSERT(a >= 0);
  }
  int rc = vb_corpus_load_names(c, (const char *)data, size);
  if (rc < 0) {
    /* a refusal must be a parse or limit error with a message */
    FUZZ_ASSERT(rc == VB_ERR_PARSE || rc == VB_ERR_LIMIT);
    FUZZ_ASSERT(vb_corpus_error(c)[0] != '\0');
    FUZZ_ASSERT(vb_corpus_load_names(c, "", 0) == 0);
    return 0;
  }
  fuzz_check_doc(c, a, story, sizeof story - 1);
  int b = vb_corpus_add(c, "names", (const char *)data, size, 0);
  FUZZ_ASSERT(b >= 0);
  fuzz_check_doc(c, b, (const char *)data, size);
  FUZZ_ASSERT(vb_corpus_remove(c, b) == 0);
  return 0;
}
