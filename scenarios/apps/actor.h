/* actor.h — the convention scenario actors follow (docs/scenarios.md).
 *
 * A scenario script hands an actor its wired handles as startup handles:
 * the n-th entry of `handles=[...]` in System.spawn() is found under
 * PA_HND(PA_USER0, n). Arguments come through argv (argv[0] is the
 * process's name). actor_handle(n) takes handle n (ZX_HANDLE_INVALID if
 * the script gave none), actor_status names a status, and
 * actor_ask_for_handle makes the request-reply exchange by which most
 * actors get a handle from a peer. actor_rights spells rights the way
 * graphs and the Python package do (READ|WRITE|MAP, Zircon's names in bit
 * order), not as a number.
 */
#ifndef CAPSIM_SCENARIO_ACTOR_H
#define CAPSIM_SCENARIO_ACTOR_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
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

/* `rights` as Zircon's right names joined by '|' in bit order ("NONE" for
 * none; a bit without a name as its hex value), in buf. Returns buf. */
static inline const char *actor_rights(zx_rights_t rights, char *buf, size_t len)
{
    static const char *const names[32] = {
        "DUPLICATE", "TRANSFER", "READ", "WRITE", "EXECUTE", "MAP", "GET_PROPERTY",
        "SET_PROPERTY", "ENUMERATE", "DESTROY", "SET_POLICY", "GET_POLICY", "SIGNAL",
        "SIGNAL_PEER", "WAIT", "INSPECT", "MANAGE_JOB", "MANAGE_PROCESS", "MANAGE_THREAD",
        "APPLY_PROFILE", "MANAGE_SOCKET", "OP_CHILDREN", "RESIZE", "ATTACH_VMO", "MANAGE_VMO",
        [31] = "SAME_RIGHTS"};
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned bit = 0; bit < 32 && at < len; bit++) {
        if (!(rights & ((zx_rights_t)1u << bit)))
            continue;
        int w = names[bit] ? snprintf(buf + at, len - at, "%s%s", at ? "|" : "", names[bit])
                           : snprintf(buf + at, len - at, "%s%#x", at ? "|" : "", 1u << bit);
        at += w > 0 ? (size_t)w : 0;
    }
    if (!rights)
        snprintf(buf, len, "NONE");
    return buf;
}

/* Send `request` on channel ch, wait for the reply and take its one
 * handle into *out: ZX_OK, the failing call's status, or
 * ZX_ERR_BAD_STATE when the reply carried no handle. */
static inline zx_status_t actor_ask_for_handle(zx_handle_t ch, const char *request,
                                               zx_handle_t *out)
{
    char reply[16];
    uint32_t n = 0, nh = 0;
    zx_status_t st = zx_channel_write(ch, 0, request, (uint32_t)strlen(request), NULL, 0);
    if (st == ZX_OK)
        st = zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                ZX_TIME_INFINITE, NULL);
    if (st == ZX_OK)
        st = zx_channel_read(ch, 0, reply, out, sizeof reply, 1, &n, &nh);
    return st == ZX_OK && nh != 1 ? ZX_ERR_BAD_STATE : st;
}

#endif
