/* The entity tagger: lexicon, name rules, patterns, the names file, bad input. */
#include "internal.h"
#include "tap.h"

static int add(vb_corpus *c, const char *s) { return vb_corpus_add(c, "t", s, strlen(s), 0); }

/* The entity whose text is `text` (the first one), or NULL. */
static const vb_entity *find(vb_corpus *c, int id, const char *text) {
  size_t n;
  const vb_entity *e = vb_doc_entities(c, id, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(e[i].text, text) == 0) return &e[i];
  return NULL;
}

/* The nth entity (0-based) whose text is `text`, or NULL. */
static const vb_entity *find_nth(vb_corpus *c, int id, const char *text, int nth) {
  size_t n;
  const vb_entity *e = vb_doc_entities(c, id, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(e[i].text, text) == 0 && nth-- == 0) return &e[i];
  return NULL;
}

static const char *type_of(vb_corpus *c, int id, const char *text) {
  const vb_entity *e = find(c, id, text);
  return e ? vb_entity_type_name(e->type) : "(none)";
}

static int overlaps(vb_corpus *c, int id, const char *s, const char *word) {
  const char *w = strstr(s, word);
  if (!w) return 0;
  size_t a = (size_t)(w - s), b = a + strlen(word), n;
  const vb_entity *e = vb_doc_entities(c, id, &n);
  for (size_t i = 0; i < n; i++)
    if (e[i].start < b && e[i].end > a) return 1;
  return 0;
}

static void test_titles_and_people(vb_corpus *c) {
  const char *s = "Secretary of State Marco Rubio met Harbour Minister Elena Vostrikova in Lisbon. "
                  "Rubio later spoke to Secretary Rubio's staff.";
  int id = add(c, s);
  is_str(type_of(c, id, "Secretary of State"), "TITLE", "a title before a name is a TITLE");
  is_str(type_of(c, id, "Marco Rubio"), "PERSON", "the name after the title is a PERSON");
  is_str(type_of(c, id, "Elena Vostrikova"), "PERSON", "a given name starts a person's name");
  is_str(type_of(c, id, "Lisbon"), "PLACE", "a capital city is a PLACE");
  const vb_entity *e = find(c, id, "Rubio");
  ok(e && strcmp(e->canonical, "Marco Rubio") == 0, "a surname resolves to the fullest form");
  e = find_nth(c, id, "Rubio", 1);
  ok(e && strcmp(e->canonical, "Marco Rubio") == 0, "so does a possessive after a title");
  e = find(c, id, "Marco Rubio");
  ok(e && strcmp(e->canonical, "Marco Rubio") == 0, "the full name is its own canonical form");
}

static void test_military_chain(vb_corpus *c) {
  const char *s = "The talks included Pakistan Army Chief General Tariq Qalandar and aides.";
  int id = add(c, s);
  is_str(type_of(c, id, "Tariq Qalandar"), "PERSON", "the name after a chain of titles is a PERSON");
  is_str(type_of(c, id, "Chief General"), "TITLE", "titles in a row make one TITLE");
  ok(!find(c, id, "Pakistan Army Chief General Tariq Qalandar"), "titles are not part of the name");
  ok(!overlaps(c, id, s, "The"), "a sentence-initial 'The' is not tagged");
}

static void test_initials_and_hyphens(vb_corpus *c) {
  const char *s = "Minister R. Venkatarajan condemned Lashkar-e-Taiba after the raid near Pahalgam.";
  int id = add(c, s);
  is_str(type_of(c, id, "R. Venkatarajan"), "PERSON", "an initial and a surname make a PERSON");
  is_str(type_of(c, id, "Lashkar-e-Taiba"), "ORG", "a hyphenated group name is one ORG");
}

static void test_sentence_initial(vb_corpus *c) {
  const char *s = "But the plan failed. However, Dorota Brzeska said it would work. "
                  "Yesterday was quiet. Brzeska left.";
  int id = add(c, s);
  ok(!overlaps(c, id, s, "But"), "'But' starting a sentence is not a name");
  ok(!overlaps(c, id, s, "However"), "'However' starting a sentence is not a name");
  ok(!overlaps(c, id, s, "Yesterday"), "'Yesterday' starting a sentence is not a name");
  const vb_entity *e = find(c, id, "Brzeska");
  ok(e && e->type == VB_ENT_PERSON, "a sentence-initial surname the document knows is a PERSON");
  ok(e && strcmp(e->canonical, "Dorota Brzeska") == 0, "and resolves to the full name");
}

static void test_pronouns(vb_corpus *c) {
  const char *s = "He said she would go. She agreed, and He Wei said so too.";
  int id = add(c, s);
  ok(!overlaps(c, id, s, "He said"), "'He' is not an entity");
  ok(!overlaps(c, id, s, "She agreed"), "'She' is not an entity");
}

static void test_headline(vb_corpus *c) {
  const char *s = "TENNIS - ORMSBY UPSETS TOP SEED IN MADRID\n"
                  "Clara Ormsby of Canada beat the top seed on Tuesday in Madrid.\n";
  int id = add(c, s);
  ok(!overlaps(c, id, s, "UPSETS"), "capitals in a headline are not names by themselves");
  ok(!overlaps(c, id, s, "TOP SEED"), "nor are other headline words");
  const vb_entity *e = find(c, id, "MADRID");
  ok(e && e->type == VB_ENT_PLACE, "a known place in a headline is tagged");
  e = find(c, id, "ORMSBY");
  ok(e && e->type == VB_ENT_PERSON, "a headline name the story names is tagged");
  ok(e && strcmp(e->canonical, "Clara Ormsby") == 0, "and resolves to the full name");
  is_str(type_of(c, id, "Tuesday"), "DATE", "a weekday is a DATE");
}

static void test_nationalities_and_possessives(vb_corpus *c) {
  const char *s = "The Brazilian striker joined Kestrel Holdings Ltd. Jorge Alvim's agent flew to "
                  "Oporto with a Norwegian lawyer.";
  int id = add(c, s);
  is_str(type_of(c, id, "Brazilian"), "MISC", "a nationality adjective is MISC");
  is_str(type_of(c, id, "Norwegian"), "MISC", "as is another");
  is_str(type_of(c, id, "Kestrel Holdings Ltd"), "ORG", "a company suffix makes an ORG");
  const vb_entity *e = find(c, id, "Jorge Alvim");
  ok(e != NULL, "a possessive leaves the 's out of the span");
  ok(e && e->type == VB_ENT_PERSON, "and the name is a PERSON");
}

static void test_numbers(vb_corpus *c) {
  const char *s = "Sales rose 4.5% to $12.5 million on March 3, 2021, and 1,200 staff left.";
  int id = add(c, s);
  is_str(type_of(c, id, "4.5%"), "PERCENT", "a percentage");
  is_str(type_of(c, id, "$12.5 million"), "MONEY", "an amount of money with its scale");
  is_str(type_of(c, id, "March 3, 2021"), "DATE", "a date");
  is_str(type_of(c, id, "1,200"), "NUMBER", "a number with a thousands separator");
}

static void test_may(vb_corpus *c) {
  const char *s = "The ferry to Port Velden will run again in May, the board said. "
                  "May the crews rest first, said Ivo Tarn.";
  int id = add(c, s);
  is_str(type_of(c, id, "May"), "DATE", "\"in May\": the month is a DATE, not a place");
  ok(find_nth(c, id, "May", 1) == NULL, "\"May the crews rest\": the verb is no entity");
  id = add(c, "Talks could end by May Tarn's return.");
  ok(!overlaps(c, id, "Talks could end by May Tarn's return.", "May") ||
         strcmp(type_of(c, id, "May"), "DATE") != 0,
     "\"by May Tarn\": a name after it keeps May from being a month");
}

static void test_organisations(vb_corpus *c) {
  const char *s = "The Ministry of Fisheries and the United Nations met Harwick United officials.";
  int id = add(c, s);
  is_str(type_of(c, id, "Ministry of Fisheries"), "ORG", "'Ministry of ...' is an ORG");
  is_str(type_of(c, id, "United Nations"), "ORG", "a known organisation");
  is_str(type_of(c, id, "Harwick United"), "ORG", "a club name with a suffix");
}

static void test_sports(vb_corpus *c) {
  const char *s = "SOCCER - LEEDS HOLD NORWICH\n"
                  "LONDON 1996-05-04\n"
                  "Leeds drew 1-1 with Norwich in Bristol on Saturday.\n"
                  "Tomasz Wrzesniak scored for Norwich.";
  int id = add(c, s);
  is_str(type_of(c, id, "Leeds"), "ORG", "in sports news a city is its team");
  is_str(type_of(c, id, "Bristol"), "PLACE", "but not after 'in'");
  is_str(type_of(c, id, "LONDON"), "PLACE", "a dateline is a place");
  is_str(type_of(c, id, "Tomasz Wrzesniak"), "PERSON", "a player is a person");
  const char *t = "TENNIS - RESULTS\nKarolina Vesela beat Oleksa in Berlin.";
  id = add(c, t);
  is_str(type_of(c, id, "Berlin"), "PLACE", "in tennis a city is a venue");
}

static void test_name_shapes(vb_corpus *c) {
  const char *s = "Top-seeded Danish player Anders Kjeldgaard met the Nikolaus van der Velde "
                  "delegation. A. Pemberton bowled.\nThe Canadian-born Thorvald Ek said so.";
  int id = add(c, s);
  ok(!overlaps(c, id, s, "Top-seeded"), "a capitalised compound adjective is no name");
  is_str(type_of(c, id, "Danish"), "MISC", "the nationality after it is MISC");
  is_str(type_of(c, id, "Anders Kjeldgaard"), "PERSON", "and the name a PERSON");
  is_str(type_of(c, id, "Nikolaus van der Velde"), "PERSON", "particles stay inside a name");
  is_str(type_of(c, id, "A. Pemberton"), "PERSON", "an initial opening a sentence");
  is_str(type_of(c, id, "Canadian-born"), "MISC", "a nationality compound is MISC");
}

static void test_lone_words(vb_corpus *c) {
  const char *s = "Net Revenue fell while Operating Income rose. The ferry docked at Quillan. "
                  "Brandvold said the fares would stay.";
  int id = add(c, s);
  ok(!overlaps(c, id, s, "Revenue"), "capitalised common words are not names");
  ok(!overlaps(c, id, s, "Operating Income"), "nor are table headings");
  is_str(type_of(c, id, "Quillan"), "PLACE", "a lone name after 'at' is a place");
  is_str(type_of(c, id, "Brandvold"), "PERSON", "a lone name before 'said' is a person");
  const char *v = "Ingrid Halvorsen arrived late. The talks ended when Halvorssen left.";
  id = add(c, v);
  is_str(type_of(c, id, "Halvorssen"), "PERSON", "a lone variant spelling of a person's surname");
}

static void test_names_file(void) {
  vb_corpus *c = vb_corpus_new();
  const char *names = "# people and groups of the story\n"
                      "Qorvath Ennelby\tPERSON\n"
                      "Silver Heron Collective | ORG\n"
                      "\n"
                      "Vellmark   # a place, no type\n"
                      "Brannock Vale\tPLACE\r\n";
  int rc = vb_corpus_load_names(c, names, strlen(names));
  is_int(rc, 0, "a names file with types, comments and blank lines loads");
  const char *s = "Qorvath Ennelby joined the Silver Heron Collective near Brannock Vale and Vellmark.";
  int id = add(c, s);
  is_str(type_of(c, id, "Qorvath Ennelby"), "PERSON", "a user PERSON");
  is_str(type_of(c, id, "Silver Heron Collective"), "ORG", "a user ORG with ' | '");
  is_str(type_of(c, id, "Brannock Vale"), "PLACE", "a user PLACE with a CRLF line end");
  ok(find(c, id, "Vellmark") != NULL, "a name without a type is still tagged");

  const char *bad = "Good Name\tPERSON\nOther Name\tPLANET\n";
  rc = vb_corpus_load_names(c, bad, strlen(bad));
  is_int(rc, VB_ERR_PARSE, "an unknown type is a parse error");
  ok(strstr(vb_corpus_error(c), "line 2") != NULL, "the message names the line");
  ok(strstr(vb_corpus_error(c), "PLANET") != NULL, "and the bad type");
  id = add(c, "Qorvath Ennelby spoke.");
  ok(id >= 0, "the corpus still works after a bad names file");
  const char *nul = "Some\0Name\n";
  rc = vb_corpus_load_names(c, nul, 10);
  is_int(rc, VB_ERR_PARSE, "a NUL byte in the names file is a parse error");
  rc = vb_corpus_load_names(c, "\t ORG\n", 6);
  is_int(rc, VB_ERR_PARSE, "a type without a name is a parse error");
  rc = vb_corpus_load_names(c, "", 0);
  is_int(rc, 0, "an empty names file loads");
  vb_corpus_free(c);
}

static void test_bad_input(vb_corpus *c) {
  /* NUL bytes, invalid UTF-8, binary noise, a huge line of capitals */
  const char raw[] = "Alpha\0Beta \xff\xfe Gamma Delta \xc3 \xe2\x82 $ 9 % \x80\x81 Mr. . S.";
  int id = vb_corpus_add(c, "raw", raw, sizeof raw - 1, 0);
  ok(id >= 0, "NUL bytes and bad UTF-8 are analysed");
  size_t n;
  const vb_entity *e = vb_doc_entities(c, id, &n);
  int inside = 1;
  for (size_t i = 0; i < n; i++) inside &= e[i].start < e[i].end && e[i].end <= sizeof raw - 1;
  ok(inside, "every entity lies inside the document");

  size_t big = 1 << 20;
  char *s = malloc(big + 1);
  for (size_t i = 0; i < big; i++) s[i] = "Ab Cd Ef-Gh of I. $1 J's "[i % 25];
  s[big] = '\0';
  id = vb_corpus_add(c, "big", s, big, 0);
  ok(id >= 0, "a megabyte line of capitalised words is analysed");
  for (size_t i = 0; i < big; i++) s[i] = (char)(i * 7919 % 251 + 1);
  id = vb_corpus_add(c, "bin", s, big, 0);
  ok(id >= 0, "binary bytes are analysed");
  free(s);
  id = vb_corpus_add(c, "empty", "", 0, 0);
  e = vb_doc_entities(c, id, &n);
  is_int(n, 0, "an empty document has no entities");
}

static void test_match_limit(void) {
  vb_corpus *c = vb_corpus_new();
  is_int(vb_corpus_set_option(c, "limit.match", "1"), 0, "a tiny match limit is accepted");
  int id = add(c, "Prices rose 12,345,678.9 percent.");
  ok(id == VB_ERR_REGEX || id >= 0, "a pattern over its match limit fails cleanly");
  vb_corpus_free(c);
}

int main(void) {
  vb_corpus *c = vb_corpus_new();
  test_titles_and_people(c);
  test_military_chain(c);
  test_initials_and_hyphens(c);
  test_sentence_initial(c);
  test_pronouns(c);
  test_headline(c);
  test_nationalities_and_possessives(c);
  test_numbers(c);
  test_may(c);
  test_organisations(c);
  test_sports(c);
  test_name_shapes(c);
  test_lone_words(c);
  test_bad_input(c);
  vb_corpus_free(c);
  test_names_file();
  test_match_limit();
  return done_testing();
}
