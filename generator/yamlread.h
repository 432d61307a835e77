/* The one YAML reader: front matter, layouts and the font manifest all go
 * through it. Text comes from a Source (so the one UTF-8 decoder and its
 * refused characters apply), is parsed event by event with libyaml, and is
 * built into a yaml_document_t only within budgets checked as the events
 * arrive: nesting depth (before libyaml reads a deeper level, where its
 * flow scanner turns quadratic), number of nodes, length of a scalar.
 * Anchors, aliases, tags and directives are refused: these files are
 * plain data, and an alias would turn the tree into a graph (the "billion
 * laughs"). Duplicate keys in a mapping are refused too. */
#ifndef POLICYGEN_YAMLREAD_H
#define POLICYGEN_YAMLREAD_H

#include <stddef.h>
#include <yaml.h>

#include "diag.h"
#include "doc.h"
#include "source.h"

typedef struct {
    const char *what;  /* the input's name in messages ("前付け", "layout") */
    int japanese;      /* messages for writers (Japanese) or for layout authors */
    int max_depth;     /* nested collections */
    size_t max_nodes;
    size_t max_scalar; /* bytes */
} YamlLimits;

/* The budgets of each kind of input (docs/limits.md). */
extern const YamlLimits YAML_FRONT_MATTER, YAML_LAYOUT, YAML_FONT_MANIFEST;

typedef struct {
    yaml_document_t doc;
    int loaded;       /* doc holds a document (free it) */
    int first_line;   /* file line of the YAML text's first line */
} YamlDoc;

/* Parse src->text[start, end) (the YAML text begins on file line
 * first_line). Returns 0 with y->doc loaded, or -1 after reporting every
 * problem found (a syntax error stops the parse). */
int yaml_read(YamlDoc *y, const Source *src, size_t start, size_t end, int first_line, const YamlLimits *lim,
              Diag *d);
void yaml_doc_free(YamlDoc *y);

/* File position (1-based line, character column) of a node. */
Pos yaml_node_pos(const YamlDoc *y, const yaml_node_t *n);

yaml_node_t *yaml_root(YamlDoc *y);
yaml_node_t *yaml_node(YamlDoc *y, int id);

#endif
