/* The embedded font programs, rewritten. See fontfile.h. */
#include "fontfile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>

#define TAG(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define TAG_CMAP TAG('c', 'm', 'a', 'p')
#define TAG_HEAD TAG('h', 'e', 'a', 'd')

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

/* ---- cmap ----------------------------------------------------------------- */

typedef struct {
    uint32_t start, end;
    uint32_t delta; /* idDelta, for a segment without glyph array */
    size_t array;   /* index of its first entry in glyphIdArray, or SIZE_MAX */
} Segment;

unsigned char *fontfile_cmap(const uint32_t *cps, const uint16_t *gids, size_t n, size_t *len)
{
    *len = 0;
    if (n == 0)
        return NULL;
    Segment *seg = xmalloc((n + 1) * sizeof *seg);
    size_t nseg = 0, narray = 0;
    for (size_t i = 0; i < n;) {
        /* A run of consecutive code points, cps[i..j]. */
        size_t j = i, changes = 0;
        while (j + 1 < n && cps[j + 1] == cps[j] + 1) {
            j++;
            changes += (uint16_t)(gids[j] - cps[j]) != (uint16_t)(gids[j - 1] - cps[j - 1]);
        }
        size_t run = j - i + 1;
        if (8 * (changes + 1) <= 8 + 2 * run) {
            /* One segment per stretch of equal delta: no glyph array. */
            for (size_t k = i; k <= j;) {
                size_t e = k;
                while (e < j && (uint16_t)(gids[e + 1] - cps[e + 1]) == (uint16_t)(gids[k] - cps[k]))
                    e++;
                seg[nseg++] = (Segment){cps[k], cps[e], (uint16_t)(gids[k] - cps[k]), SIZE_MAX};
                k = e + 1;
            }
        } else {
            seg[nseg++] = (Segment){cps[i], cps[j], 0, narray};
            narray += run;
        }
        i = j + 1;
    }
    seg[nseg++] = (Segment){0xFFFF, 0xFFFF, 1, SIZE_MAX}; /* the required last segment */
    size_t sub = 16 + 8 * nseg + 2 * narray, size = 12 + sub;
    if (sub > 0xFFFF) {
        free(seg);
        return NULL;
    }
    unsigned char *b = xcalloc(size, 1);
    wr16(b + 2, 1);  /* one encoding record: */
    wr16(b + 4, 3);  /* Windows */
    wr16(b + 6, 1);  /* Unicode BMP */
    wr32(b + 8, 12); /* at offset 12 */
    unsigned char *t = b + 12;
    unsigned pow2 = 1, log2 = 0;
    while (2 * pow2 <= nseg)
        pow2 *= 2, log2++;
    wr16(t, 4);
    wr16(t + 2, (uint32_t)sub);
    wr16(t + 6, (uint32_t)(2 * nseg));
    wr16(t + 8, 2 * pow2);
    wr16(t + 10, log2);
    wr16(t + 12, (uint32_t)(2 * nseg - 2 * pow2));
    unsigned char *ends = t + 14, *starts = ends + 2 * nseg + 2, *deltas = starts + 2 * nseg;
    unsigned char *ranges = deltas + 2 * nseg, *glyphs = ranges + 2 * nseg;
    for (size_t s = 0; s < nseg; s++) {
        wr16(ends + 2 * s, seg[s].end);
        wr16(starts + 2 * s, seg[s].start);
        wr16(deltas + 2 * s, seg[s].delta);
        if (seg[s].array != SIZE_MAX)
            /* bytes from this idRangeOffset entry to the segment's glyphs */
            wr16(ranges + 2 * s, (uint32_t)(2 * (nseg - s + seg[s].array)));
    }
    for (size_t i = 0, s = 0; i < n; i++) {
        while (cps[i] > seg[s].end)
            s++;
        if (seg[s].array != SIZE_MAX)
            wr16(glyphs + 2 * (seg[s].array + (cps[i] - seg[s].start)), gids[i]);
    }
    free(seg);
    *len = size;
    return b;
}

/* ---- the sfnt --------------------------------------------------------------- */

typedef struct {
    uint32_t tag;
    const unsigned char *data;
    uint32_t len;
} Table;

static int cmp_table(const void *a, const void *b)
{
    uint32_t x = ((const Table *)a)->tag, y = ((const Table *)b)->tag;
    return x < y ? -1 : x > y;
}

/* Sum of the big-endian 32-bit words of p[0, len), zero-padded. */
static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        sum += rd32(p + i);
    if (i < len) {
        unsigned char last[4] = {0};
        memcpy(last, p + i, len - i);
        sum += rd32(last);
    }
    return sum;
}

unsigned char *fontfile_rebuild(const unsigned char *in, size_t len, const unsigned char *cmap,
                                size_t cmap_len, size_t *out_len)
{
    *out_len = 0;
    if (len < 12)
        return NULL;
    size_t n = rd16(in + 4);
    if (12 + 16 * n > len || n == 0)
        return NULL;
    Table *t = xmalloc((n + 1) * sizeof *t);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *rec = in + 12 + 16 * i;
        uint32_t tag = rd32(rec), off = rd32(rec + 8), tlen = rd32(rec + 12);
        if (off > len || tlen > len - off) {
            free(t);
            return NULL;
        }
        for (size_t k = 0; k < m; k++)
            if (t[k].tag == tag) { /* a table listed twice */
                free(t);
                return NULL;
            }
        if (tlen == 0 || tag == TAG_CMAP)
            continue;
        t[m++] = (Table){tag, in + off, tlen};
    }
    if (cmap && cmap_len > 0 && cmap_len <= UINT32_MAX)
        t[m++] = (Table){TAG_CMAP, cmap, (uint32_t)cmap_len};
    qsort(t, m, sizeof *t, cmp_table);

    size_t size = 12 + 16 * m;
    for (size_t i = 0; i < m; i++)
        size += (t[i].len + 3u) & ~(size_t)3;
    unsigned char *out = xcalloc(size, 1);
    memcpy(out, in, 4); /* sfnt version */
    unsigned pow2 = 1, log2 = 0;
    while (2 * pow2 <= m)
        pow2 *= 2, log2++;
    wr16(out + 4, (uint32_t)m);
    wr16(out + 6, 16 * pow2);
    wr16(out + 8, log2);
    wr16(out + 10, (uint32_t)(16 * m - 16 * pow2));
    size_t at = 12 + 16 * m, head = 0;
    for (size_t i = 0; i < m; i++) {
        unsigned char *rec = out + 12 + 16 * i, *data = out + at;
        memcpy(data, t[i].data, t[i].len);
        if (t[i].tag == TAG_HEAD && t[i].len >= 12) {
            head = at;
            wr32(data + 8, 0); /* checkSumAdjustment counts as 0 in head's checksum */
        }
        wr32(rec, t[i].tag);
        wr32(rec + 4, checksum(data, t[i].len));
        wr32(rec + 8, (uint32_t)at);
        wr32(rec + 12, t[i].len);
        at += (t[i].len + 3u) & ~(size_t)3;
    }
    if (head)
        wr32(out + head + 8, 0xB1B0AFBAu - checksum(out, size));
    free(t);
    *out_len = size;
    return out;
}

/* ---- the tag ------------------------------------------------------------------ */

void fontfile_tag(const char *name, const uint16_t *gids, size_t n, char tag[7])
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

/* ---- into the PDF ------------------------------------------------------------ */

/* The bytes of a libharu memory stream. */
static unsigned char *stream_bytes(HPDF_Stream s, size_t *len)
{
    size_t total = s->size, at = 0;
    unsigned char *buf = xmalloc(total ? total : 1);
    HPDF_UINT count = HPDF_MemStream_GetBufCount(s);
    for (HPDF_UINT i = 0; i < count && at < total; i++) {
        HPDF_UINT n = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &n);
        if (!p)
            break;
        if (n > total - at)
            n = (HPDF_UINT)(total - at);
        memcpy(buf + at, p, n);
        at += n;
    }
    if (at != total) {
        free(buf);
        return NULL;
    }
    *len = total;
    return buf;
}

/* The code points the font's cmap maps to embedded glyphs, and those
 * glyphs: libharu read our subset's cmap (subset.c, libharu_cmap: the
 * code points drawn, with gaps of glyph 0) and flagged every glyph drawn
 * (render.c, embed_glyphs). This is the mapping the CIDToGIDMap holds. */
static size_t mapped(HPDF_FontDef def, uint32_t **cps_out, uint16_t **gids_out)
{
    HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
    size_t n = 0, cap = 0;
    uint32_t *cps = NULL;
    uint16_t *gids = NULL;
    size_t nseg = tt->cmap.format == 4 ? tt->cmap.seg_count_x2 / 2u : 0;
    for (size_t s = 0; s < nseg; s++) {
        uint32_t start = tt->cmap.start_count[s], end = tt->cmap.end_count[s];
        for (uint32_t c = start; c <= end && c < 0xFFFF; c++) {
            /* The segment's own mapping, as HPDF_TTFontDef_GetGlyphid
             * computes it after searching for the segment (linear in their
             * number, for each of some 20 000 code points); its bound check
             * lets one entry past the array through: not here. */
            HPDF_UINT16 g;
            if (tt->cmap.id_range_offset[s] == 0) {
                g = (HPDF_UINT16)(c + tt->cmap.id_delta[s]);
            } else {
                size_t idx = tt->cmap.id_range_offset[s] / 2 + (c - start) - (nseg - s);
                g = idx < tt->cmap.glyph_id_array_count
                        ? (HPDF_UINT16)(tt->cmap.glyph_id_array[idx] + tt->cmap.id_delta[s])
                        : 0;
            }
            if (g == 0 || g >= tt->num_glyphs || !tt->glyph_tbl.flgs[g] || (n && c <= cps[n - 1]))
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 256;
                cps = xrealloc(cps, cap * sizeof *cps);
                gids = xrealloc(gids, cap * sizeof *gids);
            }
            cps[n] = c;
            gids[n++] = g;
        }
    }
    *cps_out = cps;
    *gids_out = gids;
    return n;
}

/* Tag, rewrite and describe one embedded TrueType font. */
static int embed_one(HPDF_Doc pdf, HPDF_Font font)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
    HPDF_FontDef def = fa ? fa->fontdef : NULL;
    if (!fa || fa->type != HPDF_FONT_TYPE0_TT || !def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE ||
        def->descriptor || !fa->descendant_font)
        return 0;
    HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
    if (!tt->embedding)
        return 0;

    uint16_t *glyphs = xmalloc((tt->num_glyphs ? tt->num_glyphs : 1) * sizeof *glyphs);
    size_t nglyphs = 0;
    for (HPDF_UINT16 g = 0; g < tt->num_glyphs; g++)
        if (tt->glyph_tbl.flgs[g])
            glyphs[nglyphs++] = g;
    char tag[7];
    fontfile_tag(def->base_font, glyphs, nglyphs, tag);
    free(glyphs);
    /* Renames the font (BaseFont, FontName) and the names in its name table. */
    HPDF_TTFontDef_SetTagName(def, tag);

    HPDF_Stream ms = HPDF_MemStream_New(pdf->mmgr, HPDF_STREAM_BUF_SIZ);
    if (!ms)
        return -1;
    size_t len = 0;
    unsigned char *bytes = NULL;
    if (HPDF_TTFontDef_SaveFontData(def, ms) == HPDF_OK)
        bytes = stream_bytes(ms, &len);
    HPDF_Stream_Free(ms);
    if (!bytes)
        return -1;
    uint32_t *cps;
    uint16_t *gids;
    size_t n = mapped(def, &cps, &gids), cmap_len = 0;
    unsigned char *cmap = fontfile_cmap(cps, gids, n, &cmap_len);
    free(cps);
    free(gids);
    size_t prog_len = 0;
    unsigned char *prog = fontfile_rebuild(bytes, len, cmap, cmap_len, &prog_len);
    free(cmap);
    free(bytes);
    if (!prog)
        return -1;

    /* The descriptor libharu would make (CIDFontType2_BeforeWrite_Func),
     * with our program and CapHeight (required: ISO 32000-1 Table 122; a
     * subset without 'H' has none, and a CJK font's ascent stands for it);
     * libharu sees it made and writes it as it is. */
    HPDF_Dict data = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict desc = HPDF_Dict_New(pdf->mmgr);
    HPDF_STATUS ret = data && desc ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
    if (ret == HPDF_OK) {
        data->filter = font->filter; /* as libharu: Flate with HPDF_COMP_METADATA */
        ret += HPDF_Stream_Write(data->stream, prog, (HPDF_UINT)prog_len);
        ret += HPDF_Dict_AddNumber(data, "Length1", (HPDF_INT32)prog_len);
        ret += HPDF_Xref_Add(pdf->xref, desc);
    }
    free(prog);
    if (ret != HPDF_OK)
        return -1;
    ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddName(desc, "FontName", tt->base_font);
    ret += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    ret += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(pdf->mmgr, def->font_bbox));
    ret += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    ret += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    ret += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    ret += HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height > 0 ? def->cap_height : def->ascent);
    ret += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    ret += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    ret += HPDF_Dict_Add(desc, "FontFile2", data);
    if (ret != HPDF_OK)
        return -1;
    def->descriptor = desc;
    return 0;
}

int fontfile_embed(HPDF_Doc pdf)
{
    HPDF_List fonts = pdf->font_mgr;
    for (HPDF_UINT i = 0; fonts && i < fonts->count; i++)
        if (embed_one(pdf, (HPDF_Font)fonts->obj[i]) != 0)
            return -1;
    return 0;
}
