/* Greedy line filling at break opportunities. Because kinsoku removes the
 * opportunity before 、。」 etc., ending a line at the last opportunity that
 * fits pushes the preceding character down with them: that is 追い出し. */
#include "wrap.h"

#include "linebreak.h"
#include "util.h"

static int is_space(uint32_t cp)
{
    return cp == 0x20 || cp == 0x3000;
}

/* Append the line [start, end) without its trailing spaces, which take no
 * room at a line end. */
static void put_line(const uint32_t *cps, const int *adv, size_t start, size_t end,
                     WrapLine **lines, size_t *cap, size_t *count)
{
    while (end > start && is_space(cps[end - 1]))
        end--;
    long w = 0;
    for (size_t k = start; k < end; k++)
        w += adv[k];
    GROW(*lines, *cap, *count + 1);
    (*lines)[(*count)++] = (WrapLine){start, end, w};
}

/* Lines are stored from (*lines)[0]; *overfull is only ever set to 1, so a
 * caller can collect it over several paragraphs (and may pass NULL). */
size_t wrap_paragraph(const uint32_t *cps, const int *adv, const uint8_t *brk, size_t n,
                      long width, WrapLine **lines, size_t *cap, int *overfull)
{
    size_t count = 0, start = 0;
    int wrapped = 0; /* the line continues one we broke, not after a newline */

    if (n == 0)
        put_line(cps, adv, 0, 0, lines, cap, &count);
    while (start < n) {
        if (wrapped) /* a wrapped line does not start with the space we broke at
                      * (unless a selector or mark belongs to it) */
            while (start < n && is_space(cps[start]) && brk[start] != LB_GLUE)
                start++;
        if (start == n)
            break;

        long w = 0, ink = 0; /* width so far, and without trailing spaces */
        size_t fit = 0;      /* end of the line at the last opportunity that fits */
        size_t end = 0, next = 0, j;
        for (j = start; j < n; j++) {
            int newline = brk[j] == LB_MUST && cps[j] == 0x0A;
            if (!newline) {
                w += adv[j];
                if (!is_space(cps[j]))
                    ink = w;
            }
            if (ink > width)
                break; /* cps[j] does not fit */
            if (brk[j] == LB_MUST) {
                end = newline ? j : j + 1;
                next = j + 1;
                break;
            }
            if (brk[j] == LB_ALLOW)
                fit = j + 1;
        }
        if (next) { /* a mandatory break ended the line */
            wrapped = 0;
        } else if (fit) {
            end = next = fit;
            wrapped = 1;
        } else { /* one unbreakable run wider than the line: cut it, at least one code point */
            end = next = j > start ? j : start + 1;
            while (end < n && brk[end - 1] == LB_GLUE) /* never cut a cluster */
                end = ++next;
            wrapped = 1;
            if (overfull)
                *overfull = 1;
        }
        put_line(cps, adv, start, end, lines, cap, &count);
        start = next;
    }
    return count;
}
