/* A correct ToUnicode CMap for libharu 2.3.0's "UTF-8" Type0 fonts, whose
 * own one (a CID CMap with begincidrange) makes text extraction warn and
 * fail. In that mode a character's code (and CID) is its BMP code point. */
#ifndef POLICYGEN_TOUNICODE_H
#define POLICYGEN_TOUNICODE_H

#include <stddef.h>
#include <stdint.h>
#include <hpdf.h>
#include "glyphcode.h"

/* The CMap program (Adobe-Identity-UCS, 2-byte codes, bfrange blocks of at
 * most 100 entries): one identity range per 256-code block that holds a
 * code point of cps (codes never drawn map too, harmlessly). cps must be
 * sorted, unique, in U+0001..U+FFFF and not surrogates. Returns a malloc'd
 * NUL-terminated string. */
char *tounicode_cmap(const uint32_t *cps, size_t n);
/* The same, plus a bfchar entry for each private code of gc (NULL: none),
 * to the text its glyph stands for (glyphcode.h). */
char *tounicode_cmap_codes(const uint32_t *cps, size_t n, const GlyphCodes *gc);

/* Give font (from HPDF_GetFont(pdf, name, "UTF-8")) that CMap as its
 * /ToUnicode, compressed like the rest of the document. Returns HPDF_OK or
 * the libharu error code. */
HPDF_STATUS tounicode_replace(HPDF_Doc pdf, HPDF_Font font, const uint32_t *cps, size_t n, const GlyphCodes *gc);

#endif
