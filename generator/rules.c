#include "rules.h"

#include <stdlib.h>

enum { HORIZONTAL, VERTICAL, DIAGONAL };

static int orientation(const Rule *r)
{
    return r->y1 == r->y2 ? HORIZONTAL : r->x1 == r->x2 ? VERTICAL : DIAGONAL;
}

static int cmp_ll(long long a, long long b)
{
    return a < b ? -1 : a > b;
}

/* The order rules_merge leaves them in: by stroke, then lines of one
 * orientation and position together, from their start. */
static int cmp_rule(const void *pa, const void *pb)
{
    const Rule *a = pa, *b = pb;
    int c;
    if ((c = cmp_ll(a->gray, b->gray)) || (c = cmp_ll(a->width, b->width)))
        return c;
    int oa = orientation(a), ob = orientation(b);
    if (oa != ob)
        return oa < ob ? -1 : 1;
    if (oa == HORIZONTAL)
        return (c = cmp_ll(a->y1, b->y1)) ? c : (c = cmp_ll(a->x1, b->x1)) ? c : cmp_ll(a->x2, b->x2);
    if (oa == VERTICAL)
        return (c = cmp_ll(a->x1, b->x1)) ? c : (c = cmp_ll(a->y1, b->y1)) ? c : cmp_ll(a->y2, b->y2);
    if ((c = cmp_ll(a->x1, b->x1)) || (c = cmp_ll(a->y1, b->y1)) || (c = cmp_ll(a->x2, b->x2)))
        return c;
    return cmp_ll(a->y2, b->y2);
}

size_t rules_merge(Rule *r, size_t n)
{
    for (size_t i = 0; i < n; i++) { /* each from its lower coordinate */
        long long t;
        if (orientation(&r[i]) == HORIZONTAL && r[i].x1 > r[i].x2)
            t = r[i].x1, r[i].x1 = r[i].x2, r[i].x2 = t;
        else if (orientation(&r[i]) == VERTICAL && r[i].y1 > r[i].y2)
            t = r[i].y1, r[i].y1 = r[i].y2, r[i].y2 = t;
    }
    qsort(r, n, sizeof *r, cmp_rule);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        Rule *last = out ? &r[out - 1] : NULL;
        int o = orientation(&r[i]);
        if (last && o != DIAGONAL && orientation(last) == o && last->gray == r[i].gray &&
            last->width == r[i].width) {
            if (o == HORIZONTAL && last->y1 == r[i].y1 && r[i].x1 <= last->x2) {
                if (r[i].x2 > last->x2)
                    last->x2 = r[i].x2;
                continue;
            }
            if (o == VERTICAL && last->x1 == r[i].x1 && r[i].y1 <= last->y2) {
                if (r[i].y2 > last->y2)
                    last->y2 = r[i].y2;
                continue;
            }
        }
        r[out++] = r[i];
    }
    return out;
}
