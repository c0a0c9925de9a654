/* suspend_token.c — suspend tokens and thread suspension.
 *
 * What it models: zx_task_suspend[_token]. A token holds its task
 * suspended; closing its last handle releases the hold. A thread's
 * KThread.suspend_count counts the holds on it (its own tokens plus the
 * tokens of its process that reached it). On 0 -> 1 the thread gets
 * ZX_THREAD_SUSPENDED (RUNNING cleared) and the engine is told to park its
 * fiber (sim_thread_suspend: it takes effect when the thread next leaves
 * the kernel, so a thread blocked in a syscall suspends once the wait ends,
 * and one in app code at its next kernel entry/exit); on 1 -> 0 the reverse.
 * A NEW thread only counts holds; the fiber is parked before it first runs
 * (suspend_thread_starting, called by thread_start). Threads that start in a
 * process after a process token was taken join that token's list then.
 *
 * KThread.state: a RUNNING thread becomes SUSPENDED and back; a BLOCKED
 * thread stays BLOCKED (its wait is the engine's) and ZX_INFO_THREAD
 * reports it SUSPENDED while held (sys_info.c). Suspension and exception
 * blocking are independent: the engine's suspend count is nestable and
 * exception.c takes its own holds.
 *
 * Token states (released field):  HOLDING --last handle closed--> RELEASED
 * Invariants (suspend_token_check): a HOLDING thread token's live thread
 * has suspend_count >= 1, as has every live thread on a HOLDING process
 * token's list; a RELEASED token holds nothing.
 *
 * Left out: jobs (Zircon does not support suspending them either).
 * Read next: sys_suspend.c.
 */
#include <stdlib.h>
#include <zircon/syscalls/object.h>

#include "kernel.h"
#include "process.h"
#include "suspend_token.h"
#include "thread.h"

static bool suspend_thread_alive(const KThread *t)
{
    return t->state != THREAD_DYING && t->state != THREAD_DEAD;
}

/* The engine half: park or unpark a started thread's fiber. */
static void suspend_apply(KThread *t, bool suspend)
{
    if (t->state == THREAD_NEW || !t->fiber || !suspend_thread_alive(t))
        return;
    if (suspend) {
        sim_thread_suspend(t->fiber);
        if (t->state == THREAD_RUNNING)
            t->state = THREAD_SUSPENDED;
        kobject_signal(&t->base, ZX_THREAD_RUNNING, ZX_THREAD_SUSPENDED);
    } else {
        sim_thread_resume(t->fiber);
        if (t->state == THREAD_SUSPENDED)
            t->state = THREAD_RUNNING;
        kobject_signal(&t->base, ZX_THREAD_SUSPENDED, ZX_THREAD_RUNNING);
    }
}

static void suspend_thread_hold(KThread *t)
{
    if (t->suspend_count++ == 0)
        suspend_apply(t, true);
}

static void suspend_thread_release(KThread *t)
{
    if (t->suspend_count == 0)
        return;
    if (--t->suspend_count == 0)
        suspend_apply(t, false);
}

bool suspend_thread_held(const KThread *t)
{
    return t->suspend_count > 0;
}

/* Record t on a process token and take a hold; `apply` false while the
 * caller parks the fiber itself (thread start). */
static bool suspend_token_add_thread(KSuspendToken *tok, KThread *t, bool apply)
{
    if (tok->nthreads == tok->cap) {
        size_t cap = tok->cap ? tok->cap * 2 : 4;
        KThread **n = realloc(tok->threads, cap * sizeof *n);
        if (!n)
            return false;
        tok->threads = n;
        tok->cap = cap;
    }
    kobject_ref(&t->base);
    tok->threads[tok->nthreads++] = t;
    if (apply)
        suspend_thread_hold(t);
    else
        t->suspend_count++;
    return true;
}

static bool suspend_token_has_thread(const KSuspendToken *tok, const KThread *t)
{
    for (size_t i = 0; i < tok->nthreads; i++)
        if (tok->threads[i] == t)
            return true;
    return false;
}

static void suspend_token_release(KSuspendToken *tok)
{
    if (tok->released)
        return;
    tok->released = true;
    if (tok->task->ops->type == ZX_OBJ_TYPE_THREAD) {
        suspend_thread_release(thread_from(tok->task));
        return;
    }
    process_from(tok->task)->held_tokens--;
    for (size_t i = 0; i < tok->nthreads; i++)
        suspend_thread_release(tok->threads[i]);
}

static void suspend_token_on_zero_handles(KObject *o)
{
    suspend_token_release((KSuspendToken *)o);
}

static void suspend_token_destroy(KObject *o)
{
    KSuspendToken *tok = (KSuspendToken *)o;
    suspend_token_release(tok);
    for (size_t i = 0; i < tok->nthreads; i++)
        kobject_unref(&tok->threads[i]->base);
    free(tok->threads);
    KObject *task = tok->task;
    free(tok);
    kobject_unref(task);
}

static zx_koid_t suspend_token_related_koid(const KObject *o)
{
    return ((const KSuspendToken *)o)->task->koid;
}

static void suspend_token_check(const KObject *o)
{
    const KSuspendToken *tok = (const KSuspendToken *)o;
    if (tok->released)
        return;
    if (tok->task->ops->type == ZX_OBJ_TYPE_THREAD) {
        const KThread *t = (const KThread *)tok->task;
        KCHECK(o->kernel, !suspend_thread_alive(t) || t->suspend_count >= 1);
        return;
    }
    for (size_t i = 0; i < tok->nthreads; i++) {
        const KThread *t = tok->threads[i];
        KCHECK(o->kernel, !suspend_thread_alive(t) || t->suspend_count >= 1);
    }
}

const KObjectOps suspend_token_ops = {
    .type = ZX_OBJ_TYPE_SUSPEND_TOKEN,
    .name = "suspend_token",
    .default_rights = ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS,
    .possible_rights = ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS,
    .waitable = false,
    .on_zero_handles = suspend_token_on_zero_handles,
    .destroy = suspend_token_destroy,
    .related_koid = suspend_token_related_koid,
    .check = suspend_token_check,
};

static bool suspend_task_dying(KObject *task)
{
    if (task->ops->type == ZX_OBJ_TYPE_THREAD)
        return !suspend_thread_alive(thread_from(task));
    KProcess *p = process_from(task);
    return p->state == PROCESS_DYING || p->state == PROCESS_DEAD;
}

zx_status_t suspend_token_create(KObject *task, KSuspendToken **out)
{
    if (suspend_task_dying(task))
        return ZX_ERR_BAD_STATE;
    KSuspendToken *tok = calloc(1, sizeof *tok);
    if (!tok)
        return ZX_ERR_NO_MEMORY;
    if (task->ops->type == ZX_OBJ_TYPE_PROCESS) {
        /* Reserve the whole list first so the commit cannot fail. */
        KProcess *p = process_from(task);
        tok->cap = p->thread_count ? p->thread_count : 1;
        tok->threads = calloc(tok->cap, sizeof *tok->threads);
        if (!tok->threads) {
            free(tok);
            return ZX_ERR_NO_MEMORY;
        }
    }
    kobject_init(task->kernel, &tok->base, &suspend_token_ops, 0);
    tok->task = task;
    kobject_ref(task);
    if (task->ops->type == ZX_OBJ_TYPE_THREAD) {
        suspend_thread_hold(thread_from(task));
    } else {
        KProcess *p = process_from(task);
        p->held_tokens++;
        for (KThread *t = p->threads_head; t; t = t->sib_next)
            if (suspend_thread_alive(t))
                suspend_token_add_thread(tok, t, true);
    }
    *out = tok;
    return ZX_OK;
}

void suspend_thread_starting(KThread *t)
{
    Kernel *k = t->base.kernel;
    KObject *proc = &t->process->base;
    /* Only a process with unreleased tokens needs the walk. */
    for (KObject *o = t->process->held_tokens ? k->live_head : NULL; o; o = o->live_next) {
        if (o->ops != &suspend_token_ops)
            continue;
        KSuspendToken *tok = (KSuspendToken *)o;
        if (tok->task != proc || tok->released || suspend_token_has_thread(tok, t))
            continue;
        if (!suspend_token_add_thread(tok, t, false))
            kernel_panic(__FILE__, __LINE__, "out of memory suspending a thread");
    }
    /* Holds taken while NEW (or just now) take effect before it runs. */
    if (t->suspend_count > 0)
        suspend_apply(t, true);
}
