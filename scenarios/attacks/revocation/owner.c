/* owner.c — the revocation scenario's entry point: an owner that grants a
 * client access to a service and later wants it back.
 *
 *   revocation.so [--variant=vulnerable|mitigated]
 *
 * vulnerable: the owner hands the client an end of the service's channel
 * itself. Zircon has no revoke: a handle, once in another process's table,
 * is that process's until it closes it (a channel end cannot even be
 * duplicated, so the owner keeps no copy to close, and closing a copy
 * would not touch the client's). At REVOKE_AT the owner has nothing to
 * act on; short of killing the service for everyone, the client keeps its
 * access.
 * mitigated: the owner interposes a caretaker (caretaker.c): the client
 * gets an end of a channel to the caretaker, the caretaker the service's
 * end; the owner keeps the caretaker's process handle. At REVOKE_AT it
 * kills the caretaker, and the client's next call fails with
 * ZX_ERR_PEER_CLOSED: in the capability graph no path leads from the client
 * to the service any more.
 * Every actor runs in a job of its own. Prints what it did; returns 0, or
 * 2 if it could not set up.
 */
#include <capsim/app.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "attack_actor.h"
#include "revoke.h"

/* Start `role` in a new job named after it with PA_USER0 0..n-1. */
static zx_handle_t owner_spawn(const char *role, const zx_handle_t *hs, uint32_t n)
{
    const char *argv[] = {role, NULL};
    return attack_spawn_in_own_job(argv, hs, n);
}

static int owner_run(bool caretaker)
{
    zx_handle_t svc_end, cli_end, front, client_end;
    if (zx_channel_create(0, &svc_end, &cli_end) != ZX_OK)
        return 2;
    zx_handle_t service = owner_spawn("service", &svc_end, 1), keeper = ZX_HANDLE_INVALID;
    if (caretaker) {
        if (zx_channel_create(0, &client_end, &front) != ZX_OK)
            return 2;
        zx_handle_t ends[2] = {front, cli_end};
        keeper = owner_spawn("caretaker", ends, 2);
    } else {
        client_end = cli_end;
    }
    zx_handle_t client = owner_spawn("client", &client_end, 1);
    if (!service || !client || (caretaker && !keeper))
        return 2;
    printf("owner: the client reaches the service %s\n",
           caretaker ? "through a caretaker I can kill" : "directly, on the service's channel");
    zx_nanosleep(REVOKE_AT);
    if (caretaker) {
        zx_status_t s = zx_task_kill(keeper);
        printf("owner: revoking: killed the caretaker: %s\n", zx_status_get_string(s));
    } else {
        printf("owner: revoking: I hold nothing that reaches the client's channel end "
               "(and Zircon has no revoke)\n");
    }
    printf("owner: the client got %lld answers after the revocation\n",
           (long long)attack_wait_retcode(client));
    return 0;
}

int main(int argc, char **argv)
{
    const char *role = attack_role(argc, argv);
    const char *variant = attack_arg(argc, argv, "--variant=", "vulnerable");
    if (!strcmp(role, "service"))
        return revoke_service_main(argc, argv);
    if (!strcmp(role, "client"))
        return revoke_client_main(argc, argv);
    if (!strcmp(role, "caretaker"))
        return revoke_caretaker_main(argc, argv);
    if (strcmp(variant, "vulnerable") && strcmp(variant, "mitigated")) {
        fprintf(stderr, "revocation: unknown variant '%s' (expected vulnerable or mitigated)\n",
                variant);
        return 2;
    }
    return owner_run(!strcmp(variant, "mitigated"));
}
