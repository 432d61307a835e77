/* Japanese era (和暦) names for fiscal years. A fiscal year runs April to
 * March and takes the era of its end: FY2019 is 令和元年度, FY2018 平成30年度. */
#ifndef POLICYGEN_ERA_H
#define POLICYGEN_ERA_H

#include <stddef.h>

/* Write e.g. "令和6年" (ASCII digits; 元 for the first year) into buf.
 * Returns 0, or -1 for a year before 1926 or after 9999. */
int era_year(int year, char *buf, size_t size);

#endif
