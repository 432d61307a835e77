/* The glyphs drawn from one font and their texts. See glyphuse.h. */
#include "glyphuse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(size_t nslots, uint32_t gid)
{
    return (size_t)(gid * 2654435761u) & (nslots - 1);
}

/* The slot holding gid's first entry, or the empty slot where it would go. */
static size_t find_slot(const GlyphUse *u, uint32_t gid)
{
    size_t s = slot_of(u->nslots, gid);
    while (u->slots[s] && u->entries[u->slots[s] - 1].gid != gid)
        s = (s + 1) & (u->nslots - 1);
    return s;
}

static void rehash(GlyphUse *u)
{
    size_t old_n = u->nslots, *old = u->slots;
    u->nslots = old_n ? 2 * old_n : 256;
    u->slots = xcalloc(u->nslots, sizeof *u->slots);
    for (size_t i = 0; i < old_n; i++)
        if (old[i])
            u->slots[find_slot(u, u->entries[old[i] - 1].gid)] = old[i];
    free(old);
}

size_t glyphuse_find(const GlyphUse *u, uint32_t gid, const char *text, size_t len)
{
    if (!u->nslots)
        return GLYPHUSE_NONE;
    size_t first = u->slots[find_slot(u, gid)];
    for (size_t k = first ? first - 1 : GLYPHUSE_NONE; k != GLYPHUSE_NONE; k = u->entries[k].next)
        if (u->entries[k].len == len && memcmp(u->entries[k].text, text, len) == 0)
            return k;
    return GLYPHUSE_NONE;
}

size_t glyphuse_add(GlyphUse *u, uint32_t gid, const char *text, size_t len)
{
    size_t k = glyphuse_find(u, gid, text, len);
    if (k != GLYPHUSE_NONE)
        return k;
    if (2 * (u->nglyphs + 1) > u->nslots)
        rehash(u);
    GROW(u->entries, u->cap, u->n + 1);
    k = u->n++;
    u->entries[k] = (GlyphEntry){gid, 0, xstrndup(text, len), len, GLYPHUSE_NONE};
    size_t s = find_slot(u, gid);
    if (!u->slots[s]) { /* a new glyph */
        u->slots[s] = k + 1;
        u->nglyphs++;
        return k;
    }
    size_t last = u->slots[s] - 1; /* another text for it: last in its chain */
    while (u->entries[last].next != GLYPHUSE_NONE)
        last = u->entries[last].next;
    u->entries[last].next = k;
    return k;
}

static size_t char_slot(const GlyphUse *u, uint32_t cp)
{
    size_t s = slot_of(u->ncslots, cp);
    while (u->chars[s].entry && u->chars[s].cp != cp)
        s = (s + 1) & (u->ncslots - 1);
    return s;
}

size_t glyphuse_char(const GlyphUse *u, uint32_t cp)
{
    if (!u->ncslots)
        return GLYPHUSE_NONE;
    size_t e = u->chars[char_slot(u, cp)].entry;
    return e ? e - 1 : GLYPHUSE_NONE;
}

size_t glyphuse_add_char(GlyphUse *u, uint32_t cp, uint32_t gid, const char *text, size_t len)
{
    size_t k = glyphuse_char(u, cp);
    if (k != GLYPHUSE_NONE)
        return k;
    if (2 * (u->nchars + 1) > u->ncslots) {
        size_t old_n = u->ncslots;
        GlyphChar *old = u->chars;
        u->ncslots = old_n ? 2 * old_n : 256;
        u->chars = xcalloc(u->ncslots, sizeof *u->chars);
        for (size_t i = 0; i < old_n; i++)
            if (old[i].entry)
                u->chars[char_slot(u, old[i].cp)] = old[i];
        free(old);
    }
    k = glyphuse_add(u, gid, text, len);
    u->chars[char_slot(u, cp)] = (GlyphChar){cp, k + 1};
    u->nchars++;
    return k;
}

uint32_t *glyphuse_gids(const GlyphUse *u)
{
    uint32_t *gids = xmalloc((u->n ? u->n : 1) * sizeof *gids);
    for (size_t i = 0; i < u->n; i++)
        gids[i] = u->entries[i].gid;
    return gids;
}

void glyphuse_set_cids(GlyphUse *u, const uint32_t *cids)
{
    for (size_t i = 0; i < u->n; i++)
        u->entries[i].cid = cids[i];
}

void glyphuse_free(GlyphUse *u)
{
    for (size_t k = 0; k < u->n; k++)
        free(u->entries[k].text);
    free(u->entries);
    free(u->slots);
    free(u->chars);
    memset(u, 0, sizeof *u);
}
