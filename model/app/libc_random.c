/* libc_random.c — libc's random bytes, interposed for apps.
 *
 * Models: randomness as a process inside the simulation sees it: Zircon's
 * kernel CPRNG, zx_cprng_draw, which capsim draws from the engine's seeded
 * "cprng" stream (model/sys_system.c). Without this an app's getrandom()
 * read the HOST's entropy, so one seed no longer gave one output or trace.
 * Every call below draws through zx_cprng_draw, at most
 * ZX_CPRNG_DRAW_MAX_LEN (256) bytes a call: it costs virtual time and is
 * traced like any syscall, and the same seed replays the same bytes.
 *
 *   getrandom(buf, n, flags) n bytes (at most Linux's 0x7ffff000 a call);
 *                            GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE are
 *                            accepted and change nothing (the stream never
 *                            blocks nor runs dry); other bits, or RANDOM
 *                            with INSECURE: EINVAL. A buffer that cannot be
 *                            written: the count written before the first
 *                            bad byte, or -1/EFAULT if none (as Linux)
 *   getentropy(buf, n)       0; n > 256: EIO (glibc's limit); a bad
 *                            buffer: EFAULT
 *   arc4random, arc4random_buf, arc4random_uniform (unbiased: rejection
 *                            sampling; a bound below 2 gives 0). A buffer
 *                            that cannot be written aborts the process:
 *                            glibc's arc4random_buf has no error either and
 *                            dies with a fatal error
 *   syscall(SYS_getrandom, ...) the getrandom above; every other number
 *                            goes to libc's syscall() with the caller's
 *                            arguments (below)
 *
 * /dev/urandom and /dev/random are not served here: an app's open() and
 * fopen() resolve in its namespace only (model/sdk/fdio_libc.c), which has
 * no /dev/urandom, so they are ENOENT — as on Fuchsia, whose programs draw
 * with zx_cprng_draw (its libc's getentropy does) and have no such file.
 *
 * The rule, as in libc_time.c: called from app code of a simulated
 * process (app_world_in_app_code(): not the kernel code serving it), the
 * simulated thing; otherwise libc's own (dlsym RTLD_NEXT), so the host
 * keeps its entropy. A bad buffer is
 * found with sim_safe_copy (as libc_io.c does), never by faulting.
 *
 * AddressSanitizer intercepts getrandom alone of these (GCC 12's libasan);
 * its interceptor calls the next definition, this one, from the caller's
 * thread, and its runtime draws its own bytes with raw system calls, never
 * through it: unlike libc_time.c's, these stay in ASan builds.
 *
 * Left out: randomness that reaches no interposer — the RDRAND/RDSEED
 * instructions, system calls made by inline assembly, glibc's internal
 * draws in functions not interposed (mkstemp's names are drawn here by
 * model/sdk/fdio_temp.c). Read next: libc_pthread.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zircon/syscalls.h>

#include "app_world.h"
#include "libc_next.h"

/* The flags Linux's getrandom knows. */
#define APP_RANDOM_FLAGS (GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)
/* Linux's most bytes for one call (MAX_RW_COUNT: INT_MAX less a page). */
#define APP_RANDOM_MAX_CALL ((size_t)0x7ffff000)
/* glibc's getentropy refuses more (EIO), as OpenBSD's does. */
#define APP_RANDOM_ENTROPY_MAX ((size_t)256)

LIBC_NEXT_SLOT(getrandom);
LIBC_NEXT_SLOT(getentropy);
LIBC_NEXT_SLOT(arc4random);
LIBC_NEXT_SLOT(arc4random_buf);
LIBC_NEXT_SLOT(arc4random_uniform);
LIBC_NEXT_SLOT(syscall);

/* How many of the k bytes at src could be copied to dst, one at a time,
 * before the first that could not. */
static size_t app_random_copy_prefix(uintptr_t dst, const uint8_t *src, size_t k)
{
    size_t i = 0;
    while (i < k && sim_safe_copy((void *)(dst + i), src + i, 1))
        i++;
    return i;
}

/* Writes n bytes of the CPRNG to the app's buffer, drawn 256 at a time;
 * returns how many were written before the first byte that could not be
 * (n when all could). */
static size_t app_random_fill(void *buf, size_t n)
{
    uint8_t chunk[ZX_CPRNG_DRAW_MAX_LEN];
    uintptr_t dst = (uintptr_t)buf;
    size_t done = 0;
    while (done < n) {
        size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
        zx_cprng_draw(chunk, k);
        if (!sim_safe_copy((void *)(dst + done), chunk, k))
            return done + app_random_copy_prefix(dst + done, chunk, k);
        done += k;
    }
    return n;
}

static uint32_t app_random_u32(void)
{
    uint32_t v;
    zx_cprng_draw(&v, sizeof v);
    return v;
}

static ssize_t app_random_getrandom(void *buf, size_t n, unsigned int flags)
{
    if ((flags & ~APP_RANDOM_FLAGS) ||
        (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) {
        errno = EINVAL;
        return -1;
    }
    if (n > APP_RANDOM_MAX_CALL)
        n = APP_RANDOM_MAX_CALL;
    size_t written = app_random_fill(buf, n);
    if (written == 0 && n > 0) {
        errno = EFAULT;
        return -1;
    }
    return (ssize_t)written;
}

ssize_t getrandom(void *buf, size_t n, unsigned int flags)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(ssize_t (*)(void *, size_t, unsigned int), getrandom)(buf, n, flags);
    return app_random_getrandom(buf, n, flags);
}

int getentropy(void *buf, size_t n)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(void *, size_t), getentropy)(buf, n);
    if (n > APP_RANDOM_ENTROPY_MAX) {
        errno = EIO;
        return -1;
    }
    if (app_random_fill(buf, n) < n) {
        errno = EFAULT;
        return -1;
    }
    return 0;
}

uint32_t arc4random(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(uint32_t (*)(void), arc4random)();
    return app_random_u32();
}

void arc4random_buf(void *buf, size_t n)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(void *, size_t), arc4random_buf)(buf, n);
        return;
    }
    if (app_random_fill(buf, n) < n)
        abort(); /* libc_process.c's: an exception, and the process dies */
}

uint32_t arc4random_uniform(uint32_t bound)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(uint32_t (*)(uint32_t), arc4random_uniform)(bound);
    if (bound < 2)
        return 0;
    /* The lowest 2^32 mod bound values would make the low results one
     * draw likelier than the rest: draw again when one comes up. */
    uint32_t skip = -bound % bound;
    for (;;) {
        uint32_t r = app_random_u32();
        if (r >= skip)
            return r % bound;
    }
}

/* Raw syscall(): the host calls it constantly (GLib's and Python's futex
 * waits), so the number is checked first and libc's is looked up once.
 * The arguments are forwarded as six longs read from the va_list, as
 * glibc's own syscall() passes its registers on: on x86-64 the sixth comes
 * from the caller's stack even when it passed fewer, a slot of its frame
 * that is always mapped but may be an ASan redzone — so not instrumented.
 * Forwarding adds a frame, which matters only to calls that do not return
 * normally to it (clone onto a new stack), unusable through libc's
 * syscall() already. */
__attribute__((no_sanitize_address)) long syscall(long nr, ...)
{
    va_list ap;
    va_start(ap, nr);
    long a[6];
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    if (nr == SYS_getrandom && app_world_in_app_code())
        return app_random_getrandom((void *)a[0], (size_t)a[1], (unsigned int)a[2]);
    return LIBC_NEXT(long (*)(long, ...), syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Looked up before anyone can call syscall() from a signal handler, where
 * dlsym is not safe. */
__attribute__((constructor)) static void app_random_resolve(void)
{
    (void)LIBC_NEXT(long (*)(long, ...), syscall);
}
