#include "output.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int output_write_atomic(const char *path, const unsigned char *data, size_t len, Diag *d)
{
    const char *slash = strrchr(path, '/');
    StrBuf tmp = {0};
    if (slash)
        sb_printf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
    else
        sb_printf(&tmp, ".%s.XXXXXX", path);
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        diag_error(d, path, 0, 0, "cannot create a temporary file beside it: %s", strerror(errno));
        sb_free(&tmp);
        return -1;
    }
    size_t off = 0;
    int err = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        off += (size_t)w;
    }
    /* mkstemp makes 0600; a published PDF is readable like any file. */
    mode_t mask = umask(0);
    umask(mask);
    if (!err && fchmod(fd, 0666 & ~mask) != 0)
        err = errno;
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp.data, path) != 0)
        err = errno;
    if (err) {
        unlink(tmp.data);
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(err));
    }
    sb_free(&tmp);
    return err ? -1 : 0;
}
