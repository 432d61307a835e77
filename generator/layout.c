#include "layout.h"
#include "source.h"
#include "util.h"
#include "yamlread.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- a thin reading layer over libyaml's document tree --------------- */

typedef struct {
    YamlDoc doc;
    Layout *l;
    const char *path;
    Diag *d;
    int failed;
    yaml_node_t *styles;  /* the layout's named cell styles */
    yaml_node_t *defaults;
} Y;

static LayoutPos ypos(const Y *y, const yaml_node_t *n)
{
    Pos at = yaml_node_pos(&y->doc, n);
    LayoutPos p = {(char *)y->path, at.line, at.col};
    return p;
}

static void yerr(Y *y, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void yerr(Y *y, const yaml_node_t *n, const char *fmt, ...)
{
    LayoutPos p = ypos(y, n);
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(y->d, DIAG_ERROR, y->path, p.line, p.col, fmt, ap);
    va_end(ap);
    y->failed = 1;
}

static yaml_node_t *ynode(Y *y, int id)
{
    return yaml_node(&y->doc, id);
}

static int is_map(const yaml_node_t *n) { return n && n->type == YAML_MAPPING_NODE; }
static int is_seq(const yaml_node_t *n) { return n && n->type == YAML_SEQUENCE_NODE; }
static int is_scalar(const yaml_node_t *n) { return n && n->type == YAML_SCALAR_NODE; }
static const char *sval(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static yaml_node_t *map_get(Y *y, yaml_node_t *map, const char *key)
{
    if (!is_map(map))
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ynode(y, p->key);
        if (is_scalar(k) && strcmp(sval(k), key) == 0)
            return ynode(y, p->value);
    }
    return NULL;
}

/* Every key of a mapping must be one the loader knows: a typo in a layout
 * is an error, not a silently ignored setting. */
static void check_keys(Y *y, yaml_node_t *map, const char *what, const char *const *allowed)
{
    if (!is_map(map)) {
        yerr(y, map, "%s must be a mapping", what);
        return;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ynode(y, p->key);
        const char *ks = is_scalar(k) ? sval(k) : "";
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            ok |= strcmp(ks, allowed[i]) == 0;
        if (!ok) {
            char list[512] = "";
            for (size_t i = 0; allowed[i]; i++) {
                strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
                strncat(list, allowed[i], sizeof list - strlen(list) - 1);
            }
            yerr(y, k, "unknown key `%s` in %s; expected one of: %s", ks, what, list);
        }
    }
}

static char *get_str(Y *y, yaml_node_t *n, const char *what)
{
    if (!n)
        return NULL;
    if (!is_scalar(n)) {
        yerr(y, n, "%s must be a text", what);
        return NULL;
    }
    return xstrdup(sval(n));
}

static int get_num(Y *y, yaml_node_t *n, const char *what, double *out)
{
    if (!n)
        return 0;
    if (is_scalar(n)) {
        char *end;
        errno = 0;
        double v = strtod(sval(n), &end);
        if (*sval(n) && !*end && !errno && isfinite(v)) {
            *out = v;
            return 1;
        }
    }
    yerr(y, n, "%s must be a number", what);
    return 0;
}

/* A whole number from lo to hi; *out is left as it is otherwise. */
static int get_int(Y *y, yaml_node_t *n, const char *what, int lo, int hi, int *out)
{
    double v;
    if (!get_num(y, n, what, &v))
        return 0;
    if (v != floor(v) || v < lo || v > hi) {
        yerr(y, n, "%s is a whole number from %d to %d", what, lo, hi);
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* One of names[] (NULL-terminated): *out = values[i]. Else an error that
 * lists them; *out stays as it is. */
static int get_choice(Y *y, yaml_node_t *n, const char *what, const char *const *names, const int *values, int *out)
{
    if (!n)
        return 0;
    const char *s = is_scalar(n) ? sval(n) : "";
    for (size_t i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = values[i];
            return 1;
        }
    char list[256] = "";
    for (size_t i = 0; names[i]; i++) {
        strncat(list, i == 0 ? "" : names[i + 1] ? ", " : " or ", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    yerr(y, n, "%s must be %s", what, list);
    return 0;
}

static int get_bool(Y *y, yaml_node_t *n, const char *what, int *out)
{
    if (!n)
        return 0;
    if (is_scalar(n) && (strcmp(sval(n), "true") == 0 || strcmp(sval(n), "false") == 0)) {
        *out = strcmp(sval(n), "true") == 0;
        return 1;
    }
    yerr(y, n, "%s must be true or false", what);
    return 0;
}

/* A number, or a list of 4 numbers (top right bottom left), in out[4]. */
static void get_box(Y *y, yaml_node_t *n, const char *what, double out[4])
{
    if (!n)
        return;
    double v;
    if (is_scalar(n)) {
        if (get_num(y, n, what, &v))
            out[0] = out[1] = out[2] = out[3] = v;
        return;
    }
    if (is_seq(n) && n->data.sequence.items.top - n->data.sequence.items.start == 4) {
        for (int i = 0; i < 4; i++)
            get_num(y, ynode(y, n->data.sequence.items.start[i]), what, &out[i]);
        return;
    }
    yerr(y, n, "%s must be a number or a list [top, right, bottom, left]", what);
}

static char **get_str_list(Y *y, yaml_node_t *n, const char *what, size_t *count)
{
    *count = 0;
    if (!n)
        return NULL;
    if (!is_seq(n)) {
        yerr(y, n, "%s must be a list", what);
        return NULL;
    }
    size_t k = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    char **out = xcalloc(k, sizeof *out);
    for (size_t i = 0; i < k; i++) {
        yaml_node_t *it = ynode(y, n->data.sequence.items.start[i]);
        out[i] = is_scalar(it) ? xstrdup(sval(it)) : xstrdup("");
        if (!is_scalar(it))
            yerr(y, it, "%s must be a list of texts", what);
    }
    *count = k;
    return out;
}

static pcre2_code *compile(Y *y, yaml_node_t *n, const char *src)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        yerr(y, n, "bad pattern `%s` at offset %zu: %s", src, (size_t)off, (const char *)msg);
        return NULL;
    }
    Layout *l = y->l;
    GROW(l->patterns, l->pcap, l->npatterns + 1);
    LayoutPattern *lp = &l->patterns[l->npatterns++];
    lp->re = re;
    lp->src = src; /* owned by the spec the pattern belongs to */
    lp->pos = ypos(y, n);
    return re;
}

#define FOR_SEQ(y, seq, var)                                                                   \
    for (yaml_node_item_t *var##_it = (seq)->data.sequence.items.start;                       \
         var##_it < (seq)->data.sequence.items.top; var##_it++)                               \
        for (yaml_node_t *var = ynode((y), *var##_it); var; var = NULL)

static size_t seq_len(const yaml_node_t *n)
{
    return is_seq(n) ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start) : 0;
}

/* ---- sections ---------------------------------------------------------- */

int layout_is_fallback_key(const char *key)
{
    size_t n = strlen(LAYOUT_FALLBACK_KEY);
    return strncmp(key, LAYOUT_FALLBACK_KEY, n) == 0 && (!key[n] || key[n] == '.');
}

size_t layout_item_len(const char *key)
{
    size_t item = 0;
    for (const char *p = key; *p;) {
        const char *e = strchr(p, '.');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && p != key && strspn(p, "0123456789") == n)
            item = (size_t)(p - key) + n;
        p += n + (e != NULL);
    }
    return item;
}

/* `required`: true or false; for metadata also `item`, required in each
 * list item the document writes (an optional officer, written whole). */
static void get_required(Y *y, yaml_node_t *n, int meta, FieldSpec *fs)
{
    if (!(meta && is_scalar(n) && strcmp(sval(n), "item") == 0)) {
        get_bool(y, n, "required", &fs->required);
        return;
    }
    fs->item_required = 1;
    if (!layout_item_len(fs->key))
        yerr(y, n, "`required: item` is for a key inside a list item, such as officers.0.name; `%s` is in none",
             fs->key);
}

/* Fields of a section, or with meta the front-matter keys of `metadata`. */
static void load_fields(Y *y, yaml_node_t *n, int meta, FieldSpec **out, size_t *count)
{
    static const char *const keys[] = {"key", "required", "pattern", "hint", "evaluation", "year", NULL};
    *count = 0;
    if (!n)
        return;
    if (!is_seq(n)) {
        yerr(y, n, "fields must be a list");
        return;
    }
    *out = xcalloc(seq_len(n), sizeof **out);
    FOR_SEQ(y, n, f) {
        check_keys(y, f, "a field", keys);
        FieldSpec *fs = &(*out)[(*count)++];
        fs->pos = ypos(y, f);
        fs->key = get_str(y, map_get(y, f, "key"), "key");
        if (!fs->key) {
            yerr(y, f, "a field needs a key");
            fs->key = xstrdup("");
        }
        get_required(y, map_get(y, f, "required"), meta, fs);
        get_bool(y, map_get(y, f, "evaluation"), "evaluation", &fs->evaluation);
        get_bool(y, map_get(y, f, "year"), "year", &fs->year);
        fs->pattern_src = get_str(y, map_get(y, f, "pattern"), "pattern");
        if (fs->pattern_src)
            fs->pattern = compile(y, map_get(y, f, "pattern"), fs->pattern_src);
        fs->hint = get_str(y, map_get(y, f, "hint"), "hint");
    }
}

static void load_sections(Y *y, yaml_node_t *n, SectionSpec *parent, int depth)
{
    static const char *const keys[] = {"id", "name", "match", "min", "max", "number", "sequence",
                                       "body", "items", "fields", "sections", "evaluation", NULL};
    if (!n)
        return;
    if (!is_seq(n) || depth > 4) {
        yerr(y, n, depth > 4 ? "sections nest too deeply (at most 4 levels)" : "sections must be a list");
        return;
    }
    parent->children = xcalloc(seq_len(n), sizeof *parent->children);
    FOR_SEQ(y, n, s) {
        check_keys(y, s, "a section", keys);
        SectionSpec *ss = &parent->children[parent->nchildren++];
        ss->pos = ypos(y, s);
        ss->id = get_str(y, map_get(y, s, "id"), "id");
        ss->match_src = get_str(y, map_get(y, s, "match"), "match");
        if (!ss->id || !ss->match_src)
            yerr(y, s, "a section needs an id and a match pattern");
        if (!ss->id)
            ss->id = xstrdup("");
        if (!ss->match_src)
            ss->match_src = xstrdup("(?!)");
        ss->match = compile(y, map_get(y, s, "match"), ss->match_src);
        ss->name = get_str(y, map_get(y, s, "name"), "name");
        if (!ss->name)
            ss->name = xstrdup(ss->id);
        ss->min = 0;
        ss->max = 1;
        get_int(y, map_get(y, s, "min"), "min", 0, 1000, &ss->min);
        get_int(y, map_get(y, s, "max"), "max", 1, 1000, &ss->max);
        if (ss->min < 0 || ss->max < 1 || ss->min > ss->max)
            yerr(y, s, "section `%s`: need 0 <= min <= max and max >= 1", ss->id);
        ss->number = get_str(y, map_get(y, s, "number"), "number");
        ss->sequence = get_str_list(y, map_get(y, s, "sequence"), "sequence", &ss->nsequence);
        static const char *const bodies[] = {"none", "optional", "required", NULL};
        static const int body_values[] = {BODY_NONE, BODY_OPTIONAL, BODY_REQUIRED};
        int body = BODY_NONE;
        get_choice(y, map_get(y, s, "body"), "body", bodies, body_values, &body);
        ss->body = (BodyRule)body;
        get_bool(y, map_get(y, s, "items"), "items", &ss->items);
        get_bool(y, map_get(y, s, "evaluation"), "evaluation", &ss->evaluation);
        load_fields(y, map_get(y, s, "fields"), 0, &ss->fields, &ss->nfields);
        load_sections(y, map_get(y, s, "sections"), ss, depth + 1);
        for (size_t i = 0; i + 1 < parent->nchildren; i++)
            if (strcmp(parent->children[i].id, ss->id) == 0)
                yerr(y, s, "section id `%s` is used twice", ss->id);
    }
}

/* ---- cells, rows, pages ------------------------------------------------ */

static void apply_style(Y *y, CellSpec *c, yaml_node_t *m, int depth);

static const char *const CELL_KEYS[] = {"name", "x", "w", "rowspan", "colspan", "text", "font", "size",
                                        "min_size", "line_height", "align", "valign", "padding", "border",
                                        "border_width", "fill", "markers", "style", "role", "scope", "link", NULL};
enum { K_NAME, K_X, K_W, K_ROWSPAN, K_COLSPAN, K_TEXT, K_FONT, K_SIZE, K_MIN_SIZE, K_LINE_HEIGHT, K_ALIGN, K_VALIGN,
       K_PADDING, K_BORDER, K_BORDER_WIDTH, K_FILL, K_MARKERS, K_STYLE, K_ROLE, K_SCOPE, K_LINK, K_N };
_Static_assert(sizeof CELL_KEYS / sizeof CELL_KEYS[0] == K_N + 1, "one K_ index per key of CELL_KEYS, in its order");

/* The values of a cell's (or a style's) keys, in one pass over its mapping
 * (CELL_KEYS order; NULL when absent), every key checked on the way (a
 * layout of a few hundred cells read each style's keys one lookup at a
 * time). */
static void cell_values(Y *y, yaml_node_t *m, yaml_node_t **v)
{
    for (int i = 0; i < K_N; i++)
        v[i] = NULL;
    check_keys(y, m, "a cell", CELL_KEYS);
    if (!is_map(m))
        return;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ynode(y, p->key);
        for (int i = 0; is_scalar(k) && i < K_N; i++)
            if (strcmp(sval(k), CELL_KEYS[i]) == 0) {
                v[i] = ynode(y, p->value);
                break;
            }
    }
}

/* The roles a cell may take (standard PDF structure types, and artifact). */
static const char *const CELL_ROLES[] = {"H1", "H2", "H3", "H4", "H5", "H6", "P", "TH", "TD", "L", "artifact", NULL};

/* Where a cell's text stands, to point at a character of it: exactly
 * when the scalar is on one line and as long as its value (no escapes),
 * past its opening quote. */
static void text_place(Y *y, const yaml_node_t *n, CellSpec *c)
{
    c->text_pos = ypos(y, n);
    c->text_exact = 0;
    if (!is_scalar(n) || n->start_mark.line != n->end_mark.line)
        return;
    int quoted = n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                 n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    size_t chars = utf8_count(sval(n), strlen(sval(n)));
    if (n->end_mark.column - n->start_mark.column == chars + (quoted ? 2 : 0)) {
        c->text_pos.col += quoted;
        c->text_exact = 1;
    }
}

static void apply_style(Y *y, CellSpec *c, yaml_node_t *m, int depth)
{
    if (!m)
        return;
    yaml_node_t *v[K_N];
    cell_values(y, m, v);
    yaml_node_t *n;
    if ((n = v[K_STYLE])) {
        char *name = get_str(y, n, "style");
        yaml_node_t *st = name ? map_get(y, y->styles, name) : NULL;
        if (name && !st)
            yerr(y, n, "unknown style `%s`", name);
        else if (st && depth < 4)
            apply_style(y, c, st, depth + 1);
        free(name);
    }
    double gray;
    if ((n = v[K_NAME])) {
        free(c->name);
        c->name = get_str(y, n, "name");
    }
    get_num(y, v[K_X], "x", &c->x);
    get_num(y, v[K_W], "w", &c->w);
    get_int(y, v[K_ROWSPAN], "rowspan", 1, 100, &c->rowspan);
    get_int(y, v[K_COLSPAN], "colspan", 1, 100, &c->colspan);
    static const int role_index[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    int role;
    if (get_choice(y, v[K_ROLE], "role", CELL_ROLES, role_index, &role))
        c->role = CELL_ROLES[role];
    static const char *const scopes[] = {"column", "row", "both", NULL};
    static const int scope_values[] = {CELL_SCOPE_COLUMN, CELL_SCOPE_ROW, CELL_SCOPE_BOTH};
    get_choice(y, v[K_SCOPE], "scope", scopes, scope_values, &c->scope);
    if ((n = v[K_TEXT])) {
        free(c->text);
        c->text = get_str(y, n, "text");
        text_place(y, n, c);
    }
    if ((n = v[K_LINK])) {
        free(c->link);
        c->link = get_str(y, n, "link");
    }
    if ((n = v[K_FONT])) {
        free(c->font);
        c->font = get_str(y, n, "font");
    }
    get_num(y, v[K_SIZE], "size", &c->size);
    get_num(y, v[K_MIN_SIZE], "min_size", &c->min_size);
    get_num(y, v[K_LINE_HEIGHT], "line_height", &c->line_height);
    static const char *const aligns[] = {"left", "center", "right", NULL};
    static const int align_values[] = {ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT};
    get_choice(y, v[K_ALIGN], "align", aligns, align_values, &c->align);
    static const char *const valigns[] = {"top", "middle", "bottom", NULL};
    static const int valign_values[] = {VALIGN_TOP, VALIGN_MIDDLE, VALIGN_BOTTOM};
    get_choice(y, v[K_VALIGN], "valign", valigns, valign_values, &c->valign);
    get_box(y, v[K_PADDING], "padding", c->pad);
    if ((n = v[K_BORDER])) {
        static const char *const sides[] = {"top", "right", "bottom", "left"};
        if (is_scalar(n) && strcmp(sval(n), "none") == 0) {
            c->borders = 0;
        } else if (is_scalar(n) && strcmp(sval(n), "all") == 0) {
            c->borders = BORDER_TOP | BORDER_RIGHT | BORDER_BOTTOM | BORDER_LEFT;
        } else if (is_seq(n)) {
            c->borders = 0;
            FOR_SEQ(y, n, s) {
                int ok = 0;
                for (int i = 0; i < 4; i++)
                    if (is_scalar(s) && strcmp(sval(s), sides[i]) == 0)
                        c->borders |= 1u << i, ok = 1;
                if (!ok)
                    yerr(y, s, "a border side is top, right, bottom or left");
            }
        } else {
            yerr(y, n, "border must be all, none or a list of sides");
        }
    }
    get_num(y, v[K_BORDER_WIDTH], "border_width", &c->border_width);
    if ((n = v[K_FILL])) {
        if (is_scalar(n) && strcmp(sval(n), "none") == 0)
            c->fill = -1;
        else if (!get_num(y, n, "fill", &gray))
            ; /* reported */
        else if (gray < 0 || gray > 1)
            yerr(y, n, "fill is a gray level from 0 (black) to 1 (white), or none");
        else
            c->fill = gray;
    }
    if ((n = v[K_MARKERS])) {
        for (size_t i = 0; i < c->nmarkers; i++)
            free(c->markers[i]);
        free(c->markers);
        c->markers = get_str_list(y, n, "markers", &c->nmarkers);
    }
}

static void load_cell(Y *y, yaml_node_t *m, CellSpec *c)
{
    memset(c, 0, sizeof *c);
    c->pos = ypos(y, m);
    c->rowspan = 1;
    c->colspan = 1;
    c->size = 10.5;
    c->line_height = 1.3;
    c->borders = BORDER_TOP | BORDER_RIGHT | BORDER_BOTTOM | BORDER_LEFT;
    c->border_width = 0.5;
    c->fill = -1;
    apply_style(y, c, y->defaults, 0);
    apply_style(y, c, m, 0);
    if (!c->text) {
        c->text = xstrdup("");
        c->text_pos = c->pos;
        c->text_exact = 0;
    }
    if (!c->font) { /* font roles are the manifest's words: no default here */
        yerr(y, m, "a cell needs a font role (`font:` here or under `defaults:`)");
        c->font = xstrdup("");
    }
    if (c->min_size <= 0 || c->min_size > c->size)
        c->min_size = c->size;
    if (c->w <= 0 || c->size <= 0 || c->line_height <= 0 || c->rowspan < 1)
        yerr(y, m, "a cell needs w > 0, size > 0, line_height > 0 and rowspan >= 1");
}

static void load_row(Y *y, yaml_node_t *m, RowSpec *r)
{
    static const char *const keys[] = {"height", "grow", "max_height", "min_height", "cells", "table", "toc", NULL};
    check_keys(y, m, "a row", keys);
    r->pos = ypos(y, m);
    yaml_node_t *t = map_get(y, m, "table"), *toc = map_get(y, m, "toc");
    if (t && toc)
        yerr(y, m, "a row is part of a table or of a table of contents, not both");
    else if (t || toc) {
        r->kind = t ? ROW_TABLE : ROW_TOC;
        r->group = get_str(y, t ? t : toc, t ? "table" : "toc");
    }
    yaml_node_t *h = map_get(y, m, "height");
    if (is_scalar(h) && strcmp(sval(h), "rest") == 0)
        r->height = -1;
    else if (!get_num(y, h, "height", &r->height) || r->height <= 0)
        yerr(y, h ? h : m, "a row needs a height in mm (or rest)");
    yaml_node_t *g = map_get(y, m, "grow"), *mx = map_get(y, m, "max_height"), *mn = map_get(y, m, "min_height");
    get_bool(y, g, "grow", &r->grow);
    int has_max = get_num(y, mx, "max_height", &r->max_height), has_min = get_num(y, mn, "min_height", &r->min_height);
    if (has_max && !r->grow)
        yerr(y, mx, "max_height is the limit of a row that may grow: add `grow: true`");
    if (r->grow && r->height < 0)
        yerr(y, g, "a `rest` row already takes what is left of the page: it cannot also grow");
    if (has_min && r->grow)
        yerr(y, mn, "a row either grows (grow) or gives up its height (min_height), not both");
    /* 0 would mean "not given": a value written must be a height (ranges
     * are checked with the others, layout_ranges.c). */
    if (has_min && r->min_height <= 0)
        yerr(y, mn, "min_height is a height in mm, at least 1 (leave it out for a row that gives up nothing)");
    if (has_max && r->max_height <= 0)
        yerr(y, mx, "max_height is a height in mm (leave it out to grow as far as the page allows)");
    yaml_node_t *cells = map_get(y, m, "cells");
    if (!is_seq(cells)) {
        yerr(y, m, "a row needs a list of cells");
        return;
    }
    r->cells = xcalloc(seq_len(cells), sizeof *r->cells);
    FOR_SEQ(y, cells, c)
        load_cell(y, c, &r->cells[r->ncells++]);
}

/* A row that gives up height keeps what its own cells need; a cell
 * spanning rows is measured by none of them, so no such row may lie under
 * one (its text would silently shrink). */
static void check_spans(Y *y, const GroupSpec *g)
{
    for (size_t r = 0; r < g->nrows; r++)
        for (size_t c = 0; c < g->rows[r].ncells; c++)
            for (size_t k = r; k < g->nrows && k < r + (size_t)g->rows[r].cells[c].rowspan; k++)
                if (g->rows[r].cells[c].rowspan > 1 && g->rows[k].min_height > 0) {
                    diag_error(y->d, y->path, g->rows[k].pos.line, g->rows[k].pos.col,
                               "a row under a cell that spans rows (rowspan, line %d) cannot give up its height (min_height)",
                               g->rows[r].cells[c].pos.line);
                    y->failed = 1;
                }
}

static void load_rows(Y *y, yaml_node_t *seq, GroupSpec *g)
{
    if (!is_seq(seq)) {
        yerr(y, seq, "rows must be a list");
        return;
    }
    g->rows = xcalloc(seq_len(seq), sizeof *g->rows);
    FOR_SEQ(y, seq, r)
        load_row(y, r, &g->rows[g->nrows++]);
}

static void load_page(Y *y, yaml_node_t *m, PageSpec *p)
{
    static const char *const keys[] = {"name", "repeat", "per_page", "bookmark", "rows", NULL};
    static const char *const gkeys[] = {"repeat", "gap", "min", "rows", NULL};
    check_keys(y, m, "a page", keys);
    p->pos = ypos(y, m);
    p->name = get_str(y, map_get(y, m, "name"), "name");
    if (!p->name)
        p->name = xstrdup("page");
    p->repeat = get_str(y, map_get(y, m, "repeat"), "repeat");
    p->bookmark = get_str(y, map_get(y, m, "bookmark"), "bookmark");
    p->per_page = 1;
    get_int(y, map_get(y, m, "per_page"), "per_page", 1, 20, &p->per_page);
    yaml_node_t *rows = map_get(y, m, "rows");
    if (!is_seq(rows)) {
        yerr(y, m, "a page needs a list of rows");
        return;
    }
    /* Plain rows in a run form one group; a {repeat, rows} entry its own. */
    p->groups = xcalloc(seq_len(rows), sizeof *p->groups);
    GroupSpec *plain = NULL;
    FOR_SEQ(y, rows, r) {
        if (map_get(y, r, "repeat") || (is_map(r) && !map_get(y, r, "cells"))) {
            check_keys(y, r, "a group of rows", gkeys);
            GroupSpec *g = &p->groups[p->ngroups++];
            g->pos = ypos(y, r);
            g->repeat = get_str(y, map_get(y, r, "repeat"), "repeat");
            get_num(y, map_get(y, r, "gap"), "gap", &g->gap);
            get_int(y, map_get(y, r, "min"), "min", 0, 50, &g->min_repeat);
            load_rows(y, map_get(y, r, "rows"), g);
            plain = NULL;
        } else {
            if (!plain) {
                plain = &p->groups[p->ngroups++];
                plain->pos = ypos(y, r);
                plain->rows = xcalloc(seq_len(rows), sizeof *plain->rows);
            }
            load_row(y, r, &plain->rows[plain->nrows++]);
        }
    }
    for (size_t g = 0; g < p->ngroups; g++)
        check_spans(y, &p->groups[g]);
}

static void load_page_setup(Y *y, yaml_node_t *n, Layout *l)
{
    static const char *const keys[] = {"size", "orientation", "margin", NULL};
    l->page_w = 210, l->page_h = 297;
    for (int i = 0; i < 4; i++)
        l->margin[i] = 10;
    if (!n)
        return;
    check_keys(y, n, "page", keys);
    yaml_node_t *s = map_get(y, n, "size");
    if (is_scalar(s)) {
        if (strcmp(sval(s), "A4") == 0) l->page_w = 210, l->page_h = 297;
        else if (strcmp(sval(s), "A3") == 0) l->page_w = 297, l->page_h = 420;
        else if (strcmp(sval(s), "B4") == 0) l->page_w = 257, l->page_h = 364;
        else yerr(y, s, "page size is A4, A3, B4 or [width, height] in mm");
    } else if (is_seq(s) && seq_len(s) == 2) {
        get_num(y, ynode(y, s->data.sequence.items.start[0]), "width", &l->page_w);
        get_num(y, ynode(y, s->data.sequence.items.start[1]), "height", &l->page_h);
    } else if (s) {
        yerr(y, s, "page size is A4, A3, B4 or [width, height] in mm");
    }
    yaml_node_t *o = map_get(y, n, "orientation");
    if (o) {
        if (is_scalar(o) && strcmp(sval(o), "landscape") == 0) {
            double t = l->page_w;
            l->page_w = l->page_h;
            l->page_h = t;
        } else if (!is_scalar(o) || strcmp(sval(o), "portrait") != 0) {
            yerr(y, o, "orientation is portrait or landscape");
        }
    }
    get_box(y, map_get(y, n, "margin"), "margin", l->margin);
    if (map_get(y, n, "margin"))
        l->margin_pos = ypos(y, map_get(y, n, "margin"));
    if (s)
        l->page_pos = ypos(y, s);
}

Layout *layout_load(const char *path, Diag *d)
{
    static const char *const keys[] = {"name", "description", "valid_from", "page", "page_number", "draft", "kinsoku", "document", "metadata",
                                       "fallback_chars", "quotes",
                                       "styles", "defaults", "sections", "pages", NULL};
    static const char *const dockeys[] = {"title", "author", "subject", "keywords", NULL};
    Source src;
    if (source_read(&src, path, d) != 0) {
        source_free(&src);
        return NULL;
    }
    Layout *l = xcalloc(1, sizeof *l);
    l->path = xstrdup(path);
    /* Positions point at l->path, which lives as long as the layout. */
    Y y = {.l = l, .path = l->path, .d = d};
    l->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(l->mctx, LAYOUT_MATCH_LIMIT);
    pcre2_set_depth_limit(l->mctx, LAYOUT_DEPTH_LIMIT);
    pcre2_set_heap_limit(l->mctx, LAYOUT_HEAP_LIMIT_KIB);
    int ok = yaml_read(&y.doc, &src, 0, src.len, 1, &YAML_LAYOUT, d) == 0;
    source_free(&src);
    if (!ok) {
        layout_free(l);
        return NULL;
    }
    yaml_node_t *root = yaml_root(&y.doc);
    if (!is_map(root)) {
        yerr(&y, root, "a layout is a mapping (name, page, sections, pages, ...)");
        goto done;
    }
    check_keys(&y, root, "the layout", keys);
    l->name = get_str(&y, map_get(&y, root, "name"), "name");
    if (!l->name)
        yerr(&y, root, "a layout needs a name");
    get_int(&y, map_get(&y, root, "valid_from"), "valid_from", 1900, 9999, &l->valid_from);
    y.styles = map_get(&y, root, "styles");
    y.defaults = map_get(&y, root, "defaults");
    if (y.styles && !is_map(y.styles))
        yerr(&y, y.styles, "styles must be a mapping of name: {cell settings}");
    load_page_setup(&y, map_get(&y, root, "page"), l);
    static const char *const kinsoku[] = {"strict", "normal", NULL};
    static const int kinsoku_values[] = {KINSOKU_STRICT, KINSOKU_NORMAL};
    int level = KINSOKU_STRICT;
    get_choice(&y, map_get(&y, root, "kinsoku"), "kinsoku", kinsoku, kinsoku_values, &level);
    l->kinsoku = (KinsokuLevel)level;
    l->fallback_chars = get_str(&y, map_get(&y, root, "fallback_chars"), "fallback_chars");
    l->quotes = get_str(&y, map_get(&y, root, "quotes"), "quotes");
    if (l->quotes) { /* 「」 or 「」『』: opening and closing marks, printable ones */
        size_t n;
        uint32_t *q = utf8_to_u32(l->quotes, &n);
        int ok = n == 2 || n == 4;
        for (size_t i = 0; i < n && ok; i++)
            ok = q[i] > 0x7F && !cp_invisible(q[i]);
        free(q);
        if (!ok)
            yerr(&y, map_get(&y, root, "quotes"), "quotes are the form's quotation marks, an opening and a closing one, "
                                                   "then perhaps the inner pair: 「」 or 「」『』");
    }
    yaml_node_t *doc = map_get(&y, root, "document");
    if (doc) {
        check_keys(&y, doc, "document", dockeys);
        l->title = get_str(&y, map_get(&y, doc, "title"), "title");
        l->author = get_str(&y, map_get(&y, doc, "author"), "author");
        l->subject = get_str(&y, map_get(&y, doc, "subject"), "subject");
        l->keywords = get_str(&y, map_get(&y, doc, "keywords"), "keywords");
    }
    load_fields(&y, map_get(&y, root, "metadata"), 1, &l->meta, &l->nmeta);
    for (size_t i = 0; i < l->nmeta && !l->year_key; i++)
        if (l->meta[i].year)
            l->year_key = l->meta[i].key;
    yaml_node_t *pn = map_get(&y, root, "page_number");
    if (pn) {
        /* A cell like any other, placed on every page `bottom` mm above the
         * bottom edge: {bottom: 8, cell: {text: '- {page} -', ...}}. */
        static const char *const pkeys[] = {"bottom", "cell", NULL};
        check_keys(&y, pn, "page_number", pkeys);
        l->page_number = xcalloc(1, sizeof *l->page_number);
        l->page_number_bottom = 8;
        get_num(&y, map_get(&y, pn, "bottom"), "bottom", &l->page_number_bottom);
        load_cell(&y, map_get(&y, pn, "cell"), l->page_number);
    }
    yaml_node_t *dr = map_get(&y, root, "draft");
    if (dr) {
        /* {key: status, value: draft, top: 4, mark: {text: 案, ...}}: the
         * mark is a cell like any other, `top` mm below the top edge. */
        static const char *const dkeys[] = {"key", "value", "top", "mark", NULL};
        check_keys(&y, dr, "draft", dkeys);
        l->draft_key = get_str(&y, map_get(&y, dr, "key"), "key");
        l->draft_value = get_str(&y, map_get(&y, dr, "value"), "value");
        if (!l->draft_key || !l->draft_value || !map_get(&y, dr, "mark"))
            yerr(&y, dr, "draft needs key, value and mark");
        l->draft_mark_top = 4;
        get_num(&y, map_get(&y, dr, "top"), "top", &l->draft_mark_top);
        if (map_get(&y, dr, "mark")) {
            l->draft_mark = xcalloc(1, sizeof *l->draft_mark);
            load_cell(&y, map_get(&y, dr, "mark"), l->draft_mark);
        }
    }
    l->root.id = xstrdup("");
    l->root.name = xstrdup("");
    l->root.max = 1;
    load_sections(&y, map_get(&y, root, "sections"), &l->root, 0);
    yaml_node_t *pages = map_get(&y, root, "pages");
    if (!is_seq(pages) || seq_len(pages) == 0) {
        yerr(&y, root, "a layout needs a list of pages");
    } else {
        l->pages = xcalloc(seq_len(pages), sizeof *l->pages);
        FOR_SEQ(&y, pages, p)
            load_page(&y, p, &l->pages[l->npages++]);
    }
done:
    if (!y.failed) {
        LayoutPos top = ypos(&y, root);
        if (layout_check_ranges(l, &top, d) != 0)
            y.failed = 1;
    }
    yaml_doc_free(&y.doc);
    if (y.failed) {
        layout_free(l);
        return NULL;
    }
    return l;
}

static void free_fields(FieldSpec *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].key);
        free(f[i].pattern_src);
        pcre2_code_free(f[i].pattern);
        free(f[i].hint);
    }
    free(f);
}

static void free_section(SectionSpec *s)
{
    free(s->id);
    free(s->name);
    free(s->match_src);
    pcre2_code_free(s->match);
    free(s->number);
    strs_free(s->sequence, s->nsequence);
    free_fields(s->fields, s->nfields);
    for (size_t i = 0; i < s->nchildren; i++)
        free_section(&s->children[i]);
    free(s->children);
}

/* What a cell owns (not the cell itself). */
static void cell_free(CellSpec *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->text);
    free(c->font);
    free(c->link);
    strs_free(c->markers, c->nmarkers);
}

void layout_free(Layout *l)
{
    if (!l)
        return;
    free(l->name);
    free(l->path);
    free(l->title);
    free(l->author);
    free(l->subject);
    free(l->keywords);
    free(l->fallback_chars);
    free(l->quotes);
    free_fields(l->meta, l->nmeta);
    free(l->draft_key);
    free(l->draft_value);
    cell_free(l->draft_mark);
    free(l->draft_mark);
    cell_free(l->page_number);
    free(l->page_number);
    free_section(&l->root);
    for (size_t p = 0; p < l->npages; p++) {
        PageSpec *ps = &l->pages[p];
        for (size_t g = 0; g < ps->ngroups; g++) {
            GroupSpec *gs = &ps->groups[g];
            for (size_t r = 0; r < gs->nrows; r++) {
                for (size_t c = 0; c < gs->rows[r].ncells; c++)
                    cell_free(&gs->rows[r].cells[c]);
                free(gs->rows[r].cells);
                free(gs->rows[r].group);
            }
            free(gs->rows);
            free(gs->repeat);
        }
        free(ps->groups);
        free(ps->name);
        free(ps->repeat);
        free(ps->bookmark);
    }
    free(l->pages);
    free(l->patterns);
    pcre2_match_context_free(l->mctx);
    free(l);
}

int layout_match(const Layout *l, const pcre2_code *re, const char *subject, pcre2_match_data *md, Diag *d)
{
    pcre2_match_data *own = md ? NULL : pcre2_match_data_create(1, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md ? md : own, l->mctx);
    pcre2_match_data_free(own);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL)
        return 0;
    const LayoutPattern *lp = NULL;
    for (size_t i = 0; i < l->npatterns && !lp; i++)
        if (l->patterns[i].re == re)
            lp = &l->patterns[i];
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    diag_error(d, lp ? lp->pos.file : l->path, lp ? lp->pos.line : 0, lp ? lp->pos.col : 0,
               "pattern `%s` gave up on `%.*s`: %s; simplify the pattern (nested repeats backtrack without end)",
               lp ? lp->src : "?", utf8_prefix(subject, 60), subject, (const char *)msg);
    return -1;
}

int layout_is_draft(const Layout *l, const char *value)
{
    return l->draft_key && l->draft_value && value && strcmp(value, l->draft_value) == 0;
}

const SectionSpec *layout_child(const SectionSpec *parent, const char *id)
{
    for (size_t i = 0; i < parent->nchildren; i++)
        if (strcmp(parent->children[i].id, id) == 0)
            return &parent->children[i];
    return NULL;
}
