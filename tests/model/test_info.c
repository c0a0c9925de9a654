/* test_info.c — covers: object_get_info (HANDLE_VALID, HANDLE_BASIC,
 * HANDLE_COUNT, PROCESS, PROCESS_THREADS, PROCESS_HANDLE_STATS, JOB,
 * JOB_CHILDREN, JOB_PROCESSES, THREAD, THREAD_STATS, TASK_STATS,
 * TASK_RUNTIME, HANDLE_TABLE, VMO, unknown topics), object_get_child,
 * object_get_property / object_set_property (PROCESS_DEBUG_ADDR,
 * PROCESS_VDSO_BASE_ADDRESS, PROCESS_BREAK_ON_LOAD, JOB_KILL_ON_OOM,
 * unknown properties), the resource object (host side). */
#include <string.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#include "ktest.h"
#include "resource.h"

static void run_one(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "test", fn, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static void child_forever(uintptr_t a, uintptr_t b)
{
    for (;;)
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
}

static zx_handle_t spawn_in(zx_handle_t job, ThreadEntryFn fn, zx_handle_t *thread_out)
{
    zx_handle_t proc, vmar, thread;
    cr_expect_eq(zx_process_create(job, "child", 5, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "t", 1, 0, &thread), ZX_OK);
    if (fn)
        cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)fn, 0, ZX_HANDLE_INVALID, 0), ZX_OK);
    *thread_out = thread;
    return proc;
}

static zx_koid_t koid_of(zx_handle_t h)
{
    zx_info_handle_basic_t b;
    cr_expect_eq(zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &b, sizeof b, NULL, NULL), ZX_OK);
    return b.koid;
}

static void handle_topics(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev, ev2;
    zx_event_create(0, &ev);
    cr_expect_eq(zx_object_get_info(ev, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL), ZX_OK);
    cr_expect_eq(zx_object_get_info((zx_handle_t)0x1233, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                 ZX_ERR_BAD_HANDLE);
    zx_info_handle_basic_t bi;
    size_t actual = 9, avail = 9;
    cr_expect_eq(zx_object_get_info(ev, ZX_INFO_HANDLE_BASIC, &bi, sizeof bi, &actual, &avail), ZX_OK);
    cr_expect_eq(actual, 1u);
    cr_expect_eq(avail, 1u);
    cr_expect_eq(bi.type, ZX_OBJ_TYPE_EVENT);
    cr_expect_eq(bi.rights, ZX_DEFAULT_EVENT_RIGHTS);
    cr_expect_eq(bi.related_koid, 0u);
    cr_expect_eq(zx_object_get_info(ev, ZX_INFO_HANDLE_BASIC, &bi, sizeof bi - 1, &actual, &avail),
                 ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(actual, 0u);
    cr_expect_eq(avail, 1u);
    cr_expect_eq(zx_object_get_info(ev, ZX_INFO_HANDLE_BASIC, (void *)8, sizeof bi, NULL, NULL),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_object_get_info(ev, ZX_INFO_HANDLE_BASIC, &bi, sizeof bi, (size_t *)8, NULL),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_object_get_info(ZX_HANDLE_INVALID, ZX_INFO_HANDLE_BASIC, &bi, sizeof bi, NULL, NULL),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_object_get_info(ev, 0x7777, &bi, sizeof bi, NULL, NULL), ZX_ERR_NOT_SUPPORTED);
    /* related koid: a process's job */
    zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_BASIC, &bi, sizeof bi, NULL, NULL);
    cr_expect_eq(bi.related_koid, koid_of(zx_job_default()));
    /* handle count */
    zx_info_handle_count_t hc;
    zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &ev2);
    cr_expect_eq(zx_object_get_info(ev, ZX_INFO_HANDLE_COUNT, &hc, sizeof hc, NULL, NULL), ZX_OK);
    cr_expect_eq(hc.handle_count, 2u);
    zx_handle_t noinspect;
    zx_handle_duplicate(ev, ZX_RIGHT_WAIT, &noinspect);
    cr_expect_eq(zx_object_get_info(noinspect, ZX_INFO_HANDLE_COUNT, &hc, sizeof hc, NULL, NULL),
                 ZX_ERR_ACCESS_DENIED);
    /* per-type handle stats of this process */
    zx_info_process_handle_stats_t st;
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_HANDLE_STATS, &st, sizeof st,
                                    NULL, NULL), ZX_OK);
    cr_expect_eq(st.handle_count[ZX_OBJ_TYPE_EVENT], 3u);
    cr_expect_eq(st.handle_count[ZX_OBJ_TYPE_PROCESS], 1u);
    cr_expect_eq(zx_object_get_info(ev, ZX_INFO_PROCESS_HANDLE_STATS, &st, sizeof st, NULL, NULL),
                 ZX_ERR_WRONG_TYPE);
}

Test(info, handle_topics) { run_one(handle_topics); }

static void handle_valid_no_policy(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_object_get_info((zx_handle_t)0x1233, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                 ZX_ERR_BAD_HANDLE);
    zx_process_exit(5);
}

static void handle_valid_policy(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, thread;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_basic_v2_t pol = {ZX_POL_BAD_HANDLE, ZX_POL_ACTION_KILL, ZX_POL_OVERRIDE_DENY};
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, &pol, 1), ZX_OK);
    zx_handle_t proc = spawn_in(job, handle_valid_no_policy, &thread);
    zx_signals_t seen;
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, &seen);
    zx_info_process_t pi;
    zx_object_get_info(proc, ZX_INFO_PROCESS, &pi, sizeof pi, NULL, NULL);
    cr_expect_eq(pi.return_code, 5, "HANDLE_VALID never triggers BAD_HANDLE policy");
}

Test(info, handle_valid_exempt_from_policy) { run_one(handle_valid_policy); }

static void handle_table(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev, proc, thread, weak;
    zx_event_create(0, &ev);
    proc = spawn_in(zx_job_default(), NULL, &thread);
    zx_info_handle_extended_t recs[16];
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_TABLE, recs, sizeof recs,
                                    &actual, &avail), ZX_OK);
    cr_expect_eq(actual, avail);
    bool found = false;
    for (size_t i = 0; i < actual; i++) {
        if (recs[i].handle_value != ev)
            continue;
        found = true;
        cr_expect_eq(recs[i].type, ZX_OBJ_TYPE_EVENT);
        cr_expect_eq(recs[i].koid, koid_of(ev));
        cr_expect_eq(recs[i].rights, ZX_DEFAULT_EVENT_RIGHTS);
    }
    cr_expect(found);
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_TABLE, recs, sizeof recs[0],
                                    &actual, &avail), ZX_OK, "array topics never fail on size");
    cr_expect_eq(actual, 1u);
    cr_expect_gt(avail, 1u);
    /* The child's table: empty until it gets handles. */
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_HANDLE_TABLE, recs, sizeof recs, &actual, &avail),
                 ZX_OK);
    cr_expect_eq(avail, 0u);
    zx_handle_duplicate(proc, ZX_RIGHT_INSPECT, &weak);
    cr_expect_eq(zx_object_get_info(weak, ZX_INFO_HANDLE_TABLE, recs, sizeof recs, &actual, &avail),
                 ZX_ERR_ACCESS_DENIED, "needs INSPECT | MANAGE_PROCESS | MANAGE_THREAD");
}

Test(info, handle_table) { run_one(handle_table); }

static void task_topics(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, thread, thread2;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_handle_t unstarted = spawn_in(job, NULL, &thread2);
    zx_info_process_t pi;
    cr_expect_eq(zx_object_get_info(unstarted, ZX_INFO_PROCESS, &pi, sizeof pi, NULL, NULL), ZX_OK);
    cr_expect_eq(pi.flags, 0u, "not started");
    zx_handle_t proc = spawn_in(job, child_forever, &thread);
    zx_nanosleep(zx_deadline_after(ZX_USEC(500)));
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &pi, sizeof pi, NULL, NULL), ZX_OK);
    cr_expect_eq(pi.flags, ZX_INFO_PROCESS_FLAG_STARTED);
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_PROCESS, &pi, sizeof pi, NULL, NULL),
                 ZX_ERR_WRONG_TYPE);
    /* threads and children lists */
    zx_koid_t koids[4];
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS_THREADS, koids, sizeof koids, &actual,
                                    &avail), ZX_OK);
    cr_expect_eq(actual, 1u);
    cr_expect_eq(koids[0], koid_of(thread));
    cr_expect_eq(zx_object_get_info(job, ZX_INFO_JOB_PROCESSES, koids, sizeof koids[0], &actual,
                                    &avail), ZX_OK);
    cr_expect_eq(actual, 1u);
    cr_expect_eq(avail, 2u);
    cr_expect_eq(koids[0], koid_of(unstarted), "koid (creation) order");
    cr_expect_eq(zx_object_get_info(job, ZX_INFO_JOB_CHILDREN, koids, sizeof koids, &actual, &avail),
                 ZX_OK);
    cr_expect_eq(avail, 0u);
    cr_expect_eq(zx_object_get_info(zx_job_default(), ZX_INFO_JOB_CHILDREN, koids, sizeof koids,
                                    &actual, &avail), ZX_OK);
    cr_expect_eq(avail, 1u);
    cr_expect_eq(koids[0], koid_of(job));
    zx_handle_t noenum;
    zx_handle_duplicate(job, ZX_RIGHT_INSPECT, &noenum);
    cr_expect_eq(zx_object_get_info(noenum, ZX_INFO_JOB_PROCESSES, koids, sizeof koids, NULL, NULL),
                 ZX_ERR_ACCESS_DENIED);
    /* thread info */
    zx_info_thread_t ti;
    cr_expect_eq(zx_object_get_info(zx_thread_self(), ZX_INFO_THREAD, &ti, sizeof ti, NULL, NULL), ZX_OK);
    cr_expect_eq(ti.state, ZX_THREAD_STATE_RUNNING);
    cr_expect_eq(ti.cpu_affinity_mask.mask[0], 1u);
    zx_object_get_info(thread2, ZX_INFO_THREAD, &ti, sizeof ti, NULL, NULL);
    cr_expect_eq(ti.state, ZX_THREAD_STATE_NEW);
    zx_info_thread_stats_t ts;
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD_STATS, &ts, sizeof ts, NULL, NULL), ZX_OK);
    cr_expect_eq(ts.last_scheduled_cpu, 0u);
    zx_info_task_runtime_t rt;
    cr_expect_eq(zx_object_get_info(job, ZX_INFO_TASK_RUNTIME, &rt, sizeof rt, NULL, NULL), ZX_OK);
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_TASK_RUNTIME, &rt, sizeof rt, NULL,
                                    NULL), ZX_OK);
    cr_expect_gt(rt.cpu_time, 0, "virtual CPU time accrues");
    zx_handle_t ev;
    zx_event_create(0, &ev);
    cr_expect_eq(zx_object_get_info(ev, ZX_INFO_TASK_RUNTIME, &rt, sizeof rt, NULL, NULL),
                 ZX_ERR_WRONG_TYPE);
    zx_info_task_stats_t tst;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_TASK_STATS, &tst, sizeof tst, NULL, NULL), ZX_OK);
    /* job info, kill, dead thread */
    zx_info_job_t ji;
    cr_expect_eq(zx_object_get_info(job, ZX_INFO_JOB, &ji, sizeof ji, NULL, NULL), ZX_OK);
    cr_expect(!ji.exited);
    cr_expect_eq(zx_task_kill(job), ZX_OK);
    zx_signals_t seen;
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, &seen);
    zx_object_get_info(job, ZX_INFO_JOB, &ji, sizeof ji, NULL, NULL);
    cr_expect(ji.exited);
    cr_expect_eq(ji.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
    zx_object_get_info(proc, ZX_INFO_PROCESS, &pi, sizeof pi, NULL, NULL);
    cr_expect_eq(pi.flags, ZX_INFO_PROCESS_FLAG_STARTED | ZX_INFO_PROCESS_FLAG_EXITED);
    cr_expect_eq(pi.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
    zx_object_get_info(thread, ZX_INFO_THREAD, &ti, sizeof ti, NULL, NULL);
    cr_expect_eq(ti.state, ZX_THREAD_STATE_DEAD);
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD_STATS, &ts, sizeof ts, NULL, NULL),
                 ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_TASK_STATS, &tst, sizeof tst, NULL, NULL),
                 ZX_ERR_BAD_STATE);
}

Test(info, task_topics) { run_one(task_topics); }

static void get_child(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, thread, out, ev, noenum;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_handle_t proc = spawn_in(job, NULL, &thread);
    cr_expect_eq(zx_object_get_child(job, koid_of(proc), ZX_RIGHT_SAME_RIGHTS, &out), ZX_OK);
    zx_info_handle_basic_t bi;
    zx_object_get_info(out, ZX_INFO_HANDLE_BASIC, &bi, sizeof bi, NULL, NULL);
    cr_expect_eq(bi.koid, koid_of(proc));
    cr_expect_eq(bi.rights, ZX_DEFAULT_JOB_RIGHTS & ZX_DEFAULT_PROCESS_RIGHTS);
    cr_expect_eq(zx_object_get_child(proc, koid_of(thread), ZX_RIGHT_INSPECT, &out), ZX_OK);
    zx_object_get_info(out, ZX_INFO_HANDLE_BASIC, &bi, sizeof bi, NULL, NULL);
    cr_expect_eq(bi.rights, ZX_RIGHT_INSPECT);
    cr_expect_eq(bi.type, ZX_OBJ_TYPE_THREAD);
    cr_expect_eq(zx_object_get_child(zx_job_default(), koid_of(job), ZX_RIGHT_SAME_RIGHTS, &out), ZX_OK);
    cr_expect_eq(zx_object_get_child(zx_job_default(), koid_of(proc), ZX_RIGHT_SAME_RIGHTS, &out),
                 ZX_ERR_NOT_FOUND, "grandchildren are not direct children");
    cr_expect_eq(zx_object_get_child(ZX_HANDLE_INVALID, 1, ZX_RIGHT_SAME_RIGHTS, &out),
                 ZX_ERR_BAD_HANDLE);
    zx_handle_duplicate(job, ZX_RIGHT_INSPECT | ZX_RIGHT_ENUMERATE, &noenum);
    cr_expect_eq(zx_object_get_child(noenum, koid_of(proc), ZX_RIGHT_DESTROY, &out),
                 ZX_ERR_ACCESS_DENIED, "rights must be a subset");
    zx_handle_close(noenum);
    zx_handle_duplicate(job, ZX_RIGHT_INSPECT, &noenum);
    cr_expect_eq(zx_object_get_child(noenum, koid_of(proc), ZX_RIGHT_SAME_RIGHTS, &out),
                 ZX_ERR_ACCESS_DENIED, "ENUMERATE needed");
    zx_event_create(0, &ev);
    cr_expect_eq(zx_object_get_child(ev, 1, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_ACCESS_DENIED,
                 "an event handle lacks ENUMERATE");
    /* Only jobs and processes carry ENUMERATE, and rights come first, so
     * WRONG_TYPE is out of reach from an app: a thread handle is refused
     * for the right. */
    cr_expect_eq(zx_object_get_child(thread, 1, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_object_get_child(job, koid_of(proc), ZX_RIGHT_SAME_RIGHTS, (zx_handle_t *)8),
                 ZX_ERR_INVALID_ARGS);
}

Test(info, get_child) { run_one(get_child); }

static void properties(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, thread, ev;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_handle_t proc = spawn_in(job, NULL, &thread);
    uintptr_t v = 99;
    cr_expect_eq(zx_object_get_property(proc, ZX_PROP_PROCESS_DEBUG_ADDR, &v, sizeof v), ZX_OK);
    cr_expect_eq(v, 0u);
    cr_expect_eq(zx_object_get_property(proc, ZX_PROP_PROCESS_DEBUG_ADDR, &v, 4),
                 ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(zx_object_get_property(thread, ZX_PROP_PROCESS_DEBUG_ADDR, &v, sizeof v),
                 ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_object_get_property(proc, ZX_PROP_PROCESS_DEBUG_ADDR, (void *)8, sizeof v),
                 ZX_ERR_INVALID_ARGS);
    v = 0;
    cr_expect_eq(zx_object_set_property(proc, ZX_PROP_PROCESS_DEBUG_ADDR, &v, sizeof v),
                 ZX_ERR_INVALID_ARGS, "0 is refused");
    v = ZX_PROCESS_DEBUG_ADDR_BREAK_ON_SET;
    cr_expect_eq(zx_object_set_property(proc, ZX_PROP_PROCESS_DEBUG_ADDR, &v, sizeof v), ZX_OK);
    v = 0x1000;
    cr_expect_eq(zx_object_set_property(proc, ZX_PROP_PROCESS_DEBUG_ADDR, &v, sizeof v), ZX_OK,
                 "BREAK_ON_SET may be replaced once");
    v = 0x2000;
    cr_expect_eq(zx_object_set_property(proc, ZX_PROP_PROCESS_DEBUG_ADDR, &v, sizeof v),
                 ZX_ERR_ACCESS_DENIED, "write-once");
    cr_expect_eq(zx_object_get_property(proc, ZX_PROP_PROCESS_DEBUG_ADDR, &v, sizeof v), ZX_OK);
    cr_expect_eq(v, 0x1000u);
    cr_expect_eq(zx_object_get_property(proc, ZX_PROP_PROCESS_VDSO_BASE_ADDRESS, &v, sizeof v), ZX_OK);
    cr_expect_eq(v, 0u);
    cr_expect_eq(zx_object_set_property(proc, ZX_PROP_PROCESS_VDSO_BASE_ADDRESS, &v, sizeof v),
                 ZX_ERR_INVALID_ARGS, "read-only");
    v = 1;
    cr_expect_eq(zx_object_set_property(proc, ZX_PROP_PROCESS_BREAK_ON_LOAD, &v, sizeof v), ZX_OK);
    v = 0;
    zx_object_get_property(proc, ZX_PROP_PROCESS_BREAK_ON_LOAD, &v, sizeof v);
    cr_expect_eq(v, 1u);
    size_t oom = 2;
    cr_expect_eq(zx_object_set_property(job, ZX_PROP_JOB_KILL_ON_OOM, &oom, sizeof oom),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_object_set_property(proc, ZX_PROP_JOB_KILL_ON_OOM, &oom, sizeof oom),
                 ZX_ERR_WRONG_TYPE);
    oom = 1;
    cr_expect_eq(zx_object_set_property(job, ZX_PROP_JOB_KILL_ON_OOM, &oom, sizeof oom), ZX_OK);
    zx_info_job_t ji;
    zx_object_get_info(job, ZX_INFO_JOB, &ji, sizeof ji, NULL, NULL);
    cr_expect(ji.kill_on_oom);
    cr_expect_eq(zx_object_get_property(proc, 0x4242, &v, sizeof v), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_object_set_property(proc, 0x4242, &v, sizeof v), ZX_ERR_INVALID_ARGS);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_object_get_property(ev, ZX_PROP_PROCESS_DEBUG_ADDR, &v, sizeof v),
                 ZX_ERR_ACCESS_DENIED, "events carry no GET_PROPERTY");
    cr_expect_eq(zx_object_get_property(proc, ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID, &v, sizeof v),
                 ZX_ERR_NOT_SUPPORTED);
}

Test(info, process_and_job_properties) { run_one(properties); }

static void vmo_topic(uintptr_t a, uintptr_t b)
{
    zx_handle_t vmo, ro;
    cr_expect_eq(zx_vmo_create(3 * 4096, 0, &vmo), ZX_OK);
    zx_info_vmo_t vi;
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(vmo, ZX_INFO_VMO, &vi, sizeof vi, &actual, &avail), ZX_OK);
    cr_expect_eq(vi.size_bytes, 3u * 4096u);
    cr_expect_eq(vi.koid, koid_of(vmo));
    cr_expect(vi.flags & ZX_INFO_VMO_VIA_HANDLE);
    zx_handle_duplicate(vmo, ZX_RIGHT_READ, &ro);
    cr_expect_eq(zx_object_get_info(ro, ZX_INFO_VMO, &vi, sizeof vi, NULL, NULL), ZX_OK,
                 "no right needed");
    cr_expect_eq(vi.handle_rights, ZX_RIGHT_READ);
    zx_info_vmo_v1_t v1;
    cr_expect_eq(zx_object_get_info(vmo, ZX_INFO_VMO_V1, &v1, sizeof v1, NULL, NULL), ZX_OK);
    cr_expect_eq(v1.size_bytes, 3u * 4096u);
    cr_expect_eq(zx_object_get_info(vmo, ZX_INFO_VMO, &vi, sizeof v1, NULL, NULL),
                 ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_VMO, &vi, sizeof vi, NULL, NULL),
                 ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, NULL, 0, NULL, NULL),
                 ZX_OK, "self-inspection of maps is allowed (object-info core tests)");
}

Test(info, vmo_topic) { run_one(vmo_topic); }

Test(info, root_resource)
{
    KTest *t = ktest_new(1, 1);
    KResource *r = resource_root(t->kernel);
    cr_assert_eq(resource_root(t->kernel), r, "one per kernel");
    cr_assert_eq(r->base.ops->type, ZX_OBJ_TYPE_RESOURCE);
    cr_assert(resource_grants(&r->base, RESOURCE_KIND_SYSTEM, 0, 1));
    KResource *mmio;
    cr_assert_eq(resource_create(t->kernel, RESOURCE_KIND_MMIO, 0x1000, 0x1000, "mmio", &mmio), ZX_OK);
    cr_assert(resource_grants(&mmio->base, RESOURCE_KIND_MMIO, 0x1800, 0x100));
    cr_assert(!resource_grants(&mmio->base, RESOURCE_KIND_MMIO, 0x1800, 0x1000));
    cr_assert(!resource_grants(&mmio->base, RESOURCE_KIND_IRQ, 0x1800, 1));
    zx_info_resource_t info;
    resource_info(mmio, &info);
    cr_assert_eq(info.kind, RESOURCE_KIND_MMIO);
    cr_assert_str_eq(info.name, "mmio");
    cr_assert_eq(resource_create(t->kernel, 99, 0, 0, NULL, &mmio), ZX_ERR_INVALID_ARGS);
    ktest_free(t);
}
