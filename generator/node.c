/* The document model's tree (bind.h): nodes, their values and children. */
#include "bind.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

Node *node_new(const SectionSpec *spec, Node *parent, Pos pos)
{
    Node *n = xcalloc(1, sizeof *n);
    n->spec = spec;
    n->parent = parent;
    n->pos = pos;
    return n;
}

void node_add_value(Node *n, const char *key, const char *text, Pos pos)
{
    GROW(n->values, n->vcap, n->nvalues + 1);
    Value *v = &n->values[n->nvalues++];
    v->key = xstrdup(key);
    v->text = xstrdup(text);
    v->pos = pos;
    v->block = NULL;
}

void node_attach(Node *parent, Node *child)
{
    child->parent = parent;
    GROW(parent->children, parent->ccap, parent->nchildren + 1);
    parent->children[parent->nchildren++] = child;
}

const Value *node_value(const Node *n, const char *key)
{
    for (size_t i = 0; i < n->nvalues; i++)
        if (strcmp(n->values[i].key, key) == 0)
            return &n->values[i];
    return NULL;
}

const Node *node_child(const Node *n, const char *id, int index)
{
    for (size_t i = 0; i < n->nchildren; i++)
        if (strcmp(n->children[i]->spec->id, id) == 0 && n->children[i]->index == index)
            return n->children[i];
    return NULL;
}

size_t node_count(const Node *n, const char *id)
{
    size_t k = 0;
    for (size_t i = 0; i < n->nchildren; i++)
        k += strcmp(n->children[i]->spec->id, id) == 0;
    return k;
}

void node_free(Node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nchildren; i++)
        node_free(n->children[i]);
    free(n->children);
    for (size_t i = 0; i < n->nvalues; i++) {
        free(n->values[i].key);
        free(n->values[i].text);
    }
    free(n->values);
    free(n->body);
    for (size_t i = 0; i < n->nowned; i++) {
        free(n->owned[i]->text);
        free(n->owned[i]);
    }
    free(n->owned);
    free(n->label);
    free(n->name);
    free(n);
}
