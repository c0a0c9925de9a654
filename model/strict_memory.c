/* strict_memory.c — which process's memory is reachable, and when.
 *
 * Models: address spaces. On a real machine a process sees only its own
 * mappings; here all processes share the host's, so a stray pointer into
 * another process's VMO mapping would simply work. In strict mode (off by
 * default; Kernel.strict_memory) exactly one address space is open at any
 * moment (host_isolation.c closes the others):
 *
 *  - app code of process P runs with P open: the engine's memory hook
 *    (sim_engine_set_memory_hook) opens the process of every thread before
 *    it resumes, so a thread of P touching Q's mapping takes a real page
 *    fault, which becomes ZX_EXCP_FATAL_PAGE_FAULT on that thread like any
 *    bad pointer (exception channels, else ZX_TASK_RETCODE_EXCEPTION_KILL);
 *  - the kernel reaches app memory through app addresses only with the
 *    owner open: the same hook runs before the engine reads or answers a
 *    thread's request (it lives on the thread's stack, which may be a VMO
 *    mapping), and strict_memory_user_copy opens the process it copies
 *    for: the caller (sys_copy_in/out), or a blocked waiter whose results
 *    another thread's syscall delivers (port_wait, object_wait_*,
 *    channel_call). A syscall buffer pointing into another process's
 *    mapping therefore fails with ZX_ERR_INVALID_ARGS, as on Zircon;
 *  - the kernel's own view of VMO pages (vmo_bytes: process_read_memory,
 *    process_write_memory, vmo_read/write) is a separate host mapping that
 *    is never closed, so debuggers and shared VMOs keep working; a VMO
 *    mapped into two processes is reached by each through its own mapping.
 *
 * Threads of one process share its open state whatever their CPU (one
 * host thread runs every CPU). Nothing here is traced and no virtual time
 * is charged: a fault-free run has the same trace hash strict or not.
 * Leaves out: the rest of what processes share in one host process — the
 * memory host libraries allocate, app globals of built-in programs —
 * stays reachable (only VMO mappings are isolated; docs/sdk.md).
 * Read next: host_isolation.c, vmar.c.
 */
#include "strict_memory.h"
#include "thread.h"

static void strict_memory_thread_hook(SimEngine *e, SimThread *st, void *ctx)
{
    (void)e, (void)ctx;
    strict_memory_enter_thread(st);
}

static bool strict_memory_has_process(const Kernel *k)
{
    for (const KObject *o = k->live_head; o; o = o->live_next)
        if (o->ops->type == ZX_OBJ_TYPE_PROCESS)
            return true;
    return false;
}

zx_status_t strict_memory_set(Kernel *k, HostIsolation mode)
{
    if (mode != HOST_ISOLATION_OFF && mode != HOST_ISOLATION_PKEY &&
        mode != HOST_ISOLATION_MPROTECT)
        return ZX_ERR_INVALID_ARGS;
    if (mode == k->strict_memory)
        return ZX_OK;
    if (strict_memory_has_process(k))
        return ZX_ERR_BAD_STATE;
    if (mode == HOST_ISOLATION_PKEY && !host_isolation_pkeys_available())
        return ZX_ERR_NOT_SUPPORTED;
    k->strict_memory = mode;
    if (mode == HOST_ISOLATION_OFF)
        sim_engine_set_memory_hook(k->engine, NULL, NULL);
    else
        sim_engine_set_memory_hook(k->engine, strict_memory_thread_hook, k);
    return ZX_OK;
}

HostIsolation strict_memory_best(void)
{
    return host_isolation_pkeys_available() ? HOST_ISOLATION_PKEY
                                            : HOST_ISOLATION_MPROTECT;
}

const char *strict_memory_name(HostIsolation mode)
{
    switch (mode) {
    case HOST_ISOLATION_PKEY: return "pkey";
    case HOST_ISOLATION_MPROTECT: return "mprotect";
    default: return "off";
    }
}
