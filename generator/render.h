/* Render a display list to PDF bytes with libharu as the PDF writer: fonts
 * subset with HarfBuzz to exactly the glyphs drawn and embedded as our own
 * Type0 fonts (codes = glyph ids, a ToUnicode CMap back to the text),
 * tagged page contents, document info and outline. Nothing touches the
 * file system. */
#ifndef POLICYGEN_RENDER_H
#define POLICYGEN_RENDER_H

#include <stddef.h>
#include "diag.h"
#include "drawlist.h"
#include "flatepool.h"
#include "fonts.h"

/* On success returns 0 and a malloc'd buffer in *out; on failure reports
 * into d (against file) and returns -1. The streams are compressed with
 * pool (flatepool.h; NULL: on this thread alone). */
int render_pdf(const DrawDoc *doc, const FontSet *fonts, FlatePool *pool, const char *file, unsigned char **out,
               size_t *outlen, Diag *d);

#endif
