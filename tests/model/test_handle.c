/* test_handle.c — handle_close, handle_close_many, handle_duplicate,
 * handle_replace: every documented error and the value rules. */
#include <zircon/rights.h>

#include "ktest.h"

static void close_cases(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_handle_close(ZX_HANDLE_INVALID), ZX_OK);
    zx_handle_t ev;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(ev & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
    cr_expect_eq(zx_handle_close(ev), ZX_OK);
    cr_expect_eq(zx_handle_close(ev), ZX_ERR_BAD_HANDLE, "closed value must be dead");
    cr_expect_eq(zx_handle_close(0x12345677u), ZX_ERR_BAD_HANDLE);
}

Test(handle, close)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "close", close_cases, 0);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static void close_many_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t h[4];
    cr_expect_eq(zx_event_create(0, &h[0]), ZX_OK);
    cr_expect_eq(zx_event_create(0, &h[1]), ZX_OK);
    h[2] = ZX_HANDLE_INVALID;
    h[3] = h[0]; /* repeated: the second occurrence is already closed */
    cr_expect_eq(zx_handle_close_many(h, 4), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_handle_close(h[0]), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_handle_close(h[1]), ZX_ERR_BAD_HANDLE, "valid entries are closed anyway");
    cr_expect_eq(zx_handle_close_many(NULL, 0), ZX_OK);
    cr_expect_eq(zx_handle_close_many((const zx_handle_t *)8, 2), ZX_ERR_INVALID_ARGS);
}

Test(handle, close_many)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "close_many", close_many_cases, 0);
    ktest_run(t);
    ktest_free(t);
}

static void duplicate_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev, dup, weak, out;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &dup), ZX_OK);
    cr_expect_neq(dup, ev);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_WAIT | ZX_RIGHT_SIGNAL, &weak), ZX_OK);
    /* weak lacks DUPLICATE */
    cr_expect_eq(zx_handle_duplicate(weak, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_ACCESS_DENIED);
    /* rights not a subset */
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_WRITE, &out), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_duplicate(ZX_HANDLE_INVALID, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, (zx_handle_t *)16), ZX_ERR_INVALID_ARGS);
    /* ZX_RIGHT_NONE is legal and yields a handle with no rights */
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_NONE, &out), ZX_OK);
    cr_expect_eq(zx_object_signal(out, 0, ZX_EVENT_SIGNALED), ZX_ERR_ACCESS_DENIED);
    zx_handle_close(out);
    zx_handle_close(weak);
    zx_handle_close(dup);
    zx_handle_close(ev);
}

Test(handle, duplicate)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "dup", duplicate_cases, 0);
    ktest_run(t);
    cr_assert_eq(t->kernel->handle_count, 0, "every handle closed at process death");
    ktest_free(t);
}

static void replace_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev, r, out;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_handle_replace(ev, ZX_RIGHT_WAIT | ZX_RIGHT_DUPLICATE, &r), ZX_OK);
    cr_expect_eq(zx_handle_close(ev), ZX_ERR_BAD_HANDLE, "replace consumes the source");
    /* asking for more rights fails AND consumes the source */
    cr_expect_eq(zx_handle_replace(r, ZX_RIGHT_SIGNAL, &out), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_close(r), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_handle_replace(ZX_HANDLE_INVALID, 0, &out), ZX_ERR_BAD_HANDLE);
}

Test(handle, replace)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "replace", replace_cases, 0);
    ktest_run(t);
    cr_assert_eq(t->kernel->handle_count, 0);
    ktest_free(t);
}

static zx_handle_t shared_value;

static void owner(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_event_create(0, &shared_value), ZX_OK);
    zx_nanosleep(zx_deadline_after(ZX_MSEC(10)));
}

static void thief(uintptr_t a, uintptr_t b)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    cr_expect_neq(shared_value, ZX_HANDLE_INVALID);
    cr_expect_eq(zx_object_signal(shared_value, 0, ZX_EVENT_SIGNALED), ZX_ERR_BAD_HANDLE,
                 "a value from another process names nothing");
}

Test(handle, values_are_per_process)
{
    KTest *t = ktest_new(7, 1);
    ktest_spawn(t, "owner", owner, 0);
    ktest_spawn(t, "thief", thief, 0);
    ktest_run(t);
    ktest_free(t);
}

static void no_reuse(uintptr_t a, uintptr_t b)
{
    zx_handle_t first, again;
    cr_expect_eq(zx_event_create(0, &first), ZX_OK);
    zx_handle_close(first);
    for (int i = 0; i < 100; i++) {
        cr_expect_eq(zx_event_create(0, &again), ZX_OK);
        cr_expect_neq(again, first, "closed value handed out again at iteration %d", i);
        zx_handle_close(again);
    }
}

Test(handle, closed_value_not_reused)
{
    KTest *t = ktest_new(3, 1);
    ktest_spawn(t, "reuse", no_reuse, 0);
    ktest_run(t);
    ktest_free(t);
}

static void reuse_with_fault(uintptr_t a, uintptr_t b)
{
    zx_handle_t first, again;
    cr_expect_eq(zx_event_create(0, &first), ZX_OK);
    zx_handle_close(first);
    cr_expect_eq(zx_event_create(0, &again), ZX_OK);
    cr_expect_eq(again, first, "with no_handle_generation the value comes back at once");
}

Test(handle, fault_switch_no_generation)
{
    KTest *t = ktest_new(3, 1);
    t->kernel->faults.no_handle_generation = true;
    ktest_spawn(t, "reuse", reuse_with_fault, 0);
    ktest_run(t);
    ktest_free(t);
}

/* Values that decode to no slot name nothing: base 0 (the value the
 * mixer alone gives), a slot past the table, wrong fixed bits, and a
 * stale generation. */
Test(handle, table_rejects_undecodable_values)
{
    HandleTable t;
    handle_table_init(&t, 0x5a5a5a5cu);
    Handle h = {0};
    zx_handle_t v = handle_table_add(&t, NULL, &h);
    cr_assert_neq(v, ZX_HANDLE_INVALID);
    cr_expect_eq(handle_table_get(&t, v), &h);
    cr_expect_null(handle_table_get(&t, t.mixer ^ ZX_HANDLE_FIXED_BITS_MASK),
                   "base 0 must name nothing");
    cr_expect_null(handle_table_get(&t, ZX_HANDLE_INVALID));
    cr_expect_null(handle_table_get(&t, v & ~1u), "fixed bits cleared");
    uint32_t past = ((t.nslots << HANDLE_GEN_BITS) + 1u) << 2;
    cr_expect_null(handle_table_get(&t, t.mixer ^ past ^ ZX_HANDLE_FIXED_BITS_MASK),
                   "slot past the table");
    cr_expect_eq(handle_table_remove(&t, v), &h);
    cr_expect_null(handle_table_get(&t, v), "stale generation");
    handle_table_free(&t);
}
