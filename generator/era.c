#include "era.h"

#include <stdio.h>

static const struct {
    int first_fiscal_year; /* the fiscal year that bears the era's name first */
    const char *name;
} ERAS[] = {
    /* Newest first. 令和 began 2019-05-01; the fiscal year 2019 (Apr 2019 -
     * Mar 2020) is officially 令和元年度, so each era owns its first
     * calendar year as a fiscal year. */
    {2019, "令和"},
    {1989, "平成"},
    {1926, "昭和"},
};

int era_year(int year, char *buf, size_t size)
{
    if (year > 9999)
        return -1;
    for (size_t i = 0; i < sizeof ERAS / sizeof ERAS[0]; i++) {
        if (year >= ERAS[i].first_fiscal_year) {
            int n = year - ERAS[i].first_fiscal_year + 1;
            int w = n == 1 ? snprintf(buf, size, "%s元年", ERAS[i].name)
                           : snprintf(buf, size, "%s%d年", ERAS[i].name, n);
            return w > 0 && (size_t)w < size ? 0 : -1;
        }
    }
    return -1;
}
