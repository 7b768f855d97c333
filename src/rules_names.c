/* rules_names.c: name-variant. */
#include "check.h"

/* Length of a token's text without a possessive "'s" / "’s". */
size_t vb_stem_len(const vb_doc *d, uint32_t t) {
  const char *s = d->text + d->toks[t].start;
  size_t n = d->toks[t].end - d->toks[t].start;
  if (n > 3 && (s[n - 1] == 's' || s[n - 1] == 'S') && s[n - 2] == '\'') return n - 2;
  if (n > 5 && (s[n - 1] == 's' || s[n - 1] == 'S') && (unsigned char)s[n - 2] == 0x99 &&
      (unsigned char)s[n - 3] == 0x80 && (unsigned char)s[n - 4] == 0xE2)
    return n - 4;
  return n;
}

/* Hash of a word in matching form, possessive dropped. */
uint32_t vb_word_key(const vb_doc *d, uint32_t t) {
  size_t n = vb_stem_len(d, t);
  if (n == d->toks[t].end - d->toks[t].start) return d->toks[t].hash;
  vb_buf b = {0};
  uint32_t h = 0;
  if (vb_norm_append(&b, d->text + d->toks[t].start, n) == 0) h = vb_hash32(b.data, b.len);
  vb_buf_free(&b);
  return h;
}

static int is_word(const vb_token *t) { return (t->flags & VB_TOK_WORD) != 0; }

/* ---------------------------------------------------------- name-variant */

enum { CAT_NAME = 1, CAT_TITLE = 2 };

typedef struct {
  uint32_t hash;
  int doc;
  uint32_t tok;
  uint8_t cat;
} nword;

typedef struct {
  uint32_t hash;
  uint8_t cat;
  uint32_t count;
  int in_judged;       /* spelled so in a reference document */
  int doc;             /* where to show it: a reference first */
  uint32_t tok;
  int in_d;            /* spelled so in the checked document */
  uint32_t d_tok;      /* its first mention there */
  char low[48];        /* lower-cased ASCII form */
  size_t len;
} form;

static int cmp_nword(const void *x, const void *y) {
  const nword *p = x, *q = y;
  if (p->hash != q->hash) return p->hash < q->hash ? -1 : 1;
  if (p->cat != q->cat) return p->cat - q->cat;
  if (p->doc != q->doc) return p->doc < q->doc ? -1 : 1;
  return p->tok < q->tok ? -1 : p->tok > q->tok;
}

static size_t lower_copy(const char *s, size_t n, char *out, size_t cap) {
  if (n >= cap) return 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  }
  out[n] = '\0';
  return n;
}

static int is_vowel(char ch) { return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y'; }

static size_t skeleton(const char *s, size_t n, char *out) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!is_vowel(s[i]) && (k == 0 || out[k - 1] != s[i])) out[k++] = s[i];
  out[k] = '\0';
  return k;
}

/* Optimal string alignment distance, stopping early above 2. */
static unsigned edit_distance(const char *a, size_t n, const char *b, size_t m) {
  unsigned d[49][49];
  if (n > 48 || m > 48) return 99;
  for (size_t i = 0; i <= n; i++) d[i][0] = (unsigned)i;
  for (size_t j = 0; j <= m; j++) d[0][j] = (unsigned)j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[n][m];
}

/* Two spellings of one name: one edit apart, or two edits that only touch
 * vowels or doubled letters (Muneer / Munir). A word and its extension
 * (Pakistan / Pakistani, Trump / Trumps) is not a variant, except a doubled
 * final letter (Levit / Levitt). */
static int near_miss(const char *a, size_t n, const char *b, size_t m) {
  if (n < 5 || m < 5 || a[0] != b[0]) return 0;
  if (n > m + 2 || m > n + 2) return 0;
  size_t k = 0;
  while (k < n && k < m && a[k] == b[k]) k++;
  if (k == n || k == m) {
    const char *longer = n > m ? a : b;
    size_t ln = n > m ? n : m, sn = n > m ? m : n;
    if (!(ln == sn + 1 && longer[ln - 1] == longer[ln - 2])) return 0;
  }
  unsigned dist = edit_distance(a, n, b, m);
  if (dist == 1) return 1;
  if (dist != 2) return 0;
  char sa[49], sb[49];
  skeleton(a, n, sa);
  skeleton(b, m, sb);
  return strcmp(sa, sb) == 0;
}

/* Untagged capitalised words of d that no document writes in lower case
 * (names, not ordinary words given a capital), as name words. */
static int collect_untagged(vb_corpus *c, const vb_doc *d, const int *rel, size_t nrel, nword **arr,
                            size_t *n, size_t *cap) {
  uint32_t *toks;
  size_t nt;
  int rc = vb_untagged_names(d, &toks, &nt);
  if (rc || nt == 0) {
    free(toks);
    return rc;
  }
  size_t size = 64;
  while (size < nt * 2) size *= 2;
  uint32_t *keys = calloc(size, sizeof *keys);
  uint8_t *lower = calloc(size, 1);
  uint64_t filter[64] = {0}; /* 4096-bit prefilter on the keys */
  if (!keys || !lower) rc = VB_ERR_NOMEM;
  for (size_t i = 0; i < nt && rc == 0; i++) {
    uint32_t key = vb_word_key(d, toks[i]) | 1;
    size_t slot = key & (size - 1);
    while (keys[slot] && keys[slot] != key) slot = (slot + 1) & (size - 1);
    keys[slot] = key;
    filter[(key >> 6) & 63] |= 1ull << (key & 63);
  }
  for (size_t r = 0; r <= nrel && rc == 0; r++) {
    const vb_doc *o = r == nrel ? d : vb_get_doc(c, rel[r]);
    if (!o) continue;
    for (uint32_t t = 0; t < o->ntoks; t++) {
      const vb_token *tok = &o->toks[t];
      if (!(tok->flags & VB_TOK_WORD) || (tok->flags & VB_TOK_UPPER)) continue;
      uint32_t key = tok->hash | 1;
      if (!(filter[(key >> 6) & 63] & (1ull << (key & 63)))) continue;
      size_t slot = key & (size - 1);
      while (keys[slot] && keys[slot] != key) slot = (slot + 1) & (size - 1);
      if (keys[slot]) lower[slot] = 1;
    }
  }
  for (size_t i = 0; i < nt && rc == 0; i++) {
    uint32_t t = toks[i];
    if (vb_stem_len(d, t) < 5) continue;
    uint32_t key = vb_word_key(d, t);
    size_t slot = (key | 1) & (size - 1);
    while (keys[slot] && keys[slot] != (key | 1)) slot = (slot + 1) & (size - 1);
    if (lower[slot]) continue;
    nword w = {key, d->id, t, CAT_NAME};
    rc = VB_PUSH(*arr, *n, *cap, w);
  }
  free(keys);
  free(lower);
  free(toks);
  return rc;
}

static int collect_words(const vb_doc *o, nword **arr, size_t *n, size_t *cap) {
  for (size_t i = 0; i < o->nents; i++) {
    const vb_ient *e = &o->ents[i];
    uint8_t cat = e->type == VB_ENT_TITLE ? CAT_TITLE
                  : (e->type == VB_ENT_PERSON || e->type == VB_ENT_ORG ||
                     e->type == VB_ENT_PLACE || e->type == VB_ENT_EVENT)
                      ? CAT_NAME
                      : 0;
    if (!cat) continue;
    for (uint32_t t = e->tok_start; t < e->tok_end && t < o->ntoks; t++) {
      const vb_token *tok = &o->toks[t];
      if (!is_word(tok) || (tok->flags & VB_TOK_NUM)) continue;
      if (cat == CAT_NAME && !(tok->flags & VB_TOK_UPPER)) continue;
      if (vb_stem_len(o, t) < 5) continue;
      nword w = {vb_word_key(o, t), o->id, t, cat};
      if (VB_PUSH(*arr, *n, *cap, w)) return VB_ERR_NOMEM;
    }
  }
  return 0;
}

/* Words of the user's names file (5 letters or more), lower-cased. */
typedef struct {
  char low[48];
  size_t len;
  const char *text; /* into c->user_names */
  size_t text_len;
} listed;

static int parse_names(const vb_corpus *c, listed **out, size_t *n) {
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  const char *s = c->user_names.data;
  size_t len = c->user_names.len;
  for (size_t i = 0; i < len;) {
    size_t e = i;
    while (e < len && s[e] != '\n') e++;
    size_t stop = e;
    for (size_t j = i; j < e; j++)
      if (s[j] == '#' || s[j] == '\t' || (s[j] == '|' && j > i && s[j - 1] == ' ')) {
        stop = j;
        break;
      }
    for (size_t j = i; j < stop;) {
      while (j < stop && !((s[j] | 32) >= 'a' && (s[j] | 32) <= 'z') && (unsigned char)s[j] < 0x80) j++;
      size_t w0 = j;
      while (j < stop && s[j] != ' ' && s[j] != '\r' && s[j] != ',') j++;
      if (j - w0 >= 5 && j - w0 < 48) {
        listed l;
        l.len = lower_copy(s + w0, j - w0, l.low, sizeof l.low);
        l.text = s + w0;
        l.text_len = j - w0;
        if (VB_PUSH(*out, *n, cap, l)) return VB_ERR_NOMEM;
      }
    }
    i = e + 1;
  }
  return 0;
}

static int form_text(const vb_doc *d, uint32_t t, form *f) {
  f->len = lower_copy(d->text + d->toks[t].start, vb_stem_len(d, t), f->low, sizeof f->low);
  return f->len > 0;
}

int vb_rules_names(vb_checker *k, vb_doc *d) {
  vb_corpus *c = k->c;
  if (c->cfg.rule_severity[VB_RULE_NAME_VARIANT] == VB_SEV_OFF) return 0;
  const int *rel;
  size_t nrel;
  int rc = vb_check_related(k, d, &rel, &nrel);
  if (rc) return rc;
  nword *words = NULL;
  size_t nw = 0, cw = 0;
  rc = collect_words(d, &words, &nw, &cw);
  for (size_t i = 0; i < nrel && rc == 0; i++) {
    const vb_doc *o = vb_get_doc(c, rel[i]);
    if (o) rc = collect_words(o, &words, &nw, &cw);
  }
  /* names the tagger left out in this document */
  if (rc == 0) rc = collect_untagged(c, d, rel, nrel, &words, &nw, &cw);
  listed *names = NULL;
  size_t nnames = 0;
  if (rc == 0) rc = parse_names(c, &names, &nnames);
  if (rc || nw == 0) goto done;
  qsort(words, nw, sizeof *words, cmp_nword);
  form *forms = NULL;
  size_t nf = 0, cf = 0;
  for (size_t i = 0; i < nw && rc == 0;) {
    size_t j = i;
    form f;
    memset(&f, 0, sizeof f);
    f.hash = words[i].hash;
    f.cat = words[i].cat;
    f.doc = -1;
    while (j < nw && words[j].hash == f.hash && words[j].cat == f.cat) {
      const vb_doc *o = vb_get_doc(c, words[j].doc);
      f.count++;
      int judged = o != d && vb_check_judges(k, d, o);
      if (judged && !f.in_judged) {
        f.in_judged = 1;
        f.doc = o->id;
        f.tok = words[j].tok;
      }
      if (f.doc < 0) {
        f.doc = o->id;
        f.tok = words[j].tok;
      }
      if (o == d && !f.in_d) {
        f.in_d = 1;
        f.d_tok = words[j].tok;
      }
      j++;
    }
    const vb_doc *o = vb_get_doc(c, f.doc);
    if (form_text(o, f.tok, &f) && VB_PUSH(forms, nf, cf, f)) rc = VB_ERR_NOMEM;
    i = j;
  }
  char where[300];
  for (size_t i = 0; i < nf && rc == 0; i++) {
    form *f = &forms[i];
    if (!f->in_d || f->in_judged) continue;
    int is_listed = 0;
    for (size_t l = 0; l < nnames && !is_listed; l++)
      is_listed = names[l].len == f->len && memcmp(names[l].low, f->low, f->len) == 0;
    if (is_listed) continue;
    uint32_t ds = d->toks[f->d_tok].start, de = d->toks[f->d_tok].start + (uint32_t)vb_stem_len(d, f->d_tok);
    int told = 0;
    for (size_t l = 0; l < nnames && !told && rc == 0; l++) {
      if (!near_miss(f->low, f->len, names[l].low, names[l].len)) continue;
      told = 1;
      rc = vb_check_emit(k, VB_RULE_NAME_VARIANT, d, ds, de, NULL, 0,
                         "'%.*s' looks like a misspelling of '%.*s' from the names file",
                         (int)(de - ds), d->text + ds, (int)names[l].text_len, names[l].text);
    }
    for (size_t g = 0; g < nf && !told && rc == 0; g++) {
      const form *v = &forms[g];
      if (g == i || v->cat != f->cat) continue;
      if (!v->in_judged && v->count < f->count) continue; /* we are the usual spelling */
      if (!near_miss(f->low, f->len, v->low, v->len)) continue;
      const vb_doc *o = vb_get_doc(c, v->doc);
      uint32_t os = o->toks[v->tok].start, oe = os + (uint32_t)vb_stem_len(o, v->tok);
      vb_location loc = {o->id, os, oe};
      told = 1;
      rc = vb_check_emit(k, VB_RULE_NAME_VARIANT, d, ds, de, &loc, 1,
                         "'%.*s' is spelled '%.*s' in %s", (int)(de - ds), d->text + ds,
                         (int)(oe - os), o->text + os,
                         o == d ? "this document too" : vb_check_where(k, o, os, where, sizeof where));
    }
  }
  free(forms);
done:
  free(words);
  free(names);
  return rc;
}

