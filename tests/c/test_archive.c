/* The on-disk archive through the library: add, replace, remove, commit,
 * postings that run over many blocks and runs, merged runs, queries before
 * a commit, merge of two archives, and files that are not this format. */
#include <lmdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "verbatim.h"

static char dir[256];

static const char *path_in(const char *name) {
  static char p[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
  return p[k];
}

/* A text of its own for document `i`: made-up words no other shares. */
static void own_text(char *buf, size_t cap, unsigned i, const char *extra) {
  size_t n = 0;
  n += (size_t)snprintf(buf + n, cap - n, "%s", extra ? extra : "");
  for (unsigned w = 0; w < 90 && n + 32 < cap; w++) {
    unsigned x = (i * 7919u + w * 104729u) ^ (w * 2654435761u);
    n += (size_t)snprintf(buf + n, cap - n, "%c%c%c%c%u ", 'b' + x % 20, 'a' + (x / 20) % 5 * 4,
                          'k' + (x / 100) % 12, 'o' + (x / 1200) % 6, i % 7);
    if (w % 15 == 14) n += (size_t)snprintf(buf + n, cap - n, "said the officer. ");
  }
}

static const char *shared_para =
    "The harbour board met on Tuesday evening and agreed that the old ferry pier "
    "would close for repairs before the winter storms arrived on the coast. ";

static vb_archive *open_at(const char *p, unsigned flags) {
  vb_archive *a = vb_archive_new();
  if (vb_archive_open(a, p, flags) < 0) diag("open %s: %s", p, vb_archive_error(a));
  return a;
}

static void test_basics(void) {
  const char *p = path_in("a.vba");
  vb_archive *a = open_at(p, 0);
  char buf[4096], draft[8192];
  for (unsigned i = 0; i < 30; i++) {
    char name[32];
    snprintf(name, sizeof name, "doc%u", i);
    own_text(buf, sizeof buf, i, i % 3 == 0 ? shared_para : NULL);
    is_int(vb_archive_add(a, name, buf, strlen(buf)), 2, "add %s: new", name);
  }
  /* before any commit: the pending postings are searched too */
  own_text(buf, sizeof buf, 7, NULL);
  snprintf(draft, sizeof draft, "A new lead paragraph for the draft. %s", buf);
  vb_archive_hit *hits;
  size_t n;
  ok(vb_archive_find_sources(a, draft, strlen(draft), 4, 3, &hits, &n) == 0 && n >= 1,
     "find before commit: hits");
  if (n) {
    char *name, *text;
    size_t len;
    ok(vb_archive_get(a, hits[0].id, &name, &text, &len) == 0, "get the best");
    is_str(name, "doc7", "the pending document ranks first");
    ok(len == strlen(buf) && memcmp(text, buf, len) == 0, "its text comes back exactly");
    vb_archive_release(name);
    vb_archive_release(text);
  }
  vb_archive_release(hits);
  is_int(vb_archive_commit(a), 0, "commit");
  own_text(buf, sizeof buf, 7, NULL);
  is_int(vb_archive_add(a, "doc7", buf, strlen(buf)), 0, "same content: unchanged");
  own_text(buf, sizeof buf, 107, NULL);
  is_int(vb_archive_add(a, "doc7", buf, strlen(buf)), 1, "other content: replaced");
  is_int(vb_archive_remove(a, "doc8"), 1, "remove: removed");
  is_int(vb_archive_remove(a, "doc8"), 0, "remove again: not there");
  is_int(vb_archive_commit(a), 0, "commit");
  /* the old doc7 text is found no more, the new one is */
  own_text(buf, sizeof buf, 7, NULL);
  ok(vb_archive_find_sources(a, buf, strlen(buf), 4, 3, &hits, &n) == 0, "find the replaced text");
  int old_found = 0;
  for (size_t i = 0; i < n; i++) {
    char *name, *text;
    size_t len;
    if (vb_archive_get(a, hits[i].id, &name, &text, &len) == 0) {
      if (strcmp(name, "doc7") == 0 && memcmp(text, buf, len < strlen(buf) ? len : strlen(buf)) == 0)
        old_found = 1;
      vb_archive_release(name);
      vb_archive_release(text);
    }
  }
  ok(!old_found, "a replaced text is not returned");
  vb_archive_release(hits);
  own_text(buf, sizeof buf, 8, NULL);
  ok(vb_archive_find_sources(a, buf, strlen(buf), 4, 3, &hits, &n) == 0 && n == 0,
     "a removed document is not found");
  vb_archive_release(hits);
  vb_archive_stats st;
  ok(vb_archive_stat(a, &st) == 0, "stat");
  is_int(st.documents, 29, "29 documents");
  ok(st.fingerprints > 0 && st.runs >= 1 && st.stored_bytes < st.text_bytes, "postings, runs, compressed");
  is_int(vb_archive_close(a), 0, "close");
}

/* A fingerprint shared by hundreds of documents fills many blocks; many
 * commits make many runs, merged down to a few. */
static void test_runs(void) {
  const char *p = path_in("r.vba");
  vb_archive *a = open_at(p, 0);
  char buf[4096];
  for (unsigned i = 0; i < 600; i++) {
    char name[32];
    snprintf(name, sizeof name, "r%u", i);
    own_text(buf, sizeof buf, 1000 + i, shared_para);
    vb_archive_add(a, name, buf, strlen(buf));
    if (i % 40 == 39) vb_archive_commit(a);
  }
  vb_archive_commit(a);
  for (unsigned i = 0; i < 600; i += 3) {
    char name[32];
    snprintf(name, sizeof name, "r%u", i);
    vb_archive_remove(a, name);
  }
  vb_archive_commit(a);
  vb_archive_stats st;
  vb_archive_stat(a, &st);
  is_int(st.documents, 400, "400 documents left");
  ok(st.runs >= 1 && st.runs <= 8, "15 commits leave at most 8 runs (%zu)", st.runs);
  vb_archive_hit *hits;
  size_t n;
  ok(vb_archive_find_sources(a, shared_para, strlen(shared_para), 500, 3, &hits, &n) == 0, "find the shared paragraph");
  is_int(n, 400, "every live document that has it, none removed");
  vb_archive_release(hits);
  own_text(buf, sizeof buf, 1000 + 301, NULL);
  ok(vb_archive_find_sources(a, buf, strlen(buf), 3, 3, &hits, &n) == 0 && n >= 1, "find one's own text");
  if (n) {
    char *name, *text;
    size_t len;
    vb_archive_get(a, hits[0].id, &name, &text, &len);
    is_str(name, "r301", "its own document first");
    vb_archive_release(name);
    vb_archive_release(text);
  }
  vb_archive_release(hits);
  vb_archive_close(a);

  /* merge into another archive */
  vb_archive *b = open_at(path_in("m.vba"), 0);
  vb_archive *from = open_at(p, VB_ARCHIVE_READONLY);
  own_text(buf, sizeof buf, 5, NULL);
  vb_archive_add(b, "r2", buf, strlen(buf)); /* replaced by the merge */
  is_int(vb_archive_merge(b, from), 400, "merge: 400 added or replaced");
  vb_archive_close(from);
  vb_archive_stat(b, &st);
  is_int(st.documents, 400, "merged archive: 400 documents");
  vb_archive_close(b);
}

/* An LMDB file with databases of its own, optionally a format key. */
static void make_lmdb(const char *p, const char *format) {
  MDB_env *env;
  MDB_txn *t;
  MDB_dbi dbi;
  mdb_env_create(&env);
  mdb_env_set_maxdbs(env, 4);
  mdb_env_open(env, p, MDB_NOSUBDIR, 0644);
  mdb_txn_begin(env, NULL, 0, &t);
  mdb_dbi_open(t, format ? "meta" : "other", MDB_CREATE, &dbi);
  MDB_val k = {6, "format"}, d = {format ? strlen(format) : 3, format ? (void *)format : "yes"};
  mdb_put(t, dbi, &k, &d, 0);
  if (format) { /* and the databases format 1 had */
    mdb_dbi_open(t, "docs", MDB_CREATE | MDB_INTEGERKEY, &dbi);
    mdb_dbi_open(t, "fps", MDB_CREATE | MDB_INTEGERKEY | MDB_DUPSORT, &dbi);
  }
  mdb_txn_commit(t);
  mdb_env_close(env);
}

static void test_formats(void) {
  const char *old = path_in("old.vba");
  make_lmdb(old, "verbatim-archive 1");
  for (int ro = 0; ro <= 1; ro++) {
    vb_archive *a = vb_archive_new();
    is_int(vb_archive_open(a, old, ro ? VB_ARCHIVE_READONLY : 0), VB_ERR_PARSE,
           "an archive of format 1 is refused (%s)", ro ? "read-only" : "read-write");
    ok(strstr(vb_archive_error(a), old) && strstr(vb_archive_error(a), "format 1"),
       "the message names the file and its format: %s", vb_archive_error(a));
    vb_archive_close(a);
  }
  const char *other = path_in("other.vba");
  make_lmdb(other, NULL);
  vb_archive *a = vb_archive_new();
  is_int(vb_archive_open(a, other, 0), VB_ERR_PARSE, "an LMDB file of something else is refused");
  ok(strstr(vb_archive_error(a), "not a verbatim archive") != NULL, "and said: %s", vb_archive_error(a));
  vb_archive_close(a);
  const char *future = path_in("future.vba");
  make_lmdb(future, "verbatim-archive 9");
  a = vb_archive_new();
  is_int(vb_archive_open(a, future, VB_ARCHIVE_READONLY), VB_ERR_PARSE, "a later format is refused");
  vb_archive_close(a);
}

static void rm_dir(void) {
  const char *names[] = {"a.vba", "r.vba", "m.vba", "old.vba", "other.vba", "future.vba"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char lock[600];
    unlink(path_in(names[i]));
    snprintf(lock, sizeof lock, "%s-lock", path_in(names[i]));
    unlink(lock);
  }
  rmdir(dir);
}

int main(void) {
  snprintf(dir, sizeof dir, "%s/vb-archive-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_basics();
  test_runs();
  test_formats();
  rm_dir();
  return done_testing();
}
