/* Render a display list to PDF bytes with libharu: fonts subset with
 * HarfBuzz to exactly the code points drawn, a correct ToUnicode CMap,
 * document info and outline. Nothing touches the file system but the
 * temporary subset fonts, which are unlinked at once. */
#ifndef POLICYGEN_RENDER_H
#define POLICYGEN_RENDER_H

#include <stddef.h>
#include "diag.h"
#include "drawlist.h"
#include "fonts.h"

/* On success returns 0 and a malloc'd buffer in *out; on failure reports
 * into d (against file) and returns -1. */
int render_pdf(const DrawDoc *doc, const FontSet *fonts, const char *file,
               unsigned char **out, size_t *outlen, Diag *d);

#endif
