/* lua_verbatim.c: the Lua binding of verbatim.
 *
 * One source for LuaJIT / Lua 5.1 (lua/verbatim/core.so, loaded by Neovim)
 * and Lua 5.4 (build/lua54/verbatim/core.so). No liblua is linked: the host
 * provides the Lua C API. Only luaopen_verbatim_core is exported.
 *
 * Offsets in every result are the core's 0-based byte offsets; ranges are
 * half-open and use the fields `start` and `stop` ("end" is a Lua keyword).
 *
 *   local core = require("verbatim.core")
 *   local c = core.new()
 *   local id = c:add("copy.txt", text)              -- flags: core.SOURCE
 *   local report = c:check(id)   -- { diagnostics = {...}, quotes = {...} }
 */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "verbatim.h"

#define CORPUS_MT "verbatim.corpus"
#define RESULT_MT "verbatim.result"

#if LUA_VERSION_NUM >= 502
#define vbl_setfuncs(L, l) luaL_setfuncs(L, l, 0)
#else
static void vbl_setfuncs(lua_State *L, const luaL_Reg *l) {
  for (; l->name; l++) {
    lua_pushcfunction(L, l->func);
    lua_setfield(L, -2, l->name);
  }
}
#endif

/* ------------------------------------------------------------- handles */

typedef struct {
  vb_corpus *corpus; /* NULL once closed */
} corpus_box;

static corpus_box *check_box(lua_State *L) {
  return (corpus_box *)luaL_checkudata(L, 1, CORPUS_MT);
}

static vb_corpus *check_corpus(lua_State *L) {
  corpus_box *box = check_box(L);
  if (!box->corpus) luaL_error(L, "verbatim: corpus is closed");
  return box->corpus;
}

/* Raise a Lua error carrying the core's message for a failed call. */
static int fail(lua_State *L, vb_corpus *c, int rc) {
  const char *msg = c ? vb_corpus_error(c) : "";
  if (msg && *msg) return luaL_error(L, "verbatim: %s", msg);
  return luaL_error(L, "verbatim: %s", vb_strerror(rc));
}

/* A result the core gave us (report, alignment, related) is parked in a
 * userdata with __gc while its Lua tables are built, so a Lua memory error
 * half-way cannot leak it. */
typedef struct {
  void *ptr;
  void (*release)(void *);
} result_box;

static result_box *park(lua_State *L, void *ptr, void (*release)(void *)) {
  result_box *box = (result_box *)lua_newuserdata(L, sizeof *box);
  box->ptr = ptr;
  box->release = release;
  luaL_getmetatable(L, RESULT_MT);
  lua_setmetatable(L, -2);
  return box;
}

static void unpark(result_box *box) {
  if (box->ptr) box->release(box->ptr);
  box->ptr = NULL;
}

static int result_gc(lua_State *L) {
  unpark((result_box *)luaL_checkudata(L, 1, RESULT_MT));
  return 0;
}

static void release_report(void *p) { vb_report_free((vb_report *)p); }
static void release_alignment(void *p) { vb_alignment_free((vb_alignment *)p); }
static void release_related(void *p) { vb_related_free((vb_related *)p); }

/* ------------------------------------------------------------- helpers */

static void set_int(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

static void set_num(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void set_str(lua_State *L, const char *k, const char *v) {
  if (!v) return;
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

static void set_bool(lua_State *L, const char *k, int v) {
  lua_pushboolean(L, v);
  lua_setfield(L, -2, k);
}

static void set_range(lua_State *L, size_t start, size_t stop) {
  set_int(L, "start", (lua_Integer)start);
  set_int(L, "stop", (lua_Integer)stop);
}

static int check_doc(lua_State *L, int idx) {
  lua_Integer d = luaL_checkinteger(L, idx);
  if (d < 0 || d > 0x7fffffff) luaL_argerror(L, idx, "bad document id");
  return (int)d;
}

static size_t check_offset(lua_State *L, int idx) {
  lua_Integer v = luaL_checkinteger(L, idx);
  if (v < 0) luaL_argerror(L, idx, "negative offset");
  return (size_t)v;
}

/* Flags may be given as a number or as a boolean "is a source". */
static unsigned opt_flags(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return 0;
  if (lua_isboolean(L, idx)) return lua_toboolean(L, idx) ? VB_DOC_SOURCE : 0;
  lua_Integer f = luaL_checkinteger(L, idx);
  if (f < 0) luaL_argerror(L, idx, "bad flags");
  return (unsigned)f;
}

/* ------------------------------------------------------------- module */

static int l_version(lua_State *L) {
  lua_pushstring(L, vb_version());
  return 1;
}

static int l_new(lua_State *L) {
  corpus_box *box = (corpus_box *)lua_newuserdata(L, sizeof *box);
  box->corpus = NULL;
  luaL_getmetatable(L, CORPUS_MT);
  lua_setmetatable(L, -2);
  box->corpus = vb_corpus_new();
  if (!box->corpus) return luaL_error(L, "verbatim: out of memory");
  return 1;
}

/* ------------------------------------------------------------- corpus */

static int c_free(lua_State *L) {
  corpus_box *box = check_box(L);
  vb_corpus_free(box->corpus);
  box->corpus = NULL;
  return 0;
}

static int c_tostring(lua_State *L) {
  corpus_box *box = check_box(L);
  if (box->corpus)
    lua_pushfstring(L, "verbatim.corpus (%d documents)", (int)vb_corpus_count(box->corpus));
  else
    lua_pushliteral(L, "verbatim.corpus (closed)");
  return 1;
}

static int c_set_option(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  const char *name = luaL_checkstring(L, 2);
  const char *value = luaL_checkstring(L, 3);
  int rc = vb_corpus_set_option(c, name, value);
  if (rc < 0) return fail(L, c, rc);
  return 0;
}

static int c_get_option(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  const char *v = vb_corpus_get_option(c, luaL_checkstring(L, 2));
  if (v) lua_pushstring(L, v);
  else lua_pushnil(L);
  return 1;
}

static int c_load_names(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  size_t len;
  const char *text = luaL_checklstring(L, 2, &len);
  int rc = vb_corpus_load_names(c, text, len);
  if (rc < 0) return fail(L, c, rc);
  return 0;
}

static int c_accept_quote(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  size_t len;
  const char *text = luaL_checklstring(L, 2, &len);
  int rc = vb_corpus_accept_quote(c, text, len);
  if (rc < 0) return fail(L, c, rc);
  return 0;
}

static int c_add(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  const char *name = luaL_checkstring(L, 2);
  size_t len;
  const char *bytes = luaL_checklstring(L, 3, &len);
  int rc = vb_corpus_add(c, name, bytes, len, opt_flags(L, 4));
  if (rc < 0) return fail(L, c, rc);
  lua_pushinteger(L, rc);
  return 1;
}

static int c_replace(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  int doc = check_doc(L, 2);
  size_t len;
  const char *bytes = luaL_checklstring(L, 3, &len);
  int rc = vb_corpus_replace(c, doc, bytes, len);
  if (rc < 0) return fail(L, c, rc);
  return 0;
}

static int c_remove(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  int rc = vb_corpus_remove(c, check_doc(L, 2));
  if (rc < 0) return fail(L, c, rc);
  return 0;
}

static int c_set_flags(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  int rc = vb_corpus_set_flags(c, check_doc(L, 2), opt_flags(L, 3));
  if (rc < 0) return fail(L, c, rc);
  return 0;
}

static int c_count(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)vb_corpus_count(check_corpus(L)));
  return 1;
}

/* Ids of the documents in the order they were added. */
static int c_docs(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  lua_createtable(L, (int)vb_corpus_count(c), 0);
  int n = 0;
  for (int id = vb_corpus_next(c, -1); id >= 0; id = vb_corpus_next(c, id)) {
    lua_pushinteger(L, id);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

static int c_name(lua_State *L) {
  const char *name = vb_doc_name(check_corpus(L), check_doc(L, 2));
  if (name) lua_pushstring(L, name);
  else lua_pushnil(L);
  return 1;
}

static int c_bytes(lua_State *L) {
  size_t len = 0;
  const char *bytes = vb_doc_bytes(check_corpus(L), check_doc(L, 2), &len);
  if (bytes) lua_pushlstring(L, bytes, len);
  else lua_pushnil(L);
  return 1;
}

static int c_flags(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)vb_doc_flags(check_corpus(L), check_doc(L, 2)));
  return 1;
}

static int c_encoding(lua_State *L) {
  static const char *const names[] = {"utf-8", "cp1252", "repaired"};
  vb_corpus *c = check_corpus(L);
  int e = vb_doc_encoding(c, check_doc(L, 2));
  if (e < 0) return fail(L, c, e);
  lua_pushstring(L, e <= 2 ? names[e] : "unknown");
  return 1;
}

/* line, col (both 1-based; col in bytes) of a byte offset. */
static int c_position(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  size_t line = 0, col = 0;
  int rc = vb_doc_position(c, check_doc(L, 2), check_offset(L, 3), &line, &col);
  if (rc < 0) return fail(L, c, rc);
  lua_pushinteger(L, (lua_Integer)line);
  lua_pushinteger(L, (lua_Integer)col);
  return 2;
}

/* start, stop of the paragraph around a byte offset. */
static int c_paragraph(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  size_t start = 0, stop = 0;
  int rc = vb_doc_paragraph(c, check_doc(L, 2), check_offset(L, 3), &start, &stop);
  if (rc < 0) return fail(L, c, rc);
  lua_pushinteger(L, (lua_Integer)start);
  lua_pushinteger(L, (lua_Integer)stop);
  return 2;
}

static int c_entities(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  int doc = check_doc(L, 2);
  size_t n = 0;
  const vb_entity *e = vb_doc_entities(c, doc, &n);
  if (!e && n == 0 && !vb_doc_name(c, doc)) return fail(L, c, VB_ERR_INVALID);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_createtable(L, 0, 5);
    set_range(L, e[i].start, e[i].end);
    set_str(L, "type", vb_entity_type_name(e[i].type));
    set_str(L, "text", e[i].text);
    set_str(L, "canonical", e[i].canonical);
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

static int c_quotes(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  int doc = check_doc(L, 2);
  size_t n = 0;
  const vb_quote *q = vb_doc_quotes(c, doc, &n);
  if (!q && n == 0 && !vb_doc_name(c, doc)) return fail(L, c, VB_ERR_INVALID);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_createtable(L, 0, 14);
    set_range(L, q[i].start, q[i].end);
    set_int(L, "inner_start", (lua_Integer)q[i].inner_start);
    set_int(L, "inner_stop", (lua_Integer)q[i].inner_end);
    set_str(L, "kind", vb_quote_kind_name(q[i].kind));
    set_bool(L, "unclosed", (q[i].flags & VB_QUOTE_UNCLOSED) != 0);
    set_bool(L, "continued", (q[i].flags & VB_QUOTE_CONTINUED) != 0);
    set_bool(L, "nested", (q[i].flags & VB_QUOTE_NESTED) != 0);
    set_str(L, "text", q[i].text);
    if (q[i].speaker_name) {
      set_str(L, "speaker", q[i].speaker_name);
      set_int(L, "speaker_start", (lua_Integer)q[i].speaker_start);
      set_int(L, "speaker_stop", (lua_Integer)q[i].speaker_end);
    }
    if (q[i].cue_end > q[i].cue_start) {
      set_int(L, "cue_start", (lua_Integer)q[i].cue_start);
      set_int(L, "cue_stop", (lua_Integer)q[i].cue_end);
    }
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

static void push_location(lua_State *L, int doc, size_t start, size_t stop) {
  lua_createtable(L, 0, 3);
  set_int(L, "doc", doc);
  set_range(L, start, stop);
}

static void push_span(lua_State *L, const vb_span *s) {
  lua_createtable(L, 0, 6);
  set_range(L, s->start, s->end);
  set_str(L, "relation", vb_relation_name(s->relation));
  set_int(L, "source", s->source);
  set_int(L, "source_start", (lua_Integer)s->source_start);
  set_int(L, "source_stop", (lua_Integer)s->source_end);
}

/* check([doc]): { diagnostics = {...}, quotes = {...} } */
static int c_check(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  int doc = lua_isnoneornil(L, 2) ? -1 : check_doc(L, 2);
  vb_report *r = NULL;
  int rc = vb_check(c, doc, &r);
  if (rc < 0) {
    vb_report_free(r);
    return fail(L, c, rc);
  }
  result_box *box = park(L, r, release_report);
  lua_createtable(L, 0, 2);

  lua_createtable(L, r ? (int)r->n_diagnostics : 0, 0);
  for (size_t i = 0; r && i < r->n_diagnostics; i++) {
    const vb_diagnostic *d = &r->diagnostics[i];
    lua_createtable(L, 0, 7);
    set_int(L, "doc", d->doc);
    set_range(L, d->start, d->end);
    set_str(L, "severity", vb_severity_name(d->severity));
    set_str(L, "rule", d->rule);
    set_str(L, "message", d->message);
    lua_createtable(L, (int)d->n_related, 0);
    for (size_t k = 0; k < d->n_related; k++) {
      push_location(L, d->related[k].doc, d->related[k].start, d->related[k].end);
      lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, "related");
    lua_rawseti(L, -2, (int)i + 1);
  }
  lua_setfield(L, -2, "diagnostics");

  lua_createtable(L, r ? (int)r->n_quotes : 0, 0);
  for (size_t i = 0; r && i < r->n_quotes; i++) {
    const vb_quote_matches *q = &r->quotes[i];
    push_location(L, q->doc, q->start, q->end);
    lua_createtable(L, (int)q->n_matches, 0);
    for (size_t k = 0; k < q->n_matches; k++) {
      const vb_match *m = &q->matches[k];
      push_location(L, m->doc, m->start, m->end);
      set_str(L, "relation", vb_relation_name(m->relation));
      set_num(L, "score", m->score);
      set_str(L, "diff", m->diff);
      set_str(L, "speaker", m->speaker);
      lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, "matches");
    lua_rawseti(L, -2, (int)i + 1);
  }
  lua_setfield(L, -2, "quotes");

  unpark(box);
  return 1;
}

/* align(target): { verbatim, rewrite, fresh, reuse, spans = {...} } */
static int c_align(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  int doc = check_doc(L, 2);
  vb_alignment *a = NULL;
  int rc = vb_align(c, doc, &a);
  if (rc < 0) {
    vb_alignment_free(a);
    return fail(L, c, rc);
  }
  result_box *box = park(L, a, release_alignment);
  lua_createtable(L, 0, 6);
  set_int(L, "target", doc);
  set_num(L, "verbatim", a ? a->verbatim : 0.0);
  set_num(L, "rewrite", a ? a->rewrite : 0.0);
  set_num(L, "fresh", a ? a->fresh : 1.0);
  set_str(L, "reuse", vb_reuse_name(a ? (int)a->reuse : VB_REUSE_NONE));
  lua_createtable(L, a ? (int)a->n_spans : 0, 0);
  for (size_t i = 0; a && i < a->n_spans; i++) {
    push_span(L, &a->spans[i]);
    lua_rawseti(L, -2, (int)i + 1);
  }
  lua_setfield(L, -2, "spans");
  unpark(box);
  return 1;
}

/* related(doc, start, stop[, max]): list of passages, best first. */
static int c_related(lua_State *L) {
  vb_corpus *c = check_corpus(L);
  int doc = check_doc(L, 2);
  size_t start = check_offset(L, 3), stop = check_offset(L, 4);
  if (stop < start) luaL_argerror(L, 4, "range ends before it starts");
  lua_Integer max = luaL_optinteger(L, 5, 10);
  if (max < 0) max = 0;
  vb_related *r = NULL;
  int rc = vb_find_related(c, doc, start, stop, (size_t)max, &r);
  if (rc < 0) {
    vb_related_free(r);
    return fail(L, c, rc);
  }
  result_box *box = park(L, r, release_related);
  lua_createtable(L, r ? (int)r->n_passages : 0, 0);
  for (size_t i = 0; r && i < r->n_passages; i++) {
    const vb_passage *p = &r->passages[i];
    push_location(L, p->doc, p->start, p->end);
    set_num(L, "score", p->score);
    set_str(L, "relation", vb_relation_name(p->relation));
    lua_createtable(L, (int)p->n_aligned, 0);
    for (size_t k = 0; k < p->n_aligned; k++) {
      push_span(L, &p->aligned[k]);
      lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, "aligned");
    lua_rawseti(L, -2, (int)i + 1);
  }
  unpark(box);
  return 1;
}

/* ------------------------------------------------------------- opening */

static const luaL_Reg corpus_methods[] = {
    {"free", c_free},           {"set_option", c_set_option}, {"get_option", c_get_option},
    {"load_names", c_load_names}, {"accept_quote", c_accept_quote}, {"add", c_add},
    {"replace", c_replace},     {"remove", c_remove},         {"set_flags", c_set_flags},
    {"count", c_count},         {"docs", c_docs},             {"name", c_name},
    {"bytes", c_bytes},         {"flags", c_flags},           {"encoding", c_encoding},
    {"position", c_position},   {"paragraph", c_paragraph},   {"entities", c_entities},
    {"quotes", c_quotes},       {"check", c_check},           {"align", c_align},
    {"related", c_related},     {NULL, NULL}};

static const luaL_Reg module_functions[] = {{"version", l_version}, {"new", l_new}, {NULL, NULL}};

__attribute__((visibility("default"))) int luaopen_verbatim_core(lua_State *L) {
  if (luaL_newmetatable(L, RESULT_MT)) {
    lua_pushcfunction(L, result_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);

  if (luaL_newmetatable(L, CORPUS_MT)) {
    lua_createtable(L, 0, (int)(sizeof corpus_methods / sizeof *corpus_methods));
    vbl_setfuncs(L, corpus_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, c_free);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, c_tostring);
    lua_setfield(L, -2, "__tostring");
#if LUA_VERSION_NUM >= 504
    lua_pushcfunction(L, c_free);
    lua_setfield(L, -2, "__close");
#endif
  }
  lua_pop(L, 1);

  lua_newtable(L);
  vbl_setfuncs(L, module_functions);
  set_int(L, "SOURCE", VB_DOC_SOURCE);
  return 1;
}
