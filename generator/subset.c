/* HarfBuzz font subsetting for libharu 2.3.0. See subset.h. */
#include "subset.h"
#include "memreader.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hb-subset.h>

/* The tables libharu 2.3.0 parses or embeds (hpdf_fontdef_tt.c,
 * REQUIRED_TAGS and LoadFontData). cvt/fpgm/prep would also be embedded,
 * but NO_HINTING drops them and libharu then writes cvt and fpgm as empty
 * tables, which poppler, MuPDF and FreeType accept; prep is put back as a
 * one-instruction program (see rebuild). Everything else (GSUB, GPOS,
 * vmtx, vhea, DSIG, meta, gasp, ...) is useless inside a PDF. */
static const hb_tag_t keep_tags[] = {
    HB_TAG('c', 'm', 'a', 'p'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
    HB_TAG('m', 'a', 'x', 'p'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'),
    HB_TAG('O', 'S', '/', '2'),
};

static int kept(hb_tag_t t)
{
    for (size_t i = 0; i < sizeof keep_tags / sizeof keep_tags[0]; i++)
        if (keep_tags[i] == t)
            return 1;
    return 0;
}

#define PREP_TAG HB_TAG('p', 'r', 'e', 'p')
#define CMAP_TAG HB_TAG('c', 'm', 'a', 'p')

/* libharu 2.3.0 cannot save a font whose last table is empty when the
 * font data before it fills its 4096-byte buffers exactly.
 * HPDF_TTFontDef_SaveFontData writes the 13 REQUIRED_TAGS tables, "prep"
 * last, into a memory stream, then seeks to each table's offset to sum its
 * checksum. An empty prep starts at the very end of that stream. A memory
 * stream allocates its next buffer only when a write overflows the current
 * one, so when the size is a multiple of 4096, HPDF_MemStream_SeekFunc,
 * asked for position == size, looks up a buffer that does not exist and
 * fails with HPDF_INVALID_OBJECT; HPDF_SaveToStream fails, and
 * CIDFontType2_BeforeWrite_Func leaks the FontDescriptor dict it had just
 * made. Whether a subset hits this depends on the exact glyphs in it:
 * about one font in 4096.
 *
 * A prep of one byte puts data after every table offset libharu seeks to,
 * so the seek always lands inside an allocated buffer. SVTCA[x-axis] sets
 * the freedom and projection vectors to what they already are when prep
 * starts: the program changes nothing, and the glyphs have no
 * instructions for it to affect anyway. */
static const unsigned char prep_program[] = {0x01};

/* ---- a cmap for libharu ------------------------------------------------- */

/* libharu reads the cmap only to map code points to glyphs (the PDF's
 * /W and CIDToGIDMap; render.c writes the embedded copy empty), through
 * HPDF_TTFontDef_GetGlyphid: a linear search of the format 4 segments,
 * called for each of the 65536 code points when the font is created.
 * HarfBuzz writes a segment per run of consecutive code points, ~300 for
 * a page of kanji, and that search was 40% of a document's run time. This
 * cmap spans gaps of up to GAP_MAX unused code points with zeros in
 * glyphIdArray, which makes a few dozen segments. Each zero costs libharu
 * a 2-byte read when it loads the font; 512 is where the two costs balance
 * (callgrind: 256 and 1024 cost the same within 1%, 64 and 4096 more).
 * The table may not exceed 65535 bytes (format 4 has 16-bit lengths and
 * offsets), so the gap shrinks until it fits, and without a fit
 * HarfBuzz's cmap stays. */
#define GAP_MAX 512

static void put16(unsigned char **p, unsigned v)
{
    (*p)[0] = (unsigned char)(v >> 8);
    (*p)[1] = (unsigned char)v;
    *p += 2;
}

/* A cmap table (one subtable, platform 3 encoding 1, format 4) mapping
 * cps[i] to gids[i]; cps sorted, unique, below U+FFFF. NULL if it cannot
 * be written within format 4's limits. */
static hb_blob_t *segment_cmap(const uint32_t *cps, const hb_codepoint_t *gids, size_t n)
{
    if (n == 0)
        return NULL;
    size_t nseg = 0, span = 0, size = 0;
    uint32_t gap = GAP_MAX;
    for (;;) {
        nseg = 1; /* the final 0xFFFF segment */
        span = 0;
        for (size_t i = 0; i < n; i++) {
            int fresh = i == 0 || cps[i] - cps[i - 1] - 1 > gap; /* starts a segment */
            nseg += (size_t)fresh;
            span += fresh ? 1 : cps[i] - cps[i - 1];
        }
        size = 12 + 16 + 8 * nseg + 2 * span;
        if (size <= 0xFFFF)
            break;
        if (gap == 0)
            return NULL;
        gap /= 2;
    }
    unsigned char *buf = xcalloc(size, 1);
    unsigned char *p = buf;
    put16(&p, 0); /* cmap version */
    put16(&p, 1); /* one encoding record */
    put16(&p, 3); /* Windows */
    put16(&p, 1); /* Unicode BMP */
    put16(&p, 0); /* offset 12, high word */
    put16(&p, 12);
    unsigned pow2 = 1, entry = 0; /* the largest power of two <= nseg, its log2 */
    while (2 * pow2 <= nseg)
        pow2 *= 2, entry++;
    unsigned range = 2 * pow2;
    put16(&p, 4);
    put16(&p, (unsigned)(size - 12));
    put16(&p, 0); /* language */
    put16(&p, (unsigned)(2 * nseg));
    put16(&p, range);
    put16(&p, entry);
    put16(&p, (unsigned)(2 * nseg) - range);
    unsigned char *ends = p, *starts = p + 2 * nseg + 2, *deltas = starts + 2 * nseg;
    unsigned char *offsets = deltas + 2 * nseg, *glyphs = offsets + 2 * nseg;
    size_t seg = 0, at = 0; /* segment, index into glyphIdArray */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && cps[j + 1] - cps[j] - 1 <= gap)
            j++;
        unsigned char *e = ends + 2 * seg, *s = starts + 2 * seg, *o = offsets + 2 * seg;
        put16(&e, cps[j]);
        put16(&s, cps[i]);
        put16(&o, (unsigned)(2 * (nseg - seg + at))); /* bytes from here to its glyphs */
        for (size_t k = i; k <= j; k++) {
            unsigned char *g = glyphs + 2 * (at + (cps[k] - cps[i]));
            put16(&g, gids[k]);
        }
        at += cps[j] - cps[i] + 1;
        seg++;
        i = j + 1;
    }
    unsigned char *e = ends + 2 * seg, *s = starts + 2 * seg, *d = deltas + 2 * seg;
    put16(&e, 0xFFFF);
    put16(&s, 0xFFFF);
    put16(&d, 1);
    return hb_blob_create((const char *)buf, (unsigned)size, HB_MEMORY_MODE_WRITABLE, buf, free);
}

/* A code and its glyph in the subset. */
typedef struct {
    uint32_t code;
    hb_codepoint_t gid;
} CodeGlyph;

static int cmp_code(const void *a, const void *b)
{
    uint32_t x = ((const CodeGlyph *)a)->code, y = ((const CodeGlyph *)b)->code;
    return x < y ? -1 : x > y;
}

/* That cmap for the code points of cps the subset face has glyphs for, and
 * the private codes of gc (glyphcode.h) for their glyphs, which map (old
 * glyph index to new) gives. */
static hb_blob_t *libharu_cmap(hb_face_t *face, const uint32_t *cps, size_t n, const GlyphCodes *gc,
                               const hb_map_t *map)
{
    size_t extra = gc ? gc->n : 0;
    CodeGlyph *cg = xmalloc((n + extra + 1) * sizeof *cg);
    hb_font_t *font = hb_font_create(face);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        hb_codepoint_t gid;
        if (cps[i] < 0xFFFF && hb_font_get_nominal_glyph(font, cps[i], &gid) && gid != 0)
            cg[k++] = (CodeGlyph){cps[i], gid};
    }
    hb_font_destroy(font);
    for (size_t i = 0; i < extra && map; i++) {
        hb_codepoint_t gid = hb_map_get(map, gc->e[i].gid);
        if (gid != HB_MAP_VALUE_INVALID && gid != 0)
            cg[k++] = (CodeGlyph){gc->e[i].code, gid};
    }
    qsort(cg, k, sizeof *cg, cmp_code);
    uint32_t *codes = xmalloc((k ? k : 1) * sizeof *codes);
    hb_codepoint_t *gids = xmalloc((k ? k : 1) * sizeof *gids);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m > 0 && codes[m - 1] == cg[i].code)
            continue;
        codes[m] = cg[i].code;
        gids[m++] = cg[i].gid;
    }
    free(cg);
    hb_blob_t *blob = segment_cmap(codes, gids, m);
    free(codes);
    free(gids);
    return blob;
}

/* The sfnt in sub with prep_program as its prep table and, when it can be
 * written, libharu_cmap as its cmap (replacing any). Returns a blob (empty
 * on failure, never NULL). */
static hb_blob_t *rebuild(hb_face_t *sub, const uint32_t *cps, size_t n, const GlyphCodes *gc, const hb_map_t *map)
{
    /* Table tags can be listed only on a face read from bytes (HarfBuzz 6
     * does not list a builder's), so read the serialized subset back. */
    hb_blob_t *bytes = hb_face_reference_blob(sub);
    hb_face_t *src = hb_face_create(bytes, 0);
    hb_blob_destroy(bytes);
    hb_blob_t *cmap = libharu_cmap(src, cps, n, gc, map);
    if (!cmap && gc && gc->n) { /* the private codes need our cmap */
        hb_face_destroy(src);
        return hb_blob_get_empty();
    }
    hb_face_t *b = hb_face_builder_create();
    int ok = 1;
    hb_tag_t tags[64];
    unsigned int start = 0, count;
    do {
        count = sizeof tags / sizeof tags[0];
        hb_face_get_table_tags(src, start, &count, tags);
        for (unsigned int i = 0; i < count; i++) {
            if (tags[i] == PREP_TAG || (tags[i] == CMAP_TAG && cmap))
                continue;
            hb_blob_t *t = hb_face_reference_table(src, tags[i]);
            ok &= hb_face_builder_add_table(b, tags[i], t) ? 1 : 0;
            hb_blob_destroy(t);
        }
        start += count;
    } while (count == sizeof tags / sizeof tags[0]);
    hb_blob_t *prep = hb_blob_create((const char *)prep_program, sizeof prep_program,
                                     HB_MEMORY_MODE_READONLY, NULL, NULL);
    ok &= hb_face_builder_add_table(b, PREP_TAG, prep) ? 1 : 0;
    hb_blob_destroy(prep);
    if (cmap) {
        ok &= hb_face_builder_add_table(b, CMAP_TAG, cmap) ? 1 : 0;
        hb_blob_destroy(cmap);
    }
    hb_blob_t *res = ok && start > 0 ? hb_face_reference_blob(b) : hb_blob_get_empty();
    hb_face_destroy(b);
    hb_face_destroy(src);
    return res;
}

/* The subset of cps and of gc's glyphs; *map (when gc has entries) gets
 * the old-to-new glyph mapping, to be destroyed by the caller. */
static hb_face_t *subset_with(const char *font_path, const uint32_t *cps, size_t n, const GlyphCodes *gc,
                              hb_map_t **map, Diag *d, const char *file)
{
    *map = NULL;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(font_path);
    if (!blob) {
        diag_error(d, file, 0, 0, "cannot read font %s", font_path);
        return NULL;
    }
    hb_face_t *face = hb_face_create(blob, 0);
    hb_blob_destroy(blob); /* the face holds its own reference */
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        hb_face_destroy(face);
        diag_error(d, file, 0, 0, "out of memory subsetting %s", font_path);
        return NULL;
    }

    hb_set_t *unicodes = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < n; i++)
        hb_set_add(unicodes, cps[i]);
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    for (size_t i = 0; gc && i < gc->n; i++)
        hb_set_add(glyphs, gc->e[i].gid);

    /* Drop every table not on the keep list: listing what we keep is
     * robust against whatever tables a replacement font brings along. */
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

    /* Hinting is useless at print resolutions and costs ~40% of the bytes. */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);

    hb_face_t *sub = NULL;
    if (gc && gc->n) {
        /* A plan, for the new index of each glyph reached by a private code. */
        hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
        if (plan) {
            sub = hb_subset_plan_execute_or_fail(plan);
            const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
            *map = hb_map_create();
            for (size_t i = 0; i < gc->n; i++)
                hb_map_set(*map, gc->e[i].gid, hb_map_get(old_to_new, gc->e[i].gid));
            hb_subset_plan_destroy(plan);
        }
    } else {
        sub = hb_subset_or_fail(face, in);
    }
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    if (!sub)
        diag_error(d, file, 0, 0, "HarfBuzz could not subset %s", font_path);
    return sub;
}

hb_face_t *subset_plain(const char *font_path, const uint32_t *cps, size_t n, Diag *d, const char *file)
{
    hb_map_t *map;
    return subset_with(font_path, cps, n, NULL, &map, d, file);
}

int subset_font_codes(const char *font_path, const uint32_t *cps, size_t n, const GlyphCodes *gc,
                      unsigned char **out, size_t *outlen, Diag *d, const char *file)
{
    *out = NULL;
    *outlen = 0;
    hb_map_t *map = NULL;
    hb_face_t *sub = subset_with(font_path, cps, n, gc, &map, d, file);
    if (!sub) {
        hb_map_destroy(map);
        return -1;
    }
    hb_blob_t *res = rebuild(sub, cps, n, gc, map);
    hb_map_destroy(map);
    unsigned int len = 0;
    const char *data = hb_blob_get_data(res, &len);
    int rc = -1;
    if (data && len > 0) {
        *out = xmalloc(len);
        memcpy(*out, data, len);
        *outlen = len;
        rc = 0;
    } else {
        diag_error(d, file, 0, 0, "HarfBuzz produced an empty subset of %s", font_path);
    }
    hb_blob_destroy(res);
    hb_face_destroy(sub);
    return rc;
}

int subset_font(const char *font_path, const uint32_t *cps, size_t n,
                unsigned char **out, size_t *outlen, Diag *d, const char *file)
{
    return subset_font_codes(font_path, cps, n, NULL, out, outlen, d, file);
}

const char *subset_load(HPDF_Doc pdf, const char *font_path, const uint32_t *cps, size_t n, const GlyphCodes *gc,
                        Diag *d, const char *file)
{
    unsigned char *bytes;
    size_t len;
    if (subset_font_codes(font_path, cps, n, gc, &bytes, &len, d, file) != 0)
        return NULL;

    /* 2.3.0 has no HPDF_LoadTTFontFromMemory: what HPDF_LoadTTFontFromFile
     * does after opening the file, on a stream over the bytes (a temporary
     * file cost some 1,300 seeks and reads per document; memreader.h).
     * libharu keeps the stream, and with it the bytes, until HPDF_Free. */
    const char *name = NULL;
    HPDF_Stream s = memreader_new(pdf->mmgr, bytes, len);
    if (s) {
        HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE);
        s = NULL; /* the font definition owns it now, loaded or not */
        if (def && HPDF_Doc_FindFontDef(pdf, def->base_font)) {
            HPDF_FontDef_Free(def); /* the same font twice: render.c loads each file once */
        } else if (def && HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
            HPDF_FontDef_Free(def);
        } else if (def) {
            HPDF_TTFontDef_SetTagName(def, "AAAAAA"); /* the real tag: fontfile.c, from the glyph set */
            name = def->base_font;
        }
    }
    if (!name)
        diag_error(d, file, 0, 0, "libharu cannot load the subset of %s (error 0x%04lX)", font_path,
                   (unsigned long)HPDF_GetError(pdf));
    return name;
}
