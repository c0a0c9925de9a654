/* libc_auxv.c — getauxval for apps: Fuchsia's answers.
 *
 * Models: a Fuchsia process has no auxiliary vector; its libc answers the
 * two entries programs ask for and nothing else. glibc's answered with the
 * HOST process's vector: AT_RANDOM pointed at 16 bytes the host kernel drew
 * at exec (one more source of randomness outside the seed, and the same
 * for every process), AT_HWCAP and AT_PLATFORM described the host CPU,
 * AT_EXECFN named the host binary. From app code (app_world_app_caller):
 *
 *   getauxval, __getauxval  AT_SECURE: 0; AT_PAGESZ: the page size (4096,
 *                           the simulated one, vmo.h); anything else 0 with
 *                           errno ENOENT (AT_RANDOM, AT_HWCAP, AT_HWCAP2,
 *                           AT_PLATFORM, AT_EXECFN, AT_BASE...)
 *
 * Host libraries running on an app's thread and everyone else get libc's
 * own. Read next: libc_absent.c.
 */
#include <errno.h>
#include <sys/auxv.h>

#include "app_world.h"
#include "libc_next.h"
#include "vmo.h"

/* Fuchsia's answer to getauxval(type). */
static unsigned long auxv_answer(unsigned long type)
{
    switch (type) {
    case AT_SECURE:
        return 0;
    case AT_PAGESZ:
        return VMO_PAGE_SIZE;
    default:
        errno = ENOENT;
        return 0;
    }
}

LIBC_NEXT_SLOT(getauxval);
unsigned long getauxval(unsigned long type)
{
    if (!app_world_app_caller(__builtin_return_address(0)))
        return LIBC_NEXT(unsigned long (*)(unsigned long), getauxval)(type);
    return auxv_answer(type);
}

LIBC_NEXT_SLOT(__getauxval);
unsigned long __getauxval(unsigned long type)
{
    if (!app_world_app_caller(__builtin_return_address(0)))
        return LIBC_NEXT(unsigned long (*)(unsigned long), __getauxval)(type);
    return auxv_answer(type);
}
