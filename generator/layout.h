/* The layout model: a form as data (layouts/<name>.yaml). It says how the
 * Markdown's sections bind to the form (pcre2 patterns on headings, field
 * names, counts) and where every cell stands on which page. The engine
 * knows nothing of any particular form. */
#ifndef POLICYGEN_LAYOUT_H
#define POLICYGEN_LAYOUT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "diag.h"
#include "linebreak.h"

typedef struct {
    char *file;
    int line, col;
} LayoutPos;

typedef struct {
    char *key;
    int required;
    int item_required;   /* (metadata, `required: item`) required in each item of its list
                          * the document writes: officers.1.name once officers.1 is written */
    char *pattern_src;   /* optional pcre2 pattern the value must match */
    pcre2_code *pattern;
    char *hint;          /* what a right value looks like, for messages */
    int evaluation;      /* filled in at year end: emptied in next year's draft */
    int year;            /* (metadata) the document's fiscal year: next year's draft
                          * moves it on, a book binds documents of one */
    LayoutPos pos;
} FieldSpec;

typedef enum { BODY_NONE, BODY_OPTIONAL, BODY_REQUIRED } BodyRule;

typedef struct SectionSpec {
    char *id;            /* how cells refer to it: {goal.title}, repeat: goal */
    char *name;          /* the form's words, a template: "Goal {number}" */
    char *match_src;     /* pcre2 on the heading; named groups become values */
    pcre2_code *match;
    int min, max;
    char *number;        /* named group that numbers the items, or NULL */
    char **sequence;     /* how the numbers run (default 1, 2, 3 ...) */
    size_t nsequence;
    BodyRule body;
    int items;           /* ordered-list items allowed in the body */
    FieldSpec *fields;
    size_t nfields;
    struct SectionSpec *children;
    size_t nchildren;
    int evaluation;      /* written at year end: dropped from next year's draft */
    LayoutPos pos;
} SectionSpec;

enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };
enum { VALIGN_TOP, VALIGN_MIDDLE, VALIGN_BOTTOM };
enum { BORDER_TOP = 1, BORDER_RIGHT = 2, BORDER_BOTTOM = 4, BORDER_LEFT = 8 };

/* What a cell means, for readers (the PDF's structure): a heading, a
 * paragraph, a header or data cell of the row's table, a list (each
 * paragraph an item), or decoration. NULL: the default (a data cell in a
 * table row, else a paragraph). */
enum { CELL_SCOPE_COLUMN = 1, CELL_SCOPE_ROW, CELL_SCOPE_BOTH };

typedef struct {
    char *name;          /* the form's words for the cell, for messages */
    const char *role;    /* "H1".."H6", "P", "TH", "TD", "L", "artifact" (static), or NULL */
    int scope;           /* TH: CELL_SCOPE_*; 0: column */
    int colspan;         /* table columns the cell spans (rowspan is its rows) */
    char *link;          /* template of the page number the cell links to (a contents entry), or NULL */
    double x, w;         /* mm from the left margin */
    int rowspan;
    char *text;          /* template: static label or {references} */
    LayoutPos text_pos;  /* where the text was written (the cell, or its style) */
    int text_exact;      /* written on one line without escapes: its n-th character
                          * stands at column text_pos.col + n */
    char *font;          /* font role, as named in fonts/fonts.yaml */
    double size, min_size, line_height;
    int align, valign;
    double pad[4];       /* mm: top right bottom left */
    unsigned borders;
    double border_width; /* pt */
    double fill;         /* gray level of the background; < 0: none */
    char **markers;      /* list item markers (①, ②, ...); NULL: none */
    size_t nmarkers;
    LayoutPos pos;
} CellSpec;

/* What a row is: part of nothing (its cells stand alone), a row of a
 * table, or an entry of a table of contents. Consecutive rows naming the
 * same table (or contents) form one. */
typedef enum { ROW_PLAIN, ROW_TABLE, ROW_TOC } RowKind;

/* Rows grow before text shrinks: a row with `grow` takes the height its
 * text needs at the form's size (up to max_height) from the page's spare
 * room, and rows with a `min_height` give theirs up down to it. */
typedef struct {
    double height;       /* mm; < 0: take the rest of the page */
    int grow;            /* may grow to hold its cells' text at their size */
    double max_height;   /* mm, with grow; 0: as much as the page gives */
    double min_height;   /* mm; > 0: may give up its height down to this */
    RowKind kind;
    char *group;         /* the table's or contents' name */
    CellSpec *cells;
    size_t ncells;
    LayoutPos pos;
} RowSpec;

/* A run of rows, printed once, or once per item of a section. */
typedef struct {
    char *repeat;        /* section id path ("goal", "target"), or NULL */
    double gap;          /* mm of space before each repetition */
    int min_repeat;      /* at least this many repetitions: blank rows past the items */
    RowSpec *rows;
    size_t nrows;
    LayoutPos pos;
} GroupSpec;

typedef struct {
    char *name;
    char *repeat;        /* one page per item of this section, or NULL */
    int per_page;        /* with repeat: at most this many items share a page, as many
                          * as fit (rows laid once per item) */
    char *bookmark;      /* template of the outline entry, or NULL */
    GroupSpec *groups;
    size_t ngroups;
    LayoutPos pos;
} PageSpec;


/* What one match of a layout's pattern may cost (docs/limits.md): about
 * 1 ms at worst; the forms' patterns need a few hundred steps. */
#define LAYOUT_MATCH_LIMIT 100000
#define LAYOUT_DEPTH_LIMIT 10000
#define LAYOUT_HEAP_LIMIT_KIB 8192

/* Every pattern a layout compiled, for messages about it. */
typedef struct {
    const pcre2_code *re;
    const char *src;
    LayoutPos pos;
} LayoutPattern;

typedef struct {
    char *name;
    char *path;
    pcre2_match_context *mctx; /* the limits every pattern runs with */
    LayoutPattern *patterns;
    size_t npatterns, pcap;
    int valid_from;          /* first fiscal year the format is used for (0: unknown) */
    double page_w, page_h;   /* mm */
    double margin[4];        /* mm: top right bottom left */
    LayoutPos page_pos, margin_pos; /* where they were given (line 0: defaults) */
    KinsokuLevel kinsoku;
    /* Characters (or variation sequences) the form expects from a fallback
     * font, without a warning (`fallback_chars:`; a document adds its own
     * with the front-matter key LAYOUT_FALLBACK_KEY), or NULL. */
    char *fallback_chars;
    /* The quotation marks the form uses (`quotes: 「」`): when set, curly
     * quotes “”‘’ in a document are warned about (pasted.h). NULL: none. */
    char *quotes;
    char *title, *author, *subject, *keywords; /* document info templates */
    FieldSpec *meta;         /* front-matter keys ("head.name"), checked like fields */
    size_t nmeta;
    const char *year_key;    /* the metadata key marked `year: true`, or NULL */
    CellSpec *page_number;   /* footer on every page ({page}, {pages}), or NULL */
    double page_number_bottom; /* mm from the bottom edge to its baseline */
    /* A draft (front matter draft_key: draft_value, written by `next`):
     * draft_mark on every page, and never published (build --final, book). */
    char *draft_key, *draft_value;
    CellSpec *draft_mark;
    double draft_mark_top;   /* mm from the top edge */
    SectionSpec root;        /* children = the top-level sections */
    PageSpec *pages;
    size_t npages;
} Layout;

/* The front-matter key where a writer lists the characters a fallback font
 * is expected to print (docs/content-format.md): known to every layout. */
#define LAYOUT_FALLBACK_KEY "fallback_chars"
/* Is key the front matter's LAYOUT_FALLBACK_KEY, written as a string or
 * as a list (fallback_chars.0, .1, ...)? */
int layout_is_fallback_key(const char *key);

/* Load layouts/<name>.yaml. Returns NULL after reporting every problem. */
Layout *layout_load(const char *path, Diag *d);
void layout_free(Layout *l);

/* Match one of the layout's patterns against subject within the layout's
 * match and depth limits (docs/limits.md). Returns 1 on a match (groups in
 * md when given), 0 on none, -1 after reporting a pattern that hit a limit
 * (a catastrophic pattern is the layout's error, never a silent "no"). */
int layout_match(const Layout *l, const pcre2_code *re, const char *subject, pcre2_match_data *md, Diag *d);

/* The length of the list item a metadata key belongs to: "officers.1"
 * of "officers.1.name" (up to its last numeric part); 0 outside lists. */
size_t layout_item_len(const char *key);

/* Every number of a loaded layout within what a printed form can mean
 * (cells on their page, readable sizes; docs/limits.md), reported at the
 * layout's file:line:col (top: the layout's own position). 0, or -1. */
int layout_check_ranges(const Layout *l, const LayoutPos *top, Diag *d);

/* Is the document with this front matter value (of draft_key; NULL when
 * absent) a draft? */
int layout_is_draft(const Layout *l, const char *value);

/* Find a section spec by id among children of parent (not deeper). */
const SectionSpec *layout_child(const SectionSpec *parent, const char *id);

#endif
