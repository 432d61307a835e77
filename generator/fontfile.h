/* The embedded font programs (FontFile2) of a PDF, written by us rather
 * than by libharu 2.3.0, so that each is a valid TrueType font (ISO 19005-2
 * 6.2.11.2: fonts shall conform to their specifications) under a subset tag
 * of its own.
 *
 * libharu's re-save of a subset (HPDF_TTFontDef_SaveFontData) always lists
 * the same 13 tables: cmap (render.c writes it empty), cvt and fpgm (our
 * subsets have no hinting) come out zero-length, which a strict parser
 * (fontTools, OTS) rejects; tables are not padded, so most offsets after
 * the 54-byte head are not 4-byte aligned; the directory's searchRange
 * fields are copied from the input font. And every document calls its
 * subsets HPDFAA+, HPDFAB+, ... whatever glyphs they hold.
 *
 * fontfile_embed takes libharu's bytes and writes them again: the empty
 * tables left out, an exact (3,1) format 4 cmap of the code points drawn
 * (the same mapping as the CIDToGIDMap), every table 4-byte aligned and
 * padded, directory fields, table checksums and head.checkSumAdjustment
 * computed. The six letters of the tag come from an MD5 of the font's name
 * and its glyph set: the same subset gets the same tag in every document,
 * two subsets differ. */
#ifndef POLICYGEN_FONTFILE_H
#define POLICYGEN_FONTFILE_H

#include <stddef.h>
#include <stdint.h>
#include <hpdf.h>

/* For every embedded TrueType font of pdf (call after the pages are drawn,
 * before saving): tag it and give it a FontDescriptor whose FontFile2 is
 * the rewritten program; libharu then writes that descriptor instead of
 * its own. Returns 0, or -1 when libharu failed (its error handler has
 * the details) or its font data could not be read back. */
int fontfile_embed(HPDF_Doc pdf);

/* The parts, for tests. */

/* A cmap table with one (3,1) format 4 subtable mapping cps[i] to gids[i]
 * (cps sorted, unique, below U+FFFF): segments of equal glyph-code delta
 * where that is smaller, glyph arrays elsewhere. NULL when it would not fit
 * format 4's 64 KB (the font is then written without a cmap, which a
 * CIDFontType2 does not need: ISO 32000-1 9.9). */
unsigned char *fontfile_cmap(const uint32_t *cps, const uint16_t *gids, size_t n, size_t *len);

/* The sfnt in[0, len) again: zero-length tables and its cmap left out,
 * cmap[0, cmap_len) added as the cmap when cmap_len > 0, tables sorted by
 * tag, aligned and padded, every checksum computed. Returns a malloc'd
 * font, or NULL when in is not a well-formed table directory. */
unsigned char *fontfile_rebuild(const unsigned char *in, size_t len, const unsigned char *cmap,
                                size_t cmap_len, size_t *out_len);

/* The subset tag for a font of this name holding these glyphs (gids
 * sorted): six capital letters and a NUL. */
void fontfile_tag(const char *name, const uint16_t *gids, size_t n, char tag[7]);

#endif
