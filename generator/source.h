/* Read stage: the raw bytes of an input file, checked to be UTF-8, with
 * line starts so later stages can turn byte offsets into line:column. */
#ifndef POLICYGEN_SOURCE_H
#define POLICYGEN_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"

/* Largest input accepted, of every kind (a policy is a few KB, a layout
 * 10 KB). Set so that the costliest input of this size stays within the
 * budget of docs/limits.md (cmark alone takes ~190 bytes per byte of
 * "*a*a*a…"). */
#define SOURCE_MAX_BYTES (256 * 1024)

typedef struct {
    char *path;     /* as given, for messages */
    char *text;     /* NUL-terminated; a leading BOM and CRs are removed */
    size_t len;
    size_t *lines;  /* byte offset of each line start */
    size_t nlines;
} Source;

/* Returns 0, or -1 after reporting (not a regular file, unreadable, too
 * large, invalid UTF-8 with the line and column of every bad byte, and
 * characters no input may hold: see source_refused_char). */
int source_read(Source *src, const char *path, Diag *d);
/* Same checks on bytes already in memory (the fuzz target, tests). */
int source_from_bytes(Source *src, const char *path, const char *bytes, size_t len, Diag *d);
void source_free(Source *src);
/* The bytes of a regular file of at most max bytes, or NULL after
 * reporting. Every input (Markdown, layouts, the font manifest) is read
 * through here: a FIFO, device or folder is refused without blocking. */
char *source_slurp(const char *path, size_t max, size_t *len, Diag *d);

/* Why a code point may not appear in any input (NULL: it may): NUL and
 * other controls but TAB and LF, a CR that is not part of CR LF, the
 * noncharacters (U+FFFF is libunibreak's end-of-text mark), U+2028/2029. */
const char *source_refused_char(uint32_t cp);

/* The same rule on text already decoded (a YAML value after its escapes,
 * Markdown after its entities): the reason for the first refused code
 * point of text[0, len), stored in *cp, or NULL. A NUL inside is refused. */
const char *source_refused_in(const char *text, size_t len, uint32_t *cp);

/* 1-based line and character column of a byte offset. */
void source_position(const Source *src, size_t offset, int *line, int *col);
/* Byte offset of the start of a 1-based line (clamped). */
size_t source_line_offset(const Source *src, int line);
/* Character column (1-based) of a 1-based byte column on a line. */
int source_char_col(const Source *src, int line, int byte_col);

#endif
