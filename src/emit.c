/* emit.c: library results as JSON on a vb_json writer (see emit.h). */
#include "emit.h"

#include <string.h>

const char *vb_emit_encoding_name(int encoding) {
  return encoding == VB_ENC_CP1252     ? "windows-1252"
         : encoding == VB_ENC_REPAIRED ? "utf-8 (repaired)"
                                       : "utf-8";
}

void vb_emit_position(vb_json *j, const vb_corpus *c, int doc, size_t offset, const char *line_key,
                      const char *col_key) {
  size_t line = 0, col = 0;
  vb_doc_position(c, doc, offset, &line, &col);
  vb_json_key_plain(j, line_key, strlen(line_key));
  vb_json_size(j, line);
  vb_json_key_plain(j, col_key, strlen(col_key));
  vb_json_size(j, col);
}

/* "path", "start", "end" of a range of a document */
static void range(vb_json *j, const vb_corpus *c, int doc, size_t start, size_t end) {
  VB_JSON_KEY(j, "path");
  vb_json_string(j, vb_doc_name(c, doc));
  VB_JSON_KEY(j, "start");
  vb_json_size(j, start);
  VB_JSON_KEY(j, "end");
  vb_json_size(j, end);
}

static void start_end(vb_json *j, size_t start, size_t end) {
  VB_JSON_KEY(j, "start");
  vb_json_size(j, start);
  VB_JSON_KEY(j, "end");
  vb_json_size(j, end);
}

void vb_emit_entity(vb_json *j, const vb_entity *e) {
  vb_json_begin_object(j);
  start_end(j, e->start, e->end);
  VB_JSON_KEY(j, "type");
  vb_json_string(j, vb_entity_type_name(e->type));
  VB_JSON_KEY(j, "text");
  vb_json_string(j, e->text);
  VB_JSON_KEY(j, "canonical");
  vb_json_string(j, e->canonical);
  vb_json_end_object(j);
}

void vb_emit_quote(vb_json *j, const vb_corpus *c, int doc, const vb_quote *q) {
  vb_json_begin_object(j);
  start_end(j, q->start, q->end);
  VB_JSON_KEY(j, "text");
  vb_json_string(j, q->text);
  VB_JSON_KEY(j, "kind");
  vb_json_string(j, vb_quote_kind_name(q->kind));
  vb_emit_position(j, c, doc, q->start, "line", "col");
  VB_JSON_KEY(j, "speaker");
  if (q->speaker_name) {
    vb_json_begin_object(j);
    VB_JSON_KEY(j, "name");
    vb_json_string(j, q->speaker_name);
    start_end(j, q->speaker_start, q->speaker_end);
    vb_json_end_object(j);
  } else {
    vb_json_null(j);
  }
  if (q->cue_end > q->cue_start) {
    VB_JSON_KEY(j, "cue");
    vb_json_begin_object(j);
    start_end(j, q->cue_start, q->cue_end);
    vb_json_end_object(j);
  }
  vb_json_end_object(j);
}

void vb_emit_document(vb_json *j, vb_corpus *c, int doc) {
  vb_json_begin_object(j);
  VB_JSON_KEY(j, "path");
  vb_json_string(j, vb_doc_name(c, doc));
  VB_JSON_KEY(j, "encoding");
  vb_json_string(j, vb_emit_encoding_name(vb_doc_encoding(c, doc)));
  size_t ne = 0, nq = 0;
  const vb_entity *ents = vb_doc_entities(c, doc, &ne);
  VB_JSON_KEY(j, "entities");
  vb_json_begin_array(j);
  for (size_t i = 0; i < ne; i++) vb_emit_entity(j, &ents[i]);
  vb_json_end_array(j);
  const vb_quote *qs = vb_doc_quotes(c, doc, &nq);
  VB_JSON_KEY(j, "quotes");
  vb_json_begin_array(j);
  for (size_t i = 0; i < nq; i++) vb_emit_quote(j, c, doc, &qs[i]);
  vb_json_end_array(j);
  vb_json_end_object(j);
}

void vb_emit_location(vb_json *j, const vb_corpus *c, const vb_location *l) {
  vb_json_begin_object(j);
  range(j, c, l->doc, l->start, l->end);
  vb_emit_position(j, c, l->doc, l->start, "line", "col");
  vb_json_end_object(j);
}

void vb_emit_diagnostic(vb_json *j, const vb_corpus *c, const vb_diagnostic *d) {
  vb_json_begin_object(j);
  range(j, c, d->doc, d->start, d->end);
  vb_emit_position(j, c, d->doc, d->start, "line", "col");
  vb_emit_position(j, c, d->doc, d->end, "end_line", "end_col");
  VB_JSON_KEY(j, "severity");
  vb_json_string(j, vb_severity_name(d->severity));
  VB_JSON_KEY(j, "rule");
  vb_json_string(j, d->rule);
  VB_JSON_KEY(j, "message");
  vb_json_string(j, d->message);
  VB_JSON_KEY(j, "related");
  vb_json_begin_array(j);
  for (size_t k = 0; k < d->n_related; k++) vb_emit_location(j, c, &d->related[k]);
  vb_json_end_array(j);
  vb_json_end_object(j);
}

void vb_emit_match(vb_json *j, const vb_corpus *c, const vb_match *m) {
  vb_json_begin_object(j);
  range(j, c, m->doc, m->start, m->end);
  vb_emit_position(j, c, m->doc, m->start, "line", "col");
  VB_JSON_KEY(j, "relation");
  vb_json_string(j, vb_relation_name(m->relation));
  VB_JSON_KEY(j, "score");
  vb_json_double(j, m->score);
  if (m->diff) {
    VB_JSON_KEY(j, "diff");
    vb_json_string(j, m->diff);
  }
  if (m->speaker) {
    VB_JSON_KEY(j, "speaker");
    vb_json_string(j, m->speaker);
  }
  vb_json_end_object(j);
}

void vb_emit_quote_matches(vb_json *j, const vb_corpus *c, const vb_quote_matches *q) {
  vb_json_begin_object(j);
  range(j, c, q->doc, q->start, q->end);
  vb_emit_position(j, c, q->doc, q->start, "line", "col");
  VB_JSON_KEY(j, "matches");
  vb_json_begin_array(j);
  for (size_t k = 0; k < q->n_matches; k++) vb_emit_match(j, c, &q->matches[k]);
  vb_json_end_array(j);
  vb_json_end_object(j);
}

void vb_emit_report(vb_json *j, const vb_corpus *c, const vb_report *r) {
  vb_json_begin_object(j);
  VB_JSON_KEY(j, "diagnostics");
  vb_json_begin_array(j);
  for (size_t i = 0; i < r->n_diagnostics; i++) vb_emit_diagnostic(j, c, &r->diagnostics[i]);
  vb_json_end_array(j);
  VB_JSON_KEY(j, "quotes");
  vb_json_begin_array(j);
  for (size_t i = 0; i < r->n_quotes; i++) vb_emit_quote_matches(j, c, &r->quotes[i]);
  vb_json_end_array(j);
  vb_json_end_object(j);
}

void vb_emit_span(vb_json *j, const vb_corpus *c, const vb_span *s) {
  vb_json_begin_object(j);
  start_end(j, s->start, s->end);
  VB_JSON_KEY(j, "relation");
  vb_json_string(j, vb_relation_name(s->relation));
  VB_JSON_KEY(j, "source");
  vb_json_string(j, vb_doc_name(c, s->source));
  VB_JSON_KEY(j, "source_start");
  vb_json_size(j, s->source_start);
  VB_JSON_KEY(j, "source_end");
  vb_json_size(j, s->source_end);
  vb_json_end_object(j);
}

void vb_emit_alignment(vb_json *j, const vb_corpus *c, const vb_alignment *a,
                       const char *target_name) {
  vb_json_begin_object(j);
  VB_JSON_KEY(j, "target");
  vb_json_string(j, target_name ? target_name : vb_doc_name(c, a->target));
  VB_JSON_KEY(j, "coverage");
  vb_json_begin_object(j);
  VB_JSON_KEY(j, "verbatim");
  vb_json_double(j, a->verbatim);
  VB_JSON_KEY(j, "rewrite");
  vb_json_double(j, a->rewrite);
  VB_JSON_KEY(j, "new");
  vb_json_double(j, a->fresh);
  vb_json_end_object(j);
  VB_JSON_KEY(j, "reuse");
  vb_json_string(j, vb_reuse_name(a->reuse));
  VB_JSON_KEY(j, "spans");
  vb_json_begin_array(j);
  for (size_t i = 0; i < a->n_spans; i++) vb_emit_span(j, c, &a->spans[i]);
  vb_json_end_array(j);
  vb_json_end_object(j);
}

void vb_emit_aligned(vb_json *j, const vb_span *s) {
  vb_json_begin_object(j);
  start_end(j, s->start, s->end);
  VB_JSON_KEY(j, "relation");
  vb_json_string(j, vb_relation_name(s->relation));
  VB_JSON_KEY(j, "source_start");
  vb_json_size(j, s->source_start);
  VB_JSON_KEY(j, "source_end");
  vb_json_size(j, s->source_end);
  vb_json_end_object(j);
}

void vb_emit_passage(vb_json *j, const vb_corpus *c, const vb_passage *p) {
  vb_json_begin_object(j);
  range(j, c, p->doc, p->start, p->end);
  vb_emit_position(j, c, p->doc, p->start, "line", "col");
  VB_JSON_KEY(j, "score");
  vb_json_double(j, p->score);
  VB_JSON_KEY(j, "relation");
  vb_json_string(j, vb_relation_name(p->relation));
  VB_JSON_KEY(j, "aligned");
  vb_json_begin_array(j);
  for (size_t k = 0; k < p->n_aligned; k++) vb_emit_aligned(j, &p->aligned[k]);
  vb_json_end_array(j);
  vb_json_end_object(j);
}

void vb_emit_related(vb_json *j, const vb_corpus *c, const char *query_path, size_t start,
                     size_t end, const vb_related *r) {
  vb_json_begin_object(j);
  VB_JSON_KEY(j, "query");
  vb_json_begin_object(j);
  VB_JSON_KEY(j, "path");
  vb_json_string(j, query_path);
  start_end(j, start, end);
  vb_json_end_object(j);
  VB_JSON_KEY(j, "passages");
  vb_json_begin_array(j);
  for (size_t i = 0; i < r->n_passages; i++) vb_emit_passage(j, c, &r->passages[i]);
  vb_json_end_array(j);
  vb_json_end_object(j);
}
