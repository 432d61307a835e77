/* A file as it was at a git revision (`diff FILE.md --rev REV`), read by
 * running git directly: an argument vector, no shell, stdin from
 * /dev/null, in the file's own folder (`git -C DIR cat-file blob
 * --end-of-options REV:./NAME`), so FILE may be absolute, contain `..`,
 * and policygen may run anywhere. What git prints is bounded (the input
 * limit SOURCE_MAX_BYTES for the file, GIT_MESSAGE_MAX for its messages)
 * and so is its time (GIT_TIMEOUT_SECONDS); the child is always reaped.
 * Nothing here exits: every failure is reported into the Diag. */
#ifndef POLICYGEN_GIT_H
#define POLICYGEN_GIT_H

#include <stddef.h>
#include "diag.h"

/* Longest revision accepted, in bytes. */
#define GIT_REV_MAX 256
/* Bytes of git's own error output kept for the message (the rest is read
 * and dropped, so git never blocks on a full pipe). */
#define GIT_MESSAGE_MAX 4096
/* A git that has not finished by then is killed and the read fails. */
#define GIT_TIMEOUT_SECONDS 30

/* 0 when REV can be handed to git as a revision: not empty, at most
 * GIT_REV_MAX bytes, printable ASCII without spaces, not starting with `-`
 * (git would take it as an option), without `:` (it would name another
 * file) or `..` (a range), and only letters, digits and `-._/~^@{}+!`.
 * Otherwise -1 after reporting the reason on FILE. */
int git_check_revision(const char *rev, const char *file, Diag *d);

/* The bytes of FILE (a path on disk) as committed at REV in the repository
 * that holds FILE's folder: malloc'd, NUL-terminated, the length in *len.
 * NULL after reporting on FILE: a refused revision (git is not run), a
 * folder outside any repository, a file or revision git does not know
 * (with git's own message), a file larger than SOURCE_MAX_BYTES, a git
 * that cannot be run, fails or times out. */
char *git_show(const char *rev, const char *file, size_t *len, Diag *d);

#endif
