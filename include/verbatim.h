/*
 * verbatim.h: the public C API of verbatim.
 *
 * verbatim reads a set of news documents about one story, tags their
 * entities, extracts quotations with their speakers, matches quotations and
 * passages across documents, and reports what an editor should look at.
 *
 * Conventions
 * - Every offset is a 0-based byte offset into the document's bytes exactly
 *   as they were given to vb_corpus_add() or vb_corpus_replace(); ranges are
 *   half-open [start, end).
 * - Functions that can fail return an int: >= 0 on success, a negative
 *   vb_status on failure. vb_strerror() names the code; vb_corpus_error()
 *   gives the message of the last failure on that handle.
 * - There is no global mutable state. A handle may be used by one thread at a
 *   time; separate handles may be used from separate threads.
 * - Ownership is stated on each function. Arrays returned by vb_doc_*() are
 *   owned by the corpus and stay valid until that document is replaced or
 *   removed, an option that affects analysis is changed, or the corpus is
 *   freed. Results returned through an out-pointer (vb_report, vb_alignment,
 *   vb_related) belong to the caller, who frees them with the matching
 *   _free() function; they do not depend on the corpus staying alive.
 * - The library never prints, never exits, and never modifies its input.
 */
#ifndef VERBATIM_H
#define VERBATIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define VB_API __declspec(dllexport)
#elif defined(__GNUC__)
#define VB_API __attribute__((visibility("default")))
#else
#define VB_API
#endif

#define VB_VERSION_MAJOR 0
#define VB_VERSION_MINOR 1
#define VB_VERSION_PATCH 0
#define VB_VERSION_STRING "0.1.0"

/* Library version, "MAJOR.MINOR.PATCH". Static storage. */
VB_API const char *vb_version(void);

/* ------------------------------------------------------------------ errors */

typedef enum {
  VB_OK = 0,
  VB_ERR_NOMEM = -1,   /* memory allocation failed */
  VB_ERR_INVALID = -2, /* an argument is invalid (NULL, unknown document, ...) */
  VB_ERR_LIMIT = -3,   /* a configured limit was exceeded; the message names it */
  VB_ERR_OPTION = -4,  /* unknown option name or bad option value */
  VB_ERR_REGEX = -5,   /* a pattern failed to compile or hit its match limit */
  VB_ERR_PARSE = -6,   /* a names file or sources file could not be read */
  VB_ERR_INTERNAL = -7 /* an internal invariant failed (a bug: please report) */
} vb_status;

/* Short English name of a status code. Static storage; never NULL. */
VB_API const char *vb_strerror(int code);

/* ------------------------------------------------------------------ corpus */

/* A set of documents about one story, with their analyses and the index
 * that matches them. */
typedef struct vb_corpus vb_corpus;

/* A new, empty corpus with default options. NULL when out of memory.
 * Free with vb_corpus_free(). */
VB_API vb_corpus *vb_corpus_new(void);
VB_API void vb_corpus_free(vb_corpus *corpus);

/* Message of the last failed call on this corpus ("" when none). Owned by
 * the corpus; valid until the next call on it. */
VB_API const char *vb_corpus_error(const vb_corpus *corpus);

/* Set an option by name. Values are strings; see doc/verbatim.txt for the
 * full list. Main names:
 *   "limit.doc_bytes"      largest document accepted (default 268435456)
 *   "limit.docs"           most documents in one corpus (default 100000)
 *   "limit.match"          PCRE2 match limit per pattern call (default 100000)
 *   "rule.RULE"            "off", "hint", "info", "warning" or "error"
 *   "check.min_score"      smallest similarity reported as a counterpart
 * Changing an option that affects analysis re-analyses every document. */
VB_API int vb_corpus_set_option(vb_corpus *corpus, const char *name, const char *value);

/* Read the current value of an option into a string owned by the corpus
 * (valid until the next call). NULL for an unknown name. */
VB_API const char *vb_corpus_get_option(vb_corpus *corpus, const char *name);

/* Load a user names file: one name a line, optionally followed by a tab or
 * " | " and a type (PERSON, ORG, PLACE, TITLE, EVENT, MISC); '#' starts a
 * comment. Names are added to the built-in lexicon and used as the
 * reference spellings for name-variant. The text is copied. Re-analyses
 * every document. */
VB_API int vb_corpus_load_names(vb_corpus *corpus, const char *text, size_t len);

/* Document flags. */
enum {
  VB_DOC_SOURCE = 1 /* a reference only: matched against, never checked */
};

/* Add a document. `name` (a path or buffer name, copied) is used in
 * messages; `bytes` (copied) need not be valid UTF-8 or NUL-terminated.
 * Returns the new document id (>= 0) or a negative vb_status. */
VB_API int vb_corpus_add(vb_corpus *corpus, const char *name, const char *bytes,
                         size_t len, unsigned flags);

/* Replace a document's text (a buffer changed); keeps its id, name and
 * flags. Only this document is re-analysed and re-indexed. */
VB_API int vb_corpus_replace(vb_corpus *corpus, int doc, const char *bytes, size_t len);

/* Remove a document. Its id is not reused. */
VB_API int vb_corpus_remove(vb_corpus *corpus, int doc);

/* Change a document's flags. */
VB_API int vb_corpus_set_flags(vb_corpus *corpus, int doc, unsigned flags);

/* Number of documents, and iteration over their ids in the order they were
 * added: vb_corpus_next(c, -1) is the first id, -1 after the last. */
VB_API size_t vb_corpus_count(const vb_corpus *corpus);
VB_API int vb_corpus_next(const vb_corpus *corpus, int after);

/* ---------------------------------------------------------------- documents */

/* Name, bytes and flags of a document (owned by the corpus); NULL / 0 for an
 * unknown id. vb_doc_bytes() returns exactly the bytes given. */
VB_API const char *vb_doc_name(const vb_corpus *corpus, int doc);
VB_API const char *vb_doc_bytes(const vb_corpus *corpus, int doc, size_t *len);
VB_API unsigned vb_doc_flags(const vb_corpus *corpus, int doc);

/* How the document's bytes were read. */
typedef enum {
  VB_ENC_UTF8 = 0,     /* valid UTF-8 (a BOM, if any, is skipped) */
  VB_ENC_CP1252 = 1,   /* not UTF-8; read as Windows-1252 / Latin-1 */
  VB_ENC_REPAIRED = 2  /* mostly UTF-8; bad bytes read as U+FFFD */
} vb_encoding;
VB_API int vb_doc_encoding(const vb_corpus *corpus, int doc);

/* 1-based line and 1-based byte column of a byte offset (lines end at \n).
 * Returns VB_OK or VB_ERR_INVALID. */
VB_API int vb_doc_position(const vb_corpus *corpus, int doc, size_t offset,
                           size_t *line, size_t *col);

/* ----------------------------------------------------------------- entities */

typedef enum {
  VB_ENT_PERSON = 0,
  VB_ENT_ORG,
  VB_ENT_PLACE,
  VB_ENT_TITLE,
  VB_ENT_DATE,
  VB_ENT_NUMBER,
  VB_ENT_MONEY,
  VB_ENT_PERCENT,
  VB_ENT_EVENT,
  VB_ENT_MISC,
  VB_ENT_COUNT_ /* number of types, not a type */
} vb_entity_type;

/* "PERSON", "ORG", ... Static storage; "UNKNOWN" for a bad value. */
VB_API const char *vb_entity_type_name(int type);

typedef struct {
  size_t start, end;     /* the mention */
  vb_entity_type type;
  const char *text;      /* the mention as UTF-8, NUL-terminated */
  const char *canonical; /* fullest form in the document ("Marco Rubio") */
} vb_entity;

/* Entities of a document in text order. Owned by the corpus. */
VB_API const vb_entity *vb_doc_entities(vb_corpus *corpus, int doc, size_t *count);

/* --------------------------------------------------------------- quotations */

typedef enum {
  VB_QUOTE_DIRECT = 0, /* speech */
  VB_QUOTE_PARTIAL,    /* a quoted fragment woven into the reporter's sentence */
  VB_QUOTE_TERM        /* a name, title or scare quote: not speech */
} vb_quote_kind;

/* "direct", "partial", "term". Static storage. */
VB_API const char *vb_quote_kind_name(int kind);

enum {
  VB_QUOTE_UNCLOSED = 1,   /* no closing mark before the paragraph ended */
  VB_QUOTE_CONTINUED = 2,  /* continues a quote from the previous paragraph */
  VB_QUOTE_NESTED = 4      /* lies inside another quotation */
};

typedef struct {
  size_t start, end;             /* including the quotation marks */
  size_t inner_start, inner_end; /* the words inside the marks */
  vb_quote_kind kind;
  unsigned flags;                /* VB_QUOTE_* bits */
  const char *text;              /* inner text as UTF-8, NUL-terminated */
  /* The speaker: the mention the attribution cue points at (which may be a
   * pronoun) and the name it resolves to. speaker_name is NULL when the
   * speaker is unknown; the spans are then 0. */
  const char *speaker_name;
  size_t speaker_start, speaker_end;
  size_t cue_start, cue_end;     /* "said", "according to", ...; 0 when none */
} vb_quote;

/* Quotations of a document in text order. Owned by the corpus. */
VB_API const vb_quote *vb_doc_quotes(vb_corpus *corpus, int doc, size_t *count);

/* ----------------------------------------------------------------- matching */

typedef enum {
  VB_REL_VERBATIM = 0, /* the same words after normalisation */
  VB_REL_FRAGMENT,     /* a verbatim part of a longer quotation */
  VB_REL_ALTERED,      /* words changed, dropped or reordered inside the marks */
  VB_REL_EXTENDED,     /* runs past what the source put in quotation marks */
  VB_REL_UNQUOTED,     /* the words appear in the source outside quotation marks */
  VB_REL_REWRITE,      /* passages: an edited version of the source passage */
  VB_REL_RELATED,      /* passages: about the same thing, worded differently */
  VB_REL_NEW,          /* alignment: not from any source */
  VB_REL_COUNT_
} vb_relation;

/* "verbatim", "fragment", ... Static storage. */
VB_API const char *vb_relation_name(int relation);

typedef enum {
  VB_SEV_OFF = 0,
  VB_SEV_HINT,
  VB_SEV_INFO,
  VB_SEV_WARNING,
  VB_SEV_ERROR
} vb_severity;

/* "off", "hint", "info", "warning", "error". Static storage. */
VB_API const char *vb_severity_name(int severity);

typedef struct {
  int doc;
  size_t start, end;
} vb_location;

typedef struct {
  int doc;
  size_t start, end;
  vb_severity severity;
  const char *rule;    /* stable id: "quote-altered", "name-variant", ... */
  const char *message; /* says what differs and where */
  const vb_location *related;
  size_t n_related;
} vb_diagnostic;

typedef struct {
  int doc;
  size_t start, end;   /* the counterpart (a quotation or a passage) */
  vb_relation relation;
  double score;        /* 0..1 */
  const char *diff;    /* word-level difference ("'in order to' -> 'to'"), or NULL */
  const char *speaker; /* the counterpart's speaker, or NULL */
} vb_match;

typedef struct {
  int doc;
  size_t start, end;   /* the quotation, marks included */
  const vb_match *matches; /* best first */
  size_t n_matches;
} vb_quote_matches;

/* The result of a check. Owned by the caller; free with vb_report_free(). */
typedef struct {
  vb_diagnostic *diagnostics; /* ordered by document, then offset */
  size_t n_diagnostics;
  vb_quote_matches *quotes;   /* every quotation of the checked documents */
  size_t n_quotes;
} vb_report;

/* Check one document (doc >= 0) or every document not flagged VB_DOC_SOURCE
 * (doc < 0) against all the other documents of the corpus. */
VB_API int vb_check(vb_corpus *corpus, int doc, vb_report **out);
VB_API void vb_report_free(vb_report *report);

/* Mark a quotation as checked by hand: a quote whose words (normalised)
 * equal `text` gets no quote-* warning. The text is copied. */
VB_API int vb_corpus_accept_quote(vb_corpus *corpus, const char *text, size_t len);

/* ---------------------------------------------------------------- alignment */

typedef struct {
  size_t start, end;          /* in the target */
  vb_relation relation;       /* VB_REL_VERBATIM or VB_REL_REWRITE */
  int source;                 /* document id */
  size_t source_start, source_end;
} vb_span;

typedef enum {
  VB_REUSE_NONE = 0,
  VB_REUSE_PARTIALLY,
  VB_REUSE_WHOLLY
} vb_reuse;

/* "none", "partially", "wholly". Static storage. */
VB_API const char *vb_reuse_name(int reuse);

/* How much of a document comes from the others. Owned by the caller. */
typedef struct {
  int target;
  double verbatim, rewrite, fresh; /* shares of the target's words; sum to 1 */
  vb_reuse reuse;
  vb_span *spans;                  /* in target order */
  size_t n_spans;
} vb_alignment;

/* Align `target` against every other document of the corpus. */
VB_API int vb_align(vb_corpus *corpus, int target, vb_alignment **out);
VB_API void vb_alignment_free(vb_alignment *alignment);

/* ---------------------------------------------------------- related passages */

typedef struct {
  int doc;
  size_t start, end;          /* the related passage */
  double score;               /* 0..1, higher is closer */
  vb_relation relation;       /* verbatim, rewrite or related */
  vb_span *aligned;           /* aligned stretches: start/end in the query
                                 document, source_* in this passage's doc */
  size_t n_aligned;
} vb_passage;

typedef struct {
  vb_passage *passages;       /* best first */
  size_t n_passages;
} vb_related;

/* Passages of other documents most related to [start, end) of `doc` (a
 * paragraph, a sentence, a quotation), at most `max` of them. */
VB_API int vb_find_related(vb_corpus *corpus, int doc, size_t start, size_t end,
                           size_t max, vb_related **out);
VB_API void vb_related_free(vb_related *related);

/* Paragraph around a byte offset, as a [start, end) range. */
VB_API int vb_doc_paragraph(vb_corpus *corpus, int doc, size_t offset,
                            size_t *start, size_t *end);

/* ------------------------------------------------------------------ archive */

/* An on-disk archive of documents (an LMDB file): each document's name, a
 * content hash, its text (zlib-compressed) and the postings of its n-gram
 * fingerprints (compact sorted runs of blocks), so that the likely sources
 * of a draft are found without loading the archive. One writer and many
 * readers at once; a crash or a kill never leaves a half-written commit. A
 * handle is used by one thread at a time; separate handles are independent.
 * An archive written in an older format gives VB_ERR_PARSE with a message
 * that says so.
 *
 * Errors: functions return a negative vb_status (VB_ERR_PARSE for a file
 * that is not an archive, damaged or truncated); vb_archive_error() gives a
 * message naming the file, valid until the next call on the handle. */
typedef struct vb_archive vb_archive;

#define VB_ARCHIVE_READONLY 1u /* open for queries only; the file must exist */

/* A handle for one archive; free with vb_archive_close(). NULL when out of
 * memory. */
VB_API vb_archive *vb_archive_new(void);
/* Open (creating unless VB_ARCHIVE_READONLY) the archive file at `path`; a
 * lock file `path`-lock sits beside it. On failure the handle still holds
 * the message and must be closed. */
VB_API int vb_archive_open(vb_archive *archive, const char *path, unsigned flags);
/* Commit pending additions and free the handle. */
VB_API int vb_archive_close(vb_archive *archive);
VB_API const char *vb_archive_error(const vb_archive *archive);

/* Add a document under `name` (copied). A name already present with the same
 * content is left alone (returns 0); with other content it is replaced
 * (returns 1); a new name returns 2. Additions since the last commit become
 * visible, atomically, at vb_archive_commit() or vb_archive_close(); the
 * postings of uncommitted additions are held in memory (8 bytes each, about
 * one per 16 bytes of text), and past 16 million of them an add commits by
 * itself. Commit in large batches: each commit writes one run of postings
 * and syncs the file. */
VB_API int vb_archive_add(vb_archive *archive, const char *name, const char *bytes, size_t len);
/* Remove a document: 1 when removed, 0 when the name was not there. */
VB_API int vb_archive_remove(vb_archive *archive, const char *name);
VB_API int vb_archive_commit(vb_archive *archive);

typedef struct {
  size_t documents;
  uint64_t text_bytes;    /* the documents' text, uncompressed */
  uint64_t stored_bytes;  /* their text as stored, compressed */
  size_t fingerprints;    /* fingerprint postings (one per document and distinct
                             fingerprint; a removed document's stay until
                             their run is merged) */
  uint64_t file_bytes;    /* the archive file on disk */
  size_t runs;            /* sorted runs the postings are in */
} vb_archive_stats;
VB_API int vb_archive_stat(vb_archive *archive, vb_archive_stats *out);

typedef struct {
  uint32_t id;    /* archive document id, for vb_archive_get() */
  double score;   /* the postings' score: shared fingerprints weighted by rarity */
  size_t shared;  /* n-grams shared with the draft (all n-grams of both); hits
                     are ranked by this, then by score */
} vb_archive_hit;

/* The documents most likely to be sources of `bytes` (a draft), best first,
 * at most `max`: the archive's postings name candidates (every n-gram of the
 * draft looked up, as the corpus does), and the best `max` + 16 of them are
 * read and ranked by the n-grams they share with the draft. *hits is owned by the caller: free with vb_archive_release().
 * Documents sharing at least `min_shared` n-grams with the draft only. */
VB_API int vb_archive_find_sources(vb_archive *archive, const char *bytes, size_t len,
                                   size_t max, size_t min_shared, vb_archive_hit **hits,
                                   size_t *n);
/* One document's name and text (NUL-terminated), both owned by the caller:
 * free each with vb_archive_release(). */
VB_API int vb_archive_get(vb_archive *archive, uint32_t id, char **name, char **text,
                          size_t *len);
/* Add every document of `from` to `archive` (replacing same-named ones).
 * Returns how many were added or replaced. */
VB_API int vb_archive_merge(vb_archive *archive, vb_archive *from);
VB_API void vb_archive_release(void *p);

#ifdef __cplusplus
}
#endif

#endif /* VERBATIM_H */
