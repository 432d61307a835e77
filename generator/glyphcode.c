/* Private codes for glyphs libharu cannot address. See glyphcode.h. */
#include "glyphcode.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define PUA_FIRST_BLOCK 0xE0 /* U+E000 */
#define PUA_LAST_BLOCK 0xF8  /* U+F800-F8FF */

size_t glyphcode_find(const GlyphCodes *gc, uint32_t gid, const char *text, size_t len)
{
    for (size_t i = 0; i < gc->n; i++)
        if (gc->e[i].gid == gid && strlen(gc->e[i].text) == len && memcmp(gc->e[i].text, text, len) == 0)
            return i;
    return (size_t)-1;
}

size_t glyphcode_add(GlyphCodes *gc, uint32_t gid, const char *text, size_t len)
{
    size_t i = glyphcode_find(gc, gid, text, len);
    if (i != (size_t)-1)
        return i;
    GROW(gc->e, gc->cap, gc->n + 1);
    gc->e[gc->n] = (GlyphCode){gid, xstrndup(text, len), 0};
    return gc->n++;
}

static int block_used(const uint64_t *used, unsigned block)
{
    for (unsigned w = 0; w < 4; w++)
        if (used[block * 4 + w])
            return 1;
    return 0;
}

int glyphcode_assign(GlyphCodes *gc, const uint64_t *used)
{
    unsigned block = PUA_LAST_BLOCK + 1, next = 0x100; /* next code in the block: none yet */
    for (size_t i = 0; i < gc->n; i++) {
        if (next == 0x100) {
            do {
                if (block == PUA_FIRST_BLOCK)
                    return -1;
                block--;
            } while (block_used(used, block));
            next = 0;
        }
        gc->e[i].code = block << 8 | next++;
    }
    return 0;
}

void glyphcodes_free(GlyphCodes *gc)
{
    for (size_t i = 0; i < gc->n; i++)
        free(gc->e[i].text);
    free(gc->e);
    memset(gc, 0, sizeof *gc);
}
