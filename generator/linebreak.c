/* Break opportunities: libunibreak 1.1 (UAX #14, lang "ja") for the base —
 * Latin words, numbers, spaces, mandatory breaks — then a kinsoku layer
 * driven by the JLReq classes in kinsoku.c. */
#include "linebreak.h"

#include <stdlib.h>

#include "kinsoku.h"
#include "shape.h"
#include "util.h"

/* libunibreak's header has our header's name: the build uses -iquote for
 * generator/, so <linebreak.h> is the library's. init_linebreak() (1.1:
 * only a lookup index for speed, in library globals) is main's, once. */
#include <linebreak.h>

/* East Asian text (CJK symbols, kana, ideographs, full-width forms), minus
 * the combining voiced marks, which never start anything. */
static int is_east_asian(uint32_t cp)
{
    return cp >= 0x2E80 && cp != 0x3099 && cp != 0x309A;
}

static int is_numeric_separator(uint32_t cp)
{
    return cp == ',' || cp == '.' || cp == 0xFF0C || cp == 0xFF0E;
}

/* The tailored decision between cps[i] and cps[i + 1]; cps[ai] is the base
 * character of the cluster cps[i] ends (ai == i but after a variation
 * selector or combining mark): 「葛󠄀」 breaks as 「葛」 does. */
static uint8_t tailor(const uint32_t *cps, const unsigned char *cls, size_t ai, size_t i, KinsokuLevel level,
                      uint8_t base)
{
    KinsokuClass a = (KinsokuClass)cls[ai], b = (KinsokuClass)cls[i + 1];
    int strict = level == KINSOKU_STRICT;
    int b_small = b == KC_ITERATION || b == KC_PROLONGED || b == KC_SMALL_KANA;

    /* Prohibitions win over everything below. */
    if (cps[i + 1] == 0x3000)
        return LB_NO; /* break after an ideographic space, not before (libunibreak 1.1 allows it) */
    if (a == KC_OPEN)
        return LB_NO; /* 行末禁則: cl-01 may not end a line */
    if (b >= KC_CLOSE && b <= KC_COMMA)
        return LB_NO; /* 行頭禁則: cl-02..cl-07 may not start a line */
    if (b_small && strict)
        return LB_NO; /* 行頭禁則, strict: cl-09..cl-11 (libunibreak breaks before ー, small kana) */
    if (a == KC_INSEPARABLE && b == KC_INSEPARABLE)
        return LB_NO; /* 分割禁止: ―― …… (libunibreak splits U+2015) */
    if ((a == KC_DIGIT || a == KC_FW_LETTER) && (b == KC_DIGIT || b == KC_FW_LETTER))
        return LB_NO; /* numbers and words, also full-width (UAX #14 makes them ID) */
    if (ai > 0 && is_numeric_separator(cps[ai]) && cls[ai - 1] == KC_DIGIT &&
        b == KC_DIGIT)
        return LB_NO; /* grouped numerals 1,000 3.14 １，０００ */
    if ((a == KC_PREFIX && b == KC_DIGIT) || (a == KC_DIGIT && b == KC_POSTFIX))
        return LB_NO; /* ￥1,000  100% */

    /* Opportunities UAX #14 misses in Japanese text. */
    if (b_small && is_east_asian(cps[ai]))
        return LB_ALLOW; /* normal level: 々 (UAX #14 NS) may start a line too */
    if (b == KC_INSEPARABLE && is_east_asian(cps[ai]))
        return LB_ALLOW; /* …… may start a line (UAX #14 glues IN to ID) */
    if (b == KC_OPEN && is_east_asian(cps[ai]))
        return LB_ALLOW; /* “ ‘ are UAX #14 QU, glued to what precedes */
    if (a == KC_CLOSE && is_east_asian(cps[i + 1]))
        return LB_ALLOW; /* ” ’ likewise glued to what follows */
    return base;
}

void linebreak_opportunities(const uint32_t *cps, size_t n, KinsokuLevel level, uint8_t *brk)
{
    if (n == 0)
        return;
    char *base = xmalloc(n);
    set_linebreaks_utf32((const utf32_t *)cps, n, "ja", base);
    /* Each character's class once (a scan of kinsoku.c's table). */
    unsigned char *cls = xmalloc(n);
    for (size_t i = 0; i < n; i++)
        cls[i] = (unsigned char)kinsoku_class(cps[i]);
    size_t ai = 0; /* the base of the cluster cps[i] belongs to */
    for (size_t i = 0; i + 1 < n; i++) {
        if (i == 0 || !shape_is_continuation(cps[i]) || cps[ai] == '\n')
            ai = i;
        if (base[i] == LINEBREAK_MUSTBREAK) { /* after U+000A (and other UAX #14 BK) */
            brk[i] = LB_MUST;
            continue;
        }
        if (shape_is_continuation(cps[i + 1])) { /* never between a base and its selector or mark */
            brk[i] = LB_GLUE;
            continue;
        }
        brk[i] = tailor(cps, cls, ai, i, level, base[i] == LINEBREAK_ALLOWBREAK ? LB_ALLOW : LB_NO);
    }
    brk[n - 1] = LB_MUST;
    free(cls);
    free(base);
}
