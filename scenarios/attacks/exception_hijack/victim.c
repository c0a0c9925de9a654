/* victim.c — the exception_hijack scenario's victim: a program that holds a
 * secret (a VMO given as PA_USER0) and has a crash bug.
 *
 * It reads the secret (to show it has it), spends a millisecond "parsing
 * input", then stores through a pointer its parser left NULL: a page fault
 * at address 16. Nothing here is wrong with the victim's capabilities: the
 * crash alone only kills it. What turns the crash into a hijack is a
 * debugger exception channel someone else bound on its process (see
 * attacker.c) — Zircon stops a faulting thread and asks that channel first.
 * Read next: attacker.c.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "hijack.h"

struct victim_request {
    char header[16];
    int length;           /* at offset 16: where the crash stores */
};

/* The bug: `req` comes back NULL for this input and is used anyway. The
 * pointer goes through a volatile so the compiler emits a real store (a
 * NULL dereference it could see would become a trap instruction). */
static void victim_parse(struct victim_request *req)
{
    volatile uintptr_t laundered = (uintptr_t)req;
    volatile int *length = &((struct victim_request *)laundered)->length;
    *length = 1;
}

int hijack_victim_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t secret = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    char buf[64] = {0};
    if (zx_vmo_read(secret, buf, 0, sizeof buf - 1) != ZX_OK)
        return 3;
    printf("victim: holding a secret of %zu bytes; parsing untrusted input\n", strlen(buf));
    zx_nanosleep(zx_deadline_after(HIJACK_VICTIM_DELAY));
    printf("victim: this input makes the parser dereference NULL\n");
    victim_parse(NULL);
    printf("victim: (never printed)\n");
    return 0;
}
