/* test_futex.c — covers: futex_wait, futex_wake, futex_requeue,
 * futex_wake_handle_close_thread_exit (store, wake, close its own handle,
 * exit; a bad handle kills the process).
 * Errors in Zircon's order (pointer, value, owner), deadlines in virtual
 * time, FIFO wake order, wake counts, requeue, futex identity = address
 * within the process, owner rules, killing a blocked waiter, how the
 * deadlock report names a futex. */
#include <glib.h>
#include <string.h>

#include "futex.h"
#include "ktest.h"

static KTest *run_proc(ThreadEntryFn fn, KProcess **out)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "futex", fn, 0);
    ktest_run(t);
    if (out)
        *out = p;
    return t;
}

static void run1(ThreadEntryFn fn)
{
    KProcess *p;
    KTest *t = run_proc(fn, &p);
    cr_expect_eq(t->result, SIM_RUN_QUIESCENT, "threads left blocked");
    cr_expect_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static zx_handle_t start_thread(ThreadEntryFn fn, uintptr_t arg)
{
    zx_handle_t th = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_thread_create(zx_process_self(), "helper", 6, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)fn, 0, arg, 0), ZX_OK);
    return th;
}

static void sleep_ms(int ms)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(ms)));
}

/* ---- futex_wait ------------------------------------------------------------ */

static zx_futex_t f_timeout;
static void wait_timeout(uintptr_t a, uintptr_t b)
{
    zx_instant_mono_t before = zx_clock_get_monotonic();
    cr_expect_eq(zx_futex_wait(&f_timeout, 0, ZX_HANDLE_INVALID, zx_deadline_after(ZX_MSEC(3))),
                 ZX_ERR_TIMED_OUT);
    cr_expect_geq(zx_clock_get_monotonic() - before, ZX_MSEC(3), "slept in virtual time");
    cr_expect_eq(zx_futex_wait(&f_timeout, 0, ZX_HANDLE_INVALID, 0), ZX_ERR_TIMED_OUT,
                 "deadline already past");
}
Test(futex_wait, timed_out) { run1(wait_timeout); }

static void wait_pointer_errors(uintptr_t a, uintptr_t b)
{
    static zx_futex_t arr[2];
    cr_expect_eq(zx_futex_wait(NULL, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_futex_wait((const zx_futex_t *)((char *)arr + 1), 0, ZX_HANDLE_INVALID,
                               ZX_TIME_INFINITE), ZX_ERR_INVALID_ARGS, "misaligned");
    cr_expect_eq(zx_futex_wait((const zx_futex_t *)16, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE),
                 ZX_ERR_INVALID_ARGS, "unreadable");
}
Test(futex_wait, invalid_args_pointer) { run1(wait_pointer_errors); }

static zx_futex_t f_value = 5;
static void wait_bad_state(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_futex_wait(&f_value, 4, ZX_HANDLE_INVALID, ZX_TIME_INFINITE), ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_futex_wait(&f_value, 4, 0x1234, ZX_TIME_INFINITE), ZX_ERR_BAD_STATE,
                 "the value is checked before the owner");
}
Test(futex_wait, bad_state_value_mismatch) { run1(wait_bad_state); }

static void idle(uintptr_t a, uintptr_t b) { sleep_ms(1); }

static zx_futex_t f_owner;
static void wait_owner_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_instant_mono_t soon = zx_deadline_after(ZX_USEC(10));
    cr_expect_eq(zx_futex_wait(&f_owner, 0, 0x1234, soon), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_futex_wait(&f_owner, 0, ev, soon), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_futex_wait(&f_owner, 0, zx_thread_self(), soon), ZX_ERR_INVALID_ARGS,
                 "the waiter may not own the futex");
    zx_handle_t unstarted;
    cr_expect_eq(zx_thread_create(zx_process_self(), "new", 3, 0, &unstarted), ZX_OK);
    cr_expect_eq(zx_futex_wait(&f_owner, 0, unstarted, soon), ZX_ERR_INVALID_ARGS,
                 "owner never started");
    zx_handle_t proc, vmar, other;
    cr_expect_eq(zx_process_create(zx_job_default(), "p2", 2, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "t", 1, 0, &other), ZX_OK);
    cr_expect_eq(zx_futex_wait(&f_owner, 0, other, soon), ZX_ERR_INVALID_ARGS,
                 "owner in another process");
    zx_handle_t helper = start_thread(idle, 0);
    cr_expect_eq(zx_futex_wait(&f_owner, 0, helper, zx_deadline_after(ZX_USEC(10))),
                 ZX_ERR_TIMED_OUT, "a live thread of ours may own it");
    zx_handle_close(unstarted); /* an unstarted thread would keep us alive */
    zx_task_kill(proc);
}
Test(futex_wait, owner_errors) { run1(wait_owner_errors); }

static zx_futex_t f_owner_waits;
static void owner_waiter(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_futex_wait(&f_owner_waits, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE), ZX_OK);
}
static void wait_owner_is_waiting(uintptr_t a, uintptr_t b)
{
    zx_handle_t h = start_thread(owner_waiter, 0);
    sleep_ms(1);
    cr_expect_eq(zx_futex_wait(&f_owner_waits, 0, h, ZX_TIME_INFINITE), ZX_ERR_INVALID_ARGS,
                 "the proposed owner already waits on this futex");
    cr_expect_eq(zx_futex_wake(&f_owner_waits, 1), ZX_OK);
}
Test(futex_wait, invalid_args_owner_waiting) { run1(wait_owner_is_waiting); }

/* ---- futex_wake ------------------------------------------------------------ */

static zx_futex_t f_fifo;
static int order[8], norder;
static void fifo_waiter(uintptr_t id, uintptr_t b)
{
    cr_expect_eq(zx_futex_wait(&f_fifo, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE), ZX_OK);
    order[norder++] = (int)id;
}
static void wake_fifo(uintptr_t a, uintptr_t b)
{
    norder = 0;
    for (uintptr_t i = 0; i < 4; i++) {
        start_thread(fifo_waiter, i);
        sleep_ms(1); /* let it block, in this order */
    }
    cr_expect_eq(zx_futex_wake(&f_fifo, 0), ZX_OK);
    sleep_ms(1);
    cr_expect_eq(norder, 0, "wake_count 0 wakes nobody");
    cr_expect_eq(zx_futex_wake(&f_fifo, 1), ZX_OK);
    sleep_ms(1);
    cr_expect_eq(norder, 1);
    cr_expect_eq(zx_futex_wake(&f_fifo, 2), ZX_OK);
    sleep_ms(1);
    cr_expect_eq(norder, 3);
    cr_expect_eq(zx_futex_wake(&f_fifo, UINT32_MAX), ZX_OK);
    sleep_ms(1);
    cr_expect_eq(norder, 4);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(order[i], i, "FIFO order");
    cr_expect_eq(zx_futex_wake(&f_fifo, 5), ZX_OK, "nobody waiting is fine");
}
Test(futex_wake, fifo_and_counts) { run1(wake_fifo); }

static void wake_errors(uintptr_t a, uintptr_t b)
{
    static zx_futex_t arr[2];
    cr_expect_eq(zx_futex_wake(NULL, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_futex_wake((const zx_futex_t *)((char *)arr + 2), 1), ZX_ERR_INVALID_ARGS);
}
Test(futex_wake, invalid_args) { run1(wake_errors); }

/* Same address, two processes: two futexes. */
static zx_futex_t f_shared_addr;
static void identity_waiter(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_futex_wait(&f_shared_addr, 0, ZX_HANDLE_INVALID,
                               zx_deadline_after(ZX_MSEC(5))), ZX_ERR_TIMED_OUT,
                 "a wake in another process must not wake us");
}
static void identity_waker(uintptr_t a, uintptr_t b)
{
    sleep_ms(1);
    cr_expect_eq(zx_futex_wake(&f_shared_addr, UINT32_MAX), ZX_OK);
}
Test(futex_wake, identity_is_per_process)
{
    KTest *t = ktest_new(1, 2);
    KProcess *a = ktest_spawn(t, "waiter", identity_waiter, 0);
    KProcess *b = ktest_spawn(t, "waker", identity_waker, 0);
    ktest_run(t);
    cr_expect_eq(ktest_retcode(a), 0);
    cr_expect_eq(ktest_retcode(b), 0);
    ktest_free(t);
}

/* ---- futex_requeue --------------------------------------------------------- */

static zx_futex_t f_rq_a, f_rq_b;
static int woke_count;
static void rq_waiter(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_futex_wait(&f_rq_a, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE), ZX_OK);
    woke_count++;
}
static void requeue_ok(uintptr_t a, uintptr_t b)
{
    woke_count = 0;
    zx_handle_t h0 = start_thread(rq_waiter, 0);
    for (int i = 1; i < 4; i++)
        start_thread(rq_waiter, (uintptr_t)i);
    sleep_ms(1);
    cr_expect_eq(zx_futex_requeue(&f_rq_a, 1, 0, &f_rq_b, 2, ZX_HANDLE_INVALID), ZX_OK);
    sleep_ms(1);
    cr_expect_eq(woke_count, 1);
    cr_expect_eq(zx_futex_wake(&f_rq_b, UINT32_MAX), ZX_OK);
    sleep_ms(1);
    cr_expect_eq(woke_count, 3, "two were moved to b");
    cr_expect_eq(zx_futex_wake(&f_rq_a, UINT32_MAX), ZX_OK);
    sleep_ms(1);
    cr_expect_eq(woke_count, 4, "one stayed on a");
    (void)h0;
}
Test(futex_requeue, wake_and_move) { run1(requeue_ok); }

static zx_futex_t f_rq_c, f_rq_d;
static void rq_waiter_c(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_futex_wait(&f_rq_c, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE), ZX_OK);
}
static void requeue_errors(uintptr_t a, uintptr_t b)
{
    static zx_futex_t arr[2];
    const zx_futex_t *odd = (const zx_futex_t *)((char *)arr + 1);
    cr_expect_eq(zx_futex_requeue(NULL, 1, 0, &f_rq_d, 1, ZX_HANDLE_INVALID), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 1, 0, NULL, 1, ZX_HANDLE_INVALID), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_futex_requeue(odd, 1, 0, &f_rq_d, 1, ZX_HANDLE_INVALID), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 1, 0, odd, 1, ZX_HANDLE_INVALID), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 1, 0, &f_rq_c, 1, ZX_HANDLE_INVALID),
                 ZX_ERR_INVALID_ARGS, "same futex");
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 1, 7, &f_rq_d, 1, ZX_HANDLE_INVALID), ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 1, 0, &f_rq_d, 1, 0x1234), ZX_ERR_BAD_HANDLE);
    zx_handle_t ev;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 1, 0, &f_rq_d, 1, ev), ZX_ERR_WRONG_TYPE);
    zx_handle_t h = start_thread(rq_waiter_c, 0);
    sleep_ms(1);
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 0, 0, &f_rq_d, 1, h), ZX_ERR_INVALID_ARGS,
                 "the new owner waits on the wake futex");
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 0, 0, &f_rq_d, 1, ZX_HANDLE_INVALID), ZX_OK);
    cr_expect_eq(zx_futex_requeue(&f_rq_d, 0, 0, &f_rq_c, 0, h), ZX_ERR_INVALID_ARGS,
                 "... or on the requeue futex");
    cr_expect_eq(zx_futex_requeue(&f_rq_c, 0, 0, &f_rq_d, 0, zx_thread_self()), ZX_OK,
                 "the caller may become the owner");
    cr_expect_eq(zx_futex_wake(&f_rq_d, 1), ZX_OK);
}
Test(futex_requeue, errors) { run1(requeue_errors); }

/* ---- owners and killing ---------------------------------------------------- */

static zx_futex_t f_own;
static void own_waiter(uintptr_t owner, uintptr_t b)
{
    cr_expect_eq(zx_futex_wait(&f_own, 0, (zx_handle_t)owner, ZX_TIME_INFINITE), ZX_OK);
}
static KProcess *own_proc;
static void owner_bookkeeping(uintptr_t a, uintptr_t b)
{
    start_thread(own_waiter, zx_thread_self());
    sleep_ms(1);
    KThread *me = thread_of_fiber(sim_current());
    cr_expect_eq(futex_owner_koid(own_proc, (uintptr_t)&f_own), me->base.koid);
    cr_expect_eq(futex_waiter_count(own_proc, (uintptr_t)&f_own), 1);
    cr_expect_eq(zx_futex_wake(&f_own, 1), ZX_OK);
    cr_expect_eq(futex_owner_koid(own_proc, (uintptr_t)&f_own), ZX_KOID_INVALID, "released");
}
Test(futex_wait, owner_assigned_and_released_by_wake)
{
    KTest *t = ktest_new(1, 1);
    own_proc = ktest_spawn(t, "own", owner_bookkeeping, 0);
    ktest_run(t);
    cr_expect_eq(ktest_retcode(own_proc), 0);
    ktest_free(t);
}

static zx_futex_t f_forever;
static void wait_forever(uintptr_t a, uintptr_t b)
{
    zx_futex_wait(&f_forever, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
    cr_expect_fail("never woken");
}
Test(futex_wait, killed_while_blocked)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "stuck", wait_forever, 0);
    cr_expect_eq(ktest_run(t), SIM_RUN_DEADLOCK);
    char report[512];
    cr_expect_eq(sim_blocked_report(t->engine, report, sizeof report), 1);
    cr_expect(strstr(report, "futex_wait") != NULL, "report names the futex: %s", report);
    cr_expect_eq(futex_waiter_count(p, (uintptr_t)&f_forever), 1);
    process_kill(p, 9);
    ktest_run(t);
    cr_expect_eq(ktest_retcode(p), 9);
    ktest_free(t);
}

/* The deadlock report names each futex by what holds it, never by its
 * host address (which moves between runs): a global of this program, a
 * word on a thread's stack, a mapped VMO, the host heap. The same
 * scenario run twice must print the same report. */
static zx_futex_t f_global;
static void stuck_on(uintptr_t word, uintptr_t b)
{
    zx_futex_wait((zx_futex_t *)word, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
}
static void stuck_on_stack(uintptr_t a, uintptr_t b)
{
    zx_futex_t local = 0;
    zx_futex_wait(&local, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
}
static zx_futex_t *f_heap;
static void four_waits(uintptr_t a, uintptr_t b)
{
    zx_handle_t vmo, th;
    zx_vaddr_t mapped = 0;
    cr_expect_eq(zx_vmo_create(4096, 0, &vmo), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
                             0, vmo, 0, 4096, &mapped), ZX_OK);
    start_thread(stuck_on, (uintptr_t)&f_global);
    start_thread(stuck_on, (uintptr_t)f_heap);
    start_thread(stuck_on, (uintptr_t)mapped + 64);
    cr_expect_eq(zx_thread_create(zx_process_self(), "deep", 4, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)stuck_on_stack, 0, 0, 0), ZX_OK);
}
static char *report_of_four_waits(void)
{
    f_heap = g_new0(zx_futex_t, 1);
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "stuck", four_waits, 0);
    cr_expect_eq(ktest_run(t), SIM_RUN_DEADLOCK);
    char report[2048];
    cr_expect_eq(sim_blocked_report(t->engine, report, sizeof report), 4);
    ktest_free(t);
    g_free(f_heap);
    return g_strdup(report);
}
Test(futex_wait, deadlock_report_names_futexes_the_same_every_run)
{
    char *first = report_of_four_waits();
    void *spacer = g_malloc(1 << 20); /* move the heap between the runs */
    char *second = report_of_four_waits();
    g_free(spacer);
    cr_expect_str_eq(first, second);
    cr_expect(g_regex_match_simple("futex at [A-Za-z_][^ ]*\\+0x[0-9a-f]+ \\(", first, 0, 0),
              "a global, by program and offset: %s", first);
    cr_expect(strstr(first, "futex at a host heap address") != NULL, "heap: %s", first);
    cr_expect(strstr(first, "futex at the stack of thread ") != NULL &&
                  strstr(first, "\"deep\", ") != NULL, "a stack: %s", first);
    cr_expect(strstr(first, "futex at 0x") != NULL, "a mapping: %s", first);
    g_free(first);
    g_free(second);
}

/* ---- futex_wake_handle_close_thread_exit ----------------------------------- */

#define BOGUS_HANDLE ((zx_handle_t)0x7fffff13) /* never handed out */

static volatile zx_futex_t g_done;

static void finisher(uintptr_t self, uintptr_t bogus)
{
    zx_futex_wake_handle_close_thread_exit((const zx_futex_t *)&g_done, 1, 7,
                                           bogus ? BOGUS_HANDLE : (zx_handle_t)self);
}

static void join_by_futex(uintptr_t bogus, uintptr_t b)
{
    (void)b;
    zx_handle_t th, watch;
    g_done = 0;
    cr_expect_eq(zx_thread_create(zx_process_self(), "finisher", 8, 0, &th), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(th, ZX_RIGHT_SAME_RIGHTS, &watch), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)finisher, 0, th, bogus), ZX_OK);
    while (g_done == 0)
        zx_futex_wait((const zx_futex_t *)&g_done, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
    cr_expect_eq(g_done, 7, "the value stored before the wake");
    cr_expect_eq(zx_object_wait_one(watch, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_handle_close(th), ZX_ERR_BAD_HANDLE, "its own handle was closed");
    zx_process_exit(5);
}

Test(futex, wake_handle_close_thread_exit_stores_wakes_closes_and_exits)
{
    KProcess *p;
    KTest *t = run_proc(join_by_futex, &p);
    cr_expect_eq(ktest_retcode(p), 5);
    ktest_free(t);
}

/* A handle that cannot be closed is a trap: the process dies as if it
 * went unhandled (the joiner, blocked meanwhile, dies with it). */
static void join_by_futex_bogus(uintptr_t a, uintptr_t b)
{
    join_by_futex(1, b);
}

Test(futex, wake_handle_close_thread_exit_with_a_bad_handle_kills_the_process)
{
    KProcess *p;
    KTest *t = run_proc(join_by_futex_bogus, &p);
    cr_expect_eq(ktest_retcode(p), ZX_TASK_RETCODE_EXCEPTION_KILL);
    ktest_free(t);
}
