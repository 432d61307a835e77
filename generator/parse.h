/* Parse stage: front matter (libyaml) and Markdown (cmark) into the
 * document model. Reports what Markdown a policy may not contain (raw
 * HTML, images, links, code blocks, quotes, nesting beyond the limits). */
#ifndef POLICYGEN_PARSE_H
#define POLICYGEN_PARSE_H

#include "diag.h"
#include "doc.h"
#include "source.h"

#define PARSE_MAX_SECTIONS 1000  /* most headings in one document */

/* Always fills doc with what could be read (later stages report more from
 * it). Returns 0, or -1 when parsing reported errors. */
int parse_document(const Source *src, Document *doc, Diag *d);

/* Length in bytes of a document's front matter block (its --- lines
 * included; it closes with --- or ...), 0 without one, (size_t)-1 when it
 * is opened and never closed; the YAML lies in [*yaml_start, *yaml_end). */
size_t front_matter_span(const char *t, size_t len, size_t *yaml_start, size_t *yaml_end);

#endif
