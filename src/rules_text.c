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

static int is_number_token(const vb_token *t, const uint32_t *hashes) {
  if (t->flags & VB_TOK_NUM) return 1;
  if (!(t->flags & VB_TOK_WORD)) return 0;
  for (size_t i = 0; i < N_NUMBER_WORDS; i++)
    if (hashes[i] == t->hash) return 1;
  return 0;
}

/* Minimum similarity of two passages for their numbers to be compared, and
 * the words they must share. */
#define NUMBER_MIN_SCORE 0.3
#define NUMBER_MIN_SAME 4

/* Words too common to tie a number to its slot ("on Tuesday", "of 38"). */
static const char *const weak_words[] = {"that", "with", "from", "were", "have", "been", "said",
                                         "than", "about", "more", "some", "they", "this",
                                         "when", "which", "after", "over", "into", "their",
                                         "there", "also", "only", "just", "each", "other"};

static int anchor_word(const vb_doc *d, uint32_t t, const uint32_t *weak) {
  const vb_token *k = &d->toks[t];
  if (!(k->flags & VB_TOK_WORD) || (k->flags & VB_TOK_NUM) || k->end - k->start < 4) return 0;
  for (size_t i = 0; i < sizeof weak_words / sizeof *weak_words; i++)
    if (weak[i] == k->hash) return 0;
  return 1;
}

/* The word next to token t in direction dir (-1 / +1) within [lo, hi). */
static uint32_t neighbour(const vb_doc *d, uint32_t t, int dir, uint32_t lo, uint32_t hi) {
  for (long u = (long)t + dir; u >= (long)lo && u < (long)hi; u += dir)
    if (!(d->toks[u].flags & VB_TOK_PUNCT)) return (uint32_t)u;
  return UINT32_MAX;
}

int vb_rules_numbers(vb_checker *k, vb_doc *d) {
  if (k->c->cfg.rule_severity[VB_RULE_NUMBER_MISMATCH] == VB_SEV_OFF) return 0;
  uint32_t hashes[N_NUMBER_WORDS];
  for (size_t i = 0; i < N_NUMBER_WORDS; i++)
    hashes[i] = vb_hash32(number_words[i], strlen(number_words[i]));
  uint32_t weak[sizeof weak_words / sizeof *weak_words];
  for (size_t i = 0; i < sizeof weak_words / sizeof *weak_words; i++)
    weak[i] = vb_hash32(weak_words[i], strlen(weak_words[i]));
  int rc = 0;
  char where[300];
  for (size_t s = 0; s < d->nsents && rc == 0; s++) {
    const vb_range *sent = &d->sents[s];
    int any = 0;
    for (uint32_t t = sent->tok_start; t < sent->tok_end && !any; t++)
      any = is_number_token(&d->toks[t], hashes) && vb_quote_of_token(d, t) < 0;
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
       * same (not too common) word right before or right after it */
      for (uint32_t x = sent->tok_start; x < sent->tok_end && rc == 0; x++) {
        if (!is_number_token(&d->toks[x], hashes) || vb_quote_of_token(d, x) >= 0) continue;
        uint32_t lx = neighbour(d, x, -1, sent->tok_start, sent->tok_end);
        uint32_t rx = neighbour(d, x, 1, sent->tok_start, sent->tok_end);
        int la = lx != UINT32_MAX && anchor_word(d, lx, weak);
        int ra = rx != UINT32_MAX && anchor_word(d, rx, weak);
        if (!la && !ra) continue;
        uint32_t y = UINT32_MAX;
        int same_value = 0;
        for (uint32_t t = w->s0; t < w->s1; t++) {
          if (!is_number_token(&o->toks[t], hashes)) continue;
          if (o->toks[t].hash == d->toks[x].hash) {
            same_value = 1;
            break;
          }
          if ((o->toks[t].flags & VB_TOK_NUM) != (d->toks[x].flags & VB_TOK_NUM)) continue;
          uint32_t ly = neighbour(o, t, -1, w->s0, w->s1), ry = neighbour(o, t, 1, w->s0, w->s1);
          if ((la && ly != UINT32_MAX && o->toks[ly].hash == d->toks[lx].hash) ||
              (ra && ry != UINT32_MAX && o->toks[ry].hash == d->toks[rx].hash))
            if (y == UINT32_MAX) y = t;
        }
        if (same_value || y == UINT32_MAX) continue;
        /* show each number with its anchor word */
        uint32_t x0 = x, x1 = x + 1, y0 = y, y1 = y + 1;
        uint32_t ry = neighbour(o, y, 1, w->s0, w->s1);
        if (ra && ry != UINT32_MAX && o->toks[ry].hash == d->toks[rx].hash) {
          x1 = rx + 1;
          y1 = ry + 1;
        } else {
          x0 = lx;
          y0 = neighbour(o, y, -1, w->s0, w->s1);
        }
        vb_buf here = {0}, there = {0};
        if (vb_snippet(&here, d, d->toks[x0].start, d->toks[x1 - 1].end, 40) ||
            vb_snippet(&there, o, o->toks[y0].start, o->toks[y1 - 1].end, 40))
          rc = VB_ERR_NOMEM;
        vb_location rel = {o->id, o->toks[y].start, o->toks[y].end};
        if (rc == 0)
          rc = vb_check_emit(k, VB_RULE_NUMBER_MISMATCH, d, d->toks[x].start, d->toks[x].end, &rel,
                             1, "'%s' here, but '%s' in the matching passage of %s",
                             here.data ? here.data : "", there.data ? there.data : "",
                             vb_check_where(k, o, rel.start, where, sizeof where));
        vb_buf_free(&here);
        vb_buf_free(&there);
      }
      break; /* the best matching passage only */
    }
    vb_windows_free(ws, nw);
  }
  return rc;
}
