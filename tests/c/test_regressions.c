/* Inputs the fuzzers found crashing or misbehaving, kept as tests. Each runs
 * through the public API; the sanitizer build (make SAN=1 test) turns any
 * undefined behaviour they used to trigger into a failure. */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "verbatim.h"

typedef struct {
  const char *what;
  const char *docs[4]; /* documents; the first is checked and aligned */
  size_t lens[4];      /* 0: strlen */
  unsigned sources;    /* bit k: document k is a source */
} finding;

static const finding findings[] = {
    /* entities.c: qsort() was called with a NULL array when a document had
     * no entity candidates at all. */
    {"a one-letter document with no entity candidates", {"D"}, {0}, 0},
    {"a document of punctuation only", {"!?.,;:", "((()))"}, {0}, 2},
    /* entities.c: hash tables sized by the number of candidates filled up
     * when one all-capitals "name" ran over many words, and the probe loop
     * never ended (found by fuzz_entities as a timeout). */
    {"a long run of capitalised words taken for one name",
     {
    "Harster Al NORTH SEA\x0aO\x0d\x0a SEA\x0aO\x0d\x0aSe.t.SE3A\x0aV\x0d\x0aSept. TIALS A"
    "BTHE NOmeH SEe.t.SA\x0aO\x0d\x0a SEA\x0aO\x0d\x0aSA\x0aO\x0d\x0aSe.t.Se.t.SEBTH\xbb"
    "\xd9NOmeH Se\xe0\xb2\x96\x91istr\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    "\xff\xff)\x01\x00\x00\x00\x00\x00\x00\x00)))))))))))))))))))))))))))))))\x01\x00\x00"
    "\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00)))))))))))))"
    ")))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))"
    "\x00\x00\x00\x00\x00\x00\x00\x00)))\x00\x0a\x0a\x00\x00\x00\x00\x00)e  f"},
     {408}, 0},
};

static void run(const finding *f) {
  vb_corpus *c = vb_corpus_new();
  int ids[4], n = 0;
  for (; n < 4 && f->docs[n]; n++) {
    size_t len = f->lens[n] ? f->lens[n] : strlen(f->docs[n]);
    ids[n] = vb_corpus_add(c, "doc", f->docs[n], len, (f->sources >> n) & 1 ? VB_DOC_SOURCE : 0);
    ok(ids[n] >= 0, "%s: document %d analysed", f->what, n);
    size_t ne = 0, nq = 0;
    vb_doc_entities(c, ids[n], &ne);
    vb_doc_quotes(c, ids[n], &nq);
  }
  vb_report *r = NULL;
  ok(vb_check(c, -1, &r) >= 0, "%s: checked", f->what);
  vb_report_free(r);
  vb_alignment *a = NULL;
  ok(vb_align(c, ids[0], &a) >= 0, "%s: aligned", f->what);
  vb_alignment_free(a);
  size_t len = 0;
  vb_doc_bytes(c, ids[0], &len);
  vb_related *rel = NULL;
  ok(vb_find_related(c, ids[0], 0, len, 5, &rel) >= 0, "%s: related passages", f->what);
  vb_related_free(rel);
  vb_corpus_free(c);
}

int main(void) {
  for (size_t i = 0; i < sizeof findings / sizeof findings[0]; i++) run(&findings[i]);
  return done_testing();
}
