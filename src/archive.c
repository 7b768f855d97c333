/*
 * archive.c: the on-disk document archive (LMDB + zlib).
 *
 * Databases in one LMDB file:
 *   meta   "format" -> FORMAT; "next" -> next id (u32); "text"/"stored" -> u64
 *   names  document name -> id (u32)
 *   docs   id (u32, integer key) -> record: hash u64, text length u32,
 *          fingerprint count u32, name length u32, name, fingerprints
 *          (u32 each), zlib-compressed text
 *   fps    fingerprint (u32, integer key) -> ids (u32, sorted fixed dups)
 * A document is written in one transaction with its postings, so a reader
 * (or a reopen after a crash) sees all of it or none.
 */
#include <errno.h>
#include <lmdb.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <zlib.h>

#include "index.h"
#include "internal.h"

#define FORMAT "verbatim-archive 1"
#define HEADER 20 /* hash u64, text u32, nfps u32, name length u32 */

struct vb_archive {
  MDB_env *env;
  MDB_txn *wtxn; /* pending additions */
  MDB_dbi meta, names, docs, fps;
  unsigned flags;
  char *path;
  vb_corpus *tok; /* tokenizes documents for their fingerprints */
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

vb_archive *vb_archive_new(void) { return calloc(1, sizeof(vb_archive)); }

const char *vb_archive_error(const vb_archive *a) { return a ? a->err : "no archive"; }

void vb_archive_release(void *p) { free(p); }

static uint64_t fnv64(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
  return h;
}

static int get_u64(MDB_txn *t, MDB_dbi dbi, const char *key, uint64_t *v) {
  MDB_val k = {strlen(key), (void *)key}, d;
  *v = 0;
  int rc = mdb_get(t, dbi, &k, &d);
  if (rc == MDB_NOTFOUND) return 0;
  if (rc) return rc;
  if (d.mv_size == 8) memcpy(v, d.mv_data, 8);
  else if (d.mv_size == 4) {
    uint32_t x;
    memcpy(&x, d.mv_data, 4);
    *v = x;
  }
  return 0;
}

static int put_u64(MDB_txn *t, MDB_dbi dbi, const char *key, uint64_t v) {
  MDB_val k = {strlen(key), (void *)key}, d = {8, &v};
  return mdb_put(t, dbi, &k, &d, 0);
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

int vb_archive_open(vb_archive *a, const char *path, unsigned flags) {
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
  int rc = mdb_env_create(&a->env);
  if (rc) return mdb_fail(a, rc, "cannot create environment");
  mdb_env_set_maxdbs(a->env, 8);
  /* address space only: the file grows as documents arrive */
  mdb_env_set_mapsize(a->env, sizeof(size_t) >= 8 ? (size_t)1 << 40 : (size_t)1 << 30);
  mdb_env_set_maxreaders(a->env, 254);
  rc = mdb_env_open(a->env, path, MDB_NOSUBDIR | MDB_NOTLS | (ro ? MDB_RDONLY : 0), 0644);
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
    MDB_val k = {6, "format"}, d;
    int got = mdb_get(t, a->meta, &k, &d);
    if (got == MDB_NOTFOUND && !ro) {
      d.mv_size = sizeof FORMAT - 1;
      d.mv_data = FORMAT;
      rc = mdb_put(t, a->meta, &k, &d, 0);
    } else if (got) {
      rc = got;
    } else if (d.mv_size != sizeof FORMAT - 1 || memcmp(d.mv_data, FORMAT, d.mv_size) != 0) {
      mdb_txn_abort(t);
      return fail(a, VB_ERR_PARSE, "%s: not a verbatim archive (unknown format)", path);
    }
  }
  if (!rc && (rc = mdb_dbi_open(t, "names", create, &a->names)) != 0) what = "names";
  if (!rc && (rc = mdb_dbi_open(t, "docs", create | MDB_INTEGERKEY, &a->docs)) != 0) what = "docs";
  if (!rc && (rc = mdb_dbi_open(t, "fps", create | MDB_INTEGERKEY | MDB_DUPSORT | MDB_DUPFIXED |
                                              MDB_INTEGERDUP, &a->fps)) != 0)
    what = "fingerprints";
  if (!rc) rc = mdb_txn_commit(t);
  else mdb_txn_abort(t);
  if (rc == MDB_NOTFOUND) return fail(a, VB_ERR_PARSE, "%s: not a verbatim archive (no %s)", path, what);
  if (rc) return mdb_fail(a, rc, what);
  a->tok = vb_corpus_new();
  if (!a->tok) return fail(a, VB_ERR_NOMEM, "out of memory");
  return 0;
}

int vb_archive_commit(vb_archive *a) {
  if (!a || !a->wtxn) return 0;
  int rc = mdb_txn_commit(a->wtxn);
  a->wtxn = NULL;
  return rc ? mdb_fail(a, rc, "cannot commit") : 0;
}

int vb_archive_close(vb_archive *a) {
  if (!a) return 0;
  int rc = vb_archive_commit(a);
  if (a->env) mdb_env_close(a->env);
  vb_corpus_free(a->tok);
  free(a->path);
  free(a);
  return rc;
}

static int write_txn(vb_archive *a) {
  if (!a || !a->env) return VB_ERR_INVALID;
  if (a->flags & VB_ARCHIVE_READONLY) return fail(a, VB_ERR_INVALID, "%s: opened read-only", a->path);
  if (a->wtxn) return 0;
  int rc = mdb_txn_begin(a->env, NULL, 0, &a->wtxn);
  return rc ? mdb_fail(a, rc, "cannot begin writing") : 0;
}

/* The fingerprints of a text, through the tokenizer the corpus uses. */
static int text_fingerprints(vb_archive *a, const char *bytes, size_t len, uint32_t **fps, size_t *n) {
  *fps = NULL;
  *n = 0;
  int id = vb_corpus_add(a->tok, "archive", bytes, len, VB_DOC_SOURCE);
  if (id < 0) return fail(a, id, "%s", vb_corpus_error(a->tok));
  int rc = vb_doc_fingerprints(vb_get_doc(a->tok, id), fps, n);
  vb_corpus_remove(a->tok, id);
  return rc ? fail(a, rc, "out of memory") : 0;
}

/* Drop document `id` (its record, name and postings) inside the write
 * transaction; the record's text length is subtracted from the totals. */
static int drop_doc(vb_archive *a, uint32_t id) {
  MDB_txn *t = a->wtxn;
  MDB_val k = {sizeof id, &id}, d;
  int rc = mdb_get(t, a->docs, &k, &d);
  if (rc) return mdb_fail(a, rc, "missing document record");
  if (d.mv_size < HEADER) return fail(a, VB_ERR_PARSE, "%s: damaged document record", a->path);
  const unsigned char *r = d.mv_data;
  uint32_t tlen, nfps, nlen;
  memcpy(&tlen, r + 8, 4);
  memcpy(&nfps, r + 12, 4);
  memcpy(&nlen, r + 16, 4);
  if (HEADER + (size_t)nlen + 4 * (size_t)nfps > d.mv_size)
    return fail(a, VB_ERR_PARSE, "%s: damaged document record", a->path);
  size_t stored = d.mv_size - HEADER - nlen - 4 * (size_t)nfps;
  uint32_t *fps = malloc(4 * (size_t)nfps + 1);
  char *name = malloc(nlen + 1);
  if (!fps || !name) {
    free(fps);
    free(name);
    return fail(a, VB_ERR_NOMEM, "out of memory");
  }
  memcpy(name, r + HEADER, nlen);
  memcpy(fps, r + HEADER + nlen, 4 * (size_t)nfps);
  for (uint32_t i = 0; i < nfps && !rc; i++) {
    MDB_val fk = {4, &fps[i]}, fv = {4, &id};
    rc = mdb_del(t, a->fps, &fk, &fv);
    if (rc == MDB_NOTFOUND) rc = 0;
  }
  MDB_val nk = {nlen, name};
  if (!rc) rc = mdb_del(t, a->names, &nk, NULL);
  if (rc == MDB_NOTFOUND) rc = 0;
  if (!rc) rc = mdb_del(t, a->docs, &k, NULL);
  uint64_t text, st;
  if (!rc) rc = get_u64(t, a->meta, "text", &text);
  if (!rc) rc = get_u64(t, a->meta, "stored", &st);
  if (!rc) rc = put_u64(t, a->meta, "text", text - tlen);
  if (!rc) rc = put_u64(t, a->meta, "stored", st - stored);
  free(fps);
  free(name);
  return rc ? mdb_fail(a, rc, "cannot remove") : 0;
}

/* The id stored under a name: 1 found, 0 not, negative on error. */
static int find_name(vb_archive *a, MDB_txn *t, const char *name, uint32_t *id) {
  MDB_val k = {strlen(name), (void *)name}, d;
  int rc = mdb_get(t, a->names, &k, &d);
  if (rc == MDB_NOTFOUND) return 0;
  if (rc) return mdb_fail(a, rc, "cannot read names");
  if (d.mv_size != 4) return fail(a, VB_ERR_PARSE, "%s: damaged name record", a->path);
  memcpy(id, d.mv_data, 4);
  return 1;
}

int vb_archive_add(vb_archive *a, const char *name, const char *bytes, size_t len) {
  int rc;
  if (!name || (!bytes && len) || !*name) return a ? fail(a, VB_ERR_INVALID, "no name or text") : VB_ERR_INVALID;
  if (len > UINT32_MAX || strlen(name) > 4000)
    return fail(a, VB_ERR_LIMIT, "%s: too large for the archive", name);
  if ((rc = write_txn(a)) < 0) return rc;
  MDB_txn *t = a->wtxn;
  uint64_t hash = fnv64(bytes, len);
  uint32_t old = 0;
  int had = find_name(a, t, name, &old);
  if (had < 0) return had;
  if (had) {
    MDB_val k = {4, &old}, d;
    if (mdb_get(t, a->docs, &k, &d) == 0 && d.mv_size >= HEADER) {
      uint64_t h;
      uint32_t tl;
      memcpy(&h, d.mv_data, 8);
      memcpy(&tl, (char *)d.mv_data + 8, 4);
      if (h == hash && tl == len) return 0;
    }
    if ((rc = drop_doc(a, old)) < 0) return rc;
  }
  uint32_t *fps;
  size_t nfps;
  if ((rc = text_fingerprints(a, bytes, len, &fps, &nfps)) < 0) return rc;
  uLongf clen = compressBound((uLong)len);
  size_t nlen = strlen(name);
  size_t cap = HEADER + nlen + 4 * nfps + clen;
  unsigned char *rec = malloc(cap);
  if (!rec) {
    free(fps);
    return fail(a, VB_ERR_NOMEM, "out of memory");
  }
  unsigned char *z = rec + HEADER + nlen + 4 * nfps;
  if (compress2(z, &clen, (const Bytef *)bytes, (uLong)len, 6) != Z_OK) {
    free(fps);
    free(rec);
    return fail(a, VB_ERR_INTERNAL, "%s: compression failed", name);
  }
  uint32_t tl = (uint32_t)len, nf = (uint32_t)nfps, nl = (uint32_t)nlen;
  memcpy(rec, &hash, 8);
  memcpy(rec + 8, &tl, 4);
  memcpy(rec + 12, &nf, 4);
  memcpy(rec + 16, &nl, 4);
  memcpy(rec + HEADER, name, nlen);
  if (nfps) memcpy(rec + HEADER + nlen, fps, 4 * nfps);
  uint64_t next, text, stored;
  rc = get_u64(t, a->meta, "next", &next);
  if (!rc && next >= UINT32_MAX) rc = MDB_MAP_FULL;
  uint32_t id = (uint32_t)next;
  MDB_val k = {4, &id}, d = {HEADER + nlen + 4 * nfps + clen, rec};
  if (!rc) rc = mdb_put(t, a->docs, &k, &d, MDB_APPEND);
  MDB_val nk = {nlen, (void *)name}, nv = {4, &id};
  if (!rc) rc = mdb_put(t, a->names, &nk, &nv, 0);
  for (size_t i = 0; i < nfps && !rc; i++) {
    MDB_val fk = {4, &fps[i]}, fv = {4, &id};
    rc = mdb_put(t, a->fps, &fk, &fv, 0);
  }
  if (!rc) rc = put_u64(t, a->meta, "next", next + 1);
  if (!rc) rc = get_u64(t, a->meta, "text", &text);
  if (!rc) rc = get_u64(t, a->meta, "stored", &stored);
  if (!rc) rc = put_u64(t, a->meta, "text", text + len);
  if (!rc) rc = put_u64(t, a->meta, "stored", stored + clen);
  free(fps);
  free(rec);
  if (rc) {
    mdb_txn_abort(a->wtxn);
    a->wtxn = NULL;
    return mdb_fail(a, rc, "cannot add (uncommitted additions are lost)");
  }
  return had ? 1 : 2;
}

int vb_archive_remove(vb_archive *a, const char *name) {
  int rc;
  if (!name) return VB_ERR_INVALID;
  if ((rc = write_txn(a)) < 0) return rc;
  uint32_t id = 0;
  int had = find_name(a, a->wtxn, name, &id);
  if (had <= 0) return had;
  if ((rc = drop_doc(a, id)) < 0) return rc;
  return 1;
}

/* A read transaction: the pending write one when there is one. */
static int read_txn(vb_archive *a, MDB_txn **t) {
  if (!a || !a->env) return VB_ERR_INVALID;
  if (a->wtxn) {
    *t = a->wtxn;
    return 0;
  }
  int rc = mdb_txn_begin(a->env, NULL, MDB_RDONLY, t);
  return rc ? mdb_fail(a, rc, "cannot begin reading") : 0;
}

static void end_read(vb_archive *a, MDB_txn *t) {
  if (t != a->wtxn) mdb_txn_abort(t);
}

int vb_archive_stat(vb_archive *a, vb_archive_stats *out) {
  MDB_txn *t;
  int rc = read_txn(a, &t);
  if (rc < 0) return rc;
  memset(out, 0, sizeof *out);
  MDB_stat st;
  if (!(rc = mdb_stat(t, a->docs, &st))) out->documents = st.ms_entries;
  if (!rc && !(rc = mdb_stat(t, a->fps, &st))) {
    /* entries counts every posting of a DUPSORT database: count keys */
    MDB_cursor *c;
    MDB_val k, d;
    if (!(rc = mdb_cursor_open(t, a->fps, &c))) {
      for (int r = mdb_cursor_get(c, &k, &d, MDB_FIRST); r == 0; r = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP))
        out->fingerprints++;
      mdb_cursor_close(c);
    }
  }
  if (!rc) rc = get_u64(t, a->meta, "text", &out->text_bytes);
  if (!rc) rc = get_u64(t, a->meta, "stored", &out->stored_bytes);
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

int vb_archive_find_sources(vb_archive *a, const char *bytes, size_t len, size_t max,
                            size_t min_shared, vb_archive_hit **hits, size_t *n) {
  *hits = NULL;
  *n = 0;
  uint32_t *fps;
  size_t nfps;
  int rc = text_fingerprints(a, bytes, len, &fps, &nfps);
  if (rc < 0) return rc;
  MDB_txn *t;
  if ((rc = read_txn(a, &t)) < 0) {
    free(fps);
    return rc;
  }
  MDB_stat st;
  double ndocs = 1;
  if (mdb_stat(t, a->docs, &st) == 0 && st.ms_entries) ndocs = (double)st.ms_entries;
  size_t cap = 1024, used = 0;
  acc *tab = calloc(cap, sizeof *tab); /* open addressing on id + 1 */
  MDB_cursor *c = NULL;
  rc = tab ? mdb_cursor_open(t, a->fps, &c) : ENOMEM;
  for (size_t i = 0; i < nfps && !rc; i++) {
    MDB_val k = {4, &fps[i]}, d;
    int r = mdb_cursor_get(c, &k, &d, MDB_SET);
    if (r == MDB_NOTFOUND) continue;
    if (r) {
      rc = r;
      break;
    }
    size_t df;
    if ((r = mdb_cursor_count(c, &df)) || df > COMMON_MAX) {
      rc = r;
      continue;
    }
    double w = log(1.0 + ndocs / (double)df); /* rare fingerprints weigh most */
    for (r = mdb_cursor_get(c, &k, &d, MDB_GET_MULTIPLE); r == 0;
         r = mdb_cursor_get(c, &k, &d, MDB_NEXT_MULTIPLE)) {
      const uint32_t *ids = d.mv_data;
      for (size_t j = 0; j < d.mv_size / 4; j++) {
        if (2 * (used + 1) > cap) {
          acc *bigger = calloc(2 * cap, sizeof *bigger);
          if (!bigger) {
            rc = ENOMEM;
            break;
          }
          for (size_t s = 0; s < cap; s++) {
            if (!tab[s].shared) continue;
            size_t h = (tab[s].id * 2654435761u) & (2 * cap - 1);
            while (bigger[h].shared) h = (h + 1) & (2 * cap - 1);
            bigger[h] = tab[s];
          }
          free(tab);
          tab = bigger;
          cap *= 2;
        }
        size_t h = (ids[j] * 2654435761u) & (cap - 1);
        while (tab[h].shared && tab[h].id != ids[j]) h = (h + 1) & (cap - 1);
        if (!tab[h].shared) {
          tab[h].id = ids[j];
          used++;
        }
        tab[h].shared++;
        tab[h].score += w;
      }
      if (rc) break;
    }
  }
  if (c) mdb_cursor_close(c);
  end_read(a, t);
  free(fps);
  if (rc) {
    free(tab);
    return rc == ENOMEM ? fail(a, VB_ERR_NOMEM, "out of memory") : mdb_fail(a, rc, "cannot search");
  }
  vb_archive_hit *out = malloc((used ? used : 1) * sizeof *out);
  if (!out) {
    free(tab);
    return fail(a, VB_ERR_NOMEM, "out of memory");
  }
  size_t m = 0;
  for (size_t s = 0; s < cap; s++)
    if (tab[s].shared && tab[s].shared >= min_shared)
      out[m++] = (vb_archive_hit){tab[s].id, tab[s].score, tab[s].shared};
  free(tab);
  qsort(out, m, sizeof *out, by_score);
  *hits = out;
  *n = m < max ? m : max;
  return 0;
}

int vb_archive_get(vb_archive *a, uint32_t id, char **name, char **text, size_t *len) {
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
  const unsigned char *r = d.mv_data;
  uint32_t tl, nf, nl;
  int bad = d.mv_size < HEADER;
  if (!bad) {
    memcpy(&tl, r + 8, 4);
    memcpy(&nf, r + 12, 4);
    memcpy(&nl, r + 16, 4);
    bad = HEADER + (size_t)nl + 4 * (size_t)nf > d.mv_size;
  }
  if (bad) {
    end_read(a, t);
    return fail(a, VB_ERR_PARSE, "%s: damaged record of document %u", a->path, (unsigned)id);
  }
  size_t off = HEADER + nl + 4 * (size_t)nf;
  char *nm = malloc(nl + 1), *tx = malloc((size_t)tl + 1);
  uLongf got = tl;
  int z = Z_MEM_ERROR;
  if (nm && tx) {
    memcpy(nm, r + HEADER, nl);
    nm[nl] = '\0';
    z = uncompress((Bytef *)tx, &got, r + off, (uLong)(d.mv_size - off));
  }
  end_read(a, t);
  if (z != Z_OK || got != tl) {
    free(nm);
    free(tx);
    return z == Z_MEM_ERROR ? fail(a, VB_ERR_NOMEM, "out of memory")
                            : fail(a, VB_ERR_PARSE, "%s: damaged text of document %u", a->path, (unsigned)id);
  }
  tx[tl] = '\0';
  *name = nm;
  *text = tx;
  *len = tl;
  return 0;
}

int vb_archive_merge(vb_archive *a, vb_archive *from) {
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
    if (nids == cids) {
      cids = cids ? 2 * cids : 256;
      uint32_t *more = realloc(ids, cids * sizeof *ids);
      if (!more) break;
      ids = more;
    }
    memcpy(&ids[nids++], k.mv_data, 4);
  }
  mdb_cursor_close(c);
  end_read(from, t);
  int count = 0;
  rc = 0;
  for (size_t i = 0; i < nids && rc >= 0; i++) {
    char *name, *text;
    size_t len;
    rc = vb_archive_get(from, ids[i], &name, &text, &len);
    if (rc < 0) {
      fail(a, rc, "%s", from->err);
      break;
    }
    rc = vb_archive_add(a, name, text, len);
    if (rc > 0) count++;
    free(name);
    free(text);
  }
  free(ids);
  return rc < 0 ? rc : count;
}
