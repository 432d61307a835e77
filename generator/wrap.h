/* Fit a paragraph into a width: greedy, breaking only at opportunities.
 * When the character after the last fitting one may not start a line,
 * the break moves back to the previous opportunity, pushing characters
 * down (追い出し), as the official forms do. */
#ifndef POLICYGEN_WRAP_H
#define POLICYGEN_WRAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    size_t start, end; /* code point range [start, end) of the line, without the newline */
    long width;        /* sum of advances, 1/1000 em units */
} WrapLine;

/* adv[i] = advance of cps[i] (1/1000 em); brk from linebreak_opportunities;
 * width in the same units. Lines are written from (*lines)[0] (realloc'd).
 * Returns the number of lines. A single unbreakable run wider than width
 * is cut at the width (at least one character a line) and *overfull is
 * set, so that the caller can shrink the text or report it. */
size_t wrap_paragraph(const uint32_t *cps, const int *adv, const uint8_t *brk, size_t n,
                      long width, WrapLine **lines, size_t *cap, int *overfull);

#endif
