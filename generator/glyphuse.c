/* The glyphs drawn from one font and their texts. See glyphuse.h. */
#include "glyphuse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(size_t nslots, uint32_t gid)
{
    return (size_t)(gid * 2654435761u) & (nslots - 1);
}

/* The glyph index of gid, or GLYPHUSE_NONE. */
static size_t glyph_index(const GlyphUse *u, uint32_t gid)
{
    if (!u->nslots)
        return GLYPHUSE_NONE;
    for (size_t s = slot_of(u->nslots, gid);; s = (s + 1) & (u->nslots - 1)) {
        size_t v = u->slots[s];
        if (v == 0)
            return GLYPHUSE_NONE;
        if (u->glyphs[v - 1].gid == gid)
            return v - 1;
    }
}

static void rehash(GlyphUse *u)
{
    free(u->slots);
    u->nslots = u->nslots ? 2 * u->nslots : 256;
    u->slots = xcalloc(u->nslots, sizeof *u->slots);
    for (size_t i = 0; i < u->nglyphs; i++) {
        size_t s = slot_of(u->nslots, u->glyphs[i].gid);
        while (u->slots[s])
            s = (s + 1) & (u->nslots - 1);
        u->slots[s] = i + 1;
    }
}

size_t glyphuse_find(const GlyphUse *u, uint32_t gid, const char *text, size_t len)
{
    size_t g = glyph_index(u, gid);
    if (g == GLYPHUSE_NONE)
        return GLYPHUSE_NONE;
    for (size_t k = u->glyphs[g].first; k != GLYPHUSE_NONE; k = u->entries[k].next)
        if (u->entries[k].len == len && memcmp(u->entries[k].text, text, len) == 0)
            return k;
    return GLYPHUSE_NONE;
}

size_t glyphuse_add(GlyphUse *u, uint32_t gid, const char *text, size_t len)
{
    size_t g = glyph_index(u, gid), k = GLYPHUSE_NONE;
    if (g != GLYPHUSE_NONE) {
        k = glyphuse_find(u, gid, text, len);
    } else {
        if (2 * (u->nglyphs + 1) > u->nslots)
            rehash(u);
        GROW(u->glyphs, u->gcap, u->nglyphs + 1);
        g = u->nglyphs++;
        u->glyphs[g] = (UsedGlyph){gid, 0, GLYPHUSE_NONE, GLYPHUSE_NONE};
        size_t s = slot_of(u->nslots, gid);
        while (u->slots[s])
            s = (s + 1) & (u->nslots - 1);
        u->slots[s] = g + 1;
    }
    if (k == GLYPHUSE_NONE) {
        GROW(u->entries, u->ecap, u->nentries + 1);
        k = u->nentries++;
        u->entries[k] = (GlyphEntry){g, xstrndup(text, len), len, 0, GLYPHUSE_NONE};
        /* Appended to the glyph's chain, which stays in the order added. */
        size_t *link = &u->glyphs[g].first;
        while (*link != GLYPHUSE_NONE)
            link = &u->entries[*link].next;
        *link = k;
    }
    u->entries[k].count++;
    return k;
}

void glyphuse_count(GlyphUse *u, size_t k)
{
    u->entries[k].count++;
}

void glyphuse_settle(GlyphUse *u)
{
    for (size_t g = 0; g < u->nglyphs; g++) {
        size_t best = u->glyphs[g].first;
        for (size_t k = best; k != GLYPHUSE_NONE; k = u->entries[k].next)
            if (u->entries[k].count > u->entries[best].count)
                best = k;
        u->glyphs[g].text = best;
    }
}

int glyphuse_exact(const GlyphUse *u, size_t k)
{
    return u->glyphs[u->entries[k].glyph].text == k;
}

uint32_t glyphuse_cid(const GlyphUse *u, size_t k)
{
    return u->glyphs[u->entries[k].glyph].cid;
}

uint32_t *glyphuse_gids(const GlyphUse *u)
{
    uint32_t *gids = xmalloc((u->nglyphs ? u->nglyphs : 1) * sizeof *gids);
    for (size_t i = 0; i < u->nglyphs; i++)
        gids[i] = u->glyphs[i].gid;
    return gids;
}

void glyphuse_set_cids(GlyphUse *u, const uint32_t *cids)
{
    for (size_t i = 0; i < u->nglyphs; i++)
        u->glyphs[i].cid = cids[i];
}

void glyphuse_free(GlyphUse *u)
{
    for (size_t k = 0; k < u->nentries; k++)
        free(u->entries[k].text);
    free(u->entries);
    free(u->glyphs);
    free(u->slots);
    memset(u, 0, sizeof *u);
}
