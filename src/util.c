/* util.c: growable buffers, arrays and hashes used across the core. */
#include <stdio.h>

#include "internal.h"

int vb_grow(void *ptr_to_array, size_t *cap, size_t need, size_t size) {
  void **p = (void **)ptr_to_array;
  if (need <= *cap) return 0;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2 / size) return VB_ERR_NOMEM;
    ncap *= 2;
  }
  void *np = realloc(*p, ncap * size);
  if (!np) return VB_ERR_NOMEM;
  *p = np;
  *cap = ncap;
  return 0;
}

int vb_buf_reserve(vb_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return 0;
  if (extra > SIZE_MAX / 4) return VB_ERR_NOMEM;
  return vb_grow(&b->data, &b->cap, b->len + extra + 1, 1);
}

int vb_buf_append(vb_buf *b, const char *s, size_t n) {
  if (vb_buf_reserve(b, n)) return VB_ERR_NOMEM;
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int vb_buf_putc(vb_buf *b, char ch) { return vb_buf_append(b, &ch, 1); }

int vb_buf_printf(vb_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char tmp[256];
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return VB_ERR_INTERNAL;
  if ((size_t)n < sizeof tmp) return vb_buf_append(b, tmp, (size_t)n);
  if (vb_buf_reserve(b, (size_t)n)) return VB_ERR_NOMEM;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return 0;
}

void vb_buf_free(vb_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

int vb_buf_add_str(vb_buf *b, const char *s, size_t n, uint32_t *offset) {
  if (b->len >= VB_NONE - n - 1) return VB_ERR_LIMIT;
  *offset = (uint32_t)b->len;
  if (vb_buf_append(b, s, n)) return VB_ERR_NOMEM;
  b->len++; /* keep the NUL that vb_buf_append wrote */
  if (vb_buf_reserve(b, 0)) return VB_ERR_NOMEM;
  b->data[b->len] = '\0';
  return 0;
}

/* FNV-1a, then a final avalanche so that short keys spread well. */
uint32_t vb_hash32(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return h;
}

uint64_t vb_hash64(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}
