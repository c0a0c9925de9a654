/* revoke.h — the actors of the revocation scenario (one app,
 * revocation.so; the role is --role=NAME or the process name):
 *
 *   owner.c      the scenario's entry point: starts a service and a client
 *                and connects them — directly (vulnerable) or through a
 *                caretaker it controls (mitigated) — and at REVOKE_AT
 *                tries to take the client's access away;
 *   service.c    an echo service on one channel end;
 *   client.c     calls the service every millisecond, REVOKE_CALLS times;
 *   caretaker.c  forwards messages (bytes and handles) both ways between
 *                the client's channel and the service's, until either side
 *                or the caretaker itself goes away.
 *
 * Startup handles: PA_HND(PA_USER0, 0) is each actor's channel end (for the
 * caretaker, the client-facing end; PA_HND(PA_USER0, 1) its service-facing
 * end). Read next: owner.c.
 */
#ifndef CAPSIM_ATTACK_REVOKE_H
#define CAPSIM_ATTACK_REVOKE_H

#include <zircon/types.h>

#define REVOKE_CALLS 20
#define REVOKE_PERIOD ZX_MSEC(1)            /* client: one call per period */
#define REVOKE_AT (ZX_MSEC(10) + ZX_USEC(500)) /* owner revokes (absolute) */

int revoke_owner_main(int argc, char **argv);
int revoke_service_main(int argc, char **argv);
int revoke_client_main(int argc, char **argv);
int revoke_caretaker_main(int argc, char **argv);

#endif
