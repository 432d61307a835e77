/* Compression beside the caller's work: the PDF's streams are independent,
 * and the largest (a font program) is about half of the compression time.
 * A pool hands work to the process's worker thread (worker.h) and has two
 * compressors, the caller's and the worker's, made once and used for
 * every stream of every document the process builds. The bytes are always
 * those of compressing each buffer alone at FLATE_LEVEL. */
#ifndef POLICYGEN_FLATEPOOL_H
#define POLICYGEN_FLATEPOOL_H

#include <stddef.h>
#include "util.h"
#include "worker.h"

typedef struct {
    const unsigned char *data; /* in */
    size_t len;
    StrBuf out;                /* the compressed bytes (owned by the caller) */
} FlateJob;

typedef struct FlatePool FlatePool;

/* Work goes to w (not owned; NULL or unthreaded: all of it on the
 * caller). Used by one calling thread. Never NULL (out of memory stops the
 * run, as xmalloc does). */
FlatePool *flatepool_new(Worker *w);
/* Every task must have been finished; before w is freed. NULL is allowed. */
void flatepool_free(FlatePool *p);

/* The worker p hands its tasks to (NULL: none), for the other work of the
 * same document that can run beside the caller's (render.c). */
Worker *flatepool_worker(const FlatePool *p);

/* Compress every job: about half of the work on the worker, the rest on
 * the caller. 0, or -1 when one could not be compressed (out of memory). */
int flate_batch(FlatePool *p, FlateJob *jobs, size_t n);

/* Append the compressed in[0, len) to out on the caller's compressor
 * (flate_append). */
int flatepool_append(FlatePool *p, const unsigned char *in, size_t len, StrBuf *out);

/* One buffer compressed by the worker while the caller goes on: a font
 * program, compressed while the pages and the structure tree are made. */
typedef struct FlateTask FlateTask;

/* Starts compressing data[0, len), which must stay as it is until
 * flate_task_finish. */
FlateTask *flate_task_start(FlatePool *p, const unsigned char *data, size_t len);

/* The length of the data t compresses. */
size_t flate_task_len(const FlateTask *t);

/* Waits for t (or compresses it here, when the worker has not begun it)
 * and frees it; out (when not NULL; empty) gets the compressed bytes. 0,
 * or -1 when they could not be made (out of memory; out stays empty).
 * Every task started must be finished, also on a path that drops its
 * bytes: the worker reads the data until then. NULL gives -1. */
int flate_task_finish(FlateTask *t, StrBuf *out);

#endif
