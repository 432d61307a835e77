/* Next year's draft: this year's Markdown with the fiscal year moved on,
 * the evaluation fields and sections (those the layout marks
 * `evaluation: true`) removed, and the layout current for the new year.
 * Everything else (goals, targets, actions, their wording) stays, to be
 * edited. The result is text, built line by line from the source, so the
 * writer's own formatting survives. */
#ifndef POLICYGEN_DRAFT_H
#define POLICYGEN_DRAFT_H

#include "bind.h"
#include "doc.h"
#include "source.h"

/* year_key: the front-matter key of the fiscal year (the layout's).
 * draft_key and draft_value (the layout's `draft:`, may be NULL): the line
 * that marks the result a draft, replacing the document's own or put
 * after the year's line. */
char *draft_next_year(const Source *src, const Document *doc, const Node *root, const char *year_key, int new_year,
                      const char *new_layout, const char *draft_key, const char *draft_value);

#endif
