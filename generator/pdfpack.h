/* Compression and object streams for libharu's output (PDF 1.5, ISO
 * 32000-1 7.5.7-7.5.8). libharu 2.3.0 writes every object uncompressed with
 * a classic xref table; a tagged PDF has hundreds of small structure
 * elements, which would make it about 40 % larger. render.c also has it
 * write every stream uncompressed, as zlib inside libharu was slow. This
 * rewrites the file: each stream without a /Filter, but the XMP metadata,
 * is compressed (flate.h) with its /Length object updated, every other
 * object goes into compressed object streams, and a cross-reference stream
 * replaces the table and trailer (keeping /Root, /Info and /ID). Only what
 * libharu writes is understood; anything else is an error, never a guess. */
#ifndef POLICYGEN_PDFPACK_H
#define POLICYGEN_PDFPACK_H

#include <stddef.h>
#include "flatepool.h"

#define PDFPACK_NO_MEMORY (-2)

/* A stream being compressed already (a font program, on the worker while
 * the pages were made): the object libharu wrote it as, and the task
 * compressing the very bytes it wrote there (flatepool.h). */
typedef struct {
    size_t object;
    FlateTask *task;
} PackPending;

/* Returns 0 with *out (malloc'd) and *outlen, or -1 (in left as it was),
 * or PDFPACK_NO_MEMORY when compressing ran out of memory (on a thread,
 * too: the caller stops the run as xmalloc would). The streams are
 * compressed with pool (flatepool.h).
 * Every task of pending is finished here, whatever the outcome, after the
 * other streams are compressed (so they run side by side); a pending
 * object that is not a stream to compress, or whose length is not its
 * task's, is an error. */
int pdfpack(FlatePool *pool, const unsigned char *in, size_t len, PackPending *pending, size_t npending,
            unsigned char **out, size_t *outlen);

#endif
