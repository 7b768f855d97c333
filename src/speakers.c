/* speakers.c: who said each quotation.
 *
 * For every quotation, the attribution cue ("said", "told", "according to",
 * from data/cues.txt) is looked for right after the closing mark and then
 * back to the start of the sentence; the speaker is the noun phrase the cue
 * points at: before it ("Smith said"), after it ("said Smith", "according to
 * Smith"), past an apposition ("Smith, a spokeswoman for X, said"), or the
 * subject of the clause for a participle (", saying"). The mention is then
 * resolved to a name: an entity's canonical form, else the fullest
 * capitalised name in the document with the same surname; pronouns go to the
 * most recent speaker (kept gender-consistent); "the spokeswoman" goes
 * through the roles seen next to names. Quotations with no cue of their own
 * take the speaker of the quotation they continue or that precedes them in
 * the paragraph.
 *
 * Every pass is linear in tokens: scans around a quotation are bounded and
 * the recent-speaker state moves forward with the quotations.
 */
#include "speech.h"

/* ------------------------------------------------------------------ lexicon */

enum {
  W_CUE = 1 << 0,       /* a one-word attribution cue */
  W_CUE_AFTER = 1 << 1, /* the cue's source follows it */
  W_PHRASE = 1 << 2,    /* first word of a cue phrase */
  W_ROLE = 1 << 3,      /* a role noun: spokeswoman, official */
  W_DOC = 1 << 4,       /* a text that speaks for its author: statement */
  W_TITLE = 1 << 5,     /* a title or honorific before a name */
  W_MALE = 1 << 6,
  W_FEMALE = 1 << 7,
  W_PRONOUN = 1 << 8,   /* he, she, they, ... */
  W_DET = 1 << 9,       /* the, a, his, ... */
  W_SKIP = 1 << 10,     /* may stand between a subject and its verb: also, has */
  W_LEAD = 1 << 11,     /* function words that start sentences: But, In */
  W_REL = 1 << 12,      /* who, which */
  W_PREP = 1 << 13,     /* ends a noun phrase read forwards: on, in, of */
  W_CONNECT = 1 << 14,  /* lower-case particles inside names: bin, de, van */
  W_CONJ = 1 << 15,     /* starts a new clause: because, though, while */
  W_NAMING = 1 << 16    /* a cue that gives a name: called, dubbed */
};

typedef struct {
  uint32_t key; /* word hash; 0 = empty slot */
  uint32_t bits;
  uint32_t family; /* hash of the role family */
} wentry;

#define MAX_PHRASE 5
typedef struct {
  uint32_t words[MAX_PHRASE];
  uint8_t n;
  uint8_t after;
} phrase;

struct vb_speech {
  wentry *tab;
  size_t cap; /* a power of two */
  phrase *phr;
  size_t nphr, cphr;
  size_t role_keys; /* role words plus families: sizes each document's role table */
};

static uint32_t key_of(uint32_t h) { return h ? h : 1; }

/* The first slot to probe: the high bits of a multiplicative hash, as the
 * low bits of word hashes cluster in a table this sparse. */
static size_t home(uint32_t k, size_t cap) { return ((k * 2654435761u) >> 12) & (cap - 1); }

static wentry *slot(const struct vb_speech *s, uint32_t h) {
  uint32_t k = key_of(h);
  size_t i = home(k, s->cap);
  while (s->tab[i].key && s->tab[i].key != k) i = (i + 1) & (s->cap - 1);
  return &s->tab[i];
}

static uint32_t lookup(const struct vb_speech *s, uint32_t h) {
  const wentry *e = slot(s, h);
  return e->key ? e->bits : 0;
}

static int add_word(struct vb_speech *s, const char *w, size_t n, uint32_t bits, uint32_t family) {
  char low[64];
  if (n == 0 || n >= sizeof low) return 0;
  for (size_t i = 0; i < n; i++) low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
  uint32_t h = vb_hash32(low, n);
  wentry *e = slot(s, h);
  if (!e->key) {
    e->key = key_of(h);
    e->family = h;
  }
  e->bits |= bits;
  if (family) e->family = family;
  return 0;
}

static uint32_t hash_lower(const char *w, size_t n) {
  char low[64];
  if (n >= sizeof low) n = sizeof low - 1;
  for (size_t i = 0; i < n; i++) low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
  return vb_hash32(low, n);
}

static const char *const closed_words[] = {
    /* pronouns: gender after the slash */
    "he/m", "she/f", "they", "i", "we", "it", "him/m", "her/f",
    NULL};
static const char *const determiners[] = {
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that",
    "these", "those", "another", "one", "some", "many", "several", "two", "three", "other",
    "both", "each", "every", "any", "no", "most", "few", "all", NULL};
static const char *const skip_words[] = {
    "also", "has", "have", "had", "was", "were", "is", "are", "be", "been", "would", "will",
    "could", "can", "may", "might", "should", "must", "did", "does", "do", "not", "never",
    "later", "then", "again", "previously", "earlier", "recently", "once", "further", "just",
    "often", "still", "even", "already", "first", "last", "once", "reportedly", "simply",
    "flatly", "quickly", "initially", "subsequently", "since", "repeatedly", "privately",
    "publicly", "separately", "yet", "always", "hadn't", "hasn't", "haven't", "didn't",
    "doesn't", "don't", "wasn't", "isn't", "won't", "wouldn't", "couldn't", "has", "then",
    "later", "now", "once", "sometimes", "also", "being", "having", NULL};
static const char *const lead_words[] = {
    "the", "a", "an", "but", "and", "or", "in", "on", "at", "for", "with", "as", "after",
    "before", "when", "while", "if", "so", "yet", "however", "meanwhile", "still", "then",
    "now", "also", "this", "that", "these", "those", "it", "there", "here", "asked", "speaking",
    "according", "during", "since", "although", "though", "because", "by", "from", "to", "of",
    "last", "earlier", "later", "on", "mr", "mrs", "ms", "dr", NULL};
static const char *const preps[] = {
    "on", "in", "at", "for", "of", "with", "to", "from", "by", "during", "after", "before",
    "about", "over", "who", "that", "which", "and", "but", "as", "when", "while", "because",
    "if", "than", "into", "via", "is", "was", "has", "had", "said", "says", "under", "despite",
    "among", "amid", "without", "through", "across", "against", "within", "toward", "towards",
    "behind", "beyond", "throughout", "unlike", NULL};
static const char *const conjunctions[] = {
    "because", "though", "although", "while", "whereas", "but", "if", "when",
    "unless", "until", NULL};
static const char *const connectors[] = {"bin", "al", "de", "van", "von", "da", "di",
                                         "la", "le", "du", "del", "der", "ibn", NULL};

static int add_list(struct vb_speech *s, const char *const *list, uint32_t bits) {
  for (size_t i = 0; list[i]; i++) {
    const char *w = list[i];
    const char *slash = strchr(w, '/');
    size_t n = slash ? (size_t)(slash - w) : strlen(w);
    uint32_t b = bits;
    if (slash) b |= slash[1] == 'm' ? W_MALE : W_FEMALE;
    if (add_word(s, w, n, b, 0)) return VB_ERR_NOMEM;
  }
  return 0;
}

/* Parse one of the data/ lists: "entry" or "entry | tag" a line. */
typedef int (*entry_fn)(struct vb_speech *s, const char *w, size_t n, const char *tag, size_t tn);

static void trim(const char **a, const char **b) {
  while (*a < *b && (**a == ' ' || **a == '\t')) (*a)++;
  while (*b > *a && ((*b)[-1] == ' ' || (*b)[-1] == '\t' || (*b)[-1] == '\r')) (*b)--;
}

static int parse_list(struct vb_speech *s, const char *name, entry_fn fn) {
  const vb_lexdata *f = vb_lexdata_find(name);
  if (!f) return 0;
  const char *p = f->text, *end = f->text + f->len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *hash = memchr(p, '#', (size_t)(le - p));
    const char *a = p, *b = hash ? hash : le;
    const char *bar = memchr(a, '|', (size_t)(b - a));
    const char *ta = NULL, *tb = NULL;
    if (bar) {
      ta = bar + 1;
      tb = b;
      b = bar;
      trim(&ta, &tb);
    }
    trim(&a, &b);
    if (b > a) {
      int rc = fn(s, a, (size_t)(b - a), ta, ta ? (size_t)(tb - ta) : 0);
      if (rc) return rc;
    }
    p = le + 1;
  }
  return 0;
}

static int tag_is(const char *t, size_t n, const char *want) {
  return t && n == strlen(want) && memcmp(t, want, n) == 0;
}

static int cue_entry(struct vb_speech *s, const char *w, size_t n, const char *tag, size_t tn) {
  int after = tag_is(tag, tn, "after");
  const char *sp = memchr(w, ' ', n);
  if (!sp)
    return add_word(s, w, n,
                    W_CUE | (after ? W_CUE_AFTER : 0) | (tag_is(tag, tn, "naming") ? W_NAMING : 0), 0);
  phrase ph;
  memset(&ph, 0, sizeof ph);
  ph.after = (uint8_t)after;
  const char *p = w, *end = w + n;
  while (p < end && ph.n < MAX_PHRASE) {
    const char *q = p;
    while (q < end && *q != ' ') q++;
    if (q > p) ph.words[ph.n++] = hash_lower(p, (size_t)(q - p));
    p = q + 1;
  }
  if (add_word(s, w, (size_t)(sp - w), W_PHRASE, 0)) return VB_ERR_NOMEM;
  return VB_PUSH(s->phr, s->nphr, s->cphr, ph);
}

static int role_entry(struct vb_speech *s, const char *w, size_t n, const char *tag, size_t tn) {
  if (memchr(w, ' ', n)) return 0; /* one-word roles only */
  if (tag_is(tag, tn, "document")) return add_word(s, w, n, W_DOC, 0);
  uint32_t bits = W_ROLE;
  s->role_keys += tag && tn ? 2 : 1;
  /* "-woman" says female; "-man" is often used of anyone */
  if (n >= 5 && memcmp(w + n - 5, "woman", 5) == 0) bits |= W_FEMALE;
  return add_word(s, w, n, bits, tag && tn ? hash_lower(tag, tn) : 0);
}

static int title_entry(struct vb_speech *s, const char *w, size_t n, const char *tag, size_t tn) {
  uint32_t bits = W_TITLE;
  if (tag_is(tag, tn, "m")) bits |= W_MALE;
  if (tag_is(tag, tn, "f")) bits |= W_FEMALE;
  return add_word(s, w, n, bits, 0);
}

static void speech_free(struct vb_speech *s) {
  if (!s) return;
  free(s->tab);
  free(s->phr);
  free(s);
}

static struct vb_speech *speech_new(void) {
  struct vb_speech *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->cap = 8192; /* sparse: most tokens probe once */
  s->tab = calloc(s->cap, sizeof *s->tab);
  if (!s->tab || add_list(s, closed_words, W_PRONOUN) || add_list(s, determiners, W_DET) ||
      add_list(s, skip_words, W_SKIP) || add_list(s, lead_words, W_LEAD) ||
      add_list(s, preps, W_PREP) || add_list(s, connectors, W_CONNECT) ||
      add_list(s, conjunctions, W_CONJ) ||
      add_word(s, "who", 3, W_REL, 0) || add_word(s, "which", 5, W_REL, 0) ||
      parse_list(s, "cues.txt", cue_entry) || parse_list(s, "roles.txt", role_entry) ||
      parse_list(s, "speaker_titles.txt", title_entry)) {
    speech_free(s);
    return NULL;
  }
  return s;
}

static void spk_mem_free(struct vb_spk_mem *m);

void vb_speakers_free(vb_corpus *c) {
  speech_free(c->speech);
  c->speech = NULL;
  spk_mem_free(c->spk_mem);
  c->spk_mem = NULL;
}

/* ------------------------------------------------------------ document state */

/* The fullest name seen for a surname. */
typedef struct {
  uint32_t key;              /* hash of the surname without 's; 0 = empty */
  uint32_t tok_a, tok_b;     /* the name's tokens */
  uint32_t name;             /* pool offset, VB_NONE until needed */
  uint8_t ntok;
  uint8_t gender;            /* 0 unknown, 1 male, 2 female */
  uint32_t gen;              /* the slot is empty unless this is the current document's */
} name_entry;

/* The names table lives in the corpus and serves one document after
 * another: stale slots read as empty, so it is never cleared. */
struct vb_spk_mem {
  uint32_t gen;
  name_entry *names;
  size_t cap;
  /* per-token arrays, grown as documents need */
  uint8_t *inq;
  uint32_t *bits, *sent_start;
  int32_t *ent_at;
  size_t tok_cap;
  uint32_t *cue_toks;
  size_t ccues;
};

static void spk_mem_free(struct vb_spk_mem *m) {
  if (!m) return;
  free(m->names);
  free(m->inq);
  free(m->bits);
  free(m->sent_start);
  free(m->ent_at);
  free(m->cue_toks);
  free(m);
}

typedef struct {
  uint32_t key;    /* role family; 0 = empty */
  uint32_t person; /* name_entry key of the last person seen in that role */
} role_entry_t;

#define RECENT 4
typedef struct {
  uint32_t name;   /* pool offset */
  uint32_t person; /* name_entry key, 0 when not a person */
  uint32_t tok;    /* where the mention was */
} recent_t;

typedef struct {
  vb_doc *d;
  const struct vb_speech *S;
  uint8_t *inq;    /* token lies inside a quotation (marks included) */
  int32_t *ent_at; /* entity covering a token, or -1 (NULL without entities) */
  uint32_t *bits;  /* W_* of each token, looked up once */
  uint32_t *sent_start; /* first token of each token's sentence */
  struct vb_spk_mem *mem; /* owns the arrays above, the names and the cue list */
  name_entry *names;
  size_t ncap;
  uint32_t gen;
  role_entry_t *roles;
  size_t rcap;
  recent_t recent[RECENT];
  int nrecent;
  vb_buf scratch;
  uint32_t *cue_toks; /* cues outside quotations, in text order */
  size_t ncues, ccues, cue_cursor;
  size_t sent_cursor; /* next sentence whose subject the recent state sees */
} ctx;

static const vb_token *T(const ctx *x, size_t i) { return &x->d->toks[i]; }
static uint32_t bits_at(const ctx *x, size_t i) { return x->bits[i]; }
static int is_word(const ctx *x, size_t i) { return (T(x, i)->flags & VB_TOK_WORD) != 0; }
static int is_lower_word(const ctx *x, size_t i) {
  return (T(x, i)->flags & (VB_TOK_WORD | VB_TOK_UPPER)) == VB_TOK_WORD;
}
static int is_upper_word(const ctx *x, size_t i) {
  return (T(x, i)->flags & (VB_TOK_WORD | VB_TOK_UPPER)) == (VB_TOK_WORD | VB_TOK_UPPER);
}

/* Does token i end in a possessive 's / ’s? */
static int possessive(const ctx *x, size_t i) {
  const vb_token *t = T(x, i);
  const char *s = x->d->text;
  size_t n = t->end - t->start;
  if (n >= 3 && (s[t->end - 1] == 's' || s[t->end - 1] == 'S') && s[t->end - 2] == '\'') return 2;
  if (n >= 5 && (s[t->end - 1] == 's' || s[t->end - 1] == 'S') &&
      memcmp(s + t->end - 4, "\xE2\x80\x99", 3) == 0)
    return 4;
  return 0;
}

/* Hash of a word's matching form without a possessive ending. */
static uint32_t base_hash(ctx *x, size_t i) {
  int p = possessive(x, i);
  if (!p) return T(x, i)->hash;
  const vb_token *t = T(x, i);
  x->scratch.len = 0;
  if (vb_norm_append(&x->scratch, x->d->text + t->start, t->end - t->start - (size_t)p)) return T(x, i)->hash;
  return vb_hash32(x->scratch.data, x->scratch.len);
}

static name_entry *name_slot(ctx *x, uint32_t h) {
  uint32_t k = key_of(h);
  for (size_t i = k & (x->ncap - 1);; i = (i + 1) & (x->ncap - 1)) {
    name_entry *e = &x->names[i];
    if (e->gen != x->gen) {
      memset(e, 0, sizeof *e);
      e->gen = x->gen;
      return e;
    }
    if (!e->key || e->key == k) return e;
  }
}

static role_entry_t *role_slot(ctx *x, uint32_t fam) {
  uint32_t k = key_of(fam);
  size_t i = k & (x->rcap - 1);
  while (x->roles[i].key && x->roles[i].key != k) i = (i + 1) & (x->rcap - 1);
  return &x->roles[i];
}

/* Copy tokens [a, b) into the pool (without a final possessive). */
static uint32_t pool_span(ctx *x, size_t a, size_t b) {
  vb_doc *d = x->d;
  if (b <= a) return VB_NONE;
  uint32_t s = T(x, a)->start, e = T(x, b - 1)->end;
  int p = possessive(x, b - 1);
  if (p && e - s > (uint32_t)p) e -= (uint32_t)p;
  uint32_t off;
  /* one line: names broken over a line are joined with a space */
  if (vb_buf_add_str(&d->pool, d->text + s, e - s, &off)) return VB_NONE;
  for (char *ch = d->pool.data + off, *end = ch + (e - s); ch < end; ch++)
    if (*ch == '\n' || *ch == '\r' || *ch == '\t') *ch = ' ';
  return off;
}

static uint32_t entry_name(ctx *x, name_entry *e) {
  if (e->name == VB_NONE) e->name = pool_span(x, e->tok_a, e->tok_b);
  return e->name;
}

/* ------------------------------------------------------------- name runs */

/* End of the run of name tokens that starts at a: capitalised words,
 * initials with their full stops, particles between capitals. */
static size_t run_end(const ctx *x, size_t a, size_t limit) {
  size_t i = a;
  while (i < limit && i - a < 10) {
    const vb_token *t = T(x, i);
    if (i > a && (t->flags & VB_TOK_PARA)) break;
    if (is_upper_word(x, i)) {
      i++;
      continue;
    }
    if (i > a && t->cp == '.' && !(t->flags & VB_TOK_SPACE) && (T(x, i - 1)->flags & VB_TOK_ABBR) &&
        T(x, i - 1)->end - T(x, i - 1)->start <= 2 && i + 1 < limit && is_upper_word(x, i + 1)) {
      i++;
      continue;
    }
    if (i > a && is_lower_word(x, i) && (bits_at(x, i) & W_CONNECT) && i + 1 < limit &&
        is_upper_word(x, i + 1)) {
      i++;
      continue;
    }
    break;
  }
  /* do not end on a particle or a full stop */
  while (i > a && !is_upper_word(x, i - 1)) i--;
  return i;
}

/* The name inside a run [a, b): what follows its last title or role word
 * ("Vice President Jane Doe" -> "Jane Doe"). *gender gets what the titles
 * say. Returns the first token of the name. */
static size_t strip_titles(const ctx *x, size_t a, size_t b, uint8_t *gender) {
  size_t first = a;
  for (size_t i = a; i + 1 < b; i++) {
    uint32_t w = bits_at(x, i);
    const vb_token *t = T(x, i);
    if (t->cp == '.') {
      if (first == i) first = i + 1;
      continue;
    }
    if (w & (W_TITLE | W_ROLE | W_LEAD)) {
      first = i + 1;
      if (gender && (w & W_MALE)) *gender = 1;
      if (gender && (w & W_FEMALE)) *gender = 2;
    }
  }
  while (first < b && T(x, first)->cp == '.') first++;
  return first < b ? first : b - 1;
}

/* Record roles seen next to a name: "spokeswoman Jane Doe", "Jane Doe, a
 * spokeswoman for". */
static void note_role(ctx *x, uint32_t role_tok, uint32_t person, uint8_t *gender) {
  uint32_t w = bits_at(x, role_tok);
  if (!(w & W_ROLE)) return;
  const wentry *e = slot(x->S, T(x, role_tok)->hash);
  role_entry_t *r = role_slot(x, e->family);
  r->key = key_of(e->family);
  r->person = person;
  if (e->family != T(x, role_tok)->hash) { /* the exact word too: spokeswoman */
    r = role_slot(x, T(x, role_tok)->hash);
    r->key = key_of(T(x, role_tok)->hash);
    r->person = person;
  }
  if (w & W_MALE) *gender = 1;
  if (w & W_FEMALE) *gender = 2;
}

static int index_names(ctx *x) {
  vb_doc *d = x->d;
  size_t n = d->ntoks, para = 0;
  int furniture = d->nparas && vb_text_is_furniture(d, 0);
  for (size_t i = 0; i < n;) {
    /* slugs and bylines name nobody in the story */
    while (para < d->nparas && d->paras[para].tok_end <= i)
      if (++para < d->nparas) furniture = vb_text_is_furniture(d, para);
    if (para < d->nparas && furniture) {
      i = d->paras[para].tok_end;
      continue;
    }
    if (!is_upper_word(x, i)) {
      i++;
      continue;
    }
    size_t b = run_end(x, i, n);
    if (b <= i) {
      i++;
      continue;
    }
    uint8_t gender = 0;
    size_t a = strip_titles(x, i, b, &gender);
    if (!(bits_at(x, b - 1) & (W_LEAD | W_TITLE | W_ROLE)) || b - a > 1) {
      uint32_t key = key_of(base_hash(x, b - 1));
      /* a role right before the run, or in apposition after it */
      if (i > 0 && is_lower_word(x, i - 1)) note_role(x, (uint32_t)i - 1, key, &gender);
      if (a > i && (bits_at(x, a - 1) & W_ROLE)) note_role(x, (uint32_t)a - 1, key, &gender);
      if (b + 2 < n && T(x, b)->cp == ',' && (bits_at(x, b + 1) & W_DET)) {
        size_t r = b + 2;
        if (r + 1 < n && is_lower_word(x, r) && !(bits_at(x, r) & W_ROLE)) r++;
        if (r < n && is_lower_word(x, r)) note_role(x, (uint32_t)r, key, &gender);
      }
      name_entry *e = name_slot(x, key);
      size_t len = b - a;
      if (!e->key || len > e->ntok) {
        uint8_t g = e->key ? e->gender : 0;
        e->key = key;
        e->tok_a = (uint32_t)a;
        e->tok_b = (uint32_t)b;
        e->ntok = (uint8_t)(len > 255 ? 255 : len);
        e->name = VB_NONE;
        e->gender = g;
      }
      if (gender) e->gender = gender;
    }
    i = b;
  }
  return 0;
}

/* --------------------------------------------------------------------- cues */

static int is_participle(const ctx *x, size_t i) {
  const vb_token *t = T(x, i);
  return t->end - t->start > 4 && memcmp(x->d->text + t->end - 3, "ing", 3) == 0;
}

/* Is there a cue at token i? Sets *len (tokens) and *after. */
static int cue_at(const ctx *x, size_t i, size_t *len, int *after) {
  const vb_doc *d = x->d;
  if (!is_word(x, i) || x->inq[i]) return 0;
  int capital = !is_lower_word(x, i);
  /* a capital only where the sentence starts: "According to ..." */
  if (capital && !(d->toks[i].flags & VB_TOK_SENT)) return 0;
  uint32_t w = bits_at(x, i);
  if (w & W_PHRASE) {
    for (size_t k = 0; k < x->S->nphr; k++) {
      const phrase *p = &x->S->phr[k];
      if (p->words[0] != d->toks[i].hash || i + p->n > d->ntoks) continue;
      size_t m = 1;
      while (m < p->n && d->toks[i + m].hash == p->words[m] && !x->inq[i + m]) m++;
      if (m == p->n) {
        *len = p->n;
        *after = p->after;
        return 1;
      }
    }
  }
  if (!(w & W_CUE)) return 0;
  /* inverted at the start of a sentence: "Said Smith: ..." */
  if (capital && !(i + 1 < d->ntoks && is_upper_word(x, i + 1) &&
                   !(bits_at(x, i + 1) & (W_LEAD | W_DET | W_PRONOUN)) && !is_participle(x, i)))
    return 0;
  /* a noun, not a verb: "the report", "his call" */
  if (i > 0 && (bits_at(x, i - 1) & W_DET) && is_lower_word(x, i - 1)) return 0;
  *len = 1;
  *after = (w & W_CUE_AFTER) != 0;
  return 1;
}


/* ----------------------------------------------------------- noun phrases */

enum { M_NONE = 0, M_NAME, M_PRONOUN, M_REL, M_ROLE, M_DOC, M_NP };

typedef struct {
  int type;
  uint32_t a, b;   /* the mention's tokens [a, b) */
  uint32_t head;   /* its last word */
  uint32_t owner;  /* a possessor name's last token ("Smith's statement"), or VB_NONE */
} mention;

static mention no_mention(void) {
  mention m = {M_NONE, 0, 0, 0, VB_NONE};
  return m;
}

/* Sentence and paragraph starts bounding the scans around token i. */
static size_t sentence_start(const ctx *x, size_t i) {
  const vb_doc *d = x->d;
  if (!d->nsents) return 0;
  if (i < d->ntoks) return x->sent_start[i];
  return d->sents[vb_text_sentence_of(d, (uint32_t)i)].tok_start;
}

/* The noun phrase ending at token p (reading backwards), not before lo. */
static mention np_before(const ctx *x, size_t p, size_t lo) {
  mention m = no_mention();
  if (p < lo || p >= x->d->ntoks || x->inq[p] || !is_word(x, p)) return m;
  uint32_t w = bits_at(x, p);
  m.b = (uint32_t)p + 1;
  m.head = (uint32_t)p;
  if (is_lower_word(x, p) && (w & W_PRONOUN)) {
    m.type = M_PRONOUN;
    m.a = (uint32_t)p;
    return m;
  }
  if (is_lower_word(x, p) && (w & W_REL)) {
    m.type = M_REL;
    m.a = (uint32_t)p;
    return m;
  }
  if (is_upper_word(x, p) || (T(x, p)->flags & VB_TOK_ABBR)) {
    if (w & (W_PRONOUN | W_REL)) {
      m.type = (w & W_REL) ? M_REL : M_PRONOUN;
      m.a = (uint32_t)p;
      return m;
    }
    size_t a = p;
    while (a > lo && p - a < 8) {
      size_t q = a - 1;
      if (x->inq[q] || (T(x, a)->flags & VB_TOK_PARA)) break;
      if (is_upper_word(x, q)) {
        a = q;
      } else if (T(x, q)->cp == '.' && q > lo && (T(x, q - 1)->flags & VB_TOK_ABBR) &&
                 !(T(x, q)->flags & VB_TOK_SPACE)) {
        a = q - 1;
      } else if (is_lower_word(x, q) && (bits_at(x, q) & W_CONNECT) && q > lo && is_upper_word(x, q - 1)) {
        a = q - 1;
      } else {
        break;
      }
    }
    if ((w & (W_LEAD)) && a == p) return no_mention(); /* "But said", "It" handled above */
    m.type = M_NAME;
    m.a = (uint32_t)a;
    return m;
  }
  /* a common noun phrase: "the spokeswoman", "officials", "a senior aide";
   * a cue word only as a noun: "the report concluded" */
  if (w & (W_DET | W_SKIP | W_PREP | W_LEAD)) return no_mention();
  if ((w & (W_CUE | W_PHRASE)) && !(p > lo && (bits_at(x, p - 1) & W_DET))) return no_mention();
  m.type = (w & W_ROLE) ? M_ROLE : (w & W_DOC) ? M_DOC : M_NP;
  size_t a = p;
  while (a > lo && p - a < 4) {
    size_t q = a - 1;
    if (x->inq[q]) break;
    uint32_t qw = bits_at(x, q);
    if (is_lower_word(x, q) && (qw & W_DET)) {
      a = q;
      break;
    }
    if (is_upper_word(x, q) && possessive(x, q)) {
      m.owner = (uint32_t)q;
      a = q;
      while (a > lo && is_upper_word(x, a - 1) && p - a < 8) a--;
      break;
    }
    if (is_word(x, q) && !(qw & (W_PREP | W_CUE | W_SKIP | W_PRONOUN | W_REL | W_LEAD))) {
      a = q;
      continue;
    }
    break;
  }
  m.a = (uint32_t)a;
  return m;
}

/* The noun phrase starting at token p (reading forwards), before hi. */
static mention np_after(const ctx *x, size_t p, size_t hi) {
  mention m = no_mention();
  if (p >= hi || x->inq[p] || !is_word(x, p)) return m;
  uint32_t w = bits_at(x, p);
  if (w & W_PRONOUN) {
    m.type = M_PRONOUN;
    m.a = (uint32_t)p;
    m.b = m.head = (uint32_t)p + 1;
    m.head = (uint32_t)p;
    return m;
  }
  size_t i = p, last_upper = VB_NONE, upper_start = VB_NONE, last_lower = VB_NONE;
  while (i < hi && i - p < 10 && !x->inq[i]) {
    const vb_token *t = T(x, i);
    if (i > p && (t->flags & VB_TOK_PARA)) break;
    uint32_t iw = bits_at(x, i);
    if (is_upper_word(x, i) || (t->flags & VB_TOK_ABBR)) {
      if (last_upper == VB_NONE || last_upper + 1 != i) upper_start = i;
      last_upper = i;
      if (possessive(x, i)) m.owner = (uint32_t)i;
    } else if (t->cp == '.' && i > p && (T(x, i - 1)->flags & VB_TOK_ABBR) && !(t->flags & VB_TOK_SPACE)) {
      /* an initial's full stop */
    } else if (is_lower_word(x, i) && (iw & W_CONNECT) && last_upper == i - 1) {
    } else if (is_lower_word(x, i) && !(iw & (W_PREP | W_CUE | W_REL | W_SKIP)) &&
               (i == p || !(iw & W_DET))) {
      last_lower = i;
    } else {
      break;
    }
    i++;
  }
  if (i == p) return m;
  m.a = (uint32_t)p;
  /* a name at the end wins: "the State Department spokeswoman Jane Doe" */
  if (last_upper != VB_NONE && (last_lower == VB_NONE || last_upper > last_lower)) {
    m.type = M_NAME;
    m.head = (uint32_t)last_upper;
    m.b = (uint32_t)last_upper + 1;
    if (m.owner == last_upper) m.owner = VB_NONE;
    (void)upper_start;
    return m;
  }
  if (last_lower == VB_NONE) return no_mention();
  uint32_t lw = bits_at(x, last_lower);
  m.type = (lw & W_ROLE) ? M_ROLE : (lw & W_DOC) ? M_DOC : M_NP;
  m.head = (uint32_t)last_lower;
  m.b = (uint32_t)last_lower + 1;
  return m;
}

/* The first noun phrase of the clause holding token v: the subject of a
 * participle cue ("Smith, who ..., left, saying ..."). */
static mention clause_subject(const ctx *x, size_t v) {
  size_t s = sentence_start(x, v);
  /* a subject this far back is a guess, and scanning for it from every
   * quotation of a run-on text would cost time squared */
  if (v > s + 80) return no_mention();
  int after_prep = 0;
  for (size_t i = s; i < v; i++) {
    if (x->inq[i]) continue;
    const vb_token *t = T(x, i);
    if (t->cp == ',') {
      after_prep = 0;
      continue;
    }
    if (!is_word(x, i)) continue;
    uint32_t w = bits_at(x, i);
    if ((w & W_PREP) && (is_lower_word(x, i) || (t->flags & VB_TOK_SENT))) {
      /* "when Smith ...": a conjunction opens a clause with its own subject */
      after_prep = !(w & W_CONJ);
      continue;
    }
    if (after_prep) continue;
    if (w & W_PRONOUN) return np_after(x, i, v);
    if (is_upper_word(x, i) && !(w & W_LEAD)) {
      size_t b = run_end(x, i, v);
      if (b > i) return np_before(x, b - 1, i);
    }
    if (is_lower_word(x, i) && (w & W_DET)) {
      mention m = np_after(x, i, v);
      if (m.type) return m;
    }
  }
  return no_mention();
}

/* The speaker mention a cue at [v, v + len) points at. */
static int tok_is_of(const ctx *x, size_t i) {
  const vb_token *t = T(x, i);
  return t->end - t->start == 2 && (x->d->text[t->start] | 0x20) == 'o' &&
         (x->d->text[t->start + 1] | 0x20) == 'f';
}

/* Nouns that name a person by their tie to another: "the widow of X". */
static int is_kin_noun(const ctx *x, size_t i) {
  static const char *const kin[] = {
      "wife", "husband", "widow", "widower", "brother", "sister", "son", "daughter", "mother",
      "father", "parents", "partner", "girlfriend", "boyfriend", "fiancee", "fiance", "friend",
      "cousin", "uncle", "aunt", "nephew", "niece", "grandmother", "grandfather", "stepfather",
      "stepmother", "neighbour", "neighbor", "colleague", "lawyer", "solicitor", "barrister",
      "agent", "manager", "mum", "dad", "sons", "daughters", "friends", "family"};
  const vb_token *t = T(x, i);
  size_t n = t->end - t->start;
  for (size_t k = 0; k < sizeof kin / sizeof *kin; k++)
    if (strlen(kin[k]) == n && !memcmp(x->d->text + t->start, kin[k], n)) return 1;
  return 0;
}

/* "the brother of Ian Brown, 39-year-old Neil, said", "The wife of England
 * star David Beckham said": the name after "<noun> of" describes the
 * speaker and is not the speaker. The name in apposition after it is, when
 * there is one; otherwise the speaker is not named here. */
static int is_described(const ctx *x, mention m) {
  if (m.type != M_NAME || m.a == 0) return 0;
  size_t k = m.a, lo = sentence_start(x, m.a);
  int described = 0;
  for (int steps = 0; k > lo && steps < 6; steps++) {
    k--;
    if (x->inq[k] || !is_word(x, k)) break;
    if (tok_is_of(x, k)) {
      described = k > lo && is_lower_word(x, k - 1) &&
                  ((bits_at(x, k - 1) & W_ROLE) || is_kin_noun(x, k - 1));
      break;
    }
  }
  return described;
}

static mention not_the_described(const ctx *x, mention m, size_t v) {
  if (!is_described(x, m)) return m;
  /* an apposition between the name and the verb: ", 39-year-old Neil," */
  if (m.b < v && T(x, m.b)->cp == ',') {
    size_t q = v;
    while (q > m.b + 1 && T(x, q - 1)->cp != ',') q--;
    if (q > m.b + 2) {
      mention inner = np_before(x, q - 2, m.b + 1);
      if (inner.type == M_NAME) return inner;
    }
  }
  return no_mention();
}

static mention cue_subject_near(const ctx *x, size_t v, size_t len, int after);

static mention cue_subject(const ctx *x, size_t v, size_t len, int after) {
  mention m = cue_subject_near(x, v, len, after);
  return after ? m : not_the_described(x, m, v);
}

static mention cue_subject_near(const ctx *x, size_t v, size_t len, int after) {
  size_t n = x->d->ntoks;
  size_t hi = v + len + 12 < n ? v + len + 12 : n;
  if (after) return np_after(x, v + len, hi);
  size_t lo = sentence_start(x, v);
  size_t p = v;
  /* skip adverbs and auxiliaries: "Smith also said", "Smith has repeatedly said" */
  for (int k = 0; k < 4 && p > lo; k++) {
    size_t q = p - 1;
    if (!is_lower_word(x, q)) break;
    const vb_token *t = T(x, q);
    uint32_t w = bits_at(x, q);
    int ly = t->end - t->start > 3 && memcmp(x->d->text + t->end - 2, "ly", 2) == 0;
    if (!(w & W_SKIP) && !ly) break;
    p = q;
  }
  /* a bracket after the name: "Rep. Jane Doe (D-Ohio) said" */
  if (p > lo + 2 && T(x, p - 1)->cp == ')') {
    size_t o = p - 1;
    while (o > lo && p - o < 10 && T(x, o)->cp != '(' && !x->inq[o]) o--;
    if (T(x, o)->cp == '(' && o > lo && is_upper_word(x, o - 1)) p = o;
  }
  if (p == lo || p == 0) return np_after(x, v + len, hi); /* "Said Smith: ..." */
  size_t q = p - 1;
  const vb_token *t = T(x, q);
  if (x->inq[q] || (t->flags & VB_TOK_QUOTE))
    return is_participle(x, v) ? clause_subject(x, v) : np_after(x, v + len, hi);
  if (t->cp == ',' || t->cp == 0x2014) {
    if (is_participle(x, v)) return clause_subject(x, v);
    if (q > 0 && (x->inq[q - 1] || (T(x, q - 1)->flags & VB_TOK_QUOTE))) return np_after(x, v + len, hi);
    /* apposition: "Smith, a spokeswoman for the group, said" */
    size_t lim = q > lo + 40 ? q - 40 : lo;
    for (size_t c2 = q; c2-- > lim;) {
      if (x->inq[c2]) break;
      if (T(x, c2)->cp == ',' || T(x, c2)->cp == 0x2014) {
        /* a relative clause: "Jane Doe, 59, of Ashton, who watched ..., said":
         * the subject is the sentence's own */
        if (is_lower_word(x, c2 + 1) && (bits_at(x, c2 + 1) & W_REL)) {
          mention s = clause_subject(x, c2);
          if (s.type == M_NAME) return s;
        }
        mention m = c2 > lo ? np_before(x, c2 - 1, lo) : no_mention();
        /* "X, the foreign minister of France, a member of ..., said": past
         * the appositions to the name they describe */
        if (is_described(x, m)) continue;
        if (m.type == M_NAME || m.type == M_PRONOUN) return m;
        /* "the group's leader, Jane Doe, said": the name in apposition */
        mention inner = np_before(x, q - 1, c2 + 1);
        if (inner.type == M_NAME && inner.a == c2 + 1) return inner;
        if (m.type) return m;
        break;
      }
    }
    mention m = np_before(x, q - 1, lo);
    return m;
  }
  if (t->cp == ':' || t->cp == ';') return np_after(x, v + len, hi);
  /* a second verb of the subject: "Smith arrived and said" */
  if (is_lower_word(x, q) && (t->end - t->start == 3 || t->end - t->start == 4) &&
      (memcmp(x->d->text + t->start, "and", 3) == 0 || memcmp(x->d->text + t->start, "but", 3) == 0))
    return clause_subject(x, v);
  mention m = np_before(x, q, lo);
  if (!m.type && is_participle(x, v)) return clause_subject(x, v);
  /* "Smith, who has in the past described": not a subject after a preposition */
  if ((m.type == M_NP || m.type == M_ROLE) && m.a > lo && is_lower_word(x, m.a - 1) &&
      (bits_at(x, m.a - 1) & (W_PREP | W_CONJ)) == W_PREP) {
    mention s = clause_subject(x, v);
    if (s.type) return s;
  }
  if (m.type == M_NP && is_participle(x, v)) {
    mention s = clause_subject(x, v);
    if (s.type) return s;
  }
  return m;
}

/* --------------------------------------------------------------- resolution */

static void push_recent(ctx *x, uint32_t name, uint32_t person, uint32_t tok) {
  if (name == VB_NONE) return;
  int k = 0;
  /* the same person again moves to the front */
  for (k = 0; k < x->nrecent; k++)
    if (person && x->recent[k].person == person) break;
  if (k == x->nrecent) k = x->nrecent < RECENT ? x->nrecent++ : RECENT - 1;
  for (; k > 0; k--) x->recent[k] = x->recent[k - 1];
  x->recent[0].name = name;
  x->recent[0].person = person;
  x->recent[0].tok = tok;
}

static name_entry *find_person(ctx *x, uint32_t key) {
  if (!key) return NULL;
  name_entry *e = name_slot(x, key);
  return e->key ? e : NULL;
}

static uint32_t resolve(ctx *x, const mention *m, uint32_t *person, int depth);

static uint32_t resolve_name(ctx *x, uint32_t a, uint32_t b, uint32_t head, uint32_t *person) {
  vb_doc *d = x->d;
  *person = 0;
  if (x->ent_at && x->ent_at[head] >= 0) {
    const vb_ient *e = &d->ents[x->ent_at[head]];
    if (e->type == VB_ENT_PERSON || e->type == VB_ENT_ORG) {
      if (e->type == VB_ENT_PERSON && e->tok_end > e->tok_start)
        *person = key_of(base_hash(x, e->tok_end - 1));
      /* a sentence-opening cue taken into the name: "Said Jane Doe: ..." */
      if (e->tok_start < a && (bits_at(x, e->tok_start) & W_CUE)) return pool_span(x, a, e->tok_end);
      if (e->canonical != VB_NONE) return e->canonical;
      return pool_span(x, e->tok_start, e->tok_end);
    }
  }
  uint32_t key = key_of(base_hash(x, head));
  name_entry *e = find_person(x, key);
  if (e) {
    *person = key;
    return entry_name(x, e);
  }
  return pool_span(x, strip_titles(x, a, b, NULL), b);
}

static uint32_t resolve_pronoun(ctx *x, const mention *m, uint32_t *person) {
  uint32_t w = bits_at(x, m->a);
  uint8_t g = (w & W_MALE) ? 1 : (w & W_FEMALE) ? 2 : 0;
  for (int k = 0; k < x->nrecent; k++) {
    recent_t *r = &x->recent[k];
    name_entry *e = find_person(x, r->person);
    if (g && e && e->gender && e->gender != g) continue;
    if (g && !r->person) continue; /* he / she: a person, not "officials" */
    if (g && e && !e->gender) e->gender = g;
    *person = r->person;
    return r->name;
  }
  *person = 0;
  return pool_span(x, m->a, m->b);
}

static uint32_t resolve(ctx *x, const mention *m, uint32_t *person, int depth) {
  *person = 0;
  switch (m->type) {
  case M_NAME:
    return resolve_name(x, m->a, m->b, m->head, person);
  case M_PRONOUN:
    return resolve_pronoun(x, m, person);
  case M_REL:
    if (depth < 2 && m->a >= 2 && T(x, m->a - 1)->cp == ',') {
      mention ante = np_before(x, m->a - 2, m->a > 12 ? m->a - 12 : 0);
      if (ante.type && ante.type != M_REL) return resolve(x, &ante, person, depth + 1);
    }
    if (x->nrecent) {
      *person = x->recent[0].person;
      return x->recent[0].name;
    }
    break;
  case M_ROLE:
    /* "the spokeswoman": the person last named in that role */
    if (m->b - m->a <= 2 && m->owner == VB_NONE) {
      const wentry *e = slot(x->S, T(x, m->head)->hash);
      role_entry_t *r = role_slot(x, T(x, m->head)->hash);
      if (!r->key) r = role_slot(x, e->family);
      name_entry *p = r->key ? find_person(x, r->person) : NULL;
      if (p) {
        *person = p->key;
        return entry_name(x, p);
      }
    }
    break;
  case M_DOC:
    if (m->owner != VB_NONE) {
      mention o = np_before(x, m->owner, m->a);
      if (o.type == M_NAME) return resolve(x, &o, person, depth + 1);
    }
    if (m->b - m->a <= 2 && x->nrecent) {
      *person = x->recent[0].person;
      return x->recent[0].name;
    }
    break;
  case M_NP:
    break;
  default:
    return VB_NONE;
  }
  return pool_span(x, m->a, m->b);
}

/* Let the recent-speaker state see every cue before token `upto`: reported
 * speech outside quotation marks ("Smith said that ...") makes a speaker
 * recent too. */
/* A person named as the subject of a sentence becomes recent too: "Jane
 * Doe, 41, was on the quay. '...,' she said." (first 40 tokens only). */
static void see_subject(ctx *x, size_t s) {
  const vb_range *r = &x->d->sents[s];
  size_t end = r->tok_end < r->tok_start + 40 ? r->tok_end : r->tok_start + 40;
  mention m = clause_subject(x, end > 0 ? end - 1 : 0);
  if (m.type != M_NAME) return;
  uint32_t person;
  uint32_t name = resolve(x, &m, &person, 0);
  name_entry *e = find_person(x, person);
  int is_person = x->ent_at ? x->ent_at[m.head] >= 0 && x->d->ents[x->ent_at[m.head]].type == VB_ENT_PERSON
                            : e && e->ntok >= 2;
  if (person && is_person) push_recent(x, name, person, m.a);
}

static void advance(ctx *x, size_t upto) {
  for (;;) {
    size_t next_cue = x->cue_cursor < x->ncues ? x->cue_toks[x->cue_cursor] : VB_NONE;
    size_t next_sent = x->sent_cursor < x->d->nsents ? x->d->sents[x->sent_cursor].tok_start : VB_NONE;
    if (next_sent < upto && next_sent <= next_cue) {
      see_subject(x, x->sent_cursor++);
      continue;
    }
    if (next_cue >= upto) break;
    size_t v = x->cue_toks[x->cue_cursor++], len;
    int after;
    if (!cue_at(x, v, &len, &after)) continue;
    mention m = cue_subject(x, v, len, after);
    if (m.type != M_NAME && m.type != M_PRONOUN && m.type != M_ROLE) continue;
    uint32_t person;
    uint32_t name = resolve(x, &m, &person, 0);
    if (person) push_recent(x, name, person, m.a);
  }
}

/* ------------------------------------------------------------- attribution */

typedef struct {
  size_t v, len;
  int after;
} cue;

/* The first cue after a closing mark at b, up to the end of the sentence. */
static int cue_forward(const ctx *x, size_t b, int own_sentence, cue *out) {
  size_t n = x->d->ntoks;
  /* a quotation that ends its sentence with a full stop is attributed by the
   * next sentence only when nothing else does ("... neighbourhood." Russia
   * insisted ...) */
  int full_stop = own_sentence && b > 0 && T(x, b - 1)->cp == '.';
  for (size_t j = b + 1; j < n && j <= b + 30; j++) {
    const vb_token *t = T(x, j);
    if ((t->flags & VB_TOK_PARA) || x->inq[j]) break;
    if (full_stop && (t->flags & VB_TOK_SENT)) break;
    /* a new clause right after the mark: "... insults" because he cannot */
    if ((j == b + 1 || (j == b + 2 && T(x, b + 1)->cp == ',')) && is_lower_word(x, j) &&
        (bits_at(x, j) & (W_CONJ | W_REL)))
      break;
    if (cue_at(x, j, &out->len, &out->after)) {
      out->v = j;
      return 1;
    }
    if (t->flags & VB_TOK_SENT_END) break;
  }
  return 0;
}

/* The nearest cue before an opening mark at a, back to the sentence start. */
static int cue_backward(const ctx *x, size_t a, cue *out) {
  size_t s0 = sentence_start(x, a);
  size_t lim = a > s0 + 60 ? a - 60 : s0;
  for (size_t j = a; j-- > lim;) {
    if (T(x, j + 1)->flags & VB_TOK_PARA) break;
    if (x->inq[j]) continue;
    if (cue_at(x, j, &out->len, &out->after)) {
      out->v = j;
      return 1;
    }
  }
  return 0;
}

static void set_speaker(ctx *x, vb_iquote *q, const mention *m, const cue *c) {
  uint32_t person;
  advance(x, m->a);
  uint32_t name = resolve(x, m, &person, 0);
  if (name == VB_NONE) return;
  q->speaker_name = name;
  q->firmness = m->type == M_NAME                        ? VB_FIRM_NAMED
                : m->type == M_NP || m->type == M_DOC ? VB_FIRM_VAGUE
                                                      : VB_FIRM_INFERRED;
  q->speaker_start = T(x, m->a)->start;
  q->speaker_end = T(x, m->b - 1)->end;
  q->cue_start = T(x, c->v)->start;
  q->cue_end = T(x, c->v + c->len - 1)->end;
  if (person || m->type == M_NP || m->type == M_ROLE) push_recent(x, name, person, m->a);
}

static void copy_speaker(vb_iquote *q, const vb_iquote *from) {
  q->speaker_name = from->speaker_name;
  q->firmness = from->firmness;
  q->speaker_start = from->speaker_start;
  q->speaker_end = from->speaker_end;
}

static int is_dash(const vb_token *t) { return t->cp == 0x2014 || t->cp == 0x2015 || t->cp == 0x2013; }

/* A name after a dash that ends the paragraph or sentence, the way
 * collected comments are signed: "...” ― Jane Doe". */
static int dash_signature(const ctx *x, size_t b, mention *m, cue *c) {
  size_t n = x->d->ntoks;
  if (b + 2 >= n || !is_dash(T(x, b + 1)) || (T(x, b + 1)->flags & VB_TOK_PARA)) return 0;
  size_t hi = b + 12 < n ? b + 12 : n;
  *m = np_after(x, b + 2, hi);
  if (m->type != M_NAME || m->a != b + 2) return 0;
  size_t e = m->b;
  if (e < n && !(T(x, e)->flags & VB_TOK_PARA) && T(x, e)->cp != '.' && T(x, e)->cp != ',') return 0;
  c->v = b + 1;
  c->len = 1;
  c->after = 1;
  return 1;
}

/* Does a naming cue ending before token `from` give its object the name
 * quoted at `open`: "called the plan "a disaster"", not "called Rubio for
 * the first time since "Operation X"" (a call, and a name)? */
static int names_quote(const ctx *x, size_t from, size_t open) {
  if (open < from || open - from > 5) return 0;
  for (size_t t = from; t < open; t++) {
    const vb_token *k = T(x, t);
    if (!(k->flags & VB_TOK_WORD) || (k->flags & VB_TOK_PARA)) return 0;
    if (is_lower_word(x, t) && (bits_at(x, t) & W_PREP) &&
        !(k->end - k->start == 2 && memcmp(x->d->text + k->start, "as", 2) == 0))
      return 0;
  }
  return 1;
}

/* Find the cue and speaker of one quotation; returns 1 when it has a cue,
 * 2 when that cue is a person naming something with the quoted words. With
 * `look_ahead`, a cue in the next sentence may serve when the quotation's
 * own sentence has none. */
static int attribute(ctx *x, size_t qi, int look_ahead) {
  vb_doc *d = x->d;
  vb_iquote *q = &d->quotes[qi];
  size_t a = q->tok_start - 1, b = q->tok_end;
  int closed = q->end > q->inner_end && b < d->ntoks;
  cue f, k;
  mention sig;
  if (closed && dash_signature(x, b, &sig, &f)) {
    set_speaker(x, q, &sig, &f);
    return 1;
  }
  int hf = closed && cue_forward(x, b, 1, &f);
  int hb = cue_backward(x, a, &k);
  /* "He said:" closing the paragraph before */
  if (!hf && !hb && (T(x, a)->flags & VB_TOK_PARA) && a > 0 && T(x, a - 1)->cp == ':' && !x->inq[a - 1])
    hb = cue_backward(x, a - 1, &k);
  if (!hf && !hb && closed && look_ahead) hf = cue_forward(x, b, 0, &f);
  if (!hf && !hb) return 0;
  int pf = 0, pb = 0;
  if (closed && b > q->tok_start) {
    uint16_t last = T(x, b - 1)->cp;
    if (last == ',' || last == '?' || last == '!') pf = 1;
    if (b + 1 < d->ntoks && T(x, b + 1)->cp == ',') pf = 1;
  }
  if (T(x, a)->flags & (VB_TOK_SENT | VB_TOK_PARA)) pf = 1;
  if (a > 0) {
    uint16_t before = T(x, a - 1)->cp;
    if ((before == ':' || before == ',') && hb && a - k.v <= 12) pb = 1;
  }
  /* a fragment woven into a sentence whose nearest cue has no person as
   * subject: an earlier cue with one speaks ("Smith said the repairs that
   * critics call "reckless" ...") */
  mention near = hb ? cue_subject(x, k.v, k.len, k.after) : no_mention();
  if (hb && !pb && !(T(x, a)->flags & (VB_TOK_SENT | VB_TOK_PARA)) && near.type != M_NAME &&
      near.type != M_PRONOUN && near.type != M_REL) {
    cue e = k, best = k;
    int found = 0;
    for (int tries = 0; tries < 4 && cue_backward(x, e.v, &e); tries++) {
      mention em = cue_subject(x, e.v, e.len, e.after);
      if (em.type == M_NAME || em.type == M_PRONOUN || em.type == M_ROLE) best = e, found = 1;
    }
    if (found) k = best;
  }
  const cue *first = NULL, *second = NULL;
  if (hf && hb) {
    int fwd = pf && !pb ? 1 : pb && !pf ? 0 : (f.v - b) <= (a - k.v);
    first = fwd ? &f : &k;
    second = fwd ? &k : &f;
  } else {
    first = hf ? &f : &k;
  }
  mention m = cue_subject(x, first->v, first->len, first->after);
  if (!m.type && second) {
    first = second;
    m = cue_subject(x, first->v, first->len, first->after);
  }
  /* a cue with no subject of its own ("... have come to believe"): an
   * earlier one in the sentence ("Smith said, a majority ...") */
  cue e = k;
  for (int tries = 0; !m.type && hb && tries < 3 && cue_backward(x, e.v, &e); tries++) {
    m = cue_subject(x, e.v, e.len, e.after);
    if (m.type) first = &e;
  }
  if (!m.type) {
    q->cue_start = T(x, first->v)->start;
    q->cue_end = T(x, first->v + first->len - 1)->end;
    return 1;
  }
  set_speaker(x, q, &m, first);
  /* someone naming something: "Smith called him "Little Marco"" */
  if ((bits_at(x, first->v) & W_NAMING) && (m.type == M_NAME || m.type == M_PRONOUN) &&
      names_quote(x, first->v + first->len, a))
    return 2;
  return 1;
}

/* A quoted sentence right after a sentence of reported speech takes its
 * speaker: "He is not a conservative, Smith said. 'He is a liberal!'" */
static int reported_before(ctx *x, vb_iquote *q) {
  vb_doc *d = x->d;
  size_t a = q->tok_start - 1;
  if (!(d->toks[a].flags & VB_TOK_SENT) || (d->toks[a].flags & VB_TOK_PARA)) return 0;
  uint32_t s = vb_text_sentence_of(d, (uint32_t)a);
  if (s == 0 || s >= d->nsents) return 0;
  const vb_range *prev = &d->sents[s - 1];
  for (size_t t = prev->tok_start; t < prev->tok_end; t++)
    if (x->inq[t]) return 0; /* its own quotation: inheritance covers it */
  size_t lo = 0, hi = x->ncues; /* first cue at or after the sentence */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (x->cue_toks[mid] < prev->tok_start) lo = mid + 1;
    else hi = mid;
  }
  if (lo == x->ncues || x->cue_toks[lo] >= prev->tok_end) return 0;
  cue c;
  c.v = x->cue_toks[lo];
  if (!cue_at(x, c.v, &c.len, &c.after)) return 0;
  mention m = cue_subject(x, c.v, c.len, c.after);
  if (m.type != M_NAME && m.type != M_PRONOUN && m.type != M_ROLE) return 0;
  set_speaker(x, q, &m, &c);
  if (q->speaker_name == VB_NONE) return 0;
  q->cue_start = q->cue_end = VB_NONE; /* the cue is not this quotation's own */
  if (q->firmness > VB_FIRM_INFERRED) q->firmness = VB_FIRM_INFERRED;
  return 1;
}

/* No cue at all: a fragment woven into a sentence whose subject is a
 * person speaks for it ("He has coined a new phrase, "..."). */
static int subject_speaks(ctx *x, vb_iquote *q) {
  size_t a = q->tok_start - 1;
  if (x->d->toks[a].flags & (VB_TOK_SENT | VB_TOK_PARA)) return 0;
  mention m = clause_subject(x, a);
  if ((m.type != M_NAME && m.type != M_PRONOUN) || m.b > a) return 0;
  if (m.type == M_NAME && !(x->ent_at && x->ent_at[m.head] >= 0 &&
                            x->d->ents[x->ent_at[m.head]].type == VB_ENT_PERSON))
    return 0;
  cue c = {a, 1, 0};
  set_speaker(x, q, &m, &c);
  if (q->speaker_name == VB_NONE) return 0;
  q->cue_start = q->cue_end = VB_NONE;
  if (q->firmness > VB_FIRM_INFERRED) q->firmness = VB_FIRM_INFERRED;
  return 1;
}

/* Is quotation qi a sentence that a cue interrupts and the next quotation
 * goes on with: "As mayor," she said, "I will ..."? */
static int split_by_cue(const ctx *x, size_t qi) {
  const vb_doc *d = x->d;
  const vb_iquote *q = &d->quotes[qi];
  if (qi + 1 >= d->nquotes || q->cue_start == VB_NONE || q->cue_start < q->end) return 0;
  if (q->tok_end <= q->tok_start || d->toks[q->tok_end - 1].cp != ',') return 0;
  const vb_iquote *n = &d->quotes[qi + 1];
  size_t open = n->tok_start - 1, close = q->tok_end + 1;
  if (open <= close || open - close > 8 || d->toks[open - 1].cp != ',') return 0;
  for (size_t t = close; t < open; t++)
    if (d->toks[t].flags & (VB_TOK_PARA | VB_TOK_SENT | VB_TOK_QUOTE)) return 0;
  return n->start > q->cue_start;
}

/* A cue just before a quotation inside a quotation ("... wrote, 'We ...'"):
 * speech within the speech. */
static int nested_cue(const ctx *x, size_t a) {
  for (size_t j = a, k = 0; j-- > 0 && k < 6; k++) {
    const vb_token *t = T(x, j);
    if (t->flags & (VB_TOK_QUOTE | VB_TOK_PARA)) break;
    if (is_lower_word(x, j) && (bits_at(x, j) & W_CUE)) return 1;
  }
  return 0;
}

static int mark_quoted(ctx *x) {
  vb_doc *d = x->d;
  memset(x->inq, 0, d->ntoks);
  for (size_t i = 0; i < d->nquotes; i++) {
    const vb_iquote *q = &d->quotes[i];
    size_t a = q->tok_start - 1;
    size_t b = q->end > q->inner_end ? q->tok_end + 1 : q->tok_end;
    if (b > d->ntoks) b = d->ntoks;
    if (a < b) memset(x->inq + a, 1, b - a);
  }
  return 0;
}

static int build_ctx(vb_corpus *c, vb_doc *d, ctx *x) {
  memset(x, 0, sizeof *x);
  x->d = d;
  x->S = c->speech;
  size_t want = 64;
  while (want < d->ntoks / 2) want <<= 1;
  struct vb_spk_mem *m = c->spk_mem;
  if (!m && !(m = c->spk_mem = calloc(1, sizeof *m))) return VB_ERR_NOMEM;
  x->mem = m;
  x->cue_toks = m->cue_toks;
  x->ccues = m->ccues;
  if (m->tok_cap < d->ntoks + 1) {
    size_t cap = d->ntoks + 1 + d->ntoks / 2;
    uint8_t *inq = realloc(m->inq, cap);
    if (inq) m->inq = inq;
    uint32_t *bits = realloc(m->bits, cap * sizeof *bits);
    if (bits) m->bits = bits;
    uint32_t *starts = realloc(m->sent_start, cap * sizeof *starts);
    if (starts) m->sent_start = starts;
    int32_t *ent_at = realloc(m->ent_at, cap * sizeof *ent_at);
    if (ent_at) m->ent_at = ent_at;
    if (!inq || !bits || !starts || !ent_at) return VB_ERR_NOMEM;
    m->tok_cap = cap;
  }
  x->inq = m->inq;
  x->bits = m->bits;
  x->sent_start = m->sent_start;
  if (m->cap < want) {
    name_entry *t = calloc(want, sizeof *t);
    if (!t) return VB_ERR_NOMEM;
    free(m->names);
    m->names = t;
    m->cap = want;
  }
  if (++m->gen == 0) { /* after 2^32 documents: empty the table for real */
    memset(m->names, 0, m->cap * sizeof *m->names);
    m->gen = 1;
  }
  x->names = m->names;
  x->ncap = m->cap;
  x->gen = m->gen;
  /* at most half full, so a probe always reaches an empty slot */
  x->rcap = 64;
  while (x->rcap < 2 * x->S->role_keys + 2) x->rcap <<= 1;
  x->roles = calloc(x->rcap, sizeof *x->roles);
  if (!x->roles) return VB_ERR_NOMEM;
  if (mark_quoted(x)) return VB_ERR_NOMEM;
  /* the word classes first: a cue looks at the word after it ("Said Smith") */
  for (size_t i = 0; i < d->ntoks; i++) x->bits[i] = lookup(x->S, d->toks[i].hash);
  /* then the sentence starts and the cues outside quotations; only the
   * first cue of a sentence counts, as later ones report what someone else
   * said ("Smith said Jones promised ...") */
  uint32_t first = 0, last_sent = VB_NONE;
  for (size_t i = 0; i < d->ntoks; i++) {
    const vb_token *t = &d->toks[i];
    if (t->flags & VB_TOK_SENT) first = (uint32_t)i; /* where text.c starts a sentence */
    x->sent_start[i] = first;
    size_t len;
    int after;
    if (!(t->flags & VB_TOK_WORD) || x->inq[i] || first == last_sent) continue;
    if (!(x->bits[i] & (W_CUE | W_PHRASE))) continue;
    if (!cue_at(x, i, &len, &after)) continue;
    uint32_t v = (uint32_t)i;
    last_sent = first;
    if (VB_PUSH(x->cue_toks, x->ncues, x->ccues, v)) return VB_ERR_NOMEM;
  }
  if (d->nents) {
    x->ent_at = m->ent_at;
    for (size_t i = 0; i < d->ntoks; i++) x->ent_at[i] = -1;
    for (size_t i = 0; i < d->nents; i++)
      for (uint32_t t = d->ents[i].tok_start; t < d->ents[i].tok_end && t < d->ntoks; t++)
        x->ent_at[t] = (int32_t)i;
  }
  if (index_names(x)) return VB_ERR_NOMEM;
  return 0;
}

static void free_ctx(ctx *x) {
  if (x->mem) { /* the cue list may have grown: keep it for the next document */
    x->mem->cue_toks = x->cue_toks;
    x->mem->ccues = x->ccues;
  }
  free(x->roles);
  vb_buf_free(&x->scratch);
}

int vb_speakers_attribute(vb_corpus *c, vb_doc *d) {
  if (d->nquotes == 0) return 0;
  if (!c->speech && !(c->speech = speech_new()))
    return vb_fail(c, VB_ERR_NOMEM, "out of memory loading the attribution cues");
  ctx x;
  int rc = build_ctx(c, d, &x);
  if (rc) {
    free_ctx(&x);
    return vb_fail(c, rc, "out of memory attributing quotations in %s", d->name);
  }
  size_t last_para = VB_NONE, last_attr = VB_NONE;
  for (size_t i = 0; i < d->nquotes; i++) {
    vb_iquote *q = &d->quotes[i];
    size_t para = vb_text_paragraph_of(d, q->tok_start - 1);
    /* more words of the speaker just quoted come before a cue ahead */
    int can_inherit = q->prev_part >= 0 || (last_attr != VB_NONE && para == last_para);
    int has_cue = attribute(&x, i, !can_inherit);
    /* speech within speech: a nested sentence introduced by a cue that the
     * outer sentence goes on after ("... wrote, 'We ...,' and ...") */
    if (!has_cue && (q->flags & VB_QUOTE_NESTED) && q->tok_end > q->tok_start &&
        d->toks[q->tok_end - 1].cp == ',' && q->tok_end - q->tok_start >= 6)
      has_cue = nested_cue(&x, q->tok_start - 1);
    enum { UNSET = 0, CARRIED, SUBJECT } inherited = UNSET; /* where a cue-less speaker came from */
    if (!has_cue && !(q->flags & VB_QUOTE_NESTED)) {
      const vb_iquote *from = NULL;
      if (q->prev_part >= 0) from = &d->quotes[q->prev_part];
      else if (reported_before(&x, q)) inherited = CARRIED;
      else if (subject_speaks(&x, q)) inherited = SUBJECT;
      else if (last_attr != VB_NONE && para == last_para) from = &d->quotes[last_attr];
      /* a paragraph that opens with more of the last speaker's words, in
       * the same marks (a line in single marks after speech in double ones
       * is a heading or a title) */
      else if (last_attr != VB_NONE && para == last_para + 1 &&
               (d->toks[q->tok_start - 1].flags & VB_TOK_PARA) &&
               vb_quote_is_single(d, q) == vb_quote_is_single(d, &d->quotes[last_attr]))
        from = &d->quotes[last_attr];
      if (from && from->speaker_name != VB_NONE) {
        copy_speaker(q, from);
        inherited = CARRIED;
      }
    }
    /* a speaker from the sentence's subject says nothing about the kind */
    int how = has_cue ? (split_by_cue(&x, i) ? 3 : has_cue == 2 ? 4 : 1) : inherited == CARRIED ? 2 : 0;
    q->kind = (uint8_t)vb_quote_classify(d, q, how);
    if (q->kind == VB_QUOTE_TERM) {
      q->speaker_name = q->speaker_start = q->speaker_end = VB_NONE;
      q->firmness = VB_FIRM_NONE;
      q->cue_start = q->cue_end = VB_NONE;
      continue;
    }
    if (!(q->flags & VB_QUOTE_NESTED) && (has_cue || inherited != UNSET) && q->speaker_name != VB_NONE) {
      last_attr = i;
      last_para = para;
    }
  }
  free_ctx(&x);
  return 0;
}
