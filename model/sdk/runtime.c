/* runtime.c — <zircon/process.h> and the vDSO helpers that are not
 * syscalls: zx_take_startup_handle, zx_process_self, zx_thread_self,
 * zx_vmar_root_self, zx_job_default, zx_deadline_after,
 * zx_handle_check_valid.
 *
 * These run on the app's fiber and only read the runtime blocks (runtime.h)
 * and make ordinary syscalls. A process launched with no runtime block gets
 * ZX_HANDLE_INVALID from every accessor: it really has nothing.
 */
#include <stdlib.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "runtime.h"
#include "sim.h"

CapsimThreadRuntime *capsim_thread_runtime(void)
{
    SimThread *t = sim_current();
    return t ? (CapsimThreadRuntime *)sim_thread_user(t) : NULL;
}

void capsim_thread_runtime_free(CapsimThreadRuntime *tr)
{
    if (tr)
        free(tr->pthread_values);
    free(tr);
}

static CapsimProcessRuntime *runtime_process(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    return tr ? tr->proc : NULL;
}

int capsim_process_on_release(void (*fn)(void *), void *arg)
{
    CapsimProcessRuntime *rt = runtime_process();
    CapsimReleaseFn *r = rt ? malloc(sizeof *r) : NULL;
    if (!r)
        return -1;
    *r = (CapsimReleaseFn){fn, arg, rt->on_release};
    rt->on_release = r;
    return 0;
}

void capsim_process_forget_release(void (*fn)(void *), void *arg)
{
    CapsimProcessRuntime *rt = runtime_process();
    for (CapsimReleaseFn **at = rt ? &rt->on_release : NULL; at && *at;
         at = &(*at)->next) {
        if ((*at)->fn == fn && (*at)->arg == arg) {
            CapsimReleaseFn *r = *at;
            *at = r->next;
            free(r);
            return;
        }
    }
}

int capsim_runtime_add_startup(CapsimProcessRuntime *rt, uint32_t info,
                               zx_handle_t handle)
{
    if (rt->nstartup >= CAPSIM_MAX_STARTUP_HANDLES)
        return -1;
    rt->startup[rt->nstartup++] = (CapsimStartupHandle){info, handle};
    switch (PA_HND_TYPE(info)) {
    case PA_PROC_SELF:
        rt->proc_self = handle;
        break;
    case PA_VMAR_ROOT:
        rt->vmar_root = handle;
        break;
    case PA_JOB_DEFAULT:
        rt->job_default = handle;
        break;
    default:
        break;
    }
    return 0;
}

zx_handle_t zx_take_startup_handle(uint32_t hnd_info)
{
    CapsimProcessRuntime *rt = runtime_process();
    if (!rt)
        return ZX_HANDLE_INVALID;
    for (size_t i = 0; i < rt->nstartup; i++) {
        if (rt->startup[i].info == hnd_info && rt->startup[i].handle != ZX_HANDLE_INVALID) {
            zx_handle_t h = rt->startup[i].handle;
            rt->startup[i].handle = ZX_HANDLE_INVALID;
            return h;
        }
    }
    return ZX_HANDLE_INVALID;
}

zx_handle_t zx_thread_self(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    return tr ? tr->thread_self : ZX_HANDLE_INVALID;
}

zx_handle_t zx_process_self(void)
{
    CapsimProcessRuntime *rt = runtime_process();
    return rt ? rt->proc_self : ZX_HANDLE_INVALID;
}

zx_handle_t zx_vmar_root_self(void)
{
    CapsimProcessRuntime *rt = runtime_process();
    return rt ? rt->vmar_root : ZX_HANDLE_INVALID;
}

zx_handle_t zx_job_default(void)
{
    CapsimProcessRuntime *rt = runtime_process();
    return rt ? rt->job_default : ZX_HANDLE_INVALID;
}

zx_instant_mono_t zx_deadline_after(zx_duration_mono_t nanoseconds)
{
    zx_instant_mono_t now = zx_clock_get_monotonic();
    if (nanoseconds > 0 && now > ZX_TIME_INFINITE - nanoseconds)
        return ZX_TIME_INFINITE;
    return now + nanoseconds;
}

zx_status_t zx_handle_check_valid(zx_handle_t handle)
{
    if (handle == ZX_HANDLE_INVALID)
        return ZX_ERR_INVALID_ARGS;
    if ((handle & ZX_HANDLE_FIXED_BITS_MASK) != ZX_HANDLE_FIXED_BITS_MASK)
        return ZX_ERR_OUT_OF_RANGE;
    zx_status_t s = zx_object_get_info(handle, ZX_INFO_HANDLE_VALID, NULL, 0,
                                       NULL, NULL);
    return s == ZX_OK ? ZX_OK : ZX_ERR_NOT_FOUND;
}

/* The _zx_ spellings <zircon/process.h> declares. */
zx_handle_t _zx_take_startup_handle(uint32_t hnd_info) __attribute__((alias("zx_take_startup_handle")));
zx_handle_t _zx_thread_self(void) __attribute__((alias("zx_thread_self")));
zx_handle_t _zx_process_self(void) __attribute__((alias("zx_process_self")));
zx_handle_t _zx_vmar_root_self(void) __attribute__((alias("zx_vmar_root_self")));
zx_handle_t _zx_job_default(void) __attribute__((alias("zx_job_default")));
