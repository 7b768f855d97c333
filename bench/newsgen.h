/*
 * newsgen.h: a deterministic generator of news-like text for the benchmarks.
 *
 * Words are made from syllables and drawn with a Zipf-like skew, mixed with
 * English function words, capitalised names, figures and quotations, in
 * sentences of 12 to 30 words and paragraphs of two to four sentences. A
 * draft copies some paragraphs of its sources word for word, edits others
 * (substitutions, dropped words, changed figures) and writes the rest fresh.
 */
#ifndef VB_NEWSGEN_H
#define VB_NEWSGEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint64_t s;
} ng_rng;

static inline uint64_t ng_next(ng_rng *r) {
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return r->s;
}
static inline unsigned ng_below(ng_rng *r, unsigned n) { return (unsigned)(ng_next(r) % n); }

typedef struct {
  char *p;
  size_t n, cap;
} ng_buf;

static inline void ng_put(ng_buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}
static inline void ng_puts(ng_buf *b, const char *s) { ng_put(b, s, strlen(s)); }

static const char *const ng_function_words[] = {
    "the", "of", "to", "and", "a", "in", "that", "for", "on", "was", "with", "said", "by", "at",
    "from", "has", "had", "his", "her", "its", "it", "were", "be", "after", "over", "their",
    "an", "would", "will", "not", "as", "but", "who", "they", "this", "which", "been"};
#define NG_NFUNC (sizeof ng_function_words / sizeof *ng_function_words)

static const char *const ng_syllables[] = {
    "ka", "lo", "mi", "ran", "tor", "vel", "sa", "den", "pri", "ol", "mar", "ten", "cu",
    "ber", "nis", "ga", "ro", "sol", "vi", "tan", "quel", "ar", "mon", "del", "fi", "ste"};
#define NG_NSYL (sizeof ng_syllables / sizeof *ng_syllables)

/* Content word number k (stable: the same k always spells the same word). */
static inline void ng_word(ng_buf *b, unsigned k, int capital) {
  char w[32];
  size_t n = 0;
  unsigned x = k * 2654435761u + 7;
  unsigned syl = 2 + k % 3;
  for (unsigned i = 0; i < syl; i++) {
    const char *s = ng_syllables[x % NG_NSYL];
    x = x / NG_NSYL + k * 31 + i;
    for (; *s && n < sizeof w - 1; s++) w[n++] = *s;
  }
  if (capital) w[0] = (char)(w[0] - 32);
  ng_put(b, w, n);
}

/* A Zipf-like draw from a vocabulary of `vocab` words. */
static inline unsigned ng_zipf(ng_rng *r, unsigned vocab) {
  double u = (double)(ng_next(r) >> 11) / (double)(1ULL << 53);
  double x = (double)vocab;
  return (unsigned)(x * u * u * u) % vocab;
}

/* One sentence of news-like text. */
static inline void ng_sentence(ng_rng *r, ng_buf *b, unsigned vocab) {
  unsigned len = 12 + ng_below(r, 19);
  int quoted = ng_below(r, 6) == 0;
  if (quoted) ng_puts(b, "\"");
  for (unsigned i = 0; i < len; i++) {
    if (i) ng_puts(b, " ");
    unsigned roll = ng_below(r, 100);
    if (roll < 45) {
      const char *f = ng_function_words[ng_below(r, NG_NFUNC)];
      if (i == 0) {
        char cap[16];
        snprintf(cap, sizeof cap, "%s", f);
        cap[0] = (char)(cap[0] - 32);
        ng_puts(b, cap);
      } else {
        ng_puts(b, f);
      }
    } else if (roll < 50) {
      char num[16];
      snprintf(num, sizeof num, "%u", 2 + ng_below(r, 2000));
      ng_puts(b, num);
    } else {
      ng_word(b, ng_zipf(r, vocab), i == 0 || roll < 58);
    }
    if (i + 1 < len && ng_below(r, 12) == 0) ng_puts(b, ",");
  }
  ng_puts(b, quoted ? ",\" an official said." : ".");
}

static inline void ng_paragraph(ng_rng *r, ng_buf *b, unsigned vocab) {
  unsigned n = 2 + ng_below(r, 3);
  for (unsigned i = 0; i < n; i++) {
    if (i) ng_puts(b, " ");
    ng_sentence(r, b, vocab);
  }
  ng_puts(b, "\n\n");
}

/* A document of about `words` words. */
static inline void ng_document(ng_rng *r, ng_buf *b, unsigned vocab, unsigned words) {
  size_t start = b->n;
  while (1) {
    size_t spaces = 0;
    for (size_t i = start; i < b->n; i++) spaces += b->p[i] == ' ';
    if (spaces >= words) break;
    ng_paragraph(r, b, vocab);
  }
}

/* Copy one paragraph of `src` into `b`, editing about one word in `every`
 * (0: verbatim): a substituted word, a dropped word or a changed figure. */
static inline void ng_copy_paragraph(ng_rng *r, ng_buf *b, const char *src, size_t para,
                                     unsigned every, unsigned vocab) {
  const char *p = src;
  for (size_t k = 0; k < para; k++) {
    const char *q = strstr(p, "\n\n");
    if (!q) break;
    p = q + 2;
  }
  const char *end = strstr(p, "\n\n");
  if (!end) end = p + strlen(p);
  while (p < end) {
    const char *sp = p;
    while (sp < end && *sp != ' ') sp++;
    unsigned roll = every ? ng_below(r, every) : 1;
    if (roll == 0 && sp - p > 2) {
      if (p[0] >= '0' && p[0] <= '9') {
        char num[16];
        snprintf(num, sizeof num, "%u", 3 + ng_below(r, 900));
        ng_puts(b, num);
      } else if (ng_below(r, 2)) {
        ng_word(b, ng_zipf(r, vocab), 0);
      } /* else dropped */
    } else {
      ng_put(b, p, (size_t)(sp - p));
    }
    if (sp < end) ng_puts(b, " ");
    p = sp + (sp < end);
  }
  ng_puts(b, "\n\n");
}

#endif /* VB_NEWSGEN_H */
