/* A minimal test harness: each unit test binary prints one line per failed
 * check and, last, "RESULT <passed> <failed>" for tests/run to add up. */
#ifndef POLICYGEN_CHECK_H
#define POLICYGEN_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        if (cond) {                                                         \
            check_passed++;                                                 \
        } else {                                                            \
            check_failed++;                                                 \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);            \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
        }                                                                   \
    } while (0)

static inline int check_str_eq(const char *got, const char *want)
{
    return got && want && strcmp(got, want) == 0;
}

static inline const char *check_str_show(const char *s)
{
    return s ? s : "(null)";
}

#define CHECK_STR(got, want)                                                \
    CHECK(check_str_eq((got), (want)), "got \"%s\", want \"%s\"",          \
          check_str_show(got), check_str_show(want))

#define CHECK_DONE()                                                        \
    (printf("RESULT %d %d\n", check_passed, check_failed), check_failed != 0)

#endif
