/* cli_archive.h: the `verbatim archive` commands and `check --archive`. */
#ifndef VB_CLI_ARCHIVE_H
#define VB_CLI_ARCHIVE_H

#include <stdio.h>

#include "verbatim.h"

/* `verbatim archive add|remove|stats|merge ...`: argv[0] is "archive".
 * Returns the exit status. */
int cli_archive(int argc, char **argv);

/* Add to `c`, as sources, the likely sources of each checked document found
 * in the archives (at most max_sources per document, best first over all
 * the archives). Names the documents used on `report` when not NULL.
 * Returns 0, or 1 when an archive could not be read (said on stderr). */
int cli_archive_sources(vb_corpus *c, const char **archives, size_t narchives, size_t max_sources,
                        FILE *report);

#endif /* VB_CLI_ARCHIVE_H */
