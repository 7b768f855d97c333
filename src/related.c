/*
 * related.c: the passages of other documents most related to a span.
 *
 * Candidate paragraphs come from every other document in a small corpus
 * (a story and its sources) or from the index in a large one. A paragraph
 * that shares no content word with the span is skipped; the others are
 * aligned word by word (longest common subsequence) and scored by
 * containment: the share of the shorter text that the alignment covers,
 * blended with the share of content words in common, so that a reworded
 * passage about the same thing still ranks.
 */
#include "align.h"

/* A corpus this small is searched paragraph by paragraph, index or not. */
#define SCAN_ALL_DOCS 64
#define MIN_SCORE 0.12
#define LCS_BUDGET 200000000ull

typedef struct {
  int doc;
  uint32_t w0, w1; /* words of the paragraph */
} para_ref;

/* Working offset of an original byte offset. */
static uint32_t working_offset(const vb_doc *d, size_t off) {
  if (off > d->orig_len) off = d->orig_len;
  if (!d->to_orig) return (uint32_t)off;
  size_t lo = 0, hi = d->len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->to_orig[mid] < off) lo = mid + 1;
    else hi = mid;
  }
  return (uint32_t)lo;
}

static int push_paras_of(const vb_doc *o, const vb_words *ow, uint32_t t0, uint32_t t1,
                         para_ref **out, size_t *n, size_t *cap) {
  for (size_t p = 0; p < o->nparas; p++) {
    const vb_range *r = &o->paras[p];
    if (r->tok_end <= t0 || r->tok_start >= t1) continue;
    size_t w0 = vb_word_at(ow->w, ow->n, r->tok_start), w1 = vb_word_at(ow->w, ow->n, r->tok_end);
    if (w1 <= w0) continue;
    para_ref pr = {o->id, (uint32_t)w0, (uint32_t)w1};
    if (VB_PUSH(*out, *n, *cap, pr)) return VB_ERR_NOMEM;
  }
  return 0;
}

static int cmp_passage(const void *a, const void *b) {
  const vb_passage *x = a, *y = b;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  if (x->doc != y->doc) return x->doc < y->doc ? -1 : 1;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Aligned stretches from the LCS: runs matched word for word are verbatim,
 * unmatched words between two matched runs are rewrite. */
static int aligned_spans(const vb_words *qw, size_t qa, size_t qb, const vb_words *pw,
                         const uint32_t *match, vb_passage *ps) {
  size_t cap = 0;
  size_t prev_end = SIZE_MAX; /* query word after the last matched run */
  uint32_t prev_src = 0;
  for (size_t i = qa; i < qb;) {
    if (match[i - qa] == UINT32_MAX) {
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < qb && match[j - qa] != UINT32_MAX && match[j - qa] == match[j - 1 - qa] + 1) j++;
    uint32_t s0 = match[i - qa], s1 = match[j - 1 - qa] + 1;
    if (prev_end != SIZE_MAX && prev_end < i && s0 > prev_src) {
      vb_span gap = {vb_words_start(qw, prev_end), vb_words_end(qw, i), VB_REL_REWRITE, pw->d->id,
                     vb_words_start(pw, prev_src), vb_words_end(pw, s0)};
      if (VB_PUSH(ps->aligned, ps->n_aligned, cap, gap)) return VB_ERR_NOMEM;
    }
    vb_span run = {vb_words_start(qw, i), vb_words_end(qw, j), VB_REL_VERBATIM, pw->d->id,
                   vb_words_start(pw, s0), vb_words_end(pw, s1)};
    if (VB_PUSH(ps->aligned, ps->n_aligned, cap, run)) return VB_ERR_NOMEM;
    prev_end = j;
    prev_src = s1;
    i = j;
  }
  return 0;
}

int vb_find_related(vb_corpus *c, int doc, size_t start, size_t end, size_t max, vb_related **out) {
  if (!c || !out) return c ? vb_fail(c, VB_ERR_INVALID, "vb_find_related: NULL argument") : VB_ERR_INVALID;
  *out = NULL;
  vb_doc *d = vb_get_doc(c, doc);
  if (!d) return vb_fail(c, VB_ERR_INVALID, "no document %d", doc);
  if (end < start) return vb_fail(c, VB_ERR_INVALID, "span end %zu is before its start %zu", end, start);
  vb_related *rel = calloc(1, sizeof *rel);
  if (!rel) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  int rc = 0;
  vb_words qw, pw;
  memset(&qw, 0, sizeof qw);
  memset(&pw, 0, sizeof pw);
  para_ref *paras = NULL;
  size_t np = 0, cp = 0, cpass = 0;
  uint32_t *match = NULL;
  vb_candidate *cands = NULL;
  size_t ncand = 0;

  if ((rc = vb_words_get(d, &qw, 0))) goto done;
  uint32_t t0 = vb_text_token_at(d, working_offset(d, start));
  uint32_t t1 = vb_text_token_at(d, working_offset(d, end));
  size_t qa = vb_word_at(qw.w, qw.n, t0), qb = vb_word_at(qw.w, qw.n, t1);
  if (qb <= qa || max == 0) goto done;
  if (qb - qa > 4000) qb = qa + 4000; /* a span this long is not a passage */

  keyset ks;
  memset(&ks, 0, sizeof ks);
  for (size_t i = qa; i < qb; i++) {
    uint32_t k = vb_word_key(&qw, i);
    if (!vb_is_stopword(k)) keyset_add(&ks, k);
  }

  /* candidate paragraphs */
  if (c->alive <= SCAN_ALL_DOCS) {
    for (int id = vb_corpus_next(c, -1); id >= 0; id = vb_corpus_next(c, id)) {
      vb_doc *o = vb_get_doc(c, id);
      if (o == d || o->ntoks == 0) continue;
      if ((rc = vb_words_get(o, &pw, 0))) goto done;
      rc = push_paras_of(o, &pw, 0, (uint32_t)o->ntoks, &paras, &np, &cp);
      vb_words_done(&pw);
      if (rc) goto done;
    }
  } else {
    if ((rc = vb_index_candidates(c, d, t0, t1, 64, &cands, &ncand))) goto done;
    for (size_t k = 0; k < ncand; k++) {
      vb_doc *o = vb_get_doc(c, cands[k].doc);
      if ((rc = vb_words_get(o, &pw, 0))) goto done;
      rc = push_paras_of(o, &pw, cands[k].tok_start, cands[k].tok_end, &paras, &np, &cp);
      vb_words_done(&pw);
      if (rc) goto done;
    }
  }

  match = malloc((qb - qa) * sizeof *match);
  if (!match) {
    rc = VB_ERR_NOMEM;
    goto done;
  }
  unsigned long long seen_words = 0;
  for (size_t k = 0; k < np; k++) {
    vb_doc *o = vb_get_doc(c, paras[k].doc);
    if (k == 0 || paras[k].doc != paras[k - 1].doc) {
      vb_words_done(&pw);
      if ((rc = vb_words_get(o, &pw, 0))) goto done;
    }
    size_t pa = paras[k].w0, pb = paras[k].w1;
    /* content words in common, counted once each */
    uint64_t hit[MAX_KEYS / 64] = {0};
    unsigned pcontent = 0;
    keyset pk;
    memset(&pk, 0, sizeof pk);
    for (size_t i = pa; i < pb; i++) {
      uint32_t key = vb_word_key(&pw, i);
      if (vb_is_stopword(key)) continue;
      keyset_add(&pk, key);
      int bit = keyset_find(&ks, key);
      if (bit >= 0) hit[bit / 64] |= 1ULL << (bit % 64);
    }
    pcontent = pk.n;
    unsigned common = 0;
    for (int m = 0; m < MAX_KEYS / 64; m++) common += (unsigned)__builtin_popcountll(hit[m]);
    if (common == 0) continue;
    unsigned small = ks.n < pcontent ? ks.n : pcontent;
    double content = small ? (double)common / small : 0;
    size_t nq = qb - qa, npw = pb - pa;
    size_t shorter = nq < npw ? nq : npw;
    /* a bound on the word comparisons of one call (huge documents) */
    seen_words += (unsigned long long)nq * npw;
    long got = seen_words > LCS_BUDGET ? 0 : vb_lcs_words(&qw, qa, qb, &pw, pa, pb, match);
    if (got < 0 && got != VB_ERR_LIMIT) {
      rc = (int)got;
      goto done;
    }
    if (got < 0) got = 0;
    double contain = (double)got / (double)shorter;
    double score = 0.6 * contain + 0.4 * content;
    if (score > 1) score = 1;
    if (score < MIN_SCORE || common < 2) continue;
    vb_passage ps;
    memset(&ps, 0, sizeof ps);
    ps.doc = o->id;
    ps.start = vb_words_start(&pw, pa);
    ps.end = vb_words_end(&pw, pb);
    ps.score = score;
    double both = (double)got / (double)(nq > npw ? nq : npw);
    ps.relation = both >= 0.95 && got >= 2 ? VB_REL_VERBATIM
                  : score >= 0.5              ? VB_REL_REWRITE
                                              : VB_REL_RELATED;
    if (got > 0 && (rc = aligned_spans(&qw, qa, qb, &pw, match, &ps))) {
      free(ps.aligned);
      goto done;
    }
    if (VB_PUSH(rel->passages, rel->n_passages, cpass, ps)) {
      free(ps.aligned);
      rc = VB_ERR_NOMEM;
      goto done;
    }
  }
  if (rel->n_passages) qsort(rel->passages, rel->n_passages, sizeof *rel->passages, cmp_passage);
  while (rel->n_passages > max) free(rel->passages[--rel->n_passages].aligned);

done:
  vb_words_done(&qw);
  vb_words_done(&pw);
  free(paras);
  free(match);
  free(cands);
  if (rc) {
    vb_related_free(rel);
    return vb_fail(c, rc, "related passages failed: %s", vb_strerror(rc));
  }
  *out = rel;
  return 0;
}

void vb_related_free(vb_related *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_passages; i++) free(r->passages[i].aligned);
  free(r->passages);
  free(r);
}
