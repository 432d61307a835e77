/* ToUnicode CMap for libharu's UTF-8 Type0 fonts. See tounicode.h. */
#include "tounicode.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_MAX 100 /* PDF/CMap limit on entries per begin...end block */

typedef struct {
    uint32_t lo, hi; /* a range of codes mapped to consecutive code points */
} Run;

/* One range per 256-code block that holds a code point of cps: a bfrange
 * may only vary in the last byte of the code, and a whole block costs no
 * more than one of its code points. Mapping codes the document never shows
 * is harmless (nothing asks for them) and keeps the CMap a few hundred
 * bytes instead of one entry per character (~14 bytes each). The last
 * block stops before the noncharacters U+FFFE and U+FFFF. */
static Run *make_runs(const uint32_t *cps, size_t n, size_t *nruns)
{
    Run *runs = xmalloc((n ? n : 1) * sizeof *runs);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t lo = cps[i] & 0xFF00, hi = lo == 0xFF00 ? 0xFFFD : lo | 0xFF;
        if (k == 0 || runs[k - 1].lo != lo)
            runs[k++] = (Run){lo, hi};
    }
    *nruns = k;
    return runs;
}

static void emit_ranges(StrBuf *sb, const Run *runs, size_t nruns)
{
    for (size_t i = 0; i < nruns; i += BLOCK_MAX) {
        size_t count = nruns - i < BLOCK_MAX ? nruns - i : BLOCK_MAX;
        sb_printf(sb, "%zu beginbfrange\n", count);
        /* CID == code == BMP code point; its UTF-16BE is itself. */
        for (size_t j = i; j < i + count; j++)
            sb_printf(sb, "<%04X> <%04X> <%04X>\n", (unsigned)runs[j].lo, (unsigned)runs[j].hi,
                      (unsigned)runs[j].lo);
        sb_puts(sb, "endbfrange\n");
    }
}

/* The private codes (glyphcode.h), each to the text its glyph stands for,
 * in UTF-16BE: a surrogate pair above U+FFFF, a base and its selector. */
static void emit_chars(StrBuf *sb, const GlyphCodes *gc)
{
    for (size_t i = 0; gc && i < gc->n; i += BLOCK_MAX) {
        size_t count = gc->n - i < BLOCK_MAX ? gc->n - i : BLOCK_MAX;
        sb_printf(sb, "%zu beginbfchar\n", count);
        for (size_t j = i; j < i + count; j++) {
            sb_printf(sb, "<%04X> <", (unsigned)gc->e[j].code);
            const unsigned char *s = (const unsigned char *)gc->e[j].text;
            size_t n = strlen(gc->e[j].text);
            while (n > 0) {
                uint32_t cp;
                size_t len = utf8_decode(s, n, &cp);
                if (len == 0)
                    break;
                s += len;
                n -= len;
                if (cp > 0xFFFF)
                    sb_printf(sb, "%04X%04X", (unsigned)(0xD800 + ((cp - 0x10000) >> 10)),
                              (unsigned)(0xDC00 + ((cp - 0x10000) & 0x3FF)));
                else
                    sb_printf(sb, "%04X", (unsigned)cp);
            }
            sb_puts(sb, ">\n");
        }
        sb_puts(sb, "endbfchar\n");
    }
}

char *tounicode_cmap(const uint32_t *cps, size_t n)
{
    return tounicode_cmap_codes(cps, n, NULL);
}

char *tounicode_cmap_codes(const uint32_t *cps, size_t n, const GlyphCodes *gc)
{
    StrBuf sb = {0};
    sb_puts(&sb,
            "/CIDInit /ProcSet findresource begin\n"
            "12 dict begin\n"
            "begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n"
            "1 begincodespacerange\n"
            "<0000> <FFFF>\n"
            "endcodespacerange\n");
    size_t nruns;
    Run *runs = make_runs(cps, n, &nruns);
    emit_ranges(&sb, runs, nruns);
    free(runs);
    emit_chars(&sb, gc);
    sb_puts(&sb,
            "endcmap\n"
            "CMapName currentdict /CMap defineresource pop\n"
            "end\n"
            "end\n");
    return sb_take(&sb);
}

HPDF_STATUS tounicode_replace(HPDF_Doc pdf, HPDF_Font font, const uint32_t *cps, size_t n, const GlyphCodes *gc)
{
    HPDF_Dict dict = (HPDF_Dict)font;
    /* libharu 2.3.0 puts its broken CMap on the Type0 font itself. Rewrite
     * that stream in place rather than adding a new one, so the old CMap
     * does not linger as an unreferenced object in the file. */
    HPDF_Dict st = HPDF_Dict_GetItem(dict, "ToUnicode", HPDF_OCLASS_DICT);
    if (st && (!st->stream || st->stream->type != HPDF_STREAM_MEMORY))
        st = NULL;
    if (st) {
        HPDF_MemStream_FreeData(st->stream);
        /* Keys of the CID CMap it was; a ToUnicode stream has none of them. */
        HPDF_Dict_RemoveElement(st, "Type");
        HPDF_Dict_RemoveElement(st, "CMapName");
        HPDF_Dict_RemoveElement(st, "CIDSystemInfo");
        HPDF_Dict_RemoveElement(st, "WMode");
    } else {
        st = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
        if (!st)
            return HPDF_GetError(pdf);
        HPDF_STATUS ret = HPDF_Dict_Add(dict, "ToUnicode", st);
        if (ret != HPDF_OK)
            return ret;
    }
    /* The font's before-write hook copies the font's own filter onto this
     * stream, so compression follows HPDF_SetCompressionMode; FLATE here is
     * only the default for a document that never sets it. */
    st->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    char *cmap = tounicode_cmap_codes(cps, n, gc);
    HPDF_STATUS ret = HPDF_Stream_Write(st->stream, (const HPDF_BYTE *)cmap, (HPDF_UINT)strlen(cmap));
    free(cmap);
    return ret;
}
