/* The ToUnicode CMap of an embedded font: each code (a glyph id of the
 * subset, glyphuse.h) to the text its glyph stands for, so that text
 * extraction gives back the source's characters, surrogate pairs and
 * variation selectors included. */
#ifndef POLICYGEN_TOUNICODE_H
#define POLICYGEN_TOUNICODE_H

#include "glyphuse.h"

/* The CMap program (Adobe-Identity-UCS, 2-byte codes, blocks of at most
 * 100 entries) for the entries of u (after glyphuse_set_cids): a bfrange
 * for each run of consecutive codes whose texts are consecutive BMP
 * characters, a bfchar for every other entry.
 * Returns a malloc'd NUL-terminated string. */
char *tounicode_cmap(const GlyphUse *u);

#endif
