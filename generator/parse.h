/* Parse stage: front matter (libyaml) and Markdown (cmark) into the
 * document model. Reports what Markdown a policy may not contain (raw
 * HTML, images, links, code blocks, quotes, nesting beyond the limits). */
#ifndef POLICYGEN_PARSE_H
#define POLICYGEN_PARSE_H

#include "diag.h"
#include "doc.h"
#include "source.h"

#define PARSE_MAX_SECTIONS 1000  /* most headings in one document */

/* Returns 0 when the document is usable (it may still carry errors for
 * later stages to add to), -1 when nothing useful could be read. */
int parse_document(const Source *src, Document *doc, Diag *d);

#endif
