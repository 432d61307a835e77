#include "watch.h"
#include "output.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *watch_output_for(const char *input)
{
    StrBuf sb = {0};
    size_t n = strlen(input);
    const char *p = input;
    if (strncmp(p, "./", 2) == 0)
        p += 2;
    size_t base = n > 3 && strcmp(input + n - 3, ".md") == 0 ? n - 3 : n;
    if (strncmp(p, "content/", 8) == 0)
        sb_printf(&sb, "out/%.*s.pdf", (int)(base - (size_t)(p + 8 - input)), p + 8);
    else
        sb_printf(&sb, "%.*s.pdf", (int)base, input);
    return sb_take(&sb);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void stamp(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, size, "%H:%M:%S", &tm);
}

/* Render one file and say what happened. */
static void render_one(const char *input, const char *output, const PipelineOptions *opts)
{
    Diag d;
    diag_init(&d);
    double t0 = now_ms();
    PipelineResult res;
    char *out = output ? xstrdup(output) : watch_output_for(input);
    char ts[16];
    stamp(ts, sizeof ts);
    if (pipeline_run_file(input, opts, &res, &d) == 0) {
        ReadSet reads = {0};
        pipeline_reads(opts, input, &reads);
        output_make_dirs(out);
        int written = output_write_atomic(out, res.pdf, res.pdf_len, &reads, &d) == 0;
        readset_free(&reads);
        if (written)
            fprintf(stderr, "[%s] %s -> %s を作りました（%.0f ms）\n", ts, input, out, now_ms() - t0);
    }
    diag_print(&d, stderr);
    if (d.errors)
        fprintf(stderr, "[%s] %s: エラー %zu 件。%s は前回の正しい版のままです\n", ts, input, d.distinct_errors, out);
    pipeline_result_free(&res);
    diag_free(&d);
    free(out);
}

static int is_md(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".md") == 0 && name[0] != '.';
}

/* The folders watched: the file's folder, or the folder and its
 * subfolders one level down (content/ holds content/<year>/). */
typedef struct {
    char *path;
    int wd;
} Folder;

typedef struct {
    Folder *f;
    size_t n, cap;
} Folders;

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM)

static void add_folder(Folders *f, int fd, const char *path)
{
    int wd = inotify_add_watch(fd, path, WATCH_MASK);
    if (wd < 0) {
        fprintf(stderr, "%s: warning: 監視できません: %s\n", path, strerror(errno));
        return;
    }
    for (size_t i = 0; i < f->n; i++)
        if (f->f[i].wd == wd)
            return; /* watched already */
    GROW(f->f, f->cap, f->n + 1);
    f->f[f->n].path = xstrdup(path);
    f->f[f->n++].wd = wd;
}

static const char *folder_of(const Folders *f, int wd)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->f[i].wd == wd)
            return f->f[i].path;
    return NULL;
}

static void folders_free(Folders *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->f[i].path);
    free(f->f);
}

/* Render every .md file of the watched folders. Returns how many. */
static int render_folders(const Folders *f, const PipelineOptions *opts)
{
    int n = 0;
    for (size_t i = 0; i < f->n; i++) {
        DIR *dp = opendir(f->f[i].path);
        struct dirent *e;
        while (dp && (e = readdir(dp))) {
            if (!is_md(e->d_name))
                continue;
            StrBuf sb = {0};
            sb_printf(&sb, "%s/%s", f->f[i].path, e->d_name);
            render_one(sb.data, NULL, opts);
            sb_free(&sb);
            n++;
        }
        if (dp)
            closedir(dp);
    }
    return n;
}

/* A document deleted (or moved away) while watched: its PDF stays; say so,
 * unless it came back in the same burst (an editor's save by rename). */
static void say_gone(const char *input, const char *output)
{
    if (access(input, F_OK) == 0)
        return;
    char *out = output ? xstrdup(output) : watch_output_for(input);
    char ts[16];
    stamp(ts, sizeof ts);
    fprintf(stderr, "[%s] %s は消されました。%s はそのまま残っています（要らなければ消してください）\n", ts, input, out);
    free(out);
}

/* What one burst of events changed. */
typedef struct {
    char **files;          /* Markdown files saved (folder/name), each once */
    size_t n, cap;
    char **gone;           /* Markdown files deleted or moved away */
    size_t ngone, gcap;
    int layouts;           /* a layout changed: render everything */
    int everything;        /* events were lost (queue overflow): render everything */
} Changes;

/* Add dir/name to a list of paths, once. */
static void path_add(char ***list, size_t *n, size_t *cap, const char *dir, const char *name)
{
    StrBuf sb = {0};
    sb_printf(&sb, "%s/%s", dir, name);
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], sb.data) == 0) {
            sb_free(&sb);
            return;
        }
    GROW(*list, *cap, *n + 1);
    (*list)[(*n)++] = sb_take(&sb);
}

static void changes_add(Changes *c, const char *dir, const char *name)
{
    path_add(&c->files, &c->n, &c->cap, dir, name);
}

static void changes_free(Changes *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->files[i]);
    free(c->files);
    for (size_t i = 0; i < c->ngone; i++)
        free(c->gone[i]);
    free(c->gone);
    memset(c, 0, sizeof *c);
}

static int is_yaml(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".yaml") == 0 && name[0] != '.';
}

/* Read one burst of events (a save is often write + rename + touch): wait
 * for the first, then take what follows within 60 ms. A folder created in
 * a watched folder (content/2025/ made by `next`) is watched from then on.
 * Returns -1 when the watch is gone. */
static int next_changes(int fd, Folders *docs, int nested, int wd_layout, Changes *c)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    struct pollfd pfd = {fd, POLLIN, 0};
    int timeout = -1;
    while (poll(&pfd, 1, timeout) > 0) {
        ssize_t len = read(fd, buf, sizeof buf);
        if (len <= 0)
            return -1;
        for (char *p = buf; p < buf + len;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            const char *in = folder_of(docs, ev->wd);
            if (ev->mask & IN_Q_OVERFLOW)
                c->everything = 1;
            else if (ev->len && in && (ev->mask & IN_ISDIR) && nested && ev->name[0] != '.') {
                StrBuf sub = {0};
                sb_printf(&sub, "%s/%s", in, ev->name);
                add_folder(docs, fd, sub.data);
                sb_free(&sub);
                c->everything = 1; /* files may have arrived before the watch */
            } else if (ev->len && in && is_md(ev->name) && (ev->mask & (IN_DELETE | IN_MOVED_FROM)))
                path_add(&c->gone, &c->ngone, &c->gcap, in, ev->name);
            else if (ev->len && in && is_md(ev->name) && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)))
                changes_add(c, in, ev->name);
            else if (ev->len && ev->wd == wd_layout && is_yaml(ev->name))
                c->layouts = 1;
            p += sizeof *ev + ev->len;
        }
        timeout = 60;
    }
    return 0;
}

static int watch_target(const char *target, const char *output, const PipelineOptions *opts, int max_builds);

int watch_run(const char *target, const char *output, const PipelineOptions *opts, int max_builds)
{
    /* "content/2024/" and "content/2024" alike: no "content/2024//x.md". */
    char *t = xstrdup(target);
    for (size_t n = strlen(t); n > 1 && t[n - 1] == '/'; n--)
        t[n - 1] = '\0';
    int rc = watch_target(t, output, opts, max_builds);
    free(t);
    return rc;
}

static int watch_target(const char *target, const char *output, const PipelineOptions *opts, int max_builds)
{
    struct stat st;
    if (stat(target, &st) != 0) {
        fprintf(stderr, "%s: error: 監視できません: %s\n", target, strerror(errno));
        return 1;
    }
    int is_dir = S_ISDIR(st.st_mode);
    if (is_dir && output) {
        fprintf(stderr, "policygen: error: -o は PDF を 1 つだけ指定します。フォルダを監視するときは、各ファイルを out/ に出力します\n");
        return 2;
    }
    int fd = inotify_init1(IN_CLOEXEC);
    if (fd < 0) {
        perror("policygen: inotify");
        return 1;
    }
    /* Watch folders, not files: editors save by writing a new file and
     * renaming it over the old one, which a watch on the file would lose. */
    Folders docs = {0};
    if (is_dir) {
        add_folder(&docs, fd, target);
        DIR *dp = opendir(target);
        struct dirent *e;
        while (dp && (e = readdir(dp))) {
            StrBuf sub = {0};
            sb_printf(&sub, "%s/%s", target, e->d_name);
            struct stat ss;
            if (e->d_name[0] != '.' && stat(sub.data, &ss) == 0 && S_ISDIR(ss.st_mode))
                add_folder(&docs, fd, sub.data);
            sb_free(&sub);
        }
        if (dp)
            closedir(dp);
    } else {
        char *dir = xstrdup(target);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        add_folder(&docs, fd, slash ? dir : ".");
        free(dir);
    }
    int wd_layout = inotify_add_watch(fd, opts->layouts_dir, WATCH_MASK);
    if (wd_layout < 0)
        fprintf(stderr, "%s: warning: 様式のフォルダを監視できません: %s\n", opts->layouts_dir, strerror(errno));
    int rc = 0;
    if (docs.n == 0) {
        rc = 1;
    } else {
        fprintf(stderr, "policygen: %s（と %s）を監視しています。Ctrl-C で終了します\n", target, opts->layouts_dir);
        int builds = 0;
        if (!is_dir) {
            render_one(target, output, opts);
            builds = 1;
        } else if ((builds = render_folders(&docs, opts)) == 0) {
            fprintf(stderr, "policygen: %s とその中のフォルダには、まだ .md ファイルがありません。作られるのを待っています\n", target);
        }
        while (!(max_builds > 0 && builds >= max_builds)) {
            Changes c = {0};
            if (next_changes(fd, &docs, is_dir, wd_layout, &c) < 0) {
                changes_free(&c);
                break;
            }
            for (size_t i = 0; i < c.ngone; i++)
                say_gone(c.gone[i], is_dir ? NULL : output);
            if (!is_dir) { /* one file: it, when it or a layout changed */
                int mine = c.layouts || c.everything;
                for (size_t i = 0; i < c.n; i++)
                    mine |= strcmp(c.files[i], target) == 0 ||
                            (strncmp(c.files[i], "./", 2) == 0 && strcmp(c.files[i] + 2, target) == 0);
                if (mine) {
                    render_one(target, output, opts);
                    builds++;
                }
            } else if (c.layouts || c.everything) {
                builds += render_folders(&docs, opts);
            } else {
                for (size_t i = 0; i < c.n; i++, builds++)
                    render_one(c.files[i], NULL, opts);
            }
            changes_free(&c);
        }
    }
    folders_free(&docs);
    close(fd);
    return rc;
}
