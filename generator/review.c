#include "review.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const DrawCell *find_cell(const DrawDoc *doc, const char *key)
{
    for (size_t i = 0; i < doc->ncells; i++)
        if (strcmp(doc->cells[i].key, key) == 0)
            return &doc->cells[i];
    return NULL;
}

size_t review_cells(const DrawDoc *older, DrawDoc *newer, CellChange **out)
{
    CellChange *list = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < newer->ncells; i++) {
        DrawCell *c = &newer->cells[i];
        const DrawCell *o = find_cell(older, c->key);
        if (o && strcmp(o->text, c->text) == 0)
            continue;
        if (!o && !*c->text)
            continue; /* a new, still empty cell (a new goal's blank evaluation) */
        GROW(list, cap, n + 1);
        list[n].kind = o ? CELL_CHANGED : CELL_ADDED;
        list[n++].key = c->key;
        if (c->page < newer->npages)
            drawpage_mark(&newer->pages[c->page], c->x, c->y, c->w, c->h);
    }
    for (size_t i = 0; i < older->ncells; i++) {
        const DrawCell *o = &older->cells[i];
        if (find_cell(newer, o->key) || !*o->text)
            continue;
        GROW(list, cap, n + 1);
        list[n].kind = CELL_REMOVED;
        list[n++].key = o->key;
    }
    *out = list;
    return n;
}
