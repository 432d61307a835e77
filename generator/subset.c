/* HarfBuzz font subsetting by glyph id. See subset.h. */
#include "subset.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>

/* The tables of a TrueType program inside a CIDFontType2 (ISO 32000-1
 * 9.9): cvt, fpgm and prep only for hinting, which NO_HINTING drops
 * (useless at print resolutions, ~40% of the bytes); the cmap only for a
 * simple font (a CIDFontType2 reaches glyphs through its CIDToGIDMap).
 * Everything else (cmap, name, post, OS/2, GSUB, GPOS, vmtx, vhea, DSIG,
 * meta, gasp, ...) is useless inside a PDF. Listing what we keep is robust
 * against whatever tables a replacement font brings along. */
static const hb_tag_t keep_tags[] = {
    HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('h', 'e', 'a', 'd'),
    HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
};

static int kept(hb_tag_t t)
{
    for (size_t i = 0; i < sizeof keep_tags / sizeof keep_tags[0]; i++)
        if (keep_tags[i] == t)
            return 1;
    return 0;
}

/* The original face's tables but its cmap. Asked for glyphs (not code
 * points), HarfBuzz 6.0 reads the whole cmap to find the characters of
 * those glyphs, for a cmap we drop: for a CJK font that was most of the
 * subsetting time. Without a cmap it has nothing to read. */
static hb_blob_t *table_but_cmap(hb_face_t *face, hb_tag_t tag, void *user)
{
    (void)face;
    return tag == HB_TAG('c', 'm', 'a', 'p') ? NULL : hb_face_reference_table(user, tag);
}

static void face_destroy(void *user)
{
    hb_face_destroy(user);
}

/* ---- copies of glyphs ------------------------------------------------------ */

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A table of face as a writable copy of at least min bytes, or NULL. */
static unsigned char *table_copy(hb_face_t *face, hb_tag_t tag, size_t min, size_t extra, size_t *len)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    unsigned int n = 0;
    const char *data = hb_blob_get_data(b, &n);
    unsigned char *copy = NULL;
    if (data && n >= min) {
        copy = xcalloc(n + extra, 1);
        memcpy(copy, data, n);
        *len = n;
    }
    hb_blob_destroy(b);
    return copy;
}

static void add_table(hb_face_t *builder, hb_tag_t tag, unsigned char *data, size_t len, int *ok)
{
    hb_blob_t *b = hb_blob_create((const char *)data, (unsigned)len, HB_MEMORY_MODE_WRITABLE, data, free);
    *ok &= hb_face_builder_add_table(builder, tag, b) ? 1 : 0;
    hb_blob_destroy(b);
}

/* The font program sub with glyphs from[0, k) appended again as glyphs
 * numGlyphs, numGlyphs + 1, ...: the same outline (composites keep their
 * components) and metrics; loca and hmtx rewritten in full, loca long when
 * glyf outgrows the short form. NULL when sub lacks a table or the count
 * would pass 65535. */
static hb_blob_t *with_copies(hb_face_t *sub, const uint32_t *from, size_t k)
{
    hb_blob_t *bytes = hb_face_reference_blob(sub);
    hb_face_t *src = hb_face_create(bytes, 0);
    hb_blob_destroy(bytes);
    size_t head_len = 0, hhea_len = 0, maxp_len = 0, loca_len = 0, hmtx_len = 0, glyf_len = 0;
    unsigned char *head = table_copy(src, HB_TAG('h', 'e', 'a', 'd'), 54, 0, &head_len);
    unsigned char *hhea = table_copy(src, HB_TAG('h', 'h', 'e', 'a'), 36, 0, &hhea_len);
    unsigned char *maxp = table_copy(src, HB_TAG('m', 'a', 'x', 'p'), 6, 0, &maxp_len);
    unsigned char *loca = table_copy(src, HB_TAG('l', 'o', 'c', 'a'), 2, 0, &loca_len);
    unsigned char *hmtx = table_copy(src, HB_TAG('h', 'm', 't', 'x'), 4, 0, &hmtx_len);
    hb_blob_t *glyf_blob = hb_face_reference_table(src, HB_TAG('g', 'l', 'y', 'f'));
    unsigned int glen = 0;
    const unsigned char *glyf = (const unsigned char *)hb_blob_get_data(glyf_blob, &glen);
    glyf_len = glen;
    hb_blob_t *res = NULL;
    size_t n = maxp ? rd16(maxp + 4) : 0, nhm = hhea ? rd16(hhea + 34) : 0;
    int long_loca = head && rd16(head + 50) != 0;
    if (!head || !hhea || !maxp || !loca || !hmtx || !glyf || n == 0 || nhm == 0 || nhm > n ||
        4 * nhm + 2 * (n - nhm) > hmtx_len || loca_len < (long_loca ? 4 : 2) * (n + 1) || n + k > 0xFFFF)
        goto done;
    /* Where glyph g's outline is. */
#define LOCA(g) (long_loca ? (size_t)rd32(loca + 4 * (g)) : 2 * (size_t)rd16(loca + 2 * (g)))
    size_t end = LOCA(n); /* the originals' outlines; copies follow */
    if (end > glyf_len)
        goto done;
    size_t size = end;
    for (size_t i = 0; i < k; i++) {
        if (from[i] >= n || LOCA(from[i]) > LOCA(from[i] + 1) || LOCA(from[i] + 1) > glyf_len)
            goto done;
        size += (LOCA(from[i] + 1) - LOCA(from[i]) + 3) & ~(size_t)3;
    }
    size_t total = n + k;
    int long2 = long_loca || size > 0x1FFFE;
    unsigned char *glyf2 = xcalloc(size ? size : 1, 1), *loca2 = xcalloc((long2 ? 4 : 2) * (total + 1), 1);
    unsigned char *hmtx2 = xcalloc(4 * total, 1);
    memcpy(glyf2, glyf, end);
    size_t at = end;
    for (size_t g = 0; g <= total; g++) {
        size_t off = g < n ? LOCA(g) : at; /* past the originals: where copy g - n starts */
        if (g >= n && g < total) {
            size_t a = LOCA(from[g - n]), b = LOCA(from[g - n] + 1);
            memcpy(glyf2 + at, glyf + a, b - a);
            at += (b - a + 3) & ~(size_t)3;
        }
        if (long2)
            wr32(loca2 + 4 * g, (uint32_t)off);
        else
            wr16(loca2 + 2 * g, (uint32_t)(off / 2));
    }
    for (size_t g = 0; g < total; g++) {
        size_t o = g < n ? g : from[g - n];
        uint32_t adv = rd16(hmtx + 4 * (o < nhm ? o : nhm - 1));
        uint32_t lsb = o < nhm ? rd16(hmtx + 4 * o + 2) : rd16(hmtx + 4 * nhm + 2 * (o - nhm));
        wr16(hmtx2 + 4 * g, adv);
        wr16(hmtx2 + 4 * g + 2, lsb);
    }
#undef LOCA
    wr16(head + 50, (uint32_t)long2);
    wr16(hhea + 34, (uint32_t)total);
    wr16(maxp + 4, (uint32_t)total);
    hb_face_t *b = hb_face_builder_create();
    int ok = 1;
    add_table(b, HB_TAG('g', 'l', 'y', 'f'), glyf2, size, &ok);
    add_table(b, HB_TAG('l', 'o', 'c', 'a'), loca2, (long2 ? 4 : 2) * (total + 1), &ok);
    add_table(b, HB_TAG('h', 'm', 't', 'x'), hmtx2, 4 * total, &ok);
    add_table(b, HB_TAG('h', 'e', 'a', 'd'), head, head_len, &ok);
    add_table(b, HB_TAG('h', 'h', 'e', 'a'), hhea, hhea_len, &ok);
    add_table(b, HB_TAG('m', 'a', 'x', 'p'), maxp, maxp_len, &ok);
    head = hhea = maxp = NULL; /* the blobs own them */
    res = ok ? hb_face_reference_blob(b) : NULL;
    hb_face_destroy(b);
done:
    free(head);
    free(hhea);
    free(maxp);
    free(loca);
    free(hmtx);
    hb_blob_destroy(glyf_blob);
    hb_face_destroy(src);
    return res;
}

/* ---- subsetting ------------------------------------------------------------- */

int subset_glyphs(hb_face_t *face, const char *name, const uint32_t *gids, size_t n, uint32_t *new_gids,
                  unsigned char **out, size_t *outlen, Diag *d, const char *file)
{
    *out = NULL;
    *outlen = 0;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        diag_error(d, file, 0, 0, "out of memory subsetting %s", name);
        return -1;
    }
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    for (size_t i = 0; i < n; i++)
        hb_set_add(glyphs, gids[i]);
    /* No code points: the unicode set stays empty, so nothing is added
     * for a cmap (which is dropped anyway). */
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    unsigned int start = 0, count;
    do {
        count = sizeof tags / sizeof tags[0];
        hb_face_get_table_tags(face, start, &count, tags);
        for (unsigned int i = 0; i < count; i++)
            if (!kept(tags[i]))
                hb_set_add(drop, tags[i]);
        start += count;
    } while (count == sizeof tags / sizeof tags[0]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);

    int rc = -1;
    hb_face_t *source = hb_face_create_for_tables(table_but_cmap, hb_face_reference(face), face_destroy);
    hb_face_set_upem(source, hb_face_get_upem(face));
    hb_face_set_glyph_count(source, hb_face_get_glyph_count(face));
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(source, in);
    hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    if (sub) {
        /* Each glyph its id in the subset; a glyph listed again, a copy. */
        const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
        hb_set_t *seen = hb_set_create();
        uint32_t *from = xmalloc((n ? n : 1) * sizeof *from);
        size_t ncopies = 0;
        uint32_t next = hb_map_get_population(hb_subset_plan_new_to_old_glyph_mapping(plan));
        rc = 0;
        for (size_t i = 0; i < n; i++) {
            hb_codepoint_t g = hb_map_get(old_to_new, gids[i]);
            if (g == HB_MAP_VALUE_INVALID || (g == 0 && gids[i] != 0))
                rc = -1;
            if (hb_set_has(seen, gids[i])) {
                from[ncopies++] = g;
                g = next++;
            }
            hb_set_add(seen, gids[i]);
            new_gids[i] = g;
        }
        hb_set_destroy(seen);
        hb_blob_t *blob = rc != 0 ? hb_blob_get_empty()
                          : ncopies ? with_copies(sub, from, ncopies) : hb_face_reference_blob(sub);
        free(from);
        if (!blob)
            blob = hb_blob_get_empty();
        unsigned int len = 0;
        const char *data = hb_blob_get_data(blob, &len);
        if (rc == 0 && data && len > 0) {
            *out = xmalloc(len);
            memcpy(*out, data, len);
            *outlen = len;
        } else {
            rc = -1;
        }
        hb_blob_destroy(blob);
        hb_face_destroy(sub);
    }
    hb_subset_plan_destroy(plan);
    hb_face_destroy(source);
    hb_subset_input_destroy(in);
    if (rc != 0)
        diag_error(d, file, 0, 0, "cannot subset %s to the %zu glyphs drawn from it", name, n);
    return rc;
}
