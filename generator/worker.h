/* One background thread per process, for work that can run beside the
 * caller's: the font set loaded while the first document is read and
 * bound (fontsjob.h), font programs and streams compressed while the
 * pages are made (flatepool.h). Jobs run in the order submitted; the
 * caller waits for a job only when it needs its result, and does a job the
 * worker has not begun itself instead of waiting for it. Used by one
 * calling thread. */
#ifndef POLICYGEN_WORKER_H
#define POLICYGEN_WORKER_H

#include <stddef.h>

typedef struct Worker Worker;

/* A job: embedded in the caller's own struct (which must stay where it is
 * until waited for), which run gets back with WORKER_JOB_OWNER. on_worker says which thread runs it (a job may keep
 * per-thread state, a compressor for each). Runs on either thread, and
 * touches nothing the caller uses until waited for. It reports into a Diag
 * of its own, merged by the caller (diag_merge); out of memory (xmalloc)
 * stops the process from either thread, as on the main one (status 3:
 * outputs are renamed into place only when complete, so none is harmed). */
typedef struct WorkerJob {
    void (*run)(struct WorkerJob *job, int on_worker);
    /* The worker's, under its lock. */
    int state;
    int detached; /* worker_dispose's: freed by its run, never waited for */
    struct WorkerJob *next;
} WorkerJob;

/* The TYPE holding job (a WorkerJob *) as its MEMBER. */
#define WORKER_JOB_OWNER(job, type, member) ((type *)(void *)((char *)(job) - offsetof(type, member)))

/* threaded: 0 runs every job on the caller, when it is waited for (tests,
 * a single CPU). Otherwise the thread is started now, so that it is
 * asleep and quick to wake by the time there is work. Never NULL. */
Worker *worker_new(int threaded);
/* Every job submitted must have been waited for. NULL is allowed. */
void worker_free(Worker *w);
/* Does w run jobs on a thread of its own? */
int worker_threaded(const Worker *w);

/* Queue job (with its run set) for w; with w NULL, or unthreaded, it runs
 * when waited for. */
void worker_submit(Worker *w, WorkerJob *job);
/* Returns once job has run: on the worker, or here when the worker had not
 * begun it. */
void worker_wait(Worker *w, WorkerJob *job);

/* fn(arg) on the worker, never waited for: freeing what the caller is
 * done with (a PDF writer's objects) while it goes on to the next step.
 * Without a thread, now. worker_free runs what is still queued. */
void worker_dispose(Worker *w, void (*fn)(void *), void *arg);

#endif
