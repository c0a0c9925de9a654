/* viz_file.c — an output file written whole or not at all: pictures,
 * networkx JSON, Perfetto files, step listings, run reports.
 *
 * Scripts and CI jobs read these files after the run; one cut short by a
 * full disk must not parse as a smaller graph or trace, nor replace a
 * good file of an earlier run. So a regular file (or a new one) is
 * written to a hidden temporary file in the same folder, flushed, and
 * renamed over the target (atomic on POSIX file systems); on any failure
 * the temporary file is removed and the target left as it was. Targets
 * that cannot be renamed over — stdout, devices such as /dev/full, FIFOs —
 * are written directly. New files get 0666 minus the umask, as fopen
 * would give them; a replaced file keeps its mode, and a symbolic link
 * stays a link (the file it points to is the one replaced).
 * Read next: viz_json.c (one of its users).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "viz_file.h"

static int viz_file_fail(const char *path, const char *what, int errnum, char *err,
                         size_t errlen)
{
    snprintf(err, errlen, "%s: %s: %s", path, what, g_strerror(errnum));
    return -1;
}

/* Every byte to fd: 0 or an errno. */
static int viz_file_put(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : EIO;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

static int viz_file_direct(const char *path, const void *data, size_t len, char *err,
                           size_t errlen)
{
    bool out = !strcmp(path, "-");
    if (out)
        fflush(stdout); /* what the program printed before comes first */
    int fd = out ? STDOUT_FILENO : open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return viz_file_fail(path, "cannot open for writing", errno, err, errlen);
    int rc = viz_file_put(fd, data, len);
    if (!out && close(fd) != 0 && !rc)
        rc = errno;
    return rc ? viz_file_fail(out ? "stdout" : path, "cannot write", rc, err, errlen) : 0;
}

static mode_t viz_file_mode(const struct stat *old)
{
    if (old)
        return old->st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* Write `target` through a temporary file beside it; `path` for messages. */
static int viz_file_replace(const char *target, const char *path, const void *data, size_t len,
                            const struct stat *old, char *err, size_t errlen)
{
    gchar *folder = g_path_get_dirname(target), *base = g_path_get_basename(target);
    gchar *tmp = g_strdup_printf("%s/.%s.XXXXXX", folder, base);
    g_free(folder);
    g_free(base);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
    int rc = fd < 0 ? errno : viz_file_put(fd, data, len);
    if (fd >= 0 && !rc && fchmod(fd, viz_file_mode(old)) != 0)
        rc = errno;
    if (fd >= 0 && close(fd) != 0 && !rc)
        rc = errno;
    if (!rc && rename(tmp, target) != 0)
        rc = errno;
    if (rc && fd >= 0)
        unlink(tmp);
    g_free(tmp);
    if (rc)
        return viz_file_fail(path, fd < 0 ? "cannot open for writing" : "cannot write", rc,
                             err, errlen);
    return 0;
}

int viz_file_write(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (!strcmp(path, "-") || (exists && !S_ISREG(st.st_mode)))
        return viz_file_direct(path, data, len, err, errlen);
    char *real = exists ? realpath(path, NULL) : NULL; /* a symbolic link stays one */
    int rc = viz_file_replace(real ? real : path, path, data, len, exists ? &st : NULL, err,
                              errlen);
    free(real);
    return rc;
}
