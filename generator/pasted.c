/* Word-processor leftovers in a document. See pasted.h. */
#include "pasted.h"
#include "parse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* U+FF61-FF9F, the half-width katakana and punctuation, in full width. */
static const char halfwidth_kana[] =
    "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";

/* The n-th character (0-based) of a UTF-8 string, appended to sb. */
static void put_nth(StrBuf *sb, const char *s, size_t nth)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0, k = 0; i < len; k++) {
        uint32_t cp;
        size_t l = utf8_decode(p + i, len - i, &cp);
        if (l == 0)
            return;
        if (k == nth) {
            sb_append(sb, s + i, l);
            return;
        }
        i += l;
    }
}

/* The full-width katakana that half-width base + ﾞ (mark U+FF9E) or ﾟ
 * (U+FF9F) stands for, appended to sb; 0 when the pair makes none. */
static int composed_kana(uint32_t base, uint32_t mark, StrBuf *sb)
{
    static const char dakuten[] = "カキクケコサシスセソタチツテトハヒフヘホ", handakuten[] = "ハヒフヘホ";
    StrBuf full = {0};
    put_nth(&full, halfwidth_kana, base - 0xFF61);
    size_t n;
    uint32_t *fw = full.len ? utf8_to_u32(full.data, &n) : NULL;
    int ok = 0;
    if (fw && n == 1) {
        if (mark == 0xFF9E && fw[0] == 0x30A6) /* ｳﾞ */
            sb_put_utf8(sb, 0x30F4), ok = 1;
        else if (mark == 0xFF9E && strstr(dakuten, full.data))
            sb_put_utf8(sb, fw[0] + 1), ok = 1;
        else if (mark == 0xFF9F && strstr(handakuten, full.data))
            sb_put_utf8(sb, fw[0] + 2), ok = 1;
    }
    free(fw);
    sb_free(&full);
    return ok;
}

/* What to write instead of cp, in sb; 0 when cp is fine. */
static int advice(uint32_t cp, const char *quotes, StrBuf *sb)
{
    switch (cp) {
    case 0xA0:
        sb_puts(sb, "ノーブレークスペース (U+00A0) があります。ふつうの空白（全角 U+3000 か半角 U+0020）にしてください");
        return 1;
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
        sb_printf(sb, "幅のない見えない文字 (U+%04X) があります。印刷されないので消してください", (unsigned)cp);
        return 1;
    case 0xAD:
        sb_puts(sb, "ソフトハイフン (U+00AD) があります。印刷されないので消してください（ハイフンが要るなら ‐ か - を書きます）");
        return 1;
    case 0x201C:
    case 0x201D:
    case 0x2018:
    case 0x2019: {
        if (!quotes || !*quotes)
            return 0;
        size_t nq = utf8_count(quotes, strlen(quotes));
        size_t pick = (cp == 0x201C || cp == 0x2018) ? 0 : 1;
        if ((cp == 0x2018 || cp == 0x2019) && nq >= 4)
            pick += 2;
        sb_puts(sb, "かぎ括弧ではない引用符 `");
        sb_put_utf8(sb, cp);
        sb_printf(sb, "` (U+%04X) があります。この様式では `", (unsigned)cp);
        put_nth(sb, quotes, pick < nq ? pick : 0);
        sb_puts(sb, "` と書きます");
        return 1;
    }
    default:
        break;
    }
    return 0;
}

size_t pasted_check(const Source *src, const char *quotes, Diag *d)
{
    const unsigned char *p = (const unsigned char *)src->text;
    size_t found = 0;
    int ink = 0; /* a visible character earlier on this line */
    /* Tabs in the front matter are YAML's to refuse (yamlread.c). */
    size_t ys, ye, body = front_matter_span(src->text, src->len, &ys, &ye);
    if (body == (size_t)-1) /* never closed: all of it is front matter (parse.c says so) */
        body = src->len;
    for (size_t i = 0; i < src->len;) {
        unsigned char b = p[i];
        if (b < 0x80) { /* ASCII: only a tab after text matters */
            if (b == '\n')
                ink = 0;
            else if (b == '\t' && ink && i >= body) {
                if (++found <= PASTED_MAX_REPORTS) {
                    int line, col;
                    source_position(src, i, &line, &col);
                    diag_warning(d, src->path, line, col,
                                 "段落の中にタブ (U+0009) があります。空白 1 つとして印刷します。字を揃えたいなら全角空白 (U+3000) にしてください");
                }
            } else if (b != ' ' && b != '\t')
                ink = 1;
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(p + i, src->len - i, &cp);
        if (l == 0) { /* reported by source_read */
            i++;
            continue;
        }
        StrBuf sb = {0};
        size_t at = i;
        if (cp >= 0xFF61 && cp <= 0xFF9F) {
            /* A run of half-width katakana is one warning, with the
             * whole run in full width (ｶﾞ is ガ, not カ゛). */
            StrBuf half = {0}, full = {0};
            while (i < src->len && (l = utf8_decode(p + i, src->len - i, &cp)) && cp >= 0xFF61 && cp <= 0xFF9F) {
                uint32_t mark = 0;
                size_t ml = i + l < src->len ? utf8_decode(p + i + l, src->len - i - l, &mark) : 0;
                sb_append(&half, src->text + i, l);
                if (ml && (mark == 0xFF9E || mark == 0xFF9F) && composed_kana(cp, mark, &full)) {
                    sb_append(&half, src->text + i + l, ml);
                    l += ml;
                } else {
                    put_nth(&full, halfwidth_kana, cp - 0xFF61);
                }
                i += l;
            }
            sb_printf(&sb, "半角カタカナ `%s` があります。全角の `%s` で書いてください", half.data, full.data);
            sb_free(&half);
            sb_free(&full);
        } else if (advice(cp, quotes, &sb)) {
            /* A run of the same character is one warning. */
            size_t run = 1;
            uint32_t again;
            size_t al;
            i += l;
            while (i < src->len && (al = utf8_decode(p + i, src->len - i, &again)) && again == cp)
                i += al, run++;
            if (run > 1)
                sb_printf(&sb, "（%zu 個続いています）", run);
        } else {
            i += l;
        }
        if (sb.len && ++found <= PASTED_MAX_REPORTS) {
            int line, col;
            source_position(src, at, &line, &col);
            diag_warning(d, src->path, line, col, "%s", sb.data);
        }
        sb_free(&sb);
        ink = 1;
    }
    if (found > PASTED_MAX_REPORTS)
        diag_warning(d, src->path, 0, 0, "ワープロから貼り付けたような文字が、ほかに %zu か所あります",
                     found - PASTED_MAX_REPORTS);
    return found;
}
