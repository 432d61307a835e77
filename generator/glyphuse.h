/* The glyphs a document draws from one font file, and the text each
 * stands for.
 *
 * The PDF addresses glyphs directly: a font is a Type0 font with
 * Identity-H over a CIDFontType2 whose CIDToGIDMap is Identity, so a
 * text string's 2-byte codes are the glyph ids of the embedded subset
 * (pdffont.h). render.c adds every glyph it will draw, with its text (one
 * character, a surrogate pair's character, a base and its variation
 * selector, a share of a shaped cluster), while it checks the display
 * list; glyphuse_settle then picks, for each glyph, the text its
 * ToUnicode entry gives: the one it was drawn for most often (the first
 * of equals). A glyph drawn for another text too (two code points on one
 * glyph, U+0020 and U+00A0) prints that text through /ActualText.
 *
 * Each (glyph, text) pair is an entry; entries and glyphs keep the order
 * they were first added in. Glyph ids are those of the original font until
 * glyphuse_set_cids gives each glyph its id in the subset. */
#ifndef POLICYGEN_GLYPHUSE_H
#define POLICYGEN_GLYPHUSE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t gid;   /* in the original font */
    uint32_t cid;   /* its id in the subset = its CID and code (glyphuse_set_cids) */
    size_t text;    /* the entry whose text the ToUnicode gives (glyphuse_settle) */
    size_t first;   /* its first entry; entries chain through next */
} UsedGlyph;

typedef struct {
    size_t glyph;   /* index into glyphs */
    char *text;     /* UTF-8, NUL-terminated */
    size_t len;
    size_t count;   /* times drawn */
    size_t next;    /* the glyph's next entry, or GLYPHUSE_NONE */
} GlyphEntry;

#define GLYPHUSE_NONE ((size_t)-1)

typedef struct {
    UsedGlyph *glyphs;
    size_t nglyphs, gcap;
    GlyphEntry *entries;
    size_t nentries, ecap;
    size_t *slots;  /* open addressing on gid: glyph index + 1, 0 for empty */
    size_t nslots;
} GlyphUse;

/* Count one drawing of glyph gid for text[0, len); returns its entry. */
size_t glyphuse_add(GlyphUse *u, uint32_t gid, const char *text, size_t len);
/* Count one more drawing of entry k (a caller's cached glyphuse_add). */
void glyphuse_count(GlyphUse *u, size_t k);
/* The entry of (gid, text[0, len)), or GLYPHUSE_NONE. */
size_t glyphuse_find(const GlyphUse *u, uint32_t gid, const char *text, size_t len);
/* Choose each glyph's ToUnicode text (call once every glyph is added). */
void glyphuse_settle(GlyphUse *u);
/* Whether the ToUnicode gives entry k's text for its glyph (after settle):
 * if not, the text it was drawn for needs /ActualText. */
int glyphuse_exact(const GlyphUse *u, size_t k);
/* The code of entry k in the PDF: its glyph's id in the subset. */
uint32_t glyphuse_cid(const GlyphUse *u, size_t k);
/* The original glyph ids, in the order added (malloc'd; n = u->nglyphs). */
uint32_t *glyphuse_gids(const GlyphUse *u);
/* Give glyph i the subset id cids[i] (cids in the order of glyphuse_gids). */
void glyphuse_set_cids(GlyphUse *u, const uint32_t *cids);
void glyphuse_free(GlyphUse *u);

#endif
