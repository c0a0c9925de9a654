/* sys_system.c — calls that touch no object: the monotonic clock (virtual
 * time), the seeded CPRNG, and the system_get_* queries.
 *
 * zx_cprng_draw draws from the engine's SIM_STREAM_CPRNG stream, so "random"
 * bytes replay exactly. Requests above ZX_CPRNG_DRAW_MAX_LEN are, as in
 * Zircon, a fatal misuse: the process is killed (Zircon: vDSO contract).
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "process.h"
#include "syscall.h"

#define CAPSIM_VERSION_STRING "capsim-zircon-model"
#define CAPSIM_PHYSMEM (8ull << 30)

zx_instant_mono_t sys_clock_get_monotonic(SysCtx *c)
{
    return sim_now(c->k->engine);
}

/* Misuse kills the caller; the hook then sees it dying and ends it. */
void sys_cprng_draw(SysCtx *c, void *buffer, size_t buffer_size)
{
    if (buffer_size > ZX_CPRNG_DRAW_MAX_LEN) {
        process_kill(c->proc, ZX_TASK_RETCODE_VDSO_KILL);
        return;
    }
    uint8_t bytes[ZX_CPRNG_DRAW_MAX_LEN];
    SimRng *rng = sim_stream(c->k->engine, SIM_STREAM_CPRNG);
    for (size_t i = 0; i < buffer_size; i += 8) {
        uint64_t v = sim_rng_next(rng);
        size_t n = buffer_size - i < 8 ? buffer_size - i : 8;
        memcpy(bytes + i, &v, n);
    }
    if (!sys_copy_out(c, buffer, bytes, buffer_size))
        process_kill(c->proc, ZX_TASK_RETCODE_VDSO_KILL);
}

uint32_t sys_system_get_num_cpus(SysCtx *c)
{
    return (uint32_t)sim_engine_config(c->k->engine)->cpus;
}

uint32_t sys_system_get_page_size(SysCtx *c)
{
    return 4096;
}

uint64_t sys_system_get_physmem(SysCtx *c)
{
    return CAPSIM_PHYSMEM;
}

uint32_t sys_system_get_dcache_line_size(SysCtx *c)
{
    return 64;
}

zx_string_view_t sys_system_get_version_string(SysCtx *c)
{
    zx_string_view_t v = {CAPSIM_VERSION_STRING, sizeof CAPSIM_VERSION_STRING - 1};
    return v;
}
