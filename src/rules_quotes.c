/* rules_quotes.c: quotation counterparts into the report, and the rules that
 * judge them: quote-altered, quote-from-paraphrase, quote-unsourced,
 * speaker-mismatch. */
#include "check.h"

/* Minimum words for a quotation with no counterpart to be called unsourced:
 * shorter ones are mostly scare quotes and single terms. */
#define UNSOURCED_MIN_WORDS 3
/* How much weaker a quoted counterpart may be and still be preferred to an
 * unquoted one. */
#define PREFER_QUOTED 0.2
/* Counterparts this close or closer are the same words: their speakers are
 * compared. */
#define SPEAKER_MIN_SCORE 0.8
/* Partial quotations shorter than this have no speaker worth comparing. */
#define SPEAKER_MIN_WORDS 8

/* The last word of a name, lower-cased, without a possessive: the surname. */
static size_t surname(const char *name, char *out, size_t cap) {
  size_t n = strlen(name);
  while (n && (name[n - 1] == ' ' || name[n - 1] == '.' || name[n - 1] == ',')) n--;
  if (n >= 2 && (name[n - 1] == 's' || name[n - 1] == 'S') && name[n - 2] == '\'') n -= 2;
  if (n >= 4 && (name[n - 1] == 's' || name[n - 1] == 'S') &&
      (unsigned char)name[n - 2] == 0x99 && (unsigned char)name[n - 3] == 0x80 &&
      (unsigned char)name[n - 4] == 0xE2)
    n -= 4;
  size_t s = n;
  while (s && name[s - 1] != ' ') s--;
  size_t len = n - s < cap - 1 ? n - s : cap - 1;
  for (size_t i = 0; i < len; i++) {
    char ch = name[s + i];
    out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  }
  out[len] = '\0';
  return len;
}

static void lower_ascii(const char *s, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
  out[n] = '\0';
}

/* Does the paragraph around offset `at` of o mention the name's surname? */
static int paragraph_mentions(const vb_doc *o, uint32_t at, const char *name) {
  char s[64];
  size_t n = surname(name, s, sizeof s);
  if (!n) return 0;
  vb_buf b = {0};
  if (vb_norm_append(&b, s, n)) return 0;
  uint32_t h = vb_hash32(b.data, b.len);
  vb_buf_free(&b);
  uint32_t t = vb_text_token_at(o, at);
  if (t >= o->ntoks || o->nparas == 0) return 0;
  const vb_range *p = &o->paras[vb_text_paragraph_of(o, t)];
  for (uint32_t k = p->tok_start; k < p->tok_end; k++)
    if (o->toks[k].hash == h) return 1;
  return 0;
}

/* An offset in the paragraph before the one holding `at` (or `at`). */
static uint32_t previous_paragraph(const vb_doc *d, uint32_t at) {
  uint32_t t = vb_text_token_at(d, at);
  if (t >= d->ntoks || d->nparas == 0) return at;
  uint32_t p = vb_text_paragraph_of(d, t);
  return p > 0 ? d->paras[p - 1].start : at;
}

/* Words of a name that do not tell people apart: titles and honours. */
static int is_title_word(const char *w, size_t n) {
  static const char *const words[] = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord",
                                      "lady", "qc", "mp", "jr", "sr", "prof", "rev", "judge",
                                      "justice", "det", "sgt", "insp", "supt", "pc", "the"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == n && !strncmp(words[i], w, n)) return 1;
  return 0;
}

/* Lower-cased name words without titles, honours or possessives, split at
 * spaces and hyphens, into out[]; their number. */
static size_t name_words(const char *name, char out[][32], size_t cap) {
  size_t k = 0;
  const char *p = name;
  while (*p && k < cap) {
    while (*p == ' ' || *p == '-' || *p == ',' || *p == '.') p++;
    const char *w = p;
    while (*p && *p != ' ' && *p != '-' && *p != ',') p++;
    size_t n = (size_t)(p - w);
    if (n >= 2 && w[n - 2] == '\'' && (w[n - 1] == 's' || w[n - 1] == 'S')) n -= 2;
    while (n && w[n - 1] == '.') n--;
    if (n == 0 || n >= 32) continue;
    lower_ascii(w, n, out[k]);
    if (!is_title_word(out[k], n)) k++;
  }
  return k;
}

/* Could the two names be one person under each document's own aliasing:
 * a shared name word, or one word clipped from the other ("Tony" and
 * "Anthony Blair" share nothing, but "Beckham" and "Victoria Beckham" do). */
static int may_be_same_person(const char *a, const char *b) {
  char x[8][32], y[8][32];
  size_t nx = name_words(a, x, 8), ny = name_words(b, y, 8);
  if (nx == 0 || ny == 0) return 1; /* nothing to tell them apart */
  for (size_t i = 0; i < nx; i++)
    for (size_t j = 0; j < ny; j++) {
      size_t lx = strlen(x[i]), ly = strlen(y[j]);
      size_t m = lx < ly ? lx : ly;
      if (!strcmp(x[i], y[j]) || (m >= 4 && !strncmp(x[i], y[j], m))) return 1;
    }
  return 0;
}

/* Does the document itself tag the name as a person, with a word in lower
 * case (header words in capitals are not names)? */
static int names_a_person(const vb_doc *d, const char *name) {
  for (const char *p = name; *p; p++) {
    size_t caps = 0;
    while (p[caps] >= 'A' && p[caps] <= 'Z') caps++;
    if (caps >= 3 && (p[caps] == '\0' || p[caps] == ' ')) return 0;
    while (*p && *p != ' ') p++;
    if (!*p) break;
  }
  for (size_t i = 0; i < d->nents; i++) {
    if (d->ents[i].type != VB_ENT_PERSON) continue;
    const vb_ient *e = &d->ents[i];
    const char *canon = vb_pool_str(d, e->canonical);
    if (canon ? !strcmp(canon, name)
              : strlen(name) == e->end - e->start && !memcmp(d->text + e->start, name, e->end - e->start))
      return 1;
  }
  return 0;
}

/* Is a name like `name` mentioned in the paragraph at `at` or the two
 * before it? */
static int mentioned_near(const vb_doc *d, uint32_t at, const char *name) {
  uint32_t p = at;
  for (int i = 0; i < 3; i++) {
    if (paragraph_mentions(d, p, name)) return 1;
    uint32_t prev = previous_paragraph(d, p);
    if (prev == p) break;
    p = prev;
  }
  return 0;
}

static int is_accepted(const vb_corpus *c, const vb_doc *d, const vb_iquote *q) {
  if (c->naccepted == 0) return 0;
  uint64_t h;
  if (vb_words_hash(d->text + q->inner_start, q->inner_end - q->inner_start, &h)) return 0;
  for (size_t i = 0; i < c->naccepted; i++)
    if (c->accepted[i] == h) return 1;
  return 0;
}

/* A counterpart close enough, and quoted with a speaker, to compare speakers. */
static int speaker_comparable(const vb_checker *k, const vb_doc *d, const vb_doc *o,
                              const vb_counterpart *cp) {
  if (!vb_check_judges(k, d, o) || cp->src_quote < 0 || cp->relation == VB_REL_UNQUOTED ||
      cp->w.score < SPEAKER_MIN_SCORE)
    return 0;
  const char *them = vb_pool_str(o, o->quotes[cp->src_quote].speaker_name);
  return them && *them;
}

static int judge_quote(vb_checker *k, vb_doc *d, const vb_iquote *q, vb_counterpart *cps,
                       size_t n, vb_counterpart *closest) {
  vb_corpus *c = k->c;
  char where[300];
  const vb_counterpart *best = NULL;
  int clean = 0;
  const vb_counterpart *best_quoted = NULL;
  for (size_t i = 0; i < n; i++) {
    const vb_doc *o = vb_get_doc(c, cps[i].w.doc);
    if (!vb_check_judges(k, d, o)) continue;
    if (!best) best = &cps[i];
    if (!best_quoted && cps[i].relation != VB_REL_UNQUOTED) best_quoted = &cps[i];
    if (cps[i].relation == VB_REL_VERBATIM || cps[i].relation == VB_REL_FRAGMENT) clean = 1;
  }
  /* a source that quotes the words and also paraphrases them: judge against
   * the quotation unless the paraphrase is much closer */
  if (best_quoted && best_quoted->w.score >= best->w.score - PREFER_QUOTED) best = best_quoted;
  int rc = 0;
  uint32_t t0, t1;
  vb_quote_tokens(d, q, &t0, &t1);
  if (!clean && !is_accepted(c, d, q)) {
    if (best) {
      const vb_doc *o = vb_get_doc(c, best->w.doc);
      vb_location rel = {best->w.doc, best->start, best->end};
      vb_check_where(k, o, best->start, where, sizeof where);
      const char *diff = best->diff ? best->diff : "";
      if (best->relation == VB_REL_ALTERED) {
        rc = vb_check_emit(k, VB_RULE_QUOTE_ALTERED, d, q->start, q->end, &rel, 1,
                           "quotation differs from %s: %s", where, diff);
      } else if (best->relation == VB_REL_EXTENDED) {
        vb_buf out = {0};
        if (best->out1 > best->out0 &&
            vb_snippet(&out, o, o->toks[best->out0].start, o->toks[best->out1 - 1].end, 60))
          rc = VB_ERR_NOMEM;
        if (rc == 0)
          rc = vb_check_emit(k, VB_RULE_QUOTE_FROM_PARAPHRASE, d, q->start, q->end, &rel, 1,
                             "quotation runs past what %s put in quotation marks: '%s' is the "
                             "reporter's wording there%s%s",
                             where, out.data ? out.data : "", *diff ? "; also " : "", diff);
        vb_buf_free(&out);
      } else if (best->relation == VB_REL_UNQUOTED) {
        rc = vb_check_emit(k, VB_RULE_QUOTE_FROM_PARAPHRASE, d, q->start, q->end, &rel, 1,
                           "%s has these words only outside quotation marks (narrative or "
                           "indirect speech)%s%s",
                           where, *diff ? "; differences: " : "", diff);
      }
    } else if (q->kind != VB_QUOTE_TERM && vb_count_words(d, t0, t1) >= UNSOURCED_MIN_WORDS) {
      /* the closest passage: a weak match, or a match in a document that is
       * not a source (another draft) */
      const vb_counterpart *near = closest->w.doc >= 0 ? closest : n ? &cps[0] : NULL;
      const vb_doc *o = near ? vb_get_doc(c, near->w.doc) : NULL;
      if (o) {
        vb_location rel = {o->id, o->toks[near->w.s0].start, o->toks[near->w.s1 - 1].end};
        rc = vb_check_emit(k, VB_RULE_QUOTE_UNSOURCED, d, q->start, q->end, &rel, 1,
                           "no source has this quotation; the closest passage is %s",
                           vb_check_where(k, o, rel.start, where, sizeof where));
      } else {
        rc = vb_check_emit(k, VB_RULE_QUOTE_UNSOURCED, d, q->start, q->end, NULL, 0,
                           "no source has this quotation");
      }
    }
  }
  /* speaker-mismatch: only when both documents name, with confidence, two
   * different people. A speaker that is a guess (a pronoun, a role), a group,
   * or not a person the document tags contradicts nobody; nor do scare
   * quotes and short partials, which have no speaker to speak of; nor a name
   * that the other document mentions around the quotation (the attribution
   * was read from the wrong clause more often than the quote was moved). */
  const char *who = vb_pool_str(d, q->speaker_name);
  if (rc == 0 && who && *who && q->firmness == VB_FIRM_NAMED && q->kind != VB_QUOTE_TERM &&
      !(q->kind == VB_QUOTE_PARTIAL && vb_count_words(d, t0, t1) < SPEAKER_MIN_WORDS) &&
      names_a_person(d, who)) {
    const vb_counterpart *other = NULL;
    int agree = 0;
    uint8_t firmest = VB_FIRM_NONE; /* sources that name the speaker outweigh guesses */
    for (size_t i = 0; i < n; i++) {
      const vb_doc *o = vb_get_doc(c, cps[i].w.doc);
      if (!speaker_comparable(k, d, o, &cps[i])) continue;
      const vb_iquote *sq = &o->quotes[cps[i].src_quote];
      if (sq->firmness > firmest) firmest = sq->firmness;
    }
    for (size_t i = 0; i < n && !agree; i++) {
      const vb_counterpart *cp = &cps[i];
      const vb_doc *o = vb_get_doc(c, cp->w.doc);
      if (!speaker_comparable(k, d, o, cp)) continue;
      const vb_iquote *sq = &o->quotes[cp->src_quote];
      if (sq->firmness < firmest) continue;
      const char *them = vb_pool_str(o, sq->speaker_name);
      if (may_be_same_person(who, them) ||
          (sq->firmness != VB_FIRM_NAMED && mentioned_near(o, sq->start, who)) ||
          paragraph_mentions(d, q->start, them))
        agree = 1;
      else if (!other && sq->firmness == VB_FIRM_NAMED && names_a_person(o, them))
        other = cp;
    }
    if (!agree && other) {
      const vb_doc *o = vb_get_doc(c, other->w.doc);
      const vb_iquote *sq = &o->quotes[other->src_quote];
      vb_location rel = {o->id, sq->start, sq->end};
      rc = vb_check_emit(k, VB_RULE_SPEAKER_MISMATCH, d, q->start, q->end, &rel, 1,
                         "quotation attributed to %s here but to %s in %s", who,
                         vb_pool_str(o, sq->speaker_name),
                         vb_check_where(k, o, sq->start, where, sizeof where));
    }
  }
  return rc;
}

/* Counterparts already found for a quotation text: a document may repeat a
 * quote (or be made of little else), and the answer depends on the words. */
typedef struct {
  uint64_t key; /* 0 = empty */
  vb_counterpart *cps;
  size_t n;
  vb_counterpart closest;
} memo;

static void strip_ops(vb_counterpart *cp) {
  free(cp->w.ops);
  free(cp->w.moved);
  cp->w.ops = NULL;
  cp->w.moved = NULL;
  cp->w.nops = 0;
}

static uint64_t quote_key(const vb_doc *d, const vb_iquote *q) {
  vb_buf b = {0};
  uint64_t h = 0;
  if (vb_norm_append(&b, d->text + q->inner_start, q->inner_end - q->inner_start) == 0)
    h = vb_hash64(b.data ? b.data : "", b.len);
  vb_buf_free(&b);
  return (h ^ q->kind) | 1;
}

int vb_rules_quotes(vb_checker *k, vb_doc *d, vb_report *r, size_t *cap_quotes) {
  vb_corpus *c = k->c;
  int rc = 0;
  size_t size = 16;
  while (size < d->nquotes * 2) size *= 2;
  memo *memos = calloc(size, sizeof *memos);
  if (!memos) return VB_ERR_NOMEM;
  for (size_t i = 0; i < d->nquotes && rc == 0; i++) {
    const vb_iquote *q = &d->quotes[i];
    vb_quote_matches qm = {d->id, vb_orig(d, q->start), vb_orig(d, q->end), NULL, 0};
    uint64_t key = quote_key(d, q);
    size_t slot = (size_t)key & (size - 1);
    while (memos[slot].key && memos[slot].key != key) slot = (slot + 1) & (size - 1);
    memo *m0 = &memos[slot];
    if (!m0->key) {
      m0->closest.w.doc = -1;
      if (q->kind != VB_QUOTE_TERM) rc = vb_quote_counterparts(c, d, q, &k->budget, &m0->cps, &m0->n, &m0->closest);
      if (rc) break;
      for (size_t j = 0; j < m0->n; j++) strip_ops(&m0->cps[j]);
      strip_ops(&m0->closest);
      m0->key = key;
    }
    vb_counterpart *cps = m0->cps;
    size_t n = m0->n;
    if (rc == 0 && n) {
      vb_match *m = calloc(n, sizeof *m);
      if (!m) rc = VB_ERR_NOMEM;
      for (size_t j = 0; j < n && rc == 0; j++) {
        const vb_doc *o = vb_get_doc(c, cps[j].w.doc);
        m[j].doc = o->id;
        m[j].start = vb_orig(o, cps[j].start);
        m[j].end = vb_orig(o, cps[j].end);
        m[j].relation = (vb_relation)cps[j].relation;
        m[j].score = cps[j].w.score;
        if (cps[j].diff && !(m[j].diff = strdup(cps[j].diff))) rc = VB_ERR_NOMEM;
        const char *spk = cps[j].src_quote >= 0 ? vb_pool_str(o, o->quotes[cps[j].src_quote].speaker_name) : NULL;
        if (rc == 0 && spk && !(m[j].speaker = strdup(spk))) rc = VB_ERR_NOMEM;
      }
      qm.matches = m;
      qm.n_matches = n;
    }
    /* out of budget: what was not looked for is not reported missing */
    if (rc == 0 && q->kind != VB_QUOTE_TERM && k->budget > 0)
      rc = judge_quote(k, d, q, cps, n, &m0->closest);
    if (VB_PUSH(r->quotes, r->n_quotes, *cap_quotes, qm)) {
      for (size_t j = 0; j < qm.n_matches; j++) {
        free((void *)qm.matches[j].diff);
        free((void *)qm.matches[j].speaker);
      }
      free((void *)qm.matches);
      rc = VB_ERR_NOMEM;
    }
  }
  for (size_t i = 0; i < size; i++) {
    vb_counterparts_free(memos[i].cps, memos[i].n);
    free(memos[i].closest.diff);
  }
  free(memos);
  return rc;
}
