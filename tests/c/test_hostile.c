/* Hostile and odd input: every case gets a defined result (a clear error or
 * a well-formed analysis) in bounded time and memory.
 *
 * Heavy cases run in a child process, so that a crash or a hang fails that
 * case alone and its peak memory can be read from wait4(). Sizes shrink when
 * VB_VALGRIND is set (valgrind runs code about fifty times slower). */
#define _DEFAULT_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static int under_valgrind, under_san;
#define MB ((size_t)1 << 20)

/* ------------------------------------------------------------ child checks */

/* In a child, checks are written to a pipe as "1 text" / "0 text" lines and
 * turned into TAP lines by the parent. */
static FILE *child_out;

#define check(cond, ...)                                                      \
  do {                                                                        \
    int c_ok_ = !!(cond);                                                     \
    if (child_out) {                                                          \
      fprintf(child_out, "%d ", c_ok_);                                       \
      fprintf(child_out, __VA_ARGS__);                                        \
      fputc('\n', child_out);                                                 \
      fflush(child_out);                                                      \
    } else                                                                    \
      ok(c_ok_, __VA_ARGS__);                                                 \
  } while (0)

/* Every public view of a document is well formed. */
static int views_ok(vb_corpus *c, int id) {
  size_t len = 0, ne = 0, nq = 0;
  if (!vb_doc_bytes(c, id, &len)) return 0;
  const vb_entity *e = vb_doc_entities(c, id, &ne);
  for (size_t i = 0; i < ne; i++)
    if (e[i].start >= e[i].end || e[i].end > len || !e[i].text || !e[i].canonical) return 0;
  const vb_quote *q = vb_doc_quotes(c, id, &nq);
  for (size_t i = 0; i < nq; i++)
    if (q[i].start > q[i].inner_start || q[i].inner_start > q[i].inner_end ||
        q[i].inner_end > q[i].end || q[i].end > len || !q[i].text)
      return 0;
  return 1;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run fn in a child with a time limit; then check that it exited cleanly,
 * in time, and within max_rss bytes of peak memory (0: no memory bound). */
static void run_case(const char *name, void (*fn)(void), unsigned seconds, size_t max_rss) {
  int fds[2];
  if (pipe(fds) != 0) {
    ok(0, "%s: pipe", name);
    return;
  }
  fflush(stdout);
  double t0 = now();
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    child_out = fdopen(fds[1], "w");
    alarm(seconds);
    fn();
    fclose(child_out);
    _exit(0);
  }
  close(fds[1]);
  FILE *in = fdopen(fds[0], "r");
  char line[512];
  while (in && fgets(line, sizeof line, in)) {
    line[strcspn(line, "\n")] = '\0';
    ok(line[0] == '1', "%s: %s", name, line + 2);
  }
  if (in) fclose(in);
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  wait4(pid, &status, 0, &ru);
  double secs = now() - t0;
  size_t rss = (size_t)ru.ru_maxrss * 1024;
  int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  ok(clean, "%s: finishes within %u s without a crash", name, seconds);
  if (!clean && WIFSIGNALED(status))
    diag("%s: killed by signal %d%s", name, WTERMSIG(status),
         WTERMSIG(status) == SIGALRM ? " (time limit)" : "");
  diag("%s: %.2f s, peak memory %.1f MB", name, secs, (double)rss / MB);
  if (max_rss && !under_san && !under_valgrind)
    ok(rss <= max_rss, "%s: peak memory %.1f MB is within %.1f MB", name, (double)rss / MB,
       (double)max_rss / MB);
}

/* ---------------------------------------------------------- invalid UTF-8 */

static void test_invalid_utf8(void) {
  static const struct {
    const char *what, *bytes;
  } cases[] = {
      {"overlong slash (2 bytes)", "\xC0\xAF"},
      {"overlong slash (3 bytes)", "\xE0\x80\xAF"},
      {"overlong slash (4 bytes)", "\xF0\x80\x80\xAF"},
      {"overlong NUL", "\xC0\x80"},
      {"high surrogate", "\xED\xA0\x80"},
      {"low surrogate", "\xED\xBF\xBF"},
      {"surrogate pair encoded as UTF-8", "\xED\xA0\xBD\xED\xB8\x80"},
      {"truncated 3-byte sequence", "\xE2\x80"},
      {"truncated 4-byte sequence", "\xF0\x9F\x98"},
      {"lone continuation byte", "\x80"},
      {"bytes FE and FF", "\xFE\xFF"},
      {"code point past U+10FFFF", "\xF4\x90\x80\x80"},
      {"5-byte form", "\xF8\x88\x80\x80\x80"},
  };
  vb_corpus *c = vb_corpus_new();
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    /* The bad bytes in the middle, at the end, and with valid multi-byte
     * text around them. */
    char doc[256];
    int n = snprintf(doc, sizeof doc,
                     "Ada Quell said \xE2\x80\x9C" "caf\xC3\xA9 %s now\xE2\x80\x9D on Tuesday. %s",
                     cases[k].bytes, cases[k].bytes);
    int id = vb_corpus_add(c, "bad", doc, (size_t)n, 0);
    ok(id >= 0, "%s: analysed", cases[k].what);
    if (id < 0) continue;
    size_t len = 0;
    const char *got = vb_doc_bytes(c, id, &len);
    ok(len == (size_t)n && memcmp(got, doc, len) == 0, "%s: bytes kept exactly", cases[k].what);
    ok(vb_doc_encoding(c, id) != VB_ENC_UTF8, "%s: not taken for valid UTF-8", cases[k].what);
    ok(views_ok(c, id), "%s: entities and quotes well formed", cases[k].what);
    /* Tokens map back to original bytes: "Quell" is still at 4..9. */
    vb_doc *d = vb_get_doc(c, id);
    int found = 0;
    for (size_t t = 0; t < d->ntoks; t++) {
      size_t s = vb_orig(d, d->toks[t].start), e = vb_orig(d, d->toks[t].end);
      if (e - s == 5 && memcmp(doc + s, "Quell", 5) == 0 && s == 4) found = 1;
      if (s > e || e > len) found = -1000;
    }
    ok(found == 1, "%s: token offsets point into the original bytes", cases[k].what);
    size_t nq = 0;
    const vb_quote *q = vb_doc_quotes(c, id, &nq);
    for (size_t i = 0; i < nq; i++)
      ok(memcmp(doc + q[i].start, "\xE2\x80\x9C", 3) == 0,
         "%s: quote %zu starts at its mark in the original bytes", cases[k].what, i);
    vb_corpus_remove(c, id);
  }
  /* Latin-1 / Windows-1252 text and a mostly-UTF-8 text with one bad byte. */
  const char *latin1 = "The caf\xE9 in K\xF6ln said \x93yes\x94.";
  int id = vb_corpus_add(c, "latin1", latin1, strlen(latin1), 0);
  is_int(vb_doc_encoding(c, id), VB_ENC_CP1252, "Windows-1252 text is read as Windows-1252");
  ok(views_ok(c, id), "Windows-1252 text: views well formed");
  const char *mostly = "\xE2\x80\x9CYes,\xE2\x80\x9D she said in K\xC3\xB6ln \xFF today.";
  id = vb_corpus_add(c, "mostly", mostly, strlen(mostly), 0);
  is_int(vb_doc_encoding(c, id), VB_ENC_REPAIRED, "mostly UTF-8 with a stray byte is repaired");
  ok(views_ok(c, id), "repaired text: views well formed");
  vb_corpus_free(c);
}

/* --------------------------------------------------------------- NUL bytes */

static void test_nul_bytes(void) {
  vb_corpus *c = vb_corpus_new();
  static const char doc[] = "Ada\0Quell said \"we\0are ready\" on Tuesday.\0\0\nNext line.";
  size_t n = sizeof doc - 1;
  int id = vb_corpus_add(c, "nul", doc, n, 0);
  ok(id >= 0, "NUL bytes: analysed");
  size_t len = 0;
  const char *got = vb_doc_bytes(c, id, &len);
  ok(len == n && memcmp(got, doc, n) == 0, "NUL bytes: every byte kept, length exact");
  ok(views_ok(c, id), "NUL bytes: views well formed");
  size_t line = 0, col = 0;
  vb_doc_position(c, id, n - 1, &line, &col);
  ok(line == 2 && col == 10, "NUL bytes: positions count past them (got %zu:%zu)", line, col);
  vb_doc *d = vb_get_doc(c, id);
  ok(d->ntoks >= 8, "NUL bytes separate words like spaces (%zu tokens)", d->ntoks);
  vb_corpus_free(c);
}

/* ---------------------------------------------------------- empty, CRLF, BOM */

static void test_empty(void) {
  vb_corpus *c = vb_corpus_new();
  int id = vb_corpus_add(c, "empty", NULL, 0, 0);
  ok(id >= 0, "empty document: analysed");
  size_t ne = 9, nq = 9, line = 0, col = 0, ps = 9, pe = 9;
  vb_doc_entities(c, id, &ne);
  vb_doc_quotes(c, id, &nq);
  ok(ne == 0 && nq == 0, "empty document: no entities, no quotes");
  ok(vb_doc_position(c, id, 0, &line, &col) == 0 && line == 1 && col == 1,
     "empty document: offset 0 is 1:1");
  ok(vb_doc_paragraph(c, id, 0, &ps, &pe) == 0 && ps == 0 && pe == 0,
     "empty document: empty paragraph");
  int id2 = vb_corpus_add(c, "spaces", " \n\n \t\r\n", 7, 0);
  ok(id2 >= 0 && views_ok(c, id2), "white space only: analysed");
  vb_report *r = NULL;
  ok(vb_check(c, id, &r) >= 0 && r && r->n_diagnostics == 0, "empty document: checks clean");
  vb_report_free(r);
  vb_alignment *a = NULL;
  ok(vb_align(c, id, &a) >= 0 && a && a->n_spans == 0, "empty document: aligns to nothing");
  vb_alignment_free(a);
  ok(vb_corpus_replace(c, id2, "", 0) == 0, "replacing with empty text works");
  vb_corpus_free(c);
}

static void test_crlf_bom(void) {
  vb_corpus *c = vb_corpus_new();
  static const char doc[] = "\xEF\xBB\xBF" "Ada Quell spoke.\r\n\r\nTomas Brenn replied.\r\n";
  size_t n = sizeof doc - 1;
  int id = vb_corpus_add(c, "crlf", doc, n, 0);
  ok(id >= 0, "CRLF and BOM: analysed");
  is_int(vb_doc_encoding(c, id), VB_ENC_UTF8, "CRLF and BOM: valid UTF-8");
  vb_doc *d = vb_get_doc(c, id);
  ok(d->ntoks > 0 && d->toks[0].start == 3, "the BOM is skipped: the first word starts at byte 3");
  is_int(d->nparas, 2, "CRLF blank line separates paragraphs");
  int cr_in_token = 0;
  for (size_t t = 0; t < d->ntoks; t++)
    for (uint32_t i = d->toks[t].start; i < d->toks[t].end; i++) cr_in_token |= d->text[i] == '\r';
  ok(!cr_in_token, "no token contains a CR");
  size_t line = 0, col = 0;
  const char *second = strstr(doc, "Tomas");
  vb_doc_position(c, id, (size_t)(second - doc), &line, &col);
  ok(line == 3 && col == 1, "CRLF: positions count lines (got %zu:%zu)", line, col);
  size_t ps = 0, pe = 0;
  vb_doc_paragraph(c, id, (size_t)(second - doc), &ps, &pe);
  ok(ps == (size_t)(second - doc), "CRLF: the second paragraph starts at its first word");
  /* A lone CR (old Mac files) and a BOM with nothing after it. */
  ok(vb_corpus_add(c, "cr", "One.\rTwo.\r\rThree.", 16, 0) >= 0, "lone CRs: analysed");
  int b = vb_corpus_add(c, "bom", "\xEF\xBB\xBF", 3, 0);
  ok(b >= 0 && vb_get_doc(c, b)->ntoks == 0, "a BOM alone: no tokens");
  vb_corpus_free(c);
}

/* ------------------------------------------------------------- heavy cases */

static size_t big_size(size_t full) { return under_valgrind ? full / 50 : full; }

static void huge_line(void) {
  /* News-like sentences with no newline at all. */
  size_t want = big_size(100 * MB);
  static const char sentence[] = "The council met on Tuesday and Mayor Tomas Brenn said the pier "
                                 "would reopen in May after repairs costing $2 million. ";
  size_t sl = sizeof sentence - 1;
  char *s = malloc(want);
  size_t n = 0;
  while (n + sl <= want) {
    memcpy(s + n, sentence, sl);
    n += sl;
  }
  vb_corpus *c = vb_corpus_new();
  int id = vb_corpus_add(c, "huge", s, n, 0);
  check(id >= 0, "%zu MB with no newline: analysed (%s)", n / MB, id < 0 ? vb_corpus_error(c) : "ok");
  free(s); /* the corpus keeps its own copy */
  if (id >= 0) {
    vb_doc *d = vb_get_doc(c, id);
    check(d->nparas == 1, "one paragraph (got %zu)", d->nparas);
    check(d->nsents >= n / sl, "one sentence per sentence (got %zu)", d->nsents);
    size_t line = 0, col = 0;
    vb_doc_position(c, id, n, &line, &col);
    check(line == 1 && col == n + 1, "the end is on line 1");
    check(views_ok(c, id), "views well formed");
  }
  vb_corpus_free(c);
}

static void huge_word(void) {
  size_t n = big_size(20 * MB);
  char *s = malloc(n);
  memset(s, 'a', n);
  vb_corpus *c = vb_corpus_new();
  int id = vb_corpus_add(c, "word", s, n, 0);
  free(s);
  check(id >= 0, "one %zu MB word: analysed", n / MB);
  if (id >= 0) check(vb_get_doc(c, id)->ntoks == 1, "one token");
  vb_corpus_free(c);
}

static void million_marks(void) {
  size_t n = under_valgrind ? 20000 : 1000000;
  vb_corpus *c = vb_corpus_new();
  char *s = malloc(n * 3);
  /* Straight marks alone, then curly pairs, then marks between words. */
  memset(s, '"', n);
  int id = vb_corpus_add(c, "straight", s, n, 0);
  check(id >= 0 && views_ok(c, id), "%zu straight double quotes: analysed", n);
  for (size_t i = 0; i < n; i++) memcpy(s + 3 * i, i % 2 ? "\xE2\x80\x9D" : "\xE2\x80\x9C", 3);
  id = vb_corpus_add(c, "curly", s, 3 * n, 0);
  size_t nq = 0;
  vb_doc_quotes(c, id, &nq);
  check(id >= 0 && views_ok(c, id), "%zu curly quotes: analysed", n);
  check(nq <= n / 2, "at most one quotation per pair of marks (%zu)", nq);
  for (size_t i = 0; i < n; i++) memcpy(s + 3 * i, i % 3 == 0 ? "\"a " : i % 3 == 1 ? "b\" " : "'c ", 3);
  id = vb_corpus_add(c, "mixed", s, 3 * n, 0);
  check(id >= 0 && views_ok(c, id), "%zu marks between words: analysed", n);
  memset(s, '\'', n);
  id = vb_corpus_add(c, "single", s, n, 0);
  check(id >= 0 && views_ok(c, id), "%zu apostrophes: analysed", n);
  free(s);
  vb_report *r = NULL;
  check(vb_check(c, id, &r) >= 0, "checking them works");
  vb_report_free(r);
  vb_corpus_free(c);
}

static void nested_quotes(void) {
  size_t depth = under_valgrind ? 2000 : 100000;
  static const char *open[] = {"\xE2\x80\x9C", "\xE2\x80\x98", "\"", "'", "\xC2\xAB"};
  static const char *close[] = {"\xE2\x80\x9D", "\xE2\x80\x99", "\"", "'", "\xC2\xBB"};
  vb_buf b = {0};
  vb_buf_append(&b, "Ada Quell said ", 15);
  for (size_t i = 0; i < depth; i++) {
    vb_buf_append(&b, open[i % 5], strlen(open[i % 5]));
    vb_buf_append(&b, "word ", 5);
  }
  for (size_t i = depth; i-- > 0;) {
    vb_buf_append(&b, " end", 4);
    vb_buf_append(&b, close[i % 5], strlen(close[i % 5]));
  }
  vb_buf_append(&b, ", she added.\n", 13);
  vb_corpus *c = vb_corpus_new();
  int id = vb_corpus_add(c, "nested", b.data, b.len, 0);
  check(id >= 0 && views_ok(c, id), "quotes nested %zu deep: analysed", depth);
  vb_report *r = NULL;
  check(vb_check(c, id, &r) >= 0, "checking them works");
  vb_report_free(r);
  vb_buf_free(&b);
  vb_corpus_free(c);
}

/* One sentence that never ends, full of short quotations, names and
 * pronouns: every search for a quotation's speaker must stay bounded. */
static void run_on_quotes(void) {
  size_t words = under_valgrind ? 20000 : 400000;
  static const char *pick[] = {"the ", "plan ", "was ", "Quell ", "he ", "a ", "\"bold\" ",
                               "\"very bold move\" ", "and ", "then ", "they "};
  vb_buf b = {0};
  vb_buf_append(&b, "And ", 4); /* a clause with no subject before the first quotation */
  uint32_t seed = 12345;
  for (size_t i = 0; i < words; i++) {
    seed = seed * 1103515245u + 12345u;
    const char *w = pick[(seed >> 16) % 11];
    vb_buf_append(&b, w, strlen(w));
  }
  vb_corpus *c = vb_corpus_new();
  int id = vb_corpus_add(c, "run-on", b.data, b.len, 0);
  check(id >= 0 && views_ok(c, id), "a %zu-word sentence of quotations: analysed", words);
  vb_buf_free(&b);
  vb_corpus_free(c);
}

static void only_punctuation(void) {
  size_t n = big_size(10 * MB);
  static const char punct[] = "!?.,;:-()[]{}/\\*&^%#@~`|<>=+_";
  char *s = malloc(n);
  for (size_t i = 0; i < n; i++) s[i] = punct[(i * 7) % (sizeof punct - 1)];
  vb_corpus *c = vb_corpus_new();
  int id = vb_corpus_add(c, "punct", s, n, 0);
  free(s);
  size_t ne = 9, nq = 9;
  vb_doc_entities(c, id, &ne);
  vb_doc_quotes(c, id, &nq);
  check(id >= 0, "%zu MB of punctuation: analysed", n / MB);
  check(ne == 0 && nq == 0, "no entities, no quotes (%zu, %zu)", ne, nq);
  vb_corpus_free(c);
}

static void many_documents(void) {
  size_t n = under_valgrind ? 2000 : 50000;
  vb_corpus *c = vb_corpus_new();
  int first = -1, last = -1, failed = 0;
  char doc[200];
  for (size_t i = 0; i < n; i++) {
    int len = snprintf(doc, sizeof doc,
                       "Councillor Name%zu said \"item %zu is approved\" on day %zu of the session.",
                       i, i, i % 365);
    int id = vb_corpus_add(c, "doc", doc, (size_t)len, i % 2 ? VB_DOC_SOURCE : 0);
    if (id < 0) failed++;
    if (first < 0) first = id;
    last = id;
  }
  check(failed == 0 && vb_corpus_count(c) == n, "%zu documents in one corpus", n);
  vb_report *r = NULL;
  check(vb_check(c, last - 1, &r) >= 0 && r, "checking one document against %zu others", n - 1);
  vb_report_free(r);
  vb_related *rel = NULL;
  size_t len = 0;
  vb_doc_bytes(c, first, &len);
  check(vb_find_related(c, first, 0, len, 5, &rel) >= 0 && rel && rel->n_passages <= 5,
        "related passages among %zu documents", n);
  vb_related_free(rel);
  for (size_t i = 0; i < n; i += 2) vb_corpus_remove(c, (int)i);
  check(vb_corpus_count(c) == n / 2, "removing half of them");
  vb_corpus_free(c);
}

/* ------------------------------------------------------------------ limits */

static int mentions(vb_corpus *c, const char *what) { return strstr(vb_corpus_error(c), what) != NULL; }

static void test_limits(void) {
  vb_corpus *c = vb_corpus_new();
  char doc[200];
  memset(doc, 'x', sizeof doc);
  ok(vb_corpus_set_option(c, "limit.doc_bytes", "100") == 0, "limit.doc_bytes can be set");
  is_str(vb_corpus_get_option(c, "limit.doc_bytes"), "100", "limit.doc_bytes reads back");
  ok(vb_corpus_add(c, "fits", doc, 100, 0) >= 0, "a document at the size limit is accepted");
  int rc = vb_corpus_add(c, "big", doc, 101, 0);
  is_int(rc, VB_ERR_LIMIT, "one byte over the size limit is refused");
  ok(mentions(c, "limit.doc_bytes"), "the error names limit.doc_bytes: %s", vb_corpus_error(c));
  is_int(vb_corpus_count(c), 1, "a refused document is not half-added");
  int id = vb_corpus_next(c, -1);
  rc = vb_corpus_replace(c, id, doc, 200);
  ok(rc == VB_ERR_LIMIT && mentions(c, "limit.doc_bytes"), "replacing with too much text is refused");
  size_t len = 0;
  vb_doc_bytes(c, id, &len);
  is_int(len, 100, "a refused replacement keeps the old text");

  ok(vb_corpus_set_option(c, "limit.docs", "3") == 0, "limit.docs can be set");
  ok(vb_corpus_add(c, "2", "b", 1, 0) >= 0 && vb_corpus_add(c, "3", "c", 1, 0) >= 0,
     "documents up to the limit are accepted");
  rc = vb_corpus_add(c, "4", "d", 1, 0);
  is_int(rc, VB_ERR_LIMIT, "one document over limit.docs is refused");
  ok(mentions(c, "limit.docs"), "the error names limit.docs: %s", vb_corpus_error(c));
  vb_corpus_remove(c, id);
  ok(vb_corpus_add(c, "4", "d", 1, 0) >= 0, "after a removal there is room again");

  static const char *bad[] = {"0", "-1", "", "ten", "12abc", "99999999999999999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ok(vb_corpus_set_option(c, "limit.docs", bad[i]) == VB_ERR_OPTION && mentions(c, "limit.docs"),
       "limit.docs = '%s' is a bad option naming the option", bad[i]);
    ok(vb_corpus_set_option(c, "limit.match", bad[i]) == VB_ERR_OPTION,
       "limit.match = '%s' is a bad option", bad[i]);
  }
  ok(vb_corpus_set_option(c, "limit.match", "4294967296") == VB_ERR_OPTION,
     "limit.match over 32 bits is refused");
  vb_corpus_free(c);

  /* The PCRE2 match limit: a document full of dates and sums, analysed with
   * a match limit of 1, either analyses or fails naming limit.match; it never
   * comes back silently without its dates. */
  static const char dated[] = "On March 3, 2024 the council spent $2.4 million, 12% of its "
                              "budget, and on 4 April 2024 another EUR 300,000.";
  c = vb_corpus_new();
  id = vb_corpus_add(c, "dated", dated, sizeof dated - 1, 0);
  size_t ne = 0, dates = 0;
  const vb_entity *e = vb_doc_entities(c, id, &ne);
  for (size_t i = 0; i < ne; i++) dates += e[i].type == VB_ENT_DATE || e[i].type == VB_ENT_MONEY;
  vb_corpus_remove(c, id);
  if (dates == 0) {
    printf("ok %d - # SKIP no date or money patterns to limit yet\n", ++tap_n);
  } else {
    ok(vb_corpus_set_option(c, "limit.match", "1") >= 0 || mentions(c, "limit.match"),
       "limit.match can be set to 1");
    id = vb_corpus_add(c, "dated", dated, sizeof dated - 1, 0);
    size_t ne2 = 0, dates2 = 0;
    if (id >= 0) {
      e = vb_doc_entities(c, id, &ne2);
      for (size_t i = 0; i < ne2; i++) dates2 += e[i].type == VB_ENT_DATE || e[i].type == VB_ENT_MONEY;
    }
    ok((id >= 0 && dates2 == dates) ||
           ((id == VB_ERR_LIMIT || id == VB_ERR_REGEX) && mentions(c, "limit.match")),
       "over the match limit: a full result or an error naming limit.match (%d: %s)", id,
       vb_corpus_error(c));
  }
  vb_corpus_free(c);

  /* Names files have a fixed ceiling of 64 MiB. */
  c = vb_corpus_new();
  size_t big = 64 * MB + 1;
  char *names = malloc(big);
  memset(names, 'a', big);
  rc = vb_corpus_load_names(c, names, big);
  ok(rc == VB_ERR_LIMIT, "a names file over 64 MiB is refused: %s", vb_corpus_error(c));
  free(names);
  vb_corpus_free(c);
}

/* ---------------------------------------------------------- bad arguments */

static void test_bad_arguments(void) {
  vb_corpus *c = vb_corpus_new();
  is_int(vb_corpus_add(NULL, "x", "y", 1, 0), VB_ERR_INVALID, "add to a NULL corpus");
  is_int(vb_corpus_add(c, "x", NULL, 5, 0), VB_ERR_INVALID, "NULL bytes with a length");
  ok(vb_corpus_add(c, NULL, "y", 1, 0) >= 0, "a NULL name is allowed");
  is_int(vb_corpus_replace(c, 99, "y", 1), VB_ERR_INVALID, "replace an unknown document");
  is_int(vb_corpus_remove(c, -5), VB_ERR_INVALID, "remove a negative id");
  size_t len = 7, line = 0, col = 0;
  ok(vb_doc_bytes(c, 42, &len) == NULL && len == 0, "bytes of an unknown document");
  is_int(vb_doc_position(c, 42, 0, &line, &col), VB_ERR_INVALID, "position in an unknown document");
  vb_report *r = NULL;
  ok(vb_check(c, 42, &r) < 0, "check an unknown document fails");
  vb_alignment *a = NULL;
  ok(vb_align(c, 42, &a) < 0, "align an unknown document fails");
  vb_related *rel = NULL;
  ok(vb_find_related(c, 42, 0, 1, 5, &rel) < 0, "related passages of an unknown document fail");
  ok(vb_find_related(c, 0, 10, 5, 5, &rel) < 0 || (rel && rel->n_passages == 0),
     "an inverted range is refused or finds nothing");
  vb_related_free(rel);
  is_int(vb_corpus_set_option(c, "no.such.option", "1"), VB_ERR_OPTION, "unknown option");
  ok(vb_corpus_get_option(c, "no.such.option") == NULL, "reading an unknown option gives NULL");
  vb_report_free(NULL);
  vb_alignment_free(NULL);
  vb_related_free(NULL);
  vb_corpus_free(NULL);
  ok(1, "freeing NULL is a no-op");
  vb_corpus_free(c);
}

int main(void) {
  under_valgrind = getenv("VB_VALGRIND") && *getenv("VB_VALGRIND");
  under_san = getenv("VB_SAN") && *getenv("VB_SAN");
  unsigned slow = under_valgrind ? 20 : under_san ? 10 : 1;

  test_invalid_utf8();
  test_nul_bytes();
  test_empty();
  test_crlf_bom();
  test_limits();
  test_bad_arguments();

  /* Time limits are generous (a slow machine must pass) but catch anything
   * worse than linear; memory bounds are per byte of text. */
  run_case("100 MB line", huge_line, 60 * slow, 20 * 100 * MB);
  run_case("huge word", huge_word, 30 * slow, 20 * 20 * MB);
  run_case("1,000,000 quotation marks", million_marks, 60 * slow, 0);
  run_case("nested quotes", nested_quotes, 30 * slow, 0);
  run_case("a run-on sentence of quotations", run_on_quotes, 30 * slow, 0);
  run_case("only punctuation", only_punctuation, 30 * slow, 0);
  run_case("50,000 documents", many_documents, 120 * slow, 0);
  return done_testing();
}
