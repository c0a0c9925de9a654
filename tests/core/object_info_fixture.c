/* object_info_fixture.c — see object_info_fixture.h. */
#include <zircon/syscalls/object.h>

#include "object_info_fixture.h"

/* The child: keeps the VMO it was given and a channel whose peer it
 * closes, then blocks. */
static void fixture_child(uintptr_t vmo, uintptr_t b)
{
    zx_handle_t c0, c1;
    zx_channel_create(0, &c0, &c1);
    zx_handle_close(c1);
    zx_nanosleep(ZX_TIME_INFINITE);
}

static void wait_blocked(zx_handle_t thread)
{
    for (;;) {
        zx_info_thread_t info;
        cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD, &info, sizeof info, NULL, NULL),
                     ZX_OK);
        if (info.state == ZX_THREAD_STATE_BLOCKED_SLEEPING || info.state == ZX_THREAD_STATE_DEAD)
            return;
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    }
}

static void fixture_map(InfoFixture *f, zx_handle_t sub)
{
    const size_t page = CORE_PAGE, vmo_size = page * FIXTURE_MAPPINGS * 2;
    zx_handle_t vmo = core_vmo(vmo_size, 0);
    static const char name[] = "test:mapped";
    zx_object_set_property(vmo, ZX_PROP_NAME, name, sizeof name);
    cr_expect_eq(zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &vmo), ZX_OK);
    f->vmo_koid[1] = core_koid(vmo);
    f->vmo_size[1] = vmo_size;
    f->vmo_via[1] = ZX_INFO_VMO_VIA_MAPPING;
    for (int i = 0; i < FIXTURE_MAPPINGS; i++) {
        f->map_flags[i] = ZX_VM_PERM_READ | (i & 1 ? ZX_VM_PERM_WRITE : 0) |
                          (i & 2 ? ZX_VM_PERM_EXECUTE : 0);
        cr_expect_eq(zx_vmar_map(sub, f->map_flags[i], 0, vmo, (uint64_t)i * 2 * page, page,
                                 &f->map_base[i]),
                     ZX_OK, "mapping %d", i);
    }
    zx_handle_close(vmo);
}

InfoFixture *fixture_process(void)
{
    static InfoFixture f;
    static bool built;
    if (built)
        return &f;
    built = true;
    zx_handle_t unmapped = core_vmo(CORE_PAGE, 0), thread, sub;
    static const char name[] = "test:unmapped";
    zx_object_set_property(unmapped, ZX_PROP_NAME, name, sizeof name);
    f.vmo_koid[0] = core_koid(unmapped);
    f.vmo_size[0] = CORE_PAGE;
    f.vmo_via[0] = ZX_INFO_VMO_VIA_HANDLE;
    core_process(&f.proc, &f.vmar);
    cr_expect_eq(zx_thread_create(f.proc, "object-info-thrd", 16, 0, &thread), ZX_OK);
    cr_expect_eq(zx_process_start(f.proc, thread, (zx_vaddr_t)fixture_child, 0, unmapped, 0), ZX_OK);
    wait_blocked(thread);
    f.vmar_size = CORE_PAGE * FIXTURE_MAPPINGS * 16;
    cr_expect_eq(zx_vmar_allocate(f.vmar,
                                  ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE, 0,
                                  f.vmar_size, &sub, &f.vmar_base),
                 ZX_OK);
    fixture_map(&f, sub);
    return &f;
}

zx_handle_t fixture_job(void)
{
    static zx_handle_t root = ZX_HANDLE_INVALID;
    if (root != ZX_HANDLE_INVALID)
        return root;
    zx_handle_t proc, vmar, job, sub;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &root), ZX_OK);
    for (int i = 0; i < FIXTURE_CHILD_PROCS; i++)
        cr_expect_eq(zx_process_create(root, "child", 5, 0, &proc, &vmar), ZX_OK);
    for (int i = 0; i < FIXTURE_CHILD_JOBS; i++) {
        cr_expect_eq(zx_job_create(root, 0, &job), ZX_OK);
        cr_expect_eq(zx_process_create(job, "grandchild", 10, 0, &proc, &vmar), ZX_OK);
        cr_expect_eq(zx_job_create(job, 0, &sub), ZX_OK);
    }
    return root;
}

int fixture_mapping_index(const InfoFixture *f, uintptr_t base, size_t size)
{
    for (int i = 0; i < FIXTURE_MAPPINGS; i++)
        if (f->map_base[i] == base && size == CORE_PAGE)
            return i;
    return -1;
}
