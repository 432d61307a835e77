/* FlateDecode data (zlib format, RFC 1950) made with libdeflate: whole
 * buffers at once, about twice as fast as zlib at the same level and a
 * little smaller. Every compressed stream of a PDF goes through here
 * (pdfpack.c), so the level is chosen in one place. Deterministic: the
 * same bytes and level give the same output. */
#ifndef POLICYGEN_FLATE_H
#define POLICYGEN_FLATE_H

#include <stddef.h>
#include "util.h"

/* libdeflate level 6: measured on the FY2024 document's streams, 0.4 %
 * smaller than zlib's level 6 in 40 % of its time; levels 7-9 gain under
 * 0.2 % for up to twice the time, 10-12 (optimal parsing) 1.4 % for 6-15
 * times (bench/README.md). */
#define FLATE_LEVEL 6

typedef struct Flate Flate;

/* libdeflate picks its CPU-specific routines (adler32) on first use and
 * stores the choice; called on the main thread before compression threads
 * start, so that two of them never store it at once. */
void flate_before_threads(void);

/* A compressor for many buffers; NULL when out of memory. */
Flate *flate_new(int level);
void flate_free(Flate *f);

/* Append the compressed in[0, len) to out. 0, or -1 (out as it was; also
 * when out cannot grow: this never exits, so threads may call it). */
int flate_append(Flate *f, const unsigned char *in, size_t len, StrBuf *out);

#endif
