/* test_fastpath.c — the kernel under the engine's fast paths.
 *
 * The engine handles most syscalls on its own stack without switching to
 * its main context (sim/request.c, fiber_kcall); sim_step turns every fast
 * path off. A workload of IPC, waits with deadlines, handle transfers,
 * duplicates and a process that exits in the middle must leave the same
 * trace either way. Also: the kernel's small-object free lists (kmem.h)
 * hand memory back and forth between handles, messages of every size class
 * and wait records without mixing anything up. */
#include <string.h>
#include <zircon/processargs.h>

#include "channel.h"
#include "ktest.h"

static int results[2][8];
static int run_k; /* which results row the running workload fills */

/* Ping: sends a counter and an event handle, gets both back. */
static void ping(uintptr_t a, uintptr_t b)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t ev;
    zx_event_create(0, &ev);
    for (uint32_t i = 0; i < 60; i++) {
        uint8_t msg[300];
        uint32_t n = 1 + (i * 37) % sizeof msg; /* crosses size classes */
        memset(msg, (int)i, n);
        zx_handle_t dup;
        if (zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &dup) != ZX_OK)
            continue;
        if (zx_channel_write(ch, 0, msg, n, &dup, 1) == ZX_OK)
            results[run_k][0]++;
        zx_signals_t seen = 0;
        zx_status_t s = zx_object_wait_one(ch, ZX_CHANNEL_READABLE,
                                           zx_deadline_after(i % 7 ? ZX_SEC(1) : 1),
                                           &seen);
        if (s == ZX_ERR_TIMED_OUT)
            s = zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE,
                                   &seen);
        uint8_t back[300];
        zx_handle_t h = ZX_HANDLE_INVALID;
        uint32_t nb = 0, nh = 0;
        if (s == ZX_OK &&
            zx_channel_read(ch, 0, back, &h, sizeof back, 1, &nb, &nh) == ZX_OK &&
            nb == n && nh == 1 && back[0] == (uint8_t)(i + 1) &&
            back[n - 1] == (uint8_t)(i + 1))
            results[run_k][1]++;
        zx_handle_close(h);
        zx_nanosleep(zx_deadline_after(10 * (i % 3)));
    }
    zx_handle_close(ev);
    zx_handle_close(ch);
}

/* Pong: echoes every message with its bytes incremented, then leaves in
 * the middle of the next wait's successor by exiting its process. */
static void pong(uintptr_t a, uintptr_t b)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    for (;;) {
        zx_signals_t seen = 0;
        if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                               ZX_TIME_INFINITE, &seen) != ZX_OK ||
            !(seen & ZX_CHANNEL_READABLE))
            break;
        uint8_t buf[300];
        zx_handle_t h;
        uint32_t nb, nh;
        if (zx_channel_read(ch, 0, buf, &h, sizeof buf, 1, &nb, &nh) != ZX_OK)
            break;
        for (uint32_t i = 0; i < nb; i++)
            buf[i]++;
        zx_handle_t extra;
        if (zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, &extra) == ZX_OK) {
            zx_object_signal(extra, 0, ZX_USER_SIGNAL_0);
            zx_handle_close(extra);
            results[run_k][2]++;
        }
        zx_channel_write(ch, 0, buf, nb, &h, nh);
    }
    zx_process_exit(7);
}

static void launch_with(KTest *t, const char *name, ThreadEntryFn fn,
                        KObject *end)
{
    LaunchSpec s;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.entry = fn;
    s.give = LAUNCH_GIVE_STANDARD;
    s.extra[0] = (LaunchHandle){ PA_HND(PA_USER0, 0), end,
                                 ZX_DEFAULT_CHANNEL_RIGHTS };
    s.nextra = 1;
    ktest_spawn_spec(t, &s);
}

static void workload(int k, int cpus, bool step, char *hash)
{
    run_k = k;
    memset(results[k], 0, sizeof results[k]);
    KTest *t = ktest_new(3, cpus);
    KObject *a, *b;
    cr_assert_eq(channel_create(t->kernel, &a, &b), ZX_OK);
    launch_with(t, "ping", ping, a);
    launch_with(t, "pong", pong, b);
    kobject_unref(a);
    kobject_unref(b);
    if (step) {
        while (sim_step(t->engine) == SIM_RUN_STEPPED)
            ;
    } else {
        cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    }
    sim_trace_hash_hex(t->engine, hash);
    ktest_free(t);
}

Test(fastpath, kernel_trace_same_as_stepping)
{
    for (int cpus = 1; cpus <= 2; cpus++) {
        char h[2][33];
        workload(0, cpus, false, h[0]);
        workload(1, cpus, true, h[1]);
        cr_assert_str_eq(h[0], h[1], "cpus %d", cpus);
        cr_assert_eq(memcmp(results[0], results[1], sizeof results[0]), 0);
        cr_assert_eq(results[0][0], 60, "writes");
        cr_assert_eq(results[0][1], 60, "echoes intact");
        cr_assert_eq(results[0][2], 60, "duplicates of transferred handles");
    }
}

/* Many handles and messages at once, then freed, then made again: reused
 * memory must not leak old contents or old identities. */
static void churn(uintptr_t a, uintptr_t b)
{
    enum { N = 700 };
    static zx_handle_t evs[N];
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++)
            cr_expect_eq(zx_event_create(0, &evs[i]), ZX_OK);
        for (int i = 0; i < N; i++) {
            uint8_t msg[600];
            uint32_t n = 1 + (uint32_t)(i * 13 + round) % sizeof msg;
            memset(msg, i & 0xff, n);
            cr_expect_eq(zx_channel_write(c0, 0, msg, n, NULL, 0), ZX_OK);
        }
        for (int i = 0; i < N; i++) {
            uint8_t msg[600];
            uint32_t nb = 0, nh = 0;
            uint32_t want = 1 + (uint32_t)(i * 13 + round) % sizeof msg;
            cr_expect_eq(zx_channel_read(c1, 0, msg, NULL, sizeof msg, 0, &nb, &nh),
                         ZX_OK);
            cr_expect_eq(nb, want);
            cr_expect_eq(msg[0], i & 0xff);
            cr_expect_eq(msg[nb - 1], i & 0xff);
        }
        zx_handle_t old = evs[0];
        for (int i = 0; i < N; i++)
            cr_expect_eq(zx_handle_close(evs[i]), ZX_OK);
        cr_expect_eq(zx_object_signal(old, 0, ZX_USER_SIGNAL_0),
                     ZX_ERR_BAD_HANDLE, "a closed value stays dead");
    }
    zx_handle_close(c0);
    zx_handle_close(c1);
}

Test(fastpath, kernel_memory_reuse)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "churn", churn, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    ktest_free(t);
}
