#include "template.h"
#include "era.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
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
    /* Before 昭和, or not a year (validation reports it): the number as a
     * year, so "…年度" still reads. */
    StrBuf sb = {0};
    sb_printf(&sb, "%s年", s);
    return sb_take(&sb);
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
    const Node *owner;    /* the node that holds, or would hold, the value */
    const char *rest;     /* the path from owner */
    size_t rlen;
} Ref;

/* Look a dotted path up in one node, descending into child sections. */
static int lookup_in(const Node *n, const char *path, size_t len, Ref *out)
{
    out->owner = n;
    out->rest = path;
    out->rlen = len;
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

/* Find a path from the scope outwards. Without a value, out->owner and
 * out->rest still say where it would be. */
static int resolve(const Node *scope, const char *path, size_t len, Ref *out)
{
    const Node *root = scope;
    for (const Node *n = scope; n; n = n->parent) {
        memset(out, 0, sizeof *out);
        if (lookup_in(n, path, len, out))
            return 1;
        if (n->spec && spec_has(n->spec, path, len))
            return 0;
        root = n;
    }
    /* No section owns it: front matter the document lacks. */
    memset(out, 0, sizeof *out);
    out->owner = root;
    out->rest = path;
    out->rlen = len;
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

/* ---- reading a template -------------------------------------------------- */

typedef enum { TOK_END, TOK_TEXT, TOK_REF, TOK_OPEN, TOK_CLOSE } TokKind;

/* One piece of a template: literal text ({{ and }} are braces), a
 * {reference|filters}, or the {? and ?} around an optional part. Both
 * delimiters are ASCII pairs no form prints; the full-width brackets
 * 【】（） that forms do print stay literal text. */
typedef struct {
    TokKind kind;
    const char *s;       /* TEXT: the bytes to print; REF: its dotted path; else where it stands */
    size_t len;
    const char *filters; /* REF: "|era|fullwidth", or empty */
    size_t flen;
} Token;

/* The piece at *pp; moves *pp past it. */
static Token next_token(const char **pp)
{
    const char *p = *pp;
    Token t = {TOK_END, p, 0, NULL, 0};
    if (!*p)
        return t;
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
        t.kind = TOK_TEXT;
        t.len = 1;
        *pp = p + 2;
        return t;
    }
    if ((p[0] == '{' && p[1] == '?') || (p[0] == '?' && p[1] == '}')) {
        t.kind = p[0] == '{' ? TOK_OPEN : TOK_CLOSE;
        t.len = 2;
        *pp = p + 2;
        return t;
    }
    const char *e = p[0] == '{' ? strchr(p, '}') : NULL;
    if (e) {
        const char *bar = memchr(p + 1, '|', (size_t)(e - p - 1));
        t.kind = TOK_REF;
        t.s = p + 1;
        t.len = (size_t)((bar ? bar : e) - t.s);
        t.filters = bar ? bar : e;
        t.flen = (size_t)(e - t.filters);
        *pp = e + 1;
        return t;
    }
    size_t n = 1; /* literal text, up to the next character that may start a piece */
    while (p[n] && p[n] != '{' && p[n] != '}' && p[n] != '?')
        n++;
    t.kind = TOK_TEXT;
    t.len = n;
    *pp = p + n;
    return t;
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

/* The text of a reference before its filters: "" when it has none, and
 * then r says where it would be. */
static char *ref_value(const Node *scope, const Token *t, Ref *r)
{
    memset(r, 0, sizeof *r);
    if (t->len == 5 && strncmp(t->s, "index", 5) == 0 && scope) {
        StrBuf nb = {0};
        sb_printf(&nb, "%d", scope->index);
        return sb_take(&nb);
    }
    if (!resolve(scope, t->s, t->len, r))
        return xstrdup("");
    if (r->text)
        return xstrdup(r->text);
    StrBuf bb = {0};
    sb_puts(&bb, "");
    body_text(r->body, &bb);
    return sb_take(&bb);
}

/* Append a reference's filtered value; returns 0 when it is empty. */
static int put_ref(StrBuf *out, const Node *scope, const Token *t, Ref *r)
{
    char *val = ref_value(scope, t, r);
    int has = *val != '\0';
    val = apply_filters(val, t->filters, t->flen);
    sb_puts(out, val);
    free(val);
    return has;
}

/* An optional part, after its {?: appended to out only when each of its
 * references has a value. *pp ends past its ?}. */
static void expand_optional(const char **pp, const Node *scope, StrBuf *out)
{
    StrBuf part = {0};
    sb_puts(&part, "");
    int whole = 1;
    for (Token t; (t = next_token(pp)).kind != TOK_END && t.kind != TOK_CLOSE;) {
        Ref r;
        if (t.kind == TOK_TEXT)
            sb_append(&part, t.s, t.len);
        else if (t.kind == TOK_REF)
            whole &= put_ref(&part, scope, &t, &r);
        /* a nested {? is refused when the layout is checked */
    }
    if (whole)
        sb_puts(out, part.data);
    sb_free(&part);
}

/* A template expanded, with what the cell needs to know about it. */
typedef struct {
    const Node *scope;
    StrBuf out;
    Pos pos;    /* where the first value came from */
    int refs;   /* references outside the optional parts */
    int text;   /* literal text outside the optional parts */
    int empty;  /* one of those references has no value ... */
    Ref lack;   /* ... the first such */
} Expansion;

static void expand(const char *tmpl, Expansion *x)
{
    sb_puts(&x->out, "");
    const char *p = tmpl;
    for (Token t; (t = next_token(&p)).kind != TOK_END;) {
        Ref r;
        if (t.kind == TOK_TEXT) {
            sb_append(&x->out, t.s, t.len);
            x->text = 1;
        } else if (t.kind == TOK_OPEN) {
            expand_optional(&p, x->scope, &x->out);
        } else if (t.kind == TOK_REF) {
            x->refs++;
            if (!put_ref(&x->out, x->scope, &t, &r) && !x->empty) {
                x->empty = 1;
                x->lack = r;
            }
            if (x->pos.line == 0)
                x->pos = r.pos;
        }
        /* a stray ?} is refused when the layout is checked */
    }
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

static void check_ref(const Scope *sc, const Token *t, const char *what, const LayoutPos *pos)
{
    if (!scope_has(sc, t->s, t->len)) {
        if (sc->n > 1)
            diag_error(sc->d, pos->file, pos->line, pos->col,
                       "%s: `{%.*s}` names nothing here: no value of section `%s` or its parents, no `metadata` key",
                       what, (int)t->len, t->s, sc->chain[0]->id);
        else
            diag_error(sc->d, pos->file, pos->line, pos->col,
                       "%s: `{%.*s}` names nothing here: declare it under `metadata:` or use a section's value",
                       what, (int)t->len, t->s);
    }
    const char *name, *f = t->filters;
    size_t len;
    while (next_filter(&f, t->filters + t->flen, &name, &len))
        if (!find_filter(name, len))
            diag_error(sc->d, pos->file, pos->line, pos->col, "%s: unknown filter `%.*s` (filters: era, fullwidth)",
                       what, (int)len, name);
}

/* Where a template's text is written: at the character `at` when its
 * source maps one to one (CellSpec.text_exact), else where it starts. */
typedef struct {
    const LayoutPos *pos;
    int exact;
    const char *tmpl;
} TextAt;

static void text_error(const Scope *sc, const TextAt *ta, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void text_error(const Scope *sc, const TextAt *ta, const char *at, const char *fmt, ...)
{
    int col = ta->pos->col + (ta->exact ? (int)utf8_count(ta->tmpl, (size_t)(at - ta->tmpl)) : 0);
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(sc->d, DIAG_ERROR, ta->pos->file, ta->pos->line, col, fmt, ap);
    va_end(ap);
}

/* Bytes of the template from s to end to quote in a message: at most 60. */
static int quote_len(const char *s, const char *end)
{
    size_t n = (size_t)(end - s);
    return n < 60 ? (int)n : utf8_prefix(s, 60);
}

/* Check a template's references (at pos, the cell) and its optional parts
 * (in its text): each {? closed by a ?}, not nested, with at least one
 * reference (else it would always print: plain text then). */
static void check_text(const Scope *sc, const char *tmpl, const char *what, const LayoutPos *pos, const TextAt *ta)
{
    const char *p = tmpl, *open = NULL;
    int refs = 0, inner = 0, told = 0; /* inner: nested {? still open */
    for (Token t; (t = next_token(&p)).kind != TOK_END;) {
        if (t.kind == TOK_REF) {
            refs++;
            check_ref(sc, &t, what, pos);
        } else if (t.kind == TOK_OPEN && open) {
            inner++;
            if (!told++)
                text_error(sc, ta, t.s, "%s: optional parts do not nest: close `%.*s` with `?}` before the next `{?`",
                           what, quote_len(open, t.s), open);
        } else if (t.kind == TOK_OPEN) {
            open = t.s;
            refs = 0;
        } else if (t.kind != TOK_CLOSE) {
            continue; /* literal text */
        } else if (!open) {
            text_error(sc, ta, t.s, "%s: `?}` closes no optional part (open one with `{?`)", what);
        } else if (inner) {
            inner--;
        } else {
            if (!refs)
                text_error(sc, ta, open,
                           "%s: optional part `%.*s` holds no {reference}, so it would always print: write its text "
                           "without `{?` `?}`", what, quote_len(open, p), open);
            open = NULL;
        }
    }
    if (open)
        text_error(sc, ta, open, "%s: optional part `%.*s` is never closed: end it with `?}`", what,
                   quote_len(open, p), open);
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
            check_text(&sc, docs[i], "document", &lp, &(TextAt){&lp, 0, docs[i]});
    for (size_t p = 0; p < l->npages; p++) {
        const PageSpec *ps = &l->pages[p];
        int pushed = ps->repeat && push_repeat(&sc, ps->repeat, &ps->pos);
        if (ps->bookmark)
            check_text(&sc, ps->bookmark, "bookmark", &ps->pos, &(TextAt){&ps->pos, 0, ps->bookmark});
        for (size_t g = 0; g < ps->ngroups; g++) {
            const GroupSpec *gs = &ps->groups[g];
            int gpushed = gs->repeat && push_repeat(&sc, gs->repeat, &gs->pos);
            for (size_t r = 0; r < gs->nrows; r++)
                for (size_t c = 0; c < gs->rows[r].ncells; c++) {
                    const CellSpec *cs = &gs->rows[r].cells[c];
                    check_text(&sc, cs->text, cs->name ? cs->name : "a cell", &cs->pos,
                               &(TextAt){&cs->text_pos, cs->text_exact, cs->text});
                    if (cs->link)
                        check_text(&sc, cs->link, "link", &cs->pos, &(TextAt){&cs->pos, 0, cs->link});
                }
            if (gpushed)
                pop_repeat(&sc);
        }
        if (pushed)
            pop_repeat(&sc);
    }
    const CellSpec *every[2] = {l->page_number, l->draft_mark}; /* cells on every page: {page}, {pages} */
    for (int i = 0; i < 2; i++) {
        if (!every[i])
            continue;
        Scope pn = {l, {&l->root}, 1, 1, d};
        const CellSpec *c = every[i];
        check_text(&pn, c->text, i ? "draft mark" : "page_number", &c->pos,
                   &(TextAt){&c->text_pos, c->text_exact, c->text});
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
    Expansion x = {.scope = scope};
    expand(tmpl, &x);
    out->missing = x.empty;
    /* A value alone may be blank (an evaluation not yet written, an absent
     * second officer); text around a value is never printed without it. */
    if (x.empty && (x.refs > 1 || x.text) && x.lack.owner) {
        out->lack.node = x.lack.owner;
        out->lack.path = xstrndup(x.lack.rest, x.lack.rlen);
    }
    add_para(out, sb_take(&x.out), x.pos, 0, 0);
}

char *template_string(const char *tmpl, const Node *scope)
{
    Expansion x = {.scope = scope};
    expand(tmpl, &x);
    char *s = sb_take(&x.out);
    if (x.empty) {
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
    free(ps->lack.path);
    memset(ps, 0, sizeof *ps);
}
