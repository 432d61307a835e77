/* policygen: 運営方針 (operating policy) Markdown -> official PDF form.
 * The command line only; the stages live in pipeline.c and below. */
#include "book.h"
#include "diag.h"
#include "fonts.h"
#include "fontsjob.h"
#include "git.h"
#include "output.h"
#include "pipeline.h"
#include "render.h"
#include "review.h"
#include "util.h"
#include "version.h"
#include "watch.h"
#include "worker.h"

#include <limits.h>
#include <signal.h>
/* libunibreak's (generator/linebreak.h is ours; -iquote keeps them apart). */
#include <linebreak.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>


enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 }; /* and EXIT_OUT_OF_MEMORY (util.h) */

static const char USAGE[] =
    "使い方（日本語）:\n"
    "  policygen build 原稿.md -o 出力.pdf    原稿から PDF を作る（誤りがあれば前の PDF を残す）\n"
    "  policygen build 原稿.md... [-o フォルダ] 複数の原稿をまとめて PDF に（フォントと様式の読み込みは 1 回）\n"
    "  policygen check 原稿.md...             確認だけする（何も書かない）\n"
    "  policygen watch 原稿.md|フォルダ       保存するたびに PDF を作り直す\n"
    "  policygen diff 旧.md 新.md [-o 確認用.pdf]\n"
    "                                         変わった欄を一覧にする（-o で赤枠つきの PDF）\n"
    "  policygen diff 原稿.md --rev HEAD~1    git の版と比べる\n"
    "  policygen next 原稿.md -o 来年度.md    来年度の原稿を作り始める（--force で上書き）\n"
    "  policygen book 原稿.md... -o 冊子.pdf  1 年度の全部局を 1 冊にまとめる\n"
    "  policygen help コマンド                 コマンドごとの短い説明（policygen build --help も同じ）\n"
    "  誤りは「ファイル:行:列: error: 内容」の形ですべて表示します。\n"
    "  終了コード: 0 成功、1 原稿の誤り、2 コマンドの使い方の誤り、3 メモリ不足。\n"
    "  入力の大きさなどの上限は docs/limits.md にあります。\n"
    "\n"
    "usage: policygen build INPUT.md -o OUTPUT.pdf [options]\n"
    "       policygen build INPUT.md... [-o FOLDER] [--depdir FOLDER] [options]\n"
    "       policygen check INPUT.md... [options]\n"
    "       policygen next INPUT.md [-o NEXT.md] [--force]\n"
    "       policygen watch INPUT.md|FOLDER [-o OUTPUT.pdf]\n"
    "       policygen diff OLD.md NEW.md [-o REVIEW.pdf]\n"
    "       policygen diff FILE.md --rev GIT-REVISION [-o REVIEW.pdf]\n"
    "       policygen book INPUT.md... -o BOOK.pdf\n"
    "\n"
    "  build   render one policy document into its official PDF form.\n"
    "          The PDF is written to a temporary file and renamed into place\n"
    "          only when complete: on any error the previous PDF stays as it was.\n"
    "          Several documents in one run share the fonts and layouts loaded\n"
    "          once; each is written (or kept) on its own, the others go on\n"
    "          after an error. -o then names a folder: content/Y/D.md ->\n"
    "          FOLDER/Y/D.pdf (other files: FOLDER/D.pdf); without -o, out/Y/D.pdf.\n"
    "  check   validate documents (front matter, sections, fields, fit of every\n"
    "          cell, glyphs) without writing anything.\n"
    "  next    start next year's document from this year's: the fiscal year\n"
    "          moves on, the evaluation fields are emptied, goals and targets\n"
    "          stay to be edited, the layout becomes the current one. Written\n"
    "          to NEXT.md (never over an existing file without --force), or\n"
    "          to standard output.\n"
    "  watch   re-render on every save (fonts loaded once); a bad save prints\n"
    "          its errors and keeps the last good PDF. content/Y/D.md goes to\n"
    "          out/Y/D.pdf. A change of a layout re-renders everything.\n"
    "  diff    list the cells of the form whose text changed between two\n"
    "          versions (two files, or a file and a git revision of it), in\n"
    "          the form's words; -o writes the new version as a review PDF\n"
    "          with the changed cells framed in red.\n"
    "  book    bind the documents of one fiscal year into one PDF: cover,\n"
    "          contents with page numbers, page numbers on every page, an\n"
    "          outline entry per document and per goal (layouts/book/yearly.yaml).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   the PDF to write (default: content/Y/D.md -> out/Y/D.pdf,\n"
    "                      other files: beside the input, .md -> .pdf)\n"
    "  --layouts DIR       folder of layout files (default: layouts/ beside bin/)\n"
    "  --fonts FILE        font manifest (default: fonts/fonts.yaml beside bin/)\n"
    "  --final             (build, check) refuse a draft (status: draft, written by\n"
    "                      next): what make publish uses\n"
    "  --depfile FILE      (build) also write a make dependency file: the PDF\n"
    "                      depends on the input, its layout, the font manifest\n"
    "                      and the font files, as cc -MD does for objects\n"
    "  --depdir FOLDER     (build) a dependency file per document: content/Y/D.md\n"
    "                      -> FOLDER/Y/D.d (other files: FOLDER/D.d)\n"
    "  --outdir FOLDER     (build) the PDFs' folder, however many documents:\n"
    "                      content/Y/D.md -> FOLDER/Y/D.pdf (what -o means for several)\n"
    "  -h, --help          show this help\n"
    "  --version           show the version\n"
    "\n"
    "Errors are printed as FILE:LINE:COL: error: MESSAGE, all of them.\n"
    "Exit status: 0 success, 1 bad input, 2 bad usage, 3 out of memory.\n"
    "Limits on every input (sizes, nesting, counts) are listed in docs/limits.md.\n";

/* Each command's own short help: `policygen help build`, `policygen build --help`. */
static const struct {
    const char *name, *text;
} COMMAND_HELP[] = {
    {"build", "使い方: policygen build 原稿.md... [-o 出力.pdf|フォルダ] [--depfile 依存.d|--depdir フォルダ]\n"
              "  原稿から公式様式の PDF を作ります。-o がなければ content/Y/D.md -> out/Y/D.pdf。\n"
              "  誤りがあれば何も書かず、前の PDF をそのまま残します（終了コード 1）。\n"
              "  複数の原稿は 1 回で作ります（-o はフォルダ: フォルダ/Y/D.pdf、--depdir: フォルダ/Y/D.d）。\n"
              "usage: policygen build INPUT.md [-o OUTPUT.pdf] [--depfile FILE] [--layouts DIR] [--fonts FILE]\n"
              "       policygen build INPUT.md... [-o FOLDER|--outdir FOLDER] [--depdir FOLDER] [--layouts DIR] [--fonts FILE]\n"},
    {"check", "使い方: policygen check 原稿.md...\n"
              "  原稿を確かめ、すべての誤りと注意を「ファイル:行:列: error: 内容」で表示します。何も書きません。\n"
              "  全部の原稿をまとめて確かめるには make check。\n"
              "usage: policygen check INPUT.md... [--layouts DIR] [--fonts FILE]\n"},
    {"next", "使い方: policygen next 原稿.md [-o 来年度.md] [--force]\n"
             "  来年度の原稿を作り始めます（年度を進め、評価の欄を空にします）。-o がなければ画面に出します。\n"
             "usage: policygen next INPUT.md [-o NEXT.md] [--force]\n"},
    {"watch", "使い方: policygen watch 原稿.md|フォルダ [-o 出力.pdf]\n"
              "  保存するたびに PDF を作り直します。誤りのある保存では前の PDF を残します。Ctrl-C で終了。\n"
              "usage: policygen watch INPUT.md|FOLDER [-o OUTPUT.pdf]\n"},
    {"diff", "使い方: policygen diff 旧.md 新.md [-o 確認用.pdf]   /   policygen diff 原稿.md --rev HEAD~1\n"
             "  変わった欄を様式の言葉で一覧にします。-o で変わった欄を赤枠で囲んだ PDF を作ります。\n"
             "usage: policygen diff OLD.md NEW.md [-o REVIEW.pdf] | policygen diff FILE.md --rev REV [-o REVIEW.pdf]\n"},
    {"book", "使い方: policygen book 原稿.md... -o 冊子.pdf\n"
             "  1 年度の全部局を表紙・目次つきの 1 冊にまとめます（make book YEAR=2024）。\n"
             "usage: policygen book INPUT.md... -o BOOK.pdf\n"},
};

/* The help of command cmd, or NULL. */
static const char *command_help(const char *cmd)
{
    for (size_t i = 0; cmd && i < sizeof COMMAND_HELP / sizeof COMMAND_HELP[0]; i++)
        if (strcmp(COMMAND_HELP[i].name, cmd) == 0)
            return COMMAND_HELP[i].text;
    return NULL;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("policygen: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n使い方は 'policygen --help' で表示します。\n", stderr);
    return EXIT_USAGE;
}

/* The project folder: the parent of the folder holding this binary. */
static char *project_path(const char *rel)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    StrBuf sb = {0};
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        sb_printf(&sb, "%s/../%s", exe, rel);
    } else {
        sb_puts(&sb, rel);
    }
    return sb_take(&sb);
}

/* A path in a make rule: spaces and # escaped. */
static void put_make_path(StrBuf *sb, const char *p)
{
    sb_putc(sb, ' ');
    for (; *p; p++) {
        if (*p == ' ' || *p == '#')
            sb_putc(sb, '\\');
        if (*p == '$')
            sb_putc(sb, '$');
        sb_putc(sb, *p);
    }
}

/* "OUT.pdf: IN.md layout.yaml fonts.yaml font files profiles", plus an empty rule
 * per prerequisite (as cc -MP) so that a removed layout never stops make. */
static int stage_depfile(OutputTxn *t, const char *depfile, const char *out, const char *input,
                         const PipelineResult *res, const char *manifest, const FontSet *fonts, const ReadSet *reads,
                         Diag *d)
{
    size_t nprofiles;
    const OutputProfile *profiles = fontset_output_profiles(fonts, &nprofiles);
    const char **deps = xcalloc((size_t)fontset_count(fonts) + nprofiles + 3, sizeof *deps);
    size_t n = 0;
    deps[n++] = input;
    if (res->layout_path)
        deps[n++] = res->layout_path;
    deps[n++] = manifest;
    for (int f = 0; f < fontset_count(fonts); f++) {
        int seen = 0; /* a file behind two roles (IPAmj明朝) once */
        for (int g = 0; g < f && !seen; g++)
            seen = strcmp(fontset_path(fonts, g), fontset_path(fonts, f)) == 0;
        if (!seen)
            deps[n++] = fontset_path(fonts, f);
    }
    for (size_t i = 0; i < nprofiles; i++)
        deps[n++] = profiles[i].path;
    StrBuf sb = {0};
    put_make_path(&sb, out);
    sb_puts(&sb, ":");
    for (size_t i = 0; i < n; i++)
        put_make_path(&sb, deps[i]);
    sb_putc(&sb, '\n');
    for (size_t i = 1; i < n; i++) {
        put_make_path(&sb, deps[i]);
        sb_puts(&sb, ":\n");
    }
    free(deps);
    output_make_dirs(depfile);
    int r = output_stage(t, depfile, (const unsigned char *)sb.data + 1, sb.len - 1, reads, d);
    sb_free(&sb);
    return r;
}

/* A document's file under folder dir: content/Y/D.md -> DIR/Y/D + ext,
 * any other input DIR/D + ext (the layout of out/ and build/deps/). */
static char *path_under(const char *dir, const char *input, const char *ext)
{
    const char *p = strncmp(input, "./", 2) == 0 ? input + 2 : input;
    if (strncmp(p, "content/", 8) == 0)
        p += 8;
    else if (strrchr(p, '/'))
        p = strrchr(p, '/') + 1;
    size_t n = strlen(p);
    if (n > 3 && strcmp(p + n - 3, ".md") == 0)
        n -= 3;
    StrBuf sb = {0};
    sb_printf(&sb, "%s/%.*s%s", dir, (int)n, p, ext);
    return sb_take(&sb);
}

/* Where a PDF went, said when the writer did not name it (no -o). */
static void say_built(const char *out)
{
    if (out)
        fprintf(stderr, "policygen: %s を作りました\n", out);
}

/* Build each input into its PDF (and depfile): one transaction per
 * document, so its PDF and depfile replace the old ones together, and an
 * error in one leaves the others to be built. outs[i] and deps[i] (NULL:
 * none) are where input i goes; quiet: the user named the output. The last
 * document's files are left going into place on w, in *last (started, or
 * empty): the caller frees what the run shared meanwhile, then finishes it
 * (output_commit_finish, then say_built). */
static int run_build(const char *const *inputs, size_t n, char **outs, char **deps, int quiet,
                     const PipelineOptions *opts, Worker *w, OutputTxn *last, const char **last_out, Diag *d)
{
    int rc = EXIT_OK;
    *last_out = NULL;
    for (size_t i = 0; i < n; i++) {
        PipelineResult res;
        if (pipeline_run_file(inputs[i], opts, &res, d) != 0) {
            rc = EXIT_BAD_INPUT;
            pipeline_result_free(&res);
            continue;
        }
        ReadSet reads = {0};
        pipeline_reads(opts, inputs[i], &reads);
        OutputTxn txn = {0};
        output_make_dirs(outs[i]); /* out/<year>/ the first time */
        if (output_stage(&txn, outs[i], res.pdf, res.pdf_len, &reads, d) != 0 ||
            (deps[i] && stage_depfile(&txn, deps[i], outs[i], inputs[i], &res, opts->manifest, pipeline_fonts(opts, NULL), &reads,
                                      d) != 0)) {
            output_abort(&txn);
            rc = EXIT_BAD_INPUT;
        } else if (i + 1 == n) {
            *last = txn; /* moved: the caller finishes it */
            output_commit_start(last, w);
            *last_out = quiet ? NULL : outs[i];
        } else if (output_commit(&txn, d) != 0) {
            rc = EXIT_BAD_INPUT;
        } else {
            say_built(quiet ? NULL : outs[i]);
        }
        readset_free(&reads);
        pipeline_result_free(&res);
    }
    return rc;
}

static int run_next(const char *input, const char *output, int force, const PipelineOptions *opts, Diag *d)
{
    char *md = NULL;
    int year = 0;
    if (pipeline_next_year(input, opts, &md, &year, d) != 0)
        return EXIT_BAD_INPUT;
    int rc = EXIT_OK;
    if (!output) {
        fputs(md, stdout);
    } else if (!force && access(output, F_OK) == 0) {
        diag_error(d, output, 0, 0, "すでにあるので上書きしません（置き換えるには --force を付けてください）");
        rc = EXIT_BAD_INPUT;
    } else {
        ReadSet reads = {0};
        pipeline_reads(opts, input, &reads);
        output_make_dirs(output); /* content/<new year>/ the first time */
        if (output_write_atomic(output, (const unsigned char *)md, strlen(md), &reads, d) != 0)
            rc = EXIT_BAD_INPUT;
        else
            fprintf(stderr, "policygen: %s を書きました（%d 年度）\n", output, year);
        readset_free(&reads);
    }
    free(md);
    return rc;
}

static int run_diff(const char *a, const char *b, const char *rev, const char *output, const PipelineOptions *base,
                    Diag *d)
{
    PipelineOptions opts = *base;
    opts.render = 0;
    opts.keep_draw = 1;
    PipelineResult older = {0}, newer = {0};
    int ok;
    if (rev) {
        size_t len = 0;
        char *bytes = git_show(rev, a, &len, d);
        StrBuf label = {0};
        sb_printf(&label, "%s@%s", a, rev);
        ok = bytes && pipeline_run(label.data, bytes, len, &opts, &older, d) == 0;
        free(bytes);
        sb_free(&label);
        ok &= pipeline_run_file(a, &opts, &newer, d) == 0;
    } else {
        ok = pipeline_run_file(a, &opts, &older, d) == 0;
        ok &= pipeline_run_file(b, &opts, &newer, d) == 0;
    }
    int rc = ok ? EXIT_OK : EXIT_BAD_INPUT;
    if (ok) {
        CellChange *changes;
        size_t n = review_cells(older.draw, newer.draw, &changes);
        static const char *const kind[] = {"変更", "追加", "削除"};
        for (size_t i = 0; i < n; i++)
            printf("%s  %s\n", kind[changes[i].kind], changes[i].key);
        printf("変わった欄: %zu 件\n", n);
        free(changes);
        unsigned char *pdf = NULL;
        size_t len = 0;
        ReadSet reads = {0};
        pipeline_reads(&opts, a, &reads);
        if (b)
            readset_add(&reads, b);
        if (output && (render_pdf(newer.draw, pipeline_fonts(&opts, d), opts.flate, rev ? a : b, &pdf, &len, d) != 0 ||
                       output_write_atomic(output, pdf, len, &reads, d) != 0))
            rc = EXIT_BAD_INPUT;
        readset_free(&reads);
        free(pdf);
    }
    pipeline_result_free(&older);
    pipeline_result_free(&newer);
    return rc;
}

int main(int argc, char **argv)
{
    /* Past a file size limit (ulimit -f) a write fails (EFBIG) and is
     * reported, the temporary file removed, instead of the process being
     * killed with it left behind. */
    struct sigaction ignore = {.sa_handler = SIG_IGN};
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGXFSZ, &ignore, NULL);
    const char *cmd = NULL, *output = NULL, *layouts = NULL, *fonts_path = NULL, *depfile = NULL, *rev = NULL;
    const char *depdir = NULL, *outdir = NULL;
    const char **inputs = xcalloc((size_t)argc, sizeof *inputs);
    size_t ninputs = 0;
    int force = 0, final = 0;
    int rc = EXIT_OK;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            /* After a command, that command's help; else everything. */
            fputs(command_help(cmd) ? command_help(cmd) : USAGE, stdout);
            free(inputs);
            return EXIT_OK;
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (strcmp(a, "--final") == 0) {
            final = 1;
        } else if (strcmp(a, "--version") == 0) {
            puts("policygen " POLICYGEN_VERSION);
            free(inputs);
            return EXIT_OK;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--layouts") == 0 ||
                   strcmp(a, "--fonts") == 0 || strcmp(a, "--depfile") == 0 || strcmp(a, "--rev") == 0 ||
                   strcmp(a, "--depdir") == 0 || strcmp(a, "--outdir") == 0) {
            if (i + 1 >= argc) {
                free(inputs);
                return usage_error("%s には値が必要です", a);
            }
            const char *v = argv[++i];
            if (!*v) {
                free(inputs);
                return usage_error("%s に空の値は使えません", a);
            }
            const char *had = a[1] == 'o' || strcmp(a, "--output") == 0 ? output
                              : strcmp(a, "--layouts") == 0         ? layouts
                              : strcmp(a, "--depfile") == 0         ? depfile
                              : strcmp(a, "--depdir") == 0          ? depdir
                              : strcmp(a, "--outdir") == 0          ? outdir
                              : strcmp(a, "--rev") == 0             ? rev
                                                                    : fonts_path;
            if (had) {
                free(inputs);
                return usage_error("%s が 2 回指定されています", a);
            }
            if (a[1] == 'o' || strcmp(a, "--output") == 0)
                output = v;
            else if (strcmp(a, "--layouts") == 0)
                layouts = v;
            else if (strcmp(a, "--depfile") == 0)
                depfile = v;
            else if (strcmp(a, "--depdir") == 0)
                depdir = v;
            else if (strcmp(a, "--outdir") == 0)
                outdir = v;
            else if (strcmp(a, "--rev") == 0)
                rev = v;
            else
                fonts_path = v;
        } else if (a[0] == '-' && a[1]) {
            free(inputs);
            return usage_error("知らないオプションです: %s", a);
        } else if (!cmd) {
            cmd = a;
        } else {
            inputs[ninputs++] = a;
        }
    }
    if (!cmd) {
        fputs(USAGE, stderr);
        free(inputs);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "help") == 0) { /* policygen help [COMMAND] */
        const char *h = ninputs ? command_help(inputs[0]) : USAGE;
        if (!h) {
            int rc = usage_error("知らないコマンドです: '%s'（build, check, next, watch, diff, book のいずれか）", inputs[0]);
            free(inputs);
            return rc;
        }
        fputs(h, stdout);
        free(inputs);
        return EXIT_OK;
    }
    int build = strcmp(cmd, "build") == 0, next = strcmp(cmd, "next") == 0, watch = strcmp(cmd, "watch") == 0;
    int diff = strcmp(cmd, "diff") == 0, book = strcmp(cmd, "book") == 0, check = strcmp(cmd, "check") == 0;
    if (!build && !next && !watch && !diff && !book && !check) {
        free(inputs);
        return usage_error("知らないコマンドです: '%s'（build, check, next, watch, diff, book のいずれか）", cmd);
    }
    if (book && (!output || ninputs == 0)) {
        free(inputs);
        return usage_error("%s", "book には INPUT.md... と -o BOOK.pdf を指定します");
    }
    if (diff != 0 && (rev ? ninputs != 1 : ninputs != 2)) {
        free(inputs);
        return usage_error("%s", "diff には OLD.md NEW.md か、FILE.md --rev REVISION を指定します");
    }
    if (rev && !diff) {
        free(inputs);
        return usage_error("%s", "--rev は diff で使います");
    }
    if (!diff && (ninputs == 0 || ((next || watch) && ninputs != 1))) {
        free(inputs);
        return usage_error("%s", build  ? "build には INPUT.md を 1 つ以上指定します"
                                 : next ? "next には INPUT.md をちょうど 1 つ指定します"
                                 : watch ? "watch には INPUT.md を 1 つか、フォルダを 1 つ指定します"
                                        : "check には INPUT.md を 1 つ以上指定します");
    }
    if ((!build && (depfile || depdir || outdir)) || (!build && !next && !watch && !diff && !book && output)) {
        free(inputs);
        return usage_error("%s", "check は何も書きません。-o と --depfile, --depdir, --outdir は build で使います（-o は next でも使えます）");
    }
    if (outdir && output) {
        free(inputs);
        return usage_error("%s", "-o と --outdir はどちらか一方を指定します");
    }
    if (build && ninputs > 1 && output && strlen(output) >= 4 && strcasecmp(output + strlen(output) - 4, ".pdf") == 0) {
        free(inputs);
        return usage_error("-o %s は PDF の名前ですが、原稿が %zu つあります。複数の原稿には出力先のフォルダを -o か --outdir で指定します",
                           output, ninputs);
    }
    if (ninputs > 1)
        outdir = outdir ? outdir : output; /* several inputs: -o names a folder */
    if (depfile && (depdir || ninputs > 1)) {
        free(inputs);
        return usage_error("%s", "--depfile は原稿 1 つのときに使います。複数の原稿には --depdir FOLDER を使います");
    }
    /* Where each document goes: -o names the PDF for one input, a folder
     * for several. */
    char **outs = NULL, **deps = NULL;
    if (build) {
        outs = xcalloc(ninputs, sizeof *outs);
        deps = xcalloc(ninputs, sizeof *deps);
        for (size_t i = 0; i < ninputs; i++) {
            outs[i] = outdir ? path_under(outdir, inputs[i], ".pdf") : output ? xstrdup(output) : watch_output_for(inputs[i]);
            deps[i] = depfile ? xstrdup(depfile) : depdir ? path_under(depdir, inputs[i], ".d") : NULL;
        }
        for (size_t i = 0; i < ninputs; i++)
            for (size_t j = 0; j < i; j++)
                if (strcmp(outs[i], outs[j]) == 0 || (depdir && strcmp(deps[i], deps[j]) == 0)) {
                    int same_pdf = strcmp(outs[i], outs[j]) == 0;
                    rc = usage_error("%s と %s の%sが同じ %s になります（同じ名前の原稿は別々に作ってください）", inputs[j],
                                     inputs[i], same_pdf ? "出力先" : "依存ファイル", same_pdf ? outs[i] : deps[i]);
                    strs_free(outs, ninputs);
                    strs_free(deps, ninputs);
                    free(inputs);
                    return rc;
                }
    }

    /* libunibreak's lookup index, built once per process: without it each
     * character's class is a linear search of its table (11 % of a build).
     * It writes only that index, and gives the same classes. */
    init_linebreak();
    char *layouts_dir = layouts ? xstrdup(layouts) : project_path("layouts");
    char *manifest = fonts_path ? xstrdup(fonts_path) : project_path("fonts/fonts.yaml");
    /* The worker thread (worker.h) loads the fonts while the first
     * document is read and bound (build, check, book and diff wait for them
     * when they typeset it, so a broken manifest hides no error of the
     * documents; next and watch at once), then compresses. */
    Worker *worker = worker_new(1);
    FontsJob *fonts_job = fontsjob_start(worker, manifest);
    FlatePool *flate = flatepool_new(worker);
    Diag d;
    diag_init(&d);
    OutputTxn last = {0}; /* the last PDF of a build, going into place */
    const char *last_out = NULL;
    int overlap = build || check || book || diff;
    const FontSet *fonts = overlap ? NULL : fontsjob_get(fonts_job, &d);
    LayoutCache *cache = layoutcache_new(); /* every document of this run shares its layouts */
    if (!overlap && !fonts) {
        rc = EXIT_BAD_INPUT;
    } else {
        PipelineOptions opts = {.layouts_dir = layouts_dir, .fonts = fonts, .fonts_job = overlap ? fonts_job : NULL,
                                .manifest = manifest,
                                .render = build || watch, .final = final, .layout_cache = cache, .flate = flate};
        if (next)
            rc = run_next(inputs[0], output, force, &opts, &d);
        if (diff)
            rc = run_diff(inputs[0], rev ? NULL : inputs[1], rev, output, &opts, &d);
        if (watch) {
            const char *max = getenv("POLICYGEN_WATCH_MAX_BUILDS"); /* for tests */
            rc = watch_run(inputs[0], output, &opts, max ? atoi(max) : 0);
        }
        if (book) {
            StrBuf bl = {0};
            sb_printf(&bl, "%s/book/yearly.yaml", layouts_dir);
            unsigned char *pdf = NULL;
            size_t len = 0;
            ReadSet reads = {0};
            for (size_t i = 0; i < ninputs; i++)
                pipeline_reads(&opts, inputs[i], &reads);
            output_make_dirs(output);
            if (book_build(inputs, ninputs, bl.data, &opts, &pdf, &len, &d) != 0 ||
                output_write_atomic(output, pdf, len, &reads, &d) != 0)
                rc = EXIT_BAD_INPUT;
            readset_free(&reads);
            free(pdf);
            sb_free(&bl);
        }
        if (build)
            rc = run_build(inputs, ninputs, outs, deps, output || outdir, &opts, worker, &last, &last_out, &d);
        for (size_t i = 0; i < ninputs && check; i++) {
            PipelineResult res;
            if (pipeline_run_file(inputs[i], &opts, &res, &d) != 0)
                rc = EXIT_BAD_INPUT;
            pipeline_result_free(&res);
        }
        /* The fonts' own errors, when no document got as far as asking. */
        if (overlap && !pipeline_fonts(&opts, &d))
            rc = EXIT_BAD_INPUT;
    }
    /* What the run shared, freed while the last PDF goes into place on the
     * worker (run_build). */
    layoutcache_free(cache);
    fontsjob_free(fonts_job);
    if (output_commit_finish(&last, &d) != 0)
        rc = EXIT_BAD_INPUT;
    else
        say_built(last_out);
    if (outs) {
        strs_free(outs, ninputs);
        strs_free(deps, ninputs);
    }
    diag_print(&d, stderr);
    if (d.errors)
        fprintf(stderr, "policygen: エラー %zu 件\n", d.distinct_errors);
    diag_free(&d);
    flatepool_free(flate);
    worker_free(worker);
    free(layouts_dir);
    free(manifest);
    free(inputs);
    return rc;
}
