/* The whole pipeline for one document, from Markdown bytes to PDF bytes:
 * read -> parse -> bind (layout) -> typeset -> render. No file is written
 * here; the caller decides what to do with the bytes. */
#ifndef POLICYGEN_PIPELINE_H
#define POLICYGEN_PIPELINE_H

#include <stddef.h>
#include "diag.h"
#include "doc.h"
#include "drawlist.h"
#include "flatepool.h"
#include "fonts.h"
#include "fontsjob.h"
#include "layoutcache.h"
#include "output.h"

typedef struct {
    const char *layouts_dir;   /* where <layout>.yaml files are */
    const FontSet *fonts;      /* loaded once, shared by every document; or NULL, and */
    FontsJob *fonts_job;       /* loading them meanwhile (fontsjob.h): waited for when first needed */
    LayoutCache *layout_cache; /* layouts loaded once per process, or NULL: each run loads its own */
    FlatePool *flate;          /* compresses the PDFs' streams (flatepool.h), or NULL: on this thread */
    const char *manifest;      /* the font manifest they came from */
    int render;                /* 0: validate only (check) */
    int keep_draw;             /* hand the display list back (reviews) */
    int no_page_numbers;       /* leave them to the caller (a book numbers its own pages) */
    int final;                 /* refuse a draft (publishing, the book) */
} PipelineOptions;

/* What a run produced; free with pipeline_result_free. */
typedef struct {
    unsigned char *pdf;        /* the PDF bytes (when opts->render and no error) */
    size_t pdf_len;
    char *layout_path;         /* the layout file the document used, or NULL */
    char *year;                /* its fiscal year (the layout's `year: true` key), or NULL */
    DrawDoc *draw;             /* the display list, with opts->keep_draw */
    MetaEntry *meta;           /* the front matter, with opts->keep_draw */
    size_t nmeta;
} PipelineResult;

/* The font set of opts (waited for if it is being loaded; its messages go
 * into d, when not NULL, the first time), or NULL when it failed to load. */
const FontSet *pipeline_fonts(const PipelineOptions *opts, Diag *d);

/* Returns 0 with res->pdf set (when opts->render), or -1 with errors in d. */
int pipeline_run(const char *path, const char *bytes, size_t len, const PipelineOptions *opts,
                 PipelineResult *res, Diag *d);

/* Same, reading the file first. */
int pipeline_run_file(const char *path, const PipelineOptions *opts, PipelineResult *res, Diag *d);
void pipeline_result_free(PipelineResult *res);

/* Every file a run on input reads or may read: the input, every layout of
 * opts->layouts_dir (and its book/ folder), the font manifest, the fonts
 * and the output intent's profile. An output may replace none of them (output.h). */
void pipeline_reads(const PipelineOptions *opts, const char *input, ReadSet *r);

/* Next year's draft of a valid document (see draft.h): the new Markdown in
 * *markdown (malloc'd) and its fiscal year in *new_year. */
int pipeline_next_year(const char *path, const PipelineOptions *opts, char **markdown, int *new_year, Diag *d);

#endif
