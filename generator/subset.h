/* Font subsetting for embedding: HarfBuzz cuts a TrueType font down to the
 * code points a document draws, and libharu 2.3.0 (which has no
 * load-from-memory) reads the result from a temporary file that is
 * unlinked as soon as it is opened. */
#ifndef POLICYGEN_SUBSET_H
#define POLICYGEN_SUBSET_H

#include <stddef.h>
#include <stdint.h>
#include <hb.h>
#include <hpdf.h>
#include "diag.h"
#include "glyphcode.h"

/* Subset the TrueType font at font_path to cps[0..n) (any order, .notdef
 * always kept), without hinting and with only the tables libharu reads.
 * On success returns 0 and a malloc'd font file in *out; on failure reports
 * into d (against file) and returns -1. */
/* HarfBuzz's subset of the font to exactly cps (sorted or not), hinting
 * and every table a PDF does not need dropped: what subset_font starts
 * from, and the "ideal" the benchmark measures against. NULL on failure. */
hb_face_t *subset_plain(const char *font_path, const uint32_t *cps, size_t n, Diag *d, const char *file);

int subset_font(const char *font_path, const uint32_t *cps, size_t n,
                unsigned char **out, size_t *outlen, Diag *d, const char *file);

/* The same, also keeping the glyphs of gc (glyphcode.h; NULL: none) and
 * mapping each private code to its glyph in the subset's cmap. */
int subset_font_codes(const char *font_path, const uint32_t *cps, size_t n, const GlyphCodes *gc,
                      unsigned char **out, size_t *outlen, Diag *d, const char *file);

/* Subset as above and load the result into pdf for embedding. Returns the
 * font name libharu registered (owned by pdf), or NULL after reporting. */
const char *subset_load(HPDF_Doc pdf, const char *font_path, const uint32_t *cps, size_t n, const GlyphCodes *gc,
                        Diag *d, const char *file);

#endif
