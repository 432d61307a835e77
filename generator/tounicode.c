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

/* <XXXX>: four upper-case hex digits (by hand: sb_printf was most of the
 * CMap's cost). */
static void put_hex4(StrBuf *sb, uint32_t v)
{
    static const char hex[] = "0123456789ABCDEF";
    char b[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
    sb_append(sb, b, 4);
}

static void put_code(StrBuf *sb, uint32_t v)
{
    sb_putc(sb, '<');
    put_hex4(sb, v);
    sb_putc(sb, '>');
}

/* The text in UTF-16BE hex: a surrogate pair above U+FFFF. */
static void put_utf16(StrBuf *sb, const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(s, n, &cp);
        if (len == 0)
            break;
        s += len;
        n -= len;
        if (cp > 0xFFFF) {
            put_hex4(sb, 0xD800 + ((cp - 0x10000) >> 10));
            put_hex4(sb, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            put_hex4(sb, cp);
        }
    }
}

/* Can m[i] join the range that starts at m[lo]? A bfrange may vary only in
 * the last byte of its codes, and its destination's last byte counts up
 * with them. */
static int extends(const Mapping *m, size_t lo, size_t i)
{
    return m[i].cp && m[lo].cp && m[i].cid == m[lo].cid + (i - lo) && m[i].cp == m[lo].cp + (i - lo) &&
           (m[i].cid >> 8) == (m[lo].cid >> 8) && (m[i].cp >> 8) == (m[lo].cp >> 8);
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
    /* Runs of at least two become ranges; the rest single entries. */
    size_t *run = xmalloc((n ? n : 1) * sizeof *run); /* run length at each run's start, 0 inside */
    size_t nranges = 0, nchars = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && extends(m, i, j))
            j++;
        run[i] = j - i;
        for (size_t k = i + 1; k < j; k++)
            run[k] = 0;
        if (j - i > 1)
            nranges++;
        else
            nchars++;
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
    for (size_t i = 0, left = nranges; left > 0;) {
        size_t block = left < BLOCK_MAX ? left : BLOCK_MAX;
        sb_printf(&sb, "%zu beginbfrange\n", block);
        for (size_t k = 0; k < block; i++) {
            if (run[i] < 2)
                continue;
            put_code(&sb, m[i].cid);
            sb_putc(&sb, ' ');
            put_code(&sb, (uint32_t)(m[i].cid + run[i] - 1));
            sb_putc(&sb, ' ');
            put_code(&sb, m[i].cp);
            sb_putc(&sb, '\n');
            k++;
        }
        sb_puts(&sb, "endbfrange\n");
        left -= block;
    }
    for (size_t i = 0, left = nchars; left > 0;) {
        size_t block = left < BLOCK_MAX ? left : BLOCK_MAX;
        sb_printf(&sb, "%zu beginbfchar\n", block);
        for (size_t k = 0; k < block; i++) {
            if (run[i] != 1)
                continue;
            put_code(&sb, m[i].cid);
            sb_puts(&sb, " <");
            put_utf16(&sb, m[i].text, m[i].len);
            sb_puts(&sb, ">\n");
            k++;
        }
        sb_puts(&sb, "endbfchar\n");
        left -= block;
    }
    sb_puts(&sb,
            "endcmap\n"
            "CMapName currentdict /CMap defineresource pop\n"
            "end\n"
            "end\n");
    free(run);
    free(m);
    return sb_take(&sb);
}
