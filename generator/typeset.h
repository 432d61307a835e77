/* Typeset stage: lay the bound document out on the layout's pages. Each
 * cell's text is wrapped with the kinsoku line breaker, measured with the
 * advances the PDF will declare, and shrunk step by step down to the cell's
 * smallest size when it does not fit; past that it is an error naming the
 * source line and the cell. The output is a display list. */
#ifndef POLICYGEN_TYPESET_H
#define POLICYGEN_TYPESET_H

#include "bind.h"
#include "source.h"
#include "diag.h"
#include "drawlist.h"
#include "fonts.h"
#include "layout.h"

#define TYPESET_MAX_PAGES 200  /* most pages one document may produce */

/* Returns 0, or -1 when errors were reported (doc is then incomplete).
 * src: the document's text, to point messages at a character (or NULL).
 * bound_ok: binding found no error; if it did, a page that overflows only
 * repeats a count error already reported, and is not reported again. */
int typeset_document(const Layout *layout, const Node *root, const FontSet *fonts, const char *file,
                     const Source *src, int bound_ok, DrawDoc *doc, Diag *d);

/* Put the layout's page_number cell on every page of doc (a bound
 * document, or a whole book), with {page} and {pages}. */
int typeset_page_numbers(const Layout *layout, const FontSet *fonts, DrawDoc *doc, Diag *d);

/* Put the layout's draft mark (「案」) on every page: decoration, not
 * content (an artifact), for a document its front matter marks a draft. */
int typeset_draft_mark(const Layout *layout, const FontSet *fonts, DrawDoc *doc, Diag *d);

#endif
