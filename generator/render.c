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
 *   "742.67999", so page contents are written by us (render_page.c),
 *   exact to 0.01 pt, straight into each page's content stream. */
#include "render.h"
#include "render_internal.h"
#include "conform.h"
#include "flatepool.h"
#include "glyphuse.h"
#include "pdffont.h"
#include "pdfpack.h"
#include "shape.h"
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
    case HPDF_INVALID_PARAMETER: return "invalid parameter";
    case HPDF_PAGE_INVALID_SIZE: return "invalid page size";
    case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
    case HPDF_INVALID_FONT: return "invalid font"; /* pdffont.c's widths */
    case HPDF_INVALID_OBJECT: return "invalid object";
    default: return "libharu error";
    }
}

int haru_failed(Render *r, const char *what)
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

void glyph_text(const DrawOp *op, size_t g, GlyphText *gt)
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

size_t glyph_selectors_at(const GlyphText *gt)
{
    const unsigned char *s = (const unsigned char *)gt->text;
    uint32_t cp;
    size_t first = gt->len ? utf8_decode(s, gt->len, &cp) : 0, at = first;
    while (first && at < gt->len) {
        size_t l = utf8_decode(s + at, gt->len - at, &cp);
        if (!l || !shape_is_selector(cp))
            return gt->len;
        at += l;
    }
    return first && first < gt->len ? first : gt->len;
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
        size_t sel = glyph_selectors_at(&gt);
        glyphuse_add(&u->glyphs, op->glyphs[g].gid, gt.text, sel);
        if (sel < gt.len)
            glyphuse_add(&u->glyphs, SUBSET_EMPTY_GLYPH, gt.text + sel, gt.len - sel);
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

/* One font file's subset (subset_glyphs), made on either thread. */
typedef struct {
    WorkerJob job;
    hb_face_t *face;
    const FontUse *use;
    const char *file;
    uint32_t *gids, *cids;
    unsigned char *prog;
    size_t len;
    int rc;
    Diag diag; /* its messages, merged in the fonts' order */
    const unsigned char *program; /* prog once the font objects hold it */
    int made;                     /* they do: its compression is to start */
} SubsetJob;

static void run_subset(WorkerJob *job, int on_worker)
{
    (void)on_worker;
    SubsetJob *s = WORKER_JOB_OWNER(job, SubsetJob, job);
    s->rc = subset_glyphs(s->face, s->use->path, s->gids, s->use->glyphs.n, s->cids, &s->prog, &s->len, &s->diag,
                          s->file);
}

/* Each font file drawn in: its glyphs subset (their ids there are the
 * codes the pages write; the file with the most glyphs here, the others on
 * the worker meanwhile) and the font objects made. Each program is then
 * compressed on the worker while the pages, the structure tree and the
 * rest are made (the largest is the longest single piece of work of a
 * build); pdfpack takes the bytes. */
static int load_fonts(Render *r)
{
    SubsetJob *jobs = xcalloc((size_t)r->n_uses + 1, sizeof *jobs);
    int mine = -1;
    for (int i = 0; i < r->n_uses; i++) {
        FontUse *u = &r->uses[i];
        if (u->glyphs.n == 0)
            continue; /* only empty strings drawn in it (or a fallback font nothing needed) */
        SubsetJob *s = &jobs[i];
        s->face = hb_font_get_face(font_hb(r->fonts, u->index));
        s->use = u;
        s->file = r->file;
        s->gids = glyphuse_gids(&u->glyphs);
        s->cids = xmalloc(u->glyphs.n * sizeof *s->cids);
        s->job.run = run_subset;
        diag_init(&s->diag);
        if (mine < 0 || u->glyphs.n > r->uses[mine].glyphs.n)
            mine = i;
    }
    Worker *w = flatepool_worker(r->pool);
    for (int i = 0; i < r->n_uses; i++)
        if (jobs[i].use && i != mine)
            worker_submit(w, &jobs[i].job);
    if (mine >= 0)
        run_subset(&jobs[mine].job, 0);
    int rc = 0;
    for (int i = 0; i < r->n_uses; i++) {
        SubsetJob *s = &jobs[i];
        if (!s->use)
            continue;
        if (i != mine)
            worker_wait(w, &s->job); /* every job, also after a failure: they read the uses */
        diag_merge(r->d, &s->diag);
        diag_free(&s->diag);
        FontUse *u = &r->uses[i];
        if (rc == 0 && s->rc != 0) {
            rc = -1; /* subset_glyphs reported */
        } else if (rc == 0) {
            glyphuse_set_cids(&u->glyphs, s->cids);
            unsigned char *prog = s->prog;
            s->prog = NULL;
            u->font = pdffont_new(r->pdf, s->face, prog, s->len, &u->glyphs, &u->program_obj); /* takes prog */
            /* Once the font is made, prog lives as long as the HPDF_Doc
             * (pdffont_new frees it when it fails); its task (below) ends
             * before. */
            if (u->font) {
                s->program = prog;
                s->made = 1;
            }
            if (!u->font || haru_failed(r, "embedding fonts")) {
                if (!r->status.code)
                    diag_error(r->d, r->file, 0, 0, "cannot embed the subset of %s", u->path);
                rc = -1;
            }
        }
        free(s->prog);
        free(s->cids);
        free(s->gids);
    }
    /* The programs compressed largest first: the worker's longest piece
     * of work, begun as early as it can be. */
    for (int left = 1; rc == 0 && left;) {
        int big = -1;
        for (int i = 0; i < r->n_uses; i++)
            if (jobs[i].made && (big < 0 || jobs[i].len > jobs[big].len))
                big = i;
        if ((left = big >= 0)) {
            r->uses[big].program_task = flate_task_start(r->pool, jobs[big].program, jobs[big].len);
            jobs[big].made = 0;
        }
    }
    free(jobs);
    return rc;
}

/* The output intent's profile for the colours the pages were written in
 * (fonts.h): NULL when the manifest names none (then no PDF/A claim). A
 * manifest whose profiles cannot hold them is an error, never a PDF/A that
 * breaks its own rule (ISO 19005-2 6.2.4.3). */
static int output_intent(Render *r, const OutputProfile **profile)
{
    size_t n;
    fontset_output_profiles(r->fonts, &n);
    *profile = fontset_output_profile(r->fonts, r->colours);
    if (n && !*profile) {
        int line, col;
        const char *manifest = fontset_output_intent_place(r->fonts, &line, &col);
        diag_error(r->d, manifest, line, col,
                   "output_intent: no profile holds the colours of the PDF of %s (it draws in %s%s): list one "
                   "in %s after the gray one", r->file, r->colours & COLOUR_CMYK ? "CMYK" : "RGB",
                   r->colours & COLOUR_RGB ? ", the review's red frames" : "",
                   r->colours & COLOUR_CMYK ? "CMYK" : "RGB (sRGB)");
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

static void free_haru(void *pdf)
{
    HPDF_Free(pdf);
}

int render_pdf(const DrawDoc *doc, const FontSet *fonts, FlatePool *pool, const char *file, unsigned char **out,
               size_t *outlen, Diag *d)
{
    *out = NULL;
    *outlen = 0;
    size_t errors_before = d->errors;
    int nfonts = fontset_count(fonts);
    Render r = {0};
    const OutputProfile *profile = NULL;
    r.doc = doc;
    r.fonts = fonts;
    r.file = file;
    r.d = d;
    FlatePool *own_pool = pool ? NULL : flatepool_new(NULL);
    r.pool = pool ? pool : own_pool;
    r.colours = COLOUR_GRAY; /* text and rules: DeviceGray, every page's colour space at its start */
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
    if (load_fonts(&r) == 0 && render_pages(&r, pages) == 0 && add_links(&r, pages, annots) == 0 &&
        structure_write(r.pdf, doc, pages, annots, &r.tags) == 0 && !haru_failed(&r, "writing the structure tree") &&
        add_outline(&r, pages) == 0 && output_intent(&r, &profile) == 0 &&
        conform_prepare(r.pdf, profile, &info, file, d) == 0 &&
        d->errors == errors_before && save(&r, out, outlen) == 0) {
        /* Streams compressed and small objects packed into object
         * streams, then the /ID of the final bytes. The packer knows
         * libharu's output; not recognising it is a bug, never a reason to
         * write a PDF of uncompressed streams. */
        unsigned char *packed = NULL;
        size_t plen = 0, npending = 0;
        PackPending *pending = xcalloc((size_t)r.n_uses + 1, sizeof *pending);
        for (int i = 0; i < r.n_uses; i++)
            if (r.uses[i].program_task) {
                pending[npending++] = (PackPending){r.uses[i].program_obj, r.uses[i].program_task};
                r.uses[i].program_task = NULL; /* pdfpack finishes it */
            }
        int pack = pdfpack(r.pool, *out, *outlen, pending, npending, &packed, &plen);
        free(pending);
        if (pack == PDFPACK_NO_MEMORY)
            out_of_memory(); /* as xmalloc: status 3 (util.h) */
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
    for (int i = 0; i < r.n_uses; i++) /* those pdfpack was not given: none outlives the document */
        flate_task_finish(r.uses[i].program_task, NULL);
    if (rc != 0 && d->errors == errors_before)
        diag_error(d, file, 0, 0, "PDF rendering failed");
    /* libharu's thousands of objects (the structure tree's) are freed on
     * the worker while the caller writes the file; its error handler,
     * which writes to r (this frame), is taken away first. */
    if (r.pdf) {
        HPDF_SetErrorHandler(r.pdf, NULL);
        worker_dispose(flatepool_worker(r.pool), free_haru, r.pdf);
    }
    free(pages);
    free(annots);
    for (int i = 0; i < r.n_uses; i++)
        glyphuse_free(&r.uses[i].glyphs);
    free(r.uses);
    free(r.use_of_font);
    tagrefs_free(&r.tags);
    flatepool_free(own_pool);
    return rc;
}
