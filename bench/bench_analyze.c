/* bench_analyze: analysis throughput, index build speed and peak memory.
 *
 *   bench_analyze --generate DIR MB     write about MB megabytes of generated
 *                                       news articles to DIR/news-NNNN.txt
 *   bench_analyze [--label L] [--passes N] FILE...
 *                                       TSV rows: metric, value, unit
 *   bench_analyze --once FILE...        one analysis pass and nothing else
 *                                       (for callgrind: --toggle-collect=analyze_pass)
 *
 * Analysis is what vb_corpus_add() does for one document (decoding, tokens,
 * sentences, entities, quotations, speakers, index entry) plus building its
 * public views of entities and quotations. Throughput is the best of N
 * passes over all files, in CPU time of one core (other work on the machine
 * does not count). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "verbatim.h"

/* ------------------------------------------------------------- generator */

/* Word lists for the generated articles: invented people, places and
 * bodies, with ordinary news phrasing around them. */
static const char *const first_names[] = {
    "Ada",   "Tomas", "Lena",  "Ray",    "Marta", "Joaquin", "Priya", "Olu",   "Helga",  "Samir",
    "Nadia", "Pavel", "Grace", "Kenji",  "Ines",  "Farid",   "Ruth",  "Dmitri", "Amara", "Colm",
    "Yusuf", "Elena", "Bram",  "Chiara", "Wendell", "Sunita", "Oren", "Beatriz", "Idris", "Maren"};
static const char *const last_names[] = {
    "Quell",   "Brenn",  "Ostrova", "Imoto",    "Varga",  "Delacroix", "Raman",  "Adeyemi",
    "Lindqvist", "Haddad", "Petrenko", "Okafor", "Castellanos", "Nakamura", "Moreau", "Sadiq",
    "Whitlock", "Kowalski", "Mbeki", "Fitzgerald", "Arslan", "Novak", "Van Dijk", "Romano",
    "Pruitt",  "Iyer",   "Ben-David", "Souza", "Kamau", "Halvorsen"};
static const char *const titles[] = {
    "Mayor", "Minister of Finance", "Police Chief", "Senator", "Governor", "Harbourmaster",
    "Deputy Mayor", "Transport Secretary", "Judge", "Professor", "General", "Ambassador",
    "Health Minister", "Council Leader", "Chief Executive"};
static const char *const roles[] = {
    "a spokesman for", "a spokeswoman for", "the chief economist at", "a senior official at",
    "the director of", "a lawyer for", "an adviser to", "the treasurer of"};
static const char *const places[] = {
    "Port Velden", "Karsk", "Alder Province", "Lisbon", "the northern coast", "Brenmouth",
    "the capital", "Eastfield", "Nairobi", "the river valley", "Osterholm", "Calder Bay",
    "Montreal", "the southern districts", "Vellmar"};
static const char *const orgs[] = {
    "the Northwind Harbour Authority", "Velden Council", "the Ministry of Transport",
    "Northgate Bank", "the United Nations", "the Coastal Workers Union", "Alder Power Company",
    "the National Statistics Office", "the Red Cross", "Calder University",
    "the Federal Reserve", "the Velden Chamber of Commerce", "the World Health Organization"};
static const char *const things[] = {
    "pier", "budget", "rail link", "hospital wing", "ferry service", "flood barrier",
    "tax plan", "school programme", "water supply", "wind farm", "housing scheme", "bridge",
    "trade agreement", "ceasefire", "election timetable", "pension reform"};
static const char *const verbs[] = {
    "reopen", "be delayed", "cost more", "go ahead", "be reviewed", "close", "expand",
    "be cancelled", "start", "be put to a vote"};
static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                   "Saturday", "Sunday"};
static const char *const months[] = {"January", "February", "March", "April", "May", "June",
                                     "July", "August", "September", "October", "November",
                                     "December"};
static const char *const clauses[] = {
    "we will not give up on this",
    "the numbers speak for themselves",
    "nobody in this city should have to wait that long",
    "we have done everything the law asks of us",
    "this is a good day for the people of the region",
    "I have said from the start that the plan was sound",
    "there is still a great deal of work to do",
    "the decision was taken far too quickly",
    "we expect the first results before the end of the year",
    "our members are angry, and they have every right to be",
    "it is simply not true that the money was wasted",
    "families deserve a straight answer",
    "we are asking for patience, not for trust",
    "the agreement protects jobs on both sides of the border",
    "I do not think anyone saw this coming",
    "the report confirms what we have been saying for months"};
static const char *const fragments[] = {
    "a step backwards", "long overdue", "deeply irresponsible", "a fair compromise",
    "the best deal on the table", "completely unacceptable", "a matter of public safety",
    "a historic moment"};
static const char *const pronouns[] = {"he", "she", "they"};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state % n);
}
#define PICK(arr) (arr[rnd(sizeof arr / sizeof arr[0])])

typedef struct {
  char *s;
  size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    if (k >= 0 && (size_t)k < b->cap - b->n) {
      b->n += (size_t)k;
      return;
    }
    b->cap = b->cap * 2 + (size_t)k + 64;
    b->s = realloc(b->s, b->cap);
    if (!b->s) exit(1);
  }
}

static void capitalized(sbuf *b, const char *s) {
  put(b, "%c%s", s[0] >= 'a' && s[0] <= 'z' ? s[0] - 32 : s[0], s + 1);
}

/* One paragraph of one to three sentences. */
static void paragraph(sbuf *b, const char *first, const char *last, const char *title) {
  int sentences = 1 + (int)rnd(3);
  for (int k = 0; k < sentences; k++) {
    if (k) put(b, " ");
    const char *f2 = PICK(first_names), *l2 = PICK(last_names);
    switch (rnd(12)) {
    case 0:
      put(b, "%s %s %s said on %s that the %s would %s in %s.", title, first, last, PICK(days),
          PICK(things), PICK(verbs), PICK(months));
      break;
    case 1:
      put(b, "\xE2\x80\x9C");
      capitalized(b, PICK(clauses));
      put(b, ",\xE2\x80\x9D %s said.", last);
      break;
    case 2:
      put(b, "\xE2\x80\x9C");
      capitalized(b, PICK(clauses));
      put(b, ",\xE2\x80\x9D said %s %s, %s %s.", f2, l2, PICK(roles), PICK(orgs));
      break;
    case 3:
      put(b, "%s told reporters in %s: \"", last, PICK(places));
      capitalized(b, PICK(clauses));
      put(b, ".\"");
      break;
    case 4:
      put(b, "According to %s, %u,%03u people used the %s last year, %u.%u%% more than in %u.",
          PICK(orgs), 1 + rnd(90), rnd(1000), PICK(things), 1 + rnd(30), rnd(10), 2015 + rnd(9));
      break;
    case 5:
      put(b, "The project will cost $%u.%u million, officials at %s said on %s.", 1 + rnd(400),
          rnd(10), PICK(orgs), PICK(days));
      break;
    case 6:
      put(b, "%s %s called the %s \xE2\x80\x9C%s\xE2\x80\x9D and said it would %s by %s %u.",
          PICK(titles), l2, PICK(things), PICK(fragments), PICK(verbs), PICK(months), 1 + rnd(28));
      break;
    case 7:
      put(b, "\"");
      capitalized(b, PICK(clauses));
      put(b, ",\" %s added. \"And ", PICK(pronouns));
      put(b, "%s.\"", PICK(clauses));
      break;
    case 8:
      put(b, "The %s has been under review since %s %u, when %s %s of %s raised concerns about "
             "its cost.",
          PICK(things), PICK(months), 2018 + rnd(7), f2, l2, PICK(orgs));
      break;
    case 9:
      put(b, "Residents of %s, where the %s was first proposed in %u, have waited %u years for a "
             "decision.",
          PICK(places), PICK(things), 2000 + rnd(24), 2 + rnd(15));
      break;
    case 10:
      put(b, "In a statement, %s said the %s was \"%s\" and that talks with %s would continue.",
          PICK(orgs), PICK(things), PICK(fragments), PICK(orgs));
      break;
    default:
      put(b, "Mr. %s, who has led %s since %u, did not respond to a request for comment.", l2,
          PICK(orgs), 2005 + rnd(19));
      break;
    }
  }
  put(b, "\n\n");
}

/* Headline style: every word capitalised. */
static void title_case(sbuf *b, const char *s) {
  for (int start = 1; *s; s++) {
    put(b, "%c", start && *s >= 'a' && *s <= 'z' ? *s - 32 : *s);
    start = *s == ' ';
  }
}

static void article(sbuf *b) {
  const char *first = PICK(first_names), *last = PICK(last_names), *title = PICK(titles);
  const char *place = PICK(places), *thing = PICK(things);
  put(b, "%s Says ", last);
  title_case(b, thing);
  put(b, " Will ");
  title_case(b, PICK(verbs));
  put(b, "\n\n");
  put(b, "%s, %s %u (Velden Press) \xE2\x80\x94 %s %s %s said on %s that the %s would %s.\n\n",
      place, PICK(months), 1 + rnd(28), title, first, last, PICK(days), thing, PICK(verbs));
  int paras = 8 + (int)rnd(8);
  for (int p = 0; p < paras; p++) paragraph(b, first, last, title);
}

static int generate(const char *dir, double mb) {
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    perror(dir);
    return 1;
  }
  size_t want = (size_t)(mb * 1048576), total = 0;
  sbuf b = {0};
  int files = 0;
  while (total < want) {
    b.n = 0;
    article(&b);
    char path[4096];
    snprintf(path, sizeof path, "%s/news-%05d.txt", dir, files++);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b.s, 1, b.n, f) != b.n || fclose(f) != 0) {
      perror(path);
      return 1;
    }
    total += b.n;
  }
  free(b.s);
  printf("%d\t%zu\n", files, total);
  return 0;
}

/* -------------------------------------------------------------- measuring */

typedef struct {
  char *bytes;
  size_t len;
  const char *name;
} text;

static int load(const char *path, text *t) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 1 << 16, n = 0;
  char *s = malloc(cap);
  size_t got;
  while (s && (got = fread(s + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) s = realloc(s, cap *= 2);
  }
  fclose(f);
  if (!s) return -1;
  t->bytes = s;
  t->len = n;
  t->name = path;
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t peak_rss(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (size_t)ru.ru_maxrss * 1024;
}

static size_t found_entities, found_quotes;

/* One analysis pass: each text analysed alone, with its public views. */
__attribute__((noinline)) static int analyze_pass(vb_corpus *c, const text *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int id = vb_corpus_add(c, t[i].name, t[i].bytes, t[i].len, 0);
    if (id < 0) {
      fprintf(stderr, "bench_analyze: %s: %s\n", t[i].name, vb_corpus_error(c));
      return -1;
    }
    size_t ne = 0, nq = 0;
    vb_doc_entities(c, id, &ne);
    vb_doc_quotes(c, id, &nq);
    found_entities += ne;
    found_quotes += nq;
    vb_corpus_remove(c, id);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--generate") == 0) return generate(argv[2], atof(argv[3]));
  const char *label = "text";
  int passes = 3, once = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
    if (strcmp(argv[i], "--label") == 0 && i + 1 < argc) label = argv[++i];
    else if (strcmp(argv[i], "--passes") == 0 && i + 1 < argc) passes = atoi(argv[++i]);
    else if (strcmp(argv[i], "--once") == 0) once = 1;
    else {
      fprintf(stderr, "usage: bench_analyze [--label L] [--passes N] [--once] FILE...\n"
                      "       bench_analyze --generate DIR MB\n");
      return 2;
    }
  }
  size_t n = (size_t)(argc - i), bytes = 0;
  if (n == 0) {
    fprintf(stderr, "bench_analyze: no input files\n");
    return 2;
  }
  text *t = calloc(n, sizeof *t);
  for (size_t k = 0; k < n; k++) {
    if (load(argv[i + (int)k], &t[k]) != 0) {
      fprintf(stderr, "bench_analyze: cannot read %s\n", argv[i + (int)k]);
      return 1;
    }
    bytes += t[k].len;
  }
  vb_corpus *c = vb_corpus_new();
  if (!c) return 1;
  double mb = (double)bytes / 1048576;

  if (once) {
    int rc = analyze_pass(c, t, n);
    printf("bytes\t%zu\tB\n", bytes);
    vb_corpus_free(c);
    return rc ? 1 : 0;
  }

  /* Index build first, on a fresh process: the peak memory above the
   * baseline (texts loaded, corpus ready) is what the index costs. */
  size_t base = peak_rss();
  double t0 = now();
  for (size_t k = 0; k < n; k++)
    if (vb_corpus_add(c, t[k].name, t[k].bytes, t[k].len, 0) < 0) {
      fprintf(stderr, "bench_analyze: %s: %s\n", t[k].name, vb_corpus_error(c));
      return 1;
    }
  double build = now() - t0;
  size_t peak = peak_rss();
  vb_corpus_free(c);

  c = vb_corpus_new();
  double best = 1e30;
  for (int p = 0; p < passes; p++) {
    found_entities = found_quotes = 0;
    t0 = now();
    if (analyze_pass(c, t, n)) return 1;
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  vb_corpus_free(c);

  printf("text_%s\t%.2f\tMB\n", label, mb);
  printf("documents_%s\t%zu\tdocs\n", label, n);
  printf("analyze_%s\t%.2f\tMB/s\n", label, mb / best);
  printf("entities_%s\t%zu\tfound\n", label, found_entities);
  printf("quotes_%s\t%zu\tfound\n", label, found_quotes);
  printf("index_build_%s\t%.2f\tMB/s\n", label, mb / build);
  printf("peak_memory_%s\t%.1f\tMB\n", label, (double)peak / 1048576);
  printf("memory_per_byte_indexed_%s\t%.2f\tB/B\n", label,
         peak > base ? (double)(peak - base) / (double)bytes : 0.0);
  for (size_t k = 0; k < n; k++) free(t[k].bytes);
  free(t);
  return 0;
}
