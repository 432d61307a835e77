/* Bind stage: match the document's sections to the layout's section specs
 * and validate them (counts, numbering, fields, body). The result is a tree
 * of Nodes, each an instance of a spec, with its values (named groups of the
 * heading pattern and the fields) and its body; the typesetter reads only
 * this tree. Every problem is reported in the form's words. */
#ifndef POLICYGEN_BIND_H
#define POLICYGEN_BIND_H

#include "diag.h"
#include "doc.h"
#include "layout.h"

typedef struct {
    char *key;
    char *text;
    Pos pos;
    const Block *block;      /* the `- key: value` item it came from, if any */
} Value;

typedef struct Node {
    const SectionSpec *spec;
    const Section *src;      /* the Markdown section it binds */
    Pos pos;                 /* of the heading (root: 1:1) */
    char *label;             /* the form's words: "Goal 2 / Action 1" */
    char *name;              /* its own part of the label: "Action 1" (NULL: root) */
    int index;               /* 1-based among siblings of the same spec */
    Value *values;
    size_t nvalues, vcap;
    const Block **body;      /* paragraphs and numbered items, in order */
    size_t nbody, bcap;
    Block **owned;           /* blocks made in binding (prose cut from fields) */
    size_t nowned, ocap;
    struct Node **children;
    size_t nchildren, ccap;
    struct Node *parent;
    int filler;              /* a blank row past the items of a table (typeset) */
} Node;

/* A value looked for and not found: the node that holds, or would hold,
 * it and the dotted path from there ("officers.0.role" at the root,
 * "grade" in a review, "review.body" in a goal without a review). */
typedef struct {
    const Node *node;
    char *path;
} Missing;

/* Building blocks, also for trees made by code rather than from Markdown
 * (the yearly book's table of contents). */
Node *node_new(const SectionSpec *spec, Node *parent, Pos pos);
void node_attach(Node *parent, Node *child);
void node_add_value(Node *n, const char *key, const char *text, Pos pos);

/* Always gives a tree in *out (partial after errors, for later stages to
 * report more). Returns 0, or -1 when binding reported errors. */
int bind_document(const Document *doc, const Layout *layout, Node **out, Diag *d);
void node_free(Node *n);

/* A cell (its words in `cell`) that mixes text and values lacks one:
 * tell the writer what to write where, unless binding said so already
 * (a required value) or the node is a blank row. Returns 1 if reported. */
int bind_report_missing(const Layout *l, const Missing *m, const char *cell, const char *file, Diag *d);

const Value *node_value(const Node *n, const char *key);
/* The index-th (1-based) child bound to spec id, or NULL. */
const Node *node_child(const Node *n, const char *id, int index);
size_t node_count(const Node *n, const char *id);

#endif
