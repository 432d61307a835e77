/* Shaping: a paragraph's code points -> the glyphs that print them, with
 * HarfBuzz (hb_shape), once per paragraph at units-per-em scale (advances
 * scale linearly with the size, so every size a cell tries uses the same
 * result).
 *
 * Text is cut into clusters: a base character and the variation selectors
 * (U+FE00-FE0F, U+E0100-E01EF) and combining marks after it. Each cluster
 * takes the first font of its role's list (fonts/fonts.yaml) that has it
 * whole: for a variation sequence, a font whose cmap maps the sequence
 * (format 14); otherwise a font with the base and every mark. A sequence no
 * font maps prints its base character (from the first font that has it),
 * reported as SHAPE_NO_VARIANT. Runs of clusters in one font are shaped
 * together (kerning, ligatures and contextual alternates off: widths are
 * the PDF's, glyph by glyph, and Latin lines break as before).
 *
 * A cluster's advance is the sum of its glyphs' advances in 1/1000 em with
 * the /W truncation (fonts.h): what the PDF's /W array says. It is
 * stored at the cluster's first code point; the others get 0. */
#ifndef POLICYGEN_SHAPE_H
#define POLICYGEN_SHAPE_H

#include <stddef.h>
#include <stdint.h>
#include "fonts.h"

typedef struct {
    uint32_t gid;     /* glyph in font */
    int font;         /* FontSet index */
    uint32_t cluster; /* index of its cluster's first code point */
} ShapedGlyph;

typedef enum {
    SHAPE_FALLBACK,   /* the cluster is printed from a later font of the role */
    SHAPE_NO_VARIANT, /* no font maps the variation sequence: its base is printed */
    SHAPE_MISSING,    /* no font of the role has the character */
    SHAPE_BROKEN,     /* the font has the glyph but it does not load */
    SHAPE_STRAY,      /* a selector or combining mark with no character before it */
    SHAPE_SELECTORS   /* more than one variation selector after one character */
} ShapeIssueKind;

typedef struct {
    ShapeIssueKind kind;
    size_t at;        /* code point index of the cluster */
    size_t len;       /* its code points */
    int font;         /* the font it is printed from (BROKEN: the damaged one) */
} ShapeIssue;

typedef struct {
    const uint32_t *cps; /* the paragraph (not owned) */
    size_t n;
    int *adv;            /* n entries: 1/1000 em, at each cluster's first code point */
    ShapedGlyph *glyphs;
    size_t nglyphs;
    ShapeIssue *issues;
    size_t nissues;
    int plain;           /* every cluster is one BMP code point printed with its own
                          * (cmap) glyph from the role's first font: the renderer's
                          * plain path (it looks each up in the cmap) */
    size_t acap, gcap, icap;
} Shaped;

/* A shaper: HarfBuzz's buffer and the result arrays, reused paragraph after
 * paragraph (no allocation per character). */
typedef struct Shaper Shaper;
Shaper *shaper_new(void);
void shaper_free(Shaper *s);

/* Shape cps[0, n) with font (a role's first font) and its fallbacks. The
 * result lives in the shaper until the next call. '\n' gets advance 0 and
 * no glyph. */
const Shaped *shape_paragraph(Shaper *s, const FontSet *fs, int font, const uint32_t *cps, size_t n);

/* HarfBuzz makes a font's shaping tables (its GSUB and GPOS, the shape
 * plan) on the first shaping in it, 0.04-0.09 ms a font: this shapes one
 * character as shape_paragraph would, ahead of it (fontsjob.h). Any
 * thread, while no other uses fs's caches. */
void shape_warm(const FontSet *fs, int font);

/* What prints of a paragraph's code points, in place: characters that show
 * nothing and would only reach the PDF as a gap or a missing glyph -- zero
 * width space, joiners, word joiner, BOM (U+200B-200D, U+2060, U+FEFF)
 * and the soft hyphen (U+00AD) -- are left out, a tab prints as a space.
 * The writer is told of each (pasted.h). Returns the new count. */
size_t shape_clean(uint32_t *cps, size_t n);

/* A variation selector (U+FE00-FE0F, U+E0100-E01EF). */
int shape_is_selector(uint32_t cp);
/* A code point that belongs to the cluster before it: a variation selector
 * or a combining mark (Unicode general category Mn, Me). */
int shape_is_continuation(uint32_t cp);

#endif
