/* helpers.h — a tiny model for engine tests: a hook with sleep, wait/wake
 * on numbered queues and a shared log. Not the real model (model/). */
#ifndef CAPSIM_TESTS_SIM_HELPERS_H
#define CAPSIM_TESTS_SIM_HELPERS_H

#include <stdio.h>
#include <string.h>

#include "sim.h"

enum { OP_SLEEP = 1, OP_WAIT, OP_WAKE, OP_NOP, OP_EXIT, OP_CHARGE };

typedef struct TReq {
    SimRequest h;
    int64_t arg;     /* ns for SLEEP/CHARGE, queue index for WAIT/WAKE */
    int64_t timeout; /* WAIT: relative timeout, 0 = forever */
} TReq;

#define T_NQUEUES 16
#define T_QCAP 1024
typedef struct TModel {
    SimThread *waiters[T_NQUEUES][T_QCAP];
    int nwait[T_NQUEUES];
    int log[4096];
    int nlog;
    int exits;
    int faults;
    int last_fault_kind;
    uint64_t last_fault_thread;
} TModel;

static TModel tm;

static inline void t_describe(SimThread *t, void *ctx, char *buf, size_t len)
{
    snprintf(buf, len, "queue %d", (int)(intptr_t)ctx);
}

static inline void t_sleep_done(SimEngine *e, SimThread *t, void *ctx)
{
    sim_thread_wake(t);
}

static inline void t_wait_timeout(SimEngine *e, SimThread *t, void *ctx)
{
    int q = (int)(intptr_t)ctx;
    for (int i = 0; i < tm.nwait[q]; i++) {
        if (tm.waiters[q][i] == t) {
            memmove(&tm.waiters[q][i], &tm.waiters[q][i + 1],
                    (tm.nwait[q] - i - 1) * sizeof(SimThread *));
            tm.nwait[q]--;
            break;
        }
    }
    sim_thread_request(t)->result = -21; /* ZX_ERR_TIMED_OUT */
    sim_thread_wake(t);
}

static inline void t_describe_sleep(SimThread *t, void *ctx, char *buf,
                                    size_t len)
{
    snprintf(buf, len, "sleep");
}

static inline SimHookResult t_hook(SimEngine *e, SimThread *caller,
                                   SimRequest *r, void *ctx)
{
    TReq *q = (TReq *)r;
    r->result = 0;
    switch (r->op) {
    case OP_SLEEP:
        sim_thread_block(caller, sim_now(e) + q->arg, t_sleep_done,
                         t_describe_sleep, NULL);
        return SIM_HOOK_BLOCKED;
    case OP_WAIT: {
        int qi = (int)q->arg;
        tm.waiters[qi][tm.nwait[qi]++] = caller;
        sim_thread_block(caller,
                         q->timeout ? sim_now(e) + q->timeout
                                    : SIM_TIME_INFINITE,
                         t_wait_timeout, t_describe, (void *)(intptr_t)qi);
        return SIM_HOOK_BLOCKED;
    }
    case OP_WAKE: {
        int qi = (int)q->arg;
        if (tm.nwait[qi]) {
            SimThread *w = tm.waiters[qi][0];
            memmove(&tm.waiters[qi][0], &tm.waiters[qi][1],
                    (tm.nwait[qi] - 1) * sizeof(SimThread *));
            tm.nwait[qi]--;
            sim_thread_wake(w);
            r->result = 1;
        }
        return SIM_HOOK_CONTINUE;
    }
    case OP_CHARGE:
        sim_charge(e, q->arg);
        return SIM_HOOK_CONTINUE;
    case OP_EXIT:
        sim_thread_kill(caller);
        return SIM_HOOK_EXIT;
    default:
        return SIM_HOOK_CONTINUE;
    }
}

static inline void t_on_exit(SimEngine *e, SimThread *t, void *ctx)
{
    tm.exits++;
}

static inline void t_on_fault(SimEngine *e, SimThread *t, int kind,
                              uintptr_t addr, void *ctx)
{
    tm.faults++;
    tm.last_fault_kind = kind;
    tm.last_fault_thread = sim_thread_id(t);
}

static inline int64_t t_call(int op, int64_t arg, int64_t timeout)
{
    TReq q = { { (uint32_t)op, 0, 0 }, arg, timeout };
    return sim_enter(&q.h);
}

static inline void t_log(int v)
{
    if (tm.nlog < 4096)
        tm.log[tm.nlog++] = v;
}

/* The tests' configuration: defaults, the tiny model above, fresh tm. */
static inline void t_config(SimConfig *cfg, int cpus, SimStrategy s,
                            uint64_t seed)
{
    memset(&tm, 0, sizeof tm);
    sim_config_default(cfg);
    cfg->cpus = cpus;
    cfg->strategy = s;
    cfg->seed = seed;
    cfg->hook = t_hook;
    cfg->on_thread_exit = t_on_exit;
    cfg->on_fault = t_on_fault;
}

static inline SimEngine *t_engine(int cpus, SimStrategy s, uint64_t seed)
{
    SimConfig cfg;
    t_config(&cfg, cpus, s, seed);
    return sim_engine_new(&cfg);
}

static inline SimThread *t_spawn(SimEngine *e, SimThreadFn fn, void *arg,
                                 const char *name)
{
    SimThread *t = sim_thread_create(e, fn, arg, name);
    sim_thread_start(t);
    return t;
}

#endif
