/* lexicon.c: a trie over token hashes, stored as one open-addressing table
 * of edges (parent node, token hash) -> child node. */
#include "lexicon.h"

typedef struct {
  uint32_t parent; /* parent node + 1; 0 marks an empty slot */
  uint32_t hash;
  uint32_t child;
} lex_edge;

/* The first words of the entries again, in a table of their own: most
 * look-ups are of one word, and this table answers them in about one probe. */
typedef struct {
  uint32_t hash;
  uint32_t node; /* child of the root + 1; 0 marks an empty slot */
} lex_root;

struct vb_lexicon {
  lex_edge *slots;
  size_t cap, used; /* cap is a power of two */
  lex_root *roots;
  size_t rcap, rused; /* rcap is a power of two, at least four times rused */
  uint32_t *cls;    /* classes of each node; node 0 is the root */
  size_t nnodes, cnodes;
};

static size_t root_slot(uint32_t hash, size_t mask) {
  return (size_t)(((uint64_t)hash * 0x9e3779b97f4a7c15ULL) >> 40) & mask;
}

static uint32_t root_child(const vb_lexicon *lx, uint32_t hash) {
  size_t mask = lx->rcap - 1;
  for (size_t i = root_slot(hash, mask);; i = (i + 1) & mask) {
    const lex_root *r = &lx->roots[i];
    if (r->node == 0) return VB_NONE;
    if (r->hash == hash) return r->node - 1;
  }
}

static int root_add(vb_lexicon *lx, uint32_t hash, uint32_t node) {
  if ((lx->rused + 1) * 4 > lx->rcap) {
    size_t cap = lx->rcap * 2;
    lex_root *t = calloc(cap, sizeof *t);
    if (!t) return VB_ERR_NOMEM;
    for (size_t i = 0; i < lx->rcap; i++) {
      if (!lx->roots[i].node) continue;
      size_t j = root_slot(lx->roots[i].hash, cap - 1);
      while (t[j].node) j = (j + 1) & (cap - 1);
      t[j] = lx->roots[i];
    }
    free(lx->roots);
    lx->roots = t;
    lx->rcap = cap;
  }
  size_t mask = lx->rcap - 1, i = root_slot(hash, mask);
  while (lx->roots[i].node) i = (i + 1) & mask;
  lx->roots[i].hash = hash;
  lx->roots[i].node = node + 1;
  lx->rused++;
  return 0;
}

static size_t slot_of(uint32_t parent, uint32_t hash, size_t mask) {
  uint64_t k = ((uint64_t)parent << 32) | hash;
  k ^= k >> 31;
  k *= 0x9e3779b97f4a7c15ULL;
  k ^= k >> 29;
  return (size_t)k & mask;
}

vb_lexicon *vb_lex_new(void) {
  vb_lexicon *lx = calloc(1, sizeof *lx);
  if (!lx) return NULL;
  lx->cap = 1024;
  lx->slots = calloc(lx->cap, sizeof *lx->slots);
  lx->rcap = 1024;
  lx->roots = calloc(lx->rcap, sizeof *lx->roots);
  if (!lx->slots || !lx->roots || vb_grow(&lx->cls, &lx->cnodes, 256, sizeof *lx->cls)) {
    vb_lex_free(lx);
    return NULL;
  }
  lx->cls[0] = 0;
  lx->nnodes = 1;
  return lx;
}

void vb_lex_free(vb_lexicon *lx) {
  if (!lx) return;
  free(lx->slots);
  free(lx->roots);
  free(lx->cls);
  free(lx);
}

vb_lexicon *vb_lex_copy(const vb_lexicon *lx) {
  vb_lexicon *cp = calloc(1, sizeof *cp);
  if (!cp) return NULL;
  cp->slots = malloc(lx->cap * sizeof *cp->slots);
  cp->roots = malloc(lx->rcap * sizeof *cp->roots);
  cp->cls = malloc(lx->cnodes * sizeof *cp->cls);
  if (!cp->slots || !cp->roots || !cp->cls) {
    vb_lex_free(cp);
    return NULL;
  }
  memcpy(cp->slots, lx->slots, lx->cap * sizeof *cp->slots);
  memcpy(cp->roots, lx->roots, lx->rcap * sizeof *cp->roots);
  memcpy(cp->cls, lx->cls, lx->nnodes * sizeof *cp->cls);
  cp->cap = lx->cap;
  cp->used = lx->used;
  cp->rcap = lx->rcap;
  cp->rused = lx->rused;
  cp->nnodes = lx->nnodes;
  cp->cnodes = lx->cnodes;
  return cp;
}

static uint32_t child_of(const vb_lexicon *lx, uint32_t node, uint32_t hash) {
  if (node == 0) return root_child(lx, hash);
  size_t mask = lx->cap - 1;
  for (size_t i = slot_of(node, hash, mask);; i = (i + 1) & mask) {
    const lex_edge *e = &lx->slots[i];
    if (e->parent == 0) return VB_NONE;
    if (e->parent == node + 1 && e->hash == hash) return e->child;
  }
}

static int rehash(vb_lexicon *lx) {
  size_t cap = lx->cap * 2;
  lex_edge *slots = calloc(cap, sizeof *slots);
  if (!slots) return VB_ERR_NOMEM;
  for (size_t i = 0; i < lx->cap; i++) {
    lex_edge e = lx->slots[i];
    if (!e.parent) continue;
    size_t j = slot_of(e.parent - 1, e.hash, cap - 1);
    while (slots[j].parent) j = (j + 1) & (cap - 1);
    slots[j] = e;
  }
  free(lx->slots);
  lx->slots = slots;
  lx->cap = cap;
  return 0;
}

static int add_child(vb_lexicon *lx, uint32_t node, uint32_t hash, uint32_t *child) {
  if ((lx->used + 1) * 2 > lx->cap && rehash(lx)) return VB_ERR_NOMEM;
  if (lx->nnodes >= VB_NONE - 1) return VB_ERR_LIMIT;
  if (vb_grow(&lx->cls, &lx->cnodes, lx->nnodes + 1, sizeof *lx->cls)) return VB_ERR_NOMEM;
  size_t mask = lx->cap - 1;
  size_t i = slot_of(node, hash, mask);
  while (lx->slots[i].parent) i = (i + 1) & mask;
  *child = (uint32_t)lx->nnodes;
  lx->cls[lx->nnodes++] = 0;
  lx->slots[i].parent = node + 1;
  lx->slots[i].hash = hash;
  lx->slots[i].child = *child;
  lx->used++;
  if (node == 0) return root_add(lx, hash, *child);
  return 0;
}

int vb_lex_add(vb_lexicon *lx, const uint32_t *hashes, size_t n, uint32_t cls) {
  if (n == 0 || n > VB_LEX_MAX_PHRASE) return 0;
  uint32_t node = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t next = child_of(lx, node, hashes[i]);
    if (next == VB_NONE) {
      int rc = add_child(lx, node, hashes[i], &next);
      if (rc) return rc;
    }
    node = next;
    if (i == 0 && n > 1) lx->cls[node] |= VB_LX_PREFIX;
  }
  lx->cls[node] |= cls;
  return 0;
}

uint32_t vb_lex_word(const vb_lexicon *lx, uint32_t hash) {
  uint32_t node = child_of(lx, 0, hash);
  return node == VB_NONE ? 0 : lx->cls[node];
}

size_t vb_lex_longest(const vb_lexicon *lx, const uint32_t *hashes, size_t n, uint32_t want,
                      uint32_t *cls) {
  uint32_t node = 0;
  size_t best = 0;
  *cls = 0;
  if (n > VB_LEX_MAX_PHRASE) n = VB_LEX_MAX_PHRASE;
  for (size_t i = 0; i < n; i++) {
    node = child_of(lx, node, hashes[i]);
    if (node == VB_NONE) break;
    if (lx->cls[node] & want) {
      best = i + 1;
      *cls = lx->cls[node];
    }
  }
  return best;
}

int vb_lex_add_list(vb_corpus *c, vb_lexicon *lx, const char *text, size_t len, uint32_t cls) {
  vb_doc tmp;
  memset(&tmp, 0, sizeof tmp);
  tmp.name = (char *)"word list";
  tmp.text = (char *)text;
  tmp.len = len;
  int rc = vb_text_tokenize(c, &tmp);
  uint32_t phrase[VB_LEX_MAX_PHRASE + 1];
  size_t n = 0, too_long = 0, comment = 0;
  for (size_t t = 0; rc == 0 && t <= tmp.ntoks; t++) {
    int line_start = t == tmp.ntoks || (tmp.toks[t].flags & VB_TOK_NEWLINE);
    if (line_start) {
      if (n && !too_long) rc = vb_lex_add(lx, phrase, n, cls);
      n = 0;
      too_long = comment = 0;
      if (t == tmp.ntoks) break;
    }
    if (comment) continue;
    if (tmp.toks[t].cp == '#') {
      comment = 1;
      continue;
    }
    if (n < VB_LEX_MAX_PHRASE) phrase[n++] = tmp.toks[t].hash;
    else too_long = 1;
  }
  free(tmp.toks);
  if (rc == VB_ERR_NOMEM) return vb_fail(c, rc, "out of memory building the lexicon");
  return rc;
}
