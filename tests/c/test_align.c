/* Document alignment and related passages on text written for the tests. */
#include <stdio.h>

#include "internal.h"
#include "tap.h"

static const char *const wire =
    "The harbour authority said on Tuesday that the northern pier would close for repairs "
    "after inspectors found cracks in three of its concrete supports.\n\n"
    "Ferry services to the island will move to the southern terminal from next month, "
    "a spokeswoman for the authority told reporters at a briefing in the town hall.\n\n"
    "Local traders warned that the closure could cost them as much as 40,000 pounds a week "
    "during the busy summer season, when visitors fill the seafront cafes.\n";

/* a verbatim copy of the wire */
static const char *const copy =
    "The harbour authority said on Tuesday that the northern pier would close for repairs "
    "after inspectors found cracks in three of its concrete supports.\n\n"
    "Ferry services to the island will move to the southern terminal from next month, "
    "a spokeswoman for the authority told reporters at a briefing in the town hall.\n\n"
    "Local traders warned that the closure could cost them as much as 40,000 pounds a week "
    "during the busy summer season, when visitors fill the seafront cafes.\n";

/* an edited version: words changed and dropped, one figure changed */
static const char *const edited =
    "The northern pier will shut for repairs after inspectors discovered cracks in three of "
    "its concrete supports, the harbour authority said.\n\n"
    "From next month ferry services to the island will move to the southern terminal, "
    "a spokeswoman told reporters.\n\n"
    "Traders in the old town fear that the closure could cost them as much as 55,000 pounds "
    "a week during the summer season.\n\n"
    "The pier first opened to the public in the spring of the year the railway arrived, and "
    "generations of anglers have fished from its end.\n";

static const char *const unrelated =
    "The city orchestra announced a new conductor on Friday, ending a search that lasted "
    "nearly two years and drew applicants from eleven countries. Rehearsals begin in the "
    "autumn, and the first concert will feature works by composers from the region.\n";

static int add(vb_corpus *c, const char *name, const char *s, unsigned flags) {
  return vb_corpus_add(c, name, s, strlen(s), flags);
}

static size_t offset_of(const char *doc, const char *needle) {
  const char *p = strstr(doc, needle);
  return p ? (size_t)(p - doc) : 0;
}

/* Relation of the span covering byte `off` of the target, or -1. */
static int relation_at(const vb_alignment *al, size_t off) {
  for (size_t i = 0; i < al->n_spans; i++)
    if (al->spans[i].start <= off && off < al->spans[i].end) return (int)al->spans[i].relation;
  return -1;
}

static void test_align(void) {
  vb_corpus *c = vb_corpus_new();
  int w = add(c, "wire", wire, VB_DOC_SOURCE);
  int cp = add(c, "copy", copy, 0);
  vb_alignment *al = NULL;

  ok(vb_align(c, cp, &al) == 0 && al, "align a verbatim copy");
  ok(al->verbatim > 0.99 && al->fresh < 0.01, "a verbatim copy is all verbatim (%.2f)", al->verbatim);
  is_str(vb_reuse_name(al->reuse), "wholly", "and wholly derived");
  ok(al->n_spans >= 1 && al->spans[0].source == w, "its spans point at the wire");
  int spans_ok = 1;
  for (size_t i = 0; i < al->n_spans; i++) {
    const vb_span *s = &al->spans[i];
    if (s->relation == VB_REL_VERBATIM &&
        (s->end - s->start != s->source_end - s->source_start ||
         memcmp(copy + s->start, wire + s->source_start, s->end - s->start) != 0))
      spans_ok = 0;
  }
  ok(spans_ok, "verbatim spans hold the same bytes as their source");
  vb_alignment_free(al);

  int ed = add(c, "edited", edited, 0);
  ok(vb_align(c, ed, &al) == 0, "align an edited version");
  double sum = al->verbatim + al->rewrite + al->fresh;
  ok(sum > 0.999 && sum < 1.001, "shares sum to 1");
  ok(al->rewrite > 0.05 && al->verbatim > 0.2 && al->fresh > 0.1,
     "edited: verbatim %.2f, rewrite %.2f and new %.2f", al->verbatim, al->rewrite, al->fresh);
  is_str(vb_reuse_name(al->reuse), "partially", "an edited version with a new paragraph is partially derived");
  ok(relation_at(al, offset_of(edited, "concrete supports")) == VB_REL_VERBATIM,
     "copied words inside an edited sentence are verbatim");
  ok(relation_at(al, offset_of(edited, "discovered")) == VB_REL_REWRITE, "a substituted word is rewrite");
  ok(relation_at(al, offset_of(edited, "anglers")) == -1, "the new paragraph is new");
  int a55 = relation_at(al, offset_of(edited, "55,000"));
  ok(a55 == VB_REL_REWRITE, "a changed figure aligns as rewrite");
  ok(relation_at(al, offset_of(edited, "pounds a week")) == VB_REL_VERBATIM,
     "the words after a changed figure still align verbatim");
  vb_alignment_free(al);

  int un = add(c, "unrelated", unrelated, 0);
  ok(vb_align(c, un, &al) == 0, "align an unrelated text");
  ok(al->fresh > 0.9, "an unrelated text is new (%.2f)", al->fresh);
  is_str(vb_reuse_name(al->reuse), "none", "and not derived");
  vb_alignment_free(al);

  /* remove and replace keep results right */
  ok(vb_corpus_remove(c, w) == 0 && vb_corpus_remove(c, cp) == 0, "remove the sources");
  ok(vb_align(c, ed, &al) == 0 && al->fresh > 0.9, "without sources nothing is derived");
  vb_alignment_free(al);
  ok(vb_corpus_replace(c, un, wire, strlen(wire)) == 0, "replace the unrelated text with the wire");
  ok(vb_align(c, ed, &al) == 0 && al->verbatim > 0.2, "the replaced document is a source again");
  ok(al->n_spans > 0 && al->spans[0].source == un, "spans point at the replaced document");
  vb_alignment_free(al);

  ok(vb_align(c, 999, &al) == VB_ERR_INVALID && al == NULL, "an unknown document is an error");
  vb_corpus_free(c);
}

static void test_related(void) {
  vb_corpus *c = vb_corpus_new();
  int w = add(c, "wire", wire, VB_DOC_SOURCE);
  int un = add(c, "unrelated", unrelated, VB_DOC_SOURCE);
  int ed = add(c, "edited", edited, 0);
  vb_related *r = NULL;
  size_t ps, pe;
  vb_doc_paragraph(c, ed, offset_of(edited, "From next month"), &ps, &pe);
  ok(vb_find_related(c, ed, ps, pe, 5, &r) == 0 && r, "related passages of a rewritten paragraph");
  ok(r->n_passages >= 1 && r->passages[0].doc == w, "the wire comes first");
  if (r->n_passages) {
    const vb_passage *p = &r->passages[0];
    ok(p->start == offset_of(wire, "Ferry services"), "the passage is the wire's second paragraph");
    is_str(vb_relation_name(p->relation), "rewrite", "a reordered, shortened paragraph is a rewrite");
    ok(p->score > 0.5 && p->score <= 1, "with a high score (%.2f)", p->score);
    int in = p->n_aligned > 0;
    for (size_t i = 0; i < p->n_aligned; i++)
      in &= p->aligned[i].start >= ps && p->aligned[i].end <= pe &&
            p->aligned[i].source_start >= p->start && p->aligned[i].source_end <= p->end &&
            p->aligned[i].source_start < p->aligned[i].source_end;
    ok(in, "aligned stretches lie in the query and in the passage");
  }
  for (size_t i = 0; i < r->n_passages; i++) ok(r->passages[i].doc != un, "never the unrelated text");
  for (size_t i = 1; i < r->n_passages; i++)
    ok(r->passages[i - 1].score >= r->passages[i].score, "best first");
  vb_related_free(r);

  /* the same paragraph word for word */
  int cp = add(c, "copy", copy, 0);
  vb_doc_paragraph(c, cp, offset_of(copy, "Local traders"), &ps, &pe);
  ok(vb_find_related(c, cp, ps, pe, 1, &r) == 0 && r->n_passages == 1, "at most max passages");
  ok(r->n_passages && r->passages[0].relation == VB_REL_VERBATIM && r->passages[0].doc == w,
     "a copied paragraph is verbatim");
  vb_related_free(r);

  /* the pier's history paragraph has no counterpart with shared words */
  vb_doc_paragraph(c, ed, offset_of(edited, "anglers"), &ps, &pe);
  ok(vb_find_related(c, ed, ps, pe, 5, &r) == 0, "a new paragraph");
  int strong = 0;
  for (size_t i = 0; i < r->n_passages; i++) strong |= r->passages[i].relation != VB_REL_RELATED;
  ok(!strong, "has at most loosely related passages");
  vb_related_free(r);

  ok(vb_find_related(c, ed, 0, 0, 5, &r) == 0 && r->n_passages == 0, "an empty span has none");
  vb_related_free(r);
  ok(vb_find_related(c, ed, 10, 5, 5, &r) == VB_ERR_INVALID, "an inverted span is an error");
  vb_corpus_free(c);
}

/* A loosely reworded sentence reads as a rewrite in a text that copies the
 * wire around it; in a text that owes the wire nothing else it does not make
 * the text derived. */
static void test_context(void) {
  static const char *const loose = "Shopkeepers fear losing 40,000 pounds every week of the summer.";
  char copied[2048], alone[2048];
  snprintf(copied, sizeof copied,
           "The harbour authority said on Tuesday that the northern pier would close for repairs "
           "after inspectors found cracks in three of its concrete supports.\n\n"
           "Ferry services to the island will move to the southern terminal from next month, "
           "a spokeswoman for the authority told reporters at a briefing in the town hall.\n\n%s\n",
           loose);
  snprintf(alone, sizeof alone, "%s\n\n%s", unrelated, loose);
  vb_corpus *c = vb_corpus_new(), *c2 = vb_corpus_new();
  add(c, "wire", wire, VB_DOC_SOURCE);
  add(c2, "wire", wire, VB_DOC_SOURCE);
  int cp = add(c, "copied", copied, 0);
  int al1 = add(c2, "alone", alone, 0);
  vb_alignment *al = NULL;
  ok(vb_align(c, cp, &al) == 0, "align a copy with one loosely reworded sentence");
  ok(relation_at(al, offset_of(copied, "Shopkeepers")) == VB_REL_REWRITE,
     "amid copied paragraphs the reworded sentence is rewrite");
  vb_alignment_free(al);
  ok(vb_align(c2, al1, &al) == 0, "align the same sentence in an unrelated text");
  ok(al->fresh > 0.75, "there the text is mostly new (%.2f)", al->fresh);
  is_str(vb_reuse_name(al->reuse), "none", "and the text is not derived");
  vb_alignment_free(al);
  vb_corpus_free(c);
  vb_corpus_free(c2);
}

/* Speech that no source reported is a sign of independent reporting. */
static void test_speech(void) {
  static const char *const interview =
      "The harbour authority said on Tuesday that the northern pier would close for repairs "
      "after inspectors found cracks in three of its concrete supports.\n\n"
      "\"I have fished off that pier every Sunday since I was a boy, and my father did the same "
      "before me,\" said Tom Rudd, who runs the bait shop beside the slipway. \"If they shut it "
      "for the whole summer, half the people who come to this town will simply go elsewhere.\"\n\n"
      "\"Nobody asked us,\" said his neighbour, Ann Colley. \"We read about it in the paper like "
      "everyone else, and the repairs could have waited until the autumn.\"\n";
  vb_corpus *c = vb_corpus_new();
  add(c, "wire", wire, VB_DOC_SOURCE);
  int iv = add(c, "interview", interview, 0);
  vb_alignment *al = NULL;
  ok(vb_align(c, iv, &al) == 0, "align an interview that borrows one wire paragraph");
  ok(relation_at(al, offset_of(interview, "northern pier would close")) == VB_REL_VERBATIM,
     "the borrowed paragraph is verbatim (%.2f of the words)", al->verbatim);
  is_str(vb_reuse_name(al->reuse), "none",
         "speech no source reported makes up most of it: not derived");
  vb_alignment_free(al);
  vb_corpus_free(c);
}

int main(void) {
  test_align();
  test_context();
  test_speech();
  test_related();
  return done_testing();
}
