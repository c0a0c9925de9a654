/* host_script.c — the scripting state of a system and its simplest knobs:
 * recording, the kernel's fault switches and cost model, the schedule the
 * engine recorded (capsim_script.h).
 *
 * Models: what a researcher at the console of a simulated machine may turn
 * before and during a run. Fault switches remove one real kernel check
 * each (model/kernel.h); every use of one is a KTR_FAULT_INJECTED trace
 * record. The schedule is the engine's list of choices (sim_schedule):
 * feeding it back as CapsimConfig.replay with CAPSIM_STRATEGY_REPLAY
 * reproduces the run, trace hash included.
 *
 * Invariants: a system's HostScript exists from its first scripting call
 * to capsim_system_free, which calls host_script_free after app_shutdown
 * (so the recorder, wrapped by the app layer's hook, is unwrapped last).
 * Leaves out: changing the engine's own costs after creation (they are
 * CapsimConfig fields). Read next: host_objects.c.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "component_manager.h"
#include "host_script_internal.h"
#include "viz_components.h"
#include "viz_recorder.h"

HostScript *host_script(CapsimSystem *sys)
{
    if (!sys->script)
        sys->script = calloc(1, sizeof *sys->script);
    if (!sys->script)
        abort(); /* out of host memory: nothing sensible to do */
    return sys->script;
}

int host_script_fail(CapsimSystem *sys, int status, const char *fmt, ...)
{
    host_script(sys)->last_status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sys->error, sizeof sys->error, fmt, ap);
    va_end(ap);
    return status;
}

void host_script_free(CapsimSystem *sys)
{
    HostScript *s = sys->script;
    if (!s)
        return;
    if (s->cm)
        viz_components_forget(s->cm);
    cm_free(s->cm);
    sandbox_policy_free(s->policy);
    free(s->job_policy);
    free(s->envs);
    viz_recorder_free(s->rec);
    free(s);
    sys->script = NULL;
}

AppImage *host_script_image(CapsimSystem *sys, const char *path)
{
    AppImage *img = g_hash_table_lookup(sys->images, path);
    if (img)
        return img;
    if (!(img = app_image_builtin(path))) {
        char *err = NULL;
        img = app_image_load_file(path, &err);
        if (!img) {
            host_script_fail(sys, ZX_ERR_NOT_SUPPORTED, "%s", err ? err : "cannot load the app");
            free(err);
            return NULL;
        }
    }
    g_hash_table_insert(sys->images, g_strdup(path), img);
    return img;
}

uint64_t host_script_thread_process(CapsimSystem *sys, uint64_t thread)
{
    if (!thread)
        return 0;
    HostScript *s = host_script(sys);
    VizThreadInfo ti;
    if (s->rec && viz_recorder_thread(s->rec, thread, &ti))
        return ti.process_koid;
    SimThread *st = sim_thread_by_id(sys->e, thread);
    ExportThreadInfo ei;
    return st && export_thread_info(st, &ei) ? ei.process_koid : 0;
}

int capsim_record(CapsimSystem *sys)
{
    HostScript *s = host_script(sys);
    if (s->rec)
        return 0;
    if (sim_now(sys->e) != 0 || capsim_process_count(sys) != 0 || s->cm)
        return host_script_fail(sys, -1, "capsim_record: call it before anything runs");
    s->rec = viz_recorder_attach(sys->k);
    return s->rec ? 0 : host_script_fail(sys, -1, "capsim_record: out of memory");
}

void capsim_get_faults(CapsimSystem *sys, CapsimFaults *out)
{
    const KernelFaults *f = &sys->k->faults;
    *out = (CapsimFaults){
        .skip_rights_subset = f->skip_rights_subset,
        .skip_owner_check = f->skip_owner_check,
        .no_handle_generation = f->no_handle_generation,
        .accept_dotdot = f->accept_dotdot,
        .skip_type_check = f->skip_type_check,
    };
}

void capsim_set_faults(CapsimSystem *sys, const CapsimFaults *f)
{
    KernelFaults *k = &sys->k->faults;
    k->skip_rights_subset = f->skip_rights_subset != 0;
    k->skip_owner_check = f->skip_owner_check != 0;
    k->no_handle_generation = f->no_handle_generation != 0;
    k->accept_dotdot = f->accept_dotdot != 0;
    k->skip_type_check = f->skip_type_check != 0;
}

void capsim_get_costs(CapsimSystem *sys, CapsimCosts *out)
{
    const KernelCosts *c = &sys->k->costs;
    *out = (CapsimCosts){
        .handle_op = c->handle_op,
        .object_create = c->object_create,
        .per_kib_copy = c->per_kib_copy,
        .per_handle_moved = c->per_handle_moved,
        .wait_setup = c->wait_setup,
        .process_create = c->process_create,
        .thread_create = c->thread_create,
    };
}

int capsim_set_costs(CapsimSystem *sys, const CapsimCosts *c)
{
    const int64_t v[] = {c->handle_op, c->object_create, c->per_kib_copy,
                         c->per_handle_moved, c->wait_setup, c->process_create,
                         c->thread_create};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (v[i] < 0)
            return host_script_fail(sys, ZX_ERR_INVALID_ARGS,
                                    "kernel costs must be >= 0 ns, not %lld",
                                    (long long)v[i]);
    sys->k->costs = (KernelCosts){
        .handle_op = c->handle_op,
        .object_create = c->object_create,
        .per_kib_copy = c->per_kib_copy,
        .per_handle_moved = c->per_handle_moved,
        .wait_setup = c->wait_setup,
        .process_create = c->process_create,
        .thread_create = c->thread_create,
    };
    return ZX_OK;
}

size_t capsim_schedule(CapsimSystem *sys, uint32_t *out, size_t max)
{
    size_t n = 0;
    const uint32_t *s = sim_schedule(sys->e, &n);
    if (out && s)
        memcpy(out, s, (n < max ? n : max) * sizeof *out);
    return n;
}

uint64_t capsim_preemptions(CapsimSystem *sys)
{
    return sim_preemptions(sys->e);
}

uint64_t capsim_syscall_count(CapsimSystem *sys)
{
    return sys->k->syscalls;
}

int capsim_last_status(CapsimSystem *sys)
{
    return sys->script ? sys->script->last_status : 0;
}

int capsim_last_result(CapsimSystem *sys)
{
    return sys->last_result;
}
