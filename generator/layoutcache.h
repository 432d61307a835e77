/* Layouts loaded once per process: a multi-document build, watch and book
 * render many documents with the same few layouts, and loading one (YAML,
 * pcre2 patterns, template checks) costs as much as parsing a document.
 * An entry is used again only while its file is unchanged (device, inode,
 * size and modification time), so watch sees a layout being edited. What
 * loading reported (warnings) is replayed for every document that uses
 * the entry, so each document's messages stay what they were. */
#ifndef POLICYGEN_LAYOUTCACHE_H
#define POLICYGEN_LAYOUTCACHE_H

#include "diag.h"
#include "layout.h"

typedef struct LayoutCache LayoutCache;

LayoutCache *layoutcache_new(void);
/* Frees every layout it holds: none may be in use. */
void layoutcache_free(LayoutCache *c);

/* The layout at path, loaded and checked (template_check_layout), owned by
 * the cache; or NULL after reporting into d. A layout that fails to load
 * is not kept (it is reported again next time). */
const Layout *layoutcache_get(LayoutCache *c, const char *path, Diag *d);

#endif
