#include "flatebatch.h"
#include "flate.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct {
    FlateJob *jobs;
    const size_t *which; /* the jobs of this half */
    size_t n;
    int level;
    int failed;
} Half;

static void *compress_half(void *arg)
{
    Half *h = arg;
    if (!h->n)
        return NULL;
    Flate *fl = flate_new(h->level);
    h->failed = !fl;
    for (size_t k = 0; k < h->n && !h->failed; k++) {
        FlateJob *j = &h->jobs[h->which[k]];
        h->failed = flate_append(fl, j->data, j->len, &j->out) != 0;
    }
    flate_free(fl);
    return NULL;
}

/* Does job a come before job b: larger first, then in their order. */
static int before(const FlateJob *jobs, size_t a, size_t b)
{
    return jobs[a].len > jobs[b].len || (jobs[a].len == jobs[b].len && a < b);
}

/* Below this many bytes in all, a thread costs more than it saves. */
#define FLATE_BATCH_MIN (64 * 1024)

int flate_batch(FlateJob *jobs, size_t n, int level)
{
    flate_before_threads();
    size_t *order = xmalloc((n + 1) * sizeof *order), total = 0;
    for (size_t i = 0; i < n; i++)
        order[i] = i, total += jobs[i].len;
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
    Half half[2] = {{jobs, sides[0], count[0], level, 0}, {jobs, sides[1], count[1], level, 0}};
    pthread_t other;
    int threaded = total >= FLATE_BATCH_MIN && count[1] && pthread_create(&other, NULL, compress_half, &half[1]) == 0;
    compress_half(&half[0]);
    if (threaded)
        pthread_join(other, NULL);
    else
        compress_half(&half[1]);
    free(sides[0]);
    free(sides[1]);
    free(order);
    return half[0].failed || half[1].failed ? -1 : 0;
}

/* A task is a half of one job (compress_half), run on a thread of its own. */
struct FlateTask {
    FlateJob job;
    size_t only; /* 0: the index of its one job */
    Half half;
    int threaded;
    pthread_t thread;
};

FlateTask *flate_task_start(const unsigned char *data, size_t len, int level)
{
    flate_before_threads();
    FlateTask *t = xcalloc(1, sizeof *t);
    t->job.data = data;
    t->job.len = len;
    t->half = (Half){&t->job, &t->only, 1, level, 0};
    t->threaded = pthread_create(&t->thread, NULL, compress_half, &t->half) == 0;
    return t;
}

size_t flate_task_len(const FlateTask *t)
{
    return t->job.len;
}

int flate_task_finish(FlateTask *t, StrBuf *out)
{
    if (!t)
        return -1;
    if (t->threaded)
        pthread_join(t->thread, NULL);
    else
        compress_half(&t->half);
    int rc = t->half.failed ? -1 : 0;
    if (rc == 0 && out) {
        *out = t->job.out; /* moved */
        t->job.out = (StrBuf){0};
    }
    sb_free(&t->job.out);
    free(t);
    return rc;
}
