#include "rowgrow.h"

double rows_grow(RowPlace *rows, size_t n, double free_room)
{
    double want = 0, give = 0;
    for (size_t i = 0; i < n; i++) {
        RowPlace *r = &rows[i];
        if (r->grow && r->need > r->h + 0.01) {
            double to = r->max > 0 && r->need > r->max ? r->max : r->need;
            want += to > r->h ? to - r->h : 0;
        } else if (!r->grow && r->min > 0 && r->min < r->h)
            give += r->h - r->min;
    }
    if (free_room < 0)
        free_room = 0;
    if (want <= 0 || free_room + give <= 0)
        return 0;
    double granted = want < free_room + give ? want : free_room + give;
    double from_rows = granted > free_room ? granted - free_room : 0;
    double share = granted / want, taken = give > 0 ? from_rows / give : 0;
    for (size_t i = 0; i < n; i++) {
        RowPlace *r = &rows[i];
        if (r->grow && r->need > r->h + 0.01) {
            double to = r->max > 0 && r->need > r->max ? r->max : r->need;
            if (to > r->h)
                r->h += (to - r->h) * share;
        } else if (!r->grow && r->min > 0 && r->min < r->h)
            r->h -= (r->h - r->min) * taken;
    }
    return granted;
}
