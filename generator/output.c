#include "output.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* A new file beside path, created exclusively. Its name: ".NAME.PID.N.tmp",
 * hidden, and unique among concurrent builds (make -j). The mode given to
 * open is masked by the umask as any new file's is. */
static int create_temp(const char *path, mode_t mode, StrBuf *tmp)
{
    const char *slash = strrchr(path, '/');
    for (int attempt = 0; attempt < 100; attempt++) {
        tmp->len = 0;
        if (slash)
            sb_printf(tmp, "%.*s/.%s.%ld.%d.tmp", (int)(slash - path), path, slash + 1, (long)getpid(), attempt);
        else
            sb_printf(tmp, ".%s.%ld.%d.tmp", path, (long)getpid(), attempt);
        int fd = open(tmp->data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

int output_write_atomic(const char *path, const unsigned char *data, size_t len, Diag *d)
{
    /* A PDF that exists keeps its permissions; a new one gets the usual. */
    struct stat st;
    int had = stat(path, &st) == 0;
    StrBuf tmp = {0};
    int fd = create_temp(path, had ? (st.st_mode & 07777) : 0666, &tmp);
    if (fd < 0) {
        diag_error(d, path, 0, 0, "同じフォルダに一時ファイルを作れません: %s", strerror(errno));
        sb_free(&tmp);
        return -1;
    }
    int err = 0;
    if (output_write_all(fd, data, len) != 0)
        err = errno;
    if (!err && had && fchmod(fd, st.st_mode & 07777) != 0)
        err = errno;
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp.data, path) != 0)
        err = errno;
    if (err) {
        unlink(tmp.data);
        diag_error(d, path, 0, 0, "書き込めません: %s", strerror(err));
    } else {
        /* The rename is durable once the folder is on disk too. */
        char *dir = xstrdup(path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    sb_free(&tmp);
    return err ? -1 : 0;
}
