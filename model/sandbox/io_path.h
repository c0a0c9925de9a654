/* io_path.h — the path rules directory servers apply to Open and Unlink
 * (fuchsia.io's Path and Name). Flat C. See io_path.c. */
#ifndef CAPSIM_SANDBOX_IO_PATH_H
#define CAPSIM_SANDBOX_IO_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <zircon/types.h>

typedef struct IoPath {
    const char *text;        /* the path without its trailing '/' */
    size_t len;
    bool is_self;            /* the path was "." */
    bool must_be_dir;        /* the path ended in '/' */
    bool has_dotdot;         /* a ".." segment passed (fault switch on) */
} IoPath;

/* Check `path` (len bytes, not NUL-terminated) against the rules. With
 * accept_dotdot, ".." segments pass (the fault-injection switch). Returns
 * ZX_OK, ZX_ERR_BAD_PATH (too long) or ZX_ERR_INVALID_ARGS. */
zx_status_t io_path_check(const char *path, size_t len, bool accept_dotdot,
                          IoPath *out);
/* Check one name (a single segment, e.g. for Unlink or a namespace entry). */
zx_status_t io_path_check_name(const char *name, size_t len);
/* Segment iteration over a checked path: start with *pos = 0; returns false
 * at the end; *last tells whether this is the final segment. */
bool io_path_next(const IoPath *p, size_t *pos, const char **seg,
                  size_t *seg_len, bool *last);

#endif
