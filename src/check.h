/* check.h: what the checker's modules share (match.c, check.c, rules_*.c). */
#ifndef VB_CHECK_H
#define VB_CHECK_H

#include "internal.h"

/* ------------------------------------------------------------- windows */

/* A stretch of another document aligned with a stretch of the checked one. */
typedef struct {
  int doc;
  uint32_t s0, s1;         /* its tokens, first to last aligned word */
  vb_edit *ops;            /* a = that document, b = the checked one */
  uint8_t *moved;          /* per op: 1 when a DEL/INS is half of a moved phrase */
  size_t nops;
  uint32_t same;           /* words in common */
  uint32_t qwords, swords; /* words of the checked stretch / of this stretch */
  double score;            /* 0..1 */
} vb_window;

/* `exhaustive`: in a small corpus, look everywhere when the index finds
 * nothing (for quotations, whose absence is itself a finding).
 * `budget` (may be NULL) counts the tokens left to scan in this check; when
 * it runs out regions are skipped and it is left at 0 (results incomplete).
 * Up to `per_doc` best windows in each of up to `max_docs` candidate
 * documents for tokens [t0, t1) of d; weak windows (fewer than two shared
 * words, or one for a one-word stretch) are dropped. Sorted best first. */
int vb_find_windows(vb_corpus *c, const vb_doc *d, uint32_t t0, uint32_t t1, size_t max_docs,
                    size_t per_doc, int exhaustive, uint64_t *budget, vb_window **out, size_t *n);
void vb_windows_free(vb_window *w, size_t n);

/* Words (not punctuation) among tokens [t0, t1). */
uint32_t vb_count_words(const vb_doc *d, uint32_t t0, uint32_t t1);
/* Tokens of a quotation's inner text. */
void vb_quote_tokens(const vb_doc *d, const vb_iquote *q, uint32_t *t0, uint32_t *t1);
/* Index of the outermost quotation whose inner text holds token t, or -1. */
int vb_quote_of_token(const vb_doc *d, uint32_t t);

/* ---------------------------------------------------------- counterparts */

typedef struct {
  vb_window w;
  int relation;         /* vb_relation */
  int src_quote;        /* the counterpart's quotation in w.doc, or -1 */
  uint32_t start, end;  /* span to report, working offsets of w.doc */
  uint32_t out0, out1;  /* EXTENDED: matched words outside the source's marks */
  char *diff;           /* malloc'd or NULL */
} vb_counterpart;

/* Counterparts of quotation q of d, best first (score >= min_score), and the
 * closest passage when none qualifies (closest->w.doc = -1 when none). */
int vb_quote_counterparts(vb_corpus *c, const vb_doc *d, const vb_iquote *q, uint64_t *budget,
                          vb_counterpart **out, size_t *n, vb_counterpart *closest);
void vb_counterparts_free(vb_counterpart *cp, size_t n);

/* A short display form of a text range: white space collapsed, at most `max`
 * bytes (cut at a character boundary, "..." added). Appends to out. */
int vb_snippet(vb_buf *out, const vb_doc *d, uint32_t start, uint32_t end, size_t max);

/* ------------------------------------------------------------- checker */

typedef struct {
  vb_corpus *c;
  vb_diagnostic *diags;
  size_t ndiags, cdiags;
  int have_sources; /* the corpus holds VB_DOC_SOURCE documents */
  int *related;     /* documents related to the checked one (index candidates) */
  size_t nrelated;
  int related_for;  /* the document `related` was computed for, or -1 */
  uint64_t budget;  /* tokens the matching may still scan (bounds hostile input) */
} vb_checker;

/* Documents sharing passages with d, best first (cached per document). */
int vb_check_related(vb_checker *k, const vb_doc *d, const int **docs, size_t *n);

/* Does document o count as a reference when judging d? */
int vb_check_judges(const vb_checker *k, const vb_doc *d, const vb_doc *o);

/* Add a diagnostic (skipped when the rule is off). Offsets are working
 * offsets of d; related locations are filled from (doc, start, end) triples
 * of working offsets. */
int vb_check_emit(vb_checker *k, int rule, const vb_doc *d, uint32_t start, uint32_t end,
                  const vb_location *related_working, size_t nrelated, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* "name:line" of a working offset, for messages (static buffer per checker call). */
const char *vb_check_where(vb_checker *k, const vb_doc *d, uint32_t off, char *buf, size_t n);

/* Length of token t without a possessive 's, and the hash of that stem. */
size_t vb_stem_len(const vb_doc *d, uint32_t t);
uint32_t vb_word_key(const vb_doc *d, uint32_t t);

/* Capitalised words inside sentences that no entity covers: names the
 * tagger left out, or ordinary words given a capital (token indices). */
int vb_untagged_names(const vb_doc *d, uint32_t **toks, size_t *n);

/* Hash of a text's words in matching form (accepted quotes). */
int vb_words_hash(const char *s, size_t n, uint64_t *out);

int vb_rules_quotes(vb_checker *k, vb_doc *d, vb_report *r, size_t *cap_quotes);
int vb_rules_names(vb_checker *k, vb_doc *d);
int vb_rules_entities(vb_checker *k, vb_doc *d);
int vb_rules_numbers(vb_checker *k, vb_doc *d);
int vb_rules_balance(vb_checker *k, vb_doc *d);

#endif
