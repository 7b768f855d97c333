/*
 * entities.c: the entity tagger.
 *
 * One pass over the tokens finds runs of capitalised words ("Secretary of
 * State Marco Rubio") and cuts each run into pieces with the lexicon:
 * titles, known names, and unknown names classified by their words (a given
 * name, an organisation suffix, an initial) and their context (a title or
 * honorific before them). Pieces still unknown are settled at the end of the
 * document by what the document itself says elsewhere ("Munir" after "Asim
 * Munir" is a person). Lines set in capitals (headlines) only take names
 * the lexicon or the rest of the document knows. Numbers, money,
 * percentages and dates come from patterns.c, tried only where a token can
 * start one.
 */
#include "lexicon.h"
#include "patterns.h"

/* ------------------------------------------------------------------ lexicon */

static const struct {
  const char *file;
  uint32_t cls;
} builtin_lists[] = {
    {"titles.txt", VB_LX_TITLE},
    {"honorifics.txt", VB_LX_HONORIFIC},
    {"countries.txt", VB_LX_COUNTRY},
    {"places.txt", VB_LX_PLACE},
    {"demonyms.txt", VB_LX_DEMONYM},
    {"organisations.txt", VB_LX_ORG},
    {"org_suffixes.txt", VB_LX_ORG_SUFFIX},
    {"org_heads.txt", VB_LX_ORG_HEAD},
    {"given_names.txt", VB_LX_GIVEN},
    {"surnames.txt", VB_LX_SURNAME},
    {"common_words.txt", VB_LX_COMMON},
    {"events.txt", VB_LX_EVENT},
    {"misc.txt", VB_LX_MISC},
    {"particles.txt", VB_LX_PARTICLE},
    {"place_suffixes.txt", VB_LX_PLACE_SUFFIX},
    {"person_cues.txt", VB_LX_PERSON_CUE},
    {"sports.txt", VB_LX_SPORT},
    {"team_sports.txt", VB_LX_TEAM_SPORT},
    {"venues.txt", VB_LX_PLACE | VB_LX_VENUE},
    {"months.txt", VB_LX_MONTH},
    {"event_suffixes.txt", VB_LX_EVENT_SUFFIX},
    {"event_heads.txt", VB_LX_EVENT_HEAD},
    {"place_prepositions.txt", VB_LX_PLACE_PREP},
    {"time_prepositions.txt", VB_LX_TIME_PREP},
};

static const struct {
  const char *name;
  uint32_t cls;
} user_types[] = {
    {"PERSON", VB_LX_PERSON}, {"PER", VB_LX_PERSON},      {"ORG", VB_LX_ORG},
    {"ORGANIZATION", VB_LX_ORG}, {"ORGANISATION", VB_LX_ORG}, {"PLACE", VB_LX_PLACE},
    {"LOC", VB_LX_PLACE},     {"LOCATION", VB_LX_PLACE},  {"TITLE", VB_LX_TITLE},
    {"EVENT", VB_LX_EVENT},   {"MISC", VB_LX_MISC},
};

static int ieq(const char *a, size_t n, const char *b) {
  if (strlen(b) != n) return 0;
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = (char)(x - 32);
    if (x != y) return 0;
  }
  return 1;
}

static void trim(const char **s, size_t *n) {
  while (*n && ((unsigned char)(*s)[0] <= ' ')) (*s)++, (*n)--;
  while (*n && ((unsigned char)(*s)[*n - 1] <= ' ')) (*n)--;
}

/* Parse the user's names file into the lexicon. Every line is checked
 * before anything is added, so a bad file adds nothing. */
static int add_user_names(vb_corpus *c, vb_lexicon *lx, const char *text, size_t len, int apply) {
  size_t line_no = 0;
  for (size_t i = 0; i < len;) {
    size_t j = i;
    while (j < len && text[j] != '\n') j++;
    line_no++;
    const char *s = text + i;
    size_t n = j - i;
    i = j + 1;
    if (memchr(s, '\0', n))
      return vb_fail(c, VB_ERR_PARSE, "names line %zu: contains a NUL byte", line_no);
    const char *hash = memchr(s, '#', n);
    if (hash) n = (size_t)(hash - s);
    /* the name ends at a tab or at " | " */
    size_t cut = n, skip = 0;
    for (size_t k = 0; k < n; k++) {
      if (s[k] == '\t') {
        cut = k, skip = 1;
        break;
      }
      if (s[k] == '|' && k > 0 && s[k - 1] == ' ' && k + 1 < n && s[k + 1] == ' ') {
        cut = k - 1, skip = 3;
        break;
      }
      if (s[k] == '|' && k + 1 == n) {
        cut = k, skip = 1;
        break;
      }
    }
    const char *name = s, *type = s + cut + (cut < n ? skip : 0);
    size_t name_len = cut, type_len = cut < n ? n - cut - skip : 0;
    trim(&name, &name_len);
    trim(&type, &type_len);
    if (name_len == 0 && type_len == 0) continue;
    if (name_len == 0)
      return vb_fail(c, VB_ERR_PARSE, "names line %zu: a type without a name", line_no);
    if (name_len > 200)
      return vb_fail(c, VB_ERR_PARSE, "names line %zu: name longer than 200 bytes", line_no);
    uint32_t cls = VB_LX_NAME;
    if (type_len) {
      cls = 0;
      for (size_t k = 0; k < sizeof user_types / sizeof *user_types; k++)
        if (ieq(type, type_len, user_types[k].name)) cls = user_types[k].cls;
      if (!cls)
        return vb_fail(c, VB_ERR_PARSE,
                       "names line %zu: unknown type '%.*s' (use PERSON, ORG, PLACE, TITLE, "
                       "EVENT or MISC)",
                       line_no, (int)(type_len > 40 ? 40 : type_len), type);
    }
    if (apply) {
      int rc = vb_lex_add_list(c, lx, name, name_len, cls | VB_LX_USER);
      if (rc) return rc;
    }
  }
  return 0;
}

static int build_base(vb_corpus *c) {
  vb_lexicon *lx = vb_lex_new();
  if (!lx) return vb_fail(c, VB_ERR_NOMEM, "out of memory building the lexicon");
  for (size_t i = 0; i < sizeof builtin_lists / sizeof *builtin_lists; i++) {
    const vb_lexdata *f = vb_lexdata_find(builtin_lists[i].file);
    if (!f) continue;
    int rc = vb_lex_add_list(c, lx, f->text, f->len, builtin_lists[i].cls);
    if (rc) {
      vb_lex_free(lx);
      return rc;
    }
  }
  c->lex_base = (struct vb_lexicon *)lx;
  return 0;
}

static void tag_mem_free(struct vb_tag_mem *m);

int vb_entities_init(vb_corpus *c) {
  vb_entities_drop_names(c);
  if (!c->lex_base) {
    int rc = build_base(c);
    if (rc) return rc;
  }
  c->lex = c->lex_base;
  if (!c->user_names.len) return 0;
  /* every line is checked before the copy is made: a bad file costs nothing */
  int rc = add_user_names(c, NULL, c->user_names.data, c->user_names.len, 0);
  if (rc) {
    /* keep the built-in lexicon usable and forget the bad file */
    c->user_names.len = 0;
    return rc;
  }
  vb_lexicon *lx = vb_lex_copy((const vb_lexicon *)c->lex_base);
  if (!lx) return vb_fail(c, VB_ERR_NOMEM, "out of memory building the lexicon");
  c->lex = (struct vb_lexicon *)lx;
  return add_user_names(c, lx, c->user_names.data, c->user_names.len, 1);
}

/* The tagger's memory goes with the lexicon it was filled from. */
void vb_entities_drop_names(vb_corpus *c) {
  if (c->lex != c->lex_base) vb_lex_free((vb_lexicon *)c->lex);
  c->lex = NULL;
  tag_mem_free(c->tag_mem);
  c->tag_mem = NULL;
}

void vb_entities_free(vb_corpus *c) {
  vb_entities_drop_names(c);
  vb_lex_free((vb_lexicon *)c->lex_base);
  c->lex_base = NULL;
}

/* ------------------------------------------------------------------- tagger */

enum { SPORT = 1, TEAM_SPORT = 2 };

/* How sure the tagger is of a piece's type. */
enum { SURE = 2, GUESS = 1, UNKNOWN = 0 };

enum {
  WEAK = 1,     /* dropped unless the document settles it: a lone word starting a
                   sentence, a common word */
  COUNTRY = 2,  /* a country or a venue by the lexicon: a place even in sports news */
  DATELINE = 4  /* the place a story was filed from */
};

typedef struct cand {
  uint32_t t0, t1; /* tokens [t0, t1) */
  uint8_t type;    /* vb_entity_type */
  uint8_t how;     /* SURE, GUESS or UNKNOWN */
  uint8_t bits;    /* WEAK, COUNTRY, DATELINE */
} cand;

/* The hash tables of one document live in the corpus and serve the next
 * document too: a slot is empty unless it carries the current document's
 * generation, so nothing has to be cleared between documents. */
typedef struct {
  uint64_t key;
  uint32_t gen;
  uint8_t type;
} seen_slot;

typedef struct {
  uint64_t key;
  uint32_t best; /* the longest person mention holding the word */
  uint32_t gen;
} person_slot;

struct vb_tag_mem {
  uint32_t gen;
  /* per-token arrays, grown as documents need */
  uint32_t *h, *cls;
  uint8_t *trim, *known;
  size_t tok_cap;
  uint32_t *caps;
  size_t para_cap;
  struct cand *cands;
  size_t ccands;
  seen_slot *seen;
  size_t seen_cap;
  person_slot *persons;
  size_t persons_cap;
};

/* Make *table hold at least `cap` slots (a power of two), all empty. */
static int mem_reserve(void **table, size_t *have, size_t cap, size_t size) {
  if (*have >= cap) return 0;
  void *t = calloc(cap, size);
  if (!t) return VB_ERR_NOMEM;
  free(*table);
  *table = t;
  *have = cap;
  return 0;
}

static void tag_mem_free(struct vb_tag_mem *m) {
  if (!m) return;
  free(m->h);
  free(m->cls);
  free(m->trim);
  free(m->known);
  free(m->caps);
  free(m->cands);
  free(m->seen);
  free(m->persons);
  free(m);
}

typedef struct {
  vb_corpus *c;
  vb_doc *d;
  const vb_lexicon *lx;
  uint32_t *h;    /* lookup hash of each token (possessive 's left out) */
  uint32_t *cls;  /* lexicon classes of each one-token entry, computed on demand */
  uint8_t *trim;  /* bytes of a possessive ending to leave out of a mention */
  uint8_t *known; /* cls[] is filled */
  uint32_t *caps; /* paragraphs set in capitals */
  uint32_t surnames[32]; /* last words of the first people named */
  size_t nsurnames;
  cand *cands;
  size_t ncands, ccands;
  seen_slot *seen; /* names the document settles, by token sequence */
  size_t seen_cap;
  struct vb_tag_mem *mem;
  uint32_t gen;
  int sport;       /* the document is about sport: SPORT or TEAM_SPORT */
  uint32_t h_of, h_i, h_said, h_says, h_told, h_added, h_may;
  vb_buf scratch;
} tagger;

static uint32_t word_hash(const char *s, size_t n) { return vb_hash32(s, n); }

static uint32_t tok_cls(tagger *g, size_t t) {
  if (!g->known[t]) {
    g->cls[t] = vb_lex_word(g->lx, g->h[t]);
    g->known[t] = 1;
  }
  return g->cls[t];
}

static size_t tok_len(const vb_doc *d, size_t t) { return d->toks[t].end - d->toks[t].start; }

static int is_word(const vb_doc *d, size_t t) { return (d->toks[t].flags & VB_TOK_WORD) != 0; }

static int is_cap(const vb_doc *d, size_t t) {
  uint16_t f = d->toks[t].flags;
  return (f & VB_TOK_WORD) && (f & VB_TOK_UPPER) && !(f & VB_TOK_NUM);
}

/* "S" in "S. Jaishankar". */
static int is_initial(const vb_doc *d, size_t t) {
  return is_cap(d, t) && tok_len(d, t) == 1 && t + 1 < d->ntoks && d->toks[t + 1].cp == '.' &&
         !(d->toks[t + 1].flags & VB_TOK_SPACE);
}

static int is_acronym(const vb_doc *d, size_t t) {
  size_t n = tok_len(d, t);
  return (d->toks[t].flags & VB_TOK_ALLCAPS) && n >= 2 && n <= 6;
}

/* Does token t start a sentence (possibly behind an opening mark)? */
static int sentence_initial(const vb_doc *d, size_t t) {
  for (int back = 0; back < 3; back++) {
    uint16_t f = d->toks[t].flags;
    if (f & (VB_TOK_SENT | VB_TOK_PARA)) return 1;
    if (t == 0) return 1;
    const vb_token *p = &d->toks[t - 1];
    if (p->flags & VB_TOK_QUOTE || p->cp == '(' || p->cp == '[') {
      t--;
      continue;
    }
    return p->cp == ':' || p->cp == '-' || p->cp == 0x2014 || p->cp == 0x2013 || p->cp == ';';
  }
  return 0;
}

/* Hash and possessive of every token. */
static int prepare(tagger *g) {
  const vb_doc *d = g->d;
  size_t n = d->ntoks;
  struct vb_tag_mem *m = g->mem;
  if (m->tok_cap < n + 1) {
    size_t cap = n + 1 + n / 2;
    uint32_t *h = realloc(m->h, cap * sizeof *h);
    if (h) m->h = h;
    uint32_t *cls = realloc(m->cls, cap * sizeof *cls);
    if (cls) m->cls = cls;
    uint8_t *trim = realloc(m->trim, cap);
    if (trim) m->trim = trim;
    uint8_t *known = realloc(m->known, cap);
    if (known) m->known = known;
    if (!h || !cls || !trim || !known) return VB_ERR_NOMEM;
    m->tok_cap = cap;
  }
  if (m->para_cap < d->nparas + 1) {
    uint32_t *caps = realloc(m->caps, (d->nparas + 1) * sizeof *caps);
    if (!caps) return VB_ERR_NOMEM;
    m->caps = caps;
    m->para_cap = d->nparas + 1;
  }
  g->h = m->h;
  g->cls = m->cls;
  g->trim = m->trim;
  g->known = m->known;
  g->caps = m->caps;
  memset(g->trim, 0, n + 1);
  memset(g->known, 0, n + 1);
  for (size_t t = 0; t < n; t++) {
    const vb_token *k = &d->toks[t];
    g->h[t] = k->hash;
    if (!(k->flags & VB_TOK_UPPER) || !(k->flags & VB_TOK_WORD)) continue;
    const char *s = d->text + k->start;
    size_t len = k->end - k->start;
    size_t cut = 0;
    if (len > 2 && (s[len - 1] == 's' || s[len - 1] == 'S') && s[len - 2] == '\'') cut = 2;
    else if (len > 4 && (s[len - 1] == 's' || s[len - 1] == 'S') &&
             memcmp(s + len - 4, "\xE2\x80\x99", 3) == 0)
      cut = 4;
    if (!cut) continue;
    g->trim[t] = (uint8_t)cut;
    g->scratch.len = 0;
    if (vb_norm_append(&g->scratch, s, len - cut)) return VB_ERR_NOMEM;
    g->h[t] = word_hash(g->scratch.data, g->scratch.len);
  }
  return 0;
}

static int push_cand(tagger *g, size_t t0, size_t t1, int type, int how, int bits) {
  if (t1 <= t0 || type < 0) return 0;
  cand k = {(uint32_t)t0, (uint32_t)t1, (uint8_t)type, (uint8_t)how, (uint8_t)bits};
  return VB_PUSH(g->cands, g->ncands, g->ccands, k);
}

static int type_of_classes(uint32_t cls) {
  if (cls & VB_LX_USER) {
    if (cls & VB_LX_PERSON) return VB_ENT_PERSON;
    if (cls & VB_LX_ORG) return VB_ENT_ORG;
    if (cls & VB_LX_PLACE) return VB_ENT_PLACE;
    if (cls & VB_LX_EVENT) return VB_ENT_EVENT;
    if (cls & VB_LX_MISC) return VB_ENT_MISC;
    if (cls & VB_LX_TITLE) return VB_ENT_TITLE;
  }
  if (cls & VB_LX_PERSON) return VB_ENT_PERSON;
  if (cls & VB_LX_ORG) return VB_ENT_ORG;
  if (cls & (VB_LX_COUNTRY | VB_LX_PLACE)) return VB_ENT_PLACE;
  if (cls & VB_LX_EVENT) return VB_ENT_EVENT;
  if (cls & VB_LX_DEMONYM) return VB_ENT_MISC;
  if (cls & VB_LX_MISC) return VB_ENT_MISC;
  return -1;
}

/* Longest lexicon entry at t meeting `want` that stays inside [t, end). */
static size_t lex_at(tagger *g, size_t t, size_t end, uint32_t want, uint32_t *cls) {
  *cls = 0;
  if (t >= end) return 0;
  /* one probe decides for most tokens: no entry starts here, or only a
   * one-word entry */
  uint32_t first = tok_cls(g, t);
  if (!(first & VB_LX_PREFIX) || end - t == 1) {
    if (!(first & want)) return 0;
    *cls = first & ~(uint32_t)VB_LX_PREFIX;
    return 1;
  }
  size_t m = end - t;
  if (m > VB_LEX_MAX_PHRASE) m = VB_LEX_MAX_PHRASE;
  /* stop at a possessive: "Trump's" ends any phrase */
  for (size_t k = 0; k < m; k++)
    if (g->trim[t + k]) {
      m = k + 1;
      break;
    }
  size_t len = vb_lex_longest(g->lx, g->h + t, m, want, cls);
  *cls &= ~(uint32_t)VB_LX_PREFIX;
  return len;
}

/* A title at t that a name follows inside the run: returns its length. */
static size_t title_at(tagger *g, size_t t, size_t end) {
  uint32_t cls;
  size_t len = lex_at(g, t, end, VB_LX_TITLE | VB_LX_HONORIFIC | VB_LX_ENTITY, &cls);
  if (!len || !(cls & (VB_LX_TITLE | VB_LX_HONORIFIC))) return 0;
  if ((cls & VB_LX_USER) && !(cls & VB_LX_TITLE)) return 0;
  /* followed by more of the run (a dot after "Gen" counts as part of it) */
  size_t after = t + len;
  if (after < end && g->d->toks[after].cp == '.') after++;
  return after < end ? after - t : 0;
}

static int is_connector(tagger *g, size_t t) {
  const vb_token *k = &g->d->toks[t];
  if (k->cp == '&') return 1;
  if (!(k->flags & VB_TOK_WORD) || (k->flags & VB_TOK_UPPER)) return 0;
  if (k->hash == g->h_of) return 1;
  return (tok_cls(g, t) & VB_LX_PARTICLE) != 0;
}

/* "Israeli-Syrian", "U.S.-led": a word whose first part is a known name is
 * MISC; "Jan-April" is no name. Returns -2 when this says nothing. */
static int hyphen_class(tagger *g, size_t t) {
  const vb_doc *d = g->d;
  if (!(d->toks[t].flags & VB_TOK_HYPHEN)) return -2; /* no '-' inside */
  const char *s = d->text + d->toks[t].start;
  size_t n = tok_len(d, t), k = 0;
  while (k < n && s[k] != '-') k++;
  if (k == 0 || k >= n) return -2;
  g->scratch.len = 0;
  if (vb_norm_append(&g->scratch, s, k)) return -2;
  uint32_t cls = vb_lex_word(g->lx, word_hash(g->scratch.data, g->scratch.len));
  if (cls & VB_LX_MONTH) return -1;
  if (cls & (VB_LX_COUNTRY | VB_LX_DEMONYM | VB_LX_PLACE | VB_LX_ORG)) return VB_ENT_MISC;
  return -2;
}

/* "Second-ranked", "Surinamese-born": a capital, a hyphen and a lower-case
 * word of three letters or more is an adjective, not a name (unless the
 * lexicon knows it: "Lashkar-e-Taiba"). */
static int compound_word(tagger *g, size_t t) {
  const vb_doc *d = g->d;
  if (!(d->toks[t].flags & VB_TOK_HYPHEN)) return 0; /* no '-' inside */
  const char *s = d->text + d->toks[t].start;
  size_t n = tok_len(d, t) - g->trim[t];
  size_t k = n;
  while (k > 0 && s[k - 1] != '-') k--;
  if (k == 0 || n - k < 3) return 0;
  if (!(s[k] >= 'a' && s[k] <= 'z')) return 0;
  return (tok_cls(g, t) & VB_LX_ENTITY) == 0;
}

/* Are all the words of [a, b) common words? */
static int all_common(tagger *g, size_t a, size_t b) {
  for (size_t t = a; t < b; t++)
    if (is_word(g->d, t) && !(tok_cls(g, t) & (VB_LX_COMMON | VB_LX_MONTH))) return 0;
  return 1;
}

static int near_number(const vb_doc *d, size_t t0, size_t t1) {
  return (t1 < d->ntoks && (d->toks[t1].flags & VB_TOK_NUM)) ||
         (t0 > 0 && (d->toks[t0 - 1].flags & VB_TOK_NUM));
}

/* Classify the unknown piece [a, b) of a run. */
static int classify_piece(tagger *g, size_t a, size_t b, int person_next, int *how) {
  const vb_doc *d = g->d;
  size_t last = b - 1;
  while (last > a && !is_word(d, last)) last--;
  uint32_t first_cls = tok_cls(g, a), last_cls = tok_cls(g, last);
  size_t words = 0, initials = 0, caps = 0;
  for (size_t t = a; t < b; t++) {
    if (is_word(d, t)) words++;
    if (is_initial(d, t)) initials++;
    if (d->toks[t].flags & VB_TOK_ALLCAPS) caps++;
  }
  *how = SURE;
  if (words >= 2 && (last_cls & VB_LX_EVENT_SUFFIX)) return VB_ENT_EVENT;
  if (words >= 2 && (first_cls & VB_LX_EVENT_HEAD)) return VB_ENT_EVENT;
  if (words >= 2 && (last_cls & VB_LX_ORG_SUFFIX)) return VB_ENT_ORG;
  if (words >= 2 && (first_cls & VB_LX_ORG_HEAD)) return VB_ENT_ORG;
  if (words >= 2 && (last_cls & VB_LX_PLACE_SUFFIX)) return VB_ENT_PLACE;
  if ((last_cls & VB_LX_TITLE) && !(first_cls & VB_LX_GIVEN) && !initials) return VB_ENT_TITLE;
  if (words == 1 && b - a == 1) {
    int hyphen = hyphen_class(g, a);
    if (hyphen != -2) {
      *how = SURE;
      return hyphen;
    }
  }
  if (person_next || initials) return VB_ENT_PERSON;
  if (first_cls & VB_LX_GIVEN) return VB_ENT_PERSON;
  if (words >= 2 && (last_cls & VB_LX_SURNAME)) return VB_ENT_PERSON;
  if (words == 1 && is_acronym(d, a)) {
    *how = GUESS;
    return VB_ENT_ORG;
  }
  if (words == 1 && (last_cls & VB_LX_ORG_SUFFIX) && caps == 0) {
    *how = UNKNOWN;
    return VB_ENT_ORG;
  }
  /* two or more unknown capitalised words: most often a person */
  *how = words >= 2 ? GUESS : UNKNOWN;
  return VB_ENT_PERSON;
}

/* Cut the run [a, b) into titles and names. */
static int segment_run(tagger *g, size_t a, size_t b, int person_next) {
  const vb_doc *d = g->d;
  size_t p = a;
  int rc;
  while (p < b) {
    if (!is_cap(d, p) && !(d->toks[p].flags & VB_TOK_ALLCAPS)) {
      p++; /* a connector or a dot between pieces */
      continue;
    }
    size_t tl = title_at(g, p, b);
    if (tl) {
      uint32_t cls;
      lex_at(g, p, p + tl, VB_LX_TITLE | VB_LX_HONORIFIC, &cls);
      size_t q = p + tl;
      /* titles in a row make one: "Army Chief General" */
      for (size_t more; (more = title_at(g, q, b)) != 0;) q += more;
      /* "Minister of Foreign Affairs Ali Alatas": the office runs on to the name */
      if (q + 1 < b && d->toks[q].hash == g->h_of) {
        size_t u = q + 1;
        while (u < b && (is_cap(d, u) || is_connector(g, u)) && !(tok_cls(g, u) & VB_LX_GIVEN) &&
               !is_initial(d, u) && !(tok_cls(g, u) & VB_LX_ENTITY))
          u++;
        if (u > q + 1 && u < b && ((tok_cls(g, u) & VB_LX_GIVEN) || is_initial(d, u))) q = u;
      }
      if (!(cls & VB_LX_HONORIFIC) || (cls & VB_LX_TITLE)) {
        size_t end = q;
        if (end > p && d->toks[end - 1].cp == '.') end--;
        if ((rc = push_cand(g, p, end, VB_ENT_TITLE, SURE, 0))) return rc;
      }
      person_next = 1;
      p = q;
      continue;
    }
    uint32_t cls;
    size_t len = lex_at(g, p, b, VB_LX_ENTITY, &cls);
    if (len && !((cls & VB_LX_COMMON) && !(cls & VB_LX_USER) && len == 1 && b - p == 1 &&
                 sentence_initial(d, p))) {
      size_t q = p + len;
      int type = type_of_classes(cls);
      /* "Pakistan Army", "Manchester United": a known name and a suffix */
      size_t ext = q;
      for (size_t t = q; t < b && (is_cap(d, t) || is_connector(g, t)); t++) {
        if (title_at(g, t, b)) break;
        uint32_t c2 = tok_cls(g, t);
        if (c2 & (VB_LX_ORG_SUFFIX | VB_LX_PLACE_SUFFIX | VB_LX_EVENT_SUFFIX)) ext = t + 1;
      }
      if (ext > q && !(cls & VB_LX_USER)) {
        uint32_t c2 = tok_cls(g, ext - 1);
        type = (c2 & VB_LX_EVENT_SUFFIX)  ? VB_ENT_EVENT
               : (c2 & VB_LX_ORG_SUFFIX) ? VB_ENT_ORG
                                         : VB_ENT_PLACE;
        q = ext;
      } else if (q < b && is_cap(d, q) && (cls & (VB_LX_COUNTRY | VB_LX_PLACE)) &&
                 !(cls & (VB_LX_DEMONYM | VB_LX_ORG | VB_LX_USER)) &&
                 !(tok_cls(g, q) & (VB_LX_GIVEN | VB_LX_ENTITY | VB_LX_TITLE | VB_LX_COMMON))) {
        /* "Hong Kong Telecom", "Washington Post": a place and unknown words */
        size_t t = q;
        while (t < b && is_cap(d, t) && !title_at(g, t, b) && !(tok_cls(g, t) & VB_LX_ENTITY)) t++;
        q = t;
        type = VB_ENT_ORG;
      }
      int how = SURE;
      if (type < 0 && (cls & VB_LX_NAME)) {
        /* a user name without a type: its words and context decide */
        type = classify_piece(g, p, q, person_next, &how);
        how = SURE;
      }
      int bits = (cls & (VB_LX_COUNTRY | VB_LX_VENUE)) && q == p + len ? COUNTRY : 0;
      if ((rc = push_cand(g, p, q, type, how, bits))) return rc;
      person_next = 0;
      p = q;
      continue;
    }
    /* an unknown name: up to a title, a connector or the end of the run */
    size_t q = p + 1;
    int org_head = (tok_cls(g, p) & VB_LX_ORG_HEAD) != 0;
    while (q < b) {
      if (d->toks[q].cp == '.' && is_initial(d, q - 1)) {
        q++;
        continue;
      }
      if ((d->toks[q].flags & VB_TOK_QUOTE) && q + 1 < b) {
        q++; /* the apostrophe of "Dockworkers' Union" */
        continue;
      }
      if (is_connector(g, q) && !org_head && !(tok_cls(g, q) & VB_LX_PARTICLE)) break;
      if (title_at(g, q, b)) break;
      /* "... Austrian Thomas Muster": a nationality starts a new piece */
      if ((tok_cls(g, q) & (VB_LX_DEMONYM | VB_LX_GIVEN)) == VB_LX_DEMONYM) break;
      if (!is_cap(d, q) && !is_connector(g, q)) break;
      if (q > p && g->trim[q - 1] &&
          !(tok_cls(g, q) & (VB_LX_ORG_SUFFIX | VB_LX_PLACE_SUFFIX | VB_LX_EVENT_SUFFIX)))
        break;
      q++;
    }
    if (q < b && q - p <= 2 && title_at(g, q, b) && !person_next &&
        !(tok_cls(g, p) & VB_LX_GIVEN) && !is_initial(d, p)) {
      /* "Harbour Minister Elena Varga": the words before a title belong to it */
      size_t e = q;
      for (size_t more; (more = title_at(g, e, b)) != 0;) e += more;
      size_t end = e;
      if (d->toks[end - 1].cp == '.') end--;
      if ((rc = push_cand(g, p, end, VB_ENT_TITLE, SURE, 0))) return rc;
      person_next = 1;
      p = e;
      continue;
    }
    int how;
    int type = classify_piece(g, p, q, person_next, &how);
    int bits = (q - p == 1 && sentence_initial(d, p)) ? WEAK : 0;
    if (how != SURE && all_common(g, p, q)) how = UNKNOWN, bits |= WEAK;
    /* "Gloria Bistrita 2": in sports news names next to scores are teams */
    if (how == GUESS && type == VB_ENT_PERSON && g->sport == TEAM_SPORT && near_number(d, p, q))
      type = VB_ENT_ORG;
    if ((rc = push_cand(g, p, q, type, how, bits))) return rc;
    person_next = 0;
    p = q;
  }
  return 0;
}

/* Drop a sentence-initial common word from the front of a run. */
static int skip_common_start(tagger *g, size_t t, size_t end) {
  const vb_doc *d = g->d;
  /* an initial: "A. Stewart", "I. Salisbury" */
  if (is_initial(d, t) && t + 2 < end && is_cap(d, t + 2) && !(d->toks[t + 2].flags & VB_TOK_SENT))
    return 0;
  if (d->toks[t].hash == g->h_i && tok_len(d, t) == 1) return 1; /* "I" */
  if (!sentence_initial(d, t) && !(d->toks[t].flags & VB_TOK_ALLCAPS)) return 0;
  uint32_t c = tok_cls(g, t);
  if (!(c & (VB_LX_COMMON | VB_LX_MONTH))) return 0;
  if (c & VB_LX_USER) return 0;
  /* "Minister of Finance Bill Birch": an office opening the sentence */
  if ((c & VB_LX_TITLE) && t + 1 < end && (is_cap(d, t + 1) || d->toks[t + 1].hash == g->h_of))
    return 0;
  uint32_t cls;
  size_t len = lex_at(g, t, end, VB_LX_ENTITY | VB_LX_TITLE, &cls);
  if (len > 1) return 0; /* "The Hague" */
  /* a common word that is also a name: keep it when a name follows ("Young Jones") */
  if ((c & (VB_LX_GIVEN | VB_LX_ENTITY)) && t + 1 < end && is_cap(d, t + 1)) return 0;
  return 1;
}

/* "May" alone is a month only where a preposition of time comes before it
 * ("reopen in May", "by May") and no name goes on after it ("May Quell"):
 * elsewhere it is a verb or a name. */
static int may_is_month(tagger *g, size_t t) {
  const vb_doc *d = g->d;
  if (d->toks[t].hash != g->h_may || t == 0) return 0;
  if (t + 1 < d->ntoks && is_cap(d, t + 1)) return 0;
  return is_word(d, t - 1) && !is_cap(d, t - 1) && (tok_cls(g, t - 1) & VB_LX_TIME_PREP);
}

/* Patterns where a token can start a number, an amount or a date. */
static int try_patterns_at(tagger *g, size_t t, size_t *next) {
  const vb_doc *d = g->d;
  const vb_token *k = &d->toks[t];
  int candidate = (k->flags & VB_TOK_NUM) != 0;
  if (!candidate && (k->flags & VB_TOK_PUNCT)) {
    uint16_t cp = k->cp;
    candidate = cp == '$' || cp == 0xA3 || cp == 0x20AC || cp == 0xA5 || cp == 0x20B9;
  }
  if (!candidate && (k->flags & VB_TOK_UPPER) && (k->flags & VB_TOK_WORD))
    candidate = (tok_cls(g, t) & VB_LX_MONTH) != 0 ||
                ((k->flags & VB_TOK_ALLCAPS) && tok_len(d, t) <= 3 && t + 1 < d->ntoks &&
                 d->toks[t + 1].cp == '$');
  if (!candidate && tok_len(d, t) == 2 && (k->flags & VB_TOK_WORD) && t + 1 < d->ntoks &&
      (d->toks[t + 1].cp == '.' || (d->toks[t + 1].flags & VB_TOK_NUM)))
    candidate = (d->text[k->start] == 'R' && d->text[k->start + 1] == 's');
  if (!candidate) return 0;
  /* a window of at most 8 tokens and 96 bytes, ending at a token end */
  size_t last = t;
  while (last + 1 < d->ntoks && last + 1 < t + 8 && d->toks[last + 1].end - k->start <= 96 &&
         !(d->toks[last + 1].flags & VB_TOK_NEWLINE))
    last++;
  size_t mlen;
  vb_entity_type type;
  int rc = vb_patterns_at(g->c, d->text + k->start, d->toks[last].end - k->start, &mlen, &type);
  if (rc == 0 && may_is_month(g, t)) {
    if ((rc = push_cand(g, t, t + 1, VB_ENT_DATE, SURE, 0))) return rc;
    *next = t + 1;
    return 1;
  }
  if (rc <= 0) return rc;
  /* snap the match to whole tokens */
  uint32_t mend = k->start + (uint32_t)mlen;
  size_t u = t;
  while (u + 1 <= last && d->toks[u + 1].end - g->trim[u + 1] <= mend) u++;
  if (d->toks[u].end - g->trim[u] > mend) return 0;
  /* a lone year-like number or weekday inside a capitalised name is no date */
  if ((rc = push_cand(g, t, u + 1, type, SURE, 0))) return rc;
  *next = u + 1;
  return 1;
}

/* Lower-case words and most punctuation start nothing: not even a call. */
static inline int try_patterns(tagger *g, size_t t, size_t *next) {
  const vb_token *k = &g->d->toks[t];
  if (!(k->flags & (VB_TOK_NUM | VB_TOK_UPPER))) {
    /* punctuation: only a currency sign */
    uint16_t cp = k->cp;
    if (!(k->flags & VB_TOK_PUNCT) ||
        !(cp == '$' || cp == 0xA3 || cp == 0x20AC || cp == 0xA5 || cp == 0x20B9))
      return 0;
  }
  return try_patterns_at(g, t, next);
}

/* ---------------------------------------------------- what the doc settles */

static uint64_t seq_key(const tagger *g, size_t t0, size_t t1) {
  uint64_t k = 0x5bd1e995u;
  for (size_t t = t0; t < t1; t++)
    if (is_word(g->d, t)) k = vb_mix64(k, g->h[t]);
  return k ? k : 1;
}

static int seen_grow(tagger *g, size_t need) {
  size_t cap = 64;
  while (cap < need * 2) cap *= 2;
  if (mem_reserve((void **)&g->mem->seen, &g->mem->seen_cap, cap, sizeof *g->seen))
    return VB_ERR_NOMEM;
  g->seen = g->mem->seen;
  g->seen_cap = g->mem->seen_cap;
  return 0;
}

static seen_slot *seen_find(tagger *g, uint64_t key, int insert) {
  size_t mask = g->seen_cap - 1;
  for (size_t i = (size_t)key & mask;; i = (i + 1) & mask) {
    seen_slot *s = &g->seen[i];
    if (s->gen != g->gen) {
      if (!insert) return NULL;
      s->gen = g->gen;
      s->key = key;
      s->type = 0xFF;
      return s;
    }
    if (s->key == key) return s;
  }
}

/* Keys of one-word lookups use a different seed from sequences. */
static uint64_t word_key(uint32_t h) {
  uint64_t k = vb_mix64(0x2545F4914F6CDD1DULL, h);
  return k ? k : 2;
}

static int lower_ascii(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

/* Edit distance of two short words, ASCII case folded; 99 when long. */
static int edit_distance(const char *a, size_t n, const char *b, size_t m) {
  if (n > 31 || m > 31) return 99;
  int row[32];
  for (size_t j = 0; j <= m; j++) row[j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= m; j++) {
      int up = row[j];
      int cost = lower_ascii((unsigned char)a[i - 1]) != lower_ascii((unsigned char)b[j - 1]);
      int best = diag + cost;
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

/* Is the word at t one or two letters away from a surname the document
 * gives a person? Only the first few surnames are compared. */
static int like_person_word(tagger *g, size_t t) {
  const vb_doc *d = g->d;
  const char *a = d->text + d->toks[t].start;
  size_t n = tok_len(d, t) - g->trim[t];
  if (n < 4) return 0;
  for (size_t i = 0; i < g->nsurnames; i++) {
    size_t u = g->surnames[i];
    const char *b = d->text + d->toks[u].start;
    size_t m = tok_len(d, u) - g->trim[u];
    if (lower_ascii((unsigned char)a[0]) != lower_ascii((unsigned char)b[0])) continue;
    if ((n > m ? n - m : m - n) > 2) continue;
    int dist = edit_distance(a, n, b, m);
    if (dist > 0 && dist <= (n >= 6 ? 2 : 1)) return 1;
  }
  return 0;
}

static int is_speech_verb(tagger *g, size_t t) {
  uint32_t h = g->d->toks[t].hash;
  return h == g->h_said || h == g->h_says || h == g->h_told || h == g->h_added;
}

/* A lone name nothing else explains. After "in", "at", ... it is a place;
 * in sports news a team; before "said" a person. Otherwise it is left out:
 * a capitalised word alone is as often a table heading or a product as a
 * name. */
static void guess_lone_name(tagger *g, cand *k) {
  const vb_doc *d = g->d;
  size_t p = k->t0;
  if (p > 0 && is_word(d, p - 1) && !is_cap(d, p - 1) && (tok_cls(g, p - 1) & VB_LX_PLACE_PREP)) {
    k->type = VB_ENT_PLACE;
    k->how = GUESS;
    return;
  }
  if (g->sport) {
    /* a team where teams play, else a player's surname */
    k->type = g->sport == TEAM_SPORT ? VB_ENT_ORG : VB_ENT_PERSON;
    return;
  }
  if (k->t1 < d->ntoks && is_speech_verb(g, k->t1)) {
    k->type = VB_ENT_PERSON;
    k->how = GUESS;
    return;
  }
  if (!(k->bits & WEAK) && k->t1 - k->t0 == 1 && like_person_word(g, k->t0)) {
    /* "Vargha" in a story about Elena Varga: a variant spelling of a name */
    k->type = VB_ENT_PERSON;
    k->how = GUESS;
    return;
  }
  k->bits |= WEAK;
}

/* Learn from the sure pieces, then settle the unknown ones. */
static int settle(tagger *g) {
  const vb_doc *d = g->d;
  /* a key per candidate and per word of a person's name: the table must
   * never fill, or seen_find() would probe for ever */
  size_t words = 0;
  for (size_t i = 0; i < g->ncands; i++)
    if (g->cands[i].type == VB_ENT_PERSON) words += g->cands[i].t1 - g->cands[i].t0;
  int rc = seen_grow(g, g->ncands * 3 + words + 8);
  if (rc) return rc;
  for (size_t i = 0; i < 2 * g->ncands; i++) {
    /* sure pieces first, then guesses where nothing sure was learnt */
    cand *k = &g->cands[i % g->ncands];
    if (k->how != (i < g->ncands ? SURE : GUESS) || k->type == VB_ENT_TITLE ||
        (k->type >= VB_ENT_DATE && k->type <= VB_ENT_PERCENT))
      continue;
    seen_slot *s = seen_find(g, seq_key(g, k->t0, k->t1), 1);
    if (s->type == 0xFF) s->type = k->type;
    if (k->type == VB_ENT_PERSON && k->t1 - k->t0 >= 2) {
      /* every word of a person's name stands for the person */
      for (size_t t = k->t0; t < k->t1; t++) {
        if (!is_word(d, t) || is_initial(d, t)) continue;
        seen_slot *w = seen_find(g, word_key(g->h[t]), 1);
        if (w->type == 0xFF) w->type = VB_ENT_PERSON;
      }
    }
  }
  for (size_t i = 0; i < g->ncands && g->nsurnames < 32; i++) {
    const cand *k = &g->cands[i];
    if (k->type == VB_ENT_PERSON && k->how != UNKNOWN && k->t1 - k->t0 >= 2 &&
        is_word(d, k->t1 - 1))
      g->surnames[g->nsurnames++] = k->t1 - 1;
  }
  for (size_t i = 0; i < g->ncands; i++) {
    cand *k = &g->cands[i];
    if (k->how == SURE) continue;
    seen_slot *s = seen_find(g, seq_key(g, k->t0, k->t1), 0);
    if (s && s->type != 0xFF) {
      k->type = s->type;
      k->how = SURE;
      continue;
    }
    if (k->how == GUESS) continue;
    /* a word of a known person's name */
    int person = 0;
    for (size_t t = k->t0; t < k->t1 && !person; t++) {
      if (!is_word(d, t)) continue;
      seen_slot *w = seen_find(g, word_key(g->h[t]), 0);
      person = w && w->type == VB_ENT_PERSON;
    }
    if (person) {
      k->type = VB_ENT_PERSON;
      k->how = SURE;
      continue;
    }
    guess_lone_name(g, k);
  }
  return 0;
}

/* --------------------------------------------------------------- datelines */

/* "CASTELLAN, March 3 -", "LONDON 1996-08-30": capitals opening a paragraph
 * and followed by a comma, a dash or a date name the place of the story.
 * Returns the end of the place, or 0. */
static size_t dateline_at(tagger *g, const vb_range *r, int caps_para) {
  const vb_doc *d = g->d;
  size_t t = r->tok_start, b = t;
  while (b < r->tok_end && b < t + 4 && (d->toks[b].flags & VB_TOK_ALLCAPS) &&
         !(d->toks[b].flags & VB_TOK_NUM) && !(tok_cls(g, b) & (VB_LX_SPORT | VB_LX_COMMON)))
    b++;
  if (b == t || b >= r->tok_end) return 0;
  const vb_token *k = &d->toks[b];
  if (k->flags & VB_TOK_NUM) {
    /* a date ("1996-08-30", "30/08"), not a score or a standing */
    for (uint32_t i = k->start; i < k->end; i++)
      if (d->text[i] == '-' || d->text[i] == '/') return b;
    return 0;
  }
  if (tok_cls(g, b) & VB_LX_MONTH) return b;
  if (k->cp == ',' && b + 1 < r->tok_end &&
      ((d->toks[b + 1].flags & VB_TOK_NUM) || (tok_cls(g, b + 1) & VB_LX_MONTH)))
    return b;
  if (caps_para) return 0;
  if (k->cp == ',' || k->cp == ':' || k->cp == '-' || k->cp == 0x2013 || k->cp == 0x2014 ||
      k->cp == '(')
    return b;
  return 0;
}

/* --------------------------------------------------------------- headlines */

/* Is the paragraph set in capitals? */
static int is_caps_para(const vb_doc *d, const vb_range *r) {
  size_t words = 0, caps = 0, ntoks = r->tok_end - r->tok_start;
  for (size_t t = r->tok_start; t < r->tok_end; t++) {
    uint16_t f = d->toks[t].flags;
    if (!(f & VB_TOK_WORD) || (f & VB_TOK_NUM)) continue;
    words++;
    if ((f & VB_TOK_ALLCAPS) || ((f & VB_TOK_UPPER) && d->toks[t].end - d->toks[t].start == 1))
      caps++;
    else if ((words - caps) * 10 > ntoks * 3)
      return 0; /* too many words in lower case for the rest to outweigh */
  }
  return words >= 1 && caps * 10 >= words * 7 && caps >= 1 &&
         !(words <= 2 && caps <= 1 && words == caps && 0);
}

/* In a line of capitals, tag only names the lexicon or the document knows. */
static int tag_caps_para(tagger *g, const vb_range *r) {
  const vb_doc *d = g->d;
  int rc;
  size_t start = r->tok_start, dl = dateline_at(g, r, 1);
  if (dl) {
    uint32_t cls;
    size_t len = lex_at(g, start, dl, VB_LX_ENTITY, &cls);
    int type = len == dl - start ? type_of_classes(cls) : VB_ENT_PLACE;
    if ((rc = push_cand(g, start, dl, type < 0 ? VB_ENT_PLACE : type, SURE, DATELINE))) return rc;
    start = dl;
  }
  for (size_t t = start; t < r->tok_end;) {
    size_t next;
    if ((rc = try_patterns(g, t, &next)) < 0) return rc;
    if (rc) {
      t = next;
      continue;
    }
    if (!is_cap(d, t)) {
      t++;
      continue;
    }
    uint32_t cls;
    size_t len = lex_at(g, t, r->tok_end, VB_LX_ENTITY, &cls);
    if (len && !(len == 1 && (cls & VB_LX_COMMON) && !(cls & VB_LX_USER))) {
      int type = type_of_classes(cls);
      /* "CANADIAN OPEN": a known name and an event */
      for (size_t k = t + len; k < r->tok_end && k < t + len + 3 && is_cap(d, k); k++) {
        uint32_t c2 = tok_cls(g, k);
        if ((c2 & VB_LX_EVENT_SUFFIX) && (cls & (VB_LX_DEMONYM | VB_LX_ORG))) {
          type = VB_ENT_EVENT;
          len = k + 1 - t;
          cls &= ~(uint32_t)VB_LX_COUNTRY;
        }
      }
      if ((rc = push_cand(g, t, t + len, type, SURE,
                          (cls & (VB_LX_COUNTRY | VB_LX_VENUE)) ? COUNTRY : 0)))
        return rc;
      t += len;
      continue;
    }
    /* the longest run of words the rest of the document names */
    size_t best = 0;
    int best_type = -1;
    for (size_t m = 1; m <= 4 && t + m <= r->tok_end; m++) {
      if (!is_cap(d, t + m - 1)) break;
      seen_slot *s = seen_find(g, seq_key(g, t, t + m), 0);
      if (s && s->type != 0xFF) best = m, best_type = s->type;
    }
    if (!best && !(tok_cls(g, t) & VB_LX_COMMON)) {
      seen_slot *w = seen_find(g, word_key(g->h[t]), 0);
      if (w && w->type == VB_ENT_PERSON) best = 1, best_type = VB_ENT_PERSON;
    }
    if (best) {
      if ((rc = push_cand(g, t, t + best, best_type, SURE, 0))) return rc;
      t += best;
      continue;
    }
    t++;
  }
  return 0;
}

/* ------------------------------------------------------------- main pass */

static int tag_para(tagger *g, const vb_range *r) {
  const vb_doc *d = g->d;
  int rc;
  size_t end = r->tok_end;
  size_t start = r->tok_start, dl = dateline_at(g, r, 0);
  if (dl) {
    uint32_t cls;
    size_t len = lex_at(g, start, dl, VB_LX_ENTITY, &cls);
    int type = len == dl - start ? type_of_classes(cls) : VB_ENT_PLACE;
    if ((rc = push_cand(g, start, dl, type < 0 ? VB_ENT_PLACE : type, SURE, DATELINE))) return rc;
    start = dl;
  }
  for (size_t t = start; t < end;) {
    size_t next;
    if ((rc = try_patterns(g, t, &next)) < 0) return rc;
    if (rc) {
      t = next;
      continue;
    }
    if (!is_cap(d, t)) {
      t++;
      continue;
    }
    if (skip_common_start(g, t, end)) {
      t++;
      continue;
    }
    if (sentence_initial(d, t) && t + 1 < end && is_cap(d, t + 1) &&
        !(d->toks[t + 1].flags & VB_TOK_SENT) && !tok_cls(g, t) && !g->trim[t] &&
        !is_initial(d, t) &&
        (tok_cls(g, t + 1) & (VB_LX_GIVEN | VB_LX_DEMONYM | VB_LX_COUNTRY | VB_LX_TITLE))) {
      /* "Unseeded Patrick Rafter", "Defiant U.S.": a capitalised word opening
       * the sentence before a known name is an ordinary word */
      uint32_t cls;
      if (lex_at(g, t, end, VB_LX_ENTITY, &cls) == 0) {
        t++;
        continue;
      }
    }
    if (compound_word(g, t)) {
      /* "Top-seeded", "U.S.-led": MISC when the first part is a name */
      int type = hyphen_class(g, t);
      if (type == VB_ENT_MISC && (rc = push_cand(g, t, t + 1, type, SURE, 0))) return rc;
      t++;
      continue;
    }
    /* the run of capitalised words, initials and connectors */
    size_t b = t + 1;
    while (b < end) {
      const vb_token *k = &d->toks[b];
      if (g->trim[b - 1] || ((k->flags & VB_TOK_QUOTE) && !(k->flags & VB_TOK_SPACE) &&
                             (k->cp == '\'' || k->cp == 0x2019))) {
        /* "St Brigid's Hospital", "Dockworkers' Union": on only to a suffix */
        size_t u = g->trim[b - 1] ? b : b + 1;
        if (u < end && is_cap(d, u) && !(d->toks[u].flags & VB_TOK_SENT) &&
            (tok_cls(g, u) & (VB_LX_ORG_SUFFIX | VB_LX_PLACE_SUFFIX | VB_LX_EVENT_SUFFIX))) {
          b = u + 1;
          continue;
        }
        break;
      }
      if (k->flags & VB_TOK_SENT) break;
      if (is_cap(d, b) && !(k->flags & VB_TOK_NUM) && !compound_word(g, b)) {
        b++;
        continue;
      }
      if (k->cp == '.' && !(k->flags & VB_TOK_SPACE) && (d->toks[b - 1].flags & VB_TOK_ABBR) &&
          b + 1 < end && is_cap(d, b + 1) && !(d->toks[b + 1].flags & VB_TOK_SENT)) {
        b++;
        continue;
      }
      if (is_connector(g, b)) {
        /* "van der", "bin": one or two lower-case words inside a name */
        size_t u = b + 1;
        if (u < end && u < b + 2 && is_connector(g, u)) u++;
        if (u < end && is_cap(d, u) && !(d->toks[u].flags & VB_TOK_SENT) && !compound_word(g, u)) {
          b = u + 1;
          continue;
        }
      }
      break;
    }
    /* a known phrase may run on through lower-case words ("Trinidad and Tobago") */
    uint32_t cls;
    size_t len = lex_at(g, t, end, VB_LX_ENTITY, &cls);
    if (t + len > b && is_cap(d, t + len - 1)) b = t + len;
    /* a person cue just before ("striker", "said") */
    int person_next = 0;
    if (t > r->tok_start && is_word(d, t - 1) && !is_cap(d, t - 1))
      person_next = (tok_cls(g, t - 1) & (VB_LX_PERSON_CUE | VB_LX_TITLE)) != 0;
    if ((rc = segment_run(g, t, b, person_next))) return rc;
    t = b;
  }
  return 0;
}

/* ---------------------------------------------------------- canonical forms */

static int cand_cmp(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->t0 != y->t0) return x->t0 < y->t0 ? -1 : 1;
  return x->t1 < y->t1 ? 1 : x->t1 > y->t1 ? -1 : 0;
}

/* The candidates come in text order but for the lines in capitals, tagged
 * last: an insertion sort (stable, like the merge sort it stands for) does
 * next to nothing on them. */
static void sort_cands(cand *k, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (cand_cmp(&k[i - 1], &k[i]) <= 0) continue;
    cand x = k[i];
    size_t j = i;
    while (j > 0 && cand_cmp(&k[j - 1], &x) > 0) {
      k[j] = k[j - 1];
      j--;
    }
    k[j] = x;
  }
}

static int emit(tagger *g) {
  vb_doc *d = g->d;
  d->nents = 0;
  /* text order: lines in capitals were tagged last */
  sort_cands(g->cands, g->ncands);
  size_t kept = 0;
  for (size_t i = 0; i < g->ncands; i++) {
    cand *k = &g->cands[i];
    if (k->how == UNKNOWN && (k->bits & WEAK)) continue;
    if (kept && g->cands[kept - 1].t1 > k->t0) continue; /* overlap */
    g->cands[kept++] = *k;
  }
  g->ncands = kept;
  if (vb_grow(&d->ents, &d->cents, kept + 1, sizeof *d->ents)) return VB_ERR_NOMEM;
  /* longest person mention holding each word */
  size_t mask = 0;
  uint32_t *canon = NULL;
  /* one slot per word of a person mention, at most half full: a full table
   * would make the probe below loop for ever */
  size_t words = 0;
  for (size_t i = 0; i < kept; i++)
    if (g->cands[i].type == VB_ENT_PERSON) words += g->cands[i].t1 - g->cands[i].t0;
  size_t cap = 16;
  while (cap < kept * 4 || cap < words * 2) cap *= 2;
  int rc = mem_reserve((void **)&g->mem->persons, &g->mem->persons_cap, cap, sizeof(person_slot));
  if (rc) return rc;
  person_slot *ps = g->mem->persons;
  mask = g->mem->persons_cap - 1;
  canon = malloc((kept + 1) * sizeof *canon);
  if (!canon) return VB_ERR_NOMEM;
  for (size_t i = 0; i < kept; i++) {
    canon[i] = VB_NONE;
    cand *k = &g->cands[i];
    if (k->type != VB_ENT_PERSON) continue;
    for (size_t t = k->t0; t < k->t1; t++) {
      if (!is_word(d, t)) continue;
      uint64_t key = word_key(g->h[t]);
      size_t s = (size_t)key & mask;
      while (ps[s].gen == g->gen && ps[s].key != key) s = (s + 1) & mask;
      if (ps[s].gen != g->gen) {
        ps[s].gen = g->gen;
        ps[s].key = key;
        ps[s].best = (uint32_t)i;
      } else {
        cand *o = &g->cands[ps[s].best];
        if (k->t1 - k->t0 > o->t1 - o->t0) ps[s].best = (uint32_t)i;
      }
    }
  }
  for (size_t i = 0; i < kept; i++) {
    cand *k = &g->cands[i];
    vb_ient e;
    e.tok_start = k->t0;
    e.tok_end = k->t1;
    e.start = d->toks[k->t0].start;
    e.end = d->toks[k->t1 - 1].end - g->trim[k->t1 - 1];
    e.type = k->type;
    e.canonical = VB_NONE;
    if (k->type == VB_ENT_PERSON) {
      size_t t = k->t1 - 1;
      while (t > k->t0 && !is_word(d, t)) t--;
      uint64_t key = word_key(g->h[t]);
      size_t s = (size_t)key & mask;
      while (ps[s].gen == g->gen && ps[s].key != key) s = (s + 1) & mask;
      if (ps[s].gen == g->gen && ps[s].best != i) {
        cand *o = &g->cands[ps[s].best];
        if (o->t1 - o->t0 > k->t1 - k->t0) {
          size_t j = ps[s].best;
          if (canon[j] == VB_NONE) {
            uint32_t a = d->toks[o->t0].start, b = d->toks[o->t1 - 1].end - g->trim[o->t1 - 1];
            if ((rc = vb_buf_add_str(&d->pool, d->text + a, b - a, &canon[j]))) goto out;
          }
          e.canonical = canon[j];
        }
      }
    }
    d->ents[d->nents++] = e;
  }
out:
  free(canon);
  return rc;
}

/* In sports news a city or a county is mostly its team: "Leicestershire
 * beat Somerset". Countries stay places (national sides are named after
 * the country), as do datelines and places after "in", "at", ... */
static void teams_for_places(tagger *g) {
  const vb_doc *d = g->d;
  for (size_t i = 0; i < g->ncands; i++) {
    cand *k = &g->cands[i];
    if (k->type != VB_ENT_PLACE || (k->bits & (COUNTRY | DATELINE))) continue;
    size_t p = k->t0;
    if (p > 0 && is_word(d, p - 1) && (tok_cls(g, p - 1) & VB_LX_PLACE_PREP)) continue;
    k->type = VB_ENT_ORG;
  }
}

/* Is the document about sport? Its first line says so in the wires. */
static int about_sport(tagger *g) {
  const vb_doc *d = g->d;
  for (size_t t = 0; t < d->ntoks && t < 12; t++) {
    if (t > 0 && (d->toks[t].flags & VB_TOK_NEWLINE)) break;
    if (!is_word(d, t)) continue;
    uint32_t cls;
    size_t len = lex_at(g, t, d->ntoks, VB_LX_SPORT | VB_LX_TEAM_SPORT, &cls);
    if (len && (cls & VB_LX_TEAM_SPORT)) return TEAM_SPORT;
    if (len) return SPORT;
  }
  return 0;
}

int vb_entities_tag(vb_corpus *c, vb_doc *d) {
  d->nents = 0;
  if (!c->lex || d->ntoks == 0) return 0;
  tagger g;
  memset(&g, 0, sizeof g);
  g.c = c;
  g.d = d;
  g.lx = (const vb_lexicon *)c->lex;
  g.h_of = word_hash("of", 2);
  g.h_i = word_hash("i", 1);
  g.h_said = word_hash("said", 4);
  g.h_says = word_hash("says", 4);
  g.h_told = word_hash("told", 4);
  g.h_added = word_hash("added", 5);
  g.h_may = word_hash("may", 3);
  if (!c->tag_mem && !(c->tag_mem = calloc(1, sizeof *c->tag_mem)))
    return vb_fail(c, VB_ERR_NOMEM, "out of memory tagging %s", d->name);
  g.mem = c->tag_mem;
  if (++g.mem->gen == 0) { /* after 2^32 documents: empty the tables for real */
    if (g.mem->seen) memset(g.mem->seen, 0, g.mem->seen_cap * sizeof *g.mem->seen);
    if (g.mem->persons) memset(g.mem->persons, 0, g.mem->persons_cap * sizeof *g.mem->persons);
    g.mem->gen = 1;
  }
  g.gen = g.mem->gen;
  g.cands = g.mem->cands;
  g.ccands = g.mem->ccands;
  int rc = prepare(&g);
  if (rc) goto out;
  g.sport = about_sport(&g);
  /* lines in capitals wait until the rest of the document has been read */
  size_t ncaps = 0;
  for (size_t p = 0; p < d->nparas && rc == 0; p++) {
    if (vb_text_is_furniture(d, p)) continue; /* slugs, bylines, desk codes */
    if (is_caps_para(d, &d->paras[p])) {
      g.caps[ncaps++] = (uint32_t)p;
    } else {
      rc = tag_para(&g, &d->paras[p]);
    }
  }
  if (rc == 0) rc = settle(&g);
  for (size_t i = 0; i < ncaps && rc == 0; i++) rc = tag_caps_para(&g, &d->paras[g.caps[i]]);
  if (rc == 0 && g.sport == TEAM_SPORT) teams_for_places(&g);
  if (rc == 0) rc = emit(&g);
out:
  g.mem->cands = g.cands; /* kept, with the other arrays, for the next document */
  g.mem->ccands = g.ccands;
  vb_buf_free(&g.scratch);
  if (rc == VB_ERR_NOMEM) return vb_fail(c, rc, "out of memory tagging %s", d->name);
  if (rc < 0) d->nents = 0;
  return rc;
}
