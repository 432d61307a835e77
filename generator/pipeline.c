#include "pipeline.h"
#include "bind.h"
#include "doc.h"
#include "draft.h"
#include "drawlist.h"
#include "layout.h"
#include "parse.h"
#include "render.h"
#include "source.h"
#include "template.h"
#include "typeset.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The layout names in dir (files NAME.yaml), sorted. */
static char **layout_names(const char *dir, size_t *count)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        while ((e = readdir(dp))) {
            size_t l = strlen(e->d_name);
            if (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0 && e->d_name[0] != '.') {
                GROW(names, cap, n + 1);
                names[n++] = xstrndup(e->d_name, l - 5);
            }
        }
        closedir(dp);
    }
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    *count = n;
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* "houshin-r2, houshin-r6": the layouts a document may name. */
static char *available_layouts(const char *dir)
{
    size_t n;
    char **names = layout_names(dir, &n);
    StrBuf sb = {0};
    sb_puts(&sb, "");
    for (size_t i = 0; i < n; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", names[i]);
    free_names(names, n);
    return sb_take(&sb);
}

static int valid_layout_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
              *s == '_'))
            return 0;
    return 1;
}

static Layout *resolve_layout(const Document *doc, const char *dir, int empty, Diag *d)
{
    const MetaEntry *m = document_meta(doc, "layout");
    char *list = available_layouts(dir);
    Layout *l = NULL;
    if (!m) {
        if (doc->front_matter_invalid)
            ; /* already reported; a guess at the layout would only add noise */
        else if (doc->has_front_matter)
            diag_error(d, doc->path, 1, 1, "the front matter names no layout; add `layout: NAME` (layouts: %s)", list);
        else if (empty)
            diag_error(d, doc->path, 1, 1,
                       "the file is empty; a policy starts with a --- block naming its layout (layouts: %s)", list);
        else
            diag_error(d, doc->path, 1, 1,
                       "no front matter; start the file with a --- block giving `layout: NAME` (layouts: %s)", list);
    } else if (!valid_layout_name(m->value)) {
        diag_error(d, doc->path, m->pos.line, m->pos.col, "`%s` is not a layout name; layouts: %s", m->value, list);
    } else {
        StrBuf path = {0};
        sb_printf(&path, "%s/%s.yaml", dir, m->value);
        FILE *probe = fopen(path.data, "rb");
        if (!probe) {
            diag_error(d, doc->path, m->pos.line, m->pos.col, "unknown layout `%s`; layouts: %s", m->value, list);
        } else {
            fclose(probe);
            l = layout_load(path.data, d);
            if (l && template_check_layout(l, d) != 0) {
                layout_free(l);
                l = NULL;
            }
        }
        sb_free(&path);
    }
    free(list);
    return l;
}

int pipeline_run(const char *path, const char *bytes, size_t len, const PipelineOptions *opts,
                 PipelineResult *res, Diag *d)
{
    memset(res, 0, sizeof *res);
    size_t errors_before = d->errors;
    Source src;
    int rc = -1;
    if (source_from_bytes(&src, path, bytes, len, d) != 0) {
        source_free(&src);
        return -1;
    }
    Document doc;
    parse_document(&src, &doc, d);
    Layout *layout = resolve_layout(&doc, opts->layouts_dir, src.len == 0, d);
    if (layout) {
        res->layout_path = xstrdup(layout->path);
        size_t before_bind = d->errors;
        Node *root = bind_document(&doc, layout, d);
        DrawDoc draw = {0};
        /* Typeset even after binding errors: overflows and missing glyphs
         * are worth reporting in the same run. */
        typeset_document(layout, root, opts->fonts, path, d->errors == before_bind, &draw, d);
        typeset_page_numbers(layout, opts->fonts, &draw, d);
        if (d->errors == errors_before) {
            if (opts->render)
                rc = render_pdf(&draw, opts->fonts, path, &res->pdf, &res->pdf_len, d);
            else
                rc = 0;
        }
        if (opts->keep_draw && d->errors == errors_before) {
            res->draw = xmalloc(sizeof *res->draw);
            *res->draw = draw; /* ownership moves to the result */
            res->meta = xcalloc(doc.nmeta, sizeof *res->meta);
            for (size_t i = 0; i < doc.nmeta; i++) {
                res->meta[i] = doc.meta[i];
                res->meta[i].key = xstrdup(doc.meta[i].key);
                res->meta[i].value = xstrdup(doc.meta[i].value);
            }
            res->nmeta = doc.nmeta;
        } else {
            drawdoc_free(&draw);
        }
        node_free(root);
        layout_free(layout);
    }
    document_free(&doc);
    source_free(&src);
    return d->errors == errors_before ? rc : -1;
}

int pipeline_run_file(const char *path, const PipelineOptions *opts, PipelineResult *res, Diag *d)
{
    memset(res, 0, sizeof *res);
    size_t len;
    char *bytes = source_slurp(path, &len, d);
    if (!bytes)
        return -1;
    int rc = pipeline_run(path, bytes, len, opts, res, d);
    free(bytes);
    return rc;
}

void pipeline_result_free(PipelineResult *res)
{
    if (res->draw) {
        drawdoc_free(res->draw);
        free(res->draw);
    }
    meta_free(res->meta, res->nmeta);
    free(res->pdf);
    free(res->layout_path);
    memset(res, 0, sizeof *res);
}

/* The layout in use for a fiscal year: the latest valid_from not after it. */
static char *current_layout(const char *dir, int year, Diag *d)
{
    size_t n;
    char **names = layout_names(dir, &n);
    char *best = NULL;
    int best_from = 0;
    for (size_t i = 0; i < n; i++) {
        StrBuf path = {0};
        sb_printf(&path, "%s/%s.yaml", dir, names[i]);
        Layout *l = layout_load(path.data, d);
        if (l && l->valid_from && l->valid_from <= year && l->valid_from > best_from) {
            free(best);
            best = xstrdup(names[i]);
            best_from = l->valid_from;
        }
        layout_free(l);
        sb_free(&path);
    }
    free_names(names, n);
    return best;
}

int pipeline_next_year(const char *path, const PipelineOptions *opts, char **markdown, int *new_year, Diag *d)
{
    size_t errors_before = d->errors;
    *markdown = NULL;
    size_t len;
    char *bytes = source_slurp(path, &len, d);
    if (!bytes)
        return -1;
    Source src;
    if (source_from_bytes(&src, path, bytes, len, d) != 0) {
        free(bytes);
        source_free(&src);
        return -1;
    }
    free(bytes);
    Document doc;
    parse_document(&src, &doc, d);
    Layout *layout = resolve_layout(&doc, opts->layouts_dir, src.len == 0, d);
    Node *root = layout ? bind_document(&doc, layout, d) : NULL;
    const MetaEntry *fy = document_meta(&doc, "fiscal_year");
    char *end = NULL;
    long year = fy ? strtol(fy->value, &end, 10) : 0;
    if (!fy || !end || *end || year < 1900 || year > 9998) {
        if (d->errors == errors_before)
            diag_error(d, path, fy ? fy->pos.line : 1, fy ? fy->pos.col : 1,
                       "the draft needs `fiscal_year:` as a number (e.g. 2024)");
    } else if (d->errors == errors_before) {
        /* Keep the document's layout unless a newer one is valid next year. */
        char *next_layout = current_layout(opts->layouts_dir, (int)year + 1, d);
        const MetaEntry *cur = document_meta(&doc, "layout");
        if (next_layout && cur && strcmp(next_layout, cur->value) == 0) {
            free(next_layout);
            next_layout = NULL;
        }
        *markdown = draft_next_year(&src, &doc, root, (int)year + 1, next_layout);
        *new_year = (int)year + 1;
        free(next_layout);
    }
    node_free(root);
    layout_free(layout);
    document_free(&doc);
    source_free(&src);
    return d->errors == errors_before && *markdown ? 0 : -1;
}
