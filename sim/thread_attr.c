/* thread_attr.c — thread attributes and lookups (getters and setters).
 *
 * Kept apart from thread.c, which owns the lifecycle: nothing here changes
 * a thread's state, except that a priority change re-queues a runnable
 * thread in its new band (at the tail, as Zircon does).
 *
 * Read next: thread.c.
 */
#include "engine.h"

#include <glib.h>

uint64_t sim_thread_id(const SimThread *t) { return t->id; }
const char *sim_thread_name(const SimThread *t) { return t->name; }
SimThreadState sim_thread_state(const SimThread *t) { return t->state; }
bool sim_thread_suspended(const SimThread *t) { return t->suspend_count > 0; }
int sim_thread_cpu(const SimThread *t) { return t->cpu; }
int sim_thread_priority(const SimThread *t) { return t->prio; }
void *sim_thread_owner(const SimThread *t) { return t->owner; }
void sim_thread_set_owner(SimThread *t, void *owner) { t->owner = owner; }
void sim_thread_set_stack_guard(SimThread *t, size_t bytes) { t->stack_guard = bytes; }

bool sim_thread_stack(const SimThread *t, void **lo, size_t *size, size_t *guard)
{
    *lo = t->stack_lo;
    *size = t->stack_size;
    *guard = t->stack_guard;
    return !(t->flags & TF_POOL_STACK);
}

uintptr_t sim_thread_stopped_sp(const SimThread *t)
{
    if (t->fault_kind)
        return t->fault_sp;
    if (t->state == SIM_THREAD_RUNNING || t->state == SIM_THREAD_NEW ||
        t->state == SIM_THREAD_DEAD)
        return 0;
    return fiber_saved_sp(&t->ctx);
}
SimTime sim_thread_runtime(const SimThread *t) { return t->runtime; }

SimTime sim_thread_queue_time(const SimThread *t)
{
    SimTime q = t->queue_time;
    if (t->flags & TF_QUEUED) /* still waiting: count up to now */
        q += t->engine->now;
    return q;
}

void sim_thread_set_name(SimThread *t, const char *name)
{
    g_free(t->name);
    t->name = g_strdup(name ? name : "");
}

void sim_thread_set_priority(SimThread *t, int priority)
{
    if (priority < SIM_PRIORITY_MIN)
        priority = SIM_PRIORITY_MIN;
    if (priority > SIM_PRIORITY_MAX)
        priority = SIM_PRIORITY_MAX;
    if (t->prio == priority)
        return;
    if (t->flags & TF_QUEUED) {
        SimCpu *c = &t->engine->cpus[t->rq_cpu];
        sched_remove(t->engine, t);
        t->prio = (uint8_t)priority;
        sched_enqueue(t->engine, c, t, false);
        return;
    }
    t->prio = (uint8_t)priority;
}

void sim_thread_set_weight(SimThread *t, uint32_t weight)
{
    t->weight = weight ? weight : 1;
}

/* A queued thread on a CPU it may no longer use is placed again. A running
 * one moves at its next kernel exit only if it is preempted or blocks. */
void sim_thread_set_affinity(SimThread *t, uint64_t cpu_mask)
{
    t->affinity = cpu_mask;
    SimEngine *e = t->engine;
    uint64_t allowed = cpu_mask & e->all_mask;
    if ((t->flags & TF_QUEUED) && allowed && !(allowed & (1ull << t->rq_cpu))) {
        sched_remove(e, t);
        sched_make_runnable(e, t);
    }
}

SimThread *sim_thread_by_id(SimEngine *e, uint64_t id)
{
    return id >= 1 && id <= e->nthreads ? e->threads[id - 1] : NULL;
}

void sim_thread_set_server(SimThread *t, bool server)
{
    if (server)
        t->flags |= TF_SERVER;
    else
        t->flags &= ~TF_SERVER;
}

bool sim_thread_server(const SimThread *t) { return (t->flags & TF_SERVER) != 0; }

void *sim_thread_user(const SimThread *t) { return t->user; }
void sim_thread_set_user(SimThread *t, void *user) { t->user = user; }

SimRequest *sim_thread_request(const SimThread *t)
{
    const SimEngine *e = t->engine;
    if ((t->flags & TF_IN_KERNEL) || (e->in_request && e->caller == t))
        return t->req == REQ_ENTER ? t->request : NULL;
    return NULL;
}
