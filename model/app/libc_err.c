/* libc_err.c — err, errx, verr, verrx, error and error_at_line for apps.
 *
 * Models: BSD's and GNU's report-then-exit calls ending the calling
 * PROCESS. glibc's print their message and then call glibc's own exit()
 * from inside libc, past libcapsim's interposer (libc_process.c), so an
 * app's err(1, "...") or error(1, errno, "...") ended the whole simulator
 * with the app's status: every process gone, the run's output and summary
 * never printed.
 *
 *   err, verr, errx, verrx    in app code: the message as glibc prints it
 *                             (its vwarn / vwarnx: "PROG: MESSAGE[: ERROR]"
 *                             on stderr, PROG the process's
 *                             program_invocation_short_name), then
 *                             exit(status): atexit handlers, flush,
 *                             return code = status
 *   error, error_at_line      in app code: glibc's, given the formatted
 *                             message and status 0 (so its words,
 *                             error_print_progname, error_message_count
 *                             and error_one_per_line all hold), then
 *                             exit(status) when status is not 0
 *
 * Everyone else (the host) gets libc's own behaviour. Left out: argp,
 * whose --help, --version and argp_error end through the same internal
 * exit (argp_parse with ARGP_NO_EXIT keeps the simulator running).
 * Read next: libc_signal.c.
 */
#include <err.h>
#include <errno.h>
#include <error.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "app_world.h"
#include "libc_next.h"

typedef void (*LibcVerrFn)(int, const char *, va_list) __attribute__((noreturn));
typedef void (*LibcErrorFn)(int, int, const char *, ...);
typedef void (*LibcErrorAtLineFn)(int, int, const char *, unsigned int, const char *, ...);

/* verr or verrx (name, slot): libc's for the host; in app code `report`
 * (vwarn or vwarnx) prints, then the process exits. */
__attribute__((noreturn)) static void libc_err_exit(void **slot, const char *name,
                                                    void (*report)(const char *, va_list),
                                                    int status, const char *fmt, va_list ap)
{
    if (!app_world_in_app_code())
        ((LibcVerrFn)libc_next_lookup(slot, name))(status, fmt, ap);
    report(fmt, ap);
    exit(status);
}

LIBC_NEXT_SLOT(verr);
void verr(int status, const char *fmt, va_list ap)
{
    libc_err_exit(&libc_next_verr, "verr", vwarn, status, fmt, ap);
}

LIBC_NEXT_SLOT(verrx);
void verrx(int status, const char *fmt, va_list ap)
{
    libc_err_exit(&libc_next_verrx, "verrx", vwarnx, status, fmt, ap);
}

void err(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(status, fmt, ap);
}

void errx(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrx(status, fmt, ap);
}

/* The message of fmt and ap, in libc's heap (NULL without memory). */
static char *libc_err_format(const char *fmt, va_list ap)
{
    char *msg = NULL;
    return vasprintf(&msg, fmt, ap) < 0 ? NULL : msg;
}

LIBC_NEXT_SLOT(error);
void error(int status, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = libc_err_format(fmt, ap);
    va_end(ap);
    bool in_app = app_world_in_app_code();
    LIBC_NEXT(LibcErrorFn, error)(in_app ? 0 : status, errnum, "%s", msg ? msg : fmt);
    free(msg);
    if (status)
        exit(status);
}

LIBC_NEXT_SLOT(error_at_line);
void error_at_line(int status, int errnum, const char *file, unsigned int line,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = libc_err_format(fmt, ap);
    va_end(ap);
    bool in_app = app_world_in_app_code();
    LIBC_NEXT(LibcErrorAtLineFn, error_at_line)(in_app ? 0 : status, errnum, file, line, "%s",
                                                msg ? msg : fmt);
    free(msg);
    if (status)
        exit(status);
}
