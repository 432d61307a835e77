/* A libharu input stream over bytes in memory. libharu 2.3.0 reads a
 * TrueType font through an HPDF_Stream, once to load it and again, table
 * by table, when it saves the subset; its own memory stream copies byte by
 * byte (HPDF_MemCpy), which was a tenth of a build. This one copies with
 * memcpy and behaves as HPDF_MemStream does for reading: a short read
 * returns HPDF_STREAM_EOF, a seek past the end raises it. */
#ifndef POLICYGEN_MEMREADER_H
#define POLICYGEN_MEMREADER_H

#include <stddef.h>
#include <hpdf.h>

/* A stream reading bytes[0, len), which it owns from now on (freed with
 * free() when libharu frees the stream, or here on failure). NULL when out
 * of memory or len does not fit libharu's 32-bit sizes. */
HPDF_Stream memreader_new(HPDF_MMgr mmgr, unsigned char *bytes, size_t len);

#endif
