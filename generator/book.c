#include "book.h"
#include "bind.h"
#include "layout.h"
#include "render.h"
#include "template.h"
#include "typeset.h"
#include "util.h"

#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

/* Move src's pages and outline to the end of dst, the outline one level
 * down under a new entry for the whole document. */
static void append_doc(DrawDoc *dst, DrawDoc *src)
{
    size_t first = dst->npages;
    drawdoc_bookmark(dst, src->title ? src->title : "", 0, first);
    /* Each document is a Part of the book, its structure below it. */
    int part = drawdoc_elem(dst, "Part", -1);
    int offset = (int)dst->nelems;
    for (size_t i = 0; i < src->nelems; i++) {
        const DrawElem *se = &src->elems[i];
        int e = drawdoc_elem(dst, se->role, se->parent >= 0 ? se->parent + offset : part);
        DrawElem *de = &dst->elems[e]; /* after the call: it may move the array */
        de->scope = se->scope;
        de->rowspan = se->rowspan;
        de->colspan = se->colspan;
    }
    for (size_t i = 0; i < src->nlinks; i++) {
        const DrawLink *k = &src->links[i];
        drawdoc_link(dst, first + k->page, k->x, k->y, k->w, k->h, first + k->target, k->elem + offset, k->text);
    }
    for (size_t i = 0; i < src->npages; i++) {
        DrawPage *pg = &src->pages[i];
        for (size_t k = 0; k < pg->nops; k++) {
            if (pg->ops[k].elem >= 0)
                pg->ops[k].elem += offset;
            if (pg->ops[k].label_elem >= 0)
                pg->ops[k].label_elem += offset;
        }
        GROW(dst->pages, dst->cap, dst->npages + 1);
        dst->pages[dst->npages++] = *pg;
    }
    for (size_t i = 0; i < src->nmarks; i++) {
        const DrawBookmark *m = &src->marks[i];
        /* The document's own title entry is the new top entry already. */
        if (m->page == 0 && src->title && strcmp(m->title, src->title) == 0)
            continue;
        drawdoc_bookmark(dst, m->title, m->level + 1, first + m->page);
    }
    free(src->pages); /* the ops now belong to dst */
    src->pages = NULL;
    src->npages = src->cap = 0;
}

/* The tree the cover and contents are typeset from: the first document's
 * front matter at the root, one entry per document with its front matter
 * and {page}, the page it starts on. */
static Node *book_tree(const Layout *l, const PipelineResult *docs, size_t n, const size_t *start)
{
    Pos none = {0, 0};
    Node *root = node_new(&l->root, NULL, none);
    root->label = xstrdup("");
    const SectionSpec *entry = layout_child(&l->root, "entry");
    for (size_t k = 0; n && k < docs[0].nmeta; k++)
        node_add_value(root, docs[0].meta[k].key, docs[0].meta[k].value, none);
    for (size_t i = 0; i < n && entry; i++) {
        Node *e = node_new(entry, root, none);
        e->index = (int)i + 1;
        e->label = xstrdup(docs[i].draw->title ? docs[i].draw->title : "");
        for (size_t k = 0; k < docs[i].nmeta; k++)
            node_add_value(e, docs[i].meta[k].key, docs[i].meta[k].value, none);
        char buf[32];
        snprintf(buf, sizeof buf, "%zu", start[i]);
        node_add_value(e, "page", buf, none);
        node_attach(root, e);
    }
    return root;
}

int book_build(const char *const *inputs, size_t n, const char *book_layout, const PipelineOptions *base,
               unsigned char **pdf, size_t *len, Diag *d)
{
    PipelineOptions opts = *base;
    opts.render = 0;
    opts.keep_draw = 1;
    opts.no_page_numbers = 1;
    opts.final = 1; /* a draft is never bound into the year's book */
    PipelineResult *docs = xcalloc(n ? n : 1, sizeof *docs);
    int ok = 1;
    /* A department once: the same file twice (however spelt) is a slip. */
    ReadSet seen = {0};
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(inputs[i], &st) == 0 && readset_find(&seen, &st)) {
            diag_error(d, inputs[i], 0, 0, "同じ原稿が冊子に 2 回指定されています");
            ok = 0;
        }
        readset_add(&seen, inputs[i]);
    }
    readset_free(&seen);
    for (size_t i = 0; i < n; i++)
        ok &= pipeline_run_file(inputs[i], &opts, &docs[i], d) == 0;
    Layout *l = ok ? layout_load(book_layout, d) : NULL;
    if (l && template_check_layout(l, d) != 0) {
        layout_free(l);
        l = NULL;
    }
    const SectionSpec *entry = l ? layout_child(&l->root, "entry") : NULL;
    if (l && !entry) {
        diag_error(d, book_layout, 0, 0, "冊子の様式には id が `entry` の見出し（原稿ごとに 1 つ）が必要です");
        ok = 0;
    } else if (entry && n > (size_t)entry->max) { /* the contents page has room for max */
        diag_error(d, inputs[entry->max], 0, 0, "冊子にまとめられるのは %d 部局までです（これは %d 件目です）。冊子を分けてください",
                   entry->max, entry->max + 1);
        ok = 0;
    }
    /* All documents of a book share one fiscal year. */
    for (size_t i = 1; i < n && ok && l; i++)
        if (docs[0].year && docs[i].year && strcmp(docs[0].year, docs[i].year) != 0 && !(ok = 0))
            diag_error(d, inputs[i], 1, 1, "年度が %s ですが、%s は %s です。冊子には 1 つの年度の原稿だけをまとめます", docs[i].year,
                       inputs[0], docs[0].year);

    int rc = -1;
    const FontSet *fonts = pipeline_fonts(&opts, d);
    if (ok && l && fonts) {
        /* Typeset the front pages once to learn how many there are, then
         * again with the page each document starts on. */
        size_t *start = xcalloc(n ? n : 1, sizeof *start);
        DrawDoc front = {0};
        Node *tree = book_tree(l, docs, n, start);
        ok &= typeset_document(l, tree, fonts, book_layout, NULL, 1, &front, d) == 0;
        node_free(tree);
        size_t page = front.npages + 1;
        for (size_t i = 0; i < n; i++) {
            start[i] = page;
            page += docs[i].draw->npages;
        }
        drawdoc_free(&front);
        tree = book_tree(l, docs, n, start);
        DrawDoc book = {0};
        ok &= typeset_document(l, tree, fonts, book_layout, NULL, 1, &book, d) == 0;
        node_free(tree);
        for (size_t i = 0; i < n; i++)
            append_doc(&book, docs[i].draw);
        ok &= typeset_page_numbers(l, fonts, &book, d) == 0;
        if (ok)
            rc = render_pdf(&book, fonts, opts.flate, book_layout, pdf, len, d);
        drawdoc_free(&book);
        free(start);
    }
    for (size_t i = 0; i < n; i++)
        pipeline_result_free(&docs[i]);
    free(docs);
    layout_free(l);
    return rc;
}
