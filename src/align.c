/*
 * align.c: how much of a document comes from the others.
 *
 * 1. Sources: every other document of a small corpus, else the documents
 *    the index finds sharing the most fingerprints with the target.
 * 2. Greedy string tiling of the target's words against the sources' words:
 *    long identical runs are verbatim wherever they occur.
 * 3. Each target sentence is matched to the source sentence (or pair of
 *    adjacent sentences) sharing most of its content words. A sentence that
 *    shares enough is derived: its words in the longest common subsequence
 *    with that source stretch are verbatim, the rest rewrite. Elsewhere only
 *    long tiles count, and the other words are new.
 * 4. The shares of verbatim, rewritten and new words give the verdict.
 */
#include <stdio.h>

#include "align.h"

enum { LAB_NEW = 0, LAB_VERB, LAB_REWR };

typedef struct {
  unsigned max_sources;   /* sources aligned in a large corpus */
  unsigned tile_min;      /* shortest run tiled */
  unsigned tile_keep;     /* shortest tile that is verbatim outside derived sentences: four-word
                           * runs ("at the end of") turn up by chance in unrelated texts */
  double sent_content;    /* share of a sentence's content words found in one source stretch */
  double sent_tiled;      /* or share of its words in tiles */
  double wholly;          /* share of sentences drawing on a source for "wholly" */
  double partially;       /* verbatim share for "partially" */
  unsigned single;        /* LCS runs: 1 = lone function words are rewrite, 2 = lone words, 3 = runs of function words */
  double names;           /* share of names found in the sources that makes a text derived */
  double wholly_content;  /* mean content share of sentences for "wholly" */
  double faint;           /* content share that aligns a sentence when nothing else does */
  /* The word labels reported in spans. A sentence is derived when
   * w_share x its content share + w_run x its share of words in runs of
   * three or more + w_context x the whole text's content share reaches
   * derived_at. The text's share counts because sentences are not read
   * alone: where a writer draws on the sources throughout, a sentence
   * sharing a few words is more often a rewrite than new, and where they
   * do not, the same few words (names, a place) are more often chance.
   * The weights were measured on one half of a set of annotated articles
   * and checked on the other. */
  double w_share, w_run, w_context, derived_at;
  unsigned span_single; /* as `single`, for the labels reported */
  /* Speech quoted from nowhere: words inside quotation marks that no source
   * has. A text that quotes anything its sources lack is not wholly
   * derived; one where such speech is a fifth of the words was reported
   * independently, however much background it shares. */
  double unsourced_speech;
} params;

static params default_params(void) {
  params p = {16,   2,   5,   0.5, 0.4,  0.96, 0.18, 3, 0.92, 0.45,
              0.25, 0.5, 0.3, 0.8, 0.66, 1,    0.2};
  return p;
}

/* ------------------------------------------------------------- sources */

typedef struct {
  int doc;
  uint32_t shared;
} scored_doc;

static int cmp_scored(const void *a, const void *b) {
  const scored_doc *x = a, *y = b;
  if (x->shared != y->shared) return x->shared > y->shared ? -1 : 1;
  return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static int cmp_by_doc(const void *a, const void *b) {
  const scored_doc *x = a, *y = b;
  return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* The documents to align `d` against, best first. */
static int pick_sources(vb_corpus *c, const vb_doc *d, size_t max, int **ids, size_t *n) {
  *ids = NULL;
  *n = 0;
  size_t others = 0;
  for (int id = vb_corpus_next(c, -1); id >= 0; id = vb_corpus_next(c, id))
    others += id != d->id && vb_get_doc(c, id)->ntoks > 0;
  size_t cap = 0;
  if (others <= max) {
    for (int id = vb_corpus_next(c, -1); id >= 0; id = vb_corpus_next(c, id))
      if (id != d->id && vb_get_doc(c, id)->ntoks > 0 && VB_PUSH(*ids, *n, cap, id))
        return VB_ERR_NOMEM;
    return 0;
  }
  vb_candidate *cs;
  size_t nc;
  int rc = vb_index_candidates(c, d, 0, (uint32_t)d->ntoks, 4096, &cs, &nc);
  if (rc) return rc;
  scored_doc *sd = malloc((nc ? nc : 1) * sizeof *sd);
  if (!sd) {
    free(cs);
    return VB_ERR_NOMEM;
  }
  size_t ns = 0;
  for (size_t i = 0; i < nc; i++) sd[i] = (scored_doc){cs[i].doc, cs[i].shared ? cs[i].shared : 1};
  if (nc) qsort(sd, nc, sizeof *sd, cmp_by_doc);
  for (size_t i = 0; i < nc; i++) { /* sum the passages of each document */
    if (ns && sd[ns - 1].doc == sd[i].doc) sd[ns - 1].shared += sd[i].shared;
    else sd[ns++] = sd[i];
  }
  free(cs);
  if (ns) qsort(sd, ns, sizeof *sd, cmp_scored);
  for (size_t i = 0; i < ns && *n < max; i++) {
    if (sd[i].shared * 10 < sd[0].shared) break;
    if (VB_PUSH(*ids, *n, cap, sd[i].doc)) {
      free(sd);
      return VB_ERR_NOMEM;
    }
  }
  free(sd);
  return 0;
}

/* ------------------------------------------------------- sentence matching */

typedef struct {
  uint64_t m[MAX_KEYS / 64];
} mask;

static unsigned mask_count(const mask *a, const mask *b) {
  unsigned n = 0;
  for (int i = 0; i < MAX_KEYS / 64; i++) n += (unsigned)__builtin_popcountll(a->m[i] | (b ? b->m[i] : 0));
  return n;
}

/* The source stretch (one sentence or two adjacent ones) sharing the most
 * content words with target words [a, b). */
typedef struct {
  int src;
  uint32_t s0, s1; /* source words */
  double share;    /* of the sentence's content words */
} stretch;

static int best_stretch(const vb_words *tw, size_t a, size_t b, const vb_words *srcs, size_t ns,
                        mask **scratch, size_t *cscratch, stretch *best) {
  keyset ks;
  memset(&ks, 0, sizeof ks);
  for (size_t i = a; i < b; i++) {
    uint32_t k = vb_word_key(tw, i);
    if (!vb_is_stopword(k)) keyset_add(&ks, k);
  }
  best->src = -1;
  best->share = 0;
  best->s0 = best->s1 = 0;
  if (ks.n == 0) return 0;
  for (size_t j = 0; j < ns; j++) {
    const vb_words *s = &srcs[j];
    if (s->n == 0) continue;
    if (s->nsent > *cscratch) {
      mask *m = realloc(*scratch, s->nsent * sizeof *m);
      if (!m) return VB_ERR_NOMEM;
      *scratch = m;
      *cscratch = s->nsent;
    }
    mask *ms = *scratch;
    memset(ms, 0, s->nsent * sizeof *ms);
    for (size_t i = 0; i < s->n; i++) {
      int bit = keyset_find(&ks, vb_word_key(s, i));
      if (bit >= 0) ms[s->sent[i]].m[bit / 64] |= 1ULL << (bit % 64);
    }
    for (uint32_t q = 0; q < s->nsent; q++) {
      unsigned one = mask_count(&ms[q], NULL);
      unsigned two = q + 1 < s->nsent ? mask_count(&ms[q], &ms[q + 1]) : 0;
      /* a second sentence must add words, not just length */
      int pair = two > one + 1;
      double share = (double)(pair ? two : one) / ks.n;
      if (share > best->share) {
        best->share = share;
        best->src = (int)j;
        best->s0 = q;
        best->s1 = pair ? q + 1 : q;
      }
    }
  }
  if (best->src >= 0) { /* sentence numbers to word positions */
    const vb_words *s = &srcs[best->src];
    uint32_t q0 = best->s0, q1 = best->s1;
    size_t i = 0;
    while (i < s->n && s->sent[i] < q0) i++;
    best->s0 = (uint32_t)i;
    while (i < s->n && s->sent[i] <= q1) i++;
    best->s1 = (uint32_t)i;
  }
  return 0;
}

/* --------------------------------------------------------------- labels */

typedef struct {
  uint8_t lab;
  int src;          /* source number, -1 for new */
  uint32_t s0, s1;  /* source words: the word itself (verbatim) or the stretch */
} wlabel;

/* Words matched word for word inside a rewritten sentence that are too
 * slight to call verbatim (a lone "the") become rewrite. */
static void demote_runs(const vb_words *tw, size_t a, size_t b, wlabel *lab, unsigned mode,
                        stretch st) {
  for (size_t i = a; i < b;) {
    if (lab[i].lab != LAB_VERB) {
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < b && lab[j].lab == LAB_VERB && lab[j].src == lab[i].src && lab[j].s0 == lab[j - 1].s1) j++;
    int content = 0;
    for (size_t k = i; k < j; k++) content += !vb_is_stopword(vb_word_key(tw, k));
    int demote = mode == 1 ? (j - i == 1 && !content)
                 : mode == 2 ? j - i == 1
                 : mode == 3 ? (!content || j - i == 1)
                             : 0;
    if (demote)
      for (size_t k = i; k < j; k++) lab[k] = (wlabel){LAB_REWR, st.src, st.s0, st.s1};
    i = j;
  }
}

/* What the verdict is made of. */
typedef struct {
  double share_sum; /* sum over sentences of the best stretch's content share */
  size_t sentences;
  size_t aligned_sentences; /* sentences with any word from a source */
  size_t verbatim;          /* verbatim words before the exact-bytes check */
  size_t names, names_found; /* capitalised content words inside sentences, and how many the sources use */
  double share_words; /* sum over sentences of share x words: the text's overall share */
  size_t nwords;
} reuse_stats;

static int label_words(const vb_words *tw, const vb_words *srcs, size_t ns, const params *p,
                       wlabel *lab, reuse_stats *rs, int for_spans, double context) {
  vb_tile *tiles = NULL;
  size_t nt = 0;
  mask *ms = NULL;
  size_t cms = 0;
  uint32_t *match = NULL;
  uint8_t *tiled = NULL;
  int rc = vb_tile_words(tw, 0, tw->n, srcs, ns, p->tile_min, &tiles, &nt);
  if (rc) return rc;
  tiled = calloc(tw->n, 1);
  match = malloc(tw->n * sizeof *match);
  if (!tiled || !match) {
    rc = VB_ERR_NOMEM;
    goto done;
  }
  for (size_t i = 0; i < tw->n; i++) lab[i] = (wlabel){LAB_NEW, -1, 0, 0};
  /* matching every sentence against every source word costs sentences x
   * source words: past a budget (huge inputs) only the tiles count */
  size_t src_words = 0;
  for (size_t j = 0; j < ns; j++) src_words += srcs[j].n;
  int too_big = (double)tw->nsent * (double)src_words > 5e7;
  for (size_t k = 0; k < nt; k++)
    for (uint32_t m = 0; m < tiles[k].len; m++) {
      size_t i = tiles[k].t + m;
      tiled[i] = (uint8_t)(tiles[k].len < 255 ? tiles[k].len : 255);
      lab[i] = (wlabel){LAB_VERB, tiles[k].src, tiles[k].s + m, tiles[k].s + m + 1};
    }
  for (size_t a = 0; a < tw->n;) {
    size_t b = a + 1;
    while (b < tw->n && tw->sent[b] == tw->sent[a]) b++;
    stretch st;
    st.src = -1;
    st.share = 0;
    st.s0 = st.s1 = 0;
    if (!too_big && (rc = best_stretch(tw, a, b, srcs, ns, &ms, &cms, &st))) goto done;
    rs->share_sum += st.share;
    rs->share_words += st.share * (double)(b - a);
    rs->nwords += b - a;
    rs->sentences++;
    size_t ntiled = 0, nrun = 0;
    for (size_t i = a; i < b; i++) {
      ntiled += tiled[i] != 0;
      nrun += tiled[i] >= 3;
    }
    double tiled_share = (double)ntiled / (double)(b - a);
    double run_share = (double)nrun / (double)(b - a);
    int derived = st.src >= 0 && (st.share >= p->sent_content || tiled_share >= p->sent_tiled);
    if (for_spans == 2) /* last resort: the text's closest sentences */
      derived = st.src >= 0 && st.share >= p->faint;
    else if (for_spans)
      derived = st.src >= 0 &&
                p->w_share * st.share + p->w_run * run_share + p->w_context * context >= p->derived_at;
    if (derived) {
      long got = vb_lcs_words(tw, a, b, &srcs[st.src], st.s0, st.s1, match);
      if (got < 0 && got != VB_ERR_LIMIT) {
        rc = (int)got;
        goto done;
      }
      if (got < 0) got = 0;
      for (size_t i = a; i < b; i++) {
        if (tiled[i]) continue;
        if (got > 0 && match[i - a] != UINT32_MAX)
          lab[i] = (wlabel){LAB_VERB, st.src, match[i - a], match[i - a] + 1};
        else
          lab[i] = (wlabel){LAB_REWR, st.src, st.s0, st.s1};
      }
      unsigned single = for_spans ? p->span_single : p->single;
      if (single) demote_runs(tw, a, b, lab, single, st);
    } else {
      for (size_t i = a; i < b; i++)
        if (tiled[i] && tiled[i] < p->tile_keep) lab[i] = (wlabel){LAB_NEW, -1, 0, 0};
    }
    int any = 0;
    for (size_t i = a; i < b; i++) any |= lab[i].lab != LAB_NEW;
    rs->aligned_sentences += any;
    a = b;
  }
  for (size_t i = 0; i < tw->n; i++) rs->verbatim += lab[i].lab == LAB_VERB;
done:
  free(tiles);
  free(ms);
  free(match);
  free(tiled);
  return rc;
}


/* ---------------------------------------------------------------- verdict */

/* Derived when a fair share of the words are copied word for word, or when
 * nearly every name it uses comes from the sources; wholly when nearly every
 * sentence draws on a source and they share much of their content. */
static vb_reuse verdict(const reuse_stats *rs, size_t nwords, const params *p, double speech) {
  if (nwords == 0 || rs->sentences == 0) return VB_REUSE_NONE;
  if (speech >= p->unsourced_speech) return VB_REUSE_NONE;
  double verbatim = (double)rs->verbatim / (double)nwords;
  double names = rs->names ? (double)rs->names_found / (double)rs->names : 1.0;
  double aligned = (double)rs->aligned_sentences / (double)rs->sentences;
  double content = rs->share_sum / (double)rs->sentences;
  if (verbatim < p->partially && names < p->names) return VB_REUSE_NONE;
  if (aligned >= p->wholly && content >= p->wholly_content && speech == 0) return VB_REUSE_WHOLLY;
  return VB_REUSE_PARTIALLY;
}

/* Share of the text's words that are quoted speech (not a name or a term
 * in quotation marks) and come from no source. */
static double unsourced_speech(const vb_words *tw, const wlabel *lab) {
  const vb_doc *d = tw->d;
  if (tw->n == 0) return 0;
  size_t n = 0;
  uint32_t done = 0; /* tokens before this are counted: nested quotes count once */
  for (size_t q = 0; q < d->nquotes; q++) {
    const vb_iquote *qt = &d->quotes[q];
    if (qt->kind == VB_QUOTE_TERM) continue;
    uint32_t lo = qt->tok_start > done ? qt->tok_start : done;
    if (qt->tok_end <= lo) continue;
    size_t l = 0, h = tw->n; /* first word at or after lo */
    while (l < h) {
      size_t m = l + (h - l) / 2;
      if (tw->w[m] < lo) l = m + 1;
      else h = m;
    }
    for (size_t i = l; i < tw->n && tw->w[i] < qt->tok_end; i++) n += lab[i].lab == LAB_NEW;
    done = qt->tok_end;
  }
  return (double)n / (double)tw->n;
}

/* ------------------------------------------------------------------ names */

/* How many of the target's names (capitalised content words inside a
 * sentence) the sources use at all, in any place. */
static int count_names(const vb_words *tw, const vb_words *srcs, size_t ns, reuse_stats *rs) {
  size_t total = 0;
  for (size_t j = 0; j < ns; j++) total += srcs[j].n;
  size_t slots = 16;
  while (slots < total * 2 + 2) slots *= 2;
  uint32_t *set = calloc(slots, sizeof *set);
  if (!set) return VB_ERR_NOMEM;
  for (size_t j = 0; j < ns; j++)
    for (size_t i = 0; i < srcs[j].n; i++) {
      uint32_t k = vb_word_key(&srcs[j], i) | 1;
      size_t h = (k * 0x9E3779B1u) & (slots - 1);
      while (set[h] && set[h] != k) h = (h + 1) & (slots - 1);
      set[h] = k;
    }
  for (size_t i = 0; i < tw->n; i++) {
    const vb_token *t = &tw->d->toks[tw->w[i]];
    if ((t->flags & (VB_TOK_NUM | VB_TOK_SENT)) || !(t->flags & VB_TOK_UPPER)) continue;
    if (vb_is_stopword(vb_word_key(tw, i))) continue;
    uint32_t k = vb_word_key(tw, i) | 1;
    size_t h = (k * 0x9E3779B1u) & (slots - 1);
    while (set[h] && set[h] != k) h = (h + 1) & (slots - 1);
    rs->names++;
    rs->names_found += set[h] == k;
  }
  free(set);
  return 0;
}

/* ------------------------------------------------------------------ spans */

/* Are tokens ta of a and tb of b the same bytes? */
static int same_token(const vb_doc *a, uint32_t ta, const vb_doc *b, uint32_t tb) {
  const vb_token *x = &a->toks[ta], *y = &b->toks[tb];
  return x->end - x->start == y->end - y->start &&
         memcmp(a->text + x->start, b->text + y->start, x->end - x->start) == 0;
}

/* Is the text from word i - 1 to word i of the target the same as from
 * source word j - 1 to j (punctuation and spacing alike)? */
static int same_join(const vb_words *tw, size_t i, const vb_words *sw, size_t j) {
  uint32_t t0 = tw->w[i - 1], t1 = tw->w[i], s0 = sw->w[j - 1], s1 = sw->w[j];
  if (t1 - t0 != s1 - s0) return 0;
  for (uint32_t k = 1; k <= t1 - t0; k++) {
    int sp_t = (tw->d->toks[t0 + k].flags & VB_TOK_SPACE) != 0;
    int sp_s = (sw->d->toks[s0 + k].flags & VB_TOK_SPACE) != 0;
    if (sp_t != sp_s) return 0;
    if (k < t1 - t0 && !same_token(tw->d, t0 + k, sw->d, s0 + k)) return 0;
  }
  return 1;
}

/* Verbatim means the same bytes: a word matched only after case folding or
 * normalisation is reported as rewritten. */
static void exact_verbatim(const vb_words *tw, const vb_words *srcs, wlabel *lab) {
  for (size_t i = 0; i < tw->n; i++) {
    if (lab[i].lab != LAB_VERB) continue;
    const vb_words *s = &srcs[lab[i].src];
    if (!same_token(tw->d, tw->w[i], s->d, s->w[lab[i].s0])) lab[i].lab = LAB_REWR;
  }
}

static int emit_spans(const vb_words *tw, const vb_words *srcs, const int *ids, const wlabel *lab,
                      vb_alignment *al) {
  size_t cap = 0;
  for (size_t a = 0; a < tw->n;) {
    if (lab[a].lab == LAB_NEW) {
      a++;
      continue;
    }
    size_t b = a + 1;
    uint32_t s_lo = lab[a].s0, s_hi = lab[a].s1;
    while (b < tw->n && lab[b].lab == lab[a].lab && lab[b].src == lab[a].src) {
      if (lab[a].lab == LAB_VERB &&
          (lab[b].s0 != lab[b - 1].s1 || !same_join(tw, b, &srcs[lab[a].src], lab[b].s0)))
        break; /* a jump in the source, or different punctuation between */
      if (lab[a].lab == LAB_REWR && lab[b].s0 != lab[a].s0) break;
      s_hi = lab[b].s1;
      b++;
    }
    const vb_words *s = &srcs[lab[a].src];
    if (s_hi <= s_lo) s_hi = s_lo + 1;
    if (s_hi > s->n) s_hi = (uint32_t)s->n;
    vb_span sp;
    sp.start = vb_words_start(tw, a);
    sp.end = vb_words_end(tw, b);
    sp.relation = lab[a].lab == LAB_VERB ? VB_REL_VERBATIM : VB_REL_REWRITE;
    sp.source = ids[lab[a].src];
    sp.source_start = s_lo < s->n ? vb_words_start(s, s_lo) : 0;
    sp.source_end = s_lo < s->n ? vb_words_end(s, s_hi) : 0;
    if (VB_PUSH(al->spans, al->n_spans, cap, sp)) return VB_ERR_NOMEM;
    a = b;
  }
  return 0;
}

int vb_align(vb_corpus *c, int target, vb_alignment **out) {
  if (!c || !out) return c ? vb_fail(c, VB_ERR_INVALID, "vb_align: NULL argument") : VB_ERR_INVALID;
  *out = NULL;
  vb_doc *d = vb_get_doc(c, target);
  if (!d) return vb_fail(c, VB_ERR_INVALID, "no document %d", target);
  params p = default_params();
  vb_alignment *al = calloc(1, sizeof *al);
  int *ids = NULL;
  size_t ns = 0;
  vb_words tw;
  vb_words *srcs = NULL;
  wlabel *lab = NULL;
  int rc;
  memset(&tw, 0, sizeof tw);
  if (!al) return vb_fail(c, VB_ERR_NOMEM, "out of memory");
  al->target = target;
  al->fresh = 1.0;
  if ((rc = pick_sources(c, d, p.max_sources, &ids, &ns))) goto done;
  if ((rc = vb_words_get(d, &tw, 1))) goto done;
  srcs = calloc(ns ? ns : 1, sizeof *srcs);
  if (!srcs) {
    rc = VB_ERR_NOMEM;
    goto done;
  }
  for (size_t j = 0; j < ns; j++)
    if ((rc = vb_words_get(vb_get_doc(c, ids[j]), &srcs[j], 1))) goto done;
  if (tw.n == 0 || ns == 0) goto verdict;
  lab = malloc(tw.n * sizeof *lab);
  if (!lab) {
    rc = VB_ERR_NOMEM;
    goto done;
  }
  reuse_stats rs;
  memset(&rs, 0, sizeof rs);
  if ((rc = label_words(&tw, srcs, ns, &p, lab, &rs, 0, 0))) goto done;
  if ((rc = count_names(&tw, srcs, ns, &rs))) goto done;
  {
    reuse_stats again;
    memset(&again, 0, sizeof again);
    double context = rs.nwords ? rs.share_words / (double)rs.nwords : 0;
    if ((rc = label_words(&tw, srcs, ns, &p, lab, &again, 1, context))) goto done;
  }
  size_t any = 0;
  for (size_t i = 0; i < tw.n; i++) any += lab[i].lab != LAB_NEW;
  if (any == 0) { /* nothing aligned: show the sentences that come closest */
    reuse_stats again;
    memset(&again, 0, sizeof again);
    if ((rc = label_words(&tw, srcs, ns, &p, lab, &again, 2, 0))) goto done;
  }
  exact_verbatim(&tw, srcs, lab);
  size_t nv = 0, nr = 0;
  for (size_t i = 0; i < tw.n; i++) {
    nv += lab[i].lab == LAB_VERB;
    nr += lab[i].lab == LAB_REWR;
  }
  al->verbatim = (double)nv / (double)tw.n;
  al->rewrite = (double)nr / (double)tw.n;
  al->fresh = 1.0 - al->verbatim - al->rewrite;
  if (al->fresh < 0) al->fresh = 0;
  if ((rc = emit_spans(&tw, srcs, ids, lab, al))) goto done;
  al->reuse = verdict(&rs, tw.n, &p, unsourced_speech(&tw, lab));
verdict:
done:
  for (size_t j = 0; srcs && j < ns; j++) vb_words_done(&srcs[j]);
  free(srcs);
  vb_words_done(&tw);
  free(ids);
  free(lab);
  if (rc) {
    vb_alignment_free(al);
    return vb_fail(c, rc, "alignment failed: %s", vb_strerror(rc));
  }
  *out = al;
  return 0;
}

void vb_alignment_free(vb_alignment *a) {
  if (!a) return;
  free(a->spans);
  free(a);
}
