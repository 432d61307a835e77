#include "output.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int output_write_all(int fd, const unsigned char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        off += (size_t)w;
    }
    return 0;
}

void output_make_dirs(const char *path)
{
    if (!path[0])
        return;
    char *dir = xstrdup(path);
    for (char *s = dir + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(dir, 0777); /* an existing one is fine; a real failure shows at open */
            *s = '/';
        }
    }
    free(dir);
}

void readset_add(ReadSet *r, const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return;
    GROW(r->ids, r->cap, r->n + 1);
    r->ids[r->n].dev = st.st_dev;
    r->ids[r->n].ino = st.st_ino;
    r->ids[r->n].path = xstrdup(path);
    r->n++;
}

const char *readset_find(const ReadSet *r, const struct stat *st)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (r->ids[i].dev == st->st_dev && r->ids[i].ino == st->st_ino)
            return r->ids[i].path;
    return NULL;
}

void readset_free(ReadSet *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->ids[i].path);
    free(r->ids);
    memset(r, 0, sizeof *r);
}

/* The folder part of path ("." for a bare name). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* Same folder (by identity) and same name: two spellings of one target. */
static int same_target(const char *a, const char *b)
{
    const char *na = strrchr(a, '/'), *nb = strrchr(b, '/');
    na = na ? na + 1 : a;
    nb = nb ? nb + 1 : b;
    if (strcmp(na, nb) != 0)
        return 0;
    char *da = dir_of(a), *db = dir_of(b);
    struct stat sa, sb;
    int same = stat(da, &sa) == 0 && stat(db, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    free(da);
    free(db);
    return same;
}

/* May path be replaced? With *mode the permissions to give the new file,
 * *fresh when there is no old one (the umask applies). */
static int check_target(const OutputTxn *t, const char *path, const ReadSet *reads, mode_t *mode, int *fresh,
                        Diag *d)
{
    if (!path[0]) {
        diag_error(d, "(出力)", 0, 0, "出力先のファイル名が空です");
        return -1;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!base[0] || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        diag_error(d, path, 0, 0, "出力先はフォルダではなくファイルの名前にしてください");
        return -1;
    }
    for (size_t i = 0; i < t->n; i++)
        if (same_target(t->files[i].path, path)) {
            diag_error(d, path, 0, 0, "%s と同じファイルです。出力先を別々にしてください", t->files[i].path);
            return -1;
        }
    struct stat st;
    *fresh = lstat(path, &st) != 0;
    if (*fresh) {
        *mode = 0666; /* a new file: the umask applies */
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        diag_error(d, path, 0, 0,
                   "出力先がシンボリックリンクなので置き換えません。リンク先に書くなら -o にリンク先のファイルを指定してください");
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_error(d, path, 0, 0, "出力先はフォルダです。-o には PDF のファイル名を指定します"
                                  "（フォルダの下に作るなら --outdir フォルダ。原稿が複数なら -o フォルダも使えます）");
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_error(d, path, 0, 0, "出力先がふつうのファイルではありません（デバイス、FIFO など）。置き換えません");
        return -1;
    }
    const char *read = readset_find(reads, &st);
    if (read) {
        diag_error(d, path, 0, 0, "出力先は、このコマンドが読むファイル %s そのものです。上書きすると消えてしまうので書きません",
                   read);
        return -1;
    }
    /* The old file's permissions, never its setuid, setgid or sticky bits. */
    *mode = st.st_mode & 0777;
    return 0;
}

/* A new file beside path, created exclusively. Its name: ".NAME.PID.N.tmp",
 * hidden, and unique among concurrent builds (make -j). */
static int create_temp(const char *path, mode_t mode, StrBuf *tmp)
{
    const char *slash = strrchr(path, '/');
    for (int attempt = 0; attempt < 100; attempt++) {
        tmp->len = 0;
        if (slash)
            sb_printf(tmp, "%.*s/.%s.%ld.%d.tmp", (int)(slash - path), path, slash + 1, (long)getpid(), attempt);
        else
            sb_printf(tmp, ".%s.%ld.%d.tmp", path, (long)getpid(), attempt);
        int fd = open(tmp->data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

static void hold_signals(OutputTxn *t)
{
    if (t->blocked)
        return;
    /* Every signal sent to end a process but SIGKILL (and SIGSTOP, which
     * only stops it): from the terminal (^C, ^\\), kill, a hung-up
     * session, timers and limits, a closed pipe. */
    static const int held[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
                               SIGXCPU, SIGVTALRM, SIGPROF, SIGPOLL};
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
        sigaddset(&set, held[i]);
    t->blocked = pthread_sigmask(SIG_BLOCK, &set, &t->saved) == 0; /* this thread's: the worker blocks all */
}

static void end_txn(OutputTxn *t)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->files[i].fd >= 0)
            close(t->files[i].fd);
        free(t->files[i].path);
        free(t->files[i].tmp);
    }
    free(t->files);
    t->files = NULL;
    t->n = t->cap = 0;
    if (t->blocked) /* held signals are delivered now, with no temp file left */
        pthread_sigmask(SIG_SETMASK, &t->saved, NULL);
    t->blocked = 0;
}

int output_stage(OutputTxn *t, const char *path, const unsigned char *data, size_t len, const ReadSet *reads,
                 Diag *d)
{
    mode_t mode;
    int fresh;
    if (check_target(t, path, reads, &mode, &fresh, d) != 0)
        return -1;
    hold_signals(t);
    StrBuf tmp = {0};
    int fd = create_temp(path, mode, &tmp);
    if (fd < 0 && errno == ENOTDIR) { /* a part of the folder's path is a file */
        char *dir = xstrdup(path);
        struct stat st;
        int said = 0;
        for (char *s = strchr(dir + 1, '/'); s && !said; s = strchr(s + 1, '/')) {
            *s = '\0';
            said = stat(dir, &st) == 0 && !S_ISDIR(st.st_mode);
            if (said)
                diag_error(d, path, 0, 0, "出力先のフォルダ %s はフォルダではなくファイルです。ほかのフォルダを指定してください", dir);
            else
                *s = '/';
        }
        if (!said)
            diag_error(d, path, 0, 0, "同じフォルダに一時ファイルを作れません: %s", strerror(ENOTDIR));
        free(dir);
    } else if (fd < 0 && errno == ENOENT) { /* a folder output_make_dirs could not make: say why */
        char *dir = dir_of(path);
        struct stat st;
        while (stat(dir, &st) != 0) { /* up to the first folder of the path that is missing */
            char *up = dir_of(dir);
            if (strcmp(up, dir) == 0 || stat(up, &st) == 0) {
                free(up);
                break;
            }
            free(dir);
            dir = up;
        }
        if (stat(dir, &st) != 0 && mkdir(dir, 0777) != 0 && errno != ENOENT)
            diag_error(d, path, 0, 0, "出力先のフォルダ %s を作れません: %s", dir, strerror(errno));
        else
            diag_error(d, path, 0, 0, "同じフォルダに一時ファイルを作れません: %s", strerror(ENOENT));
        free(dir);
    } else if (fd < 0) {
        diag_error(d, path, 0, 0, "同じフォルダに一時ファイルを作れません: %s", strerror(errno));
    }
    if (fd < 0) {
        sb_free(&tmp);
        if (t->n == 0)
            end_txn(t);
        return -1;
    }
    int err = 0;
    if (output_write_all(fd, data, len) != 0)
        err = errno;
    if (!err && !fresh && fchmod(fd, mode) != 0) /* the old file's, whatever the umask */
        err = errno;
    if (err) { /* synced and closed at the commit */
        close(fd);
        unlink(tmp.data);
        diag_error(d, path, 0, 0, "書き込めません: %s", strerror(err));
        sb_free(&tmp);
        if (t->n == 0)
            end_txn(t);
        return -1;
    }
    GROW(t->files, t->cap, t->n + 1);
    t->files[t->n].path = xstrdup(path);
    t->files[t->n].tmp = sb_take(&tmp);
    t->files[t->n].fd = fd;
    t->n++;
    return 0;
}

/* The decimal number create_temp writes at *p ("%ld"/"%d": digits, no
 * sign, no leading zero), up to INT_MAX; *p moves past it. -1 if none. */
static long plain_number(const char **p)
{
    const char *s = *p;
    long v = 0;
    if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
        return -1;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (*s - '0');
        if (v > INT_MAX)
            return -1;
    }
    *p = s;
    return v;
}

/* Is name ".BASE.PID.N.tmp", exactly as create_temp writes it, of a
 * process that no longer runs? Only such files are taken away: one a
 * killed build left. */
static int stale_temp(const char *name, const char *base)
{
    size_t b = strlen(base);
    if (name[0] != '.' || strncmp(name + 1, base, b) != 0 || name[1 + b] != '.')
        return 0;
    const char *p = name + 2 + b;
    long pid = plain_number(&p);
    if (pid <= 0 || pid == (long)getpid() || *p++ != '.' || plain_number(&p) < 0 || strcmp(p, ".tmp") != 0)
        return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Take away the temp files of path that builds killed with SIGKILL left
 * beside it (any other signal is held while one exists): never another
 * file, nor one of a build still running. A build's temp file lives for
 * milliseconds, so one a minute old whose process is gone is left over,
 * even where the folder is shared with builds that run in another PID
 * namespace (a container, another host). */
#define STALE_TEMP_SECONDS 60
static void remove_stale_temps(const char *path)
{
    char *dir = dir_of(path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    DIR *dh = opendir(dir);
    for (struct dirent *e; dh && (e = readdir(dh)) != NULL;) {
        struct stat st;
        if (!stale_temp(e->d_name, base) || fstatat(dirfd(dh), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode) || time(NULL) - st.st_mtime < STALE_TEMP_SECONDS)
            continue;
        unlinkat(dirfd(dh), e->d_name, 0);
    }
    if (dh)
        closedir(dh);
    free(dir);
}

static void sync_dir(const char *path)
{
    char *dir = dir_of(path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
}

/* The files on disk, then in place: every file synced and closed before
 * any is renamed (a crash never leaves an empty or partial file where the
 * last good one stood), the first file staged (the PDF) renamed last: if a
 * rename fails, what is left is the old PDF beside a new depfile, which
 * only makes make build it again. Touches only t's files and d: runs on
 * either thread. */
static int put_in_place(OutputTxn *t, Diag *d)
{
    int rc = 0;
    for (size_t k = 0; k < t->n; k++) {
        struct Staged *f = &t->files[k];
        int err = fsync(f->fd) != 0 ? errno : 0;
        if (close(f->fd) != 0 && !err)
            err = errno;
        f->fd = -1;
        if (err && rc == 0) {
            diag_error(d, f->path, 0, 0, "書き込めません: %s", strerror(err));
            rc = -1;
        }
    }
    for (size_t k = t->n; k-- > 0;) {
        struct Staged *f = &t->files[k];
        if (rc == 0 && rename(f->tmp, f->path) != 0) {
            diag_error(d, f->path, 0, 0, "書き込めません: %s", strerror(errno));
            rc = -1;
        }
        if (rc != 0) {
            unlink(f->tmp);
        } else {
            sync_dir(f->path); /* the rename is durable once the folder is */
            remove_stale_temps(f->path);
        }
    }
    return rc;
}

int output_commit(OutputTxn *t, Diag *d)
{
    int rc = put_in_place(t, d);
    end_txn(t);
    return rc;
}

static void run_commit(WorkerJob *job, int on_worker)
{
    (void)on_worker;
    OutputTxn *t = WORKER_JOB_OWNER(job, OutputTxn, job);
    t->rc = put_in_place(t, &t->diag);
}

void output_commit_start(OutputTxn *t, Worker *w)
{
    diag_init(&t->diag);
    t->worker = w;
    t->job.run = run_commit;
    t->started = 1;
    worker_submit(w, &t->job);
}

int output_commit_finish(OutputTxn *t, Diag *d)
{
    if (!t->started)
        return output_commit(t, d);
    worker_wait(t->worker, &t->job);
    t->started = 0;
    diag_merge(d, &t->diag);
    diag_free(&t->diag);
    end_txn(t);
    return t->rc;
}

void output_abort(OutputTxn *t)
{
    for (size_t i = 0; i < t->n; i++)
        unlink(t->files[i].tmp); /* end_txn closes it */
    end_txn(t);
}

int output_write_atomic(const char *path, const unsigned char *data, size_t len, const ReadSet *reads, Diag *d)
{
    OutputTxn t = {0};
    if (output_stage(&t, path, data, len, reads, d) != 0) {
        output_abort(&t);
        return -1;
    }
    return output_commit(&t, d);
}
