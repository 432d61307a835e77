/* Codes for glyphs that have no code point of their own in libharu's eyes.
 *
 * libharu 2.3.0 addresses a TrueType font's glyphs only through the BMP
 * cmap it reads from the font (its "UTF-8" fonts: code = CID = BMP code
 * point). A glyph reached otherwise -- a character above U+FFFF (𠮷
 * U+20BB7), a variation sequence's variant (葛 U+845B U+E0100), a glyph a
 * shaped cluster became -- gets a private code: a Private Use Area code
 * point (U+E000-F8FF), in a 256-code block the document uses for nothing
 * else, which the subset's cmap maps to the glyph (subset.c) and the
 * ToUnicode CMap maps back to the real text, surrogate pairs and selectors
 * included (tounicode.c). Text extraction then gives the source's code
 * points; the page contents only ever hold 2-byte codes.
 *
 * One table per embedded font: glyphs are added while the display list is
 * checked, codes assigned once all are known (glyphcode_assign), looked up
 * while the pages are written. */
#ifndef POLICYGEN_GLYPHCODE_H
#define POLICYGEN_GLYPHCODE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t gid;   /* in the original font */
    char *text;     /* what it stands for, UTF-8 */
    uint32_t code;  /* its private code (after glyphcode_assign) */
} GlyphCode;

typedef struct {
    GlyphCode *e;
    size_t n, cap;
} GlyphCodes;

/* The entry for (gid, text[0, len)), added when new; its index. */
size_t glyphcode_add(GlyphCodes *gc, uint32_t gid, const char *text, size_t len);
/* Its index, or (size_t)-1. */
size_t glyphcode_find(const GlyphCodes *gc, uint32_t gid, const char *text, size_t len);
/* Give every entry a code in the blocks of U+E000-F8FF (from the top) that
 * hold no code of `used` (a bit per BMP code point: the real characters
 * drawn in this font). Returns 0, or -1 when they do not fit. */
int glyphcode_assign(GlyphCodes *gc, const uint64_t *used);
void glyphcodes_free(GlyphCodes *gc);

#endif
