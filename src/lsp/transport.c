/* transport.c: JSON-RPC messages framed with Content-Length headers over a
 * pair of file descriptors. Reads are partial and may end anywhere; a
 * header block that is too long or has no valid Content-Length is dropped
 * and reported, and a body larger than max_body is skipped as it arrives. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lsp/lsp.h"

void vb_lsp_transport_init(vb_lsp_transport *t, int fd_in, int fd_out) {
  memset(t, 0, sizeof *t);
  t->fd_in = fd_in;
  t->fd_out = fd_out;
  t->max_header = 8192;
  t->max_body = (size_t)256 << 20;
}

void vb_lsp_transport_free(vb_lsp_transport *t) {
  free(t->buf);
  t->buf = NULL;
  t->len = t->cap = 0;
}

long vb_lsp_transport_fill(vb_lsp_transport *t) {
  if (t->eof) return 0;
  if (t->cap - t->len < 65536) {
    size_t cap = t->cap ? t->cap * 2 : 131072;
    while (cap - t->len < 65536) cap *= 2;
    char *nb = realloc(t->buf, cap);
    if (!nb) {
      t->eof = 1;
      return -1;
    }
    t->buf = nb;
    t->cap = cap;
  }
  ssize_t n;
  do n = read(t->fd_in, t->buf + t->len, t->cap - t->len - 1);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 1; /* nothing yet */
  if (n <= 0) {
    t->eof = 1;
    return n < 0 ? -1 : 0;
  }
  /* drop the part of a refused body that has arrived */
  size_t got = (size_t)n;
  if (t->skip) {
    size_t drop = got < t->skip ? got : t->skip;
    memmove(t->buf + t->len, t->buf + t->len + drop, got - drop);
    got -= drop;
    t->skip -= drop;
  }
  t->len += got;
  return n;
}

static void consume(vb_lsp_transport *t, size_t n) {
  if (n > t->len) n = t->len;
  memmove(t->buf, t->buf + n, t->len - n);
  t->len -= n;
}

static const char *find_blank_line(const char *buf, size_t len) {
  for (size_t i = 0; i + 3 < len; i++)
    if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n')
      return buf + i;
  return NULL;
}

/* After a bad header: keep from the next "Content-Length" on, if any. */
static void resync(vb_lsp_transport *t, size_t from) {
  static const char key[] = "Content-Length:";
  size_t k = sizeof key - 1;
  for (size_t i = from; i + k <= t->len; i++) {
    if (strncasecmp(t->buf + i, key, k) == 0) {
      consume(t, i);
      return;
    }
  }
  /* keep a tail that may be the start of the key */
  size_t keep = t->len < k ? t->len : k - 1;
  consume(t, t->len - keep);
}

int vb_lsp_transport_next(vb_lsp_transport *t, char **body, size_t *blen, const char **why) {
  *body = NULL;
  *blen = 0;
  *why = NULL;
  if (t->len == 0) return 0;
  const char *end = find_blank_line(t->buf, t->len < t->max_header + 4 ? t->len : t->max_header + 4);
  if (!end) {
    if (t->len <= t->max_header) return 0;
    *why = "header block too long or not terminated";
    resync(t, 1);
    return -1;
  }
  size_t hlen = (size_t)(end - t->buf);
  long long length = -1;
  int bad = 0;
  const char *p = t->buf;
  while (p < end) {
    const char *eol = p;
    while (eol < end && !(eol[0] == '\r' && eol + 1 <= end && eol[1] == '\n')) eol++;
    size_t n = (size_t)(eol - p);
    const char *colon = memchr(p, ':', n);
    if (!colon) {
      bad = 1;
    } else if ((size_t)(colon - p) == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
      const char *v = colon + 1;
      while (v < eol && (*v == ' ' || *v == '\t')) v++;
      long long val = 0;
      int digits = 0;
      while (v < eol && *v >= '0' && *v <= '9') {
        if (val > (1LL << 50)) {
          bad = 1;
          break;
        }
        val = val * 10 + (*v - '0');
        v++;
        digits++;
      }
      while (v < eol && (*v == ' ' || *v == '\t')) v++;
      if (!digits || v != eol) bad = 1;
      else length = val;
    }
    p = eol + 2;
  }
  if (bad || length < 0) {
    *why = length < 0 && !bad ? "no Content-Length header" : "malformed header";
    consume(t, hlen + 4);
    return -1;
  }
  if ((unsigned long long)length > t->max_body) {
    *why = "message too large";
    consume(t, hlen + 4);
    size_t have = t->len < (size_t)length ? t->len : (size_t)length;
    consume(t, have);
    t->skip = (size_t)length - have;
    return -1;
  }
  size_t total = hlen + 4 + (size_t)length;
  if (t->len < total) return 0;
  char *b = malloc((size_t)length + 1);
  if (!b) {
    *why = "out of memory";
    consume(t, total);
    return -1;
  }
  memcpy(b, t->buf + hlen + 4, (size_t)length);
  b[length] = '\0';
  consume(t, total);
  *body = b;
  *blen = (size_t)length;
  return 1;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int vb_lsp_transport_send(vb_lsp_transport *t, const cJSON *msg) {
  if (t->write_failed) return -1;
  char *text = cJSON_PrintUnformatted(msg);
  if (!text) return -1;
  size_t n = strlen(text);
  char head[64];
  int hn = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
  int rc = write_all(t->fd_out, head, (size_t)hn) || write_all(t->fd_out, text, n) ? -1 : 0;
  free(text);
  if (rc) t->write_failed = 1;
  return rc;
}
