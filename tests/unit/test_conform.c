/* PDF/A-2u and PDF/UA-1 plumbing (conform.c, fontfile.c) and the output
 * intent of the font manifest. The rule ids are those of the veraPDF
 * profiles in ../shared/reference/verapdf/ (PDFA-2U.xml, PDFUA-1.xml).
 * Run from the repository root, or pass the manifest path as argv[1]. */
#include "check.h"
#include "conform.h"
#include "diag.h"
#include "drawlist.h"
#include "fontfile.h"
#include "fonts.h"
#include "render.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ICC_FILE "/usr/share/color/icc/sRGB.icc"
#define ICC_SHA "2a92d4bae450b76d8b0aa42193df974d75f62738ecebf74f01c5e75b12a95796"
#define MINCHO_FILE "/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf"
#define MINCHO_SHA "12a760927333e6099c7d55508b03617d905836041d3883c766e88a2e892a96c3"

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int has_message(const Diag *d, const char *part)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->entries[i].msg, part))
            return 1;
    return 0;
}

/* ---- cmap ------------------------------------------------------------------ */

/* The glyph a format 4 subtable maps cp to, read the way a font parser does. */
static long cmap_lookup(const unsigned char *cmap, size_t len, uint32_t cp)
{
    if (len < 12 || rd16(cmap + 2) != 1 || rd16(cmap + 4) != 3 || rd16(cmap + 6) != 1)
        return -1;
    const unsigned char *t = cmap + rd32(cmap + 8);
    if (rd16(t) != 4 || 12 + rd16(t + 2) != len)
        return -1;
    size_t nseg = rd16(t + 6) / 2;
    const unsigned char *ends = t + 14, *starts = ends + 2 * nseg + 2, *deltas = starts + 2 * nseg;
    const unsigned char *ranges = deltas + 2 * nseg;
    for (size_t s = 0; s < nseg; s++) {
        if (cp > rd16(ends + 2 * s))
            continue;
        if (cp < rd16(starts + 2 * s))
            return 0;
        uint32_t ro = rd16(ranges + 2 * s);
        if (ro == 0)
            return (cp + rd16(deltas + 2 * s)) & 0xFFFF;
        const unsigned char *g = ranges + 2 * s + ro + 2 * (cp - rd16(starts + 2 * s));
        if (g + 2 > cmap + len)
            return -1;
        uint32_t gid = rd16(g);
        return gid ? (gid + rd16(deltas + 2 * s)) & 0xFFFF : 0;
    }
    return 0;
}

static void test_cmap(void)
{
    /* Runs with one delta (glyphs in code point order), runs with a glyph
     * array (scattered glyphs), single code points, a gap. */
    uint32_t cps[64];
    uint16_t gids[64];
    size_t n = 0;
    for (uint32_t c = 0x3041; c < 0x3051; c++, n++)
        cps[n] = c, gids[n] = (uint16_t)(c - 0x3041 + 10);
    for (uint32_t c = 0x4E00; c < 0x4E10; c++, n++)
        cps[n] = c, gids[n] = (uint16_t)(300 - 7 * (c - 0x4E00));
    cps[n] = 0x6F22, gids[n++] = 5;
    cps[n] = 0xFF10, gids[n++] = 65535;
    size_t len = 0;
    unsigned char *cmap = fontfile_cmap(cps, gids, n, &len);
    CHECK(cmap && len > 12 && len % 2 == 0, "cmap written (%zu bytes)", len);
    int wrong = 0;
    for (size_t i = 0; cmap && i < n; i++)
        wrong += cmap_lookup(cmap, len, cps[i]) != gids[i];
    CHECK(cmap && wrong == 0, "%d code points map to another glyph", wrong);
    CHECK(cmap && cmap_lookup(cmap, len, 0x3040) == 0 && cmap_lookup(cmap, len, 0x4E10) == 0 &&
              cmap_lookup(cmap, len, 0xFFFF) == 0,
          "code points not drawn map to .notdef");
    /* The glyph-ordered run is one segment: 4 segments + the last one. */
    CHECK(cmap && rd16(cmap + 12 + 6) / 2 <= 6, "%u segments", cmap ? rd16(cmap + 12 + 6) / 2 : 0);
    free(cmap);
    CHECK(fontfile_cmap(cps, gids, 0, &len) == NULL && len == 0, "no code points, no cmap");
    /* Past format 4's 64 KB: every other code point, scattered glyphs. */
    size_t big = 20000;
    uint32_t *bc = xmalloc(big * sizeof *bc);
    uint16_t *bg = xmalloc(big * sizeof *bg);
    for (size_t i = 0; i < big; i++)
        bc[i] = (uint32_t)(0x100 + 3 * i), bg[i] = (uint16_t)(i * 7919 % 60000 + 1);
    CHECK(fontfile_cmap(bc, bg, big, &len) == NULL, "a cmap past 64 KB is left out");
    free(bc);
    free(bg);
}

/* ---- the sfnt ------------------------------------------------------------------ */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t sum32(const unsigned char *p, size_t len)
{
    uint32_t s = 0;
    for (size_t i = 0; i < len; i += 4) {
        unsigned char w[4] = {0};
        memcpy(w, p + i, len - i < 4 ? len - i : 4);
        s += rd32(w);
    }
    return s;
}

/* A font as libharu writes it: tables back to back, unpadded, some empty. */
static unsigned char *harfu_like(size_t *len)
{
    static const struct {
        const char *tag;
        size_t len;
    } t[] = {{"OS/2", 96}, {"cmap", 0}, {"cvt ", 0}, {"fpgm", 0}, {"glyf", 1002},
             {"head", 54}, {"hhea", 36}, {"hmtx", 10}, {"loca", 6},  {"maxp", 32},
             {"name", 45}, {"post", 32}, {"prep", 1}};
    size_t n = sizeof t / sizeof t[0], size = 12 + 16 * n;
    for (size_t i = 0; i < n; i++)
        size += t[i].len;
    unsigned char *f = xcalloc(size, 1);
    put32(f, 0x00010000);
    f[5] = (unsigned char)n;
    f[7] = 128, f[9] = 3, f[11] = 48; /* the input font's, wrong for 13 tables */
    size_t at = 12 + 16 * n;
    for (size_t i = 0; i < n; i++) {
        unsigned char *rec = f + 12 + 16 * i;
        memcpy(rec, t[i].tag, 4);
        put32(rec + 8, (uint32_t)at);
        put32(rec + 12, (uint32_t)t[i].len);
        for (size_t k = 0; k < t[i].len; k++)
            f[at + k] = (unsigned char)(i * 31 + k);
        if (strcmp(t[i].tag, "head") == 0)
            put32(f + at + 12, 0x5F0F3CF5);
        at += t[i].len;
    }
    *len = size;
    return f;
}

static void test_rebuild(void)
{
    size_t len, out_len;
    unsigned char *in = harfu_like(&len);
    static const unsigned char cmap[] = {0, 0, 0, 0, 0xAB, 0xCD}; /* any bytes */
    unsigned char *f = fontfile_rebuild(in, len, cmap, sizeof cmap, &out_len);
    CHECK(f != NULL, "rebuild");
    if (f) {
        size_t n = rd16(f + 4);
        /* 13 tables less cvt and fpgm (empty); libharu's empty cmap replaced */
        CHECK(n == 11, "%zu tables", n);
        CHECK(rd16(f + 6) == 128 && rd16(f + 8) == 3 && rd16(f + 10) == 11 * 16 - 128,
              "searchRange %u entrySelector %u rangeShift %u", rd16(f + 6), rd16(f + 8), rd16(f + 10));
        int sorted = 1, aligned = 1, empty = 0, sums = 1;
        size_t head = 0;
        for (size_t i = 0; i < n; i++) {
            const unsigned char *rec = f + 12 + 16 * i;
            uint32_t off = rd32(rec + 8), tl = rd32(rec + 12);
            if (i && memcmp(rec - 16, rec, 4) >= 0)
                sorted = 0;
            aligned &= off % 4 == 0 && off + ((tl + 3) & ~3u) <= out_len;
            empty += tl == 0;
            if (memcmp(rec, "head", 4) == 0)
                head = off;
            uint32_t want = sum32(f + off, tl);
            if (memcmp(rec, "head", 4) == 0)
                want -= rd32(f + off + 8);
            sums &= rd32(rec + 4) == want;
            if (memcmp(rec, "cmap", 4) == 0)
                CHECK(tl == sizeof cmap && memcmp(f + off, cmap, tl) == 0, "the cmap given");
        }
        CHECK(sorted, "tables sorted by tag");
        CHECK(aligned, "tables 4-byte aligned and inside the file");
        CHECK(empty == 0, "%d zero-length tables", empty);
        CHECK(sums, "table checksums");
        CHECK(head && sum32(f, out_len) == 0xB1B0AFBA, "checkSumAdjustment: whole font sums to B1B0AFBA");
        CHECK(out_len % 4 == 0, "padded to 4 bytes");
        free(f);
    }
    /* Without a cmap of ours there is none. */
    f = fontfile_rebuild(in, len, NULL, 0, &out_len);
    CHECK(f && rd16(f + 4) == 10, "no cmap: %u tables", f ? rd16(f + 4) : 0);
    free(f);
    /* Damaged directories are refused, not read past. */
    CHECK(fontfile_rebuild(in, 11, NULL, 0, &out_len) == NULL, "truncated header");
    CHECK(fontfile_rebuild(in, 12 + 16 * 5, NULL, 0, &out_len) == NULL, "truncated directory");
    put32(in + 12 + 16 * 4 + 12, 0x7FFFFFF0); /* glyf longer than the file */
    CHECK(fontfile_rebuild(in, len, NULL, 0, &out_len) == NULL, "table past the end");
    free(in);
}

static void test_tag(void)
{
    uint16_t a[] = {0, 3, 17, 200}, b[] = {0, 3, 17, 201};
    char t1[7], t2[7], t3[7], t4[7];
    fontfile_tag("BIZUDMincho-Regular", a, 4, t1);
    fontfile_tag("BIZUDMincho-Regular", a, 4, t2);
    fontfile_tag("BIZUDMincho-Regular", b, 4, t3);
    fontfile_tag("BIZUDGothic-Regular", a, 4, t4);
    int upper = 1;
    for (int i = 0; i < 6; i++)
        upper &= t1[i] >= 'A' && t1[i] <= 'Z';
    CHECK(upper && strlen(t1) == 6, "six capital letters: %s", t1);
    CHECK(strcmp(t1, t2) == 0, "same glyphs, same tag");
    CHECK(strcmp(t1, t3) != 0 && strcmp(t1, t4) != 0, "other glyphs or font, other tag: %s %s %s", t1, t3, t4);
    CHECK(strncmp(t1, "HPDFA", 5) != 0, "not libharu's HPDFAA");
}

/* ---- XMP values ---------------------------------------------------------------- */

static void test_xml_text(void)
{
    StrBuf sb = {0};
    CHECK(conform_xml_text(&sb, "a<b>&c \"d\" 'e'\t\n柏原") == 0, "escape");
    CHECK_STR(sb.data, "a&lt;b&gt;&amp;c \"d\" 'e'\t\n柏原");
    sb_free(&sb);
    CHECK(conform_xml_text(&sb, "x\ry") == 0 && strcmp(sb.data, "x&#13;y") == 0, "CR kept as a reference");
    sb_free(&sb);
    sb_puts(&sb, "keep");
    CHECK(conform_xml_text(&sb, "bell\a") == -1 && strcmp(sb.data, "keep") == 0, "a control refused, nothing added");
    CHECK(conform_xml_text(&sb, "\xEF\xBF\xBF") == -1, "U+FFFF refused");
    CHECK(conform_xml_text(&sb, "\xC0\x80") == -1, "invalid UTF-8 refused");
    sb_free(&sb);
}

/* veraPDF 6.1.3-1: the identifier follows from the bytes. */
static void test_stamp_id(void)
{
    char a[] = "%PDF-1.4\n...\ntrailer\n<<\n/ID [ <00000000000000000000000000000000> "
               "<00000000000000000000000000000000> ]\n>>\n%%EOF\n";
    char b[sizeof a];
    memcpy(b, a, sizeof a);
    b[10] = ','; /* another file */
    char c[sizeof a];
    memcpy(c, a, sizeof a);
    CHECK(conform_stamp_id((unsigned char *)a, sizeof a - 1) == 0, "stamped");
    conform_stamp_id((unsigned char *)b, sizeof b - 1);
    conform_stamp_id((unsigned char *)c, sizeof c - 1);
    const char *id = strstr(a, "/ID [ <");
    CHECK(id && strncmp(id + 7, "00000000", 8) != 0, "the placeholder is replaced");
    CHECK(id && strncmp(id + 7, id + 7 + 35, 32) == 0, "both entries equal");
    CHECK(memcmp(a, c, sizeof a) == 0, "same bytes, same identifier");
    CHECK(memcmp(a, b, sizeof a) != 0, "other bytes, other identifier");
    char none[] = "%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    CHECK(conform_stamp_id((unsigned char *)none, sizeof none - 1) == -1, "no /ID: nothing done");
}

/* ---- the manifest's output intent ------------------------------------------------- */

static FontSet *load_manifest(const char *yaml, Diag *d)
{
    char path[] = "/tmp/policygen-conform-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    ssize_t w = write(fd, yaml, strlen(yaml));
    close(fd);
    FontSet *fs = w == (ssize_t)strlen(yaml) ? fontset_load(path, d) : NULL;
    unlink(path);
    return fs;
}

#define FONT_ENTRY "mincho:\n  file: " MINCHO_FILE "\n  sha256: " MINCHO_SHA "\n"

static void test_manifest(void)
{
    Diag d;
    diag_init(&d);
    FontSet *fs = load_manifest(FONT_ENTRY "output_intent:\n  file: " ICC_FILE "\n  sha256: " ICC_SHA
                                           "\n  condition: sRGB IEC61966-2.1\n", &d);
    const OutputProfile *p = fontset_output_profile(fs);
    CHECK(fs && p && p->len == 6922 && p->components == 3 && strcmp(p->condition, "sRGB IEC61966-2.1") == 0,
          "sRGB profile loaded");
    fontset_free(fs);
    fs = load_manifest(FONT_ENTRY, &d);
    CHECK(fs && !fontset_output_profile(fs) && d.errors == 0, "the output intent is optional");
    fontset_free(fs);
    diag_free(&d);

    static const struct {
        const char *yaml, *message;
    } bad[] = {
        {"output_intent:\n  file: " ICC_FILE "\n  sha256: " ICC_SHA "\n", "missing 'condition:'"},
        {"output_intent:\n  file: " ICC_FILE "\n  condition: x\n", "missing 'sha256:'"},
        {"output_intent:\n  file: " ICC_FILE "\n  sha256: abc\n  condition: x\n", "64 lower-case hex"},
        {"output_intent:\n  file: " ICC_FILE "\n  sha256: " ICC_SHA "\n  condition: x\n  colour: red\n",
         "unknown key 'colour'"},
        {"output_intent:\n  file: /usr/share/color/icc/FOGRA28L.ti3\n  sha256: " ICC_SHA "\n  condition: x\n",
         "is not an ICC profile"},
        {"output_intent:\n  file: /usr/share/color/icc/ITULab.icc\n  sha256: " ICC_SHA "\n  condition: x\n",
         "ファイルが大きすぎます"},
        {"output_intent:\n  file: /usr/share/color/icc/CineLogCurve.icc\n  sha256: " ICC_SHA "\n  condition: x\n",
         "neither a monitor"},
        {"output_intent:\n  file: /usr/share/color/icc/LCMSXYZI.ICM\n  sha256: " ICC_SHA "\n  condition: x\n",
         "gray, RGB or CMYK"},
        {"output_intent: sRGB\n", "expected 'file:'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag_init(&d);
        StrBuf yaml = {0};
        sb_printf(&yaml, "%s%s", FONT_ENTRY, bad[i].yaml);
        fs = load_manifest(yaml.data, &d);
        CHECK(fs == NULL && has_message(&d, bad[i].message), "case %zu: want \"%s\"", i, bad[i].message);
        if (fs == NULL && !has_message(&d, bad[i].message))
            diag_print(&d, stderr);
        fontset_free(fs);
        sb_free(&yaml);
        diag_free(&d);
    }
}

/* ---- a rendered PDF ------------------------------------------------------------------ */

static int contains(const unsigned char *pdf, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(pdf + i, s, n) == 0)
            return 1;
    return 0;
}

static void render_one(const FontSet *fs, const char *title, unsigned char **pdf, size_t *len, Diag *d)
{
    DrawDoc doc = {0};
    DrawPage *pg = drawdoc_add_page(&doc, 595.28, 841.89);
    const char *line = "令和６年度 運営方針 <&>";
    drawpage_text(pg, 56.69, 780, fontset_find(fs, "mincho"), 10.5, line, strlen(line));
    doc.title = xstrdup(title);
    doc.author = xstrdup("柏原市 政策推進部");
    *pdf = NULL;
    *len = 0;
    render_pdf(&doc, fs, "t.md", pdf, len, d);
    drawdoc_free(&doc);
    if (*pdf) { /* read the objects as text */
        size_t ulen = 0;
        unsigned char *u = check_unpack(*pdf, *len, &ulen);
        free(*pdf);
        *pdf = u;
        *len = ulen;
    }
}

static void test_render(const FontSet *fs)
{
    unsetenv("SOURCE_DATE_EPOCH");
    Diag d;
    diag_init(&d);
    unsigned char *pdf;
    size_t len;
    render_one(fs, "A & B <運営方針>", &pdf, &len, &d);
    CHECK(pdf && d.errors == 0, "render");
    /* 6.6.2.1-1, PDF/UA 7.1-8: uncompressed XMP on the catalog */
    CHECK(pdf && contains(pdf, len, "/Type /Metadata") && contains(pdf, len, "/Subtype /XML"), "metadata stream");
    /* PDF/UA 7.1-9: dc:title, escaped; the same as Info's */
    CHECK(pdf && contains(pdf, len, "<rdf:li xml:lang=\"x-default\">A &amp; B &lt;運営方針&gt;</rdf:li>"),
          "dc:title escaped");
    CHECK(pdf && contains(pdf, len, "<rdf:Seq><rdf:li>柏原市 政策推進部</rdf:li></rdf:Seq>"), "dc:creator");
    /* no date without SOURCE_DATE_EPOCH, in XMP as in Info */
    CHECK(pdf && !contains(pdf, len, "xmp:CreateDate") && !contains(pdf, len, "/CreationDate"), "no dates");
    /* 6.6.4-2, -3; PDF/UA 5-2 */
    CHECK(pdf && contains(pdf, len, "<pdfaid:part>2</pdfaid:part>") &&
              contains(pdf, len, "<pdfaid:conformance>U</pdfaid:conformance>") &&
              contains(pdf, len, "<pdfuaid:part>1</pdfuaid:part>"),
          "pdfaid and pdfuaid");
    /* 6.2.3-1 */
    CHECK(pdf && contains(pdf, len, "/S /GTS_PDFA1") && contains(pdf, len, "/N 3"), "OutputIntent");
    /* 6.1.3-1 */
    CHECK(pdf && contains(pdf, len, "/ID [") && !contains(pdf, len, "<00000000000000000000000000000000>"),
          "trailer /ID stamped");
    /* 6.2.11.4.2: no libharu tags */
    CHECK(pdf && !contains(pdf, len, "/HPDFA"), "subset tags are ours");
    free(pdf);

    setenv("SOURCE_DATE_EPOCH", "1712016000", 1);
    render_one(fs, "T", &pdf, &len, &d);
    CHECK(pdf && contains(pdf, len, "/CreationDate (D:20240402000000+00'00')") &&
              contains(pdf, len, "<xmp:CreateDate>2024-04-02T00:00:00+00:00</xmp:CreateDate>") &&
              contains(pdf, len, "<xmp:ModifyDate>2024-04-02T00:00:00+00:00</xmp:ModifyDate>"),
          "SOURCE_DATE_EPOCH: the same date in Info and XMP");
    free(pdf);
    unsetenv("SOURCE_DATE_EPOCH");

    /* A control character in the title cannot be XML: an error, no PDF. */
    diag_init(&d);
    render_one(fs, "bell\a", &pdf, &len, &d);
    CHECK(pdf == NULL && has_message(&d, "XML"), "a title XML cannot hold is reported");
    free(pdf);
    diag_free(&d);
}

/* Without an output intent the file claims PDF/UA only. */
static void test_render_without_profile(void)
{
    Diag d;
    diag_init(&d);
    FontSet *fs = load_manifest(FONT_ENTRY, &d);
    unsigned char *pdf = NULL;
    size_t len = 0;
    if (fs)
        render_one(fs, "T", &pdf, &len, &d);
    CHECK(pdf && !contains(pdf, len, "pdfaid") && contains(pdf, len, "<pdfuaid:part>1</pdfuaid:part>") &&
              !contains(pdf, len, "/OutputIntents"),
          "no profile: no OutputIntent, no PDF/A claim");
    free(pdf);
    fontset_free(fs);
    diag_free(&d);
}

int main(int argc, char **argv)
{
    const char *manifest = argc > 1 ? argv[1] : "fonts/fonts.yaml";
    test_cmap();
    test_rebuild();
    test_tag();
    test_xml_text();
    test_stamp_id();
    test_manifest();
    Diag d;
    diag_init(&d);
    FontSet *fs = fontset_load(manifest, &d);
    diag_print(&d, stderr);
    CHECK(fs && fontset_output_profile(fs), "cannot load %s with its output intent", manifest);
    if (fs)
        test_render(fs);
    test_render_without_profile();
    fontset_free(fs);
    diag_free(&d);
    return CHECK_DONE();
}
