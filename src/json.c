/* json.c: the buffered writer and a streaming JSON writer (valid UTF-8 out,
 * whatever comes in). */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ vb_out */

void vb_out_init_file(vb_out *o, FILE *file) {
  memset(o, 0, sizeof *o);
  o->file = file;
}

void vb_out_init_buffer(vb_out *o) { memset(o, 0, sizeof *o); }

static int out_drain(vb_out *o) {
  errno = 0;
  if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->file) != o->len) {
    o->failed = 1;
    o->err = errno ? errno : EIO;
  }
  o->len = 0;
  return o->failed ? -1 : 0;
}

/* Room for n more bytes (plus a NUL in memory); 0, or -1 after a failure. */
static int out_reserve(vb_out *o, size_t n) {
  if (o->failed) return -1;
  if (o->len + n < o->cap) return 0;
  if (o->file) {
    if (o->len && out_drain(o)) return -1;
    if (n < VB_OUT_FLUSH_AT && o->cap >= VB_OUT_FLUSH_AT) return 0;
  }
  size_t cap = o->cap ? o->cap : VB_OUT_FLUSH_AT;
  while (o->len + n >= cap) {
    if (cap > ((size_t)-1) / 2) {
      o->failed = 1;
      o->err = ENOMEM;
      return -1;
    }
    cap *= 2;
  }
  char *nb = realloc(o->buf, cap);
  if (!nb) {
    o->failed = 1;
    o->err = ENOMEM;
    return -1;
  }
  o->buf = nb;
  o->cap = cap;
  return 0;
}

void vb_out_write(vb_out *o, const char *s, size_t n) {
  if (n == 0 || out_reserve(o, n)) return;
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}

void vb_out_putc(vb_out *o, char c) {
  if (o->len + 1 >= o->cap && out_reserve(o, 1)) return;
  if (o->failed) return;
  o->buf[o->len++] = c;
}

void vb_out_puts(vb_out *o, const char *s) { vb_out_write(o, s, strlen(s)); }

void vb_out_printf(vb_out *o, const char *fmt, ...) {
  if (o->failed) return;
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (k < 0) {
    o->failed = 1;
    o->err = EINVAL;
    return;
  }
  if ((size_t)k < sizeof small) {
    vb_out_write(o, small, (size_t)k);
    return;
  }
  if (out_reserve(o, (size_t)k + 1)) return;
  va_start(ap, fmt);
  vsnprintf(o->buf + o->len, (size_t)k + 1, fmt, ap);
  va_end(ap);
  o->len += (size_t)k;
}

int vb_out_flush(vb_out *o) {
  if (!o->file) return o->failed ? -1 : 0;
  out_drain(o);
  errno = 0;
  if (!o->failed && (fflush(o->file) != 0 || ferror(o->file))) {
    o->failed = 1;
    o->err = errno ? errno : EIO;
  }
  return o->failed ? -1 : 0;
}

int vb_out_failed(const vb_out *o) { return o->failed; }

char *vb_out_take(vb_out *o, size_t *len) {
  if (o->failed || o->file) return NULL;
  if (out_reserve(o, 1)) return NULL;
  char *s = o->buf;
  s[o->len] = '\0';
  if (len) *len = o->len;
  o->buf = NULL;
  o->len = o->cap = 0;
  return s;
}

void vb_out_free(vb_out *o) {
  free(o->buf);
  o->buf = NULL;
  o->len = o->cap = 0;
}

/* ----------------------------------------------------------------- vb_json */

static void json_reset(vb_json *j) {
  memset(j->need_comma, 0, sizeof j->need_comma);
  j->depth = 0;
  j->after_key = 0;
}

void vb_json_init(vb_json *j, FILE *out) {
  json_reset(j);
  vb_out_init_file(&j->own, out);
  j->out = &j->own;
}

void vb_json_init_buffer(vb_json *j) {
  json_reset(j);
  vb_out_init_buffer(&j->own);
  j->out = &j->own;
}

void vb_json_init_out(vb_json *j, vb_out *out) {
  json_reset(j);
  vb_out_init_buffer(&j->own);
  j->out = out;
}

int vb_json_finish(vb_json *j) {
  int rc = vb_out_flush(j->out);
  vb_out_free(&j->own);
  return rc;
}

char *vb_json_take(vb_json *j, size_t *len) {
  char *s = vb_out_take(j->out, len);
  json_reset(j);
  return s;
}

void vb_json_free(vb_json *j) { vb_out_free(&j->own); }

int vb_json_failed(const vb_json *j) { return j->out->failed; }

static void before_value(vb_json *j) {
  if (j->after_key) {
    j->after_key = 0;
    return;
  }
  if (j->need_comma[j->depth]) vb_out_putc(j->out, ',');
  j->need_comma[j->depth] = 1;
}

static void json_open(vb_json *j, char ch) {
  before_value(j);
  vb_out_putc(j->out, ch);
  if (j->depth < 63) j->depth++;
  j->need_comma[j->depth] = 0;
}

static void json_close(vb_json *j, char ch) {
  if (j->depth > 0) j->depth--;
  vb_out_putc(j->out, ch);
}

void vb_json_begin_object(vb_json *j) { json_open(j, '{'); }
void vb_json_end_object(vb_json *j) { json_close(j, '}'); }
void vb_json_begin_array(vb_json *j) { json_open(j, '['); }
void vb_json_end_array(vb_json *j) { json_close(j, ']'); }

/* Length of a valid UTF-8 sequence at s (0 when invalid). */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len;
  unsigned int cp;
  if (c < 0xC2) return 0;
  if (c < 0xE0) len = 2, cp = c & 0x1F;
  else if (c < 0xF0) len = 3, cp = c & 0x0F;
  else if (c < 0xF5) len = 4, cp = c & 0x07;
  else return 0;
  if (len > n) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

/* Bytes copied as they are: printable ASCII other than '"' and '\\'. */
static int plain(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }

static void write_string(vb_out *o, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  vb_out_putc(o, '"');
  size_t i = 0;
  while (i < n) {
    size_t run = i;
    while (run < n && plain(u[run])) run++;
    if (run > i) {
      vb_out_write(o, s + i, run - i);
      i = run;
      if (i == n) break;
    }
    unsigned char c = u[i];
    if (c == '"' || c == '\\') {
      char esc[2] = {'\\', (char)c};
      vb_out_write(o, esc, 2);
      i++;
    } else if (c < 0x20 || c == 0x7F) {
      switch (c) {
      case '\n': vb_out_write(o, "\\n", 2); break;
      case '\r': vb_out_write(o, "\\r", 2); break;
      case '\t': vb_out_write(o, "\\t", 2); break;
      default: {
        static const char hex[] = "0123456789abcdef";
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        vb_out_write(o, esc, 6);
      }
      }
      i++;
    } else {
      size_t len = utf8_len(u + i, n - i);
      if (len) {
        vb_out_write(o, s + i, len);
        i += len;
      } else {
        vb_out_write(o, "\\ufffd", 6);
        i++;
      }
    }
  }
  vb_out_putc(o, '"');
}

void vb_json_key(vb_json *j, const char *key) {
  before_value(j);
  write_string(j->out, key, strlen(key));
  vb_out_putc(j->out, ':');
  j->after_key = 1;
}

void vb_json_string_n(vb_json *j, const char *s, size_t n) {
  before_value(j);
  write_string(j->out, s, n);
}

void vb_json_string(vb_json *j, const char *s) {
  if (!s) {
    vb_json_null(j);
    return;
  }
  vb_json_string_n(j, s, strlen(s));
}

static void write_unsigned(vb_out *o, unsigned long long v) {
  char tmp[24];
  size_t k = sizeof tmp;
  do {
    tmp[--k] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  vb_out_write(o, tmp + k, sizeof tmp - k);
}

void vb_json_size(vb_json *j, size_t v) {
  before_value(j);
  write_unsigned(j->out, v);
}

void vb_json_int(vb_json *j, long long v) {
  before_value(j);
  if (v < 0) {
    vb_out_putc(j->out, '-');
    write_unsigned(j->out, 0ULL - (unsigned long long)v);
  } else {
    write_unsigned(j->out, (unsigned long long)v);
  }
}

void vb_json_double(vb_json *j, double v) {
  before_value(j);
  if (v != v) v = 0; /* NaN is not JSON */
  vb_out_printf(j->out, "%.4g", v);
}

void vb_json_null(vb_json *j) {
  before_value(j);
  vb_out_write(j->out, "null", 4);
}

void vb_json_raw(vb_json *j, const char *s, size_t n) {
  before_value(j);
  vb_out_write(j->out, s, n);
}
