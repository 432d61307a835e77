/* Rows grow before text shrinks: the heights of one page's rows, given what
 * each row's text needs. Pure arithmetic, no layout. */
#ifndef POLICYGEN_ROWGROW_H
#define POLICYGEN_ROWGROW_H

#include <stddef.h>

typedef struct {
    double h;        /* mm: the layout's height (a `rest` row: its share); the result */
    double min;      /* mm: may give up height down to this; >= h: gives none */
    double need;     /* mm: what its text needs at the form's size (0: none) */
    double need_min; /* mm: what its text needs at its smallest size */
    double max;      /* mm: the most it may grow to (0: no limit) */
    int grow;        /* may grow */
} RowPlace;

/* Grow the rows that need it from the page's unused room (free mm below the
 * last row), then from the rows that give up height, taking from each in
 * proportion to what it can give. The room goes first to what each growing
 * row needs to hold its text at its smallest size (so that no text fails
 * that could fit), then to what it needs at the form's size; when there is
 * not enough for a step, each row gets the same share of its want in it.
 * Rows whose text fits keep their height, so a page where everything fits
 * is laid out as before. Returns the mm granted in all. */
double rows_grow(RowPlace *rows, size_t n, double free_room);

#endif
