#include "draft.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void drop_range(unsigned char *drop, size_t nlines, int from, int to)
{
    for (int l = from; l <= to; l++)
        if (l >= 1 && (size_t)l <= nlines)
            drop[l] = 1;
}

static void mark_evaluation(const Node *n, unsigned char *drop, size_t nlines)
{
    if (n->spec->evaluation && n->src) {
        drop_range(drop, nlines, n->pos.line, n->src->end_line);
        return;
    }
    for (size_t i = 0; i < n->nvalues; i++) {
        const Value *v = &n->values[i];
        if (!v->block)
            continue;
        for (size_t f = 0; f < n->spec->nfields; f++)
            if (n->spec->fields[f].evaluation && strcmp(n->spec->fields[f].key, v->key) == 0)
                /* a list item may run over lines; a paragraph's field is one line of it */
                drop_range(drop, nlines, v->pos.line, v->block->kind == BLOCK_ITEM ? v->block->end_line : v->pos.line);
    }
    for (size_t i = 0; i < n->nchildren; i++)
        mark_evaluation(n->children[i], drop, nlines);
}

/* Put a line, replacing the front-matter value that starts at the entry's
 * column: just the value as written when it stands there unquoted (a
 * comment after it stays), else the rest of the line. */
static void put_replaced(StrBuf *sb, const char *line, size_t len, const MetaEntry *m, const char *value)
{
    size_t i = 0;
    for (int col = 1; col < m->pos.col && i < len; col++) { /* to the value's column */
        uint32_t cp;
        size_t l = utf8_decode((const unsigned char *)line + i, len - i, &cp);
        i += l ? l : 1;
    }
    size_t vlen = strlen(m->value);
    size_t end = i + vlen <= len && strncmp(line + i, m->value, vlen) == 0 ? i + vlen : len;
    sb_append(sb, line, i);
    sb_puts(sb, value);
    sb_append(sb, line + end, len - end);
}

char *draft_next_year(const Source *src, const Document *doc, const Node *root, const char *year_key, int new_year,
                      const char *new_layout, const char *draft_key, const char *draft_value)
{
    const MetaEntry *status = draft_key ? document_meta(doc, draft_key) : NULL;
    /* A new line only for a top-level key beside a top-level year. */
    int add_status = draft_key && draft_value && !status && !strchr(draft_key, '.') && !strchr(year_key, '.');
    unsigned char *drop = xcalloc(src->nlines + 2, 1);
    mark_evaluation(root, drop, src->nlines);
    const MetaEntry *year = document_meta(doc, year_key);
    const MetaEntry *layout = document_meta(doc, "layout");
    char ybuf[16];
    snprintf(ybuf, sizeof ybuf, "%d", new_year);

    StrBuf sb = {0};
    sb_puts(&sb, "");
    int last_blank = 0, dropped = 0; /* the last line put; lines dropped since */
    for (size_t l = 1; l <= src->nlines; l++) {
        if (drop[l]) {
            dropped = 1;
            continue;
        }
        const char *line = src->text + src->lines[l - 1];
        const char *end = memchr(line, '\n', src->len - src->lines[l - 1]);
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (l == src->nlines && len == 0)
            break; /* the final newline's empty "line" */
        /* Removing a section leaves blank lines on both sides of it: keep
         * one there. Blank lines elsewhere are the writer's and stay. */
        int blank = len == 0;
        if (blank && last_blank && dropped)
            continue;
        last_blank = blank;
        dropped = 0;
        if (year && (int)l == year->pos.line) {
            put_replaced(&sb, line, len, year, ybuf);
            if (add_status)
                sb_printf(&sb, "\n%s: %s", draft_key, draft_value);
        } else if (status && draft_value && (int)l == status->pos.line)
            put_replaced(&sb, line, len, status, draft_value);
        else if (layout && new_layout && (int)l == layout->pos.line)
            put_replaced(&sb, line, len, layout, new_layout);
        else
            sb_append(&sb, line, len);
        sb_putc(&sb, '\n');
    }
    while (sb.len >= 2 && sb.data[sb.len - 1] == '\n' && sb.data[sb.len - 2] == '\n')
        sb.data[--sb.len] = '\0';
    free(drop);
    return sb_take(&sb);
}
