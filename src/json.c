/* json.c: a small streaming JSON writer (valid UTF-8 out, whatever comes in). */
#include "json.h"

#include <string.h>

void vb_json_init(vb_json *j, FILE *out) {
  memset(j, 0, sizeof *j);
  j->out = out;
}

static void before_value(vb_json *j) {
  if (j->after_key) {
    j->after_key = 0;
    return;
  }
  if (j->need_comma[j->depth]) fputc(',', j->out);
  j->need_comma[j->depth] = 1;
}

static void json_open(vb_json *j, char ch) {
  before_value(j);
  fputc(ch, j->out);
  if (j->depth < 63) j->depth++;
  j->need_comma[j->depth] = 0;
}

static void json_close(vb_json *j, char ch) {
  if (j->depth > 0) j->depth--;
  fputc(ch, j->out);
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

static void write_string(FILE *out, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  fputc('"', out);
  for (size_t i = 0; i < n;) {
    unsigned char c = u[i];
    if (c == '"' || c == '\\') {
      fputc('\\', out);
      fputc(c, out);
      i++;
    } else if (c < 0x20 || c == 0x7F) {
      switch (c) {
      case '\n': fputs("\\n", out); break;
      case '\r': fputs("\\r", out); break;
      case '\t': fputs("\\t", out); break;
      default: fprintf(out, "\\u%04x", c);
      }
      i++;
    } else if (c < 0x80) {
      fputc(c, out);
      i++;
    } else {
      size_t len = utf8_len(u + i, n - i);
      if (len) {
        fwrite(u + i, 1, len, out);
        i += len;
      } else {
        fputs("\\ufffd", out);
        i++;
      }
    }
  }
  fputc('"', out);
}

void vb_json_key(vb_json *j, const char *key) {
  before_value(j);
  write_string(j->out, key, strlen(key));
  fputc(':', j->out);
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

void vb_json_size(vb_json *j, size_t v) {
  before_value(j);
  fprintf(j->out, "%zu", v);
}

void vb_json_int(vb_json *j, long long v) {
  before_value(j);
  fprintf(j->out, "%lld", v);
}

void vb_json_double(vb_json *j, double v) {
  before_value(j);
  if (v != v) v = 0; /* NaN is not JSON */
  fprintf(j->out, "%.4g", v);
}

void vb_json_null(vb_json *j) {
  before_value(j);
  fputs("null", j->out);
}
