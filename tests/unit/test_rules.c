/* rules_merge (rules.c): a page's borders as few strokes as draw the same. */
#include "check.h"
#include "rules.h"

int main(void)
{
    /* Two cells side by side, each with its four borders: the shared
     * edge once, the top and bottom one line each. */
    Rule r[] = {
        {0, 100, 50, 100, 50, 0},  {0, 0, 50, 0, 50, 0},  {0, 100, 0, 0, 50, 0},   {50, 100, 50, 0, 50, 0},
        {50, 100, 90, 100, 50, 0}, {50, 0, 90, 0, 50, 0}, {50, 100, 50, 0, 50, 0}, {90, 100, 90, 0, 50, 0},
    };
    size_t n = rules_merge(r, sizeof r / sizeof r[0]);
    CHECK(n == 5, "two cells: 2 horizontal + 3 vertical rules, got %zu", n);
    CHECK(r[0].x1 == 0 && r[0].y1 == 0 && r[0].x2 == 90 && r[0].y2 == 0, "the bottom, whole: %lld..%lld", r[0].x1,
          r[0].x2);
    CHECK(r[1].y1 == 100 && r[1].x1 == 0 && r[1].x2 == 90, "the top, whole");
    CHECK(r[2].x1 == 0 && r[3].x1 == 50 && r[4].x1 == 90 && r[3].y1 == 0 && r[3].y2 == 100, "the verticals, upwards");

    /* Rules of different strokes, or with a gap between them, stay apart;
     * a diagonal is kept as it is. */
    Rule s[] = {
        {0, 0, 10, 0, 50, 0}, {20, 0, 30, 0, 50, 0}, {10, 0, 20, 0, 100, 0}, {10, 0, 20, 0, 50, 50},
        {0, 0, 10, 10, 50, 0},
    };
    n = rules_merge(s, sizeof s / sizeof s[0]);
    CHECK(n == 5, "a gap, other widths, other grays, a diagonal: nothing merged, got %zu", n);
    CHECK(s[0].width == 50 && s[0].gray == 0 && s[n - 1].gray == 50, "grouped by stroke: gray, then width");

    /* Overlapping and reversed rules on one line become one. */
    Rule t[] = {{30, 5, 10, 5, 50, 0}, {0, 5, 15, 5, 50, 0}, {25, 5, 40, 5, 50, 0}};
    n = rules_merge(t, 3);
    CHECK(n == 1 && t[0].x1 == 0 && t[0].x2 == 40, "overlapping: one rule 0..40, got %zu: %lld..%lld", n, t[0].x1,
          t[0].x2);
    CHECK(rules_merge(t, 0) == 0, "no rules");
    return CHECK_DONE();
}
