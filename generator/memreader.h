/* A libharu stream over bytes in memory, for the streams we make whole
 * (font programs, ToUnicode CMaps; pdffont.h): libharu copies them from it
 * straight into the file when it saves. Its own memory stream would take
 * a copy first and read it back, both byte by byte (HPDF_MemCpy). Reading
 * behaves as HPDF_MemStream does: a short read returns HPDF_STREAM_EOF, a
 * seek past the end raises it. */
#ifndef POLICYGEN_MEMREADER_H
#define POLICYGEN_MEMREADER_H

#include <stddef.h>
#include <hpdf.h>

/* A stream reading bytes[0, len), which it owns from now on (freed with
 * free() when libharu frees the stream, or here on failure). NULL when out
 * of memory or len does not fit libharu's 32-bit sizes. */
HPDF_Stream memreader_new(HPDF_MMgr mmgr, unsigned char *bytes, size_t len);

#endif
