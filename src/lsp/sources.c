/* sources.c: which files a document is checked against, found as the
 * Neovim plugin finds them (lua/verbatim/sources.lua, glob.lua): the globs
 * of the nearest project file (`.verbatim`, `!` lines exclude, matched as
 * text), the configured globs, and the files beside the document with the
 * same extension (none when there are more than max_files of them). Globs
 * know `*`, `?`, `[...]` and `**`; every walk has a budget of directory
 * entries and a depth limit, so no glob can make the server walk the disk. */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lsp/lsp.h"

enum { MAX_DEPTH = 8, MAX_LISTED = 20000, MAX_GLOBS = 256, MAX_PROJECT_BYTES = 65536 };

/* ------------------------------------------------------------ paths, URIs */

char *vb_lsp_normalize(const char *path, const char *base) {
  const char *home = getenv("HOME");
  size_t cap = strlen(path) + (base ? strlen(base) : 0) + (home ? strlen(home) : 0) + 4;
  char *joined = malloc(cap);
  if (!joined) return NULL;
  if (path[0] == '~' && path[1] == '/' && home) snprintf(joined, cap, "%s%s", home, path + 1);
  else if (path[0] != '/' && base) snprintf(joined, cap, "%s/%s", base, path);
  else snprintf(joined, cap, "%s", path);
  char *out = malloc(strlen(joined) + 2);
  if (!out) {
    free(joined);
    return NULL;
  }
  size_t n = 0;
  char *save = NULL;
  for (char *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
    if (strcmp(seg, ".") == 0) continue;
    if (strcmp(seg, "..") == 0) {
      while (n > 0 && out[n - 1] != '/') n--;
      if (n > 0) n--;
      continue;
    }
    out[n++] = '/';
    size_t k = strlen(seg);
    memcpy(out + n, seg, k);
    n += k;
  }
  if (n == 0) out[n++] = '/';
  out[n] = '\0';
  free(joined);
  return out;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char *vb_lsp_uri_to_path(const char *uri) {
  if (!uri || strncmp(uri, "file://", 7) != 0) return NULL;
  const char *p = uri + 7;
  if (strncmp(p, "localhost/", 10) == 0) p += 9;
  if (*p != '/') return NULL;
  char *out = malloc(strlen(p) + 1);
  if (!out) return NULL;
  size_t n = 0;
  for (; *p && *p != '?' && *p != '#'; p++) {
    int h, l;
    if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
      int c = h * 16 + l;
      if (c == 0) {
        free(out);
        return NULL;
      }
      out[n++] = (char)c;
      p += 2;
    } else {
      out[n++] = *p;
    }
  }
  out[n] = '\0';
  char *norm = vb_lsp_normalize(out, NULL);
  free(out);
  return norm;
}

char *vb_lsp_path_to_uri(const char *path) {
  size_t n = strlen(path);
  char *out = malloc(7 + 3 * n + 1);
  if (!out) return NULL;
  memcpy(out, "file://", 7);
  size_t k = 7;
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)path[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        strchr("/._~-", c)) {
      out[k++] = (char)c;
    } else {
      out[k++] = '%';
      out[k++] = hex[c >> 4];
      out[k++] = hex[c & 15];
    }
  }
  out[k] = '\0';
  return out;
}

/* ------------------------------------------------------------------ lists */

typedef struct {
  char **v;
  size_t n, cap;
} strlist;

static int list_has(const strlist *l, const char *s) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->v[i], s) == 0) return 1;
  return 0;
}

static void list_push(strlist *l, const char *s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **nv = realloc(l->v, cap * sizeof *nv);
    if (!nv) return;
    l->v = nv;
    l->cap = cap;
  }
  char *d = strdup(s);
  if (d) l->v[l->n++] = d;
}

static void list_free(strlist *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

static int is_type(const char *path, int want_dir) {
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  return want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

/* ------------------------------------------------------------------ globs */

typedef struct {
  char *root;    /* literal folder */
  char **segs;   /* segments left to match; "**" = any folders */
  size_t n;
} glob_t_;

static int has_wildcard(const char *s) { return strpbrk(s, "*?[") != NULL; }

static void glob_free(glob_t_ *g) {
  free(g->root);
  for (size_t i = 0; i < g->n; i++) free(g->segs[i]);
  free(g->segs);
}

static int glob_compile(glob_t_ *g, const char *text, const char *base) {
  memset(g, 0, sizeof *g);
  char *abs = vb_lsp_normalize(text, base);
  if (!abs) return -1;
  size_t nseg = 1;
  for (const char *p = abs; *p; p++) nseg += *p == '/';
  g->segs = calloc(nseg + 1, sizeof *g->segs);
  char *root = malloc(strlen(abs) + 2);
  if (!g->segs || !root) {
    free(abs);
    free(root);
    return -1;
  }
  size_t rn = 0;
  char *save = NULL;
  for (char *seg = strtok_r(abs, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
    if (g->n == 0 && !has_wildcard(seg)) {
      root[rn++] = '/';
      size_t k = strlen(seg);
      memcpy(root + rn, seg, k);
      rn += k;
      continue;
    }
    if (strcmp(seg, "**") == 0 && g->n > 0 && strcmp(g->segs[g->n - 1], "**") == 0) continue;
    g->segs[g->n++] = strdup(seg);
  }
  if (g->n > 0 && strcmp(g->segs[g->n - 1], "**") == 0) g->segs[g->n++] = strdup("*");
  if (rn == 0) root[rn++] = '/';
  root[rn] = '\0';
  g->root = root;
  free(abs);
  for (size_t i = 0; i < g->n; i++)
    if (!g->segs[i]) return -1;
  return 0;
}

static int seg_match(const char *seg, const char *name) {
  return fnmatch(seg, name, FNM_PERIOD) == 0;
}

typedef struct {
  long listed; /* entries left to read */
  size_t limit;
} walk_budget;

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(walk_budget *b, const glob_t_ *g, size_t i, const char *dir, int depth,
                 strlist *out) {
  if (depth > MAX_DEPTH || b->listed <= 0 || out->n >= b->limit) return;
  if (i >= g->n) return;
  const char *seg = g->segs[i];
  int last = i + 1 == g->n;
  size_t dn = strlen(dir);
  if (strcmp(seg, "**") != 0 && !has_wildcard(seg)) {
    char *path = malloc(dn + strlen(seg) + 2);
    if (!path) return;
    sprintf(path, "%s%s%s", dir, dir[dn - 1] == '/' ? "" : "/", seg);
    if (last) {
      if (is_type(path, 0) && !list_has(out, path)) list_push(out, path);
    } else if (is_type(path, 1)) {
      walk(b, g, i + 1, path, depth + 1, out);
    }
    free(path);
    return;
  }
  if (strcmp(seg, "**") == 0) walk(b, g, i + 1, dir, depth, out); /* zero folders */
  DIR *d = opendir(dir);
  if (!d) return;
  strlist names = {0};
  struct dirent *e;
  while ((e = readdir(d)) && b->listed > 0) {
    b->listed--;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    list_push(&names, e->d_name);
  }
  closedir(d);
  if (names.n) qsort(names.v, names.n, sizeof *names.v, by_name);
  for (size_t k = 0; k < names.n && out->n < b->limit; k++) {
    const char *name = names.v[k];
    char *path = malloc(dn + strlen(name) + 2);
    if (!path) break;
    sprintf(path, "%s%s%s", dir, dir[dn - 1] == '/' ? "" : "/", name);
    if (strcmp(seg, "**") == 0) {
      if (name[0] != '.' && is_type(path, 1)) walk(b, g, i, path, depth + 1, out);
    } else if (seg_match(seg, name)) {
      if (last) {
        if (is_type(path, 0) && !list_has(out, path)) list_push(out, path);
      } else if (is_type(path, 1)) {
        walk(b, g, i + 1, path, depth + 1, out);
      }
    }
    free(path);
  }
  list_free(&names);
}

static void resolve(walk_budget *b, const char *text, const char *base, strlist *out) {
  if (!text[0]) return;
  glob_t_ g;
  if (glob_compile(&g, text, base) == 0) {
    if (g.n == 0) {
      if (is_type(g.root, 0) && !list_has(out, g.root) && out->n < b->limit) list_push(out, g.root);
    } else if (is_type(g.root, 1)) {
      walk(b, &g, 0, g.root, 0, out);
    }
  }
  glob_free(&g);
}

/* Does the absolute path match the glob, as text? Memoised over
 * (segment, name) like the Lua matcher, so "**" never backtracks badly. */
static int glob_matches(const glob_t_ *g, const char *path) {
  size_t rl = strlen(g->root);
  const char *rest;
  if (g->n == 0) return strcmp(path, g->root) == 0;
  if (strcmp(g->root, "/") == 0) rest = path + 1;
  else if (strncmp(path, g->root, rl) == 0 && path[rl] == '/') rest = path + rl + 1;
  else return 0;
  char *copy = strdup(rest);
  if (!copy) return 0;
  size_t nn = 0;
  for (const char *p = copy; *p; p++) nn += *p == '/';
  char **names = calloc(nn + 2, sizeof *names);
  signed char *memo = calloc((g->n + 1) * (nn + 2), 1);
  int result = 0;
  if (names && memo) {
    size_t n = 0;
    char *save = NULL;
    for (char *s = strtok_r(copy, "/", &save); s; s = strtok_r(NULL, "/", &save)) names[n++] = s;
    /* from[i][j]: segments i.. match names j.. (bottom-up) */
    size_t w = n + 1;
    for (size_t ii = g->n + 1; ii-- > 0;) {
      for (size_t jj = n + 1; jj-- > 0;) {
        int r;
        if (ii == g->n) r = jj == n;
        else if (strcmp(g->segs[ii], "**") == 0)
          r = memo[(ii + 1) * w + jj] || (jj < n && names[jj][0] != '.' && memo[ii * w + jj + 1]);
        else if (jj == n) r = 0;
        else r = seg_match(g->segs[ii], names[jj]) && memo[(ii + 1) * w + jj + 1];
        memo[ii * w + jj] = (signed char)r;
      }
    }
    result = memo[0];
  }
  free(memo);
  free(names);
  free(copy);
  return result;
}

/* ----------------------------------------------------------- project file */

static char *dirname_of(const char *path) {
  char *d = strdup(path);
  if (!d) return NULL;
  char *slash = strrchr(d, '/');
  if (slash == d) d[1] = '\0';
  else if (slash) *slash = '\0';
  return d;
}

/* The nearest project file at or above dir: its folder (malloc'd) and its
 * lines in *globs. NULL when none. */
static char *project_file(const char *name, const char *dir, strlist *includes, strlist *excludes) {
  const char *home = getenv("HOME");
  char *d = strdup(dir);
  for (int up = 0; d && up < 20; up++) {
    char *path = malloc(strlen(d) + strlen(name) + 2);
    if (!path) break;
    sprintf(path, "%s%s%s", d, strcmp(d, "/") == 0 ? "" : "/", name);
    if (is_type(path, 0)) {
      FILE *f = fopen(path, "rb");
      free(path);
      if (f) {
        char *data = malloc(MAX_PROJECT_BYTES + 1);
        size_t n = data ? fread(data, 1, MAX_PROJECT_BYTES, f) : 0;
        fclose(f);
        if (data) {
          data[n] = '\0';
          size_t count = 0;
          char *save = NULL;
          for (char *line = strtok_r(data, "\r\n", &save); line && count < MAX_GLOBS;
               line = strtok_r(NULL, "\r\n", &save)) {
            while (*line == ' ' || *line == '\t') line++;
            size_t k = strlen(line);
            while (k && (line[k - 1] == ' ' || line[k - 1] == '\t')) line[--k] = '\0';
            if (!k || line[0] == '#') continue;
            if (memchr(line, '\0', k) != NULL) continue;
            count++;
            if (line[0] == '!') list_push(excludes, line + 1);
            else list_push(includes, line);
          }
          free(data);
        }
      }
      return d;
    }
    free(path);
    if (strcmp(d, "/") == 0 || (home && strcmp(d, home) == 0)) break;
    char *parent = dirname_of(d);
    free(d);
    d = parent;
  }
  free(d);
  return NULL;
}

/* --------------------------------------------------------------- sources */

void vb_lsp_find_sources(vb_lsp_server *s, vb_lsp_text *t) {
  for (size_t i = 0; i < t->n_sources; i++) free(t->sources[i]);
  free(t->sources);
  t->sources = NULL;
  t->n_sources = 0;
  const vb_lsp_options *o = &s->opt;
  char *dir = dirname_of(t->path);
  if (!dir) return;
  strlist found = {0}, includes = {0}, excludes = {0};
  walk_budget b = {MAX_LISTED, o->max_files + 1};
  char *pdir = o->project_file ? project_file(o->project_file, dir, &includes, &excludes) : NULL;
  glob_t_ *ex = calloc(excludes.n ? excludes.n : 1, sizeof *ex);
  size_t n_ex = 0;
  for (size_t i = 0; ex && i < excludes.n; i++)
    if (glob_compile(&ex[n_ex], excludes.v[i], pdir) == 0) n_ex++;
    else glob_free(&ex[n_ex]);
  if (pdir)
    for (size_t i = 0; i < includes.n; i++) resolve(&b, includes.v[i], pdir, &found);
  for (size_t i = 0; i < o->n_globs; i++) resolve(&b, o->globs[i], dir, &found);
  if (o->siblings) {
    const char *base = strrchr(t->path, '/');
    const char *ext = base ? strrchr(base, '.') : NULL;
    if (ext && ext != base + 1 && ext[1]) {
      strlist sib = {0};
      walk_budget sb = {MAX_LISTED, o->max_files + 2};
      char pat[300];
      snprintf(pat, sizeof pat, "*%s", ext);
      resolve(&sb, pat, dir, &sib);
      /* a folder with more such files than max_files is not one story */
      if (sib.n <= o->max_files + 1)
        for (size_t i = 0; i < sib.n; i++)
          if (!list_has(&found, sib.v[i])) list_push(&found, sib.v[i]);
      list_free(&sib);
    }
  }
  t->sources = calloc(found.n ? found.n : 1, sizeof *t->sources);
  for (size_t i = 0; t->sources && i < found.n; i++) {
    const char *p = found.v[i];
    if (strcmp(p, t->path) == 0) continue;
    int out = 0;
    for (size_t k = 0; k < n_ex && !out; k++) out = glob_matches(&ex[k], p);
    if (out || t->n_sources >= o->max_files) continue;
    t->sources[t->n_sources++] = strdup(p);
  }
  for (size_t k = 0; k < n_ex; k++) glob_free(&ex[k]);
  free(ex);
  list_free(&found);
  list_free(&includes);
  list_free(&excludes);
  free(pdir);
  free(dir);
}
