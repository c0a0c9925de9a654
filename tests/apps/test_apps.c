/* test_apps.c — real C programs as simulated processes, through the host
 * API: private copies, faults contained, exit paths, the process model seen
 * from inside, families of processes, deterministic preemption in app code,
 * per-thread TLS, stdio capture, load errors, POSIX threads and every
 * object they wait on, libc's clocks and random bytes.
 *
 * Every test builds a fresh system, spawns apps built in this directory
 * (meson.build), runs to the end and asserts on how each process ended,
 * its return code, its captured output and the trace hash. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "capsim_host.h"
#include "capsim_script.h"
#include "sim.h"

#define APP(name) APPS_DIR "/" name ".so"

/* ASan's own pthread_create comes first and cannot start a fiber: tests
 * of simulated pthreads skip AddressSanitizer builds. */
#if defined(__SANITIZE_ADDRESS__)
#define APPS_SKIP_UNDER_ASAN() cr_skip_test("pthreads need a build without AddressSanitizer")
#else
#define APPS_SKIP_UNDER_ASAN() ((void)0)
#endif

static CapsimSystem *apps_system(uint64_t seed, int cpus, int strategy,
                                 uint64_t budget_ms)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.seed = seed;
    cfg.cpus = cpus;
    cfg.strategy = strategy;
    cfg.budget_ns = budget_ms * 1000000u;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    return s;
}

static uint64_t apps_spawn(CapsimSystem *s, const char *app, const char *a1,
                           const char *a2)
{
    const char *argv[4] = {app, a1, a1 ? a2 : NULL, NULL};
    int argc = 1 + (a1 != NULL) + (a1 && a2);
    uint64_t koid = capsim_spawn_app(s, app, argc, argv, NULL);
    cr_assert(koid, "%s", capsim_last_error(s));
    return koid;
}

static char *apps_output(CapsimSystem *s, uint64_t koid, int streams)
{
    size_t n = capsim_process_output(s, koid, streams, NULL, 0);
    char *b = malloc(n + 1);
    capsim_process_output(s, koid, streams, b, n + 1);
    return b;
}

static CapsimProcessInfo apps_info(CapsimSystem *s, uint64_t koid)
{
    CapsimProcessInfo pi;
    cr_assert_eq(capsim_process_info(s, koid, &pi), 0);
    return pi;
}

/* ---- private copies --------------------------------------------------------*/

Test(instances, two_copies_never_share_globals)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    uint64_t a = apps_spawn(s, APP("app_counter"), "100", NULL);
    uint64_t b = apps_spawn(s, APP("app_counter"), "100", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    /* They interleaved (each yields every round); shared, each would end at 200. */
    cr_expect_eq(capsim_process_return_code(s, a), 100);
    cr_expect_eq(capsim_process_return_code(s, b), 100);
    char *out = apps_output(s, a, 1);
    cr_expect_str_eq(out, "counter=100\n");
    free(out);
    capsim_system_free(s);
}

Test(instances, copies_of_processes_alive_when_freed_are_unloaded)
{
    size_t before = app_loaded_copies();
    for (int round = 0; round < 3; round++) {
        CapsimSystem *s = apps_system(5, 1, CAPSIM_STRATEGY_FIFO, 0);
        for (int i = 0; i < 20; i++) {
            /* count to 1 after sleeping 1 ms: at 0.5 ms each is blocked in
             * its copy's code */
            const char *av[] = {"counter", "1", "x", "1", NULL};
            cr_assert(capsim_spawn_app(s, APP("app_counter"), 4, av, NULL), "%s",
                      capsim_last_error(s));
        }
        capsim_run_until(s, 500000);
        cr_expect_eq(app_loaded_copies(), before + 20);
        capsim_system_free(s);
        cr_expect_eq(app_loaded_copies(), before, "round %d: copies left behind", round);
    }
}

Test(instances, thousand_copies_loaded_at_once)
{
    CapsimSystem *s = apps_system(3, 2, CAPSIM_STRATEGY_FIFO, 0);
    size_t before = app_loaded_copies();
    static uint64_t koids[1000];
    for (int i = 0; i < 1000; i++) {
        /* count to 1, after sleeping 1 ms: at 0.5 ms all 1000 are loaded */
        const char *av[] = {"counter", "1", "x", "1", NULL};
        koids[i] = capsim_spawn_app(s, APP("app_counter"), 4, av, NULL);
        cr_assert(koids[i], "%s", capsim_last_error(s));
    }
    capsim_run_until(s, 500000);
    cr_expect_eq(app_loaded_copies(), before + 1000);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    for (int i = 0; i < 1000; i++)
        cr_expect_eq(capsim_process_return_code(s, koids[i]), 1, "instance %d", i);
    cr_expect_eq(app_loaded_copies(), before); /* all unloaded at their end */
    capsim_system_free(s);
    /* A second system reuses the first one's (pooled) stdio streams. */
    s = apps_system(4, 1, CAPSIM_STRATEGY_FIFO, 0);
    uint64_t a = apps_spawn(s, APP("app_counter"), "3", NULL);
    uint64_t b = apps_spawn(s, APP("app_faults"), "return", NULL);
    capsim_run(s);
    char *oa = apps_output(s, a, 3), *ob = apps_output(s, b, 3);
    cr_expect_str_eq(oa, "counter=3\n");
    cr_expect_str_eq(ob, "constructor\ndoing return\natexit\ndestructor\n");
    free(oa), free(ob);
    capsim_system_free(s);
}

/* ---- faults: contained, the right code, the simulation goes on ------------*/

static void apps_fault(const char *what, int kind)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 200);
    uint64_t bad = apps_spawn(s, APP("app_faults"), what, NULL);
    uint64_t good = apps_spawn(s, APP("app_counter"), "10", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    CapsimProcessInfo pi = apps_info(s, bad);
    cr_expect_eq(pi.end, CAPSIM_END_EXCEPTION, "%s ended %s", what, capsim_end_name(pi.end));
    cr_expect_eq(pi.return_code, -1028);
    cr_expect_eq(pi.fault_kind, kind, "%s: fault %d", what, pi.fault_kind);
    cr_expect_str_neq(capsim_fault_name(pi.fault_kind), "none", "%s: the fault is named", what);
    char *out = apps_output(s, bad, 1);
    cr_expect(strstr(out, "constructor\n") != NULL);
    cr_expect(strstr(out, "atexit") == NULL, "a killed process runs no atexit handler");
    free(out);
    /* The other process went on to the end. */
    cr_expect_eq(capsim_process_end(s, good), CAPSIM_END_EXITED);
    cr_expect_eq(capsim_process_return_code(s, good), 10);
    capsim_system_free(s);
}

Test(faults, segv) { apps_fault("segv", SIM_FAULT_SEGV); }

/* Where a fault touched is known when it is the same every run: a low
 * address (a null pointer's field, here 16; 0 is NULL itself), not an
 * abort's or a stack overflow's. `capsim run` prints it. */
Test(faults, a_low_address_is_known)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 200);
    uint64_t segv = apps_spawn(s, APP("app_faults"), "segv", NULL);
    uint64_t abrt = apps_spawn(s, APP("app_faults"), "abort", NULL);
    uint64_t stack = apps_spawn(s, APP("app_faults"), "stack", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    CapsimProcessInfo pi = apps_info(s, segv);
    cr_expect(pi.fault_addr_known);
    cr_expect_eq(pi.fault_addr, 16);
    cr_expect(!apps_info(s, abrt).fault_addr_known, "an abort touches nothing");
    cr_expect(!apps_info(s, stack).fault_addr_known, "a stack address moves");
    capsim_system_free(s);
}
Test(faults, bus_error) { apps_fault("bus", SIM_FAULT_BUS); }
Test(faults, illegal_instruction) { apps_fault("ill", SIM_FAULT_ILLEGAL); }
Test(faults, divide_by_zero) { apps_fault("fpe", SIM_FAULT_FPE); }
Test(faults, stack_overflow) { apps_fault("stack", SIM_FAULT_STACK_OVERFLOW); }
Test(faults, abort) { apps_fault("abort", SIM_FAULT_ABORT); }
Test(faults, breakpoint) { apps_fault("breakpoint", SIM_FAULT_BREAKPOINT); }
Test(faults, failed_assert) { apps_fault("assert", SIM_FAULT_ABORT); }
Test(faults, endless_loop_stopped_by_budget) { apps_fault("loop", SIM_FAULT_BUDGET); }

/* Fuchsia has no POSIX signals: an app's signal(), sigaction(), masks and
 * raise() fail or do nothing, and never replace the engine's handlers, so
 * a fault later — in another process or in the same one — is contained. */
static const char apps_signals_out[] =
    "signal(Segmentation fault): SIG_ERR ENOSYS\n"
    "sigaction(Segmentation fault): -1 ENOSYS\n"
    "signal(Bus error): SIG_ERR ENOSYS\n"
    "sigaction(Bus error): -1 ENOSYS\n"
    "signal(Floating point exception): SIG_ERR ENOSYS\n"
    "sigaction(Floating point exception): -1 ENOSYS\n"
    "signal(Illegal instruction): SIG_ERR ENOSYS\n"
    "sigaction(Illegal instruction): -1 ENOSYS\n"
    "signal(Aborted): SIG_ERR ENOSYS\n"
    "sigaction(Aborted): -1 ENOSYS\n"
    "__sysv_signal: SIG_ERR ENOSYS\n"
    "sigprocmask(SIG_BLOCK, SEGV): 0, old mask has SIGBUS: 0\n"
    "pthread_sigmask(SIG_BLOCK, SEGV): 0\n"
    "sigprocmask(bad how): -1 EINVAL\n"
    "sigaltstack: -1 ENOSYS\n"
    "raise(SIGSEGV): -1 ENOSYS\n"
    "kill(self, SIGKILL): -1 EPERM\n"
    "pthread_kill(self, SIGSEGV): ENOSYS\n";

/* The calls that wait for a signal or a child answer at once, as
 * Fuchsia's libc does: glibc's paused the whole simulator until a host
 * signal came (sigwait: for ever), signalled host processes by number,
 * changed the host thread's mask, and reaped the host's children. */
static const char apps_signal_waits_out[] =
    "pause: 0 -\n"
    "sigsuspend: 0 -\n"
    "sigwait: 0 -\n"
    "sigwait's signal: 0\n"
    "sigwaitinfo: 0 -\n"
    "sigwaitinfo's si_signo: 0\n"
    "sigtimedwait: 0 -\n"
    "sigpending: 0 -\n"
    "pending SIGINT: 0\n"
    "sigqueue(1, 0): 0 -\n"
    "tgkill(self, 0): -1 ENOSYS\n"
    "pthread_sigqueue(self, 0): ENOSYS\n"
    "sighold(SIGSEGV): -1 ENOSYS\n"
    "sigrelse(SIGSEGV): -1 ENOSYS\n"
    "sigignore(SIGSEGV): -1 ENOSYS\n"
    "siginterrupt(SIGSEGV, 1): -1 ENOSYS\n"
    "wait: -1 ENOSYS\n"
    "waitpid(-1): -1 ENOSYS\n"
    "waitid(P_ALL): -1 ENOSYS\n"
    "wait3: -1 ENOSYS\n"
    "wait4(-1): -1 ENOSYS\n";

Test(faults, app_signal_and_child_waits_answer_at_once, .timeout = 60)
{
    /* A child of the test process that an app's wait() must not reap. */
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        pause();
        _exit(0);
    }
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 200);
    uint64_t waiter = apps_spawn(s, APP("app_signals"), "waits", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = apps_output(s, waiter, 3);
    cr_expect_str_eq(out, apps_signal_waits_out);
    free(out);
    cr_expect_eq(capsim_process_end(s, waiter), CAPSIM_END_EXITED);
    cr_expect_eq(capsim_process_return_code(s, waiter), 0);
    capsim_system_free(s);
    /* Still the test's to reap: alive, then killed and waited for here. */
    cr_expect_eq(waitpid(child, NULL, WNOHANG), 0, "the app reaped the host's child");
    kill(child, SIGKILL);
    cr_expect_eq(waitpid(child, NULL, 0), child);
}

Test(faults, app_signal_handlers_never_replace_the_engines)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 200);
    uint64_t installer = apps_spawn(s, APP("app_signals"), "install", NULL);
    uint64_t self_faulter = apps_spawn(s, APP("app_signals"), "fault", NULL);
    uint64_t faulters[5];
    const char *how[5] = {"segv", "bus", "fpe", "ill", "abort"};
    int kinds[5] = {SIM_FAULT_SEGV, SIM_FAULT_BUS, SIM_FAULT_FPE, SIM_FAULT_ILLEGAL,
                    SIM_FAULT_ABORT};
    for (int i = 0; i < 5; i++)
        faulters[i] = apps_spawn(s, APP("app_faults"), how[i], NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = apps_output(s, installer, 3);
    cr_expect_str_eq(out, apps_signals_out);
    free(out);
    cr_expect_eq(capsim_process_end(s, installer), CAPSIM_END_EXITED);
    CapsimProcessInfo pi = apps_info(s, self_faulter);
    cr_expect_eq(pi.end, CAPSIM_END_EXCEPTION, "%s", capsim_end_name(pi.end));
    cr_expect_eq(pi.fault_kind, SIM_FAULT_SEGV);
    for (int i = 0; i < 5; i++) {
        pi = apps_info(s, faulters[i]);
        cr_expect_eq(pi.end, CAPSIM_END_EXCEPTION, "%s: %s", how[i], capsim_end_name(pi.end));
        cr_expect_eq(pi.fault_kind, kinds[i], "%s: fault %d", how[i], pi.fault_kind);
    }
    capsim_system_free(s);
}

Test(faults, budget_report_keeps_the_trace)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 100);
    apps_spawn(s, APP("app_faults"), "loop", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_budget_tripped(s), 1);
    cr_expect_gt(capsim_trace_records(s), 10);
    char *json = capsim_report_json(s);
    cr_expect(strstr(json, "\"budget_exceeded\" : true") != NULL, "%s", json);
    cr_expect(strstr(json, "\"fault\" : \"budget exceeded\"") != NULL, "%s", json);
    free(json);
    capsim_system_free(s);
}

/* ---- exit paths --------------------------------------------------------------*/

static void apps_exit(const char *what, int64_t code, const char *expect_out)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    uint64_t p = apps_spawn(s, APP("app_faults"), what, NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    CapsimProcessInfo pi = apps_info(s, p);
    cr_expect_eq(pi.end, CAPSIM_END_EXITED, "%s", capsim_end_name(pi.end));
    cr_expect_eq(pi.return_code, code);
    cr_expect_eq(pi.fault_kind, 0);
    char *out = apps_output(s, p, 3);
    cr_expect_str_eq(out, expect_out);
    free(out);
    capsim_system_free(s);
}

Test(exits, return_from_main)
{
    apps_exit("return", 3, "constructor\ndoing return\natexit\ndestructor\n");
}
Test(exits, exit_runs_handlers)
{
    apps_exit("exit", 7, "constructor\ndoing exit\natexit\ndestructor\n");
}
Test(exits, underscore_exit_runs_nothing)
{
    apps_exit("_exit", 8, "constructor\ndoing _exit\n");
}
Test(exits, zx_process_exit_runs_nothing)
{
    apps_exit("zx", 9, "constructor\ndoing zx\n");
}
/* glibc's quick_exit ended the whole simulator. */
Test(exits, quick_exit_runs_its_handlers_only)
{
    apps_exit("quick_exit", 10, "constructor\ndoing quick_exit\nat_quick_exit\n");
}
/* Fuchsia's libc has no on_exit; glibc's ran the handler at the HOST's
 * exit, in a copy long unloaded: the simulator crashed. */
Test(exits, on_exit_is_refused)
{
    apps_exit("on_exit", 11, "constructor\ndoing on_exit\non_exit: -1\natexit\ndestructor\n");
}
/* glibc's err and error print, then call glibc's exit from inside libc,
 * past libcapsim's: they ended the whole simulator with the app's status.
 * Now they end the process as exit() does, in glibc's words. */
Test(exits, err_reports_then_exits_the_process)
{
    apps_exit("err", 12, "constructor\ndoing err\n"
                         "app_faults.so: err 12: No such file or directory\n"
                         "atexit\ndestructor\n");
}
Test(exits, errx_reports_then_exits_the_process)
{
    apps_exit("errx", 13, "constructor\ndoing errx\napp_faults.so: errx 13\natexit\ndestructor\n");
}
Test(exits, error_reports_then_exits_the_process)
{
    apps_exit("error", 14, "constructor\ndoing error\n" APP("app_faults")
                           ": error 14: No such file or directory\natexit\ndestructor\n");
}
Test(exits, error_at_line_reports_then_exits_the_process)
{
    apps_exit("error_at_line", 15, "constructor\ndoing error_at_line\n" APP("app_faults")
                                   ":app_faults.c:15: error_at_line 15\natexit\ndestructor\n");
}
/* The last thread to end through libc ends the process as exit(0). */
Test(exits, last_thread_after_main_pthread_exit_runs_handlers)
{
    APPS_SKIP_UNDER_ASAN();
    apps_exit("pthread_exit", 0,
              "constructor\ndoing pthread_exit\nlast thread\natexit\ndestructor\n");
}
Test(exits, last_thread_after_main_thrd_exit_runs_handlers)
{
    APPS_SKIP_UNDER_ASAN();
    apps_exit("thrd_exit", 0,
              "constructor\ndoing thrd_exit\nlast thread\natexit\ndestructor\n");
}

/* ---- the process model from inside ----------------------------------------*/

static int64_t apps_run_one(const char *app, const char *a1, const char *a2,
                            char **out)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    uint64_t p = apps_spawn(s, app, a1, a2);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_end(s, p), CAPSIM_END_EXITED);
    int64_t rc = capsim_process_return_code(s, p);
    if (out)
        *out = apps_output(s, p, 3);
    capsim_system_free(s);
    return rc;
}

Test(process, bad_pointers_are_invalid_args)
{
    char *out;
    cr_expect_eq(apps_run_one(APP("app_syscalls"), "badptr", NULL, &out), 0, "%s", out);
    free(out);
}

Test(process, launched_with_nothing_has_nothing)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    const char *av[] = {"bare", "nothing", NULL};
    uint64_t p = capsim_spawn_app_bare(s, APP("app_syscalls"), 2, av, NULL);
    cr_assert(p);
    capsim_run_until(s, 1); /* started, not run yet */
    cr_expect_eq(capsim_process_handles(s, p, NULL, 0), 0);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = apps_output(s, p, 3);
    cr_expect_eq(capsim_process_return_code(s, p), 0, "%s", out);
    free(out);
    capsim_system_free(s);
}

Test(process, standard_startup_handles)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    const char *av[] = {"c", "1", "x", "1", NULL};
    uint64_t p = capsim_spawn_app(s, APP("app_counter"), 4, av, NULL);
    capsim_run_until(s, 1);
    CapsimHandleInfo h[8];
    cr_assert_eq(capsim_process_handles(s, p, h, 8), 4);
    int types = 0;
    for (int i = 0; i < 4; i++)
        types |= 1 << h[i].type;
    cr_expect_eq(types, (1 << ZX_OBJ_TYPE_PROCESS) | (1 << ZX_OBJ_TYPE_THREAD) |
                            (1 << ZX_OBJ_TYPE_VMAR) | (1 << ZX_OBJ_TYPE_JOB));
    capsim_run(s);
    cr_expect_eq(capsim_process_handles(s, p, h, 8), 0); /* dead: none */
    capsim_system_free(s);
}

Test(process, thread_on_a_vmo_stack)
{
    char *out;
    cr_expect_eq(apps_run_one(APP("app_syscalls"), "stack", NULL, &out), 0, "%s", out);
    free(out);
}

Test(process, environment_and_stdio)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    const char *av[] = {"env", "env", NULL};
    const char *env[] = {"GREETING=hello", NULL};
    uint64_t p = capsim_spawn_app_ex(s, APP("app_syscalls"), 2, av, env, NULL, 1);
    /* A second process with another environment runs in between. */
    const char *env2[] = {"GREETING=other", NULL};
    uint64_t q = capsim_spawn_app_ex(s, APP("app_syscalls"), 2, av, env2, "other", 1);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *o = apps_output(s, p, 1), *e = apps_output(s, p, 2), *all = apps_output(s, p, 3);
    cr_expect_eq(capsim_process_return_code(s, p), 0, "%s", all);
    cr_expect_str_eq(o, "out hello\nraw\n");
    cr_expect_str_eq(e, "err hello\n");
    cr_expect_str_eq(all, "out hello\nerr hello\nraw\n");
    cr_expect_eq(capsim_process_return_code(s, q), 1); /* GREETING is not "hello" */
    free(o), free(e), free(all);
    capsim_system_free(s);
}

Test(process, spawn_errors)
{
    char *out;
    cr_expect_eq(apps_run_one(APP("app_syscalls"), "spawnerr", APPS_SRC_DIR "/app_plain.c", &out),
                 0, "%s", out);
    free(out);
}

/* ---- families of processes --------------------------------------------------*/

static char *apps_family_report(uint64_t seed, int strategy, int64_t *rc)
{
    CapsimSystem *s = apps_system(seed, 2, strategy, 0);
    uint64_t p = apps_spawn(s, APP("app_family"), "3", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    *rc = capsim_process_return_code(s, p);
    char *json = capsim_report_json(s);
    capsim_system_free(s);
    return json;
}

Test(family, children_from_copies_and_from_process_start)
{
    CapsimSystem *s = apps_system(1, 2, CAPSIM_STRATEGY_FIFO, 0);
    uint64_t p = apps_spawn(s, APP("app_family"), "3", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = apps_output(s, p, 1);
    cr_expect_eq(capsim_process_return_code(s, p), 0 + 1 + 2 + 50, "%s", out);
    /* The zx_process_start child ran in the parent's copy: 1 + 1000. */
    cr_expect(strstr(out, "parent global 1001") != NULL, "%s", out);
    cr_expect(strstr(out, "parent got: child 2 global 102") != NULL, "%s", out);
    free(out);
    cr_expect_eq(capsim_process_count(s), 5);
    int children = 0;
    for (size_t i = 0; i < capsim_process_count(s); i++) {
        CapsimProcessInfo pi = apps_info(s, capsim_process_koid(s, i));
        cr_expect_eq(pi.end, CAPSIM_END_EXITED, "%s", pi.name);
        if (!strcmp(pi.name, "family-child"))
            children++;
        if (!strcmp(pi.name, "shared-child")) {
            char *so = apps_output(s, pi.koid, 1);
            cr_expect_str_eq(so, "shared child sees global 1001\n");
            free(so);
        }
    }
    cr_expect_eq(children, 3);
    capsim_system_free(s);
}

Test(family, same_seed_same_report_other_seeds_other_schedules)
{
    int64_t rc;
    char *first = apps_family_report(7, CAPSIM_STRATEGY_RANDOM, &rc);
    cr_expect_eq(rc, 53);
    char *again = apps_family_report(7, CAPSIM_STRATEGY_RANDOM, &rc);
    cr_expect_str_eq(first, again);
    int different = 0;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        char *other = apps_family_report(seed, CAPSIM_STRATEGY_RANDOM, &rc);
        cr_expect_eq(rc, 53, "seed %llu", (unsigned long long)seed);
        char *h1 = strstr(first, "\"trace_hash\""), *h2 = strstr(other, "\"trace_hash\"");
        if (strncmp(h1, h2, 50) != 0)
            different++;
        free(other);
    }
    cr_expect_geq(different, 4, "only %d of 6 seeds gave another schedule", different);
    free(first);
    free(again);
}

/* ---- deterministic preemption inside app code -------------------------------*/

static int64_t apps_racy(uint64_t seed, int strategy, char *hash)
{
    CapsimSystem *s = apps_system(seed, 1, strategy, 0);
    uint64_t p = apps_spawn(s, APP("app_racy"), NULL, NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_end(s, p), CAPSIM_END_EXITED);
    int64_t races = capsim_process_return_code(s, p);
    capsim_trace_hash(s, hash);
    capsim_system_free(s);
    return races;
}

Test(preemption, fifo_never_shows_the_race)
{
    char hash[33];
    for (uint64_t seed = 1; seed <= 5; seed++)
        cr_expect_eq(apps_racy(seed, CAPSIM_STRATEGY_FIFO, hash), 0, "seed %llu",
                     (unsigned long long)seed);
}

Test(preemption, random_walk_finds_it_and_each_seed_replays)
{
    int found = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        char h1[33], h2[33];
        int64_t r1 = apps_racy(seed, CAPSIM_STRATEGY_RANDOM, h1);
        int64_t r2 = apps_racy(seed, CAPSIM_STRATEGY_RANDOM, h2);
        cr_expect_eq(r1, r2, "seed %llu replays", (unsigned long long)seed);
        cr_expect_str_eq(h1, h2);
        if (r1 > 0)
            found++;
    }
    cr_expect_gt(found, 0, "the random walk never found the double fetch");
}

/* ---- TLS ------------------------------------------------------------------------*/

Test(tls, per_thread_and_per_copy)
{
    CapsimSystem *s = apps_system(5, 2, CAPSIM_STRATEGY_RANDOM, 0);
    uint64_t a = apps_spawn(s, APP("app_tls"), NULL, NULL);
    uint64_t b = apps_spawn(s, APP("app_tls"), NULL, NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = apps_output(s, a, 3);
    cr_expect_eq(capsim_process_return_code(s, a), 0, "%s", out);
    cr_expect_eq(capsim_process_return_code(s, b), 0);
    free(out);
    capsim_system_free(s);
}

/* ---- loading ---------------------------------------------------------------------*/

static void apps_load_error(const char *path, const char *expect)
{
    char *err = NULL;
    AppImage *img = app_image_load_file(path, &err);
    cr_expect_null(img);
    cr_assert_not_null(err);
    cr_expect(strstr(err, path) != NULL, "message does not name the file: %s", err);
    cr_expect(strstr(err, expect) != NULL, "'%s' not in: %s", expect, err);
    free(err);
}

Test(loading, clear_errors)
{
    apps_load_error(APPS_DIR "/no-such-app.so", "No such file");
    apps_load_error(APPS_SRC_DIR "/app_plain.c", "not an ELF file");
    apps_load_error(APP("app_plain"), "does not link libcapsim");
    apps_load_error(APPS_DIR "/test_apps", "position-independent executable");
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    cr_expect_eq(capsim_spawn_app(s, APPS_SRC_DIR "/app_plain.c", 0, NULL, NULL), 0);
    cr_expect(strstr(capsim_last_error(s), "not an ELF file") != NULL);
    cr_expect_eq(capsim_spawn_app(s, APP("app_unresolved"), 0, NULL, NULL), 0);
    cr_expect(strstr(capsim_last_error(s), "undefined symbol: capsim_test_symbol_nobody_defines"),
              "dlopen's message lost: %s", capsim_last_error(s));
    cr_expect(!strstr(capsim_last_error(s), "/proc/self/fd"), "%s", capsim_last_error(s));
    capsim_system_free(s);
}

static int apps_builtin_main(int argc, char **argv)
{
    printf("builtin %s %d\n", argv[0], argc);
    return 12;
}

Test(loading, builtin_programs)
{
    app_builtin_register("test-builtin", apps_builtin_main);
    cr_expect_null(app_image_builtin("no-such-builtin"));
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    uint64_t p = apps_spawn(s, "test-builtin", "x", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_return_code(s, p), 12);
    char *out = apps_output(s, p, 1);
    cr_expect_str_eq(out, "builtin test-builtin 2\n");
    free(out);
    capsim_system_free(s);
}

/* ---- POSIX threads (model/app/libc_pthread.c) -------------------------------*/

static const char apps_pthreads_out[] =
    "counter 200 of 200, results 60\n"
    "handed 7\n"
    "recursive: 0 0 0 0 EPERM\n"
    "errorcheck: 0 EDEADLK 0\n"
    "trylock: 0 EBUSY\n"
    "detached: 0 ran 1\n"
    "self: 1, join self EDEADLK\n"
    "c11: counter 100 of 100, results 40 41\n"
    "keys: own values 1, mixed 0, destructors 5 (one twice), main kept 1, deleted reads NULL 1, "
    "same slot again NULL 1, errors EINVAL EINVAL\n"
    "tss: own values 1 1, destructors 2, main's NULL 1\n"
    "timedwait: ETIMEDOUT\n";

/* Before, pthread_create made a host thread and its first syscall stopped
 * the simulator; a mutex held across a preemption would have blocked the
 * host thread in futex(2); every simulated thread shared the host thread's
 * pthread key values, and no key destructor ever ran. On several CPUs and seeds, every run must give
 * the same output, and the threads must be threads of the process. */
Test(pthreads, threads_mutexes_and_conditions_inside_a_process)
{
    APPS_SKIP_UNDER_ASAN();
    for (uint64_t seed = 1; seed <= 3; seed++) {
        CapsimSystem *s = apps_system(seed, seed == 1 ? 1 : 2,
                                      seed == 1 ? CAPSIM_STRATEGY_FIFO
                                                : CAPSIM_STRATEGY_RANDOM, 2000);
        uint64_t p = apps_spawn(s, APP("app_pthreads"), NULL, NULL);
        cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
        char *out = apps_output(s, p, 3);
        cr_expect_str_eq(out, apps_pthreads_out, "seed %" PRIu64, seed);
        free(out);
        cr_expect_eq(capsim_process_end(s, p), CAPSIM_END_EXITED);
        cr_expect_eq(capsim_process_return_code(s, p), 0);
        capsim_system_free(s);
    }
}

/* ---- the other blocking objects (libc_pthread_rwlock.c, libc_pthread_sync.c,
 *      libc_semaphore.c, timed waits through libc_futex.c) ------------------*/

static const char apps_pthread_sync_out[] =
    "rwlock: writes 40 of 40, readers saw a writer 0, writers saw another holder 0, readers shared it 1\n"
    "rwlock prefer-reader: writer waited 1, another read 0, writer got it 1\n"
    "rwlock prefer-writer-nonrecursive: writer waited 1, another read EBUSY, writer got it 1\n"
    "rwlock writer gives up: ETIMEDOUT, the held-back reader got it after 2.0 ms\n"
    "rwlock errors: unlock-free EPERM wrlock 0 wrlock-again EDEADLK rdlock-own EDEADLK tryrdlock EBUSY destroy-held EBUSY unlock 0 rd-rd 0 0 trywrlock EBUSY destroy 0\n"
    "sem: consumed 30, in order 1, sum 465, left filled 0 empty 3\n"
    "sem errors: trywait-zero EAGAIN pshared ENOSYS too-big EINVAL post-at-max EOVERFLOW trywait 0 sem_open SEM_FAILED ENOSYS sem_unlink ENOSYS destroy 0\n"
    "once: ran 1 time(s), 4 callers all returned after it: 1; call_once ran 1, all after it: 1\n"
    "barrier: count 0 EINVAL, 5 rounds, serial threads per round 1 1 1 1 1, left before all arrived 0, destroy 0"
    ", destroyed by its serial thread at once: 0, 4 of 4 returned\n"
    "spin: counter 60 of 60, trylock held EBUSY, free 0\n"
    "cond_timedwait realtime +2ms: ETIMEDOUT after 2.0 ms, on time 1\n"
    "cond_timedwait monotonic attr +3ms: ETIMEDOUT after 3.0 ms, on time 1\n"
    "cond_clockwait monotonic +1ms: ETIMEDOUT after 1.0 ms, on time 1\n"
    "cond_timedwait +5ms, signalled at 1ms: 0 after 1.0 ms\n"
    "cond bad times: nsec 1e9 EINVAL, nsec -1 EINVAL, cpu clock EINVAL, before the epoch ETIMEDOUT after 0.0 ms\n"
    "mutex_timedlock held +2ms: ETIMEDOUT after 2.0 ms, on time 1\n"
    "mutex_clocklock held +1ms: ETIMEDOUT after 1.0 ms, on time 1\n"
    "mutex bad time: EINVAL\n"
    "mutex_timedlock +5ms, freed at 1ms: 0 after 0.9 ms\n"
    "c11: TIME_UTC in 2026 1, mtx_timedlock thrd_timedout after 2.0 ms, cnd_timedwait thrd_timedout after 3.0 ms\n"
    "sem_timedwait +2ms: ETIMEDOUT after 2.0 ms, on time 1\n"
    "sem_clockwait monotonic +1ms: ETIMEDOUT after 1.0 ms, on time 1\n"
    "sem_timedwait +5ms, posted at 1ms: 0 after 1.0 ms\n"
    "sem bad time: EINVAL\n"
    "rwlock_timedwrlock read-held +2ms: ETIMEDOUT after 2.0 ms, on time 1\n"
    "rwlock_timedrdlock write-held, deadline passed: ETIMEDOUT after 0.0 ms\n"
    "rwlock_clockrdlock +5ms, freed at 1ms: 0 after 0.9 ms\n"
    "rwlock bad time: EINVAL EINVAL\n";

/* Run `app` four times (seed 1 FIFO on one CPU; seeds 2, 3 and 2 again at
 * random on two): each must print `expected` and exit with 0; the first
 * and the last run of seed 2 must give the same trace. The traces' hashes
 * go to hash[]. */
static void apps_run_schedules(const char *app, const char *expected, char hash[4][33])
{
    static const struct { uint64_t seed; int cpus, strategy; } runs[] = {
        {1, 1, CAPSIM_STRATEGY_FIFO}, {2, 2, CAPSIM_STRATEGY_RANDOM},
        {3, 2, CAPSIM_STRATEGY_RANDOM}, {2, 2, CAPSIM_STRATEGY_RANDOM},
    };
    for (size_t i = 0; i < 4; i++) {
        CapsimSystem *s = apps_system(runs[i].seed, runs[i].cpus, runs[i].strategy, 2000);
        uint64_t p = apps_spawn(s, app, NULL, NULL);
        cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT, "run %zu", i);
        char *out = apps_output(s, p, 3);
        cr_expect_str_eq(out, expected, "run %zu (seed %" PRIu64 ")", i, runs[i].seed);
        free(out);
        cr_expect_eq(capsim_process_end(s, p), CAPSIM_END_EXITED);
        cr_expect_eq(capsim_process_return_code(s, p), 0);
        capsim_trace_hash(s, hash[i]);
        capsim_system_free(s);
    }
    cr_expect_str_eq(hash[3], hash[1], "the same seed, the same trace");
}

/* Before, glibc's own rwlocks, semaphores, once, barriers and spinlocks
 * blocked (or spun on) the one host thread as soon as a simulated thread
 * had to wait: the whole simulator hung. Timed waits answered EINVAL.
 * Now every schedule gives the same output (waits ending at the right
 * virtual time), and one seed gives one trace. */
Test(pthreads, rwlocks_semaphores_once_barriers_spinlocks_and_timed_waits)
{
    APPS_SKIP_UNDER_ASAN();
    char hash[4][33];
    apps_run_schedules(APP("app_pthread_sync"), apps_pthread_sync_out, hash);
    cr_expect_str_neq(hash[2], hash[1], "another seed, another interleaving");
}

/* ---- cleanup handlers (libc_pthread_cleanup.c) ----------------------------*/

static const char apps_pthread_cleanup_out[] =
    "pops: a inner outer | key (result 1)\n"
    "exit from a nested call: inner outer key (result 42, went on after it 0)\n"
    "exit from a handler: exiting outer key (result 2)\n"
    "interleaved: [a2 a1 key] [b2 b1 key]\n"
    "thrd_exit: c11 key (result 7)\n"
    "main: inner handler\n"
    "main: outer handler, then exit(0)\n";

/* Before, glibc kept the buffers pthread_cleanup_push registered in its
 * record of the one host thread, and capsim's pthread_exit never looked
 * there: no handler ran on pthread_exit or thrd_exit. Now each simulated
 * thread runs its own, innermost first, before its key destructors, and
 * none on a plain return; the same seed gives the same trace. */
Test(pthreads, cleanup_handlers_run_on_exit_per_thread)
{
    APPS_SKIP_UNDER_ASAN();
    char hash[4][33];
    apps_run_schedules(APP("app_pthread_cleanup"), apps_pthread_cleanup_out, hash);
}

/* ---- cancellation (libc_pthread_cancel.c, app_cancel.c) ------------------*/

static const char apps_pthread_cancel_out[] =
    "cond_wait: cancel 0, handler-held-mutex key, PTHREAD_CANCELED, mutex free after 1\n"
    "disabled then enabled: cancel 0, was-enabled slept-5ms enabled handler key, "
    "PTHREAD_CANCELED\n"
    "sleep(100): cancel 0, handler key, PTHREAD_CANCELED, woken within 2 ms 1\n"
    "asynchronous: cancel 0, was-deferred before-entry handler key, PTHREAD_CANCELED\n"
    "itself: async: handler key, PTHREAD_CANCELED; deferred: requested handler key, "
    "PTHREAD_CANCELED\n"
    "push_defer_np: cancel 0, survived-entry outer key, PTHREAD_CANCELED\n"
    "read: cancel 0, inner middle outer key, PTHREAD_CANCELED\n"
    "join: cancel 0, PTHREAD_CANCELED; sem_wait: cancel 0, sem-handler key, "
    "PTHREAD_CANCELED; poll: cancel 0, poll-handler key, PTHREAD_CANCELED\n"
    "errors: ended ESRCH, result 7, NULL ESRCH, bad state EINVAL (old untouched 1), "
    "bad type EINVAL (old untouched 1), NULL old 0\n";

/* Before, pthread_cancel answered ENOSYS (the threads blocked in a wait
 * stayed there: the run ended with them blocked) and the cancel state
 * and type calls changed the host thread's. Now a request wakes a thread
 * blocked at a cancellation point (a condition wait, which takes its
 * mutex back before the handlers run; a sleep; a pipe read; a join, whose
 * target stays joinable; a semaphore; a poll), waits while
 * cancellation is disabled, stops an asynchronous thread at its next
 * kernel entry; handlers, then key destructors, run as for pthread_exit
 * and the join gives PTHREAD_CANCELED; every schedule gives the same
 * output, one seed one trace. */
Test(pthreads, cancellation_at_points_and_kernel_entries)
{
    APPS_SKIP_UNDER_ASAN();
    char hash[4][33];
    apps_run_schedules(APP("app_pthread_cancel"), apps_pthread_cancel_out, hash);
}

/* Each request is in the trace, named, with its result. */
Test(pthreads, cancel_requests_are_traced)
{
    APPS_SKIP_UNDER_ASAN();
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.budget_ns = 2000 * 1000000u;
    cfg.keep_trace = 1;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    uint64_t p = capsim_spawn_app(s, APP("app_pthread_cancel"), 0, NULL, NULL);
    cr_assert(p, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    size_t enters = 0, ok = 0, refused = 0;
    CapsimTraceRecord rec;
    for (size_t i = 0, n = capsim_trace_count(s); i < n; i++) {
        capsim_trace_get(s, i, &rec, 1);
        if (!rec.text || strcmp(rec.text, "pthread_cancel") != 0)
            continue;
        enters += rec.kind == SIM_TR_KERNEL_ENTER;
        ok += rec.kind == SIM_TR_KERNEL_EXIT && rec.b == 0;
        refused += rec.kind == SIM_TR_KERNEL_EXIT && rec.b != 0;
    }
    cr_expect_eq(enters, 11, "eleven requests reach the engine (not NULL's)");
    cr_expect_eq(ok, 11);
    cr_expect_eq(refused, 0, "the ended thread is refused before the request");
    capsim_system_free(s);
}

/* What every schedule of app_pthread_cancel_race prints. */
static const char apps_pthread_cancel_race_out[] =
    "signal then cancel (deferred): taken 1, left 0\n"
    "signal then cancel (asynchronous): taken 1, left 0\n"
    "asynchronous unlock: cancel 0, unlocked handler key, PTHREAD_CANCELED; waiter locked\n"
    "asynchronous in zx_nanosleep: cancel 0, handler key, PTHREAD_CANCELED, within 2 ms 1\n"
    "canceled in its handler: cancel 0 then 0, handler key, PTHREAD_CANCELED, handler slept 3 ms 1\n"
    "ended raw thread: cancel ESRCH; the next thread: cancel 0, PTHREAD_CANCELED\n"
    "pthread_once: cancel 0, PTHREAD_CANCELED; the other returned; routine called 2 times\n"
    "main: handler\n"
    "main canceled: cancel 0, this thread went on\n";

/* Before, an asynchronous request stopped its thread at any kernel entry,
 * libc's own included: a condition waiter woken by a signal and canceled
 * at once died taking its mutex back (the signal gone with it, the other
 * waiter left asleep, the handler without the mutex), and a thread
 * unlocking a mutex died before waking its waiter, which then slept for
 * ever. And a request for a thread zx_thread_create made went by its
 * runtime block's address: once the thread had ended, the next thread's
 * block could have it, and that thread was canceled instead. Now libc's
 * own entries are made and the thread stops at its app's next (the woken
 * waiter takes the token, the unlock wakes; a deferred waiter woken by the
 * signal takes it too), the request goes by koid (ESRCH), and the
 * canceled main thread runs its handler while the other thread goes on.
 * A canceled pthread_once routine left the other callers waiting for
 * ever; now it counts as never called and a waiting caller runs it. */
Test(pthreads, cancellation_meeting_a_signal_an_unlock_or_the_main_thread)
{
    APPS_SKIP_UNDER_ASAN();
    char hash[4][33];
    apps_run_schedules(APP("app_pthread_cancel_race"), apps_pthread_cancel_race_out, hash);
}

#if !defined(__SANITIZE_ADDRESS__)
#include <malloc.h>

/* The host heap in use (small blocks and mapped ones). */
static size_t apps_host_heap(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* Run app_pthread_cancel_race buffers once: the host heap's growth. */
static size_t apps_canceled_buffers_growth(void)
{
    size_t before = apps_host_heap();
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 2000);
    uint64_t p = apps_spawn(s, APP("app_pthread_cancel_race"), "buffers", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = apps_output(s, p, 3);
    cr_expect_str_eq(out, "buffers: 32 rounds of readv, writev and select canceled\n");
    free(out);
    cr_expect_eq(capsim_process_return_code(s, p), 0);
    capsim_system_free(s);
    return apps_host_heap() - before;
}

/* Before, a readv or writev of a pipe, or a select, canceled in its wait
 * never freed the buffer libc had copied through (host memory: 1 MiB a
 * readv or writev here, 64 MiB in all), which a sweep of many runs in one
 * process could not afford. Now a cleanup handler frees it. The first
 * run loads the app; the second must leave nothing behind. */
Test(pthreads, canceled_readv_writev_select_free_their_buffers)
{
    apps_canceled_buffers_growth();
    size_t growth = apps_canceled_buffers_growth();
    cr_expect_lt(growth, (size_t)4 << 20, "%zu bytes left behind", growth);
}
#endif

/* ---- whom an rwlock's unlock wakes (libc_pthread_rwlock.c) -----------------*/

/* Run app_rwlock_wake with args, keeping the trace: its output, and how
 * many zx_futex_wait calls were made (it is the only process). */
static char *apps_rwlock_run(const char *const *args, int argc, size_t *futex_waits)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.budget_ns = 2000 * 1000000u;
    cfg.keep_trace = 1;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    uint64_t p = capsim_spawn_app(s, APP("app_rwlock_wake"), argc, args, NULL);
    cr_assert(p, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_return_code(s, p), 0);
    int op = capsim_syscall_op("zx_futex_wait");
    cr_assert_geq(op, 0);
    *futex_waits = 0;
    CapsimTraceRecord rec;
    for (size_t i = 0, n = capsim_trace_count(s); i < n; i++) {
        capsim_trace_get(s, i, &rec, 1);
        *futex_waits += rec.kind == SIM_TR_KERNEL_ENTER && rec.a == (uint64_t)op;
    }
    char *out = apps_output(s, p, 3);
    capsim_system_free(s);
    return out;
}

/* Before, every unlock woke every waiter: the ones the lock could not let
 * go ran, failed and slept again (with writer preference each of the N
 * readers slept twice; with reader preference both writers woke for each
 * batch). Now it wakes one writer, or all readers: each waiter sleeps once. */
Test(pthreads, rwlock_unlock_wakes_only_whom_it_lets_go)
{
    APPS_SKIP_UNDER_ASAN();
    static const struct { const char *kind, *readers, *order; } runs[] = {
        {"reader", "8", "RRRRRRRRWW"},
        {"reader", "16", "RRRRRRRRRRRRRRRRWW"},
        {"writer", "8", "WWRRRRRRRR"},
        {"writer", "16", "WWRRRRRRRRRRRRRRRR"},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        const char *args[] = {"app_rwlock_wake", "herd", runs[i].kind, runs[i].readers, NULL};
        size_t waits;
        char *out = apps_rwlock_run(args, 4, &waits);
        char want[128];
        snprintf(want, sizeof want, "herd: %s readers, 2 writers, got it in the order %s\n",
                 runs[i].readers, runs[i].order);
        cr_expect_str_eq(out, want, "prefer %s", runs[i].kind);
        cr_expect_eq(waits, (size_t)atoi(runs[i].readers) + 2,
                     "prefer %s, %s readers: %zu futex waits", runs[i].kind,
                     runs[i].readers, waits);
        free(out);
    }
}

/* Fuchsia's libc lets readers in past a waiting writer: overlapping
 * readers starve it until they are done. Writer preference serves it as
 * soon as the readers holding the lock then leave: 7 turns had ended when
 * it came, the 4 under way end, no new one begins. */
Test(pthreads, rwlock_writer_starves_only_without_writer_preference)
{
    APPS_SKIP_UNDER_ASAN();
    size_t waits;
    const char *reader[] = {"app_rwlock_wake", "starve", "reader", NULL};
    char *out = apps_rwlock_run(reader, 3, &waits);
    cr_expect_str_eq(out, "starve: the writer got it after 20 of 20 reader turns\n");
    free(out);
    const char *writer[] = {"app_rwlock_wake", "starve", "writer", NULL};
    out = apps_rwlock_run(writer, 3, &waits);
    cr_expect_str_eq(out, "starve: the writer got it after 11 of 20 reader turns\n");
    free(out);
}

/* The host's own calls of the same functions (this test process resolves
 * them to libcapsim's interposers) stay glibc's: real host threads block
 * and wake, timeouts are on the host clock. */
static sem_t host_sem;
static pthread_rwlock_t host_rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t host_barrier;
static pthread_once_t host_once = PTHREAD_ONCE_INIT;
static int host_once_runs, host_reader_got;

static void host_once_routine(void)
{
    host_once_runs++;
}

static void *host_thread(void *arg)
{
    sem_wait(&host_sem); /* blocks for real until main posts */
    pthread_once(&host_once, host_once_routine);
    host_reader_got = pthread_rwlock_rdlock(&host_rw) == 0; /* after main's write */
    pthread_rwlock_unlock(&host_rw);
    return (void *)(intptr_t)pthread_barrier_wait(&host_barrier);
}

Test(pthreads, host_keeps_libc_sync_objects_after_a_run)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 0);
    apps_spawn(s, APP("app_counter"), "3", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    capsim_system_free(s);

    /* (In AddressSanitizer builds its interceptor comes first and calls
     * the interposer in turn.) */
#if !defined(__SANITIZE_ADDRESS__)
    Dl_info where;
    cr_assert(dladdr(dlsym(RTLD_DEFAULT, "sem_wait"), &where));
    cr_expect(strstr(where.dli_fname, "libcapsim") != NULL,
              "sem_wait resolves to the interposer (%s)", where.dli_fname);
#endif

    cr_assert_eq(sem_init(&host_sem, 0, 0), 0);
    cr_assert_eq(pthread_barrier_init(&host_barrier, NULL, 2), 0);
    cr_assert_eq(pthread_rwlock_wrlock(&host_rw), 0);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, host_thread, NULL), 0);
    struct timespec soon;
    clock_gettime(CLOCK_REALTIME, &soon);
    soon.tv_nsec += 20000000;
    if (soon.tv_nsec >= 1000000000) {
        soon.tv_sec++;
        soon.tv_nsec -= 1000000000;
    }
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&m);
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    cr_expect_eq(pthread_cond_timedwait(&c, &m, &soon), ETIMEDOUT, "host time passed");
    pthread_mutex_unlock(&m);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    cr_expect(now.tv_sec > soon.tv_sec ||
              (now.tv_sec == soon.tv_sec && now.tv_nsec >= soon.tv_nsec), "a host deadline");
    cr_expect_eq(sem_post(&host_sem), 0);
    pthread_once(&host_once, host_once_routine);
    pthread_rwlock_unlock(&host_rw);
    int mine = pthread_barrier_wait(&host_barrier);
    void *theirs = NULL;
    pthread_join(t, &theirs);
    cr_expect_eq(host_once_runs, 1);
    cr_expect(host_reader_got);
    cr_expect_eq((mine == PTHREAD_BARRIER_SERIAL_THREAD) +
                 ((intptr_t)theirs == PTHREAD_BARRIER_SERIAL_THREAD), 1);
    pthread_spinlock_t spin;
    pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
    cr_expect_eq(pthread_spin_lock(&spin), 0);
    cr_expect_eq(pthread_spin_trylock(&spin), EBUSY);
    pthread_spin_unlock(&spin);
    errno = 0;
    cr_expect_eq(sem_trywait(&host_sem), -1);
    cr_expect_eq(errno, EAGAIN);
    pthread_barrier_destroy(&host_barrier);
    sem_destroy(&host_sem);
}

/* ---- time (model/app/libc_time.c) ---------------------------------------------*/

static const char apps_time_out[] =
    "date 2026-01-01 00:00\n"
    "realtime = boot date + monotonic: 1, gettimeofday agrees: 1\n"
    "nanosleep 1.5 ms: 0, slept: 1\n"
    "sleep 2 s: 1, usleep 500 us: 1\n"
    "clock_nanosleep to an absolute time: 0, woke after it: 1\n"
    "thread cpu time counts the charge: 1, process too: 1\n"
    "bad sleep: -1 EINVAL, bad clock: -1 EINVAL\n";

/* Before, an app read the host's clocks (so one seed could give two
 * traces) and sleep() stopped the simulator for real seconds. Now time is
 * virtual: the same output and the same trace hash in two runs. */
Test(time, libc_clocks_and_sleeps_are_virtual)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_skip_test("apps keep the host's clocks in AddressSanitizer builds");
#endif
    char hash[2][33];
    for (int k = 0; k < 2; k++) {
        CapsimSystem *s = apps_system(5, 1, CAPSIM_STRATEGY_FIFO, 2000);
        uint64_t p = apps_spawn(s, APP("app_time"), NULL, NULL);
        cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
        char *out = apps_output(s, p, 3);
        cr_expect_str_eq(out, apps_time_out);
        free(out);
        cr_expect_eq(capsim_process_return_code(s, p), 0);
        cr_expect_geq(capsim_system_now(s), INT64_C(2000000000), "2 s of sleep");
        capsim_trace_hash(s, hash[k]);
        capsim_system_free(s);
    }
    cr_expect_str_eq(hash[0], hash[1]);
}

/* ---- random bytes (model/app/libc_random.c) -----------------------------------*/

static const char apps_random_checks[] =
    "checks:\n"
    "uniform in range and hits every value: 1, bounds 0 and 1: 0 0\n"
    "getentropy 257: -1 EIO, 256: 0\n"
    "getrandom bad flag: -1 EINVAL, RANDOM with INSECURE: -1 EINVAL\n"
    "getrandom flags NONBLOCK RANDOM INSECURE: 8 8 8, none of 0 bytes: 0\n"
    "bad buffer: getrandom -1 EFAULT, getentropy -1 EFAULT, half writable: 100 of 200\n"
    "syscall(SYS_getrandom) bad flag: -1 EINVAL, other numbers forwarded: 1\n"
    "/dev/urandom: -1 ENOENT, /dev/random: NULL ENOENT\n";

/* One run of app_random on `seed`: its output (checked up to the bytes,
 * which depend on the seed) and trace hash. */
static char *apps_random_run(uint64_t seed, char hash[33])
{
    CapsimSystem *s = apps_system(seed, 1, CAPSIM_STRATEGY_FIFO, 2000);
    uint64_t p = apps_spawn(s, APP("app_random"), NULL, NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_return_code(s, p), 0);
    char *out = apps_output(s, p, 3);
    capsim_trace_hash(s, hash);
    capsim_system_free(s);
    const char *checks = strstr(out, "checks:\n");
    cr_assert_not_null(checks, "no checks in: %s", out);
    cr_expect_str_eq(checks, apps_random_checks, "seed %" PRIu64, seed);
    const char *u = strstr(out, "arc4random_uniform(10):");
    cr_assert_not_null(u);
    u += strlen("arc4random_uniform(10):");
    for (int i = 0; i < 16; i++) {
        char *end;
        unsigned long v = strtoul(u, &end, 10);
        cr_assert(end != u, "16 values in: %s", out);
        cr_expect_lt(v, 10);
        u = end;
    }
    return out;
}

/* Before, getrandom, getentropy and arc4random read the host's entropy:
 * one seed gave a different output every run. Now they draw from the
 * seeded cprng stream: the same seed gives the same bytes and trace, and
 * another seed other bytes. */
Test(random, libc_random_bytes_follow_the_seed)
{
    char hash[3][33];
    char *a = apps_random_run(5, hash[0]);
    char *b = apps_random_run(5, hash[1]);
    char *c = apps_random_run(6, hash[2]);
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(hash[0], hash[1]);
    cr_expect_str_neq(a, c, "seeds 5 and 6 drew the same bytes");
    cr_expect_str_neq(hash[0], hash[2]);
    free(a), free(b), free(c);
}

/* glibc's arc4random_buf has no way to fail and dies on error: here, a
 * buffer that cannot be written ends the process with an exception. */
Test(random, arc4random_buf_into_a_bad_buffer_ends_the_process)
{
    CapsimSystem *s = apps_system(1, 1, CAPSIM_STRATEGY_FIFO, 2000);
    uint64_t p = apps_spawn(s, APP("app_random"), "bad-buf", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    CapsimProcessInfo pi = apps_info(s, p);
    cr_expect_eq(pi.end, CAPSIM_END_EXCEPTION, "ended %s", capsim_end_name(pi.end));
    cr_expect_eq(pi.fault_kind, SIM_FAULT_ABORT);
    char *out = apps_output(s, p, 1);
    cr_expect_str_eq(out, "drawing into a bad buffer\n");
    free(out);
    capsim_system_free(s);
}

static void apps_random_host_draws(void)
{
    uint8_t a[512], b[512];
    cr_expect_eq(getrandom(a, sizeof a, 0), (ssize_t)sizeof a);
    cr_expect_eq(syscall(SYS_getrandom, b, sizeof b, 0), (long)sizeof b);
    cr_expect_neq(memcmp(a, b, sizeof a), 0);
    cr_expect_eq(getentropy(a, 256), 0);
    errno = 0;
    cr_expect_eq(getrandom(a, 16, 0x80), -1);
    cr_expect_eq(errno, EINVAL);
    arc4random_buf(a, sizeof a);
    cr_expect_lt(arc4random_uniform(7), 7u);
    (void)arc4random();
}

/* The host (this test program) is no simulated process: its calls keep
 * libc's entropy, before any system exists, beside one, after a run. */
Test(random, the_host_keeps_libc_entropy)
{
    apps_random_host_draws();
    CapsimSystem *s = apps_system(5, 1, CAPSIM_STRATEGY_FIFO, 2000);
    apps_random_host_draws();
    apps_spawn(s, APP("app_random"), NULL, NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    apps_random_host_draws();
    capsim_system_free(s);
}
