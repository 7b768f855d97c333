/* lsp.h: `verbatim lsp`, a language server on the public library API.
 *
 * transport.c   Content-Length framing over stdio
 * store.c       the documents: open buffers, sources read from disk, the
 *               corpora they are checked in, positions in the negotiated
 *               encoding
 * sources.c     which documents a document is checked against (siblings,
 *               the .verbatim project file, globs: as the Neovim plugin)
 * server.c      the main loop, dispatch, debounced checks
 * lifecycle.c   initialize, shutdown, exit, configuration
 * sync.c        didOpen, didChange, didSave, didClose, watched files
 * diagnostics.c publishDiagnostics
 * navigation.c  definition, references, hover, documentSymbol
 * actions.c     code actions, commands, verbatim/related
 *
 * All state lives in one vb_lsp_server; there are no globals.
 */
#ifndef VB_LSP_H
#define VB_LSP_H

#include <stddef.h>

#include <cJSON.h>

#include "verbatim.h"

/* JSON-RPC and LSP error codes. */
enum {
  VB_LSP_PARSE_ERROR = -32700,
  VB_LSP_INVALID_REQUEST = -32600,
  VB_LSP_METHOD_NOT_FOUND = -32601,
  VB_LSP_INVALID_PARAMS = -32602,
  VB_LSP_INTERNAL_ERROR = -32603,
  VB_LSP_SERVER_NOT_INITIALIZED = -32002,
  VB_LSP_REQUEST_FAILED = -32803
};

/* Position encodings. */
enum { VB_LSP_UTF8 = 8, VB_LSP_UTF16 = 16, VB_LSP_UTF32 = 32 };

/* ---------------------------------------------------------------- transport */

typedef struct {
  int fd_in, fd_out;
  char *buf;          /* bytes read and not yet consumed */
  size_t len, cap;
  size_t skip;        /* bytes of a refused (oversized) body still to drop */
  int eof;            /* the input is closed */
  int write_failed;   /* the output is gone */
  size_t max_header;  /* longest header block accepted */
  size_t max_body;    /* largest message accepted */
} vb_lsp_transport;

void vb_lsp_transport_init(vb_lsp_transport *t, int fd_in, int fd_out);
void vb_lsp_transport_free(vb_lsp_transport *t);
/* Read what is available (one read()). Returns bytes read, 0 at EOF, -1 on
 * error (EOF is then set too). */
long vb_lsp_transport_fill(vb_lsp_transport *t);
/* The next complete message: 1 and a malloc'd body (NUL-terminated) in
 * *body; 0 when more input is needed; -1 for a malformed or refused frame
 * (*why says what; that frame's bytes are dropped). */
int vb_lsp_transport_next(vb_lsp_transport *t, char **body, size_t *len, const char **why);
/* Send one message (the object is not freed). 0 or -1 when the output is
 * gone. */
int vb_lsp_transport_send(vb_lsp_transport *t, const cJSON *msg);

/* -------------------------------------------------------------------- store */

/* A file as the server knows it: an open buffer, or a source read from
 * disk. */
typedef struct {
  char *path;          /* absolute, normalised */
  char *uri;           /* the client's URI when open, else built from path */
  char *bytes;
  size_t len;
  size_t *lines;       /* line start offsets, built on demand */
  size_t n_lines;
  int open;            /* an open buffer: its text replaces the disk's */
  int on_disk;         /* bytes hold the disk's text (read once) */
  int unreadable;      /* the disk read failed */
  long version;
  /* open documents only */
  char **sources;      /* disk sources found for it (absolute paths) */
  size_t n_sources;
  int group;           /* index of its group in the server, -1 none */
  double due;          /* when its diagnostics are due (ms), < 0 none */
  vb_report *report;   /* last check, valid while report_gen matches */
  unsigned long report_gen;
  int published;       /* diagnostics were published for it */
} vb_lsp_text;

/* Documents checked together: one corpus holding a document and its
 * sources (and every open document with the same set). */
typedef struct {
  char *key;           /* sorted paths, '\n'-separated */
  char *dir;           /* documents are named relative to this folder */
  vb_corpus *corpus;
  char **paths;        /* document paths, parallel to ids */
  int *ids;
  size_t n;
  unsigned long gen;   /* bumped on every change to the corpus */
} vb_lsp_group;

typedef struct {
  int buffers, siblings;
  char **globs;
  size_t n_globs;
  char *project_file;  /* NULL: ignored */
  size_t max_files;
  char **core;         /* NAME, VALUE pairs */
  size_t n_core;
  char *names_file;
  size_t max_filesize;
  int diagnostics, related;
  long debounce;       /* ms */
} vb_lsp_options;

typedef struct vb_lsp_server {
  vb_lsp_transport tr;
  vb_lsp_text **texts;
  size_t n_texts, cap_texts;
  vb_lsp_group **groups;
  size_t n_groups;
  vb_lsp_options opt;
  char **accepted;     /* quotations accepted this session */
  size_t n_accepted;
  char **rules_off;    /* rules turned off for the project this session */
  size_t n_rules_off;
  char *names;         /* names file text */
  size_t names_len;
  int enc;             /* VB_LSP_UTF8/16/32 */
  int initialized, shutdown, exit_requested, exit_code;
  int markdown;        /* hover as markdown */
  int pull_config;     /* the client answers workspace/configuration */
  int watch_dynamic;   /* the client registers file watchers */
  long next_request;   /* ids of the server's own requests */
  char *root;          /* workspace folder, or NULL */
  char *doc_uri;       /* file:// URI of doc/verbatim.txt, or NULL */
  unsigned long answered; /* requests answered */
} vb_lsp_server;

/* Options to their defaults (the Neovim plugin's setup() defaults). */
void vb_lsp_options_default(vb_lsp_options *o);
void vb_lsp_options_free(vb_lsp_options *o);
/* Read setup()-style options from a JSON object over the current ones;
 * problems are appended to *warn (malloc'd, may be NULL). */
void vb_lsp_options_read(vb_lsp_options *o, const cJSON *obj, char **warn);

vb_lsp_text *vb_lsp_text_find(vb_lsp_server *s, const char *path);
vb_lsp_text *vb_lsp_text_by_uri(vb_lsp_server *s, const char *uri);
/* The text of a path, reading it from disk (once) when it is not known. */
vb_lsp_text *vb_lsp_text_get(vb_lsp_server *s, const char *path);
/* Replace a text's bytes (takes ownership) and update every corpus. */
void vb_lsp_text_set(vb_lsp_server *s, vb_lsp_text *t, char *bytes, size_t len);
/* Read a closed text from disk again (a watched file changed). */
void vb_lsp_text_reload(vb_lsp_server *s, vb_lsp_text *t);
void vb_lsp_text_free(vb_lsp_text *t);

/* Byte offset <-> LSP position in the server's encoding. Positions past a
 * line's end or past the last line are clamped. */
void vb_lsp_position(vb_lsp_server *s, vb_lsp_text *t, size_t off, long *line, long *character);
size_t vb_lsp_offset(vb_lsp_server *s, vb_lsp_text *t, long line, long character);
cJSON *vb_lsp_range_json(vb_lsp_server *s, vb_lsp_text *t, size_t start, size_t end);
/* Read a Position / Range object; -1 when malformed. */
int vb_lsp_read_position(vb_lsp_server *s, vb_lsp_text *t, const cJSON *pos, size_t *off);
int vb_lsp_read_range(vb_lsp_server *s, vb_lsp_text *t, const cJSON *range, size_t *start,
                      size_t *end);

/* Put an open text in the right group (after its sources, the options or
 * the open documents changed). */
void vb_lsp_regroup(vb_lsp_server *s, vb_lsp_text *t);
/* Recompute sources and groups of every open text. */
void vb_lsp_regroup_all(vb_lsp_server *s, int rediscover);
/* Free every group (options changed): they are rebuilt on demand. */
void vb_lsp_drop_groups(vb_lsp_server *s);
void vb_lsp_release_group(vb_lsp_server *s, int g);
/* The open text's group and its id in it; NULL when it has none. */
vb_lsp_group *vb_lsp_group_of(vb_lsp_server *s, vb_lsp_text *t, int *id);
/* The text of a document id in a group. */
vb_lsp_text *vb_lsp_text_of(vb_lsp_server *s, vb_lsp_group *g, int id);
/* A fresh report for the open text (cached until its group changes).
 * Owned by the text. NULL on failure. */
const vb_report *vb_lsp_report(vb_lsp_server *s, vb_lsp_text *t);

/* ------------------------------------------------------------------ sources */

/* Find the disk sources of an open text (not counting open buffers). */
void vb_lsp_find_sources(vb_lsp_server *s, vb_lsp_text *t);

/* Paths and URIs. Both return malloc'd strings (NULL when not a file URI). */
char *vb_lsp_uri_to_path(const char *uri);
char *vb_lsp_path_to_uri(const char *path);
char *vb_lsp_normalize(const char *path, const char *base);

/* ------------------------------------------------------------------- server */

int vb_lsp_main(int argc, char **argv);

double vb_lsp_now_ms(void);
void vb_lsp_send(vb_lsp_server *s, cJSON *msg); /* frees msg */
void vb_lsp_reply(vb_lsp_server *s, const cJSON *id, cJSON *result);
void vb_lsp_reply_error(vb_lsp_server *s, const cJSON *id, int code, const char *message);
void vb_lsp_notify(vb_lsp_server *s, const char *method, cJSON *params);
/* Send a request of the server's own (responses are read and dropped,
 * except workspace/configuration). */
void vb_lsp_request(vb_lsp_server *s, const char *method, cJSON *params);
void vb_lsp_show_message(vb_lsp_server *s, int type, const char *text);
void vb_lsp_log(vb_lsp_server *s, const char *fmt, ...);
/* Make every open document's diagnostics due now. */
void vb_lsp_schedule_all(vb_lsp_server *s, double delay);

/* Handlers: each returns 0, or a JSON-RPC error code with *err set. A
 * request handler sets *result (NULL means JSON null). */
typedef int (*vb_lsp_handler)(vb_lsp_server *s, const cJSON *params, cJSON **result,
                              const char **err);

/* lifecycle.c */
int vb_lsp_initialize(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_initialized(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_shutdown(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_exit(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_did_change_configuration(vb_lsp_server *s, const cJSON *params, cJSON **result,
                                    const char **err);
void vb_lsp_apply_settings(vb_lsp_server *s, const cJSON *settings);

/* sync.c */
int vb_lsp_did_open(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_did_change(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_did_save(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_did_close(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_did_change_watched(vb_lsp_server *s, const cJSON *params, cJSON **result,
                              const char **err);
/* The open text a request names in params.textDocument.uri. */
vb_lsp_text *vb_lsp_param_text(vb_lsp_server *s, const cJSON *params, const char **err);

/* diagnostics.c */
void vb_lsp_publish(vb_lsp_server *s, vb_lsp_text *t);
void vb_lsp_publish_empty(vb_lsp_server *s, const char *uri);

/* navigation.c */
int vb_lsp_definition(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_references(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_hover(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_document_symbol(vb_lsp_server *s, const cJSON *params, cJSON **result,
                           const char **err);
/* The quotation of the text at an offset (innermost), its report entry. */
const vb_quote *vb_lsp_quote_at(vb_lsp_server *s, vb_lsp_text *t, size_t off,
                                const vb_quote_matches **matches);
cJSON *vb_lsp_location_json(vb_lsp_server *s, vb_lsp_group *g, int doc, size_t start,
                            size_t end);

/* actions.c */
int vb_lsp_code_action(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
int vb_lsp_execute_command(vb_lsp_server *s, const cJSON *params, cJSON **result,
                           const char **err);
int vb_lsp_related(vb_lsp_server *s, const cJSON *params, cJSON **result, const char **err);
/* Apply the session's accepted quotations and rules to a new corpus. */
void vb_lsp_apply_session(vb_lsp_server *s, vb_corpus *c);

#endif
