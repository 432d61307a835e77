/* Writing files safely. Every output goes to a temporary file in its own
 * folder and is renamed over the target only when every output of the
 * run is complete (a PDF and its depfile are both written before either
 * replaces anything; the PDF is renamed last), so a failed build never
 * leaves a partial file where the last good one stood. One transaction
 * at a time (the signal mask is saved and restored around it). And an
 * output may never replace:
 *   - a file the run reads (the document, its layout, the font manifest,
 *     a font), however its path is spelt: compared by device and inode;
 *   - anything but a regular file: a folder, device, FIFO or socket is
 *     refused, and so is a symbolic link (we do not guess whether the link
 *     or its target was meant: name the target with -o);
 * and the new file never gains setuid/setgid bits from the old one.
 * While temporary files exist, the signals that end a process (SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT and the rest but SIGKILL) are held back (they
 * take effect once the files are renamed or removed), so an interrupt
 * never leaves a temporary file behind; SIGXFSZ is ignored (main.c), so a
 * file size limit is a write error. */
#ifndef POLICYGEN_OUTPUT_H
#define POLICYGEN_OUTPUT_H

#include <signal.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "diag.h"
#include "worker.h"

/* The files a run read, by identity. */
typedef struct {
    struct ReadId {
        dev_t dev;
        ino_t ino;
        char *path; /* for messages */
    } *ids;
    size_t n, cap;
} ReadSet;

/* Remember path (a file that does not exist is skipped). */
void readset_add(ReadSet *r, const char *path);
/* The remembered path of the file st describes (same device and inode), or NULL. */
const char *readset_find(const ReadSet *r, const struct stat *st);
void readset_free(ReadSet *r);

typedef struct {
    struct Staged {
        char *path, *tmp;
        int fd; /* open until the commit has synced it */
    } *files;
    size_t n, cap;
    sigset_t saved;  /* the signal mask to restore */
    int blocked;
    /* output_commit_start's: the job, where it runs, what it found. */
    WorkerJob job;
    Worker *worker;
    Diag diag;
    int rc;
    int started;
} OutputTxn;

/* Write data to a temporary file for path. Refuses (and reports) a target
 * that is a file of reads, not a regular file, or another output of the
 * same transaction. Returns 0, or -1 (nothing staged for path). */
int output_stage(OutputTxn *t, const char *path, const unsigned char *data, size_t len, const ReadSet *reads,
                 Diag *d);
/* Sync every staged file, then rename each into place, the first staged
 * last, and sync the folder. 0, or -1 after reporting (the files not yet
 * renamed are removed). Ends the transaction either way. */
int output_commit(OutputTxn *t, Diag *d);
/* output_commit in two halves: the syncs and renames run on w (worker.h)
 * while the caller goes on (freeing what the run used, 0.4 ms beside 0.7
 * ms of waiting for the disk), and output_commit_finish waits for them
 * and ends the transaction on the calling thread (signals stay held until
 * then), with output_commit's result. Without a worker thread
 * output_commit_finish does it all. */
void output_commit_start(OutputTxn *t, Worker *w);
/* t must stay where it is until then (the worker holds &t->job). On a
 * transaction never started, the same as output_commit (nothing staged:
 * nothing done, 0). */
int output_commit_finish(OutputTxn *t, Diag *d);
/* Remove every staged file; ends the transaction. */
void output_abort(OutputTxn *t);

/* One file: stage and commit. */
int output_write_atomic(const char *path, const unsigned char *data, size_t len, const ReadSet *reads, Diag *d);

/* Write all of data to fd (retrying short writes). 0, or -1 with errno. */
int output_write_all(int fd, const unsigned char *data, size_t len);

/* Create the folders leading to path (content/2025/ for a new year). */
void output_make_dirs(const char *path);

#endif
