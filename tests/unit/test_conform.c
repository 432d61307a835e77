/* PDF/A-2u and PDF/UA-1 plumbing (conform.c), the validity of the
 * embedded font programs (subset.c) and the output
 * intent of the font manifest. The rule ids are those of the veraPDF
 * profiles in ../shared/reference/verapdf/ (PDFA-2U.xml, PDFUA-1.xml).
 * Run from the repository root, or pass the manifest path as argv[1]. */
#include "check.h"
#include "conform.h"
#include "diag.h"
#include "drawlist.h"
#include "fonts.h"
#include "render.h"
#include "subset.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ICC_FILE "/usr/share/color/icc/sRGB.icc"
#define ICC_SHA "2a92d4bae450b76d8b0aa42193df974d75f62738ecebf74f01c5e75b12a95796"
#define GRAY_FILE "/usr/share/color/icc/Gray-CIE_L.icc"
#define GRAY_SHA "67fa3514e48720273ee47f2ff6ae1b7950826bc1bc83c32230e62b2c5bd75804"
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

/* ---- the font programs ------------------------------------------------------- */

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

/* What ISO 19005-2 6.2.11.2 asks of an embedded TrueType program (the
 * checker's "ISO 19005-2 6.2.11.2"), on a subset as it is embedded
 * (HarfBuzz's, a glyph copied into it): directory fields, tables sorted, 4-byte aligned and padded,
 * none empty, checksums and checkSumAdjustment right, and the tables a
 * CIDFontType2 needs, no others. */
static void test_program(const FontSet *fs)
{
    int m = fontset_find(fs, "mincho");
    hb_font_t *font = font_hb(fs, m);
    uint32_t gids[200], cids[200];
    size_t n = 0;
    for (uint32_t cp = 0x4E00; n < 199; cp += 7) { /* kanji scattered over the font */
        hb_codepoint_t g;
        if (hb_font_get_nominal_glyph(font, cp, &g))
            gids[n++] = g;
    }
    gids[n++] = gids[0]; /* drawn for two texts: a copy (subset.h) */
    Diag d;
    diag_init(&d);
    unsigned char *f = NULL;
    size_t len = 0;
    CHECK(subset_glyphs(hb_font_get_face(font), "mincho", gids, n, cids, &f, &len, &d, "t") == 0, "subset");
    if (f) {
        size_t nt = rd16(f + 4), pow2 = 1, log2 = 0;
        while (2 * pow2 <= nt)
            pow2 *= 2, log2++;
        CHECK(nt == 6, "%zu tables", nt);
        CHECK(rd16(f + 6) == 16 * pow2 && rd16(f + 8) == log2 && rd16(f + 10) == 16 * nt - 16 * pow2,
              "searchRange %u entrySelector %u rangeShift %u", rd16(f + 6), rd16(f + 8), rd16(f + 10));
        int sorted = 1, aligned = 1, empty = 0, sums = 1, known = 0;
        for (size_t i = 0; i < nt; i++) {
            const unsigned char *rec = f + 12 + 16 * i;
            uint32_t off = rd32(rec + 8), tl = rd32(rec + 12);
            if (i && memcmp(rec - 16, rec, 4) >= 0)
                sorted = 0;
            aligned &= off % 4 == 0 && off + ((tl + 3) & ~3u) <= len;
            empty += tl == 0;
            known += strstr("glyf head hhea hmtx loca maxp", (char[5]){(char)rec[0], (char)rec[1], (char)rec[2],
                                                                       (char)rec[3], 0}) != NULL;
            uint32_t want = sum32(f + off, tl);
            if (memcmp(rec, "head", 4) == 0)
                want -= rd32(f + off + 8); /* checkSumAdjustment counts as 0 */
            sums &= rd32(rec + 4) == want;
        }
        CHECK(known == 6, "glyf head hhea hmtx loca maxp, nothing else");
        CHECK(sorted, "tables sorted by tag");
        CHECK(aligned, "tables 4-byte aligned and inside the file");
        CHECK(empty == 0, "%d zero-length tables", empty);
        CHECK(sums, "table checksums");
        CHECK(sum32(f, len) == 0xB1B0AFBA, "checkSumAdjustment: whole font sums to B1B0AFBA");
        CHECK(len % 4 == 0, "padded to 4 bytes");
    }
    free(f);
    diag_free(&d);
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
    const OutputProfile *p = fontset_output_profile(fs, COLOUR_GRAY);
    CHECK(fs && p && p->len == 6922 && p->components == 3 && strcmp(p->condition, "sRGB IEC61966-2.1") == 0,
          "sRGB profile loaded (one mapping), and it holds gray");
    CHECK(fs && fontset_output_profile(fs, COLOUR_GRAY | COLOUR_RGB) == p, "sRGB holds RGB");
    CHECK(fs && !fontset_output_profile(fs, COLOUR_GRAY | COLOUR_CMYK), "sRGB does not hold CMYK");
    fontset_free(fs);
    fs = load_manifest(FONT_ENTRY, &d);
    size_t n = 1;
    CHECK(fs && !fontset_output_profile(fs, COLOUR_GRAY) && !fontset_output_profiles(fs, &n) && n == 0 &&
              d.errors == 0,
          "the output intent is optional");
    fontset_free(fs);
    /* A list: the first that holds the colours. */
    fs = load_manifest(FONT_ENTRY "output_intent:\n  - file: " GRAY_FILE "\n    sha256: " GRAY_SHA
                                  "\n    condition: Gray CIE L*\n  - file: " ICC_FILE "\n    sha256: " ICC_SHA
                                  "\n    condition: sRGB IEC61966-2.1\n", &d);
    const OutputProfile *all = fontset_output_profiles(fs, &n);
    CHECK(fs && all && n == 2 && all[0].components == 1 && all[1].components == 3 && d.errors == 0,
          "a list of two profiles loaded in order");
    CHECK(fs && fontset_output_profile(fs, COLOUR_GRAY) == &all[0], "grays only: the gray profile");
    CHECK(fs && fontset_output_profile(fs, COLOUR_GRAY | COLOUR_RGB) == &all[1], "with RGB: the sRGB profile");
    CHECK(fs && !fontset_output_profile(fs, COLOUR_GRAY | COLOUR_CMYK), "with CMYK: none");
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
         "ITULab.icc is 431756 bytes; a profile is read up to 262144"},
        {"output_intent:\n  file: /nonexistent.icc\n  sha256: " ICC_SHA "\n  condition: x\n",
         "output_intent: cannot open /nonexistent.icc: No such file or directory"},
        {"output_intent:\n  file: /usr/share/color/icc\n  sha256: " ICC_SHA "\n  condition: x\n",
         "output_intent: /usr/share/color/icc is not a regular file"},
        {"output_intent:\n  file: /usr/share/color/icc/CineLogCurve.icc\n  sha256: " ICC_SHA "\n  condition: x\n",
         "neither a monitor"},
        {"output_intent:\n  file: /usr/share/color/icc/LCMSXYZI.ICM\n  sha256: " ICC_SHA "\n  condition: x\n",
         "gray, RGB or CMYK"},
        {"output_intent: sRGB\n", "expected 'file:'"},
        {"output_intent: []\n", "the list is empty"},
        {"output_intent:\n  - sRGB\n", "expected 'file:'"},
        {"output_intent:\n  - file: " ICC_FILE "\n    sha256: " ICC_SHA "\n    condition: x\n  - file: " GRAY_FILE
         "\n    sha256: " GRAY_SHA "\n    condition: y\n",
         "Gray-CIE_L.icc is never used: /usr/share/color/icc/sRGB.icc before it holds every colour it does"},
        {"output_intent:\n  - file: " ICC_FILE "\n    sha256: " ICC_SHA "\n    condition: x\n  - file: " ICC_FILE
         "\n    sha256: " ICC_SHA "\n    condition: y\n",
         "is never used"},
    };
    /* A header alone, and a gray profile without its curve: no profiles. */
    FILE *f = fopen(GRAY_FILE, "rb");
    unsigned char icc[424];
    size_t got = f ? fread(icc, 1, sizeof icc, f) : 0;
    if (f)
        fclose(f);
    CHECK(got == sizeof icc, "read %s", GRAY_FILE);
    static const char *const made[] = {"/tmp/policygen-conform-header.icc", "/tmp/policygen-conform-nocurve.icc"};
    unsigned char header[132];
    memcpy(header, icc, 128);
    memset(header + 128, 0, 4); /* no tags */
    header[0] = header[1] = header[2] = 0, header[3] = 132;
    FILE *w = fopen(made[0], "wb");
    if (w) {
        fwrite(header, 1, sizeof header, w);
        fclose(w);
    }
    for (size_t i = 132; i + 12 <= 132 + 12 * 5; i += 12)
        if (memcmp(icc + i, "kTRC", 4) == 0)
            memcpy(icc + i, "xTRC", 4);
    w = fopen(made[1], "wb");
    if (w) {
        fwrite(icc, 1, sizeof icc, w);
        fclose(w);
    }
    static const char *const want[] = {"has no tag table", "lacks the tags of a gray profile"};
    for (int k = 0; k < 2; k++) {
        diag_init(&d);
        StrBuf yaml = {0};
        sb_printf(&yaml, "%soutput_intent:\n  file: %s\n  sha256: %s\n  condition: x\n", FONT_ENTRY, made[k], GRAY_SHA);
        fs = load_manifest(yaml.data, &d);
        CHECK(fs == NULL && has_message(&d, want[k]), "%s: want \"%s\"", made[k], want[k]);
        fontset_free(fs);
        sb_free(&yaml);
        diag_free(&d);
        unlink(made[k]);
    }
    /* A key missing from the list's second profile is said at that entry. */
    diag_init(&d);
    fs = load_manifest(FONT_ENTRY "output_intent:\n  - file: " GRAY_FILE "\n    sha256: " GRAY_SHA "\n    condition: g\n"
                                  "  - file: " ICC_FILE "\n    sha256: " ICC_SHA "\n", &d);
    CHECK(fs == NULL && d.n == 1 && strstr(d.entries[0].msg, "missing 'condition:'") && d.entries[0].line == 8,
          "the second profile's missing condition at its line 8 (got %d)", d.n ? d.entries[0].line : 0);
    fontset_free(fs);
    diag_free(&d);

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
    render_pdf(&doc, fs, NULL, "t.md", pdf, len, d);
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
    CHECK(pdf && contains(pdf, len, "/S /GTS_PDFA1") && contains(pdf, len, "/N 1"), "OutputIntent: the gray profile for a form in grays");
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
    test_xml_text();
    test_stamp_id();
    test_manifest();
    Diag d;
    diag_init(&d);
    FontSet *fs = fontset_load(manifest, &d);
    diag_print(&d, stderr);
    CHECK(fs && fontset_output_profile(fs, COLOUR_GRAY) && fontset_output_profile(fs, COLOUR_GRAY | COLOUR_RGB),
          "cannot load %s with its output intents (gray and RGB)", manifest);
    if (fs) {
        test_program(fs);
        test_render(fs);
    }
    test_render_without_profile();
    fontset_free(fs);
    diag_free(&d);
    return CHECK_DONE();
}
