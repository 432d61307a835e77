/* See memreader.h. */
#include "memreader.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *bytes;
    size_t len, pos;
} Reader;

static HPDF_STATUS reader_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *size)
{
    Reader *r = s->attr;
    size_t want = *size, left = r->len - r->pos, n = want < left ? want : left;
    memcpy(ptr, r->bytes + r->pos, n);
    r->pos += n;
    *size = (HPDF_UINT)n;
    return n < want ? HPDF_STREAM_EOF : HPDF_OK; /* as HPDF_MemStream_ReadFunc: no error raised */
}

static HPDF_STATUS reader_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    Reader *r = s->attr;
    long long at = mode == HPDF_SEEK_CUR ? (long long)r->pos + pos
                   : mode == HPDF_SEEK_END ? (long long)r->len - pos /* as HPDF_MemStream_SeekFunc */
                                          : pos;
    if (at < 0 || at > (long long)r->len)
        return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
    r->pos = (size_t)at;
    return HPDF_OK;
}

static HPDF_INT32 reader_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((Reader *)s->attr)->pos;
}

static HPDF_UINT32 reader_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((Reader *)s->attr)->len;
}

static void reader_free(HPDF_Stream s)
{
    Reader *r = s->attr;
    if (r) {
        free(r->bytes);
        free(r);
    }
    s->attr = NULL;
}

HPDF_Stream memreader_new(HPDF_MMgr mmgr, unsigned char *bytes, size_t len)
{
    if (len > INT32_MAX) {
        free(bytes);
        return NULL;
    }
    Reader *r = xmalloc(sizeof *r);
    r->bytes = bytes;
    r->len = len;
    r->pos = 0;
    HPDF_Stream s = HPDF_CallbackReader_New(mmgr, reader_read, reader_seek, reader_tell, reader_size, r);
    if (!s) {
        free(bytes);
        free(r);
        return NULL;
    }
    s->free_fn = reader_free; /* the callback reader has none of its own */
    s->size = (HPDF_UINT)len;
    return s;
}
