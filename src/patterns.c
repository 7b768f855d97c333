/* patterns.c: PCRE2 patterns (stub until the tagger lands). */
#include "internal.h"

int vb_patterns_init(vb_corpus *c) { (void)c; return 0; }
void vb_patterns_free(vb_corpus *c) { (void)c; }
