/* What the binding stage's files (bind.c, bind_meta.c) share. */
#ifndef POLICYGEN_BIND_INTERNAL_H
#define POLICYGEN_BIND_INTERNAL_H

#include "bind.h"

typedef struct {
    const Document *doc;
    const Layout *layout;
    Diag *d;
    int pattern_failed; /* a pattern hit its limits: reported once, no more matching */
    double match_seconds; /* seconds spent matching the layout's patterns (BIND_MATCH_SECONDS) */
} Binder;

/* A layout pattern matched within the run's budget; after a pattern gave
 * up, nothing matches (and nothing more is said: the layout's error is the
 * one to fix). */
int bind_matches(Binder *b, pcre2_code *re, const char *s);

/* The front matter's keys into the root's values, each checked. */
void bind_meta(Binder *b, Node *root);

/* A front-matter value a cell needs is missing: say where to write it,
 * unless bind_meta said so already. Returns 1 if reported. */
int bind_missing_meta(const Layout *l, const Node *root, const char *key, const char *cell, const char *file, Diag *d);

#endif
