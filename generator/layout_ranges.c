/* The numbers of a layout against the page (see layout.h). */
#include "layout.h"
#include "strmap.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* Every number of a layout within what a printed form can mean: cells on
 * their page, sizes a person can read. Beyond the layout's own sense this
 * keeps every coordinate the renderer writes small and finite, and bounds
 * the sizes the shrinking tries (size down to min_size). */
#define LAYOUT_MIN_PAGE 20.0     /* mm */
#define LAYOUT_MAX_PAGE 2000.0   /* mm: larger than A0 */
#define LAYOUT_MIN_SIZE 2.0      /* pt */
#define LAYOUT_MAX_SIZE 96.0     /* pt */
#define LAYOUT_MAX_LINE_HEIGHT 5.0
#define LAYOUT_MAX_BORDER 10.0   /* pt */

static int in_range(double v, double lo, double hi)
{
    return v >= lo && v <= hi; /* false for NaN too */
}

/* unit: "mm", or "mm (why)": the number is given in the unit, the limits
 * with the reason. A value that many cells share (from a style or the
 * defaults) is reported once, at the first cell. */
static void range_error(Diag *d, StrMap *said, const LayoutPos *pos, const char *what, double v, double lo,
                        double hi, const char *unit)
{
    const char *sp = strchr(unit, ' ');
    StrBuf msg = {0};
    sb_printf(&msg, "%s is %g %.*s; it must lie from %g to %g %s", what, v, sp ? (int)(sp - unit) : (int)strlen(unit),
              unit, lo, hi, unit);
    if ((*strmap_slot(said, msg.data))++ == 0)
        diag_error(d, pos->file, pos->line, pos->col, "%s", msg.data);
    sb_free(&msg);
}

static int check_cell(const Layout *l, const CellSpec *c, double content_w, double content_h, StrMap *said, Diag *d)
{
    const LayoutPos *p = &c->pos;
    size_t before = d->errors;
    if (!in_range(c->x, 0, content_w))
        range_error(d, said, p, "cell x", c->x, 0, content_w, "mm (inside the page margins)");
    else if (!in_range(c->w, 0.1, content_w - c->x + 0.005))
        range_error(d, said, p, "cell w", c->w, 0.1, content_w - c->x, "mm (the cell must end inside the page margins)");
    if (!in_range(c->size, LAYOUT_MIN_SIZE, LAYOUT_MAX_SIZE))
        range_error(d, said, p, "size", c->size, LAYOUT_MIN_SIZE, LAYOUT_MAX_SIZE, "pt");
    else if (!in_range(c->min_size, LAYOUT_MIN_SIZE, c->size))
        range_error(d, said, p, "min_size", c->min_size, LAYOUT_MIN_SIZE, c->size, "pt");
    if (!in_range(c->line_height, 0.5, LAYOUT_MAX_LINE_HEIGHT))
        range_error(d, said, p, "line_height", c->line_height, 0.5, LAYOUT_MAX_LINE_HEIGHT, "× size");
    for (int i = 0; i < 4; i++)
        if (!in_range(c->pad[i], 0, content_w))
            range_error(d, said, p, "padding", c->pad[i], 0, content_w, "mm");
    if (in_range(c->pad[1] + c->pad[3], 0, content_w) && c->pad[1] + c->pad[3] >= c->w)
        diag_error(d, p->file, p->line, p->col, "padding left + right (%g mm) leaves no room in a cell %g mm wide",
                   c->pad[1] + c->pad[3], c->w);
    if (in_range(c->pad[0] + c->pad[2], 0, content_h) == 0)
        range_error(d, said, p, "padding top + bottom", c->pad[0] + c->pad[2], 0, content_h, "mm");
    if (!in_range(c->border_width, 0, LAYOUT_MAX_BORDER))
        range_error(d, said, p, "border_width", c->border_width, 0, LAYOUT_MAX_BORDER, "pt");
    (void)l;
    return d->errors == before ? 0 : -1;
}

static int check_ranges(const Layout *l, const LayoutPos *top, StrMap *said, Diag *d);

int layout_check_ranges(const Layout *l, const LayoutPos *top, Diag *d)
{
    StrMap said = {0};
    int rc = check_ranges(l, top, &said, d);
    strmap_free(&said);
    return rc;
}

static int check_ranges(const Layout *l, const LayoutPos *top, StrMap *said, Diag *d)
{
    size_t before = d->errors;
    if (!in_range(l->page_w, LAYOUT_MIN_PAGE, LAYOUT_MAX_PAGE) || !in_range(l->page_h, LAYOUT_MIN_PAGE, LAYOUT_MAX_PAGE)) {
        const LayoutPos *at = l->page_pos.line ? &l->page_pos : top;
        diag_error(d, at->file, at->line, at->col, "page size %g x %g mm: each side must lie from %g to %g mm",
                   l->page_w, l->page_h, LAYOUT_MIN_PAGE, LAYOUT_MAX_PAGE);
        return -1; /* nothing else can be measured against it */
    }
    for (int i = 0; i < 4; i++) {
        static const char *const side[] = {"top", "right", "bottom", "left"};
        double max = (i % 2 ? l->page_w : l->page_h) / 2 - 1;
        if (!in_range(l->margin[i], 0, max)) {
            char what[32];
            snprintf(what, sizeof what, "the %s page margin", side[i]);
            range_error(d, said, l->margin_pos.line ? &l->margin_pos : top, what, l->margin[i], 0, max, "mm");
            return -1;
        }
    }
    double cw = l->page_w - l->margin[1] - l->margin[3], ch = l->page_h - l->margin[0] - l->margin[2];
    if (l->draft_mark) {
        check_cell(l, l->draft_mark, cw, ch, said, d);
        if (!in_range(l->draft_mark_top, 0, l->page_h))
            range_error(d, said, &l->draft_mark->pos, "draft top", l->draft_mark_top, 0, l->page_h, "mm");
    }
    if (l->page_number) {
        check_cell(l, l->page_number, cw, ch, said, d);
        if (!in_range(l->page_number_bottom, 0, l->page_h))
            range_error(d, said, &l->page_number->pos, "page_number bottom", l->page_number_bottom, 0, l->page_h, "mm");
    }
    for (size_t p = 0; p < l->npages; p++) {
        const PageSpec *ps = &l->pages[p];
        for (size_t g = 0; g < ps->ngroups; g++) {
            const GroupSpec *gs = &ps->groups[g];
            if (!in_range(gs->gap, 0, ch))
                range_error(d, said, &gs->pos, "gap", gs->gap, 0, ch, "mm");
            for (size_t r = 0; r < gs->nrows; r++) {
                const RowSpec *rs = &gs->rows[r];
                if (rs->height >= 0 && !in_range(rs->height, 0.1, ch))
                    range_error(d, said, &rs->pos, "row height", rs->height, 0.1, ch, "mm (the page's height inside its margins)");
                if (rs->max_height && !in_range(rs->max_height, rs->height, ch))
                    range_error(d, said, &rs->pos, "max_height", rs->max_height, rs->height, ch, "mm (from the row's height to the page's)");
                if (rs->min_height && !in_range(rs->min_height, 1, rs->height >= 0 ? rs->height : ch))
                    range_error(d, said, &rs->pos, "min_height", rs->min_height, 1, rs->height >= 0 ? rs->height : ch,
                                "mm (up to the row's height)");
                for (size_t c = 0; c < rs->ncells; c++)
                    check_cell(l, &rs->cells[c], cw, ch, said, d);
            }
        }
    }
    return d->errors == before ? 0 : -1;
}

