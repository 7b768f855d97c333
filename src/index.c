/*
 * index.c: the fingerprint index over all documents of a corpus.
 *
 * Each document is reduced to its words (numbers folded to one key), cut
 * into word n-grams, and winnowed: of every VB_WINNOW consecutive n-gram
 * hashes the smallest is kept as a fingerprint. The corpus keeps one hash
 * table from fingerprint to postings (document, word position). A document
 * remembers which fingerprints it added, so removing it touches only its
 * own postings and the rest of the index is never rebuilt.
 *
 * A query hashes every n-gram of its span (no winnowing on that side), so
 * any shared run of VB_NGRAM + VB_WINNOW - 1 words is found, looks each up,
 * and groups the hits by document and position into candidate passages.
 */
#include "index.h"

typedef struct {
  int32_t doc;
  uint32_t word; /* word position of the n-gram's first word */
} posting;

/* The postings of one fingerprint. Most fingerprints occur once, so one
 * posting is held in place; longer lists live in an array whose capacity is
 * n rounded up to a power of two. */
typedef struct {
  uint32_t hash; /* 0 = free slot */
  uint32_t n;
  union {
    posting one; /* n <= 1 */
    posting *p;  /* n >= 2 */
  } u;
} plist;

static inline posting *plist_items(plist *l) { return l->n >= 2 ? l->u.p : &l->u.one; }

static size_t pow2_at_least(size_t n) {
  size_t c = 2;
  while (c < n) c *= 2;
  return c;
}

static int plist_push(plist *l, posting p) {
  if (l->n == 0) {
    l->u.one = p;
  } else if (l->n == 1) {
    posting *a = malloc(2 * sizeof *a);
    if (!a) return VB_ERR_NOMEM;
    a[0] = l->u.one;
    a[1] = p;
    l->u.p = a;
  } else {
    if ((l->n & (l->n - 1)) == 0) { /* full: n is the capacity */
      posting *a = realloc(l->u.p, (size_t)l->n * 2 * sizeof *a);
      if (!a) return VB_ERR_NOMEM;
      l->u.p = a;
    }
    l->u.p[l->n] = p;
  }
  l->n++;
  return 0;
}

/* Drop the postings of document `doc`. */
static void plist_drop(plist *l, int32_t doc) {
  posting *it = plist_items(l);
  uint32_t k = 0;
  for (uint32_t j = 0; j < l->n; j++)
    if (it[j].doc != doc) it[k++] = it[j];
  if (l->n >= 2 && k <= 1) {
    posting keep = it[0];
    free(l->u.p);
    l->u.one = keep;
  } else if (l->n >= 2 && pow2_at_least(k) < pow2_at_least(l->n)) {
    posting *a = realloc(l->u.p, pow2_at_least(k) * sizeof *a);
    if (a) l->u.p = a;
  }
  l->n = k;
}

static void plist_free(plist *l) {
  if (l->n >= 2) free(l->u.p);
  l->n = 0;
}

struct vb_index {
  plist *slots;
  size_t nslots; /* power of two */
  size_t used;   /* slots with a hash (lists may be empty) */
  /* Query scratch, kept between queries so that a query costs what it
   * finds, not what the corpus holds: hits per document id (all zero
   * between queries) and the ids a query touched. */
  uint32_t *per_doc;
  size_t nper_doc;
  int32_t *touched;
  size_t ntouched_cap;
};

/* What the index keeps per document (doc->index_data). */
typedef struct {
  uint32_t *words; /* token index of each word */
  size_t nwords;
  uint32_t *fps; /* distinct fingerprints added, for removal */
  size_t nfps;
} doc_index;

/* Postings lists longer than this (and than a share of the corpus) are
 * n-grams like "said it was": skipped by queries as uninformative. A
 * story's own documents are never that many. */
#define COMMON_MIN 200

/* At most about this many documents are grouped into passages per query:
 * those sharing the most n-grams with it. */
#define KEEP_DOCS 256

int vb_index_init(vb_corpus *c) {
  struct vb_index *ix = calloc(1, sizeof *ix);
  if (!ix) return VB_ERR_NOMEM;
  ix->nslots = 1024;
  ix->slots = calloc(ix->nslots, sizeof(plist));
  if (!ix->slots) {
    free(ix);
    return VB_ERR_NOMEM;
  }
  c->index = ix;
  return 0;
}

void vb_index_free(vb_corpus *c) {
  struct vb_index *ix = c->index;
  if (!ix) return;
  for (size_t i = 0; i < ix->nslots; i++) plist_free(&ix->slots[i]);
  free(ix->slots);
  free(ix->per_doc);
  free(ix->touched);
  free(ix);
  c->index = NULL;
}

static plist *find_slot(struct vb_index *ix, uint32_t h) {
  size_t mask = ix->nslots - 1;
  size_t i = (h * 0x9E3779B1u) & mask;
  while (ix->slots[i].hash && ix->slots[i].hash != h) i = (i + 1) & mask;
  return &ix->slots[i];
}

/* Grow (and drop lists emptied by removals) when the table is 70% full. */
static int maybe_grow(struct vb_index *ix) {
  if ((ix->used + 1) * 10 < ix->nslots * 7) return 0;
  size_t live = 0;
  for (size_t i = 0; i < ix->nslots; i++) live += ix->slots[i].n > 0;
  size_t n = ix->nslots;
  while ((live + 1) * 10 >= n * 4) n *= 2;
  plist *old = ix->slots;
  size_t oldn = ix->nslots;
  ix->slots = calloc(n, sizeof(plist));
  if (!ix->slots) {
    ix->slots = old;
    return VB_ERR_NOMEM;
  }
  ix->nslots = n;
  ix->used = 0;
  for (size_t i = 0; i < oldn; i++) {
    if (old[i].n == 0) continue;
    *find_slot(ix, old[i].hash) = old[i];
    ix->used++;
  }
  free(old);
  return 0;
}

size_t vb_word_at(const uint32_t *words, size_t n, uint32_t tok) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (words[mid] < tok) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static int build_words(const vb_doc *d, uint32_t **out, size_t *n) {
  size_t cnt = 0;
  for (size_t t = 0; t < d->ntoks; t++) cnt += vb_is_word(&d->toks[t]);
  *n = 0;
  *out = NULL;
  if (cnt == 0) return 0;
  uint32_t *w = malloc(cnt * sizeof *w);
  if (!w) return VB_ERR_NOMEM;
  for (size_t t = 0; t < d->ntoks; t++)
    if (vb_is_word(&d->toks[t])) w[(*n)++] = (uint32_t)t;
  *out = w;
  return 0;
}

const uint32_t *vb_index_words(const vb_doc *d, size_t *n, uint32_t **scratch) {
  const doc_index *di = d->index_data;
  *scratch = NULL;
  if (di) {
    *n = di->nwords;
    return di->words;
  }
  if (build_words(d, scratch, n)) *n = 0;
  return *scratch;
}

/* Hash of the n-gram starting at word i. Never 0 (the free-slot mark). */
static uint32_t gram_hash(const vb_doc *d, const uint32_t *words, size_t i) {
  uint64_t h = 0x243f6a8885a308d3ULL;
  for (size_t k = 0; k < VB_NGRAM; k++) h = vb_mix64(h, vb_anchor_key(&d->toks[words[i + k]]));
  uint32_t r = (uint32_t)(h ^ (h >> 32));
  return r ? r : 1;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Sort fingerprints: insertion sort for a few, else four radix passes of a
 * byte (a document's hundreds of fingerprints sort several times faster
 * than with qsort's comparison calls). */
static int sort_u32(uint32_t *v, size_t n) {
  if (n < 48) {
    for (size_t i = 1; i < n; i++) {
      uint32_t x = v[i];
      size_t j = i;
      for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
      v[j] = x;
    }
    return 0;
  }
  uint32_t *tmp = malloc(n * sizeof *tmp);
  if (!tmp) {
    qsort(v, n, sizeof *v, cmp_u32);
    return 0;
  }
  uint32_t *from = v, *to = tmp;
  for (unsigned shift = 0; shift < 32; shift += 8) {
    size_t count[256] = {0};
    for (size_t i = 0; i < n; i++) count[(from[i] >> shift) & 255]++;
    size_t sum = 0;
    for (size_t i = 0; i < 256; i++) {
      size_t c = count[i];
      count[i] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++) to[count[(from[i] >> shift) & 255]++] = from[i];
    uint32_t *x = from;
    from = to;
    to = x;
  }
  free(tmp); /* four passes: the sorted values are back in v */
  return 0;
}

size_t vb_index_fingerprints(const vb_doc *d) {
  const doc_index *di = d ? d->index_data : NULL;
  return di ? di->nfps : 0;
}

/* The distinct winnowed fingerprints of `d` (sorted), as the index would
 * record them, without an index: for stores that keep their own postings.
 * With `all`, every n-gram's hash instead, as a query looks them up. */
int vb_doc_fingerprints(const vb_doc *d, int all, uint32_t **out, size_t *n) {
  uint32_t *words = NULL;
  size_t nw = 0;
  *out = NULL;
  *n = 0;
  if (build_words(d, &words, &nw)) return VB_ERR_NOMEM;
  if (nw < VB_NGRAM) {
    free(words);
    return 0;
  }
  size_t ngrams = nw - VB_NGRAM + 1;
  uint32_t *g = malloc(ngrams * sizeof *g);
  uint32_t *sel = malloc(ngrams * sizeof *sel);
  if (!g || !sel) {
    free(words);
    free(g);
    free(sel);
    return VB_ERR_NOMEM;
  }
  for (size_t i = 0; i < ngrams; i++) g[i] = gram_hash(d, words, i);
  size_t nsel = 0, last = SIZE_MAX;
  size_t win = ngrams < VB_WINNOW ? ngrams : VB_WINNOW;
  if (all) {
    memcpy(sel, g, ngrams * sizeof *g);
    nsel = ngrams;
    win = ngrams + 1; /* no windows */
  }
  for (size_t s = 0; s + win <= ngrams; s++) {
    size_t m = s;
    for (size_t k = s + 1; k < s + win; k++)
      if (g[k] <= g[m]) m = k;
    if (m != last) sel[nsel++] = g[m];
    last = m;
  }
  free(words);
  free(g);
  sort_u32(sel, nsel);
  size_t u = 0;
  for (size_t i = 0; i < nsel; i++)
    if (u == 0 || sel[u - 1] != sel[i]) sel[u++] = sel[i];
  *out = sel;
  *n = u;
  return 0;
}

static void doc_index_free(doc_index *di) {
  if (!di) return;
  free(di->words);
  free(di->fps);
  free(di);
}

int vb_index_add(vb_corpus *c, vb_doc *d) {
  struct vb_index *ix = c->index;
  if (!ix) return 0;
  if (d->index_data) vb_index_remove(c, d);
  doc_index *di = calloc(1, sizeof *di);
  if (!di) return vb_fail(c, VB_ERR_NOMEM, "out of memory indexing %s", d->name);
  if (build_words(d, &di->words, &di->nwords)) goto oom;
  d->index_data = di;
  if (di->nwords < VB_NGRAM) return 0;
  size_t ngrams = di->nwords - VB_NGRAM + 1;
  uint32_t *g = malloc(ngrams * sizeof *g);
  posting *sel = malloc(ngrams * sizeof *sel);
  if (!g || !sel) {
    free(g);
    free(sel);
    goto oom;
  }
  for (size_t i = 0; i < ngrams; i++) g[i] = gram_hash(d, di->words, i);
  /* winnowing: the rightmost minimum of each window, recorded once */
  size_t nsel = 0, last = SIZE_MAX;
  size_t win = ngrams < VB_WINNOW ? ngrams : VB_WINNOW;
  for (size_t s = 0; s + win <= ngrams; s++) {
    size_t m = s;
    for (size_t k = s + 1; k < s + win; k++)
      if (g[k] <= g[m]) m = k;
    if (m != last) {
      sel[nsel].doc = (int32_t)g[m]; /* the hash, for now */
      sel[nsel].word = (uint32_t)m;
      nsel++;
      last = m;
    }
  }
  di->fps = malloc((nsel ? nsel : 1) * sizeof *di->fps);
  if (!di->fps) {
    free(g);
    free(sel);
    goto oom;
  }
  for (size_t i = 0; i < nsel; i++) {
    uint32_t h = (uint32_t)sel[i].doc;
    if (maybe_grow(ix)) {
      free(g);
      free(sel);
      goto oom;
    }
    plist *l = find_slot(ix, h);
    if (!l->hash) {
      l->hash = h;
      ix->used++;
    }
    posting p = {d->id, sel[i].word};
    if (plist_push(l, p)) {
      free(g);
      free(sel);
      goto oom;
    }
    di->fps[di->nfps++] = h;
  }
  free(g);
  free(sel);
  sort_u32(di->fps, di->nfps);
  size_t u = 0;
  for (size_t i = 0; i < di->nfps; i++)
    if (u == 0 || di->fps[u - 1] != di->fps[i]) di->fps[u++] = di->fps[i];
  di->nfps = u;
  return 0;
oom:
  vb_index_remove(c, d);
  if (d->index_data != di) doc_index_free(di);
  return vb_fail(c, VB_ERR_NOMEM, "out of memory indexing %s", d->name);
}

void vb_index_remove(vb_corpus *c, vb_doc *d) {
  doc_index *di = d->index_data;
  if (!di) return;
  struct vb_index *ix = c->index;
  if (ix) {
    for (size_t i = 0; i < di->nfps; i++) {
      plist *l = find_slot(ix, di->fps[i]);
      if (!l->hash) continue;
      plist_drop(l, d->id);
    }
  }
  doc_index_free(di);
  d->index_data = NULL;
}

/* ---------------------------------------------------------------- queries */

typedef struct {
  int32_t doc;
  uint32_t word;  /* position in that document */
  uint32_t qword; /* position in the query */
} hit;

static int cmp_hit(const void *a, const void *b) {
  const hit *x = a, *y = b;
  if (x->doc != y->doc) return x->doc < y->doc ? -1 : 1;
  if (x->word != y->word) return x->word < y->word ? -1 : 1;
  return x->qword < y->qword ? -1 : x->qword > y->qword;
}

/* A run of hits in one document: a candidate before its word positions
 * are turned into token positions. */
typedef struct {
  int32_t doc;
  uint32_t first, last; /* word positions, last not yet clamped */
  uint32_t shared;
  uint32_t order; /* in the document, for equal first words */
} group;

/* Most shared first; then by document and position. */
static int cmp_group(const void *a, const void *b) {
  const group *x = a, *y = b;
  if (x->shared != y->shared) return x->shared > y->shared ? -1 : 1;
  if (x->doc != y->doc) return x->doc < y->doc ? -1 : 1;
  if (x->first != y->first) return x->first < y->first ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Room in the query scratch for document ids below n. */
static int grow_scratch(struct vb_index *ix, size_t n) {
  if (ix->nper_doc >= n) return 0;
  size_t want = n < 64 ? 64 : n + n / 2;
  uint32_t *p = realloc(ix->per_doc, want * sizeof *p);
  if (!p) return VB_ERR_NOMEM;
  memset(p + ix->nper_doc, 0, (want - ix->nper_doc) * sizeof *p);
  ix->per_doc = p;
  ix->nper_doc = want;
  return 0;
}

static int grow_touched(struct vb_index *ix) {
  size_t want = ix->ntouched_cap ? ix->ntouched_cap * 2 : 256;
  int32_t *t = realloc(ix->touched, want * sizeof *t);
  if (!t) return VB_ERR_NOMEM;
  ix->touched = t;
  ix->ntouched_cap = want;
  return 0;
}

/* Every other document whole: for spans too short to hold an n-gram. */
static int all_documents(vb_corpus *c, const vb_doc *d, size_t max, vb_candidate **out, size_t *n) {
  size_t cap = 0;
  for (int id = vb_corpus_next(c, -1); id >= 0 && *n < max; id = vb_corpus_next(c, id)) {
    vb_doc *o = vb_get_doc(c, id);
    if (o == d || o->ntoks == 0) continue;
    vb_candidate cand = {id, 0, (uint32_t)o->ntoks, 0};
    if (VB_PUSH(*out, *n, cap, cand)) {
      free(*out);
      *out = NULL;
      *n = 0;
      return VB_ERR_NOMEM;
    }
  }
  return 0;
}

int vb_index_candidates(vb_corpus *c, const vb_doc *d, uint32_t t0, uint32_t t1, size_t max,
                        vb_candidate **out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (!c || !d || max == 0) return 0;
  int stale = vb_index_ensure(c);
  if (stale < 0) return stale;
  struct vb_index *ix = c->index;
  uint32_t *scratch;
  size_t nw;
  const uint32_t *words = vb_index_words(d, &nw, &scratch);
  size_t w0 = vb_word_at(words, nw, t0), w1 = vb_word_at(words, nw, t1);
  if (!ix || w1 < w0 + VB_NGRAM) {
    free(scratch);
    return all_documents(c, d, max, out, n);
  }
  size_t common = c->alive / 50;
  if (common < COMMON_MIN) common = COMMON_MIN;
  hit *hits = NULL;
  group *groups = NULL;
  size_t nhits = 0, chits = 0, cap = 0, cq = 0, ngroups = 0, cgroups = 0;
  uint32_t *qs = NULL;
  size_t ndocs_hit = 0;
  int rc = 0;
  /* each n-gram is looked up once; its postings list is kept for the
   * second pass (a lookup in a large table is a cache miss) */
  size_t ngrams = w1 - w0 - VB_NGRAM + 1;
  plist **lists = malloc(ngrams * sizeof *lists);
  if (!lists || grow_scratch(ix, c->ndocs + 1)) {
    rc = VB_ERR_NOMEM;
    goto done;
  }
  uint32_t *per_doc = ix->per_doc;
  /* first pass: hits per document, so that only the documents sharing the
   * most are gathered and sorted when very many share something */
  for (size_t i = 0; i < ngrams; i++) {
    plist *l = find_slot(ix, gram_hash(d, words, w0 + i));
    if (!l->hash || l->n == 0 || l->n > common) l = NULL;
    lists[i] = l;
    if (!l) continue;
    const posting *it = plist_items(l);
    for (uint32_t j = 0; j < l->n; j++) {
      int32_t doc = it[j].doc;
      if (per_doc[doc]++ == 0) {
        if (ndocs_hit == ix->ntouched_cap && grow_touched(ix)) {
          per_doc[doc] = 0;
          rc = VB_ERR_NOMEM;
          goto done;
        }
        ix->touched[ndocs_hit++] = doc;
      }
    }
  }
  uint32_t floor_hits = 0;
  if (ndocs_hit > KEEP_DOCS) {
    uint32_t *counts = malloc(ndocs_hit * sizeof *counts);
    if (!counts) {
      rc = VB_ERR_NOMEM;
      goto done;
    }
    for (size_t k = 0; k < ndocs_hit; k++) counts[k] = per_doc[ix->touched[k]];
    qsort(counts, ndocs_hit, sizeof *counts, cmp_u32);
    floor_hits = counts[ndocs_hit - KEEP_DOCS];
    free(counts);
  }
  for (size_t i = 0; i < ngrams; i++) {
    const plist *l = lists[i];
    if (!l) continue;
    const posting *it = plist_items((plist *)l);
    for (uint32_t j = 0; j < l->n; j++) {
      if (it[j].doc == d->id || per_doc[it[j].doc] < floor_hits) continue;
      hit h = {it[j].doc, it[j].word, (uint32_t)i};
      if (VB_PUSH(hits, nhits, chits, h)) {
        rc = VB_ERR_NOMEM;
        goto done;
      }
    }
  }
  if (nhits) qsort(hits, nhits, sizeof *hits, cmp_hit);
  /* group by document, then split where the hits are further apart than
   * the query is long (a separate passage) */
  uint32_t qlen = (uint32_t)(w1 - w0);
  uint32_t gap = qlen < 40 ? 40 : qlen;
  for (size_t a = 0; a < nhits;) {
    size_t b = a + 1;
    while (b < nhits && hits[b].doc == hits[a].doc && hits[b].word - hits[b - 1].word <= gap) b++;
    {
      /* shared = distinct query n-grams in the group */
      if (b - a > cq) {
        uint32_t *nq = realloc(qs, (b - a) * sizeof *qs);
        if (!nq) {
          rc = VB_ERR_NOMEM;
          goto done;
        }
        qs = nq;
        cq = b - a;
      }
      for (size_t k = a; k < b; k++) qs[k - a] = hits[k].qword;
      qsort(qs, b - a, sizeof *qs, cmp_u32);
      uint32_t shared = 0;
      for (size_t k = 0; k < b - a; k++) shared += k == 0 || qs[k] != qs[k - 1];
      /* widen by the winnowing window: the shared run may begin up to a
       * window before its first fingerprint and end a window after */
      group g = {hits[a].doc, hits[a].word > VB_WINNOW - 1 ? hits[a].word - (VB_WINNOW - 1) : 0,
                 hits[b - 1].word + VB_NGRAM - 1 + VB_WINNOW - 1, shared, (uint32_t)ngroups};
      if (VB_PUSH(groups, ngroups, cgroups, g)) {
        rc = VB_ERR_NOMEM;
        goto done;
      }
    }
    a = b;
  }
  /* Rank the groups before reading the documents: only the best `max`
   * need their word positions turned into tokens (each a cache miss in a
   * large corpus). Within a document word order is token order, so this is
   * the order of the candidates themselves. */
  if (ngroups > 1) qsort(groups, ngroups, sizeof *groups, cmp_group);
  for (size_t i = 0; i < ngroups && *n < max; i++) {
    const group *g = &groups[i];
    const vb_doc *o = vb_get_doc(c, g->doc);
    const doc_index *oi = o ? o->index_data : NULL;
    if (!oi || !oi->nwords) continue;
    size_t last = g->last < oi->nwords ? g->last : oi->nwords - 1;
    vb_candidate cand = {g->doc, oi->words[g->first], oi->words[last] + 1, g->shared};
    if (VB_PUSH(*out, *n, cap, cand)) {
      rc = VB_ERR_NOMEM;
      goto done;
    }
  }
done:
  free(groups);
  for (size_t k = 0; k < ndocs_hit; k++) ix->per_doc[ix->touched[k]] = 0;
  free(lists);
  free(qs);
  free(hits);
  free(scratch);
  if (rc) {
    free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}
