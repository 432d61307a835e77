/* A map from strings to counts (open addressing, FNV-1a): for numbering
 * repeated names in linear time. */
#ifndef POLICYGEN_STRMAP_H
#define POLICYGEN_STRMAP_H

#include <stddef.h>

typedef struct {
    char **keys;  /* cap slots, NULL when empty; owned */
    int *vals;
    size_t cap, n;
} StrMap;

/* The value of key, inserted as 0 when new. The pointer is valid until
 * the next call. */
int *strmap_slot(StrMap *m, const char *key);
/* Is key in the map? */
int strmap_has(const StrMap *m, const char *key);
void strmap_free(StrMap *m);

#endif
