#include "pipeline.h"
#include "pasted.h"
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
#include <unistd.h>

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

/* "houshin-r2, houshin-r6": the layouts a document may name. */
static char *available_layouts(const char *dir)
{
    size_t n;
    char **names = layout_names(dir, &n);
    StrBuf sb = {0};
    sb_puts(&sb, "");
    for (size_t i = 0; i < n; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", names[i]);
    strs_free(names, n);
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

/* The layout the document names, from the cache when there is one, or
 * loaded for this run and handed over in *own (to free). */
static const Layout *resolve_layout(const Document *doc, const char *dir, LayoutCache *cache, int empty,
                                    Layout **own, Diag *d)
{
    const MetaEntry *m = document_meta(doc, "layout");
    char *list = available_layouts(dir);
    const Layout *l = NULL;
    *own = NULL;
    if (!m) {
        if (doc->front_matter_invalid)
            ; /* already reported; a guess at the layout would only add noise */
        else if (doc->has_front_matter)
            diag_error(d, doc->path, 1, 1, "前付けに様式の指定がありません。`layout: NAME` を加えてください（使える様式: %s）", list);
        else if (empty)
            diag_error(d, doc->path, 1, 1,
                       "ファイルが空です。運営方針は、様式を指定する --- で囲んだ前付けで始めます（使える様式: %s）", list);
        else
            diag_error(d, doc->path, 1, 1,
                       "前付けがありません。ファイルの最初に、`layout: NAME` を書いた --- で囲んだ前付けを置いてください（使える様式: %s）", list);
    } else if (!valid_layout_name(m->value)) {
        diag_error(d, doc->path, m->pos.line, m->pos.col, "`%s` は様式の名前ではありません。使える様式: %s", m->value, list);
    } else {
        StrBuf path = {0};
        sb_printf(&path, "%s/%s.yaml", dir, m->value);
        /* Only looked at (opening a FIFO would block): layout_load reads
         * regular files only. */
        if (access(path.data, F_OK) != 0) {
            diag_error(d, doc->path, m->pos.line, m->pos.col, "様式 `%s` はありません。使える様式: %s", m->value, list);
        } else if (cache) {
            l = layoutcache_get(cache, path.data, d);
        } else {
            *own = layout_load(path.data, d);
            if (*own && template_check_layout(*own, d) != 0) {
                layout_free(*own);
                *own = NULL;
            }
            l = *own;
        }
        sb_free(&path);
    }
    free(list);
    return l;
}

/* A document read, parsed and bound to its layout: the common first half
 * of building, checking and drafting. */
typedef struct {
    Source src;
    Document doc;
    const Layout *layout; /* NULL when none could be loaded */
    Layout *own_layout;   /* the same when loaded for this run alone (not the cache's) */
    Node *root;      /* NULL without a layout */
    int parsed_ok;   /* reading and parsing reported no error */
    int bound_ok;    /* binding reported no error */
} Loaded;

/* Returns 0 when the source could be read (the rest may still have
 * failed: see layout, root and d). */
static int load_document(const char *path, const char *bytes, size_t len, const PipelineOptions *opts, Loaded *ld,
                         Diag *d)
{
    memset(ld, 0, sizeof *ld);
    if (source_from_bytes(&ld->src, path, bytes, len, d) != 0)
        return -1;
    /* The worker goes through this document's characters (fontsjob.h)
     * while it is parsed and bound: after loading the fonts for the first
     * one, at once for the others. */
    if (!opts->fonts && opts->fonts_job)
        fontsjob_warm(opts->fonts_job, ld->src.text, ld->src.len);
    ld->parsed_ok = parse_document(&ld->src, &ld->doc, d) == 0;
    ld->layout = resolve_layout(&ld->doc, opts->layouts_dir, opts->layout_cache, ld->src.len == 0, &ld->own_layout, d);
    pasted_check(&ld->src, ld->layout ? ld->layout->quotes : NULL, d);
    if (ld->layout)
        ld->bound_ok = bind_document(&ld->doc, ld->layout, &ld->root, d) == 0;
    return 0;
}

static void loaded_free(Loaded *ld)
{
    node_free(ld->root);
    layout_free(ld->own_layout);
    document_free(&ld->doc);
    source_free(&ld->src);
}

const FontSet *pipeline_fonts(const PipelineOptions *opts, Diag *d)
{
    return opts->fonts ? opts->fonts : opts->fonts_job ? fontsjob_get(opts->fonts_job, d) : NULL;
}

int pipeline_run(const char *path, const char *bytes, size_t len, const PipelineOptions *opts,
                 PipelineResult *res, Diag *d)
{
    memset(res, 0, sizeof *res);
    int rc = -1;
    Loaded ld;
    const FontSet *fonts = NULL;
    /* The first document is read and bound while the fonts load. */
    if (load_document(path, bytes, len, opts, &ld, d) == 0 && ld.layout && (fonts = pipeline_fonts(opts, d))) {
        res->layout_path = xstrdup(ld.layout->path);
        if (ld.layout->year_key && document_meta(&ld.doc, ld.layout->year_key))
            res->year = xstrdup(document_meta(&ld.doc, ld.layout->year_key)->value);
        DrawDoc draw = {0};
        /* Typeset even after binding errors: overflows and missing glyphs
         * are worth reporting in the same run. */
        /* Every stage says whether it succeeded; only a document that went
         * through all of them cleanly is rendered. */
        int ok = ld.parsed_ok & ld.bound_ok;
        const MetaEntry *status = ld.layout->draft_key ? document_meta(&ld.doc, ld.layout->draft_key) : NULL;
        int draft = layout_is_draft(ld.layout, status ? status->value : NULL);
        if (draft && opts->final) {
            diag_error(d, path, status->pos.line, status->pos.col,
                       "この原稿は案です（`%s: %s`）。公開や冊子には確定した原稿だけを使います。確定したらこの行を消してください",
                       ld.layout->draft_key, status->value);
            ok = 0;
        }
        ok &= typeset_document(ld.layout, ld.root, fonts, path, &ld.src, ld.bound_ok, &draw, d) == 0;
        if (!opts->no_page_numbers)
            ok &= typeset_page_numbers(ld.layout, fonts, &draw, d) == 0;
        if (draft) /* 「案」 on every page: a draft never looks finished */
            ok &= typeset_draft_mark(ld.layout, fonts, &draw, d) == 0;
        if (ok)
            rc = opts->render ? render_pdf(&draw, fonts, opts->flate, path, &res->pdf, &res->pdf_len, d) : 0;
        if (opts->keep_draw && rc == 0) {
            res->draw = xmalloc(sizeof *res->draw);
            *res->draw = draw; /* ownership moves to the result */
            res->meta = xcalloc(ld.doc.nmeta, sizeof *res->meta);
            for (size_t i = 0; i < ld.doc.nmeta; i++) {
                res->meta[i] = ld.doc.meta[i];
                res->meta[i].key = xstrdup(ld.doc.meta[i].key);
                res->meta[i].value = xstrdup(ld.doc.meta[i].value);
            }
            res->nmeta = ld.doc.nmeta;
        } else {
            drawdoc_free(&draw);
        }
    }
    loaded_free(&ld);
    return rc;
}

int pipeline_run_file(const char *path, const PipelineOptions *opts, PipelineResult *res, Diag *d)
{
    memset(res, 0, sizeof *res);
    size_t len;
    char *bytes = source_slurp(path, SOURCE_MAX_BYTES, &len, d);
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
    free(res->year);
    memset(res, 0, sizeof *res);
}

static void add_layout_files(const char *dir, ReadSet *r)
{
    size_t n;
    char **names = layout_names(dir, &n);
    for (size_t i = 0; i < n; i++) {
        StrBuf path = {0};
        sb_printf(&path, "%s/%s.yaml", dir, names[i]);
        readset_add(r, path.data);
        sb_free(&path);
    }
    strs_free(names, n);
}

void pipeline_reads(const PipelineOptions *opts, const char *input, ReadSet *r)
{
    readset_add(r, input);
    add_layout_files(opts->layouts_dir, r);
    StrBuf book = {0};
    sb_printf(&book, "%s/book", opts->layouts_dir);
    add_layout_files(book.data, r);
    sb_free(&book);
    readset_add(r, opts->manifest);
    const FontSet *fonts = pipeline_fonts(opts, NULL);
    for (int f = 0; fonts && f < fontset_count(fonts); f++)
        readset_add(r, fontset_path(fonts, f));
    size_t nprofiles = 0;
    const OutputProfile *profiles = fonts ? fontset_output_profiles(fonts, &nprofiles) : NULL;
    for (size_t i = 0; i < nprofiles; i++)
        readset_add(r, profiles[i].path);
}

/* The layout in use for a fiscal year: the latest valid_from not after it.
 * The other layouts are only looked at: one that does not load (being
 * edited, say) is skipped with a warning, not an error of this document. */
static char *current_layout(const char *dir, int year, Diag *d)
{
    size_t n;
    char **names = layout_names(dir, &n);
    char *best = NULL;
    int best_from = 0;
    for (size_t i = 0; i < n; i++) {
        StrBuf path = {0};
        sb_printf(&path, "%s/%s.yaml", dir, names[i]);
        Diag scratch;
        diag_init(&scratch);
        Layout *l = layout_load(path.data, &scratch);
        if (!l)
            diag_warning(d, path.data, 0, 0, "来年度の様式を選ぶときに飛ばしました: 読み込めません（エラー %zu 件）",
                         scratch.errors);
        if (l && l->valid_from && l->valid_from <= year && l->valid_from > best_from) {
            free(best);
            best = xstrdup(names[i]);
            best_from = l->valid_from;
        }
        layout_free(l);
        diag_free(&scratch);
        sb_free(&path);
    }
    strs_free(names, n);
    return best;
}

/* Does the draft read and bind cleanly? Else report why (a change of form
 * said as such) and return -1. */
static int check_draft(const char *path, const char *markdown, const PipelineOptions *opts, const char *new_layout,
                       Diag *d)
{
    Diag scratch;
    diag_init(&scratch);
    Loaded chk;
    int ok = load_document(path, markdown, strlen(markdown), opts, &chk, &scratch) == 0 && chk.layout &&
             chk.parsed_ok && chk.bound_ok;
    if (!ok) {
        const DiagEntry *first = scratch.n ? &scratch.entries[0] : NULL;
        if (new_layout)
            diag_error(d, path, 1, 1,
                       "来年度は様式が `%s` に変わるので、この原稿からは作れません（見出しや項目が新しい様式に合いません。%zu 件の誤り。"
                       "例: %d 行: %s）。新しい様式の書き方（docs/content-format.md）で書き始めてください",
                       new_layout, scratch.errors, first ? first->line : 0, first ? first->msg : "");
        else
            diag_error(d, path, 1, 1, "来年度の原稿を作れません: できた原稿に %zu 件の誤りがあります（例: %d 行: %s）",
                       scratch.errors, first ? first->line : 0, first ? first->msg : "");
    }
    loaded_free(&chk);
    diag_free(&scratch);
    return ok ? 0 : -1;
}

int pipeline_next_year(const char *path, const PipelineOptions *opts, char **markdown, int *new_year, Diag *d)
{
    *markdown = NULL;
    size_t len;
    char *bytes = source_slurp(path, SOURCE_MAX_BYTES, &len, d);
    if (!bytes)
        return -1;
    Loaded ld;
    int read = load_document(path, bytes, len, opts, &ld, d);
    free(bytes);
    if (read == 0 && ld.layout && ld.parsed_ok && ld.bound_ok) {
        const char *key = ld.layout->year_key;
        const MetaEntry *fy = key ? document_meta(&ld.doc, key) : NULL;
        char *end = NULL;
        long year = fy ? strtol(fy->value, &end, 10) : 0;
        if (!key) {
            diag_error(d, ld.layout->path, 0, 0, "`year: true` の付いた前付けのキーがありません。来年度の原稿を作るには 1 つ必要です");
        } else if (!fy || !end || *end || year < 1900 || year > 9998) {
            diag_error(d, path, fy ? fy->pos.line : 1, fy ? fy->pos.col : 1,
                       "来年度の原稿を作るには、`%s:` を数字で書いてください（例: 2024）", key);
        } else {
            /* Keep the document's layout unless a newer one is valid next year. */
            char *next_layout = current_layout(opts->layouts_dir, (int)year + 1, d);
            const MetaEntry *cur = document_meta(&ld.doc, "layout");
            if (next_layout && cur && strcmp(next_layout, cur->value) == 0) {
                free(next_layout);
                next_layout = NULL;
            }
            *markdown = draft_next_year(&ld.src, &ld.doc, ld.root, key, (int)year + 1, next_layout,
                                        ld.layout->draft_key, ld.layout->draft_value);
            *new_year = (int)year + 1;
            /* Never report success for a draft that does not check. */
            if (check_draft(path, *markdown, opts, next_layout, d) != 0) {
                free(*markdown);
                *markdown = NULL;
            }
            free(next_layout);
        }
    }
    loaded_free(&ld);
    return *markdown ? 0 : -1;
}
