/* launch.c — create a process, hand it its startup handles in the
 * processargs style, start its first thread.
 *
 * The runtime block (sdk/runtime.h) is the app side of the bootstrap
 * message: it records each startup handle's value and PA_* info, argv and
 * environment. It lives until launch_release (or forever, for a scenario
 * that keeps the process around; it is small). Handles are installed with
 * the same trace records as any other handle creation, so the capability
 * graph shows exactly what a process started with.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/object.h>

#include "job.h"
#include "launch.h"
#include "process.h"
#include "sdk/runtime.h"
#include "thread.h"
#include "thread_stack.h"

KObject *vmar_root_object(KProcess *p) __attribute__((weak));
void fdio_process_release(CapsimProcessRuntime *rt) __attribute__((weak));
zx_rights_t vmar_root_rights(void) __attribute__((weak));

static zx_handle_t launch_give(Kernel *k, KProcess *p, CapsimProcessRuntime *rt,
                               uint32_t info, KObject *o, zx_rights_t rights)
{
    Handle *h = handle_new(k, o, rights);
    if (!h)
        return ZX_HANDLE_INVALID;
    zx_handle_t v = process_add_handle(p, h);
    if (v == ZX_HANDLE_INVALID) {
        handle_destroy(k, h);
        return ZX_HANDLE_INVALID;
    }
    capsim_runtime_add_startup(rt, info, v);
    return v;
}

static char **launch_copy_strv(int n, char **v)
{
    char **out = calloc((size_t)n + 1, sizeof *out);
    for (int i = 0; out && i < n; i++)
        out[i] = strdup(v[i]);
    return out;
}

static zx_status_t launch_handles(Kernel *k, KProcess *p, KThread *t,
                                  CapsimProcessRuntime *rt, const LaunchSpec *s)
{
    uint32_t give = s->give;
    if ((give & LAUNCH_GIVE_PROC_SELF) &&
        !launch_give(k, p, rt, PA_HND(PA_PROC_SELF, 0), &p->base, ZX_DEFAULT_PROCESS_RIGHTS))
        return ZX_ERR_NO_MEMORY;
    if ((give & LAUNCH_GIVE_VMAR_ROOT) && vmar_root_object && vmar_root_object(p) &&
        !launch_give(k, p, rt, PA_HND(PA_VMAR_ROOT, 0), vmar_root_object(p),
                     vmar_root_rights()))
        return ZX_ERR_NO_MEMORY;
    if (give & LAUNCH_GIVE_JOB_DEFAULT) {
        KJob *j = s->default_job ? s->default_job : p->job;
        zx_rights_t r = s->job_rights ? s->job_rights : ZX_DEFAULT_JOB_RIGHTS;
        if (!launch_give(k, p, rt, PA_HND(PA_JOB_DEFAULT, 0), &j->base, r))
            return ZX_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < s->nextra; i++)
        if (!launch_give(k, p, rt, s->extra[i].info, s->extra[i].object, s->extra[i].rights))
            return ZX_ERR_NO_MEMORY;
    (void)t;
    return ZX_OK;
}

zx_status_t launch_process(Kernel *k, KJob *job, const LaunchSpec *s,
                           KProcess **out)
{
    const char *name = s->name ? s->name : "process";
    KProcess *p;
    zx_status_t st = process_create(job, name, strlen(name), &p);
    if (st != ZX_OK)
        return st;
    p->server = s->server;
    CapsimProcessRuntime *rt = calloc(1, sizeof *rt);
    KThread *t = NULL;
    if (!rt || (st = thread_create(p, name, strlen(name), &t)) != ZX_OK) {
        free(rt);
        process_kill(p, ZX_TASK_RETCODE_SYSCALL_KILL);
        kobject_unref(&p->base);
        return st != ZX_OK ? st : ZX_ERR_NO_MEMORY;
    }
    p->runtime = rt;
    rt->argc = s->argc;
    rt->argv = launch_copy_strv(s->argc, s->argv);
    int envc = 0;
    while (s->envp && s->envp[envc])
        envc++;
    rt->envp = launch_copy_strv(envc, s->envp);
    rt->loader = s->loader;
    if (s->nnames) {
        rt->names = launch_copy_strv((int)s->nnames, (char **)s->names);
        rt->nnames = s->nnames;
    }
    zx_handle_t thread_self = ZX_HANDLE_INVALID;
    st = launch_handles(k, p, t, rt, s);
    if (st == ZX_OK && (s->give & LAUNCH_GIVE_THREAD_SELF)) {
        thread_self = launch_give(k, p, rt, PA_HND(PA_THREAD_SELF, 0), &t->base,
                                  ZX_DEFAULT_THREAD_RIGHTS);
        if (!thread_self)
            st = ZX_ERR_NO_MEMORY;
    }
    /* The first thread's stack, as Fuchsia's launcher maps it. */
    uintptr_t stack_top = 0;
    if (st == ZX_OK)
        st = thread_stack_map(p, "initial-thread",
                              s->stack_size ? s->stack_size : THREAD_STACK_DEFAULT_SIZE,
                              THREAD_STACK_DEFAULT_GUARD, &stack_top, NULL);
    if (st == ZX_OK)
        st = thread_start(t, s->entry, stack_top, s->arg1, s->arg2);
    if (st == ZX_OK) {
        CapsimThreadRuntime *tr = t->user_tls;
        if (tr)
            tr->thread_self = thread_self;
    } else {
        process_kill(p, ZX_TASK_RETCODE_SYSCALL_KILL);
    }
    kobject_unref(&t->base);
    if (st != ZX_OK) {
        kobject_unref(&p->base);
        return st;
    }
    *out = p;
    return ZX_OK;
}

void launch_release(KProcess *p)
{
    CapsimProcessRuntime *rt = p->runtime;
    if (!rt)
        return;
    while (rt->on_release) {
        CapsimReleaseFn *r = rt->on_release;
        rt->on_release = r->next;
        r->fn(r->arg);
        free(r);
    }
    for (int i = 0; rt->argv && rt->argv[i]; i++)
        free(rt->argv[i]);
    free(rt->argv);
    for (int i = 0; rt->envp && rt->envp[i]; i++)
        free(rt->envp[i]);
    free(rt->envp);
    for (size_t i = 0; rt->names && i < rt->nnames; i++)
        free(rt->names[i]);
    free(rt->names);
    if (rt->fdio && fdio_process_release)
        fdio_process_release(rt);
    free(rt);
    p->runtime = NULL;
}
