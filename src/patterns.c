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
    pcre2_jit_compile(p->code[i], PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
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

int vb_patterns_at(vb_corpus *c, const char *s, size_t n, size_t *len, vb_entity_type *type) {
  vb_patterns *p = c->pat;
  *len = 0;
  if (!p || n == 0) return 0;
  pcre2_set_match_limit(p->mctx, c->cfg.match_limit);
  for (int i = 0; i < VB_PAT_COUNT; i++) {
    int rc = pcre2_match(p->code[i], (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, p->md, p->mctx);
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
