/* unicode.c: decoding and the matching form of text (through utf8proc). */
#include <utf8proc.h>

#include "internal.h"

int32_t vb_utf8_decode(const char *s, size_t n, size_t i, int *w) {
  const unsigned char *u = (const unsigned char *)s;
  unsigned char c = u[i];
  if (c < 0x80) {
    *w = 1;
    return c;
  }
  utf8proc_int32_t cp;
  utf8proc_ssize_t r = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
  if (r <= 0) {
    *w = 1;
    return 0xFFFD;
  }
  *w = (int)r;
  return cp;
}

int vb_utf8_encode(int32_t cp, char out[4]) {
  return (int)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

int vb_is_quote_cp(int32_t cp) {
  switch (cp) {
  case '"': case '\'': case '`':
  case 0x00AB: case 0x00BB: /* « » */
  case 0x2018: case 0x2019: case 0x201A: case 0x201B: /* ‘ ’ ‚ ‛ */
  case 0x201C: case 0x201D: case 0x201E: case 0x201F: /* “ ” „ ‟ */
  case 0x2039: case 0x203A: /* ‹ › */
  case 0x300C: case 0x300D: case 0x300E: case 0x300F: /* 「 」 『 』 */
  case 0xFF02: case 0xFF07:
    return 1;
  default:
    return 0;
  }
}

int vb_is_dash_cp(int32_t cp) {
  return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 ||
         cp == 0xFE63 || cp == 0xFF0D;
}

/* Fold one code point to its matching form: quotes to ' or ", dashes to -. */
static int32_t fold_punct(int32_t cp) {
  switch (cp) {
  case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case '`':
  case 0x2039: case 0x203A: case 0xFF07:
    return '\'';
  case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
  case 0x2033: case 0xFF02:
    return '"';
  default:
    return vb_is_dash_cp(cp) ? '-' : cp;
  }
}

int vb_norm_append(vb_buf *out, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      /* ASCII: NFKC leaves it alone; case folding is tolower. */
      size_t j = i;
      while (j < n && (unsigned char)s[j] < 0x80) j++;
      if (vb_buf_reserve(out, j - i)) return VB_ERR_NOMEM;
      for (; i < j; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
        else if (ch == '`') ch = '\'';
        out->data[out->len++] = ch;
      }
      out->data[out->len] = '\0';
      continue;
    }
    int w;
    int32_t cp = vb_utf8_decode(s, n, i, &w);
    i += (size_t)w;
    int32_t f = fold_punct(cp);
    if (f != cp || f < 0x80) {
      if (vb_buf_putc(out, (char)f)) return VB_ERR_NOMEM;
      continue;
    }
    utf8proc_int32_t dec[18];
    int last = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        cp, dec, 18,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_STRIPCC,
        &last);
    if (k < 0 || k > 18) {
      dec[0] = cp;
      k = 1;
    }
    for (utf8proc_ssize_t m = 0; m < k; m++) {
      char enc[4];
      int32_t d = fold_punct(dec[m]);
      int len = vb_utf8_encode(d, enc);
      if (vb_buf_append(out, enc, (size_t)len)) return VB_ERR_NOMEM;
    }
  }
  if (vb_buf_reserve(out, 0)) return VB_ERR_NOMEM;
  return 0;
}
