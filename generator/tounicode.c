/* ToUnicode CMaps. See tounicode.h. */
#include "tounicode.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_MAX 100 /* PDF/CMap limit on entries per begin...end block */

typedef struct {
    uint32_t cid;
    const char *text;
    size_t len;
    uint32_t cp; /* the text's one BMP character, or 0 */
} Mapping;

static int cmp_cid(const void *a, const void *b)
{
    uint32_t x = ((const Mapping *)a)->cid, y = ((const Mapping *)b)->cid;
    return x < y ? -1 : x > y;
}

static void put_code(StrBuf *sb, uint32_t v)
{
    sb_putc(sb, '<');
    sb_put_hex4(sb, v);
    sb_putc(sb, '>');
}

/* Can m[i] join the range that starts at m[lo]? A bfrange may vary only in
 * the last byte of its codes, and its destination's last byte counts up
 * with them. */
static int extends(const Mapping *m, size_t lo, size_t i)
{
    return m[i].cp && m[lo].cp && m[i].cid == m[lo].cid + (i - lo) && m[i].cp == m[lo].cp + (i - lo) &&
           (m[i].cid >> 8) == (m[lo].cid >> 8) && (m[i].cp >> 8) == (m[lo].cp >> 8);
}

/* The length of the range of consecutive characters starting at m[k],
 * within [k, end). */
static size_t range_len(const Mapping *m, size_t k, size_t end)
{
    size_t r = k + 1;
    while (r < end && extends(m, k, r))
        r++;
    return r - k;
}

/* Lines of one kind of entry, emitted in blocks of at most BLOCK_MAX. */
typedef struct {
    StrBuf text;
    size_t *ends; /* where each line ends in text */
    size_t n, cap;
} Lines;

static void line_done(Lines *l)
{
    GROW(l->ends, l->cap, l->n + 1);
    l->ends[l->n++] = l->text.len;
}

static void emit(StrBuf *sb, const Lines *l, const char *kind)
{
    for (size_t i = 0; i < l->n; i += BLOCK_MAX) {
        size_t count = l->n - i < BLOCK_MAX ? l->n - i : BLOCK_MAX;
        size_t from = i ? l->ends[i - 1] : 0, to = l->ends[i + count - 1];
        sb_printf(sb, "%zu begin%s\n", count, kind);
        sb_append(sb, l->text.data + from, to - from);
        sb_printf(sb, "end%s\n", kind);
    }
}

/* Codes are the subset's glyph ids, dense from 1, so runs of consecutive
 * codes within a 256-code block are the rule; glyph order is not
 * character order, so consecutive characters are not. A run of codes is
 * written as ranges of at least RANGE_MIN consecutive characters
 * (<lo> <hi> <dst>) and arrays of the rest (<lo> <hi> [<dst>...]); a code
 * alone as a bfchar. */
#define RANGE_MIN 4

static void run_lines(const Mapping *m, size_t i, size_t j, Lines *ranges, Lines *chars)
{
    for (size_t k = i; k < j;) {
        size_t len = range_len(m, k, j);
        if (len >= RANGE_MIN) {
            put_code(&ranges->text, m[k].cid);
            sb_putc(&ranges->text, ' ');
            put_code(&ranges->text, (uint32_t)(m[k].cid + len - 1));
            sb_putc(&ranges->text, ' ');
            put_code(&ranges->text, m[k].cp);
            sb_putc(&ranges->text, '\n');
            line_done(ranges);
            k += len;
            continue;
        }
        size_t e = k + 1; /* an array up to the next range or the run's end */
        while (e < j && range_len(m, e, j) < RANGE_MIN)
            e++;
        Lines *l = e - k == 1 ? chars : ranges;
        put_code(&l->text, m[k].cid);
        if (e - k > 1) {
            sb_putc(&l->text, ' ');
            put_code(&l->text, m[e - 1].cid);
            sb_puts(&l->text, " [");
        } else {
            sb_putc(&l->text, ' ');
        }
        for (size_t x = k; x < e; x++) {
            sb_putc(&l->text, '<');
            sb_put_utf16_hex(&l->text, m[x].text, m[x].len);
            sb_putc(&l->text, '>');
        }
        sb_puts(&l->text, e - k > 1 ? "]\n" : "\n");
        line_done(l);
        k = e;
    }
}

char *tounicode_cmap(const GlyphUse *u)
{
    size_t n = u->n;
    Mapping *m = xmalloc((n ? n : 1) * sizeof *m);
    for (size_t k = 0; k < n; k++) {
        const GlyphEntry *e = &u->entries[k];
        uint32_t cp = 0;
        size_t len = utf8_decode((const unsigned char *)e->text, e->len, &cp);
        m[k] = (Mapping){e->cid, e->text, e->len, len && len == e->len && cp <= 0xFFFF ? cp : 0};
    }
    qsort(m, n, sizeof *m, cmp_cid);
    Lines ranges = {0}, chars = {0};
    for (size_t i = 0; i < n;) {
        size_t j = i + 1; /* the run of consecutive codes in one block */
        while (j < n && m[j].cid == m[j - 1].cid + 1 && (m[j].cid >> 8) == (m[i].cid >> 8))
            j++;
        run_lines(m, i, j, &ranges, &chars);
        i = j;
    }
    StrBuf sb = {0};
    sb_puts(&sb,
            "/CIDInit /ProcSet findresource begin\n"
            "12 dict begin\n"
            "begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n"
            "1 begincodespacerange\n"
            "<0000> <FFFF>\n"
            "endcodespacerange\n");
    emit(&sb, &ranges, "bfrange");
    emit(&sb, &chars, "bfchar");
    sb_puts(&sb,
            "endcmap\n"
            "CMapName currentdict /CMap defineresource pop\n"
            "end\n"
            "end\n");
    sb_free(&ranges.text);
    sb_free(&chars.text);
    free(ranges.ends);
    free(chars.ends);
    free(m);
    return sb_take(&sb);
}
