/* See layoutcache.h. */
#include "layoutcache.h"
#include "template.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char *path;
    struct stat st; /* of the file when it was loaded */
    Layout *layout;
    Diag reported;  /* what loading it reported (warnings only: it loaded) */
} Entry;

struct LayoutCache {
    Entry *e;
    size_t n, cap;
};

LayoutCache *layoutcache_new(void)
{
    return xcalloc(1, sizeof(LayoutCache));
}

static void entry_free(Entry *e)
{
    free(e->path);
    layout_free(e->layout);
    diag_free(&e->reported);
}

void layoutcache_free(LayoutCache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        entry_free(&c->e[i]);
    free(c->e);
    free(c);
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void replay(const Diag *from, Diag *to)
{
    for (size_t i = 0; i < from->n; i++) {
        const DiagEntry *x = &from->entries[i];
        diag_report(to, x->level, x->file, x->line, x->col, "%s", x->msg);
    }
}

const Layout *layoutcache_get(LayoutCache *c, const char *path, Diag *d)
{
    struct stat st;
    int known = stat(path, &st) == 0;
    size_t i = 0;
    while (i < c->n && strcmp(c->e[i].path, path) != 0)
        i++;
    if (i < c->n && known && same_file(&c->e[i].st, &st)) {
        replay(&c->e[i].reported, d);
        return c->e[i].layout;
    }
    if (i < c->n) { /* changed or gone: forget it */
        entry_free(&c->e[i]);
        c->e[i] = c->e[--c->n];
    }
    Diag local;
    diag_init(&local);
    Layout *l = layout_load(path, &local);
    if (l && template_check_layout(l, &local) != 0) {
        layout_free(l);
        l = NULL;
    }
    replay(&local, d);
    if (!l) {
        diag_free(&local);
        return NULL;
    }
    if (!known)
        memset(&st, 0, sizeof st); /* matches no file: loaded again next time */
    GROW(c->e, c->cap, c->n + 1);
    Entry *e = &c->e[c->n++];
    e->path = xstrdup(path);
    e->st = st;
    e->layout = l;
    e->reported = local;
    return l;
}
