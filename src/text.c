/* text.c: the text model. Decoding, tokens, sentences and paragraphs. */
#include <utf8proc.h>

#include "internal.h"

/* ----------------------------------------------------------------- decoding */

/* Windows-1252 code points for bytes 0x80..0x9F (0 = undefined: Latin-1). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid. */
static int utf8_valid_at(const unsigned char *s, size_t n, size_t i) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t r = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
  return r > 0 ? (int)r : 0;
}

/* Re-encode the document as UTF-8, keeping a map to the original bytes. */
static int reencode(vb_corpus *c, vb_doc *d, int as_cp1252) {
  const unsigned char *s = (const unsigned char *)d->orig;
  size_t n = d->orig_len;
  if (n > (VB_NONE - 1) / 3) return vb_fail(c, VB_ERR_LIMIT, "document too large to re-encode");
  size_t cap = n * 3 + 1;
  char *out = malloc(cap);
  uint32_t *map = malloc((cap + 1) * sizeof(uint32_t));
  if (!out || !map) {
    free(out);
    free(map);
    return vb_fail(c, VB_ERR_NOMEM, "out of memory decoding %s", d->name);
  }
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    int w = s[i] < 0x80 ? 1 : (as_cp1252 ? 0 : utf8_valid_at(s, n, i));
    if (w > 0) {
      for (int k = 0; k < w; k++) {
        map[o] = (uint32_t)i;
        out[o++] = (char)s[i + (size_t)k];
      }
      i += (size_t)w;
      continue;
    }
    int32_t cp = 0xFFFD;
    if (as_cp1252) {
      cp = s[i];
      if (cp >= 0x80 && cp < 0xA0 && cp1252_high[cp - 0x80]) cp = cp1252_high[cp - 0x80];
    }
    char enc[4];
    int len = vb_utf8_encode(cp, enc);
    for (int k = 0; k < len; k++) {
      map[o] = (uint32_t)i;
      out[o++] = enc[k];
    }
    i++;
  }
  map[o] = (uint32_t)n;
  out[o] = '\0';
  d->text = out;
  d->len = o;
  d->to_orig = map;
  d->encoding = as_cp1252 ? VB_ENC_CP1252 : VB_ENC_REPAIRED;
  return 0;
}

int vb_text_load(vb_corpus *c, vb_doc *d) {
  const unsigned char *s = (const unsigned char *)d->orig;
  size_t n = d->orig_len;
  size_t bad = 0, multi = 0;
  for (size_t i = 0; i < n;) {
    if (i + 16 <= n) { /* sixteen ASCII bytes at a time */
      uint64_t a, b;
      memcpy(&a, s + i, 8);
      memcpy(&b, s + i + 8, 8);
      if (!((a | b) & 0x8080808080808080ULL)) {
        i += 16;
        continue;
      }
    }
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    int w = utf8_valid_at(s, n, i);
    if (w > 0) {
      multi++;
      i += (size_t)w;
    } else {
      bad++;
      i++;
    }
  }
  if (bad == 0) {
    d->text = d->orig;
    d->len = n;
    d->to_orig = NULL;
    d->encoding = VB_ENC_UTF8;
    return 0;
  }
  /* Newsroom archives are often Windows-1252: prefer it when the bytes look
   * like it, i.e. hardly any valid multi-byte UTF-8 among the bad bytes. */
  return reencode(c, d, multi == 0 || bad > 4 * multi);
}

/* ----------------------------------------------------------- classification */

enum { CL_SPACE, CL_NEWLINE, CL_LETTER, CL_DIGIT, CL_MARK, CL_PUNCT };

/* Classes of the ASCII characters: one table look-up on the hot path. */
#define SP CL_SPACE
#define NL CL_NEWLINE
#define LE CL_LETTER
#define DI CL_DIGIT
#define PU CL_PUNCT
static const uint8_t ascii_class[128] = {
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, NL, SP, SP, SP, SP, SP, /* 0x00 */
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, /* 0x10 */
    SP, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, /* 0x20 */
    DI, DI, DI, DI, DI, DI, DI, DI, DI, DI, PU, PU, PU, PU, PU, PU, /* 0x30 */
    PU, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, /* 0x40 */
    LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, PU, PU, PU, PU, PU, /* 0x50 */
    PU, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, /* 0x60 */
    LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, LE, PU, PU, PU, PU, SP  /* 0x70 */
};
#undef SP
#undef NL
#undef LE
#undef DI
#undef PU

static int classify(int32_t cp) {
  if (cp < 0x80) return cp < 0 ? CL_SPACE : ascii_class[cp];
  if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) return CL_NEWLINE;
  if (cp == 0xFEFF || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
      cp == 0xAD)
    return CL_SPACE;
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    return CL_LETTER;
  case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    return CL_DIGIT;
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    return CL_MARK;
  case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
  case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CO: case UTF8PROC_CATEGORY_CN:
    return CL_SPACE;
  case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    return CL_NEWLINE;
  default:
    return CL_PUNCT;
  }
}

static int is_upper(int32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  return utf8proc_isupper(cp);
}
static int is_lower(int32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return utf8proc_islower(cp);
}
static int is_apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC; }
static int is_hyphen(int32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }

typedef struct {
  const char *s;
  size_t n;
} cursor;

static inline int32_t cp_at(const cursor *t, size_t i, int *w) {
  if (i >= t->n) {
    *w = 0;
    return -1;
  }
  unsigned char ch = (unsigned char)t->s[i];
  if (ch < 0x80) {
    *w = 1;
    return ch;
  }
  return vb_utf8_decode(t->s, t->n, i, w);
}
static int class_at(const cursor *t, size_t i) {
  int w;
  int32_t cp = cp_at(t, i, &w);
  return cp < 0 ? CL_SPACE : classify(cp);
}

/* -------------------------------------------------------------- token hashes */

/* The hash of the matching form, computed without a copy for ASCII. */
static uint32_t hash_norm(const char *s, size_t n, vb_buf *scratch, int *err) {
  size_t i = 0;
  while (i < n && (unsigned char)s[i] < 0x80) i++;
  if (i == n) {
    uint32_t h = 2166136261u;
    for (i = 0; i < n; i++) {
      unsigned char ch = (unsigned char)s[i];
      if (ch >= 'A' && ch <= 'Z') ch = (unsigned char)(ch + 32);
      else if (ch == '`') ch = '\'';
      h ^= ch;
      h *= 16777619u;
    }
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    return h;
  }
  scratch->len = 0;
  if (vb_norm_append(scratch, s, n)) {
    *err = VB_ERR_NOMEM;
    return 0;
  }
  return vb_hash32(scratch->data, scratch->len);
}

/* ------------------------------------------------------------------ tokens */

/* Tables for the ASCII letters and digits of a word: the byte of its
 * matching form (0 for any other byte, so the text's final NUL stops a run),
 * and what it adds to a word's counts (letters in the low half, letters that
 * are not capitals in the high half). */
#define LO(c) ((c) | 0x20)
static const uint8_t word_fold[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['A'] = LO('A'), ['B'] = LO('B'), ['C'] = LO('C'), ['D'] = LO('D'), ['E'] = LO('E'),
    ['F'] = LO('F'), ['G'] = LO('G'), ['H'] = LO('H'), ['I'] = LO('I'), ['J'] = LO('J'),
    ['K'] = LO('K'), ['L'] = LO('L'), ['M'] = LO('M'), ['N'] = LO('N'), ['O'] = LO('O'),
    ['P'] = LO('P'), ['Q'] = LO('Q'), ['R'] = LO('R'), ['S'] = LO('S'), ['T'] = LO('T'),
    ['U'] = LO('U'), ['V'] = LO('V'), ['W'] = LO('W'), ['X'] = LO('X'), ['Y'] = LO('Y'),
    ['Z'] = LO('Z'),
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
    ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
    ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
    ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z'};
#undef LO
#define UP 1u
#define LW ((1ull << 32) | 1u)
static const uint64_t word_count[128] = {
    ['A'] = UP, ['B'] = UP, ['C'] = UP, ['D'] = UP, ['E'] = UP, ['F'] = UP, ['G'] = UP,
    ['H'] = UP, ['I'] = UP, ['J'] = UP, ['K'] = UP, ['L'] = UP, ['M'] = UP, ['N'] = UP,
    ['O'] = UP, ['P'] = UP, ['Q'] = UP, ['R'] = UP, ['S'] = UP, ['T'] = UP, ['U'] = UP,
    ['V'] = UP, ['W'] = UP, ['X'] = UP, ['Y'] = UP, ['Z'] = UP,
    ['a'] = LW, ['b'] = LW, ['c'] = LW, ['d'] = LW, ['e'] = LW, ['f'] = LW, ['g'] = LW,
    ['h'] = LW, ['i'] = LW, ['j'] = LW, ['k'] = LW, ['l'] = LW, ['m'] = LW, ['n'] = LW,
    ['o'] = LW, ['p'] = LW, ['q'] = LW, ['r'] = LW, ['s'] = LW, ['t'] = LW, ['u'] = LW,
    ['v'] = LW, ['w'] = LW, ['x'] = LW, ['y'] = LW, ['z'] = LW};
#undef UP
#undef LW
/* ASCII bytes that may join the parts of a word: apostrophe, hyphen and
 * number separators. Any other ASCII byte ends it at once. */
static const uint8_t word_joiner[128] = {['\''] = 1, ['-'] = 1, ['.'] = 1,
                                         [','] = 1,  [':'] = 1, ['/'] = 1};

/* Scan a word or number starting at i; returns its end and sets flags.
 * For an all-ASCII word it also computes the hash of its matching form (the
 * same value hash_norm gives) and sets *ascii; otherwise *ascii is 0.
 * The text ends in a NUL byte, which stops the ASCII runs. */
static size_t scan_word(const cursor *t, size_t i, uint16_t *flags, uint32_t *hash, int *ascii) {
  const unsigned char *u = (const unsigned char *)t->s;
  size_t start = i;
  uint32_t h = 2166136261u;
  int all_ascii = 1;
  uint64_t letters = 0, lowers = 0; /* lowers: letters that are not capitals */
  int first_letter_seen = 0, first_upper = 0;
  int starts_digit = u[i] < 0x80 ? (u[i] >= '0' && u[i] <= '9') : class_at(t, i) == CL_DIGIT;
  int numeric = starts_digit; /* only digits and number separators so far */
  int dotted = 0;             /* "U.S." style */
  size_t seg_start = i;      /* start of the letters since the last dot */
  for (;;) {
    /* ASCII letters and digits: the common case, without decoding */
    {
      size_t j = i;
      uint64_t counts = 0;
      unsigned char f;
      while ((f = word_fold[u[j]]) != 0) {
        counts += word_count[u[j]];
        h = (h ^ f) * 16777619u;
        j++;
      }
      if ((uint32_t)counts) {
        if (!first_letter_seen) {
          /* the first letter of the word is in this run: find it */
          size_t k = i;
          while (u[k] <= '9') k++;
          first_letter_seen = 1;
          first_upper = u[k] <= 'Z';
        }
        letters += (uint32_t)counts;
        lowers += counts >> 32;
        numeric = 0;
      }
      i = j;
    }
    if (i >= t->n) break;
    if (u[i] < 0x80 && !word_joiner[u[i]]) break; /* space or punctuation */
    int w;
    int32_t cp = cp_at(t, i, &w);
    int cl = classify(cp);
    uint32_t h_before = h, ascii_before = (uint32_t)all_ascii;
    if (cp >= 0x80) all_ascii = 0;
    else h = (h ^ (unsigned char)cp) * 16777619u; /* an ASCII joiner, if consumed below */
    if (cl == CL_LETTER || cl == CL_DIGIT || cl == CL_MARK) {
      if (cl == CL_LETTER) {
        letters++;
        numeric = 0;
        int up = is_upper(cp);
        if (!up) lowers++;
        if (!first_letter_seen) {
          first_letter_seen = 1;
          first_upper = up;
        }
      }
      i += (size_t)w;
      continue;
    }
    int w2;
    int32_t next = cp_at(t, i + (size_t)w, &w2);
    int next_cl = next < 0 ? CL_SPACE : classify(next);
    if (is_apostrophe(cp) && next_cl == CL_LETTER && i > start) {
      i += (size_t)w;
      continue;
    }
    if (is_hyphen(cp) && (next_cl == CL_LETTER || next_cl == CL_DIGIT)) {
      i += (size_t)w;
      numeric = 0;
      if (cp == '-') *flags |= VB_TOK_HYPHEN;
      continue;
    }
    if (numeric && next_cl == CL_DIGIT && (cp == '.' || cp == ':' || cp == '/')) {
      i += (size_t)w;
      continue;
    }
    if (numeric && cp == ',') {
      /* thousands separator: exactly three digits follow */
      size_t j = i + 1;
      int digits = 0;
      while (j < t->n && t->s[j] >= '0' && t->s[j] <= '9') j++, digits++;
      if (digits == 3 && class_at(t, j) != CL_LETTER) {
        i += 1;
        continue;
      }
    }
    if (cp == '.' && letters > 0 && !starts_digit && next_cl == CL_LETTER && i - seg_start <= 2) {
      /* an initialism: one or two letters between dots ("U.S.", "a.m.") */
      size_t j = i + 1;
      int count = 0, ww;
      while (count < 3 && class_at(t, j) == CL_LETTER) {
        cp_at(t, j, &ww);
        j += (size_t)ww;
        count++;
      }
      if (count <= 2 && j < t->n && t->s[j] == '.') {
        dotted = 1;
        i++;
        seg_start = i;
        continue;
      }
    }
    h = h_before; /* cp ends the word: not part of it */
    all_ascii = (int)ascii_before;
    break;
  }
  if (dotted && i < t->n && t->s[i] == '.') {
    h = (h ^ '.') * 16777619u;
    i++;
    *flags |= VB_TOK_ABBR;
  }
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  *hash = h;
  *ascii = all_ascii;
  if (starts_digit) *flags |= VB_TOK_NUM;
  if (letters) *flags |= VB_TOK_WORD;
  if (first_upper) *flags |= VB_TOK_UPPER;
  if (letters >= 2 && lowers == 0) *flags |= VB_TOK_ALLCAPS;
  return i;
}

/* Append a token; `hash` is used when `have_hash`, else computed here. */
static int push_token(vb_doc *d, size_t start, size_t end, uint16_t flags, uint16_t cp,
                      uint32_t hash, int have_hash, vb_buf *scratch) {
  int err = 0;
  vb_token tok;
  tok.start = (uint32_t)start;
  tok.end = (uint32_t)end;
  tok.flags = flags;
  tok.cp = cp;
  tok.hash = have_hash ? hash : hash_norm(d->text + start, end - start, scratch, &err);
  if (err) return err;
  return VB_PUSH(d->toks, d->ntoks, d->ctoks, tok);
}

/* Agency copy ends each paragraph with '<' at the end of its line: a '<'
 * right after a word or a mark and right before a line break. */
static int is_wire_para_end(const cursor *t, size_t i) {
  if (i == 0 || (unsigned char)t->s[i - 1] <= ' ') return 0;
  size_t j = i + 1;
  if (j < t->n && t->s[j] == '\r') j++;
  return j >= t->n || t->s[j] == '\n';
}

/* A line of four or more '-', '_' or '=' and nothing else: the end of the
 * line (before its break), or 0 when the line at i is not such a rule. */
static size_t rule_line_end(const cursor *t, size_t i) {
  char ch = t->s[i];
  size_t j = i, n = 0;
  while (j < t->n && (t->s[j] == ch || t->s[j] == ' ' || t->s[j] == '\t' || t->s[j] == '\r')) {
    if (t->s[j] == ch) n++;
    j++;
  }
  if (n < 4 || (j < t->n && t->s[j] != '\n')) return 0;
  return j;
}

int vb_text_tokenize(vb_corpus *c, vb_doc *d) {
  cursor t = {d->text, d->len};
  vb_buf scratch = {0};
  size_t i = 0;
  uint16_t pending = VB_TOK_NEWLINE | VB_TOK_BLANK; /* text start acts as a break */
  int newlines = 0;
  d->ntoks = 0;
  /* About one token in six bytes of news text: reserve once. */
  if (vb_grow(&d->toks, &d->ctoks, d->len / 6 + 16, sizeof(vb_token)))
    return vb_fail(c, VB_ERR_NOMEM, "out of memory tokenizing %s", d->name);
  while (i < t.n) {
    unsigned char ch = (unsigned char)t.s[i];
    if (ch == ' ') { /* the commonest byte of all */
      pending |= VB_TOK_SPACE;
      i++;
      continue;
    }
    int w;
    int32_t cp;
    int cl;
    if (word_fold[ch]) { /* a letter or a digit: no decoding */
      cp = ch;
      w = 1;
      cl = CL_LETTER;
    } else {
      cp = cp_at(&t, i, &w);
      cl = classify(cp);
    }
    if (ch == '<' && is_wire_para_end(&t, i)) cl = CL_SPACE, pending |= VB_TOK_BLANK;
    if ((pending & VB_TOK_NEWLINE) && (ch == '-' || ch == '_' || ch == '=')) {
      size_t rule_end = rule_line_end(&t, i);
      if (rule_end) { /* a rule of dashes ends a paragraph, like a blank line */
        pending |= VB_TOK_SPACE | VB_TOK_BLANK;
        i = rule_end;
        continue;
      }
    }
    if (cl == CL_SPACE || cl == CL_NEWLINE) {
      /* agency copy starts each paragraph with a control byte */
      if (ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n' && (pending & VB_TOK_NEWLINE))
        pending |= VB_TOK_BLANK;
      pending |= VB_TOK_SPACE;
      if (cl == CL_NEWLINE) {
        pending |= VB_TOK_NEWLINE;
        if (++newlines >= 2) pending |= VB_TOK_BLANK;
      }
      i += (size_t)w;
      continue;
    }
    if (d->ntoks > 0 && (pending & VB_TOK_SPACE)) d->toks[d->ntoks - 1].flags |= VB_TOK_SPACE_AFTER;
    newlines = 0;
    if (word_fold[ch]) {
      /* the commonest token: ASCII letters and digits up to a space or a
       * punctuation mark that cannot join words; anything else goes to
       * scan_word(), which begins with this same run */
      const unsigned char *u = (const unsigned char *)t.s;
      size_t j = i;
      uint64_t counts = 0;
      uint32_t h = 2166136261u;
      unsigned char f;
      while ((f = word_fold[u[j]]) != 0) {
        counts += word_count[u[j]];
        h = (h ^ f) * 16777619u;
        j++;
      }
      /* a joiner joins only before a letter or a digit; after letters, only
       * an apostrophe, a hyphen or the dot of an initialism can */
      unsigned char e = u[j];
      int done = j >= t.n || (e < 0x80 && (!word_joiner[e] ||
                                           (u[j + 1] < 0x80 && !word_fold[u[j + 1]]) ||
                                           ((uint32_t)counts && (e == ',' || e == ':' || e == '/' ||
                                                                 (e == '.' && j - i > 2)))));
      if (done) {
        if (j > (size_t)VB_NONE - 1) return vb_fail(c, VB_ERR_LIMIT, "document too large");
        uint16_t flags = pending;
        uint32_t letters = (uint32_t)counts;
        if (ch <= '9') flags |= VB_TOK_NUM;
        if (letters) {
          size_t k = i;
          while (u[k] <= '9') k++;
          flags |= VB_TOK_WORD;
          if (u[k] <= 'Z') flags |= VB_TOK_UPPER;
          if (letters >= 2 && (counts >> 32) == 0) flags |= VB_TOK_ALLCAPS;
        }
        h ^= h >> 16;
        h *= 0x85ebca6bu;
        h ^= h >> 13;
        pending = 0;
        if (push_token(d, i, j, flags, 0, h, 1, &scratch)) {
          vb_buf_free(&scratch);
          return vb_fail(c, VB_ERR_NOMEM, "out of memory tokenizing %s", d->name);
        }
        i = j;
        continue;
      }
    }
    size_t start = i, end;
    uint16_t flags = pending;
    uint16_t tcp = 0;
    uint32_t hash = 0;
    int have_hash = 0;
    pending = 0;
    if (cl == CL_LETTER || cl == CL_DIGIT || cl == CL_MARK) {
      end = scan_word(&t, i, &flags, &hash, &have_hash);
    } else if (is_apostrophe(cp) && (flags & VB_TOK_SPACE) && i + 3 <= t.n &&
               class_at(&t, i + (size_t)w) == CL_DIGIT &&
               class_at(&t, i + (size_t)w + 1) == CL_DIGIT &&
               class_at(&t, i + (size_t)w + 2) != CL_DIGIT) {
      /* '90s, '07 */
      int unused;
      end = scan_word(&t, i + (size_t)w, &flags, &hash, &unused); /* hashed below, with the mark */
    } else if (vb_is_quote_cp(cp)) {
      int w2;
      int32_t next = cp_at(&t, i + (size_t)w, &w2);
      end = i + (size_t)w;
      if (next == cp && (cp == '\'' || cp == 0x2019 || cp == '`' || cp == 0x2018)) end += (size_t)w2;
      flags |= VB_TOK_PUNCT | VB_TOK_QUOTE;
      tcp = (uint16_t)(cp <= 0xFFFF ? cp : 0);
    } else if (cp == '.' && i + 2 < t.n && t.s[i + 1] == '.' && t.s[i + 2] == '.') {
      end = i + 3;
      while (end < t.n && t.s[end] == '.') end++;
      flags |= VB_TOK_PUNCT;
      tcp = 0x2026;
    } else if (cp == '-' && i + 1 < t.n && t.s[i + 1] == '-') {
      end = i + 2;
      while (end < t.n && t.s[end] == '-') end++;
      flags |= VB_TOK_PUNCT;
      tcp = 0x2014;
    } else {
      end = i + (size_t)w;
      flags |= VB_TOK_PUNCT;
      tcp = (uint16_t)(cp <= 0xFFFF ? cp : 0);
      /* agency copy types a dash as a lone underscore: "Hamilton _ I" */
      if (cp == '_' && (flags & VB_TOK_SPACE) && (end >= t.n || t.s[end] == ' ' || t.s[end] == '\n'))
        tcp = 0x2014;
    }
    if (end > (size_t)VB_NONE - 1) return vb_fail(c, VB_ERR_LIMIT, "document too large");
    if (push_token(d, start, end, flags, tcp, hash, have_hash, &scratch)) {
      vb_buf_free(&scratch);
      return vb_fail(c, VB_ERR_NOMEM, "out of memory tokenizing %s", d->name);
    }
    i = end;
  }
  if (d->ntoks > 0) d->toks[d->ntoks - 1].flags |= VB_TOK_SPACE_AFTER;
  vb_buf_free(&scratch);
  return 0;
}

/* --------------------------------------------------------------- sentences */

/* Words after which a full stop does not end a sentence, in byte order
 * (looked up by binary search), each padded with NULs to 8 bytes. */
static const char abbreviations[][8] = {
    "adm", "al", "approx", "apr", "assn", "atty", "aug", "ave", "blvd", "brig", "bros", "capt",
    "cdr", "cf", "ch", "cmdr", "co", "col", "corp", "cpl", "dec", "dept", "det", "dr", "ed",
    "eds", "est", "feb", "fig", "fri", "ft", "gen", "gov", "hon", "inc", "insp", "jan", "jr",
    "jul", "jun", "lt", "ltd", "maj", "mar", "messrs", "mlle", "mme", "mon", "mr", "mrs", "ms",
    "mt", "no", "nos", "nov", "nr", "oct", "op", "pres", "prof", "pte", "pvt", "rd", "ref",
    "rep", "reps", "rev", "sat", "sen", "sens", "sep", "sept", "sgt", "sr", "st", "sun", "supt",
    "thu", "thur", "thurs", "tue", "tues", "univ", "v", "vol", "vs", "wed"};

/* Eight bytes as a number that orders like the bytes do. */
static uint64_t pack8(const char *s) {
  uint64_t v;
  memcpy(&v, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap64(v);
#elif !defined(__BYTE_ORDER__)
  v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | (unsigned char)s[i];
#endif
  return v;
}

static int is_abbreviation(const char *s, size_t n) {
  if (n == 1) return 1; /* an initial: "S. Jaishankar" */
  if (n > 7) return 0;
  char low[8] = {0};
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if ((unsigned char)ch >= 0x80) return 0;
    low[i] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
  }
  uint64_t key = pack8(low);
  size_t lo = 0, hi = sizeof abbreviations / sizeof *abbreviations;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uint64_t k = pack8(abbreviations[mid]);
    if (k == key) return 1;
    if (k < key) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

static int is_closer(const vb_token *k) {
  return (k->flags & VB_TOK_QUOTE) || k->cp == ')' || k->cp == ']';
}

/* Does token t start a new sentence, given the tokens before it? */
static int starts_sentence(const vb_doc *d, size_t t) {
  const vb_token *tok = &d->toks[t];
  if (!(tok->flags & VB_TOK_SPACE)) return 0;
  /* after a word nothing ends (closing marks are punctuation too) */
  if (t == 0 || !(d->toks[t - 1].flags & VB_TOK_PUNCT)) return 0;
  /* back over closing quotes and brackets to the punctuation */
  size_t p = t;
  while (p > 0 && is_closer(&d->toks[p - 1]) && !(d->toks[p - 1].flags & VB_TOK_SPACE)) p--;
  if (p == 0) return 0;
  const vb_token *end = &d->toks[p - 1];
  if (!(end->flags & VB_TOK_PUNCT)) return 0;
  uint16_t cp = end->cp;
  if (cp != '.' && cp != '!' && cp != '?' && cp != 0x2026) return 0;
  if (cp == '.' && p >= 2) {
    const vb_token *w = &d->toks[p - 2];
    if ((w->flags & VB_TOK_WORD) && !(end->flags & VB_TOK_SPACE) &&
        is_abbreviation(d->text + w->start, w->end - w->start))
      return 0;
  }
  /* the next sentence starts with a capital, a digit or an opening mark */
  int w;
  int32_t first = vb_utf8_decode(d->text, d->len, tok->start, &w);
  if (tok->flags & (VB_TOK_UPPER | VB_TOK_NUM)) return 1;
  if ((tok->flags & VB_TOK_QUOTE) || first == '(' || first == '[') return 1;
  return !is_lower(first) && (tok->flags & VB_TOK_WORD);
}

static int is_line_mode(const vb_doc *d) {
  size_t lines = 0, long_lines = 0, blank = 0, wire_marks = 0;
  const char *p = d->text, *end = d->text + d->len;
  while (p <= end) {
    const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    const char *line_end = nl ? nl : end;
    const char *q = p;
    while (q < line_end && (unsigned char)*q <= ' ') q++;
    if (q < line_end) {
      lines++;
      if (line_end - p > 120) long_lines++;
      /* paragraphs marked the agency way: a control byte first, '<' last */
      unsigned char first = (unsigned char)*p;
      const char *last = line_end;
      if (last > p && last[-1] == '\r') last--;
      if ((first < 0x20 && first != '\t' && first != '\r') || (last > q && last[-1] == '<'))
        wire_marks++;
    } else if (nl) {
      blank++;
    }
    if (!nl) break;
    p = nl + 1;
  }
  if (wire_marks >= 2) return 0;
  return blank == 0 || long_lines * 3 >= lines;
}

static int push_range(vb_range **arr, size_t *n, size_t *cap, const vb_doc *d, size_t a, size_t b) {
  vb_range r;
  r.tok_start = (uint32_t)a;
  r.tok_end = (uint32_t)b;
  r.start = d->toks[a].start;
  r.end = d->toks[b - 1].end;
  return VB_PUSH(*arr, *n, *cap, r);
}

int vb_text_segment(vb_corpus *c, vb_doc *d) {
  d->nsents = d->nparas = 0;
  if (d->ntoks == 0) return 0;
  int line_mode = is_line_mode(d);
  size_t para_start = 0, sent_start = 0;
  for (size_t t = 0; t < d->ntoks; t++) {
    vb_token *tok = &d->toks[t];
    uint16_t brk = line_mode ? VB_TOK_NEWLINE : VB_TOK_BLANK;
    int new_para = t == 0 || (tok->flags & brk);
    int new_sent = new_para || starts_sentence(d, t);
    if (new_sent && t > 0) {
      /* mark the punctuation that ended the previous sentence */
      size_t p = t;
      while (p > sent_start + 1 && is_closer(&d->toks[p - 1])) p--;
      if (d->toks[p - 1].flags & VB_TOK_PUNCT) d->toks[p - 1].flags |= VB_TOK_SENT_END;
      if (push_range(&d->sents, &d->nsents, &d->csents, d, sent_start, t)) goto oom;
      sent_start = t;
    }
    if (new_para && t > 0) {
      if (push_range(&d->paras, &d->nparas, &d->cparas, d, para_start, t)) goto oom;
      para_start = t;
    }
    if (new_para) tok->flags |= VB_TOK_PARA;
    if (new_sent) tok->flags |= VB_TOK_SENT;
  }
  if (push_range(&d->sents, &d->nsents, &d->csents, d, sent_start, d->ntoks)) goto oom;
  if (push_range(&d->paras, &d->nparas, &d->cparas, d, para_start, d->ntoks)) goto oom;
  /* abbreviations: mark words followed by a non-final full stop */
  for (size_t t = 0; t + 1 < d->ntoks; t++) {
    vb_token *w = &d->toks[t];
    if ((w->flags & VB_TOK_WORD) && d->toks[t + 1].cp == '.' &&
        !(d->toks[t + 1].flags & VB_TOK_SPACE) && !(d->toks[t + 1].flags & VB_TOK_SENT_END) &&
        is_abbreviation(d->text + w->start, w->end - w->start))
      w->flags |= VB_TOK_ABBR;
  }
  return 0;
oom:
  return vb_fail(c, VB_ERR_NOMEM, "out of memory segmenting %s", d->name);
}

/* ---------------------------------------------------------------- furniture */

static int tok_is(const vb_doc *d, size_t t, const char *w) {
  size_t n = strlen(w), len = d->toks[t].end - d->toks[t].start;
  if (len != n) return 0;
  for (size_t k = 0; k < n; k++) {
    char a = d->text[d->toks[t].start + k];
    if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
    if (a != w[k]) return 0;
  }
  return 1;
}

/* "By Jane Holt, PA News", "By Tom Reed and Ann Cole, Political Editor":
 * capitalised words after "By", no sentence, no verb in lower case. */
static int is_byline(const vb_doc *d, const vb_range *r) {
  size_t t = r->tok_start, words = 0;
  if (!tok_is(d, t, "by") || t + 1 >= r->tok_end || !(d->toks[t + 1].flags & VB_TOK_UPPER)) return 0;
  for (t = r->tok_start + 1; t < r->tok_end; t++) {
    uint16_t f = d->toks[t].flags;
    if ((f & VB_TOK_SENT_END) && t + 1 < r->tok_end) return 0; /* a full stop may end it */
    if (!(f & VB_TOK_WORD)) continue;
    if (++words > 12) return 0;
    if (!(f & VB_TOK_UPPER) && !tok_is(d, t, "and") && !tok_is(d, t, "of") &&
        !tok_is(d, t, "the") && !tok_is(d, t, "in") && !tok_is(d, t, "for"))
      return 0;
  }
  return 1;
}

/* "23:19 27/01/00: Page 1 (HHH) SHOWBIZ Posh": a time and a date first. */
static int is_slug(const vb_doc *d, const vb_range *r) {
  size_t t = r->tok_start, words = 0;
  int time = 0, date = 0;
  for (; t < r->tok_end; t++) {
    const vb_token *k = &d->toks[t];
    if ((k->flags & (VB_TOK_WORD | VB_TOK_NUM)) && ++words > 16) return 0;
    if (!(k->flags & VB_TOK_NUM) || words > 3) continue;
    if (memchr(d->text + k->start, '/', k->end - k->start)) date = 1;
    else if (t + 2 < r->tok_end && d->toks[t + 1].cp == ':' && (d->toks[t + 2].flags & VB_TOK_NUM)) time = 1;
    else if (memchr(d->text + k->start, ':', k->end - k->start)) time = 1;
  }
  return time && date && words <= 16;
}

/* "end", "mfl", "ENDS", "more" as the last paragraphs; "(correct)". */
static int is_desk_code(const vb_doc *d, const vb_range *r) {
  size_t words = 0;
  for (size_t t = r->tok_start; t < r->tok_end; t++) {
    const vb_token *k = &d->toks[t];
    if (!(k->flags & VB_TOK_WORD)) {
      if (k->flags & VB_TOK_NUM) return 0;
      continue;
    }
    size_t len = k->end - k->start;
    if (++words > 1 || len > 4 || (k->flags & VB_TOK_SENT_END)) return 0;
    if ((k->flags & VB_TOK_UPPER) && !(k->flags & VB_TOK_ALLCAPS)) return 0;
  }
  return words == 1;
}

static int is_editorial_note(const vb_doc *d, const vb_range *r) {
  if (d->toks[r->tok_start].cp != '(' || d->toks[r->tok_end - 1].cp != ')') return 0;
  size_t words = 0;
  for (size_t t = r->tok_start; t < r->tok_end; t++)
    if ((d->toks[t].flags & VB_TOK_WORD) && ++words > 10) return 0;
  return 1;
}

int vb_text_is_furniture(const vb_doc *d, size_t p) {
  if (p >= d->nparas) return 0;
  const vb_range *r = &d->paras[p];
  if (r->tok_end <= r->tok_start) return 1;
  if (is_byline(d, r) || is_editorial_note(d, r)) return 1;
  if (p < 4 && is_slug(d, r)) return 1;
  return p + 3 >= d->nparas && p > 0 && is_desk_code(d, r);
}

/* ----------------------------------------------------------------- lookups */

uint32_t vb_text_token_at(const vb_doc *d, uint32_t off) {
  size_t lo = 0, hi = d->ntoks;
  while (lo < hi) { /* first token whose end is past off */
    size_t mid = lo + (hi - lo) / 2;
    if (d->toks[mid].end <= off) lo = mid + 1;
    else hi = mid;
  }
  return (uint32_t)lo;
}

static uint32_t range_of(const vb_range *r, size_t n, uint32_t t) {
  size_t lo = 0, hi = n;
  while (lo < hi) { /* first range whose tok_end is past t */
    size_t mid = lo + (hi - lo) / 2;
    if (r[mid].tok_end <= t) lo = mid + 1;
    else hi = mid;
  }
  return (uint32_t)(lo < n ? lo : (n ? n - 1 : 0));
}

uint32_t vb_text_sentence_of(const vb_doc *d, uint32_t t) { return range_of(d->sents, d->nsents, t); }
uint32_t vb_text_paragraph_of(const vb_doc *d, uint32_t t) { return range_of(d->paras, d->nparas, t); }

int vb_text_norm_tokens(const vb_doc *d, uint32_t a, uint32_t b, vb_buf *out) {
  for (uint32_t t = a; t < b && t < d->ntoks; t++) {
    if (t > a && vb_buf_putc(out, ' ')) return VB_ERR_NOMEM;
    if (vb_norm_append(out, d->text + d->toks[t].start, d->toks[t].end - d->toks[t].start))
      return VB_ERR_NOMEM;
  }
  return 0;
}
