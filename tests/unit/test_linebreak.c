/* Kinsoku tailoring rule by rule, greedy wrapping (追い出し, overfull,
 * spaces), and every wrapped paragraph of the FY2024 seed reproduced line
 * for line. */
#include <stdlib.h>

#include "check.h"
#include "linebreak.h"
#include "seed_lines.h"
#include "shape.h"
#include "util.h"
#include "wrap.h"

/* The text with "|" at each LB_ALLOW and "‖" at each inner LB_MUST. */
static char *marked(const char *s, KinsokuLevel level)
{
    size_t n;
    uint32_t *cps = utf8_to_u32(s, &n);
    uint8_t *brk = xmalloc(n);
    StrBuf sb = {0};
    linebreak_opportunities(cps, n, level, brk);
    for (size_t i = 0; i < n; i++) {
        sb_put_utf8(&sb, cps[i]);
        if (i + 1 < n && brk[i] == LB_ALLOW)
            sb_putc(&sb, '|');
        else if (i + 1 < n && brk[i] == LB_MUST)
            sb_puts(&sb, "‖");
    }
    free(cps);
    free(brk);
    return sb_take(&sb);
}

static void check_breaks(const char *s, KinsokuLevel level, const char *want)
{
    char *got = marked(s, level);
    CHECK_STR(got, want);
    free(got);
}

/* This test's metrics: ASCII half-width, everything else full-width. */
static int advance(uint32_t cp)
{
    return cp >= 0x20 && cp <= 0x7E ? 500 : 1000;
}

/* Wrap s at width (1/1000 em) and return its lines joined with "/". */
static char *wrapped(const char *s, long width, int *overfull)
{
    size_t n, cap = 0;
    uint32_t *cps = utf8_to_u32(s, &n);
    uint8_t *brk = xmalloc(n);
    int *adv = xmalloc(n * sizeof *adv);
    WrapLine *lines = NULL;
    StrBuf sb = {0};
    for (size_t i = 0; i < n; i++)
        adv[i] = advance(cps[i]);
    linebreak_opportunities(cps, n, KINSOKU_STRICT, brk);
    size_t count = wrap_paragraph(cps, adv, brk, n, width, &lines, &cap, overfull);
    for (size_t l = 0; l < count; l++) {
        if (l)
            sb_putc(&sb, '/');
        for (size_t i = lines[l].start; i < lines[l].end; i++)
            sb_put_utf8(&sb, cps[i]);
    }
    free(cps);
    free(brk);
    free(adv);
    free(lines);
    return sb_take(&sb);
}

static void check_wrap(const char *s, long width, const char *want, int want_overfull)
{
    int overfull = 0;
    char *got = wrapped(s, width, &overfull);
    CHECK_STR(got, want);
    CHECK(overfull == want_overfull, "%s: overfull %d, want %d", s, overfull, want_overfull);
    free(got);
}

static void test_kinsoku(void)
{
    /* cl-01 / cl-02 brackets, cl-06 / cl-07 */
    check_breaks("「日本語」です。", KINSOKU_STRICT, "「日|本|語」|で|す。");
    check_breaks("次へ、進む。", KINSOKU_STRICT, "次|へ、|進|む。");
    check_breaks("（括弧）と【見出し】", KINSOKU_STRICT, "（括|弧）|と|【見|出|し】");
    check_breaks("「地域で守る」防災", KINSOKU_STRICT, "「地|域|で|守|る」|防|災");
    check_breaks("値(注)は", KINSOKU_STRICT, "値|(注)|は");
    check_breaks("１，０００．", KINSOKU_STRICT, "１，０００．");
    /* cl-03 hyphens, including the CP932 wave dash ～ */
    check_breaks("4月〜6月", KINSOKU_STRICT, "4|月〜|6|月");
    check_breaks("4月～6月", KINSOKU_STRICT, "4|月～|6|月");
    /* cl-04 dividing punctuation */
    check_breaks("本当？はい！", KINSOKU_STRICT, "本|当？|は|い！");
    check_breaks("本当?はい!", KINSOKU_STRICT, "本|当?|は|い!");
    /* cl-05 middle dots */
    check_breaks("大阪・関西万博", KINSOKU_STRICT, "大|阪・|関|西|万|博");
    check_breaks("Ｃ：一部達成；", KINSOKU_STRICT, "Ｃ：|一|部|達|成；");
    /* cl-09..cl-11: strict keeps them off the line start, normal does not */
    check_breaks("ちょっとキャッシュを", KINSOKU_STRICT, "ちょっ|と|キャッ|シュ|を");
    check_breaks("ちょっとキャッシュを", KINSOKU_NORMAL, "ち|ょ|っ|と|キ|ャ|ッ|シ|ュ|を");
    check_breaks("データー・サーバー", KINSOKU_STRICT, "デー|ター・|サー|バー");
    check_breaks("データー・サーバー", KINSOKU_NORMAL, "デ|ー|タ|ー・|サ|ー|バ|ー");
    check_breaks("人々とこゝろ", KINSOKU_STRICT, "人々|と|こゝ|ろ");
    check_breaks("人々とこゝろ", KINSOKU_NORMAL, "人|々|と|こ|ゝ|ろ");
    check_breaks("ｷｬｯｼｭｰ", KINSOKU_STRICT, "ｷｬｯ|ｼｭｰ");
    /* cl-08 inseparables: ―― (U+2015), —— (U+2014), ……, ‥‥ */
    check_breaks("それは……だが――違う", KINSOKU_STRICT, "そ|れ|は|……|だ|が|――|違|う");
    check_breaks("だが——違う‥‥", KINSOKU_STRICT, "だ|が|——|違|う|‥‥");
    /* numerals, ASCII and full-width, grouped, with prefix and postfix */
    check_breaks("、2025年大阪", KINSOKU_STRICT, "、|2025|年|大|阪");
    check_breaks("達成100%以上", KINSOKU_STRICT, "達|成|100%|以|上");
    check_breaks("５０％未満", KINSOKU_STRICT, "５０％|未|満");
    check_breaks("１２３です", KINSOKU_STRICT, "１２３|で|す");
    check_breaks("計￥1,000円", KINSOKU_STRICT, "計|￥1,000|円");
    check_breaks("計￥１，０００円", KINSOKU_STRICT, "計|￥１，０００|円");
    check_breaks("約3.14倍", KINSOKU_STRICT, "約|3.14|倍");
    check_breaks("気温25℃で", KINSOKU_STRICT, "気|温|25℃|で");
    check_breaks("第$5と€10", KINSOKU_STRICT, "第|$5|と|€10");
    check_breaks("目標（５）", KINSOKU_STRICT, "目|標|（５）");
    /* words: ASCII (UAX #14) and full-width */
    check_breaks("申請書PDFを", KINSOKU_STRICT, "申|請|書|PDF|を");
    check_breaks("各種ＳＮＳなど", KINSOKU_STRICT, "各|種|ＳＮＳ|な|ど");
    check_breaks("公式ＬＩＮＥに", KINSOKU_STRICT, "公|式|ＬＩＮＥ|に");
    check_breaks("the PDF file", KINSOKU_STRICT, "the |PDF |file");
    /* quotes: brackets in Japanese (UAX #14 glues them to both sides) */
    check_breaks("彼は“本当”と言った", KINSOKU_STRICT, "彼|は|“本|当”|と|言っ|た");
    /* spaces: a break falls after them */
    check_breaks("市川　信行", KINSOKU_STRICT, "市|川　|信|行");
    /* U+000A is mandatory, and the last code point always is */
    check_breaks("一\n二", KINSOKU_STRICT, "一\n‖二");
    {
        const uint32_t cps[] = {0x4E00, 0x0A, 0x4E8C, 0x3002};
        uint8_t brk[4];
        linebreak_opportunities(cps, 4, KINSOKU_STRICT, brk);
        CHECK(brk[0] == LB_NO && brk[1] == LB_MUST && brk[2] == LB_NO && brk[3] == LB_MUST,
              "brk = %d %d %d %d", brk[0], brk[1], brk[2], brk[3]);
        linebreak_opportunities(cps, 1, KINSOKU_STRICT, brk);
        CHECK(brk[0] == LB_MUST, "single code point: brk %d", brk[0]);
        linebreak_opportunities(cps, 0, KINSOKU_STRICT, brk); /* must not touch brk */
    }
}

static void test_wrap(void)
{
    /* 追い出し (docs/notes/FORMAT-NOTES.md, goal 2, second action): し moves down with 、 */
    check_wrap("民間事業者との事業構築に向けた取組を推進し、協働事業を実施します。", 21000,
               "民間事業者との事業構築に向けた取組を推進/し、協働事業を実施します。", 0);
    /* ... and a bracket keeps its opening mark off the line end */
    check_wrap("あいう「えお」", 4000, "あいう/「えお」", 0);
    /* overfull: an unbreakable run wider than the line is cut where it is full */
    check_wrap("ABCDEFGHIJ", 2000, "ABCD/EFGH/IJ", 1);
    check_wrap("は12345678です", 2000, "は/1234/5678/です", 1);
    check_wrap("漢字", 500, "漢/字", 1);
    /* trailing spaces take no room and are not part of the line */
    check_wrap("the PDF file", 3500, "the PDF/file", 0);
    check_wrap("the PDF file", 2000, "the/PDF/file", 0);
    check_wrap("柏原市　ウェブ", 3000, "柏原市/ウェブ", 0);
    /* leading spaces stay at the paragraph start and after a newline */
    check_wrap("　はじめに", 10000, "　はじめに", 0);
    check_wrap("あ\n　い", 10000, "あ/　い", 0);
    /* newlines: excluded from the line; empty lines between two */
    check_wrap("あ\n\nい", 10000, "あ//い", 0);
    check_wrap("あ\n", 10000, "あ", 0);
    check_wrap("", 10000, "", 0);
    {
        /* the line ranges and widths themselves */
        const uint32_t cps[] = {'A', 'B', ' ', ' ', 'C', 'D', 0x0A, ' ', 'E'};
        const int adv[] = {500, 500, 500, 500, 500, 500, 0, 500, 500};
        uint8_t brk[9];
        WrapLine *lines = NULL;
        size_t cap = 0;
        int overfull = 0;
        linebreak_opportunities(cps, 9, KINSOKU_STRICT, brk);
        size_t count = wrap_paragraph(cps, adv, brk, 9, 1000, &lines, &cap, &overfull);
        CHECK(count == 3, "count %zu", count);
        CHECK(count == 3 && lines[0].start == 0 && lines[0].end == 2 && lines[0].width == 1000 &&
                  lines[1].start == 4 && lines[1].end == 6 && lines[1].width == 1000 &&
                  lines[2].start == 7 && lines[2].end == 9 && lines[2].width == 1000,
              "line ranges");
        CHECK(!overfull, "not overfull");
        /* a break before spaces (hand-made opportunities): the next line
         * does not start with them */
        const uint8_t brk2[] = {LB_NO, LB_ALLOW, LB_NO, LB_NO, LB_NO, LB_MUST};
        count = wrap_paragraph(cps, adv, brk2, 6, 1000, &lines, &cap, NULL);
        CHECK(count == 2 && lines[0].start == 0 && lines[0].end == 2 && lines[1].start == 4 &&
                  lines[1].end == 6,
              "continuation drops leading spaces");
        count = wrap_paragraph(cps, adv, brk, 0, 1000, &lines, &cap, &overfull);
        CHECK(count == 1 && lines[0].start == 0 && lines[0].end == 0 && lines[0].width == 0,
              "empty paragraph: one empty line");
        free(lines);
    }
}

/* Every wrapped paragraph of the official FY2024 PDF, at its box width. */
static void test_seed(void)
{
    for (size_t p = 0; p < sizeof seed_paragraphs / sizeof seed_paragraphs[0]; p++) {
        const SeedParagraph *sp = &seed_paragraphs[p];
        StrBuf text = {0}, want = {0};
        for (size_t l = 0; sp->lines[l]; l++) {
            sb_puts(&text, sp->lines[l]);
            sb_puts(&want, l ? "/" : "");
            sb_puts(&want, sp->lines[l]);
        }
        char *got = wrapped(text.data, sp->em * 1000L, NULL);
        CHECK(strcmp(got, want.data) == 0, "%s:\n  got  %s\n  want %s", sp->where, got, want.data);
        free(got);
        sb_free(&text);
        sb_free(&want);
    }
}

/* Variation selectors and combining marks (issue 11): a selector after
 * every character of a line full of kinsoku cases, in turn; at every
 * width, no line starts with a selector or mark and none ends between a
 * base and its selector, and the breaks are those of the text without it
 * (the selector glued to its base). */
static void test_selectors(void)
{
    static const char *const texts[] = {"「葛城」の市長、葛飾。次へ々ーっ（1,000円）――……東京",
                                        "ABC def 葛城市 100% 「名」"};
    static const uint32_t sels[] = {0xE0100, 0xFE00, 0xE01EF, 0x3099};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        size_t n;
        uint32_t *base = utf8_to_u32(texts[t], &n);
        uint8_t *bbrk = xmalloc(n);
        linebreak_opportunities(base, n, KINSOKU_STRICT, bbrk);
        for (size_t s = 0; s < sizeof sels / sizeof sels[0]; s++)
            for (size_t at = 0; at < n; at++) { /* the selector after base[at] */
                uint32_t *cps = xmalloc((n + 1) * sizeof *cps);
                memcpy(cps, base, (at + 1) * sizeof *cps);
                cps[at + 1] = sels[s];
                memcpy(cps + at + 2, base + at + 1, (n - at - 1) * sizeof *cps);
                uint8_t *brk = xmalloc(n + 1);
                int *adv = xmalloc((n + 1) * sizeof *adv);
                linebreak_opportunities(cps, n + 1, KINSOKU_STRICT, brk);
                CHECK(brk[at] == LB_GLUE, "%s: selector U+%04X after #%zu: glued (got %d)", texts[t],
                      (unsigned)sels[s], at, brk[at]);
                for (size_t i = 0; i + 1 < n && base[at] != ' '; i++) { /* the other decisions: as without it
                                                                         * (a selector after a space is no name) */
                    size_t j = i < at ? i : i + 1;
                    if ((bbrk[i] == LB_ALLOW) != (brk[j] == LB_ALLOW))
                        CHECK(0, "%s: selector U+%04X after #%zu changes the break after #%zu", texts[t],
                              (unsigned)sels[s], at, i);
                }
                for (size_t i = 0; i < n + 1; i++)
                    adv[i] = shape_is_continuation(cps[i]) ? 0 : advance(cps[i]);
                for (long width = 500; width <= 12000; width += 500) {
                    WrapLine *lines = NULL;
                    size_t cap = 0;
                    int over = 0;
                    size_t nl = wrap_paragraph(cps, adv, brk, n + 1, width, &lines, &cap, &over);
                    for (size_t l = 0; l < nl; l++)
                        if (lines[l].start < n + 1 && shape_is_continuation(cps[lines[l].start]))
                            CHECK(0, "%s: U+%04X after #%zu, width %ld: line %zu starts with it", texts[t],
                                  (unsigned)sels[s], at, width, l + 1);
                    free(lines);
                }
                free(cps);
                free(brk);
                free(adv);
            }
        free(base);
        free(bbrk);
    }
    /* The cluster as one unit: 葛󠄀 does not end a line before 」. */
    check_breaks("名は葛\U000E0100」です", KINSOKU_STRICT, "名|は|葛\U000E0100」|で|す");
}

int main(void)
{
    test_kinsoku();
    test_selectors();
    test_wrap();
    test_seed();
    return CHECK_DONE();
}
