#include "typo.h"
#include "util.h"

#include <stdlib.h>

/* Edit distance between two code point strings (small inputs only). */
static size_t distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t *row = xmalloc((nb + 1) * sizeof *row);
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t r = row[nb];
    free(row);
    return r;
}

/* How far word is from want (edit distance in characters; with prefix,
 * only word's first characters, as many as want has), or -1 when too far
 * to be a typo of it (more than a third of want). */
long typo_distance(const char *word, const char *want, int prefix)
{
    size_t nw, nt;
    uint32_t *w = utf8_to_u32(word, &nw), *t = utf8_to_u32(want, &nt);
    size_t d = distance(w, prefix && nw > nt ? nt : nw, t, nt);
    free(w);
    free(t);
    return nt >= 2 && d * 3 <= nt ? (long)d : -1;
}
