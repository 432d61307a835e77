#include "fontsjob.h"
#include "shape.h"
#include "util.h"

#include <stdatomic.h>
#include <stdlib.h>

/* The typesetter's questions about each character of a document, asked on
 * the worker ahead of it (fontsjob_warm). */
typedef struct {
    WorkerJob job;
    struct FontsJob *owner;
    uint32_t *cps;   /* the document's characters, in order (repeats too) */
    size_t n;
    atomic_int stop; /* the caller wants the fonts: stop at the next character */
    int queued;      /* submitted and not yet waited for */
} Warm;

struct FontsJob {
    WorkerJob job;
    Worker *worker;
    const char *manifest;
    Diag diag;     /* fontset_load's messages, on its thread */
    FontSet *fonts;
    int waited;    /* worker_wait done: fonts and diag are the caller's */
    int reported;  /* diag merged into the caller's */
    Warm warm;
};

static void run(WorkerJob *job, int on_worker)
{
    (void)on_worker;
    FontsJob *j = WORKER_JOB_OWNER(job, FontsJob, job);
    j->fonts = fontset_load(j->manifest, &j->diag);
}

/* On the worker only (on the caller it would only be what the typesetter
 * does anyway), after the load (jobs run in order on the one thread), and
 * before the caller touches the set again (fontsjob_get waits for it). */
static void run_warm(WorkerJob *job, int on_worker)
{
    if (!on_worker)
        return; /* taken back by the caller: the load may still be running */
    Warm *w = WORKER_JOB_OWNER(job, Warm, job);
    const FontSet *fs = w->owner->fonts;
    if (!fs)
        return;
    for (int f = 0; f < fontset_count(fs) && !atomic_load(&w->stop); f++)
        if (!font_is_fallback(fs, f))
            shape_warm(fs, f);
    for (int f = 0; f < fontset_count(fs); f++) {
        if (font_is_fallback(fs, f))
            continue; /* asked only for what a role's first font lacks */
        for (size_t k = 0; k < w->n; k++) {
            if (atomic_load_explicit(&w->stop, memory_order_relaxed))
                return;
            font_nominal_glyph(fs, f, w->cps[k]);
            font_advance(fs, f, w->cps[k]);
        }
    }
}

FontsJob *fontsjob_start(Worker *w, const char *manifest)
{
    FontsJob *j = xcalloc(1, sizeof *j);
    j->worker = w;
    j->manifest = manifest;
    diag_init(&j->diag);
    j->job.run = run;
    j->warm.owner = j;
    j->warm.job.run = run_warm;
    atomic_init(&j->warm.stop, 0);
    worker_submit(w, &j->job);
    return j;
}

/* Stop the warming, if any, and wait until the worker has let go of it. */
static void end_warm(FontsJob *j)
{
    if (!j->warm.queued)
        return;
    atomic_store(&j->warm.stop, 1);
    worker_wait(j->worker, &j->warm.job);
    j->warm.queued = 0;
    free(j->warm.cps);
    j->warm.cps = NULL;
}

void fontsjob_warm(FontsJob *j, const char *text, size_t len)
{
    end_warm(j);
    if (!worker_threaded(j->worker))
        return; /* nothing would run beside the caller */
    Warm *w = &j->warm;
    w->cps = xmalloc((len + 1) * sizeof *w->cps);
    w->n = 0;
    for (size_t i = 0; i < len;) {
        size_t l = utf8_decode((const unsigned char *)text + i, len - i, &w->cps[w->n]);
        if (l == 0) {
            i++; /* not UTF-8: the reader has said so */
            continue;
        }
        i += l;
        w->n++;
    }
    atomic_store(&w->stop, 0);
    w->queued = 1;
    worker_submit(j->worker, &w->job);
}

const FontSet *fontsjob_get(FontsJob *j, Diag *d)
{
    end_warm(j);
    if (!j->waited) {
        worker_wait(j->worker, &j->job);
        j->waited = 1;
    }
    if (d && !j->reported) {
        diag_merge(d, &j->diag);
        j->reported = 1;
    }
    return j->fonts;
}

void fontsjob_free(FontsJob *j)
{
    if (!j)
        return;
    fontsjob_get(j, NULL);
    fontset_free(j->fonts);
    diag_free(&j->diag);
    free(j);
}
