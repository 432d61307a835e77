/* The page contents of the PDF (render.h): each page's operators written
 * here, exact to 0.01 pt, with marked content for the structure tree:
 * fills and merged rules first, then the text in reading order. */
#include "render_internal.h"
#include "memreader.h"
#include "rules.h"
#include "subset.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        size_t sel = glyph_selectors_at(&gt);
        size_t k = glyphuse_find(&r->uses[u].glyphs, gl->gid, gt.text, sel);
        size_t carrier = sel < gt.len ? glyphuse_find(&r->uses[u].glyphs, SUBSET_EMPTY_GLYPH, gt.text + sel, gt.len - sel)
                                      : GLYPHUSE_NONE;
        if (k == GLYPHUSE_NONE || (sel < gt.len && carrier == GLYPHUSE_NONE))
            continue; /* cannot happen: check_glyphs added them */
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
        if (carrier != GLYPHUSE_NONE)
            sb_put_hex4(&ps->sb, r->uses[u].glyphs.entries[carrier].cid);
    }
    if (open)
        sb_puts(&ps->sb, ">Tj\n");
    if (actual)
        sb_puts(&ps->sb, "EMC\n");
}

/* Text and review frames, in the display list's order (fills and rules
 * are painted before them: render_pages). */
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
        r->colours |= COLOUR_RGB; /* the output intent must hold it (conform.h) */
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

int render_pages(Render *r, HPDF_Page *pages)
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
