/* Small helpers shared by every stage: checked allocation, a growable
 * byte buffer, UTF-8 decoding. */
#ifndef POLICYGEN_UTIL_H
#define POLICYGEN_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Exit status when an allocation fails (the x* functions stop the run). */
#define EXIT_OUT_OF_MEMORY 3

/* Stop the run as the x* functions do when memory runs out (a message,
 * status 3): for memory a library or a thread could not get and said so. */
_Noreturn void out_of_memory(void);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Free n strings and the array holding them. */
void strs_free(char **s, size_t n);

/* Grow *arr (of *cap elements of size elem) so that it holds at least need. */
void grow(void **arr, size_t *cap, size_t need, size_t elem);
#define GROW(arr, cap, need) grow((void **)&(arr), &(cap), (need), sizeof *(arr))
/* The same, failing (-1, *arr as it was) instead of stopping the run: for
 * threads, where running out of memory is the main thread's to report. */
int try_grow(void **arr, size_t *cap, size_t need, size_t elem);
#define TRY_GROW(arr, cap, need) try_grow((void **)&(arr), &(cap), (need), sizeof *(arr))

typedef struct {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len, cap;
} StrBuf;

void sb_append(StrBuf *sb, const char *s, size_t n);
void sb_puts(StrBuf *sb, const char *s);
void sb_putc(StrBuf *sb, char c);
void sb_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_put_utf8(StrBuf *sb, uint32_t cp);
/* Hand the buffer's string to the caller (never NULL) and reset the buffer. */
char *sb_take(StrBuf *sb);
void sb_free(StrBuf *sb);

/* Decode one UTF-8 sequence at s (at most n bytes). Returns its length and
 * stores the code point, or returns 0 for an invalid or truncated sequence
 * (overlongs, surrogates and values above U+10FFFF are invalid). */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Decode a valid UTF-8 string into a new array of code points. */
uint32_t *utf8_to_u32(const char *s, size_t *count);
/* Bytes of cp in UTF-8. */
size_t utf8_length(uint32_t cp);
/* Where the character before byte i of s starts (0 at the start). */
size_t utf8_back(const char *s, size_t i);

/* Bytes of the longest prefix of s, at most max bytes, that does not cut
 * a UTF-8 sequence (for quoting text in messages). */
int utf8_prefix(const char *s, size_t max);

/* " " when s ends in an ASCII letter or digit, else "": what goes between
 * a label and the Japanese text after it in a message ("Goal 1 の",
 * but "原稿の"). */
const char *ja_gap(const char *s);

/* A character that shows no ink, or nothing a reader can tell apart in a
 * message: spaces, controls, format characters (zero-width, joiners, BOM,
 * soft hyphen), variation selectors. */
int cp_invisible(uint32_t cp);
/* Nothing but invisible characters (spaces, zero-width characters,
 * selectors): text that prints as nothing. */
int text_blank(const char *s);

/* Characters for a message, never an invisible one raw: "`葛` (U+845B
 * U+E0103)", "(U+200B)", "`𠮷` (U+20BB7)". */
void sb_put_chars(StrBuf *sb, const uint32_t *cps, size_t n);
/* Four upper-case hex digits of v (a PDF string's 16-bit code). */
void sb_put_hex4(StrBuf *sb, uint32_t v);
/* text[0, n) as UTF-16BE in hex (surrogate pairs above U+FFFF): the
 * text of /ActualText and ToUnicode. */
void sb_put_utf16_hex(StrBuf *sb, const char *text, size_t n);

/* Number of code points in a valid UTF-8 string (used for columns). */
size_t utf8_count(const char *s, size_t n);

#endif
