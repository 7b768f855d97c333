/* sync.c: open buffers (didOpen, didChange full and incremental, didSave,
 * didClose) and files changed on disk (didChangeWatchedFiles). */
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp.h"

static const char *uri_of(const cJSON *params) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const cJSON *uri = cJSON_GetObjectItemCaseSensitive(td, "uri");
  return cJSON_IsString(uri) ? uri->valuestring : NULL;
}

vb_lsp_text *vb_lsp_param_text(vb_lsp_server *s, const cJSON *params, const char **err) {
  const char *uri = uri_of(params);
  if (!uri) {
    *err = "params.textDocument.uri is missing";
    return NULL;
  }
  vb_lsp_text *t = vb_lsp_text_by_uri(s, uri);
  if (!t || !t->open) {
    *err = "the document is not open";
    return NULL;
  }
  return t;
}

static char *dup_bytes(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* Other open documents use open buffers as sources: their sets change. */
static void others_changed(vb_lsp_server *s, vb_lsp_text *t) {
  if (!s->opt.buffers) return;
  for (size_t i = 0; i < s->n_texts; i++) {
    vb_lsp_text *o = s->texts[i];
    if (o != t && o->open) {
      int before = o->group;
      vb_lsp_regroup(s, o);
      if (o->group != before || o->published) o->due = o->due >= 0 ? o->due : vb_lsp_now_ms() + s->opt.debounce;
    }
  }
}

int vb_lsp_did_open(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  (void)result;
  const char *uri = uri_of(params);
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const cJSON *text = cJSON_GetObjectItemCaseSensitive(td, "text");
  const cJSON *version = cJSON_GetObjectItemCaseSensitive(td, "version");
  if (!uri || !cJSON_IsString(text)) {
    *err = "didOpen: textDocument.uri and textDocument.text are required";
    return VB_LSP_INVALID_PARAMS;
  }
  char *path = vb_lsp_uri_to_path(uri);
  if (!path) {
    /* not a file (untitled:, ...): nothing to find sources for */
    vb_lsp_log(s, "not a file URI, ignored: %s", uri);
    return 0;
  }
  vb_lsp_text *t = vb_lsp_text_find(s, path);
  if (!t) {
    /* a text that is new to the server: no disk read, the buffer wins */
    t = vb_lsp_text_get(s, path);
  }
  free(path);
  if (!t) return 0;
  char *bytes = dup_bytes(text->valuestring, strlen(text->valuestring));
  if (!bytes) return 0;
  free(t->uri);
  t->uri = strdup(uri);
  t->open = 1;
  t->on_disk = 0;
  t->version = cJSON_IsNumber(version) ? (long)version->valuedouble : 0;
  vb_lsp_text_set(s, t, bytes, strlen(bytes));
  vb_lsp_find_sources(s, t);
  vb_lsp_regroup(s, t);
  t->due = vb_lsp_now_ms();
  others_changed(s, t);
  return 0;
}

static int apply_change(vb_lsp_server *s, vb_lsp_text *t, const cJSON *ch) {
  const cJSON *text = cJSON_GetObjectItemCaseSensitive(ch, "text");
  if (!cJSON_IsString(text)) return -1;
  const cJSON *range = cJSON_GetObjectItemCaseSensitive(ch, "range");
  size_t n = strlen(text->valuestring);
  if (!range || cJSON_IsNull(range)) {
    char *b = dup_bytes(text->valuestring, n);
    if (!b) return -1;
    vb_lsp_text_set(s, t, b, n);
    return 0;
  }
  size_t a, z;
  if (vb_lsp_read_range(s, t, range, &a, &z)) return -1;
  size_t len = t->len - (z - a) + n;
  char *b = malloc(len + 1);
  if (!b) return -1;
  memcpy(b, t->bytes, a);
  memcpy(b + a, text->valuestring, n);
  memcpy(b + a + n, t->bytes + z, t->len - z);
  b[len] = '\0';
  vb_lsp_text_set(s, t, b, len);
  return 0;
}

int vb_lsp_did_change(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  (void)result;
  vb_lsp_text *t = vb_lsp_param_text(s, params, err);
  const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
  if (!t || !cJSON_IsArray(changes)) {
    if (!*err) *err = "didChange: contentChanges is required";
    return VB_LSP_INVALID_PARAMS;
  }
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const cJSON *version = cJSON_GetObjectItemCaseSensitive(td, "version");
  if (cJSON_IsNumber(version)) t->version = (long)version->valuedouble;
  const cJSON *ch;
  cJSON_ArrayForEach(ch, changes) {
    if (apply_change(s, t, ch)) vb_lsp_log(s, "didChange: a change without text was ignored");
  }
  t->due = vb_lsp_now_ms() + (double)s->opt.debounce;
  return 0;
}

int vb_lsp_did_save(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  (void)result;
  vb_lsp_text *t = vb_lsp_param_text(s, params, err);
  if (!t) return VB_LSP_INVALID_PARAMS;
  const cJSON *text = cJSON_GetObjectItemCaseSensitive(params, "text");
  if (cJSON_IsString(text)) {
    size_t n = strlen(text->valuestring);
    if (n != t->len || memcmp(text->valuestring, t->bytes, n) != 0) {
      char *b = dup_bytes(text->valuestring, n);
      if (b) vb_lsp_text_set(s, t, b, n);
    }
  }
  /* the files beside it may have changed too (a client without watchers) */
  if (!s->watch_dynamic) {
    vb_lsp_find_sources(s, t);
    vb_lsp_regroup(s, t);
  }
  t->due = vb_lsp_now_ms();
  return 0;
}

int vb_lsp_did_close(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  (void)result;
  vb_lsp_text *t = vb_lsp_param_text(s, params, err);
  if (!t) return VB_LSP_INVALID_PARAMS;
  int g = t->group;
  t->open = 0;
  t->group = -1;
  t->due = -1;
  vb_report_free(t->report);
  t->report = NULL;
  int published = t->published;
  t->published = 0;
  char *uri = strdup(t->uri);
  vb_lsp_release_group(s, g);
  /* as a source, it is the file on disk again */
  vb_lsp_text_reload(s, t);
  others_changed(s, t);
  if (published && uri) vb_lsp_publish_empty(s, uri);
  free(uri);
  return 0;
}

int vb_lsp_did_change_watched(vb_lsp_server *s, const cJSON *params, cJSON **result,
                              const char **err) {
  (void)result;
  const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "changes");
  if (!cJSON_IsArray(changes)) {
    *err = "didChangeWatchedFiles: changes is required";
    return VB_LSP_INVALID_PARAMS;
  }
  int created_or_deleted = 0, changed = 0;
  const cJSON *ch;
  cJSON_ArrayForEach(ch, changes) {
    const cJSON *uri = cJSON_GetObjectItemCaseSensitive(ch, "uri");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(ch, "type");
    if (!cJSON_IsString(uri) || !cJSON_IsNumber(type)) continue;
    int kind = type->valueint; /* 1 created, 2 changed, 3 deleted */
    char *path = vb_lsp_uri_to_path(uri->valuestring);
    if (!path) continue;
    vb_lsp_text *t = vb_lsp_text_find(s, path);
    if (t && !t->open) {
      vb_lsp_text_reload(s, t);
      changed = 1;
    }
    const char *base = strrchr(path, '/');
    if (kind != 2 || (base && s->opt.project_file && strcmp(base + 1, s->opt.project_file) == 0))
      created_or_deleted = 1;
    free(path);
  }
  if (created_or_deleted) vb_lsp_regroup_all(s, 1);
  if (created_or_deleted || changed) vb_lsp_schedule_all(s, 0);
  return 0;
}
