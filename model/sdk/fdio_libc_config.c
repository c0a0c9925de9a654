/* fdio_libc_config.c — libc calls that read a named host file for their
 * answer, resolved in the process's namespace instead.
 *
 * What it models: a Fuchsia process's view of "a file named by path": the
 * one its namespace has, or none. glibc's versions open or stat the path
 * through internal entry points (__stat64, __fopen_internal) that no
 * interposer sees, so an app's ftok() keyed on a HOST file and its
 * setmntent("/proc/mounts") listed the HOST's mounts. For code of a
 * process using fdio (fdio_libc_proc):
 *
 *   ftok(path, id)           from fdio's stat of path, as Fuchsia's libc
 *                            computes it: (id & 0xff) << 24 | (st_dev &
 *                            0xff) << 16 | (st_ino & 0xffff); a path that
 *                            names nothing: -1 with stat's errno (ENOENT
 *                            outside the namespace). No System V IPC takes
 *                            the key (libc_host_services.c)
 *   setmntent (+__setmntent) fopen in the namespace (no /proc, no
 *                            /etc/mtab: ENOENT); getmntent and endmntent are
 *                            libc's, reading the cookie FILE
 *
 * Every other caller (the host) gets libc's own. Read next: fdio_walk.c.
 */
#include <errno.h>
#include <mntent.h>
#include <sys/ipc.h>
#include <sys/stat.h>

#include "fdio_internal.h"
#include "libc_next.h"

LIBC_NEXT_SLOT(ftok);
key_t ftok(const char *path, int id)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(key_t (*)(const char *, int), ftok)(path, id);
    struct stat st;
    if (fdio_posix_stat(fp, path, &st) < 0)
        return -1;
    return (key_t)(((unsigned)id & 0xff) << 24 | ((unsigned)st.st_dev & 0xff) << 16 |
                   ((unsigned)st.st_ino & 0xffff));
}

LIBC_NEXT_SLOT(setmntent);
FILE *setmntent(const char *path, const char *mode)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(FILE * (*)(const char *, const char *), setmntent)(path, mode);
    return fdio_libc_fopen(fp, path, mode);
}

FILE *__setmntent(const char *path, const char *mode)
{
    return setmntent(path, mode);
}
