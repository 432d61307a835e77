/* Display list -> PDF bytes with libharu 2.3.0. See render.h.
 *
 * libharu writes the objects; the fonts are ours (details in
 * docs/notes/TECH-NOTES.md, section 3, for what libharu's own would do):
 * - each font file drawn in is subset by glyph id (subset.h) and embedded
 *   as a Type0/CIDFontType2 font whose codes are the subset's glyph ids
 *   (pdffont.h), with a ToUnicode CMap back to the text of every glyph
 *   (glyphuse.h, tounicode.h): any character the fonts have prints,
 *   beyond the BMP and variation sequences included;
 * - document info and outline titles are written as UTF-16BE with BOM by
 *   us, so every Unicode character survives there;
 * - its operator functions keep coordinates as float and print 742.68 as
 *   "742.67999", so page contents are written here (draw_op), exact to
 *   0.01 pt, straight into each page's content stream. */
#include "render.h"
#include "memreader.h"
#include "rules.h"
#include "conform.h"
#include "glyphuse.h"
#include "pdffont.h"
#include "pdfpack.h"
#include "structure.h"
#include "subset.h"
#include "util.h"
#include "version.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hb.h>
#include <hpdf.h>

/* The document information every PDF carries (Info and XMP alike). */
#define PDF_CREATOR "policygen " POLICYGEN_VERSION
#define PDF_PRODUCER "Haru Free PDF Library 2.3.0" /* what libharu writes itself */
#define PDF_LANG "ja"
#define MAX_OUTLINE_DEPTH 8

/* libharu reports through this; the call site that failed adds context. */
typedef struct {
    HPDF_STATUS code, detail; /* first error seen, 0 if none */
    int reported;
} HaruStatus;

static void on_haru_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
    HaruStatus *st = user;
    if (!st->code) {
        st->code = code;
        st->detail = detail;
    }
}

static const char *haru_error_name(HPDF_STATUS code)
{
    switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_IO_ERROR: return "file I/O error";
    case HPDF_INVALID_FONTDEF_DATA: return "invalid font data";
    case HPDF_INVALID_PARAMETER: return "invalid parameter";
    case HPDF_PAGE_INVALID_SIZE: return "invalid page size";
    case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
    case HPDF_TTF_INVALID_CMAP: return "unsupported TrueType cmap";
    case HPDF_TTF_INVALID_FOMAT: return "invalid TrueType font";
    case HPDF_TTF_MISSING_TABLE: return "TrueType table missing";
    case HPDF_INVALID_FONT: return "invalid font";
    case HPDF_INVALID_OBJECT: return "invalid object";
    default: return "libharu error";
    }
}

/* One embedded font per distinct file: two roles on one file (or a
 * fallback font shared by two roles) share one subset. */
typedef struct {
    const char *path;
    int index;        /* a FontSet index of the file: its HarfBuzz face and cmap */
    GlyphUse glyphs;  /* the glyphs drawn and their texts */
    HPDF_Font font;   /* its Type0 font (pdffont.h; owned by the HPDF_Doc) */
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
} Render;

static double r2(double v)
{
    return round(v * 100.0) / 100.0;
}

/* Has libharu failed? Reported once, with what we were doing. */
static int haru_failed(Render *r, const char *what)
{
    if (!r->status.code)
        return 0;
    if (r->status.reported++)
        return 1;
    diag_error(r->d, r->file, 0, 0, "PDF writer failed while %s: %s (libharu 0x%04lX/%lu)", what,
               haru_error_name(r->status.code), (unsigned long)r->status.code,
               (unsigned long)r->status.detail);
    return 1;
}

/* ---- checks before writing anything ------------------------------------ */

static void describe_cp(char *buf, size_t n, uint32_t cp)
{
    StrBuf sb = {0};
    if (!cp_invisible(cp))
        sb_put_utf8(&sb, cp);
    if (sb.data)
        snprintf(buf, n, "'%s' (U+%04X)", sb.data, (unsigned)cp);
    else
        snprintf(buf, n, "U+%04X", (unsigned)cp);
    sb_free(&sb);
}

static int use_for_font(Render *r, int font)
{
    if (r->use_of_font[font] >= 0)
        return r->use_of_font[font];
    const char *path = fontset_path(r->fonts, font);
    for (int i = 0; i < r->n_uses; i++)
        if (strcmp(r->uses[i].path, path) == 0)
            return r->use_of_font[font] = i;
    FontUse *u = &r->uses[r->n_uses];
    memset(u, 0, sizeof *u);
    u->path = path;
    u->index = font;
    return r->use_of_font[font] = r->n_uses++;
}

/* Every character must be in the font (else .notdef, and text extraction
 * loses the rest). The typesetter checks that earlier; this is the last
 * guard. Each character's glyph is noted for embedding in its font. */
static void check_text(Render *r, size_t page, const DrawOp *op)
{
    const char *role = fontset_role(r->fonts, op->font);
    FontUse *u = &r->uses[use_for_font(r, op->font)];
    hb_font_t *hb = font_hb(r->fonts, op->font);
    const unsigned char *s = (const unsigned char *)op->text;
    size_t n = strlen(op->text);
    char what[64];
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(s, n, &cp);
        if (len == 0) {
            diag_error(r->d, r->file, 0, 0, "page %zu: text \"%s\" is not valid UTF-8", page + 1,
                       op->text);
            return;
        }
        hb_codepoint_t gid = 0;
        if (glyphuse_char(&u->glyphs, cp) != GLYPHUSE_NONE) {
            /* checked and added before */
        } else if (cp < 0x20 || cp == 0x7F) {
            describe_cp(what, sizeof what, cp);
            diag_error(r->d, r->file, 0, 0, "page %zu: control character %s in \"%s\"", page + 1,
                       what, op->text);
        } else if (font_advance(r->fonts, op->font, cp) < 0 || !hb_font_get_nominal_glyph(hb, cp, &gid)) {
            describe_cp(what, sizeof what, cp);
            diag_error(r->d, r->file, 0, 0, "%zu ページ: フォント '%s' に、\"%s\" の中の文字 %s の字形がありません",
                       page + 1, role, op->text, what);
        } else {
            glyphuse_add_char(&u->glyphs, cp, gid, (const char *)s, len);
        }
        s += len;
        n -= len;
    }
}

/* What glyph g of op stands for: text[0, len) of op->text. A cluster
 * shaped into several glyphs gives each its code point in order, the last
 * one the rest. */
typedef struct {
    const char *text;
    size_t len;
} GlyphText;

static void glyph_text(const DrawOp *op, size_t g, GlyphText *gt)
{
    const DrawGlyph *gl = op->glyphs;
    size_t h = g;
    while (h > 0 && gl[h].len == 0)
        h--;
    size_t m = 1;
    while (h + m < op->nglyphs && gl[h + m].len == 0)
        m++;
    size_t idx = g - h;
    const unsigned char *s = (const unsigned char *)op->text + gl[h].start;
    size_t n = gl[h].len, at = 0, k = 0, from = 0, to = n;
    uint32_t cp = 0;
    while (at < n) { /* the code points of the cluster: this glyph's share */
        size_t l = utf8_decode(s + at, n - at, &cp);
        if (l == 0)
            break;
        if (m > 1 && k == idx)
            from = at;
        if (m > 1 && idx < m - 1 && k == idx + 1)
            to = at;
        at += l;
        k++;
    }
    if (m > 1 && idx >= k) { /* more glyphs than characters: the last character */
        from = utf8_back((const char *)s, n);
        to = n;
    }
    gt->text = (const char *)s + from;
    gt->len = to > from ? to - from : 0;
}

/* The glyphs of a shaped line: each from a known font, a real glyph, its
 * text inside the line's; each noted for embedding in its font. */
static void check_glyphs(Render *r, size_t page, const DrawOp *op)
{
    size_t tlen = strlen(op->text);
    for (size_t g = 0; g < op->nglyphs; g++) {
        const DrawGlyph *gl = &op->glyphs[g];
        if (gl->font < 0 || gl->font >= fontset_count(r->fonts) || gl->gid == 0 ||
            (size_t)gl->start + gl->len > tlen || (g == 0 && gl->len == 0)) {
            diag_error(r->d, r->file, 0, 0, "page %zu: text \"%s\" has a glyph the renderer cannot print (#%zu)",
                       page + 1, op->text, g);
            return;
        }
    }
    for (size_t g = 0; g < op->nglyphs; g++) {
        GlyphText gt;
        glyph_text(op, g, &gt);
        FontUse *u = &r->uses[use_for_font(r, op->glyphs[g].font)];
        glyphuse_add(&u->glyphs, op->glyphs[g].gid, gt.text, gt.len);
    }
}

static int finite_all(const DrawOp *op)
{
    return isfinite(op->x) && isfinite(op->y) && isfinite(op->x2) && isfinite(op->y2) &&
           isfinite(op->width) && isfinite(op->gray) && isfinite(op->size);
}

/* An element index of doc, or an artifact. */
static int elem_ok(const DrawDoc *doc, int elem)
{
    return elem == DRAW_ARTIFACT || elem == DRAW_PAGINATION || (elem >= 0 && (size_t)elem < doc->nelems);
}

static void check_doc(Render *r)
{
    const DrawDoc *doc = r->doc;
    if (doc->npages == 0)
        diag_error(r->d, r->file, 0, 0, "nothing to render: the document has no pages");
    for (size_t p = 0; p < doc->npages; p++) {
        const DrawPage *pg = &doc->pages[p];
        if (!(pg->width >= HPDF_MIN_PAGE_SIZE && pg->width <= HPDF_MAX_PAGE_SIZE &&
              pg->height >= HPDF_MIN_PAGE_SIZE && pg->height <= HPDF_MAX_PAGE_SIZE))
            diag_error(r->d, r->file, 0, 0, "page %zu: size %g x %g pt is outside %d..%d pt",
                       p + 1, pg->width, pg->height, HPDF_MIN_PAGE_SIZE, HPDF_MAX_PAGE_SIZE);
        for (size_t i = 0; i < pg->nops; i++) {
            const DrawOp *op = &pg->ops[i];
            if (!finite_all(op)) {
                diag_error(r->d, r->file, 0, 0, "page %zu: drawing operation %zu has a "
                           "non-finite number", p + 1, i + 1);
                continue;
            }
            if (op->kind != OP_TEXT && !(op->gray >= 0 && op->gray <= 1))
                diag_error(r->d, r->file, 0, 0, "page %zu: gray level %g is outside 0..1",
                           p + 1, op->gray);
            if ((op->kind == OP_LINE || op->kind == OP_MARK_RECT) &&
                !(op->width >= 0 && op->width <= HPDF_MAX_LINEWIDTH))
                diag_error(r->d, r->file, 0, 0, "page %zu: line width %g is outside 0..%d pt",
                           p + 1, op->width, HPDF_MAX_LINEWIDTH);
            if (op->kind != OP_TEXT)
                continue;
            if (!elem_ok(doc, op->elem) || (op->label_len && !elem_ok(doc, op->label_elem)))
                diag_error(r->d, r->file, 0, 0, "page %zu: text tied to no structure element (#%d)", p + 1, op->elem);
            if (op->font < 0 || op->font >= fontset_count(r->fonts)) {
                diag_error(r->d, r->file, 0, 0, "page %zu: text uses unknown font #%d", p + 1,
                           op->font);
                continue;
            }
            if (!(op->size > 0 && op->size <= HPDF_MAX_FONTSIZE))
                diag_error(r->d, r->file, 0, 0, "page %zu: font size %g is outside 0..%d pt",
                           p + 1, op->size, HPDF_MAX_FONTSIZE);
            if (op->text && op->glyphs)
                check_glyphs(r, p, op);
            else if (op->text)
                check_text(r, p, op);
        }
    }
    /* The structure is a tree in reading order: each parent comes first. */
    for (size_t i = 0; i < doc->nelems; i++)
        if (doc->elems[i].parent < -1 || doc->elems[i].parent >= (int)i || !doc->elems[i].role)
            diag_error(r->d, r->file, 0, 0, "structure element %zu has no earlier parent (#%d)", i, doc->elems[i].parent);
    for (size_t i = 0; i < doc->nlinks; i++)
        if (doc->links[i].elem < 0 || (size_t)doc->links[i].elem >= doc->nelems)
            diag_error(r->d, r->file, 0, 0, "link %zu belongs to no structure element", i + 1);
    for (size_t i = 0; i < doc->nmarks; i++)
        if (doc->marks[i].page >= doc->npages)
            diag_error(r->d, r->file, 0, 0, "bookmark \"%s\" points to page %zu of %zu",
                       doc->marks[i].title, doc->marks[i].page + 1, doc->npages);
}

/* ---- strings ----------------------------------------------------------- */

/* A PDF text string: printable ASCII as a literal (it is PDFDocEncoding
 * too), anything else as UTF-16BE with BOM, surrogate pairs included.
 * libharu's own UTF-8 conversion would turn non-BMP characters into spaces.
 * Returns NULL for invalid UTF-8. */
static void *text_string(HPDF_Doc pdf, const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t n = strlen(utf8);
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7E)
            ascii = 0;
    if (ascii)
        return HPDF_String_New(pdf->mmgr, utf8, NULL);
    unsigned char *buf = xmalloc(2 + n * 4);
    size_t k = 0;
    buf[k++] = 0xFE;
    buf[k++] = 0xFF;
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(s, n, &cp);
        if (len == 0) {
            free(buf);
            return NULL;
        }
        s += len;
        n -= len;
        if (cp > 0xFFFF) {
            cp -= 0x10000;
            uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            buf[k++] = (unsigned char)(hi >> 8), buf[k++] = (unsigned char)hi;
            buf[k++] = (unsigned char)(lo >> 8), buf[k++] = (unsigned char)lo;
        } else {
            buf[k++] = (unsigned char)(cp >> 8), buf[k++] = (unsigned char)cp;
        }
    }
    void *obj = HPDF_Binary_New(pdf->mmgr, buf, (HPDF_UINT)k); /* copies buf */
    free(buf);
    return obj;
}

static void set_info(Render *r, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    void *obj = text_string(r->pdf, value);
    if (!obj) {
        diag_error(r->d, r->file, 0, 0, "document %s is not valid UTF-8", key);
        return;
    }
    HPDF_Dict_Add(r->pdf->info, key, obj);
}

/* ---- document parts ---------------------------------------------------- */

/* What a reader needs to present the document: its language (the forms
 * are Japanese; screen readers and text-to-speech pick their voice by it),
 * the title in the window instead of the file name, and page labels
 * 1, 2, 3 ... (one decimal range from the first page), so that a viewer's
 * page box shows the numbers the book prints. */
static void set_catalog(Render *r)
{
    /* /Lang and /DisplayDocTitle are PDF 1.4; libharu would say 1.3. */
    if (r->pdf->pdf_version < HPDF_VER_14)
        r->pdf->pdf_version = HPDF_VER_14;
    HPDF_Dict catalog = r->pdf->catalog;
    HPDF_Dict_Add(catalog, "Lang", HPDF_String_New(r->pdf->mmgr, PDF_LANG, NULL));
    HPDF_Dict prefs = HPDF_Dict_New(r->pdf->mmgr);
    if (prefs && HPDF_Dict_Add(catalog, "ViewerPreferences", prefs) == HPDF_OK)
        HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
    HPDF_AddPageLabel(r->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
}

/* Reproducible builds: no date unless SOURCE_DATE_EPOCH gives one. The
 * date in XMP form goes to xmp (left "" without one). */
static void set_dates(Render *r, char xmp[64])
{
    xmp[0] = '\0';
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return;
    char *end;
    errno = 0;
    long long t = strtoll(sde, &end, 10);
    struct tm tm;
    time_t tt = (time_t)t;
    if (errno || *end || t < 0 || t > 253402300799LL || !gmtime_r(&tt, &tm)) {
        diag_error(r->d, r->file, 0, 0, "SOURCE_DATE_EPOCH=\"%s\" is not a number of seconds "
                   "since 1970", sde);
        return;
    }
    HPDF_Date date = {0};
    date.year = tm.tm_year + 1900;
    date.month = tm.tm_mon + 1;
    date.day = tm.tm_mday;
    date.hour = tm.tm_hour;
    date.minutes = tm.tm_min;
    date.seconds = tm.tm_sec;
    /* 'Z' would make 2.3.0 write "Z00'00'", which the PDF date syntax
     * does not allow; "+00'00'" is the same instant, well-formed. */
    date.ind = '+';
    HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_MOD_DATE, date);
    snprintf(xmp, 64, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", date.year, date.month, date.day, date.hour,
             date.minutes, date.seconds);
}

/* Each font file drawn in: its glyphs subset (their ids there are the
 * codes the pages write) and the font objects made. */
static int load_fonts(Render *r)
{
    for (int i = 0; i < r->n_uses; i++) {
        FontUse *u = &r->uses[i];
        if (u->glyphs.n == 0)
            continue; /* only empty strings drawn in it (or a fallback font nothing needed) */
        hb_face_t *face = hb_font_get_face(font_hb(r->fonts, u->index));
        uint32_t *gids = glyphuse_gids(&u->glyphs);
        uint32_t *cids = xmalloc(u->glyphs.n * sizeof *cids);
        unsigned char *prog = NULL;
        size_t len = 0;
        int rc = subset_glyphs(face, u->path, gids, u->glyphs.n, cids, &prog, &len, r->d, r->file);
        if (rc == 0) {
            glyphuse_set_cids(&u->glyphs, cids);
            u->font = pdffont_new(r->pdf, face, prog, len, &u->glyphs); /* takes prog */
        }
        free(cids);
        free(gids);
        if (rc != 0)
            return -1; /* subset_glyphs reported */
        if (!u->font || haru_failed(r, "embedding fonts")) {
            if (!r->status.code)
                diag_error(r->d, r->file, 0, 0, "cannot embed the subset of %s", u->path);
            return -1;
        }
    }
    return 0;
}

/* ---- page contents ------------------------------------------------------ */

/* Coordinates, sizes and gray levels in hundredths (of a point): what the
 * PDF shows, and what the graphics state is compared in. */
static long long hundredths(double v)
{
    /* Layouts are range-checked, so this never clamps a real form; it
     * keeps a stray value from overflowing (and NaN from reaching llround). */
    if (!(v > -1e9 && v < 1e9))
        v = v > 0 ? 1e9 : -1e9;
    return llround(v * 100.0);
}

/* A number in hundredths as the shortest decimal: 742.68, 742.5, 742, -0.05. */
static void put_num(StrBuf *sb, long long h)
{
    char digits[24];
    int k = 0;
    if (h < 0) {
        sb_putc(sb, '-');
        h = -h;
    }
    long long whole = h / 100; /* by hand: vsnprintf was 4% of a whole run */
    do {
        digits[k++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole && k < (int)sizeof digits);
    while (k > 0)
        sb_putc(sb, digits[--k]);
    int frac = (int)(h % 100);
    if (frac) {
        sb_putc(sb, '.');
        sb_putc(sb, (char)('0' + frac / 10));
        if (frac % 10)
            sb_putc(sb, (char)('0' + frac % 10));
    }
}

/* Numbers separated by spaces, then the operator and a newline. */
static void put_op(StrBuf *sb, const char *op, int n, const long long *v)
{
    for (int i = 0; i < n; i++) {
        put_num(sb, v[i]);
        sb_putc(sb, ' ');
    }
    sb_puts(sb, op);
    sb_putc(sb, '\n');
}

/* The text as a string of 2-byte codes: each character's glyph's id in
 * the subset of font use u (pdffont.h; check_text added every one). */
static void put_codes(StrBuf *sb, const FontUse *u, const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t n = strlen(utf8);
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(s, n, &cp);
        if (len == 0)
            break;
        size_t k = glyphuse_char(&u->glyphs, cp);
        if (k != GLYPHUSE_NONE)
            sb_put_hex4(sb, u->glyphs.entries[k].cid);
        s += len;
        n -= len;
    }
}

/* Text extraction (poppler: pdftotext, evince) drops characters that are
 * white space and marks a word break instead, so an ideographic space, a
 * no-break space, a space at either end or two spaces in a row would not
 * come back. A line with one of those carries its own text as
 * /ActualText, which poppler then reports as it is. (A single U+0020
 * between words comes back from the gap; MuPDF reads the glyphs, but turns
 * all white space into U+0020 unless asked to preserve it.) */
static int needs_actual_text(const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t n = strlen(utf8);
    uint32_t prev = 0;
    int first = 1;
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(s, n, &cp);
        if (len == 0)
            return 0;
        s += len;
        n -= len;
        if (cp == 0x20 && (first || prev == 0x20 || n == 0))
            return 1;
        if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
            cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000)
            return 1;
        prev = cp;
        first = 0;
    }
    return 0;
}

typedef struct {
    HPDF_Page page;
    size_t index;     /* of the page */
    StrBuf sb;        /* the page's operators */
    int in_text;
    long long fill, stroke, line_width; /* current graphics state, in hundredths */
    int font;         /* uses index of the current font, -1 before the first */
    long long size;
    /* The open marked-content sequence: an element's (with its MCID) or an
     * artifact's. One opened inside a text object is closed inside it. */
    int mark_open, mark, mark_in_text;
    int next_mcid;
} PageState;

static void close_mark(PageState *ps)
{
    if (ps->mark_open) {
        sb_puts(&ps->sb, "EMC\n");
        ps->mark_open = 0;
    }
}

static void end_text(PageState *ps)
{
    if (ps->in_text) {
        if (ps->mark_open && ps->mark_in_text)
            close_mark(ps);
        sb_puts(&ps->sb, "ET\n");
        ps->in_text = 0;
    }
}

/* Everything drawn is inside marked content: an element's text with an
 * MCID the structure tree refers to, everything else an artifact. */
static void open_mark(Render *r, PageState *ps, int elem)
{
    if (ps->mark_open && ps->mark == elem && ps->mark_in_text == ps->in_text)
        return;
    close_mark(ps);
    if (elem == DRAW_ARTIFACT) {
        sb_puts(&ps->sb, "/Artifact BMC\n");
    } else if (elem == DRAW_PAGINATION) {
        sb_puts(&ps->sb, "/Artifact<</Type/Pagination/Subtype/Footer>>BDC\n");
    } else {
        sb_printf(&ps->sb, "/%s<</MCID %d>>BDC\n", r->doc->elems[elem].role, ps->next_mcid);
        tagrefs_add(&r->tags, ps->index, ps->next_mcid++, elem);
    }
    ps->mark_open = 1;
    ps->mark = elem;
    ps->mark_in_text = ps->in_text;
}

static void set_fill(PageState *ps, long long gray)
{
    if (gray != ps->fill) {
        put_op(&ps->sb, "g", 1, &gray);
        ps->fill = gray;
    }
}

static void set_stroke(PageState *ps, long long gray, long long width)
{
    if (gray != ps->stroke) {
        put_op(&ps->sb, "G", 1, &gray);
        ps->stroke = gray;
    }
    if (width != ps->line_width) {
        put_op(&ps->sb, "w", 1, &width);
        ps->line_width = width;
    }
}

/* Show len bytes of utf8 at the current text position in the current
 * font, with its own text as /ActualText where readers would drop its
 * spaces. */
static void show_text(const Render *r, PageState *ps, const char *utf8, size_t len)
{
    char *text = xstrndup(utf8, len);
    int actual = needs_actual_text(text);
    if (actual) {
        sb_puts(&ps->sb, "/Span<</ActualText<feff");
        sb_put_utf16_hex(&ps->sb, text, strlen(text));
        sb_puts(&ps->sb, ">>>BDC\n");
    }
    sb_putc(&ps->sb, '<');
    put_codes(&ps->sb, &r->uses[ps->font], text);
    sb_puts(&ps->sb, ">Tj\n");
    if (actual)
        sb_puts(&ps->sb, "EMC\n");
    free(text);
}

/* Select font use u at size (hundredths) in the text object. */
static int select_font(Render *r, PageState *ps, int u, long long size)
{
    if (u == ps->font && size == ps->size)
        return 0;
    /* Registers the font in the page's resources (F1, F2, ...). */
    const char *name = HPDF_Page_GetLocalFontName(ps->page, r->uses[u].font);
    if (!name) {
        if (!r->status.code)
            r->status.code = HPDF_INVALID_OBJECT;
        return -1;
    }
    sb_printf(&ps->sb, "/%s ", name);
    put_op(&ps->sb, "Tf", 1, &size);
    ps->font = u;
    ps->size = size;
    return 0;
}

/* Show the glyphs of op whose text lies in [from, to): one string per run
 * of glyphs of one font, each glyph by its id in the subset (pdffont.h),
 * the text as /ActualText where readers would drop spaces. */
static void show_glyphs(Render *r, PageState *ps, const DrawOp *op, size_t from, size_t to, long long size)
{
    char *text = xstrndup(op->text + from, to - from);
    int actual = needs_actual_text(text);
    if (actual) {
        sb_puts(&ps->sb, "/Span<</ActualText<feff");
        sb_put_utf16_hex(&ps->sb, text, strlen(text));
        sb_puts(&ps->sb, ">>>BDC\n");
    }
    free(text);
    int open = 0;
    for (size_t g = 0; g < op->nglyphs; g++) {
        const DrawGlyph *gl = &op->glyphs[g];
        if (gl->start < from || gl->start >= to)
            continue;
        GlyphText gt;
        glyph_text(op, g, &gt);
        int u = r->use_of_font[gl->font];
        size_t k = glyphuse_find(&r->uses[u].glyphs, gl->gid, gt.text, gt.len);
        if (k == GLYPHUSE_NONE)
            continue; /* cannot happen: check_glyphs added it */
        if (u != ps->font || size != ps->size) {
            if (open)
                sb_puts(&ps->sb, ">Tj\n");
            open = 0;
            if (select_font(r, ps, u, size) != 0)
                break;
        }
        if (!open)
            sb_putc(&ps->sb, '<');
        open = 1;
        sb_put_hex4(&ps->sb, r->uses[u].glyphs.entries[k].cid);
    }
    if (open)
        sb_puts(&ps->sb, ">Tj\n");
    if (actual)
        sb_puts(&ps->sb, "EMC\n");
}

/* Text and review frames, in the display list's order (fills and rules
 * are painted before them: draw_pages). */
static void draw_op(Render *r, PageState *ps, const DrawOp *op)
{
    StrBuf *sb = &ps->sb;
    long long rect[4] = {hundredths(op->x), hundredths(op->y), hundredths(op->x2), hundredths(op->y2)};
    switch (op->kind) {
    case OP_FILL_RECT:
    case OP_LINE:
        break;
    case OP_MARK_RECT: {
        /* A red frame (review PDFs), in its own graphics state so that the
         * gray and width tracked here stay true after it. */
        if (ps->mark_open && (ps->mark != DRAW_ARTIFACT || ps->mark_in_text))
            close_mark(ps);
        end_text(ps);
        open_mark(r, ps, DRAW_ARTIFACT);
        long long width = hundredths(op->width);
        sb_puts(sb, "q\n1 0 0 RG\n");
        put_op(sb, "w", 1, &width);
        put_op(sb, "re", 4, rect);
        sb_puts(sb, "S\nQ\n");
        break;
    }
    case OP_TEXT: {
        if (!op->text || !*op->text)
            break;
        int u = r->use_of_font[op->font];
        int first = op->label_len ? op->label_elem : op->elem;
        if (ps->mark_open && (ps->mark != first || !ps->mark_in_text))
            close_mark(ps);
        if (!ps->in_text) {
            set_fill(ps, 0); /* text is black whatever was filled before */
            sb_puts(sb, "BT\n");
            ps->in_text = 1;
        }
        long long size = hundredths(op->size);
        if (!op->glyphs && select_font(r, ps, u, size) != 0)
            break;
        /* An absolute Tm per line keeps each baseline exactly where typeset
         * (relative Td moves saved 0.3 % and shifted glyphs by rounding in
         * viewers). */
        long long tm[6] = {100, 0, 0, 100, rect[0], rect[1]};
        put_op(sb, "Tm", 6, tm);
        size_t len = strlen(op->text);
        if (op->glyphs) { /* a shaped line: glyph by glyph, perhaps in several fonts */
            if (op->label_len) {
                open_mark(r, ps, op->label_elem);
                show_glyphs(r, ps, op, 0, op->label_len, size);
            }
            open_mark(r, ps, op->elem);
            show_glyphs(r, ps, op, op->label_len, len, size);
            break;
        }
        if (op->label_len) { /* a list marker, the item's label, then its body where it ended */
            open_mark(r, ps, op->label_elem);
            show_text(r, ps, op->text, op->label_len);
        }
        open_mark(r, ps, op->elem);
        show_text(r, ps, op->text + op->label_len, len - op->label_len);
        break;
    }
    }
}

/* A page's fills and rules, all artifacts, painted first in as few paths
 * as draw the same: fills by gray, then the rules merged (rules.h) by
 * stroke. Fills lie under every rule, so a cell's background never covers
 * half of its neighbour's border; cells do not overlap, so no fill covers
 * text. */
static void draw_rules(Render *r, PageState *ps, const DrawPage *dp)
{
    Rule *rules = xmalloc((dp->nops + 1) * sizeof *rules);
    size_t nrules = 0, nfills = 0;
    for (size_t i = 0; i < dp->nops; i++) {
        const DrawOp *op = &dp->ops[i];
        if (op->kind == OP_FILL_RECT)
            nfills++;
        else if (op->kind == OP_LINE)
            rules[nrules++] = (Rule){hundredths(op->x), hundredths(op->y), hundredths(op->x2), hundredths(op->y2),
                                     hundredths(op->width), hundredths(op->gray)};
    }
    if (!nfills && !nrules) {
        free(rules);
        return;
    }
    open_mark(r, ps, DRAW_ARTIFACT);
    /* Fills: one path per gray, in the order the grays first appear. */
    long long *grays = xmalloc((nfills + 1) * sizeof *grays);
    size_t ngrays = 0;
    for (size_t i = 0; i < dp->nops; i++) {
        long long gray = hundredths(dp->ops[i].gray);
        size_t g = 0;
        while (g < ngrays && grays[g] != gray)
            g++;
        if (dp->ops[i].kind == OP_FILL_RECT && g == ngrays)
            grays[ngrays++] = gray;
    }
    for (size_t g = 0; g < ngrays; g++) {
        set_fill(ps, grays[g]);
        for (size_t i = 0; i < dp->nops; i++) {
            const DrawOp *f = &dp->ops[i];
            if (f->kind != OP_FILL_RECT || hundredths(f->gray) != grays[g])
                continue;
            long long rect[4] = {hundredths(f->x), hundredths(f->y), hundredths(f->x2), hundredths(f->y2)};
            put_op(&ps->sb, "re", 4, rect);
        }
        sb_puts(&ps->sb, "f\n");
    }
    free(grays);
    /* Rules: one path per stroke. */
    nrules = rules_merge(rules, nrules);
    for (size_t i = 0; i < nrules; i++) {
        const Rule *ru = &rules[i];
        set_stroke(ps, ru->gray, ru->width);
        long long from[2] = {ru->x1, ru->y1}, to[2] = {ru->x2, ru->y2};
        put_op(&ps->sb, "m", 2, from);
        put_op(&ps->sb, "l", 2, to);
        if (i + 1 == nrules || rules[i + 1].gray != ru->gray || rules[i + 1].width != ru->width)
            sb_puts(&ps->sb, "S\n");
    }
    free(rules);
}

static int draw_pages(Render *r, HPDF_Page *pages)
{
    for (size_t p = 0; p < r->doc->npages; p++) {
        const DrawPage *dp = &r->doc->pages[p];
        HPDF_Page pg = HPDF_AddPage(r->pdf);
        if (!pg)
            return haru_failed(r, "adding a page"), -1;
        pages[p] = pg;
        HPDF_Page_SetWidth(pg, (HPDF_REAL)r2(dp->width));
        HPDF_Page_SetHeight(pg, (HPDF_REAL)r2(dp->height));
        /* PDF's initial graphics state: black, 1 pt lines. */
        PageState ps = {.page = pg, .index = p, .line_width = 100, .font = -1};
        draw_rules(r, &ps, dp);
        for (size_t i = 0; i < dp->nops && !r->status.code; i++)
            draw_op(r, &ps, &dp->ops[i]);
        end_text(&ps);
        close_mark(&ps);
        /* The page's operators become its contents stream as they are
         * (memreader.h): libharu's memory stream would copy them byte by
         * byte, twice. */
        HPDF_PageAttr attr = (HPDF_PageAttr)pg->attr;
        if (ps.sb.len && !r->status.code) {
            size_t n = ps.sb.len;
            HPDF_Stream reader = memreader_new(r->pdf->mmgr, (unsigned char *)sb_take(&ps.sb), n);
            if (!reader) {
                r->status.code = HPDF_FAILD_TO_ALLOC_MEM;
            } else {
                HPDF_Stream_Free(attr->contents->stream);
                attr->contents->stream = reader;
                attr->stream = reader;
            }
        }
        sb_free(&ps.sb);
        char what[48];
        snprintf(what, sizeof what, "drawing page %zu", p + 1);
        if (haru_failed(r, what))
            return -1;
    }
    return 0;
}

/* [page /XYZ 0 top null]: the page top at the reader's current zoom.
 * HPDF_Destination_SetXYZ insists on a zoom of 0.08..32, so the array is
 * written by hand. */
static HPDF_Destination page_top(Render *r, HPDF_Page *pages, size_t page)
{
    HPDF_Destination dst = HPDF_Page_CreateDestination(pages[page]);
    if (dst) {
        HPDF_Array_Clear(dst);
        HPDF_Array_Add(dst, pages[page]);
        HPDF_Array_AddName(dst, "XYZ");
        HPDF_Array_AddReal(dst, 0);
        HPDF_Array_AddReal(dst, (HPDF_REAL)r2(r->doc->pages[page].height));
        HPDF_Array_Add(dst, HPDF_Null_New(r->pdf->mmgr));
    }
    return dst;
}

/* The display list's links as link annotations: printable (PDF/A), with
 * what they say as /Contents and their place in the structure (PDF/UA);
 * a page with annotations orders them by structure (/Tabs /S). */
static int add_links(Render *r, HPDF_Page *pages, HPDF_Annotation *annots)
{
    const DrawDoc *doc = r->doc;
    for (size_t i = 0; i < doc->nlinks; i++) {
        const DrawLink *k = &doc->links[i];
        if (k->page >= doc->npages || k->target >= doc->npages) {
            diag_error(r->d, r->file, 0, 0, "a link points past the last page (%zu of %zu)", k->target + 1,
                       doc->npages);
            return -1;
        }
        HPDF_Rect rect = {(HPDF_REAL)r2(k->x), (HPDF_REAL)r2(k->y), (HPDF_REAL)r2(k->x + k->w),
                          (HPDF_REAL)r2(k->y + k->h)};
        HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(pages[k->page], rect, page_top(r, pages, k->target));
        void *contents = a ? text_string(r->pdf, k->text) : NULL;
        if (!a || !contents)
            return haru_failed(r, "adding a link"), -1;
        annots[i] = a;
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
        HPDF_Dict_AddNumber(a, "F", 4); /* print */
        HPDF_Dict_Add(a, "Contents", contents);
        HPDF_Dict_AddNumber(a, "StructParent", (HPDF_INT32)(doc->npages + i));
        HPDF_Dict_AddName(pages[k->page], "Tabs", "S");
    }
    return haru_failed(r, "adding links") ? -1 : 0;
}

/* Level n hangs under the latest entry of level n-1; a level with no such
 * parent moves up until it finds one (or reaches the root). */
static int add_outline(Render *r, HPDF_Page *pages)
{
    const DrawDoc *doc = r->doc;
    HPDF_Outline last[MAX_OUTLINE_DEPTH] = {0};
    for (size_t i = 0; i < doc->nmarks; i++) {
        const DrawBookmark *m = &doc->marks[i];
        int level = m->level < 0 ? 0 : m->level >= MAX_OUTLINE_DEPTH ? MAX_OUTLINE_DEPTH - 1 : m->level;
        while (level > 0 && !last[level - 1])
            level--;
        HPDF_Outline o = HPDF_CreateOutline(r->pdf, level ? last[level - 1] : NULL, "", NULL);
        if (!o)
            break;
        void *title = text_string(r->pdf, m->title);
        if (!title) {
            diag_error(r->d, r->file, 0, 0, "bookmark title is not valid UTF-8");
            return -1;
        }
        HPDF_Dict_Add((HPDF_Dict)o, "Title", title);
        /* 2.3.0 marks items /Type /Outlines, a type only the root has. */
        HPDF_Dict_RemoveElement((HPDF_Dict)o, "Type");
        HPDF_Outline_SetOpened(o, HPDF_TRUE);
        HPDF_Destination dst = page_top(r, pages, m->page);
        if (dst)
            HPDF_Outline_SetDestination(o, dst);
        last[level] = o;
        for (int k = level + 1; k < MAX_OUTLINE_DEPTH; k++)
            last[k] = NULL;
    }
    if (doc->nmarks)
        HPDF_SetPageMode(r->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    return haru_failed(r, "writing the outline") ? -1 : 0;
}

/* libharu's output stream: straight into a StrBuf. Its own memory stream
 * copies byte by byte, twice (writing, then HPDF_ReadFromStream). */
static HPDF_STATUS append_output(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT size)
{
    sb_append(s->attr, (const char *)ptr, size);
    return HPDF_OK;
}

static int save(Render *r, unsigned char **out, size_t *outlen)
{
    StrBuf sb = {0};
    /* HPDF_SaveToStream writes to pdf->stream when there is one; HPDF_Free
     * frees the stream (not sb, which stays ours). */
    r->pdf->stream = HPDF_CallbackWriter_New(r->pdf->mmgr, append_output, &sb);
    int ok = r->pdf->stream && HPDF_SaveToStream(r->pdf) == HPDF_OK;
    if (r->pdf->stream)
        r->pdf->stream->attr = NULL; /* sb is about to go */
    if (haru_failed(r, "saving") || !ok) {
        sb_free(&sb);
        return -1;
    }
    *outlen = sb.len;
    *out = (unsigned char *)sb_take(&sb);
    return 0;
}

int render_pdf(const DrawDoc *doc, const FontSet *fonts, const char *file,
               unsigned char **out, size_t *outlen, Diag *d)
{
    *out = NULL;
    *outlen = 0;
    size_t errors_before = d->errors;
    int nfonts = fontset_count(fonts);
    Render r = {0};
    r.doc = doc;
    r.fonts = fonts;
    r.file = file;
    r.d = d;
    r.uses = xcalloc((size_t)(nfonts ? nfonts : 1), sizeof *r.uses);
    r.use_of_font = xmalloc((size_t)(nfonts ? nfonts : 1) * sizeof *r.use_of_font);
    for (int i = 0; i < nfonts; i++)
        r.use_of_font[i] = -1;
    HPDF_Page *pages = xcalloc(doc->npages ? doc->npages : 1, sizeof *pages);
    HPDF_Annotation *annots = NULL;
    int rc = -1;

    check_doc(&r);
    if (d->errors != errors_before)
        goto done;

    r.pdf = HPDF_New(on_haru_error, &r.status);
    if (!r.pdf) {
        diag_error(d, file, 0, 0, "cannot start the PDF writer (out of memory)");
        goto done;
    }
    /* Streams are written plain and compressed by pdfpack with libdeflate
     * (flate.h): zlib inside libharu was a quarter of a build. */
    HPDF_SetCompressionMode(r.pdf, HPDF_COMP_NONE);
    /* Also creates the Info dictionary that set_info fills directly. */
    /* One DocInfo for the Info dictionary and the XMP (conform.h). */
    char xmp_date[64];
    DocInfo info = {doc->title, doc->author, doc->subject, doc->keywords, PDF_CREATOR, PDF_PRODUCER, PDF_LANG, NULL};
    HPDF_SetInfoAttr(r.pdf, HPDF_INFO_CREATOR, PDF_CREATOR);
    HPDF_SetInfoAttr(r.pdf, HPDF_INFO_PRODUCER, PDF_PRODUCER);
    set_catalog(&r);
    if (haru_failed(&r, "starting the document"))
        goto done;
    set_info(&r, "Title", doc->title);
    set_info(&r, "Author", doc->author);
    set_info(&r, "Subject", doc->subject);
    set_info(&r, "Keywords", doc->keywords);
    set_dates(&r, xmp_date);
    info.date = xmp_date[0] ? xmp_date : NULL;
    if (d->errors != errors_before || haru_failed(&r, "writing document information"))
        goto done;

    /* PDF/UA-1 and PDF/A-2u: the structure tree (structure.h), then XMP
     * and OutputIntent (conform.h); after saving,
     * object streams (pdfpack.h) and the /ID of the final bytes. */
    annots = xcalloc(doc->nlinks ? doc->nlinks : 1, sizeof *annots);
    if (load_fonts(&r) == 0 && draw_pages(&r, pages) == 0 && add_links(&r, pages, annots) == 0 &&
        structure_write(r.pdf, doc, pages, annots, &r.tags) == 0 && !haru_failed(&r, "writing the structure tree") &&
        add_outline(&r, pages) == 0 && conform_prepare(r.pdf, fontset_output_profile(fonts), &info, file, d) == 0 &&
        d->errors == errors_before && save(&r, out, outlen) == 0) {
        /* Streams compressed and small objects packed into object
         * streams, then the /ID of the final bytes. The packer knows
         * libharu's output; not recognising it is a bug, never a reason to
         * write a PDF of uncompressed streams. */
        unsigned char *packed = NULL;
        size_t plen = 0;
        int pack = pdfpack(*out, *outlen, &packed, &plen);
        free(*out);
        *out = packed;
        *outlen = plen;
        if (pack != 0) {
            diag_error(d, file, 0, 0, "cannot compress the PDF libharu wrote (pdfpack)");
        } else if (conform_stamp_id(*out, *outlen) != 0) {
            diag_error(d, file, 0, 0, "cannot write the file identifier (/ID) into the PDF");
            free(*out);
            *out = NULL;
            *outlen = 0;
        } else {
            rc = 0;
        }
    }

done:
    if (rc != 0 && d->errors == errors_before)
        diag_error(d, file, 0, 0, "PDF rendering failed");
    if (r.pdf)
        HPDF_Free(r.pdf);
    free(pages);
    free(annots);
    for (int i = 0; i < r.n_uses; i++)
        glyphuse_free(&r.uses[i].glyphs);
    free(r.uses);
    free(r.use_of_font);
    tagrefs_free(&r.tags);
    return rc;
}
