/* Text pasted from a word processor: characters that look like ordinary
 * text, or like nothing, but print wrong -- no-break spaces, zero-width
 * characters, soft hyphens, a tab inside a paragraph, curly quotes where
 * the form writes 「」, half-width katakana. Each is a warning at its
 * file:line:col with its U+ code and what to write instead (the invisible
 * ones never shown raw). What prints of them: shape.h (shape_clean). */
#ifndef POLICYGEN_PASTED_H
#define POLICYGEN_PASTED_H

#include "diag.h"
#include "source.h"

/* Warn about every such character of src (at most PASTED_MAX_REPORTS,
 * then a count). quotes: the form's quotation marks from its layout
 * ("「」" or "「」『』"), or NULL when curly quotes are not checked.
 * Returns the number found. */
#define PASTED_MAX_REPORTS 30
size_t pasted_check(const Source *src, const char *quotes, Diag *d);

#endif
