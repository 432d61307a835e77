#include "structure.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void tagrefs_add(TagRefs *t, size_t page, int mcid, int elem)
{
    GROW(t->refs, t->cap, t->n + 1);
    t->refs[t->n].page = page;
    t->refs[t->n].mcid = mcid;
    t->refs[t->n].elem = elem;
    t->n++;
}

void tagrefs_free(TagRefs *t)
{
    free(t->refs);
    memset(t, 0, sizeof *t);
}

static HPDF_Dict new_indirect(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

static const char *scope_name(DrawScope s)
{
    return s == SCOPE_ROW ? "Row" : s == SCOPE_BOTH ? "Both" : "Column";
}

/* /A: the table attributes of a header or data cell, when it has any. */
static void add_table_attributes(HPDF_Doc pdf, HPDF_Dict elem, const DrawElem *e)
{
    int th = strcmp(e->role, "TH") == 0;
    if (!th && e->rowspan <= 1 && e->colspan <= 1)
        return;
    HPDF_Dict a = HPDF_Dict_New(pdf->mmgr);
    if (!a || HPDF_Dict_Add(elem, "A", a) != HPDF_OK)
        return;
    HPDF_Dict_AddName(a, "O", "Table");
    if (th)
        HPDF_Dict_AddName(a, "Scope", scope_name(e->scope));
    if (e->rowspan > 1)
        HPDF_Dict_AddNumber(a, "RowSpan", e->rowspan);
    if (e->colspan > 1)
        HPDF_Dict_AddNumber(a, "ColSpan", e->colspan);
}

int structure_write(HPDF_Doc pdf, const DrawDoc *doc, HPDF_Page *pages, HPDF_Annotation *annots,
                    const TagRefs *refs)
{
    size_t n = doc->nelems;
    HPDF_Dict root = new_indirect(pdf), top = new_indirect(pdf);
    HPDF_Dict *el = xcalloc(n ? n : 1, sizeof *el);
    HPDF_Array *kids = xcalloc(n + 1, sizeof *kids); /* [n]: the Document's */
    /* Where each element's content lies: its MCIDs share one page (/Pg)
     * unless they do not, then each is a marked-content reference. */
    size_t *first_page = xmalloc((n ? n : 1) * sizeof *first_page);
    int *one_page = xmalloc((n ? n : 1) * sizeof *one_page);
    int rc = -1;
    if (!root || !top)
        goto done;
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    HPDF_Array rootk = HPDF_Array_New(pdf->mmgr);
    if (!rootk || HPDF_Dict_Add(root, "K", rootk) != HPDF_OK || HPDF_Array_Add(rootk, top) != HPDF_OK)
        goto done;
    HPDF_Dict_AddName(top, "Type", "StructElem");
    HPDF_Dict_AddName(top, "S", "Document");
    HPDF_Dict_Add(top, "P", root);
    /* Each K array belongs to its element from the start, so libharu frees
     * it with the document whatever fails later. */
    for (size_t i = 0; i <= n; i++) {
        HPDF_Dict owner = i < n ? (el[i] = new_indirect(pdf)) : top;
        if (!owner || !(kids[i] = HPDF_Array_New(pdf->mmgr)) || HPDF_Dict_Add(owner, "K", kids[i]) != HPDF_OK)
            goto done;
        if (i < n) {
            first_page[i] = (size_t)-1;
            one_page[i] = 1;
        }
    }
    for (size_t k = 0; k < refs->n; k++) {
        int e = refs->refs[k].elem;
        if (first_page[e] == (size_t)-1)
            first_page[e] = refs->refs[k].page;
        else if (first_page[e] != refs->refs[k].page)
            one_page[e] = 0;
    }
    /* Children in reading order: the elements in creation order ... */
    for (size_t i = 0; i < n; i++) {
        const DrawElem *e = &doc->elems[i];
        HPDF_Dict_AddName(el[i], "Type", "StructElem");
        HPDF_Dict_AddName(el[i], "S", e->role);
        HPDF_Dict_Add(el[i], "P", e->parent >= 0 ? el[e->parent] : top);
        add_table_attributes(pdf, el[i], e);
        HPDF_Array_Add(kids[e->parent >= 0 ? (size_t)e->parent : n], el[i]);
    }
    /* ... then a leaf's marked content, in the order it was drawn. */
    for (size_t k = 0; k < refs->n; k++) {
        const TagRef *t = &refs->refs[k];
        if (one_page[t->elem]) {
            HPDF_Array_AddNumber(kids[t->elem], t->mcid);
            continue;
        }
        HPDF_Dict mcr = HPDF_Dict_New(pdf->mmgr);
        if (!mcr || HPDF_Array_Add(kids[t->elem], mcr) != HPDF_OK)
            goto done;
        HPDF_Dict_AddName(mcr, "Type", "MCR");
        HPDF_Dict_Add(mcr, "Pg", pages[t->page]);
        HPDF_Dict_AddNumber(mcr, "MCID", t->mcid);
    }
    /* A link's annotation belongs to its Link element. */
    for (size_t i = 0; i < doc->nlinks; i++) {
        HPDF_Dict objr = HPDF_Dict_New(pdf->mmgr);
        if (!objr || HPDF_Array_Add(kids[doc->links[i].elem], objr) != HPDF_OK)
            goto done;
        HPDF_Dict_AddName(objr, "Type", "OBJR");
        HPDF_Dict_Add(objr, "Pg", pages[doc->links[i].page]);
        HPDF_Dict_Add(objr, "Obj", annots[i]);
    }
    for (size_t i = 0; i < n; i++)
        if (first_page[i] != (size_t)-1 && one_page[i])
            HPDF_Dict_Add(el[i], "Pg", pages[first_page[i]]);

    /* The parent tree: for page p (its /StructParents), the element of
     * each MCID in order. */
    HPDF_Dict ptree = new_indirect(pdf);
    HPDF_Array nums = HPDF_Array_New(pdf->mmgr);
    if (!ptree || !nums || HPDF_Dict_Add(ptree, "Nums", nums) != HPDF_OK)
        goto done;
    size_t k = 0;
    for (size_t p = 0; p < doc->npages; p++) {
        HPDF_Array parents = HPDF_Array_New(pdf->mmgr);
        HPDF_Array_AddNumber(nums, (HPDF_INT32)p);
        if (!parents || HPDF_Array_Add(nums, parents) != HPDF_OK)
            goto done;
        for (; k < refs->n && refs->refs[k].page == p; k++)
            HPDF_Array_Add(parents, el[refs->refs[k].elem]);
        HPDF_Dict_AddNumber(pages[p], "StructParents", (HPDF_INT32)p);
    }
    for (size_t i = 0; i < doc->nlinks; i++) {
        HPDF_Array_AddNumber(nums, (HPDF_INT32)(doc->npages + i));
        HPDF_Array_Add(nums, el[doc->links[i].elem]);
    }
    HPDF_Dict_Add(root, "ParentTree", ptree);
    HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)(doc->npages + doc->nlinks));

    HPDF_Dict catalog = pdf->catalog;
    HPDF_Dict mark = HPDF_Dict_New(pdf->mmgr);
    if (!mark || HPDF_Dict_Add(catalog, "MarkInfo", mark) != HPDF_OK)
        goto done;
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(catalog, "StructTreeRoot", root);
    rc = pdf->error.error_no ? -1 : 0;
done:
    free(el);
    free(kids);
    free(first_page);
    free(one_page);
    return rc;
}
