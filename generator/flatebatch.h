/* Many buffers compressed at once, on two cores: the PDF's streams are
 * independent, and the largest (a font program) takes about half of the
 * compression time, so a second thread takes the other half. The output
 * is the same as compressing them one by one. */
#ifndef POLICYGEN_FLATEBATCH_H
#define POLICYGEN_FLATEBATCH_H

#include <stddef.h>
#include "util.h"

typedef struct {
    const unsigned char *data; /* in */
    size_t len;
    StrBuf out;                /* the compressed bytes (owned by the caller) */
} FlateJob;

/* Compress every job at level (flate.h). 0, or -1 when one could not be
 * compressed (out of memory). Without a second thread, one by one. */
int flate_batch(FlateJob *jobs, size_t n, int level);

#endif
