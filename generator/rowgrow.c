#include "rowgrow.h"

/* The height a growing row wants at the form's size (step 1) or at its
 * smallest (step 0), within its max; 0 when it has no use for more. */
static double wanted(const RowPlace *r, int step)
{
    if (!r->grow)
        return 0;
    double to = step ? r->need : r->need_min < r->need ? r->need_min : r->need;
    if (r->max > 0 && to > r->max)
        to = r->max;
    return to > r->h + 0.01 ? to - r->h : 0;
}

double rows_grow(RowPlace *rows, size_t n, double free_room)
{
    double give = 0;
    for (size_t i = 0; i < n; i++)
        if (!rows[i].grow && rows[i].min > 0 && rows[i].min < rows[i].h)
            give += rows[i].h - rows[i].min;
    double room = (free_room > 0 ? free_room : 0) + give, granted = 0;
    for (int step = 0; step < 2; step++) {
        double want = 0;
        for (size_t i = 0; i < n; i++)
            want += wanted(&rows[i], step);
        if (want <= 0 || room - granted <= 0)
            continue;
        double g = want < room - granted ? want : room - granted, share = g / want;
        for (size_t i = 0; i < n; i++)
            rows[i].h += wanted(&rows[i], step) * share;
        granted += g;
    }
    if (granted <= 0)
        return 0;
    /* What the free room does not cover comes from the givers, each in
     * proportion to what it can give. */
    double from_rows = granted > free_room ? granted - (free_room > 0 ? free_room : 0) : 0;
    double taken = give > 0 ? from_rows / give : 0;
    for (size_t i = 0; i < n; i++)
        if (!rows[i].grow && rows[i].min > 0 && rows[i].min < rows[i].h)
            rows[i].h -= (rows[i].h - rows[i].min) * taken;
    return granted;
}
