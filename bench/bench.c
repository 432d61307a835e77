/* make bench: size and speed of policygen, per document.
 *
 *   build/bench/bench [options] content/Y/D.md...
 *
 * Size: the PDF beside its ideal, the sum over the embedded fonts of the
 * zlib (level 9) size of a HarfBuzz subset of the font to exactly the code
 * points the document draws in it (from the display list: OP_TEXT ops, by
 * font file as the renderer embeds them), with the flags subset.c uses.
 * Where the PDF's bytes go: fonts, font maps, page contents, the rest.
 *
 * Speed: the whole process (`policygen build`, fork/exec, min and median
 * of --runs, peak RSS of the child from wait4), and pipeline_run inside one
 * process with the fonts loaded once (min and median of --runs).
 *
 * Options: --fonts FILE (fonts/fonts.yaml), --layouts DIR (layouts),
 * --policygen BIN (bin/policygen), --runs N (20), --no-speed, --dump DIR (write
 * the ideal subsets there, named after the font files). */
#define _DEFAULT_SOURCE /* wait4 */
#include "diag.h"
#include "drawlist.h"
#include "fonts.h"
#include "pipeline.h"
#include "subset.h"
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
#include <time.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hb.h>
#include <zlib.h>

#define MAX_FONTS 16

typedef struct {
    const char *fonts, *layouts, *policygen, *dump;
    int runs, speed;
} Options;

/* ---- ideal size ---------------------------------------------------------- */

/* Bytes of the font at path subset to set, then deflated at level 9;
 * *raw gets the uncompressed subset size. -1 on failure. */
static long ideal_font_size(const char *path, hb_set_t *set, long *raw, const char *dump)
{
    /* The code points, as subset_plain takes them. */
    uint32_t *cps = xcalloc(hb_set_get_population(set) + 1, sizeof *cps);
    size_t n = 0;
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(set, &cp))
        cps[n++] = cp;
    Diag d;
    diag_init(&d);
    hb_face_t *sub = subset_plain(path, cps, n, &d, path);
    diag_free(&d);
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

/* Sum of ideal_font_size over the font files the display list draws in. */
static long ideal_size(const DrawDoc *draw, const FontSet *fs, int *nfonts, long *raw_total, const char *dump)
{
    FontCps per[MAX_FONTS];
    int n = 0;
    for (size_t p = 0; p < draw->npages; p++) {
        const DrawPage *pg = &draw->pages[p];
        for (size_t i = 0; i < pg->nops; i++) {
            const DrawOp *op = &pg->ops[i];
            if (op->kind != OP_TEXT || !op->text || !*op->text)
                continue;
            const char *path = fontset_path(fs, op->font);
            int k = 0;
            while (k < n && strcmp(per[k].path, path) != 0)
                k++;
            if (k == n) {
                if (n == MAX_FONTS)
                    continue;
                per[n].path = path;
                per[n].cps = hb_set_create();
                n++;
            }
            size_t len;
            uint32_t *cps = utf8_to_u32(op->text, &len);
            for (size_t j = 0; j < len; j++)
                hb_set_add(per[k].cps, cps[j]);
            free(cps);
        }
    }
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

/* One `policygen build md -o out`: wall seconds, peak RSS (KiB). */
static int run_process(const Options *o, const char *md, const char *out, double *secs, long *rss_kb)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        execl(o->policygen, o->policygen, "build", md, "-o", out, "--layouts", o->layouts, "--fonts",
              o->fonts, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *secs = now() - t0;
    *rss_kb = ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ---- per document ----------------------------------------------------------- */

typedef struct {
    const char *md;
    size_t pdf_len, pages;
    long ideal, ideal_raw;
    int nfonts;
    Breakdown b;
    double proc_min, proc_med, in_min, in_med;
    long rss_kb;
    int ok;
} Result;

static int run_once(const char *md, const PipelineOptions *po, PipelineResult *res)
{
    Diag d;
    diag_init(&d);
    int rc = pipeline_run_file(md, po, res, &d);
    if (rc != 0)
        diag_print(&d, stderr);
    diag_free(&d);
    return rc;
}

static void bench_doc(const Options *o, const FontSet *fs, const char *tmpdir, const char *md, Result *r)
{
    memset(r, 0, sizeof *r);
    r->md = md;
    PipelineOptions po = {.layouts_dir = o->layouts, .fonts = fs, .render = 1, .keep_draw = 1};
    PipelineResult res;
    if (run_once(r->md, &po, &res) != 0)
        return;
    r->pdf_len = res.pdf_len;
    r->pages = res.draw ? res.draw->npages : 0;
    r->ideal = res.draw ? ideal_size(res.draw, fs, &r->nfonts, &r->ideal_raw, o->dump) : -1;
    breakdown(res.pdf, res.pdf_len, &r->b);
    pipeline_result_free(&res);
    r->ok = r->ideal > 0;
    if (!o->speed)
        return;

    double *t = xmalloc((size_t)o->runs * sizeof *t);
    /* In one process, fonts loaded: the display list is not kept. */
    po.keep_draw = 0;
    for (int i = 0; i < o->runs; i++) {
        double t0 = now();
        int rc = run_once(r->md, &po, &res);
        t[i] = now() - t0;
        pipeline_result_free(&res);
        if (rc != 0)
            r->ok = 0;
    }
    r->in_med = median(t, o->runs);
    r->in_min = t[0];

    StrBuf out = {0};
    sb_printf(&out, "%s/out.pdf", tmpdir);
    for (int i = 0; i < o->runs; i++) {
        long rss = 0;
        if (run_process(o, r->md, out.data, &t[i], &rss) != 0) {
            fprintf(stderr, "bench: %s %s failed\n", o->policygen, r->md);
            r->ok = 0;
        }
        if (rss > r->rss_kb)
            r->rss_kb = rss;
    }
    r->proc_med = median(t, o->runs);
    r->proc_min = t[0];
    unlink(out.data);
    sb_free(&out);
    free(t);
}

static void print_results(const Options *o, const Result *r, int n)
{
    printf("\nSize: PDF vs ideal (sum over fonts of zlib -9 of an hb-subset to the code points drawn)\n\n");
    printf("%-32s %5s %9s %9s %6s  %s\n", "document", "pages", "PDF", "ideal", "ratio", "target <= 1.25");
    for (int i = 0; i < n; i++) {
        if (!r[i].ideal)
            continue;
        double ratio = (double)r[i].pdf_len / (double)r[i].ideal;
        printf("%-32s %5zu %9zu %9ld %6.3f  %s\n", r[i].md, r[i].pages, r[i].pdf_len, r[i].ideal, ratio,
               ratio <= 1.25 ? "ok" : "ABOVE");
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
    printf("\nSpeed (%d runs each; milliseconds)\n\n", o->runs);
    printf("%-32s %10s %10s %10s %10s %9s\n", "document", "proc min", "proc med", "inproc min", "inproc med",
           "peak RSS");
    for (int i = 0; i < n; i++)
        if (r[i].ideal)
            printf("%-32s %10.1f %10.1f %10.1f %10.1f %6.1f MB  %s\n", r[i].md, r[i].proc_min * 1e3,
                   r[i].proc_med * 1e3, r[i].in_min * 1e3, r[i].in_med * 1e3, r[i].rss_kb / 1024.0,
                   r[i].proc_med < 0.050 ? "ok (< 50 ms)" : "ABOVE 50 ms");
}

int main(int argc, char **argv)
{
    Options o = {"fonts/fonts.yaml", "layouts", "bin/policygen", NULL, 20, 1};
    const char **files = xcalloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fonts") == 0 && i + 1 < argc)
            o.fonts = argv[++i];
        else if (strcmp(argv[i], "--layouts") == 0 && i + 1 < argc)
            o.layouts = argv[++i];
        else if (strcmp(argv[i], "--policygen") == 0 && i + 1 < argc)
            o.policygen = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            o.runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            o.dump = argv[++i];
        else if (strcmp(argv[i], "--no-speed") == 0)
            o.speed = 0;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench [--fonts F] [--layouts D] [--policygen BIN] [--runs N] "
                            "[--no-speed] [--dump DIR] FILE.md...\n");
            return 2;
        } else
            files[nfiles++] = argv[i];
    }
    if (o.runs < 1 || nfiles == 0) {
        fprintf(stderr, "bench: nothing to do\n");
        return 2;
    }
    Diag d;
    diag_init(&d);
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
    fontset_free(fs);
    return bad;
}
