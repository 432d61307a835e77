#include "parse.h"
#include "util.h"
#include "yamlread.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

/* ---- front matter ---------------------------------------------------- */

size_t front_matter_span(const char *t, size_t len, size_t *yaml_start, size_t *yaml_end)
{
    if (len < 4 || strncmp(t, "---\n", 4) != 0)
        return 0;
    size_t i = 4;
    while (i < len) {
        size_t e = i;
        while (e < len && t[e] != '\n')
            e++;
        size_t l = e - i;
        while (l > 0 && (t[i + l - 1] == ' ' || t[i + l - 1] == '\t'))
            l--;
        if ((l == 3 && (strncmp(t + i, "---", 3) == 0 || strncmp(t + i, "...", 3) == 0))) {
            *yaml_start = 4;
            *yaml_end = i;
            return e < len ? e + 1 : e;
        }
        i = e + 1;
    }
    return (size_t)-1; /* opened, never closed */
}

static void add_meta(Document *doc, const char *key, const char *value, Pos pos)
{
    GROW(doc->meta, doc->mcap, doc->nmeta + 1);
    MetaEntry *m = &doc->meta[doc->nmeta++];
    m->key = xstrdup(key);
    m->value = xstrdup(value);
    m->pos = pos;
}

static void flatten(Document *doc, YamlDoc *y, yaml_node_t *node, StrBuf *key, const char *file, Diag *d)
{
    if (!node)
        return;
    size_t base = key->len;
    switch (node->type) {
    case YAML_SCALAR_NODE:
        if (base == 0) {
            Pos p = yaml_node_pos(y, node);
            diag_error(d, file, p.line, p.col, "前付けは `key: value` の形の行で書いてください");
            return;
        }
        add_meta(doc, key->data, (const char *)node->data.scalar.value, yaml_node_pos(y, node));
        break;
    case YAML_MAPPING_NODE:
        for (yaml_node_pair_t *pr = node->data.mapping.pairs.start; pr < node->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_node(y, pr->key);
            if (base)
                sb_putc(key, '.');
            sb_puts(key, (const char *)k->data.scalar.value);
            /* The reader refused repeated keys; "a.b:" beside "a: {b:}" is
             * the same key too (the number of keys is bounded). */
            if (document_meta(doc, key->data)) {
                Pos p = yaml_node_pos(y, k);
                diag_error(d, file, p.line, p.col, "前付けのキー `%s` が 2 回書かれています", key->data);
            } else {
                flatten(doc, y, yaml_node(y, pr->value), key, file, d);
            }
            key->len = base;
            key->data[base] = '\0';
        }
        break;
    case YAML_SEQUENCE_NODE: {
        int i = 0;
        for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++, i++) {
            if (base == 0)
                break;
            sb_printf(key, ".%d", i);
            flatten(doc, y, yaml_node(y, *it), key, file, d);
            key->len = base;
            key->data[base] = '\0';
        }
        break;
    }
    default:
        break;
    }
}

/* The YAML text is src->text[start, end), from the file's line 2. */
static void parse_front_matter(const Source *src, Document *doc, size_t start, size_t end, Diag *d)
{
    YamlDoc y;
    if (yaml_read(&y, src, start, end, 2, &YAML_FRONT_MATTER, d) != 0) {
        doc->front_matter_invalid = 1;
        return;
    }
    yaml_node_t *root = yaml_root(&y);
    if (root && root->type != YAML_MAPPING_NODE) {
        Pos p = yaml_node_pos(&y, root);
        diag_error(d, src->path, p.line, p.col, "前付けは `key: value` の形の行で書いてください");
        doc->front_matter_invalid = 1;
    } else if (root) {
        StrBuf key = {0};
        sb_puts(&key, "");
        flatten(doc, &y, root, &key, src->path, d);
        sb_free(&key);
    }
    yaml_doc_free(&y);
}

/* ---- Markdown ---------------------------------------------------------- */

typedef struct {
    const Source *src;
    Document *doc;
    Diag *d;
    size_t nsections;
} Walk;

static Pos node_pos(const Walk *w, cmark_node *n)
{
    Pos p;
    p.line = cmark_node_get_start_line(n);
    p.col = source_char_col(w->src, p.line, cmark_node_get_start_column(n));
    if (p.line < 1)
        p.line = 1;
    if (p.col < 1)
        p.col = 1;
    return p;
}

/* Does a soft line break between the text so far and next call for a
 * space? Only between two Western characters: Japanese lines join with
 * nothing. */
static int wants_space(const StrBuf *sb, const char *next)
{
    if (!sb->len || !next || !*next)
        return 0;
    size_t i = utf8_back(sb->data, sb->len);
    uint32_t a = 0, b = 0;
    utf8_decode((const unsigned char *)sb->data + i, sb->len - i, &a);
    utf8_decode((const unsigned char *)next, strlen(next), &b);
    return a < 0x2E80 && b < 0x2E80;
}

/* Flatten the inline content of a block into plain text. With lines, also
 * give it line by line as written (soft breaks kept as newlines), which
 * tells `key: value` lines apart from prose. */
static char *inline_text_lines(Walk *w, cmark_node *block, char **lines)
{
    StrBuf sb = {0}, raw = {0};
    sb_puts(&sb, "");
    sb_puts(&raw, "");
    cmark_iter *it = cmark_iter_new(block);
    cmark_event_type ev;
    /* A soft break's space depends on the text after it: decided when that
     * text comes, so each break costs O(1) (no look-ahead over siblings). */
    int pending_break = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || n == block)
            continue;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(n);
            uint32_t cp;
            const char *why = lit ? source_refused_in(lit, strlen(lit), &cp) : NULL;
            if (why) { /* an entity (&#x1b;, &#0;) decodes to what the file may not hold */
                Pos p = node_pos(w, n);
                diag_error(w->d, w->src->path, p.line, p.col,
                           "U+%04X は使えない文字です（%s。&#...; のように書いたものも使えません）", (unsigned)cp, why);
                break;
            }
            if (pending_break && lit && *lit) {
                if (wants_space(&sb, lit))
                    sb_putc(&sb, ' ');
                pending_break = 0;
            }
            sb_puts(&sb, lit);
            sb_puts(&raw, lit);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
            pending_break = 1;
            sb_putc(&raw, '\n');
            break;
        case CMARK_NODE_LINEBREAK:
            pending_break = 0;
            sb_putc(&sb, '\n');
            sb_putc(&raw, '\n');
            break;
        case CMARK_NODE_HTML_INLINE: {
            Pos p = node_pos(w, n);
            diag_error(w->d, w->src->path, p.line, p.col,
                       "HTML のタグは運営方針の原稿では使えません。ふつうの文字で書いてください");
            break;
        }
        case CMARK_NODE_LINK: {
            Pos p = node_pos(w, n);
            diag_error(w->d, w->src->path, p.line, p.col,
                       "リンクは使えません（印刷した様式ではたどれません）。文字で書き、アドレスが必要ならアドレスそのものを書いてください");
            break;
        }
        case CMARK_NODE_IMAGE: {
            Pos p = node_pos(w, n);
            diag_error(w->d, w->src->path, p.line, p.col, "画像は運営方針の原稿では使えません");
            break;
        }
        default: /* emphasis and strong print as plain text */
            break;
        }
    }
    cmark_iter_free(it);
    /* Tabs are conversion noise in forms; print them as one space. */
    for (size_t i = 0; i < sb.len; i++)
        if (sb.data[i] == '\t')
            sb.data[i] = ' ';
    if (lines)
        *lines = sb_take(&raw);
    sb_free(&raw);
    return sb_take(&sb);
}

static char *inline_text(Walk *w, cmark_node *block)
{
    return inline_text_lines(w, block, NULL);
}

static Section *new_section(const char *heading, int level, Pos pos)
{
    Section *s = xcalloc(1, sizeof *s);
    s->heading = xstrdup(heading);
    s->level = level;
    s->pos = pos;
    return s;
}

static void add_block(Section *s, BlockKind kind, char *text, Pos pos, int end_line, int ordered, int number)
{
    GROW(s->blocks, s->bcap, s->nblocks + 1);
    Block *b = &s->blocks[s->nblocks++];
    b->end_line = end_line;
    b->lines = NULL;
    b->kind = kind;
    b->text = text;
    b->pos = pos;
    b->ordered = ordered;
    b->number = number;
}

static void add_list(Walk *w, Section *cur, cmark_node *list)
{
    int ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int number = cmark_node_get_list_start(list);
    for (cmark_node *item = cmark_node_first_child(list); item; item = cmark_node_next(item), number++) {
        StrBuf sb = {0};
        sb_puts(&sb, "");
        for (cmark_node *c = cmark_node_first_child(item); c; c = cmark_node_next(c)) {
            cmark_node_type t = cmark_node_get_type(c);
            if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
                char *text = inline_text(w, c);
                if (sb.len)
                    sb_putc(&sb, '\n');
                sb_puts(&sb, text);
                free(text);
            } else {
                Pos p = node_pos(w, c);
                diag_error(w->d, w->src->path, p.line, p.col,
                           t == CMARK_NODE_LIST ? "入れ子の箇条書きは使えません。項目は 1 段で書いてください"
                                                : "箇条書きの項目には文字だけを書いてください");
            }
        }
        add_block(cur, BLOCK_ITEM, sb_take(&sb), node_pos(w, item), cmark_node_get_end_line(item), ordered, number);
    }
}

static const char *block_name(cmark_node_type t)
{
    switch (t) {
    case CMARK_NODE_BLOCK_QUOTE: return "引用（>）";
    case CMARK_NODE_CODE_BLOCK: return "コードブロック（``` で囲んだ部分、またはタブか 4 つの空白で字下げした行）";
    case CMARK_NODE_HTML_BLOCK: return "HTML のタグ";
    case CMARK_NODE_THEMATIC_BREAK: return "横線（---）";
    default: return "この種類のまとまり（ブロック）";
    }
}

static void walk_blocks(Walk *w, cmark_node *root)
{
    Section *stack[8];
    int depth = 0;
    stack[depth++] = &w->doc->root;
    for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n)) {
        Pos p = node_pos(w, n);
        Section *cur = stack[depth - 1];
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HEADING: {
            if (++w->nsections > PARSE_MAX_SECTIONS) {
                if (w->nsections == PARSE_MAX_SECTIONS + 1)
                    diag_error(w->d, w->src->path, p.line, p.col, "見出しが %d 個を超えています（運営方針の見出しはずっと少ないはずです）",
                               PARSE_MAX_SECTIONS);
                break;
            }
            int level = cmark_node_get_heading_level(n);
            char *text = inline_text(w, n);
            Section *s = new_section(text, level, p);
            free(text);
            while (depth > 1 && stack[depth - 1]->level >= level)
                stack[--depth]->end_line = p.line - 1;
            Section *parent = stack[depth - 1];
            GROW(parent->children, parent->ccap, parent->nchildren + 1);
            parent->children[parent->nchildren++] = s;
            stack[depth++] = s; /* levels are 1..6, so depth stays below 8 */
            break;
        }
        case CMARK_NODE_PARAGRAPH: {
            char *lines = NULL;
            char *text = inline_text_lines(w, n, &lines);
            /* "#見出し": CommonMark needs a space after the #s. */
            size_t hashes = strspn(text, "#");
            if (hashes >= 1 && hashes <= 6 && text[hashes] && text[hashes] != ' ' && text[hashes] != '\n') {
                const char *rest = text + hashes;
                diag_error(w->d, w->src->path, p.line, p.col,
                           "`%.*s` は見出しになっていません。%.*s の後に空白を入れてください（`%.*s %.*s`）", utf8_prefix(text, 60),
                           text, (int)hashes, "######", (int)hashes, "######", utf8_prefix(rest, 60), rest);
                free(text);
                free(lines);
                break;
            }
            if (text_blank(text)) { /* only zero-width or space characters (pasted): no text */
                free(text);
                free(lines);
                break;
            }
            add_block(cur, BLOCK_PARA, text, p, cmark_node_get_end_line(n), 0, 0);
            cur->blocks[cur->nblocks - 1].lines = lines;
            break;
        }
        case CMARK_NODE_LIST:
            add_list(w, cur, n);
            break;
        default:
            /* After a misplaced front matter its --- lines are no news. */
            if (!(cmark_node_get_type(n) == CMARK_NODE_THEMATIC_BREAK && w->doc->front_matter_invalid))
                diag_error(w->d, w->src->path, p.line, p.col, "%sは運営方針の原稿では使えません",
                           block_name(cmark_node_get_type(n)));
            break;
        }
    }
    while (depth > 0)
        stack[--depth]->end_line = (int)w->src->nlines;
}

int parse_document(const Source *src, Document *doc, Diag *d)
{
    size_t before = d->errors;
    memset(doc, 0, sizeof *doc);
    doc->path = xstrdup(src->path);
    size_t ys = 0, ye = 0;
    size_t span = front_matter_span(src->text, src->len, &ys, &ye);
    char *body = xstrndup(src->text, src->len);
    if (span == (size_t)-1) {
        diag_error(d, src->path, 1, 1, "--- で始めた前付けが --- の行で閉じられていません");
        doc->front_matter_invalid = 1;
        span = src->len; /* all of it was meant as front matter */
    } else if (span == 0) {
        /* Front matter that does not start on line 1 (a stray first line,
         * "---" with something before it): say so, not "no front matter". */
        const char *nl = strchr(src->text, '\n');
        size_t first_len = nl ? (size_t)(nl - src->text) : src->len;
        const char *layout_key = strstr(src->text, "\nlayout:");
        if (layout_key && (size_t)(layout_key - src->text) < 4096) {
            if (first_len > 3 && strncmp(src->text + first_len - 3, "---", 3) == 0)
                diag_error(d, src->path, 1, 1, "1 行目はちょうど `---` にしてください（いまは `%.*s`）",
                           utf8_prefix(src->text, first_len < 60 ? first_len : 60), src->text);
            else
                diag_error(d, src->path, 1, 1,
                           "ファイルは前付けの `---` の行で始めてください。その前にあるものを消してください");
            doc->front_matter_invalid = 1;
        }
    } else if (span > 0) {
        doc->has_front_matter = 1;
        parse_front_matter(src, doc, ys, ye, d);
    }
    /* Blank the front matter so cmark's line numbers stay the file's. */
    for (size_t i = 0; i < span; i++)
        if (body[i] != '\n')
            body[i] = ' ';
    cmark_node *root = cmark_parse_document(body, src->len, CMARK_OPT_DEFAULT);
    free(body);
    if (!root) {
        diag_error(d, src->path, 0, 0, "Markdown を解析できません");
        return -1;
    }
    Walk w = {src, doc, d, 0};
    walk_blocks(&w, root);
    cmark_node_free(root);
    return d->errors == before ? 0 : -1;
}

static void section_free(Section *s)
{
    for (size_t i = 0; i < s->nblocks; i++) {
        free(s->blocks[i].text);
        free(s->blocks[i].lines);
    }
    free(s->blocks);
    for (size_t i = 0; i < s->nchildren; i++) {
        section_free(s->children[i]);
        free(s->children[i]);
    }
    free(s->children);
    free(s->heading);
}

void meta_free(MetaEntry *meta, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(meta[i].key);
        free(meta[i].value);
    }
    free(meta);
}

void document_free(Document *doc)
{
    meta_free(doc->meta, doc->nmeta);
    section_free(&doc->root);
    free(doc->path);
    memset(doc, 0, sizeof *doc);
}

const MetaEntry *document_meta(const Document *doc, const char *key)
{
    for (size_t i = 0; i < doc->nmeta; i++)
        if (strcmp(doc->meta[i].key, key) == 0)
            return &doc->meta[i];
    return NULL;
}
