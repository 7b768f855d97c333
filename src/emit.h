/* emit.h: library results as JSON, written to a vb_json writer.
 *
 * The one place that turns verbatim's results into JSON: the command line
 * and the language server both use it. It holds no state of its own and
 * writes nothing but the vb_json writer it is given; offsets are 0-based
 * bytes, line and col 1-based (col in bytes), as in the README. */
#ifndef VB_EMIT_H
#define VB_EMIT_H

#include <stddef.h>

#include "json.h"
#include "verbatim.h"

/* "utf-8", "windows-1252" or "utf-8 (repaired)". Static storage. */
const char *vb_emit_encoding_name(int encoding);

/* line_key: line, col_key: col of a byte offset of a document (two members;
 * the keys are plain ASCII names). */
void vb_emit_position(vb_json *j, const vb_corpus *c, int doc, size_t offset, const char *line_key,
                      const char *col_key);

/* {"start", "end", "type", "text", "canonical"} */
void vb_emit_entity(vb_json *j, const vb_entity *e);
/* {"start", "end", "text", "kind", "line", "col", "speaker": {...} or null, ["cue"]} */
void vb_emit_quote(vb_json *j, const vb_corpus *c, int doc, const vb_quote *q);
/* {"path", "encoding", "entities": [...], "quotes": [...]}: what analyze gives a file. */
void vb_emit_document(vb_json *j, vb_corpus *c, int doc);

/* {"path", "start", "end", "line", "col"} */
void vb_emit_location(vb_json *j, const vb_corpus *c, const vb_location *l);
/* {"path", "start", "end", "line", "col", "end_line", "end_col", "severity",
 *  "rule", "message", "related": [location...]} */
void vb_emit_diagnostic(vb_json *j, const vb_corpus *c, const vb_diagnostic *d);
/* {"path", "start", "end", "line", "col", "relation", "score", ["diff"], ["speaker"]} */
void vb_emit_match(vb_json *j, const vb_corpus *c, const vb_match *m);
/* {"path", "start", "end", "line", "col", "matches": [match...]} */
void vb_emit_quote_matches(vb_json *j, const vb_corpus *c, const vb_quote_matches *q);
/* {"diagnostics": [...], "quotes": [...]}: what check gives. */
void vb_emit_report(vb_json *j, const vb_corpus *c, const vb_report *r);

/* {"start", "end", "relation", "source", "source_start", "source_end"} */
void vb_emit_span(vb_json *j, const vb_corpus *c, const vb_span *s);
/* {"target", "coverage": {"verbatim", "rewrite", "new"}, "reuse", "spans": [...]};
 * target_name NULL: the target document's name. */
void vb_emit_alignment(vb_json *j, const vb_corpus *c, const vb_alignment *a,
                       const char *target_name);

/* {"start", "end", "relation", "source_start", "source_end"}: a stretch of
 * a related passage (start/end in the query document). */
void vb_emit_aligned(vb_json *j, const vb_span *s);
/* {"path", "start", "end", "line", "col", "score", "relation", "aligned": [...]} */
void vb_emit_passage(vb_json *j, const vb_corpus *c, const vb_passage *p);
/* {"query": {"path", "start", "end"}, "passages": [...]} */
void vb_emit_related(vb_json *j, const vb_corpus *c, const char *query_path, size_t start,
                     size_t end, const vb_related *r);

#endif
