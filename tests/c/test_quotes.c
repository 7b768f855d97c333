/* Quotation marks: pairing, kinds, nesting, paragraphs, bad input. */
#include "internal.h"
#include "tap.h"

#define LQ "\xE2\x80\x9C" /* “ */
#define RQ "\xE2\x80\x9D" /* ” */
#define LS "\xE2\x80\x98" /* ‘ */
#define RS "\xE2\x80\x99" /* ’ */

static vb_doc *add(vb_corpus *c, const char *s) {
  int id = vb_corpus_add(c, "t", s, strlen(s), 0);
  return id < 0 ? NULL : vb_get_doc(c, id);
}

/* The quotation whose inner text is `inner`, or NULL. */
static const vb_iquote *find(const vb_doc *d, const char *inner) {
  size_t n = strlen(inner);
  for (size_t i = 0; d && i < d->nquotes; i++) {
    const vb_iquote *q = &d->quotes[i];
    if (q->inner_end - q->inner_start == n && memcmp(d->text + q->inner_start, inner, n) == 0)
      return q;
  }
  return NULL;
}

static int spoken(const vb_iquote *q) { return q && q->kind != VB_QUOTE_TERM; }

static void test_marks(vb_corpus *c) {
  vb_doc *d = add(c, "Ada Quill said, " LQ "The ferry runs at noon." RQ);
  const vb_iquote *q = find(d, "The ferry runs at noon.");
  ok(q != NULL, "curly double marks pair");
  ok(q && q->start == 16 && q->end == d->len, "the span includes both marks");
  ok(q && q->inner_start == 19 && q->inner_end == d->len - 3, "the inner span excludes them");
  ok(q && q->tok_end - q->tok_start == 6, "inner tokens are the words inside");
  is_int(q ? q->kind : -1, VB_QUOTE_DIRECT, "a sentence after said is direct");

  d = add(c, "Ada Quill said, \"The ferry runs at noon.\"");
  ok(spoken(find(d, "The ferry runs at noon.")), "straight double marks pair");

  d = add(c, "Ada Quill said the delay was \"entirely avoidable" RQ " and costly.");
  ok(spoken(find(d, "entirely avoidable")), "a straight mark closed by a curly one pairs");

  d = add(c, "Ada Quill said the delay was ``entirely avoidable'' and costly.");
  ok(spoken(find(d, "entirely avoidable")), "`` and '' pair");

  d = add(c, "Ada Quill a d\xC3\xA9" "clar\xC3\xA9 : \xC2\xAB Le bac partira demain. \xC2\xBB");
  ok(find(d, " Le bac partira demain. ") != NULL, "guillemets pair");

  d = add(c, "Ada Quill sagte: \xE2\x80\x9E" "Die F\xC3\xA4hre kommt heute." LQ);
  ok(find(d, "Die F\xC3\xA4hre kommt heute.") != NULL, "a low opening mark pairs with a high one");

  d = add(c, "Ada Quill said, " LS "The ferry runs at noon." RS);
  ok(spoken(find(d, "The ferry runs at noon.")), "curly single marks pair");
}

static void test_apostrophes(vb_corpus *c) {
  vb_doc *d = add(c, "They'll sail past the Joneses' dock as they did in the '90s, rock 'n' roll.");
  const vb_iquote *q = NULL;
  for (size_t i = 0; i < d->nquotes; i++)
    if (d->quotes[i].kind != VB_QUOTE_TERM) q = &d->quotes[i];
  ok(q == NULL, "apostrophes are not quotation marks");
  d = add(c, "The sailors" RS " union met. Ada Quill said the " RS "tide table" RS " was wrong.");
  ok(find(d, "tide table") != NULL, "a closing single mark after a word is an apostrophe, later ones pair");
  ok(find(d, " union met. Ada Quill said the ") == NULL, "the apostrophe opens nothing");
}

static void test_nesting(vb_corpus *c) {
  vb_doc *d = add(c, "Ada Quill said, " LQ "The captain told me " LS "never again" RS " before we left." RQ);
  const vb_iquote *outer = find(d, "The captain told me " LS "never again" RS " before we left.");
  const vb_iquote *inner = find(d, "never again");
  ok(outer && !(outer->flags & VB_QUOTE_NESTED), "the outer quotation is not nested");
  ok(inner && (inner->flags & VB_QUOTE_NESTED), "a single-quoted stretch inside is nested");
  ok(outer && inner && outer < inner, "quotations are in text order");
}

static void test_paragraphs(vb_corpus *c) {
  vb_doc *d = add(c, "Ada Quill said: " LQ "We sailed at dawn and the sea was calm.\n\n"
                     LQ "By noon the storm had come." RQ "\n\n"
                     "Later, " LQ "nobody listened to the harbour master.\n\nThe ferry sank.\n");
  const vb_iquote *a = find(d, "We sailed at dawn and the sea was calm.");
  const vb_iquote *b = find(d, "By noon the storm had come.");
  const vb_iquote *u = find(d, "nobody listened to the harbour master.");
  ok(a && !(a->flags & VB_QUOTE_UNCLOSED), "a quotation that continues is not unclosed");
  ok(b && (b->flags & VB_QUOTE_CONTINUED), "the reopening paragraph continues it");
  ok(a && b && b->prev_part == (int32_t)(a - d->quotes), "prev_part links the parts");
  ok(u && (u->flags & VB_QUOTE_UNCLOSED), "an unclosed quotation stops at its paragraph");
  ok(u && u->end == u->inner_end, "an unclosed quotation has no closing mark");
}

/* Agency copy: hard-wrapped lines, a paragraph ends with '<' and the next
 * starts with a control byte; `` and '' for double marks. */
static void test_wire_paragraphs(vb_corpus *c) {
  vb_doc *d = add(c, "  ------------------------------------------\n\n"
                     "      08:15 02/03/01: Page 2 (HHH) HARBOUR Ferry\n"
                     "FERRY LATE AGAIN<\n"
                     "\x19" "By Tom Reed, PA News<\n"
                     "\x19The harbour master said: ``The ferry left late because the\n"
                     "tide was wrong.<\n"
                     "\x19  ``Nobody told the crew until it was far too late to\n"
                     "change the plan.''<\n"
                     "\x19mfl\n");
  const vb_iquote *a = find(d, "The ferry left late because the\ntide was wrong.");
  const vb_iquote *b = find(d, "Nobody told the crew until it was far too late to\nchange the plan.");
  ok(a != NULL, "a wire quotation runs across a line break to its paragraph's end");
  ok(b && (b->flags & VB_QUOTE_CONTINUED), "the next wire paragraph continues it");
  ok(a && !(a->flags & VB_QUOTE_UNCLOSED), "the continued part is not unclosed");
  ok(d && d->nparas >= 5, "'<' and control bytes mark the paragraphs");
  int furniture_entity = 0;
  for (size_t i = 0; d && i < d->nents; i++) {
    const char *w = d->text + d->ents[i].start;
    size_t n = d->ents[i].end - d->ents[i].start;
    if ((n == 8 && !memcmp(w, "Tom Reed", 8)) || (n == 3 && !memcmp(w, "HHH", 3)) ||
        (n == 7 && !memcmp(w, "PA News", 7)) || (n == 3 && !memcmp(w, "mfl", 3)))
      furniture_entity = 1;
  }
  ok(d && !furniture_entity, "no entity in the slug, the byline or the desk code");

  d = add(c, "The harbour master said: ``The ferry left late.<\n"
             "\x19``Nobody told the crew.''<\n\x19" "end\n");
  ok(find(d, "Nobody told the crew.") != NULL, "wire paragraphs without any blank line");
}

static void test_kinds(vb_corpus *c) {
  vb_doc *d = add(c, "The navy named the raid 'Operation Lantern' after the old lighthouse.");
  const vb_iquote *q = find(d, "Operation Lantern");
  is_int(q ? q->kind : -1, VB_QUOTE_TERM, "a capitalised name in quotes is a term");
  d = add(c, "The new pier looked \"bold\" at best.");
  q = find(d, "bold");
  is_int(q ? q->kind : -1, VB_QUOTE_TERM, "a scare quote with no cue is a term");
  d = add(c, "Ada Quill " LQ "stressed the need for a new pier" RQ " on Monday, her office said.");
  q = find(d, "stressed the need for a new pier");
  is_int(q ? q->kind : -1, VB_QUOTE_PARTIAL, "a fragment woven into the sentence is partial");
  d = add(c, "\"We will not wait for the council to act,\" Ada Quill said.");
  q = find(d, "We will not wait for the council to act,");
  is_int(q ? q->kind : -1, VB_QUOTE_DIRECT, "a quoted sentence before said is direct");
}

/* Doubled stand-in marks, closing marks typed for opening ones, titles and
 * headings. */
static void test_more_kinds(vb_corpus *c) {
  vb_doc *d = add(c, "An audit found that 40 firms ''kept accounts in three offshore havens.''");
  const vb_iquote *q = find(d, "kept accounts in three offshore havens.");
  is_int(q ? q->kind : -1, VB_QUOTE_PARTIAL, "'' ... '' with no cue is a double-marked fragment, not a term");

  d = add(c, "The pilots met on Monday.\n\n" RQ " The channel is too shallow for the new boats,"
             RQ " Ada Quill said.\n");
  q = find(d, " The channel is too shallow for the new boats,");
  ok(spoken(q), "a closing mark opening a paragraph opens the quotation");

  d = add(c, "Ada Quill said so on CBS's \"Harbour Watch Tonight.\"");
  q = find(d, "Harbour Watch Tonight.");
  is_int(q ? q->kind : -1, VB_QUOTE_TERM, "a title ending in a full stop is a term");

  d = add(c, "\"The ferry will not sail today,\" Ada Quill said.\n\n'A Quiet Harbour.'\n\n"
             "The port reopened on Friday.\n");
  q = find(d, "A Quiet Harbour.");
  is_int(q ? q->kind : -1, VB_QUOTE_TERM,
         "a heading in single marks after speech in double marks is not more speech");
}

static void test_public_view(vb_corpus *c) {
  const char *s = "Ada Quill said, \"Caf\xC3\xA9 prices rose.\"";
  int id = vb_corpus_add(c, "pub", s, strlen(s), 0);
  size_t n = 0;
  const vb_quote *qs = vb_doc_quotes(c, id, &n);
  is_int(n, 1, "one public quotation");
  is_str(n ? qs[0].text : NULL, "Caf\xC3\xA9 prices rose.", "its text is the inner text");
  is_int(n ? qs[0].start : 0, 16, "start at the opening mark");
  is_str(n ? vb_quote_kind_name(qs[0].kind) : NULL, "direct", "kind name");
}

static void test_bad_input(vb_corpus *c) {
  size_t n = 1000000;
  char *s = malloc(n + 1);
  for (size_t i = 0; i < n; i++) s[i] = i % 3 == 0 ? '"' : i % 3 == 1 ? 'a' : ' ';
  s[n] = '\0';
  int id = vb_corpus_add(c, "marks", s, n, 0);
  ok(id >= 0, "a third of a million straight marks analyse");
  for (size_t i = 0; i < n; i++) s[i] = '"';
  id = vb_corpus_add(c, "only-marks", s, n, 0);
  ok(id >= 0, "a million marks with nothing between them analyse");
  vb_doc *d = vb_get_doc(c, id);
  ok(d && d->nquotes == 0, "no quotation is empty");
  /* a million nested openings, never closed, on one line */
  size_t k = 0;
  while (k + 4 <= n) {
    memcpy(s + k, LQ "a", 4);
    k += 4;
  }
  id = vb_corpus_add(c, "deep", s, k, 0);
  ok(id >= 0, "deep nesting analyses");
  d = vb_get_doc(c, id);
  ok(d && d->nquotes <= 1, "reopening marks leave at most one unclosed quotation");
  for (size_t i = 0; i < n; i++) s[i] = i % 2 ? '\'' : (char)0x60;
  id = vb_corpus_add(c, "ticks", s, n, 0);
  ok(id >= 0, "backticks and apostrophes analyse");
  memset(s, 0, n);
  s[10] = '"';
  id = vb_corpus_add(c, "nul", s, n, 0);
  ok(id >= 0, "NUL bytes and a lone mark analyse");
  free(s);
  d = add(c, "Ada Quill said, \"The ferry " LQ "runs at " RS "noon.");
  ok(d != NULL, "unbalanced mixed marks analyse");
  const vb_iquote *q = d ? find(d, "runs at " RS "noon.") : NULL;
  ok(q && (q->flags & VB_QUOTE_UNCLOSED), "the last opening mark is reported unclosed");
  d = add(c, RQ RQ "'" "''" "\"");
  ok(d != NULL, "stray closing marks analyse");
}

int main(void) {
  vb_corpus *c = vb_corpus_new();
  test_marks(c);
  test_apostrophes(c);
  test_nesting(c);
  test_paragraphs(c);
  test_wire_paragraphs(c);
  test_kinds(c);
  test_more_kinds(c);
  test_public_view(c);
  test_bad_input(c);
  vb_corpus_free(c);
  return done_testing();
}
