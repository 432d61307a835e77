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
        const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
        rc = 0;
        for (size_t i = 0; i < n; i++) {
            hb_codepoint_t g = hb_map_get(old_to_new, gids[i]);
            if (g == HB_MAP_VALUE_INVALID || (g == 0 && gids[i] != 0))
                rc = -1;
            new_gids[i] = g;
        }
        hb_blob_t *blob = hb_face_reference_blob(sub);
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
        diag_error(d, file, 0, 0, "HarfBuzz could not subset %s", name);
    return rc;
}
