/* The PDF objects of one embedded font, made with libharu's object API
 * (libharu stays the PDF writer; its own font machinery is not used):
 *
 *   Type0            /BaseFont TAG+PSName /Encoding /Identity-H
 *                    /DescendantFonts [CIDFontType2] /ToUnicode (tounicode.h)
 *   CIDFontType2     /CIDSystemInfo (Adobe, Identity, 0) /CIDToGIDMap /Identity
 *                    /DW 1000 /W [widths of the glyphs drawn that are not 1000]
 *   FontDescriptor   /FontName TAG+PSName /Flags 32 /FontBBox /ItalicAngle
 *                    /Ascent /Descent /CapHeight /StemV 0 /FontFile2 (+ /Length1)
 *
 * A code is a glyph id of the subset (subset.h), so a text string is the
 * glyphs' 2-byte ids. Widths are read from the embedded program's hmtx
 * with the typesetter's integer truncation (advance * 1000 / unitsPerEm,
 * fonts.h), so /W is exactly what the layout measured and what the font
 * says (ISO 19005-2 6.2.11.5). FontBBox, Ascent and Descent are the
 * program's head and hhea values in 1/1000 em, truncated; CapHeight the
 * top of 'H' when the document draws it, else the ascent (a CJK font's
 * capital height; the key is required, ISO 32000-1 Table 122); ItalicAngle
 * the original font's post value. The six letters of the subset tag come
 * from an MD5 of the PostScript name and the original glyph ids (one per
 * code): the same
 * subset gets the same tag in every document, two subsets differ. */
#ifndef POLICYGEN_PDFFONT_H
#define POLICYGEN_PDFFONT_H

#include <stddef.h>
#include <stdint.h>
#include <hb.h>
#include <hpdf.h>
#include "glyphuse.h"

/* The objects for the subset prog[0, len) of face holding the glyphs of u
 * (cids set); pdf owns prog from now on (malloc'd; its FontFile2 reads it
 * when the file is saved), and it is freed here when this fails. *program gets the FontFile2's object number,
 * for pdfpack.h (which may be handed its bytes compressed already).
 * Returns the Type0 font, an indirect object of pdf to name in the pages'
 * /Resources /Font, or NULL when libharu failed or the program lacks a
 * table read here. */
HPDF_Dict pdffont_new(HPDF_Doc pdf, hb_face_t *face, unsigned char *prog, size_t len, const GlyphUse *u,
                      size_t *program);

/* The parts, for tests. */

/* The subset tag for a font of this name holding these glyphs (original
 * ids, sorted): six capital letters and a NUL. */
void pdffont_tag(const char *name, const uint32_t *gids, size_t n, char tag[7]);

/* Advance of glyph gid of the program in 1/1000 em, truncated, or -1 when
 * the program has no such glyph or no hmtx. */
int pdffont_advance(const unsigned char *prog, size_t len, uint32_t gid);

#endif
