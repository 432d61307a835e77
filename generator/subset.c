/* HarfBuzz font subsetting by glyph id. See subset.h. */
#include "subset.h"
#include "bigendian.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>

/* The tables of a TrueType program inside a CIDFontType2 (ISO 32000-1
 * 9.9). cvt, fpgm and prep serve hinting only, which NO_HINTING drops
 * (useless at print resolutions, ~40% of the bytes); a cmap serves only a
 * simple font (a CIDFontType2 reaches glyphs through its CIDToGIDMap).
 * Everything else (name, post, OS/2, GSUB, GPOS, vmtx, vhea, DSIG, meta,
 * gasp, ...) is useless inside a PDF. Listing what we keep is robust
 * against whatever tables a replacement font brings along. */
static const hb_tag_t keep_tags[] = {
    HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('h', 'e', 'a', 'd'),
    HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
};

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

/* A table of face as a writable copy of at least min bytes, or NULL. */
static unsigned char *table_copy(hb_face_t *face, hb_tag_t tag, size_t min, size_t *len)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    unsigned int n = 0;
    const char *data = hb_blob_get_data(b, &n);
    unsigned char *copy = NULL;
    if (data && n >= min) {
        copy = xmalloc(n);
        memcpy(copy, data, n);
        *len = n;
    }
    hb_blob_destroy(b);
    return copy;
}

/* The tables a copy touches, of a program read back. */
typedef struct {
    unsigned char *head, *hhea, *maxp, *loca, *hmtx; /* malloc'd copies */
    size_t head_len, hhea_len, maxp_len, loca_len, hmtx_len;
    hb_blob_t *glyf_blob;
    const unsigned char *glyf;
    size_t glyf_len;
    size_t n, nhm;  /* numGlyphs, numberOfHMetrics */
    int long_loca;
} Tables;

static void tables_free(Tables *t)
{
    free(t->head);
    free(t->hhea);
    free(t->maxp);
    free(t->loca);
    free(t->hmtx);
    hb_blob_destroy(t->glyf_blob);
}

/* Where glyph g's outline starts (g = n: where the outlines end). */
static size_t loca_at(const Tables *t, size_t g)
{
    return loca_offset(t->loca, t->long_loca, g);
}

/* Read and check them; -1 when one is missing or they disagree. */
static int tables_read(hb_face_t *src, Tables *t)
{
    memset(t, 0, sizeof *t);
    t->head = table_copy(src, HB_TAG('h', 'e', 'a', 'd'), 54, &t->head_len);
    t->hhea = table_copy(src, HB_TAG('h', 'h', 'e', 'a'), 36, &t->hhea_len);
    t->maxp = table_copy(src, HB_TAG('m', 'a', 'x', 'p'), 6, &t->maxp_len);
    t->loca = table_copy(src, HB_TAG('l', 'o', 'c', 'a'), 2, &t->loca_len);
    t->hmtx = table_copy(src, HB_TAG('h', 'm', 't', 'x'), 4, &t->hmtx_len);
    t->glyf_blob = hb_face_reference_table(src, HB_TAG('g', 'l', 'y', 'f'));
    unsigned int glen = 0;
    t->glyf = (const unsigned char *)hb_blob_get_data(t->glyf_blob, &glen);
    t->glyf_len = glen;
    if (!t->head || !t->hhea || !t->maxp || !t->loca || !t->hmtx || !t->glyf)
        return -1;
    t->n = rd16(t->maxp + 4);
    t->nhm = rd16(t->hhea + 34);
    t->long_loca = rd16(t->head + 50) != 0;
    if (t->n == 0 || t->nhm == 0 || t->nhm > t->n || 4 * t->nhm + 2 * (t->n - t->nhm) > t->hmtx_len ||
        t->loca_len < (t->long_loca ? 4 : 2) * (t->n + 1))
        return -1;
    for (size_t g = 0; g < t->n; g++)
        if (loca_at(t, g) > loca_at(t, g + 1) || loca_at(t, g + 1) > t->glyf_len)
            return -1;
    return 0;
}

static void add_table(hb_face_t *builder, hb_tag_t tag, unsigned char *data, size_t len, int *ok)
{
    hb_blob_t *b = hb_blob_create((const char *)data, (unsigned)len, HB_MEMORY_MODE_WRITABLE, data, free);
    *ok &= hb_face_builder_add_table(builder, tag, b) ? 1 : 0;
    hb_blob_destroy(b);
}

/* glyf and loca with glyphs from[0, k) appended again (each padded to 4
 * bytes); loca long when the short form cannot reach the end. */
static void append_outlines(const Tables *t, const uint32_t *from, size_t k, unsigned char **glyf, size_t *glyf_len,
                            unsigned char **loca, size_t *loca_len, int *long_loca)
{
    size_t end = loca_at(t, t->n), size = end, total = t->n + k;
    for (size_t i = 0; i < k; i++)
        if (from[i] != SUBSET_EMPTY_GLYPH)
            size += (loca_at(t, from[i] + 1) - loca_at(t, from[i]) + 3) & ~(size_t)3;
    *long_loca = t->long_loca || size > 0x1FFFE;
    *glyf = xcalloc(size ? size : 1, 1);
    *glyf_len = size;
    *loca_len = (*long_loca ? 4 : 2) * (total + 1);
    *loca = xcalloc(*loca_len, 1);
    memcpy(*glyf, t->glyf, end);
    size_t at = end;
    for (size_t g = 0; g <= total; g++) {
        size_t off = g < t->n ? loca_at(t, g) : at; /* past the originals: where copy g - n starts */
        if (g >= t->n && g < total && from[g - t->n] != SUBSET_EMPTY_GLYPH) {
            size_t a = loca_at(t, from[g - t->n]), b = loca_at(t, from[g - t->n] + 1);
            memcpy(*glyf + at, t->glyf + a, b - a);
            at += (b - a + 3) & ~(size_t)3;
        }
        if (*long_loca)
            wr32(*loca + 4 * g, (uint32_t)off);
        else
            wr16(*loca + 2 * g, (uint32_t)(off / 2));
    }
}

/* hmtx in full (a long metric per glyph), the copies with their glyph's. */
static unsigned char *full_hmtx(const Tables *t, const uint32_t *from, size_t k)
{
    size_t total = t->n + k;
    unsigned char *h = xcalloc(4 * total, 1);
    for (size_t g = 0; g < total; g++) {
        size_t o = g < t->n ? g : from[g - t->n];
        if (o == SUBSET_EMPTY_GLYPH)
            continue; /* advance 0, no outline */
        uint32_t adv = rd16(t->hmtx + 4 * (o < t->nhm ? o : t->nhm - 1));
        uint32_t lsb = o < t->nhm ? rd16(t->hmtx + 4 * o + 2) : rd16(t->hmtx + 4 * t->nhm + 2 * (o - t->nhm));
        wr16(h + 4 * g, adv);
        wr16(h + 4 * g + 2, lsb);
    }
    return h;
}

/* The font program sub (made of keep_tags) with glyphs from[0, k) appended
 * again as glyphs numGlyphs, numGlyphs + 1, ...: the same outline
 * (composites keep their components) and metrics; loca and hmtx written
 * in full. NULL when sub lacks a table or the count would pass 65535. */
static hb_blob_t *with_copies(hb_face_t *sub, const uint32_t *from, size_t k)
{
    hb_blob_t *bytes = hb_face_reference_blob(sub);
    hb_face_t *src = hb_face_create(bytes, 0);
    hb_blob_destroy(bytes);
    Tables t;
    int ok = tables_read(src, &t) == 0 && t.n + k <= 0xFFFF;
    for (size_t i = 0; ok && i < k; i++)
        ok = from[i] < t.n || from[i] == SUBSET_EMPTY_GLYPH;
    hb_blob_t *res = NULL;
    if (ok) {
        unsigned char *glyf, *loca;
        size_t glyf_len, loca_len, total = t.n + k;
        int long_loca;
        append_outlines(&t, from, k, &glyf, &glyf_len, &loca, &loca_len, &long_loca);
        wr16(t.head + 50, (uint32_t)long_loca);
        wr16(t.hhea + 34, (uint32_t)total);
        wr16(t.maxp + 4, (uint32_t)total);
        hb_face_t *b = hb_face_builder_create();
        add_table(b, HB_TAG('g', 'l', 'y', 'f'), glyf, glyf_len, &ok);
        add_table(b, HB_TAG('l', 'o', 'c', 'a'), loca, loca_len, &ok);
        add_table(b, HB_TAG('h', 'm', 't', 'x'), full_hmtx(&t, from, k), 4 * total, &ok);
        add_table(b, HB_TAG('h', 'e', 'a', 'd'), t.head, t.head_len, &ok);
        add_table(b, HB_TAG('h', 'h', 'e', 'a'), t.hhea, t.hhea_len, &ok);
        add_table(b, HB_TAG('m', 'a', 'x', 'p'), t.maxp, t.maxp_len, &ok);
        t.head = t.hhea = t.maxp = NULL; /* the blobs own them */
        res = ok ? hb_face_reference_blob(b) : NULL;
        hb_face_destroy(b);
    }
    tables_free(&t);
    hb_face_destroy(src);
    return res;
}

/* ---- subsetting ------------------------------------------------------------- */

void subset_keep_only(hb_subset_input_t *in, hb_face_t *face, const hb_tag_t *keep, size_t nkeep)
{
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    unsigned int start = 0, count;
    do {
        count = sizeof tags / sizeof tags[0];
        hb_face_get_table_tags(face, start, &count, tags);
        for (unsigned int i = 0; i < count; i++) {
            size_t k = 0;
            while (k < nkeep && keep[k] != tags[i])
                k++;
            if (k == nkeep)
                hb_set_add(drop, tags[i]);
        }
        start += count;
    } while (count == sizeof tags / sizeof tags[0]);
}

/* The program plan made (sub), each gids[i] given its id in new_gids[i],
 * a glyph listed again a copy of its own. NULL when a glyph is missing
 * (the font lacks it) or the copies cannot be made. */
static hb_blob_t *number_glyphs(hb_subset_plan_t *plan, hb_face_t *sub, const uint32_t *gids, size_t n,
                                uint32_t *new_gids)
{
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    uint32_t next = hb_map_get_population(hb_subset_plan_new_to_old_glyph_mapping(plan));
    hb_set_t *seen = hb_set_create();
    uint32_t *from = xmalloc((n ? n : 1) * sizeof *from);
    size_t ncopies = 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (gids[i] == SUBSET_EMPTY_GLYPH) { /* made, not subset */
            from[ncopies++] = SUBSET_EMPTY_GLYPH;
            new_gids[i] = next++;
            continue;
        }
        hb_codepoint_t g = hb_map_get(old_to_new, gids[i]);
        if (g == HB_MAP_VALUE_INVALID || (g == 0 && gids[i] != 0))
            ok = 0;
        if (hb_set_has(seen, gids[i])) {
            from[ncopies++] = g;
            g = next++;
        }
        hb_set_add(seen, gids[i]);
        new_gids[i] = g;
    }
    hb_set_destroy(seen);
    hb_blob_t *blob = !ok ? NULL : ncopies ? with_copies(sub, from, ncopies) : hb_face_reference_blob(sub);
    free(from);
    return blob;
}

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
    /* Glyphs, no code points: nothing is added for a cmap. */
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    for (size_t i = 0; i < n; i++)
        if (gids[i] != SUBSET_EMPTY_GLYPH)
            hb_set_add(glyphs, gids[i]);
    subset_keep_only(in, face, keep_tags, sizeof keep_tags / sizeof keep_tags[0]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);

    hb_face_t *source = hb_face_create_for_tables(table_but_cmap, hb_face_reference(face), face_destroy);
    hb_face_set_upem(source, hb_face_get_upem(face));
    hb_face_set_glyph_count(source, hb_face_get_glyph_count(face));
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(source, in);
    hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    hb_blob_t *blob = sub ? number_glyphs(plan, sub, gids, n, new_gids) : NULL;
    unsigned int len = 0;
    const char *data = blob ? hb_blob_get_data(blob, &len) : NULL;
    if (data && len > 0) {
        *out = xmalloc(len);
        memcpy(*out, data, len);
        *outlen = len;
    }
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_face_destroy(source);
    hb_subset_input_destroy(in);
    if (!*out) {
        diag_error(d, file, 0, 0, "cannot subset %s to the %zu glyphs drawn from it (HarfBuzz gave up: out of "
                   "memory, or a table of the font it cannot rewrite)", name, n);
        return -1;
    }
    return 0;
}
