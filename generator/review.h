/* Reviews: which cells of the form changed between two versions of a
 * document. Cells are matched by their place in the form's words
 * ("Goal 2 / Action 1"), not by position, so a cell that only moved
 * because something above it grew is not flagged. */
#ifndef POLICYGEN_REVIEW_H
#define POLICYGEN_REVIEW_H

#include <stddef.h>
#include "drawlist.h"

typedef enum { CELL_CHANGED, CELL_ADDED, CELL_REMOVED } CellChangeKind;

typedef struct {
    CellChangeKind kind;
    const char *key;  /* points into the DrawDoc it came from */
} CellChange;

/* Compare, list the changes in *out (malloc'd, new document order, then
 * the removed ones), and frame every changed or added cell in newer. */
size_t review_cells(const DrawDoc *older, DrawDoc *newer, CellChange **out);

#endif
