#include "strmap.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t find(const StrMap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

int strmap_has(const StrMap *m, const char *key)
{
    return m->cap && m->keys[find(m, key)] != NULL;
}

int *strmap_slot(StrMap *m, const char *key)
{
    if (2 * (m->n + 1) > m->cap) { /* at most half full */
        StrMap bigger = {xcalloc(m->cap ? 2 * m->cap : 64, sizeof(char *)), NULL, m->cap ? 2 * m->cap : 64, m->n};
        bigger.vals = xcalloc(bigger.cap, sizeof(int));
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t k = find(&bigger, m->keys[i]);
                bigger.keys[k] = m->keys[i];
                bigger.vals[k] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        *m = bigger;
    }
    size_t i = find(m, key);
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(key);
        m->vals[i] = 0;
        m->n++;
    }
    return &m->vals[i];
}

void strmap_free(StrMap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
