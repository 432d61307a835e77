/* Watch mode: re-render a document (or every document of a folder) each
 * time it is saved, with the fonts loaded once. A bad save prints its
 * errors and keeps the last good PDF; the next good save renders again. */
#ifndef POLICYGEN_WATCH_H
#define POLICYGEN_WATCH_H

#include "pipeline.h"

/* Output path for an input: content/Y/D.md -> out/Y/D.pdf, else D.pdf
 * beside it. Malloc'd. */
char *watch_output_for(const char *input);

/* Runs until interrupted (or, with max_builds > 0, after that many
 * renders, for tests). Returns an exit status. */
int watch_run(const char *target, const char *output, const PipelineOptions *opts, int max_builds);

#endif
