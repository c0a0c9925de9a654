/* actor.h — the convention scenario actors follow (docs/scenarios.md).
 *
 * A scenario script hands an actor its wired handles as startup handles:
 * the n-th entry of `handles=[...]` in System.spawn() is found under
 * PA_HND(PA_USER0, n). Arguments come through argv (argv[0] is the
 * process's name). actor_handle(n) takes handle n (ZX_HANDLE_INVALID if
 * the script gave none), actor_say prints one line prefixed with the
 * process name, so scenario expectations can look for it in the output.
 */
#ifndef CAPSIM_SCENARIO_ACTOR_H
#define CAPSIM_SCENARIO_ACTOR_H

#include <stdarg.h>
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

static inline zx_handle_t actor_handle(unsigned n)
{
    return zx_take_startup_handle(PA_HND(PA_USER0, n));
}

static inline const char *actor_status(zx_status_t st)
{
    return zx_status_get_string(st);
}

#endif
