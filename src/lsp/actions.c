/* actions.c: code actions on a quotation ("Use the source's wording", the
 * edit of :Verbatim fix; "Accept this quotation"; turning a rule off for
 * the project), the commands they run, and the custom request
 * verbatim/related.
 *
 * The server never writes a file. Accepting a quotation and turning a rule
 * off last for the server's session and apply to every document it checks
 * (the project); to keep a rule off, set core = { ["rule.RULE"] = "off" }
 * in the options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp.h"

static char **strv_add(char **v, size_t *n, const char *s) {
  char **nv = realloc(v, (*n + 1) * sizeof *nv);
  if (!nv) return v;
  nv[*n] = strdup(s);
  if (nv[*n]) (*n)++;
  return nv;
}

void vb_lsp_apply_session(vb_lsp_server *s, vb_corpus *c) {
  for (size_t i = 0; i < s->n_accepted; i++)
    vb_corpus_accept_quote(c, s->accepted[i], strlen(s->accepted[i]));
  for (size_t i = 0; i < s->n_rules_off; i++) {
    char name[160];
    snprintf(name, sizeof name, "rule.%s", s->rules_off[i]);
    vb_corpus_set_option(c, name, "off");
  }
}

/* Is this one of the quotation marks the Lua fix strips? */
static size_t mark_len(const char *p, size_t n, int at_end) {
  static const char *marks[] = {"\"", "'", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x98",
                                "\xe2\x80\x99", "\xc2\xab", "\xc2\xbb", "\xe2\x80\x9e"};
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    size_t k = strlen(marks[i]);
    if (k <= n && memcmp(at_end ? p + n - k : p, marks[i], k) == 0) return k;
  }
  return 0;
}

static void strip_marks(const char *b, size_t *start, size_t *end) {
  size_t k;
  int changed = 1;
  while (changed && *end > *start) {
    changed = 0;
    if ((k = mark_len(b + *start, *end - *start, 0))) {
      *start += k;
      changed = 1;
    }
    if (*end > *start && (k = mark_len(b + *start, *end - *start, 1))) {
      *end -= k;
      changed = 1;
    }
  }
}

/* The words inside the source's marks for match m (as verbatim.fix's
 * source_words): the inner words of the source quotation it overlaps most,
 * or the fragment itself when it is part of a longer quotation. malloc'd. */
static char *source_words(vb_corpus *c, const vb_match *m) {
  size_t len;
  const char *b = vb_doc_bytes(c, m->doc, &len);
  if (!b) return NULL;
  size_t nq;
  const vb_quote *qs = vb_doc_quotes(c, m->doc, &nq);
  const vb_quote *best = NULL;
  size_t overlap = 0;
  for (size_t i = 0; i < nq; i++) {
    size_t a = qs[i].start > m->start ? qs[i].start : m->start;
    size_t z = qs[i].end < m->end ? qs[i].end : m->end;
    if (z > a && z - a > overlap) {
      best = &qs[i];
      overlap = z - a;
    }
  }
  size_t a = m->start, z = m->end;
  if (best && !(best->start <= m->start && m->end <= best->end &&
                (m->start > best->start || m->end < best->end))) {
    a = best->inner_start;
    z = best->inner_end;
  } else {
    strip_marks(b, &a, &z);
  }
  if (z > len) z = len;
  if (a > z) a = z;
  char *out = malloc(z - a + 1);
  if (!out) return NULL;
  memcpy(out, b + a, z - a);
  out[z - a] = '\0';
  return out;
}

/* Whitespace around line breaks as one space. In place. */
static void flatten(char *s) {
  char *w = s;
  for (char *r = s; *r;) {
    if (*r == '\n' || (*r == '\r' && r[1] == '\n')) {
      while (w > s && (w[-1] == ' ' || w[-1] == '\t')) w--;
      while (*r == '\n' || *r == '\r' || *r == ' ' || *r == '\t') r++;
      *w++ = ' ';
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
}

static cJSON *command(const char *title, const char *cmd, cJSON *arg) {
  cJSON *c = cJSON_CreateObject();
  cJSON_AddStringToObject(c, "title", title);
  cJSON_AddStringToObject(c, "command", cmd);
  cJSON *args = cJSON_AddArrayToObject(c, "arguments");
  cJSON_AddItemToArray(args, arg);
  return c;
}

static cJSON *action(const char *title, cJSON *diags, int preferred) {
  cJSON *a = cJSON_CreateObject();
  cJSON_AddStringToObject(a, "title", title);
  cJSON_AddStringToObject(a, "kind", "quickfix");
  if (diags) cJSON_AddItemToObject(a, "diagnostics", diags);
  if (preferred) cJSON_AddBoolToObject(a, "isPreferred", 1);
  return a;
}

/* The diagnostics of the context that verbatim published (to attach to
 * the actions). */
static cJSON *ours(const cJSON *ctx, const char *rule_prefix) {
  const cJSON *diags = cJSON_GetObjectItemCaseSensitive(ctx, "diagnostics");
  cJSON *out = cJSON_CreateArray();
  const cJSON *d;
  cJSON_ArrayForEach(d, diags) {
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(d, "source");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(d, "code");
    if (!cJSON_IsString(src) || strcmp(src->valuestring, "verbatim") != 0 || !cJSON_IsString(code))
      continue;
    if (rule_prefix && strncmp(code->valuestring, rule_prefix, strlen(rule_prefix)) != 0) continue;
    cJSON_AddItemToArray(out, cJSON_Duplicate(d, 1));
  }
  return out;
}

int vb_lsp_code_action(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  vb_lsp_text *t = vb_lsp_param_text(s, params, err);
  if (!t) return VB_LSP_INVALID_PARAMS;
  size_t a, z;
  if (vb_lsp_read_range(s, t, cJSON_GetObjectItemCaseSensitive(params, "range"), &a, &z)) {
    *err = "params.range must be a Range";
    return VB_LSP_INVALID_PARAMS;
  }
  const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params, "context");
  const cJSON *only = cJSON_GetObjectItemCaseSensitive(ctx, "only");
  if (cJSON_IsArray(only) && cJSON_GetArraySize(only) > 0) {
    int want = 0;
    const cJSON *k;
    cJSON_ArrayForEach(k, only) if (cJSON_IsString(k) && strncmp(k->valuestring, "quickfix", 8) == 0) want = 1;
    if (!want) {
      *result = cJSON_CreateArray();
      return 0;
    }
  }
  cJSON *list = cJSON_CreateArray();
  *result = list;
  int id;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  const vb_report *r = g ? vb_lsp_report(s, t) : NULL;
  if (!g || !r) return 0;
  const vb_quote_matches *m;
  const vb_quote *q = vb_lsp_quote_at(s, t, a, &m);
  if (q && m) {
    /* Use the source's wording: the first altered counterpart */
    const vb_match *alt = NULL;
    for (size_t k = 0; k < m->n_matches && !alt; k++)
      if (m->matches[k].doc != id && m->matches[k].relation == VB_REL_ALTERED) alt = &m->matches[k];
    if (alt) {
      char *words = source_words(g->corpus, alt);
      if (words && words[0]) {
        if (!memchr(t->bytes + q->inner_start, '\n', q->inner_end - q->inner_start)) flatten(words);
        cJSON *act = action("Use the source's wording", ours(ctx, "quote-altered"), 1);
        cJSON *edit = cJSON_AddObjectToObject(act, "edit");
        cJSON *changes = cJSON_AddObjectToObject(edit, "changes");
        cJSON *edits = cJSON_AddArrayToObject(changes, t->uri);
        cJSON *te = cJSON_CreateObject();
        cJSON_AddItemToObject(te, "range", vb_lsp_range_json(s, t, q->inner_start, q->inner_end));
        cJSON_AddStringToObject(te, "newText", words);
        cJSON_AddItemToArray(edits, te);
        cJSON_AddItemToArray(list, act);
      }
      free(words);
    }
    /* Accept this quotation: when a quote-* rule reports on it */
    int warned = 0;
    for (size_t i = 0; i < r->n_diagnostics && !warned; i++) {
      const vb_diagnostic *d = &r->diagnostics[i];
      warned = d->doc == id && strncmp(d->rule, "quote-", 6) == 0 && d->start < q->end && q->start < d->end;
    }
    if (warned) {
      cJSON *act = action("Accept this quotation", ours(ctx, "quote-"), 0);
      cJSON *arg = cJSON_CreateObject();
      cJSON_AddStringToObject(arg, "uri", t->uri);
      cJSON *txt = cJSON_CreateString("");
      /* the words inside the marks, as the library compares them */
      char *inner = malloc(q->inner_end - q->inner_start + 1);
      if (inner) {
        memcpy(inner, t->bytes + q->inner_start, q->inner_end - q->inner_start);
        inner[q->inner_end - q->inner_start] = '\0';
        cJSON_Delete(txt);
        txt = cJSON_CreateString(inner);
        free(inner);
      }
      cJSON_AddItemToObject(arg, "text", txt);
      cJSON_AddItemToObject(act, "command", command("Accept this quotation", "verbatim.acceptQuotation", arg));
      cJSON_AddItemToArray(list, act);
    }
  }
  /* Turn off, for the project, each rule that reports in the range */
  char *seen[16];
  size_t n_seen = 0;
  for (size_t i = 0; i < r->n_diagnostics; i++) {
    const vb_diagnostic *d = &r->diagnostics[i];
    if (d->doc != id || !(d->start <= z && a <= d->end)) continue;
    int dup = 0;
    for (size_t k = 0; k < n_seen && !dup; k++) dup = strcmp(seen[k], d->rule) == 0;
    if (dup || n_seen == 16) continue;
    seen[n_seen++] = (char *)d->rule;
    char title[160];
    snprintf(title, sizeof title, "Turn off %s for this project", d->rule);
    cJSON *act = action(title, NULL, 0);
    cJSON_AddItemToObject(act, "command", command(title, "verbatim.disableRule", cJSON_CreateString(d->rule)));
    cJSON_AddItemToArray(list, act);
  }
  return 0;
}

int vb_lsp_execute_command(vb_lsp_server *s, const cJSON *params, cJSON **result,
                           const char **err) {
  const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(params, "command");
  const cJSON *args = cJSON_GetObjectItemCaseSensitive(params, "arguments");
  const cJSON *arg = cJSON_GetArrayItem(args, 0);
  *result = NULL;
  if (!cJSON_IsString(cmd)) {
    *err = "executeCommand: command is required";
    return VB_LSP_INVALID_PARAMS;
  }
  if (strcmp(cmd->valuestring, "verbatim.acceptQuotation") == 0) {
    const cJSON *text = cJSON_IsString(arg) ? arg : cJSON_GetObjectItemCaseSensitive(arg, "text");
    if (!cJSON_IsString(text)) {
      *err = "verbatim.acceptQuotation: arguments[0].text is required";
      return VB_LSP_INVALID_PARAMS;
    }
    s->accepted = strv_add(s->accepted, &s->n_accepted, text->valuestring);
    for (size_t g = 0; g < s->n_groups; g++)
      if (s->groups[g]) {
        vb_corpus_accept_quote(s->groups[g]->corpus, text->valuestring, strlen(text->valuestring));
        s->groups[g]->gen++;
      }
  } else if (strcmp(cmd->valuestring, "verbatim.disableRule") == 0) {
    if (!cJSON_IsString(arg) || strlen(arg->valuestring) > 100) {
      *err = "verbatim.disableRule: arguments[0] must be a rule id";
      return VB_LSP_INVALID_PARAMS;
    }
    char name[160];
    snprintf(name, sizeof name, "rule.%s", arg->valuestring);
    vb_corpus *probe = vb_corpus_new();
    int bad = probe && vb_corpus_set_option(probe, name, "off") < 0;
    vb_corpus_free(probe);
    if (bad) {
      *err = "verbatim.disableRule: unknown rule";
      return VB_LSP_INVALID_PARAMS;
    }
    s->rules_off = strv_add(s->rules_off, &s->n_rules_off, arg->valuestring);
    for (size_t g = 0; g < s->n_groups; g++)
      if (s->groups[g]) {
        vb_corpus_set_option(s->groups[g]->corpus, name, "off");
        s->groups[g]->gen++;
      }
  } else {
    *err = "unknown command";
    return VB_LSP_INVALID_PARAMS;
  }
  vb_lsp_schedule_all(s, 0);
  return 0;
}

/* ------------------------------------------------------------ verbatim/related */

/* params: {textDocument, range} or {textDocument, position}, optional max
 * (default: 8). An empty range or a position means the paragraph there.
 * result: {query: {uri, range, start, end}, passages: [{uri, range, start,
 * end, score, relation, aligned: [{range, start, end, relation,
 * sourceRange, source_start, source_end}]}]} (start/end are byte offsets;
 * range in the negotiated encoding; aligned.range lies in the query
 * document, sourceRange in the passage's). */
int vb_lsp_related(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  vb_lsp_text *t = vb_lsp_param_text(s, params, err);
  if (!t) return VB_LSP_INVALID_PARAMS;
  size_t a, z;
  const cJSON *range = cJSON_GetObjectItemCaseSensitive(params, "range");
  const cJSON *pos = cJSON_GetObjectItemCaseSensitive(params, "position");
  if (range) {
    if (vb_lsp_read_range(s, t, range, &a, &z)) {
      *err = "params.range must be a Range";
      return VB_LSP_INVALID_PARAMS;
    }
  } else if (vb_lsp_read_position(s, t, pos, &a) == 0) {
    z = a;
  } else {
    *err = "verbatim/related: params.range or params.position is required";
    return VB_LSP_INVALID_PARAMS;
  }
  size_t max = 8;
  const cJSON *mx = cJSON_GetObjectItemCaseSensitive(params, "max");
  if (cJSON_IsNumber(mx) && mx->valuedouble >= 1 && mx->valuedouble <= 1000) max = (size_t)mx->valuedouble;
  int id;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  if (!g) {
    *err = "the document could not be analysed";
    return VB_LSP_REQUEST_FAILED;
  }
  if (z == a) vb_doc_paragraph(g->corpus, id, a, &a, &z);
  vb_related *rel = NULL;
  if (vb_find_related(g->corpus, id, a, z, max, &rel) < 0) {
    *err = "related passages could not be found";
    return VB_LSP_REQUEST_FAILED;
  }
  cJSON *r = cJSON_CreateObject();
  cJSON *query = cJSON_AddObjectToObject(r, "query");
  cJSON_AddStringToObject(query, "uri", t->uri);
  cJSON_AddItemToObject(query, "range", vb_lsp_range_json(s, t, a, z));
  cJSON_AddNumberToObject(query, "start", (double)a);
  cJSON_AddNumberToObject(query, "end", (double)z);
  cJSON *list = cJSON_AddArrayToObject(r, "passages");
  for (size_t i = 0; i < rel->n_passages; i++) {
    const vb_passage *p = &rel->passages[i];
    vb_lsp_text *o = vb_lsp_text_of(s, g, p->doc);
    if (!o) continue;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "uri", o->uri);
    cJSON_AddStringToObject(e, "path", vb_doc_name(g->corpus, p->doc));
    cJSON_AddItemToObject(e, "range", vb_lsp_range_json(s, o, p->start, p->end));
    cJSON_AddNumberToObject(e, "start", (double)p->start);
    cJSON_AddNumberToObject(e, "end", (double)p->end);
    cJSON_AddNumberToObject(e, "score", p->score);
    cJSON_AddStringToObject(e, "relation", vb_relation_name(p->relation));
    cJSON *al = cJSON_AddArrayToObject(e, "aligned");
    for (size_t k = 0; k < p->n_aligned; k++) {
      const vb_span *sp = &p->aligned[k];
      cJSON *x = cJSON_CreateObject();
      cJSON_AddItemToObject(x, "range", vb_lsp_range_json(s, t, sp->start, sp->end));
      cJSON_AddNumberToObject(x, "start", (double)sp->start);
      cJSON_AddNumberToObject(x, "end", (double)sp->end);
      cJSON_AddStringToObject(x, "relation", vb_relation_name(sp->relation));
      cJSON_AddItemToObject(x, "sourceRange", vb_lsp_range_json(s, o, sp->source_start, sp->source_end));
      cJSON_AddNumberToObject(x, "source_start", (double)sp->source_start);
      cJSON_AddNumberToObject(x, "source_end", (double)sp->source_end);
      cJSON_AddItemToArray(al, x);
    }
    cJSON_AddItemToArray(list, e);
  }
  vb_related_free(rel);
  *result = r;
  return 0;
}
