/* HarfBuzz font subsetting for libharu 2.3.0. See subset.h. */
#include "subset.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb.h>
#include <hb-subset.h>

/* The tables libharu 2.3.0 parses or embeds (hpdf_fontdef_tt.c,
 * REQUIRED_TAGS and LoadFontData). cvt/fpgm/prep would also be embedded,
 * but NO_HINTING drops them and libharu then writes cvt and fpgm as empty
 * tables, which poppler, MuPDF and FreeType accept; prep is put back as a
 * one-instruction program (see add_prep). Everything else (GSUB, GPOS,
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

/* The sfnt in sub with prep_program as its prep table (replacing any).
 * Returns a blob (empty on failure, never NULL). */
static hb_blob_t *add_prep(hb_face_t *sub)
{
    /* Table tags can be listed only on a face read from bytes (HarfBuzz 6
     * does not list a builder's), so read the serialized subset back. */
    hb_blob_t *bytes = hb_face_reference_blob(sub);
    hb_face_t *src = hb_face_create(bytes, 0);
    hb_blob_destroy(bytes);
    hb_face_t *b = hb_face_builder_create();
    int ok = 1;
    hb_tag_t tags[64];
    unsigned int start = 0, count;
    do {
        count = sizeof tags / sizeof tags[0];
        hb_face_get_table_tags(src, start, &count, tags);
        for (unsigned int i = 0; i < count; i++) {
            if (tags[i] == PREP_TAG)
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
    hb_blob_t *res = ok && start > 0 ? hb_face_reference_blob(b) : hb_blob_get_empty();
    hb_face_destroy(b);
    hb_face_destroy(src);
    return res;
}

int subset_font(const char *font_path, const uint32_t *cps, size_t n,
                unsigned char **out, size_t *outlen, Diag *d, const char *file)
{
    *out = NULL;
    *outlen = 0;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(font_path);
    if (!blob) {
        diag_error(d, file, 0, 0, "cannot read font %s", font_path);
        return -1;
    }
    hb_face_t *face = hb_face_create(blob, 0);
    hb_blob_destroy(blob); /* the face holds its own reference */
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        hb_face_destroy(face);
        diag_error(d, file, 0, 0, "out of memory subsetting %s", font_path);
        return -1;
    }

    hb_set_t *unicodes = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < n; i++)
        hb_set_add(unicodes, cps[i]);

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

    hb_face_t *sub = hb_subset_or_fail(face, in);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    if (!sub) {
        diag_error(d, file, 0, 0, "HarfBuzz could not subset %s", font_path);
        return -1;
    }
    hb_blob_t *res = add_prep(sub);
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

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

const char *subset_load(HPDF_Doc pdf, const char *font_path, const uint32_t *cps, size_t n,
                        Diag *d, const char *file)
{
    unsigned char *bytes;
    size_t len;
    if (subset_font(font_path, cps, n, &bytes, &len, d, file) != 0)
        return NULL;

    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    StrBuf tmpl = {0};
    sb_printf(&tmpl, "%s/policygen-font-XXXXXX", dir);
    int fd = mkstemp(tmpl.data);
    if (fd < 0) {
        diag_error(d, file, 0, 0, "cannot create a temporary font file in %s: %s", dir,
                   strerror(errno));
        sb_free(&tmpl);
        free(bytes);
        return NULL;
    }
    int werr = write_all(fd, bytes, len) != 0 ? errno : 0;
    if (close(fd) != 0 && !werr)
        werr = errno;
    free(bytes);

    const char *name = NULL;
    if (werr) {
        diag_error(d, file, 0, 0, "cannot write temporary font file %s: %s", tmpl.data,
                   strerror(werr));
    } else {
        /* 2.3.0 has no HPDF_LoadTTFontFromMemory; it keeps the FILE* it
         * opens here until HPDF_Free, so the name can go right away. */
        name = HPDF_LoadTTFontFromFile(pdf, tmpl.data, HPDF_TRUE);
        if (!name)
            diag_error(d, file, 0, 0, "libharu cannot load the subset of %s (error 0x%04lX)",
                       font_path, (unsigned long)HPDF_GetError(pdf));
    }
    unlink(tmpl.data);
    sb_free(&tmpl);
    return name;
}
