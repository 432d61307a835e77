/* Diagnostics: every stage reports into one Diag, so a run can print all
 * of its errors (in source order) instead of stopping at the first.
 * Format: FILE:LINE:COL: error: MESSAGE  (line/col 0 = whole file). */
#ifndef POLICYGEN_DIAG_H
#define POLICYGEN_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include "strmap.h"

/* A note says what the tool did that the writer may want to know (text set
 * smaller than the form's size); it fails nothing. */
typedef enum { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } DiagLevel;

typedef struct {
    DiagLevel level;
    char *file;
    int line, col;
    char *msg;
    size_t seq; /* report order, to keep equal positions stable */
} DiagEntry;

typedef struct {
    DiagEntry *entries;
    size_t n, cap;
    size_t errors, warnings, notes; /* every report, repeats too (a stage knows it failed by them) */
    size_t distinct_errors;         /* errors told apart: what the summary line counts */
    size_t dropped;                 /* distinct messages past the limit, not shown */
    size_t limit; /* per file, errors and other messages apart: record no more (a flood helps nobody) */
    StrMap seen;  /* each message recorded (file, kind, place, words), to show it once */
    StrMap per;   /* messages recorded per file and kind (errors, others), against the limit */
} Diag;

void diag_init(Diag *d);
void diag_free(Diag *d);
void diag_report(Diag *d, DiagLevel level, const char *file, int line, int col,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same with a va_list (for reporters that add a position of their own). */
void diag_vreport(Diag *d, DiagLevel level, const char *file, int line, int col, const char *fmt, va_list ap);
#define diag_error(d, file, line, col, ...) diag_report((d), DIAG_ERROR, (file), (line), (col), __VA_ARGS__)
#define diag_warning(d, file, line, col, ...) diag_report((d), DIAG_WARNING, (file), (line), (col), __VA_ARGS__)
#define diag_note(d, file, line, col, ...) diag_report((d), DIAG_NOTE, (file), (line), (col), __VA_ARGS__)
/* Every message of from reported into d in from's order, as if reported
 * there: from is a stage's own Diag, from another thread (fontsjob.h). */
void diag_merge(Diag *d, const Diag *from);
/* Sort by file, line, column and print to the stream. */
void diag_print(Diag *d, void *stream);

#endif
