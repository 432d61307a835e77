/* The display list: what typesetting decided, in PDF terms (points, origin
 * at the bottom-left of the page), and what it means: a tree of structure
 * elements (headings, paragraphs, tables, lists) in reading order, each
 * text operation tied to the element it belongs to, everything else an
 * artifact. The renderer only draws and tags what is here. */
#ifndef POLICYGEN_DRAWLIST_H
#define POLICYGEN_DRAWLIST_H

#include <stddef.h>

typedef enum { OP_LINE, OP_FILL_RECT, OP_TEXT, OP_MARK_RECT } DrawOpKind;

/* What a text operation belongs to: an element of DrawDoc.elems (>= 0), or
 * one of these artifacts (decoration a reader skips). Rules, fills and
 * review frames are always layout artifacts. */
enum { DRAW_ARTIFACT = -1, DRAW_PAGINATION = -2 };

typedef enum { SCOPE_NONE, SCOPE_COLUMN, SCOPE_ROW, SCOPE_BOTH } DrawScope;

/* A structure element. Elements are created in reading order; an
 * element's children are the elements naming it as parent, in order,
 * then (for a leaf) the text operations tied to it, in drawing order. */
typedef struct {
    const char *role;   /* a standard structure type: "H1", "P", "Table", "TR", "TD", "L", ... */
    int parent;         /* element index; -1: the document itself */
    DrawScope scope;    /* TH: the cells it heads */
    int rowspan, colspan; /* TH, TD: table attributes (1 when not spanning) */
} DrawElem;

/* A glyph of a shaped line (typeset.c, shape.h): the renderer prints it
 * by glyph index, from its own font, and maps it back to the text it
 * stands for (text[start, start + len); len 0 for the second and later
 * glyphs of one cluster). */
typedef struct {
    unsigned gid;
    int font;
    unsigned start, len;
} DrawGlyph;

typedef struct {
    DrawOpKind kind;
    int elem;         /* TEXT: element index or DRAW_ARTIFACT / DRAW_PAGINATION */
    int label_elem;   /* TEXT: the first label_len bytes (a list marker) belong to this element */
    size_t label_len;
    double x, y;      /* LINE: start; FILL_RECT, MARK_RECT: lower-left; TEXT: baseline start */
    double x2, y2;    /* LINE: end; FILL_RECT, MARK_RECT: width/height in x2/y2 */
    double width;     /* LINE: stroke width */
    double gray;      /* LINE/FILL_RECT: 0 = black, 1 = white */
    int font;         /* TEXT: index into the FontSet */
    double size;      /* TEXT: font size in points */
    char *text;       /* TEXT: UTF-8, one line, owned */
    DrawGlyph *glyphs; /* TEXT: its glyphs, owned; NULL when every character
                        * is one BMP code point printed with its own glyph
                        * from `font` (the renderer looks it up in the cmap) */
    size_t nglyphs;
} DrawOp;

typedef struct {
    double width, height; /* points */
    DrawOp *ops;
    size_t nops, cap;
} DrawPage;

/* A cell that shows document content, as typeset: what a review compares. */
typedef struct {
    char *key;       /* the form's words, unique in the document: "Goal 2 / Action 1 (sheet)" */
    char *text;      /* what it shows, paragraphs joined by newlines */
    size_t page;
    double x, y, w, h; /* points, lower-left origin */
} DrawCell;

/* A link from a rectangle of a page to the top of another page (a
 * contents entry); elem is its Link structure element. */
typedef struct {
    size_t page, target;
    double x, y, w, h;
    int elem;
    char *text;      /* what it says, for readers (/Contents) */
} DrawLink;

typedef struct {
    char *title;     /* outline/bookmark entry */
    int level;       /* 0 = top */
    size_t page;     /* index into pages */
} DrawBookmark;

typedef struct {
    DrawPage *pages;
    size_t npages, cap;
    DrawBookmark *marks;
    size_t nmarks, mcap;
    DrawCell *cells;
    size_t ncells, ccap;
    DrawElem *elems;  /* the structure, in reading order */
    size_t nelems, ecap;
    DrawLink *links;
    size_t nlinks, lcap;
    char *title, *author, *subject, *keywords; /* document info, owned */
} DrawDoc;

DrawPage *drawdoc_add_page(DrawDoc *doc, double width, double height);
void drawpage_line(DrawPage *p, double x1, double y1, double x2, double y2, double width, double gray);
void drawpage_fill(DrawPage *p, double x, double y, double w, double h, double gray);
/* Text that belongs to no element: decoration (an arrow between cells). */
void drawpage_text(DrawPage *p, double x, double y, int font, double size, const char *utf8, size_t len);
/* Text of element elem (or an artifact kind); its first label_len bytes
 * belong to label_elem (a list item's marker), when label_len > 0. */
void drawpage_text_in(DrawPage *p, int elem, int label_elem, size_t label_len, double x, double y, int font,
                      double size, const char *utf8, size_t len);
void drawdoc_link(DrawDoc *doc, size_t page, double x, double y, double w, double h, size_t target, int elem,
                  const char *text);
/* A new structure element under parent (-1: the document); its index. */
int drawdoc_elem(DrawDoc *doc, const char *role, int parent);
void drawdoc_bookmark(DrawDoc *doc, const char *title, int level, size_t page);
void drawdoc_cell(DrawDoc *doc, const char *key, const char *text, size_t page, double x, double y, double w,
                  double h);
/* A red frame around a changed cell (review PDFs). */
void drawpage_mark(DrawPage *p, double x, double y, double w, double h);
void drawdoc_free(DrawDoc *doc);

#endif
