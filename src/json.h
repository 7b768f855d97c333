/* json.h: one buffered output writer and a JSON writer on top of it.
 *
 * vb_out collects bytes in a buffer. Bound to a FILE, it flushes with
 * fwrite whenever 64 KiB have gathered (and at vb_out_flush()); in memory it
 * grows, and vb_out_take() hands the bytes over. A failure (a write error,
 * out of memory) is sticky: later writes are dropped and vb_out_failed()
 * says so, so callers check once, at the end.
 *
 * vb_json writes JSON values to a vb_out: either one it owns (vb_json_init
 * for a FILE, vb_json_init_buffer for memory) or one shared with other
 * output (vb_json_init_out). Strings come out as valid UTF-8 whatever goes
 * in. Neither type uses any global state. */
#ifndef VB_JSON_H
#define VB_JSON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define VB_OUT_FLUSH_AT 65536

typedef struct {
  FILE *file; /* NULL: in memory */
  char *buf;
  size_t len, cap;
  int failed; /* sticky: a write error or out of memory */
  int err;    /* errno of the failure */
} vb_out;

void vb_out_init_file(vb_out *o, FILE *file);
void vb_out_init_buffer(vb_out *o);
void vb_out_write(vb_out *o, const char *s, size_t n);
void vb_out_putc(vb_out *o, char c);
void vb_out_puts(vb_out *o, const char *s);
void vb_out_printf(vb_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vb_out_vprintf(vb_out *o, const char *fmt, va_list ap);
/* Bound to a FILE: write out what is buffered and fflush the FILE. Returns
 * 0, or -1 when this or any earlier write failed. */
int vb_out_flush(vb_out *o);
int vb_out_failed(const vb_out *o);
/* Room for n more bytes: where to write them (then add n to o->len), or
 * NULL after a failure. */
char *vb_out_reserve(vb_out *o, size_t n);
static inline char *vb_out_room(vb_out *o, size_t n) {
  return o->len + n < o->cap ? o->buf + o->len : vb_out_reserve(o, n);
}
/* In memory: the bytes written so far as a malloc'd NUL-terminated string
 * (the caller frees it), *len (when not NULL) their length; the writer is
 * empty again. NULL when a write failed or memory ran out. */
char *vb_out_take(vb_out *o, size_t *len);
void vb_out_free(vb_out *o);

typedef struct {
  vb_out *out; /* where values go: &own, or a shared writer */
  vb_out own;
  int need_comma[64]; /* per nesting level: a value was written */
  int depth;
  int after_key;
} vb_json;

/* JSON to a FILE, through a 64 KiB buffer; finish with vb_json_finish(). */
void vb_json_init(vb_json *j, FILE *out);
/* JSON into memory; take it with vb_json_take(), or drop it with vb_json_free(). */
void vb_json_init_buffer(vb_json *j);
/* JSON into a writer owned by the caller (shared with text output). */
void vb_json_init_out(vb_json *j, vb_out *out);
/* Flush (FILE) and release the buffer; 0, or -1 when any write failed. */
int vb_json_finish(vb_json *j);
char *vb_json_take(vb_json *j, size_t *len);
void vb_json_free(vb_json *j);
int vb_json_failed(const vb_json *j);

void vb_json_begin_object(vb_json *j);
void vb_json_end_object(vb_json *j);
void vb_json_begin_array(vb_json *j);
void vb_json_end_array(vb_json *j);
void vb_json_key(vb_json *j, const char *key);
void vb_json_string(vb_json *j, const char *s);
void vb_json_string_n(vb_json *j, const char *s, size_t n);
void vb_json_size(vb_json *j, size_t v);
void vb_json_int(vb_json *j, long long v);
void vb_json_double(vb_json *j, double v);
void vb_json_null(vb_json *j);
/* One value that is already formatted JSON (s, n bytes), spliced in as it is. */
void vb_json_raw(vb_json *j, const char *s, size_t n);

/* A key the caller knows to be printable ASCII without '"' or '\\' (a
 * literal, say: vb_json_key_plain(j, "start", 5)), written without escaping. */
static inline void vb_json_key_plain(vb_json *j, const char *key, size_t n) {
  int comma = !j->after_key && j->need_comma[j->depth];
  if (!j->after_key) j->need_comma[j->depth] = 1;
  char *p = vb_out_room(j->out, n + 4);
  if (p) {
    if (comma) *p++ = ',';
    *p = '"';
    memcpy(p + 1, key, n);
    p[n + 1] = '"';
    p[n + 2] = ':';
    j->out->len += n + 3 + (size_t)comma;
  }
  j->after_key = 1;
}
#define VB_JSON_KEY(j, literal) vb_json_key_plain((j), literal, sizeof literal - 1)

#endif
