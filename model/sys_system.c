/* sys_system.c — calls that touch no object: the monotonic clock (virtual
 * time), the seeded CPRNG, and the system_get_* queries.
 *
 * zx_cprng_draw draws from the engine's SIM_STREAM_CPRNG stream, so "random"
 * bytes replay exactly. Any length is drawn, in pieces of
 * ZX_CPRNG_DRAW_MAX_LEN as Zircon's vDSO draws them (zx_cprng_draw_once);
 * a piece that cannot be written is the vDSO's __builtin_trap: the pieces
 * before it are written, the thread takes the trap's exception
 * (exception_raise_trap: delivered to exception channels, else the process
 * dies with ZX_TASK_RETCODE_EXCEPTION_KILL), as a bad pointer handed to any
 * vDSO trap is modeled (sys_vmar_unmap_handle_close_thread_exit). A handler
 * that resumes the thread sees the call return; Zircon's vDSO would trap
 * again, for ever.
 *
 * zx_cprng_add_entropy mixes its bytes into that same stream (sim_rng_mix),
 * as Zircon's mixes them into its one kernel CPRNG: every later draw, by
 * any process, depends on them, and the run stays deterministic because
 * the bytes are (they come from the seeded run). Errors are Zircon's: more
 * than ZX_CPRNG_ADD_ENTROPY_MAX_LEN bytes, or a buffer that cannot be read,
 * ZX_ERR_INVALID_ARGS. Like Zircon's it needs no handle or resource
 * (its documentation notes it should be privileged). Zero bytes change
 * nothing.
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "exception.h"
#include "process.h"
#include "syscall.h"

#define CAPSIM_VERSION_STRING "capsim-zircon-model"
#define CAPSIM_PHYSMEM (8ull << 30)

zx_instant_mono_t sys_clock_get_monotonic(SysCtx *c)
{
    return sim_now(c->k->engine);
}

/* One piece of at most ZX_CPRNG_DRAW_MAX_LEN bytes; false if the buffer
 * cannot be written. */
static bool sys_cprng_draw_piece(SysCtx *c, uint8_t *buffer, size_t len)
{
    uint8_t bytes[ZX_CPRNG_DRAW_MAX_LEN];
    SimRng *rng = sim_stream(c->k->engine, SIM_STREAM_CPRNG);
    for (size_t i = 0; i < len; i += 8) {
        uint64_t v = sim_rng_next(rng);
        size_t n = len - i < 8 ? len - i : 8;
        memcpy(bytes + i, &v, n);
    }
    return sys_copy_out(c, buffer, bytes, len);
}

/* A buffer that cannot be written traps, as the vDSO does. */
void sys_cprng_draw(SysCtx *c, void *buffer, size_t buffer_size)
{
    for (size_t at = 0; at < buffer_size; at += ZX_CPRNG_DRAW_MAX_LEN) {
        size_t n = buffer_size - at;
        if (n > ZX_CPRNG_DRAW_MAX_LEN)
            n = ZX_CPRNG_DRAW_MAX_LEN;
        if (!sys_cprng_draw_piece(c, (uint8_t *)buffer + at, n)) {
            exception_raise_trap(c->thread);
            return;
        }
    }
}

zx_status_t sys_cprng_add_entropy(SysCtx *c, const void *buffer, size_t buffer_size)
{
    uint8_t bytes[ZX_CPRNG_ADD_ENTROPY_MAX_LEN];
    if (buffer_size > ZX_CPRNG_ADD_ENTROPY_MAX_LEN)
        return ZX_ERR_INVALID_ARGS;
    if (!sys_copy_in(c, bytes, buffer, buffer_size))
        return ZX_ERR_INVALID_ARGS;
    sim_rng_mix(sim_stream(c->k->engine, SIM_STREAM_CPRNG), bytes, buffer_size);
    return ZX_OK;
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
