/* See flate.h. */
#include "flate.h"

#include <stdlib.h>

#include <libdeflate.h>

struct Flate {
    struct libdeflate_compressor *c;
};

Flate *flate_new(int level)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c)
        return NULL;
    Flate *f = malloc(sizeof *f); /* not xmalloc: threads call this (flate_append) */
    if (!f) {
        libdeflate_free_compressor(c);
        return NULL;
    }
    f->c = c;
    return f;
}

void flate_free(Flate *f)
{
    if (!f)
        return;
    libdeflate_free_compressor(f->c);
    free(f);
}

int flate_append(Flate *f, const unsigned char *in, size_t len, StrBuf *out)
{
    size_t bound = libdeflate_zlib_compress_bound(f->c, len);
    /* Room, and the NUL every StrBuf keeps; TRY_GROW, as this runs on
     * compression threads too. */
    if (TRY_GROW(out->data, out->cap, out->len + bound + 1) != 0)
        return -1;
    size_t n = libdeflate_zlib_compress(f->c, in, len, out->data + out->len, bound);
    if (n == 0) {
        out->data[out->len] = '\0';
        return -1;
    }
    out->len += n;
    out->data[out->len] = '\0';
    return 0;
}

void flate_before_threads(void)
{
    static const unsigned char none = 0;
    libdeflate_adler32(1, &none, 0); /* with NULL it returns before choosing */
}
