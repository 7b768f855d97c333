/* The text model: decoding, tokens, sentences, paragraphs. */
#include "internal.h"
#include "tap.h"

static vb_doc *add(vb_corpus *c, const char *s, size_t n) {
  int id = vb_corpus_add(c, "t", s, n, 0);
  return id < 0 ? NULL : vb_get_doc(c, id);
}

static int tok_is(const vb_doc *d, size_t i, const char *want) {
  if (i >= d->ntoks) return 0;
  size_t n = d->toks[i].end - d->toks[i].start;
  return strlen(want) == n && memcmp(d->text + d->toks[i].start, want, n) == 0;
}

static void test_tokens(vb_corpus *c) {
  const char *s = "They'll meet the U.S. envoy on Sept. 11 at 4:27 p.m. to discuss 1,000 de-escalation plans.";
  vb_doc *d = add(c, s, strlen(s));
  ok(d != NULL, "plain text analyses");
  ok(tok_is(d, 0, "They'll"), "apostrophe inside a word joins it");
  ok(tok_is(d, 3, "U.S."), "an initialism keeps its dots");
  ok(tok_is(d, 6, "Sept") && tok_is(d, 7, "."), "an abbreviation is a word and a full stop");
  ok(tok_is(d, 10, "4:27"), "a time is one number");
  ok(tok_is(d, 11, "p.m."), "p.m. is one token");
  ok(tok_is(d, 14, "1,000"), "thousands separators stay in the number");
  ok(tok_is(d, 15, "de-escalation"), "hyphenated words are one token");
  is_int(d->nsents, 1, "abbreviations and initialisms do not end the sentence");
}

static void test_sentences(vb_corpus *c) {
  const char *s = "Minister S. Jaishankar spoke. Mr. Patel replied. \xE2\x80\x9CWe agree.\xE2\x80\x9D She left!";
  vb_doc *d = add(c, s, strlen(s));
  is_int(d->nsents, 4, "four sentences around an initial, Mr. and a closing quote");
}

static void test_paragraphs(vb_corpus *c) {
  const char *wrapped = "First paragraph runs\nover two lines.\n\nSecond one.\n";
  vb_doc *d = add(c, wrapped, strlen(wrapped));
  is_int(d->nparas, 2, "hard-wrapped text: paragraphs at blank lines");
  const char *lines = "One paragraph a line.\nAnother paragraph.\nA third.";
  d = add(c, lines, strlen(lines));
  is_int(d->nparas, 3, "no blank lines: one paragraph a line");
}

static void test_hash_folding(vb_corpus *c) {
  const char *a = "We\xE2\x80\x99re \xE2\x80\x9C" "DONE\xE2\x80\x9D \xE2\x80\x94 caf" "\xC3\xA9";
  const char *b = "we're \"done\" - cafe";
  vb_doc *da = add(c, a, strlen(a));
  vb_doc *db = add(c, b, strlen(b));
  ok(da->ntoks == db->ntoks, "same token count with curly and straight marks");
  int same = da->ntoks == db->ntoks;
  for (size_t i = 0; same && i < da->ntoks; i++) same = da->toks[i].hash == db->toks[i].hash;
  ok(same, "matching forms fold case, quotes, dashes and accents");
}

static void test_encodings(vb_corpus *c) {
  const char latin1[] = "caf\xE9 \x93" "quoted\x94";
  int id = vb_corpus_add(c, "l1", latin1, sizeof latin1 - 1, 0);
  is_int(vb_doc_encoding(c, id), VB_ENC_CP1252, "Windows-1252 bytes are read as such");
  vb_doc *d = vb_get_doc(c, id);
  is_int(vb_orig(d, d->toks[d->ntoks - 1].end), sizeof latin1 - 1, "offsets map back to the original bytes");
  const char bad[] = "ok \xE2\x80\x9Cgood\xE2\x80\x9D \xC3\x28 \xED\xA0\x80 \xC0\xAF end";
  id = vb_corpus_add(c, "bad", bad, sizeof bad - 1, 0);
  is_int(vb_doc_encoding(c, id), VB_ENC_REPAIRED, "mostly UTF-8 with bad bytes is repaired");
  const char bom[] = "\xEF\xBB\xBFHello,\r\nworld.\r\n";
  id = vb_corpus_add(c, "bom", bom, sizeof bom - 1, 0);
  d = vb_get_doc(c, id);
  ok(tok_is(d, 0, "Hello") && d->toks[0].start == 3, "a BOM is skipped, offsets unchanged");
  is_int(d->nparas, 2, "CRLF line ends split paragraphs");
  const char nul[] = "a\0b";
  id = vb_corpus_add(c, "nul", nul, 3, 0);
  is_int(vb_get_doc(c, id)->ntoks, 2, "a NUL byte separates tokens");
  id = vb_corpus_add(c, "empty", "", 0, 0);
  ok(id >= 0 && vb_get_doc(c, id)->ntoks == 0, "an empty document is fine");
}

/* The hash computed while scanning must equal the hash of the matching form. */
static void test_hash_consistency(vb_corpus *c) {
  const char *s = "U.S.-based CAF\xC3\x89 owner's 1,000.50 '90s rock-'n'-roll Jones' "
                  "they\xE2\x80\x99ll e.g. 4:27 a.m. 9/11 X-Ray \xE2\x80\x9CQuote\xE2\x80\x9D -- ... "
                  "Na\xC3\xAFve co-op 3rd O'Neill McDONALD";
  vb_doc *d = add(c, s, strlen(s));
  int all = d->ntoks > 20;
  for (size_t i = 0; all && i < d->ntoks; i++) {
    vb_buf b = {0};
    vb_norm_append(&b, d->text + d->toks[i].start, d->toks[i].end - d->toks[i].start);
    uint32_t want = vb_hash32(b.data ? b.data : "", b.len);
    if (d->toks[i].hash != want) {
      diag("token %zu '%.*s' hash differs", i, (int)(d->toks[i].end - d->toks[i].start),
           d->text + d->toks[i].start);
      all = 0;
    }
    vb_buf_free(&b);
  }
  ok(all, "every token's hash is the hash of its matching form");
}

int main(void) {
  vb_corpus *c = vb_corpus_new();
  ok(c != NULL, "corpus created");
  test_tokens(c);
  test_sentences(c);
  test_paragraphs(c);
  test_hash_folding(c);
  test_encodings(c);
  test_hash_consistency(c);
  vb_corpus_free(c);
  return done_testing();
}
