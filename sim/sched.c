/* sched.c — virtual CPUs' run queues: priorities, slices, placement, stealing.
 *
 * Models Zircon's (legacy, pre-fair) scheduler closely enough for capability
 * experiments: 32 strict priority bands (0..31, default 16); FIFO round
 * robin within a band; a time slice of cfg.time_slice * weight; preemption
 * only at kernel entry points (the engine asks sched_preempt_at_exit after
 * every request): when a higher band became runnable on this CPU (the
 * preempted thread goes back to the HEAD of its band, keeping the rest of
 * its slice, as Zircon does), when the slice ran out (to the TAIL, with a
 * fresh slice next time), or when the strategy says so (choice.c).
 *
 * Run queues: per CPU, an array of 32 intrusive doubly-linked FIFO lists and
 * a 32-bit bitmap of non-empty bands, so enqueue, dequeue and "is anything
 * higher runnable" are O(1) (one bit scan).
 *
 * Placement (a started or woken thread): its last CPU if affinity allows,
 * else the lowest-index idle CPU it may use, else the least loaded (queued +
 * running), lowest index. Then, if another allowed CPU is idle, that CPU is
 * kicked and steals: an idle CPU takes the head of the highest band from the
 * most loaded CPU (lowest index on ties) that holds a thread it may run.
 * Every one of these decisions is a choice point when more than one answer
 * is eligible and the strategy is not FIFO (FIFO skips the call: free).
 *
 * Leaves out: Zircon's fair scheduler (weights as virtual time), deadline
 * profiles, priority inheritance, CPU power states, migration cost.
 * Read next: choice.c (strategies), engine.c (when these are called).
 */
#include "engine.h"

#include <glib.h>

static inline bool sched_fifo(const SimEngine *e)
{
    return e->cfg.strategy == SIM_STRATEGY_FIFO;
}

SimTime sched_slice(const SimEngine *e, const SimThread *t)
{
    return e->cfg.time_slice * (SimTime)(t->weight ? t->weight : 1);
}

void sched_enqueue(SimEngine *e, SimCpu *c, SimThread *t, bool front)
{
    sched_link(e, c, t, front);
}

void sched_remove(SimEngine *e, SimThread *t)
{
    if (t->flags & TF_QUEUED)
        sched_unlink(e, &e->cpus[t->rq_cpu], t);
}

static inline int sched_top_band(uint32_t bitmap)
{
    return 31 - __builtin_clz(bitmap);
}

static uint64_t *sched_scores(SimEngine *e, uint32_t n)
{
    ChoiceState *cs = &e->choice;
    if (cs->nscores < n) {
        cs->nscores = n * 2;
        cs->scores = g_renew(uint64_t, cs->scores, cs->nscores);
    }
    return cs->scores;
}

/* Which thread of band `b` runs next: the head under FIFO, else a choice
 * (PCT: the highest PCT priority; RANDOM/REPLAY: any). */
__attribute__((noinline)) static SimThread *sched_pick_in_band(SimEngine *e, SimCpu *c, int b)
{
    RunList *l = &c->bands[b];
    uint32_t n = c->band_n[b];
    if (sched_fifo(e) || n == 1)
        return l->head;
    uint64_t *scores = NULL;
    if (e->cfg.strategy == SIM_STRATEGY_PCT) {
        scores = sched_scores(e, n);
        uint32_t i = 0;
        for (SimThread *t = l->head; t; t = t->rq_next)
            scores[i++] = t->pct_prio;
    }
    uint32_t k = choice_make(e, SIM_CHOICE_NEXT_THREAD, n, 0, scores);
    SimThread *t = l->head;
    while (k--)
        t = t->rq_next;
    return t;
}

static uint64_t sched_allowed(const SimEngine *e, const SimThread *t)
{
    uint64_t m = t->affinity & e->all_mask;
    return m ? m : e->all_mask;
}

static SimThread *sched_first_allowed(SimEngine *e, SimCpu *v, int cpu)
{
    for (uint32_t bm = v->bitmap; bm; bm &= ~(1u << sched_top_band(bm))) {
        for (SimThread *t = v->bands[sched_top_band(bm)].head; t;
             t = t->rq_next)
            if (sched_allowed(e, t) & (1ull << cpu))
                return t;
    }
    return NULL;
}

/* An idle CPU steals one thread (see the file comment for the rule).
 * Out of line (like sched_place): its scratch array would otherwise give
 * sched_next's common path a frame. */
__attribute__((noinline)) static SimThread *sched_steal(SimEngine *e, SimCpu *c)
{
    if (e->ncpus == 1)
        return NULL;
    int cand[SIM_MAX_CPUS];
    uint32_t n = 0, def = 0;
    for (int i = 0; i < e->ncpus; i++) {
        SimCpu *v = &e->cpus[i];
        if (v == c || !v->nqueued || !sched_first_allowed(e, v, c->index))
            continue;
        if (n && v->nqueued > e->cpus[cand[def]].nqueued)
            def = n;
        cand[n++] = i;
    }
    if (!n)
        return NULL;
    uint32_t k = sched_fifo(e) ? def
                               : choice_make(e, SIM_CHOICE_STEAL, n, def, NULL);
    return sched_first_allowed(e, &e->cpus[cand[k]], c->index);
}

SimThread *sched_next(SimEngine *e, SimCpu *c)
{
    SimThread *t;
    if (c->bitmap) {
        int b = sched_top_band(c->bitmap);
        /* FIFO or a lone thread: the head, without sched_pick_in_band */
        t = sched_fifo(e) || c->band_n[b] == 1 ? c->bands[b].head
                                               : sched_pick_in_band(e, c, b);
        sched_unlink(e, c, t); /* queued here: its rq_cpu is c */
        return t;
    }
    t = sched_steal(e, c);
    if (t)
        sched_remove(e, t);
    return t;
}

static int sched_load(const SimCpu *c)
{
    return (int)c->nqueued + (c->current != NULL);
}

__attribute__((noinline)) static int sched_place(SimEngine *e, SimThread *t)
{
    if (e->ncpus == 1)
        return 0;
    uint64_t mask = sched_allowed(e, t);
    int pick;
    if (t->cpu >= 0 && (mask & (1ull << t->cpu))) {
        pick = t->cpu;
    } else if (e->idle_mask & mask) {
        pick = __builtin_ctzll(e->idle_mask & mask);
    } else {
        pick = -1;
        for (uint64_t m = mask; m; m &= m - 1) {
            int i = __builtin_ctzll(m);
            if (pick < 0 || sched_load(&e->cpus[i]) < sched_load(&e->cpus[pick]))
                pick = i;
        }
    }
    uint32_t n = (uint32_t)__builtin_popcountll(mask);
    if (sched_fifo(e) || n == 1)
        return pick;
    uint32_t def = (uint32_t)__builtin_popcountll(mask & ((1ull << pick) - 1));
    uint32_t k = choice_make(e, SIM_CHOICE_PLACE_CPU, n, def, NULL);
    for (uint64_t m = mask;; m &= m - 1)
        if (k-- == 0)
            return __builtin_ctzll(m);
}

void sched_make_runnable(SimEngine *e, SimThread *t)
{
    if (sched_make_runnable_one_cpu(e, t))
        return;
    SimCpu *c = &e->cpus[sched_place(e, t)];
    sched_enqueue(e, c, t, false);
    if (c->next == CPU_IDLE) {
        engine_kick_cpu(e, c);
        return;
    }
    uint64_t idle = e->idle_mask & sched_allowed(e, t);
    if (idle)
        engine_kick_cpu(e, &e->cpus[__builtin_ctzll(idle)]);
}

bool sched_yield_has_peer(const SimCpu *c, const SimThread *t)
{
    return (c->bitmap >> t->prio) != 0;
}

/* At kernel exit of `t` (still c->current). True if `t` must leave the CPU;
 * it has then been put back on c's run queue. */
bool sched_preempt_at_exit(SimEngine *e, SimCpu *c, SimThread *t)
{
    if (((uint64_t)c->bitmap >> t->prio) > 1) { /* a higher band waits */
        t->slice_left = c->slice_end - c->clock;
        sched_enqueue(e, c, t, true);
        trace_put_fast(&e->trace, e->now, SIM_TR_PREEMPT, c->index, t->id, 0,
                       t->id);
        return true;
    }
    bool peer = c->band_n[t->prio] != 0;
    if (c->clock >= c->slice_end) {
        t->slice_left = 0;
        if (peer) {
            sched_enqueue(e, c, t, false);
            trace_put_fast(&e->trace, e->now, SIM_TR_PREEMPT, c->index, t->id,
                           0, t->id);
            return true;
        }
        c->slice_end = c->clock + sched_slice(e, t);
    }
    if (sched_fifo(e) || !peer)
        return false;
    uint32_t k;
    if (e->cfg.strategy == SIM_STRATEGY_PCT) {
        uint64_t best = 0;
        for (SimThread *o = c->bands[t->prio].head; o; o = o->rq_next)
            if (o->pct_prio > best)
                best = o->pct_prio;
        uint64_t scores[2] = { t->pct_prio, best };
        k = choice_make(e, SIM_CHOICE_PREEMPT, 2, 0, scores);
    } else {
        k = choice_make(e, SIM_CHOICE_PREEMPT, 2, 0, NULL);
    }
    if (!k)
        return false;
    e->choice.preemptions++;
    t->slice_left = c->slice_end - c->clock;
    sched_enqueue(e, c, t, false);
    trace_put_fast(&e->trace, e->now, SIM_TR_PREEMPT, c->index, t->id, 1,
                   t->id);
    return true;
}
