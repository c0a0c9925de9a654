/* libc_getdate.c — getdate for apps, as Fuchsia's libc (musl) does it.
 *
 * Models: getdate(s) reads the file named by DATEMSK, one strptime format
 * a line, and answers the first format that takes the whole of s. glibc's
 * opened that file on the HOST (DATEMSK=/etc/shadow read host lines as
 * formats), answered in one struct tm for every process and set one
 * getdate_err for all. Here, from app code (app_world_in_app_code()):
 *
 *   DATEMSK                  from the process's environment; unset:
 *                            getdate_err 1 (an empty name is a file that
 *                            cannot be opened: 2, as musl)
 *   the file                 opened in the process's namespace (fdio); not
 *                            there, or no fdio: 2; out of memory: 6
 *   each line                up to 99 bytes at a time (musl's buffer), the
 *                            newline kept (strptime takes it as white
 *                            space); the first format after which nothing
 *                            of s is left wins
 *   no format took s         7; a read error: 5
 *   the answer               the process's own struct tm
 *                            (libc_static_buffers.c), never cleared: fields
 *                            no format names keep earlier values, and no
 *                            date is completed or normalised (musl's, not
 *                            glibc's mktime pass); getdate_err is left as it
 *                            was on success
 *   getdate_r (glibc's; not in Fuchsia's libc)
 *                            the same into the caller's tm, the code
 *                            returned (0 on success)
 *
 * getdate_err is the process's own (app_world_io.c swaps it). strptime is
 * glibc's (its %Z and %s see glibc's zone, libc_tz.c). Everyone else gets
 * libc's own. Read next: libc_auxv.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"
#include "sdk/fdio_internal.h"

/* getdate_err's values (POSIX). */
enum {
    GETDATE_NO_DATEMSK = 1,
    GETDATE_CANNOT_OPEN = 2,
    GETDATE_READ_ERROR = 5,
    GETDATE_NO_MEMORY = 6,
    GETDATE_NO_MATCH = 7,
};

/* musl's line buffer: a longer line is read as several formats. */
#define GETDATE_LINE 100

/* s by the formats of DATEMSK into *tm: 0, or getdate_err's code. */
static int getdate_parse(const char *s, struct tm *tm)
{
    const char *mask = getenv("DATEMSK");
    if (!mask)
        return GETDATE_NO_DATEMSK;
    FdioProcess *fp = fdio_libc_proc();
    errno = ENOENT;
    FILE *f = fp ? fdio_libc_fopen(fp, mask, "r") : NULL;
    if (!f)
        return errno == ENOMEM ? GETDATE_NO_MEMORY : GETDATE_CANNOT_OPEN;
    char fmt[GETDATE_LINE];
    int code = GETDATE_NO_MATCH;
    while (fgets(fmt, sizeof fmt, f)) {
        const char *end = strptime(s, fmt, tm);
        if (end && !*end) {
            code = 0;
            break;
        }
    }
    if (code && ferror(f))
        code = GETDATE_READ_ERROR;
    fclose(f);
    return code;
}

LIBC_NEXT_SLOT(getdate);
struct tm *getdate(const char *s)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(struct tm * (*)(const char *), getdate)(s);
    LibcProcBuffers *b = libc_proc_buffers();
    int code = b ? getdate_parse(s, &b->getdate_tm) : GETDATE_NO_MEMORY;
    if (!code)
        return &b->getdate_tm;
    app_io_set_running(APP_IO_GETDATE_ERR, (uint64_t)code);
    return NULL;
}

LIBC_NEXT_SLOT(getdate_r);
int getdate_r(const char *s, struct tm *tm)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, struct tm *), getdate_r)(s, tm);
    return getdate_parse(s, tm);
}
