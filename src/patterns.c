/* patterns.c: PCRE2 (JIT) patterns for money, percentages, dates and numbers.
 *
 * The tagger calls vb_patterns_at() only where a token could start one of
 * these (a digit, a currency sign, a month name), with a subject cut to a
 * short window, so each call does bounded work. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "patterns.h"

#define MONTHS                                                                         \
  "(?:Jan(?:uary|\\.)?|Feb(?:ruary|\\.)?|Mar(?:ch|\\.)?|Apr(?:il|\\.)?|May|June?|July?|" \
  "Aug(?:ust|\\.)?|Sep(?:t(?:ember)?)?\\.?|Oct(?:ober|\\.)?|Nov(?:ember|\\.)?|Dec(?:ember|\\.)?)"
#define WEEKDAYS "(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
#define NUM "\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?"
#define SCALE "(?:\\s?(?:million|billion|trillion|bn|mn|crore|lakh|thousand)\\b|(?:m|k|b)\\b)"

/* In the order they are tried: the first that matches wins. */
static const struct {
  vb_entity_type type;
  const char *re;
} pattern_src[VB_PAT_COUNT] = {
    {VB_ENT_MONEY,
     "(?:(?:US|A|C|NZ|HK|S)?\\$|£|€|¥|₹|Rs\\.?\\s?|(?:USD|EUR|GBP|INR|JPY)\\s?)(?:" NUM ")" SCALE "?"
     "|(?:" NUM ")" SCALE "?\\s?(?:dollars?|euros?|pounds?(?: sterling)?|yen|rupees?|francs?|"
     "marks|cents|pence|yuan|rand|pesos?|crowns|kronor|kroner|roubles|rubles)\\b"},
    {VB_ENT_PERCENT, "(?:" NUM ")\\s?(?:%|percent\\b|per cent\\b|pct\\b|percentage points?\\b)"},
    {VB_ENT_DATE,
     "\\d{4}-\\d{2}-\\d{2}\\b"
     "|\\d{1,2}/\\d{1,2}/\\d{2,4}\\b"
     "|" MONTHS "\\s\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s\\d{4})?\\b"
     "|\\d{1,2}(?:st|nd|rd|th)?\\s" MONTHS "(?:,?\\s\\d{4})?\\b"
     "|" MONTHS "\\s\\d{4}\\b"
     "|(?:January|February|March|April|June|July|August|September|October|November|December)\\b"
     "|" WEEKDAYS "\\b"
     "|(?:1[89]|20)\\d\\d(?:s|'s)?\\b(?![.,]\\d)"},
    {VB_ENT_NUMBER, "(?:" NUM ")" SCALE "?"},
};

struct vb_patterns {
  pcre2_code *code[VB_PAT_COUNT];
  int jit[VB_PAT_COUNT]; /* compiled by the JIT: matched with pcre2_jit_match() */
  pcre2_match_data *md;
  pcre2_match_context *mctx;
  pcre2_jit_stack *jit_stack;
};

int vb_patterns_init(vb_corpus *c) {
  vb_patterns *p = calloc(1, sizeof *p);
  if (!p) return vb_fail(c, VB_ERR_NOMEM, "out of memory compiling patterns");
  c->pat = p;
  for (int i = 0; i < VB_PAT_COUNT; i++) {
    int err;
    PCRE2_SIZE where;
    p->code[i] = pcre2_compile((PCRE2_SPTR)pattern_src[i].re, PCRE2_ZERO_TERMINATED,
                               PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_ANCHORED, &err, &where, NULL);
    if (!p->code[i]) {
      PCRE2_UCHAR msg[160];
      pcre2_get_error_message(err, msg, sizeof msg);
      vb_patterns_free(c);
      return vb_fail(c, VB_ERR_REGEX, "pattern %d does not compile at %zu: %s", i, (size_t)where,
                     (const char *)msg);
    }
    /* without the JIT, pcre2_match() interprets */
    p->jit[i] = pcre2_jit_compile(p->code[i], PCRE2_JIT_COMPLETE) == 0;
  }
  p->md = pcre2_match_data_create(4, NULL);
  p->mctx = pcre2_match_context_create(NULL);
  /* a JIT stack of our own: without one every match sets up 32 KB of the
   * machine stack */
  p->jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
  if (p->mctx && p->jit_stack) pcre2_jit_stack_assign(p->mctx, NULL, p->jit_stack);
  if (!p->md || !p->mctx || !p->jit_stack) {
    vb_patterns_free(c);
    return vb_fail(c, VB_ERR_NOMEM, "out of memory compiling patterns");
  }
  return 0;
}

void vb_patterns_free(vb_corpus *c) {
  vb_patterns *p = c->pat;
  if (!p) return;
  for (int i = 0; i < VB_PAT_COUNT; i++) pcre2_code_free(p->code[i]);
  pcre2_match_data_free(p->md);
  pcre2_match_context_free(p->mctx);
  pcre2_jit_stack_free(p->jit_stack);
  free(p);
  c->pat = NULL;
}

/* ------------------------------------------------------------- prefilters */

/* Cheap tests of what each pattern needs at its start, so that most tokens
 * try one pattern or none. Each says "maybe" whenever the pattern could
 * match: they only save the calls that cannot succeed. */

static int is_word_char(unsigned c);
static unsigned at(const char *s, size_t n, size_t k) { return k < n ? (unsigned char)s[k] : 0; }
static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static int is_space(unsigned c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* End of the digits and separators a number starts with: any number,
 * percentage or amount that goes on goes on from there. */
static size_t number_end(const char *s, size_t n) {
  size_t k = 0;
  while (k < n && (is_digit((unsigned char)s[k]) || s[k] == ',' || s[k] == '.')) k++;
  return k;
}

static int word_at(const char *s, size_t n, size_t p, const char *w, size_t len) {
  return len <= n - p && memcmp(s + p, w, len) == 0;
}

static int currency_word_at(const char *s, size_t n, size_t p) {
  if (p >= n) return 0;
  switch (s[p]) {
  case 'c': return word_at(s, n, p, "cents", 5) || word_at(s, n, p, "crowns", 6);
  case 'd': return word_at(s, n, p, "dollar", 6);
  case 'e': return word_at(s, n, p, "euro", 4);
  case 'f': return word_at(s, n, p, "franc", 5);
  case 'k': return word_at(s, n, p, "kronor", 6) || word_at(s, n, p, "kroner", 6);
  case 'm': return word_at(s, n, p, "marks", 5);
  case 'p':
    return word_at(s, n, p, "pound", 5) || word_at(s, n, p, "pence", 5) ||
           word_at(s, n, p, "peso", 4);
  case 'r':
    return word_at(s, n, p, "rupee", 5) || word_at(s, n, p, "rand", 4) ||
           word_at(s, n, p, "roubles", 7) || word_at(s, n, p, "rubles", 6);
  case 'y': return word_at(s, n, p, "yen", 3) || word_at(s, n, p, "yuan", 4);
  default: return 0;
  }
}

static int maybe_money(const char *s, size_t n) {
  unsigned c0 = at(s, n, 0), c1 = at(s, n, 1), c2 = at(s, n, 2);
  if (c0 == '$') return 1;
  if (is_digit(c0)) {
    /* a number, maybe a scale word, then the name of a currency */
    size_t p = number_end(s, n);
    if (is_space(at(s, n, p))) p++;
    if (currency_word_at(s, n, p)) return 1;
    size_t q = p;
    while (at(s, n, q) >= 'a' && at(s, n, q) <= 'z') q++;
    if (q == p) return 0;
    if (is_space(at(s, n, q))) q++;
    return currency_word_at(s, n, q);
  }
  if (c0 == 0xC2) return c1 == 0xA3 || c1 == 0xA5;               /* £ ¥ */
  if (c0 == 0xE2) return c1 == 0x82 && (c2 == 0xAC || c2 == 0xB9); /* € ₹ */
  if (c1 == '$' || c2 == '$' || (c0 == 'R' && c1 == 's')) return 1; /* US$, HK$, Rs */
  static const char codes[] = "USDEURGBPINRJPY";
  for (size_t i = 0; i + 3 <= sizeof codes - 1; i += 3)
    if (n >= 3 && memcmp(s, codes + i, 3) == 0) return 1;
  return 0;
}

static int maybe_percent(const char *s, size_t n) {
  if (!is_digit(at(s, n, 0))) return 0;
  size_t p = number_end(s, n);
  if (is_space(at(s, n, p))) p++;
  return at(s, n, p) == '%' || word_at(s, n, p, "per", 3) || word_at(s, n, p, "pct", 3);
}

/* The first three letters of a month name at s[p..). */
static int month_at(const char *s, size_t n, size_t p) {
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (p >= n || n - p < 3) return 0;
  for (size_t i = 0; i < sizeof months - 1; i += 3)
    if (memcmp(s + p, months + i, 3) == 0) return 1;
  return 0;
}

static int maybe_date(const char *s, size_t n) {
  unsigned c0 = at(s, n, 0), c1 = at(s, n, 1);
  if (!is_digit(c0)) return 1; /* month and day names */
  size_t d = 0;
  while (d < 5 && is_digit(at(s, n, d))) d++;
  if (d == 4) /* 2024-05-01, or a year */
    return at(s, n, 4) == '-' || (c0 == '1' && (c1 == '8' || c1 == '9')) || (c0 == '2' && c1 == '0');
  if (d > 2) return 0;
  if (at(s, n, d) == '/') return 1; /* 5/1/2024 */
  /* 5 May, 5th May */
  if (is_space(at(s, n, d)) && month_at(s, n, d + 1)) return 1;
  unsigned a = at(s, n, d), b = at(s, n, d + 1);
  int suffix = (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
               (a == 't' && b == 'h');
  return suffix && is_space(at(s, n, d + 2)) && month_at(s, n, d + 3);
}

/* The year alternative of the date pattern at a four-digit number starting
 * 18, 19 or 20 with no "-" after it: "1990", "1990s", "1990's". Returns
 * its length, or 0. */
static size_t year_len(const char *s, size_t n) {
  static const size_t tails[] = {1, 2, 0}; /* "s", "'s", nothing: in PCRE2's order */
  for (size_t i = 0; i < 3; i++) {
    size_t e = 4 + tails[i];
    if (tails[i] == 1 && at(s, n, 4) != 's') continue;
    if (tails[i] == 2 && !(at(s, n, 4) == '\'' && at(s, n, 5) == 's')) continue;
    if (is_word_char(at(s, n, e))) continue; /* \b */
    if ((at(s, n, e) == '.' || at(s, n, e) == ',') && is_digit(at(s, n, e + 1))) continue;
    return e;
  }
  return 0;
}

/* A weekday's name at s[0] followed by a word boundary: its length, or 0. */
static size_t weekday_len(const char *s, size_t n) {
  static const struct {
    const char *w;
    size_t len;
  } days[] = {{"Monday", 6},   {"Tuesday", 7}, {"Wednesday", 9}, {"Thursday", 8},
              {"Friday", 6},   {"Saturday", 8}, {"Sunday", 6}};
  for (size_t i = 0; i < sizeof days / sizeof *days; i++)
    if (word_at(s, n, 0, days[i].w, days[i].len) && !is_word_char(at(s, n, days[i].len)))
      return days[i].len;
  return 0;
}

/* ----------------------------------------------------------- plain numbers */

static int is_word_char(unsigned c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* digits at s[p..) */
static size_t digits_at(const char *s, size_t n, size_t p) {
  size_t k = p;
  while (k < n && is_digit((unsigned char)s[k])) k++;
  return k - p;
}

/* NUM of the patterns, as PCRE2 matches it anchored at s[0] (s[0] is a
 * digit): "1,234,567.5" by thousands, else "1234.5". Returns its length. */
static size_t num_len(const char *s, size_t n) {
  size_t d = digits_at(s, n, 0), p;
  if (d <= 3 && at(s, n, d) == ',' && digits_at(s, n, d + 1) >= 3) {
    p = d;
    while (at(s, n, p) == ',' && digits_at(s, n, p + 1) >= 3) p += 4;
  } else {
    p = d;
  }
  if (at(s, n, p) == '.' && is_digit(at(s, n, p + 1))) p += 1 + digits_at(s, n, p + 1);
  return p;
}

/* SCALE? of the patterns at s[p..): its length, 0 when absent. */
static size_t scale_len(const char *s, size_t n, size_t p) {
  static const struct {
    const char *w;
    size_t len;
  } words[] = {{"million", 7}, {"billion", 7}, {"trillion", 8}, {"bn", 2},
               {"mn", 2},      {"crore", 5},   {"lakh", 4},     {"thousand", 8}};
  for (size_t ws = is_space(at(s, n, p)) ? 1 : 0;; ws--) {
    size_t q = p + ws;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
      if (q <= n && words[i].len <= n - q && memcmp(s + q, words[i].w, words[i].len) == 0 &&
          !is_word_char(at(s, n, q + words[i].len)))
        return ws + words[i].len;
    if (ws == 0) break;
  }
  unsigned c = at(s, n, p);
  if ((c == 'm' || c == 'k' || c == 'b') && !is_word_char(at(s, n, p + 1))) return 1;
  return 0;
}

static int maybe(int pattern, const char *s, size_t n) {
  switch (pattern) {
  case 0: return maybe_money(s, n);
  case 1: return maybe_percent(s, n);
  case 2: return maybe_date(s, n);
  default: return is_digit(at(s, n, 0));
  }
}

int vb_patterns_at(vb_corpus *c, const char *s, size_t n, size_t *len, vb_entity_type *type) {
  vb_patterns *p = c->pat;
  *len = 0;
  if (!p || n == 0) return 0;
  pcre2_set_match_limit(p->mctx, c->cfg.match_limit);
  for (int i = 0; i < VB_PAT_COUNT; i++) {
    if (!maybe(i, s, n)) continue;
    if (i == 2) {
      /* the dates that need no regex engine: years and weekdays */
      size_t m = 0;
      unsigned c0 = at(s, n, 0), c1 = at(s, n, 1);
      if (is_digit(c0) && digits_at(s, n, 0) == 4 && at(s, n, 4) != '-' &&
          ((c0 == '1' && (c1 == '8' || c1 == '9')) || (c0 == '2' && c1 == '0'))) {
        m = year_len(s, n);
        if (!m) continue; /* no other date starts with four digits */
      } else if (c0 >= 'M' && c0 <= 'W') {
        m = weekday_len(s, n);
      }
      if (m) {
        *len = m;
        *type = pattern_src[i].type;
        return 1;
      }
    }
    if (i == VB_PAT_COUNT - 1) {
      /* a plain number, the commonest case: no need for the regex engine */
      size_t m = num_len(s, n);
      *len = m + scale_len(s, n, m);
      *type = pattern_src[i].type;
      return 1;
    }
    int rc = p->jit[i] ? pcre2_jit_match(p->code[i], (PCRE2_SPTR)s, n, 0, 0, p->md, p->mctx)
                       : pcre2_match(p->code[i], (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, p->md,
                                     p->mctx);
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) continue;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT)
      return vb_fail(c, VB_ERR_REGEX, "a pattern hit its match limit (limit.match = %u)",
                     (unsigned)c->cfg.match_limit);
    if (rc < 0) continue;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
    if (ov[1] > ov[0]) {
      *len = ov[1];
      *type = pattern_src[i].type;
      return 1;
    }
  }
  return 0;
}
