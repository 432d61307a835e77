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

/* One buffer compressed on a thread of its own while the caller goes on:
 * a font program, compressed while the pages and the structure tree are
 * made, instead of after them with the rest. The bytes are those of
 * flate_append at the same level. */
typedef struct FlateTask FlateTask;

/* Starts compressing data[0, len), which must stay as it is until
 * flate_task_finish. Without a thread, the work is done there. */
FlateTask *flate_task_start(const unsigned char *data, size_t len, int level);

/* The length of the data t compresses. */
size_t flate_task_len(const FlateTask *t);

/* Waits for t and frees it; out (when not NULL; empty) gets the
 * compressed bytes. 0, or -1 when they could not be made (out of memory;
 * out stays empty). Every task started must be finished, also on a path
 * that drops its bytes: the thread reads the data until then. */
int flate_task_finish(FlateTask *t, StrBuf *out);

#endif
