/* make bench: size and speed of policygen, per document.
 *
 *   build/bench/bench [options] content/Y/D.md...
 *
 * Size: the PDF beside its ideal, the sum over the embedded fonts of the
 * zlib (level 9) size of a HarfBuzz subset of the font to exactly the code
 * points the document draws in it (from the display list: OP_TEXT ops, by
 * font file as the renderer embeds them), without hinting and with the
 * tables cmap glyf loca head hhea hmtx maxp name post OS/2 (ideal_subset:
 * the yardstick stays what it was when the renderer embedded such fonts).
 * Where the PDF's bytes go: fonts, font maps, page contents, the rest.
 *
 * Speed: the whole process (`policygen build`, fork/exec, min and median
 * of --runs, peak RSS of the child from wait4), and pipeline_run inside one
 * process with the fonts loaded once (min and median of --runs).
 *
 * Options: --fonts FILE (fonts/fonts.yaml), --layouts DIR (layouts),
 * --policygen BIN (bin/policygen), --against BIN (another build, its process
 * runs in turn with BIN's: the way to compare two commits), --runs N (20),
 * --no-speed, --dump DIR (write the ideal subsets there, named after the
 * font files). */
#define _DEFAULT_SOURCE /* wait4 */
#include "bind.h"
#include "diag.h"
#include "drawlist.h"
#include "flate.h"
#include "flatepool.h"
#include "fonts.h"
#include "layout.h"
#include "layoutcache.h"
#include "parse.h"
#include "pipeline.h"
#include "render.h"
#include "source.h"
#include "subset.h"
#include "template.h"
#include "typeset.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <spawn.h>
#include <time.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hb.h>

extern char **environ;
#include <linebreak.h> /* libunibreak's: init_linebreak, as main.c */
#include <zlib.h>

#define MAX_FONTS 16

typedef struct {
    const char *fonts, *layouts, *policygen, *dump;
    const char *against; /* another build of policygen, run in turn with it (--against) */
    int runs, speed;
    Worker *worker;  /* as policygen build has them: one worker thread, */
    FlatePool *pool; /* compressing with it, made once */
} Options;

/* ---- ideal size ---------------------------------------------------------- */

static const hb_tag_t ideal_tags[] = {
    HB_TAG('c', 'm', 'a', 'p'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
    HB_TAG('m', 'a', 'x', 'p'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'),
    HB_TAG('O', 'S', '/', '2'),
};

/* HarfBuzz's subset of the font at path to exactly cps[0, n), hinting and
 * every table but ideal_tags dropped. NULL on failure. */
static hb_face_t *ideal_subset(const char *path, const uint32_t *cps, size_t n)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob)
        return NULL;
    hb_face_t *face = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        hb_face_destroy(face);
        return NULL;
    }
    hb_set_t *unicodes = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < n; i++)
        hb_set_add(unicodes, cps[i]);
    subset_keep_only(in, face, ideal_tags, sizeof ideal_tags / sizeof ideal_tags[0]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t *sub = hb_subset_or_fail(face, in);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    return sub;
}

/* Bytes of the font at path subset to set, then deflated at level 9;
 * *raw gets the uncompressed subset size. -1 on failure. */
static long ideal_font_size(const char *path, hb_set_t *set, long *raw, const char *dump)
{
    /* The code points, as ideal_subset takes them. */
    uint32_t *cps = xcalloc(hb_set_get_population(set) + 1, sizeof *cps);
    size_t n = 0;
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(set, &cp))
        cps[n++] = cp;
    hb_face_t *sub = ideal_subset(path, cps, n);
    free(cps);
    if (!sub)
        return -1;
    hb_blob_t *res = hb_face_reference_blob(sub);
    unsigned int len = 0;
    const char *data = hb_blob_get_data(res, &len);
    uLongf zlen = compressBound(len);
    unsigned char *z = xmalloc(zlen);
    int ok = data && compress2(z, &zlen, (const Bytef *)data, len, 9) == Z_OK;
    if (dump && data) { /* --dump DIR: keep the subset to look at */
        const char *base = strrchr(path, '/');
        StrBuf f = {0};
        sb_printf(&f, "%s/%s", dump, base ? base + 1 : path);
        FILE *fp = fopen(f.data, "wb");
        if (fp) {
            fwrite(data, 1, len, fp);
            fclose(fp);
        }
        sb_free(&f);
    }
    free(z);
    hb_blob_destroy(res);
    hb_face_destroy(sub);
    *raw = len;
    return ok ? (long)zlen : -1;
}

typedef struct {
    const char *path;
    hb_set_t *cps;
} FontCps;

/* The entry of per[0, *n) for the font file path, added when new (its
 * FontSet index in first[], when given); -1 past MAX_FONTS. */
static int font_slot(FontCps per[MAX_FONTS], int *n, const char *path, int font, int first[MAX_FONTS])
{
    int k = 0;
    while (k < *n && strcmp(per[k].path, path) != 0)
        k++;
    if (k == *n) {
        if (*n == MAX_FONTS)
            return -1;
        per[k].path = path;
        per[k].cps = hb_set_create();
        if (first)
            first[k] = font;
        (*n)++;
    }
    return k;
}

/* The code points the display list draws, per font file (as render.c
 * embeds them: one subset per file). Returns the number of files; the
 * caller destroys each set. */
/* The text op after page *p, op *i of draw (start at 0, 0), or NULL:
 * every op that prints text, in order. */
static const DrawOp *next_text_op(const DrawDoc *draw, size_t *p, size_t *i)
{
    for (; *p < draw->npages; (*p)++, *i = 0)
        while (*i < draw->pages[*p].nops) {
            const DrawOp *op = &draw->pages[*p].ops[(*i)++];
            if (op->kind == OP_TEXT && op->text && *op->text)
                return op;
        }
    return NULL;
}

static int font_cps(const DrawDoc *draw, const FontSet *fs, FontCps per[MAX_FONTS])
{
    int n = 0;
    size_t p = 0, i = 0;
    for (const DrawOp *op; (op = next_text_op(draw, &p, &i));) {
        int k = font_slot(per, &n, fontset_path(fs, op->font), op->font, NULL);
        if (k < 0)
            continue;
        size_t len;
        uint32_t *cps = utf8_to_u32(op->text, &len);
        for (size_t j = 0; j < len; j++)
            hb_set_add(per[k].cps, cps[j]);
        free(cps);
    }
    return n;
}

/* The glyph ids the display list draws, per font file, as render.c embeds
 * them: a shaped line's glyphs in their own fonts, other lines' characters
 * through their font's cmap. per[k].cps holds glyph ids here. */
static int font_gids(const DrawDoc *draw, const FontSet *fs, FontCps per[MAX_FONTS], int first[MAX_FONTS])
{
    int n = 0;
    size_t p = 0, i = 0;
    for (const DrawOp *op; (op = next_text_op(draw, &p, &i));) {
        size_t len, count = op->glyphs ? op->nglyphs : 0;
        uint32_t *cps = op->glyphs ? NULL : utf8_to_u32(op->text, &len);
        if (!op->glyphs)
            count = len;
        for (size_t j = 0; j < count; j++) {
            int font = op->glyphs ? op->glyphs[j].font : op->font;
            hb_codepoint_t gid = op->glyphs ? op->glyphs[j].gid : 0;
            if (!op->glyphs)
                hb_font_get_nominal_glyph(font_hb(fs, font), cps[j], &gid);
            int k = font_slot(per, &n, fontset_path(fs, font), font, first);
            if (k < 0)
                continue;
            hb_set_add(per[k].cps, gid);
        }
        free(cps);
    }
    return n;
}

/* Sum of ideal_font_size over the font files the display list draws in. */
static long ideal_size(const DrawDoc *draw, const FontSet *fs, int *nfonts, long *raw_total, const char *dump)
{
    FontCps per[MAX_FONTS];
    int n = font_cps(draw, fs, per);
    long total = 0;
    *raw_total = 0;
    for (int k = 0; k < n; k++) {
        long raw = 0, z = ideal_font_size(per[k].path, per[k].cps, &raw, dump);
        if (z < 0 || total < 0)
            total = -1;
        else
            total += z, *raw_total += raw;
        hb_set_destroy(per[k].cps);
    }
    *nfonts = n;
    return total;
}

/* ---- where the PDF's bytes go -------------------------------------------- */

/* libharu writes no object streams: every object is "N 0 obj ... endobj"
 * at top level, so sizes per object number can be found by scanning. */
typedef struct {
    size_t fontfile, cidmap, tounicode, contents, other;
    size_t nobj;
} Breakdown;

static const char *memfind(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

/* Object numbers referenced as "/Key N 0 R" anywhere in the file. */
static void mark_refs(const char *pdf, size_t len, const char *key, unsigned char *kind, size_t nmax,
                      unsigned char value)
{
    size_t k = strlen(key);
    for (const char *p = pdf; (p = memfind(p, len - (size_t)(p - pdf), key)); p += k) {
        char *end;
        unsigned long n = strtoul(p + k, &end, 10);
        if (end != p + k && strncmp(end, " 0 R", 4) == 0 && n < nmax)
            kind[n] = value;
    }
}

static void breakdown(const unsigned char *bytes, size_t len, Breakdown *b)
{
    const char *pdf = (const char *)bytes;
    memset(b, 0, sizeof *b);
    size_t nmax = 1 << 16;
    unsigned char *kind = xcalloc(nmax, 1);
    mark_refs(pdf, len, "/FontFile2 ", kind, nmax, 1);
    mark_refs(pdf, len, "/CIDToGIDMap ", kind, nmax, 2);
    mark_refs(pdf, len, "/ToUnicode ", kind, nmax, 3);
    mark_refs(pdf, len, "/Contents ", kind, nmax, 4);
    /* The dictionaries that name those streams are in the object stream
     * (pdfpack.c): inflated and scanned the same way. */
    for (const char *os = memfind(pdf, len, "/Type/ObjStm"); os;
         os = memfind(os + 1, len - (size_t)(os + 1 - pdf), "/Type/ObjStm")) {
        const char *st = memfind(os, len - (size_t)(os - pdf), "stream\n");
        if (!st)
            break;
        st += 7;
        uLongf cap = 1 << 22;
        unsigned char *objs = xmalloc(cap);
        z_stream z = {0};
        if (inflateInit(&z) == Z_OK) {
            z.next_in = (unsigned char *)st;
            z.avail_in = (uInt)(len - (size_t)(st - pdf));
            z.next_out = objs;
            z.avail_out = (uInt)cap;
            inflate(&z, Z_FINISH);
            const char *o = (const char *)objs;
            size_t olen = cap - z.avail_out;
            mark_refs(o, olen, "/FontFile2 ", kind, nmax, 1);
            mark_refs(o, olen, "/CIDToGIDMap ", kind, nmax, 2);
            mark_refs(o, olen, "/ToUnicode ", kind, nmax, 3);
            mark_refs(o, olen, "/Contents ", kind, nmax, 4);
            inflateEnd(&z);
        }
        free(objs);
    }
    /* Each object runs from "N 0 obj" to the next one (or the xref). */
    const char *p = pdf, *end = pdf + len;
    size_t prev_start = 0, prev_num = 0;
    int have_prev = 0;
    size_t counted = 0;
    while (p < end) {
        const char *o = memfind(p, (size_t)(end - p), " 0 obj");
        const char *x = NULL;
        if (!o) {
            x = memfind(p, (size_t)(end - p), "\nxref");
            o = x ? x : end;
        }
        const char *s = o;
        while (!x && s > pdf && s[-1] >= '0' && s[-1] <= '9')
            s--;
        if (have_prev) {
            size_t size = (size_t)(s - pdf) - prev_start;
            unsigned char k = prev_num < nmax ? kind[prev_num] : 0;
            size_t *slot = k == 1 ? &b->fontfile : k == 2 ? &b->cidmap : k == 3 ? &b->tounicode
                         : k == 4 ? &b->contents : &b->other;
            *slot += size;
            counted += size;
            b->nobj++;
        }
        if (x || o == end)
            break;
        prev_start = (size_t)(s - pdf);
        prev_num = strtoul(s, NULL, 10);
        have_prev = 1;
        p = o + 6;
    }
    b->other += len - counted; /* header, xref, trailer */
    free(kind);
}

/* ---- timing ---------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One `BIN build md -o out`: wall seconds; with rss_kb, its peak RSS
 * (KiB). Timed runs start it with posix_spawn, as make does (a vfork: fork
 * made the child copy this process's page tables first, 0.3-0.5 ms here
 * with the fonts loaded). Its peak RSS then counts this process's pages
 * (the child ran in them until exec): measured runs fork. */
static int run_process(const Options *o, const char *bin, const char *md, const char *out, double *secs,
                       long *rss_kb)
{
    char *const argv[] = {(char *)bin, "build", (char *)md, "-o", (char *)out, "--layouts", (char *)o->layouts,
                          "--fonts", (char *)o->fonts, NULL};
    double t0 = now();
    pid_t pid;
    if (rss_kb) {
        pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0)
                dup2(null, 2);
            execv(bin, argv);
            _exit(127);
        }
    } else {
        posix_spawn_file_actions_t fa;
        if (posix_spawn_file_actions_init(&fa) != 0)
            return -1;
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        int rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0)
            return -1;
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *secs = now() - t0;
    if (rss_kb)
        *rss_kb = ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ---- stages ------------------------------------------------------------------ */

/* The stages of one document, timed by calling them as pipeline.c does:
 * read (source_slurp + source_from_bytes), parse, layout (loading and
 * checking it: what a one-document process pays; a multi-document run
 * pays it once), bind, typeset (line breaking and page layout, with the
 * page numbers), render (render_pdf: subsetting, libharu's objects and
 * writing, compression, packing). Inside render, subset (subset_glyphs for
 * each font file, with the glyphs the display list draws in it) is timed on
 * its own; write is render minus subset. Compression (libdeflate at
 * FLATE_LEVEL over the inflated streams of the final PDF, one by one) is
 * timed apart: render runs it on the worker beside its own work (the font
 * programs from the subset on, flatepool.h), so it is not a part of
 * render's time but the work they share. */
enum { ST_READ, ST_PARSE, ST_LAYOUT, ST_BIND, ST_TYPESET, ST_RENDER, ST_SUBSET, ST_COMPRESS, ST_N };
static const char *const stage_name[ST_N] = {"read", "parse", "layout", "bind", "typeset", "render",
                                              "- subset", "- compress"};

/* The raw data of every FlateDecode stream of pdf, appended to raw with
 * their lengths in lens. Returns their count. */
static size_t inflate_streams(const unsigned char *pdf, size_t len, StrBuf *raw, size_t *lens, size_t max)
{
    size_t n = 0;
    const char *p = (const char *)pdf;
    for (const char *f = memfind(p, len, "/FlateDecode"); f && n < max;
         f = memfind(f + 1, len - (size_t)(f + 1 - p), "/FlateDecode")) {
        const char *st = memfind(f, len - (size_t)(f - p), "stream");
        if (!st)
            break;
        st += 6;
        st += *st == '\r' ? 2 : 1;
        z_stream z = {0};
        if (inflateInit(&z) != Z_OK)
            break;
        size_t before = raw->len;
        z.next_in = (unsigned char *)st;
        z.avail_in = (uInt)(len - (size_t)(st - p));
        int zr;
        do {
            GROW(raw->data, raw->cap, raw->len + 65536);
            z.next_out = (unsigned char *)raw->data + raw->len;
            z.avail_out = 65536;
            zr = inflate(&z, Z_NO_FLUSH);
            raw->len += 65536 - z.avail_out;
        } while (zr == Z_OK);
        inflateEnd(&z);
        lens[n++] = raw->len - before;
        f = st;
    }
    return n;
}

/* One timed pass over the stages; 0, or -1 when a stage failed. */
static int stages_once(const char *md, const Options *o, const FontSet *fs, double t[ST_N])
{
    Diag d;
    diag_init(&d);
    int rc = -1;
    double t0 = now();
    size_t len;
    char *bytes = source_slurp(md, SOURCE_MAX_BYTES, &len, &d);
    Source src;
    if (!bytes || source_from_bytes(&src, md, bytes, len, &d) != 0) {
        free(bytes);
        diag_free(&d);
        return -1;
    }
    free(bytes);
    double t1 = now();
    Document doc;
    int ok = parse_document(&src, &doc, &d) == 0;
    double t2 = now();
    const MetaEntry *m = document_meta(&doc, "layout");
    StrBuf lp = {0};
    sb_printf(&lp, "%s/%s.yaml", o->layouts, m ? m->value : "");
    Layout *layout = ok ? layout_load(lp.data, &d) : NULL;
    ok = layout && template_check_layout(layout, &d) == 0;
    double t3 = now();
    Node *root = NULL;
    ok = ok && bind_document(&doc, layout, &root, &d) == 0;
    double t4 = now();
    DrawDoc draw = {0};
    ok = ok && typeset_document(layout, root, fs, md, &src, 1, &draw, &d) == 0 &&
         typeset_page_numbers(layout, fs, &draw, &d) == 0;
    double t5 = now();
    unsigned char *pdf = NULL;
    size_t pdf_len = 0;
    ok = ok && render_pdf(&draw, fs, o->pool, md, &pdf, &pdf_len, &d) == 0;
    double t6 = now();
    if (ok) {
        t[ST_READ] = t1 - t0, t[ST_PARSE] = t2 - t1, t[ST_LAYOUT] = t3 - t2, t[ST_BIND] = t4 - t3;
        t[ST_TYPESET] = t5 - t4, t[ST_RENDER] = t6 - t5;
        /* subset: the fonts and glyphs render.c embeds */
        FontCps per[MAX_FONTS];
        int first[MAX_FONTS];
        int n = font_gids(&draw, fs, per, first);
        double s0 = now();
        for (int k = 0; k < n; k++) {
            size_t c = hb_set_get_population(per[k].cps);
            uint32_t *gids = xcalloc(c + 1, sizeof *gids), *cids = xcalloc(c + 1, sizeof *cids);
            c = 0;
            hb_codepoint_t g = HB_SET_VALUE_INVALID;
            while (hb_set_next(per[k].cps, &g))
                gids[c++] = g;
            unsigned char *sub = NULL;
            size_t sub_len = 0;
            subset_glyphs(hb_font_get_face(font_hb(fs, first[k])), per[k].path, gids, c, cids, &sub, &sub_len, &d, md);
            free(sub);
            free(gids);
            free(cids);
            hb_set_destroy(per[k].cps);
        }
        t[ST_SUBSET] = now() - s0;
        /* compress: the same streams, from their inflated data */
        StrBuf raw = {0}, out = {0};
        size_t lens[512];
        size_t ns = inflate_streams(pdf, pdf_len, &raw, lens, 512);
        Flate *fl = flate_new(FLATE_LEVEL);
        double c0 = now();
        for (size_t i = 0, at = 0; fl && i < ns; at += lens[i++]) {
            out.len = 0;
            flate_append(fl, (const unsigned char *)raw.data + at, lens[i], &out);
        }
        t[ST_COMPRESS] = now() - c0;
        flate_free(fl);
        sb_free(&raw);
        sb_free(&out);
        rc = 0;
    }
    free(pdf);
    drawdoc_free(&draw);
    node_free(root);
    layout_free(layout);
    sb_free(&lp);
    document_free(&doc);
    source_free(&src);
    diag_free(&d);
    return rc;
}

/* Min and median of each stage over o->runs passes (after one warm-up). */
static int stages(const char *md, const Options *o, const FontSet *fs, double min[ST_N], double med[ST_N])
{
    double warm[ST_N];
    if (stages_once(md, o, fs, warm) != 0)
        return -1;
    double *t = xmalloc((size_t)o->runs * ST_N * sizeof *t), *col = xmalloc((size_t)o->runs * sizeof *col);
    for (int i = 0; i < o->runs; i++)
        if (stages_once(md, o, fs, t + (size_t)i * ST_N) != 0) {
            free(t);
            free(col);
            return -1;
        }
    for (int s = 0; s < ST_N; s++) {
        for (int i = 0; i < o->runs; i++)
            col[i] = t[(size_t)i * ST_N + s];
        med[s] = median(col, o->runs);
        min[s] = col[0];
    }
    free(t);
    free(col);
    return 0;
}

/* ---- per document ----------------------------------------------------------- */

typedef struct {
    const char *md;
    size_t pdf_len, pages;
    long ideal, ideal_raw;
    int nfonts;
    Breakdown b;
    double proc_min, proc_med, proc_max, in_min, in_med, in_max;
    double against_min, against_med, against_max; /* --against's process times */
    double st_min[ST_N], st_med[ST_N];
    int has_stages;
    long rss_kb;
    size_t messages; /* errors, warnings and notes: a benchmark document has none */
    int ok;
} Result;

/* One run in this process; its messages are printed and counted into
 * *messages when given (the first run). */
static int run_once(const char *md, const PipelineOptions *po, PipelineResult *res, size_t *messages)
{
    Diag d;
    diag_init(&d);
    int rc = pipeline_run_file(md, po, res, &d);
    if (rc != 0 || (messages && d.n))
        diag_print(&d, stderr);
    if (messages)
        *messages = d.errors + d.warnings + d.notes;
    diag_free(&d);
    return rc;
}

static void bench_doc(const Options *o, const FontSet *fs, const char *tmpdir, const char *md, Result *r)
{
    memset(r, 0, sizeof *r);
    r->md = md;
    LayoutCache *cache = layoutcache_new(); /* as a multi-document build, watch and book */
    PipelineOptions po = {.layouts_dir = o->layouts, .fonts = fs, .render = 1, .keep_draw = 1, .layout_cache = cache,
                          .flate = o->pool};
    PipelineResult res;
    if (run_once(r->md, &po, &res, &r->messages) != 0) {
        layoutcache_free(cache);
        return;
    }
    r->pdf_len = res.pdf_len;
    r->pages = res.draw ? res.draw->npages : 0;
    r->ideal = res.draw ? ideal_size(res.draw, fs, &r->nfonts, &r->ideal_raw, o->dump) : -1;
    breakdown(res.pdf, res.pdf_len, &r->b);
    pipeline_result_free(&res);
    r->ok = r->ideal > 0;
    if (!o->speed) {
        layoutcache_free(cache);
        return;
    }
    r->has_stages = stages(md, o, fs, r->st_min, r->st_med) == 0;

    double *t = xmalloc((size_t)o->runs * sizeof *t);
    /* In one process, fonts and layout loaded (the first run above was the
     * warm-up): the display list is not kept. */
    po.keep_draw = 0;
    for (int i = 0; i < o->runs; i++) {
        double t0 = now();
        int rc = run_once(r->md, &po, &res, NULL);
        t[i] = now() - t0;
        pipeline_result_free(&res);
        if (rc != 0)
            r->ok = 0;
    }
    r->in_med = median(t, o->runs);
    r->in_min = t[0];
    r->in_max = t[o->runs - 1];
    layoutcache_free(cache);

    StrBuf out = {0};
    sb_printf(&out, "%s/out.pdf", tmpdir);
    /* Peak RSS: the largest of three runs. They also warm up (the files in
     * the page cache). */
    for (int i = 0; i < 3; i++) {
        long rss = 0;
        if (run_process(o, o->policygen, r->md, out.data, &t[0], &rss) != 0)
            r->ok = 0;
        if (rss > r->rss_kb)
            r->rss_kb = rss;
    }
    double *ta = xcalloc((size_t)o->runs, sizeof *ta);
    if (o->against)
        run_process(o, o->against, r->md, out.data, &ta[0], NULL);
    for (int i = 0; i < o->runs; i++) {
        if (run_process(o, o->policygen, r->md, out.data, &t[i], NULL) != 0) {
            fprintf(stderr, "bench: %s %s failed\n", o->policygen, r->md);
            r->ok = 0;
        }
        /* In turn, so that both see the machine as it is at that moment:
         * its speed drifts by a quarter over a day (README.md). */
        if (o->against && run_process(o, o->against, r->md, out.data, &ta[i], NULL) != 0) {
            fprintf(stderr, "bench: %s %s failed\n", o->against, r->md);
            r->ok = 0;
        }
    }
    r->proc_med = median(t, o->runs);
    r->proc_min = t[0];
    r->proc_max = t[o->runs - 1];
    if (o->against) {
        r->against_med = median(ta, o->runs);
        r->against_min = ta[0];
        r->against_max = ta[o->runs - 1];
    }
    free(ta);
    unlink(out.data);
    sb_free(&out);
    free(t);
}

static void print_results(const Options *o, const Result *r, int n)
{
    printf("\nSize: PDF vs ideal (sum over fonts of zlib -9 of an hb-subset to the code points drawn)\n\n");
    printf("%-32s %5s %9s %9s %6s  %-14s %s\n", "document", "pages", "PDF", "ideal", "ratio", "target <= 1.20",
           "messages (none: no text shrunk, no warning)");
    for (int i = 0; i < n; i++) {
        if (!r[i].ideal)
            continue;
        double ratio = (double)r[i].pdf_len / (double)r[i].ideal;
        printf("%-32s %5zu %9zu %9ld %6.3f  %-14s %s%zu\n", r[i].md, r[i].pages, r[i].pdf_len, r[i].ideal, ratio,
               ratio <= 1.20 ? "ok" : "ABOVE", r[i].messages ? "ABOVE: " : "", r[i].messages);
    }
    printf("\nWhere the PDF's bytes go (bytes, whole objects)\n\n");
    printf("%-32s %9s %9s %9s %9s %9s %5s\n", "document", "FontFile2", "CIDToGID", "ToUnicode", "contents",
           "other", "objs");
    for (int i = 0; i < n; i++)
        if (r[i].ideal)
            printf("%-32s %9zu %9zu %9zu %9zu %9zu %5zu\n", r[i].md, r[i].b.fontfile, r[i].b.cidmap,
                   r[i].b.tounicode, r[i].b.contents, r[i].b.other, r[i].b.nobj);
    if (!o->speed)
        return;
    printf("\nSpeed (%d runs each after one warm-up; milliseconds: min / median / max). Compare two commits by\n"
           "the medians, measured in the same session; differences within the spread are noise.\n\n", o->runs);
    printf("%-32s %22s %22s %9s\n", "document", "process", "in-process", "peak RSS");
    for (int i = 0; i < n; i++)
        if (r[i].ideal)
            printf("%-32s %6.1f / %5.1f / %5.1f %6.1f / %5.1f / %5.1f %6.1f MB  %s\n", r[i].md, r[i].proc_min * 1e3,
                   r[i].proc_med * 1e3, r[i].proc_max * 1e3, r[i].in_min * 1e3, r[i].in_med * 1e3,
                   r[i].in_max * 1e3, r[i].rss_kb / 1024.0,
                   r[i].proc_med <= 0.010 && r[i].in_med <= 0.005 && r[i].rss_kb <= 16 * 1024
                       ? "ok (<= 10 ms, 5 ms, 16 MB)"
                       : "ABOVE 10 ms / 5 ms / 16 MB");
    if (o->against) {
        printf("\nThe same runs, in turn with %s:\n\n", o->against);
        for (int i = 0; i < n; i++)
            if (r[i].ideal)
                printf("%-32s %6.1f / %5.1f / %5.1f   median %+.2f ms (%+.1f %%) for %s\n", r[i].md,
                       r[i].against_min * 1e3, r[i].against_med * 1e3, r[i].against_max * 1e3,
                       (r[i].proc_med - r[i].against_med) * 1e3,
                       100.0 * (r[i].proc_med - r[i].against_med) / r[i].against_med, o->policygen);
    }
    for (int i = 0; i < n; i++) {
        if (!r[i].has_stages)
            continue;
        printf("\nStages of %s (in one process; min / median ms)\n\n", r[i].md);
        double sum_min = 0, sum_med = 0;
        for (int s = 0; s <= ST_SUBSET; s++) {
            printf("  %-12s %6.2f / %6.2f\n", stage_name[s], r[i].st_min[s] * 1e3, r[i].st_med[s] * 1e3);
            if (s <= ST_RENDER)
                sum_min += r[i].st_min[s], sum_med += r[i].st_med[s];
        }
        printf("  %-12s %6.2f / %6.2f   (render minus subset: the font, page and structure objects, writing,\n"
               "                                 packing, and what of the compression does not run beside them)\n",
               "- write", (r[i].st_min[ST_RENDER] - r[i].st_min[ST_SUBSET]) * 1e3,
               (r[i].st_med[ST_RENDER] - r[i].st_med[ST_SUBSET]) * 1e3);
        printf("  %-12s %6.2f / %6.2f\n", "total", sum_min * 1e3, sum_med * 1e3);
        printf("  %-12s %6.2f / %6.2f   (not in the total: every stream compressed one by one on one core,\n"
               "                                 the work render shares with the worker beside its own)\n",
               "compression", r[i].st_min[ST_COMPRESS] * 1e3, r[i].st_med[ST_COMPRESS] * 1e3);
    }
}

int main(int argc, char **argv)
{
    Options o = {.fonts = "fonts/fonts.yaml", .layouts = "layouts", .policygen = "bin/policygen", .runs = 20, .speed = 1};
    const char **files = xcalloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fonts") == 0 && i + 1 < argc)
            o.fonts = argv[++i];
        else if (strcmp(argv[i], "--layouts") == 0 && i + 1 < argc)
            o.layouts = argv[++i];
        else if (strcmp(argv[i], "--policygen") == 0 && i + 1 < argc)
            o.policygen = argv[++i];
        else if (strcmp(argv[i], "--against") == 0 && i + 1 < argc)
            o.against = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            o.runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            o.dump = argv[++i];
        else if (strcmp(argv[i], "--no-speed") == 0)
            o.speed = 0;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench [--fonts F] [--layouts D] [--policygen BIN] [--against BIN] [--runs N] "
                            "[--no-speed] [--dump DIR] FILE.md...\n");
            return 2;
        } else
            files[nfiles++] = argv[i];
    }
    if (o.runs < 1 || nfiles == 0) {
        fprintf(stderr, "bench: nothing to do\n");
        return 2;
    }
    init_linebreak(); /* as policygen's main */
    Diag d;
    diag_init(&d);
    o.worker = worker_new(1);
    o.pool = flatepool_new(o.worker);
    FontSet *fs = fontset_load(o.fonts, &d);
    diag_print(&d, stderr);
    diag_free(&d);
    if (!fs)
        return 1;
    const char *tmp = getenv("TMPDIR");
    StrBuf dir = {0};
    sb_printf(&dir, "%s/policygen-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir.data)) {
        fprintf(stderr, "bench: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    Result *r = xcalloc((size_t)nfiles, sizeof *r);
    int bad = 0;
    for (int i = 0; i < nfiles; i++) {
        bench_doc(&o, fs, dir.data, files[i], &r[i]);
        bad |= !r[i].ok;
    }
    print_results(&o, r, nfiles);
    rmdir(dir.data);
    sb_free(&dir);
    free(r);
    free(files);
    flatepool_free(o.pool);
    worker_free(o.worker);
    fontset_free(fs);
    return bad;
}
