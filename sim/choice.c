/* choice.c — the one choice point, its strategies and the recorded schedule.
 *
 * Models: the nondeterminism of a real kernel (which runnable thread goes
 * next, whether a thread is preempted at a kernel entry, which CPU a woken
 * thread joins, which CPU an idle one steals from). Every such choice
 * between equally eligible alternatives comes through choice_make(), and
 * the model's own choices through sim_choose(). Strategies:
 *
 *   FIFO    the deterministic default: always `current` (the run-queue
 *           answer). The engine skips calling us at all under FIFO, so FIFO
 *           records nothing; replaying an empty schedule is FIFO.
 *   RANDOM  a seeded random walk: uniform over [0, n) from SIM_STREAM_SCHED.
 *   PCT     Burckhardt et al., "A Randomized Scheduler with Probabilistic
 *           Guarantees of Finding Bugs" (ASPLOS 2010): each thread gets a
 *           random initial priority >= d; d-1 change points are drawn
 *           uniformly in [1, pct_steps]; at the i-th change point (counted
 *           in kernel entries) the running thread drops to priority i.
 *           Thread choices go to the highest PCT priority (the engine passes
 *           candidate scores); other choices take the default.
 *   REPLAY  answers from cfg.replay in order; when the recorded choices run
 *           out (or one is out of range) the default (FIFO) answer.
 *
 * Recording: every choice with n > 1 is appended to a growable array
 * (sim_schedule), under every strategy except FIFO. A CHOICE trace record
 * is emitted only when the answer differs from the default, so a replay of
 * any recorded schedule (including FIFO's empty one) yields the same trace
 * and hash as the run that recorded it.
 *
 * Read next: sched.c (where the engine's choices are made).
 */
#include "engine.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

static int choice_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void choice_init(SimEngine *e)
{
    ChoiceState *cs = &e->choice;
    memset(cs, 0, sizeof *cs);
    if (e->cfg.strategy != SIM_STRATEGY_PCT)
        return;
    int d = e->cfg.pct_depth > 0 ? e->cfg.pct_depth : 1;
    uint64_t k = e->cfg.pct_steps ? e->cfg.pct_steps : 1;
    cs->npct_change = d - 1;
    cs->pct_change = g_new0(uint64_t, d > 1 ? d - 1 : 1);
    SimRng *r = &e->streams[SIM_STREAM_SCHED];
    for (int i = 0; i < d - 1; i++)
        cs->pct_change[i] = 1 + sim_rng_below(r, k);
    qsort(cs->pct_change, cs->npct_change, sizeof(uint64_t), choice_cmp_u64);
}

void choice_free(SimEngine *e)
{
    g_free(e->choice.sched);
    g_free(e->choice.pct_change);
    g_free(e->choice.scores);
    memset(&e->choice, 0, sizeof e->choice);
}

/* PCT: initial priorities are d + a random 32-bit draw, shifted so that
 * ties (equal draws) break by lower thread id; change points use 1..d-1. */
void choice_thread_created(SimEngine *e, SimThread *t)
{
    if (e->cfg.strategy != SIM_STRATEGY_PCT)
        return;
    uint64_t draw = sim_rng_next(&e->streams[SIM_STREAM_SCHED]) >> 32;
    uint64_t d = e->cfg.pct_depth > 0 ? (uint64_t)e->cfg.pct_depth : 1;
    t->pct_prio = ((d + draw) << 24) | (0xFFFFFF - (t->id & 0xFFFFFF));
}

void choice_kernel_entry(SimEngine *e, SimThread *t)
{
    ChoiceState *cs = &e->choice;
    cs->steps++;
    while (cs->pct_next < cs->npct_change &&
           cs->pct_change[cs->pct_next] <= cs->steps) {
        cs->pct_next++;
        t->pct_prio = (uint64_t)cs->pct_next << 24 |
                      (0xFFFFFF - (t->id & 0xFFFFFF));
    }
}

static void choice_record(ChoiceState *cs, uint32_t v)
{
    if (cs->nsched == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 256;
        cs->sched = g_renew(uint32_t, cs->sched, cs->cap);
    }
    cs->sched[cs->nsched++] = v;
}

static uint32_t choice_argmax(const uint64_t *scores, uint32_t n)
{
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; i++)
        if (scores[i] > scores[best])
            best = i;
    return best;
}

uint32_t choice_make(SimEngine *e, SimChoiceKind kind, uint32_t n,
                     uint32_t current, const uint64_t *scores)
{
    if (n <= 1)
        return 0;
    if (current >= n)
        current = 0;
    ChoiceState *cs = &e->choice;
    uint32_t v = current;
    switch (e->cfg.strategy) {
    case SIM_STRATEGY_FIFO:
        return current;
    case SIM_STRATEGY_RANDOM:
        v = (uint32_t)sim_rng_below(&e->streams[SIM_STREAM_SCHED], n);
        break;
    case SIM_STRATEGY_PCT:
        v = scores ? choice_argmax(scores, n) : current;
        break;
    case SIM_STRATEGY_REPLAY:
        if (cs->replay_pos < e->cfg.replay_len) {
            uint32_t r = e->cfg.replay[cs->replay_pos++];
            v = r < n ? r : current;
        }
        break;
    }
    choice_record(cs, v);
    if (v != current)
        trace_put(&e->trace, e->now, SIM_TR_CHOICE, engine_trace_cpu(e),
                  e->cur_cpu && e->cur_cpu->current ? e->cur_cpu->current->id
                                                    : 0,
                  kind, n, v, current, NULL);
    return v;
}

uint32_t sim_choose(SimEngine *e, SimChoiceKind kind, uint32_t n,
                    uint32_t current)
{
    return choice_make(e, kind, n, current, NULL);
}

const uint32_t *sim_schedule(SimEngine *e, size_t *len)
{
    if (len)
        *len = e->choice.nsched;
    return e->choice.sched;
}

uint64_t sim_preemptions(SimEngine *e)
{
    return e->choice.preemptions;
}
