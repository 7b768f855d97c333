/* tiling.c: word views, greedy string tiling and word LCS for the aligners. */
#include "align.h"

/* ------------------------------------------------------------------ words */

/* Does the stretch between two words end a sentence? */
static int sentence_break(const vb_doc *d, uint32_t prev_word, uint32_t next_word) {
  if (d->toks[next_word].flags & VB_TOK_PARA) return 1;
  for (uint32_t t = prev_word + 1; t < next_word; t++) {
    uint16_t cp = d->toks[t].cp;
    if (cp == '!' || cp == '?' || cp == 0x2026) return 1;
    if (cp == '.' && !(d->toks[prev_word].flags & VB_TOK_ABBR && t == prev_word + 1)) return 1;
  }
  return 0;
}

int vb_words_get(const vb_doc *d, vb_words *v, int with_sentences) {
  memset(v, 0, sizeof *v);
  v->d = d;
  v->w = vb_index_words(d, &v->n, &v->own);
  if (!with_sentences || v->n == 0) return 0;
  v->sent = malloc(v->n * sizeof *v->sent);
  if (!v->sent) {
    vb_words_done(v);
    return VB_ERR_NOMEM;
  }
  uint32_t s = 0;
  v->sent[0] = 0;
  for (size_t i = 1; i < v->n; i++) {
    if (sentence_break(d, v->w[i - 1], v->w[i])) s++;
    v->sent[i] = s;
  }
  v->nsent = s + 1;
  return 0;
}

void vb_words_done(vb_words *v) {
  free(v->own);
  free(v->sent);
  memset(v, 0, sizeof *v);
}

/* -------------------------------------------------------------- stopwords */

static const char *const stopword_list[] = {
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "from",
    "with", "as", "into", "about", "after", "before", "over", "under", "up", "out", "than",
    "that", "this", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "him",
    "her", "his", "their", "them", "our", "us", "my", "me", "your", "who", "whom", "which", "what",
    "when", "where", "why", "how", "is", "are", "was", "were", "be", "been", "being", "has",
    "have", "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may",
    "might", "must", "not", "no", "so", "if", "then", "there", "here", "also", "said", "says",
    "say", "told", "mr", "mrs", "ms", "all", "any", "some", "more", "most", "other", "such",
    "only", "own", "same", "too", "very", "just", "yesterday", "today", "last", "one", "two"};

enum { STOP_SLOTS = 512 };

/* A small open-addressing set built on first use; it is read-only after
 * that and the same for every corpus, so the race on first use is benign
 * only if it never happens: build it eagerly from a constructor. */
static uint32_t stop_set[STOP_SLOTS];

__attribute__((constructor)) static void build_stop_set(void) {
  for (size_t k = 0; k < sizeof stopword_list / sizeof *stopword_list; k++) {
    uint32_t h = vb_hash32(stopword_list[k], strlen(stopword_list[k]));
    size_t i = (h * 0x9E3779B1u) & (STOP_SLOTS - 1);
    while (stop_set[i] && stop_set[i] != h) i = (i + 1) & (STOP_SLOTS - 1);
    stop_set[i] = h;
  }
}

int vb_is_stopword(uint32_t key) {
  size_t i = (key * 0x9E3779B1u) & (STOP_SLOTS - 1);
  while (stop_set[i]) {
    if (stop_set[i] == key) return 1;
    i = (i + 1) & (STOP_SLOTS - 1);
  }
  return 0;
}

/* ----------------------------------------------------------------- tiling */

typedef struct {
  uint32_t t, p, len; /* target word, position in the joined sources, length */
} run;

/* Occurrences of one word examined per target word: a word that occurs
 * more often than this is a function word, and runs through it are found
 * from their other words. Bounds the work on repetitive input. */
#define MAX_VISITS 512
/* Word comparisons spent finding runs in one call: ample for news, a bound
 * on repetitive input (the same line a million times). */
#define WORK_BUDGET 50000000u

static int cmp_run(const void *a, const void *b) {
  const run *x = a, *y = b;
  if (x->len != y->len) return x->len > y->len ? -1 : 1;
  if (x->t != y->t) return x->t < y->t ? -1 : 1;
  return x->p < y->p ? -1 : x->p > y->p;
}

static int cmp_tile(const void *a, const void *b) {
  const vb_tile *x = a, *y = b;
  return x->t < y->t ? -1 : x->t > y->t;
}

int vb_tile_words(const vb_words *tgt, size_t a, size_t b, const vb_words *srcs, size_t nsrc,
                  unsigned min_len, vb_tile **out, size_t *nout) {
  *out = NULL;
  *nout = 0;
  if (min_len == 0) min_len = 1;
  size_t total = 0;
  for (size_t j = 0; j < nsrc; j++) total += srcs[j].n;
  if (b <= a || total == 0) return 0;
  if (total >= UINT32_MAX / 2) return VB_ERR_LIMIT;
  /* the sources joined: key, source number and word of each position */
  uint32_t *key = malloc(total * sizeof *key);
  uint32_t *who = malloc(total * sizeof *who);
  uint32_t *pos = malloc(total * sizeof *pos);
  uint32_t *next = malloc(total * sizeof *next);
  size_t nslots = 16;
  while (nslots < total * 2) nslots *= 2;
  uint32_t *head = malloc(nslots * sizeof *head);
  uint8_t *smark = calloc(total, 1);
  uint8_t *tmark = calloc(b - a, 1);
  run *runs = NULL;
  size_t nruns = 0, cruns = 0, cap = 0;
  int rc = 0;
  if (!key || !who || !pos || !next || !head || !smark || !tmark) {
    rc = VB_ERR_NOMEM;
    goto done;
  }
  memset(head, 0xff, nslots * sizeof *head);
  size_t k = 0;
  for (size_t j = 0; j < nsrc; j++)
    for (size_t i = 0; i < srcs[j].n; i++, k++) {
      key[k] = vb_word_key(&srcs[j], i);
      who[k] = (uint32_t)j;
      pos[k] = (uint32_t)i;
    }
  /* chains in decreasing position so that walking them is in source order */
  for (size_t q = total; q-- > 0;) {
    size_t h = (key[q] * 0x9E3779B1u) & (nslots - 1);
    next[q] = head[h];
    head[h] = (uint32_t)q;
  }
  /* every maximal common run, within a budget of word comparisons */
  size_t budget = WORK_BUDGET;
  for (size_t i = a; i < b && budget > 0; i++) {
    uint32_t ki = vb_word_key(tgt, i);
    size_t h = (ki * 0x9E3779B1u) & (nslots - 1);
    unsigned visits = 0;
    for (uint32_t q = head[h]; q != UINT32_MAX && visits < MAX_VISITS; q = next[q]) {
      if (key[q] != ki) continue;
      visits++;
      /* left-maximal only: a run that extends to the left is found there */
      if (i > a && q > 0 && who[q - 1] == who[q] && key[q - 1] == vb_word_key(tgt, i - 1)) continue;
      uint32_t len = 1;
      while (i + len < b && q + len < total && who[q + len] == who[q] &&
             key[q + len] == vb_word_key(tgt, i + len))
        len++;
      budget = budget > len ? budget - len : 0;
      if (len < min_len) continue;
      run r = {(uint32_t)i, q, len};
      if (VB_PUSH(runs, nruns, cruns, r)) {
        rc = VB_ERR_NOMEM;
        goto done;
      }
    }
  }
  if (nruns) qsort(runs, nruns, sizeof *runs, cmp_run);
  /* longest first; a run that overlaps earlier tiles keeps its free parts */
  for (size_t r = 0; r < nruns; r++) {
    uint32_t t0 = runs[r].t, p0 = runs[r].p;
    uint32_t s = 0;
    while (s < runs[r].len) {
      while (s < runs[r].len && (tmark[t0 + s - a] || smark[p0 + s])) s++;
      uint32_t e = s;
      while (e < runs[r].len && !tmark[t0 + e - a] && !smark[p0 + e]) e++;
      if (e > s && e - s >= min_len) {
        for (uint32_t m = s; m < e; m++) tmark[t0 + m - a] = smark[p0 + m] = 1;
        vb_tile tl = {t0 + s, pos[p0 + s], e - s, (int)who[p0 + s]};
        if (VB_PUSH(*out, *nout, cap, tl)) {
          rc = VB_ERR_NOMEM;
          goto done;
        }
      }
      s = e;
    }
  }
  if (*nout) qsort(*out, *nout, sizeof **out, cmp_tile);
done:
  free(key);
  free(who);
  free(pos);
  free(next);
  free(head);
  free(smark);
  free(tmark);
  free(runs);
  if (rc) {
    free(*out);
    *out = NULL;
    *nout = 0;
  }
  return rc;
}

/* -------------------------------------------------------------------- LCS */

long vb_lcs_words(const vb_words *ta, size_t a0, size_t a1, const vb_words *sb, size_t b0,
                  size_t b1, uint32_t *match) {
  size_t n = a1 > a0 ? a1 - a0 : 0, m = b1 > b0 ? b1 - b0 : 0;
  for (size_t i = 0; i < n; i++) match[i] = UINT32_MAX;
  if (n == 0 || m == 0) return 0;
  if (n > 4096 || m > 4096 || n * m > (size_t)8 << 20) return VB_ERR_LIMIT;
  /* table of suffix lengths, (n + 1) x (m + 1) */
  uint16_t *L = calloc((n + 1) * (m + 1), sizeof *L);
  if (!L) return VB_ERR_NOMEM;
#define AT(i, j) L[(i) * (m + 1) + (j)]
  for (size_t i = n; i-- > 0;) {
    uint32_t ki = vb_word_key(ta, a0 + i);
    for (size_t j = m; j-- > 0;) {
      if (ki == vb_word_key(sb, b0 + j)) AT(i, j) = (uint16_t)(AT(i + 1, j + 1) + 1);
      else AT(i, j) = AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
    }
  }
  long count = 0;
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (vb_word_key(ta, a0 + i) == vb_word_key(sb, b0 + j) && AT(i, j) == AT(i + 1, j + 1) + 1) {
      match[i] = (uint32_t)(b0 + j);
      count++;
      i++;
      j++;
    } else if (AT(i + 1, j) >= AT(i, j + 1)) {
      i++;
    } else {
      j++;
    }
  }
#undef AT
  free(L);
  return count;
}
