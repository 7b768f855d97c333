/* index.c: the fingerprint index (stub until it lands). */
#include "internal.h"

int vb_index_init(vb_corpus *c) { (void)c; return 0; }
void vb_index_free(vb_corpus *c) { (void)c; }
int vb_index_add(vb_corpus *c, vb_doc *d) { (void)c; (void)d; return 0; }
void vb_index_remove(vb_corpus *c, vb_doc *d) { (void)c; (void)d; }
