/* speech.h: what quotes.c and speakers.c share. */
#ifndef VB_SPEECH_H
#define VB_SPEECH_H

#include "internal.h"

/* Final kind of a quotation once its attribution is known: `attributed` is
 * 1 when it has a cue of its own, 2 when it takes the speaker of the
 * quotation before it, 3 when its sentence goes on in another quotation
 * after the cue ("...," she said, "..."), 4 when a person's cue names
 * something with it ("called him "Little Marco""), 0 when it has none. */
vb_quote_kind vb_quote_classify(const vb_doc *d, const vb_iquote *q, int attributed);

/* Is the quotation opened by a single mark (‘ ' ‚ ‹)? */
int vb_quote_is_single(const vb_doc *d, const vb_iquote *q);

#endif
