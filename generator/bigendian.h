/* Big-endian numbers in font tables (sfnt): read and written in place. */
#ifndef POLICYGEN_BIGENDIAN_H
#define POLICYGEN_BIGENDIAN_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static inline int32_t rds16(const unsigned char *p)
{
    return (int16_t)rd16(p);
}

static inline uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Where glyph g's outline starts in glyf, read from loca (the short form
 * holds offsets halved). The caller checks g + 1 entries are there. */
static inline size_t loca_offset(const unsigned char *loca, int long_loca, size_t g)
{
    return long_loca ? (size_t)rd32(loca + 4 * g) : 2 * (size_t)rd16(loca + 2 * g);
}

static inline void wr16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static inline void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

#endif
