/* What the front-matter and layout fuzz targets share: the fonts, loaded
 * once per process, and a check that a run made a whole PDF.
 *
 * POLICYGEN_FUZZ_EXPECT_PAGES=N (for the test suite, not for fuzzing): every
 * input must give a PDF of N pages, or the target prints the diagnostics and
 * aborts. The tests replay the real front matters and layouts this way, so a
 * target whose fixed document stops being valid is noticed (a fuzzer that
 * never reaches typesetting and rendering would still "pass"). */
#ifndef POLICYGEN_FUZZ_HARNESS_H
#define POLICYGEN_FUZZ_HARNESS_H

#include "diag.h"
#include "fonts.h"
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Set by a target that leaves something behind (a temporary folder): run
 * before aborting. */
static void (*fuzz_cleanup)(void);

static FontSet *fuzz_fonts(void)
{
    static FontSet *fonts;
    if (!fonts) {
        Diag d;
        diag_init(&d);
        fonts = fontset_load("fonts/fonts.yaml", &d);
        if (!fonts) {
            diag_print(&d, stderr);
            abort();
        }
        diag_free(&d);
    }
    return fonts;
}

/* A document of the repository (the targets run from its top folder, as
 * fuzz_fonts reads fonts/fonts.yaml) with its `layout:` line naming
 * layout; read once per process and kept. */
static inline const char *fuzz_document(const char *path, const char *layout, size_t *len)
{
    static char *doc;
    static size_t doc_len;
    if (!doc) {
        FILE *f = fopen(path, "rb");
        char line[4096];
        size_t cap = 0;
        if (!f) {
            perror(path);
            abort();
        }
        while (fgets(line, sizeof line, f)) {
            char repl[256];
            const char *l = line;
            if (strncmp(line, "layout:", 7) == 0) {
                snprintf(repl, sizeof repl, "layout: %s\n", layout);
                l = repl;
            }
            size_t n = strlen(l);
            if (doc_len + n + 1 > cap) {
                cap = 2 * (doc_len + n + 1);
                doc = realloc(doc, cap);
                if (!doc)
                    abort();
            }
            memcpy(doc + doc_len, l, n + 1);
            doc_len += n;
        }
        fclose(f);
    }
    *len = doc_len;
    return doc;
}

/* Pages of a PDF written by libharu: its "/Type /Page" dictionaries. */
static inline int count_pages(const unsigned char *pdf, size_t len)
{
    static const char key[] = "/Type /Page";
    const size_t k = sizeof key - 1;
    int n = 0;
    for (size_t i = 0; i + k < len; i++)
        if (memcmp(pdf + i, key, k) == 0 && pdf[i + k] != 's')
            n++;
    return n;
}

/* The page dictionaries are in the object stream (pdfpack.c): inflated. */
static inline int fuzz_pdf_pages(const unsigned char *pdf, size_t len)
{
    static const char key[] = "/Type/ObjStm";
    const unsigned char *at = NULL;
    for (size_t i = 0; !at && i + sizeof key < len; i++)
        if (memcmp(pdf + i, key, sizeof key - 1) == 0)
            at = pdf + i;
    const unsigned char *s = NULL;
    for (const unsigned char *q = at; q && !s && q + 7 <= pdf + len; q++)
        if (memcmp(q, "stream\n", 7) == 0)
            s = q;
    if (!s)
        return count_pages(pdf, len);
    s += 7;
    z_stream z = {0};
    size_t cap = 1 << 16, got = 0;
    unsigned char *buf = malloc(cap);
    if (!buf || inflateInit(&z) != Z_OK) {
        free(buf);
        return -1;
    }
    z.next_in = (unsigned char *)s;
    z.avail_in = (uInt)(len - (size_t)(s - pdf));
    int zr;
    do {
        if (got == cap) {
            unsigned char *b = realloc(buf, cap *= 2);
            if (!b)
                break;
            buf = b;
        }
        z.next_out = buf + got;
        z.avail_out = (uInt)(cap - got);
        zr = inflate(&z, Z_NO_FLUSH);
        got = cap - z.avail_out;
    } while (zr == Z_OK);
    inflateEnd(&z);
    int n = count_pages(buf, got);
    free(buf);
    return n;
}

/* With POLICYGEN_FUZZ_EXPECT_PAGES set, abort unless the run made a whole
 * PDF of that many pages. */
static inline void fuzz_expect_pdf(int rc, const PipelineResult *res, Diag *d)
{
    static int expect = -1;
    if (expect < 0) {
        const char *e = getenv("POLICYGEN_FUZZ_EXPECT_PAGES");
        expect = e && *e ? atoi(e) : 0;
    }
    if (!expect)
        return;
    int pages = res->pdf ? fuzz_pdf_pages(res->pdf, res->pdf_len) : 0;
    int whole = 0; /* "%PDF-" at the start, "%%EOF" near the end */
    if (res->pdf && res->pdf_len > 16 && memcmp(res->pdf, "%PDF-", 5) == 0)
        for (size_t i = res->pdf_len > 32 ? res->pdf_len - 32 : 0; i + 5 <= res->pdf_len; i++)
            whole |= memcmp(res->pdf + i, "%%EOF", 5) == 0;
    if (rc != 0 || !whole || pages != expect) {
        diag_print(d, stderr);
        fprintf(stderr, "fuzz target: expected a whole PDF of %d pages; got rc %d, %zu bytes, %d pages\n", expect,
                rc, res->pdf ? res->pdf_len : 0, pages);
        if (fuzz_cleanup)
            fuzz_cleanup();
        abort();
    }
}

#endif
