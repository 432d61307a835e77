#include "fontsjob.h"
#include "util.h"

#include <stdlib.h>

struct FontsJob {
    WorkerJob job; /* first: run gets the FontsJob back from it */
    Worker *worker;
    const char *manifest;
    Diag diag;     /* fontset_load's messages, on its thread */
    FontSet *fonts;
    int waited;    /* worker_wait done: fonts and diag are the caller's */
    int reported;  /* diag merged into the caller's */
};

static void run(WorkerJob *job, int on_worker)
{
    (void)on_worker;
    FontsJob *j = (FontsJob *)job;
    j->fonts = fontset_load(j->manifest, &j->diag);
}

FontsJob *fontsjob_start(Worker *w, const char *manifest)
{
    FontsJob *j = xcalloc(1, sizeof *j);
    j->worker = w;
    j->manifest = manifest;
    diag_init(&j->diag);
    j->job.run = run;
    worker_submit(w, &j->job);
    return j;
}

const FontSet *fontsjob_get(FontsJob *j, Diag *d)
{
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
