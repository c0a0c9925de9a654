/* libc_h_errno.c — h_errno, one per simulated thread.
 *
 * Models: POSIX and glibc keep the resolver's error, h_errno, per thread
 * (glibc: a TLS variable reached through __h_errno_location(), which the
 * h_errno macro calls). Every simulated thread runs on one host thread:
 * one thread's failed gethostbyname() was seen by the threads of every
 * process, and a lookup elsewhere between its call and its check of
 * h_errno changed what it saw. errno is per fiber already (the engine
 * saves it on each switch); h_errno is kept in the thread's AppThread
 * (app_world.h) instead, which costs nothing on a switch:
 *
 *   __h_errno_location       app code: the calling thread's word (0 in a
 *                            new thread); anyone else: libc's
 *   herror(s)                "s: " (when s is not empty) and hstrerror of
 *                            the calling thread's h_errno, on stderr
 *
 * libc_netdb.c sets it through the same macro. Left out: h_errno set by
 * glibc's own resolver functions (none is reachable from app code: the
 * netdb interposers answer every lookup). Read next: libc_locale.c.
 */
#include <netdb.h>
#include <stdio.h>

#include "app_world.h"
#include "libc_next.h"

LIBC_NEXT_SLOT(__h_errno_location);
int *__h_errno_location(void)
{
    AppThread *at = app_world_current_thread();
    if (!at)
        return LIBC_NEXT(int *(*)(void), __h_errno_location)();
    return &at->h_errno_value;
}

LIBC_NEXT_SLOT(herror);
void herror(const char *s)
{
    AppThread *at = app_world_current_thread();
    if (!at) {
        LIBC_NEXT(void (*)(const char *), herror)(s);
        return;
    }
    fprintf(stderr, "%s%s%s\n", s && *s ? s : "", s && *s ? ": " : "",
            hstrerror(at->h_errno_value));
}
