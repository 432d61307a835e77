/* The yearly book: every department's policy of a year bound into one
 * PDF, with a cover and a table of contents (layouts/book/yearly.yaml: they are a
 * layout like any other, over a tree made here of one entry per
 * document), page numbers on every page, and an outline with an entry per
 * document and, under it, the document's own entries. */
#ifndef POLICYGEN_BOOK_H
#define POLICYGEN_BOOK_H

#include <stddef.h>
#include "diag.h"
#include "pipeline.h"

int book_build(const char *const *inputs, size_t ninputs, const char *book_layout, const PipelineOptions *opts,
               unsigned char **pdf, size_t *len, Diag *d);

#endif
