#define _GNU_SOURCE /* sched_getcpu, sched_getaffinity, CPU_SET, pthread_attr_setaffinity_np */
#include "worker.h"
#include "util.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>

enum { QUEUED = 1, RUNNING, DONE };

struct Worker {
    int threaded;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    WorkerJob *head, *tail; /* queued, in order */
    int stop;
};

static void *worker_main(void *arg)
{
    Worker *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->work, &w->lock);
        WorkerJob *job = w->head;
        if (!job)
            break; /* stopping, and nothing left */
        w->head = job->next;
        if (!w->head)
            w->tail = NULL;
        job->state = RUNNING;
        int detached = job->detached; /* then gone after run */
        pthread_mutex_unlock(&w->lock);
        job->run(job, 1);
        pthread_mutex_lock(&w->lock);
        if (!detached) {
            job->state = DONE;
            pthread_cond_broadcast(&w->done);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* Start the thread on the CPUs this process may use but the caller's. Left
 * to the scheduler, a thread made or woken for work is often put on its
 * waker's busy CPU while the other is idle (on a virtual machine an idle
 * virtual CPU the host has descheduled counts as busy): it then runs only
 * when the caller blocks, after it, 0.5-1 ms later in half of the builds
 * measured (bench/README.md). Kept there, it runs beside the caller; when
 * that CPU is busy with another process (make -j2), the caller does what
 * the worker has not begun (worker_wait). The thread blocks every signal,
 * so that SIGINT and the like still reach the main thread, which holds
 * them back while output files are written (output.h). 0, or -1 with one
 * CPU (or when it cannot tell): no thread. */
static int start_thread(Worker *w)
{
    cpu_set_t others;
    int me = sched_getcpu();
    if (me < 0 || sched_getaffinity(0, sizeof others, &others) != 0 || !CPU_ISSET(me, &others) ||
        CPU_COUNT(&others) < 2)
        return -1;
    CPU_CLR(me, &others);
    pthread_attr_t attr;
    sigset_t all, old;
    sigfillset(&all);
    if (pthread_attr_init(&attr) != 0)
        return -1;
    if (pthread_sigmask(SIG_SETMASK, &all, &old) != 0) { /* the new thread's mask is its maker's */
        pthread_attr_destroy(&attr);
        return -1;
    }
    int rc = pthread_attr_setaffinity_np(&attr, sizeof others, &others) == 0 &&
                     pthread_create(&w->thread, &attr, worker_main, w) == 0
                 ? 0
                 : -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return rc;
}

Worker *worker_new(int threaded)
{
    Worker *w = xcalloc(1, sizeof *w);
    if (!threaded || pthread_mutex_init(&w->lock, NULL) != 0)
        return w;
    if (pthread_cond_init(&w->work, NULL) == 0) {
        if (pthread_cond_init(&w->done, NULL) == 0) {
            if (start_thread(w) == 0) {
                w->threaded = 1;
                return w;
            }
            pthread_cond_destroy(&w->done);
        }
        pthread_cond_destroy(&w->work);
    }
    pthread_mutex_destroy(&w->lock);
    return w;
}

void worker_free(Worker *w)
{
    if (!w)
        return;
    if (w->threaded) {
        pthread_mutex_lock(&w->lock);
        w->stop = 1;
        pthread_cond_signal(&w->work);
        pthread_mutex_unlock(&w->lock);
        pthread_join(w->thread, NULL);
        pthread_cond_destroy(&w->done);
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->lock);
    }
    free(w);
}

int worker_threaded(const Worker *w)
{
    return w && w->threaded;
}

/* Queue job on w's thread. */
static void enqueue(Worker *w, WorkerJob *job)
{
    pthread_mutex_lock(&w->lock);
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
}

void worker_submit(Worker *w, WorkerJob *job)
{
    job->state = QUEUED;
    job->detached = 0;
    job->next = NULL;
    if (worker_threaded(w))
        enqueue(w, job);
    /* else worker_wait runs it */
}

void worker_wait(Worker *w, WorkerJob *job)
{
    if (!worker_threaded(w)) {
        if (job->state == QUEUED) {
            job->state = RUNNING;
            job->run(job, 0);
            job->state = DONE;
        }
        return;
    }
    pthread_mutex_lock(&w->lock);
    if (job->state == QUEUED) { /* not begun: taken back, and run here */
        WorkerJob **at = &w->head, *prev = NULL;
        while (*at != job)
            prev = *at, at = &(*at)->next;
        *at = job->next;
        if (w->tail == job)
            w->tail = prev;
        job->state = RUNNING;
        pthread_mutex_unlock(&w->lock);
        job->run(job, 0);
        pthread_mutex_lock(&w->lock);
        job->state = DONE;
    }
    while (job->state != DONE)
        pthread_cond_wait(&w->done, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

typedef struct {
    WorkerJob job;
    void (*fn)(void *);
    void *arg;
} Disposal;

static void run_disposal(WorkerJob *job, int on_worker)
{
    (void)on_worker;
    Disposal *d = WORKER_JOB_OWNER(job, Disposal, job);
    d->fn(d->arg);
    free(d);
}

void worker_dispose(Worker *w, void (*fn)(void *), void *arg)
{
    if (!worker_threaded(w)) {
        fn(arg);
        return;
    }
    Disposal *d = xcalloc(1, sizeof *d);
    d->fn = fn;
    d->arg = arg;
    d->job.run = run_disposal;
    d->job.state = QUEUED;
    d->job.detached = 1;
    enqueue(w, &d->job);
}
