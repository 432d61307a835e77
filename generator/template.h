/* Cell text templates: literal text with {references} to the bound tree,
 * e.g. "{fiscal_year|era|fullwidth}度 {department}の運営方針". A reference
 * is a dotted path looked up from the cell's scope outwards: a value of the
 * node ("title", a field such as "office"), "body", "index", or a child section
 * by id ("review.body", "officers.0.name" for front matter). Filters:
 * era (2024 -> 令和6年), fullwidth (ASCII digits and letters -> 全角).
 *
 * {? ... ?} is an optional part: it prints only when every reference inside
 * it has a value, and disappears with its literal text otherwise
 * ("{name}{?（{role}）?}"). {{ and }} print braces. Outside optional parts,
 * a template that is one reference prints blank when the value is empty;
 * any other template never prints in part: an empty value leaves the cell
 * blank and is reported (Paras.lack). */
#ifndef POLICYGEN_TEMPLATE_H
#define POLICYGEN_TEMPLATE_H

#include <stddef.h>
#include "bind.h"

typedef struct {
    char *text;
    Pos pos;      /* where the text came from (0:0 for layout labels) */
    int item;     /* an ordered-list item: print it with a marker */
    int number;   /* the item's ordinal, 1-based */
} Para;

typedef struct {
    Para *p;
    size_t n, cap;
    int missing;  /* a value outside the optional parts is empty: the cell prints blank */
    Missing lack; /* with lack.node: that value, in a template that mixes text and
                   * values, so the blank is an error for the writer */
} Paras;

/* Expand tmpl in scope into paragraphs. A template that is a single
 * reference to a body yields one paragraph per block; anything else one
 * paragraph. */
void template_expand(const char *tmpl, const Node *scope, Paras *out);
/* Expand to one string (bodies joined by newlines); NULL if a value
 * outside the optional parts is empty. */
char *template_string(const char *tmpl, const Node *scope);
void paras_free(Paras *ps);

/* Check every template of a layout (cells, bookmarks, document info):
 * each reference must name something its scope can hold, each filter
 * must exist, optional parts must be closed, hold a reference and not
 * nest. A typo in a layout is an error, not a blank cell. */
int template_check_layout(const Layout *l, Diag *d);

/* The filters, exposed for tests. */
char *filter_fullwidth(const char *s);

#endif
