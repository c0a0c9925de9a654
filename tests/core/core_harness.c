/* core_harness.c — see core_harness.h. */
#include "core_harness.h"

void core_run(const char *name, ThreadEntryFn body, bool walk_each_call)
{
    KTest *t = ktest_new(1, 1);
    bool walk = t->kernel->check_invariants;
    t->kernel->check_invariants = walk && walk_each_call;
    ktest_spawn(t, name, body, 0);
    ktest_run(t);
    cr_expect_eq(t->result, SIM_RUN_QUIESCENT, "%s: run ended with threads blocked", name);
    if (walk)
        kernel_check_invariants(t->kernel);
    ktest_free(t);
}

zx_handle_t core_thread_start(ThreadEntryFn fn, uintptr_t arg)
{
    zx_handle_t th = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_thread_create(zx_process_self(), "helper", 6, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)fn, 0, arg, 0), ZX_OK);
    return th;
}

void core_thread_join(zx_handle_t thread)
{
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL),
                 ZX_OK);
    cr_expect_eq(zx_handle_close(thread), ZX_OK);
}

zx_status_t core_wait_thread_state(zx_handle_t thread, zx_thread_state_t state)
{
    for (;;) {
        zx_info_thread_t info;
        zx_status_t st = zx_object_get_info(thread, ZX_INFO_THREAD, &info, sizeof info,
                                            NULL, NULL);
        if (st != ZX_OK || info.state == state)
            return st;
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    }
}

zx_signals_t core_signals(zx_handle_t h)
{
    zx_signals_t pending = 0;
    zx_status_t st = zx_object_wait_one(h, 0xffffffffu, 0, &pending);
    return st == ZX_OK || st == ZX_ERR_TIMED_OUT ? pending : 0xffffffffu;
}

bool core_handle_valid(zx_handle_t h)
{
    return zx_object_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL) == ZX_OK;
}

zx_info_handle_basic_t core_basic_info(zx_handle_t h)
{
    zx_info_handle_basic_t info = {0};
    cr_expect_eq(zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL),
                 ZX_OK);
    return info;
}

void core_expect_peers(zx_handle_t a, zx_handle_t b)
{
    zx_info_handle_basic_t ia = core_basic_info(a), ib = core_basic_info(b);
    cr_expect_neq(ia.koid, 0);
    cr_expect_neq(ib.koid, 0);
    cr_expect_eq(ia.related_koid, ib.koid);
    cr_expect_eq(ib.related_koid, ia.koid);
}

zx_handle_t core_event(void)
{
    zx_handle_t ev = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    return ev;
}

static void echo_server(uintptr_t svc, uintptr_t unused)
{
    static uint8_t bytes[ZX_CHANNEL_MAX_MSG_BYTES];
    zx_handle_t hs[ZX_CHANNEL_MAX_MSG_HANDLES];
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_object_wait_one(svc, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_channel_read(svc, 0, bytes, hs, sizeof bytes, ZX_CHANNEL_MAX_MSG_HANDLES,
                                 &nb, &nh), ZX_OK);
    cr_expect_eq(zx_channel_write(svc, 0, bytes, nb, hs, nh), ZX_OK);
    zx_handle_close(svc);
}

zx_handle_t core_echo_start(zx_handle_t *client)
{
    zx_handle_t svc;
    cr_expect_eq(zx_channel_create(0, client, &svc), ZX_OK);
    return core_thread_start(echo_server, svc);
}
