/*
 * lexicon.h: word lists as a trie over token hashes.
 *
 * An entry is a phrase of one or more tokens ("Secretary of State"), stored
 * as the hashes of their matching forms, so that lookups cost one hash probe
 * per token and follow the tokenizer's idea of a word exactly. Each entry
 * carries a set of VB_LX_* classes (a word may be in several lists).
 */
#ifndef VB_LEXICON_H
#define VB_LEXICON_H

#include "internal.h"

enum {
  VB_LX_TITLE = 1u << 0,      /* "Secretary of State", "General", "spokesman" */
  VB_LX_HONORIFIC = 1u << 1,  /* "Mr", "Dr", "Sheikh": a person's name follows */
  VB_LX_COUNTRY = 1u << 2,    /* countries and territories */
  VB_LX_PLACE = 1u << 3,      /* cities, regions, states, features */
  VB_LX_DEMONYM = 1u << 4,    /* "Pakistani", "French" */
  VB_LX_ORG = 1u << 5,        /* organisations by name */
  VB_LX_ORG_SUFFIX = 1u << 6, /* "Inc", "FC", "Party": ends an organisation */
  VB_LX_ORG_HEAD = 1u << 7,   /* "Ministry", "University": starts one ("... of X") */
  VB_LX_GIVEN = 1u << 8,      /* given names */
  VB_LX_COMMON = 1u << 9,     /* common words that are capitalised only to start a sentence */
  VB_LX_PERSON = 1u << 10,    /* a person by name (user lists) */
  VB_LX_EVENT = 1u << 11,     /* "World Cup", "Olympics" */
  VB_LX_MISC = 1u << 12,      /* religions, languages, other proper adjectives */
  VB_LX_PARTICLE = 1u << 13,  /* "de", "van", "bin": inside a name, lower case */
  VB_LX_PLACE_SUFFIX = 1u << 14, /* "River", "Province": ends a place */
  VB_LX_PERSON_CUE = 1u << 15,   /* "said", "striker": a person is named next to it */
  VB_LX_USER = 1u << 16,      /* from the user's names file: takes precedence */
  VB_LX_NAME = 1u << 17,      /* a user name given without a type */
  VB_LX_SPORT = 1u << 18,     /* "soccer", "cricket": the text is about sport */
  VB_LX_MONTH = 1u << 19,     /* month and weekday names (dates) */
  VB_LX_SURNAME = 1u << 20,   /* common family names */
  VB_LX_EVENT_SUFFIX = 1u << 21, /* "Cup", "Open", "Games": ends an event */
  VB_LX_EVENT_HEAD = 1u << 22,   /* "Operation": starts an event */
  VB_LX_PLACE_PREP = 1u << 23,   /* "in", "near": a place follows */
  VB_LX_TEAM_SPORT = 1u << 24,   /* "soccer", "cricket": teams named after places */
  VB_LX_VENUE = 1u << 25,        /* a sports ground: a place even in sports news */
  VB_LX_TIME_PREP = 1u << 26,    /* "in", "by", "until": a month may follow */
  VB_LX_PREFIX = 1u << 31        /* set by the lexicon: longer phrases start with this word */
};

/* Classes that make a phrase an entity by itself. */
#define VB_LX_ENTITY                                                                   \
  (VB_LX_COUNTRY | VB_LX_PLACE | VB_LX_DEMONYM | VB_LX_ORG | VB_LX_PERSON | VB_LX_EVENT | \
   VB_LX_MISC | VB_LX_NAME)

/* Longest phrase the lexicon holds, in tokens. */
#define VB_LEX_MAX_PHRASE 12

typedef struct vb_lexicon vb_lexicon;

vb_lexicon *vb_lex_new(void);
void vb_lex_free(vb_lexicon *lx);
/* A copy of `lx` that can be added to without changing it; NULL when out of memory. */
vb_lexicon *vb_lex_copy(const vb_lexicon *lx);

/* Add a phrase given as token hashes, with classes `cls` (or-ed into what
 * it already has). Phrases longer than VB_LEX_MAX_PHRASE are ignored. */
int vb_lex_add(vb_lexicon *lx, const uint32_t *hashes, size_t n, uint32_t cls);

/* Add every line of a list (tokenized as documents are) with classes `cls`.
 * '#' starts a comment; blank lines are skipped. */
int vb_lex_add_list(vb_corpus *c, vb_lexicon *lx, const char *text, size_t len, uint32_t cls);

/* Classes of the one-token entry `hash` (0 when none). */
uint32_t vb_lex_word(const vb_lexicon *lx, uint32_t hash);

/* Longest entry starting at hashes[0] and using at most n hashes whose
 * classes meet `want`. Returns its length in tokens (0: none) and its
 * classes in *cls. */
size_t vb_lex_longest(const vb_lexicon *lx, const uint32_t *hashes, size_t n, uint32_t want,
                      uint32_t *cls);

#endif /* VB_LEXICON_H */
