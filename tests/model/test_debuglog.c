/* test_debuglog.c — covers: debuglog_create, debuglog_write, debuglog_read.
 * One test per documented error, plus the record format (sequence,
 * virtual-time timestamps, pid/tid koids, truncation), READABLE, several
 * independent readers, dropping the oldest records, and a blocked reader.
 *
 * Until model/resource.c models resources, tests that need a resource
 * handle hand the process a stand-in object of type ZX_OBJ_TYPE_RESOURCE. */
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/log.h>

#include "debuglog.h"
#include "ktest.h"

#define BAD_PTR ((void *)(uintptr_t)8)
#define RSRC_INFO PA_HND(PA_USER0, 0)

static bool reached;

static void fake_resource_destroy(KObject *o)
{
    free(o);
}

static const KObjectOps fake_resource_ops = {
    .type = ZX_OBJ_TYPE_RESOURCE,
    .name = "resource",
    .default_rights = ZX_DEFAULT_RESOURCE_RIGHTS,
    .possible_rights = ZX_DEFAULT_RESOURCE_RIGHTS,
    .destroy = fake_resource_destroy,
};

/* Run fn in one process; with_resource gives it a resource handle. */
static KTest *run_keep(ThreadEntryFn fn, bool with_resource, KProcess **pp)
{
    KTest *t = ktest_new(1, 1);
    reached = false;
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = "body";
    spec.entry = fn;
    spec.give = LAUNCH_GIVE_STANDARD;
    KObject *r = NULL;
    if (with_resource) {
        r = calloc(1, 4096); /* roomy: a later resource.c may look inside */
        kobject_init(t->kernel, r, &fake_resource_ops, 0);
        spec.extra[0] = (LaunchHandle){RSRC_INFO, r, ZX_DEFAULT_RESOURCE_RIGHTS};
        spec.nextra = 1;
    }
    KProcess *p = ktest_spawn_spec(t, &spec);
    if (r)
        kobject_unref(r);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    cr_assert(reached, "the simulated body did not run to its end");
    if (pp)
        *pp = p;
    return t;
}

static void run_body(ThreadEntryFn fn, bool with_resource)
{
    ktest_free(run_keep(fn, with_resource, NULL));
}

static zx_handle_t readable_log(void)
{
    zx_handle_t r = zx_take_startup_handle(RSRC_INFO), log = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_debuglog_create(r, ZX_LOG_FLAG_READABLE, &log), ZX_OK);
    return log;
}

static zx_signals_t sig(zx_handle_t h)
{
    zx_signals_t s = 0;
    zx_object_wait_one(h, 0, 0, &s);
    return s;
}

/* ---- debuglog_create ------------------------------------------------------ */

static void create_write_only(uintptr_t x, uintptr_t y)
{
    zx_handle_t log = 0;
    char buf[ZX_LOG_RECORD_MAX];
    cr_expect_eq(zx_debuglog_create(ZX_HANDLE_INVALID, 0, &log), ZX_OK,
                 "write-only logs need no resource");
    cr_expect_neq(log, ZX_HANDLE_INVALID);
    cr_expect_eq(zx_debuglog_write(log, 0, "hi", 2), ZX_OK);
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), ZX_ERR_ACCESS_DENIED,
                 "no READ right");
    reached = true;
}
Test(debuglog_create, write_only_without_resource) { run_body(create_write_only, false); }

static void create_readable_no_resource(uintptr_t x, uintptr_t y)
{
    zx_handle_t log;
    cr_expect_eq(zx_debuglog_create(ZX_HANDLE_INVALID, ZX_LOG_FLAG_READABLE, &log),
                 ZX_ERR_BAD_HANDLE, "reading the kernel log needs a resource");
    reached = true;
}
Test(debuglog_create, readable_needs_resource) { run_body(create_readable_no_resource, false); }

static void create_bad_resource(uintptr_t x, uintptr_t y)
{
    zx_handle_t ev, log;
    cr_expect_eq(zx_debuglog_create((zx_handle_t)0x12345, 0, &log), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_debuglog_create(ev, ZX_LOG_FLAG_READABLE, &log), ZX_ERR_WRONG_TYPE);
    reached = true;
}
Test(debuglog_create, bad_handle_and_wrong_type) { run_body(create_bad_resource, false); }

static void create_with_resource(uintptr_t x, uintptr_t y)
{
    zx_handle_t r = zx_take_startup_handle(RSRC_INFO), log;
    cr_expect_neq(r, ZX_HANDLE_INVALID);
    cr_expect_eq(zx_debuglog_create(r, 1u, &log), ZX_ERR_INVALID_ARGS, "unknown option");
    cr_expect_eq(zx_debuglog_create(r, ZX_LOG_FLAG_READABLE | 2u, &log), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_debuglog_create(r, ZX_LOG_FLAG_READABLE, NULL), ZX_ERR_INVALID_ARGS,
                 "bad out pointer");
    cr_expect_eq(zx_debuglog_create(r, ZX_LOG_FLAG_READABLE, &log), ZX_OK);
    cr_expect_eq(zx_debuglog_create(r, 0, &log), ZX_OK);
    reached = true;
}
Test(debuglog_create, with_resource_and_invalid_args) { run_body(create_with_resource, true); }

/* ---- debuglog_write ------------------------------------------------------- */

static void write_errors(uintptr_t x, uintptr_t y)
{
    zx_handle_t log, ev, ro;
    zx_debuglog_create(ZX_HANDLE_INVALID, 0, &log);
    cr_expect_eq(zx_debuglog_write(ZX_HANDLE_INVALID, 0, "x", 1), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_debuglog_write(ev, 0, "x", 1), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_handle_duplicate(log, ZX_RIGHT_WAIT, &ro), ZX_OK);
    cr_expect_eq(zx_debuglog_write(ro, 0, "x", 1), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_debuglog_write(log, 1u, "x", 1), ZX_ERR_INVALID_ARGS, "options");
    cr_expect_eq(zx_debuglog_write(ZX_HANDLE_INVALID, 1u, "x", 1), ZX_ERR_INVALID_ARGS,
                 "options are checked before the handle");
    cr_expect_eq(zx_debuglog_write(log, 0, BAD_PTR, 4), ZX_ERR_INVALID_ARGS, "bad buffer");
    cr_expect_eq(zx_debuglog_write(log, 0, NULL, 4), ZX_ERR_INVALID_ARGS, "NULL buffer");
    cr_expect_eq(zx_debuglog_write(log, ZX_LOG_LOCAL, NULL, 0), ZX_OK, "empty record");
    reached = true;
}
Test(debuglog_write, errors) { run_body(write_errors, false); }

static zx_instant_mono_t write_time;

static void write_and_read_records(uintptr_t x, uintptr_t y)
{
    zx_handle_t log = readable_log();
    _Alignas(zx_log_record_t) char buf[ZX_LOG_RECORD_MAX];
    zx_log_record_t *rec = (zx_log_record_t *)buf;
    /* A fresh reader sees everything still retained: nothing yet. */
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(sig(log) & ZX_LOG_READABLE, 0);
    zx_nanosleep(zx_deadline_after(ZX_USEC(700)));
    write_time = zx_clock_get_monotonic();
    cr_expect_eq(zx_debuglog_write(log, 0, "hello", 5), ZX_OK);
    cr_expect_eq(zx_debuglog_write(log, ZX_LOG_LOCAL, "again", 5), ZX_OK);
    cr_expect(sig(log) & ZX_LOG_READABLE);
    zx_status_t n = zx_debuglog_read(log, 0, buf, sizeof buf);
    cr_expect_eq(n, (zx_status_t)(sizeof(zx_log_record_t) + 5), "returns the byte count");
    cr_expect_eq(rec->sequence, 0);
    cr_expect_eq(rec->datalen, 5);
    cr_expect_eq(rec->severity, ZX_LOG_INFO);
    cr_expect_eq(rec->flags, 0);
    cr_expect_geq(rec->timestamp, write_time, "virtual time of the write");
    cr_expect_lt(rec->timestamp, write_time + ZX_USEC(50));
    cr_expect_eq(memcmp(rec->data, "hello", 5), 0);
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), (zx_status_t)(32 + 5));
    cr_expect_eq(rec->sequence, 1);
    cr_expect_eq(rec->flags, ZX_LOG_LOCAL);
    cr_expect_eq(sig(log) & ZX_LOG_READABLE, 0, "caught up");
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), ZX_ERR_SHOULD_WAIT);
    reached = true;
}
Test(debuglog_write, records_sequence_time_and_flags) { run_body(write_and_read_records, true); }

static uint64_t seen_pid, seen_tid;

static void write_ids(uintptr_t x, uintptr_t y)
{
    zx_handle_t log = readable_log();
    _Alignas(zx_log_record_t) char buf[ZX_LOG_RECORD_MAX];
    zx_debuglog_write(log, 0, "id", 2);
    cr_expect_gt(zx_debuglog_read(log, 0, buf, sizeof buf), 0);
    seen_pid = ((zx_log_record_t *)buf)->pid;
    seen_tid = ((zx_log_record_t *)buf)->tid;
    reached = true;
}
Test(debuglog_write, pid_and_tid_are_koids)
{
    KProcess *p;
    KTest *t = run_keep(write_ids, true, &p);
    cr_expect_eq(seen_pid, p->base.koid);
    cr_expect_neq(seen_tid, 0);
    cr_expect_neq(seen_tid, seen_pid);
    ktest_free(t);
}

static void write_truncates(uintptr_t x, uintptr_t y)
{
    zx_handle_t log = readable_log();
    char text[400];
    memset(text, 'z', sizeof text);
    _Alignas(zx_log_record_t) char buf[ZX_LOG_RECORD_MAX + 64];
    cr_expect_eq(zx_debuglog_write(log, 0, text, sizeof text), ZX_OK);
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), (zx_status_t)ZX_LOG_RECORD_MAX);
    cr_expect_eq(((zx_log_record_t *)buf)->datalen, ZX_LOG_RECORD_DATA_MAX);
    reached = true;
}
Test(debuglog_write, long_text_truncated) { run_body(write_truncates, true); }

/* ---- debuglog_read ---------------------------------------------------------- */

static void read_errors(uintptr_t x, uintptr_t y)
{
    zx_handle_t log = readable_log(), ev, wo;
    char buf[ZX_LOG_RECORD_MAX];
    zx_debuglog_write(log, 0, "data", 4);
    cr_expect_eq(zx_debuglog_read(log, 1u, buf, sizeof buf), ZX_ERR_INVALID_ARGS, "options");
    cr_expect_eq(zx_debuglog_read(ZX_HANDLE_INVALID, 0, buf, sizeof buf), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_debuglog_read(ev, 0, buf, sizeof buf), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_handle_duplicate(log, ZX_RIGHT_WRITE | ZX_RIGHT_WAIT, &wo), ZX_OK);
    cr_expect_eq(zx_debuglog_read(wo, 0, buf, sizeof buf), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_debuglog_read(log, 0, BAD_PTR, sizeof buf), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), (zx_status_t)(32 + 4),
                 "the failed read left the record unread");
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), ZX_ERR_SHOULD_WAIT);
    reached = true;
}
Test(debuglog_read, errors_and_should_wait) { run_body(read_errors, true); }

static void read_small_buffer(uintptr_t x, uintptr_t y)
{
    zx_handle_t log = readable_log();
    char buf[ZX_LOG_RECORD_MAX];
    zx_debuglog_write(log, 0, "0123456789abcdef", 16);
    zx_debuglog_write(log, 0, "next", 4);
    cr_expect_eq(zx_debuglog_read(log, 0, buf, 40), 40, "truncated to the buffer");
    cr_expect_eq(memcmp(buf + 32, "01234567", 8), 0);
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), 36, "the rest was dropped");
    reached = true;
}
Test(debuglog_read, small_buffer_truncates) { run_body(read_small_buffer, true); }

static void read_independent_readers(uintptr_t x, uintptr_t y)
{
    zx_handle_t r1 = readable_log(), w;
    char buf[ZX_LOG_RECORD_MAX];
    zx_debuglog_create(ZX_HANDLE_INVALID, 0, &w);
    zx_debuglog_write(w, 0, "one", 3);
    cr_expect_eq(zx_debuglog_read(r1, 0, buf, sizeof buf), 35);
    cr_expect_eq(zx_debuglog_read(r1, 0, buf, sizeof buf), ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(sig(w) & ZX_LOG_READABLE, 0, "write-only logs are never READABLE");
    reached = true;
}
Test(debuglog_read, readers_and_writers) { run_body(read_independent_readers, true); }

static void two_readers(uintptr_t x, uintptr_t y)
{
    zx_handle_t r = zx_take_startup_handle(RSRC_INFO), a, b, d;
    char buf[ZX_LOG_RECORD_MAX];
    zx_debuglog_create(r, ZX_LOG_FLAG_READABLE, &a);
    zx_debuglog_write(a, 0, "first", 5);
    zx_debuglog_create(r, ZX_LOG_FLAG_READABLE, &b);
    cr_expect(sig(b) & ZX_LOG_READABLE, "a new reader starts at the oldest record");
    cr_expect_eq(zx_debuglog_read(a, 0, buf, sizeof buf), 37);
    cr_expect_eq(zx_debuglog_read(b, 0, buf, sizeof buf), 37, "cursors are per object");
    cr_expect_eq(zx_handle_duplicate(a, ZX_RIGHT_SAME_RIGHTS, &d), ZX_OK);
    zx_debuglog_write(a, 0, "second", 6);
    cr_expect_eq(zx_debuglog_read(d, 0, buf, sizeof buf), 38);
    cr_expect_eq(zx_debuglog_read(a, 0, buf, sizeof buf), ZX_ERR_SHOULD_WAIT,
                 "handles to one object share its cursor");
    reached = true;
}
Test(debuglog_read, per_object_cursors) { run_body(two_readers, true); }

static void overflow(uintptr_t x, uintptr_t y)
{
    zx_handle_t log = readable_log();
    _Alignas(zx_log_record_t) char buf[ZX_LOG_RECORD_MAX];
    char text[ZX_LOG_RECORD_DATA_MAX];
    memset(text, 'o', sizeof text);
    /* Each full record costs 256 bytes: the log keeps 512 of them. */
    for (int i = 0; i < 600; i++)
        zx_debuglog_write(log, 0, text, sizeof text);
    cr_expect_gt(zx_debuglog_read(log, 0, buf, sizeof buf), 0);
    uint32_t first = ((zx_log_record_t *)buf)->sequence;
    cr_expect_eq(first, 600 - DLOG_BUFFER_BYTES / ZX_LOG_RECORD_MAX,
                 "the oldest records were dropped");
    int more = 0;
    while (zx_debuglog_read(log, 0, buf, sizeof buf) > 0)
        more++;
    cr_expect_eq(more + 1, DLOG_BUFFER_BYTES / ZX_LOG_RECORD_MAX);
    reached = true;
}
Test(debuglog_read, oldest_records_dropped) { run_body(overflow, true); }

static void late_writer(uintptr_t h, uintptr_t y)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    cr_expect_eq(zx_debuglog_write((zx_handle_t)h, 0, "wake", 4), ZX_OK);
}

static void blocked_reader(uintptr_t x, uintptr_t y)
{
    zx_handle_t log = readable_log(), w, th;
    char buf[ZX_LOG_RECORD_MAX];
    zx_debuglog_create(ZX_HANDLE_INVALID, 0, &w);
    cr_expect_eq(zx_thread_create(zx_process_self(), "w", 1, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (zx_vaddr_t)late_writer, 0, w, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(log, ZX_LOG_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_geq(zx_clock_get_monotonic(), ZX_MSEC(1));
    cr_expect_eq(zx_debuglog_read(log, 0, buf, sizeof buf), 36);
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    reached = true;
}
Test(debuglog_read, wait_readable_across_threads) { run_body(blocked_reader, true); }
