#include "typeset.h"
#include "strmap.h"
#include "linebreak.h"
#include "rowgrow.h"
#include "shape.h"
#include "template.h"
#include "util.h"
#include "wrap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#define MM (72.0 / 25.4)
#define SHRINK_STEP 0.5   /* pt */
/* Bytes of text one run may wrap, all cells and sizes together (and the
 * measuring of growing rows: it is wrapping work too): a real document
 * wraps under 100 KB; its whole body in one cell, at every size tried,
 * stays under 3 MB (docs/limits.md). */
#define TYPESET_MAX_WRAPPED (4 << 20)
/* Cells one run may place: a form has a few hundred, a book of 50
 * departments some 20 000. */
#define TYPESET_MAX_CELLS 100000

typedef struct {
    const Layout *layout;
    const FontSet *fonts;
    const char *file;     /* the Markdown file, for messages */
    const Source *src;    /* its text, to point at a character (NULL: a book's own pages) */
    DrawDoc *doc;
    Diag *d;
    int failed;
    int no_records;       /* page numbers are not content to review */
    int bound_ok;         /* binding found no error (see typeset_document) */
    unsigned broken_fonts;  /* damaged fonts already reported (bit per font) */
    size_t wrapped;         /* bytes of text wrapped so far (TYPESET_MAX_WRAPPED) */
    size_t cells;           /* cells placed so far (TYPESET_MAX_CELLS) */
    int artifact;           /* 0, or the artifact every text of this typesetter is
                             * (DRAW_PAGINATION: page numbers; DRAW_ARTIFACT: a draft's mark) */
    StrMap keys;            /* the review keys given so far (record_cell), with counts */
    StrMap said_at;         /* character messages given, by place and kind: a value printed
                             * in several cells (the department) is told of once */
    /* Structure being built, in reading order (see drawlist.h). */
    int container;          /* element the page's cells go in: a Sect per repeated item, or -1 */
    int group;              /* the open Table or TOC, or -1 */
    const RowSpec *group_row; /* a row of it (its kind and name) */
    int over_budget;
    Missing *told;        /* values reported lacking: each once, however many cells print it */
    size_t ntold, told_cap;
    Shaper *shaper;       /* HarfBuzz's buffer, reused by every paragraph */
    struct ShapedCell *shaped; /* measured, not drawn yet (see ShapedCell) */
    size_t nshaped, shaped_cap;
} Typesetter;

/* One wrapped line ready to draw. */
typedef struct {
    char *text;
    double indent;        /* pt from the left of the text box */
    double width;         /* pt */
    size_t para;          /* the paragraph it is a line of */
    size_t marker_len;    /* bytes of a list marker at its start */
    DrawGlyph *glyphs;    /* its glyphs (moved to the display list), or NULL */
    size_t nglyphs;
} SetLine;

typedef struct {
    SetLine *lines;
    size_t n, cap;
} SetLines;

static void setlines_free(SetLines *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->lines[i].text);
        free(s->lines[i].glyphs);
    }
    free(s->lines);
    memset(s, 0, sizeof *s);
}

/* The marker of a numbered item: the layout's (①, ②, ...), or "N. " past
 * the end of its list. Empty for paragraphs. */
static void marker_for(const CellSpec *c, const Para *p, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!p->item || !c->nmarkers)
        return;
    if (p->number >= 1 && (size_t)p->number <= c->nmarkers)
        snprintf(buf, size, "%s", c->markers[p->number - 1]);
    else
        snprintf(buf, size, "%d. ", p->number);
}

/* Height of n lines: the leading below the last line is not needed. */
static double lines_height(size_t n, double size, double line_height)
{
    return n ? (double)(n - 1) * size * line_height + size : 0;
}

/* "Goal 2 / Action 1 / Office", without repeating the section's
 * own word when the cell is the section's main text. */
static void cell_where(StrBuf *sb, const Node *scope, const CellSpec *c)
{
    const char *name = c->name ? c->name : "欄";
    sb_puts(sb, scope->label);
    if (!scope->name || strncmp(scope->name, name, strlen(name)) != 0)
        sb_printf(sb, "%s%s", *scope->label ? " / " : "", name);
}

/* A paragraph of a cell, shaped once (shape.h) whatever sizes the cell
 * tries: its code points, their advances (1/1000 em) and break
 * opportunities, and its glyphs when it needs the glyph path. */
typedef struct {
    uint32_t *cps;
    size_t n;
    int *adv;
    uint8_t *brk;
    ShapedGlyph *glyphs; /* NULL: every character prints as its own code point */
    size_t nglyphs;
    int issues;          /* shaping had something to say (said when the cell is drawn) */
} ParaText;

/* A cell's paragraphs shaped while its row was measured (cell_need), kept
 * for when the cell is drawn: a growing row's cells are shaped once, not
 * twice. The text is the cell's template expanded in scope, so the pair
 * names it. */
typedef struct ShapedCell {
    const CellSpec *cell;
    const Node *scope;
    ParaText *pt;
    size_t n;
} ShapedCell;

static void paratext_free(ParaText *pt, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(pt[i].cps);
        free(pt[i].adv);
        free(pt[i].brk);
        free(pt[i].glyphs);
    }
    free(pt);
}

/* Is the cluster cps[0, n) one the layout or the document expects from a
 * fallback font (layout `fallback_chars:`, front matter LAYOUT_FALLBACK_KEY)? */
static int fallback_expected(const Typesetter *t, const Node *scope, const uint32_t *cps, size_t n)
{
    StrBuf sb = {0};
    for (size_t i = 0; i < n; i++)
        sb_put_utf8(&sb, cps[i]);
    while (scope->parent)
        scope = scope->parent;
    int yes = t->layout->fallback_chars && strstr(t->layout->fallback_chars, sb.data);
    /* The front matter's, a string or a list (fallback_chars.0, .1, ...). */
    for (size_t i = 0; i < scope->nvalues && !yes; i++) {
        const Value *v = &scope->values[i];
        if (layout_is_fallback_key(v->key))
            yes = v->text && strstr(v->text, sb.data);
    }
    sb_free(&sb);
    return yes;
}

/* Where the writer wrote cps[0, n) of paragraph p: its first occurrence
 * from the paragraph's start to its end (a blank line) in the source;
 * the paragraph's own place when it is not there (an entity, a value
 * from the front matter). */
static void char_place(const Typesetter *t, const Para *p, const uint32_t *cps, size_t n, int *line, int *col)
{
    if (!t->src || !p->pos.line || !n)
        return;
    StrBuf needle = {0};
    for (size_t i = 0; i < n; i++)
        sb_put_utf8(&needle, cps[i]);
    const char *from = t->src->text + source_line_offset(t->src, p->pos.line);
    const char *end = strstr(from, "\n\n");
    const char *at = strstr(from, needle.data);
    if (at && (!end || at < end))
        source_position(t->src, (size_t)(at - t->src->text), line, col);
    sb_free(&needle);
}

/* Tell the writer what shaping found in one paragraph: a character no font
 * has, a damaged glyph, a stray selector (errors); a character from a
 * fallback font, a variation sequence shown by its base (warnings). Each
 * cluster once per cell (seen). Returns 0 when nothing stops printing. */
static int report_shape(Typesetter *t, const CellSpec *c, int font, const Para *p, const Shaped *sh, const Node *scope,
                        StrMap *seen)
{
    int ok = 1;
    const char *file = p->pos.line ? t->file : c->pos.file;
    int pline = p->pos.line ? p->pos.line : c->pos.line, pcol = p->pos.line ? p->pos.col : c->pos.col;
    int fb_line = 0, fb_col = 0, plain_line = 0, plain_col = 0; /* the first character of each warning */
    const char *role = fontset_role(t->fonts, font);
    StrBuf wb = {0}, fallback = {0}, plain = {0}; /* the warnings list their characters */
    cell_where(&wb, scope, c);
    int fb_font = -1;
    for (size_t k = 0; k < sh->nissues; k++) {
        const ShapeIssue *is = &sh->issues[k];
        const uint32_t *cl = sh->cps + is->at;
        StrBuf key = {0}, ch = {0};
        sb_printf(&key, "%d:", (int)is->kind);
        for (size_t i = 0; i < is->len; i++)
            sb_put_utf8(&key, cl[i]);
        int told = (*strmap_slot(seen, key.data))++;
        sb_free(&key);
        if (is->kind != SHAPE_FALLBACK && is->kind != SHAPE_NO_VARIANT)
            ok = 0;
        if (told)
            continue;
        sb_put_chars(&ch, cl, is->len);
        int line = pline, col = pcol;
        char_place(t, p, cl, is->len, &line, &col);
        StrBuf at = {0};
        sb_printf(&at, "%s:%d:%d:%d:", file, line, col, (int)is->kind);
        for (size_t i = 0; i < is->len; i++)
            sb_put_utf8(&at, cl[i]);
        int again = (*strmap_slot(&t->said_at, at.data))++ > 0;
        sb_free(&at);
        if (again) { /* the same character of the same value, in another cell */
            sb_free(&ch);
            continue;
        }
        switch (is->kind) {
        case SHAPE_MISSING:
            diag_error(t->d, file, line, col, "%s: %s の字形が、フォント `%s` にも代わりのフォントにもありません。ほかの字で書いてください",
                       wb.data, ch.data, role);
            break;
        case SHAPE_STRAY:
            diag_error(t->d, file, line, col,
                       "%s: %s は前の文字に付く異体字セレクタか結合文字ですが、前に文字がありません。付ける字のすぐ後に書いてください",
                       wb.data, ch.data);
            break;
        case SHAPE_SELECTORS:
            diag_error(t->d, file, line, col,
                       "%s: %s: 異体字セレクタは 1 字に 1 つまでです（貼り付けが重なったのかもしれません）。2 つ目から後を消してください",
                       wb.data, ch.data);
            break;
        case SHAPE_BROKEN:
            if (is->font < 32 && (t->broken_fonts & (1u << is->font)))
                break; /* one message per damaged font */
            t->broken_fonts |= is->font < 32 ? 1u << is->font : 0;
            diag_error(t->d, file, line, col,
                       "%s: フォント `%s` の %s の字形を読めません。フォントファイル %s が壊れています（fonts/fonts.yaml の sha256 と照らしてください）",
                       wb.data, role, ch.data, fontset_path(t->fonts, is->font));
            break;
        case SHAPE_FALLBACK:
            if (fallback_expected(t, scope, cl, is->len))
                break;
            if (!fallback.len)
                fb_line = line, fb_col = col;
            sb_puts(&fallback, fallback.len ? "、" : "");
            sb_puts(&fallback, ch.data);
            if (fb_font >= 0 && is->font != fb_font)
                sb_printf(&fallback, "（%s）", fontset_name(t->fonts, is->font));
            if (fb_font < 0)
                fb_font = is->font;
            break;
        case SHAPE_NO_VARIANT:
            if (!plain.len)
                plain_line = line, plain_col = col;
            sb_puts(&plain, plain.len ? "、" : "");
            sb_puts(&plain, ch.data);
            break;
        }
        sb_free(&ch);
    }
    /* One warning per paragraph for each kind, however many characters. */
    if (fallback.len)
        diag_warning(t->d, file, fb_line, fb_col,
                     "%s: %s はフォント `%s`（%s）にないので、代わりのフォント %s の字形で印刷します。"
                     "ほかの書き方でよければ書き換え、この字でよければ前付けの `%s:` に加えてください",
                     wb.data, fallback.data, role, fontset_name(t->fonts, font), fontset_name(t->fonts, fb_font),
                     LAYOUT_FALLBACK_KEY);
    if (plain.len)
        diag_warning(t->d, file, plain_line, plain_col,
                     "%s: 異体字 %s を表せるフォントがないので、異体字セレクタなしの字形で印刷します。"
                     "その字形でよければセレクタを消してください",
                     wb.data, plain.data);
    sb_free(&fallback);
    sb_free(&plain);
    sb_free(&wb);
    return ok;
}

/* The cell shaped while its row was measured (ShapedCell), or NULL. */
static ShapedCell *shaped_cell(Typesetter *t, const CellSpec *c, const Node *scope, size_t n)
{
    for (size_t k = 0; k < t->nshaped; k++)
        if (t->shaped[k].cell == c && t->shaped[k].scope == scope && t->shaped[k].n == n)
            return &t->shaped[k];
    return NULL;
}

/* Shape every paragraph of a cell once; *ok is cleared when a character
 * cannot be printed (reported, unless measuring quietly: the cell is
 * drawn later and says it then). Returns ps->n ParaTexts: when measuring,
 * kept for the drawing (ShapedCell: the caller does not free them); when
 * drawing, the caller's, taken from there if the row was measured. */
static ParaText *shape_cell(Typesetter *t, const CellSpec *c, int font, const Paras *ps, const Node *scope, int *ok,
                            int quiet)
{
    ShapedCell *sc = shaped_cell(t, c, scope, ps->n);
    if (sc && quiet) /* measured again (another row height) */
        return sc->pt;
    if (sc) {
        /* Only what shaping had to say is shaped again, to be said now. */
        ParaText *pt = sc->pt;
        *sc = t->shaped[--t->nshaped];
        StrMap seen = {0};
        for (size_t i = 0; i < ps->n; i++)
            if (pt[i].issues &&
                !report_shape(t, c, font, &ps->p[i], shape_paragraph(t->shaper, t->fonts, font, pt[i].cps, pt[i].n),
                              scope, &seen))
                *ok = 0;
        strmap_free(&seen);
        return pt;
    }
    ParaText *pt = xcalloc(ps->n ? ps->n : 1, sizeof *pt);
    StrMap seen = {0};
    for (size_t i = 0; i < ps->n; i++) {
        ParaText *q = &pt[i];
        q->cps = utf8_to_u32(ps->p[i].text, &q->n);
        q->n = shape_clean(q->cps, q->n);
        const Shaped *sh = shape_paragraph(t->shaper, t->fonts, font, q->cps, q->n);
        q->issues = sh->nissues != 0;
        if (sh->nissues && !quiet && !report_shape(t, c, font, &ps->p[i], sh, scope, &seen))
            *ok = 0;
        q->adv = xmalloc((q->n + 1) * sizeof *q->adv);
        memcpy(q->adv, sh->adv, q->n * sizeof *q->adv);
        q->brk = xmalloc(q->n + 1);
        if (q->n)
            linebreak_opportunities(q->cps, q->n, t->layout->kinsoku, q->brk);
        if (!sh->plain && sh->nglyphs) {
            q->glyphs = xmalloc(sh->nglyphs * sizeof *q->glyphs);
            memcpy(q->glyphs, sh->glyphs, sh->nglyphs * sizeof *q->glyphs);
            q->nglyphs = sh->nglyphs;
        }
    }
    strmap_free(&seen);
    if (quiet) {
        GROW(t->shaped, t->shaped_cap, t->nshaped + 1);
        t->shaped[t->nshaped++] = (ShapedCell){c, scope, pt, ps->n};
    }
    return pt;
}

/* The glyphs of one line: the marker's (its characters' own glyphs), then
 * those of the clusters in [start, end) of the paragraph. off[j - start]
 * is the byte offset in the line's text of code point j (off[end - start]:
 * the end). */
static DrawGlyph *line_glyphs(const Typesetter *t, int font, const uint32_t *marker, size_t nmarker,
                              const ParaText *q, size_t start, size_t end, const size_t *off, size_t *count)
{
    size_t g0 = 0;
    while (g0 < q->nglyphs && q->glyphs[g0].cluster < start)
        g0++;
    size_t g1 = g0;
    while (g1 < q->nglyphs && q->glyphs[g1].cluster < end)
        g1++;
    DrawGlyph *dg = xmalloc((nmarker + g1 - g0 + 1) * sizeof *dg);
    size_t k = 0, at = 0;
    for (size_t i = 0; i < nmarker; i++) {
        hb_codepoint_t gid = 0;
        hb_font_get_nominal_glyph(font_hb(t->fonts, font), marker[i], &gid);
        unsigned len = (unsigned)utf8_length(marker[i]);
        dg[k++] = (DrawGlyph){gid, font, (unsigned)at, len};
        at += len;
    }
    for (size_t g = g0; g < g1; g++) {
        uint32_t c = q->glyphs[g].cluster;
        int first = g == g0 || q->glyphs[g - 1].cluster != c;
        size_t h = g + 1;
        while (h < g1 && q->glyphs[h].cluster == c)
            h++;
        size_t cend = h < g1 ? q->glyphs[h].cluster : end;
        dg[k++] = (DrawGlyph){q->glyphs[g].gid, q->glyphs[g].font, (unsigned)off[c - start],
                              first ? (unsigned)(off[cend - start] - off[c - start]) : 0};
    }
    *count = k;
    return dg;
}

/* Wrap all paragraphs at a size. Returns the number of lines, filling out. */
static size_t wrap_cell(Typesetter *t, const CellSpec *c, int font, const Paras *ps, const ParaText *pt, double size,
                        double width_pt, SetLines *out, int *overfull)
{
    size_t total = 0;
    WrapLine *lines = NULL;
    size_t cap = 0, *off = NULL, offcap = 0;
    for (size_t i = 0; i < ps->n; i++) {
        const Para *p = &ps->p[i];
        const ParaText *q = &pt[i];
        char marker[64];
        marker_for(c, p, marker, sizeof marker);
        double indent = 0;
        size_t mn = 0;
        uint32_t *m = NULL;
        if (*marker) {
            m = utf8_to_u32(marker, &mn);
            long mw = 0;
            for (size_t k = 0; k < mn; k++) {
                int a = font_advance(t->fonts, font, m[k]);
                if (a < 0) { /* the layout's marker: the layout's error (said once: diag dedupes) */
                    StrBuf ch = {0};
                    sb_put_chars(&ch, m + k, 1);
                    diag_error(t->d, c->pos.file, c->pos.line, c->pos.col,
                               "the list marker %s of this cell is not in font `%s`: choose markers the font has",
                               ch.data, fontset_role(t->fonts, font));
                    sb_free(&ch);
                    t->failed = 1;
                }
                mw += a < 0 ? 1000 : a;
            }
            indent = mw * size / 1000.0;
        }
        long units = (long)floor((width_pt - indent) * 1000.0 / size + 1e-6);
        size_t nl = wrap_paragraph(q->cps, q->adv, q->brk, q->n, units, &lines, &cap, overfull);
        for (size_t k = 0; k < nl; k++) {
            GROW(out->lines, out->cap, out->n + 1);
            SetLine *sl = &out->lines[out->n++];
            StrBuf sb = {0};
            sb_puts(&sb, "");
            if (k == 0)
                sb_puts(&sb, marker);
            size_t from = lines[k].start, to = lines[k].end;
            if (q->glyphs)
                GROW(off, offcap, to - from + 1);
            for (size_t j = from; j < to; j++) {
                if (q->glyphs)
                    off[j - from] = sb.len;
                sb_put_utf8(&sb, q->cps[j]);
            }
            if (q->glyphs) {
                off[to - from] = sb.len;
                sl->glyphs = line_glyphs(t, font, m, k == 0 ? mn : 0, q, from, to, off, &sl->nglyphs);
            } else {
                sl->glyphs = NULL;
                sl->nglyphs = 0;
            }
            sl->text = sb_take(&sb);
            sl->para = i;
            sl->marker_len = k == 0 ? strlen(marker) : 0;
            sl->indent = k == 0 ? 0 : indent;
            sl->width = lines[k].width * size / 1000.0 + (k == 0 ? indent : 0);
        }
        total += nl;
        free(m);
    }
    free(lines);
    free(off);
    return total;
}

/* The sizes a cell may take, largest first: size, size - 0.5, ... and
 * min_size itself last. The k-th of them. */
static double grid_size(const CellSpec *c, size_t k)
{
    double s = c->size;
    for (size_t i = 0; i < k && s > c->min_size + 1e-9; i++)
        s = fmax(s - SHRINK_STEP, c->min_size);
    return s;
}

static int fits_at(Typesetter *t, const CellSpec *c, int font, const Paras *ps, const ParaText *pt, double size,
                   double iw, double ih, SetLines *sl, size_t *nl, int *overfull)
{
    setlines_free(sl);
    *overfull = 0;
    *nl = 0;
    /* All the wrapping of one run is bounded: a layout that prints a long
     * body in hundreds of cells would otherwise take minutes. */
    for (size_t i = 0; i < ps->n; i++)
        t->wrapped += strlen(ps->p[i].text);
    if (t->wrapped > TYPESET_MAX_WRAPPED) {
        if (!t->over_budget)
            diag_error(t->d, c->pos.file, c->pos.line, c->pos.col,
                       "この様式でこの原稿を組むと、組む文字が多すぎます（1 回に %d MB まで）。様式が長い本文を多くの欄に印刷していないか確かめてください",
                       TYPESET_MAX_WRAPPED >> 20);
        t->over_budget = 1;
        t->failed = 1;
        return 1; /* nothing more is tried */
    }
    *nl = wrap_cell(t, c, font, ps, pt, size, iw, sl, overfull);
    return lines_height(*nl, size, c->line_height) <= ih + 0.01 && !*overfull;
}

/* The largest size of the grid at which the text fits (min_size when none
 * does), wrapped into sl. The first try settles almost every cell; then
 * the smallest size (which fails for text that fits nowhere); between the
 * two a binary search, as a smaller size never needs more lines. So a
 * cell is wrapped at most about ten times, whatever its sizes. */
static double fit_size(Typesetter *t, const CellSpec *c, int font, const Paras *ps, const ParaText *pt, double iw,
                       double ih, SetLines *sl, size_t *nl, int *overfull)
{
    size_t last = 0; /* index of min_size on the grid */
    while (grid_size(c, last) > c->min_size + 1e-9)
        last++;
    if (fits_at(t, c, font, ps, pt, c->size, iw, ih, sl, nl, overfull) || last == 0)
        return c->size;
    if (!fits_at(t, c, font, ps, pt, c->min_size, iw, ih, sl, nl, overfull))
        return c->min_size;
    size_t lo = 0, hi = last; /* lo does not fit, hi fits (sl holds hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        SetLines trial = {0};
        size_t tn;
        int to;
        if (fits_at(t, c, font, ps, pt, grid_size(c, mid), iw, ih, &trial, &tn, &to)) {
            setlines_free(sl);
            *sl = trial;
            *nl = tn;
            *overfull = to;
            hi = mid;
        } else {
            setlines_free(&trial);
            lo = mid;
        }
    }
    return grid_size(c, hi);
}

/* Keep a record of a cell showing document content, for reviews. */
static void record_cell(Typesetter *t, const CellSpec *c, const Node *scope, const Paras *ps, const char *page_name,
                        double x, double y, double w, double h)
{
    if (!strchr(c->text, '{') || t->no_records)
        return; /* a label of the form */
    StrBuf key = {0}, text = {0};
    if (c->name)
        cell_where(&key, scope, c);
    else /* a cell the layout left unnamed: say where it is defined */
        sb_printf(&key, "%s%s欄 %s:%d", scope->label, *scope->label ? " / " : "", c->pos.file, c->pos.line);
    sb_printf(&key, " (%s)", page_name);
    /* Two cells with the same words (two 理事 cells): number the later ones
     * (a map of the keys given, so a thousand alike stay linear). */
    int earlier = (*strmap_slot(&t->keys, key.data))++;
    if (earlier) {
        size_t base = key.len;
        for (int k = earlier + 1;; k++) {
            key.len = base;
            key.data[base] = '\0';
            sb_printf(&key, " [%d]", k);
            if (!strmap_has(&t->keys, key.data))
                break;
        }
        *strmap_slot(&t->keys, key.data) = 1; /* taken: a later "X [2]" gets numbered too */
    }
    sb_puts(&text, "");
    for (size_t i = 0; i < ps->n && !ps->missing; i++)
        sb_printf(&text, "%s%s", i ? "\n" : "", ps->p[i].text);
    drawdoc_cell(t->doc, key.data, text.data, t->doc->npages - 1, x, y, w, h);
    sb_free(&key);
    sb_free(&text);
}

/* The cell prints blank because its template mixes text and a value the
 * document lacks: say so to the writer. An unnamed cell is named by its page. */
static void report_lack(Typesetter *t, const CellSpec *c, const Node *scope, const Missing *m, const char *page_name)
{
    for (size_t i = 0; i < t->ntold; i++)
        if (t->told[i].node == m->node && strcmp(t->told[i].path, m->path) == 0)
            return;
    StrBuf wb = {0};
    if (c->name)
        cell_where(&wb, scope, c);
    else
        sb_printf(&wb, "%s%s%sの欄", scope->label, *scope->label ? " / " : "", page_name);
    if (bind_report_missing(t->layout, m, wb.data, t->file, t->d)) {
        t->failed = 1;
        GROW(t->told, t->told_cap, t->ntold + 1);
        t->told[t->ntold].node = m->node;
        t->told[t->ntold++].path = xstrdup(m->path);
    }
    sb_free(&wb);
}

static void typesetter_free(Typesetter *t)
{
    for (size_t i = 0; i < t->ntold; i++)
        free(t->told[i].path);
    free(t->told);
    strmap_free(&t->keys);
    strmap_free(&t->said_at);
    shaper_free(t->shaper);
    for (size_t i = 0; i < t->nshaped; i++) /* measured, never drawn */
        paratext_free(t->shaped[i].pt, t->shaped[i].n);
    free(t->shaped);
}

/* ---- structure ------------------------------------------------------------ */

/* Where each paragraph of a cell goes: the element of its lines, and of
 * its list marker. */
typedef struct {
    int body, label;
} ParaElem;

static int is_heading(const char *role)
{
    return role[0] == 'H' && role[1] >= '1' && role[1] <= '6' && !role[2];
}

/* A list item under list: LI, with Lbl for the marker when one is printed. */
static ParaElem list_item(DrawDoc *doc, const CellSpec *c, int list, const Para *p)
{
    ParaElem pe = {DRAW_ARTIFACT, DRAW_ARTIFACT};
    int li = drawdoc_elem(doc, "LI", list);
    char marker[64];
    marker_for(c, p, marker, sizeof marker);
    if (*marker)
        pe.label = drawdoc_elem(doc, "Lbl", li);
    pe.body = drawdoc_elem(doc, "LBody", li);
    return pe;
}

/* Paragraphs under parent: plain ones as P, runs of list items as L. */
static void paragraphs(DrawDoc *doc, const CellSpec *c, int parent, const Paras *ps, ParaElem *pe)
{
    int list = -1;
    for (size_t i = 0; i < ps->n; i++) {
        if (ps->p[i].item) {
            if (list < 0)
                list = drawdoc_elem(doc, "L", parent);
            pe[i] = list_item(doc, c, list, &ps->p[i]);
        } else {
            list = -1;
            pe[i].body = drawdoc_elem(doc, "P", parent);
            pe[i].label = DRAW_ARTIFACT;
        }
    }
}

/* The elements of one cell, from its role (the layout's word, or the
 * default: a data cell in a table row, the entry's own text in a contents
 * row, else a paragraph). Returns pe[ps->n]. */
static ParaElem *cell_structure(Typesetter *t, const CellSpec *c, const Paras *ps, int parent, RowKind kind)
{
    ParaElem *pe = xmalloc((ps->n ? ps->n : 1) * sizeof *pe);
    for (size_t i = 0; i < ps->n; i++)
        pe[i].body = pe[i].label = t->artifact ? t->artifact : DRAW_ARTIFACT;
    const char *role = c->role ? c->role : kind == ROW_TABLE ? "TD" : kind == ROW_TOC ? NULL : "P";
    DrawDoc *doc = t->doc;
    if (t->artifact || (role && strcmp(role, "artifact") == 0))
        return pe;
    if (!role) { /* a contents entry holds the text of its cells */
        for (size_t i = 0; i < ps->n; i++)
            pe[i].body = parent;
    } else if (strcmp(role, "TH") == 0 || strcmp(role, "TD") == 0) {
        /* A cell exists even when blank: an empty evaluation cell is a
         * table cell with nothing in it, not a missing one. */
        int cell = drawdoc_elem(doc, role, parent);
        DrawElem *e = &doc->elems[cell];
        e->rowspan = c->rowspan;
        e->colspan = c->colspan;
        if (role[1] == 'H')
            e->scope = c->scope == CELL_SCOPE_ROW ? SCOPE_ROW : c->scope == CELL_SCOPE_BOTH ? SCOPE_BOTH : SCOPE_COLUMN;
        if (ps->n == 1 && !ps->p[0].item)
            pe[0].body = cell;
        else
            paragraphs(doc, c, cell, ps, pe);
    } else if (is_heading(role)) {
        int h = ps->n ? drawdoc_elem(doc, role, parent) : -1;
        for (size_t i = 0; i < ps->n; i++)
            pe[i].body = h;
    } else if (strcmp(role, "L") == 0) {
        int list = ps->n ? drawdoc_elem(doc, "L", parent) : -1;
        for (size_t i = 0; i < ps->n; i++)
            pe[i] = list_item(doc, c, list, &ps->p[i]);
    } else {
        paragraphs(doc, c, parent, ps, pe);
    }
    return pe;
}

/* A list cell's items are its lines: "Ａ：…\nＢ：…" is two items. Set
 * the same either way (a line break and a new paragraph look alike). */
static void split_lines(Paras *ps)
{
    Para *old = ps->p;
    size_t n = ps->n;
    ps->p = NULL;
    ps->n = ps->cap = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = old[i].text;
        for (;;) {
            const char *nl = strchr(s, '\n');
            size_t len = nl ? (size_t)(nl - s) : strlen(s);
            GROW(ps->p, ps->cap, ps->n + 1);
            Para *p = &ps->p[ps->n++];
            *p = old[i];
            p->text = xstrndup(s, len);
            if (!nl)
                break;
            s = nl + 1;
        }
        free(old[i].text);
    }
    free(old);
}

/* A cell that links to a page (`link: '{page}'`, a contents entry): its
 * text goes in a Link element, and the display list gets the link. */
static int cell_link(Typesetter *t, const CellSpec *c, const Node *scope, const DrawPage *page, int parent, double x,
                     double y, double w, double h, const Paras *ps)
{
    if (!c->link || t->artifact)
        return -1;
    char *target = template_string(c->link, scope);
    char *end = NULL;
    long n = target ? strtol(target, &end, 10) : 0;
    int ok = target && end && !*end && n >= 1 && n <= TYPESET_MAX_PAGES * 100;
    free(target);
    if (!ok)
        return -1; /* the contents are still printed; only the link is missing */
    int elem = drawdoc_elem(t->doc, "Link", parent);
    StrBuf text = {0};
    for (size_t i = 0; i < ps->n; i++)
        sb_printf(&text, "%s%s", i ? " " : "", ps->p[i].text);
    drawdoc_link(t->doc, (size_t)(page - t->doc->pages), x, y, w, h, (size_t)n - 1, elem, text.data ? text.data : "");
    sb_free(&text);
    return elem;
}

/* Is any cell of the row content (not decoration)? */
static int row_has_content(const RowSpec *row)
{
    for (size_t c = 0; c < row->ncells; c++)
        if (!row->cells[c].role || strcmp(row->cells[c].role, "artifact") != 0)
            return 1;
    return 0;
}

/* The element a row's cells go in: a new TR or TOCI of the open table or
 * contents (opened when the row names another), or the page's container.
 * A row of decoration only (arrows, a spacer) neither opens nor closes. */
static int row_parent(Typesetter *t, const RowSpec *row)
{
    if (!row_has_content(row))
        return t->container;
    if (row->kind == ROW_PLAIN) {
        t->group = -1;
        return t->container;
    }
    if (t->group < 0 || t->group_row->kind != row->kind || strcmp(t->group_row->group, row->group) != 0)
        t->group = drawdoc_elem(t->doc, row->kind == ROW_TABLE ? "Table" : "TOC", t->container);
    t->group_row = row;
    return drawdoc_elem(t->doc, row->kind == ROW_TABLE ? "TR" : "TOCI", t->group);
}

static void draw_cell(Typesetter *t, DrawPage *page, const char *page_name, const CellSpec *c, const Node *scope,
                      double x_mm, double y_mm, double h_mm, int parent, RowKind kind)
{
    if (t->over_budget) /* reported; the run fails, nothing more to set */
        return;
    if (++t->cells > TYPESET_MAX_CELLS) {
        diag_error(t->d, c->pos.file, c->pos.line, c->pos.col,
                   "この様式でこの原稿を組むと、欄が多すぎます（1 回に %d 欄まで）", TYPESET_MAX_CELLS);
        t->over_budget = 1;
        t->failed = 1;
        return;
    }
    double pw = page->height; /* points */
    double x = x_mm * MM, top = pw - y_mm * MM, w = c->w * MM, h = h_mm * MM;
    if (c->fill >= 0)
        drawpage_fill(page, x, top - h, w, h, c->fill);

    Paras ps;
    template_expand(c->text, scope, &ps);
    if (c->role && strcmp(c->role, "L") == 0)
        split_lines(&ps);
    if (ps.lack.node)
        report_lack(t, c, scope, &ps.lack, page_name);
    record_cell(t, c, scope, &ps, page_name, x, top - h, w, h);
    int font = fontset_find(t->fonts, c->font);
    if (font < 0) {
        diag_error(t->d, c->pos.file, c->pos.line, c->pos.col, "unknown font role `%s`; fonts/fonts.yaml names the roles",
                   c->font);
        t->failed = 1;
    }
    if (ps.missing || font < 0) { /* a blank cell is still a cell of its table */
        Paras none = {0};
        free(cell_structure(t, c, &none, parent, kind));
    }
    if (!ps.missing && font >= 0) {
        int ok = 1;
        ParaText *pt = shape_cell(t, c, font, &ps, scope, &ok, 0);
        double iw = w - (c->pad[1] + c->pad[3]) * MM, ih = h - (c->pad[0] + c->pad[2]) * MM;
        SetLines sl = {0};
        size_t nl = 0;
        int overfull = 0;
        double size = fit_size(t, c, font, &ps, pt, iw, ih, &sl, &nl, &overfull);
        double lh = size * c->line_height;
        size_t room = ih + 0.01 < size ? 0 : (size_t)floor((ih + 0.01 - size) / lh) + 1;
        if (ok && (nl > room || overfull)) {
            const Para *p = &ps.p[0];
            const char *file = p->pos.line ? t->file : c->pos.file;
            int line = p->pos.line ? p->pos.line : c->pos.line, col = p->pos.line ? p->pos.col : c->pos.col;
            StrBuf wb = {0};
            cell_where(&wb, scope, c);
            if (nl > room)
                diag_error(t->d, file, line, col,
                           "%s: %.1f pt まで小さくしても欄に入りません: %zu 行あり、入るのは %zu 行です（%zu 行多すぎます）。短くしてください",
                           wb.data, size, nl, room, nl - room);
            else
                diag_error(t->d, file, line, col, "%s: 欄の幅より長い語があります。短くするか、空白を入れてください",
                           wb.data);
            sb_free(&wb);
            t->failed = 1;
        } else if (ok) {
            /* Shrinking is the last resort (rows grew first): say so, so
             * the writer can shorten the text to keep the form's size. */
            if (size < c->size - 1e-9 && strchr(c->text, '{') && !t->no_records) {
                const Para *p = &ps.p[0];
                StrBuf wb = {0};
                cell_where(&wb, scope, c);
                diag_note(t->d, p->pos.line ? t->file : c->pos.file, p->pos.line ? p->pos.line : c->pos.line,
                          p->pos.line ? p->pos.col : c->pos.col,
                          "%s: 欄に入らないので、文字を様式の %.1f pt から %.1f pt に小さくしました。短くすれば様式の大きさで印刷されます",
                          wb.data, c->size, size);
                sb_free(&wb);
            }
            int link = cell_link(t, c, scope, page, parent, x, top - h, w, h, &ps);
            ParaElem *pe = cell_structure(t, c, &ps, link >= 0 ? link : parent, link >= 0 ? ROW_TOC : kind);
            double y0 = top - c->pad[0] * MM;
            double th = lines_height(nl, size, c->line_height);
            if (c->valign == VALIGN_MIDDLE)
                y0 -= (ih - th) / 2;
            else if (c->valign == VALIGN_BOTTOM)
                y0 -= ih - th;
            for (size_t i = 0; i < sl.n; i++) {
                double lx = x + c->pad[3] * MM + sl.lines[i].indent;
                double free_w = iw - sl.lines[i].width - sl.lines[i].indent;
                if (c->align == ALIGN_CENTER)
                    lx += free_w / 2;
                else if (c->align == ALIGN_RIGHT)
                    lx += free_w;
                double base = y0 - i * lh - font_ascent(t->fonts, font) * size;
                SetLine *ln = &sl.lines[i];
                if (*ln->text) {
                    drawpage_text_in(page, pe[ln->para].body, pe[ln->para].label, ln->marker_len, lx, base, font,
                                     size, ln->text, strlen(ln->text));
                    DrawOp *op = &page->ops[page->nops - 1];
                    op->glyphs = ln->glyphs; /* the display list owns them now */
                    op->nglyphs = ln->nglyphs;
                    ln->glyphs = NULL;
                }
            }
            free(pe);
        } else {
            t->failed = 1;
        }
        setlines_free(&sl);
        paratext_free(pt, ps.n);
    }
    paras_free(&ps);

    /* Borders last, so that fills never cover them. */
    double bw = c->border_width;
    if (c->borders & BORDER_TOP)
        drawpage_line(page, x, top, x + w, top, bw, 0);
    if (c->borders & BORDER_BOTTOM)
        drawpage_line(page, x, top - h, x + w, top - h, bw, 0);
    if (c->borders & BORDER_LEFT)
        drawpage_line(page, x, top, x, top - h, bw, 0);
    if (c->borders & BORDER_RIGHT)
        drawpage_line(page, x + w, top, x + w, top - h, bw, 0);
}

/* The nodes a group repeats over, looked up from the scope outwards. */
static size_t repeat_nodes(const Node *scope, const char *id, const Node ***out)
{
    for (const Node *s = scope; s; s = s->parent) {
        size_t n = node_count(s, id);
        if (n || layout_child(s->spec, id)) {
            *out = xcalloc(n ? n : 1, sizeof **out);
            for (size_t i = 0; i < n; i++)
                (*out)[i] = node_child(s, id, (int)i + 1);
            return n;
        }
    }
    *out = NULL;
    return 0;
}

/* The section spec a group repeats over, from the scope outwards. */
static const SectionSpec *repeat_spec(const Node *scope, const char *id)
{
    for (const Node *s = scope; s; s = s->parent) {
        const SectionSpec *spec = layout_child(s->spec, id);
        if (spec)
            return spec;
    }
    return NULL;
}

static double group_height(const GroupSpec *g, int *has_rest)
{
    double h = 0;
    for (size_t r = 0; r < g->nrows; r++) {
        if (g->rows[r].height < 0)
            *has_rest = 1;
        else
            h += g->rows[r].height;
    }
    return h;
}

/* The fixed height (mm) of a page's rows laid out for one scope; counts
 * the rows of height `rest` in *rests. */
static double scope_height(const PageSpec *ps, const Node *scope, int *rests)
{
    double h = 0;
    for (size_t g = 0; g < ps->ngroups; g++) {
        const GroupSpec *gs = &ps->groups[g];
        const Node **nodes = NULL;
        size_t reps = gs->repeat ? repeat_nodes(scope, gs->repeat, &nodes) : 1;
        free(nodes);
        if (gs->repeat && reps < (size_t)gs->min_repeat)
            reps = (size_t)gs->min_repeat;
        int has_rest = 0;
        h += reps * (group_height(gs, &has_rest) + (gs->repeat ? gs->gap : 0));
        *rests += has_rest ? (int)reps : 0;
    }
    return h;
}

/* The height (mm) a cell's text needs at its size, padding included, and
 * in *at_min (when given) at its min_size, wrapped again only when the
 * first needs more than room mm. 0 for a cell with nothing to print; a
 * label counts only with `labels`. */
static double cell_need(Typesetter *t, const CellSpec *c, const Node *scope, int labels, double room, double *at_min)
{
    int font = fontset_find(t->fonts, c->font);
    if ((!labels && !strchr(c->text, '{')) || font < 0)
        return 0;
    Paras ps;
    template_expand(c->text, scope, &ps);
    if (c->role && strcmp(c->role, "L") == 0)
        split_lines(&ps);
    double need = 0;
    if (!ps.missing && ps.n) {
        for (size_t i = 0; i < ps.n; i++)
            t->wrapped += strlen(ps.p[i].text);
        if (t->wrapped <= TYPESET_MAX_WRAPPED) { /* else fits_at says so */
            SetLines sl = {0};
            int overfull = 0, ok = 1;
            double iw = (c->w - c->pad[1] - c->pad[3]) * MM;
            ParaText *pt = shape_cell(t, c, font, &ps, scope, &ok, 1);
            size_t nl = wrap_cell(t, c, font, &ps, pt, c->size, iw, &sl, &overfull);
            need = lines_height(nl, c->size, c->line_height) / MM + c->pad[0] + c->pad[2];
            if (at_min && need > room && c->min_size < c->size) {
                setlines_free(&sl);
                nl = wrap_cell(t, c, font, &ps, pt, c->min_size, iw, &sl, &overfull);
                *at_min = lines_height(nl, c->min_size, c->line_height) / MM + c->pad[0] + c->pad[2];
            } else if (at_min) {
                *at_min = need;
            }
            setlines_free(&sl); /* pt stays for the drawing (shape_cell) */
        }
    }
    paras_free(&ps);
    return need;
}

/* A page's rows in the order they are placed: measured first (nothing
 * drawn), then drawn at the heights rows_grow settled. */
typedef struct {
    RowPlace *rows;
    size_t n, cap;
} RowPlan;

/* Walk a page's rows once for each scope: with page NULL, append each
 * row's place to plan (a growing row measured with its item's text); else
 * draw them at plan's heights, in the same order. */
static void walk_rows(Typesetter *t, const PageSpec *ps, const Node *const *scopes, size_t nscopes, double rest,
                      RowPlan *plan, DrawPage *page, size_t page_index)
{
    const Layout *l = t->layout;
    double y = l->margin[0];
    size_t at = 0;
    for (size_t s = 0; s < nscopes; s++) {
        const Node *scope = scopes[s];
        if (page) {
            /* Each item of a repeated page is a section of its own. */
            t->container = ps->repeat ? drawdoc_elem(t->doc, "Sect", -1) : -1;
            t->group = -1;
            if (ps->bookmark) {
                char *b = template_string(ps->bookmark, scope);
                if (b)
                    drawdoc_bookmark(t->doc, b, 0, page_index);
                free(b);
            }
        }
        for (size_t g = 0; g < ps->ngroups; g++) {
            const GroupSpec *gs = &ps->groups[g];
            const Node **nodes = NULL;
            size_t have = gs->repeat ? repeat_nodes(scope, gs->repeat, &nodes) : 1;
            size_t reps = gs->repeat && have < (size_t)gs->min_repeat ? (size_t)gs->min_repeat : have;
            /* Rows past the items (a ruled table's blank lines): a node of
             * the repeated section with no values, so its cells print blank. */
            Node *blank = NULL;
            if (reps > have) {
                const SectionSpec *bs = repeat_spec(scope, gs->repeat);
                Pos none = {0, 0};
                blank = bs ? node_new(bs, (Node *)scope, none) : NULL;
                if (blank) {
                    blank->label = xstrdup(scope->label);
                    blank->filler = 1;
                }
            }
            for (size_t k = 0; k < reps; k++) {
                const Node *sc = !gs->repeat ? scope : k < have ? nodes[k] : blank;
                if (!sc)
                    break;
                if (sc == blank)
                    blank->index = (int)k + 1; /* a blank row still has its place */
                if (gs->repeat)
                    y += gs->gap;
                if (!page) {
                    for (size_t r = 0; r < gs->nrows; r++) {
                        const RowSpec *row = &gs->rows[r];
                        GROW(plan->rows, plan->cap, plan->n + 1);
                        RowPlace *rp = &plan->rows[plan->n++];
                        *rp = (RowPlace){.h = row->height < 0 ? rest : row->height, .min = row->min_height,
                                         .max = row->max_height, .grow = row->grow};
                        /* A growing row: what its text needs at the form's size
                         * and at the smallest; a row that gives: never below
                         * what its own text, labels too, needs. */
                        for (size_t c = 0; (row->grow || row->min_height > 0) && sc != blank && c < row->ncells; c++) {
                            if (row->cells[c].rowspan != 1)
                                continue;
                            double at_min = 0;
                            double need = cell_need(t, &row->cells[c], sc, !row->grow, rp->h, row->grow ? &at_min : NULL);
                            rp->need = fmax(rp->need, need);
                            rp->need_min = fmax(rp->need_min, at_min);
                        }
                        if (!row->grow && row->min_height > 0)
                            rp->min = fmin(rp->h, fmax(rp->min, rp->need));
                    }
                    continue;
                }
                const RowPlace *heights = &plan->rows[at];
                for (size_t r = 0; r < gs->nrows; r++) {
                    const RowSpec *row = &gs->rows[r];
                    int parent = row_parent(t, row);
                    for (size_t c = 0; c < row->ncells; c++) {
                        const CellSpec *cs = &row->cells[c];
                        double h = 0;
                        for (size_t j = r; j < gs->nrows && j < r + (size_t)cs->rowspan; j++)
                            h += heights[j].h;
                        draw_cell(t, page, ps->name, cs, sc, l->margin[3] + cs->x, y, h, parent, row->kind);
                    }
                    y += heights[r].h;
                }
                at += gs->nrows;
            }
            node_free(blank);
            free(nodes);
        }
    }
}

/* Lay a page's rows out once for each scope in scopes[0..n): one page,
 * shared by n items when the layout asks for per_page > 1. */
static void typeset_page(Typesetter *t, const PageSpec *ps, const Node *const *scopes, size_t nscopes)
{
    const Layout *l = t->layout;
    if (t->doc->npages >= TYPESET_MAX_PAGES) {
        if (t->doc->npages == TYPESET_MAX_PAGES)
            diag_error(t->d, t->file, 1, 1, "原稿が %d ページを超えてしまいます", TYPESET_MAX_PAGES);
        t->failed = 1;
        return;
    }
    DrawPage *page = drawdoc_add_page(t->doc, l->page_w * MM, l->page_h * MM);
    size_t page_index = t->doc->npages - 1;

    /* Fixed heights first; a "rest" row takes what is left of the page. */
    double fixed = 0;
    int rests = 0;
    for (size_t s = 0; s < nscopes; s++)
        fixed += scope_height(ps, scopes[s], &rests);
    double avail = l->page_h - l->margin[0] - l->margin[2];
    double rest = rests ? (avail - fixed) / rests : 0;
    if (fixed > avail + 0.01 || (rests && rest < 5)) {
        /* Too many items for one page. When binding already said which
         * count is wrong, this would only repeat it; otherwise it is said
         * at the item's heading, in the writer's file. */
        if (t->bound_ok && *scopes[0]->label)
            diag_error(t->d, t->file, scopes[0]->pos.line, scopes[0]->pos.col,
                       "%s%sが様式の 1 ページに入りません（行の高さが %.0f mm 必要ですが、ページは %.0f mm です）。"
                       "短くするか、項目の一部を別の所に移してください",
                       scopes[0]->label, ja_gap(scopes[0]->label), fixed, avail);
        else if (t->bound_ok)
            diag_error(t->d, ps->pos.file, ps->pos.line, ps->pos.col,
                       "page `%s`: its rows need %.1f mm but the page has %.1f mm", ps->name, fixed, avail);
        t->failed = 1;
    }

    /* Rows grow before text shrinks (layout.h): measure, settle, draw. */
    RowPlan plan = {0};
    walk_rows(t, ps, scopes, nscopes, rest, &plan, NULL, page_index);
    rows_grow(plan.rows, plan.n, rests ? 0 : avail - fixed);
    walk_rows(t, ps, scopes, nscopes, rest, &plan, page, page_index);
    free(plan.rows);
}

/* One cell on every page of doc, at top mm below the top edge (or, with
 * from_bottom, with its top h above `top` mm from the bottom edge), with
 * {page} and {pages}, all of it an artifact of the given kind. */
static int every_page(const Layout *layout, const FontSet *fonts, DrawDoc *doc, Diag *d, const CellSpec *c,
                      double top, int from_bottom, int artifact)
{
    Typesetter t = {.layout = layout, .fonts = fonts, .file = layout->path, .doc = doc, .d = d, .no_records = 1,
                    .bound_ok = 1, .artifact = artifact, .container = -1, .group = -1,
                    .shaper = shaper_new()};
    char buf[32];
    for (size_t i = 0; i < doc->npages; i++) {
        Pos none = {0, 0};
        Node *n = node_new(&layout->root, NULL, none);
        n->label = xstrdup("");
        snprintf(buf, sizeof buf, "%zu", i + 1);
        node_add_value(n, "page", buf, none);
        snprintf(buf, sizeof buf, "%zu", doc->npages);
        node_add_value(n, "pages", buf, none);
        DrawPage *p = &doc->pages[i];
        double h = c->size * c->line_height / MM + c->pad[0] + c->pad[2];
        double y = from_bottom ? p->height / MM - top - h : top;
        draw_cell(&t, p, "page", c, n, layout->margin[3] + c->x, y, h, -1, ROW_PLAIN);
        node_free(n);
    }
    typesetter_free(&t);
    return t.failed ? -1 : 0;
}

int typeset_page_numbers(const Layout *layout, const FontSet *fonts, DrawDoc *doc, Diag *d)
{
    if (!layout->page_number)
        return 0;
    return every_page(layout, fonts, doc, d, layout->page_number, layout->page_number_bottom, 1, DRAW_PAGINATION);
}

int typeset_draft_mark(const Layout *layout, const FontSet *fonts, DrawDoc *doc, Diag *d)
{
    if (!layout->draft_mark)
        return 0;
    return every_page(layout, fonts, doc, d, layout->draft_mark, layout->draft_mark_top, 0, DRAW_ARTIFACT);
}

int typeset_document(const Layout *layout, const Node *root, const FontSet *fonts, const char *file,
                     const Source *src, int bound_ok, DrawDoc *doc, Diag *d)
{
    Typesetter t = {.layout = layout, .fonts = fonts, .file = file, .src = src, .doc = doc, .d = d, .bound_ok = bound_ok,
                    .container = -1, .group = -1, .shaper = shaper_new()};
    for (size_t p = 0; p < layout->npages; p++) {
        const PageSpec *ps = &layout->pages[p];
        if (!ps->repeat) {
            typeset_page(&t, ps, &root, 1);
            continue;
        }
        const Node **nodes = NULL;
        size_t n = repeat_nodes(root, ps->repeat, &nodes);
        /* Up to per_page items share a page, as many as fit: an item that
         * would not fit starts the next page. */
        double avail = layout->page_h - layout->margin[0] - layout->margin[2];
        for (size_t i = 0; i < n;) {
            int rests = 0;
            double used = scope_height(ps, nodes[i], &rests);
            size_t k = 1;
            while (k < (size_t)ps->per_page && i + k < n) {
                double more = scope_height(ps, nodes[i + k], &rests);
                if (used + more > avail + 0.01)
                    break;
                used += more;
                k++;
            }
            typeset_page(&t, ps, nodes + i, k);
            i += k;
        }
        free(nodes);
    }
    doc->title = layout->title ? template_string(layout->title, root) : NULL;
    doc->author = layout->author ? template_string(layout->author, root) : NULL;
    doc->subject = layout->subject ? template_string(layout->subject, root) : NULL;
    doc->keywords = layout->keywords ? template_string(layout->keywords, root) : NULL;
    typesetter_free(&t);
    return t.failed ? -1 : 0;
}
