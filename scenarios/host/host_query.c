/* host_query.c — the host API's questions about processes, output and the
 * trace (capsim_host.h).
 *
 * Models: what an observer outside the machine may look at. Processes come
 * from the app layer's records (every process seen to run, koid order,
 * dead ones included); handles of a live process from its table, in slot
 * order, found through the kernel's live list (koid order); output chunks
 * in the order they were written. Nothing here changes the simulation.
 * Read next: host_report.c.
 */
#include <string.h>

#include "app.h"
#include "capsim_host_internal.h"
#include "process.h"

size_t capsim_process_count(CapsimSystem *sys)
{
    return app_proc_count(sys->k);
}

uint64_t capsim_process_koid(CapsimSystem *sys, size_t index)
{
    AppProcInfo info;
    return app_proc_info(sys->k, index, &info) ? info.koid : 0;
}

int capsim_process_info(CapsimSystem *sys, uint64_t koid, CapsimProcessInfo *out)
{
    AppProcInfo info;
    if (!app_proc_info_by_koid(sys->k, koid, &info))
        return -1;
    memset(out, 0, sizeof *out);
    out->koid = info.koid;
    _Static_assert(sizeof out->name == sizeof info.name, "name sizes");
    memcpy(out->name, info.name, sizeof out->name);
    out->end = (int)info.end;
    out->return_code = info.return_code;
    out->fault_kind = info.fault_kind;
    out->fault_addr = info.fault_addr;
    out->fault_addr_known = info.fault_addr_known;
    out->output_bytes = info.output_bytes;
    out->output_truncated = info.output_truncated;
    return 0;
}

int capsim_process_end(CapsimSystem *sys, uint64_t koid)
{
    CapsimProcessInfo info;
    return capsim_process_info(sys, koid, &info) == 0 ? info.end : -1;
}

int64_t capsim_process_return_code(CapsimSystem *sys, uint64_t koid)
{
    CapsimProcessInfo info;
    return capsim_process_info(sys, koid, &info) == 0 ? info.return_code : 0;
}

const char *capsim_end_name(int end)
{
    return app_end_name((AppEnd)end);
}

const char *capsim_fault_name(int fault_kind)
{
    return app_fault_name(fault_kind);
}

size_t capsim_process_output(CapsimSystem *sys, uint64_t koid, int streams,
                             char *buf, size_t len)
{
    return app_output_by_koid(sys->k, koid, streams, buf, len);
}

static KProcess *host_live_process(CapsimSystem *sys, uint64_t koid)
{
    for (KObject *o = sys->k->live_head; o && o->koid <= koid; o = o->live_next)
        if (o->koid == koid && o->ops->type == ZX_OBJ_TYPE_PROCESS)
            return (KProcess *)o;
    return NULL;
}

size_t capsim_process_handles(CapsimSystem *sys, uint64_t koid,
                              CapsimHandleInfo *out, size_t max)
{
    KProcess *p = host_live_process(sys, koid);
    if (!p || p->state == PROCESS_DEAD)
        return 0;
    size_t n = 0;
    uint32_t cursor = 0;
    for (Handle *h; (h = handle_table_next(&p->handles, &cursor)); n++) {
        if (n < max && out)
            out[n] = (CapsimHandleInfo){
                .value = handle_table_value(&p->handles, h),
                .type = h->object->ops->type,
                .rights = h->rights,
                .koid = h->object->koid,
            };
    }
    return n;
}

size_t capsim_output_count(CapsimSystem *sys)
{
    return app_output_world_count(sys->k);
}

int capsim_output_chunk(CapsimSystem *sys, size_t index, uint64_t *koid,
                        int *stream, const char **data, size_t *len)
{
    zx_koid_t k = 0;
    bool ok = app_output_world_chunk(sys->k, index, &k, stream, data, len);
    if (koid)
        *koid = k;
    return ok ? 0 : -1;
}

void capsim_trace_hash(CapsimSystem *sys, char *buf)
{
    sim_trace_hash_hex(sys->e, buf);
}

uint64_t capsim_trace_records(CapsimSystem *sys)
{
    return sim_trace_total(sys->e);
}

int capsim_budget_tripped(CapsimSystem *sys)
{
    AppProcInfo info;
    for (size_t i = 0; app_proc_info(sys->k, i, &info); i++)
        if (info.fault_kind == SIM_FAULT_BUDGET)
            return 1;
    return 0;
}
