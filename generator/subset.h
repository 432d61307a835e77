/* Font subsetting for embedding: HarfBuzz cuts a TrueType font down to the
 * glyphs a document draws (by glyph id: the PDF addresses glyphs, not
 * characters; glyphuse.h), renumbered from 1 in their original order
 * (.notdef stays glyph 0), without hinting and with only the tables a
 * CIDFontType2's program needs (ISO 32000-1 9.9: head, hhea, hmtx, maxp,
 * loca, glyf; no cmap, as the CIDToGIDMap is Identity). */
#ifndef POLICYGEN_SUBSET_H
#define POLICYGEN_SUBSET_H

#include <stddef.h>
#include <stdint.h>
#include <hb.h>
#include <hb-subset.h>
#include "diag.h"

/* Subset face (a font file read by HarfBuzz; name names it in messages)
 * to gids[0, n) and the glyphs their composites use. new_gids[i] gets the
 * subset's id of gids[i]. A glyph listed again (drawn for another text,
 * glyphuse.h) is copied: each later listing gets a glyph of its own after
 * the others, with the same outline and metrics (HarfBuzz cannot
 * duplicate a glyph; loca and hmtx are written again). On success returns
 * 0 and a malloc'd font program in *out; on failure (a glyph the font
 * lacks, more than 65535) reports into d (against file) and returns -1. */
int subset_glyphs(hb_face_t *face, const char *name, const uint32_t *gids, size_t n, uint32_t *new_gids,
                  unsigned char **out, size_t *outlen, Diag *d, const char *file);

/* Every table of face but keep[0, nkeep) dropped from the subset in. */
void subset_keep_only(hb_subset_input_t *in, hb_face_t *face, const hb_tag_t *keep, size_t nkeep);

/* A glyph no font has: an empty outline that advances by 0. Listed in
 * gids, it is made after the others, one per listing: it carries the
 * variation selectors of the text (render.c), so a reader that counts a
 * glyph whose text holds a mark as zero-width (pdf.js) finds the base's
 * glyph as wide as it is drawn, and adds no space after it. */
#define SUBSET_EMPTY_GLYPH UINT32_MAX

#endif
