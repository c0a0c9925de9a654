/* app_world.c — the app layer attached to one kernel: which process runs
 * which private copy, per-thread host state, and how each process ended.
 *
 * Models: what a real OS keeps in every address space but one host process
 * must multiplex: libc's stdio and environment, the app's TLS block, the
 * atexit list, libc's hidden state (generators, static results, h_errno,
 * locale: libc_prng.c, libc_static_buffers.c, libc_h_errno.c,
 * app_world_locale.c). One AppProc per process seen to run (by koid, kept until
 * the world goes: outcome and output stay queryable), one AppThread per
 * engine thread (by thread id).
 *
 * Engine hooks, chained to the kernel's, installed on first use:
 *  - resume: before a fiber resumes, install its process's libc globals if
 *    another's are there (app_world_io.c), its values in its copy's TLS
 *    block if another thread's are there, and its locale; O(1) when
 *    nothing changes;
 *  - request: puts the host's locale back if an app's is in force; a
 *    thread with a pending cancellation may not make the call
 *    (app_cancel.c); ops >= APP_OP_FIRST are ours (capsim_spawn,
 *    app_spawn.c; pthread_cancel, app_cancel.c); a successful
 *    zx_process_start binds the new process to the copy its entry lives
 *    in (it shares the parent's globals, like a thread, and starts from a
 *    copy of the parent's libc state, like fork's child);
 *    zx_process_exit marks "ended by its own request";
 *  - thread exit: drop the AppThread; once the process is dying, record
 *    its outcome, recycle its stdio, free its runtime block and libc
 *    state and release its copy (nothing of a dying process runs again:
 *    safe to unload);
 *  - shutdown (app_shutdown): a process still running then may have
 *    frames of its copy on a fiber stack; its copy is released only once
 *    the engine has freed every stack (sim_engine_at_free), so a script
 *    making thousands of systems does not keep thousands of copies;
 *  - fault: remember the kind (address only when below 64 KiB).
 *
 * Invariants: an AppProc with p != NULL holds a reference on p; a copy's
 * tls_owner is a live AppThread of a process running that copy. Leaves
 * out: several worlds running at once on different host threads (libc's
 * globals are process-wide). Read next: app_world_io.c.
 */
#include <stdlib.h>
#include <dlfcn.h>
#include <string.h>
#include <zircon/syscalls/object.h>

#include "app_call.h"
#include "app_heap.h"
#include "app_world.h"
#include "sdk/fdio_internal.h"
#include "sdk/runtime.h"
#include "strict_memory.h"
#include "syscall.h"
#include "thread.h"

static AppThread app_world_no_proc; /* engine threads without a process */

static void app_world_resume(SimEngine *e, SimThread *st, void *ctx);

AppWorld *app_world_of(Kernel *k)
{
    void *ctx = NULL;
    if (!k || sim_engine_resume_hook(k->engine, &ctx) != app_world_resume)
        return NULL;
    AppWorld *w = ctx;
    return w->k == k ? w : NULL;
}

AppProc *app_world_proc_by_koid(AppWorld *w, zx_koid_t koid)
{
    return g_hash_table_lookup(w->by_koid, &koid);
}

static gint app_world_koid_cmp(gconstpointer a, gconstpointer b)
{
    const AppProc *x = *(AppProc *const *)a, *y = *(AppProc *const *)b;
    return x->koid < y->koid ? -1 : x->koid > y->koid;
}

AppProc *app_world_proc(AppWorld *w, KProcess *p, AppInstance *inst)
{
    AppProc *ap = app_world_proc_by_koid(w, p->base.koid);
    if (ap)
        return ap;
    ap = calloc(1, sizeof *ap);
    if (!ap)
        return NULL;
    ap->w = w;
    ap->p = p;
    kobject_ref(&p->base);
    ap->koid = p->base.koid;
    memcpy(ap->name, p->base.name, sizeof ap->name);
    ap->inst = app_instance_ref(inst);
    libc_prng_init(&ap->prng);
    app_output_init(ap);
    if (!app_io_open(ap)) {
        app_output_free(ap);
        app_instance_unref(ap->inst);
        kobject_unref(&p->base);
        free(ap);
        return NULL;
    }
    g_hash_table_insert(w->by_koid, &ap->koid, ap);
    g_ptr_array_add(w->procs, ap);
    if (w->procs->len > 1 &&
        ((AppProc *)w->procs->pdata[w->procs->len - 2])->koid > ap->koid)
        g_ptr_array_sort(w->procs, app_world_koid_cmp);
    return ap;
}

static AppEnd app_world_classify(const AppProc *ap, int64_t code)
{
    if (ap->exited)
        return APP_END_EXITED;
    switch (code) {
    case ZX_TASK_RETCODE_SYSCALL_KILL: return APP_END_KILLED;
    case ZX_TASK_RETCODE_POLICY_KILL: return APP_END_POLICY;
    case ZX_TASK_RETCODE_EXCEPTION_KILL: return APP_END_EXCEPTION;
    case ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL: return APP_END_CRITICAL;
    case ZX_TASK_RETCODE_OOM_KILL:
    case ZX_TASK_RETCODE_VDSO_KILL: return APP_END_OTHER;
    default: return APP_END_EXITED; /* its last thread returned */
    }
}

/* The libc state ap owns (its threads are gone or never run again). */
static void app_world_proc_libc_free(AppProc *ap)
{
    libc_static_buffers_free_proc(ap);
    libc_environ_free_proc(ap);
    libc_memstream_orphan_proc(ap);
    app_heap_free(ap->heap);
    ap->heap = NULL;
    if (ap->locale) {
        app_locale_forget(ap->locale);
        freelocale(ap->locale);
        ap->locale = NULL;
    }
}

/* p is dying or dead: nothing of it runs again. */
static void app_world_proc_ended(AppProc *ap)
{
    KProcess *p = ap->p;
    if (!p)
        return;
    ap->return_code = p->return_code;
    ap->end = app_world_classify(ap, p->return_code);
    app_io_close(ap);
    if (ap->owns_runtime)
        launch_release(p);
    AppInstance *in = ap->inst;
    if (in && in->tls_owner && in->tls_owner->proc == ap)
        in->tls_owner = NULL;
    ap->inst = NULL;
    app_instance_unref(in);
    app_launch_free_atexit(ap);
    app_world_proc_libc_free(ap);
    ap->p = NULL;
    kobject_unref(&p->base);
}

/* ---- threads -------------------------------------------------------------*/

static AppThread *app_world_attach_thread(AppWorld *w, SimThread *st)
{
    uint64_t id = sim_thread_id(st);
    if (id >= w->threads_cap) {
        size_t cap = w->threads_cap ? w->threads_cap : 256;
        while (cap <= id)
            cap *= 2;
        AppThread **n = realloc(w->threads, cap * sizeof *n);
        if (!n)
            return NULL;
        memset(n + w->threads_cap, 0, (cap - w->threads_cap) * sizeof *n);
        w->threads = n;
        w->threads_cap = cap;
    }
    KThread *kt = thread_of_fiber(st);
    if (!kt) {
        w->threads[id] = &app_world_no_proc;
        return w->threads[id];
    }
    AppProc *ap = app_world_proc_by_koid(w, kt->process->base.koid);
    if (!ap)
        ap = app_world_proc(w, kt->process, app_instance_containing((void *)kt->entry));
    AppThread *at = ap ? calloc(1, sizeof *at) : NULL;
    if (!at)
        return NULL;
    at->proc = ap;
    w->threads[id] = at;
    return at;
}

static void app_world_drop_thread(AppWorld *w, uint64_t id)
{
    if (id >= w->threads_cap || !w->threads[id])
        return;
    AppThread *at = w->threads[id];
    w->threads[id] = NULL;
    if (at == &app_world_no_proc)
        return;
    AppInstance *in = at->proc ? at->proc->inst : NULL;
    if (in && in->tls_owner == at)
        in->tls_owner = NULL;
    app_locale_forget(at->locale); /* the app may free it now */
    libc_static_buffers_free_thread(at);
    free(at->tls_save);
    free(at);
}

/* Put at's values into its copy's TLS block (saving the previous owner's). */
static void app_world_tls_switch(AppInstance *in, AppThread *at)
{
    uint8_t *live = app_instance_tls_block(in);
    if (!live)
        return;
    if (!at->tls_save) {
        if (!(at->tls_save = malloc(in->tls_size)))
            return;
        memcpy(at->tls_save, in->tls_init, in->tls_size);
    }
    if (in->tls_owner)
        memcpy(in->tls_owner->tls_save, live, in->tls_size);
    memcpy(live, at->tls_save, in->tls_size);
    in->tls_owner = at;
}

static void app_world_resume(SimEngine *e, SimThread *st, void *ctx)
{
    AppWorld *w = ctx;
    uint64_t id = sim_thread_id(st);
    AppThread *at = id < w->threads_cap ? w->threads[id] : NULL;
    if (!at && !(at = app_world_attach_thread(w, st)))
        return;
    AppProc *ap = at->proc;
    if (!ap)
        return;
    if (app_io_installed() != ap)
        app_io_install(ap);
    AppInstance *in = ap->inst;
    if (in && in->tls_size && in->tls_owner != at)
        app_world_tls_switch(in, at);
    app_locale_enter(at);
}

/* The calling fiber's record, NULL for none. */
static AppThread *app_world_thread_here(void)
{
    SimThread *st = sim_current();
    SimEngine *e = sim_current_engine();
    void *ctx = NULL;
    if (!st || !e || sim_engine_resume_hook(e, &ctx) != app_world_resume)
        return NULL;
    AppWorld *w = ctx;
    uint64_t id = sim_thread_id(st);
    return id < w->threads_cap ? w->threads[id] : NULL;
}

AppProc *app_world_current_proc(void)
{
    AppThread *at = app_world_thread_here();
    return at ? at->proc : NULL;
}

AppThread *app_world_current_thread(void)
{
    if (!sim_in_app_code())
        return NULL;
    AppThread *at = app_world_thread_here();
    return at && at->proc ? at : NULL;
}

bool app_world_in_app_code(void)
{
    return sim_in_app_code() && app_world_current_proc() != NULL;
}

/* What app_instance_containing answered for recent callers, per host
 * thread: a return address's answer holds until a copy is loaded or
 * unloaded (app_instance_generation), and the dladdr behind it is the
 * slowest part of an interposed call. Speed only: answers are the same. */
#define APP_CALLER_CACHE 64u
typedef struct AppCallerSeen {
    const void *caller;
    unsigned generation;
    bool in_copy;
} AppCallerSeen;
static __thread AppCallerSeen app_caller_seen[APP_CALLER_CACHE];

bool app_world_caller_in_copy(const void *caller)
{
    if (app_call_from_gate(caller))
        return true; /* a tail call from app code (app_call.c) */
    AppCallerSeen *e = &app_caller_seen[((uintptr_t)caller >> 2) % APP_CALLER_CACHE];
    unsigned gen = app_instance_generation();
    if (e->caller != caller || e->generation != gen) {
        e->in_copy = caller && app_instance_containing(caller) != NULL;
        e->caller = caller;
        e->generation = gen;
    }
    return e->in_copy;
}

bool app_world_app_caller(const void *caller)
{
    return app_world_in_app_code() &&
           (app_world_caller_in_copy(caller) || !fdio_libc_host_caller(caller));
}

/* ---- chained engine callbacks --------------------------------------------*/

static const char *app_world_op_name(uint64_t op)
{
    if (op == APP_OP_SPAWN)
        return "capsim_spawn";
    return op == APP_OP_PTHREAD_CANCEL ? "pthread_cancel" : syscall_name(op);
}

/* A process started in its parent's copy runs on from the parent's libc
 * state, as fork's child: its generators and its locale. */
static void app_world_inherit_libc(AppProc *child, const AppProc *parent)
{
    child->prng = parent->prng;
    if (parent->locale)
        child->locale = duplocale(parent->locale);
}

/* A process an app starts with zx_process_start is an app's process too:
 * it gets a runtime block of its own (no startup handles, argv or
 * environment: it was given none) so that fdio serves it, with its
 * captured stdio as 0-2 and an empty namespace. Without one its
 * descriptor calls reached the HOST's descriptors (readv(0) read the
 * host's stdin, write(7) wrote to whatever the host had open as 7). */
static void app_world_give_runtime(AppProc *ap, KProcess *parent, KThread *first)
{
    CapsimProcessRuntime *prt = parent->runtime;
    KProcess *child = ap->p;
    if (child->runtime || !prt || !prt->loader || !first || first->process != child)
        return;
    CapsimProcessRuntime *rt = calloc(1, sizeof *rt);
    if (!rt)
        return;
    rt->loader = ap; /* an app's: fdio confines its file calls */
    child->runtime = rt;
    thread_attach_runtime(first);
}

static void app_world_bind_started(AppWorld *w, SimThread *caller,
                                   SyscallRequest *q)
{
    KThread *kt = thread_of_fiber(caller);
    if (!kt)
        return;
    Handle *h = handle_table_get(&kt->process->handles, (zx_handle_t)q->a[0]);
    if (!h || h->object->ops->type != ZX_OBJ_TYPE_PROCESS)
        return;
    KProcess *child = (KProcess *)h->object;
    bool fresh = !app_world_proc_by_koid(w, child->base.koid);
    AppProc *ap = app_world_proc(w, child, app_instance_containing((void *)q->a[2]));
    AppProc *parent = app_world_proc_by_koid(w, kt->process->base.koid);
    if (ap && fresh && parent)
        app_world_inherit_libc(ap, parent);
    Handle *th = handle_table_get(&kt->process->handles, (zx_handle_t)q->a[1]);
    if (ap && th && th->object->ops->type == ZX_OBJ_TYPE_THREAD)
        app_world_give_runtime(ap, kt->process, (KThread *)th->object);
}

/* A request of the app layer's own, with kernel_hook's rules. */
static SimHookResult app_world_own_op(AppWorld *w, SimThread *caller,
                                      SimRequest *req)
{
    Kernel *k = w->k;
    KThread *t = thread_of_fiber(caller);
    if (t)
        kobject_ref(&t->base);
    k->in_syscall = true;
    int64_t r = req->op == APP_OP_PTHREAD_CANCEL ? app_cancel_handle(caller, req)
                                                 : app_spawn_handle(w, caller, req);
    k->in_syscall = false;
    strict_memory_enter_thread(caller); /* req is on the caller's stack */
    bool dying = t && (t->state == THREAD_DYING || t->state == THREAD_DEAD);
    if (t)
        kobject_unref(&t->base);
    if (k->check_invariants)
        kernel_check_invariants(k);
    if (r == SYS_EXITED || dying)
        return SIM_HOOK_EXIT;
    req->result = r;
    return SIM_HOOK_CONTINUE;
}

static SimHookResult app_world_hook(SimEngine *e, SimThread *caller,
                                    SimRequest *req, void *ctx)
{
    AppWorld *w = ctx;
    if (app_locale_app_installed())
        app_locale_leave(); /* kernel code never runs under an app's locale */
    uint32_t op = req->op; /* req is gone if the hook ends the caller */
    if (app_cancel_at_entry(caller, req))
        return SIM_HOOK_CONTINUE;
    if (op >= APP_OP_FIRST)
        return app_world_own_op(w, caller, req);
    if (op == SYS_process_exit) {
        uint64_t id = sim_thread_id(caller);
        AppThread *at = id < w->threads_cap ? w->threads[id] : NULL;
        if (at && at->proc)
            at->proc->exited = true;
    }
    SimHookResult r = w->prev_hook(e, caller, req, w->prev_ctx);
    if (op == SYS_process_start && r == SIM_HOOK_CONTINUE && req->result == ZX_OK)
        app_world_bind_started(w, caller, (SyscallRequest *)req);
    return r;
}

static void app_world_thread_exit(SimEngine *e, SimThread *st, void *ctx)
{
    AppWorld *w = ctx;
    KThread *kt = thread_of_fiber(st);
    KProcess *p = kt ? kt->process : NULL;
    if (p)
        kobject_ref(&p->base);
    if (w->prev_exit)
        w->prev_exit(e, st, w->prev_ctx);
    app_world_drop_thread(w, sim_thread_id(st));
    if (p) {
        AppProc *ap = app_world_proc_by_koid(w, p->base.koid);
        if (ap && (p->state == PROCESS_DYING || p->state == PROCESS_DEAD))
            app_world_proc_ended(ap);
        kobject_unref(&p->base);
    }
}

static void app_world_fault(SimEngine *e, SimThread *st, int kind,
                            uintptr_t addr, void *ctx)
{
    AppWorld *w = ctx;
    uint64_t id = sim_thread_id(st);
    AppThread *at = id < w->threads_cap ? w->threads[id] : NULL;
    if (at && at->proc) {
        at->proc->fault_kind = kind;
        at->proc->fault_addr = addr < 65536 ? addr : 0;
        at->proc->fault_addr_known =      /* a touched address, the same every run */
            addr < 65536 && (kind == SIM_FAULT_SEGV || kind == SIM_FAULT_BUS);
    }
    if (w->prev_fault)
        w->prev_fault(e, st, kind, addr, w->prev_ctx);
}

/* ---- lifetime --------------------------------------------------------------*/

/* sim_engine_at_free: the copies of processes still running at
 * app_shutdown. Their threads may have stopped inside the copy's code (a
 * blocked call's frames are on their fiber stacks); with the engine and
 * every stack gone, none of it can run again. */
static void app_world_unload_copies(void *ctx)
{
    GPtrArray *copies = ctx;
    for (guint i = 0; i < copies->len; i++)
        app_instance_unref(copies->pdata[i]);
    g_ptr_array_free(copies, TRUE);
}

AppWorld *app_world_get(Kernel *k)
{
    AppWorld *w = app_world_of(k);
    if (w)
        return w;
    w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    app_io_prepare(); /* never first on a fiber's stack (resume hook) */
    const SimConfig *cfg = sim_engine_config(k->engine);
    w->k = k;
    k->name_image_address = app_instance_name_address;
    k->image_memory = app_image_memory;
    w->prev_hook = cfg->hook;
    w->prev_exit = cfg->on_thread_exit;
    w->prev_fault = cfg->on_fault;
    w->prev_ctx = cfg->hook_ctx;
    w->by_koid = g_hash_table_new(g_int64_hash, g_int64_equal);
    w->procs = g_ptr_array_new();
    w->output_limit = 1u << 20;
    w->order = g_array_new(FALSE, FALSE, sizeof(AppOutputRef));
    w->images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify)app_image_release);
    sim_engine_set_hook(k->engine, app_world_hook, app_world_thread_exit,
                        app_world_fault, w);
    sim_engine_set_resume_hook(k->engine, app_world_resume, w);
    sim_trace_set_op_names(k->engine, app_world_op_name);
    return w;
}

void app_shutdown(Kernel *k)
{
    AppWorld *w = app_world_of(k);
    if (!w)
        return;
    AppProc *cur = app_io_installed();
    if (cur && cur->w == w)
        app_io_install(NULL);
    app_locale_leave_to_host();
    sim_engine_set_hook(k->engine, w->prev_hook, w->prev_exit, w->prev_fault,
                        w->prev_ctx);
    sim_engine_set_resume_hook(k->engine, NULL, NULL);
    sim_trace_set_op_names(k->engine, syscall_name);
    k->name_image_address = NULL;
    k->image_memory = NULL;
    for (size_t i = 0; i < w->threads_cap; i++)
        app_world_drop_thread(w, i);
    GPtrArray *copies = g_ptr_array_new();
    for (guint i = 0; i < w->procs->len; i++) {
        AppProc *ap = w->procs->pdata[i];
        if (ap->p && ap->p->state == PROCESS_DEAD)
            app_world_proc_ended(ap);
        if (ap->p) { /* still running: its copy goes after the engine */
            app_io_close(ap);
            app_world_proc_libc_free(ap);
            if (ap->inst)
                g_ptr_array_add(copies, ap->inst); /* its reference */
            ap->inst = NULL;
            kobject_unref(&ap->p->base);
        }
        app_output_free(ap);
        app_launch_free_atexit(ap);
        free(ap);
    }
    if (copies->len)
        sim_engine_at_free(k->engine, app_world_unload_copies, copies);
    else
        g_ptr_array_free(copies, TRUE);
    g_ptr_array_free(w->procs, TRUE);
    g_array_free(w->order, TRUE);
    g_hash_table_destroy(w->images);
    g_hash_table_destroy(w->by_koid);
    free(w->threads);
    free(w);
}

/* ---- queries ---------------------------------------------------------------*/

const char *app_end_name(AppEnd end)
{
    switch (end) {
    case APP_END_RUNNING: return "running";
    case APP_END_EXITED: return "exited";
    case APP_END_KILLED: return "killed by syscall";
    case APP_END_POLICY: return "killed by policy";
    case APP_END_EXCEPTION: return "exception";
    case APP_END_CRITICAL: return "killed (critical process died)";
    default: return "killed";
    }
}

const char *app_fault_name(int kind)
{
    return sim_fault_name(kind);
}

static void app_world_fill_info(AppProc *ap, AppProcInfo *out)
{
    if (ap->p && ap->p->state == PROCESS_DEAD) /* ended unseen (no fiber exit) */
        app_world_proc_ended(ap);
    memset(out, 0, sizeof *out);
    out->koid = ap->koid;
    memcpy(out->name, ap->name, sizeof out->name);
    out->end = ap->p ? APP_END_RUNNING : ap->end;
    out->return_code = ap->p ? 0 : ap->return_code;
    out->fault_kind = ap->fault_kind;
    out->fault_addr = ap->fault_addr;
    out->fault_addr_known = ap->fault_addr_known;
    out->output_bytes = ap->bytes->len;
    out->output_truncated = ap->truncated;
}

size_t app_proc_count(Kernel *k)
{
    AppWorld *w = app_world_of(k);
    return w ? w->procs->len : 0;
}

bool app_proc_info(Kernel *k, size_t i, AppProcInfo *out)
{
    AppWorld *w = app_world_of(k);
    if (!w || i >= w->procs->len)
        return false;
    app_world_fill_info(w->procs->pdata[i], out);
    return true;
}

bool app_proc_info_by_koid(Kernel *k, zx_koid_t koid, AppProcInfo *out)
{
    AppWorld *w = app_world_of(k);
    AppProc *ap = w ? app_world_proc_by_koid(w, koid) : NULL;
    if (!ap)
        return false;
    app_world_fill_info(ap, out);
    return true;
}

void app_set_output_limit(Kernel *k, size_t bytes)
{
    AppWorld *w = app_world_get(k);
    if (w)
        w->output_limit = bytes;
}

void app_restore_host(Kernel *k)
{
    AppProc *cur = app_io_installed();
    if (cur && (!k || cur->w == app_world_of(k)))
        app_io_install(NULL);
    app_locale_leave_to_host();
}
