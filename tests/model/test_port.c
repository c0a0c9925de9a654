/* test_port.c — covers: port_create, port_queue, port_wait, port_cancel,
 * object_wait_async. Black-box through the zx_* API on simulated threads
 * (ktest.h), plus white-box checks of port.c registrations. */
#include <string.h>
#include <zircon/processargs.h>

#include "event.h"
#include "ktest.h"
#include "port.h"

static void run_one(const char *name, ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, name, fn, 0);
    ktest_run(t);
    cr_expect_eq(t->result, SIM_RUN_QUIESCENT, "run ended with threads blocked");
    ktest_free(t);
}

static void start_thread(ThreadEntryFn fn, uintptr_t arg)
{
    zx_handle_t th;
    cr_expect_eq(zx_thread_create(zx_process_self(), "helper", 6, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)fn, 0, arg, 0), ZX_OK);
    zx_handle_close(th);
}

static zx_port_packet_t user_packet(uint64_t key, uint64_t v)
{
    zx_port_packet_t p;
    memset(&p, 0, sizeof p);
    p.key = key;
    p.type = 0x55; /* forced to USER by the kernel */
    p.status = -7;
    p.user.u64[0] = v;
    p.user.u64[3] = ~v;
    return p;
}

/* ---- port_create ---------------------------------------------------------------- */

static void create_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, q;
    cr_expect_eq(zx_port_create(2, &p), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_port_create(0, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_port_create(ZX_PORT_BIND_TO_INTERRUPT, &q), ZX_OK);
    /* ports are not waitable: their handles carry no WAIT */
    cr_expect_eq(zx_object_wait_one(p, 0, 0, NULL), ZX_ERR_ACCESS_DENIED);
}

Test(port, create)
{
    run_one("create", create_cases);
}

static void create_denied(uintptr_t a, uintptr_t b)
{
    zx_handle_t p;
    cr_expect_eq(zx_port_create(0, &p), ZX_ERR_ACCESS_DENIED);
}

Test(port, create_policy_denied)
{
    KTest *t = ktest_new(1, 1);
    zx_policy_basic_v2_t deny = {ZX_POL_NEW_PORT, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    cr_assert_eq(policy_apply_basic(&t->job->policy, ZX_JOB_POL_ABSOLUTE, &deny, 1), ZX_OK);
    ktest_spawn(t, "denied", create_denied, 0);
    ktest_run(t);
    ktest_free(t);
}

/* ---- port_queue / port_wait ------------------------------------------------------- */

static void queue_wait_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    for (uint64_t i = 1; i <= 3; i++) {
        zx_port_packet_t pk = user_packet(i * 10, i);
        cr_expect_eq(zx_port_queue(p, &pk), ZX_OK);
    }
    for (uint64_t i = 1; i <= 3; i++) { /* FIFO */
        zx_port_packet_t out;
        memset(&out, 0xaa, sizeof out);
        cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK); /* past deadline, packet ready */
        cr_expect_eq(out.key, i * 10);
        cr_expect_eq(out.type, ZX_PKT_TYPE_USER);
        cr_expect_eq(out.status, -7);
        cr_expect_eq(out.user.u64[0], i);
        cr_expect_eq(out.user.u64[3], ~i);
    }
    zx_port_packet_t out;
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    zx_instant_mono_t before = zx_clock_get_monotonic();
    cr_expect_eq(zx_port_wait(p, zx_deadline_after(ZX_USEC(50)), &out), ZX_ERR_TIMED_OUT);
    cr_expect_geq(zx_clock_get_monotonic() - before, ZX_USEC(50));
}

Test(port, queue_and_wait_fifo)
{
    run_one("queue_wait", queue_wait_cases);
}

static void queue_error_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, ev, ro;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_port_packet_t pk = user_packet(1, 1);
    cr_expect_eq(zx_port_queue(ZX_HANDLE_INVALID, &pk), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_port_queue(ev, &pk), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_port_queue(p, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_duplicate(p, ZX_RIGHT_READ, &ro), ZX_OK);
    cr_expect_eq(zx_port_queue(ro, &pk), ZX_ERR_ACCESS_DENIED);
    zx_port_packet_t out;
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT); /* nothing got in */
}

Test(port, queue_errors)
{
    run_one("queue_errors", queue_error_cases);
}

static void queue_limit_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    zx_port_packet_t pk = user_packet(1, 1);
    int ok = 0;
    for (uint32_t i = 0; i < PORT_MAX_USER_PACKETS; i++)
        ok += zx_port_queue(p, &pk) == ZX_OK;
    cr_expect_eq(ok, PORT_MAX_USER_PACKETS);
    cr_expect_eq(zx_port_queue(p, &pk), ZX_ERR_SHOULD_WAIT);
    zx_port_packet_t out;
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK);
    cr_expect_eq(zx_port_queue(p, &pk), ZX_OK);
}

void exception_raise_policy_code(void *c, uint32_t code) __attribute__((weak));

Test(port, user_packet_limit)
{
    if (exception_raise_policy_code)
        cr_skip_test("exception machinery present: PORT_TOO_MANY_PACKETS is raised");
    run_one("limit", queue_limit_cases);
}

static void wait_error_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, ev, wo;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_port_packet_t out;
    cr_expect_eq(zx_port_wait(ZX_HANDLE_INVALID, 0, &out), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_port_wait(ev, 0, &out), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_handle_duplicate(p, ZX_RIGHT_WRITE, &wo), ZX_OK);
    cr_expect_eq(zx_port_wait(wo, 0, &out), ZX_ERR_ACCESS_DENIED);
    /* a bad packet pointer: INVALID_ARGS, and the packet is lost */
    zx_port_packet_t pk = user_packet(1, 1);
    cr_expect_eq(zx_port_queue(p, &pk), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
}

Test(port, wait_errors)
{
    run_one("wait_errors", wait_error_cases);
}

/* Blocked waiters are woken one per packet, oldest first. */
static int woken[2];

static void waiter(uintptr_t port, uintptr_t idx)
{
    zx_port_packet_t out;
    cr_expect_eq(zx_port_wait((zx_handle_t)port, ZX_TIME_INFINITE, &out), ZX_OK);
    woken[idx] = (int)out.user.u64[0];
}

static void blocking_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    start_thread(waiter, p); /* idx 0 */
    cr_expect_eq(zx_nanosleep(zx_deadline_after(ZX_USEC(10))), ZX_OK);
    zx_handle_t th;
    cr_expect_eq(zx_thread_create(zx_process_self(), "w1", 2, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)waiter, 0, p, 1), ZX_OK);
    cr_expect_eq(zx_nanosleep(zx_deadline_after(ZX_USEC(10))), ZX_OK);
    zx_port_packet_t pk = user_packet(0, 100);
    cr_expect_eq(zx_port_queue(p, &pk), ZX_OK);
    cr_expect_eq(zx_nanosleep(zx_deadline_after(ZX_USEC(10))), ZX_OK);
    cr_expect_eq(woken[0], 100); /* the first waiter got it */
    cr_expect_eq(woken[1], 0);   /* one packet, one waiter */
    pk = user_packet(0, 200);
    cr_expect_eq(zx_port_queue(p, &pk), ZX_OK);
    cr_expect_eq(zx_nanosleep(zx_deadline_after(ZX_USEC(10))), ZX_OK);
    cr_expect_eq(woken[1], 200);
    zx_port_packet_t out;
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT); /* handed over, not queued */
}

Test(port, blocking_wait_one_packet_per_waiter)
{
    run_one("blocking", blocking_cases);
    cr_expect_eq(woken[0], 100);
    cr_expect_eq(woken[1], 200);
}

/* ---- object_wait_async ---------------------------------------------------------- */

static void async_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, ev;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_port_packet_t out;
    /* not yet active: nothing queued until the signal */
    cr_expect_eq(zx_object_wait_async(ev, p, 42, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK);
    cr_expect_eq(out.key, 42);
    cr_expect_eq(out.type, ZX_PKT_TYPE_SIGNAL_ONE);
    cr_expect_eq(out.status, ZX_OK);
    cr_expect_eq(out.signal.trigger, ZX_EVENT_SIGNALED);
    cr_expect_eq(out.signal.observed, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0);
    cr_expect_eq(out.signal.count, 1);
    cr_expect_eq(out.signal.timestamp, 0);
    /* one-shot: toggling again queues nothing */
    cr_expect_eq(zx_object_signal(ev, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    /* already active counts at once (level) */
    cr_expect_eq(zx_object_wait_async(ev, p, 43, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_TIMESTAMP), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK);
    cr_expect_eq(out.key, 43);
    cr_expect_gt(out.signal.timestamp, 0);
    /* EDGE ignores the current state: fires on the next inactive->active */
    cr_expect_eq(zx_object_wait_async(ev, p, 44, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_EDGE), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_USER_SIGNAL_1), ZX_OK); /* unrelated change */
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_object_signal(ev, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK);
    cr_expect_eq(out.key, 44);
}

Test(port, wait_async_signal_packets)
{
    run_one("async", async_cases);
}

/* A blocked port_wait woken by an async wait on a channel. */
static zx_port_packet_t seen_packet;

static void packet_waiter(uintptr_t port, uintptr_t b)
{
    cr_expect_eq(zx_port_wait((zx_handle_t)port, ZX_TIME_INFINITE, &seen_packet), ZX_OK);
}

static void async_wakes_cases2(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, c0, c1;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_object_wait_async(c1, p, 7, ZX_CHANNEL_READABLE, 0), ZX_OK);
    start_thread(packet_waiter, p);
    cr_expect_eq(zx_nanosleep(zx_deadline_after(ZX_USEC(10))), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "x", 1, NULL, 0), ZX_OK);
    cr_expect_eq(zx_nanosleep(zx_deadline_after(ZX_USEC(10))), ZX_OK);
    cr_expect_eq(seen_packet.key, 7);
    cr_expect_eq(seen_packet.type, ZX_PKT_TYPE_SIGNAL_ONE);
    cr_expect_eq(seen_packet.signal.observed, ZX_CHANNEL_READABLE | ZX_CHANNEL_WRITABLE);
}

Test(port, wait_async_wakes_blocked_port_wait)
{
    run_one("async_wakes", async_wakes_cases2);
    cr_expect_eq(seen_packet.key, 7);
}

static void async_error_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, ev, ev_nowait, p_ro, c0, c1;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_object_wait_async(ev, p, 1, ZX_EVENT_SIGNALED, 8), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_object_wait_async(ev, p, 1, ZX_EVENT_SIGNALED,
                                      ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP),
                 ZX_ERR_INVALID_ARGS);
    /* options are checked before any handle */
    cr_expect_eq(zx_object_wait_async(ZX_HANDLE_INVALID, ZX_HANDLE_INVALID, 1, 0, 8),
                 ZX_ERR_INVALID_ARGS);
    /* port before handle */
    cr_expect_eq(zx_object_wait_async(ZX_HANDLE_INVALID, ZX_HANDLE_INVALID, 1, 0, 0),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_object_wait_async(ZX_HANDLE_INVALID, ev, 1, 0, 0), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_handle_duplicate(p, ZX_RIGHT_READ, &p_ro), ZX_OK);
    cr_expect_eq(zx_object_wait_async(ev, p_ro, 1, ZX_EVENT_SIGNALED, 0), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_object_wait_async(ZX_HANDLE_INVALID, p, 1, ZX_EVENT_SIGNALED, 0),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SIGNAL, &ev_nowait), ZX_OK);
    cr_expect_eq(zx_object_wait_async(ev_nowait, p, 1, ZX_EVENT_SIGNALED, 0), ZX_ERR_ACCESS_DENIED);
    /* BOOT_TIMESTAMP alone is accepted */
    cr_expect_eq(zx_object_wait_async(c0, p, 9, ZX_CHANNEL_WRITABLE, ZX_WAIT_ASYNC_BOOT_TIMESTAMP),
                 ZX_OK);
    zx_port_packet_t out;
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK);
    cr_expect_eq(out.key, 9);
    cr_expect_gt(out.signal.timestamp, 0);
}

Test(port, wait_async_errors)
{
    run_one("async_errors", async_error_cases);
}

/* A port handle that (by fault injection) carries WAIT: the port is still
 * not waitable, so the check after the rights check answers. */
static void not_waitable_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, pw;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(p, ZX_DEFAULT_PORT_RIGHTS | ZX_RIGHT_WAIT, &pw), ZX_OK);
    cr_expect_eq(zx_object_wait_async(pw, p, 1, 1, 0), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_port_cancel(p, pw, 1), ZX_ERR_NOT_SUPPORTED);
}

Test(port, wait_async_not_waitable)
{
    KTest *t = ktest_new(1, 1);
    t->kernel->faults.skip_rights_subset = true;
    ktest_spawn(t, "not_waitable", not_waitable_cases, 0);
    ktest_run(t);
    ktest_free(t);
}

/* Closing the waited handle ends the registration; queued packets stay. */
static void handle_close_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, ev, ev2, e0, e1;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &ev2), ZX_OK);
    cr_expect_eq(zx_object_wait_async(ev2, p, 1, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_handle_close(ev2), ZX_OK);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    zx_port_packet_t out;
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    /* a packet queued before the close survives it */
    cr_expect_eq(zx_eventpair_create(0, &e0, &e1), ZX_OK);
    cr_expect_eq(zx_object_wait_async(e0, p, 2, ZX_EVENTPAIR_PEER_CLOSED, 0), ZX_OK);
    cr_expect_eq(zx_handle_close(e1), ZX_OK);
    cr_expect_eq(zx_handle_close(e0), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK);
    cr_expect_eq(out.key, 2);
    cr_expect_eq(out.signal.observed, ZX_EVENTPAIR_PEER_CLOSED);
}

Test(port, waited_handle_close_cancels_registration)
{
    run_one("handle_close", handle_close_cases);
}

/* ---- port_cancel -------------------------------------------------------------- */

static void cancel_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, ev, ev2;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &ev2), ZX_OK);
    zx_port_packet_t out;
    /* armed registration removed */
    cr_expect_eq(zx_object_wait_async(ev, p, 5, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_async(ev, p, 6, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_port_cancel(p, ev, 5), ZX_OK);
    cr_expect_eq(zx_port_cancel(p, ev, 5), ZX_ERR_NOT_FOUND);
    /* another handle to the same object does not match */
    cr_expect_eq(zx_port_cancel(p, ev2, 6), ZX_ERR_NOT_FOUND);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK);
    cr_expect_eq(out.key, 6); /* key 5 never fired */
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    /* queued packet removed */
    cr_expect_eq(zx_object_wait_async(ev, p, 7, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_port_cancel(p, ev, 7), ZX_OK);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_ERR_TIMED_OUT);
    /* user packets are not touched */
    zx_port_packet_t pk = user_packet(8, 1);
    cr_expect_eq(zx_port_queue(p, &pk), ZX_OK);
    cr_expect_eq(zx_port_cancel(p, ev, 8), ZX_ERR_NOT_FOUND);
    cr_expect_eq(zx_port_wait(p, 0, &out), ZX_OK);
}

Test(port, cancel_registrations_and_packets)
{
    run_one("cancel", cancel_cases);
}

static void cancel_error_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t p, ev, ro, nowait;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_port_cancel(ZX_HANDLE_INVALID, ev, 1), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_port_cancel(ev, ev, 1), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_handle_duplicate(p, ZX_RIGHT_READ, &ro), ZX_OK);
    cr_expect_eq(zx_port_cancel(ro, ev, 1), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_port_cancel(p, ZX_HANDLE_INVALID, 1), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SIGNAL, &nowait), ZX_OK);
    cr_expect_eq(zx_port_cancel(p, nowait, 1), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_port_cancel(p, ev, 1), ZX_ERR_NOT_FOUND);
}

Test(port, cancel_errors)
{
    run_one("cancel_errors", cancel_error_cases);
}

/* ---- white box: closing the last port handle ---------------------------------- */

Test(port, last_handle_close_drops_registrations)
{
    KTest *t = ktest_new(1, 1);
    Kernel *k = t->kernel;
    KObject *port, *ev;
    cr_assert_eq(port_create(k, 0, &port), ZX_OK);
    cr_assert_eq(event_create(k, &ev), ZX_OK);
    Handle *hp = handle_new(k, port, ZX_DEFAULT_PORT_RIGHTS);
    Handle *he = handle_new(k, ev, ZX_DEFAULT_EVENT_RIGHTS);
    cr_assert_eq(port_wait_async(port, ev, he, 1, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_assert_eq(port_wait_async(port, ev, he, 2, ZX_USER_SIGNAL_0, 0), ZX_OK);
    zx_port_packet_t pk;
    memset(&pk, 0, sizeof pk);
    cr_assert_eq(port_queue_user(port, &pk), ZX_OK);
    kobject_signal(ev, 0, ZX_USER_SIGNAL_0); /* key 2 fires: queued */
    cr_expect_eq(port_queued(port), 2);
    cr_expect_eq(port_observers(port), 2);
    cr_expect_eq(kobject_observer_count(ev), 1);
    port_ops.check(port);
    handle_destroy(k, hp); /* last port handle */
    cr_expect_eq(port_queued(port), 0);
    cr_expect_eq(port_observers(port), 0);
    cr_expect_eq(kobject_observer_count(ev), 0);
    kobject_signal(ev, 0, ZX_EVENT_SIGNALED); /* nobody left to notify */
    port_ops.check(port);
    handle_destroy(k, he);
    kobject_unref(ev);
    kobject_unref(port);
    ktest_free(t);
}
