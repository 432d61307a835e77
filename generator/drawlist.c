#include "drawlist.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

DrawPage *drawdoc_add_page(DrawDoc *doc, double width, double height)
{
    GROW(doc->pages, doc->cap, doc->npages + 1);
    DrawPage *p = &doc->pages[doc->npages++];
    memset(p, 0, sizeof *p);
    p->width = width;
    p->height = height;
    return p;
}

static DrawOp *add_op(DrawPage *p, DrawOpKind kind)
{
    GROW(p->ops, p->cap, p->nops + 1);
    DrawOp *op = &p->ops[p->nops++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->elem = op->label_elem = DRAW_ARTIFACT;
    return op;
}

void drawpage_line(DrawPage *p, double x1, double y1, double x2, double y2, double width, double gray)
{
    DrawOp *op = add_op(p, OP_LINE);
    op->x = x1, op->y = y1, op->x2 = x2, op->y2 = y2;
    op->width = width;
    op->gray = gray;
}

void drawpage_fill(DrawPage *p, double x, double y, double w, double h, double gray)
{
    DrawOp *op = add_op(p, OP_FILL_RECT);
    op->x = x, op->y = y, op->x2 = w, op->y2 = h;
    op->gray = gray;
}

void drawpage_text_in(DrawPage *p, int elem, int label_elem, size_t label_len, double x, double y, int font,
                      double size, const char *utf8, size_t len)
{
    DrawOp *op = add_op(p, OP_TEXT);
    op->elem = elem;
    op->label_elem = label_elem;
    op->label_len = label_len < len ? label_len : 0;
    op->x = x, op->y = y;
    op->font = font;
    op->size = size;
    op->text = xstrndup(utf8, len);
}

void drawpage_text(DrawPage *p, double x, double y, int font, double size, const char *utf8, size_t len)
{
    drawpage_text_in(p, DRAW_ARTIFACT, DRAW_ARTIFACT, 0, x, y, font, size, utf8, len);
}

void drawdoc_link(DrawDoc *doc, size_t page, double x, double y, double w, double h, size_t target, int elem,
                  const char *text)
{
    GROW(doc->links, doc->lcap, doc->nlinks + 1);
    DrawLink *k = &doc->links[doc->nlinks++];
    k->page = page;
    k->target = target;
    k->x = x, k->y = y, k->w = w, k->h = h;
    k->elem = elem;
    k->text = xstrdup(text);
}

int drawdoc_elem(DrawDoc *doc, const char *role, int parent)
{
    GROW(doc->elems, doc->ecap, doc->nelems + 1);
    DrawElem *e = &doc->elems[doc->nelems];
    memset(e, 0, sizeof *e);
    e->role = role;
    e->parent = parent;
    e->rowspan = e->colspan = 1;
    return (int)doc->nelems++;
}

void drawdoc_bookmark(DrawDoc *doc, const char *title, int level, size_t page)
{
    GROW(doc->marks, doc->mcap, doc->nmarks + 1);
    DrawBookmark *m = &doc->marks[doc->nmarks++];
    m->title = xstrdup(title);
    m->level = level;
    m->page = page;
}

void drawdoc_cell(DrawDoc *doc, const char *key, const char *text, size_t page, double x, double y, double w,
                  double h)
{
    GROW(doc->cells, doc->ccap, doc->ncells + 1);
    DrawCell *c = &doc->cells[doc->ncells++];
    c->key = xstrdup(key);
    c->text = xstrdup(text);
    c->page = page;
    c->x = x, c->y = y, c->w = w, c->h = h;
}

void drawpage_mark(DrawPage *p, double x, double y, double w, double h)
{
    DrawOp *op = add_op(p, OP_MARK_RECT);
    op->x = x, op->y = y, op->x2 = w, op->y2 = h;
    op->width = 1.5;
}

void drawdoc_free(DrawDoc *doc)
{
    for (size_t i = 0; i < doc->ncells; i++) {
        free(doc->cells[i].key);
        free(doc->cells[i].text);
    }
    free(doc->cells);
    for (size_t i = 0; i < doc->npages; i++) {
        for (size_t k = 0; k < doc->pages[i].nops; k++) {
            free(doc->pages[i].ops[k].text);
            free(doc->pages[i].ops[k].glyphs);
        }
        free(doc->pages[i].ops);
    }
    free(doc->pages);
    for (size_t i = 0; i < doc->nmarks; i++)
        free(doc->marks[i].title);
    free(doc->marks);
    free(doc->elems);
    for (size_t i = 0; i < doc->nlinks; i++)
        free(doc->links[i].text);
    free(doc->links);
    free(doc->title);
    free(doc->author);
    free(doc->subject);
    free(doc->keywords);
    memset(doc, 0, sizeof *doc);
}
