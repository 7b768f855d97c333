/* store.c: the server's documents. An open buffer's text replaces the file
 * on disk; a source that is not open is read from disk once and read again
 * when the client says it changed. Each open document is checked in a
 * group: one corpus holding it and its sources, shared by every open
 * document with the same set of files (all the versions of one story in a
 * folder share one corpus). A change to a text replaces that document in
 * every corpus that holds it, so only it is analysed again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lsp/lsp.h"

/* ---------------------------------------------------------------- options */

static void strv_free(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

void vb_lsp_options_default(vb_lsp_options *o) {
  memset(o, 0, sizeof *o);
  o->buffers = 1;
  o->siblings = 1;
  o->project_file = strdup(".verbatim");
  o->max_files = 50;
  o->max_filesize = 4u << 20;
  o->diagnostics = 1;
  o->related = 1;
  o->debounce = 200;
}

void vb_lsp_options_free(vb_lsp_options *o) {
  strv_free(o->globs, o->n_globs);
  strv_free(o->core, o->n_core * 2);
  free(o->project_file);
  free(o->names_file);
  memset(o, 0, sizeof *o);
}

static void warn_add(char **warn, const char *name, const char *expected) {
  size_t old = *warn ? strlen(*warn) : 0;
  size_t add = strlen(name) + strlen(expected) + 32;
  char *w = realloc(*warn, old + add);
  if (!w) return;
  snprintf(w + old, add, "%s%s: expected %s", old ? "; " : "", name, expected);
  *warn = w;
}

static int read_bool(const cJSON *obj, const char *key, int *out, const char *name, char **warn) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!v) return 0;
  if (cJSON_IsBool(v)) *out = cJSON_IsTrue(v);
  else if (cJSON_IsNumber(v) && (v->valuedouble == 0 || v->valuedouble == 1)) *out = v->valueint;
  else warn_add(warn, name, "a boolean");
  return 1;
}

static void read_size(const cJSON *obj, const char *key, size_t *out, const char *name,
                      char **warn) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!v) return;
  if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e15)
    *out = (size_t)v->valuedouble;
  else warn_add(warn, name, "a number");
}

/* A file name, or false / null for none; `bare`: a name without a '/'. */
static void read_file_name(const cJSON *obj, const char *key, char **out, int bare,
                           const char *name, const char *expected, char **warn) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!v) return;
  if (cJSON_IsString(v) && (!bare || (v->valuestring[0] && !strchr(v->valuestring, '/')))) {
    free(*out);
    *out = strdup(v->valuestring);
  } else if (cJSON_IsFalse(v) || cJSON_IsNull(v)) {
    free(*out);
    *out = NULL;
  } else {
    warn_add(warn, name, expected);
  }
}

void vb_lsp_options_read(vb_lsp_options *o, const cJSON *obj, char **warn) {
  if (!cJSON_IsObject(obj)) return;
  const cJSON *src = cJSON_GetObjectItemCaseSensitive(obj, "sources");
  if (src && !cJSON_IsObject(src)) warn_add(warn, "sources", "a table");
  if (cJSON_IsObject(src)) {
    read_bool(src, "buffers", &o->buffers, "sources.buffers", warn);
    read_bool(src, "siblings", &o->siblings, "sources.siblings", warn);
    read_size(src, "max_files", &o->max_files, "sources.max_files", warn);
    read_file_name(src, "project_file", &o->project_file, 1, "sources.project_file",
                   "a file name or false", warn);
    const cJSON *globs = cJSON_GetObjectItemCaseSensitive(src, "globs");
    if (globs) {
      int ok = cJSON_IsArray(globs);
      const cJSON *g;
      cJSON_ArrayForEach(g, globs) if (!cJSON_IsString(g)) ok = 0;
      if (!ok) {
        warn_add(warn, "sources.globs", "a list of globs");
      } else {
        strv_free(o->globs, o->n_globs);
        o->n_globs = 0;
        o->globs = calloc((size_t)cJSON_GetArraySize(globs) + 1, sizeof *o->globs);
        cJSON_ArrayForEach(g, globs) if (o->globs) o->globs[o->n_globs++] = strdup(g->valuestring);
      }
    }
  }
  const cJSON *core = cJSON_GetObjectItemCaseSensitive(obj, "core");
  if (core && !cJSON_IsObject(core)) warn_add(warn, "core", "a table of option names and values");
  if (cJSON_IsObject(core)) {
    strv_free(o->core, o->n_core * 2);
    o->n_core = 0;
    o->core = calloc(2 * (size_t)cJSON_GetArraySize(core) + 2, sizeof *o->core);
    const cJSON *v;
    cJSON_ArrayForEach(v, core) {
      char num[64];
      const char *val = NULL;
      if (cJSON_IsString(v)) val = v->valuestring;
      else if (cJSON_IsNumber(v)) {
        snprintf(num, sizeof num, "%.17g", v->valuedouble);
        val = num;
      } else if (cJSON_IsBool(v)) {
        val = cJSON_IsTrue(v) ? "true" : "false";
      }
      if (!val || !o->core) {
        warn_add(warn, "core", "string or number values");
        continue;
      }
      o->core[2 * o->n_core] = strdup(v->string);
      o->core[2 * o->n_core + 1] = strdup(val);
      o->n_core++;
    }
  }
  read_file_name(obj, "names_file", &o->names_file, 0, "names_file", "a file name", warn);
  read_size(obj, "max_filesize", &o->max_filesize, "max_filesize", warn);
  const cJSON *diag = cJSON_GetObjectItemCaseSensitive(obj, "diagnostics");
  if (cJSON_IsObject(diag)) {
    read_bool(diag, "enabled", &o->diagnostics, "diagnostics.enabled", warn);
    read_bool(diag, "related", &o->related, "diagnostics.related", warn);
  }
  size_t deb = (size_t)o->debounce;
  read_size(obj, "debounce", &deb, "debounce", warn);
  o->debounce = deb > 60000 ? 60000 : (long)deb;
}

/* ------------------------------------------------------------------ texts */

vb_lsp_text *vb_lsp_text_find(vb_lsp_server *s, const char *path) {
  for (size_t i = 0; i < s->n_texts; i++)
    if (strcmp(s->texts[i]->path, path) == 0) return s->texts[i];
  return NULL;
}

vb_lsp_text *vb_lsp_text_by_uri(vb_lsp_server *s, const char *uri) {
  for (size_t i = 0; i < s->n_texts; i++)
    if (s->texts[i]->open && strcmp(s->texts[i]->uri, uri) == 0) return s->texts[i];
  char *path = vb_lsp_uri_to_path(uri);
  vb_lsp_text *t = path ? vb_lsp_text_find(s, path) : NULL;
  free(path);
  return t;
}

void vb_lsp_text_free(vb_lsp_text *t) {
  if (!t) return;
  free(t->path);
  free(t->uri);
  free(t->bytes);
  free(t->lines);
  strv_free(t->sources, t->n_sources);
  strv_free(t->excludes, t->n_excludes);
  vb_report_free(t->report);
  free(t);
}

static int read_disk(const char *path, size_t max, char **bytes, size_t *len) {
  *bytes = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
    fclose(f);
    return -1;
  }
  size_t cap = (size_t)st.st_size + 1, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0 || n < cap) break;
    if (n >= max) break;
    char *nb = realloc(buf, cap * 2);
    if (!nb) break;
    buf = nb;
    cap *= 2;
  }
  fclose(f);
  if (!buf) return -1;
  *bytes = buf;
  *len = n > max ? max : n;
  return 0;
}

vb_lsp_text *vb_lsp_text_get(vb_lsp_server *s, const char *path) {
  vb_lsp_text *t = vb_lsp_text_find(s, path);
  if (t) return t;
  if (s->n_texts == s->cap_texts) {
    size_t cap = s->cap_texts ? s->cap_texts * 2 : 64;
    vb_lsp_text **nt = realloc(s->texts, cap * sizeof *nt);
    if (!nt) return NULL;
    s->texts = nt;
    s->cap_texts = cap;
  }
  t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->path = strdup(path);
  t->uri = vb_lsp_path_to_uri(path);
  t->group = -1;
  t->due = -1;
  if (!t->path || !t->uri) {
    vb_lsp_text_free(t);
    return NULL;
  }
  if (read_disk(path, s->opt.max_filesize, &t->bytes, &t->len) == 0) t->on_disk = 1;
  else t->unreadable = 1;
  s->texts[s->n_texts++] = t;
  return t;
}

static void bump_groups_with(vb_lsp_server *s, vb_lsp_text *t) {
  for (size_t g = 0; g < s->n_groups; g++) {
    vb_lsp_group *gr = s->groups[g];
    if (!gr) continue;
    for (size_t i = 0; i < gr->n; i++) {
      if (strcmp(gr->paths[i], t->path) != 0) continue;
      if (gr->ids[i] >= 0) vb_corpus_replace(gr->corpus, gr->ids[i], t->bytes ? t->bytes : "", t->len);
      gr->gen++;
    }
  }
}

void vb_lsp_text_set(vb_lsp_server *s, vb_lsp_text *t, char *bytes, size_t len) {
  free(t->bytes);
  t->bytes = bytes;
  t->len = len;
  free(t->lines);
  t->lines = NULL;
  t->n_lines = 0;
  t->unreadable = 0;
  bump_groups_with(s, t);
}

void vb_lsp_text_reload(vb_lsp_server *s, vb_lsp_text *t) {
  if (t->open) return;
  char *bytes;
  size_t len;
  if (read_disk(t->path, s->opt.max_filesize, &bytes, &len) != 0) {
    t->unreadable = 1;
    bytes = NULL;
    len = 0;
  }
  t->on_disk = !t->unreadable;
  vb_lsp_text_set(s, t, bytes, len);
  t->unreadable = !t->on_disk;
}

/* -------------------------------------------------------------- positions */

static void build_lines(vb_lsp_text *t) {
  if (t->lines) return;
  size_t n = 1;
  for (size_t i = 0; i < t->len; i++) n += t->bytes[i] == '\n';
  t->lines = malloc(n * sizeof *t->lines);
  if (!t->lines) return;
  t->n_lines = 0;
  t->lines[t->n_lines++] = 0;
  for (size_t i = 0; i < t->len; i++)
    if (t->bytes[i] == '\n') t->lines[t->n_lines++] = i + 1;
}

/* Length of the UTF-8 sequence at p (1 for an invalid byte) and its code
 * point. */
static size_t utf8_step(const unsigned char *p, size_t avail, unsigned *cp) {
  unsigned c = p[0];
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || n > avail) {
    *cp = 0xFFFD;
    return 1;
  }
  unsigned v = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (size_t k = 1; k < n; k++) {
    if ((p[k] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (p[k] & 0x3F);
  }
  *cp = v;
  return n;
}

static long units(int enc, unsigned cp, size_t bytes) {
  if (enc == VB_LSP_UTF8) return (long)bytes;
  if (enc == VB_LSP_UTF32) return 1;
  return cp > 0xFFFF ? 2 : 1;
}

void vb_lsp_position(vb_lsp_server *s, vb_lsp_text *t, size_t off, long *line, long *character) {
  *line = 0;
  *character = 0;
  if (!t) return;
  build_lines(t);
  if (!t->lines) return;
  if (off > t->len) off = t->len;
  size_t lo = 0, hi = t->n_lines;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (t->lines[mid] <= off) lo = mid;
    else hi = mid;
  }
  *line = (long)lo;
  const unsigned char *b = (const unsigned char *)t->bytes;
  long ch = 0;
  size_t i = t->lines[lo];
  while (i < off) {
    unsigned cp;
    size_t n = utf8_step(b + i, t->len - i, &cp);
    if (i + n > off) break; /* inside a sequence: count whole characters */
    ch += units(s->enc, cp, n);
    i += n;
  }
  *character = ch;
}

size_t vb_lsp_offset(vb_lsp_server *s, vb_lsp_text *t, long line, long character) {
  if (!t) return 0;
  build_lines(t);
  if (!t->lines || line < 0) return 0;
  if ((size_t)line >= t->n_lines) return t->len;
  size_t i = t->lines[line];
  size_t end = (size_t)line + 1 < t->n_lines ? t->lines[line + 1] - 1 : t->len;
  if (end > i && t->bytes[end - 1] == '\r') end--;
  const unsigned char *b = (const unsigned char *)t->bytes;
  long ch = 0;
  while (i < end && ch < character) {
    unsigned cp;
    size_t n = utf8_step(b + i, t->len - i, &cp);
    long u = units(s->enc, cp, n);
    if (ch + u > character) break; /* inside a surrogate pair or a sequence */
    ch += u;
    i += n;
  }
  return i;
}

cJSON *vb_lsp_range_json(vb_lsp_server *s, vb_lsp_text *t, size_t start, size_t end) {
  long l1, c1, l2, c2;
  vb_lsp_position(s, t, start, &l1, &c1);
  vb_lsp_position(s, t, end, &l2, &c2);
  cJSON *r = cJSON_CreateObject();
  cJSON *a = cJSON_AddObjectToObject(r, "start");
  cJSON_AddNumberToObject(a, "line", (double)l1);
  cJSON_AddNumberToObject(a, "character", (double)c1);
  cJSON *b = cJSON_AddObjectToObject(r, "end");
  cJSON_AddNumberToObject(b, "line", (double)l2);
  cJSON_AddNumberToObject(b, "character", (double)c2);
  return r;
}

static int read_long(const cJSON *obj, const char *key, long *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsNumber(v)) return -1;
  double d = v->valuedouble;
  if (d != d) return -1;
  if (d < 0) d = 0; /* out of range: clamped */
  if (d > 2e9) d = 2e9;
  *out = (long)d;
  return 0;
}

int vb_lsp_read_position(vb_lsp_server *s, vb_lsp_text *t, const cJSON *pos, size_t *off) {
  long line, ch;
  if (!cJSON_IsObject(pos) || read_long(pos, "line", &line) || read_long(pos, "character", &ch))
    return -1;
  *off = vb_lsp_offset(s, t, line, ch);
  return 0;
}

int vb_lsp_read_range(vb_lsp_server *s, vb_lsp_text *t, const cJSON *range, size_t *start,
                      size_t *end) {
  if (!cJSON_IsObject(range)) return -1;
  if (vb_lsp_read_position(s, t, cJSON_GetObjectItemCaseSensitive(range, "start"), start) ||
      vb_lsp_read_position(s, t, cJSON_GetObjectItemCaseSensitive(range, "end"), end))
    return -1;
  if (*end < *start) {
    size_t x = *start;
    *start = *end;
    *end = x;
  }
  return 0;
}

/* ----------------------------------------------------------------- groups */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files checked with t (t included), sorted; their key. */
static char **wanted_set(vb_lsp_server *s, vb_lsp_text *t, size_t *n, char **key) {
  size_t cap = t->n_sources + s->n_texts + 1;
  char **v = malloc(cap * sizeof *v);
  *n = 0;
  *key = NULL;
  if (!v) return NULL;
  v[(*n)++] = t->path;
  size_t limit = s->opt.max_files;
  size_t extra = 0;
  if (s->opt.buffers)
    for (size_t i = 0; i < s->n_texts && extra < limit; i++) {
      vb_lsp_text *o = s->texts[i];
      if (o != t && o->open && !vb_lsp_excluded(t, o->path)) {
        v[(*n)++] = o->path;
        extra++;
      }
    }
  for (size_t i = 0; i < t->n_sources && extra < limit; i++) {
    int dup = 0;
    for (size_t k = 0; k < *n && !dup; k++) dup = strcmp(v[k], t->sources[i]) == 0;
    if (!dup) {
      v[(*n)++] = t->sources[i];
      extra++;
    }
  }
  qsort(v, *n, sizeof *v, cmp_str);
  size_t klen = 1;
  for (size_t i = 0; i < *n; i++) klen += strlen(v[i]) + 1;
  char *k = malloc(klen);
  if (k) {
    size_t p = 0;
    for (size_t i = 0; i < *n; i++) {
      size_t l = strlen(v[i]);
      memcpy(k + p, v[i], l);
      p += l;
      k[p++] = '\n';
    }
    k[p] = '\0';
  }
  *key = k;
  return v;
}

static int refs_of(vb_lsp_server *s, int g) {
  int n = 0;
  for (size_t i = 0; i < s->n_texts; i++) n += s->texts[i]->open && s->texts[i]->group == g;
  return n;
}

static void group_free(vb_lsp_group *g) {
  if (!g) return;
  free(g->key);
  free(g->dir);
  vb_corpus_free(g->corpus);
  strv_free(g->paths, g->n);
  free(g->ids);
  free(g);
}

void vb_lsp_release_group(vb_lsp_server *s, int g) {
  if (g < 0 || (size_t)g >= s->n_groups || !s->groups[g]) return;
  if (refs_of(s, g) > 0) return;
  group_free(s->groups[g]);
  s->groups[g] = NULL;
}

void vb_lsp_drop_groups(vb_lsp_server *s) {
  for (size_t g = 0; g < s->n_groups; g++) group_free(s->groups[g]);
  free(s->groups);
  s->groups = NULL;
  s->n_groups = 0;
  for (size_t i = 0; i < s->n_texts; i++) {
    vb_lsp_text *t = s->texts[i];
    t->group = -1;
    vb_report_free(t->report);
    t->report = NULL;
  }
}

static vb_corpus *new_corpus(vb_lsp_server *s) {
  vb_corpus *c = vb_corpus_new();
  if (!c) return NULL;
  for (size_t i = 0; i < s->opt.n_core; i++)
    if (vb_corpus_set_option(c, s->opt.core[2 * i], s->opt.core[2 * i + 1]) < 0)
      vb_lsp_log(s, "option %s=%s: %s", s->opt.core[2 * i], s->opt.core[2 * i + 1],
                 vb_corpus_error(c));
  if (s->names) vb_corpus_load_names(c, s->names, s->names_len);
  vb_lsp_apply_session(s, c);
  return c;
}

static int group_add(vb_lsp_server *s, vb_lsp_group *g, const char *path, vb_lsp_text *self) {
  vb_lsp_text *t = vb_lsp_text_get(s, path);
  char **np = realloc(g->paths, (g->n + 1) * sizeof *np);
  if (!np) return -1;
  g->paths = np;
  int *ni = realloc(g->ids, (g->n + 1) * sizeof *ni);
  if (!ni) return -1;
  g->ids = ni;
  int id = -1;
  if (t && !t->unreadable) {
    /* every document is a reference; the one checked is flagged 0 for the
     * time of its check (as the Neovim plugin's corpus per buffer) */
    const char *name = path;
    size_t dl = g->dir ? strlen(g->dir) : 0;
    if (dl && strncmp(path, g->dir, dl) == 0 && path[dl] == '/') name = path + dl + 1;
    id = vb_corpus_add(g->corpus, name, t->bytes ? t->bytes : "", t->len, VB_DOC_SOURCE);
    if (id < 0) vb_lsp_log(s, "%s: %s", path, vb_corpus_error(g->corpus));
  }
  g->paths[g->n] = strdup(path);
  g->ids[g->n] = id;
  g->n++;
  g->gen++;
  (void)self;
  return 0;
}

static void group_remove_at(vb_lsp_group *g, size_t i) {
  if (g->ids[i] >= 0) vb_corpus_remove(g->corpus, g->ids[i]);
  free(g->paths[i]);
  memmove(g->paths + i, g->paths + i + 1, (g->n - i - 1) * sizeof *g->paths);
  memmove(g->ids + i, g->ids + i + 1, (g->n - i - 1) * sizeof *g->ids);
  g->n--;
  g->gen++;
}

void vb_lsp_regroup(vb_lsp_server *s, vb_lsp_text *t) {
  if (!t->open) return;
  size_t n;
  char *key;
  char **want = wanted_set(s, t, &n, &key);
  if (!want || !key) {
    free(want);
    free(key);
    return;
  }
  int cur = t->group;
  if (cur >= 0 && (size_t)cur < s->n_groups && s->groups[cur] && strcmp(s->groups[cur]->key, key) == 0) {
    free(want);
    free(key);
    return;
  }
  /* a group that already has this set */
  for (size_t g = 0; g < s->n_groups; g++) {
    if (s->groups[g] && strcmp(s->groups[g]->key, key) == 0) {
      t->group = (int)g;
      vb_lsp_release_group(s, cur);
      free(want);
      free(key);
      return;
    }
  }
  vb_lsp_group *gr = NULL;
  if (cur >= 0 && (size_t)cur < s->n_groups && s->groups[cur] && refs_of(s, cur) == 1) {
    /* only t uses its group: change it in place */
    gr = s->groups[cur];
    for (size_t i = gr->n; i-- > 0;) {
      void *hit = bsearch(&gr->paths[i], want, n, sizeof *want, cmp_str);
      if (!hit) group_remove_at(gr, i);
    }
    for (size_t k = 0; k < n; k++) {
      int have = 0;
      for (size_t i = 0; i < gr->n && !have; i++) have = strcmp(gr->paths[i], want[k]) == 0;
      if (!have) group_add(s, gr, want[k], t);
    }
    free(gr->key);
    gr->key = key;
    free(want);
    return;
  }
  gr = calloc(1, sizeof *gr);
  if (gr) gr->corpus = new_corpus(s);
  if (!gr || !gr->corpus) {
    free(gr);
    free(want);
    free(key);
    return;
  }
  gr->key = key;
  gr->dir = strdup(t->path);
  if (gr->dir) {
    char *slash = strrchr(gr->dir, '/');
    if (slash) slash[slash == gr->dir] = '\0';
  }
  for (size_t k = 0; k < n; k++) group_add(s, gr, want[k], t);
  size_t slot = s->n_groups;
  for (size_t g = 0; g < s->n_groups; g++)
    if (!s->groups[g]) {
      slot = g;
      break;
    }
  if (slot == s->n_groups) {
    vb_lsp_group **ng = realloc(s->groups, (s->n_groups + 1) * sizeof *ng);
    if (!ng) {
      group_free(gr);
      free(want);
      return;
    }
    s->groups = ng;
    s->groups[s->n_groups++] = NULL;
  }
  s->groups[slot] = gr;
  t->group = (int)slot;
  vb_lsp_release_group(s, cur);
  free(want);
}

void vb_lsp_regroup_all(vb_lsp_server *s, int rediscover) {
  for (size_t i = 0; i < s->n_texts; i++) {
    vb_lsp_text *t = s->texts[i];
    if (!t->open) continue;
    if (rediscover) vb_lsp_find_sources(s, t);
    vb_lsp_regroup(s, t);
  }
}

vb_lsp_group *vb_lsp_group_of(vb_lsp_server *s, vb_lsp_text *t, int *id) {
  if (!t || !t->open) return NULL;
  if (t->group < 0 || (size_t)t->group >= s->n_groups || !s->groups[t->group])
    vb_lsp_regroup(s, t);
  if (t->group < 0 || (size_t)t->group >= s->n_groups || !s->groups[t->group]) return NULL;
  vb_lsp_group *g = s->groups[t->group];
  for (size_t i = 0; i < g->n; i++)
    if (strcmp(g->paths[i], t->path) == 0) {
      if (id) *id = g->ids[i];
      return g->ids[i] >= 0 ? g : NULL;
    }
  return NULL;
}

vb_lsp_text *vb_lsp_text_of(vb_lsp_server *s, vb_lsp_group *g, int id) {
  for (size_t i = 0; i < g->n; i++)
    if (g->ids[i] == id) return vb_lsp_text_find(s, g->paths[i]);
  return NULL;
}

const vb_report *vb_lsp_report(vb_lsp_server *s, vb_lsp_text *t) {
  int id;
  vb_lsp_group *g = vb_lsp_group_of(s, t, &id);
  if (!g) return NULL;
  if (t->report && t->report_gen == g->gen) return t->report;
  vb_report_free(t->report);
  t->report = NULL;
  vb_corpus_set_flags(g->corpus, id, 0);
  int rc = vb_check(g->corpus, id, &t->report);
  vb_corpus_set_flags(g->corpus, id, VB_DOC_SOURCE);
  if (rc < 0) {
    vb_lsp_log(s, "check %s: %s", t->path, vb_corpus_error(g->corpus));
    t->report = NULL;
    return NULL;
  }
  t->report_gen = g->gen;
  return t->report;
}
