/* app_run.h — for host-API app tests: run one app (with an optional mode
 * argument) beside app_counter in a fresh system, seed 1 on two CPUs, and
 * keep what each test compares: the app's output streams, how it ended,
 * its process info, how the other process ended, the trace hash. */
#ifndef CAPSIM_TESTS_APP_RUN_H
#define CAPSIM_TESTS_APP_RUN_H

#include <criterion/criterion.h>
#include <stdlib.h>

#include "capsim_host.h"

typedef struct AppRun {
    char *out, *err;
    int end;
    int64_t code;
    CapsimProcessInfo info;
    int other_end;         /* app_counter's, run beside it */
    char hash[33];
} AppRun;

static inline char *app_run_output(CapsimSystem *s, uint64_t p, int streams)
{
    size_t n = capsim_process_output(s, p, streams, NULL, 0);
    char *out = malloc(n + 1);
    capsim_process_output(s, p, streams, out, n + 1);
    return out;
}

/* A fresh system: seed 1 on two CPUs, a 2 s budget per dispatch. */
static inline CapsimSystem *app_run_system(void)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.seed = 1;
    cfg.cpus = 2;
    cfg.budget_ns = 2000000000;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    return s;
}

static inline AppRun app_run_beside_counter(const char *app, const char *mode)
{
    CapsimSystem *s = app_run_system();
    const char *argv[] = {app, mode, NULL};
    uint64_t p = capsim_spawn_app(s, app, mode ? 2 : 1, argv, NULL);
    cr_assert(p, "%s", capsim_last_error(s));
    const char *cargv[] = {APPS_DIR "/app_counter.so", NULL};
    uint64_t other = capsim_spawn_app(s, cargv[0], 1, cargv, NULL);
    cr_assert(other, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    AppRun r = {.out = app_run_output(s, p, 1), .err = app_run_output(s, p, 2),
                .end = capsim_process_end(s, p), .code = capsim_process_return_code(s, p),
                .other_end = capsim_process_end(s, other)};
    cr_assert_eq(capsim_process_info(s, p, &r.info), 0);
    capsim_trace_hash(s, r.hash);
    capsim_system_free(s);
    return r;
}

static inline void app_run_free(AppRun *r)
{
    free(r->out);
    free(r->err);
}

/* Run the app without a mode twice: each time it exits 0 printing exactly
 * `expected` and nothing on stderr, with the same trace hash. */
static inline void app_run_expect_the_same_twice(AppRun (*run)(const char *mode),
                                                 const char *expected)
{
    AppRun a = run(NULL), b = run(NULL);
    cr_expect_eq(a.end, CAPSIM_END_EXITED);
    cr_expect_eq(a.code, 0);
    cr_expect_str_eq(a.out, expected);
    cr_expect_str_eq(a.err, "");
    cr_expect_str_eq(b.out, a.out);
    cr_expect_str_eq(b.hash, a.hash, "same seed, same trace");
    app_run_free(&a);
    app_run_free(&b);
}

#endif
