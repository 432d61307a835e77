/* rows_grow (rowgrow.c): how one page's rows share out the room that rows
 * growing to hold their text at the form's size ask for. */
#include "check.h"
#include "rowgrow.h"

#include <math.h>

static int near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

int main(void)
{
    /* Text that fits: nothing moves, even with room to give. */
    RowPlace fits[] = {{.h = 20, .need = 15, .grow = 1}, {.h = 100, .min = 30}};
    CHECK(rows_grow(fits, 2, 50) == 0 && fits[0].h == 20 && fits[1].h == 100, "a page whose text fits keeps its rows");

    /* Free room first, then the rows that give, in proportion. */
    RowPlace a[] = {{.h = 20, .need = 50, .grow = 1}, {.h = 60, .min = 40}, {.h = 30, .min = 20}};
    double g = rows_grow(a, 3, 15);
    CHECK(near(g, 30) && near(a[0].h, 50), "the growing row gets all it needs: %g, %g", g, a[0].h);
    CHECK(near(a[1].h, 50) && near(a[2].h, 25), "15 mm from the rows, 2:1 as they can give: %g %g", a[1].h, a[2].h);

    /* Not enough: every growing row gets the same share of its want, and
     * the givers go down to their minimum. */
    RowPlace b[] = {{.h = 10, .need = 50, .grow = 1}, {.h = 10, .need = 30, .grow = 1}, {.h = 40, .min = 10}};
    g = rows_grow(b, 3, 0);
    CHECK(near(g, 30) && near(b[0].h, 30) && near(b[1].h, 20) && near(b[2].h, 10),
          "half of each want when half is there: %g %g %g", b[0].h, b[1].h, b[2].h);

    /* max_height bounds a row's growth; a row without min gives nothing. */
    RowPlace c[] = {{.h = 10, .need = 80, .max = 25, .grow = 1}, {.h = 50}, {.h = 50, .min = 20}};
    g = rows_grow(c, 3, 0);
    CHECK(near(g, 15) && near(c[0].h, 25) && c[1].h == 50 && near(c[2].h, 35), "max_height: %g %g", c[0].h, c[2].h);

    /* A minimum above the row's height gives nothing; nothing to take. */
    RowPlace d[] = {{.h = 10, .need = 30, .grow = 1}, {.h = 20, .min = 25}};
    CHECK(rows_grow(d, 2, 0) == 0 && d[0].h == 10 && d[1].h == 20, "no room: the rows stay");
    /* Not enough for everything: first what keeps each row's text from
     * failing (its need at the smallest size), then the form's size. Row
     * 0 needs 30 mm more at 7 pt, row 1 fits at 7 pt and wants 40 mm more
     * for 10 pt: 35 mm go 30 to row 0, then 5 shared 20:40 (what each
     * still wants). */
    RowPlace e[] = {{.h = 10, .need = 60, .need_min = 40, .grow = 1}, {.h = 10, .need = 50, .need_min = 10, .grow = 1},
                    {.h = 50, .min = 15}};
    g = rows_grow(e, 3, 0);
    CHECK(near(g, 35) && near(e[0].h, 40 + 5.0 / 3) && near(e[1].h, 10 + 10.0 / 3) && near(e[2].h, 15),
          "the smallest size first: %g %g %g", e[0].h, e[1].h, e[2].h);
    return CHECK_DONE();
}
