/*
 * index.h: word sequences and n-gram fingerprints, shared by the index
 * (index.c) and the aligners (align.c, related.c). Private to the core.
 */
#ifndef VB_INDEX_H
#define VB_INDEX_H

#include "internal.h"

/* Words per fingerprinted n-gram, and the winnowing window (in n-grams):
 * every run of VB_NGRAM + VB_WINNOW - 1 shared words shares a fingerprint. */
#define VB_NGRAM 3
#define VB_WINNOW 4

/* A token that counts as a word for matching: letters or digits. */
static inline int vb_is_word(const vb_token *t) {
  return (t->flags & (VB_TOK_WORD | VB_TOK_NUM)) && !(t->flags & VB_TOK_PUNCT);
}

/* The key of a word in an anchor: numbers all share one key, so that a
 * changed figure does not break the n-grams around it. */
static inline uint32_t vb_anchor_key(const vb_token *t) {
  return (t->flags & VB_TOK_NUM) ? 0x2c1b3c6du : t->hash;
}

/* Token indexes of the words of `d`, in order (kept by the index; built on
 * the fly into *scratch when the document is not indexed). Returns NULL with
 * *n = 0 for a document without words or when out of memory. */
const uint32_t *vb_index_words(const vb_doc *d, size_t *n, uint32_t **scratch);

/* How many distinct fingerprints the index holds for `d` (0 when it is not
 * indexed). */
size_t vb_index_fingerprints(const vb_doc *d);

/* Index of the first word whose token is >= tok (binary search). */
size_t vb_word_at(const uint32_t *words, size_t n, uint32_t tok);

/* The distinct winnowed fingerprints of `d`, sorted, in a malloc'd array
 * (*out, NULL when there are none); with `all`, the hashes of all its
 * n-grams (what a query looks up: any shared run of VB_NGRAM + VB_WINNOW - 1
 * words then meets a fingerprint). Returns 0 or VB_ERR_NOMEM. */
int vb_doc_fingerprints(const vb_doc *d, int all, uint32_t **out, size_t *n);

/* The same for a text that is only tokenized, never added to `c` (corpus.c).
 * Returns 0 or a vb_status, with the message in `c`. */
int vb_corpus_fingerprints(vb_corpus *c, const char *bytes, size_t len, int all, uint32_t **fps,
                           size_t *n);

#endif /* VB_INDEX_H */
