/* fuzz.h: invariants shared by the fuzz targets.
 *
 * Every target feeds bytes through the library and then checks that what
 * comes back is well formed: spans inside the document, in order, strings
 * present, enums in range. A broken invariant traps, which libFuzzer reports
 * as a crash with the input that caused it. */
#ifndef VB_FUZZ_H
#define VB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "verbatim.h"

#define FUZZ_ASSERT(cond)                                                                   \
  do {                                                                                      \
    if (!(cond)) __builtin_trap();                                                          \
  } while (0)

/* The corpus a target reuses from one input to the next: building one
 * (patterns, lexicon) is the slow part, and every input removes its
 * documents again. Ids are never reused, though, so walking the documents
 * costs more the more were ever added: start afresh every 256 inputs. */
static inline vb_corpus *fuzz_corpus(void) {
  static vb_corpus *c;
  static unsigned runs;
  if (c && ++runs % 256 == 0) {
    FUZZ_ASSERT(vb_corpus_count(c) == 0);
    vb_corpus_free(c);
    c = NULL;
  }
  if (!c) c = vb_corpus_new();
  FUZZ_ASSERT(c != NULL);
  return c;
}

/* Split data on the record separator 0x1E into at most `max` parts. */
static inline size_t fuzz_split(const uint8_t *data, size_t size, const char **parts, size_t *lens,
                                size_t max) {
  size_t n = 0, start = 0;
  for (size_t i = 0; i <= size && n < max; i++) {
    if (i == size || data[i] == 0x1E) {
      parts[n] = (const char *)data + start;
      lens[n] = i - start;
      n++;
      start = i + 1;
    }
  }
  return n;
}

static inline void fuzz_check_string(const char *s) {
  FUZZ_ASSERT(s != NULL);
  (void)strlen(s); /* ASan catches an unterminated string */
}

/* The public views of one analysed document are well formed. */
static inline void fuzz_check_doc(vb_corpus *c, int doc, const char *bytes, size_t len) {
  size_t n = 0;
  const char *got = vb_doc_bytes(c, doc, &n);
  FUZZ_ASSERT(got != NULL && n == len);
  FUZZ_ASSERT(len == 0 || memcmp(got, bytes, len) == 0);
  int enc = vb_doc_encoding(c, doc);
  FUZZ_ASSERT(enc == VB_ENC_UTF8 || enc == VB_ENC_CP1252 || enc == VB_ENC_REPAIRED);

  size_t ne = 0;
  const vb_entity *e = vb_doc_entities(c, doc, &ne);
  FUZZ_ASSERT(ne == 0 || e != NULL);
  for (size_t i = 0; i < ne; i++) {
    FUZZ_ASSERT(e[i].start < e[i].end && e[i].end <= len);
    FUZZ_ASSERT((int)e[i].type >= 0 && e[i].type < VB_ENT_COUNT_);
    fuzz_check_string(e[i].text);
    fuzz_check_string(e[i].canonical);
    if (i) FUZZ_ASSERT(e[i - 1].start <= e[i].start); /* text order */
  }

  size_t nq = 0;
  const vb_quote *q = vb_doc_quotes(c, doc, &nq);
  FUZZ_ASSERT(nq == 0 || q != NULL);
  for (size_t i = 0; i < nq; i++) {
    FUZZ_ASSERT(q[i].start <= q[i].inner_start && q[i].inner_start <= q[i].inner_end);
    FUZZ_ASSERT(q[i].inner_end <= q[i].end && q[i].end <= len && q[i].start < q[i].end);
    FUZZ_ASSERT((int)q[i].kind >= 0 && q[i].kind <= VB_QUOTE_TERM);
    FUZZ_ASSERT((q[i].flags & ~7u) == 0);
    fuzz_check_string(q[i].text);
    if (q[i].speaker_name) {
      fuzz_check_string(q[i].speaker_name);
      FUZZ_ASSERT(q[i].speaker_start <= q[i].speaker_end && q[i].speaker_end <= len);
    } else {
      FUZZ_ASSERT(q[i].speaker_start == 0 && q[i].speaker_end == 0);
    }
    FUZZ_ASSERT(q[i].cue_start <= q[i].cue_end && q[i].cue_end <= len);
    if (i) FUZZ_ASSERT(q[i - 1].start <= q[i].start);
  }

  /* Positions and paragraphs at a few offsets, including past the end. */
  size_t probes[4] = {0, len / 2, len, len + 7};
  for (int k = 0; k < 4; k++) {
    size_t line = 0, col = 0, ps = 0, pe = 0;
    FUZZ_ASSERT(vb_doc_position(c, doc, probes[k], &line, &col) == VB_OK);
    FUZZ_ASSERT(line >= 1 && col >= 1);
    FUZZ_ASSERT(vb_doc_paragraph(c, doc, probes[k], &ps, &pe) == VB_OK);
    FUZZ_ASSERT(ps <= pe && pe <= len);
  }
}

/* A location names a live document and lies inside it. */
static inline void fuzz_check_location(vb_corpus *c, int doc, size_t start, size_t end) {
  size_t len = 0;
  FUZZ_ASSERT(vb_doc_bytes(c, doc, &len) != NULL);
  FUZZ_ASSERT(start <= end && end <= len);
}

static inline void fuzz_check_report(vb_corpus *c, const vb_report *r) {
  FUZZ_ASSERT(r != NULL);
  for (size_t i = 0; i < r->n_diagnostics; i++) {
    const vb_diagnostic *d = &r->diagnostics[i];
    fuzz_check_location(c, d->doc, d->start, d->end);
    FUZZ_ASSERT((int)d->severity > VB_SEV_OFF && d->severity <= VB_SEV_ERROR);
    fuzz_check_string(d->rule);
    fuzz_check_string(d->message);
    for (size_t k = 0; k < d->n_related; k++)
      fuzz_check_location(c, d->related[k].doc, d->related[k].start, d->related[k].end);
    if (i) {
      const vb_diagnostic *p = &r->diagnostics[i - 1];
      FUZZ_ASSERT(p->doc < d->doc || (p->doc == d->doc && p->start <= d->start));
    }
  }
  for (size_t i = 0; i < r->n_quotes; i++) {
    const vb_quote_matches *q = &r->quotes[i];
    fuzz_check_location(c, q->doc, q->start, q->end);
    for (size_t k = 0; k < q->n_matches; k++) {
      const vb_match *m = &q->matches[k];
      fuzz_check_location(c, m->doc, m->start, m->end);
      FUZZ_ASSERT(m->doc != q->doc);
      FUZZ_ASSERT((int)m->relation >= 0 && m->relation < VB_REL_COUNT_);
      FUZZ_ASSERT(m->score >= 0 && m->score <= 1);
      if (m->diff) fuzz_check_string(m->diff);
      if (m->speaker) fuzz_check_string(m->speaker);
    }
  }
}

static inline void fuzz_check_alignment(vb_corpus *c, const vb_alignment *a, int target) {
  FUZZ_ASSERT(a != NULL && a->target == target);
  size_t len = 0;
  FUZZ_ASSERT(vb_doc_bytes(c, target, &len) != NULL);
  double sum = a->verbatim + a->rewrite + a->fresh;
  FUZZ_ASSERT(a->verbatim >= 0 && a->rewrite >= 0 && a->fresh >= 0);
  FUZZ_ASSERT(sum == 0 || (sum > 0.999 && sum < 1.001));
  FUZZ_ASSERT((int)a->reuse >= VB_REUSE_NONE && a->reuse <= VB_REUSE_WHOLLY);
  for (size_t i = 0; i < a->n_spans; i++) {
    const vb_span *s = &a->spans[i];
    FUZZ_ASSERT(s->start <= s->end && s->end <= len);
    FUZZ_ASSERT(s->source != target);
    fuzz_check_location(c, s->source, s->source_start, s->source_end);
    FUZZ_ASSERT(s->relation == VB_REL_VERBATIM || s->relation == VB_REL_REWRITE);
    if (i) FUZZ_ASSERT(a->spans[i - 1].start <= s->start);
  }
}

#endif
