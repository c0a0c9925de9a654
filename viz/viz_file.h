/* viz_file.h — writing an output file whole or not at all (viz_file.c). */
#ifndef CAPSIM_VIZ_FILE_H
#define CAPSIM_VIZ_FILE_H

#include <stddef.h>

/* Write `len` bytes to `path` ("-" = stdout). A regular file (or a new
 * one) is written beside itself and renamed into place, so it is never
 * left half-written and a failed write keeps the previous file; a device
 * or a pipe is written directly. 0, or -1 with "PATH: cannot write: why"
 * (or "cannot open for writing") in err. */
int viz_file_write(const char *path, const void *data, size_t len, char *err, size_t errlen);

#endif
