/* What the renderer's files share (render.c: the document, its fonts,
 * outline, links and checks; render_page.c: the page contents). */
#ifndef POLICYGEN_RENDER_INTERNAL_H
#define POLICYGEN_RENDER_INTERNAL_H

#include <math.h>
#include <hpdf.h>

#include "render.h"
#include "glyphuse.h"
#include "structure.h"

/* libharu reports through this; the call site that failed adds context. */
typedef struct {
    HPDF_STATUS code, detail; /* first error seen, 0 if none */
    int reported;
} HaruStatus;

/* One embedded font per distinct file: two roles on one file (or a
 * fallback font shared by two roles) share one subset. */
typedef struct {
    const char *path;
    int index;        /* a FontSet index of the file: its HarfBuzz face and cmap */
    GlyphUse glyphs;  /* the glyphs drawn and their texts */
    HPDF_Font font;   /* its Type0 font (pdffont.h; owned by the HPDF_Doc) */
    /* Its program, compressed on a thread of its own from the subset on
     * (handed to pdfpack.h), and the FontFile2 object it is written as. */
    struct FlateTask *program_task;
    size_t program_obj;
} FontUse;

typedef struct {
    const DrawDoc *doc;
    const FontSet *fonts;
    const char *file;
    Diag *d;
    FontUse *uses;     /* n_uses entries */
    int n_uses;
    int *use_of_font;  /* FontSet index -> uses index, -1 if not drawn */
    HPDF_Doc pdf;
    HaruStatus status;
    TagRefs tags;      /* every marked-content sequence written, for the structure tree */
    unsigned colours;  /* the colour spaces written (fonts.h COLOUR_*): DeviceGray, the pages' own, and more */
    struct FlatePool *pool; /* compresses the font programs and, in pdfpack, the rest */
} Render;

/* What glyph g of op stands for: text[0, len) of op->text. A cluster
 * shaped into several glyphs gives each its code point in order, the last
 * one the rest. */
typedef struct {
    const char *text;
    size_t len;
} GlyphText;

/* A coordinate of libharu's own objects (page size, destinations), to
 * 0.01 pt. */
static inline double r2(double v)
{
    return round(v * 100.0) / 100.0;
}

/* Has libharu failed? Reported once, with what we were doing. */
int haru_failed(Render *r, const char *what);

void glyph_text(const DrawOp *op, size_t g, GlyphText *gt);

/* Where the variation selectors of gt start when it is a character
 * followed by nothing but selectors (one glyph printing a variation
 * sequence, or its base for one no font has), else gt->len. The glyph is
 * then given the character's text alone, and the selectors an empty glyph
 * of their own (SUBSET_EMPTY_GLYPH). */
size_t glyph_selectors_at(const GlyphText *gt);

/* Every page of the display list, its contents written (render_page.c). */
int render_pages(Render *r, HPDF_Page *pages);

#endif
