/* A page's rules (cell borders) as few strokes as draw the same lines:
 * every cell draws its four borders, so a border two cells share is drawn
 * twice and a row's top is drawn cell by cell. Coordinates are the
 * renderer's hundredths of a point, so merging is exact. */
#ifndef POLICYGEN_RULES_H
#define POLICYGEN_RULES_H

#include <stddef.h>

typedef struct {
    long long x1, y1, x2, y2; /* hundredths of a point */
    long long width, gray;    /* hundredths */
} Rule;

/* Sort rules by stroke (gray, width), then merge horizontal and vertical
 * ones that lie on one line and overlap or touch into one. Diagonal rules
 * are kept as they are. Returns the number left in r[0..). */
size_t rules_merge(Rule *r, size_t n);

#endif
