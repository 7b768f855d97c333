/* fuzz_quotes: the quotation scanner alone, on the internal document model:
 * decode, tokenize, segment, find quotations. Checks the internal spans. */
#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static vb_corpus *c;
  if (!c) c = vb_corpus_new();
  FUZZ_ASSERT(c != NULL);
  vb_doc d;
  memset(&d, 0, sizeof d);
  d.name = strdup("fuzz");
  FUZZ_ASSERT(d.name != NULL);
  d.orig = malloc(size + 1);
  FUZZ_ASSERT(d.orig != NULL);
  if (size) memcpy(d.orig, data, size);
  d.orig[size] = '\0';
  d.orig_len = size;
  FUZZ_ASSERT(vb_text_load(c, &d) == 0);
  FUZZ_ASSERT(vb_text_tokenize(c, &d) == 0);
  FUZZ_ASSERT(vb_text_segment(c, &d) == 0);
  FUZZ_ASSERT(vb_quotes_find(c, &d) == 0);
  for (size_t i = 0; i < d.nquotes; i++) {
    const vb_iquote *q = &d.quotes[i];
    FUZZ_ASSERT(q->start <= q->inner_start && q->inner_start <= q->inner_end);
    FUZZ_ASSERT(q->inner_end <= q->end && q->end <= d.len && q->start < q->end);
    FUZZ_ASSERT(q->tok_start <= q->tok_end && q->tok_end <= d.ntoks);
    FUZZ_ASSERT(q->kind <= VB_QUOTE_TERM && (q->flags & ~7u) == 0);
    FUZZ_ASSERT(q->prev_part < (int32_t)i);
    if (i) FUZZ_ASSERT(d.quotes[i - 1].start <= q->start);
  }
  vb_doc_release(&d);
  return 0;
}
