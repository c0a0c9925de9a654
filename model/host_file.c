/* host_file.c — reading a host file a user named, regular files only.
 *
 * Every file capsim reads on a user's word (`capsim run APP.so`, `far`,
 * `--package`, `--allowlist`, `analyze --check`, Python's spawn and
 * add_package) comes here. g_file_get_contents reads anything open(2)
 * opens: a named pipe blocks the simulator until some writer appears, and
 * /dev/zero or /dev/urandom fill memory without end. Here the file is
 * opened without blocking (O_NONBLOCK: opening a pipe's read end waits for
 * a writer otherwise), checked with fstat on that same descriptor, and
 * only a regular file is read, from that descriptor, to its end. Messages
 * follow GLib's wording, so callers and tests read one style. */
#include "host_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *host_file_kind(mode_t mode)
{
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a named pipe";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a file";
}

static gboolean host_file_fail(GError **err, int code, const char *what, const char *path,
                               const char *why)
{
    g_set_error(err, G_FILE_ERROR, code, "Failed to %s file \u201c%s\u201d: %s", what, path, why);
    return FALSE;
}

gboolean host_file_read(const char *path, gchar **contents, gsize *len, GError **err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return host_file_fail(err, g_file_error_from_errno(e), "open", path, g_strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return host_file_fail(err, g_file_error_from_errno(e), "read", path, g_strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        char why[64];
        g_snprintf(why, sizeof why, "%s, not a regular file", host_file_kind(st.st_mode));
        return host_file_fail(err, S_ISDIR(st.st_mode) ? G_FILE_ERROR_ISDIR : G_FILE_ERROR_INVAL,
                              "read", path, why);
    }
    GByteArray *buf = g_byte_array_sized_new(st.st_size > 0 ? (guint)MIN(st.st_size, G_MAXINT) : 4096);
    guint8 chunk[16384];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            g_byte_array_unref(buf);
            return host_file_fail(err, g_file_error_from_errno(e), "read from", path,
                                  g_strerror(e));
        }
        if (n == 0)
            break;
        g_byte_array_append(buf, chunk, (guint)n);
    }
    close(fd);
    if (len)
        *len = buf->len;
    guint8 nul = 0;
    g_byte_array_append(buf, &nul, 1);
    *contents = (gchar *)g_byte_array_free(buf, FALSE);
    return TRUE;
}
