/* match.c: finding where a stretch of one document lives in the others, and
 * classifying a quotation's counterparts.
 *
 * A stretch is located in two steps: seeds (word pairs, or single words for a
 * stretch of one or two words) found by hash in each candidate region, grouped
 * into clusters along the source; then each cluster's window is aligned word
 * by word (vb_align_words) and trimmed to what the stretch actually covers. */
#include "check.h"

/* Documents searched for a quotation's counterparts. */
#define QUOTE_MAX_DOCS 32
/* Shortest quotation matched against the other documents. */
#define MIN_QUOTE_WORDS 3
/* Seed hits looked at in one region: bounds the work on repetitive text. */
#define MAX_HITS 50000

static int is_word(const vb_token *t) { return !(t->flags & VB_TOK_PUNCT); }

uint32_t vb_count_words(const vb_doc *d, uint32_t t0, uint32_t t1) {
  uint32_t n = 0;
  for (uint32_t t = t0; t < t1 && t < d->ntoks; t++) n += is_word(&d->toks[t]);
  return n;
}

int vb_quote_of_token(const vb_doc *d, uint32_t t) {
  if (t >= d->ntoks || d->nquotes == 0) return -1;
  uint32_t s = d->toks[t].start, e = d->toks[t].end;
  size_t lo = 0, hi = d->nquotes; /* quotes are in text order: last starting at or before s */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->quotes[mid].inner_start <= s) lo = mid + 1;
    else hi = mid;
  }
  int best = -1;
  /* walk back over quotes that may still hold s (nested ones start later) */
  for (size_t i = lo; i-- > 0;) {
    const vb_iquote *q = &d->quotes[i];
    if (q->inner_start <= s && e <= q->inner_end && !(q->flags & VB_QUOTE_NESTED)) {
      best = (int)i;
      break;
    }
    if (lo - i > 16) break;
  }
  return best;
}

void vb_quote_tokens(const vb_doc *d, const vb_iquote *q, uint32_t *t0, uint32_t *t1) {
  if (q->tok_end > q->tok_start && q->tok_end <= d->ntoks) {
    *t0 = q->tok_start;
    *t1 = q->tok_end;
    return;
  }
  *t0 = vb_text_token_at(d, q->inner_start);
  *t1 = vb_text_token_at(d, q->inner_end);
  if (*t1 < *t0) *t1 = *t0;
}

/* ------------------------------------------------------------------ seeds */

typedef struct {
  uint64_t *keys;
  int32_t *head; /* first draft position with this key, -1 = empty */
  int32_t *next; /* next draft position with the same key */
  size_t mask;
} seed_table;

static uint64_t pair_key(uint32_t h1, uint32_t h2) { return vb_mix64(h1, h2) | 1; }
static uint64_t one_key(uint32_t h) { return vb_mix64(h, 0x5151) | 1; }

static int seeds_build(seed_table *st, const uint32_t *hash, size_t n, int pairs) {
  size_t size = 16;
  while (size < n * 2) size *= 2;
  st->mask = size - 1;
  st->keys = calloc(size, sizeof(uint64_t));
  st->head = malloc(size * sizeof(int32_t));
  st->next = malloc((n ? n : 1) * sizeof(int32_t));
  if (!st->keys || !st->head || !st->next) return VB_ERR_NOMEM;
  for (size_t i = 0; i < size; i++) st->head[i] = -1;
  size_t last = pairs ? (n >= 1 ? n - 1 : 0) : n;
  for (size_t i = last; i-- > 0;) { /* backwards so chains run in order */
    uint64_t k = pairs ? pair_key(hash[i], hash[i + 1]) : one_key(hash[i]);
    size_t slot = (size_t)k & st->mask;
    while (st->keys[slot] && st->keys[slot] != k) slot = (slot + 1) & st->mask;
    st->keys[slot] = k;
    st->next[i] = st->head[slot];
    st->head[slot] = (int32_t)i;
  }
  return 0;
}

static int32_t seeds_find(const seed_table *st, uint64_t k) {
  size_t slot = (size_t)k & st->mask;
  while (st->keys[slot]) {
    if (st->keys[slot] == k) return st->head[slot];
    slot = (slot + 1) & st->mask;
  }
  return -1;
}

static void seeds_free(seed_table *st) {
  free(st->keys);
  free(st->head);
  free(st->next);
}

typedef struct {
  uint32_t tok;  /* source token of the seed's first word */
  uint32_t ord;  /* its word ordinal in the region */
  uint32_t qpos; /* draft word position */
} hit;

typedef struct {
  size_t h0, h1;   /* hits [h0, h1) */
  uint32_t weight; /* distinct draft positions seeded */
} cluster;

static int cmp_cluster(const void *x, const void *y) {
  const cluster *p = x, *q = y;
  if (p->weight != q->weight) return p->weight > q->weight ? -1 : 1;
  return p->h0 < q->h0 ? -1 : p->h0 > q->h0;
}

static int cmp_window(const void *x, const void *y) {
  const vb_window *p = x, *q = y;
  if (p->score != q->score) return p->score > q->score ? -1 : 1;
  if (p->same != q->same) return p->same > q->same ? -1 : 1;
  if (p->doc != q->doc) return p->doc < q->doc ? -1 : 1;
  return p->s0 < q->s0 ? -1 : p->s0 > q->s0;
}

/* Step from token t over `words` words backwards (dir -1) or forwards. */
static uint32_t walk_words(const vb_doc *o, uint32_t t, long words, int dir) {
  if (dir < 0) {
    while (t > 0 && words > 0) {
      t--;
      if (is_word(&o->toks[t])) words--;
    }
    return t;
  }
  while (t < o->ntoks && words > 0) {
    t++;
    if (t < o->ntoks && is_word(&o->toks[t])) words--;
  }
  return t < o->ntoks ? t + 1 : (uint32_t)o->ntoks;
}

/* ------------------------------------------------------------- trimming */

/* Lower-case ASCII comparison of two words: equal, one a prefix of the other
 * (three letters at least), or at most two edits apart. */
static int similar_words(const vb_doc *a, uint32_t ta, const vb_doc *b, uint32_t tb) {
  const vb_token *x = &a->toks[ta], *y = &b->toks[tb];
  if (x->hash == y->hash) return 1;
  size_t n = x->end - x->start, m = y->end - y->start;
  if (n > 40 || m > 40) return 0;
  char s[41], t[41];
  for (size_t i = 0; i < n; i++) {
    char ch = a->text[x->start + i];
    s[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  }
  for (size_t i = 0; i < m; i++) {
    char ch = b->text[y->start + i];
    t[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  }
  size_t k = 0;
  while (k < n && k < m && s[k] == t[k]) k++;
  if (k >= 3 && (k == n || k == m)) return 1;
  if (n < 4 || m < 4) return 0;
  /* edit distance, bounded */
  unsigned d0[41], d1[41];
  for (size_t j = 0; j <= m; j++) d0[j] = (unsigned)j;
  for (size_t i = 1; i <= n; i++) {
    d1[0] = (unsigned)i;
    for (size_t j = 1; j <= m; j++) {
      unsigned v = d0[j - 1] + (s[i - 1] != t[j - 1]);
      if (d0[j] + 1 < v) v = d0[j] + 1;
      if (d1[j - 1] + 1 < v) v = d1[j - 1] + 1;
      d1[j] = v;
    }
    memcpy(d0, d1, (m + 1) * sizeof(unsigned));
  }
  return d0[m] <= 2;
}

/* Word tokens of [t0, t1) into out (at most max); returns the count. */
static size_t words_of(const vb_doc *d, uint32_t t0, uint32_t t1, uint32_t *out, size_t max) {
  size_t n = 0;
  for (uint32_t t = t0; t < t1 && n < max; t++)
    if (is_word(&d->toks[t])) out[n++] = t;
  return n;
}

static int same_phrase(const vb_doc *a, const vb_edit *x, const vb_doc *b, const vb_edit *y) {
  /* x: DEL (words in a), y: INS (words in b) */
  uint32_t wa[16], wb[16];
  size_t na = words_of(a, x->a0, x->a1, wa, 16), nb = words_of(b, y->b0, y->b1, wb, 16);
  if (na != nb || na == 0 || na >= 16) return 0;
  if (na == 1 && a->toks[wa[0]].end - a->toks[wa[0]].start < 4) return 0;
  for (size_t i = 0; i < na; i++)
    if (a->toks[wa[i]].hash != b->toks[wb[i]].hash) return 0;
  return 1;
}

/* Do the words of d [b0, b1) equal the first (from_end = 0) or last words of
 * o [a0, a1)? Sets *cut to the source token where the equal part ends
 * (starts). */
static int phrase_at_edge(const vb_doc *o, uint32_t a0, uint32_t a1, const vb_doc *d, uint32_t b0,
                          uint32_t b1, int from_end, uint32_t *cut) {
  uint32_t wa[64], wb[16];
  size_t na = words_of(o, a0, a1, wa, 64), nb = words_of(d, b0, b1, wb, 16);
  if (nb == 0 || nb >= 16 || nb > na) return 0;
  if (nb == 1 && d->toks[wb[0]].end - d->toks[wb[0]].start < 4) return 0;
  size_t off = from_end ? na - nb : 0;
  for (size_t i = 0; i < nb; i++)
    if (o->toks[wa[off + i]].hash != d->toks[wb[i]].hash) return 0;
  *cut = from_end ? wa[off] : wa[nb - 1] + 1;
  return 1;
}

/* A phrase moved from one end of a quotation to the other ("spoke with X
 * earlier today" -> "Earlier today, ... with X"): the draft's words at one
 * edge equal the source's words just past the other edge. Split the edge ops
 * so that the phrase becomes a moved DEL/INS pair. */
static int edge_moves(const vb_doc *o, const vb_doc *d, vb_edit **ops, uint8_t **moved, size_t *n) {
  if (*n < 3) return 0;
  vb_edit *e = *ops;
  vb_edit L = e[0], T = e[*n - 1];
  uint32_t cut;
  vb_edit out[4];
  size_t nout = 0, lead_len = 0, tail_len = 0;
  int done = 0;
  /* moved from the end to the start */
  if ((L.op == VB_OP_INS || L.op == VB_OP_SUB) && (T.op == VB_OP_DEL || T.op == VB_OP_SUB) &&
      phrase_at_edge(o, T.a0, T.a1, d, L.b0, L.b1, 0, &cut)) {
    if (L.op == VB_OP_SUB) out[nout++] = (vb_edit){VB_OP_DEL, L.a0, L.a1, L.b0, L.b0};
    out[nout++] = (vb_edit){VB_OP_INS, L.a1, L.a1, L.b0, L.b1};
    lead_len = nout;
    out[nout++] = (vb_edit){VB_OP_DEL, T.a0, cut, T.b0, T.b0};
    if (cut < T.a1) out[nout++] = (vb_edit){T.op, cut, T.a1, T.b0, T.b1};
    tail_len = nout - lead_len;
    done = 1;
  } else if ((T.op == VB_OP_INS || T.op == VB_OP_SUB) && (L.op == VB_OP_DEL || L.op == VB_OP_SUB) &&
             phrase_at_edge(o, L.a0, L.a1, d, T.b0, T.b1, 1, &cut)) {
    /* moved from the start to the end */
    if (cut > L.a0) out[nout++] = (vb_edit){L.op, L.a0, cut, L.b0, L.b1};
    out[nout++] = (vb_edit){VB_OP_DEL, cut, L.a1, L.op == VB_OP_SUB ? L.b1 : L.b0, L.op == VB_OP_SUB ? L.b1 : L.b0};
    lead_len = nout;
    out[nout++] = (vb_edit){VB_OP_INS, T.a0, T.a0, T.b0, T.b1};
    if (T.op == VB_OP_SUB) out[nout++] = (vb_edit){VB_OP_DEL, T.a0, T.a1, T.b1, T.b1};
    tail_len = nout - lead_len;
    done = 1;
  }
  if (!done) return 0;
  size_t m = *n - 2 + nout;
  vb_edit *ne = malloc(m * sizeof *ne);
  uint8_t *nm = calloc(m, 1);
  if (!ne || !nm) {
    free(ne);
    free(nm);
    return VB_ERR_NOMEM;
  }
  memcpy(ne, out, lead_len * sizeof *ne);
  memcpy(ne + lead_len, e + 1, (*n - 2) * sizeof *ne);
  memcpy(ne + lead_len + *n - 2, out + lead_len, tail_len * sizeof *ne);
  memcpy(nm + lead_len, *moved + 1, *n - 2);
  /* the moved pair: the INS and the DEL holding the phrase */
  for (size_t i = 0; i < m; i++) {
    int in_lead = i < lead_len, in_tail = i >= lead_len + *n - 2;
    if (!in_lead && !in_tail) continue;
    const vb_edit *x = &ne[i];
    if (x->op == VB_OP_INS) nm[i] = 1;
    if (x->op == VB_OP_DEL && ((in_tail && x->a0 == T.a0 && L.op != VB_OP_DEL) ||
                               (in_lead && x->a1 == L.a1 && T.op != VB_OP_DEL && x->a0 == cut)))
      nm[i] = 1;
  }
  free(*ops);
  free(*moved);
  *ops = ne;
  *moved = nm;
  *n = m;
  return 0;
}

/* Cut the source side of an edge substitution down to the words that belong
 * with the stretch: inside the same quotation as the aligned word next to it,
 * and no further out than a word resembling the stretch's edge word (or as
 * many words as the stretch has there). `lead` is 1 at the start. */
static void trim_edge_sub(const vb_doc *o, const vb_doc *d, vb_edit *e, uint32_t next_same, int lead) {
  uint32_t w[64];
  size_t n = words_of(o, e->a0, e->a1, w, 64);
  size_t nb = vb_count_words(d, e->b0, e->b1);
  int ctx = vb_quote_of_token(o, next_same);
  size_t keep0 = 0, keep1 = n; /* kept source words [keep0, keep1) */
  if (n == 64) keep0 = lead ? n : 0, keep1 = lead ? n : 0; /* too long to be a substitution */
  if (lead) {
    while (keep0 < keep1 && vb_quote_of_token(o, w[keep0]) != ctx) keep0++;
    for (size_t i = keep0; i < keep1; i++) /* words between a quote and ctx */
      if (vb_quote_of_token(o, w[i]) != ctx) keep0 = i + 1;
  } else {
    for (size_t i = 0; i < keep1; i++)
      if (vb_quote_of_token(o, w[i]) != ctx) {
        keep1 = i;
        break;
      }
  }
  if (keep1 > keep0) {
    uint32_t edge_b = 0;
    int found = -1;
    for (uint32_t t = lead ? e->b0 : e->b1; lead ? t < e->b1 : t > e->b0;) {
      if (!lead) t--;
      if (is_word(&d->toks[t])) {
        edge_b = t;
        found = 1;
        break;
      }
      if (lead) t++;
    }
    size_t k = SIZE_MAX;
    if (found > 0) {
      if (lead) {
        for (size_t i = keep1; i-- > keep0;)
          if (similar_words(o, w[i], d, edge_b)) {
            k = i;
            break;
          }
      } else {
        for (size_t i = keep0; i < keep1; i++)
          if (similar_words(o, w[i], d, edge_b)) {
            k = i;
            break;
          }
      }
    }
    if (k != SIZE_MAX) {
      if (lead) keep0 = k;
      else keep1 = k + 1;
    } else if (keep1 - keep0 > nb) {
      if (lead) keep0 = keep1 - nb;
      else keep1 = keep0 + nb;
    }
  }
  if (keep1 <= keep0) {
    e->op = VB_OP_INS;
    e->a0 = e->a1 = lead ? next_same : e->a0;
    if (!lead) e->a1 = e->a0;
    return;
  }
  e->a0 = w[keep0];
  e->a1 = w[keep1 - 1] + 1;
}

/* Align window [w0, w1) of o with [t0, t1) of d and trim it to the part the
 * stretch covers. Returns 1 when a window was produced. */
static int make_window(const vb_doc *o, uint32_t w0, uint32_t w1, const vb_doc *d, uint32_t t0,
                       uint32_t t1, uint32_t qwords, vb_window *out) {
  vb_edit *ops;
  size_t n;
  memset(out, 0, sizeof *out);
  if (vb_align_words(o, w0, w1, d, t0, t1, &ops, &n)) return VB_ERR_NOMEM;
  uint8_t *moved = calloc(n ? n : 1, 1);
  if (!moved) {
    free(ops);
    return VB_ERR_NOMEM;
  }
  /* moved phrases: a DEL and an INS with the same words */
  for (size_t i = 0; i < n; i++) {
    if (ops[i].op != VB_OP_DEL || moved[i]) continue;
    for (size_t j = 0; j < n; j++)
      if (ops[j].op == VB_OP_INS && !moved[j] && same_phrase(o, &ops[i], d, &ops[j])) {
        moved[i] = moved[j] = 1;
        break;
      }
  }
  if (edge_moves(o, d, &ops, &moved, &n)) {
    free(ops);
    free(moved);
    return VB_ERR_NOMEM;
  }
  size_t first = 0, last = n; /* kept ops [first, last) */
  while (first < last && ops[first].op == VB_OP_DEL && !moved[first]) first++;
  while (last > first && ops[last - 1].op == VB_OP_DEL && !moved[last - 1]) last--;
  size_t nsame = 0;
  for (size_t i = first; i < last; i++) nsame += ops[i].op == VB_OP_SAME;
  if (nsame == 0) {
    free(ops);
    free(moved);
    return 0;
  }
  if (ops[first].op == VB_OP_SUB && !moved[first] && first + 1 < last)
    trim_edge_sub(o, d, &ops[first], ops[first + 1].a0, 1);
  if (ops[last - 1].op == VB_OP_SUB && !moved[last - 1] && last - 1 > first) {
    /* the aligned word before it */
    uint32_t prev = ops[last - 2].a1 ? ops[last - 2].a1 - 1 : 0;
    trim_edge_sub(o, d, &ops[last - 1], prev, 0);
    if (ops[last - 1].op == VB_OP_INS) ops[last - 1].a0 = ops[last - 1].a1 = ops[last - 2].a1;
  }
  memmove(ops, ops + first, (last - first) * sizeof *ops);
  memmove(moved, moved + first, last - first);
  n = last - first;
  uint32_t s0 = UINT32_MAX, s1 = 0, same = 0, mv = 0;
  for (size_t i = 0; i < n; i++) {
    if (ops[i].op == VB_OP_INS) continue;
    if (ops[i].a0 < s0) s0 = ops[i].a0;
    if (ops[i].a1 > s1) s1 = ops[i].a1;
    if (ops[i].op == VB_OP_SAME) same += vb_count_words(o, ops[i].a0, ops[i].a1);
    else if (moved[i]) mv += vb_count_words(o, ops[i].a0, ops[i].a1);
  }
  out->doc = o->id;
  out->s0 = s0;
  out->s1 = s1;
  out->ops = ops;
  out->moved = moved;
  out->nops = n;
  out->same = same;
  out->qwords = qwords;
  out->swords = vb_count_words(o, s0, s1);
  uint32_t denom = out->swords > qwords ? out->swords : qwords;
  out->score = denom ? (double)(same + mv) / denom : 0;
  if (out->score > 1) out->score = 1;
  return 1;
}

void vb_windows_free(vb_window *w, size_t n) {
  if (!w) return;
  for (size_t i = 0; i < n; i++) {
    free(w[i].ops);
    free(w[i].moved);
  }
  free(w);
}

/* Windows in region [r0, r1) of o for the draft words (qtok, qhash). */
static int windows_in_region(const vb_doc *o, uint32_t r0, uint32_t r1, const vb_doc *d,
                             uint32_t t0, uint32_t t1, const uint32_t *qhash, size_t nq,
                             const seed_table *st, int pairs, size_t per_doc, hit **hits,
                             size_t *chits, uint32_t *stamp, vb_window **out, size_t *nout,
                             size_t *cout, uint64_t *budget) {
  size_t nh = 0;
  if (budget) {
    uint64_t cost = (uint64_t)(r1 > r0 ? r1 - r0 : 0) + nq;
    if (*budget < cost) {
      *budget = 0;
      return 0;
    }
    *budget -= cost;
  }
  uint32_t ord = 0, prev_tok = 0, prev_hash = 0;
  int have_prev = 0;
  if (r1 > o->ntoks) r1 = (uint32_t)o->ntoks;
  for (uint32_t t = r0; t < r1 && nh < MAX_HITS; t++) {
    const vb_token *tok = &o->toks[t];
    if (!is_word(tok)) continue;
    uint64_t k;
    uint32_t at;
    if (pairs) {
      if (!have_prev) {
        have_prev = 1;
        prev_tok = t;
        prev_hash = tok->hash;
        ord++;
        continue;
      }
      k = pair_key(prev_hash, tok->hash);
      at = prev_tok;
    } else {
      k = one_key(tok->hash);
      at = t;
    }
    for (int32_t p = seeds_find(st, k); p >= 0; p = st->next[p]) {
      if (nh == *chits && vb_grow(hits, chits, nh + 1, sizeof(hit))) return VB_ERR_NOMEM;
      (*hits)[nh++] = (hit){at, pairs ? ord - 1 : ord, (uint32_t)p};
    }
    prev_tok = t;
    prev_hash = tok->hash;
    ord++;
  }
  if (nh == 0) return 0;
  /* clusters: runs of hits close together along the source */
  uint32_t gap = 8 + (uint32_t)nq / 2;
  cluster *cl = NULL;
  size_t ncl = 0, ccl = 0;
  uint32_t stamp_id = 0;
  for (size_t i = 0; i < nh;) {
    size_t j = i + 1;
    /* a cluster never grows much longer than the stretch: in repetitive
     * text the hits would otherwise chain across the whole document */
    uint32_t span_max = 2 * (uint32_t)nq + 2 * gap;
    while (j < nh && (*hits)[j].ord - (*hits)[j - 1].ord <= gap &&
           (*hits)[j].ord - (*hits)[i].ord <= span_max)
      j++;
    stamp_id++;
    uint32_t weight = 0;
    for (size_t h = i; h < j; h++)
      if (stamp[(*hits)[h].qpos] != stamp_id) {
        stamp[(*hits)[h].qpos] = stamp_id;
        weight++;
      }
    cluster c1 = {i, j, weight};
    if (VB_PUSH(cl, ncl, ccl, c1)) {
      free(cl);
      return VB_ERR_NOMEM;
    }
    i = j;
  }
  /* reset stamps for the next region */
  for (size_t h = 0; h < nh; h++) stamp[(*hits)[h].qpos] = 0;
  qsort(cl, ncl, sizeof *cl, cmp_cluster);
  int rc = 0;
  uint32_t pad = 3 + (uint32_t)nq / 2;
  if (pad > 40) pad = 40;
  for (size_t i = 0; i < ncl && i < per_doc && rc == 0; i++) {
    uint32_t qmin = UINT32_MAX, qmax = 0;
    for (size_t h = cl[i].h0; h < cl[i].h1; h++) {
      if ((*hits)[h].qpos < qmin) qmin = (*hits)[h].qpos;
      if ((*hits)[h].qpos > qmax) qmax = (*hits)[h].qpos;
    }
    uint32_t first = (*hits)[cl[i].h0].tok, last = (*hits)[cl[i].h1 - 1].tok;
    uint32_t w0 = walk_words(o, first, (long)qmin + pad, -1);
    uint32_t w1 = walk_words(o, last, (long)(nq - qmin) + pad, 1);
    (void)qmax;
    /* every seed inside one quotation of o: the counterpart is that quote */
    int qi = vb_quote_of_token(o, first);
    for (size_t h = cl[i].h0; h < cl[i].h1 && qi >= 0; h++)
      if (vb_quote_of_token(o, (*hits)[h].tok) != qi) qi = -1;
    if (qi >= 0) {
      uint32_t q0, q1;
      vb_quote_tokens(o, &o->quotes[qi], &q0, &q1);
      if (q0 > w0 && q0 <= first) w0 = q0;
      if (q1 < w1 && q1 > last) w1 = q1;
    }
    vb_window w;
    int made = make_window(o, w0, w1, d, t0, t1, (uint32_t)nq, &w);
    if (made < 0) {
      rc = made;
      break;
    }
    if (!made) continue;
    if (w.same < 2 && !(nq <= 2 && w.same >= 1)) {
      free(w.ops);
      free(w.moved);
      continue;
    }
    /* drop a window that overlaps a better one of the same document */
    int dup = 0;
    for (size_t k = 0; k < *nout; k++) {
      vb_window *x = &(*out)[k];
      if (x->doc == w.doc && w.s0 < x->s1 && x->s0 < w.s1) {
        if (w.score > x->score) {
          free(x->ops);
          free(x->moved);
          *x = w;
        } else {
          free(w.ops);
          free(w.moved);
        }
        dup = 1;
        break;
      }
    }
    if (!dup && VB_PUSH(*out, *nout, *cout, w)) {
      free(w.ops);
      free(w.moved);
      rc = VB_ERR_NOMEM;
    }
  }
  (void)qhash;
  free(cl);
  return rc;
}

typedef struct {
  int doc;
  uint32_t r0, r1;
} region;

static int cmp_region(const void *x, const void *y) {
  const region *p = x, *q = y;
  if (p->doc != q->doc) return p->doc < q->doc ? -1 : 1;
  return p->r0 < q->r0 ? -1 : p->r0 > q->r0;
}

/* Stretches shorter than this also look where their sentence is found:
 * the index only promises runs of several words. */
#define SHORT_STRETCH 12
/* Tokens added on each side of a region found through the context. */
#define REGION_MARGIN 80
/* With this many documents or fewer, a stretch with no candidate is looked
 * for everywhere. */
#define EXHAUSTIVE_DOCS 16

static int add_candidates(vb_corpus *c, const vb_doc *d, uint32_t t0, uint32_t t1, size_t max,
                          uint32_t margin, region **rs, size_t *n, size_t *cap) {
  vb_candidate *cands = NULL;
  size_t nc = 0;
  int rc = vb_index_candidates(c, d, t0, t1, max, &cands, &nc);
  for (size_t i = 0; i < nc && rc == 0; i++) {
    const vb_doc *o = vb_get_doc(c, cands[i].doc);
    if (!o || o == d) continue;
    region r = {o->id, cands[i].tok_start > margin ? cands[i].tok_start - margin : 0,
                cands[i].tok_end + margin};
    if (r.r1 > o->ntoks) r.r1 = (uint32_t)o->ntoks;
    rc = VB_PUSH(*rs, *n, *cap, r);
  }
  free(cands);
  return rc;
}

int vb_find_windows(vb_corpus *c, const vb_doc *d, uint32_t t0, uint32_t t1, size_t max_docs,
                    size_t per_doc, int exhaustive, uint64_t *budget, vb_window **out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (t1 > d->ntoks) t1 = (uint32_t)d->ntoks;
  if (t0 >= t1) return 0;
  size_t nq = 0;
  uint32_t *qhash = malloc((t1 - t0) * sizeof(uint32_t));
  if (!qhash) return VB_ERR_NOMEM;
  for (uint32_t t = t0; t < t1; t++)
    if (is_word(&d->toks[t])) qhash[nq++] = d->toks[t].hash;
  if (nq == 0) {
    free(qhash);
    return 0;
  }
  int pairs = nq >= 3;
  seed_table st = {0};
  region *rs = NULL;
  size_t nr = 0, cr = 0, cout = 0, chits = 0;
  hit *hits = NULL;
  uint32_t *stamp = calloc(nq, sizeof(uint32_t));
  int rc = stamp ? seeds_build(&st, qhash, nq, pairs) : VB_ERR_NOMEM;
  if (rc == 0) rc = add_candidates(c, d, t0, t1, max_docs, 0, &rs, &nr, &cr);
  if (rc == 0 && nq < SHORT_STRETCH && d->nsents) {
    /* the sentences around the stretch */
    uint32_t s0 = vb_text_sentence_of(d, t0), s1 = vb_text_sentence_of(d, t1 - 1);
    uint32_t c0 = d->sents[s0 > 0 ? s0 - 1 : 0].tok_start;
    uint32_t c1 = d->sents[s1 + 1 < d->nsents ? s1 + 1 : s1].tok_end;
    rc = add_candidates(c, d, c0, c1, max_docs, REGION_MARGIN, &rs, &nr, &cr);
  }
  if (rc == 0 && exhaustive && nr == 0 && vb_corpus_count(c) <= EXHAUSTIVE_DOCS) {
    for (int id = vb_corpus_next(c, -1); id >= 0 && rc == 0; id = vb_corpus_next(c, id)) {
      const vb_doc *o = vb_get_doc(c, id);
      region r = {id, 0, (uint32_t)o->ntoks};
      if (o != d) rc = VB_PUSH(rs, nr, cr, r);
    }
  }
  /* merge overlapping regions of one document */
  if (rc == 0 && nr > 1) {
    qsort(rs, nr, sizeof *rs, cmp_region);
    size_t m = 0;
    for (size_t i = 0; i < nr; i++) {
      if (m > 0 && rs[m - 1].doc == rs[i].doc && rs[i].r0 <= rs[m - 1].r1) {
        if (rs[i].r1 > rs[m - 1].r1) rs[m - 1].r1 = rs[i].r1;
      } else {
        rs[m++] = rs[i];
      }
    }
    nr = m;
  }
  for (size_t i = 0; rc == 0 && i < nr; i++) {
    const vb_doc *o = vb_get_doc(c, rs[i].doc);
    if (!o || o == d) continue;
    rc = windows_in_region(o, rs[i].r0, rs[i].r1, d, t0, t1, qhash, nq, &st, pairs, per_doc,
                           &hits, &chits, stamp, out, n, &cout, budget);
  }
  free(rs);
  free(hits);
  free(stamp);
  free(qhash);
  seeds_free(&st);
  if (rc) {
    vb_windows_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc;
  }
  if (*n > 1) qsort(*out, *n, sizeof **out, cmp_window);
  return 0;
}

/* ---------------------------------------------------------------- snippets */

int vb_snippet(vb_buf *out, const vb_doc *d, uint32_t start, uint32_t end, size_t max) {
  if (end > d->len) end = (uint32_t)d->len;
  size_t added = 0;
  int space = 0;
  for (uint32_t i = start; i < end;) {
    unsigned char ch = (unsigned char)d->text[i];
    if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
      space = 1;
      i++;
      continue;
    }
    int w = 1;
    if (ch >= 0x80) vb_utf8_decode(d->text, d->len, i, &w);
    if (w < 1) w = 1;
    if (added + (space ? 1 : 0) + (size_t)w > max) {
      if (vb_buf_append(out, "...", 3)) return VB_ERR_NOMEM;
      return 0;
    }
    if (space && added && vb_buf_putc(out, ' ')) return VB_ERR_NOMEM;
    if (space && added) added++;
    space = 0;
    if (vb_buf_append(out, d->text + i, (size_t)w)) return VB_ERR_NOMEM;
    added += (size_t)w;
    i += (uint32_t)w;
  }
  return 0;
}

static int snip_tokens(vb_buf *b, const vb_doc *d, uint32_t t0, uint32_t t1) {
  /* trim punctuation at both ends */
  while (t0 < t1 && !is_word(&d->toks[t0])) t0++;
  while (t1 > t0 && !is_word(&d->toks[t1 - 1])) t1--;
  if (t0 >= t1) return 0;
  return vb_snippet(b, d, d->toks[t0].start, d->toks[t1 - 1].end, 60);
}

/* The word before token t (searching back from t - 1), or UINT32_MAX. */
static uint32_t word_before(const vb_doc *d, uint32_t t, uint32_t lo) {
  while (t > lo) {
    t--;
    if (is_word(&d->toks[t])) return t;
  }
  return UINT32_MAX;
}

static int diff_text(vb_buf *b, const vb_doc *o, const vb_doc *d, const vb_window *w,
                     const uint8_t *ignore) {
  size_t items = 0;
  for (size_t i = 0; i < w->nops; i++) {
    const vb_edit *e = &w->ops[i];
    if (e->op == VB_OP_SAME || (ignore && ignore[i])) continue;
    if (w->moved[i] && e->op == VB_OP_DEL) continue; /* told once, at the INS */
    if (items == 5) {
      if (vb_buf_append(b, "; ...", 5)) return VB_ERR_NOMEM;
      break;
    }
    if (items++ && vb_buf_append(b, "; ", 2)) return VB_ERR_NOMEM;
    int rc = 0;
    if (w->moved[i]) {
      rc = vb_buf_append(b, "moved '", 7);
      if (!rc) rc = snip_tokens(b, d, e->b0, e->b1);
      if (!rc) rc = vb_buf_putc(b, '\'');
    } else if (e->op == VB_OP_SUB) {
      rc = vb_buf_putc(b, '\'');
      if (!rc) rc = snip_tokens(b, o, e->a0, e->a1);
      if (!rc) rc = vb_buf_append(b, "' -> '", 6);
      if (!rc) rc = snip_tokens(b, d, e->b0, e->b1);
      if (!rc) rc = vb_buf_putc(b, '\'');
    } else {
      /* a dropped or added phrase, shown with the aligned word after it
       * (or before it at the end) so that it can be found */
      const vb_edit *next = i + 1 < w->nops && w->ops[i + 1].op == VB_OP_SAME ? &w->ops[i + 1] : NULL;
      const vb_edit *prev = i > 0 && w->ops[i - 1].op == VB_OP_SAME ? &w->ops[i - 1] : NULL;
      uint32_t na0 = 0, na1 = 0, nb0 = 0, nb1 = 0; /* context word in o and d */
      int have = 0, after = 0;
      if (next) {
        na0 = next->a0;
        nb0 = next->b0;
        while (na0 < next->a1 && !is_word(&o->toks[na0])) na0++;
        while (nb0 < next->b1 && !is_word(&d->toks[nb0])) nb0++;
        na1 = na0 + 1;
        nb1 = nb0 + 1;
        have = after = 1;
      } else if (prev) {
        na0 = word_before(o, prev->a1, prev->a0);
        nb0 = word_before(d, prev->b1, prev->b0);
        if (na0 != UINT32_MAX && nb0 != UINT32_MAX) {
          na1 = na0 + 1;
          nb1 = nb0 + 1;
          have = 1;
        }
      }
      rc = vb_buf_putc(b, '\'');
      if (!rc) {
        if (!have) rc = snip_tokens(b, o, e->a0, e->a1);
        else if (after) rc = snip_tokens(b, o, e->a0 < e->a1 ? e->a0 : na0, na1);
        else rc = snip_tokens(b, o, na0, e->a1 > e->a0 ? e->a1 : na1);
      }
      if (!rc) rc = vb_buf_append(b, "' -> '", 6);
      if (!rc) {
        if (!have) rc = snip_tokens(b, d, e->b0, e->b1);
        else if (after) rc = snip_tokens(b, d, e->b0 < e->b1 ? e->b0 : nb0, nb1);
        else rc = snip_tokens(b, d, nb0, e->b1 > e->b0 ? e->b1 : nb1);
      }
      if (!rc) rc = vb_buf_putc(b, '\'');
    }
    if (rc) return rc;
  }
  return 0;
}

/* ------------------------------------------------------------ counterparts */

/* Is there an ellipsis among the punctuation just before draft token t? */
static int ellipsis_before(const vb_doc *d, uint32_t t, uint32_t lo) {
  for (uint32_t k = t; k > lo;) {
    k--;
    if (is_word(&d->toks[k])) break;
    if (d->toks[k].cp == 0x2026) return 1;
  }
  return 0;
}

/* Are the draft's words [b0, b1) the last (at_end) or first words of the
 * source's [a0, a1): the source's quotation trimmed at one end? */
static int trimmed(const vb_doc *o, uint32_t a0, uint32_t a1, const vb_doc *d, uint32_t b0,
                   uint32_t b1, int at_end) {
  uint32_t aw[64], bw[64];
  size_t na = 0, nb = 0;
  for (uint32_t t = a0; t < a1 && na < 64; t++)
    if (is_word(&o->toks[t])) aw[na++] = o->toks[t].hash;
  for (uint32_t t = b0; t < b1 && nb < 64; t++)
    if (is_word(&d->toks[t])) bw[nb++] = d->toks[t].hash;
  if (nb == 0 || nb >= na) return nb == 0 && na > 0;
  size_t off = at_end ? na - nb : 0;
  for (size_t k = 0; k < nb; k++)
    if (aw[off + k] != bw[k]) return 0;
  return 1;
}

/* Are draft tokens [b0, b1) inside square brackets (an editor's insertion)? */
static int bracketed(const vb_doc *d, uint32_t b0, uint32_t b1) {
  return b0 > 0 && b1 < d->ntoks && d->toks[b0 - 1].cp == '[' && d->toks[b1].cp == ']';
}

static int cmp_counterpart(const void *x, const void *y) {
  static const int rank[VB_REL_COUNT_] = {0, 1, 3, 2, 4, 5, 6, 7};
  const vb_counterpart *p = x, *q = y;
  if (p->w.score != q->w.score) return p->w.score > q->w.score ? -1 : 1;
  if (rank[p->relation] != rank[q->relation]) return rank[p->relation] - rank[q->relation];
  if (p->w.doc != q->w.doc) return p->w.doc < q->w.doc ? -1 : 1;
  return p->w.s0 < q->w.s0 ? -1 : p->w.s0 > q->w.s0;
}

/* Classify window w (of document o) as a counterpart of quotation q. */
static int classify(const vb_doc *o, const vb_doc *d, const vb_iquote *q, vb_counterpart *cp) {
  vb_window *w = &cp->w;
  uint8_t *ignore = calloc(w->nops ? w->nops : 1, 1);
  if (!ignore) return VB_ERR_NOMEM;
  uint32_t inq = 0, outq = 0, in_main = 0;
  int main_q = -1, several = 0;
  uint32_t run0 = 0, run1 = 0, best0 = 0, best1 = 0, best_len = 0, run_len = 0;
  for (size_t i = 0; i < w->nops; i++) {
    const vb_edit *e = &w->ops[i];
    if (e->op != VB_OP_SAME) continue;
    for (uint32_t t = e->a0; t < e->a1; t++) {
      if (!is_word(&o->toks[t])) continue;
      int qi = vb_quote_of_token(o, t);
      if (qi >= 0) {
        inq++;
        if (main_q < 0) main_q = qi;
        if (qi == main_q) in_main++;
        else several = 1;
        run_len = 0;
      } else {
        outq++;
        if (run_len == 0) run0 = t;
        run1 = t + 1;
        run_len++;
        if (run_len > best_len) {
          best_len = run_len;
          best0 = run0;
          best1 = run1;
        }
      }
    }
  }
  /* differences that are not alterations: words cut at an ellipsis, an
   * editor's [insertion], narrative between two quoted parts */
  int changed = 0;
  uint32_t qt_start, qt_end;
  vb_quote_tokens(d, q, &qt_start, &qt_end);
  for (size_t i = 0; i < w->nops; i++) {
    const vb_edit *e = &w->ops[i];
    if (e->op == VB_OP_SAME) continue;
    if (e->op == VB_OP_DEL && !w->moved[i] && ellipsis_before(d, e->b0, qt_start)) ignore[i] = 1;
    /* words of the source before or after all the quoted ones: the draft
     * quotes part of the source's quotation ("Mr Hamilton - I apologise") */
    else if (e->op == VB_OP_DEL && !w->moved[i] && (i == 0 || i + 1 == w->nops)) ignore[i] = 1;
    else if (e->op == VB_OP_SUB && ((i == 0 && trimmed(o, e->a0, e->a1, d, e->b0, e->b1, 1)) ||
                                    (i + 1 == w->nops && trimmed(o, e->a0, e->a1, d, e->b0, e->b1, 0))))
      ignore[i] = 1;
    else if ((e->op == VB_OP_INS || e->op == VB_OP_SUB) && bracketed(d, e->b0, e->b1)) ignore[i] = 1;
    else if (e->op == VB_OP_DEL && i > 0 && i + 1 < w->nops) {
      int outside = 1;
      for (uint32_t t = e->a0; t < e->a1 && outside; t++)
        if (is_word(&o->toks[t]) && vb_quote_of_token(o, t) >= 0) outside = 0;
      int before = vb_quote_of_token(o, w->ops[i - 1].a1 - 1);
      int after = vb_quote_of_token(o, w->ops[i + 1].a0);
      if (outside && before >= 0 && after >= 0 && before != after) ignore[i] = 1;
    }
    if (!ignore[i]) changed = 1;
  }
  if (inq == 0) cp->relation = VB_REL_UNQUOTED;
  else if (outq >= 2 || (outq >= 1 && outq * 3 >= w->same)) cp->relation = VB_REL_EXTENDED;
  else if (!changed) {
    uint32_t qt0 = 0, qt1 = 0;
    if (main_q >= 0) vb_quote_tokens(o, &o->quotes[main_q], &qt0, &qt1);
    uint32_t qw = vb_count_words(o, qt0, qt1);
    cp->relation = !several && outq == 0 && qw == w->same ? VB_REL_VERBATIM : VB_REL_FRAGMENT;
  } else cp->relation = VB_REL_ALTERED;
  if (!changed && (cp->relation == VB_REL_VERBATIM || cp->relation == VB_REL_FRAGMENT))
    w->score = 1.0;
  cp->src_quote = main_q;
  cp->out0 = best0;
  cp->out1 = best1;
  if ((cp->relation == VB_REL_VERBATIM || cp->relation == VB_REL_ALTERED) && main_q >= 0 &&
      !several && outq == 0) {
    cp->start = o->quotes[main_q].start;
    cp->end = o->quotes[main_q].end;
  } else {
    cp->start = o->toks[w->s0].start;
    cp->end = o->toks[w->s1 - 1].end;
  }
  cp->diff = NULL;
  if (changed) {
    vb_buf b = {0};
    if (diff_text(&b, o, d, w, ignore)) {
      vb_buf_free(&b);
      free(ignore);
      return VB_ERR_NOMEM;
    }
    cp->diff = b.data; /* NULL when empty */
  }
  free(ignore);
  return 0;
}

void vb_counterparts_free(vb_counterpart *cp, size_t n) {
  if (!cp) return;
  for (size_t i = 0; i < n; i++) {
    free(cp[i].w.ops);
    free(cp[i].w.moved);
    free(cp[i].diff);
  }
  free(cp);
}

int vb_quote_counterparts(vb_corpus *c, const vb_doc *d, const vb_iquote *q, uint64_t *budget,
                          vb_counterpart **out, size_t *n, vb_counterpart *closest) {
  *out = NULL;
  *n = 0;
  memset(closest, 0, sizeof *closest);
  closest->w.doc = -1;
  vb_window *ws;
  size_t nw;
  uint32_t t0, t1;
  vb_quote_tokens(d, q, &t0, &t1);
  /* one or two words are terms and scare quotes more than speech: their
   * "counterparts" would be any use of the word */
  if (vb_count_words(d, t0, t1) < MIN_QUOTE_WORDS) return 0;
  int rc = vb_find_windows(c, d, t0, t1, QUOTE_MAX_DOCS, 4, 1, budget, &ws, &nw);
  if (rc) return rc;
  size_t cap = 0;
  for (size_t i = 0; i < nw; i++) {
    vb_counterpart cp;
    memset(&cp, 0, sizeof cp);
    cp.w = ws[i];
    memset(&ws[i], 0, sizeof ws[i]);
    const vb_doc *o = vb_get_doc(c, cp.w.doc);
    if ((rc = classify(o, d, q, &cp))) {
      free(cp.w.ops);
      free(cp.w.moved);
      break;
    }
    if (cp.w.score >= c->cfg.min_score) {
      if ((rc = VB_PUSH(*out, *n, cap, cp))) {
        free(cp.w.ops);
        free(cp.w.moved);
        free(cp.diff);
        break;
      }
    } else if (closest->w.doc < 0) {
      *closest = cp;
    } else {
      free(cp.w.ops);
      free(cp.w.moved);
      free(cp.diff);
    }
  }
  vb_windows_free(ws, nw);
  if (rc) {
    vb_counterparts_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc;
  }
  if (*n > 1) qsort(*out, *n, sizeof **out, cmp_counterpart);
  return 0;
}
