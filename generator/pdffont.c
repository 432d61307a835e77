/* Font objects of an embedded subset. See pdffont.h. */
#include "pdffont.h"
#include "bigendian.h"
#include "memreader.h"
#include "tounicode.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb-ot.h>
#include <hpdf.h>
#include <hpdf_encrypt.h>

#define DEFAULT_WIDTH 1000
#define FLAG_NONSYMBOLIC 32 /* ISO 32000-1 Table 123: what libharu wrote for its TrueType fonts */

/* ---- reading the program ------------------------------------------------ */

typedef struct {
    const unsigned char *p;
    size_t len;
} Table;

/* Table tag of the sfnt prog[0, len); len 0 when absent or out of bounds. */
static Table find_table(const unsigned char *prog, size_t len, const char *tag)
{
    Table t = {NULL, 0};
    if (len < 12)
        return t;
    size_t n = rd16(prog + 4);
    for (size_t i = 0; i < n && 12 + 16 * (i + 1) <= len; i++) {
        const unsigned char *rec = prog + 12 + 16 * i;
        size_t off = rd32(rec + 8), tlen = rd32(rec + 12);
        if (memcmp(rec, tag, 4) == 0 && off <= len && tlen <= len - off) {
            t.p = prog + off;
            t.len = tlen;
        }
    }
    return t;
}

typedef struct {
    unsigned upem, nglyphs, nhmetrics;
    int long_loca;
    int32_t bbox[4]; /* head xMin yMin xMax yMax, font units */
    int32_t ascender, descender;
    Table hmtx, loca, glyf;
} Program;

static int read_program(Program *pg, const unsigned char *prog, size_t len)
{
    memset(pg, 0, sizeof *pg);
    Table head = find_table(prog, len, "head"), hhea = find_table(prog, len, "hhea");
    Table maxp = find_table(prog, len, "maxp");
    pg->hmtx = find_table(prog, len, "hmtx");
    pg->loca = find_table(prog, len, "loca");
    pg->glyf = find_table(prog, len, "glyf");
    if (head.len < 54 || hhea.len < 36 || maxp.len < 6 || !pg->hmtx.len || !pg->loca.len)
        return -1;
    pg->upem = rd16(head.p + 18);
    for (int i = 0; i < 4; i++)
        pg->bbox[i] = rds16(head.p + 36 + 2 * i);
    pg->long_loca = rds16(head.p + 50) != 0;
    pg->ascender = rds16(hhea.p + 4);
    pg->descender = rds16(hhea.p + 6);
    pg->nhmetrics = rd16(hhea.p + 34);
    pg->nglyphs = rd16(maxp.p + 4);
    if (pg->upem == 0 || pg->nhmetrics == 0 || 4 * (size_t)pg->nhmetrics > pg->hmtx.len)
        return -1;
    return 0;
}

/* Font units in 1/1000 em, truncated toward zero as libharu did. */
static int32_t em1000(const Program *pg, int32_t v)
{
    return v * 1000 / (int32_t)pg->upem;
}

static int advance(const Program *pg, uint32_t gid)
{
    if (gid >= pg->nglyphs)
        return -1;
    uint32_t k = gid < pg->nhmetrics ? gid : pg->nhmetrics - 1;
    return (int)(rd16(pg->hmtx.p + 4 * k) * 1000u / pg->upem);
}

int pdffont_advance(const unsigned char *prog, size_t len, uint32_t gid)
{
    Program pg;
    return read_program(&pg, prog, len) == 0 ? advance(&pg, gid) : -1;
}

/* The top of glyph gid's outline (font units), or 0 when it has none. */
static int32_t glyph_top(const Program *pg, uint32_t gid)
{
    if (gid >= pg->nglyphs)
        return 0;
    if ((pg->long_loca ? 4 : 2) * ((size_t)gid + 2) > pg->loca.len)
        return 0;
    size_t at = loca_offset(pg->loca.p, pg->long_loca, gid), end = loca_offset(pg->loca.p, pg->long_loca, gid + 1);
    return end > at && at + 10 <= pg->glyf.len ? rds16(pg->glyf.p + at + 8) : 0;
}

/* ---- names ---------------------------------------------------------------- */

void pdffont_tag(const char *name, const uint32_t *gids, size_t n, char tag[7])
{
    HPDF_MD5_CTX ctx;
    HPDF_MD5Init(&ctx);
    HPDF_MD5Update(&ctx, (const HPDF_BYTE *)name, (HPDF_UINT32)strlen(name) + 1);
    for (size_t i = 0; i < n; i++) {
        HPDF_BYTE b[2] = {(HPDF_BYTE)(gids[i] >> 8), (HPDF_BYTE)gids[i]};
        HPDF_MD5Update(&ctx, b, 2);
    }
    HPDF_BYTE digest[16];
    HPDF_MD5Final(digest, &ctx);
    for (int i = 0; i < 6; i++)
        tag[i] = (char)('A' + digest[i] % 26);
    tag[6] = 0;
}

/* The font's PostScript name (name ID 6), only the characters a PDF name
 * takes without escapes; "Font" when it has none. */
static void ps_name(hb_face_t *face, char *buf, unsigned size)
{
    unsigned n = size;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &n, buf);
    size_t k = 0;
    for (size_t i = 0; buf[i] && i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c > 0x20 && c < 0x7F && !strchr("()<>[]{}/%#", c))
            buf[k++] = (char)c;
    }
    buf[k] = 0;
    if (k == 0)
        snprintf(buf, size, "Font");
}

/* post.italicAngle of the original font: a 16.16 fixed-point number. */
static int32_t italic_angle(hb_face_t *face)
{
    hb_blob_t *post = hb_face_reference_table(face, HB_TAG('p', 'o', 's', 't'));
    unsigned int len = 0;
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(post, &len);
    int32_t angle = p && len >= 8 ? (int32_t)rd32(p + 4) : 0;
    hb_blob_destroy(post);
    return angle;
}

/* ---- the objects -------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* /W: [c [w w ...] ...] for the runs of consecutive codes whose width is
 * not DEFAULT_WIDTH. cids sorted. NULL when a glyph has no width. */
static HPDF_Array widths(HPDF_Doc pdf, const Program *pg, const uint32_t *cids, size_t n)
{
    HPDF_Array w = HPDF_Array_New(pdf->mmgr);
    if (!w)
        return NULL;
    HPDF_Array run = NULL;
    HPDF_STATUS ret = HPDF_OK;
    for (size_t i = 0; i < n && ret == HPDF_OK; i++) {
        int adv = advance(pg, cids[i]);
        if (adv < 0) {
            ret = HPDF_INVALID_FONT;
            break;
        }
        if (adv == DEFAULT_WIDTH) {
            run = NULL;
            continue;
        }
        if (!run || cids[i] != cids[i - 1] + 1) {
            ret += HPDF_Array_AddNumber(w, (HPDF_INT32)cids[i]);
            run = HPDF_Array_New(pdf->mmgr);
            ret += run ? HPDF_Array_Add(w, run) : HPDF_FAILD_TO_ALLOC_MEM;
        }
        if (run)
            ret += HPDF_Array_AddNumber(run, adv);
    }
    if (ret == HPDF_OK)
        return w;
    HPDF_Obj_Free(pdf->mmgr, w);
    return NULL;
}

static HPDF_Array int_array(HPDF_Doc pdf, const int32_t *v, int n)
{
    HPDF_Array a = HPDF_Array_New(pdf->mmgr);
    if (!a)
        return NULL;
    HPDF_STATUS ret = HPDF_OK;
    for (int i = 0; i < n && ret == HPDF_OK; i++)
        ret += HPDF_Array_AddNumber(a, v[i]);
    if (ret == HPDF_OK)
        return a;
    HPDF_Obj_Free(pdf->mmgr, a);
    return NULL;
}

/* An indirect dictionary of pdf. */
static HPDF_Dict new_dict(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    return d && HPDF_Xref_Add(pdf->xref, d) == HPDF_OK ? d : NULL; /* Xref_Add frees it on failure */
}

/* A stream of pdf holding data[0, len), which it owns from now on (freed
 * with pdf, or here on failure): written plain, pdfpack compresses it with
 * the others. */
static HPDF_Dict new_stream(HPDF_Doc pdf, unsigned char *data, size_t len)
{
    HPDF_Stream reader = memreader_new(pdf->mmgr, data, len);
    HPDF_Dict s = reader ? HPDF_DictStream_New(pdf->mmgr, pdf->xref) : NULL;
    if (!s) {
        if (reader)
            HPDF_Stream_Free(reader);
        return NULL;
    }
    HPDF_Stream_Free(s->stream); /* its empty memory stream */
    s->stream = reader;
    return s;
}

/* What the FontDescriptor says of the program, in 1/1000 em. */
typedef struct {
    const char *name;   /* TAG+PSName */
    int32_t bbox[4];
    int32_t italic;     /* post.italicAngle, 16.16 */
    int32_t ascent, descent, cap_height;
} Metrics;

static HPDF_STATUS fill_descriptor(HPDF_Dict desc, const Metrics *m, HPDF_Array box, HPDF_Dict file)
{
    HPDF_STATUS ret = HPDF_OK;
    ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddName(desc, "FontName", m->name);
    ret += HPDF_Dict_AddNumber(desc, "Flags", FLAG_NONSYMBOLIC);
    ret += HPDF_Dict_Add(desc, "FontBBox", box);
    if (m->italic % 65536 == 0)
        ret += HPDF_Dict_AddNumber(desc, "ItalicAngle", m->italic / 65536);
    else
        ret += HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)(m->italic / 65536.0));
    ret += HPDF_Dict_AddNumber(desc, "Ascent", m->ascent);
    ret += HPDF_Dict_AddNumber(desc, "Descent", m->descent);
    ret += HPDF_Dict_AddNumber(desc, "CapHeight", m->cap_height);
    ret += HPDF_Dict_AddNumber(desc, "StemV", 0);
    ret += HPDF_Dict_Add(desc, "FontFile2", file);
    return ret;
}

static HPDF_STATUS fill_cidfont(HPDF_Doc pdf, HPDF_Dict cidfont, const char *name, HPDF_Dict info, HPDF_Dict desc,
                                HPDF_Array w)
{
    HPDF_STATUS ret = HPDF_OK;
    ret += HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
    ret += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", NULL));
    ret += HPDF_Dict_AddNumber(info, "Supplement", 0);
    ret += HPDF_Dict_AddName(cidfont, "Type", "Font");
    ret += HPDF_Dict_AddName(cidfont, "Subtype", "CIDFontType2");
    ret += HPDF_Dict_AddName(cidfont, "BaseFont", name);
    ret += HPDF_Dict_Add(cidfont, "CIDSystemInfo", info);
    ret += HPDF_Dict_Add(cidfont, "FontDescriptor", desc);
    ret += HPDF_Dict_AddNumber(cidfont, "DW", DEFAULT_WIDTH);
    ret += HPDF_Dict_Add(cidfont, "W", w);
    ret += HPDF_Dict_AddName(cidfont, "CIDToGIDMap", "Identity");
    return ret;
}

static HPDF_STATUS fill_type0(HPDF_Dict type0, const char *name, HPDF_Array descendants, HPDF_Dict cidfont,
                              HPDF_Dict tounicode)
{
    HPDF_STATUS ret = HPDF_OK;
    ret += HPDF_Array_Add(descendants, cidfont);
    ret += HPDF_Dict_AddName(type0, "Type", "Font");
    ret += HPDF_Dict_AddName(type0, "Subtype", "Type0");
    ret += HPDF_Dict_AddName(type0, "BaseFont", name);
    ret += HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    ret += HPDF_Dict_Add(type0, "DescendantFonts", descendants);
    ret += HPDF_Dict_Add(type0, "ToUnicode", tounicode);
    return ret;
}

HPDF_Dict pdffont_new(HPDF_Doc pdf, hb_face_t *face, unsigned char *prog, size_t len, const GlyphUse *u,
                      size_t *program)
{
    *program = 0;
    Program pg;
    if (read_program(&pg, prog, len) != 0 || u->n == 0) {
        free(prog);
        return NULL;
    }
    size_t n = u->n;
    uint32_t *cids = xmalloc(n * sizeof *cids), *gids = xmalloc(n * sizeof *gids);
    int32_t cap_height = pg.ascender;
    for (size_t i = 0; i < n; i++) {
        const GlyphEntry *e = &u->entries[i];
        cids[i] = e->cid;
        gids[i] = e->gid;
        if (e->len == 1 && e->text[0] == 'H' && glyph_top(&pg, e->cid) > 0)
            cap_height = glyph_top(&pg, e->cid);
    }
    qsort(cids, n, sizeof *cids, cmp_u32);
    qsort(gids, n, sizeof *gids, cmp_u32);
    char name[64], tag[7], base[72]; /* PostScript names have at most 63 characters */
    ps_name(face, name, sizeof name);
    pdffont_tag(name, gids, n, tag);
    snprintf(base, sizeof base, "%s+%s", tag, name);
    Metrics m = {base, {0}, italic_angle(face), em1000(&pg, pg.ascender),
                 em1000(&pg, pg.descender > 0 ? -pg.descender : pg.descender), em1000(&pg, cap_height)};
    for (int i = 0; i < 4; i++)
        m.bbox[i] = em1000(&pg, pg.bbox[i]);
    HPDF_Array w = widths(pdf, &pg, cids, n);
    free(cids);
    free(gids);
    char *cmap = tounicode_cmap(u);

    HPDF_Dict type0 = new_dict(pdf), cidfont = new_dict(pdf), desc = new_dict(pdf);
    HPDF_Dict file = new_stream(pdf, prog, len), tounicode = new_stream(pdf, (unsigned char *)cmap, strlen(cmap));
    HPDF_Dict info = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array descendants = HPDF_Array_New(pdf->mmgr), box = int_array(pdf, m.bbox, 4);
    if (!type0 || !cidfont || !desc || !file || !tounicode || !info || !descendants || !box || !w) {
        /* The indirect objects belong to pdf's cross-reference table now;
         * the direct ones to no one yet. */
        void *direct[] = {info, descendants, box, w};
        for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++)
            if (direct[i])
                HPDF_Obj_Free(pdf->mmgr, direct[i]);
        return NULL;
    }
    HPDF_STATUS ret = HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
    ret += fill_descriptor(desc, &m, box, file);
    ret += fill_cidfont(pdf, cidfont, base, info, desc, w);
    ret += fill_type0(type0, base, descendants, cidfont, tounicode);
    if (ret != HPDF_OK)
        return NULL;
    *program = file->header.obj_id & 0x00FFFFFF; /* the number, without libharu's flags (hpdf_objects.h) */
    return type0;
}
