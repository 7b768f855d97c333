/* rules_text.c: unbalanced-quote and number-mismatch. */
#include "check.h"

/* ---------------------------------------------------------- unbalanced-quote */

int vb_rules_balance(vb_checker *k, vb_doc *d) {
  if (k->c->cfg.rule_severity[VB_RULE_UNBALANCED_QUOTE] == VB_SEV_OFF) return 0;
  int rc = 0;
  /* an opening mark never closed, unless the next paragraph continues it */
  for (size_t i = 0; i < d->nquotes && rc == 0; i++) {
    const vb_iquote *q = &d->quotes[i];
    if (!(q->flags & VB_QUOTE_UNCLOSED)) continue;
    int continued = 0;
    for (size_t j = i + 1; j < d->nquotes && !continued; j++)
      continued = d->quotes[j].prev_part == (int32_t)i;
    if (continued) continue;
    uint32_t mark_end = q->inner_start > q->start ? q->inner_start : q->start + 1;
    rc = vb_check_emit(k, VB_RULE_UNBALANCED_QUOTE, d, q->start, mark_end, NULL, 0,
                       "opening quotation mark is never closed");
  }
  if (rc) return rc;
  /* a closing mark that closes nothing, as the quotation scanner found it */
  for (size_t i = 0; i < d->nstrays && rc == 0; i++) {
    uint32_t t = d->strays[i];
    const vb_token *tok = &d->toks[t];
    int straight = tok->cp == '"' || tok->cp == 0xFF02;
    /* 5'10" and the like: a straight mark right after a digit is an inch sign */
    if (straight && t > 0 && !(tok->flags & VB_TOK_SPACE) && (d->toks[t - 1].flags & VB_TOK_NUM))
      continue;
    rc = vb_check_emit(k, VB_RULE_UNBALANCED_QUOTE, d, tok->start, tok->end, NULL, 0,
                       straight ? "quotation mark that closes nothing: no quotation is open"
                                : "closing quotation mark with no opening mark");
  }
  return rc;
}

/* ----------------------------------------------------------- number-mismatch */

static const char *const number_words[] = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "trillion", "dozen", "dozens", "hundreds",
    "thousands", "millions", "billions", "half", "first", "second", "third", "fourth",
    "fifth", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "yesterday", "today", "tomorrow"};

#define N_NUMBER_WORDS (sizeof number_words / sizeof *number_words)
#define COUNT_OF(a) (sizeof a / sizeof *a)

/* Words too common to tie a number to its slot ("on Tuesday", "of 38"). */
static const char *const weak_words[] = {"that", "with", "from", "were", "have", "been", "said",
                                         "than", "about", "more", "some", "they", "this",
                                         "when", "which", "after", "over", "into", "their",
                                         "there", "also", "only", "just", "each", "other"};
static const char *const month_names[] = {"january", "february", "march", "april", "may",
                                          "june", "july", "august", "september", "october",
                                          "november", "december"};
/* Nouns of spans of time and of scale, which count no thing ("five years"). */
static const char *const span_words[] = {"years", "months", "weeks", "days", "hours", "minutes",
                                         "year", "month", "week", "day", "hour", "times", "per",
                                         "percent", "cent", "million", "billion", "thousand"};
/* Words that make a figure approximate ("nearly", "up to", "more than"). */
static const char *const approx_words[] = {"nearly", "about", "almost", "around", "over", "some",
                                           "than", "to", "roughly", "approximately", "under"};

/* The hashes of the word lists above, computed once a check. */
typedef struct {
  uint32_t numbers[N_NUMBER_WORDS];
  uint32_t weak[COUNT_OF(weak_words)];
  uint32_t months[COUNT_OF(month_names)];
  uint32_t spans[COUNT_OF(span_words)];
  uint32_t approx[COUNT_OF(approx_words)];
} vocabulary;

static void hash_words(uint32_t *out, const char *const *words, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = vb_hash32(words[i], strlen(words[i]));
}

static void vocabulary_init(vocabulary *v) {
  hash_words(v->numbers, number_words, N_NUMBER_WORDS);
  hash_words(v->weak, weak_words, COUNT_OF(weak_words));
  hash_words(v->months, month_names, COUNT_OF(month_names));
  hash_words(v->spans, span_words, COUNT_OF(span_words));
  hash_words(v->approx, approx_words, COUNT_OF(approx_words));
}

/* Index of h in set[0..n), or -1. */
static long find_hash(const uint32_t *set, size_t n, uint32_t h) {
  for (size_t i = 0; i < n; i++)
    if (set[i] == h) return (long)i;
  return -1;
}

static int is_number_token(const vb_token *t, const vocabulary *v) {
  if (t->flags & VB_TOK_NUM) return 1;
  return (t->flags & VB_TOK_WORD) && find_hash(v->numbers, N_NUMBER_WORDS, t->hash) >= 0;
}

/* Minimum similarity of two passages for their numbers to be compared, and
 * the words they must share. */
#define NUMBER_MIN_SCORE 0.3
#define NUMBER_MIN_SAME 4
/* Numbers not tied to a person's name are compared only in passages this
 * close (the same words on both sides of the number), or closer still (the
 * same word on one side): a source often gives several people's figures
 * in sentences built alike ("was jailed for five years"). */
#define NUMBER_CLOSE_SCORE 0.6
#define NUMBER_SAME_SCORE 0.75
/* How far from a number its sentence is searched for related figures, and
 * how many findings one document may have (bounds hostile input). */
#define NUMBER_NEAR 48
#define NUMBER_MAX_FINDINGS 256

static int anchor_word(const vb_doc *d, uint32_t t, const vocabulary *v) {
  const vb_token *k = &d->toks[t];
  if (!(k->flags & VB_TOK_WORD) || (k->flags & VB_TOK_NUM) || k->end - k->start < 4) return 0;
  return find_hash(v->weak, COUNT_OF(weak_words), k->hash) < 0;
}

/* The word next to token t in direction dir (-1 / +1) within [lo, hi). */
static uint32_t neighbour(const vb_doc *d, uint32_t t, int dir, uint32_t lo, uint32_t hi) {
  for (long u = (long)t + dir; u >= (long)lo && u < (long)hi; u += dir)
    if (!(d->toks[u].flags & VB_TOK_PUNCT)) return (uint32_t)u;
  return UINT32_MAX;
}

/* Is the word before (dir -1) or after (+1) number x of d the same as
 * beside number t of o, up to the first word distinctive enough to tie a
 * number to its slot (at most two words out: "the 29 New Yorkers")? */
static int same_slot(const vb_doc *d, uint32_t x, uint32_t dlo, uint32_t dhi, const vb_doc *o,
                     uint32_t t, uint32_t olo, uint32_t ohi, int dir, const vocabulary *v) {
  uint32_t a = x, b = t;
  for (int step = 0; step < 2; step++) {
    a = neighbour(d, a, dir, dlo, dhi);
    b = neighbour(o, b, dir, olo, ohi);
    if (a == UINT32_MAX || b == UINT32_MAX || d->toks[a].hash != o->toks[b].hash) return 0;
    if (anchor_word(d, a, v)) return 1;
    const vb_token *k = &d->toks[a];
    if ((k->flags & VB_TOK_UPPER) && k->end - k->start == 3) return 1; /* "New", "Sir" */
  }
  return 0;
}

/* A numeral with a unit glued to it ("30-year-old", "5ft"): the text
 * after its digits, when that is a word of three or more letters. */
static size_t unit_suffix(const vb_doc *d, uint32_t t, const char **at) {
  const vb_token *k = &d->toks[t];
  size_t i = k->start;
  while (i < k->end && ((d->text[i] >= '0' && d->text[i] <= '9') || d->text[i] == '.')) i++;
  size_t letters = 0;
  for (size_t j = i; j < k->end; j++)
    if ((d->text[j] | 0x20) >= 'a' && (d->text[j] | 0x20) <= 'z') letters++;
  *at = d->text + i;
  return i > k->start && letters >= 3 ? k->end - i : 0;
}

/* The noun a count counts, right after it ("38 workers"), when it is a
 * thing rather than a span of time: terms and ages ("five years") are
 * given for several people in sentences built alike. */
static int counted_noun(const vb_doc *d, uint32_t t, const vocabulary *v) {
  if (t == UINT32_MAX) return 0;
  const vb_token *k = &d->toks[t];
  if ((k->flags & (VB_TOK_WORD | VB_TOK_UPPER | VB_TOK_NUM)) != VB_TOK_WORD || k->end - k->start < 4)
    return 0;
  return find_hash(v->spans, COUNT_OF(span_words), k->hash) < 0;
}

/* The currency of an amount: the symbol right before the numeral ('#' is
 * the pound in 7-bit agency copy), or 0. */
static int currency_of(const vb_doc *d, uint32_t t) {
  if (t == 0 || (d->toks[t].flags & VB_TOK_SPACE)) return 0;
  switch (d->toks[t - 1].cp) {
  case 0xA3: case '#': return 0xA3;
  case '$': case 0x20AC: case 0xA5: return d->toks[t - 1].cp;
  default: return 0;
  }
}

/* "nearly", "about", "up to", "more than": an approximate figure agrees
 * with a near one. */
static int approximate(const vb_doc *d, uint32_t t, const vocabulary *v) {
  uint32_t p = t;
  while (p > 0 && (d->toks[p - 1].flags & VB_TOK_PUNCT)) p--;
  return p > 0 && find_hash(v->approx, COUNT_OF(approx_words), d->toks[p - 1].hash) >= 0;
}

/* Relative days: a next-day paper says "yesterday" for the wire's "today"
 * and may name the weekday instead. Offsets from the day of writing. */
enum { DAY_NONE = 0, DAY_RELATIVE = 1, DAY_WEEKDAY = 2 };

static int day_word(const vb_doc *d, uint32_t t, int *offset) {
  static const char *const rel[] = {"yesterday", "today", "tonight", "tomorrow"};
  static const int off[] = {-1, 0, 0, 1};
  static const char *const wk[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                   "saturday", "sunday"};
  const vb_token *k = &d->toks[t];
  size_t n = k->end - k->start;
  if (!(k->flags & VB_TOK_WORD) || n < 5 || n > 9) return DAY_NONE;
  char w[10];
  for (size_t i = 0; i < n; i++) {
    char ch = d->text[k->start + i];
    w[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  }
  w[n] = '\0';
  for (size_t i = 0; i < 4; i++)
    if (!strcmp(w, rel[i])) return *offset = off[i], DAY_RELATIVE;
  for (size_t i = 0; i < 7; i++)
    if (!strcmp(w, wk[i])) return DAY_WEEKDAY;
  return DAY_NONE;
}

/* What a numeral states, so that only like is compared with like: a year,
 * a day of the month (after a month name), or a count or amount. */
enum { NUM_COUNT = 0, NUM_YEAR, NUM_DAY_OF_MONTH };

static int numeral_kind(const vb_doc *d, uint32_t t, uint32_t lo, const vocabulary *v) {
  const vb_token *k = &d->toks[t];
  if (!(k->flags & VB_TOK_NUM)) return NUM_COUNT;
  unsigned long value = 0;
  size_t i = k->start, digits = 0;
  while (i < k->end && d->text[i] >= '0' && d->text[i] <= '9' && digits < 9)
    value = value * 10 + (unsigned long)(d->text[i++] - '0'), digits++;
  int plain = i == k->end;
  if (digits == 4 && plain && value >= 1800 && value <= 2100) return NUM_YEAR;
  if (value >= 1 && digits <= 2 && t > lo &&
      find_hash(v->months, COUNT_OF(month_names), d->toks[t - 1].hash) >= 0)
    return NUM_DAY_OF_MONTH;
  return NUM_COUNT;
}

/* The value a numeral states, as a hash comparable across documents: its
 * digits and separators without what only changes the style: an ordinal
 * or a possessive ending ("4th", "4's"), am/pm, a glued "million" or "m",
 * the century of a decade ("1990s" is "90s"). Other tokens: their hash. */
static uint32_t value_hash(const vb_doc *d, uint32_t t) {
  const vb_token *k = &d->toks[t];
  if (!(k->flags & VB_TOK_NUM)) return k->hash;
  if (k->end - k->start == 2 && !memcmp(d->text + k->start, "\xC2\xBD", 2)) return vb_hash32("half", 4);
  const char *s = d->text + k->start;
  size_t n = k->end - k->start, i = 0;
  /* a leading apostrophe or quotation mark: '90s, ‘13th’ */
  while (n && (*s == '\'' || *s == '`')) s++, n--;
  while (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
         ((unsigned char)s[2] == 0x98 || (unsigned char)s[2] == 0x99))
    s += 3, n -= 3;
  while (i < n && ((s[i] >= '0' && s[i] <= '9') || ((s[i] == '.' || s[i] == ',') && i + 1 < n &&
                                                    s[i + 1] >= '0' && s[i + 1] <= '9')))
    i++;
  size_t digits = i;
  char rest[16];
  size_t r = 0;
  for (size_t j = i; j < n && r + 1 < sizeof rest; j++) {
    char ch = s[j];
    if (ch == '\'' || (unsigned char)ch >= 0x80) continue; /* 's, ’s */
    rest[r++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  }
  rest[r] = '\0';
  static const char *const style[] = {"",   "st", "nd", "rd", "th", "s",       "am",
                                      "pm", "m",  "bn", "k",  "million", "billion"};
  int styled = 0;
  for (size_t j = 0; j < sizeof style / sizeof *style && !styled; j++) styled = !strcmp(rest, style[j]);
  if (!styled || digits == 0) return n == (size_t)(k->end - k->start) ? k->hash : vb_hash32(s, n);
  size_t from = 0;
  if (!strcmp(rest, "s") && digits == 4) from = 2; /* 1990s -> 90 */
  return vb_hash32(s + from, digits - from);
}

/* Does o state the value of number x of d anywhere, beside a word that is
 * beside x too ("jailed for seven years" in another paragraph)? The
 * passage the draft was matched with was then the wrong one: a source
 * often gives several people's sentences, ages or counts side by side. */
static int states_elsewhere(const vb_doc *d, uint32_t x, uint32_t lx, uint32_t rx, const vb_doc *o) {
  uint32_t xval = value_hash(d, x);
  for (uint32_t t = 0; t < o->ntoks; t++) {
    if (!(o->toks[t].flags & (VB_TOK_NUM | VB_TOK_WORD)) || value_hash(o, t) != xval) continue;
    uint32_t ly = neighbour(o, t, -1, 0, (uint32_t)o->ntoks), ry = neighbour(o, t, 1, 0, (uint32_t)o->ntoks);
    if ((lx != UINT32_MAX && ly != UINT32_MAX && o->toks[ly].hash == d->toks[lx].hash) ||
        (rx != UINT32_MAX && ry != UINT32_MAX && o->toks[ry].hash == d->toks[rx].hash))
      return 1;
  }
  return 0;
}

/* The person a number in sentence s is most likely about: the last person
 * named before token t in its sentence or the one before it (the canonical
 * name's last word, as a hash), or 0. */
static uint32_t person_before(const vb_doc *d, uint32_t t) {
  uint32_t sent = vb_text_sentence_of(d, t);
  uint32_t from = d->sents[sent > 0 ? sent - 1 : 0].start, until = d->toks[t].start;
  const vb_ient *best = NULL;
  for (size_t i = 0; i < d->nents; i++) {
    const vb_ient *e = &d->ents[i];
    if (e->type != VB_ENT_PERSON || e->start < from || e->end > until) continue;
    if (!best || e->end > best->end) best = e;
  }
  if (!best) return 0;
  const char *name = vb_pool_str(d, best->canonical);
  size_t n = name ? strlen(name) : best->end - best->start;
  if (!name) name = d->text + best->start;
  size_t a = n;
  while (a > 0 && name[a - 1] != ' ') a--;
  vb_buf b = {0};
  uint32_t h = 0;
  if (vb_norm_append(&b, name + a, n - a) == 0) h = vb_hash32(b.data, b.len);
  vb_buf_free(&b);
  return h;
}

/* The whole number a token states ("19", "eight"), or -1. */
static long int_value(const vb_doc *d, uint32_t t, const vocabulary *v) {
  const vb_token *k = &d->toks[t];
  if (k->flags & VB_TOK_NUM) {
    long value = 0;
    for (uint32_t i = k->start; i < k->end; i++) {
      char ch = d->text[i];
      if (ch == ',') continue;
      if (ch < '0' || ch > '9' || value > 100000000) return -1;
      value = value * 10 + (ch - '0');
    }
    return value;
  }
  /* number_words begins "one" .. "twenty" */
  long i = find_hash(v->numbers, 20, k->hash);
  return i < 0 ? -1 : i + 1;
}

/* Is the draft's figure the sum of the source's figure and another in the
 * same passage ("19 counts" for "15 counts ... and four of")? */
static int is_sum(const vb_doc *d, uint32_t x, const vb_doc *o, uint32_t y, uint32_t lo, uint32_t hi,
                  const vocabulary *v) {
  long vx = int_value(d, x, v), vy = int_value(o, y, v);
  if (vx <= 0 || vy <= 0 || vx <= vy) return 0;
  const vb_range *sent = &o->sents[vb_text_sentence_of(o, y)]; /* and its sentence, near it */
  uint32_t near_lo = y > NUMBER_NEAR ? y - NUMBER_NEAR : 0, near_hi = y + NUMBER_NEAR;
  if (sent->tok_start < lo) lo = sent->tok_start > near_lo ? sent->tok_start : near_lo;
  if (sent->tok_end > hi) hi = sent->tok_end < near_hi ? sent->tok_end : near_hi;
  for (uint32_t t = lo; t < hi; t++)
    if (t != y && is_number_token(&o->toks[t], v) && int_value(o, t, v) == vx - vy) return 1;
  return 0;
}

/* Does the draft's sentence state the source's figure too, beside this
 * one ("I weigh 15 stone now but used to be 22 stone")? */
static int states_both(const vb_doc *d, uint32_t lo, uint32_t hi, uint32_t x, const vb_doc *o,
                       uint32_t y) {
  uint32_t vy = value_hash(o, y);
  if (x > lo + NUMBER_NEAR) lo = x - NUMBER_NEAR; /* a huge sentence: only near x */
  if (hi > x + NUMBER_NEAR) hi = x + NUMBER_NEAR;
  for (uint32_t t = lo; t < hi; t++)
    if (t != x && (d->toks[t].flags & (VB_TOK_NUM | VB_TOK_WORD)) && value_hash(d, t) == vy) return 1;
  return 0;
}

typedef struct {
  uint32_t x, x0, x1;     /* the draft's number and its shown span */
  int doc;                /* the source */
  uint32_t y, y0, y1;
  int day_shift;          /* relative days: draft minus source offset; else INT_MIN */
} number_finding;

#define NO_SHIFT (-1000)

static int emit_number(vb_checker *k, vb_doc *d, const number_finding *f) {
  char where[300];
  const vb_doc *o = vb_get_doc(k->c, f->doc);
  vb_buf here = {0}, there = {0};
  int rc = 0;
  if (vb_snippet(&here, d, d->toks[f->x0].start, d->toks[f->x1 - 1].end, 40) ||
      vb_snippet(&there, o, o->toks[f->y0].start, o->toks[f->y1 - 1].end, 40))
    rc = VB_ERR_NOMEM;
  vb_location rel = {o->id, o->toks[f->y].start, o->toks[f->y].end};
  if (rc == 0)
    rc = vb_check_emit(k, VB_RULE_NUMBER_MISMATCH, d, d->toks[f->x].start, d->toks[f->x].end, &rel,
                       1, "'%s' here, but '%s' in the matching passage of %s",
                       here.data ? here.data : "", there.data ? there.data : "",
                       vb_check_where(k, o, rel.start, where, sizeof where));
  vb_buf_free(&here);
  vb_buf_free(&there);
  return rc;
}

int vb_rules_numbers(vb_checker *k, vb_doc *d) {
  if (k->c->cfg.rule_severity[VB_RULE_NUMBER_MISMATCH] == VB_SEV_OFF) return 0;
  vocabulary v;
  vocabulary_init(&v);
  number_finding *found = NULL;
  size_t nfound = 0, cfound = 0;
  /* relative days that agree with the source, against those shifted: a
   * document that shifts them all the same way follows its own convention */
  size_t days_same = 0;
  int rc = 0;
  for (size_t s = 0; s < d->nsents && rc == 0 && nfound < NUMBER_MAX_FINDINGS; s++) {
    const vb_range *sent = &d->sents[s];
    int any = 0;
    for (uint32_t t = sent->tok_start; t < sent->tok_end && !any; t++)
      any = is_number_token(&d->toks[t], &v);
    if (!any || vb_count_words(d, sent->tok_start, sent->tok_end) < 4) continue;
    vb_window *ws;
    size_t nw;
    if ((rc = vb_find_windows(k->c, d, sent->tok_start, sent->tok_end, 16, 2, 0, &k->budget, &ws, &nw))) break;
    for (size_t i = 0; i < nw && rc == 0; i++) {
      const vb_window *w = &ws[i];
      const vb_doc *o = vb_get_doc(k->c, w->doc);
      if (!vb_check_judges(k, d, o) || w->score < NUMBER_MIN_SCORE || w->same < NUMBER_MIN_SAME)
        continue;
      /* each number here against the source's number in the same slot: the
       * same (not too common) word right before or right after it, and the
       * same kind of thing stated */
      for (uint32_t x = sent->tok_start; x < sent->tok_end && rc == 0; x++) {
        if (!is_number_token(&d->toks[x], &v)) continue;
        uint32_t lx = neighbour(d, x, -1, sent->tok_start, sent->tok_end);
        uint32_t rx = neighbour(d, x, 1, sent->tok_start, sent->tok_end);
        const char *xunit;
        size_t xunit_len = unit_suffix(d, x, &xunit);
        int xoff = 0, xday = day_word(d, x, &xoff);
        int xkind = numeral_kind(d, x, sent->tok_start, &v);
        uint32_t xval = value_hash(d, x);
        uint32_t y = UINT32_MAX;
        int same_value = 0, best_slot = 0;
        for (uint32_t t = w->s0; t < w->s1; t++) {
          if (!is_number_token(&o->toks[t], &v)) continue;
          if (value_hash(o, t) == xval) {
            same_value = 1;
            break;
          }
          if ((o->toks[t].flags & VB_TOK_NUM) != (d->toks[x].flags & VB_TOK_NUM)) continue;
          if (numeral_kind(o, t, w->s0, &v) != xkind) continue;
          int toff = 0, tday = day_word(o, t, &toff);
          /* a weekday for a relative day, or the other way round: a convention */
          if (xday != tday) continue; /* a day against a count, or a weekday for "today" */
          const char *tunit;
          size_t tunit_len = unit_suffix(o, t, &tunit);
          /* the same slot: an age after the same name ("Copeland, 23"),
           * or the same words on both sides ("jailed for 7 years") */
          int unit = xunit_len && xunit_len == tunit_len && !memcmp(xunit, tunit, xunit_len);
          int left = same_slot(d, x, sent->tok_start, sent->tok_end, o, t, w->s0, w->s1, -1, &v);
          int right = same_slot(d, x, sent->tok_start, sent->tok_end, o, t, w->s0, w->s1, 1, &v);
          int aged = lx != UINT32_MAX && lx + 2 == x && d->toks[lx + 1].cp == ',' &&
                     (d->toks[lx].flags & VB_TOK_UPPER) && t >= 2 && o->toks[t - 1].cp == ',' &&
                     o->toks[t - 2].hash == d->toks[lx].hash;
          int both = (left && (right || unit)) || (right && unit);
          int money = currency_of(d, x) && currency_of(d, x) == currency_of(o, t);
          if (money && (approximate(d, x, &v) || approximate(o, t, &v))) continue;
          /* the firmest tie wins: an age after the same name, then the same
           * words on both sides, then on one */
          int counted = right && counted_noun(d, rx, &v);
          int slot = aged ? 3
                     : both && (xday || money || w->score >= NUMBER_CLOSE_SCORE) ? 2
                     : (left || right) && (xday || money || counted || w->score >= NUMBER_SAME_SCORE) ? 1
                     : 0;
          if (slot > best_slot) y = t, best_slot = slot;
        }
        if (same_value && xday == DAY_RELATIVE) days_same++;
        if (same_value || y == UINT32_MAX) continue;
        if (!xday && states_elsewhere(d, x, lx, rx, o)) continue;
        if (!xday && (states_both(d, sent->tok_start, sent->tok_end, x, o, y) ||
                      is_sum(d, x, o, y, w->s0, w->s1, &v)))
          continue;
        /* about someone else: the source gives another person's figure */
        uint32_t px = person_before(d, x), py = person_before(o, y);
        if (px && py && px != py && !currency_of(d, x)) continue;
        number_finding f;
        f.x = x, f.x0 = x, f.x1 = x + 1, f.doc = o->id, f.y = y, f.y0 = y, f.y1 = y + 1;
        int yoff = 0;
        f.day_shift = xday == DAY_RELATIVE && day_word(o, y, &yoff) == DAY_RELATIVE ? xoff - yoff : NO_SHIFT;
        /* show each number with the words beside it */
        uint32_t ly = neighbour(o, y, -1, w->s0, w->s1), ry = neighbour(o, y, 1, w->s0, w->s1);
        if (lx != UINT32_MAX && ly != UINT32_MAX) f.x0 = lx, f.y0 = ly;
        if (rx != UINT32_MAX && ry != UINT32_MAX) f.x1 = rx + 1, f.y1 = ry + 1;
        if (VB_PUSH(found, nfound, cfound, f)) rc = VB_ERR_NOMEM;
      }
      break; /* the best matching passage only */
    }
    vb_windows_free(ws, nw);
  }
  for (size_t i = 0; i < nfound && rc == 0; i++) {
    const number_finding *f = &found[i];
    if (f->day_shift != NO_SHIFT) {
      /* the same shift as most of the document's relative days: its convention */
      size_t same_shift = 0;
      for (size_t j = 0; j < nfound; j++)
        if (found[j].day_shift == f->day_shift) same_shift++;
      if (same_shift >= days_same) continue;
    }
    rc = emit_number(k, d, f);
  }
  free(found);
  return rc;
}
