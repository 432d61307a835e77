#include "template.h"
#include "era.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

char *filter_fullwidth(const char *s)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            sb_put_utf8(&sb, 0xFF00 + (c - 0x20)); /* U+FF10 is '0' + 0xFEE0 */
        else
            sb_putc(&sb, (char)c);
    }
    return sb_take(&sb);
}

static char *filter_era(const char *s)
{
    char *end;
    long y = strtol(s, &end, 10);
    char buf[64];
    if (*s && !*end && era_year((int)y, buf, sizeof buf) == 0)
        return xstrdup(buf);
    return xstrdup(s); /* validation reports a bad year; print it as written */
}

/* The filters a template may apply, by name. */
static const struct {
    const char *name;
    char *(*fn)(const char *);
} FILTERS[] = {
    {"era", filter_era},
    {"fullwidth", filter_fullwidth},
};

static char *(*find_filter(const char *name, size_t len))(const char *)
{
    for (size_t i = 0; i < sizeof FILTERS / sizeof FILTERS[0]; i++)
        if (strlen(FILTERS[i].name) == len && strncmp(FILTERS[i].name, name, len) == 0)
            return FILTERS[i].fn;
    return NULL;
}

/* Step through a chain "|a|b": the next filter's name in *name, *len. */
static int next_filter(const char **f, const char *end, const char **name, size_t *len)
{
    if (*f >= end)
        return 0;
    *name = *f + 1;
    const char *e = memchr(*name, '|', (size_t)(end - *name));
    if (!e)
        e = end;
    *len = (size_t)(e - *name);
    *f = e;
    return 1;
}

typedef struct {
    const char *text;     /* a value, or NULL */
    const Node *body;     /* or a node whose body is meant */
    Pos pos;
} Ref;

/* Look a dotted path up in one node, descending into child sections. */
static int lookup_in(const Node *n, const char *path, size_t len, Ref *out)
{
    if (len == 4 && strncmp(path, "body", 4) == 0) {
        out->body = n;
        out->pos = n->nbody ? n->body[0]->pos : n->pos;
        return 1;
    }
    for (size_t i = 0; i < n->nvalues; i++) {
        if (strlen(n->values[i].key) == len && strncmp(n->values[i].key, path, len) == 0) {
            out->text = n->values[i].text;
            out->pos = n->values[i].pos;
            return 1;
        }
    }
    const char *dot = memchr(path, '.', len);
    if (!dot)
        return 0;
    char *id = xstrndup(path, (size_t)(dot - path));
    const char *rest = dot + 1;
    size_t rlen = len - (size_t)(rest - path);
    int index = 1;
    /* "target.2.body": an explicit 1-based index */
    const char *dot2 = memchr(rest, '.', rlen);
    if (dot2 && rest[0] >= '1' && rest[0] <= '9') {
        index = atoi(rest);
        rlen -= (size_t)(dot2 + 1 - rest);
        rest = dot2 + 1;
    }
    const Node *c = node_child(n, id, index);
    free(id);
    return c ? lookup_in(c, rest, rlen, out) : 0;
}

/* Does a section spec (not its parents) own this path: body, index, a
 * named group of its heading, a field (or a named group of a field's
 * pattern: "aim.no"), or a child section's value? Resolution stops at the
 * owner, so a child's empty field prints blank, never its parent's; and a
 * layout's template is checked against the same rule. */
static int spec_has(const SectionSpec *s, const char *path, size_t len)
{
    if ((len == 4 && strncmp(path, "body", 4) == 0) || (len == 5 && strncmp(path, "index", 5) == 0))
        return 1;
    char *name = xstrndup(path, len);
    int found = s->match && pcre2_substring_number_from_name(s->match, (PCRE2_SPTR)name) > 0;
    for (size_t i = 0; i < s->nfields && !found; i++) {
        const FieldSpec *f = &s->fields[i];
        size_t k = strlen(f->key);
        found = strcmp(f->key, name) == 0 ||
                /* "aim.no": a named group of the field's pattern */
                (f->pattern && len > k + 1 && strncmp(name, f->key, k) == 0 && name[k] == '.' &&
                 pcre2_substring_number_from_name(f->pattern, (PCRE2_SPTR)name + k + 1) > 0);
    }
    free(name);
    if (found)
        return 1;
    const char *dot = memchr(path, '.', len);
    if (!dot)
        return 0;
    for (size_t i = 0; i < s->nchildren; i++) {
        const SectionSpec *c = &s->children[i];
        if (strlen(c->id) != (size_t)(dot - path) || strncmp(c->id, path, (size_t)(dot - path)) != 0)
            continue;
        const char *rest = dot + 1;
        size_t rlen = len - (size_t)(rest - path);
        const char *dot2 = memchr(rest, '.', rlen);
        if (dot2 && rest[0] >= '1' && rest[0] <= '9') { /* "target.2.body" */
            rlen -= (size_t)(dot2 + 1 - rest);
            rest = dot2 + 1;
        }
        return spec_has(c, rest, rlen);
    }
    return 0;
}

static int resolve(const Node *scope, const char *path, size_t len, Ref *out)
{
    for (const Node *n = scope; n; n = n->parent) {
        memset(out, 0, sizeof *out);
        if (lookup_in(n, path, len, out))
            return 1;
        if (n->spec && spec_has(n->spec, path, len))
            return 0;
    }
    return 0;
}

static void body_text(const Node *n, StrBuf *sb)
{
    for (size_t i = 0; i < n->nbody; i++) {
        if (i)
            sb_putc(sb, '\n');
        sb_puts(sb, n->body[i]->text);
    }
}

/* Expand into one string. Sets *missing when a reference has no value. */
/* One {reference} of a template: its dotted path and its |filters. */
typedef struct {
    const char *path;
    size_t plen;
    const char *filters; /* "|era|fullwidth", or empty */
    size_t flen;
} RefToken;

/* Move *pp past literal text (appended to lit when given; {{ and }} are
 * braces) up to the next reference, which fills ref. 0 at the end. */
static int next_ref(const char **pp, StrBuf *lit, RefToken *ref)
{
    for (const char *p = *pp; *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            if (lit)
                sb_putc(lit, *p);
            p++;
            continue;
        }
        const char *e = p[0] == '{' ? strchr(p, '}') : NULL;
        if (!e) {
            if (lit)
                sb_putc(lit, *p);
            continue;
        }
        const char *bar = memchr(p + 1, '|', (size_t)(e - p - 1));
        ref->path = p + 1;
        ref->plen = (size_t)((bar ? bar : e) - ref->path);
        ref->filters = bar ? bar : e;
        ref->flen = (size_t)(e - ref->filters);
        *pp = e + 1;
        return 1;
    }
    *pp = NULL;
    return 0;
}

/* Apply each filter of "|a|b" in turn (unknown ones are reported when the
 * layout is checked, and skipped here). */
static char *apply_filters(char *val, const char *f, size_t n)
{
    const char *name;
    size_t len;
    for (const char *end = f + n; next_filter(&f, end, &name, &len);) {
        char *(*fn)(const char *) = find_filter(name, len);
        if (fn) {
            char *r = fn(val);
            free(val);
            val = r;
        }
    }
    return val;
}

static char *expand(const char *tmpl, const Node *scope, int *missing, Pos *pos)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    RefToken t;
    for (const char *p = tmpl; p && next_ref(&p, &sb, &t);) {
        char *val = NULL;
        Ref r;
        if (t.plen == 5 && strncmp(t.path, "index", 5) == 0 && scope) {
            StrBuf nb = {0};
            sb_printf(&nb, "%d", scope->index);
            val = sb_take(&nb);
        } else if (resolve(scope, t.path, t.plen, &r)) {
            if (r.text) {
                val = xstrdup(r.text);
            } else {
                StrBuf bb = {0};
                sb_puts(&bb, "");
                body_text(r.body, &bb);
                val = sb_take(&bb);
            }
            if (pos && pos->line == 0)
                *pos = r.pos;
        }
        if (!val || !*val)
            *missing = 1;
        if (!val)
            val = xstrdup("");
        val = apply_filters(val, t.filters, t.flen);
        sb_puts(&sb, val);
        free(val);
    }
    return sb_take(&sb);
}

/* ---- checking a layout's templates ------------------------------------ */

typedef struct {
    const Layout *l;
    const SectionSpec *chain[8]; /* innermost first; the root last */
    int n;
    int page_number;             /* {page} and {pages} exist */
    Diag *d;
} Scope;

static int scope_has(const Scope *sc, const char *path, size_t len)
{
    if (sc->page_number && ((len == 4 && strncmp(path, "page", 4) == 0) || (len == 5 && strncmp(path, "pages", 5) == 0)))
        return 1;
    for (int i = 0; i < sc->n; i++)
        if (spec_has(sc->chain[i], path, len))
            return 1;
    for (size_t i = 0; i < sc->l->nmeta; i++)
        if (strlen(sc->l->meta[i].key) == len && strncmp(sc->l->meta[i].key, path, len) == 0)
            return 1;
    return 0;
}

static void check_text(const Scope *sc, const char *tmpl, const char *what, const LayoutPos *pos)
{
    RefToken t;
    for (const char *p = tmpl; p && next_ref(&p, NULL, &t);) {
        if (!scope_has(sc, t.path, t.plen))
        {
            if (sc->n > 1)
                diag_error(sc->d, pos->file, pos->line, pos->col,
                           "%s: `{%.*s}` names nothing here: no value of section `%s` or its parents, no `metadata` key",
                           what, (int)t.plen, t.path, sc->chain[0]->id);
            else
                diag_error(sc->d, pos->file, pos->line, pos->col,
                           "%s: `{%.*s}` names nothing here: declare it under `metadata:` or use a section's value",
                           what, (int)t.plen, t.path);
        }
        const char *name, *f = t.filters;
        size_t len;
        while (next_filter(&f, t.filters + t.flen, &name, &len))
            if (!find_filter(name, len))
                diag_error(sc->d, pos->file, pos->line, pos->col, "%s: unknown filter `%.*s` (filters: era, fullwidth)",
                           what, (int)len, name);
    }
}

/* The spec of a repeat id, looked up from the scope outwards. */
static const SectionSpec *find_repeat(const Scope *sc, const char *id)
{
    for (int i = 0; i < sc->n; i++) {
        const SectionSpec *c = layout_child(sc->chain[i], id);
        if (c)
            return c;
    }
    return NULL;
}

static int push_repeat(Scope *sc, const char *id, const LayoutPos *pos)
{
    const SectionSpec *s = find_repeat(sc, id);
    if (!s) {
        diag_error(sc->d, pos->file, pos->line, pos->col, "repeat: `%s` is no section id here", id);
        return 0;
    }
    if (sc->n >= 8)
        return 0;
    memmove(sc->chain + 1, sc->chain, (size_t)sc->n * sizeof sc->chain[0]);
    sc->chain[0] = s;
    sc->n++;
    return 1;
}

static void pop_repeat(Scope *sc)
{
    memmove(sc->chain, sc->chain + 1, (size_t)(sc->n - 1) * sizeof sc->chain[0]);
    sc->n--;
}

int template_check_layout(const Layout *l, Diag *d)
{
    size_t before = d->errors;
    Scope sc = {l, {&l->root}, 1, 0, d};
    LayoutPos lp = {l->path, 1, 1};
    const char *docs[] = {l->title, l->author, l->subject, l->keywords};
    for (size_t i = 0; i < 4; i++)
        if (docs[i])
            check_text(&sc, docs[i], "document", &lp);
    for (size_t p = 0; p < l->npages; p++) {
        const PageSpec *ps = &l->pages[p];
        int pushed = ps->repeat && push_repeat(&sc, ps->repeat, &ps->pos);
        if (ps->bookmark)
            check_text(&sc, ps->bookmark, "bookmark", &ps->pos);
        for (size_t g = 0; g < ps->ngroups; g++) {
            const GroupSpec *gs = &ps->groups[g];
            int gpushed = gs->repeat && push_repeat(&sc, gs->repeat, &gs->pos);
            for (size_t r = 0; r < gs->nrows; r++)
                for (size_t c = 0; c < gs->rows[r].ncells; c++) {
                    const CellSpec *cs = &gs->rows[r].cells[c];
                    check_text(&sc, cs->text, cs->name ? cs->name : "a cell", &cs->pos);
                }
            if (gpushed)
                pop_repeat(&sc);
        }
        if (pushed)
            pop_repeat(&sc);
    }
    if (l->page_number) {
        Scope pn = {l, {&l->root}, 1, 1, d};
        check_text(&pn, l->page_number->text, "page_number", &l->page_number->pos);
    }
    return d->errors == before ? 0 : -1;
}

static void add_para(Paras *out, char *text, Pos pos, int item, int number)
{
    GROW(out->p, out->cap, out->n + 1);
    Para *p = &out->p[out->n++];
    p->text = text;
    p->pos = pos;
    p->item = item;
    p->number = number;
}

void template_expand(const char *tmpl, const Node *scope, Paras *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(tmpl);
    Ref r;
    if (len > 2 && tmpl[0] == '{' && tmpl[len - 1] == '}' && !memchr(tmpl + 1, '{', len - 2) &&
        !memchr(tmpl + 1, '|', len - 2) && resolve(scope, tmpl + 1, len - 2, &r) && r.body) {
        for (size_t i = 0; i < r.body->nbody; i++) {
            const Block *b = r.body->body[i];
            add_para(out, xstrdup(b->text), b->pos, b->kind == BLOCK_ITEM, b->number);
        }
        out->missing = r.body->nbody == 0;
        return;
    }
    Pos pos = {0, 0};
    int missing = 0;
    char *s = expand(tmpl, scope, &missing, &pos);
    out->missing = missing;
    add_para(out, s, pos, 0, 0);
}

char *template_string(const char *tmpl, const Node *scope)
{
    int missing = 0;
    char *s = expand(tmpl, scope, &missing, NULL);
    if (missing) {
        free(s);
        return NULL;
    }
    return s;
}

void paras_free(Paras *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        free(ps->p[i].text);
    free(ps->p);
    memset(ps, 0, sizeof *ps);
}
