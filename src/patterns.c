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
  if (!p->md || !p->mctx) {
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
  free(p);
  c->pat = NULL;
}

/* ------------------------------------------------------------- prefilters */

/* Cheap tests of what each pattern needs at its start, so that most tokens
 * try one pattern or none. Each says "maybe" whenever the pattern could
 * match: they only save the calls that cannot succeed. */

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

static int currency_word_at(const char *s, size_t n, size_t p) {
  static const struct {
    const char *w;
    size_t len;
  } words[] = {{"dollar", 6}, {"euro", 4},   {"pound", 5},   {"yen", 3},     {"rupee", 5},
               {"franc", 5},  {"marks", 5},  {"cents", 5},   {"pence", 5},   {"yuan", 4},
               {"rand", 4},   {"peso", 4},   {"crowns", 6},  {"kronor", 6},  {"kroner", 6},
               {"roubles", 7}, {"rubles", 6}};
  if (p >= n || s[p] < 'c' || s[p] > 'y') return 0;
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (words[i].w[0] == s[p] && words[i].len <= n - p && memcmp(s + p, words[i].w, words[i].len) == 0)
      return 1;
  return 0;
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
  return at(s, n, p) == '%' || at(s, n, p) == 'p';
}

static int maybe_date(const char *s, size_t n) {
  unsigned c0 = at(s, n, 0), c1 = at(s, n, 1);
  if (!is_digit(c0)) return 1; /* month and day names */
  size_t d = 0;
  while (d < 5 && is_digit(at(s, n, d))) d++;
  if (d == 4) /* 2024-05-01, or a year */
    return at(s, n, 4) == '-' || (c0 == '1' && (c1 == '8' || c1 == '9')) || (c0 == '2' && c1 == '0');
  if (d > 2) return 0;
  unsigned c = at(s, n, d); /* 5/1/2024, 5th May, 5 May */
  return c == '/' || is_space(c) || c == 's' || c == 'n' || c == 'r' || c == 't';
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
