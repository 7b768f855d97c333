/* speakers.c: speaker attribution (stub until it lands). */
#include "internal.h"

int vb_speakers_attribute(vb_corpus *c, vb_doc *d) { (void)c; (void)d; return 0; }
