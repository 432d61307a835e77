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

/* A key given a second time (reported; the parse goes on). */
static void report_repeat(Builder *b, const yaml_node_t *key)
{
    fail(b, key->start_mark, "%sのキー `%s` が 2 回書かれています", "%s: key `%s` is given twice",
         (const char *)key->data.scalar.value);
    b->duplicates++;
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
                    report_repeat(b, ki);
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
        if (strcmp((const char *)keys[i]->data.scalar.value, (const char *)keys[i - 1]->data.scalar.value) == 0)
            report_repeat(b, keys[i]);
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

/* ---- syntax errors in the writers' words --------------------------------- */

/* The slips writers make most on a line of front matter. */
typedef enum { SLIP_NONE, SLIP_TAB, SLIP_WIDE_COLON, SLIP_NO_SPACE, SLIP_NO_COLON, SLIP_INDENT } SlipKind;

typedef struct {
    SlipKind kind;
    int line;         /* file line */
    size_t at;        /* byte offset in the line */
    const char *key;  /* the line's key, as the message quotes it */
    size_t klen;
    const char *rest; /* and what follows (its value), rlen bytes */
    size_t rlen;
} Slip;

/* The first of a tab, a full-width colon, no space after the colon, no
 * colon on line l[0..n); SLIP_NONE if none. */
static SlipKind line_slip(const char *l, size_t n, Slip *s)
{
    size_t i = strspn(l, " ");
    int item = i < n && l[i] == '-' && (i + 1 == n || l[i + 1] == ' ');
    if (item)
        i += 1 + strspn(l + i + 1, " "); /* a list item: its key follows */
    const char *tab = memchr(l, '\t', n);
    if (tab) {
        s->at = (size_t)(tab - l);
        return s->kind = SLIP_TAB;
    }
    if (i >= n || l[i] == '#') /* blank or a comment */
        return SLIP_NONE;
    const char *colon = NULL, *wide = NULL;
    for (size_t k = i; k < n && !colon && !wide; k++)
        if (l[k] == ':')
            colon = l + k;
        else if (k + 3 <= n && memcmp(l + k, "：", 3) == 0)
            wide = l + k;
    const char *sep; /* where the key ends */
    if (wide) {
        s->kind = SLIP_WIDE_COLON;
        sep = wide;
        s->rest = wide + 3;
    } else if (colon && colon + 1 < l + n && colon[1] != ' ') {
        s->kind = SLIP_NO_SPACE;
        sep = colon;
        s->rest = colon + 1;
    } else if (!colon && !item) { /* "- 佐藤" is a list's item, not a slip */
        s->kind = SLIP_NO_COLON;
        sep = memchr(l + i, ' ', n - i);
        sep = sep ? sep : l + n;
        s->rest = sep;
    } else {
        return SLIP_NONE;
    }
    s->key = l + i;
    s->klen = (size_t)(sep - s->key);
    s->at = (size_t)(sep - l);
    while (s->rest < l + n && *s->rest == ' ')
        s->rest++;
    s->rlen = (size_t)(l + n - s->rest);
    return s->kind;
}

/* The slip nearest the problem libyaml found: the first on the lines from
 * where its context started (lo) to the problem (hi), else the last above. */
static Slip find_slip(const Source *src, size_t start, size_t end, int first_line, int lo, int hi)
{
    Slip found = {0}, last = {0};
    int line = first_line;
    for (size_t p = start; p < end && line <= hi; line++) {
        const char *l = src->text + p;
        size_t n = strcspn(l, "\n");
        if (p + n > end)
            n = end - p;
        Slip s = {0};
        if (line_slip(l, n, &s)) {
            s.line = line;
            if (line >= lo && !found.kind)
                found = s;
            last = s;
        }
        p += n + 1;
    }
    return found.kind ? found : last;
}

/* "key: value" indented deeper than the "key: value" above it: libyaml
 * reads it as more of the value above ("mapping values are not allowed"). */
static Slip indent_slip(const Source *src, int line)
{
    Slip s = {0};
    if (line < 2)
        return s;
    const char *prev = src->text + source_line_offset(src, line - 1);
    const char *l = src->text + source_line_offset(src, line);
    size_t pi = strspn(prev, " "), li = strspn(l, " ");
    const char *pc = memchr(prev, ':', strcspn(prev, "\n"));
    if (li > pi && pc && pc[1] != '\n' && pc[1] != '\0' && strspn(pc + 1, " ") < strcspn(pc + 1, "\n")) {
        s.kind = SLIP_INDENT;
        s.line = line;
        s.key = l + li;
        s.klen = strcspn(s.key, ":\n");
        s.at = li;
    }
    return s;
}

static void report_slip(const Source *src, const Slip *s, Diag *d)
{
    int col = source_char_col(src, s->line, (int)s->at + 1);
    int kl = (int)s->klen, rl = s->rest ? utf8_prefix(s->rest, s->rlen < 60 ? s->rlen : 60) : 0;
    switch (s->kind) {
    case SLIP_TAB:
        diag_error(d, src->path, s->line, col, "前付けではタブは使えません。字下げや区切りは半角空白で書いてください");
        break;
    case SLIP_WIDE_COLON:
        diag_error(d, src->path, s->line, col,
                   "前付けのキーと値は半角のコロン `:` で区切ります（全角の `：` は使えません）。`%.*s: %.*s` と書いてください", kl,
                   s->key, rl, s->rest);
        break;
    case SLIP_INDENT:
        diag_error(d, src->path, s->line, col,
                   "前付けの字下げがそろっていません。`%.*s` の行は、同じ段の上の行と同じ数の半角空白で始めてください", kl, s->key);
        break;
    case SLIP_NO_SPACE:
        diag_error(d, src->path, s->line, col, "前付けのコロン `:` の後には半角空白を入れてください（`%.*s: %.*s`）", kl, s->key,
                   rl, s->rest);
        break;
    default:
        diag_error(d, src->path, s->line, col,
                   "前付けの行は `key: value` の形で書きます。キーの後に半角のコロン `:` と空白を入れてください（`%.*s: %.*s`）", kl,
                   s->key, rl, s->rest);
        break;
    }
}

/* libyaml's problems, said for writers when no slip explains them. */
static const char *problem_ja(const char *problem)
{
    static const struct {
        const char *en, *ja;
    } words[] = {
        {"found character that cannot start any token",
         "この位置の文字は YAML の値の始めに使えません。値を引用符 \"...\" で囲んでください"},
        {"mapping values are not allowed", "値の中に `: ` があります。値を引用符 \"...\" で囲んでください"},
        {"did not find expected key", "字下げがそろっていません。同じ段の行は同じ数の半角空白で始めてください"},
        {"did not find expected '-' indicator", "字下げがそろっていません。同じ段の行は同じ数の半角空白で始めてください"},
        {"did not find expected ',' or ']'", "`[` で始めたものが `]` で閉じられていません"},
        {"did not find expected ',' or '}'", "`{` で始めたものが `}` で閉じられていません"},
        {"found unexpected end of stream", "引用符 \" や ' が閉じられていません"},
        {"found unknown escape character", "\"...\" の中の `\\` の後の文字はエスケープとして使えません"},
        {"could not find expected ':'", "行が `key: value` の形になっていません。キーの後に半角のコロン `:` と空白を入れてください"},
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(problem, words[i].en))
            return words[i].ja;
    return NULL;
}

/* A syntax error in front matter: the writer's slip at its line, else
 * libyaml's problem in Japanese (where a bracket or quote was opened
 * when that is what is unclosed). */
static void report_syntax_ja(const yaml_parser_t *parser, const Source *src, size_t start, size_t end,
                             int first_line, const YamlLimits *lim, Diag *d)
{
    Pos p = mark_pos(first_line, parser->problem_mark);
    Pos c = parser->context ? mark_pos(first_line, parser->context_mark) : p;
    Slip s = find_slip(src, start, end, first_line, c.line < p.line ? c.line : p.line, p.line);
    if (!s.kind && parser->problem && strstr(parser->problem, "mapping values"))
        s = indent_slip(src, p.line);
    if (s.kind) {
        report_slip(src, &s, d);
        return;
    }
    const char *problem = parser->problem ? parser->problem : "";
    const char *ja = problem_ja(problem);
    int opened = strstr(problem, "expected ','") || strstr(problem, "end of stream");
    Pos at = opened && parser->context ? c : p;
    if (ja)
        diag_error(d, src->path, at.line, at.col, "%sの書き方が正しくありません: %s", lim->what, ja);
    else
        diag_error(d, src->path, at.line, at.col, "%sの書き方が正しくありません（YAML: %s）。各行を `key: value` の形で、字下げは半角空白で書いてください",
                   lim->what, problem);
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
            if (lim->japanese)
                report_syntax_ja(&parser, src, start, end, first_line, lim, d);
            else if (lim->japanese && parser.context)
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
