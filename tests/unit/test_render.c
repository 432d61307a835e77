/* Font manifest, metrics, glyph use, subsetting, ToUnicode, font objects
 * and PDF rendering, checked
 * end to end with poppler (pdftotext, pdffonts, pdfinfo), qpdf and, if
 * installed, mutool.
 * Run from the repository root, or pass the manifest path as argv[1]. */
#include "check.h"
#include "diag.h"
#include "flate.h"
#include "flatepool.h"
#include "drawlist.h"
#include "fonts.h"
#include "glyphuse.h"
#include "pdffont.h"
#include "pdfpack.h"
#include "render.h"
#include "subset.h"
#include "tounicode.h"
#include "util.h"
#include "version.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb.h>

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
    /* NUL bytes (uncompressed font programs in qpdf --qdf) would hide the
     * rest of the output from the string functions. */
    for (size_t i = 0; i < sb.len; i++)
        if (sb.data[i] == '\0')
            sb.data[i] = 1;
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
    /* Each role: its BIZ UD font, then IPAmj明朝 as its fallback. */
    CHECK(fontset_count(fs) == 4, "four fonts (two roles of two), got %d", fontset_count(fs));
    CHECK(font_next(fs, m) >= 0 && font_is_fallback(fs, font_next(fs, m)) && font_next(fs, font_next(fs, m)) == -1,
          "mincho falls back to one font");
    CHECK(!font_is_fallback(fs, m) && !font_is_fallback(fs, g), "the roles' first fonts are no fallbacks");
    CHECK(font_advance(fs, font_next(fs, m), 0x20BB7) == 1000, "the fallback has 𠮷 (U+20BB7)");
    CHECK(font_advance(fs, m, 0x20BB7) == -1, "BIZ UD明朝 lacks 𠮷");
    int primary[2] = {m, g};
    for (int k = 0; k < 2; k++) {
        int f = primary[k];
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

/* A GlyphUse of glyphs gids[i] (their subset ids cids[i]) drawn for
 * texts[i]. */
static void make_use(GlyphUse *u, const uint32_t *gids, const uint32_t *cids, const char *const *texts, size_t n)
{
    memset(u, 0, sizeof *u);
    for (size_t i = 0; i < n; i++)
        glyphuse_add(u, gids[i], texts[i], strlen(texts[i]));
    glyphuse_set_cids(u, cids);
}

/* An entry per glyph and text: a glyph drawn for two texts is two entries
 * (two codes, each with its own ToUnicode text). */
static void test_glyphuse(void)
{
    GlyphUse u = {0};
    size_t sp = glyphuse_add(&u, 3, " ", 1);
    size_t nbsp = glyphuse_add(&u, 3, "\xc2\xa0", 2); /* U+00A0: the space's glyph */
    size_t yoshi = glyphuse_add(&u, 9000, "\xf0\xa0\xae\xb7", 4); /* 𠮷 */
    CHECK(glyphuse_add(&u, 3, " ", 1) == sp, "the same glyph and text, the same entry");
    CHECK(u.n == 3 && u.nglyphs == 2 && sp != nbsp, "%zu entries of %zu glyphs", u.n, u.nglyphs);
    CHECK(glyphuse_find(&u, 3, "\xc2\xa0", 2) == nbsp && glyphuse_find(&u, 3, "x", 1) == GLYPHUSE_NONE &&
          glyphuse_find(&u, 4, " ", 1) == GLYPHUSE_NONE && glyphuse_find(&u, 9000, "\xf0\xa0\xae\xb7", 4) == yoshi,
          "entries by glyph and text");
    uint32_t *gids = glyphuse_gids(&u);
    CHECK(gids[0] == 3 && gids[1] == 3 && gids[2] == 9000, "one glyph id per entry, in the order added");
    free(gids);
    uint32_t cids[] = {1, 3, 2};
    glyphuse_set_cids(&u, cids);
    CHECK(u.entries[nbsp].cid == 3 && u.entries[yoshi].cid == 2, "codes are the subset's ids");
    /* Many glyphs: the hash grows, nothing is lost. */
    for (uint32_t g = 100; g < 3100; g++)
        glyphuse_add(&u, g, "a", 1);
    size_t found = 0;
    for (uint32_t g = 100; g < 3100; g++)
        found += glyphuse_find(&u, g, "a", 1) == 3 + (g - 100);
    CHECK(found == 3000 && u.nglyphs == 3002 && glyphuse_find(&u, 3, "\xc2\xa0", 2) == nbsp,
          "3000 glyphs found again: %zu", found);
    glyphuse_free(&u);
}

static void test_tounicode(void)
{
    /* Within a run of consecutive codes in one 256-code block: a range for
     * four or more consecutive characters, an array for the rest (a
     * character beyond the BMP as a surrogate pair, a base and its
     * variation selector as both); a code alone is a bfchar, and a run
     * stops at a block's end. */
    static const uint32_t gids[] = {10, 11, 12, 13, 14, 15, 20, 21, 30, 40, 41};
    static const uint32_t cids[] = {1, 2, 3, 4, 5, 6, 7, 8, 0x101, 0x1FF, 0x200};
    static const char *const texts[] = {"\xe3\x81\x82", "\xe3\x81\x83", "\xe3\x81\x84", "\xe3\x81\x85",
                                        "\xe3\x81\x86", "X", "\xf0\xa0\xae\xb7", "\xe8\x91\x9b\xf3\xa0\x84\x80",
                                        "A", "\xe3\x81\xbe", "\xe3\x81\xbf"};
    GlyphUse u;
    make_use(&u, gids, cids, texts, 11);
    char *cm = tounicode_cmap(&u);
    CHECK(strstr(cm, "2 beginbfrange\n<0001> <0005> <3042>\n<0006> <0008> [<0058><D842DFB7><845BDB40DD00>]\n"
                     "endbfrange\n") != NULL, "a range and an array:\n%s", cm);
    CHECK(strstr(cm, "3 beginbfchar\n<0101> <0041>\n<01FF> <307E>\n<0200> <307F>\nendbfchar\n") != NULL,
          "codes alone, and across a block's end:\n%s", cm);
    CHECK(strstr(cm, "/CMapName /Adobe-Identity-UCS def") && strstr(cm, "/CMapType 2 def") &&
          strstr(cm, "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"), "CMap header");
    free(cm);
    glyphuse_free(&u);

    /* At most 100 entries per block: 250 unrelated glyphs make three. */
    uint32_t g2[250], c2[250];
    const char *t2[250];
    for (uint32_t i = 0; i < 250; i++)
        g2[i] = 1000 + i, c2[i] = 1 + 2 * i, t2[i] = "\xe5\xad\x97"; /* 字: never consecutive */
    make_use(&u, g2, c2, t2, 250);
    cm = tounicode_cmap(&u);
    CHECK(count(cm, "100 beginbfchar") == 2 && count(cm, "50 beginbfchar") == 1 && count(cm, "endbfchar") == 3 &&
          !strstr(cm, "bfrange"), "blocks of at most 100 entries");
    free(cm);
    glyphuse_free(&u);
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

/* Exactly the tables a CIDFontType2 program needs. */
static int only_cid_tables(const unsigned char *ttf, size_t len)
{
    int n = len >= 12 ? (ttf[4] << 8 | ttf[5]) : 0, known = 0;
    for (int i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= len; i++) {
        const char *tag = (const char *)ttf + 12 + 16 * i;
        known += strstr("glyf loca head hhea hmtx maxp", (char[5]){tag[0], tag[1], tag[2], tag[3], 0}) != NULL;
    }
    return n == 6 && known == 6;
}

/* The subset holds the glyphs asked for, renumbered in their order after
 * .notdef, each with the original's advance and outline extents. */
static void test_subset(const FontSet *fs)
{
    int m = fontset_find(fs, "mincho");
    hb_font_t *orig = font_hb(fs, m);
    hb_face_t *face = hb_font_get_face(orig);
    static const uint32_t cps[] = {0x4EE4, 0x548C, 'A', ' ', 0xFF15};
    uint32_t gids[5], cids[5];
    for (int i = 0; i < 5; i++) {
        hb_codepoint_t g = 0;
        hb_font_get_nominal_glyph(orig, cps[i], &g);
        gids[i] = g;
    }
    unsigned char *ttf = NULL;
    size_t len = 0;
    Diag d;
    diag_init(&d);
    CHECK(subset_glyphs(face, "mincho", gids, 5, cids, &ttf, &len, &d, "t") == 0, "subset");
    CHECK(len > 500 && len < 20000, "subset of 5 glyphs is %zu bytes", len);
    CHECK(ttf && only_cid_tables(ttf, len), "glyf loca head hhea hmtx maxp only: no cmap, no hinting");
    hb_blob_t *blob = hb_blob_create((const char *)ttf, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *sface = hb_face_create(blob, 0);
    hb_font_t *sub = hb_font_create(sface);
    CHECK(hb_face_get_glyph_count(sface) == 6, "%u glyphs: .notdef and the five", hb_face_get_glyph_count(sface));
    size_t wrong = 0;
    for (int i = 0; i < 5; i++) {
        /* Renumbered from 1 in the original order. */
        uint32_t rank = 1;
        for (int k = 0; k < 5; k++)
            rank += gids[k] < gids[i];
        hb_glyph_extents_t a = {0}, b = {0};
        hb_font_get_glyph_extents(sub, cids[i], &a);
        hb_font_get_glyph_extents(orig, gids[i], &b);
        if (cids[i] != rank || memcmp(&a, &b, sizeof a) != 0 ||
            pdffont_advance(ttf, len, cids[i]) != font_advance(fs, m, cps[i]))
            wrong++;
    }
    CHECK(wrong == 0, "%zu glyphs renumbered or measured wrongly", wrong);
    CHECK(pdffont_advance(ttf, len, 6) == -1, "no glyph past the last");
    hb_font_destroy(sub);
    hb_face_destroy(sface);
    hb_blob_destroy(blob);
    free(ttf);

    /* A glyph listed twice (drawn for two texts) is copied: its own id
     * after the others, the same outline and advance. */
    uint32_t dup[] = {gids[0], gids[1], gids[0]}, dcids[3];
    CHECK(subset_glyphs(face, "mincho", dup, 3, dcids, &ttf, &len, &d, "t") == 0, "subset with a copy");
    blob = hb_blob_create((const char *)ttf, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    sface = hb_face_create(blob, 0);
    sub = hb_font_create(sface);
    hb_glyph_extents_t e0 = {0}, e3 = {0};
    hb_font_get_glyph_extents(sub, dcids[0], &e0);
    hb_font_get_glyph_extents(sub, dcids[2], &e3);
    CHECK(hb_face_get_glyph_count(sface) == 4 && dcids[2] == 3 && dcids[0] != dcids[2] && e0.height != 0 &&
          memcmp(&e0, &e3, sizeof e0) == 0 && pdffont_advance(ttf, len, 3) == pdffont_advance(ttf, len, dcids[0]) &&
          ttf && only_cid_tables(ttf, len), "the copy: %u glyphs, ids %u %u %u", hb_face_get_glyph_count(sface),
          dcids[0], dcids[1], dcids[2]);
    hb_font_destroy(sub);
    hb_face_destroy(sface);
    hb_blob_destroy(blob);
    free(ttf);

    /* The same subset, the same tag; another glyph set or font, another. */
    char t1[7], t2[7], t3[7], t4[7];
    static const uint32_t ga[] = {3, 10, 200, 4000}, gb[] = {3, 10, 200, 4001};
    pdffont_tag("BIZUDMincho-Regular", ga, 4, t1);
    pdffont_tag("BIZUDMincho-Regular", ga, 4, t2);
    pdffont_tag("BIZUDMincho-Regular", gb, 4, t3);
    pdffont_tag("BIZUDGothic-Regular", ga, 4, t4);
    CHECK(strlen(t1) == 6 && strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 6, "tag %s: six capitals", t1);
    CHECK(strcmp(t1, t2) == 0 && strcmp(t1, t3) != 0 && strcmp(t1, t4) != 0, "tags %s %s %s %s", t1, t2, t3, t4);

    uint32_t bad = 999999;
    CHECK(subset_glyphs(face, "mincho", &bad, 1, cids, &ttf, &len, &d, "t") == -1 && ttf == NULL,
          "a glyph the font does not have");
    CHECK(has_message(&d, "mincho"), "error names the font");
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
    CHECK(strstr(info, "Creator:         policygen " POLICYGEN_VERSION "\n") != NULL, "pdfinfo creator");
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
    int rc = render_pdf(&doc, fs, NULL, "policy.md", &pdf, &len, &d);
    diag_print(&d, stderr);
    CHECK(rc == 0 && pdf && len > 0, "render_pdf failed");
    CHECK(d.errors == 0 && d.warnings == 0, "diagnostics");
    printf("test PDF: %zu bytes\n", len);
    CHECK(len > 5000 && len < 60000, "PDF size %zu", len);
    CHECK(len > 8 && memcmp(pdf, "%PDF-1.", 7) == 0, "PDF header");

    /* Same input, same bytes. */
    unsigned char *again = NULL;
    size_t len2 = 0;
    CHECK(render_pdf(&doc, fs, NULL, "policy.md", &again, &len2, &d) == 0 && len2 == len &&
          memcmp(pdf, again, len) == 0, "output not reproducible");
    free(again);
    /* The same with a compression thread, twice (its compressors reused). */
    Worker *worker = worker_new(1);
    FlatePool *pool = flatepool_new(worker);
    for (int k = 0; k < 2; k++) {
        again = NULL;
        CHECK(render_pdf(&doc, fs, pool, "policy.md", &again, &len2, &d) == 0 && len2 == len &&
                  memcmp(pdf, again, len) == 0,
              "a worker thread changed the bytes (%d)", k);
        free(again);
    }
    flatepool_free(pool);
    worker_free(worker);

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
    /* Codes are glyph ids of the subsets. */
    CHECK(count(qdf, "/CIDToGIDMap /Identity") == 2 && count(qdf, "/CIDToGIDMap") == 2 &&
          count(qdf, "/Encoding /Identity-H") == 2, "CIDToGIDMap /Identity, Identity-H");
    CHECK(strstr(qdf, "/XYZ") != NULL, "XYZ destinations");
    /* Coordinates exactly as typeset (to 0.01 pt), not libharu's floats. */
    CHECK(strstr(qdf, "56.69 750.12 m\n538.59 750.12 l\n") != NULL, "exact line coordinates");
    CHECK(strstr(qdf, "1 0 0 1 70 770 Tm\n") != NULL, "exact text position");
    CHECK(strstr(qdf, "56.69 760 481.9 30 re\n") != NULL, "exact rectangle");
    /* What a reader needs: language, title in the window, page labels. */
    CHECK(strstr(qdf, "/Lang (ja)") != NULL, "catalog /Lang");
    CHECK(strstr(qdf, "/DisplayDocTitle true") != NULL, "viewer preference DisplayDocTitle");
    CHECK(strstr(qdf, "/PageLabels") && strstr(qdf, "/S /D"), "decimal page labels");
    free(qdf);
    char *labels = runf(&st, "qpdf --json=2 --json-key=pagelabels %s 2>&1", path);
    CHECK(strstr(labels, "\"index\": 0") && strstr(labels, "\"/S\": \"/D\"") &&
          strstr(labels, "\"/St\": 1"), "qpdf page labels:\n%s", labels);
    free(labels);
    CHECK(len > 9 && memcmp(pdf, "%PDF-1.7", 8) == 0, "PDF 1.7 (object streams; /Lang, /DisplayDocTitle)");

    /* SOURCE_DATE_EPOCH sets the dates, in UTC. */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    free(pdf);
    pdf = NULL;
    CHECK(render_pdf(&doc, fs, NULL, "policy.md", &pdf, &len, &d) == 0, "render with date");
    write_file(path, pdf, len);
    char *info = runf(&st, "pdfinfo -isodates %s 2>&1", path);
    CHECK(strstr(info, "CreationDate:    2023-11-14T22:13:20Z") != NULL, "date:\n%s", info);
    free(info);
    setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
    free(pdf);
    pdf = NULL;
    CHECK(render_pdf(&doc, fs, NULL, "policy.md", &pdf, &len, &d) == -1 &&
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
    const char *t2 = "㐀は無い";         /* U+3400: not in BIZ UD */
    drawpage_text(pg, 50, 70, m, 10, t2, strlen(t2));
    drawpage_text(pg, 50, 90, 7, 10, "x", 1);
    drawdoc_bookmark(&doc, "迷子", 0, 5);
    Diag d;
    diag_init(&d);
    unsigned char *pdf = (unsigned char *)"sentinel";
    size_t len = 1;
    CHECK(render_pdf(&doc, fs, NULL, "policy.md", &pdf, &len, &d) == -1, "bad text accepted");
    CHECK(pdf == NULL && len == 0, "no output on failure");
    CHECK(has_message(&d, "の中の文字 '㐀' (U+3400) の字形がありません"), "missing glyph named");
    CHECK(has_message(&d, "unknown font #7"), "bad font index");
    CHECK(has_message(&d, "points to page 6 of 1"), "bad bookmark page");
    CHECK(d.n > 0 && strcmp(d.entries[0].file, "policy.md") == 0, "reported against the file");
    diag_free(&d);
    drawdoc_free(&doc);

    DrawDoc empty = {0};
    diag_init(&d);
    CHECK(render_pdf(&empty, fs, NULL, "e.md", &pdf, &len, &d) == -1 && has_message(&d, "no pages"),
          "empty document");
    diag_free(&d);

    /* A character beyond the BMP prints from its glyph like any other,
     * even in a line that is not shaped. */
    const char *t1 = "𠮷野家の前で"; /* in IPAmj明朝, mincho's fallback */
    DrawDoc ok = {0};
    drawpage_text(drawdoc_add_page(&ok, 595.28, 841.89), 50, 50, font_next(fs, m), 10, t1, strlen(t1));
    diag_init(&d);
    CHECK(render_pdf(&ok, fs, NULL, "policy.md", &pdf, &len, &d) == 0 && d.errors == 0, "U+20BB7 in a plain line");
    char path[] = "/tmp/policygen-yoshi-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    if (pdf)
        write_file(path, pdf, len);
    int st;
    char *txt = runf(&st, "pdftotext %s - 2>&1", path);
    CHECK(strstr(txt, t1) != NULL, "U+20BB7 extracted:\n%s", txt);
    free(txt);
    unlink(path);
    free(pdf);
    drawdoc_free(&ok);
    diag_free(&d);
}

/* Two roles on one file share one embedded subset. */
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
        CHECK(render_pdf(&doc, fs, NULL, "s.md", &pdf, &len, &d) == 0, "render shared");
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

/* ---- text layer -------------------------------------------------------- */

/* Every kind of character the forms draw, on one line. */
static const char *MIXED = "令和６年度の施策、ひらがなとカタカナ。「重点目標」ＡＢＣ１２３ ASCII text 2025 "
                           "① ② ③――…";
/* White space text extraction would lose: ideographic spaces (names are
 * written 市川　信行), one at the start, two ASCII spaces in a row. */
static const char *SPACED = "　市川　信行（総合政策監）  二重";

/* A command's whole output, binary safe. */
static StrBuf run_bytes(const char *cmd)
{
    StrBuf sb = {0};
    FILE *p = popen(cmd, "r");
    if (!p)
        return sb;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        sb_append(&sb, buf, n);
    pclose(p);
    return sb;
}

/* A command's output as one string: NUL bytes (in the uncompressed font
 * programs of qpdf --qdf) become 0x01, so string functions see it all. */
static StrBuf run_text(const char *cmd)
{
    StrBuf sb = run_bytes(cmd);
    for (size_t i = 0; i < sb.len; i++)
        if (sb.data[i] == '\0')
            sb.data[i] = 1;
    return sb;
}

/* The first line of a command's output (malloc'd). */
static char *first_line_of(const char *cmd)
{
    StrBuf out = run_bytes(cmd);
    char *s = sb_take(&out);
    s[strcspn(s, "\n")] = '\0';
    return s;
}

/* The ToUnicode entries of CMap text cm: code ranges and the UTF-16 they
 * start at (one character, a surrogate pair, a base and its selector). */
typedef struct {
    unsigned lo, hi;
    unsigned short u[8];
    int nu;
} BfMap;

static size_t read_bf(const char *cm, const char *end, BfMap *maps, size_t max)
{
    size_t nm = 0;
    for (const char *p = cm; (p = strstr(p, "beginbf")) && p < end;) {
        int range = strncmp(p, "beginbfrange", 12) == 0;
        for (p = strchr(p, '\n'); p && p[1] == '<' && nm < max; p = strchr(p + 1, '\n')) {
            BfMap *m = &maps[nm];
            int used = 0;
            if (range ? sscanf(p + 1, "<%x> <%x> %*1[<[]%n", &m->lo, &m->hi, &used) != 2
                      : sscanf(p + 1, "<%x> <%n", &m->lo, &used) != 1)
                continue;
            if (!range)
                m->hi = m->lo;
            m->nu = 0;
            const char *h = p + 1 + used;
            if (range && h[-1] == '[') { /* <lo> <hi> [<dst><dst>...]: one entry per code */
                unsigned lo = m->lo, hi = m->hi;
                for (unsigned c = lo; c <= hi && nm < max && *h == '<'; c++, h++) {
                    BfMap *e = &maps[nm++];
                    e->lo = e->hi = c;
                    e->nu = 0;
                    for (h++; *h != '>' && e->nu < 8; h += 4) {
                        char hex[5] = {h[0], h[1], h[2], h[3], 0};
                        e->u[e->nu++] = (unsigned short)strtoul(hex, NULL, 16);
                    }
                }
                continue;
            }
            for (; h[0] != '>' && m->nu < 8; h += 4) {
                char hex[5] = {h[0], h[1], h[2], h[3], 0};
                m->u[m->nu++] = (unsigned short)strtoul(hex, NULL, 16);
            }
            nm++;
        }
        if (!p)
            break;
    }
    return nm;
}

/* Where "N 0 obj" starts in the qdf text q, or NULL. */
static const char *qdf_object(const char *q, long n)
{
    char head[32];
    snprintf(head, sizeof head, "\n%ld 0 obj\n", n);
    return strstr(q, head);
}

/* What text extraction gets from the codes the pages show, through each
 * font's own ToUnicode (read from qpdf's QDF, independently of poppler
 * and MuPDF): one line per string shown. */
static char *qpdf_text(const char *pdf)
{
    StrBuf cmd = {0};
    sb_printf(&cmd, "qpdf --qdf --normalize-content=n --object-streams=disable %s - 2>/dev/null", pdf);
    StrBuf qdf = run_text(cmd.data);
    sb_free(&cmd);
    const char *q = qdf.data ? qdf.data : "";
    StrBuf out = {0};
    char marker[48];
    for (int page = 1;; page++) {
        snprintf(marker, sizeof marker, "%%%% Page %d\n", page);
        const char *pg = strstr(q, marker);
        snprintf(marker, sizeof marker, "%%%% Contents for page %d\n", page);
        const char *c = strstr(q, marker);
        if (!pg || !c)
            break;
        const char *fonts = strstr(pg, "/Font <<"), *fonts_end = fonts ? strstr(fonts, ">>") : NULL;
        const char *end = strstr(c, "endstream");
        BfMap maps[512];
        size_t nm = 0;
        for (const char *t = c; end && t < end;) {
            const char *tf = strstr(t, " Tf\n"), *tj = strstr(t, ">Tj");
            if (tf && tf < end && (!tj || tf < tj)) { /* "/F1 10.5 Tf": that font's ToUnicode */
                const char *name = tf;
                while (name > c && name[-1] != '\n')
                    name--;
                char fname[16] = "", key[24];
                sscanf(name, "/%15[^ ]", fname);
                snprintf(key, sizeof key, "/%s ", fname);
                const char *ref = fonts ? strstr(fonts, key) : NULL;
                long font = ref && ref < fonts_end ? strtol(ref + strlen(key), NULL, 10) : -1;
                const char *fobj = font > 0 ? qdf_object(q, font) : NULL;
                const char *tu = fobj ? strstr(fobj, "/ToUnicode ") : NULL;
                const char *tobj = tu ? qdf_object(q, strtol(tu + 11, NULL, 10)) : NULL;
                nm = tobj ? read_bf(tobj, strstr(tobj, "endstream"), maps, 512) : 0;
                t = tf + 4;
                continue;
            }
            if (!tj || tj >= end)
                break;
            const char *b = tj;
            while (b > c && b[-1] != '<')
                b--;
            unsigned short units[512];
            size_t nu = 0;
            for (const char *h = b; h + 4 <= tj; h += 4) {
                char hex[5] = {h[0], h[1], h[2], h[3], 0};
                unsigned code = (unsigned)strtoul(hex, NULL, 16);
                size_t i = 0;
                while (i < nm && !(code >= maps[i].lo && code <= maps[i].hi))
                    i++;
                if (i == nm) {
                    units[nu++] = 0xFFFD;
                    continue;
                }
                for (int k = 0; k < maps[i].nu && nu < 500; k++) /* a range counts up its last unit */
                    units[nu++] = (unsigned short)(maps[i].u[k] + (k == maps[i].nu - 1 ? code - maps[i].lo : 0));
            }
            for (size_t i = 0; i < nu; i++) {
                uint32_t cp = units[i];
                if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < nu)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (units[++i] - 0xDC00);
                sb_put_utf8(&out, cp);
            }
            sb_putc(&out, '\n');
            t = tj + 3;
        }
    }
    sb_free(&qdf);
    return sb_take(&out);
}

/* One page rendered by poppler (pdftoppm) as RGB; NULL if it failed. */
static unsigned char *render_page(const char *pdf, int page, int dpi, int *w, int *h)
{
    StrBuf cmd = {0};
    sb_printf(&cmd, "pdftoppm -r %d -f %d -l %d %s 2>/dev/null", dpi, page, page, pdf);
    StrBuf ppm = run_bytes(cmd.data);
    sb_free(&cmd);
    int max = 0, off = 0;
    unsigned char *rgb = NULL;
    if (ppm.len > 2 && sscanf(ppm.data, "P6 %d %d %d%n", w, h, &max, &off) == 3 && max == 255 &&
        (size_t)off + 1 + (size_t)*w * (size_t)*h * 3 <= ppm.len) {
        rgb = xmalloc((size_t)*w * (size_t)*h * 3);
        memcpy(rgb, ppm.data + off + 1, (size_t)*w * (size_t)*h * 3);
    }
    sb_free(&ppm);
    return rgb;
}

/* Pixels of a page that are dark, and that are red. */
static void count_pixels(const char *pdf, int page, long *dark, long *red)
{
    int w = 0, h = 0;
    unsigned char *rgb = render_page(pdf, page, 72, &w, &h);
    *dark = *red = -1;
    if (!rgb)
        return;
    *dark = *red = 0;
    for (long i = 0; i < (long)w * h; i++) {
        const unsigned char *px = rgb + 3 * i;
        if (px[0] + px[1] + px[2] < 3 * 100)
            (*dark)++;
        if (px[0] > 200 && px[1] < 80 && px[2] < 80)
            (*red)++;
    }
    free(rgb);
}

static char *replace_all(const char *s, const char *from, const char *to)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    size_t k = strlen(from);
    for (const char *p; (p = strstr(s, from)); s = p + k) {
        sb_append(&sb, s, (size_t)(p - s));
        sb_puts(&sb, to);
    }
    sb_puts(&sb, s);
    return sb_take(&sb);
}

/* What is drawn comes back from poppler (pdftotext), MuPDF (mutool) and
 * qpdf exactly, and is visible: the glyphs are in the embedded font. */
static void test_text_layer(const FontSet *fs)
{
    int m = fontset_find(fs, "mincho"), g = fontset_find(fs, "gothic");
    DrawDoc doc = {0};
    drawpage_text(drawdoc_add_page(&doc, 595.28, 841.89), 56.69, 780, m, 10.5, MIXED, strlen(MIXED));
    drawpage_text(drawdoc_add_page(&doc, 595.28, 841.89), 56.69, 780, g, 10.5, MIXED, strlen(MIXED));
    drawpage_text(drawdoc_add_page(&doc, 595.28, 841.89), 56.69, 780, m, 10.5, SPACED, strlen(SPACED));
    static const char *lines[] = {NULL, NULL, NULL};
    lines[0] = lines[1] = MIXED;
    lines[2] = SPACED;
    Diag d;
    diag_init(&d);
    unsigned char *pdf = NULL;
    size_t len = 0;
    CHECK(render_pdf(&doc, fs, NULL, "text.md", &pdf, &len, &d) == 0, "render the text layer");
    diag_print(&d, stderr);
    char path[] = "/tmp/policygen-text-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    close(fd);
    CHECK(pdf && write_file(path, pdf, len) == 0, "write %s", path);
    int have_mutool = system("command -v mutool >/dev/null 2>&1") == 0;
    if (!have_mutool)
        printf("mutool not installed: text layer checked with poppler and qpdf only\n");

    for (int page = 1; page <= 3; page++) {
        const char *want = lines[page - 1];
        StrBuf cmd = {0};
        sb_printf(&cmd, "pdftotext -f %d -l %d %s - 2>&1", page, page, path);
        char *got = first_line_of(cmd.data);
        CHECK(strcmp(got, want) == 0, "pdftotext page %d:\n  got  \"%s\"\n  want \"%s\"", page, got, want);
        free(got);
        sb_free(&cmd);
        sb_printf(&cmd, "pdftotext -raw -f %d -l %d %s - 2>&1", page, page, path);
        got = first_line_of(cmd.data);
        CHECK(strcmp(got, want) == 0, "pdftotext -raw page %d:\n  got  \"%s\"\n  want \"%s\"", page, got, want);
        free(got);
        sb_free(&cmd);
        if (have_mutool) {
            /* mutool's text output turns all white space into U+0020
             * unless asked to preserve it (a reader's choice, not the
             * file's): the default is checked with that, and -O
             * preserve-whitespace character for character. */
            char *spaced = replace_all(want, "　", " ");
            sb_printf(&cmd, "mutool draw -q -F txt %s %d 2>/dev/null", path, page);
            got = first_line_of(cmd.data);
            CHECK(strcmp(got, spaced) == 0, "mutool draw page %d:\n  got  \"%s\"\n  want \"%s\"", page, got,
                  spaced);
            free(got);
            free(spaced);
            sb_free(&cmd);
            sb_printf(&cmd, "mutool convert -F text -O preserve-whitespace -o %s.txt %s %d >/dev/null 2>&1 && "
                      "cat %s.txt", path, path, page, path);
            got = first_line_of(cmd.data);
            CHECK(strcmp(got, want) == 0, "mutool convert page %d:\n  got  \"%s\"\n  want \"%s\"", page, got, want);
            free(got);
            sb_free(&cmd);
        }
        /* At 72 dpi a 10.5 pt glyph has ten dark pixels or more; an empty
         * glyph (not embedded) has none. */
        long dark, red, chars = (long)utf8_count(want, strlen(want));
        count_pixels(path, page, &dark, &red);
        CHECK(dark > 5 * chars, "page %d: %ld dark pixels for %ld characters; are the glyphs embedded?",
              page, dark, chars);
        printf("page %d: %ld dark pixels for %ld characters\n", page, dark, chars);
    }
    char *q = qpdf_text(path);
    StrBuf want = {0};
    for (int i = 0; i < 3; i++)
        sb_printf(&want, "%s\n", lines[i]);
    CHECK(strcmp(q, want.data) == 0, "qpdf: the codes shown, through ToUnicode:\n%s", q);
    free(q);
    sb_free(&want);

    /* Only the line poppler would lose white space of carries /ActualText. */
    StrBuf cmd = {0};
    sb_printf(&cmd, "qpdf --qdf --normalize-content=n --object-streams=disable %s - 2>/dev/null", path);
    StrBuf qdf = run_text(cmd.data);
    sb_free(&cmd);
    CHECK(qdf.data && count(qdf.data, "/ActualText") == 1, "one /ActualText span");

    /* The embedded fonts: glyphs present, only the tables a CIDFontType2
     * needs (subset.h), no cmap (the codes are glyph ids). */
    CHECK(qdf.data && count(qdf.data, "/FontFile2 ") == 2, "two embedded fonts");
    sb_free(&qdf);
    int fonts = 0;
    size_t ulen = 0;
    unsigned char *u = pdf ? check_unpack(pdf, len, &ulen) : NULL;
    if (u) /* qpdf numbers the objects anew: read them from its file */
        write_file(path, u, ulen);
    for (size_t i = 0; u && i + 11 < ulen; i++) {
        if (memcmp(u + i, "/FontFile2 ", 11) != 0)
            continue;
        long obj = strtol((const char *)u + i + 11, NULL, 10);
        sb_printf(&cmd, "qpdf --show-object=%ld --filtered-stream-data %s 2>/dev/null", obj, path);
        StrBuf ttf = run_bytes(cmd.data);
        sb_free(&cmd);
        const unsigned char *t = (const unsigned char *)ttf.data;
        long glyf = t ? table_length(t, ttf.len, "glyf") : -1;
        CHECK(t && only_cid_tables(t, ttf.len), "font %ld: not exactly glyf loca head hhea hmtx maxp", obj);
        CHECK(glyf > 1000, "font %ld: glyf of %ld bytes", obj, glyf);
        sb_free(&ttf);
        fonts++;
    }
    free(u);
    CHECK(fonts == 2, "%d FontFile2 streams", fonts);
    /* /W against each program's hmtx, every code drawn in the ToUnicode and
     * on a glyph: the checker's rules (tests/check-conformance). */
    sb_printf(&cmd, "tests/check-conformance --report %s 2>&1", path);
    StrBuf rules = run_text(cmd.data);
    sb_free(&cmd);
    static const char *const want_ok[] = {"ok\t6.2.11.5-1\t", "ok\t6.2.11.7.2-2\t", "ok\t6.2.11.8-1\t",
                                          "ok\t6.2.11.4.1-2\t", "ok\t6.2.11.3.2-1\t",
                                          "ok\tISO 19005-2 6.2.11.2\t"};
    for (size_t i = 0; i < sizeof want_ok / sizeof want_ok[0]; i++)
        CHECK(rules.data && strstr(rules.data, want_ok[i]), "check-conformance: %s\n%s", want_ok[i],
              rules.data ? rules.data : "");
    sb_free(&rules);
    char txt[64];
    snprintf(txt, sizeof txt, "%s.txt", path);
    unlink(txt);
    unlink(path);
    free(pdf);
    drawdoc_free(&doc);
    diag_free(&d);
}

/* Review marks: red frames in their own graphics state. */
static void test_marks(const FontSet *fs)
{
    int m = fontset_find(fs, "mincho");
    DrawDoc doc = {0};
    DrawPage *pg = drawdoc_add_page(&doc, 595.28, 841.89);
    drawpage_line(pg, 50, 700, 300, 700, 2, 0.5);
    drawpage_text(pg, 60, 680, m, 10, "変更された欄", strlen("変更された欄"));
    drawpage_mark(pg, 50, 650, 250, 60);
    drawpage_line(pg, 50, 640, 300, 640, 2, 0.5);
    Diag d;
    diag_init(&d);
    unsigned char *pdf = NULL;
    size_t len = 0;
    CHECK(render_pdf(&doc, fs, NULL, "review.md", &pdf, &len, &d) == 0, "render marks");
    char path[] = "/tmp/policygen-marks-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    write_file(path, pdf, len);
    int st;
    char *q = runf(&st, "qpdf --qdf --normalize-content=n --object-streams=disable %s - 2>/dev/null", path);
    CHECK(strstr(q, "stream\n/Artifact BMC\n0.5 G\n2 w\n50 640 m\n300 640 l\n50 700 m\n300 700 l\nS\nEMC\nBT\n") != NULL,
          "the rules first (artifacts), in one stroke:\n%s", q);
    CHECK(strstr(q, "EMC\nET\n/Artifact BMC\nq\n1 0 0 RG\n1.5 w\n50 650 250 60 re\nS\nQ\nEMC\n") != NULL,
          "the frame last, above the text (an artifact), in a state of its own:\n%s", q);
    CHECK(count(q, " G\n") == 1 && count(q, " w\n") == 2, "gray and width set once, the frame's width aside");
    free(q);
    long dark, red;
    count_pixels(path, 1, &dark, &red);
    CHECK(red > 400, "%ld red pixels", red);
    q = runf(&st, "qpdf --check %s 2>&1", path);
    CHECK(st == 0, "qpdf --check:\n%s", q);
    free(q);

    /* A frame's width is checked like a line's. */
    pg->ops[pg->nops - 2].width = -1;
    free(pdf);
    pdf = NULL;
    CHECK(render_pdf(&doc, fs, NULL, "review.md", &pdf, &len, &d) == -1 && has_message(&d, "line width -1"),
          "negative frame width refused");
    unlink(path);
    free(pdf);
    drawdoc_free(&doc);
    diag_free(&d);
}

static size_t count_bytes(const unsigned char *b, size_t n, const char *s)
{
    size_t k = strlen(s), c = 0;
    for (size_t i = 0; i + k <= n; i++)
        c += memcmp(b + i, s, k) == 0;
    return c;
}

/* libharu's plain output of a document with one stream of data[0, len):
 * *stream gets its object number. */
static unsigned char *haru_with_stream(const unsigned char *data, size_t len, size_t *stream, size_t *outlen)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    HPDF_AddPage(pdf);
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Stream_Write(s->stream, data, (HPDF_UINT)len);
    HPDF_Dict_Add(pdf->catalog, "Test", s);
    *stream = s->header.obj_id & 0x00FFFFFF;
    HPDF_SaveToStream(pdf);
    HPDF_UINT32 n = HPDF_GetStreamSize(pdf);
    unsigned char *out = xmalloc(n + 1);
    HPDF_ReadFromStream(pdf, out, &n);
    *outlen = n;
    HPDF_Free(pdf);
    return out;
}

/* A stream compressed by the caller meanwhile (a font program, flatepool.h)
 * gives the same file as one pdfpack compresses; a task that does not fit
 * its object is refused, and every task is finished either way. */
static void test_pack_pending(void)
{
    unsigned char data[20000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)((i * 7919) >> 5); /* compressible, not trivially */
    size_t obj, len, alen, blen;
    unsigned char *in = haru_with_stream(data, sizeof data, &obj, &len);
    unsigned char *a = NULL, *b = NULL;
    FlatePool *alone = flatepool_new(NULL);
    CHECK(pdfpack(alone, in, len, NULL, 0, &a, &alen) == 0, "pack without pending");
    /* With a worker thread and without one (the task then runs when it
     * is finished). */
    for (int threaded = 0; threaded < 2; threaded++) {
        Worker *worker = worker_new(threaded);
        FlatePool *pool = flatepool_new(worker);
        PackPending p = {obj, flate_task_start(pool, data, sizeof data)};
        CHECK(pdfpack(pool, in, len, &p, 1, &b, &blen) == 0 && !p.task, "pack with the stream pending (%d)", threaded);
        CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0, "the same bytes either way (%zu, %zu)", alen, blen);
        free(b);
        b = NULL;
        p = (PackPending){obj, flate_task_start(pool, data, sizeof data - 1)};
        CHECK(pdfpack(pool, in, len, &p, 1, &b, &blen) == -1 && !b && !p.task, "a task of another length is refused");
        p = (PackPending){1, flate_task_start(pool, data, sizeof data)};
        CHECK(pdfpack(pool, in, len, &p, 1, &b, &blen) == -1 && !b && !p.task,
              "a task for an object not a stream is refused");
        p = (PackPending){obj, flate_task_start(pool, data, sizeof data)};
        CHECK(pdfpack(pool, (const unsigned char *)"%PDF-1.4\n", 9, &p, 1, &b, &blen) == -1 && !p.task,
              "bad input: the task is finished all the same");
        flatepool_free(pool);
        worker_free(worker);
    }
    flatepool_free(alone);
    free(a);
    free(in);
}

/* A batch gives each job the bytes of compressing it alone, whichever
 * thread took it; tasks queued behind each other are all finished, also
 * in another order than started (one taken back from the queue). */
static void test_flate_pool(void)
{
    enum { NJOBS = 9 };
    static unsigned char data[NJOBS][30000];
    FlateJob jobs[NJOBS];
    StrBuf alone[NJOBS];
    Worker *worker = worker_new(1);
    FlatePool *one = flatepool_new(NULL), *two = flatepool_new(worker);
    for (int j = 0; j < NJOBS; j++) {
        for (size_t i = 0; i < sizeof data[j]; i++)
            data[j][i] = (unsigned char)((i * (7919 + 2 * (size_t)j)) >> (3 + j % 4));
        jobs[j] = (FlateJob){data[j], sizeof data[j] - 1000 * (size_t)j, {0}};
        alone[j] = (StrBuf){0};
        CHECK(flatepool_append(one, jobs[j].data, jobs[j].len, &alone[j]) == 0, "job %d alone", j);
    }
    CHECK(flate_batch(two, jobs, NJOBS) == 0, "batch on two threads");
    for (int j = 0; j < NJOBS; j++) {
        CHECK(jobs[j].out.len == alone[j].len && memcmp(jobs[j].out.data, alone[j].data, alone[j].len) == 0,
              "job %d: the same bytes in a batch", j);
        sb_free(&jobs[j].out);
    }
    FlateTask *t[NJOBS];
    for (int j = 0; j < NJOBS; j++)
        t[j] = flate_task_start(two, data[j], jobs[j].len);
    for (int j = NJOBS - 1; j >= 0; j--) {
        StrBuf out = {0};
        CHECK(flate_task_finish(t[j], j % 3 ? &out : NULL) == 0, "task %d finished", j);
        CHECK(j % 3 == 0 || (out.len == alone[j].len && memcmp(out.data, alone[j].data, out.len) == 0),
              "task %d: the same bytes", j);
        sb_free(&out);
    }
    CHECK(flate_task_finish(NULL, NULL) == -1, "no task");
    for (int j = 0; j < NJOBS; j++)
        sb_free(&alone[j]);
    flatepool_free(one);
    flatepool_free(two);
    flatepool_free(NULL);
    worker_free(worker);
    worker_free(NULL);
}

/* The object-stream packer understands libharu's output and nothing else:
 * anything it does not recognise is refused, never half rewritten. */
static void test_pack(const FontSet *fs)
{
    unsigned char *out = NULL;
    size_t outlen = 0;
    static const char *const bad[] = {"", "%PDF-1.4\n", "not a pdf at all, startxref 5 %%EOF",
                                      "%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 2\n0000000000 65535 f\r\n"
                                      "0000000009 00000 n\r\ntrailer\n<< /Size 2 >>\nstartxref\n99999\n%%EOF\n"};
    FlatePool *pool = flatepool_new(NULL);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(pdfpack(pool, (const unsigned char *)bad[i], strlen(bad[i]), NULL, 0, &out, &outlen) == -1 && !out,
              "pdfpack took bad input %zu", i);
    flatepool_free(pool);
    /* A rendered PDF: 1.7, one object stream, a cross-reference stream. */
    DrawDoc doc = {0};
    DrawPage *pg = drawdoc_add_page(&doc, 595.28, 841.89);
    int p = drawdoc_elem(&doc, "P", -1);
    drawpage_text_in(pg, p, DRAW_ARTIFACT, 0, 56.69, 780, fontset_find(fs, "mincho"), 10.5, "本文", strlen("本文"));
    Diag d;
    diag_init(&d);
    unsigned char *pdf = NULL;
    size_t len = 0;
    CHECK(render_pdf(&doc, fs, NULL, "pack.md", &pdf, &len, &d) == 0, "render for packing");
    CHECK(pdf && len > 8 && memcmp(pdf, "%PDF-1.7", 8) == 0 && count_bytes(pdf, len, "/Type/ObjStm") == 1 &&
              count_bytes(pdf, len, "/Type/XRef") == 1 && count_bytes(pdf, len, "\nxref\n") == 0,
          "one object stream and a cross-reference stream");
    free(pdf);
    drawdoc_free(&doc);
    diag_free(&d);
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
    test_glyphuse();
    test_tounicode();
    if (fs) {
        test_subset(fs);
        test_metrics(fs);
        test_render(fs);
        test_refusals(fs);
        test_text_layer(fs);
        test_marks(fs);
        test_pack(fs);
        test_pack_pending();
        test_flate_pool();
    }
    test_shared_file();
    fontset_free(fs);
    return CHECK_DONE();
}
