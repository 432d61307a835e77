/* The font set loaded on the worker (worker.h) while the caller reads,
 * parses and binds the first document, which needs no font: 0.6 ms of a
 * 10 ms build moved beside the rest (bench/README.md). */
#ifndef POLICYGEN_FONTSJOB_H
#define POLICYGEN_FONTSJOB_H

#include "diag.h"
#include "fonts.h"
#include "worker.h"

typedef struct FontsJob FontsJob;

/* Starts loading the manifest's fonts on w (NULL or unthreaded: when
 * first asked for). Never NULL. */
FontsJob *fontsjob_start(Worker *w, const char *manifest);

/* Waits for the set; its messages go into d the first time it is asked
 * for with a d (NULL: not now). NULL when it could not be loaded. */
const FontSet *fontsjob_get(FontsJob *j, Diag *d);

/* Waits for it, and frees it with its set. NULL is allowed. */
void fontsjob_free(FontsJob *j);

#endif
