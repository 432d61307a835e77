/* Binding the front matter: its keys against the layout's (lists of a
 * form's rows, required keys, patterns), and the message for a value a
 * cell needs from it. */
#include "bind_internal.h"
#include "typo.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- front matter ------------------------------------------------------ */

/* The number written at d (dl digits), capped where no form reaches. */
static int item_number(const char *d, size_t dl)
{
    return dl > 8 ? 99999999 : atoi(d);
}

/* How many items the layout declares for the list key[0..plen): one more
 * than the highest N of its keys "list.N...". 0: no list of the layout. */
static int list_capacity(const Layout *l, const char *key, size_t plen)
{
    int n = 0;
    for (size_t i = 0; i < l->nmeta; i++) {
        const char *k = l->meta[i].key;
        if (strncmp(k, key, plen) != 0 || k[plen] != '.')
            continue;
        const char *d = k + plen + 1;
        size_t dl = strspn(d, "0123456789");
        if (dl && (d[dl] == '.' || !d[dl]) && item_number(d, dl) >= n)
            n = item_number(d, dl) + 1;
    }
    return n;
}

/* An item of a list past those the layout declares ("officers.2.name"
 * when the form has cells for officers.0 and officers.1). Returns the
 * length of its key ("officers.2"), with the list's length in *list,
 * the item's number in *index and the form's count in *cap; 0 if the
 * key is within the form's lists. */
static size_t extra_item(const Layout *l, const char *key, size_t *list, int *index, int *cap)
{
    for (const char *p = strchr(key, '.'); p; p = strchr(p + 1, '.')) {
        const char *d = p + 1;
        size_t dl = strspn(d, "0123456789");
        if (!dl || (d[dl] && d[dl] != '.'))
            continue;
        int n = list_capacity(l, key, (size_t)(p - key));
        if (!n)
            return 0;
        if (item_number(d, dl) >= n) {
            *list = (size_t)(p - key);
            *index = item_number(d, dl);
            *cap = n;
            return (size_t)(d + dl - key);
        }
    }
    return 0;
}

/* The first key written, with a value, of the list item key[0..ilen). */
static const MetaEntry *item_entry(const Document *doc, const char *key, size_t ilen)
{
    for (size_t i = 0; i < doc->nmeta; i++)
        if (strncmp(doc->meta[i].key, key, ilen) == 0 && doc->meta[i].key[ilen] == '.' && *doc->meta[i].value)
            return &doc->meta[i];
    return NULL;
}

/* "officers.1.title": the list "officers" (its length in *list), the
 * item's ordinal 2, and "title" in *sub. Returns 0 outside lists. */
static int item_ordinal(const char *key, size_t *list, const char **sub)
{
    size_t ilen = layout_item_len(key);
    if (!ilen)
        return 0;
    size_t dl = 0;
    while (dl < ilen && key[ilen - dl - 1] != '.')
        dl++;
    *list = ilen - dl - 1;
    *sub = key[ilen] ? key + ilen + 1 : "";
    return item_number(key + ilen - dl, dl) + 1;
}

/* A key the layout does not know: past the items its list holds (an
 * error: the form has no cell for it), else most often a typo of one it
 * knows. *told is the extra item reported last, to report each once. */
static void unknown_meta(Binder *b, const MetaEntry *e, const char **told, size_t *told_len)
{
    size_t list;
    int index, cap;
    size_t item = extra_item(b->layout, e->key, &list, &index, &cap);
    if (item) {
        if (!(*told && *told_len == item && strncmp(*told, e->key, item) == 0))
            diag_error(b->d, b->doc->path, e->pos.line, e->pos.col,
                       "この様式に書ける `%.*s` は %d 件までです（これは %d 件目で、様式に欄がありません）", (int)list,
                       e->key, cap, index + 1);
        *told = e->key;
        *told_len = item;
        return;
    }
    const char *best = NULL;
    long best_d = -1;
    for (size_t k = 0; k <= b->layout->nmeta; k++) { /* the layout's keys and the engine's own */
        const char *want = k < b->layout->nmeta ? b->layout->meta[k].key : LAYOUT_FALLBACK_KEY;
        long dist = typo_distance(e->key, want, 0);
        if (dist >= 0 && (best_d < 0 || dist < best_d))
            best = want, best_d = dist;
    }
    diag_warning(b->d, b->doc->path, e->pos.line, e->pos.col, "前付けのキー `%s` は様式で使われていません%s%s%s", e->key,
                 best ? "。`" : "", best ? best : "", best ? "` のまちがいではありませんか" : "");
}

/* Whether a declared key is missing from the front matter. */
static int meta_missing(const Document *doc, const char *key)
{
    const MetaEntry *e = document_meta(doc, key);
    return !e || !*e->value;
}

void bind_meta(Binder *b, Node *root)
{
    const Document *doc = b->doc;
    const char *file = doc->path;
    if (!doc->has_front_matter || doc->front_matter_invalid)
        return; /* reported while parsing or choosing the layout */
    const char *told = NULL;
    size_t told_len = 0;
    for (size_t i = 0; i < doc->nmeta; i++) {
        const MetaEntry *e = &doc->meta[i];
        node_add_value(root, e->key, e->value, e->pos);
        int known = strcmp(e->key, "layout") == 0 || layout_is_fallback_key(e->key);
        for (size_t k = 0; k < b->layout->nmeta && !known; k++)
            known = strcmp(b->layout->meta[k].key, e->key) == 0;
        if (!known)
            unknown_meta(b, e, &told, &told_len);
    }
    for (size_t i = 0; i < b->layout->nmeta; i++) {
        const FieldSpec *m = &b->layout->meta[i];
        const MetaEntry *e = document_meta(doc, m->key);
        /* A list item is written whole: once any key of it is written,
         * its `required: item` keys must be too (no half row of a table). */
        const MetaEntry *item = m->item_required ? item_entry(doc, m->key, layout_item_len(m->key)) : NULL;
        if (meta_missing(doc, m->key) && item) {
            size_t list;
            const char *sub;
            int nth = item_ordinal(m->key, &list, &sub);
            diag_error(b->d, file, item->pos.line, item->pos.col,
                       "前付けの `%.*s` の %d 件目に `%s` がありません%s%s%s。この件に `%s: ...` を加えてください", (int)list,
                       m->key, nth, sub, m->hint ? "（" : "", m->hint ? m->hint : "", m->hint ? "）" : "", sub);
        } else if (meta_missing(doc, m->key)) {
            if (m->required)
                diag_error(b->d, file, 1, 1, "前付けに `%s` がありません%s%s", m->key, m->hint ? ": " : "",
                           m->hint ? m->hint : "");
        } else if (m->pattern && !bind_matches(b, m->pattern, e->value) && !b->pattern_failed) {
            diag_error(b->d, file, e->pos.line, e->pos.col, "前付けの `%s: %s` は正しくありません。書き方: %s", m->key,
                       e->value, m->hint ? m->hint : m->pattern_src);
        }
    }
}

/* ---- values a cell lacks ------------------------------------------------- */

/* How many dotted parts two keys share from the start. */
static size_t shared_parts(const char *a, const char *b)
{
    size_t n = 0;
    for (size_t i = 0;; i++) {
        int ea = a[i] == '.' || !a[i], eb = b[i] == '.' || !b[i];
        if (ea && eb) {
            n++;
            if (!a[i] || !b[i])
                return n;
        } else if (a[i] != b[i]) {
            return n;
        }
    }
}

/* Where an absent front-matter key belongs: at the key written that
 * shares most of its path (its list item), else the front matter's start. */
static Pos meta_place(const Node *root, const char *key)
{
    Pos best = {1, 1};
    size_t most = 0;
    for (size_t i = 0; i < root->nvalues; i++) {
        size_t n = shared_parts(root->values[i].key, key);
        if (n > most && root->values[i].pos.line)
            most = n, best = root->values[i].pos;
    }
    return best;
}

int bind_missing_meta(const Layout *l, const Node *root, const char *key, const char *cell, const char *file,
                        Diag *d)
{
    const FieldSpec *f = NULL;
    for (size_t i = 0; i < l->nmeta && !f; i++)
        if (strcmp(l->meta[i].key, key) == 0)
            f = &l->meta[i];
    if (f && f->required)
        return 0; /* bind_meta said so */
    size_t list;
    const char *sub;
    int nth = item_ordinal(key, &list, &sub);
    if (f && f->item_required && nth) {
        for (size_t i = 0; i < root->nvalues; i++)
            if (strncmp(root->values[i].key, key, layout_item_len(key)) == 0 &&
                root->values[i].key[layout_item_len(key)] == '.' && *root->values[i].text)
                return 0; /* the item is written: bind_meta said so */
    }
    Pos at = meta_place(root, key);
    const char *h1 = f && f->hint ? "（" : "", *h = f && f->hint ? f->hint : "", *h2 = f && f->hint ? "）" : "";
    if (nth)
        diag_error(d, file, at.line, at.col, "%s: この欄に必要な `%s` が前付けの `%.*s` の %d 件目にありません%s%s%s。`%s: ...` を加えてください",
                   cell, sub, (int)list, key, nth, h1, h, h2, sub);
    else if (!strchr(key, '.'))
        diag_error(d, file, at.line, at.col, "%s: この欄に必要な `%s` が前付けにありません%s%s%s。前付けに `%s: ...` の行を加えてください",
                   cell, key, h1, h, h2, key);
    else
        diag_error(d, file, at.line, at.col, "%s: この欄に必要な `%s` が前付けにありません%s%s%s。前付けに加えてください", cell,
                   key, h1, h, h2);
    return 1;
}
