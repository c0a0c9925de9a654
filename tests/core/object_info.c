/* object_info.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/object-info/: the topic-specific tests of
 * process-, task-, thread-, vmar-, job- and basic-object-info-test.cc.
 * The generic buffer/handle/rights checks they share (upstream's helper.h)
 * are in object_info_generic.c. Test names carry the upstream suite
 * (Process_, Task_, Thread_, Vmar_, Job_, Basic_) since several suites use
 * the same case names.
 *
 * Not ported:
 *   ShareableProcessGetInfoTest.InfoProcessVmosSmokeTest — shared address
 *     spaces (ZX_PROCESS_SHARED, zx_process_create_shared) are not modeled.
 *   KernelStatsGetInfoTest (all 14 cases) — ZX_INFO_KMEM_STATS,
 *     ZX_INFO_KMEM_STATS_EXTENDED and ZX_INFO_CPU_STATS are not modeled.
 * Adapted: InfoProcessMapsSmokeTest does not require the address space
 * and root VMAR to exceed 1 TiB (a simulated address space is a 1 GiB
 * slot); InfoProcessHandleStats and InfoProcessHandleTableSelf first give
 * the test process a VMO and some events (it starts with only its startup
 * handles, where upstream's has dozens); InfoStatsSmokeTest first maps a
 * private VMO and one shared with another process (upstream's process has
 * its ELF mappings and the shared vDSO); the fixture process holds its
 * VMO and a channel whose peer it closed (upstream: mini-process's
 * bootstrap channel).
 */
#include <string.h>

#include "object_info_fixture.h"

/* ---- ProcessGetInfoTest ---------------------------------------------------- */

static void maps_unstarted_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar;
    core_process(&proc, &vmar);
    zx_info_maps_t maps;
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS_MAPS, &maps, 0, &actual, &avail), ZX_OK);
}
Test(object_info, Process_InfoProcessMapsUnstartedSuceeds) { core_run(maps_unstarted_body); }

#define MAX_MAPS 64

static void maps_smoke_body(uintptr_t a, uintptr_t b)
{
    InfoFixture *f = fixture_process();
    static zx_info_maps_t maps[MAX_MAPS], maps2[MAX_MAPS];
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(f->proc, ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &actual, &avail),
                 ZX_OK);
    cr_expect_eq(actual, avail, "everything fit");
    cr_assert_geq(actual, 2u);
    cr_expect_eq(maps[0].type, ZX_INFO_MAPS_TYPE_ASPACE);
    cr_expect_eq(maps[0].depth, 0u);
    cr_expect_eq(maps[1].type, ZX_INFO_MAPS_TYPE_VMAR);
    cr_expect_eq(maps[1].depth, 1u);
    bool saw_vmar = false, under = false;
    size_t vmar_depth = 0;
    uint32_t saw = 0;
    for (size_t i = 2; i < actual; i++) {
        const zx_info_maps_t *e = &maps[i];
        cr_expect_gt(e->depth, 1u, "entry %zu is below the root VMAR", i);
        if (e->type == ZX_INFO_MAPS_TYPE_VMAR && e->base == f->vmar_base && e->size == f->vmar_size) {
            saw_vmar = under = true;
            vmar_depth = e->depth;
        } else if (under && e->depth <= vmar_depth) {
            under = false;
        } else if (under) {
            cr_expect_eq(e->type, ZX_INFO_MAPS_TYPE_MAPPING);
            cr_expect(e->base >= f->vmar_base && e->base + e->size <= f->vmar_base + f->vmar_size);
            int j = fixture_mapping_index(f, e->base, e->size);
            cr_expect_geq(j, 0, "a mapping we made");
            if (j >= 0) {
                cr_expect_not(saw & (1u << j), "seen once");
                saw |= 1u << j;
                cr_expect_eq(e->u.mapping.mmu_flags, f->map_flags[j], "mapping %d's flags", j);
            }
        }
    }
    cr_expect(saw_vmar);
    cr_expect_eq(saw, (1u << FIXTURE_MAPPINGS) - 1);
    size_t actual2, avail2;
    cr_expect_eq(zx_object_get_info(f->proc, ZX_INFO_PROCESS_MAPS, maps2,
                                    actual * 3 / 4 * sizeof maps2[0], &actual2, &avail2),
                 ZX_OK);
    cr_expect_lt(actual2, avail2, "a short buffer");
    cr_expect_eq(avail2, avail);
    for (size_t i = 0; i < actual2; i++) {
        cr_expect_eq(maps2[i].base, maps[i].base);
        cr_expect_eq(maps2[i].size, maps[i].size);
        cr_expect_eq(maps2[i].depth, maps[i].depth);
        cr_expect_eq(maps2[i].type, maps[i].type);
    }
}
Test(object_info, Process_InfoProcessMapsSmokeTest) { core_run(maps_smoke_body); }

static zx_info_process_handle_stats_t handle_stats(void)
{
    zx_info_process_handle_stats_t info;
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_HANDLE_STATS, &info,
                                    sizeof info, NULL, NULL),
                 ZX_OK);
    return info;
}

static void handle_stats_body(uintptr_t a, uintptr_t b)
{
    core_vmo(CORE_PAGE, 0); /* see the note at the top */
    zx_info_process_handle_stats_t info = handle_stats();
    cr_expect_eq(info.handle_count[ZX_OBJ_TYPE_NONE], 0u);
    cr_expect_gt(info.handle_count[ZX_OBJ_TYPE_PROCESS], 0u);
    cr_expect_gt(info.handle_count[ZX_OBJ_TYPE_THREAD], 0u);
    cr_expect_gt(info.handle_count[ZX_OBJ_TYPE_VMO], 0u);
    cr_expect_eq(info.handle_count[ZX_OBJ_TYPE_INTERRUPT], 0u);
    uint32_t channels = info.handle_count[ZX_OBJ_TYPE_CHANNEL];
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(handle_stats().handle_count[ZX_OBJ_TYPE_CHANNEL], channels + 2);
}
Test(object_info, Process_InfoProcessHandleStats) { core_run(handle_stats_body); }

static void handle_table_body(uintptr_t a, uintptr_t b)
{
    InfoFixture *f = fixture_process();
    zx_info_handle_extended_t info[4];
    memset(info, 0, sizeof info);
    size_t actual = 0, avail = 0;
    cr_expect_eq(zx_object_get_info(f->proc, ZX_INFO_HANDLE_TABLE, info, sizeof info, &actual, &avail),
                 ZX_OK);
    cr_expect_eq(actual, 2u);
    cr_expect_eq(avail, 2u);
    cr_expect_eq(info[0].type, ZX_OBJ_TYPE_VMO);
    cr_expect_eq(info[1].type, ZX_OBJ_TYPE_CHANNEL);
    cr_expect_neq(info[0].handle_value, ZX_HANDLE_INVALID);
    cr_expect_neq(info[1].handle_value, ZX_HANDLE_INVALID);
    cr_expect_eq(info[0].related_koid, 0u);
    cr_expect_gt(info[1].related_koid, 0u, "a channel names its peer");
    cr_expect_eq(info[0].peer_owner_koid, 0u);
    cr_expect_eq(info[1].peer_owner_koid, 0u);
    cr_expect_gt(info[0].koid, 0u);
    cr_expect_gt(info[1].koid, 0u);
}
Test(object_info, Process_InfoProcessHandleTable) { core_run(handle_table_body); }

static void handle_table_rights_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t selfie;
    size_t avail = 0;
    cr_expect_eq(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_INSPECT | ZX_RIGHT_MANAGE_THREAD,
                                     &selfie),
                 ZX_OK);
    cr_expect_eq(zx_object_get_info(selfie, ZX_INFO_HANDLE_TABLE, NULL, 0, NULL, &avail),
                 ZX_ERR_ACCESS_DENIED, "needs MANAGE_PROCESS");
}
Test(object_info, Process_InfoProcessHandleTableInsufficientRights) { core_run(handle_table_rights_body); }

static void handle_table_empty_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar;
    core_process(&proc, &vmar);
    zx_info_handle_extended_t info[4];
    size_t actual = 9, avail = 9;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_HANDLE_TABLE, info, sizeof info, &actual, &avail),
                 ZX_OK);
    cr_expect_eq(actual, 0u);
    cr_expect_eq(avail, 0u);
}
Test(object_info, Process_InfoProcessHandleTableEmpty) { core_run(handle_table_empty_body); }

static void handle_table_self_body(uintptr_t a, uintptr_t b)
{
    for (int i = 0; i < 8; i++) { /* see the note at the top */
        zx_handle_t e;
        zx_event_create(0, &e);
    }
    size_t avail = 0, actual = 0;
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_TABLE, NULL, 0, NULL, &avail),
                 ZX_OK);
    cr_expect_gt(avail, 10u);
    avail += 4;
    static zx_info_handle_extended_t info[128];
    cr_assert_leq(avail, 128u);
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_TABLE, info,
                                    avail * sizeof info[0], &actual, &avail),
                 ZX_OK);
    cr_expect_geq(actual, 10u);
    cr_expect_eq(actual, avail);
    for (size_t i = 0; i < actual; i++) {
        cr_expect_neq(info[i].handle_value, ZX_HANDLE_INVALID);
        cr_expect_gt(info[i].koid, 0u);
        cr_expect_neq(info[i].type, ZX_OBJ_TYPE_NONE);
        switch (info[i].type) {
        case ZX_OBJ_TYPE_CHANNEL:
        case ZX_OBJ_TYPE_SOCKET:
        case ZX_OBJ_TYPE_EVENTPAIR:
        case ZX_OBJ_TYPE_FIFO:
        case ZX_OBJ_TYPE_THREAD:
        case ZX_OBJ_TYPE_PROCESS:
            cr_expect_gt(info[i].related_koid, 0u, "type %u has a related object", info[i].type);
            break;
        case ZX_OBJ_TYPE_JOB:
            break;
        default:
            cr_expect_eq(info[i].related_koid, 0u, "type %u", info[i].type);
        }
    }
}
Test(object_info, Process_InfoProcessHandleTableSelf) { core_run(handle_table_self_body); }

#define MAX_VMOS 32

static void vmos_smoke_body(uintptr_t a, uintptr_t b)
{
    InfoFixture *f = fixture_process();
    static zx_info_vmo_t vmos[MAX_VMOS], vmos2[MAX_VMOS];
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(f->proc, ZX_INFO_PROCESS_VMOS, vmos, sizeof vmos, &actual, &avail),
                 ZX_OK);
    cr_expect_eq(actual, avail);
    uint32_t saw = 0;
    const uint32_t via = ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_VIA_MAPPING;
    for (size_t i = 0; i < actual; i++) {
        const zx_info_vmo_t *e = &vmos[i];
        for (int j = 0; j < 2; j++) {
            if (e->koid != f->vmo_koid[j] || e->size_bytes != f->vmo_size[j])
                continue;
            cr_expect_eq(e->parent_koid, 0u);
            cr_expect_eq(e->num_children, 0u);
            cr_expect_eq(e->share_count, 1u);
            cr_expect_eq(e->flags & f->vmo_via[j], f->vmo_via[j]);
            if (e->flags & ZX_INFO_VMO_VIA_HANDLE)
                cr_expect_eq(e->num_mappings, 0u);
            else
                cr_expect_eq(e->num_mappings, (uint64_t)FIXTURE_MAPPINGS);
            cr_expect_eq(e->flags & ZX_INFO_VMO_IS_COW_CLONE, 0u);
            saw |= 1u << j;
        }
        cr_expect_eq(ZX_INFO_VMO_TYPE(e->flags), ZX_INFO_VMO_TYPE_PAGED);
        cr_expect_neq(e->flags & via, via, "by handle or by mapping, not both");
    }
    cr_expect_eq(saw, 3u, "both VMOs reported");
    size_t actual2, avail2;
    cr_expect_eq(zx_object_get_info(f->proc, ZX_INFO_PROCESS_VMOS, vmos2,
                                    actual * 3 / 4 * sizeof vmos2[0], &actual2, &avail2),
                 ZX_OK);
    cr_expect_lt(actual2, avail2);
    cr_expect_eq(avail2, avail);
    for (size_t i = 0; i < actual2; i++) {
        cr_expect_eq(vmos2[i].koid, vmos[i].koid);
        cr_expect_eq(vmos2[i].size_bytes, vmos[i].size_bytes);
        cr_expect_eq(vmos2[i].flags, vmos[i].flags);
    }
}
Test(object_info, Process_InfoProcessVmosSmokeTest) { core_run(vmos_smoke_body); }

/* ---- TaskGetInfoTest ------------------------------------------------------- */

static void stats_unstarted_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar;
    core_process(&proc, &vmar);
    zx_info_task_stats_t info;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_TASK_STATS, &info, sizeof info, NULL, NULL), ZX_OK);
}
Test(object_info, Task_InfoStatsUnstartedSuceeds) { core_run(stats_unstarted_body); }

/* Our test process's code and stack are host memory, not mappings: give it
 * a private mapping and one it shares with the fixture process, both
 * touched (see the note at the top). */
static void map_touched(zx_handle_t vmar, zx_handle_t vmo, size_t len)
{
    uintptr_t addr;
    cr_expect_eq(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, len, &addr), ZX_OK);
    if (vmar == zx_vmar_root_self())
        memset((void *)addr, 1, len);
}

static void stats_smoke_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t private_vmo = core_vmo(2 * CORE_PAGE, 0), shared_vmo = core_vmo(2 * CORE_PAGE, 0);
    map_touched(zx_vmar_root_self(), private_vmo, 2 * CORE_PAGE);
    map_touched(zx_vmar_root_self(), shared_vmo, 2 * CORE_PAGE);
    map_touched(fixture_process()->vmar, shared_vmo, 2 * CORE_PAGE);
    zx_info_task_stats_t info;
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_TASK_STATS, &info, sizeof info, NULL,
                                    NULL),
                 ZX_OK);
    cr_expect_gt(info.mem_private_bytes, 0u);
    cr_expect_gt(info.mem_shared_bytes, 0u);
    cr_expect_geq(info.mem_mapped_bytes, info.mem_private_bytes + info.mem_shared_bytes);
    cr_expect_gt(info.mem_scaled_shared_bytes, 0u);
    cr_expect_gt(info.mem_shared_bytes, info.mem_scaled_shared_bytes);
}
Test(object_info, Task_InfoStatsSmokeTest) { core_run(stats_smoke_body); }

/* ---- JobGetInfoTest -------------------------------------------------------- */

static void job_get_child(uint32_t topic, size_t want)
{
    zx_handle_t job = fixture_job();
    zx_koid_t koids[32];
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(job, topic, koids, sizeof koids, &actual, &avail), ZX_OK);
    cr_expect_eq(actual, want);
    cr_expect_eq(avail, want);
    for (size_t i = 0; i < actual; i++) {
        zx_handle_t child;
        cr_expect_eq(zx_object_get_child(job, koids[i], ZX_RIGHT_SAME_RIGHTS, &child), ZX_OK,
                     "koid %lu", (unsigned long)koids[i]);
    }
}

static void job_processes_child_body(uintptr_t a, uintptr_t b)
{
    job_get_child(ZX_INFO_JOB_PROCESSES, FIXTURE_CHILD_PROCS);
}
Test(object_info, Job_InfoJobProcessesGetChild) { core_run(job_processes_child_body); }

static void job_children_child_body(uintptr_t a, uintptr_t b)
{
    job_get_child(ZX_INFO_JOB_CHILDREN, FIXTURE_CHILD_JOBS);
}
Test(object_info, Job_InfoJobChildJobsGetChild) { core_run(job_children_child_body); }

/* ---- ObjectGetInfoTest (basic) ---------------------------------------------- */

static void valid_handle_body(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                 ZX_OK);
    zx_handle_t e;
    cr_expect_eq(zx_event_create(0, &e), ZX_OK);
    cr_expect_eq(zx_object_get_info(e, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL), ZX_OK);
    zx_handle_close(e);
    cr_expect_neq(zx_object_get_info(e, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL), ZX_OK,
                  "a closed handle is not valid");
}
Test(object_info, Basic_OpenValidHandleSuceeds) { core_run(valid_handle_body); }
Test(object_info, Basic_ClosedValidHandleFails) { core_run(valid_handle_body); }

static uint32_t handle_count(zx_handle_t h)
{
    zx_info_handle_count_t info;
    if (zx_object_get_info(h, ZX_INFO_HANDLE_COUNT, &info, sizeof info, NULL, NULL) != ZX_OK)
        return 0;
    return info.handle_count;
}

static void handle_count_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t e = ZX_HANDLE_INVALID, dup[3];
    cr_expect_eq(handle_count(e), 0u);
    cr_expect_eq(zx_event_create(0, &e), ZX_OK);
    cr_expect_eq(handle_count(e), 1u);
    for (uint32_t i = 0; i < 3; i++) {
        cr_expect_eq(zx_handle_duplicate(e, ZX_RIGHT_SIGNAL, &dup[i]), ZX_OK);
        cr_expect_eq(handle_count(e), i + 2, "after %u duplicates", i + 1);
    }
    for (int i = 2; i >= 0; i--) {
        zx_handle_close(dup[i]);
        cr_expect_eq(handle_count(e), (uint32_t)i + 1);
    }
    zx_handle_close(e);
    cr_expect_eq(handle_count(e), 0u);
}
Test(object_info, Basic_HandleCountCorrectness) { core_run(handle_count_body); }

static void basic_invalid_handle_body(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_object_get_info(ZX_HANDLE_INVALID, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                 ZX_ERR_BAD_HANDLE);
}
Test(object_info, Basic_InvalidHandleFails) { core_run(basic_invalid_handle_body); }
