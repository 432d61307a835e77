/* Kinsoku classes as data: W3C JLReq Appendix A (character classes) and its
 * "in principle" lists (#characters_not_starting_a_line,
 * #characters_not_ending_a_line, #unbreakable_character_sequences).
 * ASCII and full-width / half-width compatibility forms are listed next to
 * the JLReq characters because city documents (CP932 sources, spreadsheets)
 * use them interchangeably. */
#include "kinsoku.h"

#include <stddef.h>

typedef struct {
    uint32_t lo, hi;
    KinsokuClass cls;
} ClassRange;

#define ONE(cp, cls) {cp, cp, cls}

static const ClassRange classes[] = {
    /* cl-01 opening brackets: ‘ “ ( （ 〔 [ ［ { ｛ 〈 《 「 ｢ 『 【 ⦅ ｟ 〘 〖 « 〝 */
    ONE(0x2018, KC_OPEN), ONE(0x201C, KC_OPEN), ONE(0x0028, KC_OPEN), ONE(0xFF08, KC_OPEN),
    ONE(0x3014, KC_OPEN), ONE(0x005B, KC_OPEN), ONE(0xFF3B, KC_OPEN), ONE(0x007B, KC_OPEN),
    ONE(0xFF5B, KC_OPEN), ONE(0x3008, KC_OPEN), ONE(0x300A, KC_OPEN), ONE(0x300C, KC_OPEN),
    ONE(0xFF62, KC_OPEN), ONE(0x300E, KC_OPEN), ONE(0x3010, KC_OPEN), ONE(0x2985, KC_OPEN),
    ONE(0xFF5F, KC_OPEN), ONE(0x3018, KC_OPEN), ONE(0x3016, KC_OPEN), ONE(0x00AB, KC_OPEN),
    ONE(0x301D, KC_OPEN),
    /* cl-02 closing brackets: ’ ” ) ） 〕 ] ］ } ｝ 〉 》 」 ｣ 』 】 ⦆ ｠ 〙 〗 » 〟,
     * plus 〞, which fonts also draw as the closing double-prime quote */
    ONE(0x2019, KC_CLOSE), ONE(0x201D, KC_CLOSE), ONE(0x0029, KC_CLOSE), ONE(0xFF09, KC_CLOSE),
    ONE(0x3015, KC_CLOSE), ONE(0x005D, KC_CLOSE), ONE(0xFF3D, KC_CLOSE), ONE(0x007D, KC_CLOSE),
    ONE(0xFF5D, KC_CLOSE), ONE(0x3009, KC_CLOSE), ONE(0x300B, KC_CLOSE), ONE(0x300D, KC_CLOSE),
    ONE(0xFF63, KC_CLOSE), ONE(0x300F, KC_CLOSE), ONE(0x3011, KC_CLOSE), ONE(0x2986, KC_CLOSE),
    ONE(0xFF60, KC_CLOSE), ONE(0x3019, KC_CLOSE), ONE(0x3017, KC_CLOSE), ONE(0x00BB, KC_CLOSE),
    ONE(0x301F, KC_CLOSE), ONE(0x301E, KC_CLOSE),
    /* cl-03 hyphens: ‐ 〜 ゠ –, plus ～ (CP932's 〜 becomes U+FF5E on Windows) */
    ONE(0x2010, KC_HYPHEN), ONE(0x301C, KC_HYPHEN), ONE(0x30A0, KC_HYPHEN), ONE(0x2013, KC_HYPHEN),
    ONE(0xFF5E, KC_HYPHEN),
    /* cl-04 dividing punctuation: ! ！ ? ？ ‼ ⁇ ⁈ ⁉ */
    ONE(0x0021, KC_DIVIDING), ONE(0xFF01, KC_DIVIDING), ONE(0x003F, KC_DIVIDING),
    ONE(0xFF1F, KC_DIVIDING), ONE(0x203C, KC_DIVIDING), {0x2047, 0x2049, KC_DIVIDING},
    /* cl-05 middle dots: ・ ･ : ： ; ； */
    ONE(0x30FB, KC_MIDDLE_DOT), ONE(0xFF65, KC_MIDDLE_DOT), ONE(0x003A, KC_MIDDLE_DOT),
    ONE(0xFF1A, KC_MIDDLE_DOT), ONE(0x003B, KC_MIDDLE_DOT), ONE(0xFF1B, KC_MIDDLE_DOT),
    /* cl-06 full stops: 。 ｡ . ． */
    ONE(0x3002, KC_FULL_STOP), ONE(0xFF61, KC_FULL_STOP), ONE(0x002E, KC_FULL_STOP),
    ONE(0xFF0E, KC_FULL_STOP),
    /* cl-07 commas: 、 ､ , ， */
    ONE(0x3001, KC_COMMA), ONE(0xFF64, KC_COMMA), ONE(0x002C, KC_COMMA), ONE(0xFF0C, KC_COMMA),
    /* cl-08 inseparable: — ― (U+2015 stands for the dash in CP932 text) ‥ … 〳〴〵 */
    {0x2014, 0x2015, KC_INSEPARABLE}, {0x2025, 0x2026, KC_INSEPARABLE},
    {0x3033, 0x3035, KC_INSEPARABLE},
    /* cl-09 iteration marks: ヽ ヾ ゝ ゞ 々 〻 */
    {0x30FD, 0x30FE, KC_ITERATION}, {0x309D, 0x309E, KC_ITERATION}, ONE(0x3005, KC_ITERATION),
    ONE(0x303B, KC_ITERATION),
    /* cl-10 prolonged sound mark: ー ｰ */
    ONE(0x30FC, KC_PROLONGED), ONE(0xFF70, KC_PROLONGED),
    /* cl-11 small kana: ぁぃぅぇぉっゃゅょゎゕゖ ァィゥェォッャュョヮヵヶ ㇰ-ㇿ ｧ-ｯ */
    ONE(0x3041, KC_SMALL_KANA), ONE(0x3043, KC_SMALL_KANA), ONE(0x3045, KC_SMALL_KANA),
    ONE(0x3047, KC_SMALL_KANA), ONE(0x3049, KC_SMALL_KANA), ONE(0x3063, KC_SMALL_KANA),
    ONE(0x3083, KC_SMALL_KANA), ONE(0x3085, KC_SMALL_KANA), ONE(0x3087, KC_SMALL_KANA),
    ONE(0x308E, KC_SMALL_KANA), {0x3095, 0x3096, KC_SMALL_KANA},
    ONE(0x30A1, KC_SMALL_KANA), ONE(0x30A3, KC_SMALL_KANA), ONE(0x30A5, KC_SMALL_KANA),
    ONE(0x30A7, KC_SMALL_KANA), ONE(0x30A9, KC_SMALL_KANA), ONE(0x30C3, KC_SMALL_KANA),
    ONE(0x30E3, KC_SMALL_KANA), ONE(0x30E5, KC_SMALL_KANA), ONE(0x30E7, KC_SMALL_KANA),
    ONE(0x30EE, KC_SMALL_KANA), {0x30F5, 0x30F6, KC_SMALL_KANA},
    {0x31F0, 0x31FF, KC_SMALL_KANA}, {0xFF67, 0xFF6F, KC_SMALL_KANA},
    /* cl-12 prefixed abbreviations: ¥ ￥ $ ＄ £ ￡ # ＃ € № */
    ONE(0x00A5, KC_PREFIX), ONE(0xFFE5, KC_PREFIX), ONE(0x0024, KC_PREFIX), ONE(0xFF04, KC_PREFIX),
    ONE(0x00A3, KC_PREFIX), ONE(0xFFE1, KC_PREFIX), ONE(0x0023, KC_PREFIX), ONE(0xFF03, KC_PREFIX),
    ONE(0x20AC, KC_PREFIX), ONE(0x2116, KC_PREFIX),
    /* cl-13 postfixed abbreviations: % ％ ‰ ° ′ ″ ℃ ¢ ￠
     * ㌫ ㌔ ㌘ ㍍ ㌦ ㌧ ㌃ ㌶ ㍑ ㍗ ㌍ ㌢ ㌣ ㌻ ㎝ ㎏ ㎜ ㎞ ㎡ ㏄ */
    ONE(0x0025, KC_POSTFIX), ONE(0xFF05, KC_POSTFIX), ONE(0x2030, KC_POSTFIX),
    ONE(0x00B0, KC_POSTFIX), {0x2032, 0x2033, KC_POSTFIX}, ONE(0x2103, KC_POSTFIX),
    ONE(0x00A2, KC_POSTFIX), ONE(0xFFE0, KC_POSTFIX),
    ONE(0x332B, KC_POSTFIX), ONE(0x3314, KC_POSTFIX), ONE(0x3318, KC_POSTFIX),
    ONE(0x334D, KC_POSTFIX), {0x3326, 0x3327, KC_POSTFIX}, ONE(0x3303, KC_POSTFIX),
    ONE(0x3336, KC_POSTFIX), ONE(0x3351, KC_POSTFIX), ONE(0x3357, KC_POSTFIX),
    ONE(0x330D, KC_POSTFIX), {0x3322, 0x3323, KC_POSTFIX}, ONE(0x333B, KC_POSTFIX),
    ONE(0x339D, KC_POSTFIX), ONE(0x338F, KC_POSTFIX), ONE(0x339C, KC_POSTFIX),
    ONE(0x339E, KC_POSTFIX), ONE(0x33A1, KC_POSTFIX), ONE(0x33C4, KC_POSTFIX),
    /* European numerals (runs of them are cl-24 / unbreakable): 0-9 ０-９ */
    {0x0030, 0x0039, KC_DIGIT}, {0xFF10, 0xFF19, KC_DIGIT},
    /* full-width Latin letters: Ａ-Ｚ ａ-ｚ */
    {0xFF21, 0xFF3A, KC_FW_LETTER}, {0xFF41, 0xFF5A, KC_FW_LETTER},
};

KinsokuClass kinsoku_class(uint32_t cp)
{
    /* Ideographs, the bulk of the text, have no kinsoku role: skip the scan. */
    if ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF))
        return KC_OTHER;
    /* A linear scan: the table is small and kept in JLReq order for reading. */
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (cp >= classes[i].lo && cp <= classes[i].hi)
            return classes[i].cls;
    return KC_OTHER;
}
