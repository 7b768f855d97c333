/* rules_entities.c: entity-unsupported, a person, organisation or place that
 * no other document mentions.
 *
 * "Mentions" is looser than the same words: a person by surname, a long name
 * by its last words ("US State Department" / "State Department"), a name by
 * its initials ("United Arab Emirates" / "UAE"), a place by its adjective
 * ("South Asian" / "South Asia"). */
#include "check.h"
#include "lexicon.h"
#include <stdlib.h>

#define MAX_KEYS 8
#define MAX_ALTS 6

typedef struct {
  uint32_t keys[MAX_KEYS]; /* word hashes, in order */
  uint8_t nkeys;
} phrase;

typedef struct {
  phrase alt[MAX_ALTS];
  uint8_t nalt;
  char acronym[8]; /* the mention is initials: look for words starting so */
  uint8_t acr_len;
  uint8_t found;
  uint32_t start, end; /* first mention in the checked document */
} claim;

typedef struct {
  uint32_t key; /* first word of a phrase */
  uint32_t claim, alt;
} entry;

static int cmp_entry(const void *x, const void *y) {
  const entry *p = x, *q = y;
  return p->key < q->key ? -1 : p->key > q->key;
}

static uint32_t str_key(const char *s, size_t n) {
  vb_buf b = {0};
  uint32_t h = 0;
  if (vb_norm_append(&b, s, n) == 0) h = vb_hash32(b.data ? b.data : "", b.len);
  vb_buf_free(&b);
  return h;
}

static int is_connector(const vb_doc *d, uint32_t t) {
  size_t n = d->toks[t].end - d->toks[t].start;
  const char *s = d->text + d->toks[t].start;
  return (n == 2 && !strncmp(s, "of", 2)) || (n == 3 && (!strncmp(s, "the", 3) || !strncmp(s, "and", 3) || !strncmp(s, "for", 3)));
}

static int is_word(const vb_token *t) { return !(t->flags & VB_TOK_PUNCT); }

static void add_alt(claim *x, const uint32_t *keys, size_t n) {
  if (x->nalt >= MAX_ALTS || n == 0) return;
  phrase *p = &x->alt[x->nalt++];
  p->nkeys = (uint8_t)(n < MAX_KEYS ? n : MAX_KEYS);
  memcpy(p->keys, keys, p->nkeys * sizeof(uint32_t));
}

/* The ways a mention of entity e may appear elsewhere. */
static void build_claim(const vb_doc *d, const vb_ient *e, claim *x) {
  memset(x, 0, sizeof *x);
  x->start = e->start;
  x->end = e->end;
  uint32_t w[MAX_KEYS], keys[MAX_KEYS];
  size_t n = 0;
  for (uint32_t t = e->tok_start; t < e->tok_end && t < d->ntoks && n < MAX_KEYS; t++)
    if (is_word(&d->toks[t])) w[n++] = t;
  if (n == 0) return;
  for (size_t i = 0; i < n; i++) keys[i] = vb_word_key(d, w[i]);
  if (e->type == VB_ENT_PERSON) {
    /* the surname; of the full name the document links a first name to */
    const char *canon = vb_pool_str(d, e->canonical);
    size_t cn = canon ? strlen(canon) : 0, a = cn;
    while (a > 0 && canon[a - 1] != ' ' && canon[a - 1] != '\n' && canon[a - 1] != '\t') a--;
    uint32_t key = a < cn ? str_key(canon + a, cn - a) : 0;
    add_alt(x, key ? &key : &keys[n - 1], 1);
    return;
  }
  add_alt(x, keys, n);
  if (n >= 3) add_alt(x, keys + 1, n - 1);
  /* the adjective of a place: Asian / Asia, Pakistani / Pakistan */
  const vb_token *last = &d->toks[w[n - 1]];
  size_t len = vb_stem_len(d, w[n - 1]);
  const char *ls = d->text + last->start;
  if (len >= 5 && (ls[len - 1] == 'n' || ls[len - 1] == 'i')) {
    uint32_t k2[MAX_KEYS];
    memcpy(k2, keys, n * sizeof(uint32_t));
    k2[n - 1] = str_key(ls, len - 1);
    add_alt(x, k2, n);
  }
  /* the initials of a name of capitalised words: United States / US, U.S. */
  if (n >= 2) {
    char ini[MAX_KEYS], dotted[2 * MAX_KEYS];
    size_t ni = 0, nd = 0;
    int caps = 1;
    for (size_t i = 0; i < n && caps; i++) {
      if (is_connector(d, w[i])) continue;
      if (!(d->toks[w[i]].flags & VB_TOK_UPPER)) caps = 0;
      ini[ni++] = d->text[d->toks[w[i]].start];
      dotted[nd++] = d->text[d->toks[w[i]].start];
      dotted[nd++] = '.';
    }
    if (caps && ni >= 2) {
      uint32_t k = str_key(ini, ni);
      add_alt(x, &k, 1);
      k = str_key(dotted, nd);
      add_alt(x, &k, 1);
    }
  }
  /* a mention made of initials: UAE / United Arab Emirates */
  if (n == 1 && (last->flags & VB_TOK_ALLCAPS) && len >= 2 && len <= 6) {
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
      if ((ls[i] >= 'A' && ls[i] <= 'Z')) x->acronym[k++] = ls[i];
    x->acr_len = (uint8_t)k;
  }
}

/* Do the capitalised words at t spell the acronym? */
static int spells(const vb_doc *o, uint32_t t, const claim *x) {
  size_t k = 0;
  for (uint32_t u = t; u < o->ntoks && k < x->acr_len; u++) {
    const vb_token *tok = &o->toks[u];
    if (!is_word(tok)) return 0;
    if (k > 0 && is_connector(o, u)) continue;
    if (!(tok->flags & VB_TOK_UPPER) || (tok->flags & VB_TOK_ALLCAPS)) return 0;
    if (o->text[tok->start] != x->acronym[k]) return 0;
    k++;
  }
  return k == x->acr_len;
}

static int phrase_at(const vb_doc *o, uint32_t t, const phrase *p) {
  uint32_t u = t;
  for (size_t m = 1; m < p->nkeys; m++) {
    u++;
    while (u < o->ntoks && !is_word(&o->toks[u])) u++;
    if (u >= o->ntoks || (o->toks[u].hash != p->keys[m] && vb_word_key(o, u) != p->keys[m])) return 0;
  }
  return 1;
}

static void probe(const entry *ix, size_t n, const uint64_t *filter, uint32_t key, const vb_doc *o,
                  uint32_t t, claim *cl) {
  if (!(filter[(key >> 6) & 63] & (1ull << (key & 63)))) return;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < n && ix[i].key == key; i++) {
    claim *x = &cl[ix[i].claim];
    if (!x->found && phrase_at(o, t, &x->alt[ix[i].alt])) x->found = 1;
  }
}

/* Is most of paragraph p in capitals (a headline, a byline)? */
static int title_case(const vb_doc *d, const vb_range *p) {
  uint32_t words = 0, caps = 0;
  for (uint32_t t = p->tok_start; t < p->tok_end; t++) {
    if (!(d->toks[t].flags & VB_TOK_WORD)) continue;
    words++;
    caps += (d->toks[t].flags & VB_TOK_UPPER) != 0;
  }
  return words > 0 && caps * 2 > words;
}

int vb_untagged_names(const vb_doc *d, uint32_t **out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (d->ntoks == 0) return 0;
  uint8_t *covered = calloc(d->ntoks, 1);
  if (!covered) return VB_ERR_NOMEM;
  for (size_t i = 0; i < d->nents; i++)
    for (uint32_t t = d->ents[i].tok_start; t < d->ents[i].tok_end && t < d->ntoks; t++) covered[t] = 1;
  int rc = 0;
  size_t cap = 0;
  for (size_t p = 0; p < d->nparas && rc == 0; p++) {
    const vb_range *para = &d->paras[p];
    if (title_case(d, para)) continue;
    for (uint32_t t = para->tok_start + 1; t < para->tok_end && rc == 0; t++) {
      uint16_t f = d->toks[t].flags;
      if (covered[t] || !(f & VB_TOK_WORD) || !(f & VB_TOK_UPPER) ||
          (f & (VB_TOK_ALLCAPS | VB_TOK_SENT | VB_TOK_ABBR | VB_TOK_NUM)))
        continue;
      const vb_token *prev = &d->toks[t - 1];
      if ((prev->flags & VB_TOK_PUNCT) && prev->cp != ',') continue; /* after a mark, a colon, a dash */
      if (vb_stem_len(d, t) < 4) continue;
      rc = VB_PUSH(*out, *n, cap, t);
    }
  }
  free(covered);
  return rc;
}

/* A capitalised word the tagger left out that may still be a name ("the
 * Biden administration"): not a word the lists know as something else, not
 * a hyphenated compound ("T-shirt") or a decade ("Eighties"). */
static int name_like(const vb_corpus *c, const vb_doc *d, uint32_t t) {
  const vb_token *k = &d->toks[t];
  if (k->flags & VB_TOK_HYPHEN) return 0;
  size_t n = k->end - k->start;
  if (n > 4 && !memcmp(d->text + k->end - 4, "ties", 4)) return 0;
  uint32_t cls = c->lex ? vb_lex_word(c->lex, k->hash) : 0;
  return !(cls & (VB_LX_COMMON | VB_LX_MONTH | VB_LX_TITLE | VB_LX_ORG_HEAD | VB_LX_PLACE_SUFFIX |
                  VB_LX_EVENT_SUFFIX | VB_LX_ORG_SUFFIX | VB_LX_COUNTRY | VB_LX_DEMONYM));
}

/* Names the tagger left out, as claims; whether another document has the
 * word is then judged like any entity. The matching form is case-folded, so
 * an ordinary word that is capitalised here is found in lower case there. */
static int untagged_claims(const vb_corpus *c, const vb_doc *d, claim **cl, size_t *ncl, size_t *ccl, entry **ix,
                           size_t *nix, size_t *cix) {
  uint32_t *toks;
  size_t nt;
  int rc = vb_untagged_names(d, &toks, &nt);
  for (size_t i = 0; i < nt && rc == 0; i++) {
    uint32_t t = toks[i];
    if (!name_like(c, d, t)) continue;
    claim x;
    memset(&x, 0, sizeof x);
    x.start = d->toks[t].start;
    x.end = d->toks[t].start + (uint32_t)vb_stem_len(d, t);
    uint32_t key = vb_word_key(d, t);
    add_alt(&x, &key, 1);
    int dup = 0;
    for (size_t j = 0; j < *ncl && !dup; j++)
      for (size_t a = 0; a < (*cl)[j].nalt && !dup; a++) dup = (*cl)[j].alt[a].keys[0] == key;
    if (dup) continue;
    if ((rc = VB_PUSH(*cl, *ncl, *ccl, x))) break;
    entry en = {key, (uint32_t)(*ncl - 1), 0};
    rc = VB_PUSH(*ix, *nix, *cix, en);
  }
  free(toks);
  return rc;
}

/* Is the entity exactly a country of the built-in lists? */
static int is_country(const vb_corpus *c, const vb_doc *d, const vb_ient *e) {
  if (e->type != VB_ENT_PLACE || !c->lex) return 0;
  uint32_t h[MAX_KEYS];
  size_t n = 0;
  for (uint32_t t = e->tok_start; t < e->tok_end && n < MAX_KEYS; t++)
    if (is_word(&d->toks[t])) h[n++] = d->toks[t].hash;
  uint32_t cls = 0;
  return n && vb_lex_longest(c->lex, h, n, VB_LX_COUNTRY, &cls) == n;
}

int vb_rules_entities(vb_checker *k, vb_doc *d) {
  vb_corpus *c = k->c;
  if (c->cfg.rule_severity[VB_RULE_ENTITY_UNSUPPORTED] == VB_SEV_OFF) return 0;
  if (vb_corpus_count(c) < 2) return 0;
  const int *rel;
  size_t nrel;
  int rc = vb_check_related(k, d, &rel, &nrel);
  if (rc) return rc;
  claim *cl = NULL;
  entry *ix = NULL;
  size_t ncl = 0, ccl = 0, nix = 0, cix = 0, nacr = 0;
  for (size_t i = 0; i < d->nents && rc == 0; i++) {
    const vb_ient *e = &d->ents[i];
    if (e->type != VB_ENT_PERSON && e->type != VB_ENT_ORG && e->type != VB_ENT_PLACE) continue;
    if (is_country(c, d, e)) continue; /* the world's map is no source's to give */
    /* one word the lists know as a title, an honorific or a common word */
    if (e->tok_end == e->tok_start + 1 && c->lex &&
        (vb_lex_word(c->lex, d->toks[e->tok_start].hash) &
         (VB_LX_TITLE | VB_LX_HONORIFIC | VB_LX_COMMON | VB_LX_PLACE_SUFFIX | VB_LX_ORG_HEAD)))
      continue;
    /* a word in capitals alone is a headline's or a slug's, not a name */
    if (e->tok_end == e->tok_start + 1 && (d->toks[e->tok_start].flags & VB_TOK_ALLCAPS) &&
        d->toks[e->tok_start].end - d->toks[e->tok_start].start > 3)
      continue;
    claim x;
    build_claim(d, e, &x);
    if (x.nalt == 0) continue;
    int dup = 0;
    for (size_t j = 0; j < ncl && !dup; j++)
      dup = cl[j].alt[0].nkeys == x.alt[0].nkeys &&
            memcmp(cl[j].alt[0].keys, x.alt[0].keys, x.alt[0].nkeys * sizeof(uint32_t)) == 0;
    if (dup) continue;
    nacr += x.acr_len > 0;
    if (VB_PUSH(cl, ncl, ccl, x)) rc = VB_ERR_NOMEM;
    for (size_t a = 0; a < x.nalt && rc == 0; a++) {
      entry en = {x.alt[a].keys[0], (uint32_t)(ncl - 1), (uint32_t)a};
      rc = VB_PUSH(ix, nix, cix, en);
    }
  }
  if (rc == 0) rc = untagged_claims(c, d, &cl, &ncl, &ccl, &ix, &nix, &cix);
  if (nix > 1) qsort(ix, nix, sizeof *ix, cmp_entry);
  uint64_t filter[64] = {0}; /* 4096-bit prefilter on first words */
  for (size_t i = 0; i < nix; i++) filter[(ix[i].key >> 6) & 63] |= 1ull << (ix[i].key & 63);
  for (size_t i = 0; i < nrel && rc == 0; i++) {
    const vb_doc *o = vb_get_doc(c, rel[i]);
    if (!o || o == d) continue;
    for (uint32_t t = 0; t < o->ntoks; t++) {
      const vb_token *tok = &o->toks[t];
      if (!is_word(tok)) continue;
      probe(ix, nix, filter, tok->hash, o, t, cl);
      char last = o->text[tok->end - 1];
      if ((last == 's' || last == 'S') && vb_stem_len(o, t) != (size_t)(tok->end - tok->start))
        probe(ix, nix, filter, vb_word_key(o, t), o, t, cl);
      if (nacr && (tok->flags & VB_TOK_UPPER))
        for (size_t j = 0; j < ncl; j++)
          if (cl[j].acr_len && !cl[j].found && spells(o, t, &cl[j])) cl[j].found = 1;
    }
  }
  for (size_t j = 0; j < ncl && rc == 0; j++) {
    if (cl[j].found) continue;
    /* a misspelt name is told as a name variant, not as a new entity */
    size_t o0 = vb_orig(d, cl[j].start), o1 = vb_orig(d, cl[j].end);
    int variant = 0;
    for (size_t g = 0; g < k->ndiags && !variant; g++) {
      const vb_diagnostic *x = &k->diags[g];
      variant = x->doc == d->id && x->rule == vb_rule_names[VB_RULE_NAME_VARIANT] &&
                x->start < o1 && o0 < x->end;
    }
    if (variant) continue;
    rc = vb_check_emit(k, VB_RULE_ENTITY_UNSUPPORTED, d, cl[j].start, cl[j].end, NULL, 0,
                       "'%.*s' is not mentioned in any other document",
                       (int)(cl[j].end - cl[j].start), d->text + cl[j].start);
  }
  free(cl);
  free(ix);
  return rc;
}
