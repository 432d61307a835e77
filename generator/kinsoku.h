/* Kinsoku character classes (W3C JLReq Appendix A "character classes",
 * JIS X 4051 §4.3-4.5) as data, for the tailoring in linebreak.c. */
#ifndef POLICYGEN_KINSOKU_H
#define POLICYGEN_KINSOKU_H

#include <stdint.h>

/* In JLReq order; linebreak.c tests the range KC_CLOSE..KC_COMMA. */
typedef enum {
    KC_OTHER = 0,   /* everything without a kinsoku role */
    KC_OPEN,        /* cl-01 opening brackets: may not end a line */
    KC_CLOSE,       /* cl-02 closing brackets: may not start a line */
    KC_HYPHEN,      /* cl-03 hyphens */
    KC_DIVIDING,    /* cl-04 dividing punctuation ！？ */
    KC_MIDDLE_DOT,  /* cl-05 middle dots ・：； */
    KC_FULL_STOP,   /* cl-06 full stops 。． */
    KC_COMMA,       /* cl-07 commas 、， */
    KC_INSEPARABLE, /* cl-08 ―— …‥: no break between two of the same */
    KC_ITERATION,   /* cl-09 iteration marks 々ゝ (strict only) */
    KC_PROLONGED,   /* cl-10 prolonged sound mark ー (strict only) */
    KC_SMALL_KANA,  /* cl-11 small kana っゃ (strict only) */
    KC_PREFIX,      /* cl-12 prefixed abbreviations ¥$: glued to a following numeral */
    KC_POSTFIX,     /* cl-13 postfixed abbreviations %℃: glued to a preceding numeral */
    KC_DIGIT,       /* European numerals, ASCII or full-width (cl-24 runs) */
    KC_FW_LETTER    /* full-width Latin letters: one word, like ASCII ones */
} KinsokuClass;

/* The JLReq class of one code point. */
KinsokuClass kinsoku_class(uint32_t cp);

#endif
