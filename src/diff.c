/* diff.c: word-level alignment of two token ranges.
 *
 * Only words and numbers take part: punctuation and quotation marks are
 * skipped, and words compare by their matching form (the token hash), so
 * case, curly marks and accents never count as differences. Common prefix and
 * suffix are stripped first; a small middle gets an exact LCS, a large one is
 * cut at words that occur once on each side (patience anchors) until the
 * pieces are small enough. */
#include "internal.h"

/* Dynamic-programming cells allowed for one exact LCS (uint16_t each). */
#define LCS_MAX_CELLS (1u << 21)
#define MAX_DEPTH 24

typedef struct {
  uint32_t *a, *b; /* token indices of the words */
  uint32_t *ha, *hb; /* their hashes */
  size_t na, nb;
  uint32_t *pa, *pb; /* matched pairs: word positions in a and b */
  size_t npairs, cpairs;
} aligner;

static int is_word(const vb_token *t) { return !(t->flags & VB_TOK_PUNCT); }

static int collect(const vb_doc *d, uint32_t t0, uint32_t t1, uint32_t **idx, uint32_t **hash,
                   size_t *n) {
  if (t1 > d->ntoks) t1 = (uint32_t)d->ntoks;
  size_t cap = t1 > t0 ? t1 - t0 : 0;
  *n = 0;
  *idx = malloc((cap ? cap : 1) * sizeof(uint32_t));
  *hash = malloc((cap ? cap : 1) * sizeof(uint32_t));
  if (!*idx || !*hash) return VB_ERR_NOMEM;
  for (uint32_t t = t0; t < t1; t++) {
    if (!is_word(&d->toks[t])) continue;
    (*idx)[*n] = t;
    (*hash)[*n] = d->toks[t].hash;
    (*n)++;
  }
  return 0;
}

static int add_pair(aligner *al, size_t i, size_t j) {
  if (al->npairs == al->cpairs) {
    size_t c1 = al->cpairs, c2 = al->cpairs;
    if (vb_grow(&al->pa, &c1, al->npairs + 1, sizeof(uint32_t)) ||
        vb_grow(&al->pb, &c2, al->npairs + 1, sizeof(uint32_t)))
      return VB_ERR_NOMEM;
    al->cpairs = c1 < c2 ? c1 : c2;
  }
  al->pa[al->npairs] = (uint32_t)i;
  al->pb[al->npairs] = (uint32_t)j;
  al->npairs++;
  return 0;
}

/* Exact LCS of a[i0,i1) and b[j0,j1) by dynamic programming on suffixes. */
static int lcs(aligner *al, size_t i0, size_t i1, size_t j0, size_t j1) {
  size_t n = i1 - i0, m = j1 - j0;
  size_t w = m + 1;
  uint16_t *L = calloc((n + 1) * w, sizeof(uint16_t));
  if (!L) return VB_ERR_NOMEM;
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;) {
      uint16_t v;
      if (al->ha[i0 + i] == al->hb[j0 + j]) v = (uint16_t)(L[(i + 1) * w + j + 1] + 1);
      else {
        uint16_t x = L[(i + 1) * w + j], y = L[i * w + j + 1];
        v = x >= y ? x : y;
      }
      L[i * w + j] = v;
    }
  size_t i = 0, j = 0;
  int rc = 0;
  while (i < n && j < m && rc == 0) {
    if (al->ha[i0 + i] == al->hb[j0 + j]) {
      rc = add_pair(al, i0 + i, j0 + j);
      i++, j++;
    } else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
      i++;
    } else {
      j++;
    }
  }
  free(L);
  return rc;
}

typedef struct {
  uint32_t hash, pos;
  uint8_t side;
} occ;

static int cmp_occ(const void *x, const void *y) {
  const occ *p = x, *q = y;
  if (p->hash != q->hash) return p->hash < q->hash ? -1 : 1;
  if (p->side != q->side) return p->side - q->side;
  return p->pos < q->pos ? -1 : p->pos > q->pos;
}

static int cmp_anchor(const void *x, const void *y) {
  const uint32_t *p = x, *q = y;
  return p[0] < q[0] ? -1 : p[0] > q[0];
}

static int align_range(aligner *al, size_t i0, size_t i1, size_t j0, size_t j1, int depth);

/* Last resort for long ranges without unique words: cut b into slices and
 * give each an exact LCS against the stretch of a where it should fall. */
#define SLICE 512
static int sliced(aligner *al, size_t i0, size_t i1, size_t j0, size_t j1) {
  size_t n = i1 - i0, m = j1 - j0;
  size_t ci = i0;
  for (size_t sj = j0; sj < j1; sj += SLICE) {
    size_t ej = sj + SLICE < j1 ? sj + SLICE : j1;
    /* where this slice should end in a, by proportion, with slack */
    size_t want = i0 + (size_t)((double)(ej - j0) * n / m);
    size_t ei = want + SLICE / 2 < i1 ? want + SLICE / 2 : i1;
    if (ej == j1) ei = i1;
    if (ei <= ci) continue;
    size_t before = al->npairs;
    if ((ei - ci + 1) * (ej - sj + 1) > LCS_MAX_CELLS) ei = ci + LCS_MAX_CELLS / (ej - sj + 1) - 1;
    int rc = lcs(al, ci, ei, sj, ej);
    if (rc) return rc;
    if (al->npairs > before) ci = al->pa[al->npairs - 1] + 1;
  }
  return 0;
}

/* Cut a large range at words unique on both sides, in increasing order on
 * both (the longest such chain), and align the pieces between them. */
static int patience(aligner *al, size_t i0, size_t i1, size_t j0, size_t j1, int depth) {
  size_t n = (i1 - i0) + (j1 - j0);
  occ *o = malloc(n * sizeof *o);
  uint32_t *anchors = malloc(n * 2 * sizeof(uint32_t)); /* pairs (i, j) */
  size_t na = 0, k = 0;
  if (!o || !anchors) {
    free(o);
    free(anchors);
    return VB_ERR_NOMEM;
  }
  for (size_t i = i0; i < i1; i++) o[k++] = (occ){al->ha[i], (uint32_t)i, 0};
  for (size_t j = j0; j < j1; j++) o[k++] = (occ){al->hb[j], (uint32_t)j, 1};
  qsort(o, n, sizeof *o, cmp_occ);
  for (size_t s = 0; s < n;) {
    size_t e = s;
    while (e < n && o[e].hash == o[s].hash) e++;
    if (e - s == 2 && o[s].side == 0 && o[s + 1].side == 1) {
      anchors[2 * na] = o[s].pos;
      anchors[2 * na + 1] = o[s + 1].pos;
      na++;
    }
    s = e;
  }
  free(o);
  qsort(anchors, na, 2 * sizeof(uint32_t), cmp_anchor);
  /* longest increasing run of j over anchors sorted by i */
  size_t *tails = malloc((na + 1) * sizeof(size_t));
  size_t *prev = malloc((na + 1) * sizeof(size_t));
  if (!tails || !prev) {
    free(tails);
    free(prev);
    free(anchors);
    return VB_ERR_NOMEM;
  }
  size_t len = 0;
  for (size_t a = 0; a < na; a++) {
    uint32_t j = anchors[2 * a + 1];
    size_t lo = 0, hi = len;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (anchors[2 * tails[mid] + 1] < j) lo = mid + 1;
      else hi = mid;
    }
    prev[a] = lo ? tails[lo - 1] : SIZE_MAX;
    tails[lo] = a;
    if (lo == len) len++;
  }
  /* walk the chain back into order (reuse prev as the output list) */
  size_t *chain = malloc((len + 1) * sizeof(size_t));
  int rc = chain ? 0 : VB_ERR_NOMEM;
  if (chain) {
    size_t a = len ? tails[len - 1] : SIZE_MAX;
    for (size_t q = len; q-- > 0;) {
      chain[q] = a;
      a = prev[a];
    }
  }
  free(tails);
  free(prev);
  if (rc == 0 && len == 0) {
    /* nothing to cut at (every word repeats): align in slices */
    free(chain);
    free(anchors);
    return sliced(al, i0, i1, j0, j1);
  }
  size_t ci = i0, cj = j0;
  for (size_t q = 0; q < len && rc == 0; q++) {
    size_t ai = anchors[2 * chain[q]], aj = anchors[2 * chain[q] + 1];
    rc = align_range(al, ci, ai, cj, aj, depth + 1);
    if (rc == 0) rc = add_pair(al, ai, aj);
    ci = ai + 1;
    cj = aj + 1;
  }
  if (rc == 0) rc = align_range(al, ci, i1, cj, j1, depth + 1);
  free(chain);
  free(anchors);
  return rc;
}

static int align_range(aligner *al, size_t i0, size_t i1, size_t j0, size_t j1, int depth) {
  /* common prefix */
  while (i0 < i1 && j0 < j1 && al->ha[i0] == al->hb[j0]) {
    if (add_pair(al, i0, j0)) return VB_ERR_NOMEM;
    i0++, j0++;
  }
  /* common suffix: remember it, add after the middle */
  size_t si = i1, sj = j1;
  while (si > i0 && sj > j0 && al->ha[si - 1] == al->hb[sj - 1]) si--, sj--;
  int rc = 0;
  if (si > i0 && sj > j0) {
    size_t n = si - i0, m = sj - j0;
    if ((n + 1) * (m + 1) <= LCS_MAX_CELLS && n < 65535 && m < 65535)
      rc = lcs(al, i0, si, j0, sj);
    else if (depth < MAX_DEPTH)
      rc = patience(al, i0, si, j0, sj, depth);
  }
  for (size_t k = 0; rc == 0 && si + k < i1; k++) rc = add_pair(al, si + k, sj + k);
  return rc;
}

/* Equal-length alignments differ in where a repeated word is matched; pick
 * the compact one. Matches before the most solid run of consecutive matches
 * slide towards it (later in a), matches after it slide back (earlier in a),
 * so a stray "the" far from the rest is not taken as part of the passage. */
static void compact(aligner *al) {
  size_t n = al->npairs;
  if (n < 2) return;
  size_t best = 0, best_len = 0;
  for (size_t k = 0; k < n;) {
    size_t e = k + 1;
    while (e < n && al->pa[e] == al->pa[e - 1] + 1 && al->pb[e] == al->pb[e - 1] + 1) e++;
    if (e - k > best_len) {
      best_len = e - k;
      best = k;
    }
    k = e;
  }
  for (size_t k = best; k-- > 0;) {
    uint32_t h = al->hb[al->pb[k]];
    for (uint32_t a = al->pa[k + 1]; a-- > al->pa[k] + 1;)
      if (al->ha[a] == h) {
        al->pa[k] = a;
        break;
      }
  }
  for (size_t k = best + best_len; k < n; k++) {
    uint32_t h = al->hb[al->pb[k]];
    for (uint32_t a = al->pa[k - 1] + 1; a < al->pa[k]; a++)
      if (al->ha[a] == h) {
        al->pa[k] = a;
        break;
      }
  }
}

static int push_op(vb_edit **ops, size_t *n, size_t *cap, uint8_t op, uint32_t a0, uint32_t a1,
                   uint32_t b0, uint32_t b1) {
  if (op == VB_OP_SAME && *n > 0 && (*ops)[*n - 1].op == VB_OP_SAME) {
    (*ops)[*n - 1].a1 = a1;
    (*ops)[*n - 1].b1 = b1;
    return 0;
  }
  vb_edit e = {op, a0, a1, b0, b1};
  return VB_PUSH(*ops, *n, *cap, e);
}

int vb_align_words(const vb_doc *a, uint32_t a0, uint32_t a1, const vb_doc *b, uint32_t b0,
                   uint32_t b1, vb_edit **ops, size_t *nops) {
  *ops = NULL;
  *nops = 0;
  if (a1 > a->ntoks) a1 = (uint32_t)a->ntoks;
  if (b1 > b->ntoks) b1 = (uint32_t)b->ntoks;
  if (a0 > a1) a0 = a1;
  if (b0 > b1) b0 = b1;
  aligner al = {0};
  int rc = collect(a, a0, a1, &al.a, &al.ha, &al.na);
  if (rc == 0) rc = collect(b, b0, b1, &al.b, &al.hb, &al.nb);
  if (rc == 0) rc = align_range(&al, 0, al.na, 0, al.nb, 0);
  if (rc == 0) compact(&al);
  size_t cap = 0;
  /* Turn matched pairs into runs; the words between two pairs form one gap. */
  size_t pi = 0, pj = 0; /* next unconsumed word in a and b */
  for (size_t k = 0; rc == 0 && k <= al.npairs; k++) {
    size_t ni = k < al.npairs ? al.pa[k] : al.na;
    size_t nj = k < al.npairs ? al.pb[k] : al.nb;
    if (ni > pi || nj > pj) {
      /* an empty side sits at the token where its next word starts */
      uint32_t ga0 = pi < al.na ? al.a[pi] : a1, ga1 = ni > pi ? al.a[ni - 1] + 1 : ga0;
      uint32_t gb0 = pj < al.nb ? al.b[pj] : b1, gb1 = nj > pj ? al.b[nj - 1] + 1 : gb0;
      uint8_t op = ni > pi && nj > pj ? VB_OP_SUB : ni > pi ? VB_OP_DEL : VB_OP_INS;
      rc = push_op(ops, nops, &cap, op, ga0, ga1, gb0, gb1);
    }
    if (rc == 0 && k < al.npairs)
      rc = push_op(ops, nops, &cap, VB_OP_SAME, al.a[ni], al.a[ni] + 1, al.b[nj], al.b[nj] + 1);
    pi = ni + 1;
    pj = nj + 1;
  }
  free(al.a);
  free(al.b);
  free(al.ha);
  free(al.hb);
  free(al.pa);
  free(al.pb);
  if (rc) {
    free(*ops);
    *ops = NULL;
    *nops = 0;
  }
  return rc;
}
