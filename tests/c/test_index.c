/* The fingerprint index: candidates, numbers in anchors, add/replace/remove. */
#include "index.h"
#include "tap.h"

static const char *const wire =
    "The harbour authority said on Tuesday that the northern pier would close for repairs "
    "after inspectors found cracks in three of its concrete supports.\n\n"
    "Ferry services to the island will move to the southern terminal from next month, "
    "a spokeswoman for the authority told reporters at a briefing.\n\n"
    "Local traders warned that the closure could cost them as much as 40,000 pounds a week "
    "during the busy summer season.\n";

static const char *const paper =
    "Ferry services to the island will move to the southern terminal from next month, "
    "the harbour authority confirmed yesterday.\n\n"
    "Traders in the old town warned that the closure could cost them as much as 55,000 pounds "
    "a week during the busy summer season.\n";

static const char *const unrelated =
    "The city orchestra announced a new conductor on Friday, ending a search that lasted "
    "nearly two years and drew applicants from eleven countries.\n";

static int add(vb_corpus *c, const char *name, const char *s) {
  return vb_corpus_add(c, name, s, strlen(s), 0);
}

/* Token range of the first occurrence of `needle` in document `id`. */
static void span_of(vb_corpus *c, int id, const char *needle, uint32_t *t0, uint32_t *t1) {
  vb_doc *d = vb_get_doc(c, id);
  const char *p = strstr(d->text, needle);
  uint32_t s = p ? (uint32_t)(p - d->text) : 0;
  *t0 = vb_text_token_at(d, s);
  *t1 = vb_text_token_at(d, s + (uint32_t)strlen(needle));
}

static int has_doc(const vb_candidate *cs, size_t n, int doc) {
  for (size_t i = 0; i < n; i++)
    if (cs[i].doc == doc) return 1;
  return 0;
}

int main(void) {
  vb_corpus *c = vb_corpus_new();
  int w = add(c, "wire", wire), p = add(c, "paper", paper), u = add(c, "other", unrelated);
  ok(w >= 0 && p >= 0 && u >= 0, "three documents added");

  uint32_t t0, t1;
  vb_candidate *cs;
  size_t n;
  span_of(c, p, "Ferry services", &t0, &t1);
  t1 = vb_get_doc(c, p)->paras[0].tok_end;
  ok(vb_index_candidates(c, vb_get_doc(c, p), t0, t1, 10, &cs, &n) == 0, "candidates found");
  ok(n >= 1 && cs[0].doc == w && cs[0].shared >= 3, "a copied sentence finds its source first");
  if (n) {
    vb_doc *wd = vb_get_doc(c, w);
    const char *src = wd->text + wd->toks[cs[0].tok_start].start;
    ok(strncmp(src, "Ferry services", 14) == 0 || src < strstr(wd->text, "Ferry services"), "the candidate region holds the shared words");
  }
  ok(!has_doc(cs, n, u), "an unrelated document is not a candidate");
  ok(!has_doc(cs, n, p), "a document is never its own candidate");
  free(cs);

  /* numbers are kept out of the anchors */
  vb_doc *pd = vb_get_doc(c, p);
  ok(vb_index_candidates(c, pd, pd->paras[1].tok_start, pd->paras[1].tok_end, 10, &cs, &n) == 0 &&
         n >= 1 && cs[0].doc == w,
     "a sentence with a changed figure still finds its source");
  free(cs);

  /* replace: the old words leave the index, the new ones enter it */
  const char *other2 = "Ferry services to the island will move to the southern terminal from next "
                       "month, according to the timetable.";
  ok(vb_corpus_replace(c, u, other2, strlen(other2)) == 0, "replace");
  span_of(c, p, "Ferry services", &t0, &t1);
  t1 = vb_get_doc(c, p)->paras[0].tok_end;
  vb_index_candidates(c, vb_get_doc(c, p), t0, t1, 10, &cs, &n);
  ok(has_doc(cs, n, u) && has_doc(cs, n, w), "a replaced document is found by its new text");
  free(cs);
  ok(vb_corpus_remove(c, w) == 0, "remove");
  vb_index_candidates(c, vb_get_doc(c, p), t0, t1, 10, &cs, &n);
  ok(!has_doc(cs, n, w) && has_doc(cs, n, u), "a removed document is gone from the index");
  free(cs);
  ok(vb_corpus_replace(c, u, unrelated, strlen(unrelated)) == 0, "replace back");
  vb_index_candidates(c, vb_get_doc(c, p), t0, t1, 10, &cs, &n);
  is_int(n, 0, "no candidates once the shared text is gone");
  free(cs);

  /* a span too short for an n-gram falls back to every other document */
  span_of(c, p, "Ferry services", &t0, &t1);
  vb_index_candidates(c, vb_get_doc(c, p), t0, t1, 10, &cs, &n);
  ok(n == 1 && cs[0].shared == 0, "a two-word span gets every other document whole");
  free(cs);

  /* many documents: the table grows and removal keeps the rest intact */
  char buf[256];
  int ids[300];
  for (int i = 0; i < 300; i++) {
    snprintf(buf, sizeof buf, "Report %d: the committee number %d met in room %d and voted on "
             "item alpha%d beta%d gamma%d.", i, i, i, i, i * 7, i * 13);
    ids[i] = add(c, "many", buf);
  }
  for (int i = 0; i < 300; i += 2) vb_corpus_remove(c, ids[i]);
  vb_doc *q = vb_get_doc(c, ids[151]);
  vb_index_candidates(c, q, 0, (uint32_t)q->ntoks, 500, &cs, &n);
  ok(n > 100 && !has_doc(cs, n, ids[150]) && has_doc(cs, n, ids[149]),
     "shared phrasing across many documents; removed ones are gone");
  free(cs);

  /* Past KEEP_DOCS documents sharing something, only those sharing the
   * most are grouped. A long query of made-up words; document i repeats
   * eight of them in a row, the first 40 documents sixteen. Asking twice
   * gives the same answer (the query scratch is left clean). */
  vb_corpus *big = vb_corpus_new();
  static char query[600 * 8];
  char word[600][8];
  size_t qn = 0;
  for (int i = 0; i < 600; i++) {
    snprintf(word[i], sizeof word[i], "q%c%c%c", 'a' + i / 100, 'a' + i / 10 % 10, 'a' + i % 10);
    qn += (size_t)snprintf(query + qn, sizeof query - qn, "%s ", word[i]);
  }
  int qid = add(big, "query", query);
  for (int i = 0; i < 290; i++) {
    size_t len = (size_t)snprintf(buf, sizeof buf, "Filler opens the note.");
    for (int k = 0; k < (i < 40 ? 16 : 8); k++)
      len += (size_t)snprintf(buf + len, sizeof buf - len, " %s", word[(2 * i + k) % 600]);
    snprintf(buf + len, sizeof buf - len, " and filler ends it.");
    add(big, "part", buf);
  }
  vb_doc *qd = vb_get_doc(big, qid);
  vb_candidate *again;
  size_t n2;
  ok(vb_index_candidates(big, qd, 0, (uint32_t)qd->ntoks, 500, &cs, &n) == 0 &&
         vb_index_candidates(big, qd, 0, (uint32_t)qd->ntoks, 500, &again, &n2) == 0,
     "candidates among 290 documents that each share a run of words");
  ok(n >= 40 && n < 290, "only the documents sharing the most are kept");
  ok(n == n2 && memcmp(cs, again, n * sizeof *cs) == 0,
     "the same query twice gives the same candidates");
  int sorted = 1, long_first = 1;
  for (size_t i = 1; i < n; i++) sorted &= cs[i - 1].shared >= cs[i].shared;
  for (size_t i = 0; i < 10 && i < n; i++) long_first &= cs[i].doc <= qid + 40;
  ok(sorted && long_first, "the documents sharing the longest runs come first");
  free(cs);
  free(again);
  vb_corpus_free(big);
  vb_corpus_free(c);
  return done_testing();
}
