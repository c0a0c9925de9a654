/* app_sdk.c — <capsim/app.h> and the instrumented build's hook: the app
 * side of the SDK's simulator-only helpers.
 *
 * Models: nothing of Zircon; these let an app spend and read virtual time
 * and start another app. They run on the app's fiber and only call the
 * engine's fiber-side API (sim.h) or enter the kernel with a request the app
 * layer handles (APP_OP_SPAWN, app_spawn.c), never model code.
 *
 * Instrumented apps (pkg-config capsim-app-instrumented: gcc/clang
 * -fsanitize-coverage=trace-pc) call __sanitizer_cov_trace_pc at every
 * basic block edge. Here each call is a preemption point costing
 * APP_SDK_EDGE_NS virtual nanoseconds: virtual time then advances with the
 * work the code does, and the scheduler's strategy may switch threads
 * between any two instrumented points (random walk and PCT do; FIFO only
 * when a slice runs out or a higher priority waits). A race inside app
 * code (a double fetch from memory another thread writes) thus shows up
 * under some schedules, and replays exactly by seed. Outside a simulated
 * thread (host code that happens to be instrumented) the hook does
 * nothing. Read next: app_spawn.c.
 */
#include <capsim/app.h>
#include <zircon/syscalls.h>

#include "app_world.h"
#include "syscall.h"

/* ~ a basic block of a few instructions on a 3 GHz core. */
#define APP_SDK_EDGE_NS 2

int64_t capsim_now(void)
{
    SimEngine *e = sim_current_engine();
    return e ? sim_now(e) : 0;
}

void capsim_charge(int64_t ns)
{
    sim_charge_compute(ns);
}

void capsim_yield(void)
{
    sim_yield();
}

void capsim_preempt_point(int64_t ns)
{
    sim_preempt_point(ns);
}

zx_status_t capsim_spawn(zx_handle_t job, uint32_t flags, const char *app,
                         const char *const *argv,
                         const capsim_spawn_handle_t *handles, size_t nhandles,
                         zx_handle_t *process_out)
{
    SyscallRequest q;
    q.hdr.op = APP_OP_SPAWN;
    q.hdr.flags = 0;
    q.a[0] = job;
    q.a[1] = flags;
    q.a[2] = (uint64_t)(uintptr_t)app;
    q.a[3] = (uint64_t)(uintptr_t)argv;
    q.a[4] = (uint64_t)(uintptr_t)handles;
    q.a[5] = nhandles;
    q.a[6] = (uint64_t)(uintptr_t)process_out;
    q.a[7] = 0;
    q.caller = NULL; /* no stub's */
    return (zx_status_t)sim_enter(&q.hdr);
}

void __sanitizer_cov_trace_pc(void);
void __sanitizer_cov_trace_pc(void)
{
    if (sim_current())
        sim_preempt_point(APP_SDK_EDGE_NS);
}
