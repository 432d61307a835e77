#include "yamlread.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Front matter is a few dozen keys; a layout a few thousand nodes (the
 * FY2024 form has about 1,500); the manifest a dozen. Depth: the layouts
 * nest about 12 deep, front matter 3. */
const YamlLimits YAML_FRONT_MATTER = {"前付け", 1, 8, 2000, 4096};
const YamlLimits YAML_LAYOUT = {"layout", 0, 32, 50000, 65536};
const YamlLimits YAML_FONT_MANIFEST = {"font manifest", 0, 8, 1000, 4096};

static Pos mark_pos(int first_line, yaml_mark_t m)
{
    Pos p = {(int)m.line + first_line, (int)m.column + 1};
    return p;
}

Pos yaml_node_pos(const YamlDoc *y, const yaml_node_t *n)
{
    if (!n) {
        Pos p = {0, 0};
        return p;
    }
    return mark_pos(y->first_line, n->start_mark);
}

yaml_node_t *yaml_root(YamlDoc *y)
{
    return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *yaml_node(YamlDoc *y, int id)
{
    return y->loaded ? yaml_document_get_node(&y->doc, id) : NULL;
}

/* One open collection and, for a mapping, the key waiting for its value. */
typedef struct {
    int id;
    int key; /* 0: next scalar or collection is a key */
} Open;

typedef struct {
    YamlDoc *y;
    const Source *src;
    const YamlLimits *lim;
    Diag *d;
    Open *stack;
    size_t depth, cap;
    size_t nodes;
    int failed;      /* stop parsing */
    int duplicates;  /* reported, parsing went on */
} Builder;

static void fail(Builder *b, yaml_mark_t m, const char *ja, const char *en, const char *arg)
{
    Pos p = mark_pos(b->y->first_line, m);
    if (b->lim->japanese)
        diag_error(b->d, b->src->path, p.line, p.col, ja, b->lim->what, arg);
    else
        diag_error(b->d, b->src->path, p.line, p.col, en, b->lim->what, arg);
    b->failed = 1;
}

/* Anchors, aliases and tags have no meaning in these files. */
static int plain(Builder *b, const yaml_event_t *e, const yaml_char_t *anchor, const yaml_char_t *tag)
{
    if (anchor) {
        fail(b, e->start_mark, "%sでアンカー (&%s) は使えません。値をそのまま書いてください",
             "%s: anchors (&%s) are not supported; write the value out", (const char *)anchor);
        return 0;
    }
    if (tag) {
        fail(b, e->start_mark, "%sでタグ (%s) は使えません。値だけを書いてください", "%s: tags (%s) are not supported",
             (const char *)tag);
        return 0;
    }
    return 1;
}

static int count_node(Builder *b, const yaml_event_t *e)
{
    if (++b->nodes <= b->lim->max_nodes)
        return 1;
    char n[32];
    snprintf(n, sizeof n, "%zu", b->lim->max_nodes);
    fail(b, e->start_mark, "%sの項目が多すぎます（%s 個まで）", "%s has too many nodes (at most %s)", n);
    return 0;
}

/* Attach a new node to the open collection on top of the stack. */
static void attach(Builder *b, int id)
{
    if (b->depth == 0)
        return; /* the root */
    Open *top = &b->stack[b->depth - 1];
    yaml_node_t *parent = yaml_document_get_node(&b->y->doc, top->id);
    if (parent->type == YAML_SEQUENCE_NODE) {
        yaml_document_append_sequence_item(&b->y->doc, top->id, id);
    } else if (!top->key) {
        top->key = id;
    } else {
        yaml_document_append_mapping_pair(&b->y->doc, top->id, top->key, id);
        top->key = 0;
    }
}

static int is_key_position(const Builder *b)
{
    if (b->depth == 0)
        return 0;
    const Open *top = &b->stack[b->depth - 1];
    const yaml_node_t *parent = yaml_document_get_node(&b->y->doc, top->id);
    return parent->type == YAML_MAPPING_NODE && !top->key;
}

static int cmp_key(const void *a, const void *b)
{
    const yaml_node_t *x = *(yaml_node_t *const *)a, *y = *(yaml_node_t *const *)b;
    int c = strcmp((const char *)x->data.scalar.value, (const char *)y->data.scalar.value);
    if (c)
        return c;
    return x->start_mark.index < y->start_mark.index ? -1 : x->start_mark.index > y->start_mark.index;
}

/* Keys are unique within a mapping: sorted, so a big mapping costs n log n. */
static void check_duplicates(Builder *b, int id)
{
    yaml_node_t *map = yaml_document_get_node(&b->y->doc, id);
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    if (n < 2)
        return;
    if (n <= 16) { /* a cell's few keys: pairwise, no allocation */
        int stop = b->failed;
        for (size_t i = 1; i < n; i++) {
            yaml_node_t *ki = yaml_document_get_node(&b->y->doc, map->data.mapping.pairs.start[i].key);
            for (size_t j = 0; j < i; j++) {
                yaml_node_t *kj = yaml_document_get_node(&b->y->doc, map->data.mapping.pairs.start[j].key);
                if (strcmp((const char *)ki->data.scalar.value, (const char *)kj->data.scalar.value) == 0) {
                    fail(b, ki->start_mark, "%sのキー `%s` が 2 回書かれています", "%s: key `%s` is given twice",
                         (const char *)ki->data.scalar.value);
                    b->duplicates++;
                    break;
                }
            }
        }
        b->failed = stop;
        return;
    }
    yaml_node_t **keys = xmalloc(n * sizeof *keys);
    for (size_t i = 0; i < n; i++)
        keys[i] = yaml_document_get_node(&b->y->doc, map->data.mapping.pairs.start[i].key);
    qsort(keys, n, sizeof *keys, cmp_key);
    /* Reported, but the parse goes on: the rest may hold other mistakes. */
    int stop = b->failed;
    for (size_t i = 1; i < n; i++)
        if (strcmp((const char *)keys[i]->data.scalar.value, (const char *)keys[i - 1]->data.scalar.value) == 0) {
            fail(b, keys[i]->start_mark, "%sのキー `%s` が 2 回書かれています", "%s: key `%s` is given twice",
                 (const char *)keys[i]->data.scalar.value);
            b->duplicates++;
        }
    b->failed = stop;
    free(keys);
}

static void on_event(Builder *b, yaml_event_t *e)
{
    yaml_document_t *doc = &b->y->doc;
    int id;
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (e->data.document_start.version_directive || e->data.document_start.tag_directives.start)
            fail(b, e->start_mark, "%sで %%YAML や %%TAG の指定は使えません%s", "%s: %%YAML and %%TAG directives are not supported%s",
                 "");
        break;
    case YAML_ALIAS_EVENT:
        fail(b, e->start_mark, "%sでエイリアス (*%s) は使えません。値をそのまま書いてください",
             "%s: aliases (*%s) are not supported; write the value out", (const char *)e->data.alias.anchor);
        break;
    case YAML_SCALAR_EVENT:
        if (!plain(b, e, e->data.scalar.anchor, e->data.scalar.plain_implicit || e->data.scalar.quoted_implicit
                                                   ? NULL
                                                   : e->data.scalar.tag) ||
            !count_node(b, e))
            break;
        uint32_t cp;
        const char *why = source_refused_in((const char *)e->data.scalar.value, e->data.scalar.length, &cp);
        if (why) { /* "\uFFFF" or "\0" in quotes: refused like the raw character */
            char code[16];
            snprintf(code, sizeof code, "U+%04X", (unsigned)cp);
            fail(b, e->start_mark, "%sの値に使えない文字 %s があります（エスケープで書いたものも使えません）",
                 "%s: a value holds %s, a character no input may hold (escaped ones included)", code);
            break;
        }
        if (e->data.scalar.length > b->lim->max_scalar) {
            char n[32];
            snprintf(n, sizeof n, "%zu", b->lim->max_scalar);
            fail(b, e->start_mark, "%sの値が長すぎます（%s バイトまで）", "%s: a value is too long (at most %s bytes)", n);
            break;
        }
        id = yaml_document_add_scalar(doc, NULL, e->data.scalar.value, (int)e->data.scalar.length,
                                      e->data.scalar.style);
        if (!id) {
            fail(b, e->start_mark, "%sを読めません%s", "%s cannot be read%s", "");
            break;
        }
        yaml_document_get_node(doc, id)->start_mark = e->start_mark;
        yaml_document_get_node(doc, id)->end_mark = e->end_mark;
        attach(b, id);
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int seq = e->type == YAML_SEQUENCE_START_EVENT;
        const yaml_char_t *anchor = seq ? e->data.sequence_start.anchor : e->data.mapping_start.anchor;
        const yaml_char_t *tag = seq ? (e->data.sequence_start.implicit ? NULL : e->data.sequence_start.tag)
                                     : (e->data.mapping_start.implicit ? NULL : e->data.mapping_start.tag);
        if (!plain(b, e, anchor, tag) || !count_node(b, e))
            break;
        if (is_key_position(b)) {
            fail(b, e->start_mark, "%sのキーはふつうの語で書いてください%s", "%s: keys must be plain text%s", "");
            break;
        }
        if (b->depth >= (size_t)b->lim->max_depth) {
            char n[32];
            snprintf(n, sizeof n, "%d", b->lim->max_depth);
            fail(b, e->start_mark, "%sの入れ子が深すぎます（%s 段まで）", "%s nests too deeply (at most %s levels)", n);
            break;
        }
        id = seq ? yaml_document_add_sequence(doc, NULL, e->data.sequence_start.style)
                 : yaml_document_add_mapping(doc, NULL, e->data.mapping_start.style);
        if (!id) {
            fail(b, e->start_mark, "%sを読めません%s", "%s cannot be read%s", "");
            break;
        }
        yaml_document_get_node(doc, id)->start_mark = e->start_mark;
        attach(b, id);
        GROW(b->stack, b->cap, b->depth + 1);
        b->stack[b->depth].id = id;
        b->stack[b->depth].key = 0;
        b->depth++;
        break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth == 0)
            break;
        id = b->stack[--b->depth].id;
        yaml_document_get_node(doc, id)->end_mark = e->end_mark;
        if (e->type == YAML_MAPPING_END_EVENT)
            check_duplicates(b, id);
        break;
    default:
        break;
    }
}

int yaml_read(YamlDoc *y, const Source *src, size_t start, size_t end, int first_line, const YamlLimits *lim,
              Diag *d)
{
    memset(y, 0, sizeof *y);
    y->first_line = first_line;
    if (!yaml_document_initialize(&y->doc, NULL, NULL, NULL, 1, 1)) {
        diag_error(d, src->path, 0, 0, lim->japanese ? "%sを読めません" : "%s cannot be read", lim->what);
        return -1;
    }
    y->loaded = 1;
    Builder b = {.y = y, .src = src, .lim = lim, .d = d};
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->text + start, end - start);
    int documents = 0;
    /* Stop at the first problem: the budgets exist so that nothing past it
     * is parsed (a deeper level, another million nodes). */
    while (!b.failed) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            Pos p = mark_pos(first_line, parser.problem_mark);
            Pos c = mark_pos(first_line, parser.context_mark);
            const char *problem = parser.problem ? parser.problem : "syntax error";
            if (lim->japanese && parser.context)
                diag_error(d, src->path, p.line, p.col, "%sが YAML として正しくありません: %s %s（%d 行 %d 列で始まったもの）",
                           lim->what, problem, parser.context, c.line, c.col);
            else if (lim->japanese)
                diag_error(d, src->path, p.line, p.col, "%sが YAML として正しくありません: %s", lim->what, problem);
            else if (parser.context)
                diag_error(d, src->path, p.line, p.col, "%s is not valid YAML: %s %s (started at %d:%d)", lim->what,
                           problem, parser.context, c.line, c.col);
            else
                diag_error(d, src->path, p.line, p.col, "%s is not valid YAML: %s", lim->what, problem);
            b.failed = 1;
            break;
        }
        int done = e.type == YAML_STREAM_END_EVENT;
        if (e.type == YAML_DOCUMENT_START_EVENT && ++documents > 1)
            fail(&b, e.start_mark, "%sに YAML の文書が 2 つあります%s", "%s holds more than one YAML document%s", "");
        else
            on_event(&b, &e);
        yaml_event_delete(&e);
        if (done)
            break;
    }
    yaml_parser_delete(&parser);
    free(b.stack);
    if (b.failed || b.duplicates) {
        yaml_doc_free(y);
        return -1;
    }
    return 0;
}

void yaml_doc_free(YamlDoc *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = 0;
}
