/*
 * internal.h: the document model shared by the modules of the core.
 *
 * Analysis works on a document's working text: its bytes when they are valid
 * UTF-8 (the usual case, where working offsets equal original offsets), or a
 * UTF-8 re-encoding with a map back to the original bytes. Internal offsets
 * are working offsets (uint32_t); the public API maps them with vb_orig().
 */
#ifndef VB_INTERNAL_H
#define VB_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "verbatim.h"

#define VB_HIDDEN __attribute__((visibility("hidden")))
#define VB_NONE UINT32_MAX

/* ------------------------------------------------------------ growable buffer */

typedef struct {
  char *data;
  size_t len, cap;
} vb_buf;

int vb_buf_reserve(vb_buf *b, size_t extra);
int vb_buf_append(vb_buf *b, const char *s, size_t n);
int vb_buf_putc(vb_buf *b, char ch);
int vb_buf_printf(vb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vb_buf_free(vb_buf *b);
/* Append a NUL and return the offset where the string started. */
int vb_buf_add_str(vb_buf *b, const char *s, size_t n, uint32_t *offset);

/* Grow an array so that it holds at least `need` elements of `size` bytes. */
int vb_grow(void *ptr_to_array, size_t *cap, size_t need, size_t size);
#define VB_PUSH(arr, n, cap, item)                                               \
  ((n) < (cap) || vb_grow(&(arr), &(cap), (n) + 1, sizeof(*(arr))) == 0          \
       ? ((arr)[(n)++] = (item), 0)                                               \
       : VB_ERR_NOMEM)

/* 32-bit and 64-bit hashes of a byte string. */
uint32_t vb_hash32(const char *s, size_t n);
uint64_t vb_hash64(const char *s, size_t n);
static inline uint64_t vb_mix64(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

/* ------------------------------------------------------------------ unicode */

/* Decode one code point at s[i] (s valid UTF-8, i < n); sets *w to its width. */
int32_t vb_utf8_decode(const char *s, size_t n, size_t i, int *w);
int vb_utf8_encode(int32_t cp, char out[4]);
/* Append the matching form of s[0..n) to out: NFKC, case folded, accents
 * stripped, curly quotes and apostrophes folded to ' and ", dashes to -. */
int vb_norm_append(vb_buf *out, const char *s, size_t n);
/* Is cp a quotation mark / an apostrophe-like mark / a dash? */
int vb_is_quote_cp(int32_t cp);
int vb_is_dash_cp(int32_t cp);

/* -------------------------------------------------------------------- tokens */

enum {
  VB_TOK_WORD = 1 << 0,      /* letters (may contain digits, ' and -) */
  VB_TOK_NUM = 1 << 1,       /* starts with a digit */
  VB_TOK_PUNCT = 1 << 2,     /* punctuation or symbol */
  VB_TOK_QUOTE = 1 << 3,     /* a quotation mark (or a ' that may be one) */
  VB_TOK_UPPER = 1 << 4,     /* first letter is upper case */
  VB_TOK_ALLCAPS = 1 << 5,   /* two or more letters, all upper case */
  VB_TOK_SPACE = 1 << 6,     /* white space before the token */
  VB_TOK_NEWLINE = 1 << 7,   /* a line break before the token */
  VB_TOK_PARA = 1 << 8,      /* first token of a paragraph */
  VB_TOK_SENT = 1 << 9,      /* first token of a sentence */
  VB_TOK_ABBR = 1 << 10,     /* an abbreviation or initial ("U.S.", "Mr", "S") */
  VB_TOK_SENT_END = 1 << 11, /* punctuation that ends a sentence */
  VB_TOK_SPACE_AFTER = 1 << 12, /* white space (or end of text) after the token */
  VB_TOK_BLANK = 1 << 13,    /* a blank line before the token */
  VB_TOK_HYPHEN = 1 << 14    /* a word with an ASCII hyphen inside: "Lashkar-e-Taiba" */
};

typedef struct {
  uint32_t start, end; /* working-text bytes */
  uint32_t hash;       /* vb_hash32 of the matching form */
  uint16_t flags;      /* VB_TOK_* */
  uint16_t cp;         /* for one-character punctuation: its code point (BMP) */
} vb_token;

/* A run of tokens: sentences and paragraphs. */
typedef struct {
  uint32_t tok_start, tok_end; /* [tok_start, tok_end) */
  uint32_t start, end;         /* working-text bytes */
} vb_range;

/* ------------------------------------------------------------------ analyses */

typedef struct {
  uint32_t start, end;         /* working-text bytes of the mention */
  uint32_t tok_start, tok_end; /* token range [) */
  uint8_t type;                /* vb_entity_type */
  uint32_t canonical;          /* offset of a NUL-terminated string in doc->pool */
} vb_ient;

/* How firmly a quotation's speaker is known: a cue naming someone outright
 * beats a pronoun, a role or a relative clause resolved from context, which
 * beat a group or a document ("officials", "the union", "a statement"). */
typedef enum { VB_FIRM_NONE = 0, VB_FIRM_VAGUE, VB_FIRM_INFERRED, VB_FIRM_NAMED } vb_firmness;

typedef struct {
  uint32_t start, end;             /* including marks */
  uint32_t inner_start, inner_end; /* words inside the marks */
  uint32_t tok_start, tok_end;     /* tokens of the inner text [) */
  uint8_t kind;                    /* vb_quote_kind */
  uint8_t flags;                   /* VB_QUOTE_* */
  uint8_t firmness;                /* vb_firmness of the attribution */
  uint32_t speaker_start, speaker_end; /* mention; VB_NONE when unknown */
  uint32_t speaker_name;               /* doc->pool offset; VB_NONE when unknown */
  uint32_t cue_start, cue_end;         /* VB_NONE when none */
  int32_t prev_part;                   /* earlier part of a multi-paragraph quote, or -1 */
} vb_iquote;

typedef struct vb_doc {
  int id;
  unsigned flags;
  char *name;
  char *orig; /* the bytes as given (owned) */
  size_t orig_len;
  char *text; /* working UTF-8 ending in a NUL: == orig when identity */
  size_t len;
  uint32_t *to_orig; /* NULL when identity; else len + 1 entries */
  int encoding;      /* vb_encoding */

  vb_token *toks;
  size_t ntoks, ctoks;
  vb_range *sents;
  size_t nsents, csents;
  vb_range *paras;
  size_t nparas, cparas;
  vb_ient *ents;
  size_t nents, cents;
  vb_iquote *quotes;
  size_t nquotes, cquotes;
  uint32_t *strays; /* tokens of double closing marks that close nothing */
  size_t nstrays, cstrays;
  vb_buf pool; /* NUL-terminated strings referenced by offset */

  /* public views, built on first request */
  vb_entity *pub_ents;
  vb_quote *pub_quotes;
  size_t *line_starts; /* original offsets of line starts, built on request */
  size_t nlines;

  void *index_data; /* owned by index.c */
} vb_doc;

static inline size_t vb_orig(const vb_doc *d, uint32_t off) {
  if (!d->to_orig) return off;
  return d->to_orig[off > d->len ? d->len : off];
}
static inline const char *vb_pool_str(const vb_doc *d, uint32_t off) {
  return off == VB_NONE ? NULL : d->pool.data + off;
}

/* ------------------------------------------------------------------ corpus */

/* Rules of the checker, in the order of vb_rule_names[]. */
enum {
  VB_RULE_QUOTE_ALTERED = 0,
  VB_RULE_QUOTE_UNSOURCED,
  VB_RULE_QUOTE_FROM_PARAPHRASE,
  VB_RULE_SPEAKER_MISMATCH,
  VB_RULE_NAME_VARIANT,
  VB_RULE_NUMBER_MISMATCH,
  VB_RULE_ENTITY_UNSUPPORTED,
  VB_RULE_UNBALANCED_QUOTE,
  VB_RULE_COUNT
};
extern const char *const vb_rule_names[VB_RULE_COUNT];

typedef struct {
  size_t max_doc_bytes;
  size_t max_docs;
  uint32_t match_limit;
  uint8_t rule_severity[VB_RULE_COUNT];
  double min_score;  /* smallest similarity reported as a counterpart */
  int fail_on;       /* severity at which the CLI exits 1 */
} vb_config;

struct vb_lexicon;  /* entities.c */
struct vb_patterns; /* patterns.c */
struct vb_index;    /* index.c */
struct vb_speech;   /* speakers.c: attribution cues and roles */
struct vb_tag_mem;  /* entities.c */
struct vb_spk_mem;  /* speakers.c */

struct vb_corpus {
  vb_doc **docs; /* by id; NULL once removed */
  size_t ndocs, cdocs;
  size_t alive;
  vb_config cfg;
  char err[512];
  char optval[64];
  vb_buf user_names; /* the loaded names file, kept for re-analysis */
  struct vb_lexicon *lex;      /* the built-in lists plus the names file */
  struct vb_lexicon *lex_base; /* the built-in lists: built once, copied per names file */
  struct vb_patterns *pat;
  struct vb_index *index;
  struct vb_speech *speech; /* built on first use */
  /* hash tables the tagger and the attribution reuse from one document to
   * the next (entities.c, speakers.c) */
  struct vb_tag_mem *tag_mem;
  struct vb_spk_mem *spk_mem;
  int index_stale;    /* some document is not indexed yet (see vb_index_ensure) */
  uint64_t *accepted; /* hashes of quotes marked as checked */
  size_t naccepted, caccepted;
};

/* Set the corpus error message and return code. */
int vb_fail(vb_corpus *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
vb_doc *vb_get_doc(const vb_corpus *c, int id);
/* Free every buffer a document owns (name and original text included), but
 * not the vb_doc itself: the one list of what a document holds. */
void vb_doc_release(vb_doc *d);

/* ----------------------------------------------------------------- modules */

/* text.c: decode bytes into working text, tokenize, sentences, paragraphs. */
int vb_text_load(vb_corpus *c, vb_doc *d);
int vb_text_tokenize(vb_corpus *c, vb_doc *d);
int vb_text_segment(vb_corpus *c, vb_doc *d);
/* Append the matching form of tokens [a, b) separated by single spaces. */
int vb_text_norm_tokens(const vb_doc *d, uint32_t a, uint32_t b, vb_buf *out);
/* Index of the token containing or following byte `off`. */
uint32_t vb_text_token_at(const vb_doc *d, uint32_t off);
/* Index of the sentence / paragraph containing token `t`. */
uint32_t vb_text_sentence_of(const vb_doc *d, uint32_t t);
uint32_t vb_text_paragraph_of(const vb_doc *d, uint32_t t);
/* Is paragraph p copy furniture (a slug, a byline, a desk code, an
 * editorial note) rather than the story's text? */
int vb_text_is_furniture(const vb_doc *d, size_t p);

/* entities.c: lexicon lifetime and tagging. */
/* Build the lexicon for the current names file (the built-in lists are
 * built on the first call only). */
int vb_entities_init(vb_corpus *c);
/* Forget the names-file lexicon (keeps the built-in one). */
void vb_entities_drop_names(vb_corpus *c);
void vb_entities_free(vb_corpus *c);
int vb_entities_tag(vb_corpus *c, vb_doc *d);

/* patterns.c: PCRE2 patterns for dates, numbers, money, percentages. */
int vb_patterns_init(vb_corpus *c);
void vb_patterns_free(vb_corpus *c);

/* quotes.c: quotation marks, spans, kinds. */
int vb_quotes_find(vb_corpus *c, vb_doc *d);
/* speakers.c: attribution. */
int vb_speakers_attribute(vb_corpus *c, vb_doc *d);
void vb_speakers_free(vb_corpus *c);

/* index.c: fingerprint index over all documents. */
int vb_index_init(vb_corpus *c);
void vb_index_free(vb_corpus *c);
int vb_index_add(vb_corpus *c, vb_doc *d);
/* Index every document not indexed yet; called before any index query. */
int vb_index_ensure(vb_corpus *c);
void vb_index_remove(vb_corpus *c, vb_doc *d);

/* Candidate passages for a stretch of text (index.c). */
typedef struct {
  int doc;                     /* another document */
  uint32_t tok_start, tok_end; /* region of that document holding the shared n-grams */
  uint32_t shared;             /* shared fingerprints (0 from the fallback) */
} vb_candidate;

/* Passages of documents other than `d` that share word n-grams with tokens
 * [t0, t1) of `d`, best first, at most `max`. The caller frees *out.
 * Without an index this returns every other document whole. */
int vb_index_candidates(vb_corpus *c, const vb_doc *d, uint32_t t0, uint32_t t1, size_t max,
                        vb_candidate **out, size_t *n);

/* Word-level alignment of two token ranges (diff.c). Punctuation and quote
 * marks are ignored; words compare by their matching form (token hash). */
enum { VB_OP_SAME, VB_OP_SUB, VB_OP_DEL, VB_OP_INS };
typedef struct {
  uint8_t op;      /* VB_OP_*: DEL = words only in a, INS = words only in b */
  uint32_t a0, a1; /* token range in a ([a0, a1), empty for INS) */
  uint32_t b0, b1; /* token range in b ([b0, b1), empty for DEL) */
} vb_edit;
int vb_align_words(const vb_doc *a, uint32_t a0, uint32_t a1, const vb_doc *b, uint32_t b0,
                   uint32_t b1, vb_edit **ops, size_t *nops);

/* lexdata.c: generated from the word lists in data/ by the build. */
typedef struct {
  const char *name;
  const char *text;
  size_t len;
} vb_lexdata;
extern const vb_lexdata vb_lexdata_files[];
extern const size_t vb_lexdata_count;
const vb_lexdata *vb_lexdata_find(const char *name);

#endif /* VB_INTERNAL_H */
