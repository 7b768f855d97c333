/*
 * archive.c: the on-disk document archive (LMDB + zstd).
 *
 * Databases in one LMDB file:
 *   meta   "format" -> FORMAT; "next" -> next document id; "text", "stored",
 *          "postings" -> totals (u64 each)
 *   names  document name -> id (u32)
 *   docs   id (u32, integer key) -> hash u64, text length u32, stored length
 *          u32, name length u32, name
 *   text   id, part (u32 big-endian each) -> up to CHUNK bytes of the
 *          zstd-compressed text. Small values pack into leaf pages; a value
 *          of more than half a page would take whole overflow pages.
 *   runs   run (u32, integer key) -> postings u64, blocks u64
 *   post   run, last fingerprint, block number (u32 big-endian each) -> a
 *          block of the run's postings
 *
 * Postings are (fingerprint, document) pairs. Additions gather them in
 * memory; each commit sorts them and writes one run, a sorted sequence of
 * blocks of about BLOCK bytes, keyed by the last fingerprint they hold, so
 * that a seek to (run, fingerprint) lands on the block that may hold it. In
 * a block each fingerprint is a delta from the one before with its count,
 * and its documents are varint deltas: about four bytes a posting, where a
 * key of its own would cost some twenty. Runs are merged as they pile up
 * (the newest ones while the one before them is no larger than they are
 * together, and always down to MAX_RUNS), which is also when the postings
 * of removed or replaced documents are dropped; until then a query skips
 * documents that are gone.
 *
 * A commit writes the documents and their run in one transaction, so a
 * reader (or a reopen after a crash or a kill) sees all of them or none.
 */
#define _DEFAULT_SOURCE /* madvise */
#include <errno.h>
#include <setjmp.h>
#include <lmdb.h>
#include <math.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <zstd.h>

#include "index.h"
#include "internal.h"

#define FORMAT "verbatim-archive 2"
#define FORMAT_PREFIX "verbatim-archive "
#define DOC_HEADER 20 /* hash u64, text u32, stored u32, name length u32 */
#define CHUNK 1000    /* bytes of compressed text a record */
#define BLOCK 480     /* bytes of postings a block, about */
#define MAX_RUNS 8
/* Pending postings that make vb_archive_add commit by itself. */
#define PENDING_MAX ((size_t)1 << 24)
#define ZLEVEL 1

struct vb_archive {
  MDB_env *env;
  MDB_txn *wtxn; /* pending additions */
  MDB_dbi meta, names, docs, text, runs, post;
  unsigned flags;
  char *path;
  vb_corpus *tok; /* tokenizes documents for their fingerprints */
  /* totals, read when the write transaction begins, written at commit */
  uint64_t next, text_bytes, stored_bytes, postings;
  uint64_t *pend; /* pending postings: fingerprint << 32 | id */
  size_t npend, cpend;
  unsigned char *zbuf; /* compression output */
  size_t zcap;
  ZSTD_CCtx *zc; /* reused: a new context costs more than a short text */
  ZSTD_DCtx *zd;
  void *map; /* the file's memory map, for trim_map() */
  size_t map_len;
  jmp_buf *guard; /* where an LMDB assertion (a damaged page) returns to */
  int broken;     /* one did: the handle only reports it */
  char err[512];
};

static int fail(vb_archive *a, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(vb_archive *a, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(a->err, sizeof a->err, fmt, ap);
  va_end(ap);
  return code;
}

/* An LMDB error, named with the file. */
static int mdb_fail(vb_archive *a, int rc, const char *what) {
  int code = (rc == MDB_INVALID || rc == MDB_CORRUPTED || rc == MDB_VERSION_MISMATCH ||
              rc == MDB_PAGE_NOTFOUND || rc == MDB_INCOMPATIBLE)
                 ? VB_ERR_PARSE
                 : rc == ENOMEM ? VB_ERR_NOMEM : VB_ERR_INVALID;
  const char *hint = code == VB_ERR_PARSE ? " (not a verbatim archive, or damaged)" : "";
  return fail(a, code, "%s: %s: %s%s", a->path ? a->path : "archive", what, mdb_strerror(rc), hint);
}

static int damaged(vb_archive *a, const char *what) {
  return fail(a, VB_ERR_PARSE, "%s: damaged archive (%s)", a->path, what);
}

static int archive_commit(vb_archive *a);
static int archive_get(vb_archive *a, uint32_t id, char **name, char **text, size_t *len);

vb_archive *vb_archive_new(void) { return calloc(1, sizeof(vb_archive)); }

const char *vb_archive_error(const vb_archive *a) { return a ? a->err : "no archive"; }

void vb_archive_release(void *p) { free(p); }

static uint64_t fnv64(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
  return h;
}

/* ------------------------------------------------------------------ bytes */

static void put_be32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static size_t put_varint(unsigned char *p, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (unsigned char)v;
  return n;
}

static size_t varint_len(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

/* 0 and *v on success, -1 past the end or on an overlong varint. */
static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v) {
  uint64_t x = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (*p >= end) return -1;
    unsigned char b = *(*p)++;
    x |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *v = x;
      return 0;
    }
  }
  return -1;
}

/* -------------------------------------------------------------- meta keys */

static int get_u64(MDB_txn *t, MDB_dbi dbi, const char *key, uint64_t *v) {
  MDB_val k = {strlen(key), (void *)key}, d;
  *v = 0;
  int rc = mdb_get(t, dbi, &k, &d);
  if (rc == MDB_NOTFOUND) return 0;
  if (rc) return rc;
  if (d.mv_size == 8) memcpy(v, d.mv_data, 8);
  return 0;
}

static int put_u64(MDB_txn *t, MDB_dbi dbi, const char *key, uint64_t v) {
  MDB_val k = {strlen(key), (void *)key}, d = {8, &v};
  return mdb_put(t, dbi, &k, &d, 0);
}

/* ------------------------------------------------------------------- open */

/* Unmap the pages of the file this process has read. LMDB reads through a
 * shared read-only map (its writes go through write(), never the map), so
 * the pages stay in the page cache and a later read maps them again; but a
 * query or a merge that reads thousands of scattered pages (each fault maps
 * its neighbours too) no longer keeps them all resident. */
static void trim_map(vb_archive *a) {
  MDB_envinfo info;
  MDB_stat st;
  if (!a->env || !a->map || mdb_env_info(a->env, &info) || mdb_env_stat(a->env, &st)) return;
  size_t used = ((size_t)info.me_last_pgno + 1) * st.ms_psize;
  if (used > a->map_len) used = a->map_len;
  madvise(a->map, used, MADV_DONTNEED);
}

/* Where LMDB mapped the file: LMDB does not say (mdb_env_info gives a
 * fixed address only), so find the mapping that holds a value it returned
 * in /proc/self/maps. Without it (another system) nothing is trimmed. */
static void find_map(vb_archive *a, const void *inside) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return;
  char line[512];
  uintptr_t p = (uintptr_t)inside;
  while (fgets(line, sizeof line, f)) {
    unsigned long long lo, hi;
    if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && p >= lo && p < hi) {
      a->map = (void *)(uintptr_t)lo;
      a->map_len = (size_t)(hi - lo);
      break;
    }
  }
  fclose(f);
}

/* LMDB asserts on what it finds in a damaged page, then aborts the process:
 * return to the public call instead (see GUARD), with a message naming the
 * file. Memory that call had allocated is not freed. */
static void on_assert(MDB_env *env, const char *msg) {
  vb_archive *a = mdb_env_get_userctx(env);
  if (!a || !a->guard) return;
  fail(a, VB_ERR_PARSE, "%s: damaged archive (LMDB: %s)", a->path ? a->path : "archive", msg);
  a->broken = 1;
  longjmp(*a->guard, 1);
}

/* Past the end of the file a memory map faults: refuse a file shorter than
 * the pages its header says it has. */
static int check_length(vb_archive *a) {
  MDB_envinfo info;
  MDB_stat st;
  struct stat fs;
  if (mdb_env_info(a->env, &info) || mdb_env_stat(a->env, &st) || stat(a->path, &fs) != 0) return 0;
  uint64_t need = ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
  if ((uint64_t)fs.st_size < need)
    return fail(a, VB_ERR_PARSE, "%s: truncated archive (%llu bytes, its header needs %llu)", a->path,
                (unsigned long long)fs.st_size, (unsigned long long)need);
  return 0;
}

/* The format key: 0 when it is this format (or a new archive, then
 * written), a vb_status with the message otherwise. */
static int check_format(vb_archive *a, MDB_txn *t, int ro) {
  MDB_val k = {6, "format"}, d;
  int got = mdb_get(t, a->meta, &k, &d);
  if (got == MDB_NOTFOUND) {
    /* a new file, unless other databases are already in it */
    MDB_dbi main;
    MDB_stat st;
    if (ro) return fail(a, VB_ERR_PARSE, "%s: not a verbatim archive (no format key)", a->path);
    if (mdb_dbi_open(t, NULL, 0, &main) == 0 && mdb_stat(t, main, &st) == 0 && st.ms_entries > 1)
      return fail(a, VB_ERR_PARSE, "%s: not a verbatim archive (an LMDB file without its format key)",
                  a->path);
    d.mv_size = sizeof FORMAT - 1;
    d.mv_data = FORMAT;
    int rc = mdb_put(t, a->meta, &k, &d, 0);
    return rc ? mdb_fail(a, rc, "cannot write the format key") : 0;
  }
  if (got) return mdb_fail(a, got, "cannot read the format key");
  if (d.mv_size == sizeof FORMAT - 1 && memcmp(d.mv_data, FORMAT, d.mv_size) == 0) return 0;
  size_t pl = sizeof FORMAT_PREFIX - 1;
  if (d.mv_size > pl && d.mv_size < 40 && memcmp(d.mv_data, FORMAT_PREFIX, pl) == 0)
    return fail(a, VB_ERR_PARSE,
                "%s: archive format %.*s, but this verbatim reads format %s only: build the archive "
                "again with verbatim archive add",
                a->path, (int)(d.mv_size - pl), (const char *)d.mv_data + pl, FORMAT + pl);
  return fail(a, VB_ERR_PARSE, "%s: not a verbatim archive (unknown format)", a->path);
}

static int archive_open(vb_archive *a, const char *path, unsigned flags) {
  if (!a || !path) return VB_ERR_INVALID;
  if (a->env) return fail(a, VB_ERR_INVALID, "%s: archive handle already open", path);
  a->flags = flags;
  a->path = strdup(path);
  if (!a->path) return fail(a, VB_ERR_NOMEM, "out of memory");
  int ro = (flags & VB_ARCHIVE_READONLY) != 0;
  struct stat fs;
  if (stat(path, &fs) != 0) {
    if (ro || errno != ENOENT) return fail(a, VB_ERR_INVALID, "%s: %s", path, strerror(errno));
  } else if (!S_ISREG(fs.st_mode)) {
    return fail(a, VB_ERR_INVALID, "%s: not a regular file", path);
  } else if (fs.st_size == 0 && ro) {
    return fail(a, VB_ERR_PARSE, "%s: empty file, not a verbatim archive", path);
  }
  /* The map is address space only (the file grows as documents arrive):
   * as large as the process may map, from a terabyte down (valgrind or a
   * ulimit -v refuse the largest). */
  int rc = 0;
  for (unsigned shift = sizeof(size_t) >= 8 ? 40 : 30; shift >= 28; shift -= 4) {
    if ((rc = mdb_env_create(&a->env))) return mdb_fail(a, rc, "cannot create environment");
    mdb_env_set_userctx(a->env, a);
    mdb_env_set_assert(a->env, on_assert);
    mdb_env_set_maxdbs(a->env, 8);
    mdb_env_set_mapsize(a->env, (size_t)1 << shift);
    mdb_env_set_maxreaders(a->env, 254);
    rc = mdb_env_open(a->env, path, MDB_NOSUBDIR | MDB_NOTLS | MDB_NORDAHEAD | (ro ? MDB_RDONLY : MDB_NOMETASYNC), 0644);
    if (rc != EINVAL && rc != ENOMEM) break;
    mdb_env_close(a->env);
    a->env = NULL;
  }
  if (rc && !a->env) return mdb_fail(a, rc, "cannot open");
  if (rc) {
    int r = mdb_fail(a, rc, "cannot open");
    mdb_env_close(a->env);
    a->env = NULL;
    return r;
  }
  if ((rc = check_length(a)) < 0) {
    mdb_env_close(a->env);
    a->env = NULL;
    return rc;
  }
  MDB_txn *t;
  rc = mdb_txn_begin(a->env, NULL, ro ? MDB_RDONLY : 0, &t);
  if (rc) return mdb_fail(a, rc, "cannot begin");
  unsigned create = ro ? 0 : MDB_CREATE;
  const char *what = "meta";
  if ((rc = mdb_dbi_open(t, "meta", create, &a->meta)) == 0) {
    int f = check_format(a, t, ro);
    if (f < 0) {
      mdb_txn_abort(t);
      return f;
    }
  }
  if (!rc && (rc = mdb_dbi_open(t, "names", create, &a->names)) != 0) what = "names";
  if (!rc && (rc = mdb_dbi_open(t, "docs", create | MDB_INTEGERKEY, &a->docs)) != 0) what = "docs";
  if (!rc && (rc = mdb_dbi_open(t, "text", create, &a->text)) != 0) what = "text";
  if (!rc && (rc = mdb_dbi_open(t, "runs", create | MDB_INTEGERKEY, &a->runs)) != 0) what = "runs";
  if (!rc && (rc = mdb_dbi_open(t, "post", create, &a->post)) != 0) what = "postings";
  if (!rc) {
    MDB_val k = {6, "format"}, d;
    if (mdb_get(t, a->meta, &k, &d) == 0 && ro) find_map(a, d.mv_data);
    rc = mdb_txn_commit(t);
  } else {
    mdb_txn_abort(t);
  }
  if (!rc && !ro) { /* the format key was just written: read it again, from the map */
    MDB_txn *r;
    MDB_val k = {6, "format"}, d;
    if (mdb_txn_begin(a->env, NULL, MDB_RDONLY, &r) == 0) {
      if (mdb_get(r, a->meta, &k, &d) == 0) find_map(a, d.mv_data);
      mdb_txn_abort(r);
    }
  }
  if (rc == MDB_NOTFOUND) return fail(a, VB_ERR_PARSE, "%s: not a verbatim archive (no %s)", path, what);
  if (rc) return mdb_fail(a, rc, what);
  a->tok = vb_corpus_new();
  if (!a->tok) return fail(a, VB_ERR_NOMEM, "out of memory");
  return 0;
}

/* ---------------------------------------------------------- block writer */

/* Writes one run: postings in (fingerprint, document) order, cut into
 * blocks of about BLOCK bytes. A fingerprint's documents may go on into the
 * next block, which then starts with the same fingerprint. */
typedef struct {
  MDB_cursor *c;
  uint32_t run, blockno;
  unsigned char buf[BLOCK + 64];
  size_t len, start; /* bytes in buf; of them, the block's first fingerprint */
  uint32_t prev; /* fingerprint of the last entry in buf */
  uint64_t postings;
  /* the fingerprint being gathered */
  uint32_t fp;
  uint32_t *ids;
  size_t nids, cids;
} writer;

static int writer_flush(writer *w) {
  if (!w->len) return 0;
  unsigned char key[12];
  put_be32(key, w->run);
  put_be32(key + 4, w->prev);
  put_be32(key + 8, w->blockno++);
  MDB_val k = {12, key}, d = {w->len, w->buf};
  w->len = 0;
  return mdb_cursor_put(w->c, &k, &d, MDB_APPEND);
}

/* Write the gathered documents of w->fp. */
static int writer_entry(writer *w) {
  const uint32_t *ids = w->ids;
  size_t n = w->nids;
  w->nids = 0;
  while (n > 0) {
    if (!w->len) {
      w->len = w->start = put_varint(w->buf, w->fp);
      w->prev = w->fp;
    }
    uint64_t delta = (uint64_t)(w->fp - w->prev) << 1;
    size_t room = BLOCK > w->len ? BLOCK - w->len : 0;
    size_t head = varint_len(delta | 1) + varint_len(n);
    size_t k = 0, bytes = head;
    while (k < n) {
      size_t b = varint_len(k == 0 ? ids[0] : (uint64_t)(ids[k] - ids[k - 1] - 1));
      if (bytes + b > room) break;
      bytes += b;
      k++;
    }
    if (k == 0 && w->len > w->start) { /* no room left in this block */
      int rc = writer_flush(w);
      if (rc) return rc;
      continue;
    }
    if (k == 0) k = 1; /* an empty block always has room: BLOCK is far above a posting */
    unsigned char *p = w->buf + w->len;
    p += put_varint(p, delta | (k > 1));
    if (k > 1) p += put_varint(p, k - 2);
    p += put_varint(p, ids[0]);
    for (size_t j = 1; j < k; j++) p += put_varint(p, (uint64_t)(ids[j] - ids[j - 1] - 1));
    w->len = (size_t)(p - w->buf);
    w->prev = w->fp;
    w->postings += k;
    ids += k;
    n -= k;
    if (n > 0 || w->len >= BLOCK) {
      int rc = writer_flush(w);
      if (rc) return rc;
    }
  }
  return 0;
}

static int writer_add(writer *w, uint32_t fp, uint32_t id) {
  if (w->nids && fp != w->fp) {
    int rc = writer_entry(w);
    if (rc) return rc;
  }
  w->fp = fp;
  if (w->nids == w->cids) {
    size_t want = w->cids ? 2 * w->cids : 256;
    uint32_t *more = realloc(w->ids, want * sizeof *more);
    if (!more) return ENOMEM;
    w->ids = more;
    w->cids = want;
  }
  w->ids[w->nids++] = id;
  return 0;
}

static int writer_finish(writer *w) {
  int rc = w->nids ? writer_entry(w) : 0;
  if (!rc) rc = writer_flush(w);
  return rc;
}

/* ---------------------------------------------------------- block reader */

/* Reads the entries of one block in order. */
typedef struct {
  const unsigned char *p, *end;
  uint32_t fp;   /* fingerprint of the current entry */
  uint32_t n;    /* its documents, not yet read */
  uint32_t id;   /* the last document read of it */
  int at_entry;  /* an entry is current */
} block;

static int block_entry(block *b) {
  uint64_t h, cnt = 0;
  if (b->p >= b->end) {
    b->at_entry = 0;
    return 0;
  }
  if (get_varint(&b->p, b->end, &h) || ((h & 1) && get_varint(&b->p, b->end, &cnt)) ||
      (h >> 1) > UINT32_MAX || cnt > UINT32_MAX - 2)
    return -1;
  b->fp += (uint32_t)(h >> 1);
  b->n = (h & 1) ? (uint32_t)cnt + 2 : 1;
  b->at_entry = 1;
  b->id = 0;
  return 0;
}

static int block_open(block *b, const MDB_val *d) {
  b->p = d->mv_data;
  b->end = b->p + d->mv_size;
  uint64_t first;
  if (get_varint(&b->p, b->end, &first) || first > UINT32_MAX) return -1;
  b->fp = (uint32_t)first;
  return block_entry(b);
}

/* The next document of the current entry (b->n > 0). */
static int block_id(block *b, uint32_t first, uint32_t *id) {
  uint64_t v;
  if (get_varint(&b->p, b->end, &v) || v > UINT32_MAX) return -1;
  b->id = first ? (uint32_t)v : b->id + 1 + (uint32_t)v;
  b->n--;
  *id = b->id;
  return 0;
}

/* Skip the rest of the current entry and read the next. */
static int block_skip(block *b, uint32_t first) {
  uint32_t id;
  for (int f = (int)first; b->n > 0; f = 0)
    if (block_id(b, (uint32_t)f, &id)) return -1;
  return block_entry(b);
}

/* ------------------------------------------------------------------- runs */

typedef struct {
  uint32_t id;
  uint64_t postings;
} run_info;

static int list_runs(MDB_txn *t, MDB_dbi dbi, run_info **out, size_t *n) {
  *out = NULL;
  *n = 0;
  MDB_cursor *c;
  int rc = mdb_cursor_open(t, dbi, &c);
  if (rc) return rc;
  size_t cap = 0;
  MDB_val k, d;
  for (int r = mdb_cursor_get(c, &k, &d, MDB_FIRST); r == 0; r = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
    run_info ri = {0, 0};
    if (k.mv_size == 4) memcpy(&ri.id, k.mv_data, 4);
    if (d.mv_size >= 8) memcpy(&ri.postings, d.mv_data, 8);
    if (VB_PUSH(*out, *n, cap, ri)) {
      rc = ENOMEM;
      break;
    }
  }
  mdb_cursor_close(c);
  return rc;
}

static int put_run(MDB_txn *t, MDB_dbi dbi, uint32_t run, uint64_t postings, uint64_t blocks) {
  uint64_t v[2] = {postings, blocks};
  MDB_val k = {4, &run}, d = {16, v};
  return mdb_put(t, dbi, &k, &d, 0);
}

/* Delete every block of `run`. */
static int drop_run(vb_archive *a, uint32_t run) {
  MDB_cursor *c;
  int rc = mdb_cursor_open(a->wtxn, a->post, &c);
  if (rc) return rc;
  unsigned char key[12] = {0};
  put_be32(key, run);
  for (;;) {
    MDB_val k = {12, key}, d;
    int r = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE);
    if (r == MDB_NOTFOUND || (r == 0 && (k.mv_size != 12 || get_be32(k.mv_data) != run))) break;
    if ((rc = r ? r : mdb_cursor_del(c, 0))) break;
  }
  mdb_cursor_close(c);
  if (!rc) rc = mdb_del(a->wtxn, a->runs, &(MDB_val){4, &run}, NULL);
  return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Reads one run's postings in order, block after block. */
typedef struct {
  MDB_cursor *c;
  uint32_t run;
  block b;
  int first; /* the next document is the entry's first */
  int done;
  uint32_t fp, id; /* the current posting */
} stream;

static int stream_block(stream *s, MDB_val *k, MDB_val *d, int r) {
  if (r == MDB_NOTFOUND || (r == 0 && (k->mv_size != 12 || get_be32(k->mv_data) != s->run))) {
    s->done = 1;
    return 0;
  }
  if (r) return r;
  if (block_open(&s->b, d)) return MDB_CORRUPTED;
  s->first = 1;
  return 0;
}

static int stream_next(stream *s) {
  MDB_val k, d;
  while (!s->done) {
    if (s->b.at_entry && s->b.n > 0) {
      if (block_id(&s->b, (uint32_t)s->first, &s->id)) return MDB_CORRUPTED;
      s->first = 0;
      s->fp = s->b.fp;
      return 0;
    }
    if (s->b.at_entry) {
      if (block_entry(&s->b)) return MDB_CORRUPTED;
      s->first = 1;
      continue;
    }
    int rc = stream_block(s, &k, &d, mdb_cursor_get(s->c, &k, &d, MDB_NEXT));
    if (rc) return rc;
  }
  return 0;
}

static int stream_open(vb_archive *a, stream *s, uint32_t run) {
  memset(s, 0, sizeof *s);
  s->run = run;
  int rc = mdb_cursor_open(a->wtxn, a->post, &s->c);
  if (rc) return rc;
  unsigned char key[12] = {0};
  put_be32(key, run);
  MDB_val k = {12, key}, d;
  if ((rc = stream_block(s, &k, &d, mdb_cursor_get(s->c, &k, &d, MDB_SET_RANGE)))) return rc;
  return stream_next(s);
}

/* Which documents exist: a bitmap over ids below a->next. */
static int live_ids(vb_archive *a, unsigned char **bits) {
  *bits = calloc(a->next / 8 + 1, 1);
  if (!*bits) return ENOMEM;
  MDB_cursor *c;
  int rc = mdb_cursor_open(a->wtxn, a->docs, &c);
  if (rc) return rc;
  MDB_val k, d;
  for (int r = mdb_cursor_get(c, &k, &d, MDB_FIRST); r == 0; r = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
    uint32_t id;
    if (k.mv_size != 4) continue;
    memcpy(&id, k.mv_data, 4);
    if (id < a->next) (*bits)[id / 8] |= (unsigned char)(1u << (id % 8));
  }
  mdb_cursor_close(c);
  return 0;
}

/* Merge runs[from..n-1] into one new run, dropping the postings of
 * documents that are gone. */
static int merge_runs(vb_archive *a, const run_info *runs, size_t from, size_t n) {
  size_t k = n - from;
  stream *s = calloc(k, sizeof *s);
  unsigned char *live = NULL;
  writer w;
  memset(&w, 0, sizeof w);
  int rc = s ? live_ids(a, &live) : ENOMEM;
  if (!rc) rc = mdb_cursor_open(a->wtxn, a->post, &w.c);
  w.run = runs[n - 1].id + 1;
  uint64_t before = 0;
  for (size_t i = 0; i < k && !rc; i++) {
    before += runs[from + i].postings;
    rc = stream_open(a, &s[i], runs[from + i].id);
  }
  while (!rc) {
    size_t best = k;
    for (size_t i = 0; i < k; i++) {
      if (s[i].done) continue;
      if (best == k || s[i].fp < s[best].fp || (s[i].fp == s[best].fp && s[i].id < s[best].id)) best = i;
    }
    if (best == k) break;
    uint32_t id = s[best].id;
    if ((w.postings & 0xfffff) == 0xfffff) trim_map(a);
    if (id < a->next && (live[id / 8] >> (id % 8) & 1)) rc = writer_add(&w, s[best].fp, id);
    if (!rc) rc = stream_next(&s[best]);
  }
  if (!rc) rc = writer_finish(&w);
  for (size_t i = 0; i < k; i++)
    if (s && s[i].c) mdb_cursor_close(s[i].c);
  if (w.c) mdb_cursor_close(w.c);
  for (size_t i = 0; i < k && !rc; i++) rc = drop_run(a, runs[from + i].id);
  if (!rc && w.postings) rc = put_run(a->wtxn, a->runs, w.run, w.postings, w.blockno);
  if (!rc) a->postings = a->postings - before + w.postings;
  free(w.ids);
  free(live);
  free(s);
  return rc;
}

/* After a new run: merge the newest runs while the one before them holds
 * no more postings than they do together, and down to MAX_RUNS. */
static int compact(vb_archive *a) {
  run_info *runs;
  size_t n;
  int rc = list_runs(a->wtxn, a->runs, &runs, &n);
  if (rc || n < 2) {
    free(runs);
    return rc;
  }
  size_t j = n - 1;
  uint64_t sum = runs[j].postings;
  while (j > 0 && (runs[j - 1].postings <= sum || j > MAX_RUNS - 1)) sum += runs[--j].postings;
  if (j < n - 1) rc = merge_runs(a, runs, j, n);
  free(runs);
  return rc;
}

/* Stable sort of the pending postings by fingerprint (the high half):
 * two passes of 16 bits. The documents of a fingerprint stay in the order
 * they were added, which is the order of their ids. */
static int sort_pending(vb_archive *a) {
  size_t n = a->npend;
  uint64_t *tmp = malloc(n * sizeof *tmp);
  size_t *count = malloc(65536 * sizeof *count);
  if (!tmp || !count) {
    free(tmp);
    free(count);
    return ENOMEM;
  }
  uint64_t *from = a->pend, *to = tmp;
  for (int shift = 32; shift < 64; shift += 16) {
    memset(count, 0, 65536 * sizeof *count);
    for (size_t i = 0; i < n; i++) count[(from[i] >> shift) & 0xffff]++;
    size_t sum = 0;
    for (size_t i = 0; i < 65536; i++) {
      size_t c = count[i];
      count[i] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++) to[count[(from[i] >> shift) & 0xffff]++] = from[i];
    uint64_t *x = from;
    from = to;
    to = x;
  }
  /* two passes: the sorted postings are back in a->pend */
  free(tmp);
  free(count);
  return 0;
}

/* Write the pending postings as a new run (inside the write transaction). */
static int flush_run(vb_archive *a) {
  if (!a->npend) return 0;
  int rc = sort_pending(a);
  run_info *runs = NULL;
  size_t nruns = 0;
  if (!rc) rc = list_runs(a->wtxn, a->runs, &runs, &nruns);
  writer w;
  memset(&w, 0, sizeof w);
  w.run = nruns ? runs[nruns - 1].id + 1 : 1;
  free(runs);
  if (!rc) rc = mdb_cursor_open(a->wtxn, a->post, &w.c);
  for (size_t i = 0; i < a->npend && !rc; i++)
    rc = writer_add(&w, (uint32_t)(a->pend[i] >> 32), (uint32_t)a->pend[i]);
  if (!rc) rc = writer_finish(&w);
  if (w.c) mdb_cursor_close(w.c);
  free(w.ids);
  if (!rc) rc = put_run(a->wtxn, a->runs, w.run, w.postings, w.blockno);
  if (!rc) a->postings += w.postings;
  if (!rc) a->npend = 0;
  return rc;
}

/* ----------------------------------------------------------- transactions */

static void abort_write(vb_archive *a) {
  if (a->wtxn) mdb_txn_abort(a->wtxn);
  a->wtxn = NULL;
  a->npend = 0;
}

static int write_txn(vb_archive *a);

static int commit_txn(vb_archive *a, int rc) {
  if (!rc) rc = put_u64(a->wtxn, a->meta, "next", a->next);
  if (!rc) rc = put_u64(a->wtxn, a->meta, "text", a->text_bytes);
  if (!rc) rc = put_u64(a->wtxn, a->meta, "stored", a->stored_bytes);
  if (!rc) rc = put_u64(a->wtxn, a->meta, "postings", a->postings);
  if (rc) {
    abort_write(a);
    return rc == ENOMEM ? fail(a, VB_ERR_NOMEM, "out of memory (uncommitted additions are lost)")
                        : mdb_fail(a, rc, "cannot commit (uncommitted additions are lost)");
  }
  rc = mdb_txn_commit(a->wtxn);
  a->wtxn = NULL;
  trim_map(a);
  return rc ? mdb_fail(a, rc, "cannot commit") : 0;
}

/* The documents and their run are committed first; merging runs is a
 * transaction of its own (committed pages only are read while it writes). */
static int archive_commit(vb_archive *a) {
  if (!a || !a->wtxn) return 0;
  int rc = commit_txn(a, flush_run(a));
  if (rc < 0) return rc;
  if ((rc = write_txn(a)) < 0) return rc;
  return commit_txn(a, compact(a));
}

int vb_archive_close(vb_archive *a) {
  if (!a) return 0;
  jmp_buf jb;
  volatile int rc = VB_ERR_PARSE;
  if (!a->broken && !setjmp(jb)) {
    a->guard = &jb;
    rc = archive_commit(a);
  }
  a->guard = NULL;
  /* a handle that met a damaged page may hold LMDB in any state: its
   * environment is left for the process's end */
  if (a->env && !a->broken) mdb_env_close(a->env);
  vb_corpus_free(a->tok);
  ZSTD_freeCCtx(a->zc);
  ZSTD_freeDCtx(a->zd);
  free(a->pend);
  free(a->zbuf);
  free(a->path);
  free(a);
  return rc;
}

static int write_txn(vb_archive *a) {
  if (!a || !a->env) return VB_ERR_INVALID;
  if (a->flags & VB_ARCHIVE_READONLY) return fail(a, VB_ERR_INVALID, "%s: opened read-only", a->path);
  if (a->wtxn) return 0;
  int rc = mdb_txn_begin(a->env, NULL, 0, &a->wtxn);
  if (!rc) rc = get_u64(a->wtxn, a->meta, "next", &a->next);
  if (!rc) rc = get_u64(a->wtxn, a->meta, "text", &a->text_bytes);
  if (!rc) rc = get_u64(a->wtxn, a->meta, "stored", &a->stored_bytes);
  if (!rc) rc = get_u64(a->wtxn, a->meta, "postings", &a->postings);
  if (rc) abort_write(a);
  a->npend = 0;
  return rc ? mdb_fail(a, rc, "cannot begin writing") : 0;
}

/* ------------------------------------------------------------- documents */

typedef struct {
  uint64_t hash;
  uint32_t tlen, slen, nlen;
  const char *name;
} doc_header;

static int read_header(vb_archive *a, const MDB_val *d, doc_header *h) {
  if (d->mv_size < DOC_HEADER) return damaged(a, "short document record");
  const unsigned char *r = d->mv_data;
  memcpy(&h->hash, r, 8);
  memcpy(&h->tlen, r + 8, 4);
  memcpy(&h->slen, r + 12, 4);
  memcpy(&h->nlen, r + 16, 4);
  if (DOC_HEADER + (size_t)h->nlen != d->mv_size) return damaged(a, "document record");
  h->name = (const char *)r + DOC_HEADER;
  return 0;
}

static void text_key(unsigned char *key, uint32_t id, uint32_t part) {
  put_be32(key, id);
  put_be32(key + 4, part);
}

/* Drop document `id` (its record, name and text) inside the write
 * transaction. Its postings stay until its run is merged. */
static int drop_doc(vb_archive *a, uint32_t id) {
  MDB_txn *t = a->wtxn;
  MDB_val k = {sizeof id, &id}, d;
  int rc = mdb_get(t, a->docs, &k, &d);
  if (rc) return mdb_fail(a, rc, "missing document record");
  doc_header h = {0};
  if ((rc = read_header(a, &d, &h)) < 0) return rc;
  MDB_val nk = {h.nlen, (void *)h.name};
  rc = mdb_del(t, a->names, &nk, NULL);
  if (rc == MDB_NOTFOUND) rc = 0;
  uint64_t tlen = h.tlen, slen = h.slen;
  if (!rc) rc = mdb_del(t, a->docs, &k, NULL);
  uint32_t parts = (uint32_t)((slen + CHUNK - 1) / CHUNK);
  for (uint32_t p = 0; p < parts && !rc; p++) {
    unsigned char key[8];
    text_key(key, id, p);
    rc = mdb_del(t, a->text, &(MDB_val){8, key}, NULL);
    if (rc == MDB_NOTFOUND) rc = 0;
  }
  if (!rc) {
    a->text_bytes -= tlen < a->text_bytes ? tlen : a->text_bytes;
    a->stored_bytes -= slen < a->stored_bytes ? slen : a->stored_bytes;
  }
  return rc ? mdb_fail(a, rc, "cannot remove") : 0;
}

/* The id stored under a name: 1 found, 0 not, negative on error. */
static int find_name(vb_archive *a, MDB_txn *t, const char *name, uint32_t *id) {
  MDB_val k = {strlen(name), (void *)name}, d;
  int rc = mdb_get(t, a->names, &k, &d);
  if (rc == MDB_NOTFOUND) return 0;
  if (rc) return mdb_fail(a, rc, "cannot read names");
  if (d.mv_size != 4) return damaged(a, "name record");
  memcpy(id, d.mv_data, 4);
  return 1;
}

/* Compress into a->zbuf. Returns the compressed length, 0 on failure. */
static size_t compress_text(vb_archive *a, const char *bytes, size_t len) {
  size_t bound = ZSTD_compressBound(len);
  if (a->zcap < bound) {
    unsigned char *z = realloc(a->zbuf, bound);
    if (!z) return 0;
    a->zbuf = z;
    a->zcap = bound;
  }
  if (!a->zc && !(a->zc = ZSTD_createCCtx())) return 0;
  size_t n = ZSTD_compressCCtx(a->zc, a->zbuf, a->zcap, bytes, len, ZLEVEL);
  return ZSTD_isError(n) ? 0 : n;
}

static int archive_add(vb_archive *a, const char *name, const char *bytes, size_t len) {
  int rc;
  if (!a) return VB_ERR_INVALID;
  if (!name || (!bytes && len) || !*name) return fail(a, VB_ERR_INVALID, "no name or text");
  if (len > UINT32_MAX / 2 || strlen(name) > 4000)
    return fail(a, VB_ERR_LIMIT, "%s: too large for the archive", name);
  if ((rc = write_txn(a)) < 0) return rc;
  MDB_txn *t = a->wtxn;
  uint64_t hash = fnv64(bytes, len);
  uint32_t old = 0;
  int had = find_name(a, t, name, &old);
  if (had < 0) return had;
  if (had) {
    MDB_val k = {4, &old}, d;
    doc_header h = {0};
    if (mdb_get(t, a->docs, &k, &d) == 0 && read_header(a, &d, &h) == 0 && h.hash == hash && h.tlen == len)
      return 0;
  }
  uint32_t *fps;
  size_t nfps;
  if ((rc = vb_corpus_fingerprints(a->tok, bytes, len, 0, &fps, &nfps)) < 0)
    return fail(a, rc, "%s: %s", name, vb_corpus_error(a->tok));
  size_t clen = compress_text(a, bytes, len);
  if (!clen && len) {
    free(fps);
    return fail(a, VB_ERR_INTERNAL, "%s: compression failed", name);
  }
  if (a->next >= UINT32_MAX) {
    free(fps);
    return fail(a, VB_ERR_LIMIT, "%s: the archive is full", a->path);
  }
  if (a->npend + nfps > a->cpend) {
    size_t want = a->cpend ? a->cpend : 65536;
    while (want < a->npend + nfps) want *= 2;
    uint64_t *more = realloc(a->pend, want * sizeof *more);
    if (!more) {
      free(fps);
      return fail(a, VB_ERR_NOMEM, "out of memory");
    }
    a->pend = more;
    a->cpend = want;
  }
  if (had && (rc = drop_doc(a, old)) < 0) {
    free(fps);
    return rc;
  }
  uint32_t id = (uint32_t)a->next;
  size_t nlen = strlen(name);
  unsigned char *rec = malloc(DOC_HEADER + nlen);
  if (!rec) {
    free(fps);
    return fail(a, VB_ERR_NOMEM, "out of memory");
  }
  uint32_t tl = (uint32_t)len, sl = (uint32_t)clen, nl = (uint32_t)nlen;
  memcpy(rec, &hash, 8);
  memcpy(rec + 8, &tl, 4);
  memcpy(rec + 12, &sl, 4);
  memcpy(rec + 16, &nl, 4);
  memcpy(rec + DOC_HEADER, name, nlen);
  MDB_val k = {4, &id}, d = {DOC_HEADER + nlen, rec};
  rc = mdb_put(t, a->docs, &k, &d, MDB_APPEND);
  MDB_val nk = {nlen, (void *)name}, nv = {4, &id};
  if (!rc) rc = mdb_put(t, a->names, &nk, &nv, 0);
  for (size_t off = 0, p = 0; off < clen && !rc; off += CHUNK, p++) {
    unsigned char key[8];
    text_key(key, id, (uint32_t)p);
    MDB_val tk = {8, key}, tv = {clen - off < CHUNK ? clen - off : CHUNK, a->zbuf + off};
    rc = mdb_put(t, a->text, &tk, &tv, MDB_APPEND);
  }
  free(rec);
  if (rc) {
    free(fps);
    abort_write(a);
    return mdb_fail(a, rc, "cannot add (uncommitted additions are lost)");
  }
  for (size_t i = 0; i < nfps; i++) a->pend[a->npend++] = (uint64_t)fps[i] << 32 | id;
  free(fps);
  a->next++;
  a->text_bytes += len;
  a->stored_bytes += clen;
  if (a->npend >= PENDING_MAX && (rc = archive_commit(a)) < 0) return rc;
  return had ? 1 : 2;
}

static int archive_remove(vb_archive *a, const char *name) {
  int rc;
  if (!name) return VB_ERR_INVALID;
  if ((rc = write_txn(a)) < 0) return rc;
  uint32_t id = 0;
  int had = find_name(a, a->wtxn, name, &id);
  if (had <= 0) return had;
  if ((rc = drop_doc(a, id)) < 0) return rc;
  return 1;
}

/* A read transaction: the pending write one when there is one (its
 * pending postings written out first, so that they are found). */
static int read_txn(vb_archive *a, MDB_txn **t) {
  if (!a || !a->env) return VB_ERR_INVALID;
  if (a->wtxn) {
    int rc = flush_run(a);
    if (rc) {
      abort_write(a);
      return rc == ENOMEM ? fail(a, VB_ERR_NOMEM, "out of memory") : mdb_fail(a, rc, "cannot write");
    }
    *t = a->wtxn;
    return 0;
  }
  int rc = mdb_txn_begin(a->env, NULL, MDB_RDONLY, t);
  return rc ? mdb_fail(a, rc, "cannot begin reading") : 0;
}

static void end_read(vb_archive *a, MDB_txn *t) {
  if (t != a->wtxn) mdb_txn_abort(t);
}

static int archive_stat(vb_archive *a, vb_archive_stats *out) {
  MDB_txn *t;
  int rc = read_txn(a, &t);
  if (rc < 0) return rc;
  memset(out, 0, sizeof *out);
  MDB_stat st;
  if (!(rc = mdb_stat(t, a->docs, &st))) out->documents = st.ms_entries;
  if (!rc && !(rc = mdb_stat(t, a->runs, &st))) out->runs = st.ms_entries;
  uint64_t v;
  if (!rc) rc = get_u64(t, a->meta, "text", &out->text_bytes);
  if (!rc) rc = get_u64(t, a->meta, "stored", &out->stored_bytes);
  if (!rc && !(rc = get_u64(t, a->meta, "postings", &v))) out->fingerprints = (size_t)v;
  if (!rc && t == a->wtxn) {
    out->text_bytes = a->text_bytes;
    out->stored_bytes = a->stored_bytes;
    out->fingerprints = (size_t)a->postings;
  }
  end_read(a, t);
  struct stat fs;
  if (stat(a->path, &fs) == 0) out->file_bytes = (uint64_t)fs.st_size;
  return rc ? mdb_fail(a, rc, "cannot read statistics") : 0;
}

/* ------------------------------------------------------------- retrieval */

typedef struct {
  uint32_t id;
  uint32_t shared;
  double score;
} acc;

static int by_score(const void *x, const void *y) {
  const vb_archive_hit *a = x, *b = y;
  if (a->score != b->score) return a->score < b->score ? 1 : -1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* Postings lists longer than this are n-grams like "said it was": they name
 * too many documents to tell sources apart, and cost the most to read. */
#define COMMON_MAX 2000

/* Where a query stands in one run: the block it last read. */
typedef struct {
  MDB_cursor *c;
  uint32_t run;
  uint32_t last; /* the block's last fingerprint */
  block b;
  int loaded, done;
} seeker;

static int seeker_load(seeker *s, MDB_val *k, MDB_val *d, int r) {
  s->loaded = 0;
  if (r == MDB_NOTFOUND || (r == 0 && (k->mv_size != 12 || get_be32(k->mv_data) != s->run))) {
    s->done = 1;
    return 0;
  }
  if (r) return r;
  s->last = get_be32((const unsigned char *)k->mv_data + 4);
  if (block_open(&s->b, d)) return MDB_CORRUPTED;
  s->loaded = 1;
  return 0;
}

/* Append the documents of fingerprint `fp` in this run to ids (queries come
 * in increasing fingerprint order). */
static int seeker_find(seeker *s, uint32_t fp, uint32_t **ids, size_t *n, size_t *cap) {
  MDB_val k, d;
  int rc;
  while (!s->done) {
    if (!s->loaded || fp > s->last) {
      unsigned char key[12] = {0};
      put_be32(key, s->run);
      put_be32(key + 4, fp);
      k.mv_size = 12;
      k.mv_data = key;
      if ((rc = seeker_load(s, &k, &d, mdb_cursor_get(s->c, &k, &d, MDB_SET_RANGE)))) return rc;
      continue;
    }
    while (s->b.at_entry && s->b.fp < fp)
      if (block_skip(&s->b, 1)) return MDB_CORRUPTED;
    if (!s->b.at_entry) return MDB_CORRUPTED; /* fp <= the block's last fingerprint */
    if (s->b.fp > fp) return 0;
    for (int first = 1; s->b.n > 0; first = 0) {
      uint32_t id;
      if (block_id(&s->b, (uint32_t)first, &id)) return MDB_CORRUPTED;
      if (VB_PUSH(*ids, *n, *cap, id)) return ENOMEM;
    }
    if (block_entry(&s->b)) return MDB_CORRUPTED;
    if (s->b.at_entry || s->last != fp) return 0;
    /* the block ended with fp: its documents may go on in the next block */
    if ((rc = seeker_load(s, &k, &d, mdb_cursor_get(s->c, &k, &d, MDB_NEXT)))) return rc;
  }
  return 0;
}

static int acc_add(acc **tab, size_t *cap, size_t *used, uint32_t id, double w) {
  if (2 * (*used + 1) > *cap) {
    size_t nc = 2 * *cap;
    acc *bigger = calloc(nc, sizeof *bigger);
    if (!bigger) return ENOMEM;
    for (size_t s = 0; s < *cap; s++) {
      if (!(*tab)[s].shared) continue;
      size_t h = ((*tab)[s].id * 2654435761u) & (nc - 1);
      while (bigger[h].shared) h = (h + 1) & (nc - 1);
      bigger[h] = (*tab)[s];
    }
    free(*tab);
    *tab = bigger;
    *cap = nc;
  }
  size_t h = (id * 2654435761u) & (*cap - 1);
  while ((*tab)[h].shared && (*tab)[h].id != id) h = (h + 1) & (*cap - 1);
  if (!(*tab)[h].shared) {
    (*tab)[h].id = id;
    (*used)++;
  }
  (*tab)[h].shared++;
  (*tab)[h].score += w;
  return 0;
}

/* A heap with the best hit (by_score) on top. */
static void heap_down(vb_archive_hit *h, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && by_score(&h[l], &h[m]) < 0) m = l;
    if (r < n && by_score(&h[r], &h[m]) < 0) m = r;
    if (m == i) return;
    vb_archive_hit x = h[i];
    h[i] = h[m];
    h[m] = x;
    i = m;
  }
}

static void heap_make(vb_archive_hit *h, size_t n) {
  for (size_t i = n / 2; i-- > 0;) heap_down(h, n, i);
}

/* Candidates ranked by their postings are ranked again, this many more
 * than asked for, by the n-grams they share with the draft. */
#define RERANK_MORE 16


static int by_rerank(const void *x, const void *y) {
  const vb_archive_hit *a = x, *b = y;
  if (a->shared != b->shared) return a->shared < b->shared ? 1 : -1;
  return by_score(x, y);
}

/* The index holds winnowed fingerprints, so a short shared run of words
 * may leave no trace in it, and a short draft shares only a few with each
 * candidate. Count, for each candidate, the distinct n-grams it shares with
 * the draft (every n-gram of both, as the corpus compares two documents),
 * and rank by that, the postings score breaking ties. */
static int rerank(vb_archive *a, const uint32_t *q, size_t nq, vb_archive_hit *h, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char *name, *text;
    size_t len;
    int rc = archive_get(a, h[i].id, &name, &text, &len);
    if (rc < 0) return rc;
    uint32_t *g;
    size_t ng;
    rc = vb_corpus_fingerprints(a->tok, text, len, 1, &g, &ng);
    free(name);
    free(text);
    if (rc < 0) return fail(a, rc, "%s", vb_corpus_error(a->tok));
    size_t shared = 0;
    for (size_t x = 0, y = 0; x < nq && y < ng;) {
      if (q[x] < g[y]) x++;
      else if (q[x] > g[y]) y++;
      else shared++, x++, y++;
    }
    free(g);
    h[i].shared = shared;
  }
  qsort(h, n, sizeof *h, by_rerank);
  return 0;
}

static int archive_find_sources(vb_archive *a, const char *bytes, size_t len, size_t max,
                            size_t min_shared, vb_archive_hit **hits, size_t *n) {
  *hits = NULL;
  *n = 0;
  if (!a || !a->env) return VB_ERR_INVALID;
  uint32_t *fps;
  size_t nfps;
  /* every n-gram of the draft, as the corpus queries its index */
  int rc = vb_corpus_fingerprints(a->tok, bytes, len, 1, &fps, &nfps);
  if (rc < 0) return fail(a, rc, "%s", vb_corpus_error(a->tok));
  MDB_txn *t;
  if ((rc = read_txn(a, &t)) < 0) {
    free(fps);
    return rc;
  }
  MDB_stat st;
  double ndocs = 1;
  if (mdb_stat(t, a->docs, &st) == 0 && st.ms_entries) ndocs = (double)st.ms_entries;
  run_info *runs = NULL;
  size_t nruns = 0;
  rc = list_runs(t, a->runs, &runs, &nruns);
  seeker *sk = calloc(nruns + 1, sizeof *sk);
  size_t cap = 1024, used = 0;
  acc *tab = calloc(cap, sizeof *tab); /* open addressing on id */
  if (!rc && (!sk || !tab)) rc = ENOMEM;
  for (size_t r = 0; r < nruns && !rc; r++) {
    sk[r].run = runs[r].id;
    rc = mdb_cursor_open(t, a->post, &sk[r].c);
  }
  uint32_t *ids = NULL;
  size_t nids = 0, cids = 0;
  for (size_t i = 0; i < nfps && !rc; i++) {
    if (i % 256 == 255) trim_map(a);
    nids = 0;
    for (size_t r = 0; r < nruns && !rc; r++) rc = seeker_find(&sk[r], fps[i], &ids, &nids, &cids);
    if (rc || nids == 0 || nids > COMMON_MAX) continue;
    double w = log(1.0 + ndocs / (double)nids); /* rare fingerprints weigh most */
    for (size_t j = 0; j < nids && !rc; j++) rc = acc_add(&tab, &cap, &used, ids[j], w);
  }
  free(ids);
  for (size_t r = 0; r < nruns; r++)
    if (sk[r].c) mdb_cursor_close(sk[r].c);
  free(sk);
  free(runs);
  vb_archive_hit *out = NULL;
  size_t m = 0;
  if (!rc && !(out = malloc((used ? used : 1) * sizeof *out))) rc = ENOMEM;
  for (size_t s = 0; !rc && s < cap; s++)
    if (tab[s].shared) /* min_shared applies to the n-grams counted by rerank() */
      out[m++] = (vb_archive_hit){tab[s].id, tab[s].score, tab[s].shared};
  free(tab);
  /* the best that still exist (removed documents keep their postings until
   * their run is merged), taken off a heap: a full sort of the many
   * documents that share something would cost more than the search */
  size_t kept = 0, want = max + RERANK_MORE;
  vb_archive_hit *best = NULL;
  if (!rc && !(best = malloc((want < m ? want : m) * sizeof *best + 1))) rc = ENOMEM;
  if (!rc) heap_make(out, m);
  for (size_t left = m; !rc && left > 0 && kept < want; left--) {
    vb_archive_hit top = out[0];
    out[0] = out[left - 1];
    heap_down(out, left - 1, 0);
    MDB_val k = {4, &top.id}, d;
    int r = mdb_get(t, a->docs, &k, &d);
    if (r == 0) best[kept++] = top;
    else if (r != MDB_NOTFOUND) rc = r;
  }
  if (kept) memcpy(out, best, kept * sizeof *best);
  free(best);
  end_read(a, t);
  int vr = !rc && kept > 0 ? rerank(a, fps, nfps, out, kept) : 0; /* a vb_status */
  free(fps);
  if (vr < 0) {
    free(out);
    return vr;
  }
  while (!rc && kept > 0 && out[kept - 1].shared < min_shared) kept--;
  if (rc) {
    free(out);
    return rc == ENOMEM ? fail(a, VB_ERR_NOMEM, "out of memory")
                        : rc == MDB_CORRUPTED ? damaged(a, "postings")
                                              : mdb_fail(a, rc, "cannot search");
  }
  *hits = out;
  *n = kept < max ? kept : max;
  return 0;
}

/* 0 when the stored bytes give back the text of `tlen` bytes and `hash`. */
static int decompress_text(vb_archive *a, const unsigned char *z, size_t zlen, char *out, size_t tlen,
                           uint64_t hash) {
  if (!a->zd && !(a->zd = ZSTD_createDCtx())) return VB_ERR_NOMEM;
  size_t n = ZSTD_decompressDCtx(a->zd, out, tlen, z, zlen);
  if (ZSTD_isError(n) || n != tlen || fnv64(out, tlen) != hash) return VB_ERR_PARSE;
  return 0;
}

static int archive_get(vb_archive *a, uint32_t id, char **name, char **text, size_t *len) {
  *name = NULL;
  *text = NULL;
  *len = 0;
  MDB_txn *t;
  int rc = read_txn(a, &t);
  if (rc < 0) return rc;
  MDB_val k = {4, &id}, d;
  rc = mdb_get(t, a->docs, &k, &d);
  if (rc) {
    end_read(a, t);
    return rc == MDB_NOTFOUND ? fail(a, VB_ERR_INVALID, "%s: no document %u", a->path, (unsigned)id)
                              : mdb_fail(a, rc, "cannot read");
  }
  doc_header h = {0};
  if ((rc = read_header(a, &d, &h)) < 0) {
    end_read(a, t);
    return rc;
  }
  char *nm = malloc(h.nlen + 1), *tx = malloc((size_t)h.tlen + 1);
  unsigned char *z = malloc(h.slen ? h.slen : 1);
  int bad = 0;
  if (nm && tx && z) {
    memcpy(nm, h.name, h.nlen);
    nm[h.nlen] = '\0';
    size_t got = 0;
    for (uint32_t p = 0; got < h.slen && !bad; p++) {
      unsigned char key[8];
      text_key(key, id, p);
      MDB_val tk = {8, key}, tv;
      if ((rc = mdb_get(t, a->text, &tk, &tv)) != 0 || tv.mv_size > h.slen - got ||
          (tv.mv_size < CHUNK && got + tv.mv_size < h.slen))
        bad = 1;
      else
        memcpy(z + got, tv.mv_data, tv.mv_size), got += tv.mv_size;
    }
  }
  end_read(a, t);
  int zr = !nm || !tx || !z ? VB_ERR_NOMEM : bad ? VB_ERR_PARSE : decompress_text(a, z, h.slen, tx, h.tlen, h.hash);
  free(z);
  if (zr < 0) {
    free(nm);
    free(tx);
    return zr == VB_ERR_NOMEM ? fail(a, VB_ERR_NOMEM, "out of memory")
                              : fail(a, VB_ERR_PARSE, "%s: damaged text of document %u", a->path, (unsigned)id);
  }
  tx[h.tlen] = '\0';
  *name = nm;
  *text = tx;
  *len = h.tlen;
  return 0;
}

static int archive_merge(vb_archive *a, vb_archive *from) {
  if (!a || !from || !from->env) return VB_ERR_INVALID;
  MDB_txn *t;
  int rc = read_txn(from, &t);
  if (rc < 0) return fail(a, rc, "%s", from->err);
  MDB_cursor *c;
  if ((rc = mdb_cursor_open(t, from->docs, &c))) {
    end_read(from, t);
    return mdb_fail(from, rc, "cannot read"), fail(a, VB_ERR_PARSE, "%s", from->err);
  }
  /* ids first: vb_archive_get opens its own reads on `from` */
  size_t nids = 0, cids = 0;
  uint32_t *ids = NULL;
  MDB_val k, d;
  for (int r = mdb_cursor_get(c, &k, &d, MDB_FIRST); r == 0; r = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
    uint32_t id;
    memcpy(&id, k.mv_data, 4);
    if (VB_PUSH(ids, nids, cids, id)) {
      rc = ENOMEM;
      break;
    }
  }
  mdb_cursor_close(c);
  end_read(from, t);
  if (rc) {
    free(ids);
    return fail(a, VB_ERR_NOMEM, "out of memory");
  }
  int count = 0;
  for (size_t i = 0; i < nids && rc >= 0; i++) {
    char *name, *text;
    size_t len;
    rc = archive_get(from, ids[i], &name, &text, &len);
    if (rc < 0) {
      fail(a, rc, "%s", from->err);
      break;
    }
    rc = archive_add(a, name, text, len);
    if (rc > 0) count++;
    free(name);
    free(text);
  }
  free(ids);
  return rc < 0 ? rc : count;
}

/* ------------------------------------------------------- public entries */

/* Each public call runs under a guard: an LMDB assertion returns here
 * (on_assert) and the call fails with VB_ERR_PARSE. */
#define GUARDED(a, call)                                                     \
  do {                                                                       \
    if (!(a)) return VB_ERR_INVALID;                                         \
    if ((a)->broken) return VB_ERR_PARSE;                                    \
    jmp_buf jb_;                                                             \
    jmp_buf *outer_ = (a)->guard;                                            \
    if (setjmp(jb_)) {                                                       \
      (a)->guard = outer_;                                                   \
      return VB_ERR_PARSE;                                                   \
    }                                                                        \
    (a)->guard = &jb_;                                                       \
    int rc_ = (call);                                                        \
    (a)->guard = outer_;                                                     \
    return rc_;                                                              \
  } while (0)

int vb_archive_open(vb_archive *a, const char *path, unsigned flags) { GUARDED(a, archive_open(a, path, flags)); }

int vb_archive_commit(vb_archive *a) { GUARDED(a, archive_commit(a)); }

int vb_archive_add(vb_archive *a, const char *name, const char *bytes, size_t len) {
  GUARDED(a, archive_add(a, name, bytes, len));
}

int vb_archive_remove(vb_archive *a, const char *name) { GUARDED(a, archive_remove(a, name)); }

int vb_archive_stat(vb_archive *a, vb_archive_stats *out) { GUARDED(a, archive_stat(a, out)); }

int vb_archive_find_sources(vb_archive *a, const char *bytes, size_t len, size_t max,
                            size_t min_shared, vb_archive_hit **hits, size_t *n) {
  *hits = NULL;
  *n = 0;
  GUARDED(a, archive_find_sources(a, bytes, len, max, min_shared, hits, n));
}

int vb_archive_get(vb_archive *a, uint32_t id, char **name, char **text, size_t *len) {
  *name = NULL;
  *text = NULL;
  *len = 0;
  GUARDED(a, archive_get(a, id, name, text, len));
}

/* Both handles return to one guard: the damaged one may be either. */
int vb_archive_merge(vb_archive *a, vb_archive *from) {
  if (!a || !from) return VB_ERR_INVALID;
  if (a->broken) return VB_ERR_PARSE;
  if (from->broken) return fail(a, VB_ERR_PARSE, "%s", from->err);
  jmp_buf jb;
  jmp_buf *oa = a->guard, *of = from->guard;
  if (setjmp(jb)) {
    a->guard = oa;
    from->guard = of;
    if (from->broken) fail(a, VB_ERR_PARSE, "%s", from->err);
    return VB_ERR_PARSE;
  }
  a->guard = from->guard = &jb;
  int rc = archive_merge(a, from);
  a->guard = oa;
  from->guard = of;
  return rc;
}
