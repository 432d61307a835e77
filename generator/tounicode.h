/* The ToUnicode CMap of an embedded font: each code (a glyph id of the
 * subset, glyphuse.h) to the text its glyph stands for, so that text
 * extraction gives back the source's characters, surrogate pairs and
 * variation selectors included. */
#ifndef POLICYGEN_TOUNICODE_H
#define POLICYGEN_TOUNICODE_H

#include "glyphuse.h"

/* The CMap program (Adobe-Identity-UCS, 2-byte codes, blocks of at most
 * 100 entries) for the entries of u (after glyphuse_set_cids): within each
 * run of consecutive codes in a 256-code block, a bfrange for each stretch
 * of at least four consecutive BMP characters and a bfrange with an array
 * of texts for the rest; a bfchar for a code alone.
 * Returns a malloc'd NUL-terminated string. */
char *tounicode_cmap(const GlyphUse *u);

#endif
