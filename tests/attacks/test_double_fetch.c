/* test_double_fetch.c — the double_fetch actors under schedules.
 *
 * The server and the client (both instrumented) in jobs of their own, one
 * channel between them, one CPU. Under FIFO nothing preempts the server
 * between its two reads: no overflow, whatever the seed. Under the random
 * walk some seeds overflow the fetch-twice server; those seeds (found by
 * the explore loop below, recorded in DF_RACY_SEEDS) replay exactly. The
 * fetch-once server never overflows on the same seed range.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attack_harness.h"

#define ACTOR(n) ACTOR_DIR "/" n ".so"

/* Seeds of the random walk under which the fetch-twice server overflows
 * (found by df_explore over 1..DF_EXPLORE_SEEDS; the scenario uses them). */
static const uint64_t DF_RACY_SEEDS[] = {3, 10, 18, 25, 26};
#define DF_EXPLORE_SEEDS 40u

typedef struct DfResult {
    int64_t server_rc, client_rc;
    AppEnd server_end, client_end;
    char hash[33];
    char *server_out;
} DfResult;

static DfResult df_run(uint64_t seed, SimStrategy strategy, bool fetch_twice)
{
    Atk *a = atk_new(seed, 1, strategy);
    KObject *c0, *c1;
    atk_channel(a, &c0, &c1);
    const char *sargv[] = {"server", fetch_twice ? "--fetch-twice" : "--fetch-once", NULL};
    KProcess *srv = atk_spawn(a, atk_job(a, "server", NULL, 0), ACTOR("server"), "server",
                              sargv, &c0, NULL, 1);
    KProcess *cli = atk_spawn(a, atk_job(a, "client", NULL, 0), ACTOR("client"), "client",
                              NULL, &c1, NULL, 1);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    DfResult r = {.server_rc = atk_retcode(a, srv), .client_rc = atk_retcode(a, cli),
                  .server_end = atk_end(a, srv), .client_end = atk_end(a, cli)};
    atk_trace_hash(a, r.hash);
    r.server_out = atk_output(a, srv);
    atk_free(a);
    return r;
}

Test(double_fetch, fifo_never_overflows)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        DfResult r = df_run(seed, SIM_STRATEGY_FIFO, true);
        cr_expect_eq(r.server_rc, 0, "seed %lu: %s", (unsigned long)seed, r.server_out);
        cr_expect_eq(r.client_rc, 0);
        free(r.server_out);
    }
}

Test(double_fetch, explore_finds_overflows_only_in_the_fetch_twice_server)
{
    unsigned found = 0;
    for (uint64_t seed = 1; seed <= DF_EXPLORE_SEEDS; seed++) {
        DfResult twice = df_run(seed, SIM_STRATEGY_RANDOM, true);
        DfResult once = df_run(seed, SIM_STRATEGY_RANDOM, false);
        cr_expect_eq(twice.server_end, APP_END_EXITED, "%s", twice.server_out);
        cr_expect_eq(once.server_rc, 0, "seed %lu: the fetch-once server overflowed: %s",
                     (unsigned long)seed, once.server_out);
        cr_expect_eq(once.client_rc, 0);
        if (twice.server_rc == 1) {
            found++;
            cr_expect_gt(twice.client_rc, 0, "the client sees the escalation");
            cr_expect(strstr(twice.server_out, "OVERFLOW: copied 70 bytes into a 64-byte "
                                               "buffer; role is now 'ADMIN'"));
            fprintf(stderr, "double_fetch: seed %lu overflows\n", (unsigned long)seed);
        }
        free(twice.server_out);
        free(once.server_out);
    }
    cr_expect_gt(found, 0, "explore never found the double fetch");
    cr_expect_lt(found, DF_EXPLORE_SEEDS, "every seed overflows: no race to find");
}

Test(double_fetch, recorded_seeds_overflow_and_replay_exactly)
{
    for (size_t i = 0; i < sizeof DF_RACY_SEEDS / sizeof DF_RACY_SEEDS[0]; i++) {
        DfResult r1 = df_run(DF_RACY_SEEDS[i], SIM_STRATEGY_RANDOM, true);
        DfResult r2 = df_run(DF_RACY_SEEDS[i], SIM_STRATEGY_RANDOM, true);
        cr_expect_eq(r1.server_rc, 1, "seed %lu: %s", (unsigned long)DF_RACY_SEEDS[i],
                     r1.server_out);
        cr_expect_str_eq(r1.hash, r2.hash, "seed %lu replays", (unsigned long)DF_RACY_SEEDS[i]);
        cr_expect_str_eq(r1.server_out, r2.server_out);
        DfResult fixed = df_run(DF_RACY_SEEDS[i], SIM_STRATEGY_RANDOM, false);
        cr_expect_eq(fixed.server_rc, 0, "%s", fixed.server_out);
        free(r1.server_out);
        free(r2.server_out);
        free(fixed.server_out);
    }
}
