/* json.c: the buffered writer and a streaming JSON writer (valid UTF-8 out,
 * whatever comes in). */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
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

char *vb_out_reserve(vb_out *o, size_t n) { return out_reserve(o, n) ? NULL : o->buf + o->len; }

#define out_room vb_out_room

static inline void put1(vb_out *o, char c) {
  char *p = out_room(o, 1);
  if (p) {
    *p = c;
    o->len++;
  }
}

void vb_out_write(vb_out *o, const char *s, size_t n) {
  if (n == 0) return; /* s may be NULL then */
  char *p = out_room(o, n);
  if (!p) return;
  memcpy(p, s, n);
  o->len += n;
}

void vb_out_putc(vb_out *o, char c) { put1(o, c); }

void vb_out_puts(vb_out *o, const char *s) { vb_out_write(o, s, strlen(s)); }

void vb_out_vprintf(vb_out *o, const char *fmt, va_list ap) {
  if (o->failed) return;
  char small[256];
  va_list again;
  va_copy(again, ap);
  int k = vsnprintf(small, sizeof small, fmt, ap);
  if (k < 0) {
    o->failed = 1;
    o->err = EINVAL;
  } else if ((size_t)k < sizeof small) {
    vb_out_write(o, small, (size_t)k);
  } else if (out_reserve(o, (size_t)k + 1) == 0) {
    vsnprintf(o->buf + o->len, (size_t)k + 1, fmt, again);
    o->len += (size_t)k;
  }
  va_end(again);
}

void vb_out_printf(vb_out *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vb_out_vprintf(o, fmt, ap);
  va_end(ap);
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
  if (j->need_comma[j->depth]) put1(j->out, ',');
  j->need_comma[j->depth] = 1;
}

static void json_open(vb_json *j, char ch) {
  before_value(j);
  put1(j->out, ch);
  if (j->depth < 63) j->depth++;
  j->need_comma[j->depth] = 0;
}

static void json_close(vb_json *j, char ch) {
  if (j->depth > 0) j->depth--;
  put1(j->out, ch);
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
static inline int plain(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }

/* Eight bytes at once: all of them plain. */
static inline int plain8(const unsigned char *s) {
  const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  uint64_t x;
  memcpy(&x, s, 8);
  uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\'), d = x ^ (ones * 0x7F);
  uint64_t bad = x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) |
                 ((d - ones) & ~d);
  return !(bad & high);
}

static void write_string(vb_out *o, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  /* a chunk at a time: each input byte gives at most 6 output bytes, and a
   * character that starts in the chunk ends at most 3 bytes past it */
  size_t chunk = n < 4096 ? n : 4096, stop = chunk;
  char *p = out_room(o, chunk * 6 + 10);
  if (!p) return;
  *p++ = '"';
  for (;;) {
    while (i < stop) {
      while (i + 8 <= stop && plain8(u + i)) {
        memcpy(p, u + i, 8);
        p += 8;
        i += 8;
      }
      if (i >= stop) break;
      unsigned char c = u[i];
      if (plain(c)) {
        *p++ = (char)c;
        i++;
      } else if (c == '"' || c == '\\') {
        *p++ = '\\';
        *p++ = (char)c;
        i++;
      } else if (c < 0x80) {
        *p++ = '\\';
        if (c == '\n') *p++ = 'n';
        else if (c == '\r') *p++ = 'r';
        else if (c == '\t') *p++ = 't';
        else {
          memcpy(p, "u00", 3);
          p[3] = hex[c >> 4];
          p[4] = hex[c & 15];
          p += 5;
        }
        i++;
      } else {
        size_t len = utf8_len(u + i, n - i);
        if (len) {
          memcpy(p, u + i, len);
          p += len;
          i += len;
        } else {
          memcpy(p, "\\ufffd", 6);
          p += 6;
          i++;
        }
      }
    }
    if (i >= n) break;
    o->len = (size_t)(p - o->buf);
    chunk = n - i < 4096 ? n - i : 4096;
    stop = i + chunk;
    p = out_room(o, chunk * 6 + 10);
    if (!p) return;
  }
  *p++ = '"';
  o->len = (size_t)(p - o->buf);
}

void vb_json_key(vb_json *j, const char *key) {
  before_value(j);
  /* keys are short and plain: copied straight, or escaped when they are not */
  size_t n = 0;
  while (n < 32 && key[n] && plain((unsigned char)key[n])) n++;
  char *p;
  if (key[n] == '\0' && (p = out_room(j->out, n + 3)) != NULL) {
    p[0] = '"';
    memcpy(p + 1, key, n);
    p[n + 1] = '"';
    p[n + 2] = ':';
    j->out->len += n + 3;
  } else {
    write_string(j->out, key, strlen(key));
    put1(j->out, ':');
  }
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
  char *p = out_room(o, sizeof tmp - k);
  if (!p) return;
  memcpy(p, tmp + k, sizeof tmp - k);
  o->len += sizeof tmp - k;
}

void vb_json_size(vb_json *j, size_t v) {
  before_value(j);
  write_unsigned(j->out, v);
}

void vb_json_int(vb_json *j, long long v) {
  before_value(j);
  if (v < 0) {
    put1(j->out, '-');
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
