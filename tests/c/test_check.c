/* The checker: word alignment, quote counterparts and every rule. */
#include "check.h"
#include "tap.h"

/* An invented source: a town council and its bridge. */
static const char *source =
    "Mayor Ilse Brandvold said on Monday that the old bridge would reopen in spring. "
    "\xE2\x80\x9CWe are going to repair the bridge in order to keep the ferry running,\xE2\x80\x9D "
    "Brandvold said. The council voted 14 to 3 for the repair plan on Monday evening.\n\n"
    "Engineer Piet Okonjo said the cables were \"older than anyone had thought\" and that the "
    "deck needed new bolts. \xE2\x80\x9CNobody will cross it until we are sure it is safe, and "
    "that may take until the autumn,\xE2\x80\x9D Okonjo said.\n\n"
    "Councillor Rana Delacroix called the plan a waste of money and said the town should build "
    "a tunnel under the river instead.\n";

typedef struct {
  vb_corpus *c;
  int src, draft;
  vb_report *r;
  const char *text;
} run;

static int run_check(run *x, const char *draft, void (*setup)(vb_corpus *)) {
  memset(x, 0, sizeof *x);
  x->c = vb_corpus_new();
  if (setup) setup(x->c);
  x->src = vb_corpus_add(x->c, "source.txt", source, strlen(source), VB_DOC_SOURCE);
  x->draft = vb_corpus_add(x->c, "draft.txt", draft, strlen(draft), 0);
  x->text = draft;
  return vb_check(x->c, x->draft, &x->r);
}

static void run_free(run *x) {
  vb_report_free(x->r);
  vb_corpus_free(x->c);
}

/* The span of `needle` in the draft. */
static void span_of(const run *x, const char *needle, size_t *s, size_t *e) {
  const char *p = strstr(x->text, needle);
  *s = p ? (size_t)(p - x->text) : 0;
  *e = p ? *s + strlen(needle) : 0;
}

/* The first diagnostic of `rule` overlapping `needle` (any rule when NULL). */
static const vb_diagnostic *diag_on(const run *x, const char *rule, const char *needle) {
  size_t s, e;
  span_of(x, needle, &s, &e);
  for (size_t i = 0; i < x->r->n_diagnostics; i++) {
    const vb_diagnostic *d = &x->r->diagnostics[i];
    if (rule && strcmp(d->rule, rule) != 0) continue;
    if (d->doc == x->draft && d->start < e && s < (d->end > d->start ? d->end : d->start + 1))
      return d;
  }
  return NULL;
}

static int quote_warnings(const run *x, const char *needle) {
  size_t s, e;
  span_of(x, needle, &s, &e);
  int n = 0;
  for (size_t i = 0; i < x->r->n_diagnostics; i++) {
    const vb_diagnostic *d = &x->r->diagnostics[i];
    if ((strncmp(d->rule, "quote-", 6) == 0 || strcmp(d->rule, "speaker-mismatch") == 0) &&
        d->start < e && s < d->end) {
      diag("unexpected %s: %s", d->rule, d->message);
      n++;
    }
  }
  return n;
}

/* Relation of the best match of the quote overlapping `needle`, or -1. */
static int best_relation(const run *x, const char *needle) {
  size_t s, e;
  span_of(x, needle, &s, &e);
  for (size_t i = 0; i < x->r->n_quotes; i++) {
    const vb_quote_matches *q = &x->r->quotes[i];
    if (q->start < e && s < q->end) return q->n_matches ? (int)q->matches[0].relation : -1;
  }
  return -1;
}

static int have_quotes(void) {
  vb_corpus *c = vb_corpus_new();
  const char *t = "\xE2\x80\x9CWe will see,\xE2\x80\x9D she said.";
  int id = vb_corpus_add(c, "probe", t, strlen(t), 0);
  size_t n = 0;
  vb_doc_quotes(c, id, &n);
  vb_corpus_free(c);
  return n > 0;
}

static int have_entities(void) {
  vb_corpus *c = vb_corpus_new();
  const char *t = "Mayor Ilse Brandvold visited Oslo on Monday.";
  int id = vb_corpus_add(c, "probe", t, strlen(t), 0);
  size_t n = 0;
  vb_doc_entities(c, id, &n);
  vb_corpus_free(c);
  return n > 0;
}

/* ------------------------------------------------------------ alignment */

static void test_align(void) {
  vb_corpus *c = vb_corpus_new();
  const char *a = "We must act in order to avoid future conflicts.";
  const char *b = "\xE2\x80\x9CWe MUST act to avoid future conflicts\xE2\x80\x9D";
  vb_doc *da = vb_get_doc(c, vb_corpus_add(c, "a", a, strlen(a), 0));
  vb_doc *db = vb_get_doc(c, vb_corpus_add(c, "b", b, strlen(b), 0));
  vb_edit *ops;
  size_t n;
  ok(vb_align_words(da, 0, (uint32_t)da->ntoks, db, 0, (uint32_t)db->ntoks, &ops, &n) == 0,
     "alignment runs");
  int dels = 0, sames = 0, other = 0;
  for (size_t i = 0; i < n; i++) {
    if (ops[i].op == VB_OP_DEL) {
      dels++;
      is_int(ops[i].a1 - ops[i].a0, 2, "the dropped words are 'in order'");
    } else if (ops[i].op == VB_OP_SAME) sames++;
    else other++;
  }
  ok(dels == 1 && sames == 2 && other == 0, "one deletion between two equal runs; case and marks ignored");
  free(ops);

  const char *x = "The bridge will reopen in the spring.";
  const char *y = "In the spring the bridge will reopen.";
  vb_doc *dx = vb_get_doc(c, vb_corpus_add(c, "x", x, strlen(x), 0));
  vb_doc *dy = vb_get_doc(c, vb_corpus_add(c, "y", y, strlen(y), 0));
  vb_align_words(dx, 0, (uint32_t)dx->ntoks, dy, 0, (uint32_t)dy->ntoks, &ops, &n);
  int words_same = 0;
  for (size_t i = 0; i < n; i++)
    if (ops[i].op == VB_OP_SAME) words_same += (int)vb_count_words(dx, ops[i].a0, ops[i].a1);
  is_int(words_same, 4, "reordered clause: the longest common run is kept");
  free(ops);

  vb_align_words(dx, 0, 0, dy, 0, 0, &ops, &n);
  is_int(n, 0, "two empty ranges align to nothing");
  free(ops);

  /* a long text with few repeats goes through the anchored path */
  vb_buf big = {0};
  for (int i = 0; i < 3000; i++) vb_buf_printf(&big, "w%d ", i);
  vb_doc *d1 = vb_get_doc(c, vb_corpus_add(c, "big1", big.data, big.len, 0));
  vb_buf_printf(&big, "tail");
  vb_doc *d2 = vb_get_doc(c, vb_corpus_add(c, "big2", big.data + 3, big.len - 3, 0));
  ok(vb_align_words(d1, 0, (uint32_t)d1->ntoks, d2, 0, (uint32_t)d2->ntoks, &ops, &n) == 0,
     "a 3,000-word alignment runs");
  words_same = 0;
  for (size_t i = 0; i < n; i++)
    if (ops[i].op == VB_OP_SAME) words_same += (int)vb_count_words(d1, ops[i].a0, ops[i].a1);
  is_int(words_same, 2999, "large alignment keeps every common word");
  free(ops);
  vb_buf_free(&big);
  vb_corpus_free(c);
}

/* --------------------------------------------------------------- quotes */

static void test_clean_quotes(void) {
  run x;
  /* straight marks, no comma, other case: verbatim */
  const char *draft =
      "The mayor was firm. \"we are going to repair the bridge in order to keep the ferry "
      "running\" Brandvold said.\n\n"
      "Okonjo warned: \xE2\x80\x9CNobody will cross it until we are sure it is safe.\xE2\x80\x9D\n";
  is_int(run_check(&x, draft, NULL), 0, "check runs");
  is_int(quote_warnings(&x, "we are going"), 0, "punctuation, case and marks only: no warning");
  is_int(best_relation(&x, "we are going"), VB_REL_VERBATIM, "relation verbatim");
  is_int(quote_warnings(&x, "Nobody will cross"), 0, "a truncated quote: no warning");
  is_int(best_relation(&x, "Nobody will cross"), VB_REL_FRAGMENT, "relation fragment");
  const vb_quote_matches *q = x.r->n_quotes ? &x.r->quotes[0] : NULL;
  ok(q && q->n_matches && q->matches[0].doc == x.src && q->matches[0].speaker &&
         strstr(q->matches[0].speaker, "Brandvold"),
     "the match points at the source quote and names its speaker");
  if (q && q->n_matches) {
    size_t s = q->matches[0].start, e = q->matches[0].end;
    ok(e > s && strncmp(source + s, "\xE2\x80\x9CWe are going", 15) == 0,
       "match offsets are the source quote's bytes, marks included");
  }
  run_free(&x);
}

static void test_altered(void) {
  run x;
  const char *draft =
      "\xE2\x80\x9CWe are going to repair the bridge to keep the ferry running,\xE2\x80\x9D "
      "Brandvold said on Monday.\n";
  run_check(&x, draft, NULL);
  const vb_diagnostic *d = diag_on(&x, "quote-altered", "We are going");
  ok(d != NULL, "a dropped phrase inside the marks is quote-altered");
  ok(d && strstr(d->message, "'in order to' -> 'to'"), "the message shows the change");
  ok(d && d->n_related == 1 && d->related[0].doc == x.src, "related location is in the source");
  ok(d && d->severity == VB_SEV_WARNING, "default severity warning");
  is_int(best_relation(&x, "We are going"), VB_REL_ALTERED, "relation altered");
  ok(x.r->n_quotes && x.r->quotes[0].n_matches && x.r->quotes[0].matches[0].diff &&
         strstr(x.r->quotes[0].matches[0].diff, "in order to"),
     "the match carries the diff");
  run_free(&x);

  const char *moved =
      "\xE2\x80\x9CIn order to keep the ferry running, we are going to repair the bridge,\xE2\x80\x9D "
      "Brandvold said.\n";
  run_check(&x, moved, NULL);
  d = diag_on(&x, "quote-altered", "In order to");
  ok(d && strstr(d->message, "moved '"),
     "a clause moved to the front is named as moved");
  run_free(&x);

  const char *typo =
      "\xE2\x80\x9CWe are going to repiar the bridge in order to keep the ferry running,\xE2\x80\x9D "
      "Brandvold said.\n";
  run_check(&x, typo, NULL);
  d = diag_on(&x, "quote-altered", "repiar");
  ok(d && strstr(d->message, "'repair' -> 'repiar'"), "a misspelt word is shown as a substitution");
  run_free(&x);
}

static void rule_off(vb_corpus *c) { vb_corpus_set_option(c, "rule.quote-altered", "off"); }
static void rule_error(vb_corpus *c) { vb_corpus_set_option(c, "rule.quote-altered", "error"); }
static void accept(vb_corpus *c) {
  const char *t = "We are going to repair the bridge, to keep the ferry running";
  vb_corpus_accept_quote(c, t, strlen(t));
}

static void test_configuration(void) {
  const char *draft =
      "\xE2\x80\x9CWe are going to repair the bridge to keep the ferry running,\xE2\x80\x9D "
      "Brandvold said.\n";
  run x;
  run_check(&x, draft, rule_off);
  ok(!diag_on(&x, "quote-altered", "We are going"), "rule off: no diagnostic");
  ok(best_relation(&x, "We are going") == VB_REL_ALTERED, "rule off: the match is still reported");
  run_free(&x);
  run_check(&x, draft, rule_error);
  const vb_diagnostic *d = diag_on(&x, "quote-altered", "We are going");
  ok(d && d->severity == VB_SEV_ERROR, "severity raised to error");
  run_free(&x);
  run_check(&x, draft, accept);
  ok(!diag_on(&x, "quote-altered", "We are going"), "an accepted quote gets no warning");
  run_free(&x);
}

static void test_paraphrase_and_unsourced(void) {
  run x;
  const char *draft =
      "Okonjo said, \xE2\x80\x9CThe cables are older than anyone had thought.\xE2\x80\x9D\n\n"
      "\xE2\x80\x9CThe town should build a tunnel under the river instead,\xE2\x80\x9D Delacroix "
      "said.\n\n"
      "\xE2\x80\x9CWe will open a second ferry line next year,\xE2\x80\x9D Brandvold said.\n";
  run_check(&x, draft, NULL);
  ok(diag_on(&x, "quote-from-paraphrase", "The cables are"),
     "narrative words put inside the marks: quote-from-paraphrase");
  is_int(best_relation(&x, "The cables are"), VB_REL_EXTENDED, "relation extended");
  ok(diag_on(&x, "quote-from-paraphrase", "The town should"),
     "indirect speech turned into a quote: quote-from-paraphrase");
  is_int(best_relation(&x, "The town should"), VB_REL_UNQUOTED, "relation unquoted");
  ok(diag_on(&x, "quote-unsourced", "a second ferry"), "invented quote: quote-unsourced");
  is_int(best_relation(&x, "a second ferry"), -1, "no counterpart");
  run_free(&x);
}

static void test_original_offsets(void) {
  /* Windows-1252 curly marks: offsets in the report are the file's bytes */
  run x;
  const char *draft = "\x93We are going to repair the bridge in order to keep the ferry running,\x94 "
                      "Brandvold said. \x93We will open a second ferry line next year,\x94 she said.";
  run_check(&x, draft, NULL);
  ok(x.r->n_quotes >= 1 && x.r->quotes[0].start == 0, "a quote at byte 0 starts at 0");
  const char *close = strchr(draft, '\x94');
  ok(x.r->n_quotes >= 1 && x.r->quotes[0].end == (size_t)(close - draft) + 1,
     "its end is just past the one-byte closing mark");
  is_int(best_relation(&x, "We are going"), VB_REL_VERBATIM, "Windows-1252 text still matches");
  const vb_diagnostic *d = diag_on(&x, "quote-unsourced", "a second ferry");
  ok(d && d->start == (size_t)(strstr(draft, "\x93We will") - draft), "diagnostic offsets are bytes of the file");
  run_free(&x);
}

static void test_speakers(void) {
  run x;
  const char *draft =
      "\xE2\x80\x9CNobody will cross it until we are sure it is safe, and that may take until "
      "the autumn,\xE2\x80\x9D Brandvold said.\n\n"
      "\xE2\x80\x9CWe are going to repair the bridge in order to keep the ferry running,\xE2\x80\x9D "
      "Mayor Ilse Brandvold said.\n";
  run_check(&x, draft, NULL);
  const vb_diagnostic *d = diag_on(&x, "speaker-mismatch", "Nobody will");
  ok(d && strstr(d->message, "Okonjo"), "quote given to another person: speaker-mismatch");
  ok(!diag_on(&x, "speaker-mismatch", "We are going"), "same quote, same speaker: no warning");
  run_free(&x);
}

/* Speakers known firmly (a name at the cue) outweigh speakers inferred from
 * a pronoun; two inferences that differ are not a finding. */
static int speaker_warnings(const char *named, const char *inferred, const char *draft) {
  vb_corpus *c = vb_corpus_new();
  if (named) vb_corpus_add(c, "named.txt", named, strlen(named), VB_DOC_SOURCE);
  vb_corpus_add(c, "inferred.txt", inferred, strlen(inferred), VB_DOC_SOURCE);
  int id = vb_corpus_add(c, "draft.txt", draft, strlen(draft), 0);
  vb_report *r = NULL;
  int n = -1;
  if (vb_check(c, id, &r) == 0) {
    n = 0;
    for (size_t i = 0; i < r->n_diagnostics; i++)
      if (strcmp(r->diagnostics[i].rule, "speaker-mismatch") == 0) n++;
  }
  vb_report_free(r);
  vb_corpus_free(c);
  return n;
}

static void test_speaker_firmness(void) {
  const char *named = "Ferry captain Ada Lind met harbour master Olav Berg on the pier. "
                      "\"The channel is too shallow for the new boats,\" said Ada Lind.\n";
  const char *inferred = "\"The tides are late this year,\" Olav Berg said. "
                         "\"The channel is too shallow for the new boats,\" he added.\n";
  const char *draft_named = "\"The channel is too shallow for the new boats,\" Olav Berg said.\n";
  const char *draft_pronoun = "Captain Mia Sand stood on the pier. "
                              "\"The channel is too shallow for the new boats,\" she said.\n";
  is_int(speaker_warnings(named, inferred, draft_named), 1,
         "a source naming the speaker outweighs one that infers another from a pronoun");
  is_int(speaker_warnings(NULL, inferred, draft_named), 0,
         "a source whose pronoun resolves to the draft's speaker agrees");
  is_int(speaker_warnings(NULL, inferred, draft_pronoun), 0,
         "two pronouns resolved to different people: no finding");
  is_int(speaker_warnings(named, inferred, draft_pronoun), 0,
         "a pronoun against a named speaker: a guess contradicts nobody");
  const char *draft_group = "The pilots' guild says \"the channel is too shallow for the new boats.\"\n";
  is_int(speaker_warnings(named, inferred, draft_group), 0,
         "a group as the speaker contradicts nobody");
}

/* Each document's own aliasing: surnames, titles and honours, hyphenated
 * and clipped names are one person; a role, a scare quote or a name in
 * capitals from a header is no speaker to compare. */
static void test_speaker_aliases(void) {
  const char *src = "Barrister Helen Marsh-Quayle QC told the court on Monday that the lease was void. "
                    "\"The landlord knew the roof was unsafe when he signed the lease,\" said Helen "
                    "Marsh-Quayle QC.\n\n"
                    "Tenant Omar Fitch said the rent had doubled. \"We were never told that the "
                    "building had failed its inspection twice,\" Omar Fitch said.\n";
  const char *alias = "\"The landlord knew the roof was unsafe when he signed the lease,\" Mrs Marsh "
                      "said.\n";
  is_int(speaker_warnings(NULL, src, alias), 0, "a clipped, untitled surname is the same person");
  const char *alias2 = "\"The landlord knew the roof was unsafe when he signed the lease,\" said "
                       "Quayle.\n";
  is_int(speaker_warnings(NULL, src, alias2), 0, "one part of a hyphenated surname is the same person");
  const char *swapped = "Lawyer Nina Grell spoke outside. \"We were never told that the building had "
                        "failed its inspection twice,\" Nina Grell said.\n";
  is_int(speaker_warnings(NULL, src, swapped), 1, "another named person: speaker-mismatch");
  const char *scare = "Nina Grell said the tenants had been \"never told\" about it.\n";
  is_int(speaker_warnings(NULL, src, scare), 0, "a scare quote has no speaker to compare");
  const char *header = "\"We were never told that the building had failed its inspection twice,\" "
                       "said COURTS Fitch.\n";
  is_int(speaker_warnings(NULL, src, header), 0, "a header word is no different person");
}

/* ---------------------------------------------------------------- text */

static void test_balance(void) {
  run x;
  const char *draft =
      "\xE2\x80\x9CWe are going to repair the bridge in order to keep the ferry running, she said "
      "on Monday.\n\n"
      "The ferry\xE2\x80\x9D was late again.\n\n"
      "\xE2\x80\x9CNobody will cross it until we are sure it is safe,\n\n"
      "\xE2\x80\x9C" "and that may take until the autumn,\xE2\x80\x9D Okonjo said.\n";
  run_check(&x, draft, NULL);
  ok(diag_on(&x, "unbalanced-quote", "\xE2\x80\x9CWe are"), "an opening mark never closed");
  ok(diag_on(&x, "unbalanced-quote", "\xE2\x80\x9D was late"), "a closing mark never opened");
  ok(!diag_on(&x, "unbalanced-quote", "\xE2\x80\x9CNobody"),
     "a quote continued in the next paragraph is not unbalanced");
  run_free(&x);

  /* stray closing marks in a document with no quotation at all */
  run_check(&x, "The ferry was late again.\xE2\x80\x9D The council met on Monday.\n\n"
                "Piet Okonjo inspected the cables.\" Nobody crossed.\n\n"
                "The new deck is 6'2\" wider.\n", NULL);
  ok(diag_on(&x, "unbalanced-quote", "\xE2\x80\x9D The council"),
     "a curly closing mark never opened, with no quotation in the document");
  ok(diag_on(&x, "unbalanced-quote", "\" Nobody"), "a straight mark that can only close");
  ok(!diag_on(&x, "unbalanced-quote", "\" wider"), "an inch sign is not a quotation mark");
  run_free(&x);

  /* balanced marks, apostrophes and a quote around punctuation only */
  run_check(&x, "\xE2\x80\x9CWe will see,\xE2\x80\x9D Okonjo said. The riders' union asked "
                "\"?\" and the 1990s' ferries stayed.\n", NULL);
  int unbalanced = 0;
  for (size_t i = 0; i < x.r->n_diagnostics; i++)
    unbalanced += strcmp(x.r->diagnostics[i].rule, "unbalanced-quote") == 0;
  is_int(unbalanced, 0, "balanced marks and apostrophes: nothing unbalanced");
  run_free(&x);
}

static void test_numbers(void) {
  run x;
  const char *draft = "On Monday evening the council voted 13 to 3 for the repair plan.\n";
  run_check(&x, draft, NULL);
  const vb_diagnostic *d = diag_on(&x, "number-mismatch", "13");
  ok(d && strstr(d->message, "14"), "a changed count in an aligned passage: number-mismatch");
  run_free(&x);
  run_check(&x, "The council voted 14 to 3 for the repair plan on Monday evening.\n", NULL);
  ok(!diag_on(&x, "number-mismatch", "14"), "the same numbers: no warning");
  run_free(&x);
}

/* Numbers checked against a source of one's own, with its diagnostics. */
static int number_warnings(const char *src, const char *draft, const char *needle) {
  vb_corpus *c = vb_corpus_new();
  vb_corpus_add(c, "wire.txt", src, strlen(src), VB_DOC_SOURCE);
  int id = vb_corpus_add(c, "paper.txt", draft, strlen(draft), 0);
  vb_report *r = NULL;
  int n = -1;
  const char *p = strstr(draft, needle);
  size_t s = p ? (size_t)(p - draft) : 0, e = s + strlen(needle);
  if (vb_check(c, id, &r) == 0) {
    n = 0;
    for (size_t i = 0; i < r->n_diagnostics; i++) {
      const vb_diagnostic *d = &r->diagnostics[i];
      if (!strcmp(d->rule, "number-mismatch") && d->doc == id && d->start < e && s < d->end) n++;
    }
  }
  vb_report_free(r);
  vb_corpus_free(c);
  return n;
}

/* The next day's paper: "today" becomes "yesterday", a weekday may stand
 * for it, and the same figure is written another way. Figures about
 * someone else in a sentence built alike are not the same figure. */
static void test_number_conventions(void) {
  const char *wire =
      "Harbour pilot Ann Cole, 41, was today cleared of causing the collision off Pendle Point.\n\n"
      "The court heard today that the ferry was carrying 212 passengers and #3.5 million of cargo "
      "when it struck the pier in 2005.\n\n"
      "Deckhand Milo Frey, 29, was jailed for five years for his part in the smuggling.\n";
  const char *paper =
      "Harbour pilot Ann Cole, 41, was yesterday cleared of causing the collision off Pendle Point.\n\n"
      "The court heard yesterday that the ferry was carrying 212 passengers and \xC2\xA3" "3.5 million of "
      "cargo when it struck the pier in 2005.\n\n"
      "Her employer Tom Vance, 52, was jailed for seven years for his part in the smuggling.\n";
  is_int(number_warnings(wire, paper, "yesterday cleared"), 0,
         "relative days shifted the same way throughout: the paper's convention");
  is_int(number_warnings(wire, paper, "3.5"), 0, "'#' is the pound in agency copy");
  is_int(number_warnings(wire, paper, "seven"), 0, "another person's sentence is not the same figure");
  const char *slips =
      "Harbour pilot Ann Cole, 44, was today cleared of causing the collision off Pendle Point.\n\n"
      "The court heard today that the ferry was carrying 212 passengers and #3.5 million of cargo "
      "when it struck the pier in 2006.\n";
  is_int(number_warnings(wire, slips, "44"), 1, "a changed age after the same name is found");
  is_int(number_warnings(wire, slips, "2006"), 1, "a changed year in an aligned passage is found");
  const char *styled =
      "The court heard on Monday that the ferry was carrying 212 passengers and \xC2\xA3" "3.5m of "
      "cargo when it struck the pier in 2005.\n";
  is_int(number_warnings(wire, styled, "Monday"), 0, "a weekday for 'today' is a convention");
  is_int(number_warnings(wire, styled, "3.5m"), 0, "3.5m and 3.5 million are one figure");
}

/* Background the sources need not give: countries, a word in capitals,
 * titles; a first name the draft links to a person the source names. */
static void test_entity_background(void) {
  run x;
  const char *draft = "Mayor Ilse Brandvold of Norway said the bridge would reopen in spring. "
                      "Ilse said the council voted 14 to 3. BRIDGE chiefs in Britain were told.\n";
  run_check(&x, draft, NULL);
  ok(!diag_on(&x, "entity-unsupported", "Norway"), "a country is background: no note");
  ok(!diag_on(&x, "entity-unsupported", "BRIDGE"), "a word in capitals is no name: no note");
  ok(!diag_on(&x, "entity-unsupported", "Ilse said"), "a first name of a person the source names: no note");
  run_free(&x);
}

static void names_file(vb_corpus *c) {
  const char *names = "# people\nIlse Brandvold\tPERSON\nPiet Okonjo | PERSON\n";
  vb_corpus_load_names(c, names, strlen(names));
}

static void test_entities(void) {
  run x;
  const char *draft =
      "Mayor Ilse Brandvoll said the bridge would reopen in spring, and Governor Tobias Wendt "
      "agreed. Piet Okonjo said the cables were old.\n";
  run_check(&x, draft, NULL);
  const vb_diagnostic *d = diag_on(&x, "name-variant", "Brandvoll");
  ok(d && strstr(d->message, "Brandvold"), "a name spelled two ways: name-variant");
  ok(!diag_on(&x, "name-variant", "Okonjo"), "a name spelled the same: no warning");
  ok(!diag_on(&x, "entity-unsupported", "Brandvoll"), "a misspelt name is a variant, not a new entity");
  d = diag_on(&x, "entity-unsupported", "Wendt");
  ok(d && d->severity == VB_SEV_INFO, "a person no other document mentions: entity-unsupported (info)");
  ok(!diag_on(&x, "entity-unsupported", "Okonjo"), "a person the source names: no note");
  run_free(&x);

  /* one name spelled two ways inside one document, no source has either */
  const char *twice =
      "Engineer Piet Okonjo inspected the cables on Monday. Later, Okonjo said the bolts were fine, "
      "and Okondjo promised a report. Okonjo will present it to Mayor Ilse Brandvold.";
  run_check(&x, twice, NULL);
  d = diag_on(&x, "name-variant", "Okondjo");
  ok(d && strstr(d->message, "Okonjo"), "within one document: the rarer spelling is the variant");
  run_free(&x);

  /* a names file makes near-misses of listed names variants */
  vb_corpus *c = vb_corpus_new();
  names_file(c);
  const char *t = "Engineer Piet Okonja inspected the cables.";
  int id = vb_corpus_add(c, "alone.txt", t, strlen(t), 0);
  vb_report *r;
  vb_check(c, id, &r);
  int found = 0;
  for (size_t i = 0; i < r->n_diagnostics; i++)
    found |= strcmp(r->diagnostics[i].rule, "name-variant") == 0 &&
             strstr(r->diagnostics[i].message, "names file") != NULL;
  ok(found, "a near-miss of a name in the names file: name-variant");
  vb_report_free(r);
  vb_corpus_free(c);
}

static void test_report(void) {
  run x;
  const char *draft =
      "Councillor Rana Delacroix said: \xE2\x80\x9CThe town should build a tunnel.\xE2\x80\x9D "
      "The council voted 13 to 3 for the repair plan on Monday evening.\n"
      "\xE2\x80\x9CWe are going to repair the bridge to keep the ferry running,\xE2\x80\x9D "
      "Brandvold said.\n";
  run_check(&x, draft, NULL);
  int ordered = 1;
  for (size_t i = 1; i < x.r->n_diagnostics; i++) {
    const vb_diagnostic *p = &x.r->diagnostics[i - 1], *q = &x.r->diagnostics[i];
    if (p->doc > q->doc || (p->doc == q->doc && p->start > q->start)) ordered = 0;
  }
  ok(ordered, "diagnostics ordered by document and offset");
  int bounded = 1;
  for (size_t i = 0; i < x.r->n_diagnostics; i++)
    bounded &= x.r->diagnostics[i].end <= strlen(draft) && x.r->diagnostics[i].message != NULL;
  ok(bounded, "offsets within the document, every diagnostic has a message");
  run_free(&x);

  vb_corpus *c = vb_corpus_new();
  vb_report *r = NULL;
  ok(vb_check(c, 7, &r) == VB_ERR_INVALID && r == NULL, "unknown document: VB_ERR_INVALID");
  ok(vb_check(c, -1, &r) == 0 && r && r->n_diagnostics == 0, "empty corpus: empty report");
  vb_report_free(r);
  int id = vb_corpus_add(c, "bin", "\0\x01\xff\"\xE2\x80\x9D", 7, 0);
  ok(vb_check(c, id, &r) == 0, "binary bytes: still a report");
  vb_report_free(r);
  vb_corpus_free(c);
}

int main(void) {
  test_align();
  if (have_quotes()) {
    test_clean_quotes();
    test_altered();
    test_configuration();
    test_paraphrase_and_unsourced();
    test_speakers();
    test_speaker_firmness();
  test_speaker_aliases();
    test_original_offsets();
    test_balance();
  } else {
    ok(1, "# SKIP quotation scanner not available");
  }
  test_numbers();
  test_number_conventions();
  test_entity_background();
  if (have_entities()) test_entities();
  else ok(1, "# SKIP entity tagger not available");
  test_report();
  return done_testing();
}
