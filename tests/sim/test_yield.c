/* test_yield.c — the yield's switch (sim/request.c's request_switch_on_engine,
 * fiber_yield_asm on x86-64): the scheduler work of a yield or preemption
 * point runs on the engine's stack, between saving one fiber and resuming
 * the next. It must leave the same trace as the engine loop, keep each
 * fiber's errno and floating-point control, run the engine part under the
 * engine's, never on an app stack, and work for any stack size (before, a
 * stack with less than 16 KiB of headroom fell back to the engine context
 * at every yield). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fenv.h>

#include "engine.h"
#include "helpers.h"

#define NTHREADS 4
#define NYIELDS 200

static SimEngine *small_stack_engine(size_t stack_size)
{
    SimConfig cfg;
    t_config(&cfg, 1, SIM_STRATEGY_FIFO, 1);
    cfg.stack_size = stack_size;
    return sim_engine_new(&cfg);
}

static void ring_member(void *arg)
{
    for (int i = 0; i < NYIELDS; i++) {
        t_log((int)(intptr_t)arg);
        if (i % 50 == 49)
            sim_preempt_point(10);
        else
            sim_yield();
    }
}

static uint64_t ring_run(size_t stack_size, bool step, char *hash)
{
    SimEngine *e = small_stack_engine(stack_size);
    for (int i = 0; i < NTHREADS; i++)
        t_spawn(e, ring_member, (void *)(intptr_t)i, "ring");
    if (step) {
        while (sim_step(e) == SIM_RUN_STEPPED)
            ;
    } else {
        cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    }
    sim_trace_hash_hex(e, hash);
    uint64_t switches = e->engine_switches;
    sim_engine_free(e);
    return switches;
}

Test(yield, small_stacks_switch_straight_to_the_next_thread)
{
    char fast[33], stepped[33];
    uint64_t n = ring_run(16 * 1024, false, fast);
    /* Each thread's first run comes from the engine context; a yield or
     * preemption point never needs it. */
#ifdef SIM_FIBER_YIELD
    cr_assert_leq(n, 2 * NTHREADS, "%" PRIu64 " switches through the engine "
                  "context for %d yields", n, NTHREADS * NYIELDS);
#else
    (void)n; /* the portable path needs 16 KiB of headroom on the stack */
#endif
    cr_assert_eq(tm.nlog, NTHREADS * NYIELDS);
    int log[4096];
    memcpy(log, tm.log, sizeof log);
    uint64_t m = ring_run(16 * 1024, true, stepped);
    cr_assert_geq(m, NTHREADS * NYIELDS, "sim_step takes no fast path");
    cr_assert_str_eq(fast, stepped, "the fast path changed the trace");
    cr_assert_eq(memcmp(log, tm.log, sizeof log), 0);
}

/* Each fiber runs with its own rounding mode and errno; the resume hook
 * (engine code run by the yield's switch) checks where and how it runs. */
static const int modes[NTHREADS] = { FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO,
                                     FE_TONEAREST };
static SimThread *members[NTHREADS];
static int fp_bad, hook_calls, hook_bad_fp, hook_on_app_stack;

static void fp_member(void *arg)
{
    int k = (int)(intptr_t)arg;
    fesetround(modes[k]);
    for (int i = 0; i < NYIELDS; i++) {
        errno = 1000 + k * 100 + i;
        volatile double one = 1.0, three = 3.0;
        double before = one / three; /* SSE: MXCSR's rounding */
        sim_yield();
        if (fegetround() != modes[k] || errno != 1000 + k * 100 + i)
            fp_bad++;
        if (one / three != before)
            fp_bad++;
    }
    fesetround(FE_TONEAREST);
}

static void fp_resume_hook(SimEngine *e, SimThread *t, void *ctx)
{
    hook_calls++;
    if (fegetround() != FE_TONEAREST)
        hook_bad_fp++;
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    for (int i = 0; i < NTHREADS; i++) {
        uintptr_t lo = (uintptr_t)members[i]->stack_lo;
        if (sp >= lo && sp < lo + members[i]->stack_size)
            hook_on_app_stack++;
    }
}

Test(yield, errno_and_fp_control_stay_with_each_fiber)
{
    fp_bad = hook_calls = hook_bad_fp = hook_on_app_stack = 0;
    SimEngine *e = small_stack_engine(64 * 1024);
    sim_engine_set_resume_hook(e, fp_resume_hook, NULL);
    for (int i = 0; i < NTHREADS; i++)
        members[i] = t_spawn(e, fp_member, (void *)(intptr_t)i, "fp");
    fesetround(FE_TONEAREST);
    errno = 7;
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(errno, 7, "the engine's errno is its own");
    cr_assert_eq(fegetround(), FE_TONEAREST);
    cr_assert_eq(fp_bad, 0, "a fiber lost its errno or rounding mode");
    cr_assert_geq(hook_calls, NTHREADS * NYIELDS);
#ifdef SIM_FIBER_YIELD /* the portable path runs it on the app's stack */
    cr_assert_eq(hook_bad_fp, 0, "engine code ran with an app's rounding");
    cr_assert_eq(hook_on_app_stack, 0, "engine code ran on an app stack");
#endif
    sim_engine_free(e);
}
