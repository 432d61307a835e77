#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_init(Diag *d)
{
    memset(d, 0, sizeof *d);
    d->limit = 200;
}

void diag_free(Diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->entries[i].file);
        free(d->entries[i].msg);
    }
    free(d->entries);
    strmap_free(&d->seen);
    strmap_free(&d->per);
    memset(d, 0, sizeof *d);
}

void diag_report(Diag *d, DiagLevel level, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(d, level, file, line, col, fmt, ap);
    va_end(ap);
}

/* A message never prints an invisible character raw (a selector, a
 * zero-width or control character, a space other than the ordinary and
 * the ideographic one): whatever a message quotes, such a character is
 * shown as <U+XXXX>. Takes msg; returns it or its replacement. */
static char *visible(char *msg)
{
    const unsigned char *m = (const unsigned char *)msg;
    size_t n = strlen(msg), i = 0;
    int clean = 1;
    while (i < n && clean) {
        uint32_t cp;
        size_t k = utf8_decode(m + i, n - i, &cp);
        clean = k && !(cp_invisible(cp) && cp != ' ' && cp != 0x3000);
        i += k ? k : 1;
    }
    if (clean)
        return msg;
    StrBuf sb = {0};
    for (i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(m + i, n - i, &cp);
        if (!k) { /* not UTF-8 (a file name): the byte as it is */
            sb_printf(&sb, "\\x%02X", m[i]);
            i++;
            continue;
        }
        if (cp_invisible(cp) && cp != ' ' && cp != 0x3000)
            sb_printf(&sb, "<U+%04X>", (unsigned)cp);
        else
            sb_printf(&sb, "%.*s", (int)k, msg + i);
        i += k;
    }
    free(msg);
    return sb_take(&sb);
}

void diag_vreport(Diag *d, DiagLevel level, const char *file, int line, int col, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *msg = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, again);
    va_end(again);
    msg = visible(msg);
    /* Counted always (a stage knows it failed by the count), shown once
     * at the same place (a bad style is reported from every cell). */
    if (level == DIAG_ERROR)
        d->errors++;
    else if (level == DIAG_WARNING)
        d->warnings++;
    else
        d->notes++;
    if (!file)
        file = "policygen";
    /* Shown once at the same place (a bad style is reported from every
     * cell); the limit is per file and per kind, so one document's many
     * warnings never hide another's error, nor its own. Both through hash
     * maps: a batch of many documents stays linear. */
    StrBuf key = {0};
    sb_printf(&key, "%s%c%d%c%d:%d%c%s", file, '\x01', (int)level, '\x01', line, col, '\x01', msg);
    int dup = (*strmap_slot(&d->seen, key.data))++ > 0;
    sb_free(&key);
    if (dup) {
        free(msg);
        return;
    }
    sb_printf(&key, "%s%c%d", file, '\x01', level == DIAG_ERROR);
    int *count = strmap_slot(&d->per, key.data);
    sb_free(&key);
    d->distinct_errors += level == DIAG_ERROR;
    if ((size_t)(*count)++ >= d->limit) {
        d->dropped++;
        free(msg);
        return;
    }
    GROW(d->entries, d->cap, d->n + 1);
    DiagEntry *e = &d->entries[d->n];
    e->level = level;
    e->file = xstrdup(file);
    e->line = line;
    e->col = col;
    e->msg = msg;
    e->seq = d->n++;
}

void diag_merge(Diag *d, const Diag *from)
{
    size_t shown[3] = {0, 0, 0}; /* entries of each level */
    for (size_t i = 0; i < from->n; i++) {
        const DiagEntry *e = &from->entries[i];
        diag_report(d, e->level, e->file, e->line, e->col, "%s", e->msg);
        shown[e->level]++;
    }
    /* What from counted but did not keep: repeats, and messages past its
     * limit (still errors of the run). */
    d->errors += from->errors - shown[DIAG_ERROR];
    d->warnings += from->warnings - shown[DIAG_WARNING];
    d->notes += from->notes - shown[DIAG_NOTE];
    d->distinct_errors += from->distinct_errors - shown[DIAG_ERROR];
    d->dropped += from->dropped;
}

static int cmp_entry(const void *a, const void *b)
{
    const DiagEntry *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_print(Diag *d, void *stream)
{
    FILE *f = stream;
    if (d->n)
        qsort(d->entries, d->n, sizeof *d->entries, cmp_entry);
    for (size_t i = 0; i < d->n; i++) {
        const DiagEntry *e = &d->entries[i];
        const char *lv = e->level == DIAG_ERROR ? "error" : e->level == DIAG_WARNING ? "warning" : "note";
        if (e->line > 0)
            fprintf(f, "%s:%d:%d: %s: %s\n", e->file, e->line, e->col > 0 ? e->col : 1, lv, e->msg);
        else
            fprintf(f, "%s: %s: %s\n", e->file, lv, e->msg);
    }
    if (d->dropped)
        fprintf(f, "policygen: ほかに %zu 件のメッセージは表示していません\n", d->dropped);
}
