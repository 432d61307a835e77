#define _GNU_SOURCE /* sched_getcpu, sched_getaffinity, CPU_SET, pthread_attr_setaffinity_np */
#include "flatepool.h"
#include "flate.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

/* A unit of the worker's queue: some jobs, compressed in their order. */
struct FlateTask {
    FlatePool *pool;
    FlateJob *jobs;
    const size_t *which; /* the indexes in jobs of its jobs */
    size_t n;
    FlateJob own;        /* a task of one buffer (flate_task_start) */
    size_t own_index;    /* 0: which for it */
    enum { QUEUED, RUNNING, DONE } state; /* under the pool's lock */
    int failed;
    struct FlateTask *next;
};

struct FlatePool {
    Flate *mine;   /* the caller's compressor; made on first use */
    Flate *theirs; /* the worker's */
    int threaded;  /* a worker runs */
    pthread_t worker;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    FlateTask *head, *tail; /* queued, in order */
    int stop;
};

/* Compress t's jobs on *fl, made first if need be. 0, or -1 (out of
 * memory). Runs on either thread, never exits. */
static int run(Flate **fl, FlateTask *t)
{
    if (!*fl && !(*fl = flate_new(FLATE_LEVEL)))
        return -1;
    for (size_t k = 0; k < t->n; k++) {
        FlateJob *j = &t->jobs[t->which[k]];
        if (flate_append(*fl, j->data, j->len, &j->out) != 0)
            return -1;
    }
    return 0;
}

static void *worker_main(void *arg)
{
    FlatePool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head && !p->stop)
            pthread_cond_wait(&p->work, &p->lock);
        FlateTask *t = p->head;
        if (!t)
            break; /* stopping, and nothing left */
        p->head = t->next;
        if (!p->head)
            p->tail = NULL;
        t->state = RUNNING;
        pthread_mutex_unlock(&p->lock);
        int failed = run(&p->theirs, t) != 0;
        pthread_mutex_lock(&p->lock);
        t->failed = failed;
        t->state = DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Start the worker on the CPUs this process may use but the caller's. Left
 * to the scheduler, a thread woken for work (or just made) is often put on
 * its waker's busy CPU while the other is idle: on a virtual machine an
 * idle virtual CPU the host has descheduled counts as busy. It then runs
 * only when the caller blocks, after it (0.5-1 ms later in half of the
 * builds measured, bench/README.md). Kept there, it always runs beside
 * the caller; when the other CPU is busy with another process, the caller
 * takes back what the worker has not begun (wait_task). 0, or -1 with one
 * CPU (or when it cannot tell): no worker. */
static int start_worker(FlatePool *p)
{
    cpu_set_t others;
    int me = sched_getcpu();
    if (me < 0 || sched_getaffinity(0, sizeof others, &others) != 0 || !CPU_ISSET(me, &others) ||
        CPU_COUNT(&others) < 2)
        return -1;
    CPU_CLR(me, &others);
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return -1;
    int rc = pthread_attr_setaffinity_np(&attr, sizeof others, &others) == 0 &&
                     pthread_create(&p->worker, &attr, worker_main, p) == 0
                 ? 0
                 : -1;
    pthread_attr_destroy(&attr);
    return rc;
}

FlatePool *flatepool_new(int threaded)
{
    FlatePool *p = xcalloc(1, sizeof *p);
    if (!threaded)
        return p;
    flate_before_threads();
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return p;
    if (pthread_cond_init(&p->work, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        return p;
    }
    if (pthread_cond_init(&p->done, NULL) != 0) {
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->lock);
        return p;
    }
    p->threaded = start_worker(p) == 0;
    if (!p->threaded) {
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->lock);
    }
    return p;
}

void flatepool_free(FlatePool *p)
{
    if (!p)
        return;
    if (p->threaded) {
        pthread_mutex_lock(&p->lock);
        p->stop = 1;
        pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->worker, NULL);
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->lock);
    }
    flate_free(p->mine);
    flate_free(p->theirs);
    free(p);
}

/* Queue t for the worker, or mark it for the caller when there is none. */
static void submit(FlatePool *p, FlateTask *t)
{
    t->pool = p;
    t->state = QUEUED;
    t->next = NULL;
    if (!p->threaded)
        return; /* flate_task_finish runs it */
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = t;
    else
        p->head = t;
    p->tail = t;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
}

/* Wait for t, or take it back from the queue and run it here: a task the
 * worker has not begun (it is busy with another) costs the caller no
 * waiting. 0, or -1 when it failed. */
static int wait_task(FlateTask *t)
{
    FlatePool *p = t->pool;
    if (!p->threaded)
        return run(&p->mine, t);
    pthread_mutex_lock(&p->lock);
    if (t->state == QUEUED) {
        FlateTask **at = &p->head, *prev = NULL;
        while (*at != t)
            prev = *at, at = &(*at)->next;
        *at = t->next;
        if (p->tail == t)
            p->tail = prev;
        t->state = RUNNING;
        pthread_mutex_unlock(&p->lock);
        return run(&p->mine, t);
    }
    while (t->state != DONE)
        pthread_cond_wait(&p->done, &p->lock);
    int failed = t->failed;
    pthread_mutex_unlock(&p->lock);
    return failed ? -1 : 0;
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
    if (!p->threaded || total < FLATE_BATCH_MIN || n < 2) {
        int rc = run(&p->mine, &all);
        free(order);
        return rc;
    }
    /* Largest first, each to the lighter half: two halves of about the
     * same work (the order inside each half does not change its bytes). */
    size_t *sides[2] = {xmalloc((n + 1) * sizeof(size_t)), xmalloc((n + 1) * sizeof(size_t))};
    size_t count[2] = {0, 0}, load[2] = {0, 0};
    for (size_t i = 1; i < n; i++) { /* insertion sort: a PDF has a few dozen streams */
        size_t v = order[i], k = i;
        while (k > 0 && before(jobs, v, order[k - 1]))
            order[k] = order[k - 1], k--;
        order[k] = v;
    }
    for (size_t i = 0; i < n; i++) {
        int s = load[1] < load[0];
        sides[s][count[s]++] = order[i];
        load[s] += jobs[order[i]].len;
    }
    FlateTask theirs = {.jobs = jobs, .which = sides[1], .n = count[1]};
    FlateTask mine = {.jobs = jobs, .which = sides[0], .n = count[0]};
    submit(p, &theirs);
    int failed = run(&p->mine, &mine) != 0;
    failed |= wait_task(&theirs) != 0;
    free(sides[0]);
    free(sides[1]);
    free(order);
    return failed ? -1 : 0;
}

int flatepool_append(FlatePool *p, const unsigned char *in, size_t len, StrBuf *out)
{
    if (!p->mine && !(p->mine = flate_new(FLATE_LEVEL)))
        return -1;
    return flate_append(p->mine, in, len, out);
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
