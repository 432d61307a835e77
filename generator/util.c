#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The one exit below main, on purpose: every input is bounded
 * (docs/limits.md), so memory runs out only when the machine has none to
 * give, and no caller could do better than stop. Status 3 is documented
 * with the others (--help). _exit, not exit: the worker thread may be the
 * one out of memory, and exit's handlers and stdio teardown would run
 * beside the main thread. Nothing is lost: no output is renamed into place
 * before it is whole, and a temporary file left is taken away by a later
 * build. */
_Noreturn void out_of_memory(void)
{
    fputs("policygen: error: メモリが足りません (out of memory)\n", stderr);
    _exit(EXIT_OUT_OF_MEMORY);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void strs_free(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

int try_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    void *p = realloc(*arr, c * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = c;
    return 0;
}

void grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (try_grow(arr, cap, need, elem) != 0)
        out_of_memory();
}

void sb_append(StrBuf *sb, const char *s, size_t n)
{
    GROW(sb->data, sb->cap, sb->len + n + 1);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_puts(StrBuf *sb, const char *s)
{
    sb_append(sb, s, strlen(s));
}

void sb_putc(StrBuf *sb, char c)
{
    sb_append(sb, &c, 1);
}

void sb_printf(StrBuf *sb, const char *fmt, ...)
{
    /* Formatted once into the room there is (the common case: the
     * buffer has grown already), a second time only when it was short. */
    size_t room = sb->cap > sb->len ? sb->cap - sb->len : 0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(room ? sb->data + sb->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (room)
            sb->data[sb->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        GROW(sb->data, sb->cap, sb->len + (size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    sb->len += (size_t)n;
}

void sb_put_utf8(StrBuf *sb, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sb_append(sb, b, n);
}

char *sb_take(StrBuf *sb)
{
    char *s = sb->data ? sb->data : xstrdup("");
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void sb_free(StrBuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

uint32_t *utf8_to_u32(const char *s, size_t *count)
{
    size_t n = strlen(s), k = 0;
    uint32_t *out = xmalloc((n + 1) * sizeof *out);
    const unsigned char *p = (const unsigned char *)s;
    while (n > 0) {
        uint32_t cp;
        size_t l = utf8_decode(p, n, &cp);
        if (l == 0) { /* callers pass validated text; be safe anyway */
            cp = 0xFFFD;
            l = 1;
        }
        out[k++] = cp;
        p += l;
        n -= l;
    }
    *count = k;
    return out;
}

int utf8_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return (int)n;
    if (((unsigned char)s[max] & 0xC0) == 0x80) /* inside a character: cut before it */
        max = utf8_back(s, max);
    return (int)max;
}

const char *ja_gap(const char *s)
{
    size_t len = strlen(s);
    unsigned char last = len ? (unsigned char)s[len - 1] : ' ';
    return last > ' ' && last < 0x80 ? " " : "";
}

size_t utf8_count(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

int cp_invisible(uint32_t cp)
{
    return cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || cp == 0x034F || cp == 0x115F || cp == 0x1160 ||
           cp == 0x1680 || cp == 0x180E || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFFB) || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

int text_blank(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(u + i, n - i, &cp);
        if (!k || !cp_invisible(cp))
            return 0;
        i += k;
    }
    return 1;
}

void sb_put_chars(StrBuf *sb, const uint32_t *cps, size_t n)
{
    int visible = 0;
    for (size_t i = 0; i < n; i++)
        visible |= !cp_invisible(cps[i]);
    if (visible) {
        sb_putc(sb, '`');
        for (size_t i = 0; i < n; i++)
            if (!cp_invisible(cps[i]))
                sb_put_utf8(sb, cps[i]);
        sb_puts(sb, "` ");
    }
    sb_putc(sb, '(');
    for (size_t i = 0; i < n; i++)
        sb_printf(sb, "%sU+%04X", i ? " " : "", (unsigned)cps[i]);
    sb_putc(sb, ')');
}

void sb_put_hex4(StrBuf *sb, uint32_t v)
{
    static const char hex[] = "0123456789ABCDEF";
    char b[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
    sb_append(sb, b, 4);
}

void sb_put_utf16_hex(StrBuf *sb, const char *text, size_t n)
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
            sb_put_hex4(sb, 0xD800 + ((cp - 0x10000) >> 10));
            sb_put_hex4(sb, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            sb_put_hex4(sb, cp);
        }
    }
}

size_t utf8_length(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

size_t utf8_back(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80)
        ;
    return i;
}
