/* coretest.c — the core-test harness (see coretest.h). */
#include <string.h>
#include <zircon/processargs.h>

#include "coretest.h"
#include "resource.h"

#define ROOT_RESOURCE_INFO PA_HND(PA_RESOURCE, 0)

void core_run(ThreadEntryFn fn) { core_run_arg(fn, 0); }

void core_run_arg(ThreadEntryFn fn, uintptr_t arg)
{
    KTest *t = ktest_new(1, 1);
    t->kernel->debugging_syscalls = true;
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = "core";
    spec.entry = fn;
    spec.arg1 = arg;
    spec.give = LAUNCH_GIVE_STANDARD;
    spec.extra[0] = (LaunchHandle){ROOT_RESOURCE_INFO, (KObject *)resource_root(t->kernel),
                                   ZX_DEFAULT_RESOURCE_RIGHTS};
    spec.nextra = 1;
    KProcess *p = ktest_spawn_spec(t, &spec);
    ktest_run(t);
    cr_expect_eq(ktest_retcode(p), 0, "the test process must exit normally");
    ktest_free(t);
}


zx_handle_t core_root_resource(void)
{
    static zx_handle_t root = ZX_HANDLE_INVALID;
    if (root == ZX_HANDLE_INVALID)
        root = zx_take_startup_handle(ROOT_RESOURCE_INFO);
    return root;
}

static void probe_read_body(uintptr_t addr, uintptr_t unused)
{
    (void)unused;
    (void)*(volatile const char *)addr;
    zx_thread_exit();
}

static void probe_write_body(uintptr_t addr, uintptr_t unused)
{
    (void)unused;
    volatile char *p = (volatile char *)addr;
    *p = *p;
    zx_thread_exit();
}

/* Run body(addr) on a new thread; true if it ended without a fault. */
static bool probe_with(ThreadEntryFn body, uintptr_t addr)
{
    zx_handle_t thread, channel;
    if (zx_thread_create(zx_process_self(), "probe", 5, 0, &thread) != ZX_OK)
        return false;
    cr_expect_eq(zx_task_create_exception_channel(thread, 0, &channel), ZX_OK);
    cr_expect_eq(zx_thread_start(thread, (zx_vaddr_t)body, 0, addr, 0), ZX_OK);
    zx_wait_item_t items[2] = {
        {channel, ZX_CHANNEL_READABLE, 0},
        {thread, ZX_THREAD_TERMINATED, 0},
    };
    cr_expect_eq(zx_object_wait_many(items, 2, ZX_TIME_INFINITE), ZX_OK);
    bool faulted = (items[0].pending & ZX_CHANNEL_READABLE) != 0;
    if (faulted) {
        zx_exception_info_t info;
        zx_handle_t exc = ZX_HANDLE_INVALID;
        uint32_t nb, nh;
        cr_expect_eq(zx_channel_read(channel, 0, &info, &exc, sizeof info, 1, &nb, &nh), ZX_OK);
        uint32_t state = ZX_EXCEPTION_STATE_THREAD_EXIT;
        cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state),
                     ZX_OK);
        zx_handle_close(exc);
        cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL),
                     ZX_OK);
    }
    zx_handle_close(channel);
    zx_handle_close(thread);
    return !faulted;
}

bool probe_for_read(const void *addr) { return probe_with(probe_read_body, (uintptr_t)addr); }
bool probe_for_write(void *addr) { return probe_with(probe_write_body, (uintptr_t)addr); }

zx_handle_t core_thread_start(ThreadEntryFn fn, uintptr_t a, uintptr_t b)
{
    zx_handle_t thread = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_thread_create(zx_process_self(), "helper", 6, 0, &thread), ZX_OK);
    cr_expect_eq(zx_thread_start(thread, (zx_vaddr_t)fn, 0, a, b), ZX_OK);
    return thread;
}

void core_thread_join(zx_handle_t thread)
{
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    zx_handle_close(thread);
}

zx_rights_t core_handle_rights(zx_handle_t h)
{
    zx_info_handle_basic_t info;
    zx_status_t s = zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL);
    cr_expect_eq(s, ZX_OK, "ZX_INFO_HANDLE_BASIC");
    return s == ZX_OK ? info.rights : 0;
}

zx_koid_t core_koid(zx_handle_t h)
{
    zx_info_handle_basic_t info;
    zx_status_t s = zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL);
    cr_expect_eq(s, ZX_OK, "ZX_INFO_HANDLE_BASIC");
    return s == ZX_OK ? info.koid : ZX_KOID_INVALID;
}

zx_handle_t core_vmo(uint64_t size, uint32_t options)
{
    zx_handle_t v = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_vmo_create(size, options, &v), ZX_OK);
    return v;
}

void core_process(zx_handle_t *proc, zx_handle_t *vmar)
{
    static const char name[] = "core-test-proc";
    cr_expect_eq(zx_process_create(zx_job_default(), name, sizeof name - 1, 0, proc, vmar), ZX_OK);
}

void core_start_with_self(const char *name, const char *thread_name, ThreadEntryFn fn,
                          zx_handle_t *proc, zx_handle_t *vmar, zx_handle_t *thread)
{
    zx_handle_t self;
    cr_expect_eq(zx_process_create(zx_job_default(), name, strlen(name), 0, proc, vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(*proc, thread_name, strlen(thread_name), 0, thread), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(*proc, ZX_RIGHT_SAME_RIGHTS, &self), ZX_OK);
    cr_expect_eq(zx_process_start(*proc, *thread, (zx_vaddr_t)fn, 0, self, 0), ZX_OK,
                 "%s gets a handle to itself", name);
}

bool core_pages_mapped(zx_handle_t proc, uintptr_t base, uint64_t bitmap, size_t pages)
{
    for (size_t i = 0; i < pages; i++) {
        uint8_t byte;
        size_t n;
        zx_status_t want = (bitmap >> i) & 1 ? ZX_OK : ZX_ERR_NO_MEMORY;
        if (zx_process_read_memory(proc, base + i * CORE_PAGE, &byte, 1, &n) != want)
            return false;
    }
    return true;
}

void core_close(const zx_handle_t *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(zx_handle_close(h[i]), ZX_OK, "closing handle %zu of %zu", i, n);
}

static void blocked_main(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    zx_nanosleep(ZX_TIME_INFINITE);
}

zx_status_t core_start_blocked(zx_handle_t job, zx_handle_t *proc, zx_handle_t *thread)
{
    static const char name[] = "blocked";
    zx_handle_t vmar;
    zx_status_t s = zx_process_create(job, name, sizeof name - 1, 0, proc, &vmar);
    if (s != ZX_OK)
        return s;
    zx_handle_close(vmar);
    if ((s = zx_thread_create(*proc, name, sizeof name - 1, 0, thread)) != ZX_OK)
        return s;
    return zx_process_start(*proc, *thread, (zx_vaddr_t)blocked_main, 0, ZX_HANDLE_INVALID, 0);
}

zx_status_t core_start_blocked_thread(zx_handle_t thread)
{
    return zx_thread_start(thread, (zx_vaddr_t)blocked_main, 0, 0, 0);
}
