#include "pipeline.h"
#include "bind.h"
#include "doc.h"
#include "drawlist.h"
#include "layout.h"
#include "parse.h"
#include "render.h"
#include "source.h"
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

/* "houshin-r2, houshin-r6": the layouts a document may name. */
static char *available_layouts(const char *dir)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    DIR *dp = opendir(dir);
    if (!dp)
        return sb_take(&sb);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0 && e->d_name[0] != '.') {
            GROW(names, cap, n + 1);
            names[n++] = xstrndup(e->d_name, l - 5);
        }
    }
    closedir(dp);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        sb_printf(&sb, "%s%s", i ? ", " : "", names[i]);
        free(names[i]);
    }
    free(names);
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
        Node *root = bind_document(&doc, layout, d);
        DrawDoc draw = {0};
        /* Typeset even after binding errors: overflows and missing glyphs
         * are worth reporting in the same run. */
        typeset_document(layout, root, opts->fonts, path, &draw, d);
        if (d->errors == errors_before) {
            if (opts->render)
                rc = render_pdf(&draw, opts->fonts, path, &res->pdf, &res->pdf_len, d);
            else
                rc = 0;
        }
        drawdoc_free(&draw);
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
    free(res->pdf);
    free(res->layout_path);
    memset(res, 0, sizeof *res);
}
