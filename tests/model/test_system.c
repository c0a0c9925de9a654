/* test_system.c — covers: cprng_draw, cprng_add_entropy, clock_get_monotonic,
 * system_get_num_cpus, system_get_page_size, system_get_physmem,
 * system_get_version_string, system_get_dcache_line_size. */
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/exception.h>

#include "ktest.h"

static uint8_t drawn[2][64];

static void draw(uintptr_t slot, uintptr_t b)
{
    memset(drawn[slot], 0, sizeof drawn[slot]);
    zx_cprng_draw(drawn[slot], sizeof drawn[slot]);
    uint8_t zero[64] = {0};
    cr_expect_neq(memcmp(drawn[slot], zero, sizeof zero), 0);
    zx_cprng_draw(NULL, 0); /* zero bytes: nothing to do */
}

static void draw_twice(uint64_t seed, int slot)
{
    KTest *t = ktest_new(seed, 1);
    ktest_spawn(t, "draw", draw, (uintptr_t)slot);
    ktest_run(t);
    ktest_free(t);
}

Test(system, cprng_is_seeded)
{
    draw_twice(11, 0);
    draw_twice(11, 1);
    cr_assert_eq(memcmp(drawn[0], drawn[1], 64), 0, "same seed, same bytes");
    draw_twice(12, 1);
    cr_assert_neq(memcmp(drawn[0], drawn[1], 64), 0, "other seed, other bytes");
}

/* Zircon's zx_cprng_draw takes any length: its vDSO draws in pieces of
 * ZX_CPRNG_DRAW_MAX_LEN. One draw of 1000 bytes is the same bytes as the
 * same seed's draws of 256, 256, 256 and 232. */
#define BIG_DRAW 1000
static uint8_t big_drawn[2][BIG_DRAW];

static void draw_big(uintptr_t pieces, uintptr_t b)
{
    uint8_t *out = big_drawn[pieces];
    memset(out, 0, BIG_DRAW);
    if (!pieces) {
        zx_cprng_draw(out, BIG_DRAW);
        return;
    }
    for (size_t at = 0; at < BIG_DRAW; at += ZX_CPRNG_DRAW_MAX_LEN) {
        size_t n = BIG_DRAW - at < ZX_CPRNG_DRAW_MAX_LEN ? BIG_DRAW - at : ZX_CPRNG_DRAW_MAX_LEN;
        zx_cprng_draw(out + at, n);
    }
}

Test(system, cprng_draw_takes_any_length)
{
    for (uintptr_t pieces = 0; pieces < 2; pieces++) {
        KTest *t = ktest_new(11, 1);
        KProcess *p = ktest_spawn(t, "draw", draw_big, pieces);
        ktest_run(t);
        cr_assert_eq(ktest_retcode(p), 0, "a long draw is no misuse");
        ktest_free(t);
    }
    cr_assert_eq(memcmp(big_drawn[0], big_drawn[1], BIG_DRAW), 0);
    uint8_t zero[BIG_DRAW - ZX_CPRNG_DRAW_MAX_LEN] = {0};
    cr_assert_neq(memcmp(big_drawn[0] + ZX_CPRNG_DRAW_MAX_LEN, zero, sizeof zero), 0);
}

static void queries(uintptr_t cpus, uintptr_t b)
{
    cr_expect_eq(zx_system_get_num_cpus(), (uint32_t)cpus);
    cr_expect_eq(zx_system_get_page_size(), 4096u);
    cr_expect_gt(zx_system_get_physmem(), 0u);
    cr_expect_eq(zx_system_get_dcache_line_size(), 64u);
    zx_string_view_t v = zx_system_get_version_string();
    cr_expect_eq(strlen(v.c_str), v.length);
    cr_expect_gt(v.length, 0u);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    zx_nanosleep(t0 + 1234);
    cr_expect_geq(zx_clock_get_monotonic() - t0, 1234);
}

Test(system, queries)
{
    KTest *t = ktest_new(1, 3);
    ktest_spawn(t, "queries", queries, 3);
    ktest_run(t);
    ktest_free(t);
}

/* ---- cprng_draw given a buffer it cannot write ---------------------------- */
/* Zircon's vDSO draws piece by piece and traps (__builtin_trap) when a
 * piece cannot be copied out: the pieces before it are written, the
 * thread takes ZX_EXCP_UNDEFINED_INSTRUCTION (x86-64; arm64's brk is
 * ZX_EXCP_SW_BREAKPOINT), and without a handler the process dies with
 * ZX_TASK_RETCODE_EXCEPTION_KILL (before, the process was killed with
 * ZX_TASK_RETCODE_VDSO_KILL and no exception). A watcher sees the
 * exception and reads what was written. */
#define DRAW_SPAN (ZX_CPRNG_DRAW_MAX_LEN + 8)
static volatile int g_watching;
static volatile uintptr_t g_draw_at;
static uint32_t g_draw_exception;
static uint8_t g_draw_seen[DRAW_SPAN];
static size_t g_draw_seen_len;
static int g_after_draw;

static void bad_drawer(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t vmo;
    zx_vaddr_t base = 0;
    cr_expect_eq(zx_vmo_create(2 * 4096, 0, &vmo), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                             2 * 4096, &base),
                 ZX_OK);
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), base + 4096, 4096), ZX_OK);
    uint8_t *buf = (uint8_t *)base + 4096 - DRAW_SPAN;
    g_draw_at = (uintptr_t)buf;
    while (!g_watching)
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    /* The first piece fits; the second runs off the end of the mapping. */
    zx_cprng_draw(buf, ZX_CPRNG_DRAW_MAX_LEN + 100);
    g_after_draw = 1;
}

static void draw_watcher(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t p = zx_take_startup_handle(PA_HND(PA_USER0, 0)), ch, exc;
    cr_expect_eq(zx_task_create_exception_channel(p, 0, &ch), ZX_OK);
    g_watching = 1;
    zx_exception_info_t info = {0};
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_channel_read(ch, 0, &info, &exc, sizeof info, 1, &nb, &nh), ZX_OK);
    g_draw_exception = info.type;
    cr_expect_eq(zx_process_read_memory(p, g_draw_at, g_draw_seen, sizeof g_draw_seen,
                                        &g_draw_seen_len),
                 ZX_OK);
    zx_handle_close(exc); /* unhandled: the drawer's process dies */
    zx_handle_close(ch);
    zx_handle_close(p);
}

Test(system, cprng_draw_into_a_bad_buffer_is_a_trap)
{
    KTest *t = ktest_new(11, 1);
    g_watching = 0;
    g_after_draw = 0;
    g_draw_exception = 0;
    memset(g_draw_seen, 0xaa, sizeof g_draw_seen);
    KProcess *p = ktest_spawn(t, "drawer", bad_drawer, 0);
    LaunchSpec spec = {.name = "watcher", .entry = draw_watcher, .give = LAUNCH_GIVE_STANDARD};
    spec.extra[0] = (LaunchHandle){PA_HND(PA_USER0, 0), &p->base, ZX_DEFAULT_PROCESS_RIGHTS};
    spec.nextra = 1;
    ktest_spawn_spec(t, &spec);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
#if defined(__aarch64__)
    cr_expect_eq(g_draw_exception, ZX_EXCP_SW_BREAKPOINT);
#else
    cr_expect_eq(g_draw_exception, ZX_EXCP_UNDEFINED_INSTRUCTION);
#endif
    cr_expect_eq(ktest_retcode(p), ZX_TASK_RETCODE_EXCEPTION_KILL);
    cr_expect_eq(g_after_draw, 0, "the trap does not return");
    cr_assert_eq(g_draw_seen_len, DRAW_SPAN);
    int zeros = 0;
    for (size_t i = 0; i < ZX_CPRNG_DRAW_MAX_LEN; i++)
        zeros += g_draw_seen[i] == 0;
    cr_expect_leq(zeros, 16, "the first piece was written");
    /* (The failed piece's bytes below the end may or may not be written:
     * Zircon's user copy stops at the fault, wherever it is.) */
    ktest_free(t);
}

/* ---- cprng_add_entropy ------------------------------------------------------ */
static void add_entropy_errors(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    uint8_t big[ZX_CPRNG_ADD_ENTROPY_MAX_LEN + 1] = {0};
    cr_expect_eq(zx_cprng_add_entropy(big, sizeof big), ZX_ERR_INVALID_ARGS, "too long");
    cr_expect_eq(zx_cprng_add_entropy(big, ZX_CPRNG_ADD_ENTROPY_MAX_LEN), ZX_OK);
    cr_expect_eq(zx_cprng_add_entropy((const void *)4, ZX_CPRNG_ADD_ENTROPY_MAX_LEN),
                 ZX_ERR_INVALID_ARGS, "a buffer that cannot be read");
    cr_expect_eq(zx_cprng_add_entropy(NULL, 0), ZX_OK, "nothing to read");
}

Test(system, cprng_add_entropy_errors)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "adder", add_entropy_errors, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

/* The entropy is mixed into the kernel's one CPRNG stream: what any
 * process draws afterwards depends on it, the same bytes giving the same
 * draws (the run stays a function of its seed and inputs). */
static const char *const g_entropy[] = {NULL, "abc", "abd"};
static uint8_t g_after_entropy[4][32];

static void entropy_adder(uintptr_t which, uintptr_t b)
{
    (void)b;
    const char *e = g_entropy[which];
    if (e)
        cr_expect_eq(zx_cprng_add_entropy(e, strlen(e)), ZX_OK);
}

static void entropy_drawer(uintptr_t slot, uintptr_t b)
{
    (void)b;
    zx_cprng_draw(g_after_entropy[slot], sizeof g_after_entropy[slot]);
}

static void add_then_draw(uintptr_t which, int slot)
{
    KTest *t = ktest_new(11, 1);
    ktest_spawn(t, "adder", entropy_adder, which);
    ktest_spawn(t, "drawer", entropy_drawer, (uintptr_t)slot);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    ktest_free(t);
}

Test(system, cprng_add_entropy_changes_later_draws_deterministically)
{
    add_then_draw(0, 0);
    add_then_draw(1, 1);
    add_then_draw(1, 2);
    add_then_draw(2, 3);
    cr_expect_neq(memcmp(g_after_entropy[0], g_after_entropy[1], 32), 0, "entropy mixed in");
    cr_expect_eq(memcmp(g_after_entropy[1], g_after_entropy[2], 32), 0, "same bytes, same draws");
    cr_expect_neq(memcmp(g_after_entropy[1], g_after_entropy[3], 32), 0, "other bytes, others");
}
