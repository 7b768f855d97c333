/* diagnostics.c: textDocument/publishDiagnostics from a check. source is
 * "verbatim", code the rule id, codeDescription.href the vimdoc with the
 * rule's help tag as fragment (file:///.../doc/verbatim.txt#verbatim-rule-
 * quote-altered: `:help verbatim-rule-quote-altered`), relatedInformation
 * the counterparts' locations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp.h"

static int lsp_severity(vb_severity s) {
  switch (s) {
  case VB_SEV_ERROR: return 1;
  case VB_SEV_WARNING: return 2;
  case VB_SEV_INFO: return 3;
  default: return 4;
  }
}

cJSON *vb_lsp_location_json(vb_lsp_server *s, vb_lsp_group *g, int doc, size_t start,
                            size_t end) {
  vb_lsp_text *t = vb_lsp_text_of(s, g, doc);
  if (!t) return NULL;
  cJSON *loc = cJSON_CreateObject();
  cJSON_AddStringToObject(loc, "uri", t->uri);
  cJSON_AddItemToObject(loc, "range", vb_lsp_range_json(s, t, start, end));
  return loc;
}

void vb_lsp_publish_empty(vb_lsp_server *s, const char *uri) {
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "uri", uri);
  cJSON_AddArrayToObject(p, "diagnostics");
  vb_lsp_notify(s, "textDocument/publishDiagnostics", p);
}

void vb_lsp_publish(vb_lsp_server *s, vb_lsp_text *t) {
  if (!t->open) return;
  int id = -1;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  const vb_report *r = s->opt.diagnostics && g ? vb_lsp_report(s, t) : NULL;
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "uri", t->uri);
  cJSON_AddNumberToObject(p, "version", (double)t->version);
  cJSON *list = cJSON_AddArrayToObject(p, "diagnostics");
  for (size_t i = 0; r && i < r->n_diagnostics; i++) {
    const vb_diagnostic *d = &r->diagnostics[i];
    if (d->doc != id || d->severity == VB_SEV_OFF) continue;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "range", vb_lsp_range_json(s, t, d->start, d->end));
    cJSON_AddNumberToObject(o, "severity", lsp_severity(d->severity));
    cJSON_AddStringToObject(o, "code", d->rule);
    if (s->doc_uri) {
      char href[4096];
      snprintf(href, sizeof href, "%s#verbatim-rule-%s", s->doc_uri, d->rule);
      cJSON *cd = cJSON_AddObjectToObject(o, "codeDescription");
      cJSON_AddStringToObject(cd, "href", href);
    }
    cJSON_AddStringToObject(o, "source", "verbatim");
    cJSON_AddStringToObject(o, "message", d->message);
    if (s->opt.related && d->n_related) {
      cJSON *rel = cJSON_AddArrayToObject(o, "relatedInformation");
      for (size_t k = 0; k < d->n_related; k++) {
        const vb_location *l = &d->related[k];
        cJSON *loc = vb_lsp_location_json(s, g, l->doc, l->start, l->end);
        if (!loc) continue;
        cJSON *ri = cJSON_CreateObject();
        cJSON_AddItemToObject(ri, "location", loc);
        cJSON_AddStringToObject(ri, "message", l->doc == id ? "here" : "the counterpart");
        cJSON_AddItemToArray(rel, ri);
      }
    }
    cJSON_AddItemToArray(list, o);
  }
  t->published = 1;
  vb_lsp_notify(s, "textDocument/publishDiagnostics", p);
}
