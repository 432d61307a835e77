/* The glyphs a document draws from one font file, and the text each
 * stands for.
 *
 * The PDF addresses glyphs directly: a font is a Type0 font with
 * Identity-H over a CIDFontType2 whose CIDToGIDMap is Identity, so a
 * text string's 2-byte codes are the glyph ids of the embedded subset
 * (pdffont.h). render.c adds every glyph it will draw, with its text (one
 * character, a character beyond the BMP, a base and its variation
 * selector, a share of a shaped cluster), while it checks the display
 * list. Each distinct (glyph, text) pair is an entry, and each entry is a
 * glyph of the subset with a code of its own: a glyph drawn for two texts
 * (U+0020 and U+00A0 on one glyph; the base of a variation sequence no
 * font has, printed for the sequence and for itself) is embedded once per
 * text (subset.h copies it), so the ToUnicode gives every code its text.
 *
 * Entries keep the order they were first added in; their glyph ids are
 * those of the original font until glyphuse_set_cids gives each its id in
 * the subset. */
#ifndef POLICYGEN_GLYPHUSE_H
#define POLICYGEN_GLYPHUSE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t gid;   /* in the original font */
    uint32_t cid;   /* its glyph id in the subset = its CID and code (glyphuse_set_cids) */
    char *text;     /* UTF-8, NUL-terminated */
    size_t len;
    size_t next;    /* the next entry of the same glyph, or GLYPHUSE_NONE */
} GlyphEntry;

#define GLYPHUSE_NONE ((size_t)-1)

typedef struct {
    uint32_t cp;    /* a character drawn by code point (a line not shaped) */
    size_t entry;   /* its entry + 1, 0 for an empty slot */
} GlyphChar;

typedef struct {
    GlyphEntry *entries;
    size_t n, cap;
    size_t *slots;  /* open addressing on gid: the glyph's first entry + 1, 0 for empty */
    size_t nslots, nglyphs;
    GlyphChar *chars; /* open addressing on code point: each looked up in the cmap once */
    size_t ncslots, nchars;
} GlyphUse;

/* The entry of glyph gid drawn for text[0, len), added when new. */
size_t glyphuse_add(GlyphUse *u, uint32_t gid, const char *text, size_t len);
/* The entry of (gid, text[0, len)), or GLYPHUSE_NONE. */
size_t glyphuse_find(const GlyphUse *u, uint32_t gid, const char *text, size_t len);
/* The entry of character cp drawn alone (glyphuse_add_char), or
 * GLYPHUSE_NONE. */
size_t glyphuse_char(const GlyphUse *u, uint32_t cp);
/* glyphuse_add for character cp, text[0, len) its UTF-8, printed with its
 * cmap glyph gid; glyphuse_char finds it from then on. */
size_t glyphuse_add_char(GlyphUse *u, uint32_t cp, uint32_t gid, const char *text, size_t len);
/* The original glyph id of every entry, in order (malloc'd; u->n of them:
 * a glyph drawn for several texts is listed once for each). */
uint32_t *glyphuse_gids(const GlyphUse *u);
/* Give entry i the subset glyph id cids[i]. */
void glyphuse_set_cids(GlyphUse *u, const uint32_t *cids);
void glyphuse_free(GlyphUse *u);

#endif
