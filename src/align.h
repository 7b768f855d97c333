/*
 * align.h: word-level alignment machinery shared by document alignment
 * (align.c) and related passages (related.c). Private to the core.
 */
#ifndef VB_ALIGN_H
#define VB_ALIGN_H

#include "index.h"

/* The words of a document, with their sentence numbers. */
typedef struct {
  const vb_doc *d;
  const uint32_t *w; /* token index of each word */
  size_t n;
  uint32_t *own;     /* w when built here rather than kept by the index */
  uint32_t *sent;    /* sentence number of each word (NULL unless asked) */
  uint32_t nsent;
} vb_words;

int vb_words_get(const vb_doc *d, vb_words *v, int with_sentences);
void vb_words_done(vb_words *v);

static inline uint32_t vb_word_key(const vb_words *v, size_t i) { return v->d->toks[v->w[i]].hash; }

/* Is this word a function word ("the", "of", "said")? */
int vb_is_stopword(uint32_t key);

/* A run of identical words: target words [t, t + len) equal words
 * [s, s + len) of source number `src`. */
typedef struct {
  uint32_t t, s, len;
  int src;
} vb_tile;

/* Greedy string tiling of target words [a, b) against the sources: the
 * longest common runs first, each word used at most once on either side,
 * runs shorter than `min_len` dropped. Tiles are returned in target order. */
int vb_tile_words(const vb_words *tgt, size_t a, size_t b, const vb_words *srcs, size_t nsrc,
                  unsigned min_len, vb_tile **out, size_t *n);

/* Longest common subsequence of words ta[a0, a1) and sb[b0, b1): sets
 * match[i - a0] to the matched position in sb, or UINT32_MAX. Returns the
 * number of matched words, or a negative vb_status. Inputs are short
 * (sentences, paragraphs): the cost is (a1 - a0) * (b1 - b0). */
long vb_lcs_words(const vb_words *ta, size_t a0, size_t a1, const vb_words *sb, size_t b0,
                  size_t b1, uint32_t *match);

/* A small set of word keys, each numbered (its bit in a mask). */
enum { MAX_KEYS = 128 };

typedef struct {
  uint32_t keys[MAX_KEYS * 2]; /* open addressing, 0 = free */
  uint8_t bit[MAX_KEYS * 2];
  unsigned n;
} keyset;

static inline int keyset_find(const keyset *k, uint32_t key) {
  uint32_t h = key ? key : 1;
  size_t i = (h * 0x9E3779B1u) & (MAX_KEYS * 2 - 1);
  while (k->keys[i]) {
    if (k->keys[i] == h) return k->bit[i];
    i = (i + 1) & (MAX_KEYS * 2 - 1);
  }
  return -1;
}

static inline void keyset_add(keyset *k, uint32_t key) {
  if (k->n >= MAX_KEYS) return;
  uint32_t h = key ? key : 1;
  size_t i = (h * 0x9E3779B1u) & (MAX_KEYS * 2 - 1);
  while (k->keys[i]) {
    if (k->keys[i] == h) return;
    i = (i + 1) & (MAX_KEYS * 2 - 1);
  }
  k->keys[i] = h;
  k->bit[i] = (uint8_t)k->n++;
}

/* Byte range of words [a, b) of v in original offsets. */
static inline size_t vb_words_start(const vb_words *v, size_t a) {
  return vb_orig(v->d, v->d->toks[v->w[a]].start);
}
static inline size_t vb_words_end(const vb_words *v, size_t b) {
  return vb_orig(v->d, v->d->toks[v->w[b - 1]].end);
}

#endif /* VB_ALIGN_H */
