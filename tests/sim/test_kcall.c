/* test_kcall.c — the kernel-entry fast path (sim/request.c, fiber_kcall):
 * a hook request handled on the engine's stack without switching to the
 * engine context must be indistinguishable from the engine loop's path:
 * same trace, same order, hook on the engine's stack with the engine's FP
 * control, the app's errno and FP state intact, sim_current() NULL in the
 * hook. sim_step turns every fast path off, so it is the reference.
 * Also: sim_safe_copy's frameless x86-64 copy at every size class. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fenv.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "helpers.h"

/* A mixed workload: waits with and without deadlines, wakes, sleeps,
 * charges and plain entries, on several CPUs. */
static void mixed(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < 40; i++) {
        t_log(id * 1000 + i);
        switch ((i + id) % 6) {
        case 0: t_call(OP_WAKE, id % 3, 0); break;
        case 1: t_call(OP_WAIT, (id + 1) % 3, 700 + 13 * id); break;
        case 2: t_call(OP_SLEEP, 100 + id, 0); break;
        case 3: t_call(OP_CHARGE, 37 * id, 0); break;
        case 4: sim_yield(); break;
        default: t_call(OP_NOP, 0, 0); break;
        }
    }
}

static void mixed_run(int cpus, SimStrategy s, bool step, char *hash,
                      int *log, int *nlog)
{
    SimEngine *e = t_engine(cpus, s, 5);
    for (int i = 0; i < 6; i++)
        t_spawn(e, mixed, (void *)(intptr_t)i, "mixed");
    if (step) {
        while (sim_step(e) == SIM_RUN_STEPPED)
            ;
    } else {
        sim_run(e);
    }
    sim_trace_hash_hex(e, hash);
    memcpy(log, tm.log, sizeof tm.log);
    *nlog = tm.nlog;
    sim_engine_free(e);
}

Test(kcall, same_trace_as_engine_loop)
{
    static int logs[2][4096];
    const SimStrategy strategies[] = { SIM_STRATEGY_FIFO, SIM_STRATEGY_RANDOM,
                                       SIM_STRATEGY_PCT };
    for (int cpus = 1; cpus <= 3; cpus += 2) {
        for (int s = 0; s < 3; s++) {
            char h[2][33];
            int n[2];
            mixed_run(cpus, strategies[s], false, h[0], logs[0], &n[0]);
            mixed_run(cpus, strategies[s], true, h[1], logs[1], &n[1]);
            cr_assert_str_eq(h[0], h[1], "cpus %d strategy %d", cpus, s);
            cr_assert_eq(n[0], n[1]);
            cr_assert_eq(memcmp(logs[0], logs[1], sizeof logs[0]), 0);
            cr_assert_gt(n[0], 200);
        }
    }
}

/* ---- what the hook sees, what the app keeps ------------------------------- */

static struct {
    uintptr_t lo, hi;        /* the app thread's stack (caller-provided) */
    int hook_calls;
    int hook_on_app_stack;
    int hook_saw_current;
    int hook_saw_app_code;   /* sim_in_app_code() true inside the hook */
    int hook_app_rounding;   /* hooks that ran with an app's rounding mode */
    int app_bad;             /* app-side checks that failed */
} kc;

static SimHookResult kc_hook(SimEngine *e, SimThread *caller, SimRequest *r,
                             void *ctx)
{
    int local = 0;
    uintptr_t here = (uintptr_t)&local;
    kc.hook_calls++;
    if (here >= kc.lo && here < kc.hi)
        kc.hook_on_app_stack++;
    if (sim_current() != NULL)
        kc.hook_saw_current++;
    if (sim_in_app_code())
        kc.hook_saw_app_code++;
    if (fegetround() != FE_TONEAREST)
        kc.hook_app_rounding++;
    errno = 99; /* the engine's errno; the app must not see it */
    return t_hook(e, caller, r, ctx);
}

/* A sticky SSE exception flag (MXCSR.PE): the fibers' MXCSR is switched
 * whole, so the flag is each fiber's own. (The x87 status word is not part
 * of a fiber's context: flags raised with x87 instructions are shared.) */
static bool kc_inexact(void)
{
#if defined(__x86_64__)
    return (__builtin_ia32_stmxcsr() & 0x20) != 0;
#else
    return true;
#endif
}

static void kc_app(void *arg)
{
    fesetround(FE_UPWARD);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double one = 1.0, three = 3.0;
    volatile double third = one / three; /* SSE divide: sets MXCSR.PE */
    (void)third;
    for (int i = 0; i < 50; i++) {
        errno = 1234 + i;
        if (i % 5 == 4)
            t_call(OP_WAIT, 1, 200); /* hands off to the peer */
        else
            t_call(OP_WAKE, 2, 0);
        if (errno != 1234 + i || fegetround() != FE_UPWARD || !kc_inexact() ||
            !sim_in_app_code())
            kc.app_bad++;
    }
}

static void kc_peer(void *arg)
{
    feclearexcept(FE_ALL_EXCEPT);
    for (int i = 0; i < 10; i++) {
        t_call(OP_WAKE, 1, 0);
        t_call(OP_WAIT, 2, 50);
        if (fegetround() != FE_TONEAREST)
            kc.app_bad++;
#if defined(__x86_64__)
        if (__builtin_ia32_stmxcsr() & 0x3f)
            kc.app_bad++;
#endif
    }
    t_call(OP_WAKE, 1, 0);
}

Test(kcall, hook_on_engine_stack_with_engine_fp_and_app_state_kept)
{
    memset(&kc, 0, sizeof kc);
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    sim_engine_set_hook(e, kc_hook, t_on_exit, t_on_fault, NULL);
    size_t sz = 256 * 1024;
    void *stack = mmap(NULL, sz, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(stack, MAP_FAILED);
    kc.lo = (uintptr_t)stack;
    kc.hi = kc.lo + sz;
    sim_thread_start(sim_thread_create_on_stack(e, kc_app, NULL, "app", stack,
                                                sz));
    sim_thread_start(sim_thread_create(e, kc_peer, NULL, "peer"));
    fesetround(FE_TONEAREST);
    cr_assert_not(sim_in_app_code(), "the host is not app code");
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_not(sim_in_app_code(), "the host is not app code after a run");
    cr_assert_gt(kc.hook_calls, 50);
    cr_assert_eq(kc.hook_on_app_stack, 0, "model code ran on an app stack");
    cr_assert_eq(kc.hook_saw_current, 0, "sim_current() must be NULL in hooks");
    cr_assert_eq(kc.hook_saw_app_code, 0, "a hook is kernel code, not app code");
    cr_assert_eq(kc.hook_app_rounding, 0, "a hook ran with the app's rounding");
    cr_assert_eq(kc.app_bad, 0, "errno, FP state or the app-code mark not kept "
                                "across kernel entries");
    cr_assert_eq(fegetround(), FE_TONEAREST);
    sim_engine_free(e);
    munmap(stack, sz);
}

/* The hook kills its caller: the caller's (caller-provided) stack is never
 * touched again, so it can be made inaccessible at once. */
static void *kc_victim_stack;
static size_t kc_victim_size;

static SimHookResult kill_hook(SimEngine *e, SimThread *caller, SimRequest *r,
                               void *ctx)
{
    if (r->op == OP_EXIT) {
        sim_thread_kill(caller);
        mprotect(kc_victim_stack, kc_victim_size, PROT_NONE);
        return SIM_HOOK_EXIT;
    }
    return t_hook(e, caller, r, ctx);
}

static void kc_victim(void *arg)
{
    t_call(OP_NOP, 0, 0);
    t_call(OP_EXIT, 0, 0);
    t_log(-1); /* never reached */
}

static void kc_bystander(void *arg)
{
    for (int i = 0; i < 5; i++) {
        t_call(OP_NOP, 0, 0);
        t_log(i);
    }
}

Test(kcall, killed_caller_stack_never_touched)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    sim_engine_set_hook(e, kill_hook, t_on_exit, t_on_fault, NULL);
    kc_victim_size = 64 * 1024;
    kc_victim_stack = mmap(NULL, kc_victim_size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    sim_thread_start(sim_thread_create_on_stack(e, kc_victim, NULL, "victim",
                                                kc_victim_stack,
                                                kc_victim_size));
    sim_thread_start(sim_thread_create(e, kc_bystander, NULL, "bystander"));
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(tm.nlog, 5);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(tm.log[i], i);
    cr_assert_eq(tm.exits, 2);
    sim_engine_free(e);
    munmap(kc_victim_stack, kc_victim_size);
}

/* ---- sim_safe_copy at every size class ------------------------------------ */

typedef bool (*CopyFn)(void *dst, const void *src, size_t n);

/* Each size copies exactly n bytes, and a read or write of an unmapped
 * page (or one straddling into it) answers false, after which copies
 * work again. */
static void kc_check_copy(CopyFn copy, const char *name)
{
    static const size_t sizes[] = { 0, 1, 3, 4, 5, 8, 9, 16, 64, 100, 4096 };
    char *src = malloc(8192), *dst = malloc(8192);
    for (int i = 0; i < 8192; i++)
        src[i] = (char)(i * 7 + 1);
    char *bad = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(bad + 4096, 4096); /* bad + 4096: unmapped */
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        memset(dst, 0, 8192);
        cr_assert(copy(dst, src, n), "%s: size %zu", name, n);
        cr_assert_eq(memcmp(dst, src, n), 0, "%s: size %zu", name, n);
        cr_assert_eq(dst[n], 0, "%s: size %zu wrote past the end", name, n);
        if (n == 0)
            continue;
        cr_assert_not(copy(dst, bad + 4096, n), "%s: read, size %zu", name, n);
        cr_assert_not(copy(bad + 4096, src, n), "%s: write, size %zu", name, n);
        cr_assert_not(copy(dst, bad + 4096 - n / 2, n + 1),
                      "%s: straddling, size %zu", name, n);
        cr_assert(copy(dst, src, n), "%s: after a fault, size %zu", name, n);
    }
    sigset_t m;
    sigprocmask(SIG_SETMASK, NULL, &m);
    cr_assert_not(sigismember(&m, SIGSEGV), "%s: SIGSEGV left blocked", name);
    munmap(bad, 4096);
    free(src);
    free(dst);
}

Test(kcall, safe_copy_sizes_and_faults)
{
    kc_check_copy(sim_safe_copy, "sim_safe_copy");
}

/* The kernel's copy (no set-up check) once an engine exists: the same
 * answers. */
Test(kcall, kernel_copy_sizes_and_faults)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    SimEngine *e = sim_engine_new(&cfg);
    kc_check_copy(sim_kernel_copy, "sim_kernel_copy");
    sim_engine_free(e);
}

/* ---- the memory hook ---------------------------------------------------------
 * The hook is the model's way to make a thread's memory the reachable one
 * (strict memory mode). It must run before every resume and before every
 * read of a request; fibers on given stacks then leave through the engine,
 * and the trace must not change. */

static struct {
    SimThread *reachable;    /* the thread the hook was last called for */
    int calls, bad;
} mh;

static void mh_memory(SimEngine *e, SimThread *t, void *ctx)
{
    mh.reachable = t;
    mh.calls++;
}

static SimHookResult mh_hook(SimEngine *e, SimThread *caller, SimRequest *r, void *ctx)
{
    if (mh.reachable != caller)
        mh.bad++;
    SimHookResult res = t_hook(e, caller, r, ctx);
    mh.reachable = NULL; /* as if the model had opened someone else */
    return res;
}

static void mh_thread(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < 40; i++) {
        switch ((i + id) % 5) {
        case 0: t_call(OP_WAKE, id % 3, 0); break;
        case 1: t_call(OP_WAIT, (id + 1) % 3, 500 + 11 * id); break;
        case 2: sim_yield(); break;
        case 3: sim_preempt_point(20); break;
        default: t_call(OP_NOP, 0, 0); break;
        }
        if (mh.reachable != sim_current())
            mh.bad++;
    }
}

static void mh_run(int cpus, bool hook, char *hash)
{
    static char stacks[3][64 * 1024] __attribute__((aligned(16)));
    memset(&mh, 0, sizeof mh);
    SimEngine *e = t_engine(cpus, SIM_STRATEGY_FIFO, 3);
    if (hook) {
        sim_engine_set_hook(e, mh_hook, t_on_exit, t_on_fault, NULL);
        sim_engine_set_memory_hook(e, mh_memory, NULL);
    }
    for (int i = 0; i < 6; i++) {
        SimThread *t = i < 3 ? sim_thread_create_on_stack(e, mh_thread, (void *)(intptr_t)i,
                                                          "given", stacks[i], sizeof stacks[i])
                             : sim_thread_create(e, mh_thread, (void *)(intptr_t)i, "pooled");
        sim_thread_start(t);
    }
    sim_run(e);
    sim_trace_hash_hex(e, hash);
    sim_engine_free(e);
}

Test(kcall, memory_hook_precedes_every_resume_and_request)
{
    for (int cpus = 1; cpus <= 2; cpus++) {
        char plain[33], hooked[33];
        mh_run(cpus, false, plain);
        mh_run(cpus, true, hooked);
        cr_expect_gt(mh.calls, 240, "cpus %d", cpus);
        cr_expect_eq(mh.bad, 0, "cpus %d: memory not reachable when used", cpus);
        cr_expect_str_eq(plain, hooked, "cpus %d: the hook changed the trace", cpus);
    }
}
