/* patterns.h: money, percentages, dates and numbers by PCRE2 (patterns.c). */
#ifndef VB_PATTERNS_H
#define VB_PATTERNS_H

#include "internal.h"

enum { VB_PAT_COUNT = 4 };

typedef struct vb_patterns vb_patterns;

/* Match the patterns anchored at s[0]; `n` must end on a character
 * boundary. Returns 1 with the match length and type, 0 for no match, or a
 * negative vb_status (VB_ERR_REGEX when the match limit is hit). */
int vb_patterns_at(vb_corpus *c, const char *s, size_t n, size_t *len, vb_entity_type *type);

#endif /* VB_PATTERNS_H */
