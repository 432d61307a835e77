/* The PDF's logical structure (ISO 32000-1 14.7, PDF/UA-1): the display
 * list's elements (drawlist.h) written as a structure tree under one
 * Document element, each element's marked content referenced by MCID,
 * and the parent tree that maps every page's MCIDs back to elements.
 * The renderer numbers the marked content as it writes page contents and
 * records each (page, MCID, element) here. */
#ifndef POLICYGEN_STRUCTURE_H
#define POLICYGEN_STRUCTURE_H

#include <stddef.h>
#include <hpdf.h>

#include "drawlist.h"

typedef struct {
    size_t page;
    int mcid;
    int elem;
} TagRef;

typedef struct {
    TagRef *refs;   /* in the order written: by page, then MCID */
    size_t n, cap;
} TagRefs;

void tagrefs_add(TagRefs *t, size_t page, int mcid, int elem);
void tagrefs_free(TagRefs *t);

/* Write the structure tree of doc into pdf (pages[i] is the i-th page):
 * StructTreeRoot, ParentTree, /StructParents on each page, and the
 * catalog's /MarkInfo. annots[i] is the annotation of doc->links[i]: an
 * object reference in its Link element, parent-tree key npages + i.
 * Returns 0, or -1 when libharu failed. */
int structure_write(HPDF_Doc pdf, const DrawDoc *doc, HPDF_Page *pages, HPDF_Annotation *annots,
                    const TagRefs *refs);

#endif
