#include "git.h"
#include "source.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char REV_CHARS[] = "-._/~^@{}+!";

int git_check_revision(const char *rev, const char *file, Diag *d)
{
    size_t n = strlen(rev);
    if (n == 0) {
        diag_error(d, file, 0, 0, "--rev に git のリビジョンを指定してください（例: --rev HEAD~1）");
        return -1;
    }
    if (n > GIT_REV_MAX) {
        diag_error(d, file, 0, 0, "git のリビジョンが長すぎます（%zu バイト。%d バイトまで）", n, GIT_REV_MAX);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)rev[i];
        if (c <= 0x20 || c >= 0x7f) {
            /* not echoed: it may hold terminal control sequences */
            diag_error(d, file, 0, 0,
                       "git のリビジョンに空白・制御文字・ASCII 以外の文字は使えません（%zu バイト目）", i + 1);
            return -1;
        }
    }
    if (rev[0] == '-') {
        diag_error(d, file, 0, 0,
                   "`%s` は git のリビジョンとして使えません。`-` で始まると git のオプションと取り違えられるので、git を実行せずに止めました",
                   rev);
        return -1;
    }
    if (strchr(rev, ':')) {
        diag_error(d, file, 0, 0,
                   "`%s` は git のリビジョンとして使えません（`:` は使えません。ファイルは原稿の名前で指定し、--rev には HEAD~1 のような版だけを書きます）",
                   rev);
        return -1;
    }
    if (strstr(rev, "..")) {
        diag_error(d, file, 0, 0, "`%s` は版の範囲です。比べる版を 1 つだけ指定してください（例: --rev HEAD~1）", rev);
        return -1;
    }
    for (const char *p = rev; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(REV_CHARS, *p))) {
            diag_error(d, file, 0, 0, "`%s` は git のリビジョンの形ではありません（使える文字は英数字と %s です）", rev,
                       REV_CHARS);
            return -1;
        }
    }
    return 0;
}

/* ---- running git ------------------------------------------------------------ */

typedef struct {
    StrBuf out, err;   /* stdout (up to a little over out_max), stderr (GIT_MESSAGE_MAX) */
    int status;        /* from waitpid */
    int too_large;     /* stdout went past out_max; git was killed */
} GitRun;

/* A descriptor of fd at 3 or above with FD_CLOEXEC (so the child's dup2 onto
 * 1 and 2 never meets itself, even when our own stdout was closed). */
static int fd_high_cloexec(int fd)
{
    int h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int e = errno;
    close(fd);
    errno = e;
    return h;
}

static int make_pipe(int fds[2])
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fds[0] = fd_high_cloexec(p[0]);
    fds[1] = fd_high_cloexec(p[1]);
    if (fds[0] < 0 || fds[1] < 0) {
        int e = errno;
        if (fds[0] >= 0)
            close(fds[0]);
        if (fds[1] >= 0)
            close(fds[1]);
        errno = e;
        return -1;
    }
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* The environment for git: ours, without the variables that tie git to one
 * repository (a git hook sets GIT_DIR, GIT_INDEX_FILE...: the repository
 * is the one that holds the file), and with no terminal prompt. Only the
 * array is malloc'd. */
static char **git_environment(void)
{
    static const char *const drop[] = {"GIT_DIR=",          "GIT_WORK_TREE=",
                                       "GIT_IMPLICIT_WORK_TREE=", "GIT_COMMON_DIR=",
                                       "GIT_INDEX_FILE=",   "GIT_OBJECT_DIRECTORY=",
                                       "GIT_ALTERNATE_OBJECT_DIRECTORIES=", "GIT_PREFIX=",
                                       "GIT_INTERNAL_SUPER_PREFIX=", "GIT_GRAFT_FILE=",
                                       "GIT_SHALLOW_FILE=", "GIT_TERMINAL_PROMPT="};
    static char prompt[] = "GIT_TERMINAL_PROMPT=0";
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = xcalloc(n + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int keep = 1;
        for (size_t j = 0; j < sizeof drop / sizeof *drop && keep; j++)
            if (strncmp(environ[i], drop[j], strlen(drop[j])) == 0)
                keep = 0;
        if (keep)
            env[k++] = environ[i];
    }
    env[k++] = prompt;
    env[k] = NULL;
    return env;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void kill_group(pid_t pid)
{
    kill(-pid, SIGKILL); /* git and anything it started */
    kill(pid, SIGKILL);  /* in case it did not get a group of its own */
}

/* Wait for pid, retrying on EINTR; after the deadline it is killed (and
 * *killed set). 0 with *status, or -1 with errno. */
static int reap(pid_t pid, int *status, double deadline, int *killed)
{
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid)
            return 0;
        if (w < 0 && errno != EINTR)
            return -1;
        if (w == 0) {
            if (now_seconds() > deadline)
                break;
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
    }
    kill_group(pid);
    *killed = 1;
    for (;;) {
        pid_t w = waitpid(pid, status, 0);
        if (w == pid)
            return 0;
        if (w < 0 && errno != EINTR)
            return -1;
    }
}

/* Runs `git -C DIR ARGS...` (args NULL-terminated) with stdin from
 * /dev/null, collecting stdout (stopping past out_max) and stderr. 0 when
 * git ran and was reaped (see r->status and r->too_large), or -1 after
 * reporting on file (git cannot be started, timed out, a system error). */
static int git_run(const char *dir, const char *const *args, size_t out_max, GitRun *r, const char *file, Diag *d)
{
    memset(r, 0, sizeof *r);
    const char *argv[16];
    size_t n = 0;
    argv[n++] = "git";
    argv[n++] = "--no-pager";
    argv[n++] = "-C";
    argv[n++] = dir;
    for (size_t i = 0; args[i] && n + 1 < sizeof argv / sizeof *argv; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    int out[2] = {-1, -1}, err[2] = {-1, -1};
    pid_t pid = -1;
    if (make_pipe(out) != 0 || make_pipe(err) != 0) {
        diag_error(d, file, 0, 0, "git を実行できません（パイプを作れません: %s）", strerror(errno));
        close_fd(&out[0]);
        close_fd(&out[1]);
        return -1;
    }
    /* stdin from /dev/null, stdout and stderr to our pipes, default
     * signal handling, and a process group of its own (to kill it whole). */
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGHUP);
    sigaddset(&dfl, SIGQUIT);
    sigaddset(&dfl, SIGXFSZ); /* main ignores it */
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0 && (rc = posix_spawnattr_init(&attr)) != 0)
        posix_spawn_file_actions_destroy(&fa);
    if (rc == 0) {
        if ((rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0 &&
            (rc = posix_spawn_file_actions_adddup2(&fa, out[1], 1)) == 0 &&
            (rc = posix_spawn_file_actions_adddup2(&fa, err[1], 2)) == 0 &&
            (rc = posix_spawnattr_setsigmask(&attr, &none)) == 0 &&
            (rc = posix_spawnattr_setsigdefault(&attr, &dfl)) == 0 &&
            (rc = posix_spawnattr_setpgroup(&attr, 0)) == 0 &&
            (rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                                      POSIX_SPAWN_SETPGROUP)) == 0) {
            char **env = git_environment();
            rc = posix_spawnp(&pid, "git", &fa, &attr, (char *const *)argv, env);
            free(env);
        }
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
    }
    close_fd(&out[1]);
    close_fd(&err[1]);
    if (rc != 0) {
        diag_error(d, file, 0, 0, "git を実行できません（%s）。git は入っていますか", strerror(rc));
        close_fd(&out[0]);
        close_fd(&err[0]);
        return -1;
    }

    /* Read both pipes until they end. Once git itself has exited, only
     * what is already in them is read: a process git left behind holding
     * them open cannot keep us waiting. */
    double deadline = now_seconds() + GIT_TIMEOUT_SECONDS;
    struct pollfd p[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
    int failed = 0, timed_out = 0, exited = 0, late = 0;
    char buf[65536];
    while ((p[0].fd >= 0 || p[1].fd >= 0) && !r->too_large && !failed) {
        if (!exited) {
            pid_t w = waitpid(pid, &r->status, WNOHANG);
            if (w == pid) {
                exited = 1;
            } else if (w < 0 && errno != EINTR) {
                exited = 1; /* not ours to wait for (or kill) any more */
                failed = errno;
                break;
            }
        }
        double left = deadline - now_seconds();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        int k = poll(p, 2, exited ? 0 : left < 0.05 ? (int)(left * 1000) + 1 : 50);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            failed = errno;
            break;
        }
        if (k == 0 && exited)
            break;
        for (int i = 0; i < 2 && k > 0 && !r->too_large; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
                continue;
            ssize_t got = read(p[i].fd, buf, sizeof buf);
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (got <= 0) { /* end of output (or an error: nothing more to read) */
                close_fd(&p[i].fd);
            } else if (i == 0) {
                sb_append(&r->out, buf, (size_t)got);
                if (r->out.len > out_max)
                    r->too_large = 1;
            } else if (r->err.len < GIT_MESSAGE_MAX) {
                size_t room = GIT_MESSAGE_MAX - r->err.len;
                sb_append(&r->err, buf, (size_t)got < room ? (size_t)got : room);
            } /* else: drained and dropped */
        }
    }
    close_fd(&p[0].fd);
    close_fd(&p[1].fd);
    if (!exited) {
        if (r->too_large || failed || timed_out)
            kill_group(pid);
        if (reap(pid, &r->status, deadline, &late) != 0 && !failed)
            failed = errno;
    }
    if (timed_out || (late && !r->too_large && !failed)) {
        diag_error(d, file, 0, 0, "git が %d 秒たっても終わらないので止めました", GIT_TIMEOUT_SECONDS);
        failed = -1;
    } else if (failed) {
        diag_error(d, file, 0, 0, "git の実行に失敗しました（%s）", strerror(failed));
    }
    if (failed) {
        sb_free(&r->out);
        sb_free(&r->err);
        return -1;
    }
    return 0;
}

/* git's own words for a message: the first few non-empty lines of its
 * stderr, control characters and bad UTF-8 replaced, bounded; or how it
 * ended when it said nothing. */
static void git_message(const GitRun *r, StrBuf *msg)
{
    const char *s = r->err.data ? r->err.data : "";
    size_t len = r->err.len, lines = 0;
    for (size_t i = 0; i < len && lines < 3 && msg->len < 400; i++) {
        size_t end = i;
        while (end < len && s[end] != '\n')
            end++;
        size_t from = i;
        while (from < end && (s[from] == ' ' || s[from] == '\t' || s[from] == '\r'))
            from++;
        if (from < end) {
            if (lines++ > 0)
                sb_puts(msg, " / ");
            for (size_t j = from; j < end && msg->len < 400;) {
                uint32_t cp;
                size_t l = utf8_decode((const unsigned char *)s + j, end - j, &cp);
                if (l == 0) {
                    sb_putc(msg, '?');
                    j++;
                } else {
                    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
                        sb_putc(msg, ' ');
                    else
                        sb_append(msg, s + j, l);
                    j += l;
                }
            }
        }
        i = end;
    }
    if (lines == 0) {
        if (WIFEXITED(r->status))
            sb_printf(msg, "何も言わずに終了コード %d で終わりました", WEXITSTATUS(r->status));
        else if (WIFSIGNALED(r->status))
            sb_printf(msg, "シグナル %d で止まりました", WTERMSIG(r->status));
        else
            sb_puts(msg, "異常終了しました");
    }
}

static int git_failed(const GitRun *r)
{
    return !WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0;
}

char *git_show(const char *rev, const char *file, size_t *len, Diag *d)
{
    if (git_check_revision(rev, file, d) != 0)
        return NULL;
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        diag_error(d, file, 0, 0, "--rev で比べるのは原稿のファイルです（フォルダではなく、FILE.md を指定します）");
        return NULL;
    }
    char *dir = slash == file ? xstrdup("/") : slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup(".");
    char *result = NULL;
    StrBuf spec = {0}, msg = {0};
    GitRun r = {0};
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(d, file, 0, 0, "フォルダ `%s` がありません", dir);
        goto done;
    }

    /* Is the folder in a repository's working tree? (A clear message
     * rather than git's "not a git repository" after the fact.) */
    static const char *const where[] = {"rev-parse", "--is-inside-work-tree", NULL};
    if (git_run(dir, where, 64, &r, file, d) != 0)
        goto done;
    if (git_failed(&r) || r.too_large || !r.out.data || strncmp(r.out.data, "true", 4) != 0) {
        if (git_failed(&r))
            git_message(&r, &msg);
        else /* "false": the folder is inside .git itself */
            sb_puts(&msg, "このフォルダは作業ツリーではありません");
        diag_error(d, file, 0, 0, "このファイルは git のリポジトリ（の作業ツリー）の中にないので、--rev %s の版を読めません（git: %s）",
                   rev, msg.data);
        goto done;
    }
    sb_free(&r.out);
    sb_free(&r.err);

    /* The blob itself: `./NAME` is relative to DIR, whatever the top
     * folder of the repository and wherever policygen runs; after
     * --end-of-options nothing is an option, and `:` cannot be in rev. */
    sb_printf(&spec, "%s:./%s", rev, base);
    const char *const show[] = {"cat-file", "blob", "--end-of-options", spec.data, NULL};
    if (git_run(dir, show, SOURCE_MAX_BYTES, &r, file, d) != 0)
        goto done;
    if (r.too_large) {
        diag_error(d, file, 0, 0,
                   "--rev %s の版のファイルが大きすぎます（受け付けるのは %d バイト = 256 KB まで。運営方針は数 KB です）", rev,
                   SOURCE_MAX_BYTES);
        goto done;
    }
    if (git_failed(&r)) {
        git_message(&r, &msg);
        diag_error(d, file, 0, 0, "git のリビジョン `%s` のこのファイルを読めません（そのリビジョンにコミットされていますか。git: %s）",
                   rev, msg.data);
        goto done;
    }
    *len = r.out.len;
    result = sb_take(&r.out);

done:
    free(dir);
    sb_free(&spec);
    sb_free(&msg);
    sb_free(&r.out);
    sb_free(&r.err);
    return result;
}
