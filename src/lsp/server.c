/* server.c: the main loop of `verbatim lsp`. One thread: poll() on the
 * input with a timeout that is the next debounced check; between two checks
 * the input is polled again, so a check never holds back the next message
 * for longer than one check takes, and edits that arrive together are
 * applied before their document is checked. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lsp/lsp.h"

double vb_lsp_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void vb_lsp_log(vb_lsp_server *s, const char *fmt, ...) {
  (void)s;
  va_list ap;
  va_start(ap, fmt);
  fputs("verbatim lsp: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void vb_lsp_send(vb_lsp_server *s, cJSON *msg) {
  if (!msg) return;
  cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
  vb_lsp_transport_send(&s->tr, msg);
  cJSON_Delete(msg);
}

static cJSON *id_copy(const cJSON *id) {
  return id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull();
}

void vb_lsp_reply(vb_lsp_server *s, const cJSON *id, cJSON *result) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddItemToObject(m, "id", id_copy(id));
  cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
  s->answered++;
  vb_lsp_send(s, m);
}

void vb_lsp_reply_error(vb_lsp_server *s, const cJSON *id, int code, const char *message) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddItemToObject(m, "id", id_copy(id));
  cJSON *e = cJSON_AddObjectToObject(m, "error");
  cJSON_AddNumberToObject(e, "code", code);
  cJSON_AddStringToObject(e, "message", message ? message : "error");
  s->answered++;
  vb_lsp_send(s, m);
}

void vb_lsp_notify(vb_lsp_server *s, const char *method, cJSON *params) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "method", method);
  cJSON_AddItemToObject(m, "params", params ? params : cJSON_CreateObject());
  vb_lsp_send(s, m);
}

void vb_lsp_request(vb_lsp_server *s, const char *method, cJSON *params) {
  cJSON *m = cJSON_CreateObject();
  char id[32];
  snprintf(id, sizeof id, "verbatim-%ld", ++s->next_request);
  cJSON_AddStringToObject(m, "id", id);
  cJSON_AddStringToObject(m, "method", method);
  cJSON_AddItemToObject(m, "params", params ? params : cJSON_CreateObject());
  vb_lsp_send(s, m);
}

void vb_lsp_show_message(vb_lsp_server *s, int type, const char *text) {
  cJSON *p = cJSON_CreateObject();
  cJSON_AddNumberToObject(p, "type", type);
  cJSON_AddStringToObject(p, "message", text);
  vb_lsp_notify(s, "window/showMessage", p);
}

void vb_lsp_schedule_all(vb_lsp_server *s, double delay) {
  double due = vb_lsp_now_ms() + delay;
  for (size_t i = 0; i < s->n_texts; i++)
    if (s->texts[i]->open && (s->texts[i]->due < 0 || s->texts[i]->due > due)) s->texts[i]->due = due;
}

/* ----------------------------------------------------------------- dispatch */

typedef struct {
  const char *method;
  vb_lsp_handler fn;
  int request; /* 1: answered */
} route;

static int cancel_request(vb_lsp_server *s, const cJSON *p, cJSON **r, const char **e) {
  (void)s, (void)p, (void)r, (void)e;
  return 0; /* requests are answered in order and at once: nothing to cancel */
}

static const route routes[] = {
    {"initialize", vb_lsp_initialize, 1},
    {"initialized", vb_lsp_initialized, 0},
    {"shutdown", vb_lsp_shutdown, 1},
    {"exit", vb_lsp_exit, 0},
    {"textDocument/didOpen", vb_lsp_did_open, 0},
    {"textDocument/didChange", vb_lsp_did_change, 0},
    {"textDocument/didSave", vb_lsp_did_save, 0},
    {"textDocument/didClose", vb_lsp_did_close, 0},
    {"workspace/didChangeConfiguration", vb_lsp_did_change_configuration, 0},
    {"workspace/didChangeWatchedFiles", vb_lsp_did_change_watched, 0},
    {"textDocument/definition", vb_lsp_definition, 1},
    {"textDocument/references", vb_lsp_references, 1},
    {"textDocument/hover", vb_lsp_hover, 1},
    {"textDocument/documentSymbol", vb_lsp_document_symbol, 1},
    {"textDocument/codeAction", vb_lsp_code_action, 1},
    {"workspace/executeCommand", vb_lsp_execute_command, 1},
    {"verbatim/related", vb_lsp_related, 1},
    {"$/cancelRequest", cancel_request, 0},
    {"$/setTrace", cancel_request, 0},
};

/* A response to one of the server's own requests. */
static void on_response(vb_lsp_server *s, const cJSON *msg) {
  const cJSON *result = cJSON_GetObjectItemCaseSensitive(msg, "result");
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
  /* workspace/configuration is the only request whose answer matters: it
   * is an array of one settings object */
  if (cJSON_IsString(id) && strncmp(id->valuestring, "verbatim-cfg-", 13) == 0 &&
      cJSON_IsArray(result) && cJSON_GetArraySize(result) > 0)
    vb_lsp_apply_settings(s, cJSON_GetArrayItem(result, 0));
}

static void handle(vb_lsp_server *s, const char *body, size_t len) {
  cJSON *msg = cJSON_ParseWithLength(body, len);
  if (!msg) {
    vb_lsp_reply_error(s, NULL, VB_LSP_PARSE_ERROR, "parse error: the message is not JSON");
    return;
  }
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
  const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
  const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
  if (!cJSON_IsObject(msg)) {
    vb_lsp_reply_error(s, NULL, VB_LSP_INVALID_REQUEST, "invalid request: not an object");
    goto done;
  }
  if (id && !cJSON_IsNumber(id) && !cJSON_IsString(id) && !cJSON_IsNull(id)) {
    vb_lsp_reply_error(s, NULL, VB_LSP_INVALID_REQUEST, "invalid request: bad id");
    goto done;
  }
  if (!method) {
    if (id && (cJSON_GetObjectItemCaseSensitive(msg, "result") ||
               cJSON_GetObjectItemCaseSensitive(msg, "error"))) {
      on_response(s, msg);
    } else {
      vb_lsp_reply_error(s, id, VB_LSP_INVALID_REQUEST, "invalid request: no method");
    }
    goto done;
  }
  if (!cJSON_IsString(method)) {
    vb_lsp_reply_error(s, id, VB_LSP_INVALID_REQUEST, "invalid request: method is not a string");
    goto done;
  }
  const char *m = method->valuestring;
  int is_request = id != NULL;
  if (params && !cJSON_IsObject(params) && !cJSON_IsArray(params) && !cJSON_IsNull(params)) {
    if (is_request) vb_lsp_reply_error(s, id, VB_LSP_INVALID_PARAMS, "params must be an object");
    goto done;
  }
  if (strcmp(m, "exit") == 0) {
    vb_lsp_exit(s, params, NULL, NULL);
    goto done;
  }
  if (!s->initialized && strcmp(m, "initialize") != 0) {
    if (is_request)
      vb_lsp_reply_error(s, id, VB_LSP_SERVER_NOT_INITIALIZED, "the server is not initialized");
    goto done;
  }
  if (s->shutdown) {
    if (is_request) vb_lsp_reply_error(s, id, VB_LSP_INVALID_REQUEST, "the server is shutting down");
    goto done;
  }
  const route *r = NULL;
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
    if (strcmp(routes[i].method, m) == 0) r = &routes[i];
  if (!r || (r->request && !is_request)) {
    if (is_request) {
      char text[200];
      snprintf(text, sizeof text, "method not found: %.150s", m);
      vb_lsp_reply_error(s, id, VB_LSP_METHOD_NOT_FOUND, text);
    }
    goto done;
  }
  cJSON *result = NULL;
  const char *err = NULL;
  int code = r->fn(s, params, &result, &err);
  if (is_request) {
    if (code) {
      cJSON_Delete(result);
      vb_lsp_reply_error(s, id, code, err);
    } else {
      vb_lsp_reply(s, id, result);
    }
  } else {
    cJSON_Delete(result);
  }
done:
  cJSON_Delete(msg);
}

/* ----------------------------------------------------------------- the loop */

static double next_due(vb_lsp_server *s, vb_lsp_text **which) {
  double best = -1;
  *which = NULL;
  for (size_t i = 0; i < s->n_texts; i++) {
    vb_lsp_text *t = s->texts[i];
    if (t->open && t->due >= 0 && (best < 0 || t->due < best)) {
      best = t->due;
      *which = t;
    }
  }
  return best;
}

static void drain(vb_lsp_server *s) {
  for (;;) {
    char *body;
    size_t len;
    const char *why;
    int rc = vb_lsp_transport_next(&s->tr, &body, &len, &why);
    if (rc == 0) break;
    if (rc < 0) {
      char text[128];
      snprintf(text, sizeof text, "parse error: %s", why);
      vb_lsp_reply_error(s, NULL, VB_LSP_PARSE_ERROR, text);
      continue;
    }
    handle(s, body, len);
    free(body);
    if (s->exit_requested || s->tr.write_failed) break;
  }
}

static void server_free(vb_lsp_server *s) {
  vb_lsp_drop_groups(s);
  for (size_t i = 0; i < s->n_texts; i++) vb_lsp_text_free(s->texts[i]);
  free(s->texts);
  for (size_t i = 0; i < s->n_accepted; i++) free(s->accepted[i]);
  free(s->accepted);
  for (size_t i = 0; i < s->n_rules_off; i++) free(s->rules_off[i]);
  free(s->rules_off);
  free(s->names);
  free(s->root);
  free(s->doc_uri);
  vb_lsp_options_free(&s->opt);
  vb_lsp_transport_free(&s->tr);
}

static const char lsp_usage[] =
    "usage: verbatim lsp [--stdio]\n"
    "  a language server (LSP 3.17) on stdin and stdout; see :help verbatim-lsp\n";

int vb_lsp_main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--stdio") == 0) continue;
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      fputs(lsp_usage, stdout);
      return 0;
    }
    fprintf(stderr, "verbatim: lsp: unknown option '%s'\n%s", argv[i], lsp_usage);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  vb_lsp_server srv, *s = &srv;
  memset(s, 0, sizeof *s);
  vb_lsp_transport_init(&s->tr, 0, 1);
  vb_lsp_options_default(&s->opt);
  s->enc = VB_LSP_UTF16;
  s->exit_code = 1;
  while (!s->exit_requested && !s->tr.write_failed) {
    drain(s);
    if (s->exit_requested || s->tr.write_failed) break;
    if (s->tr.eof) break;
    vb_lsp_text *t;
    double due = next_due(s, &t);
    int timeout = -1;
    if (due >= 0) {
      double wait = due - vb_lsp_now_ms();
      timeout = wait <= 0 ? 0 : (int)(wait + 1);
    }
    struct pollfd pfd = {s->tr.fd_in, POLLIN, 0};
    int pr = poll(&pfd, 1, timeout);
    if (pr < 0 && errno == EINTR) continue;
    if (pr > 0) {
      vb_lsp_transport_fill(&s->tr);
      continue;
    }
    if (pr < 0) break;
    /* nothing to read: the earliest due check */
    if (t && t->due >= 0 && t->due <= vb_lsp_now_ms() + 0.5) {
      t->due = -1;
      vb_lsp_publish(s, t);
    }
  }
  /* a client that went away without shutdown: status 1, as for an exit
   * without shutdown */
  int code = s->exit_requested ? s->exit_code : (s->shutdown ? 0 : 1);
  server_free(s);
  return code;
}
