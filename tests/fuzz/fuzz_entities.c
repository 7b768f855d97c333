/* fuzz_entities: the entity tagger alone (with a user names file loaded),
 * on the internal document model: decode, tokenize, segment, tag. */
#include "fuzz.h"
#include "internal.h"

static const char names[] =
    "# test names\n"
    "Ada Quell\tPERSON\n"
    "Northwind Harbour Authority | ORG\n"
    "Port Velden\tPLACE\n"
    "Deputy Harbourmaster\tTITLE\n"
    "Velden Regatta | EVENT\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static vb_corpus *c;
  if (!c) {
    c = vb_corpus_new();
    FUZZ_ASSERT(c != NULL);
    FUZZ_ASSERT(vb_corpus_load_names(c, names, sizeof names - 1) == 0);
  }
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
  FUZZ_ASSERT(vb_entities_tag(c, &d) == 0);
  for (size_t i = 0; i < d.nents; i++) {
    const vb_ient *e = &d.ents[i];
    FUZZ_ASSERT(e->start < e->end && e->end <= d.len);
    FUZZ_ASSERT(e->tok_start < e->tok_end && e->tok_end <= d.ntoks);
    FUZZ_ASSERT(e->type < VB_ENT_COUNT_);
    FUZZ_ASSERT(e->canonical == VB_NONE || e->canonical < d.pool.len);
    if (e->canonical != VB_NONE) fuzz_check_string(d.pool.data + e->canonical);
    if (i) FUZZ_ASSERT(d.ents[i - 1].start <= e->start);
  }
  vb_doc_release(&d);
  return 0;
}
