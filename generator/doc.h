/* The document model: what the Markdown says, before any layout is
 * applied. Sections nest by heading level; fields are not told apart
 * from list items yet, because only the layout knows the field names. */
#ifndef POLICYGEN_DOC_H
#define POLICYGEN_DOC_H

#include <stddef.h>

typedef struct {
    int line, col; /* 1-based; col counts characters */
} Pos;

typedef enum { BLOCK_PARA, BLOCK_ITEM } BlockKind;

typedef struct {
    BlockKind kind;
    char *text;   /* inline content as plain UTF-8; a hard line break is '\n' */
    Pos pos;
    int end_line; /* last source line of the block */
    char *lines;  /* BLOCK_PARA: the text line by line as written, or NULL */
    int ordered;  /* BLOCK_ITEM: from an ordered list */
    int number;   /* BLOCK_ITEM: its ordinal as written (1. 2. ...) */
} Block;

typedef struct Section {
    char *heading;
    int level;    /* 1 for #, 2 for ##; 0 for the root */
    Pos pos;
    int end_line; /* last source line before the next heading of its level or above */
    Block *blocks;
    size_t nblocks, bcap;
    struct Section **children;
    size_t nchildren, ccap;
} Section;

/* Front matter, flattened: {head: {name: X}} gives "head.name" = X,
 * lists give "officers.0.name". */
typedef struct {
    char *key;
    char *value;
    Pos pos;
} MetaEntry;

typedef struct {
    char *path;
    MetaEntry *meta;
    size_t nmeta, mcap;
    int has_front_matter;
    int front_matter_invalid; /* reported already: later stages stay quiet about it */
    Section root;
} Document;

void document_free(Document *doc);
void meta_free(MetaEntry *meta, size_t n);
const MetaEntry *document_meta(const Document *doc, const char *key);

#endif
