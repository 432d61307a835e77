#include "flatepool.h"
#include "flate.h"
#include "worker.h"

#include <stdatomic.h>
#include <stdlib.h>

/* A unit of the worker's queue: some jobs, compressed in their order. */
struct FlateTask {
    WorkerJob job;
    FlatePool *pool;
    FlateJob *jobs;
    const size_t *which; /* the indexes in jobs of its jobs */
    size_t n;
    atomic_size_t *next; /* shared with another task: each takes the next of which */
    FlateJob own;        /* a task of one buffer (flate_task_start) */
    size_t own_index;    /* 0: which for it */
    int failed;
};

struct FlatePool {
    Worker *worker; /* not owned; NULL: everything on the caller */
    Flate *mine;    /* the caller's compressor; made on first use */
    Flate *theirs;  /* the worker's */
};

/* *fl, made on first use; NULL when out of memory. */
static Flate *compressor(Flate **fl)
{
    if (!*fl)
        *fl = flate_new(FLATE_LEVEL);
    return *fl;
}

/* Compress t's jobs on *fl. 0, or -1 (out of memory). Runs on either
 * thread, never exits. */
static int compress(Flate **fl, FlateTask *t)
{
    if (!compressor(fl))
        return -1;
    for (size_t k = 0;; k++) {
        size_t at = t->next ? atomic_fetch_add(t->next, 1) : k;
        if (at >= t->n)
            return 0;
        FlateJob *j = &t->jobs[t->which[at]];
        if (flate_append(*fl, j->data, j->len, &j->out) != 0)
            return -1;
    }
}

static void run_task(WorkerJob *job, int on_worker)
{
    FlateTask *t = WORKER_JOB_OWNER(job, FlateTask, job);
    t->failed = compress(on_worker ? &t->pool->theirs : &t->pool->mine, t) != 0;
}

FlatePool *flatepool_new(Worker *w)
{
    FlatePool *p = xcalloc(1, sizeof *p);
    p->worker = w;
    if (worker_threaded(w))
        flate_before_threads();
    return p;
}

void flatepool_free(FlatePool *p)
{
    if (!p)
        return;
    flate_free(p->mine);
    flate_free(p->theirs);
    free(p);
}

Worker *flatepool_worker(const FlatePool *p)
{
    return p->worker;
}

static void submit(FlatePool *p, FlateTask *t)
{
    t->pool = p;
    t->job.run = run_task;
    worker_submit(p->worker, &t->job);
}

/* 0, or -1 when t failed. */
static int wait_task(FlateTask *t)
{
    worker_wait(t->pool->worker, &t->job);
    return t->failed ? -1 : 0;
}

/* Does job a come before job b: larger first, then in their order. */
static int before(const FlateJob *jobs, size_t a, size_t b)
{
    return jobs[a].len > jobs[b].len || (jobs[a].len == jobs[b].len && a < b);
}

/* Below this many bytes in all, handing work over costs more than it
 * saves. */
#define FLATE_BATCH_MIN (64 * 1024)

int flate_batch(FlatePool *p, FlateJob *jobs, size_t n)
{
    size_t *order = xmalloc((n + 1) * sizeof *order), total = 0;
    for (size_t i = 0; i < n; i++)
        order[i] = i, total += jobs[i].len;
    FlateTask all = {.jobs = jobs, .which = order, .n = n};
    if (!worker_threaded(p->worker) || total < FLATE_BATCH_MIN || n < 2) {
        int rc = compress(&p->mine, &all);
        free(order);
        return rc;
    }
    /* Largest first, each thread taking the next job when it is free: the
     * worker may still be busy with a font program, and then the caller
     * does more (each job's bytes are the same whoever makes them). */
    for (size_t i = 1; i < n; i++) { /* insertion sort: a PDF has a few dozen streams */
        size_t v = order[i], k = i;
        while (k > 0 && before(jobs, v, order[k - 1]))
            order[k] = order[k - 1], k--;
        order[k] = v;
    }
    atomic_size_t next;
    atomic_init(&next, 0);
    FlateTask theirs = {.jobs = jobs, .which = order, .n = n, .next = &next};
    FlateTask mine = theirs;
    submit(p, &theirs);
    int failed = compress(&p->mine, &mine) != 0;
    if (failed) /* the worker takes no more */
        atomic_store(&next, n);
    failed |= wait_task(&theirs) != 0;
    free(order);
    return failed ? -1 : 0;
}

int flatepool_append(FlatePool *p, const unsigned char *in, size_t len, StrBuf *out)
{
    return compressor(&p->mine) ? flate_append(p->mine, in, len, out) : -1;
}

FlateTask *flate_task_start(FlatePool *p, const unsigned char *data, size_t len)
{
    FlateTask *t = xcalloc(1, sizeof *t);
    t->own.data = data;
    t->own.len = len;
    t->jobs = &t->own;
    t->which = &t->own_index;
    t->n = 1;
    submit(p, t);
    return t;
}

size_t flate_task_len(const FlateTask *t)
{
    return t->own.len;
}

int flate_task_finish(FlateTask *t, StrBuf *out)
{
    if (!t)
        return -1;
    int rc = wait_task(t);
    if (rc == 0 && out) {
        *out = t->own.out; /* moved */
        t->own.out = (StrBuf){0};
    }
    sb_free(&t->own.out);
    free(t);
    return rc;
}
