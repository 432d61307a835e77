/* A minimal test harness: each unit test binary prints one line per failed
 * check and, last, "RESULT <passed> <failed>" for tests/run to add up. */
#ifndef POLICYGEN_CHECK_H
#define POLICYGEN_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The PDF with its object stream expanded by qpdf (the renderer packs the
 * small objects into one compressed stream), for tests that read objects
 * as text. Malloc'd; NULL when qpdf fails. */
static inline unsigned char *check_unpack(const unsigned char *pdf, size_t len, size_t *outlen)
{
    char in[] = "/tmp/policygen-unpack-XXXXXX", out[64];
    int fd = mkstemp(in);
    if (fd < 0)
        return NULL;
    int ok = write(fd, pdf, len) == (ssize_t)len;
    close(fd);
    snprintf(out, sizeof out, "%s.qdf", in);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "qpdf --object-streams=disable --stream-data=preserve %s %s 2>/dev/null", in, out);
    ok = ok && system(cmd) == 0;
    unsigned char *buf = NULL;
    FILE *f = ok ? fopen(out, "rb") : NULL;
    if (f) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        rewind(f);
        buf = n > 0 ? malloc((size_t)n) : NULL;
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *outlen = buf ? (size_t)n : 0;
        fclose(f);
    }
    remove(in);
    remove(out);
    return buf;
}

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
