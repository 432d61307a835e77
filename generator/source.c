#include "source.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void index_lines(Source *src)
{
    size_t cap = 0;
    src->nlines = 0;
    GROW(src->lines, cap, 1);
    src->lines[src->nlines++] = 0;
    for (size_t i = 0; i < src->len; i++) {
        if (src->text[i] == '\n' && i + 1 <= src->len) {
            GROW(src->lines, cap, src->nlines + 1);
            src->lines[src->nlines++] = i + 1;
        }
    }
}

int source_from_bytes(Source *src, const char *path, const char *bytes, size_t len, Diag *d)
{
    memset(src, 0, sizeof *src);
    src->path = xstrdup(path);
    if (len > SOURCE_MAX_BYTES) {
        diag_error(d, path, 0, 0, "ファイルが大きすぎます（受け付けるのは %d バイト = 256 KB まで。運営方針は数 KB です）",
                   SOURCE_MAX_BYTES);
        return -1;
    }
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
        bytes += 3;
        len -= 3;
    }
    /* Drop CR of CRLF so that Windows-edited files read the same. */
    src->text = xmalloc(len + 1);
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (!(bytes[i] == '\r' && i + 1 < len && bytes[i + 1] == '\n'))
            src->text[k++] = bytes[i];
    src->text[k] = '\0';
    src->len = k;
    index_lines(src);

    int bad = 0;
    const unsigned char *p = (const unsigned char *)src->text;
    for (size_t i = 0; i < src->len;) {
        if ((p[i] >= 0x20 && p[i] < 0x7F) || p[i] == '\n') { /* most bytes of a layout */
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t l = utf8_decode(p + i, src->len - i, &cp);
        const char *why = l == 0 ? NULL : source_refused_char(cp);
        if (l != 0 && !why) {
            i += l;
            continue;
        }
        if (++bad <= 5) {
            int line, col;
            source_position(src, i, &line, &col);
            if (l == 0)
                diag_error(d, path, line, col,
                           "UTF-8 として正しくないバイト 0x%02X があります。Shift_JIS ではなく UTF-8 で保存し直してください", p[i]);
            else if (cp == 0)
                diag_error(d, path, line, col, "NUL バイト (0x00) が入っています。ふつうの UTF-8 のテキストとして保存し直してください");
            else
                diag_error(d, path, line, col, "U+%04X は使えない文字です（%s）。消すか、ふつうの文字に置き換えてください", (unsigned)cp,
                           why);
        }
        /* Skip to the next line: one report per line is enough, and a file
         * in another encoding fails on every line: five say it. */
        while (i < src->len && src->text[i] != '\n')
            i++;
    }
    if (bad > 5)
        diag_error(d, path, 0, 0, "ほかに %d 行が UTF-8 ではありません。Shift_JIS で保存されていませんか。UTF-8 で保存し直してください", bad - 5);
    return bad ? -1 : 0;
}

const char *source_refused_in(const char *text, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        size_t l = utf8_decode(p + i, len - i, cp);
        if (l == 0) {
            *cp = 0xFFFD;
            return "UTF-8 として正しくない";
        }
        const char *why = *cp == '\r' ? "CR" : source_refused_char(*cp);
        if (why)
            return why;
        i += l;
    }
    return NULL;
}

const char *source_refused_char(uint32_t cp)
{
    /* Nearly every character of a document: printable ASCII, or from
     * Latin-1 up to just before U+2028 (kana and kanji included). */
    if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp < 0x2028) || (cp > 0x2029 && cp < 0xFDD0))
        return NULL;
    if (cp == 0)
        return "NUL";
    if (cp == '\r')
        return "CR だけの改行。改行は LF か CR LF にしてください";
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F)
        return "制御文字";
    if (cp >= 0x80 && cp <= 0x9F)
        return "C1 制御文字";
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        return "非文字 (noncharacter)"; /* libunibreak ends its text at U+FFFF */
    if (cp == 0x2028 || cp == 0x2029)
        return "行区切り・段落区切り。ふつうの改行にしてください";
    return NULL;
}

char *source_slurp(const char *path, size_t max, size_t *len, Diag *d)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; only regular
     * files are read (a device or FIFO could be endless or block). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        diag_error(d, path, 0, 0, "開けません: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_error(d, path, 0, 0, "フォルダです。中のファイルを指定してください（例: %s/*.md）", path);
        close(fd);
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        diag_error(d, path, 0, 0, "ふつうのファイルではないので読みません（FIFO、デバイスなど）");
        close(fd);
        return NULL;
    }
    if ((size_t)st.st_size > max) {
        diag_error(d, path, 0, 0, "ファイルが大きすぎます（%lld バイト。受け付けるのは %zu バイトまで）", (long long)st.st_size, max);
        close(fd);
        return NULL;
    }
    StrBuf sb = {0};
    char buf[65536];
    int err = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            err = errno;
        if (n <= 0)
            break;
        sb_append(&sb, buf, (size_t)n);
        if (sb.len > max)
            break; /* grew while we read: the check below says so */
    }
    close(fd);
    if (err || sb.len > max) {
        if (err)
            diag_error(d, path, 0, 0, "ファイルを読めません: %s", strerror(err));
        else
            diag_error(d, path, 0, 0, "ファイルが大きすぎます（受け付けるのは %zu バイトまで）", max);
        sb_free(&sb);
        return NULL;
    }
    *len = sb.len;
    return sb_take(&sb);
}

int source_read(Source *src, const char *path, Diag *d)
{
    size_t len;
    char *bytes = source_slurp(path, SOURCE_MAX_BYTES, &len, d);
    if (!bytes) {
        memset(src, 0, sizeof *src);
        src->path = xstrdup(path);
        return -1;
    }
    int r = source_from_bytes(src, path, bytes, len, d);
    free(bytes);
    return r;
}

void source_free(Source *src)
{
    free(src->path);
    free(src->text);
    free(src->lines);
    memset(src, 0, sizeof *src);
}

void source_position(const Source *src, size_t offset, int *line, int *col)
{
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (src->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    *line = (int)lo + 1;
    *col = (int)utf8_count(src->text + src->lines[lo], offset - src->lines[lo]) + 1;
}

size_t source_line_offset(const Source *src, int line)
{
    if (line < 1)
        return 0;
    if ((size_t)line > src->nlines)
        return src->len;
    return src->lines[line - 1];
}

int source_char_col(const Source *src, int line, int byte_col)
{
    if (line < 1 || (size_t)line > src->nlines || byte_col < 1)
        return byte_col;
    size_t start = src->lines[line - 1];
    size_t n = (size_t)byte_col - 1;
    if (start + n > src->len)
        n = src->len - start;
    return (int)utf8_count(src->text + start, n) + 1;
}
