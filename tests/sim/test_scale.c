/* test_scale.c — many threads without hitting vm.max_map_count. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "engine.h"
#include "helpers.h"

static int maps_lines(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    int n = 0, c;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static int done;
static void tiny(void *arg)
{
    sim_yield();
    done++;
}

Test(scale, two_hundred_thousand_threads, .timeout = 240)
{
    int before = maps_lines();
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    done = 0;
    enum { N = 200000 };
    for (int i = 0; i < N; i++)
        cr_assert_not_null(t_spawn(e, tiny, NULL, "t"));
    int during = maps_lines();
    cr_assert_eq(sim_live_fibers(e), N);
    /* Arenas, not a mapping per stack. Only the guards the pool chose to
     * mprotect (kernels without MADV_GUARD_INSTALL, at most a budget of
     * them) split an arena, into about two mappings each. */
    size_t split = e->stacks.mprotected;
    cr_assert_leq(split, STACK_POOL_MPROTECT_BUDGET);
    cr_assert_lt(during - before, 1000 + 2 * (int)split,
                 "stack arenas split into per-stack mappings: %d more "
                 "(%zu mprotect guards)", during - before, split);
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(done, N);
    sim_engine_free(e);
}

static void recycle(void *arg)
{
    sim_yield();
}

Test(scale, stacks_are_recycled)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 1000; i++)
            t_spawn(e, recycle, NULL, "r");
        sim_run(e);
        cr_assert_eq(sim_live_fibers(e), 0);
    }
    size_t arenas = e->stacks.narenas, pooled = e->stacks.nfree;
    cr_assert_geq(pooled, 1000);
    for (int i = 0; i < 1000; i++)
        t_spawn(e, recycle, NULL, "r");
    cr_assert_eq(e->stacks.narenas, arenas, "reused stacks: no new arenas");
    cr_assert_eq(e->stacks.nfree, pooled - 1000);
    sim_run(e);
    sim_engine_free(e);
}
