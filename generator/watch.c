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

static void mkdir_parent(const char *path)
{
    char *dir = xstrdup(path);
    for (char *s = dir + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(dir, 0777);
            *s = '/';
        }
    }
    free(dir);
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
        mkdir_parent(out);
        if (output_write_atomic(out, res.pdf, res.pdf_len, &d) == 0)
            fprintf(stderr, "[%s] %s -> %s (%.0f ms)\n", ts, input, out, now_ms() - t0);
    }
    if (d.n) {
        diag_print(&d, stderr);
        fprintf(stderr, "[%s] %s: %zu error%s; %s keeps the last good version\n", ts, input, d.errors,
                d.errors == 1 ? "" : "s", out);
    }
    pipeline_result_free(&res);
    diag_free(&d);
    free(out);
}

static int is_md(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".md") == 0 && name[0] != '.';
}

/* Render the one file, or every .md file of the folder. Returns how many. */
static int render_all(const char *target, int is_dir, const char *output, const PipelineOptions *opts)
{
    if (!is_dir) {
        render_one(target, output, opts);
        return 1;
    }
    int n = 0;
    DIR *dp = opendir(target);
    struct dirent *e;
    while (dp && (e = readdir(dp))) {
        if (!is_md(e->d_name))
            continue;
        StrBuf sb = {0};
        sb_printf(&sb, "%s/%s", target, e->d_name);
        render_one(sb.data, NULL, opts);
        sb_free(&sb);
        n++;
    }
    if (dp)
        closedir(dp);
    return n;
}

/* Read one burst of events (a save is often write + rename + touch): wait
 * for the first, then take what follows within 60 ms. */
static int next_changes(int fd, int wd_doc, int wd_layout, char *changed, size_t size, int *layout_changed)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    struct pollfd pfd = {fd, POLLIN, 0};
    int doc_changed = 0, timeout = -1;
    *layout_changed = 0;
    while (poll(&pfd, 1, timeout) > 0) {
        ssize_t len = read(fd, buf, sizeof buf);
        if (len <= 0)
            return -1;
        for (char *p = buf; p < buf + len;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            if (ev->len && ev->wd == wd_doc && is_md(ev->name)) {
                doc_changed = 1;
                snprintf(changed, size, "%s", ev->name);
            }
            if (ev->len && ev->wd == wd_layout && strstr(ev->name, ".yaml"))
                *layout_changed = 1;
            p += sizeof *ev + ev->len;
        }
        timeout = 60;
    }
    return doc_changed || *layout_changed;
}

int watch_run(const char *target, const char *output, const PipelineOptions *opts, int max_builds)
{
    struct stat st;
    if (stat(target, &st) != 0) {
        fprintf(stderr, "%s: error: cannot watch: %s\n", target, strerror(errno));
        return 1;
    }
    int is_dir = S_ISDIR(st.st_mode);
    if (is_dir && output) {
        fprintf(stderr, "policygen: error: -o names one PDF; a watched folder renders each file to out/\n");
        return 2;
    }
    int fd = inotify_init1(IN_CLOEXEC);
    if (fd < 0) {
        perror("policygen: inotify");
        return 1;
    }
    /* Watch folders, not files: editors save by writing a new file and
     * renaming it over the old one, which a watch on the file would lose. */
    char *dir = xstrdup(target);
    const char *base = target;
    if (!is_dir) {
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            base = target + (slash - dir) + 1;
        } else {
            strcpy(dir, ".");
        }
    }
    uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE;
    int wd_doc = inotify_add_watch(fd, dir, mask);
    int wd_layout = inotify_add_watch(fd, opts->layouts_dir, mask);
    int rc = 0;
    if (wd_doc < 0) {
        fprintf(stderr, "%s: error: cannot watch: %s\n", dir, strerror(errno));
        rc = 1;
    } else {
        fprintf(stderr, "policygen: watching %s (and %s); Ctrl-C to stop\n", target, opts->layouts_dir);
        int builds = render_all(target, is_dir, output, opts);
        char changed[NAME_MAX + 1] = "";
        int layout_changed;
        int r;
        while (!(max_builds > 0 && builds >= max_builds) &&
               (r = next_changes(fd, wd_doc, wd_layout, changed, sizeof changed, &layout_changed)) >= 0) {
            if (r == 0) {
                continue; /* our own temporary PDF, or another kind of file */
            } else if (layout_changed) {
                builds += render_all(target, is_dir, output, opts);
            } else if (is_dir) {
                StrBuf sb = {0};
                sb_printf(&sb, "%s/%s", target, changed);
                render_one(sb.data, NULL, opts);
                sb_free(&sb);
                builds++;
            } else if (strcmp(changed, base) == 0) {
                render_one(target, output, opts);
                builds++;
            }
        }
    }
    free(dir);
    close(fd);
    return rc;
}
