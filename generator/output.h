/* Write a file atomically: to a temporary file in the same folder, renamed
 * over the target only when complete, so a failed build never leaves a
 * partial PDF where the last good one stood. */
#ifndef POLICYGEN_OUTPUT_H
#define POLICYGEN_OUTPUT_H

#include <stddef.h>
#include "diag.h"

int output_write_atomic(const char *path, const unsigned char *data, size_t len, Diag *d);

/* Write all of data to fd (retrying short writes). 0, or -1 with errno. */
int output_write_all(int fd, const unsigned char *data, size_t len);

/* Create the folders leading to path (content/2025/ for a new year). */
void output_make_dirs(const char *path);

#endif
