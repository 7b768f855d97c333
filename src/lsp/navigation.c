/* navigation.c: definition (a quotation's best counterpart), references
 * (all of them), hover (a quotation's speaker, its counterparts' relations
 * and differences; an entity's type and canonical name), documentSymbol
 * (the quotations with their speakers). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp.h"

const vb_quote *vb_lsp_quote_at(vb_lsp_server *s, vb_lsp_text *t, size_t off,
                                const vb_quote_matches **matches) {
  if (matches) *matches = NULL;
  int id;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  if (!g) return NULL;
  size_t nq;
  const vb_quote *qs = vb_doc_quotes(g->corpus, id, &nq);
  const vb_quote *best = NULL;
  for (size_t i = 0; i < nq; i++) {
    const vb_quote *q = &qs[i];
    if (q->start <= off && (off < q->end || (off == q->end && off > q->start))) {
      if (!best || q->end - q->start < best->end - best->start) best = q;
    }
  }
  if (best && matches) {
    const vb_report *r = vb_lsp_report(s, t);
    for (size_t i = 0; r && i < r->n_quotes; i++)
      if (r->quotes[i].doc == id && r->quotes[i].start == best->start && r->quotes[i].end == best->end)
        *matches = &r->quotes[i];
  }
  return best;
}

/* The text and offset a TextDocumentPositionParams names. */
static vb_lsp_text *at_position(vb_lsp_server *s, const cJSON *params, size_t *off,
                                const char **err) {
  vb_lsp_text *t = vb_lsp_param_text(s, params, err);
  if (!t) return NULL;
  if (vb_lsp_read_position(s, t, cJSON_GetObjectItemCaseSensitive(params, "position"), off)) {
    *err = "params.position must be {line, character}";
    return NULL;
  }
  return t;
}

int vb_lsp_definition(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  size_t off;
  vb_lsp_text *t = at_position(s, params, &off, err);
  if (!t) return VB_LSP_INVALID_PARAMS;
  const vb_quote_matches *m;
  int id;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  if (!vb_lsp_quote_at(s, t, off, &m) || !m || !g) return 0;
  for (size_t k = 0; k < m->n_matches; k++) {
    const vb_match *x = &m->matches[k];
    if (x->doc == id) continue;
    *result = vb_lsp_location_json(s, g, x->doc, x->start, x->end);
    if (*result) break;
  }
  return 0;
}

int vb_lsp_references(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  size_t off;
  vb_lsp_text *t = at_position(s, params, &off, err);
  if (!t) return VB_LSP_INVALID_PARAMS;
  const vb_quote_matches *m;
  int id;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  const vb_quote *q = vb_lsp_quote_at(s, t, off, &m);
  cJSON *list = cJSON_CreateArray();
  *result = list;
  if (!q || !g) return 0;
  const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params, "context");
  if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "includeDeclaration"))) {
    cJSON *self = vb_lsp_location_json(s, g, id, q->start, q->end);
    if (self) cJSON_AddItemToArray(list, self);
  }
  for (size_t k = 0; m && k < m->n_matches; k++) {
    const vb_match *x = &m->matches[k];
    if (x->doc == id) continue;
    cJSON *loc = vb_lsp_location_json(s, g, x->doc, x->start, x->end);
    if (loc) cJSON_AddItemToArray(list, loc);
  }
  return 0;
}

/* ------------------------------------------------------------------- hover */

typedef struct {
  char *s;
  size_t n, cap;
} buf_t;

static void put(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list cp;
  va_copy(cp, ap);
  int need = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (need < 0) {
    va_end(ap);
    return;
  }
  if (b->n + (size_t)need + 1 > b->cap) {
    size_t cap = (b->cap ? b->cap * 2 : 256) + (size_t)need;
    char *ns = realloc(b->s, cap);
    if (!ns) {
      va_end(ap);
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
  b->n += (size_t)need;
  va_end(ap);
}

/* One line of hover text per counterpart: "original.txt:6:1 altered (0.86)". */
static void counterpart_line(vb_lsp_server *s, buf_t *b, vb_lsp_group *g, const vb_match *x) {
  vb_lsp_text *o = vb_lsp_text_of(s, g, x->doc);
  long line = 0, ch = 0;
  if (o) vb_lsp_position(s, o, x->start, &line, &ch);
  put(b, "- %s:%ld:%ld %s (score %.2f)", vb_doc_name(g->corpus, x->doc), line + 1, ch + 1,
      vb_relation_name(x->relation), x->score);
  if (x->speaker) put(b, ", speaker %s", x->speaker);
  if (x->diff) put(b, ": %s", x->diff);
  put(b, "\n");
}

int vb_lsp_hover(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  size_t off;
  vb_lsp_text *t = at_position(s, params, &off, err);
  if (!t) return VB_LSP_INVALID_PARAMS;
  int id;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  if (!g) return 0;
  buf_t b = {0};
  size_t start = 0, end = 0;
  const vb_quote_matches *m;
  const vb_quote *q = vb_lsp_quote_at(s, t, off, &m);
  if (q) {
    start = q->start;
    end = q->end;
    put(&b, "%sQuotation%s (%s), speaker: %s\n", s->markdown ? "**" : "", s->markdown ? "**" : "",
        vb_quote_kind_name(q->kind), q->speaker_name ? q->speaker_name : "unknown");
    size_t shown = 0;
    for (size_t k = 0; m && k < m->n_matches; k++) {
      if (m->matches[k].doc == id) continue;
      if (!shown++) put(&b, "\n");
      counterpart_line(s, &b, g, &m->matches[k]);
    }
    if (!shown && q->kind != VB_QUOTE_TERM) put(&b, "\nNo source has this quotation.\n");
  } else {
    size_t ne;
    const vb_entity *es = vb_doc_entities(g->corpus, id, &ne);
    const vb_entity *e = NULL;
    for (size_t i = 0; i < ne; i++)
      if (es[i].start <= off && off < es[i].end) e = &es[i];
    if (!e) return 0;
    start = e->start;
    end = e->end;
    put(&b, "%s%s%s: %s\n", s->markdown ? "**" : "", vb_entity_type_name(e->type),
        s->markdown ? "**" : "", e->canonical);
    if (strcmp(e->canonical, e->text) != 0) put(&b, "\n(written here as \"%s\")\n", e->text);
  }
  if (!b.s) return 0;
  cJSON *r = cJSON_CreateObject();
  cJSON *c = cJSON_AddObjectToObject(r, "contents");
  cJSON_AddStringToObject(c, "kind", s->markdown ? "markdown" : "plaintext");
  cJSON_AddStringToObject(c, "value", b.s);
  cJSON_AddItemToObject(r, "range", vb_lsp_range_json(s, t, start, end));
  free(b.s);
  *result = r;
  return 0;
}

/* ------------------------------------------------------------ documentSymbol */

/* At most `max` bytes of s, cut at a character boundary. */
static size_t utf8_cut(const char *s, size_t max) {
  size_t n = strlen(s);
  if (n <= max) return n;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
  return max;
}

int vb_lsp_document_symbol(vb_lsp_server *s, const cJSON *params, cJSON **result,
                           const char **err) {
  vb_lsp_text *t = vb_lsp_param_text(s, params, err);
  if (!t) return VB_LSP_INVALID_PARAMS;
  cJSON *list = cJSON_CreateArray();
  *result = list;
  int id;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  if (!g) return 0;
  size_t nq;
  const vb_quote *qs = vb_doc_quotes(g->corpus, id, &nq);
  for (size_t i = 0; i < nq; i++) {
    const vb_quote *q = &qs[i];
    if (q->kind == VB_QUOTE_TERM) continue;
    size_t cut = utf8_cut(q->text, 60);
    char name[512];
    snprintf(name, sizeof name, "%s: \u201c%.*s%s\u201d", q->speaker_name ? q->speaker_name : "(no speaker)",
             (int)cut, q->text, cut < strlen(q->text) ? "\u2026" : "");
    for (char *p = name; *p; p++)
      if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
    cJSON *sym = cJSON_CreateObject();
    cJSON_AddStringToObject(sym, "name", name);
    cJSON_AddStringToObject(sym, "detail", vb_quote_kind_name(q->kind));
    cJSON_AddNumberToObject(sym, "kind", 15); /* String */
    cJSON_AddItemToObject(sym, "range", vb_lsp_range_json(s, t, q->start, q->end));
    cJSON_AddItemToObject(sym, "selectionRange", vb_lsp_range_json(s, t, q->start, q->end));
    cJSON_AddItemToArray(list, sym);
  }
  return 0;
}
