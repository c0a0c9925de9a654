/* sys_task.c — the task family: job_create, process_create/start/exit,
 * thread_create/start/exit, task_kill.
 *
 * Argument checks follow Zircon's kernel order (see each function). Entry
 * points: capsim runs C code, so `entry` is the address of a C function
 * `void fn(uintptr_t arg1, uintptr_t arg2)` and `stack` is 0 (the engine
 * gives the thread a pooled, guarded stack) or the top of a stack the app
 * mapped. Unlike Zircon, returning from that function ends the thread as
 * zx_thread_exit would (there is no return address to crash on).
 *
 * Policy, critical processes, suspension and exceptions are in
 * sys_policy.c, sys_suspend.c and sys_exception.c.
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "job.h"
#include "process.h"
#include "syscall.h"
#include "thread.h"

/* vmar.c: the root VMAR object of a process (weak until it exists). */
KObject *vmar_root_object(KProcess *p) __attribute__((weak));
zx_rights_t vmar_root_rights(void) __attribute__((weak));

static bool sys_copy_name(SysCtx *c, const char *name, size_t name_size,
                          char out[ZX_MAX_NAME_LEN], size_t *len)
{
    if (name == NULL)
        return false;
    size_t n = name_size < ZX_MAX_NAME_LEN - 1 ? name_size : ZX_MAX_NAME_LEN - 1;
    memset(out, 0, ZX_MAX_NAME_LEN);
    if (!sys_copy_in(c, out, name, n))
        return false;
    *len = strnlen(out, n);
    return true;
}

/* A job handle that may create children: MANAGE_x, or WRITE as fallback. */
static zx_status_t sys_get_job_for(SysCtx *c, zx_handle_t value, zx_rights_t manage,
                                   KJob **out)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, value, ZX_OBJ_TYPE_JOB, ZX_RIGHT_NONE, &h);
    if (s != ZX_OK)
        return s;
    if (!rights_has(h->rights, manage) && !rights_has(h->rights, ZX_RIGHT_WRITE))
        return ZX_ERR_ACCESS_DENIED;
    *out = job_from(h->object);
    return ZX_OK;
}

zx_status_t sys_job_create(SysCtx *c, zx_handle_t parent_job, uint32_t options,
                           zx_handle_t *out)
{
    if (options != 0)
        return ZX_ERR_INVALID_ARGS;
    KJob *parent;
    zx_status_t s = sys_get_job_for(c, parent_job, ZX_RIGHT_MANAGE_JOB, &parent);
    if (s != ZX_OK)
        return s;
    KJob *job;
    if ((s = job_create(parent, &job)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_handle(c, &job->base, ZX_DEFAULT_JOB_RIGHTS, out);
    kobject_unref(&job->base);
    return s;
}

zx_status_t sys_process_create(SysCtx *c, zx_handle_t job, const char *name,
                               size_t name_size, uint32_t options,
                               zx_handle_t *proc_handle, zx_handle_t *vmar_handle)
{
    if (options != 0)
        return ZX_ERR_INVALID_ARGS;
    zx_status_t s = sys_policy(c, ZX_POL_NEW_PROCESS);
    if (s != ZX_OK)
        return s;
    char buf[ZX_MAX_NAME_LEN];
    size_t len;
    if (!sys_copy_name(c, name, name_size, buf, &len))
        return ZX_ERR_INVALID_ARGS;
    KJob *j;
    if ((s = sys_get_job_for(c, job, ZX_RIGHT_MANAGE_PROCESS, &j)) != ZX_OK)
        return s;
    KProcess *p;
    if ((s = process_create(j, buf, len, &p)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.process_create);
    s = sys_make_handle(c, &p->base, ZX_DEFAULT_PROCESS_RIGHTS, proc_handle);
    if (s == ZX_OK) {
        KObject *vmar = vmar_root_object ? vmar_root_object(p) : NULL;
        zx_handle_t none = ZX_HANDLE_INVALID;
        if (vmar)
            s = sys_make_handle(c, vmar, vmar_root_rights(), vmar_handle);
        else if (!sys_copy_out(c, vmar_handle, &none, sizeof none))
            s = ZX_ERR_INVALID_ARGS;
        if (s != ZX_OK) {
            Handle *ph;
            zx_handle_t pv;
            if (sys_copy_in(c, &pv, proc_handle, sizeof pv) &&
                (ph = handle_table_get(&c->proc->handles, pv)))
                sys_close_handle(c, ph);
        }
    }
    kobject_unref(&p->base);
    return s;
}

bool sys_user_pc(zx_vaddr_t pc)
{
#if defined(__aarch64__)
    const zx_vaddr_t user_top = (zx_vaddr_t)1 << 48;
#else
    const zx_vaddr_t user_top = (zx_vaddr_t)1 << 47;
#endif
    return pc < user_top;
}

/* Entry points must be user code addresses, as Zircon checks: not the
 * rest of the null page, not kernel or non-canonical addresses. App code
 * is host user-space code, so that is the host's user range. Zero itself
 * is accepted, as Zircon does: the thread then faults at once. */
static bool sys_user_entry(zx_vaddr_t entry)
{
    return entry == 0 || (entry >= 4096 && sys_user_pc(entry));
}

/* What a thread started at pc 0 runs: a jump to 0, which page-faults. */
static void sys_entry_at_zero(uintptr_t arg1, uintptr_t arg2)
{
    (void)arg1;
    (void)arg2;
    void (*volatile at_zero)(void) = NULL;
    at_zero();
}

static ThreadEntryFn sys_entry_fn(zx_vaddr_t entry)
{
    return entry ? (ThreadEntryFn)entry : sys_entry_at_zero;
}

zx_status_t sys_process_start(SysCtx *c, zx_handle_t handle, zx_handle_t thread,
                              zx_vaddr_t entry, zx_vaddr_t stack, zx_handle_t arg1,
                              uintptr_t arg2)
{
    /* arg1 is consumed whatever happens: take it out of the caller first. */
    Handle *moved = NULL;
    zx_status_t s = ZX_OK;
    if (arg1 != ZX_HANDLE_INVALID) {
        s = sys_lookup(c, arg1, &moved);
        if (s == ZX_OK && !rights_has(moved->rights, ZX_RIGHT_TRANSFER))
            s = ZX_ERR_ACCESS_DENIED;
    }
    KObject *po = NULL, *to = NULL;
    if (s == ZX_OK)
        s = sys_get_object(c, handle, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_WRITE, &po);
    if (s == ZX_OK)
        s = sys_get_object(c, thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_WRITE, &to);
    KProcess *p = s == ZX_OK ? process_from(po) : NULL;
    KThread *t = s == ZX_OK ? thread_from(to) : NULL;
    if (s == ZX_OK && t->process != p)
        s = ZX_ERR_ACCESS_DENIED;
    if (s == ZX_OK && (p->state != PROCESS_INITIAL || t->state != THREAD_NEW))
        s = ZX_ERR_BAD_STATE;
    if (s == ZX_OK && !sys_user_entry(entry))
        s = ZX_ERR_INVALID_ARGS;
    if (s != ZX_OK) {
        if (moved && moved->owner == c->proc)
            sys_close_handle(c, moved);
        return s;
    }
    uintptr_t arg1_value = 0;
    if (moved) {
        zx_handle_t v = handle_table_value(&c->proc->handles, moved);
        kernel_trace(c->k, KTR_HANDLE_REMOVE, c->proc->base.koid,
                     moved->object->koid, moved->rights, v, NULL);
        handle_table_remove(&c->proc->handles, v);
        arg1_value = process_add_handle(p, moved);
        if (arg1_value == ZX_HANDLE_INVALID) /* p's table refused it */
            handle_destroy(c->k, moved);
    }
    sys_charge(c, c->k->costs.thread_create);
    return thread_start(t, sys_entry_fn(entry), stack, arg1_value, arg2);
}

void sys_process_exit(SysCtx *c, int64_t retcode)
{
    process_kill(c->proc, retcode);
}

zx_status_t sys_thread_create(SysCtx *c, zx_handle_t process, const char *name,
                              size_t name_size, uint32_t options, zx_handle_t *out)
{
    if (options != 0)
        return ZX_ERR_INVALID_ARGS;
    char buf[ZX_MAX_NAME_LEN];
    size_t len;
    if (!sys_copy_name(c, name, name_size, buf, &len))
        return ZX_ERR_INVALID_ARGS;
    KObject *po;
    zx_status_t s = sys_get_object(c, process, ZX_OBJ_TYPE_PROCESS,
                                   ZX_RIGHT_MANAGE_THREAD, &po);
    if (s != ZX_OK)
        return s;
    KThread *t;
    if ((s = thread_create(process_from(po), buf, len, &t)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.thread_create);
    s = sys_make_handle(c, &t->base, ZX_DEFAULT_THREAD_RIGHTS, out);
    kobject_unref(&t->base);
    return s;
}

zx_status_t sys_thread_start(SysCtx *c, zx_handle_t handle, zx_vaddr_t thread_entry,
                             zx_vaddr_t stack, uintptr_t arg1, uintptr_t arg2)
{
    KObject *to;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_THREAD,
                                   ZX_RIGHT_MANAGE_THREAD, &to);
    if (s != ZX_OK)
        return s;
    KThread *t = thread_from(to);
    if (t->state != THREAD_NEW || t->process->state != PROCESS_RUNNING)
        return ZX_ERR_BAD_STATE;
    if (!sys_user_entry(thread_entry))
        return ZX_ERR_INVALID_ARGS;
    return thread_start(t, sys_entry_fn(thread_entry), stack, arg1, arg2);
}

void sys_thread_exit(SysCtx *c)
{
    thread_kill(c->thread);
}

zx_status_t sys_task_kill(SysCtx *c, zx_handle_t handle)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_NONE, &h);
    if (s != ZX_OK)
        return s;
    zx_obj_type_t type = h->object->ops->type;
    if (type != ZX_OBJ_TYPE_PROCESS && type != ZX_OBJ_TYPE_JOB)
        return ZX_ERR_WRONG_TYPE;
    if (!rights_has(h->rights, ZX_RIGHT_DESTROY))
        return ZX_ERR_ACCESS_DENIED;
    if (type == ZX_OBJ_TYPE_PROCESS)
        process_kill(process_from(h->object), ZX_TASK_RETCODE_SYSCALL_KILL);
    else
        job_kill(job_from(h->object), ZX_TASK_RETCODE_SYSCALL_KILL);
    /* Killing oneself (own process, an ancestor job) does not return: the
     * hook sees the caller dying and ends it. */
    return ZX_OK;
}
