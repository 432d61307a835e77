/* Line-break opportunities for Japanese text: UAX #14 (libunibreak) as the
 * base, with a kinsoku tailoring layer from JIS X 4051 / W3C JLReq on top.
 * The character classes live in kinsoku.c as data. */
#ifndef POLICYGEN_LINEBREAK_H
#define POLICYGEN_LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    KINSOKU_STRICT, /* small kana, ー, 々 may not start a line (official documents) */
    KINSOKU_NORMAL  /* they may (JLReq's common relaxation) */
} KinsokuLevel;

enum {
    LB_NO = 0,     /* no break between cps[i] and cps[i+1] */
    LB_ALLOW = 1,  /* a line may break here */
    LB_MUST = 2,   /* a mandatory break (U+000A in the text) */
    LB_GLUE = 3    /* inside a cluster (before a variation selector or a combining
                    * mark, shape.h): no break, not even a forced one */
};

/* Fill brk[0..n-1]: brk[i] tells whether a line may end after cps[i].
 * brk[n-1] is always LB_MUST. */
void linebreak_opportunities(const uint32_t *cps, size_t n, KinsokuLevel level, uint8_t *brk);

#endif
