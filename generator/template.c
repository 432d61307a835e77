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

static char *apply_filter(char *v, const char *name, size_t len)
{
    char *r;
    if (len == 3 && strncmp(name, "era", 3) == 0)
        r = filter_era(v);
    else if (len == 9 && strncmp(name, "fullwidth", 9) == 0)
        r = filter_fullwidth(v);
    else
        return v; /* unknown filters are caught when the layout is checked */
    free(v);
    return r;
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

/* Does the node's spec own this name (a field, a named group, a child
 * section)? Then an absent value is blank, not one from an outer scope:
 * a child's empty field must not print its parent's. */
static int declares(const SectionSpec *s, const char *path, size_t len)
{
    const char *dot = memchr(path, '.', len);
    size_t first = dot ? (size_t)(dot - path) : len;
    for (size_t i = 0; i < s->nfields; i++)
        if (strlen(s->fields[i].key) == len && strncmp(s->fields[i].key, path, len) == 0)
            return 1;
    for (size_t i = 0; i < s->nchildren; i++)
        if (strlen(s->children[i].id) == first && strncmp(s->children[i].id, path, first) == 0)
            return 1;
    if (s->match) {
        char *name = xstrndup(path, len);
        int num = pcre2_substring_number_from_name(s->match, (PCRE2_SPTR)name);
        free(name);
        if (num > 0)
            return 1;
    }
    return 0;
}

static int resolve(const Node *scope, const char *path, size_t len, Ref *out)
{
    for (const Node *n = scope; n; n = n->parent) {
        memset(out, 0, sizeof *out);
        if (lookup_in(n, path, len, out))
            return 1;
        if (n->spec && declares(n->spec, path, len))
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
static char *expand(const char *tmpl, const Node *scope, int *missing, Pos *pos)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '{' && p[1] == '{') {
            sb_putc(&sb, '{');
            p++;
            continue;
        }
        if (p[0] == '}' && p[1] == '}') {
            sb_putc(&sb, '}');
            p++;
            continue;
        }
        const char *e = p[0] == '{' ? strchr(p, '}') : NULL;
        if (!e) {
            sb_putc(&sb, *p);
            continue;
        }
        const char *ref = p + 1;
        const char *bar = memchr(ref, '|', (size_t)(e - ref));
        size_t rlen = (size_t)((bar ? bar : e) - ref);
        char *val = NULL;
        Ref r;
        if (rlen == 5 && strncmp(ref, "index", 5) == 0 && scope) {
            StrBuf nb = {0};
            sb_printf(&nb, "%d", scope->index);
            val = sb_take(&nb);
        } else if (resolve(scope, ref, rlen, &r)) {
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
        for (const char *f = bar; f && f < e;) {
            const char *fs = f + 1;
            const char *fe = memchr(fs, '|', (size_t)(e - fs));
            if (!fe)
                fe = e;
            val = apply_filter(val, fs, (size_t)(fe - fs));
            f = fe < e ? fe : NULL;
        }
        sb_puts(&sb, val);
        free(val);
        p = e;
    }
    return sb_take(&sb);
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
