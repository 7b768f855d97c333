/* lifecycle.c: initialize (position encoding, capabilities, options),
 * initialized, shutdown, exit, and configuration changes. */
#define _DEFAULT_SOURCE /* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lsp/lsp.h"

static const cJSON *path_get(const cJSON *obj, const char *a, const char *b, const char *c) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a);
  if (b && v) v = cJSON_GetObjectItemCaseSensitive(v, b);
  if (c && v) v = cJSON_GetObjectItemCaseSensitive(v, c);
  return v;
}

/* file:// URI of the vimdoc, found beside the executable (build/verbatim
 * -> doc/verbatim.txt) or in an installed share folder. */
static char *find_doc(void) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return NULL;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash) return NULL;
  *slash = '\0';
  const char *tries[] = {"/../doc/verbatim.txt", "/../share/verbatim/doc/verbatim.txt",
                         "/../share/doc/verbatim/verbatim.txt"};
  for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s%s", exe, tries[i]);
    char real[PATH_MAX];
    struct stat st;
    if (realpath(path, real) && stat(real, &st) == 0 && S_ISREG(st.st_mode))
      return vb_lsp_path_to_uri(real);
  }
  return NULL;
}

static void load_names(vb_lsp_server *s) {
  free(s->names);
  s->names = NULL;
  s->names_len = 0;
  if (!s->opt.names_file) return;
  char *path = vb_lsp_normalize(s->opt.names_file, s->root);
  FILE *f = path ? fopen(path, "rb") : NULL;
  if (!f) {
    char msg[512];
    snprintf(msg, sizeof msg, "verbatim: cannot read names_file %s", s->opt.names_file);
    vb_lsp_show_message(s, 2, msg);
    free(path);
    return;
  }
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap || cap > ((size_t)64 << 20)) break;
    char *nb = realloc(buf, cap * 2);
    if (!nb) break;
    buf = nb;
    cap *= 2;
  }
  fclose(f);
  free(path);
  s->names = buf;
  s->names_len = buf ? n : 0;
}

/* Options from initializationOptions or a configuration change: the names
 * of the Neovim plugin's setup(), either at the top or under "verbatim". */
void vb_lsp_apply_settings(vb_lsp_server *s, const cJSON *settings) {
  if (!cJSON_IsObject(settings)) return;
  const cJSON *inner = cJSON_GetObjectItemCaseSensitive(settings, "verbatim");
  if (cJSON_IsObject(inner)) settings = inner;
  char *warn = NULL;
  vb_lsp_options_read(&s->opt, settings, &warn);
  if (warn) {
    size_t n = strlen(warn) + 64;
    char *msg = malloc(n);
    if (msg) {
      snprintf(msg, n, "verbatim: ignored options: %s", warn);
      vb_lsp_show_message(s, 2, msg);
      free(msg);
    }
    free(warn);
  }
  load_names(s);
  /* options change analysis and sources: rebuild the corpora */
  vb_lsp_drop_groups(s);
  if (s->initialized) {
    vb_lsp_regroup_all(s, 1);
    vb_lsp_schedule_all(s, 0);
  }
}

int vb_lsp_initialize(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  if (s->initialized) {
    *err = "initialize was already received";
    return VB_LSP_INVALID_REQUEST;
  }
  if (params && !cJSON_IsObject(params)) {
    *err = "initialize: params must be an object";
    return VB_LSP_INVALID_PARAMS;
  }
  const cJSON *caps = cJSON_GetObjectItemCaseSensitive(params, "capabilities");
  /* the first encoding of the client's list that the server has; UTF-16
   * when it names none */
  s->enc = VB_LSP_UTF16;
  const cJSON *encs = path_get(caps, "general", "positionEncodings", NULL);
  const cJSON *e;
  if (cJSON_IsArray(encs)) {
    cJSON_ArrayForEach(e, encs) {
      if (!cJSON_IsString(e)) continue;
      if (strcmp(e->valuestring, "utf-8") == 0) s->enc = VB_LSP_UTF8;
      else if (strcmp(e->valuestring, "utf-16") == 0) s->enc = VB_LSP_UTF16;
      else if (strcmp(e->valuestring, "utf-32") == 0) s->enc = VB_LSP_UTF32;
      else continue;
      break;
    }
  }
  const cJSON *fmt = path_get(caps, "textDocument", "hover", "contentFormat");
  s->markdown = 0;
  if (cJSON_IsArray(fmt)) {
    const cJSON *first = cJSON_GetArrayItem(fmt, 0);
    s->markdown = cJSON_IsString(first) && strcmp(first->valuestring, "markdown") == 0;
  }
  s->pull_config = cJSON_IsTrue(path_get(caps, "workspace", "configuration", NULL));
  s->watch_dynamic =
      cJSON_IsTrue(path_get(caps, "workspace", "didChangeWatchedFiles", "dynamicRegistration"));
  /* the workspace folder: names_file is read relative to it */
  const cJSON *root = cJSON_GetObjectItemCaseSensitive(params, "rootUri");
  const cJSON *folders = cJSON_GetObjectItemCaseSensitive(params, "workspaceFolders");
  if (!cJSON_IsString(root) && cJSON_IsArray(folders))
    root = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(folders, 0), "uri");
  free(s->root);
  s->root = cJSON_IsString(root) ? vb_lsp_uri_to_path(root->valuestring) : NULL;
  if (!s->root) {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) s->root = strdup(cwd);
  }
  free(s->doc_uri);
  s->doc_uri = find_doc();
  s->initialized = 1;
  const cJSON *init = cJSON_GetObjectItemCaseSensitive(params, "initializationOptions");
  if (cJSON_IsObject(init)) vb_lsp_apply_settings(s, init);

  cJSON *r = cJSON_CreateObject();
  cJSON *c = cJSON_AddObjectToObject(r, "capabilities");
  cJSON_AddStringToObject(c, "positionEncoding",
                          s->enc == VB_LSP_UTF8 ? "utf-8" : s->enc == VB_LSP_UTF32 ? "utf-32" : "utf-16");
  cJSON *sync = cJSON_AddObjectToObject(c, "textDocumentSync");
  cJSON_AddBoolToObject(sync, "openClose", 1);
  cJSON_AddNumberToObject(sync, "change", 2); /* incremental */
  cJSON *save = cJSON_AddObjectToObject(sync, "save");
  cJSON_AddBoolToObject(save, "includeText", 1);
  cJSON_AddBoolToObject(c, "definitionProvider", 1);
  cJSON_AddBoolToObject(c, "referencesProvider", 1);
  cJSON_AddBoolToObject(c, "hoverProvider", 1);
  cJSON_AddBoolToObject(c, "documentSymbolProvider", 1);
  cJSON *ca = cJSON_AddObjectToObject(c, "codeActionProvider");
  cJSON *kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
  cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
  cJSON *ex = cJSON_AddObjectToObject(c, "executeCommandProvider");
  cJSON *cmds = cJSON_AddArrayToObject(ex, "commands");
  cJSON_AddItemToArray(cmds, cJSON_CreateString("verbatim.acceptQuotation"));
  cJSON_AddItemToArray(cmds, cJSON_CreateString("verbatim.disableRule"));
  cJSON *ws = cJSON_AddObjectToObject(c, "workspace");
  cJSON *wf = cJSON_AddObjectToObject(ws, "workspaceFolders");
  cJSON_AddBoolToObject(wf, "supported", 0);
  cJSON *xp = cJSON_AddObjectToObject(c, "experimental");
  cJSON_AddBoolToObject(xp, "verbatimRelated", 1);
  cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
  cJSON_AddStringToObject(info, "name", "verbatim");
  cJSON_AddStringToObject(info, "version", vb_version());
  *result = r;
  return 0;
}

int vb_lsp_initialized(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  (void)params, (void)result, (void)err;
  if (s->watch_dynamic) {
    cJSON *p = cJSON_CreateObject();
    cJSON *regs = cJSON_AddArrayToObject(p, "registrations");
    cJSON *reg = cJSON_CreateObject();
    cJSON_AddStringToObject(reg, "id", "verbatim-watch");
    cJSON_AddStringToObject(reg, "method", "workspace/didChangeWatchedFiles");
    cJSON *opts = cJSON_AddObjectToObject(reg, "registerOptions");
    cJSON *watchers = cJSON_AddArrayToObject(opts, "watchers");
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "globPattern", "**/*");
    cJSON_AddItemToArray(watchers, w);
    cJSON_AddItemToArray(regs, reg);
    vb_lsp_request(s, "client/registerCapability", p);
  }
  return 0;
}

int vb_lsp_shutdown(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  (void)params, (void)err;
  s->shutdown = 1;
  *result = NULL;
  return 0;
}

int vb_lsp_exit(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err) {
  (void)params, (void)result, (void)err;
  s->exit_requested = 1;
  s->exit_code = s->shutdown ? 0 : 1;
  return 0;
}

int vb_lsp_did_change_configuration(vb_lsp_server *s, const cJSON *params, cJSON **result,
                                    const char **err) {
  (void)result, (void)err;
  const cJSON *settings = cJSON_GetObjectItemCaseSensitive(params, "settings");
  if (cJSON_IsObject(settings) && cJSON_GetArraySize(settings) > 0) {
    vb_lsp_apply_settings(s, settings);
  } else if (s->pull_config) {
    /* settings: null is the pull model's "ask me" */
    cJSON *p = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(p, "items");
    cJSON *it = cJSON_CreateObject();
    cJSON_AddStringToObject(it, "section", "verbatim");
    cJSON_AddItemToArray(items, it);
    cJSON *m = cJSON_CreateObject();
    char id[48];
    snprintf(id, sizeof id, "verbatim-cfg-%ld", ++s->next_request);
    cJSON_AddStringToObject(m, "id", id);
    cJSON_AddStringToObject(m, "method", "workspace/configuration");
    cJSON_AddItemToObject(m, "params", p);
    vb_lsp_send(s, m);
  }
  return 0;
}
