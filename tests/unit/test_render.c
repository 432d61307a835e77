/* Font manifest, metrics, subsetting, ToUnicode and PDF rendering, checked
 * end to end with poppler (pdftotext, pdffonts, pdfinfo), qpdf and, if
 * installed, mutool.
 * Run from the repository root, or pass the manifest path as argv[1]. */
#include "check.h"
#include "diag.h"
#include "drawlist.h"
#include "fonts.h"
#include "render.h"
#include "subset.h"
#include "tounicode.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#define MINCHO_FILE "/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf"
#define PMINCHO_FILE "/usr/share/fonts/truetype/bizud-mincho/BIZUDPMincho-Regular.ttf"

static const char *TEXT1 = "令和６年度 政策推進部の運営方針";
static const char *TEXT2 = "（５）みんなでつくる、ＳＮＳ 2025年 50%";
static const char *TEXT3 = "第2章 重点施策と「数値目標」・100%達成へ";
static const char *TEXT4 = "問い合わせ：政策推進部 企画課（内線 1234）";

/* Run a shell command, return its stdout+stderr (malloc'd) and exit code. */
static char *run(const char *cmd, int *status)
{
    StrBuf sb = {0};
    FILE *p = popen(cmd, "r");
    if (!p) {
        *status = -1;
        return sb_take(&sb);
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        sb_append(&sb, buf, n);
    *status = pclose(p);
    return sb_take(&sb);
}

static char *runf(int *status, const char *fmt, const char *arg)
{
    StrBuf cmd = {0};
    sb_printf(&cmd, fmt, arg);
    char *out = run(cmd.data, status);
    sb_free(&cmd);
    return out;
}

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

static int has_message(const Diag *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->entries[i].msg, needle))
            return 1;
    return 0;
}

static int first_line(const Diag *d)
{
    return d->n ? d->entries[0].line : -1;
}

/* ---- manifest ---------------------------------------------------------- */

static void test_manifest_errors(void)
{
    char dir[] = "/tmp/policygen-test-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp failed");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/fonts.yaml", dir);
    static const struct {
        const char *yaml, *needle;
        int line;
    } cases[] = {
        {"mincho:\n  file: " MINCHO_FILE "\n", "missing 'sha256:'", 1},
        {"mincho:\n  file: " MINCHO_FILE "\n  sha256: abc\n", "64 lower-case hex", 3},
        {"mincho:\n  file: " MINCHO_FILE "\n  colour: red\n  sha256: "
         "12a760927333e6099c7d55508b03617d905836041d3883c766e88a2e892a96c3\n",
         "unknown key 'colour'", 3},
        {"mincho:\n  file: nosuch.ttf\n  sha256: "
         "12a760927333e6099c7d55508b03617d905836041d3883c766e88a2e892a96c3\n",
         "nosuch.ttf", 2},
        {"mincho:\n  file: [a\n", "YAML", 3},
        {"- mincho\n", "must map role names", 1},
        {"", "empty", 0},
        {"Mincho!:\n  file: x\n", "lower-case letters", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK(write_file(path, cases[i].yaml, strlen(cases[i].yaml)) == 0, "write %s", path);
        Diag d;
        diag_init(&d);
        FontSet *fs = fontset_load(path, &d);
        CHECK(fs == NULL, "case %zu: bad manifest accepted", i);
        CHECK(has_message(&d, cases[i].needle), "case %zu: no diagnostic with \"%s\"", i,
              cases[i].needle);
        CHECK(first_line(&d) == cases[i].line, "case %zu: line %d, want %d", i, first_line(&d),
              cases[i].line);
        CHECK(d.n > 0 && strcmp(d.entries[0].file, path) == 0, "case %zu: file name", i);
        fontset_free(fs);
        diag_free(&d);
    }
    /* A relative file: is resolved against the manifest's folder. */
    char fontlink[300];
    snprintf(fontlink, sizeof fontlink, "%s/m.ttf", dir);
    CHECK(symlink(MINCHO_FILE, fontlink) == 0, "symlink");
    const char *rel = "body:\n  file: m.ttf\n  sha256: "
                      "12a760927333e6099c7d55508b03617d905836041d3883c766e88a2e892a96c3\n";
    write_file(path, rel, strlen(rel));
    Diag d;
    diag_init(&d);
    FontSet *fs = fontset_load(path, &d);
    CHECK(fs && fontset_count(fs) == 1, "relative manifest not loaded");
    if (fs) {
        CHECK_STR(fontset_path(fs, 0), fontlink);
        CHECK_STR(fontset_role(fs, 0), "body");
    }
    fontset_free(fs);
    diag_free(&d);
    unlink(fontlink);
    unlink(path);
    rmdir(dir);
}

/* ---- metrics ----------------------------------------------------------- */

/* Our advances must equal what libharu puts in /W, glyph for glyph. */
static int compare_with_libharu(const FontSet *fs, int font, int *compared)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_UseUTFEncodings(pdf);
    const char *name = HPDF_LoadTTFontFromFile(pdf, fontset_path(fs, font), HPDF_TRUE);
    HPDF_Font f = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
    int bad = 0;
    *compared = 0;
    for (uint32_t cp = 0x20; f && cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        int ours = font_advance(fs, font, cp);
        if (ours < 0)
            continue;
        int theirs = (int)HPDF_Font_GetUnicodeWidth(f, (HPDF_UNICODE)cp);
        (*compared)++;
        if (ours != theirs && bad++ < 5)
            fprintf(stderr, "  %s U+%04X: ours %d, libharu %d\n", fontset_role(fs, font),
                    (unsigned)cp, ours, theirs);
    }
    HPDF_Free(pdf);
    return f ? bad : -1;
}

static void test_metrics(const FontSet *fs)
{
    int m = fontset_find(fs, "mincho"), g = fontset_find(fs, "gothic");
    CHECK(m >= 0 && g >= 0, "roles mincho/gothic present");
    CHECK(fontset_find(fs, "nosuch") == -1, "unknown role");
    CHECK(fontset_count(fs) == 2, "two fonts, got %d", fontset_count(fs));
    for (int f = 0; f < fontset_count(fs); f++) {
        CHECK(font_advance(fs, f, 0x4EE4) == 1000, "%s 令 = %d", fontset_role(fs, f),
              font_advance(fs, f, 0x4EE4));
        CHECK(font_advance(fs, f, 'A') == 500, "%s A = %d", fontset_role(fs, f),
              font_advance(fs, f, 'A'));
        CHECK(font_advance(fs, f, 0xFF15) == 1000, "%s ５", fontset_role(fs, f));
        CHECK(font_advance(fs, f, ' ') == 500, "%s space", fontset_role(fs, f));
        CHECK(font_advance(fs, f, 0x1F600) == -1, "%s U+1F600 should be missing", fontset_role(fs, f));
        CHECK(font_advance(fs, f, 0x3400) == -1, "%s U+3400 should be missing", fontset_role(fs, f));
        CHECK(font_advance(fs, f, 0x3400) == -1, "%s U+3400 cached", fontset_role(fs, f));
        CHECK(font_advance(fs, f, 0x110000) == -1, "beyond Unicode");
        CHECK(font_advance(fs, f, 0x4EE4) == 1000, "cached value");
    }
    CHECK(font_advance(fs, 99, 'A') == -1, "bad font index");
    int n;
    int bad = compare_with_libharu(fs, m, &n);
    CHECK(bad == 0 && n > 10000, "mincho: %d of %d advances differ from libharu", bad, n);
    printf("advances equal to libharu's for %d mincho glyphs\n", n);

    /* The fixed-pitch BIZ UD fonts only have 500/1000, where truncation
     * cannot show; the proportional BIZ UDP Mincho (same package) has
     * widths like 1234/2048 em, so check the truncation there. */
    if (access(PMINCHO_FILE, R_OK) == 0) {
        const char *yaml = "pmincho:\n  file: " PMINCHO_FILE "\n  sha256: "
                           "c96d4ddc921fefe7fdca16734ffb0e051a8c61b6a13f53db8435b3ddf12d26cd\n";
        char path[] = "/tmp/policygen-pm-XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0 && write(fd, yaml, strlen(yaml)) == (ssize_t)strlen(yaml), "temp manifest");
        close(fd);
        Diag d;
        diag_init(&d);
        FontSet *pfs = fontset_load(path, &d);
        CHECK(pfs != NULL, "load BIZ UDP Mincho");
        if (pfs) {
            int odd = 0;
            for (uint32_t cp = 0x20; cp < 0x3000; cp++) {
                int a = font_advance(pfs, 0, cp);
                if (a >= 0 && a != 500 && a != 1000)
                    odd++;
            }
            bad = compare_with_libharu(pfs, 0, &n);
            CHECK(bad == 0 && odd > 100, "pmincho: %d of %d differ (%d odd widths)", bad, n, odd);
            printf("advances equal to libharu's for %d proportional glyphs (%d not 500/1000)\n", n,
                   odd);
        }
        fontset_free(pfs);
        diag_free(&d);
        unlink(path);
    }
}

/* ---- ToUnicode and subset ---------------------------------------------- */

static size_t count(const char *s, const char *needle)
{
    size_t k = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        k++;
    return k;
}

static void test_tounicode(void)
{
    uint32_t cps[300];
    size_t n = 0;
    for (uint32_t i = 0; i < 250; i++)
        cps[n++] = 0x4E00 + 2 * i; /* no neighbours: 250 bfchar */
    cps[n++] = 0x5FFE; /* 5FFE 5FFF | 6000 6001: cut at the 256 boundary */
    cps[n++] = 0x5FFF;
    cps[n++] = 0x6000;
    cps[n++] = 0x6001;
    char *cm = tounicode_cmap(cps, n);
    CHECK(count(cm, "100 beginbfchar") == 2 && count(cm, "50 beginbfchar") == 1,
          "bfchar blocks of at most 100");
    CHECK(count(cm, "2 beginbfrange") == 1, "two ranges");
    CHECK(strstr(cm, "<5FFE> <5FFF> <5FFE>") && strstr(cm, "<6000> <6001> <6000>"),
          "ranges split at 256 boundary");
    CHECK(strstr(cm, "<4E00> <4E00>") != NULL, "bfchar entry");
    CHECK(strstr(cm, "/CMapName /Adobe-Identity-UCS def") && strstr(cm, "/CMapType 2 def"),
          "CMap header");
    CHECK(count(cm, "beginbfchar") == count(cm, "endbfchar"), "balanced");
    free(cm);
}

/* Length of table tag in an sfnt, or -1 if it has none. */
static long table_length(const unsigned char *ttf, size_t len, const char *tag)
{
    if (len < 12)
        return -1;
    size_t n = (size_t)(ttf[4] << 8 | ttf[5]);
    for (size_t i = 0; i < n && 12 + 16 * (i + 1) <= len; i++) {
        const unsigned char *rec = ttf + 12 + 16 * i;
        if (memcmp(rec, tag, 4) == 0)
            return (long)((uint32_t)rec[12] << 24 | (uint32_t)rec[13] << 16 |
                          (uint32_t)rec[14] << 8 | rec[15]);
    }
    return -1;
}

static void test_subset(void)
{
    uint32_t cps[] = {0x4EE4, 0x548C, 'A', ' ', 0xFF15};
    unsigned char *ttf = NULL;
    size_t len = 0;
    Diag d;
    diag_init(&d);
    CHECK(subset_font(MINCHO_FILE, cps, 5, &ttf, &len, &d, "t") == 0, "subset");
    CHECK(len > 1000 && len < 20000, "subset of 5 glyphs is %zu bytes", len);
    /* Only the tables libharu reads remain. */
    int ntables = ttf ? (ttf[4] << 8 | ttf[5]) : 0;
    int unexpected = 0;
    for (int i = 0; i < ntables; i++) {
        const char *tag = (const char *)ttf + 12 + 16 * i;
        if (!strstr("cmap glyf loca head hhea hmtx maxp name post OS/2 prep", (char[5]){tag[0], tag[1], tag[2], tag[3], 0}))
            unexpected++;
    }
    CHECK(ntables >= 10 && unexpected == 0, "%d tables, %d unexpected", ntables, unexpected);
    /* prep is the last table libharu writes; empty, it can make saving
     * fail (subset.c, add_prep; test_save_boundary). */
    long prep = ttf ? table_length(ttf, len, "prep") : -1;
    CHECK(prep > 0, "prep table length %ld", prep);
    CHECK(ttf && table_length(ttf, len, "fpgm") < 0 && table_length(ttf, len, "cvt ") < 0,
          "no hinting tables besides prep");
    free(ttf);
    CHECK(subset_font("/nonexistent.ttf", cps, 5, &ttf, &len, &d, "t") == -1 && ttf == NULL,
          "missing font file");
    CHECK(has_message(&d, "/nonexistent.ttf"), "error names the font");
    diag_free(&d);
}

/* ---- rendering --------------------------------------------------------- */

static void build_doc(DrawDoc *doc, int m, int g)
{
    memset(doc, 0, sizeof *doc);
    doc->title = xstrdup("令和６年度 政策推進部の運営方針");
    doc->author = xstrdup("政策推進部");
    doc->subject = xstrdup("運営方針");
    doc->keywords = xstrdup("運営方針, 政策推進部");
    for (int p = 0; p < 2; p++) {
        DrawPage *pg = drawdoc_add_page(doc, 595.28, 841.89);
        drawpage_fill(pg, 56.69, 760, 481.9, 30, 0.85);
        drawpage_text(pg, 70, 770, g, 16, TEXT1, strlen(TEXT1));
        drawpage_line(pg, 56.69, 750.123, 538.59, 750.123, 0.5, 0);
        drawpage_line(pg, 56.69, 700, 538.59, 700, 1.5, 0.3);
        drawpage_text(pg, 70, 720, m, 10.5, p ? TEXT3 : TEXT2, strlen(p ? TEXT3 : TEXT2));
        drawpage_text(pg, 70, 705, g, 10.5, TEXT4, strlen(TEXT4));
        drawpage_fill(pg, 56.69, 600, 200, 50, 0.95);
        drawpage_text(pg, 70, 620, m, 9, TEXT2, strlen(TEXT2));
        drawpage_text(pg, 70, 100, m, 9, "", 0); /* nothing to draw */
    }
    drawdoc_bookmark(doc, "第1章 運営方針", 0, 0);
    drawdoc_bookmark(doc, "（１）𠮷田さんの担当", 1, 0);
    drawdoc_bookmark(doc, "第2章 重点施策", 0, 1);
}

static void check_pdf_tools(const char *pdf)
{
    int st;
    char *txt = runf(&st, "pdftotext -layout %s - 2>&1", pdf);
    CHECK(st == 0, "pdftotext exit %d", st);
    CHECK(strstr(txt, TEXT1) != NULL, "pdftotext lacks \"%s\"", TEXT1);
    CHECK(strstr(txt, TEXT2) != NULL, "pdftotext lacks \"%s\"", TEXT2);
    CHECK(strstr(txt, TEXT3) != NULL, "pdftotext lacks \"%s\"", TEXT3);
    CHECK(strstr(txt, TEXT4) != NULL, "pdftotext lacks \"%s\"", TEXT4);
    CHECK(!strstr(txt, "Syntax") && !strstr(txt, "Error") && !strstr(txt, "Warning"),
          "pdftotext complains:\n%s", txt);
    free(txt);

    char *fonts = runf(&st, "pdffonts %s 2>&1", pdf);
    CHECK(st == 0, "pdffonts exit %d", st);
    size_t good = 0, lines = 0;
    for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "name", 4) == 0 || strncmp(line, "----", 4) == 0)
            continue;
        lines++;
        /* name type encoding emb sub uni object ID */
        if (strstr(line, "CID TrueType") && strstr(line, "Identity-H") &&
            strstr(line, "yes yes yes"))
            good++;
        else
            fprintf(stderr, "  pdffonts: %s\n", line);
    }
    CHECK(lines == 2 && good == 2, "pdffonts: %zu fonts, %zu embedded+subset+unicode", lines, good);
    free(fonts);

    char *q = runf(&st, "qpdf --check %s 2>&1", pdf);
    CHECK(st == 0 && strstr(q, "No syntax or stream encoding errors"), "qpdf --check:\n%s", q);
    free(q);

    char *info = runf(&st, "pdfinfo %s 2>&1", pdf);
    CHECK(strstr(info, "Title:           令和６年度 政策推進部の運営方針") != NULL, "pdfinfo title:\n%s", info);
    CHECK(strstr(info, "Author:          政策推進部") != NULL, "pdfinfo author");
    CHECK(strstr(info, "Keywords:        運営方針, 政策推進部") != NULL, "pdfinfo keywords");
    CHECK(strstr(info, "Creator:         policygen") != NULL, "pdfinfo creator");
    CHECK(strstr(info, "Pages:           2") != NULL, "pdfinfo pages");
    CHECK(strstr(info, "Page size:       595.28 x 841.89 pts (A4)") != NULL, "pdfinfo size");
    CHECK(!strstr(info, "CreationDate"), "no date without SOURCE_DATE_EPOCH");
    CHECK(!strstr(info, "Syntax") && !strstr(info, "Error"), "pdfinfo complains:\n%s", info);
    free(info);

    /* mutool (mupdf-tools) is optional: poppler does not print outlines. */
    if (system("command -v mutool >/dev/null 2>&1") != 0) {
        printf("mutool not installed: outline not checked\n");
        return;
    }
    /* mutool indents children with one more tab and shows the target
     * (page, zoom "nan" = keep, x, y from the top: 0,0 = page top). */
    char *outline = runf(&st, "mutool show %s outline 2>&1", pdf);
    CHECK(strstr(outline, "-\t\"第1章 運営方針\"\t#page=1&zoom=nan,0,0\n") &&
          strstr(outline, "|\t\t\"（１）𠮷田さんの担当\"\t#page=1&zoom=nan,0,0\n") &&
          strstr(outline, "|\t\"第2章 重点施策\"\t#page=2&zoom=nan,0,0\n"),
          "outline:\n%s", outline);
    free(outline);
    char *mode = runf(&st, "mutool show %s trailer/Root/PageMode 2>&1", pdf);
    CHECK(strstr(mode, "/UseOutlines") != NULL, "page mode: %s", mode);
    free(mode);
}

static void test_render(const FontSet *fs)
{
    int m = fontset_find(fs, "mincho"), g = fontset_find(fs, "gothic");
    unsetenv("SOURCE_DATE_EPOCH"); /* a build may export it; tested below */
    DrawDoc doc;
    build_doc(&doc, m, g);
    Diag d;
    diag_init(&d);
    unsigned char *pdf = NULL;
    size_t len = 0;
    int rc = render_pdf(&doc, fs, "policy.md", &pdf, &len, &d);
    diag_print(&d, stderr);
    CHECK(rc == 0 && pdf && len > 0, "render_pdf failed");
    CHECK(d.errors == 0 && d.warnings == 0, "diagnostics");
    printf("test PDF: %zu bytes\n", len);
    CHECK(len > 5000 && len < 60000, "PDF size %zu", len);
    CHECK(len > 8 && memcmp(pdf, "%PDF-1.", 7) == 0, "PDF header");

    /* Same input, same bytes. */
    unsigned char *again = NULL;
    size_t len2 = 0;
    CHECK(render_pdf(&doc, fs, "policy.md", &again, &len2, &d) == 0 && len2 == len &&
          memcmp(pdf, again, len) == 0, "output not reproducible");
    free(again);

    char path[] = "/tmp/policygen-render-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    close(fd);
    CHECK(write_file(path, pdf, len) == 0, "write %s", path);
    check_pdf_tools(path);
    if (getenv("TEST_RENDER_KEEP")) /* a copy to look at */
        write_file(getenv("TEST_RENDER_KEEP"), pdf, len);

    /* ToUnicode is Adobe-Identity-UCS with bf entries, not libharu's CID CMap. */
    int st;
    char *qdf = runf(&st, "qpdf --qdf --object-streams=disable %s - 2>/dev/null", path);
    CHECK(count(qdf, "/ToUnicode") == 2, "two ToUnicode refs");
    CHECK(count(qdf, "/CMapName /Adobe-Identity-UCS def") == 2, "two UCS CMaps");
    CHECK(!strstr(qdf, "begincidrange") && !strstr(qdf, "/CMapName /UTF-8"),
          "libharu's CMap is gone");
    CHECK(count(qdf, "/Ordering (Identity)") == 2 && !strstr(qdf, "(Identity-H)"),
          "CIDSystemInfo Ordering");
    CHECK(strstr(qdf, "/XYZ") != NULL, "XYZ destinations");
    free(qdf);

    /* SOURCE_DATE_EPOCH sets the dates, in UTC. */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    free(pdf);
    pdf = NULL;
    CHECK(render_pdf(&doc, fs, "policy.md", &pdf, &len, &d) == 0, "render with date");
    write_file(path, pdf, len);
    char *info = runf(&st, "pdfinfo -isodates %s 2>&1", path);
    CHECK(strstr(info, "CreationDate:    2023-11-14T22:13:20Z") != NULL, "date:\n%s", info);
    free(info);
    setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
    free(pdf);
    pdf = NULL;
    CHECK(render_pdf(&doc, fs, "policy.md", &pdf, &len, &d) == -1 &&
          has_message(&d, "SOURCE_DATE_EPOCH"), "bad SOURCE_DATE_EPOCH refused");
    unsetenv("SOURCE_DATE_EPOCH");

    unlink(path);
    free(pdf);
    drawdoc_free(&doc);
    diag_free(&d);
}

static void test_refusals(const FontSet *fs)
{
    int m = fontset_find(fs, "mincho");
    DrawDoc doc = {0};
    DrawPage *pg = drawdoc_add_page(&doc, 595.28, 841.89);
    const char *t1 = "𠮷野家の前で";   /* U+20BB7: libharu would print a space */
    const char *t2 = "㐀は無い";         /* U+3400: not in BIZ UD */
    drawpage_text(pg, 50, 50, m, 10, t1, strlen(t1));
    drawpage_text(pg, 50, 70, m, 10, t2, strlen(t2));
    drawpage_text(pg, 50, 90, 7, 10, "x", 1);
    drawdoc_bookmark(&doc, "迷子", 0, 5);
    Diag d;
    diag_init(&d);
    unsigned char *pdf = (unsigned char *)"sentinel";
    size_t len = 1;
    CHECK(render_pdf(&doc, fs, "policy.md", &pdf, &len, &d) == -1, "bad text accepted");
    CHECK(pdf == NULL && len == 0, "no output on failure");
    CHECK(has_message(&d, "'𠮷' (U+20BB7)"), "non-BMP named");
    CHECK(has_message(&d, "has no glyph for '㐀' (U+3400)"), "missing glyph named");
    CHECK(has_message(&d, "unknown font #7"), "bad font index");
    CHECK(has_message(&d, "points to page 6 of 1"), "bad bookmark page");
    CHECK(d.n > 0 && strcmp(d.entries[0].file, "policy.md") == 0, "reported against the file");
    diag_free(&d);
    drawdoc_free(&doc);

    DrawDoc empty = {0};
    diag_init(&d);
    CHECK(render_pdf(&empty, fs, "e.md", &pdf, &len, &d) == -1 && has_message(&d, "no pages"),
          "empty document");
    diag_free(&d);
}

/* libharu 2.3.0's HPDF_TTFontDef_SaveFontData failed (HPDF_INVALID_OBJECT,
 * from HPDF_MemStream_SeekFunc) whenever the tables it writes before an
 * empty prep add up to a multiple of its 4096-byte stream buffer. This line
 * alone, in the gothic font, makes exactly 4096 bytes of them (the fuzzer
 * found a whole document whose mincho glyphs made 25 * 4096).
 * The embedded font's /Length1 is the 12 + 13 * 16 byte table directory,
 * those tables, and our prep. */
static void test_save_boundary(const FontSet *fs)
{
    static const char *line = "1. 計画の策定により各部署が行うべき施策";
    int g = fontset_find(fs, "gothic");
    DrawDoc doc = {0};
    DrawPage *pg = drawdoc_add_page(&doc, 595.28, 841.89);
    drawpage_text(pg, 56.69, 780, g, 10.5, line, strlen(line));
    drawdoc_bookmark(&doc, "施策", 0, 0);
    Diag d;
    diag_init(&d);
    unsigned char *pdf = NULL;
    size_t len = 0;
    int rc = render_pdf(&doc, fs, "boundary.md", &pdf, &len, &d);
    diag_print(&d, stderr);
    CHECK(rc == 0 && pdf && d.errors == 0, "font data of 4096 bytes: render failed");

    /* Still on the boundary? If HarfBuzz or the font changes, the subset
     * does too: find another line that fails without the prep table. */
    long length1 = -1;
    for (size_t i = 0; pdf && length1 < 0 && i + 9 < len; i++)
        if (memcmp(pdf + i, "/Length1 ", 9) == 0)
            length1 = strtol((const char *)pdf + i + 9, NULL, 10);
    uint32_t cps[64];
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)line;
    for (size_t left = strlen(line); left > 0 && n < 64;) {
        size_t k = utf8_decode(s, left, &cps[n++]);
        if (k == 0)
            break;
        s += k;
        left -= k;
    }
    unsigned char *ttf = NULL;
    size_t ttflen = 0;
    long prep = -1;
    if (subset_font(fontset_path(fs, g), cps, n, &ttf, &ttflen, &d, "t") == 0)
        prep = table_length(ttf, ttflen, "prep");
    free(ttf);
    long before_prep = length1 - (12 + 13 * 16) - prep;
    CHECK(length1 > 0 && prep > 0 && before_prep > 0 && before_prep % 4096 == 0,
          "the test line no longer hits libharu's 4096-byte boundary: /Length1 %ld, prep %ld, "
          "%ld bytes before prep", length1, prep, before_prep);

    if (pdf) {
        char path[] = "/tmp/policygen-boundary-XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0, "mkstemp");
        close(fd);
        write_file(path, pdf, len);
        int st;
        char *txt = runf(&st, "pdftotext %s - 2>&1", path);
        CHECK(st == 0 && strstr(txt, line) && !strstr(txt, "Error") && !strstr(txt, "Syntax"),
              "boundary text:\n%s", txt);
        free(txt);
        char *q = runf(&st, "qpdf --check %s 2>&1", path);
        CHECK(st == 0 && strstr(q, "No syntax or stream encoding errors"), "qpdf --check:\n%s", q);
        free(q);
        unlink(path);
    }
    free(pdf);
    drawdoc_free(&doc);
    diag_free(&d);
}

/* Two roles on one file share one embedded subset: libharu would silently
 * hand back the first load for a second font of the same name. */
static void test_shared_file(void)
{
    const char *yaml = "body:\n  file: " MINCHO_FILE "\n  sha256: "
                       "12a760927333e6099c7d55508b03617d905836041d3883c766e88a2e892a96c3\n"
                       "note:\n  file: " MINCHO_FILE "\n  sha256: "
                       "12a760927333e6099c7d55508b03617d905836041d3883c766e88a2e892a96c3\n";
    char mpath[] = "/tmp/policygen-shared-XXXXXX";
    int fd = mkstemp(mpath);
    CHECK(fd >= 0 && write(fd, yaml, strlen(yaml)) == (ssize_t)strlen(yaml), "temp manifest");
    close(fd);
    Diag d;
    diag_init(&d);
    FontSet *fs = fontset_load(mpath, &d);
    CHECK(fs && fontset_count(fs) == 2, "two roles");
    if (fs) {
        DrawDoc doc = {0};
        DrawPage *pg = drawdoc_add_page(&doc, 420, 595);
        drawpage_text(pg, 40, 500, 0, 12, "本文の行です", strlen("本文の行です"));
        drawpage_text(pg, 40, 480, 1, 8, "注記：別の文字", strlen("注記：別の文字"));
        unsigned char *pdf = NULL;
        size_t len = 0;
        CHECK(render_pdf(&doc, fs, "s.md", &pdf, &len, &d) == 0, "render shared");
        char path[] = "/tmp/policygen-shared-pdf-XXXXXX";
        fd = mkstemp(path);
        close(fd);
        write_file(path, pdf, len);
        int st;
        char *txt = runf(&st, "pdftotext %s - 2>&1", path);
        CHECK(strstr(txt, "本文の行です") && strstr(txt, "注記：別の文字") && !strstr(txt, "Syntax"),
              "shared font text:\n%s", txt);
        free(txt);
        char *fonts = runf(&st, "pdffonts %s 2>&1 | grep -c 'yes yes yes'", path);
        CHECK(atoi(fonts) == 1, "one embedded font, got %s", fonts);
        free(fonts);
        unlink(path);
        free(pdf);
        drawdoc_free(&doc);
    }
    fontset_free(fs);
    diag_free(&d);
    unlink(mpath);
}

int main(int argc, char **argv)
{
    const char *manifest = argc > 1 ? argv[1] : "fonts/fonts.yaml";
    Diag d;
    diag_init(&d);
    FontSet *fs = fontset_load(manifest, &d);
    diag_print(&d, stderr);
    CHECK(fs != NULL, "cannot load %s", manifest);
    diag_free(&d);
    test_manifest_errors();
    test_tounicode();
    test_subset();
    if (fs) {
        test_metrics(fs);
        test_render(fs);
        test_refusals(fs);
        test_save_boundary(fs);
    }
    test_shared_file();
    fontset_free(fs);
    return CHECK_DONE();
}
