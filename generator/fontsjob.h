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

/* Once the set is loaded, the worker makes HarfBuzz's shaping tables of
 * each role's first font (shape_warm), then works out what the typesetter
 * will ask of each character of text (UTF-8; copied) in those fonts
 * (font_advance: its advance, and that its outline loads, 0.7 ms for a
 * form's 450 characters; font_nominal_glyph), until the set is next asked
 * for: those it got to are then known. The caller must not use the set in
 * between (it has it only from fontsjob_get). Without a worker thread,
 * nothing. */
void fontsjob_warm(FontsJob *j, const char *text, size_t len);

/* Stops the warming, waits for the set; its messages go into d the first
 * time it is asked for with a d (NULL: not now). NULL when it could not be
 * loaded. */
const FontSet *fontsjob_get(FontsJob *j, Diag *d);

/* Waits for it, and frees it with its set. NULL is allowed. */
void fontsjob_free(FontsJob *j);

#endif
