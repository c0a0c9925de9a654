/* test_libc_state.c — libc's hidden state is each process's (or thread's)
 * own: generators, static result buffers, h_errno, the locale
 * (model/app/libc_prng.c, libc_static_buffers.c, libc_h_errno.c,
 * libc_locale.c, app_world_locale.c), with app_libc_state.c; getopt's
 * place in a cluster, signgam and getdate_err (libc_getopt.c,
 * app_world_io.c, libc_getdate.c), with app_libc_musl.c, which also shows
 * the answers of Fuchsia's libc where they are not glibc's: getopt's
 * rules, getauxval, the calls it lacks (libc_auxv.c, libc_absent.c).
 *
 * Two processes run at once under FIFO on one CPU and yield between
 * setting state and using it; each must print exactly what it would
 * alone. The generators' expected numbers come from a reference written
 * here from the algorithms of Fuchsia's libc (a few also hard-coded). The
 * last test looks inside: no kernel call runs under an app's locale. */
#include <criterion/criterion.h>
#include <getopt.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "app.h"
#include "app_world.h"
#include "capsim_host.h"
#include "kernel.h"
#include "launch.h"

#define APP_STATE APPS_DIR "/app_libc_state.so"
#define APP_MUSL APPS_DIR "/app_libc_musl.so"

static CapsimSystem *state_system(void)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.seed = 5;
    cfg.cpus = 1;
    cfg.strategy = CAPSIM_STRATEGY_FIFO;
    cfg.budget_ns = 2000000000;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    return s;
}

/* app (NULL-terminated args after argv[0] = "state") in s. */
static uint64_t spawn_app(CapsimSystem *s, const char *app, const char *const *args)
{
    const char *argv[16] = {"state"};
    int argc = 1;
    for (; args[argc - 1]; argc++)
        argv[argc] = args[argc - 1];
    uint64_t koid = capsim_spawn_app(s, app, argc, argv, NULL);
    cr_assert(koid, "%s", capsim_last_error(s));
    return koid;
}

static uint64_t state_spawn(CapsimSystem *s, const char *const *args)
{
    return spawn_app(s, APP_STATE, args);
}

/* What koid wrote on stream (1 stdout, 2 stderr); caller frees. */
static char *stream_output(CapsimSystem *s, uint64_t koid, int stream)
{
    size_t n = capsim_process_output(s, koid, stream, NULL, 0);
    char *b = malloc(n + 1);
    capsim_process_output(s, koid, stream, b, n + 1);
    return b;
}

/* stdout of koid; caller frees. The process must have returned 0. */
static char *state_output(CapsimSystem *s, uint64_t koid)
{
    cr_expect_eq(capsim_process_return_code(s, koid), 0);
    return stream_output(s, koid, 1);
}

/* Runs a and b of app at once to the end: each prints exactly its want. */
static void pair_of(const char *app, const char *const *a, const char *const *b,
                    const char *want_a, const char *want_b)
{
    CapsimSystem *s = state_system();
    uint64_t ka = spawn_app(s, app, a), kb = spawn_app(s, app, b);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *oa = state_output(s, ka), *ob = state_output(s, kb);
    cr_expect_str_eq(oa, want_a);
    cr_expect_str_eq(ob, want_b);
    free(oa), free(ob);
    capsim_system_free(s);
}

static void state_pair(const char *const *a, const char *const *b, const char *want_a,
                       const char *want_b)
{
    pair_of(APP_STATE, a, b, want_a, want_b);
}

/* ---- the reference: Fuchsia's libc's generators ----------------------------*/

typedef struct RefPrng {
    uint64_t rand_seed, counter;
    uint64_t x48, a48, c48;
} RefPrng;

static void ref_init(RefPrng *r, const char *seed)
{
    *r = (RefPrng){0, 0, 0, 0x5deece66dull, 0xb};
    if (strcmp(seed, "-")) {
        long s = atol(seed);
        r->rand_seed = (unsigned)s - 1u;
        r->counter = (unsigned)s;
        r->x48 = ((uint64_t)(s & 0xffffffff) << 16 | 0x330e) & 0xffffffffffffull;
    }
}

static int ref_rand(RefPrng *r)
{
    r->rand_seed = r->rand_seed * 6364136223846793005ull + 1;
    return (int)(r->rand_seed >> 33);
}

static long ref_random(RefPrng *r)
{
    long v = (long)++r->counter;
    if (r->counter > 0x7fffffff)
        r->counter = 0;
    return v;
}

static uint64_t ref_step48(RefPrng *r, uint64_t *x)
{
    *x = (r->a48 * *x + r->c48) & 0xffffffffffffull;
    return *x;
}

static double ref_double(uint64_t x)
{
    double d = 0;
    for (int bit = 47; bit >= 0; bit--) /* x / 2^48, exactly: 48 bits fit */
        if (x >> bit & 1)
            d += 1.0 / (double)(1ull << (48 - bit));
    return d;
}

static int ref_rand_r(unsigned *seed)
{
    unsigned x = *seed = *seed * 1103515245u + 12345u;
    x ^= x >> 11;
    x ^= (x << 7) & 0x9d2c5680u;
    x ^= (x << 15) & 0xefc60000u;
    x ^= x >> 18;
    return (int)(x >> 1);
}

/* What `state prng SEED n k` prints, alone. */
static char *ref_prng_output(const char *seed, int n, int k)
{
    RefPrng r;
    ref_init(&r, seed);
    size_t cap = 256 * (size_t)(n * k + 2), len = 0;
    char *out = malloc(cap);
    for (int i = 0; i < n * k; i++) {
        int a = ref_rand(&r);
        long b = ref_random(&r);
        long l = (long)(ref_step48(&r, &r.x48) >> 17);
        long m = (long)(int32_t)(ref_step48(&r, &r.x48) >> 16);
        double d = ref_double(ref_step48(&r, &r.x48));
        len += (size_t)snprintf(out + len, cap - len,
                                "rand %d random %ld lrand48 %ld mrand48 %ld drand48 %a\n", a, b,
                                l, m, d);
    }
    unsigned u = 7;
    int r1 = ref_rand_r(&u), r2 = ref_rand_r(&u);
    uint64_t x = 1 | 2ull << 16 | 3ull << 32;
    long nr = (long)(ref_step48(&r, &x) >> 17);
    double er = ref_double(ref_step48(&r, &x));
    long jr = (long)(int32_t)(ref_step48(&r, &x) >> 16);
    snprintf(out + len, cap - len,
             "rand_r %d %d nrand48 %ld erand48 %a jrand48 %ld seed48 %u %u %u\n", r1, r2, nr,
             er, jr, (unsigned)(r.x48 & 0xffff), (unsigned)(r.x48 >> 16 & 0xffff),
             (unsigned)(r.x48 >> 32));
    return out;
}

Test(prng, reference_agrees_with_known_values)
{
    RefPrng r;
    ref_init(&r, "-"); /* as srand(1): musl's rand starts 0, 740882966, 1616430695 */
    cr_assert_eq(ref_rand(&r), 0);
    cr_assert_eq(ref_rand(&r), 740882966);
    cr_assert_eq(ref_rand(&r), 1616430695);
    ref_init(&r, "42");
    cr_assert_eq(ref_rand(&r), 311430560);
    cr_assert_eq(ref_rand(&r), 131117839);
    cr_assert_eq(ref_random(&r), 43);  /* Fuchsia's random(): a counter */
    cr_assert_eq((long)(ref_step48(&r, &r.x48) >> 17), 1598855263); /* srand48(42) */
    cr_assert_eq((long)(ref_step48(&r, &r.x48) >> 17), 735945821);
    ref_init(&r, "-");
    cr_assert_eq((long)(ref_step48(&r, &r.x48) >> 17), 0);
    cr_assert_eq((long)(ref_step48(&r, &r.x48) >> 17), 2116118);
}

/* Two processes draw at once, at different rates: each prints its own
 * sequence, as if alone. */
Test(prng, each_process_draws_its_own_sequence)
{
    CapsimSystem *s = state_system();
    uint64_t a = state_spawn(s, (const char *[]){"prng", "42", "4", "1", NULL});
    uint64_t b = state_spawn(s, (const char *[]){"prng", "7", "4", "3", NULL});
    uint64_t c = state_spawn(s, (const char *[]){"prng", "-", "2", "2", NULL});
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    const char *args[3][3] = {{"42", "4", "1"}, {"7", "4", "3"}, {"-", "2", "2"}};
    uint64_t koids[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        char *out = state_output(s, koids[i]);
        char *want = ref_prng_output(args[i][0], atoi(args[i][1]), atoi(args[i][2]));
        cr_expect_str_eq(out, want, "process %d", i);
        free(out);
        free(want);
    }
    capsim_system_free(s);
}

/* The first line of the default (unseeded) process, hard-coded: musl's
 * rand() after srand(1), a random() counter at 1, x48 = 0. */
Test(prng, a_new_process_starts_as_after_srand_1)
{
    CapsimSystem *s = state_system();
    uint64_t a = state_spawn(s, (const char *[]){"prng", "-", "1", "2", NULL});
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = state_output(s, a);
    cr_expect(!strncmp(out, "rand 0 random 1 lrand48 0 mrand48 4232237 drand48 ",
                       strlen("rand 0 random 1 lrand48 0 mrand48 4232237 drand48 ")),
              "%s", out);
    cr_expect(strstr(out, "\nrand 740882966 random 2 "), "%s", out);
    free(out);
    capsim_system_free(s);
}

/* A process started in its parent's copy continues from the parent's
 * state (fork's child would); the parent's own goes on unaffected. */
Test(prng, a_copy_inherits_its_parents_state)
{
    CapsimSystem *s = state_system();
    uint64_t a = state_spawn(s, (const char *[]){"prng-fork", NULL});
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = state_output(s, a);
    RefPrng r;
    ref_init(&r, "-");
    ref_rand(&r), ref_rand(&r);
    ref_step48(&r, &r.x48);
    int third = ref_rand(&r);
    long l = (long)(ref_step48(&r, &r.x48) >> 17);
    char want[128];
    snprintf(want, sizeof want, "parent rand %d lrand48 %ld\n", third, l);
    char *child_sees = NULL;
    cr_expect(asprintf(&child_sees, "child rand %d lrand48 %ld\n", third, l) > 0);
    cr_expect(strstr(out, child_sees), "%s", out);
    cr_expect(strstr(out, want), "%s", out);
    free(child_sees);
    free(out);
    capsim_system_free(s);
}

/* ---- static result buffers -------------------------------------------------*/

Test(static_buffers, strtok_keeps_each_process_place)
{
    state_pair((const char *[]){"strtok", "a", NULL}, (const char *[]){"strtok", "bee", NULL},
               "a1\na2\na3\n", "bee1\nbee2\nbee3\n");
}

Test(static_buffers, time_results_and_strerror_are_each_process_own)
{
    state_pair((const char *[]){"time", "86400", NULL},
               (const char *[]){"time", "1767225601", NULL},
               "localtime 1970-01-02 00:00:00\n"
                         "gmtime 1970-01-02 00:00:00\n"
                         "ctime Fri Jan  2 00:00:00 1970\n"
                         "asctime Fri Jan  2 00:00:00 1970\n"
               "strerror Unknown error -86400\n",
               "localtime 2026-01-01 00:00:01\n"
                         "gmtime 2026-01-01 00:00:01\n"
                         "ctime Thu Jan  1 00:00:01 2026\n"
                         "asctime Thu Jan  1 00:00:01 2026\n"
               "strerror Unknown error -1767225601\n");
}

/* ecvt and fcvt of n / 7 and l64a of n, as the host's glibc writes them. */
Test(static_buffers, ecvt_fcvt_and_l64a_are_each_process_own)
{
    state_pair((const char *[]){"legacy", "64", NULL}, (const char *[]){"legacy", "-700000", NULL},
               "ecvt 914286 1 0\nfcvt 9143 1 0\nl64a ./\n",
               "ecvt 100000 6 1\nfcvt 100000000 6 1\nl64a U4Jxz1\n");
}

/* A character fed one byte at a time to the conversions' own states, and
 * localeconv's struct written by the app. */
Test(static_buffers, conversion_states_and_localeconv_are_each_process_own)
{
    state_pair((const char *[]){"mb", "a", NULL}, (const char *[]){"mb", "b", NULL},
               "mbrtowc -2 1 U+00E9\nmbrlen -2 1\nmbtowc -1 1 U+00E9\nlocaleconv a\n",
               "mbrtowc -2 1 U+0436\nmbrlen -2 1\nmbtowc -1 1 U+0436\nlocaleconv b\n");
}

Test(static_buffers, hsearch_table_ether_ntoa_and_protoent_are_each_process_own)
{
    state_pair((const char *[]){"table", "a", NULL}, (const char *[]){"table", "b", NULL},
               "hcreate 1 hsearch a\nether_ntoa 2:0:0:0:0:61\ngetprotobyname tcp 6\n",
               "hcreate 1 hsearch b\nether_ntoa 2:0:0:0:0:62\ngetprotobyname udp 17\n");
}

/* ---- per thread: h_errno, strerror, inet_ntoa ------------------------------*/

Test(per_thread, h_errno_strerror_strsignal_and_inet_ntoa)
{
    /* NO_RECOVERY (3) from a failed lookup, TRY_AGAIN (2) set by hand */
    state_pair((const char *[]){"threads", "1", NULL}, (const char *[]){"threads", "2", NULL},
               "thread 0 h_errno 3 strerror Unknown error -1001 strsignal Real-time signal 1 "
               "inet_ntoa 10.0.0.1\n"
               "thread 1 h_errno 2 strerror Unknown error -2001 strsignal Real-time signal 2 "
               "inet_ntoa 10.0.0.2\n"
               "main h_errno 0\n",
               "thread 0 h_errno 3 strerror Unknown error -1002 strsignal Real-time signal 1 "
               "inet_ntoa 10.0.0.1\n"
               "thread 1 h_errno 2 strerror Unknown error -2002 strsignal Real-time signal 2 "
               "inet_ntoa 10.0.0.2\n"
               "main h_errno 0\n");
}

/* ---- syslog's settings -------------------------------------------------------*/

/* Each process's openlog and setlogmask, set before a yield, hold after
 * it: its own ident, options and mask (glibc's, and capsim's before,
 * were one for all). */
Test(per_process, syslog_settings_are_each_process_own)
{
    CapsimSystem *s = state_system();
    uint64_t ka = state_spawn(s, (const char *[]){"syslog", "a", NULL});
    uint64_t kb = state_spawn(s, (const char *[]){"syslog", "b", NULL});
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *oa = state_output(s, ka), *ob = state_output(s, kb);
    char *ea = stream_output(s, ka, 2), *eb = stream_output(s, kb, 2);
    cr_expect_str_eq(oa, "setlogmask 255 then 15\n");
    cr_expect_str_eq(ob, "setlogmask 255 then 255\n");
    cr_expect_str_eq(ea, "a: error from a\n");
    char want_b[128];
    snprintf(want_b, sizeof want_b, "b[%llu]: warning from b\nb[%llu]: error from b\n",
             (unsigned long long)kb, (unsigned long long)kb);
    cr_expect_str_eq(eb, want_b);
    free(oa), free(ob), free(ea), free(eb);
    capsim_system_free(s);
}

/* ---- the locale --------------------------------------------------------------*/

static void expect_host_locale(const char *name, size_t mb_cur_max, const char *when)
{
    cr_expect_str_eq(setlocale(LC_ALL, NULL), name, "%s", when);
    cr_expect_eq(MB_CUR_MAX, mb_cur_max, "%s", when);
}

/* One process sets C.UTF-8: not the host's, not another process's, even
 * while it is alive; still its own after the others ran. */
static void locale_run(const char *host, size_t host_max)
{
    CapsimSystem *s = state_system();
    uint64_t set = state_spawn(s, (const char *[]){"locale-set", NULL});
    uint64_t plain = state_spawn(s, (const char *[]){"locale-plain", NULL});
    capsim_run_until(s, 500000); /* the setter sleeps with its locale set */
    expect_host_locale(host, host_max, "mid-run");
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    expect_host_locale(host, host_max, "after the run");
    char *os = state_output(s, set), *op = state_output(s, plain);
    cr_expect_str_eq(os, "set C.UTF-8\n"
                         "set, after the others ran: LC_ALL C.UTF-8, MB_CUR_MAX 6\n"
                         "set, numeric C: LC_ALL LC_CTYPE=C.UTF-8;LC_NUMERIC=C;"
                         "LC_TIME=C.UTF-8;LC_COLLATE=C.UTF-8;LC_MONETARY=C.UTF-8;"
                         "LC_MESSAGES=C.UTF-8;LC_PAPER=C.UTF-8;LC_NAME=C.UTF-8;"
                         "LC_ADDRESS=C.UTF-8;LC_TELEPHONE=C.UTF-8;LC_MEASUREMENT=C.UTF-8;"
                         "LC_IDENTIFICATION=C.UTF-8, MB_CUR_MAX 6\n");
    cr_expect_str_eq(op, "plain: LC_ALL C, MB_CUR_MAX 1\n");
    free(os), free(op);
    capsim_system_free(s);
}

Test(locale, an_apps_setlocale_is_its_own)
{
    expect_host_locale("C", 1, "before");
    locale_run("C", 1);
}

/* The host in another locale (Python's usual C.UTF-8): apps still start
 * in C, and the host keeps its own. */
Test(locale, apps_start_in_c_whatever_the_hosts)
{
    cr_assert(setlocale(LC_ALL, "C.UTF-8"), "no C.UTF-8 on this host");
    locale_run("C.UTF-8", 6);
    setlocale(LC_ALL, "C");
}

Test(locale, uselocale_is_per_thread)
{
    state_pair((const char *[]){"locale-threads", NULL}, (const char *[]){"locale-plain", NULL},
               "own: MB_CUR_MAX 6\nglobal: MB_CUR_MAX 1\nmain: LC_ALL C, MB_CUR_MAX 1\n",
               "plain: LC_ALL C, MB_CUR_MAX 1\n");
    expect_host_locale("C", 1, "after the run");
}

/* White-box: the kernel's hook (behind the app layer's) counts the calls
 * made while a locale other than the host's is in force. */
static SimHookFn probe_next;
static int probe_calls, probe_calls_in_app_locale;

static SimHookResult probe_hook(SimEngine *e, SimThread *t, SimRequest *r, void *ctx)
{
    probe_calls++;
    probe_calls_in_app_locale += MB_CUR_MAX != 1;
    return probe_next(e, t, r, ctx);
}

Test(locale, kernel_code_never_runs_under_an_apps_locale)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.seed = 5;
    SimEngine *e = sim_engine_new(&cfg);
    Kernel *k = kernel_new(e);
    char *err = NULL;
    AppImage *img = app_image_load_file(APP_STATE, &err);
    cr_assert(img, "%s", err);
    char *argv[] = {"state", "locale-set", NULL};
    LaunchSpec spec = {.name = "set", .give = LAUNCH_GIVE_STANDARD, .argc = 2, .argv = argv};
    KProcess *p = NULL;
    cr_assert_eq(app_launch(k, k->root_job, img, &spec, &p), ZX_OK);
    AppWorld *w = app_world_of(k);
    probe_next = w->prev_hook;
    w->prev_hook = probe_hook;
    sim_run(e);
    app_restore_host(k);
    char out[512] = "";
    app_output_by_koid(k, p->base.koid, 1, out, sizeof out);
    cr_expect(strstr(out, "MB_CUR_MAX 6"), "%s", out); /* the app ran under its own */
    cr_expect_geq(probe_calls, 2); /* its sleep, its exit */
    cr_expect_eq(probe_calls_in_app_locale, 0, "%d of %d kernel calls", probe_calls_in_app_locale,
                 probe_calls);
    kobject_unref(&p->base);
    app_image_release(img);
    app_shutdown(k);
    kernel_free(k);
    sim_engine_free(e);
}

/* ---- getopt's place, signgam, getdate_err: per process -------------------*/

static void musl_pair(const char *const *a, const char *const *b, const char *want_a,
                      const char *want_b)
{
    pair_of(APP_MUSL, a, b, want_a, want_b);
}

/* Both parse grouped flags, a yield after each option: glibc kept the
 * place inside "-abc" once for everyone. */
Test(per_process, getopt_keeps_each_process_place_inside_a_cluster)
{
    musl_pair((const char *[]){"getopt-cluster", "-abc", "-d", NULL},
              (const char *[]){"getopt-cluster", "-gfval", "-ea", NULL},
              "a optind 2 optarg -\nb optind 2 optarg -\nc optind 3 optarg -\n"
              "d optind 4 optarg -\nend optind 4\n",
              "g optind 2 optarg -\nf optind 3 optarg val\ne optind 3 optarg val\n"
              "a optind 4 optarg val\nend optind 4\n");
}

Test(per_process, signgam_is_each_process_own)
{
    musl_pair((const char *[]){"lgamma", "-0.5", NULL}, (const char *[]){"lgamma", "2.5", NULL},
              "lgamma 1.2655 signgam -1\nlgammaf 1.2655 signgam -1\n"
              "lgammal 1.2655 signgam -1\ngamma 1.2655 signgam -1\n",
              "lgamma 0.2847 signgam 1\nlgammaf 0.2847 signgam 1\n"
              "lgammal 0.2847 signgam 1\ngamma 0.2847 signgam 1\n");
}

/* No DATEMSK: 1; a DATEMSK the namespace lacks: 2 (glibc's stat'ed the
 * HOST's path and said 3). The file itself: test_libc_getdate.c. */
Test(per_process, getdate_err_is_each_process_own)
{
    musl_pair((const char *[]){"getdate", "-", "2026-01-01", NULL},
              (const char *[]){"getdate", "/nowhere", "2026-01-01", NULL},
              "getdate NULL getdate_err 1\ngetdate_r 1 1900-01-00\n",
              "getdate NULL getdate_err 2\ngetdate_r 2 1900-01-00\n");
}

/* ---- Fuchsia's answers ------------------------------------------------------*/

/* One process of app_libc_musl alone: expects its stdout and stderr. */
static void musl_alone(const char *const *args, const char *want_out, const char *want_err)
{
    CapsimSystem *s = state_system();
    uint64_t k = spawn_app(s, APP_MUSL, args);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = state_output(s, k), *err = stream_output(s, k, 2);
    cr_expect_str_eq(out, want_out, "%s %s", args[0], args[1] ? args[1] : "");
    cr_expect_str_eq(err, want_err, "%s %s", args[0], args[1] ? args[1] : "");
    free(out), free(err);
    capsim_system_free(s);
}

/* Plain getopt never moves argv and stops at the first non-option; an
 * unknown option or a missing argument says so on stderr, unless opterr
 * is 0 or optstring starts with ':'; a leading '-' hands non-options over
 * as option 1. (Lines checked against Fuchsia's musl, transcribed.) */
Test(fuchsia, getopt_stops_at_the_first_non_option_and_speaks_musls_errors)
{
    musl_alone((const char *[]){"getopt", "short", "ab:c", "-a", "-b", "x", "-c", "rest", "-a",
                                NULL},
               " c 'a' optind 2 optarg - optopt 'a' idx -1 flag 0\n"
               " c 'b' optind 4 optarg x optopt 'b' idx -1 flag 0\n"
               " c 'c' optind 5 optarg x optopt 'c' idx -1 flag 0\n"
               " c -1 optind 5 optarg x optopt 'c' idx -1 flag 0\n"
               "argv: -a -b x -c rest -a\n",
               "");
    musl_alone((const char *[]){"getopt", "short", "ab:c", "-cz", "-q", NULL},
               " c 'c' optind 1 optarg - optopt 'c' idx -1 flag 0\n"
               " c '?' optind 2 optarg - optopt 'z' idx -1 flag 0\n"
               " c '?' optind 3 optarg - optopt 'q' idx -1 flag 0\n"
               " c -1 optind 3 optarg - optopt 'q' idx -1 flag 0\n"
               "argv: -cz -q\n",
               "prog: unrecognized option: z\nprog: unrecognized option: q\n");
    musl_alone((const char *[]){"getopt", "short", ":ab:c", "-a", "-b", NULL},
               " c 'a' optind 2 optarg - optopt 'a' idx -1 flag 0\n"
               " c ':' optind 3 optarg - optopt 'b' idx -1 flag 0\n"
               " c -1 optind 3 optarg - optopt 'b' idx -1 flag 0\n"
               "argv: -a -b\n",
               "");
    musl_alone((const char *[]){"getopt", "short-quiet", "ab", "-q", "-b", NULL},
               " c '?' optind 2 optarg - optopt 'q' idx -1 flag 0\n"
               " c 'b' optind 3 optarg - optopt 'b' idx -1 flag 0\n"
               " c -1 optind 3 optarg - optopt 'b' idx -1 flag 0\n"
               "argv: -q -b\n",
               "");
    musl_alone((const char *[]){"getopt", "short", "-ab:", "x", "-a", "y", "-b", "z", NULL},
               " c 1 optind 2 optarg x optopt 0 idx -1 flag 0\n"
               " c 'a' optind 3 optarg x optopt 'a' idx -1 flag 0\n"
               " c 1 optind 4 optarg y optopt 'a' idx -1 flag 0\n"
               " c 'b' optind 6 optarg z optopt 'b' idx -1 flag 0\n"
               " c -1 optind 6 optarg z optopt 'b' idx -1 flag 0\n"
               "argv: x -a y -b z\n",
               "");
}

/* getopt_long moves the options it takes before the words it skipped;
 * names may be abbreviated; errors name the long option. */
Test(fuchsia, getopt_long_permutes_and_speaks_musls_errors)
{
    musl_alone((const char *[]){"getopt", "long", "ab:c", "-a", "x", "--verbose", "y",
                                "--output=o1", "--output", "o2", "z", NULL},
               " c 'a' optind 2 optarg - optopt 'a' idx -1 flag 0\n"
               " c 'v' optind 3 optarg - optopt 'v' idx 0 flag 0\n"
               " c 'o' optind 4 optarg o1 optopt 'o' idx 2 flag 0\n"
               " c 'o' optind 6 optarg o2 optopt 'o' idx 2 flag 0\n"
               " c -1 optind 6 optarg o2 optopt 'o' idx -1 flag 0\n"
               "argv: -a --verbose --output=o1 --output o2 x y z\n",
               "");
    musl_alone((const char *[]){"getopt", "long", "ab:c", "x", "--ver", NULL},
               " c '?' optind 2 optarg - optopt 0 idx -1 flag 0\n"
               " c -1 optind 2 optarg - optopt 0 idx -1 flag 0\n"
               "argv: --ver x\n",
               "prog: option is ambiguous: ver\n");
    musl_alone((const char *[]){"getopt", "long", "ab:c", "--nope", "--verbose=3", "--output",
                                NULL},
               " c '?' optind 2 optarg - optopt 0 idx -1 flag 0\n"
               " c '?' optind 3 optarg - optopt 'v' idx -1 flag 0\n"
               " c '?' optind 4 optarg - optopt 'o' idx -1 flag 0\n"
               " c -1 optind 4 optarg - optopt 'o' idx -1 flag 0\n"
               "argv: --nope --verbose=3 --output\n",
               "prog: unrecognized option: nope\n"
               "prog: option does not take an argument: verbose\n"
               "prog: option requires an argument: output\n");
    /* a flag option; an abbreviation with =value keeps its value */
    musl_alone((const char *[]){"getopt", "long", "ab:c", "--version", "--out=f", NULL},
               " c 0 optind 2 optarg - optopt 7 idx 1 flag 7\n"
               " c 'o' optind 3 optarg f optopt 'o' idx 2 flag 7\n"
               " c -1 optind 3 optarg f optopt 'o' idx -1 flag 7\n"
               "argv: --version --out=f\n",
               "");
    musl_alone((const char *[]){"getopt", "longonly", "ab:c", "-verbose", "-a", "-out", "f",
                                "-b", "g", "--co", NULL},
               " c 'v' optind 2 optarg - optopt 'v' idx 0 flag 0\n"
               " c 'a' optind 3 optarg - optopt 'a' idx -1 flag 0\n"
               " c 'o' optind 5 optarg f optopt 'o' idx 2 flag 0\n"
               " c 'b' optind 7 optarg g optopt 'b' idx -1 flag 0\n"
               " c 'C' optind 8 optarg - optopt 'C' idx 3 flag 0\n"
               " c -1 optind 8 optarg - optopt 'C' idx -1 flag 0\n"
               "argv: -verbose -a -out f -b g --co\n",
               "");
}

Test(fuchsia, getopt_restarts_at_optind_0)
{
    musl_alone((const char *[]){"getopt-reset", NULL}, "aabcdcd optind 2\n", "");
}

/* The host (this test) keeps glibc's getopt, which moves argv. */
Test(fuchsia, the_host_keeps_glibcs_getopt)
{
    musl_alone((const char *[]){"getopt-reset", NULL}, "aabcdcd optind 2\n", "");
    char a0[] = "t", a1[] = "x", a2[] = "-a";
    char *argv[] = {a0, a1, a2, NULL};
    optind = 0;
    cr_expect_eq(getopt(3, argv, "a"), 'a'); /* musl's: -1 at "x" */
    cr_expect_eq(getopt(3, argv, "a"), -1);
    cr_expect_str_eq(argv[1], "-a");
    cr_expect_eq(optind, 2);
    optind = 1;
}

Test(fuchsia, getauxval_answers_only_secure_and_page_size)
{
    musl_alone((const char *[]){"auxv", NULL},
               "getauxval AT_SECURE: 0 -\ngetauxval AT_PAGESZ: 4096 -\n"
               "getauxval AT_RANDOM: 0 ENOENT\ngetauxval AT_HWCAP: 0 ENOENT\n"
               "getauxval AT_HWCAP2: 0 ENOENT\ngetauxval AT_PLATFORM: 0 ENOENT\n"
               "getauxval AT_EXECFN: 0 ENOENT\ngetauxval AT_UID: 0 ENOENT\n",
               "");
    cr_expect_neq(getauxval(AT_RANDOM), 0); /* the host's own, still there */
}

Test(fuchsia, calls_fuchsias_libc_lacks_are_refused)
{
    musl_alone((const char *[]){"absent", NULL},
               "qecvt: NULL ENOSYS\nqfcvt: NULL ENOSYS\ncrypt: NULL ENOSYS\n"
               "crypt_r: NULL ENOSYS\ncrypt_rn: NULL ENOSYS\ncrypt_gensalt: NULL ENOSYS\n"
               "crypt_gensalt_rn: NULL ENOSYS\n",
               "");
    int decpt, sign;
    cr_expect_str_eq(qecvt(2.5L, 3, &decpt, &sign), "250"); /* the host's */
}

/* A program is named after its argv[0] (program_invocation_name) and that
 * path's last component (program_invocation_short_name, what err() and
 * warn() print first), each process its own, as in Fuchsia's libc; a
 * failed assert speaks musl's words. Before, every app was the host's
 * /.../capsim. */
Test(fuchsia, each_program_is_named_after_its_argv0)
{
    const char *host_full = program_invocation_name, *host_short = program_invocation_short_name;
    CapsimSystem *s = state_system();
    const char *av1[] = {"/pkg/bin/one", "progname", NULL}, *av2[] = {"two", "progname", NULL};
    uint64_t k1 = capsim_spawn_app(s, APP_MUSL, 2, av1, NULL);
    uint64_t k2 = capsim_spawn_app(s, APP_MUSL, 2, av2, NULL);
    cr_assert(k1 && k2, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    const char *full[] = {"/pkg/bin/one", "two"}, *brief[] = {"one", "two"};
    uint64_t koids[] = {k1, k2};
    for (int i = 0; i < 2; i++) {
        char want[256];
        char *out = stream_output(s, koids[i], 1), *err = stream_output(s, koids[i], 2);
        snprintf(want, sizeof want, "name %s short %s\n", full[i], brief[i]);
        cr_expect_str_eq(out, want);
        snprintf(want, sizeof want,
                 "%s: warnx 1\n%s: warn: No such file or directory\nAssertion failed: argc == 0 (",
                 brief[i], brief[i]);
        cr_expect(!strncmp(err, want, strlen(want)), "%s", err);
        cr_expect(strstr(err, "app_libc_musl.c: progname: ") != NULL, "%s", err);
        cr_expect_eq(capsim_process_end(s, koids[i]), CAPSIM_END_EXCEPTION);
        free(out), free(err);
    }
    capsim_system_free(s);
    cr_expect_eq(program_invocation_name, host_full); /* the host keeps its own */
    cr_expect_eq(program_invocation_short_name, host_short);
}
