/* property.c — port of Zircon's core test property
 * (zircon/system/utest/core/property/property.cc): ZX_PROP_NAME on jobs,
 * processes, threads and VMOs, ZX_INFO_SOCKET buffer accounting, and the
 * failures of ZX_PROP_REGISTER_FS / ZX_PROP_REGISTER_GS (x86-64 only).
 *
 * Not ported: fsgsbase.cc (the same directory) — reads and writes the
 * real FS/GS base registers with the FSGSBASE instructions.
 * Gs ports only the failure half: its success half loads GS for the
 * calling thread, and a simulated thread shares the host's registers
 * (we answer ZX_ERR_NOT_SUPPORTED to a valid request).
 */
#include <string.h>

#include "core_harness.h"

static void check_name_property(zx_handle_t object)
{
    char set[ZX_MAX_NAME_LEN], got[ZX_MAX_NAME_LEN];
    /* trailing garbage after the terminator is not kept */
    memset(set, 'A', sizeof set);
    set[1] = '\0';
    cr_expect_eq(zx_object_set_property(object, ZX_PROP_NAME, set, sizeof set), ZX_OK);
    cr_expect_eq(zx_object_get_property(object, ZX_PROP_NAME, got, sizeof got), ZX_OK);
    cr_expect_eq(got[0], 'A');
    for (size_t i = 1; i < sizeof got; i++)
        cr_expect_eq(got[i], 0, "byte %zu after the name", i);
    cr_expect_eq(zx_object_set_property(object, ZX_PROP_NAME, "", 0), ZX_OK);
    cr_expect_eq(zx_object_get_property(object, ZX_PROP_NAME, got, sizeof got), ZX_OK);
    cr_expect_str_eq(got, "");
    memset(set, 'x', sizeof set - 1);
    set[sizeof set - 1] = '\0';
    cr_expect_eq(zx_object_set_property(object, ZX_PROP_NAME, set, strlen(set)), ZX_OK);
    cr_expect_eq(zx_object_get_property(object, ZX_PROP_NAME, got, sizeof got), ZX_OK);
    cr_expect_str_eq(got, set);
    /* one byte too long is truncated, not refused */
    memset(set, 'x', sizeof set);
    cr_expect_eq(zx_object_set_property(object, ZX_PROP_NAME, set, sizeof set), ZX_OK);

    zx_handle_t cant_set;
    cr_expect_eq(zx_handle_duplicate(object, core_basic_info(object).rights &
                                             ~ZX_RIGHT_SET_PROPERTY, &cant_set), ZX_OK);
    cr_expect_eq(zx_object_set_property(cant_set, ZX_PROP_NAME, "", 0), ZX_ERR_ACCESS_DENIED);
    zx_handle_close(cant_set);
}

CORE_TEST(property, JobName)
{
    zx_handle_t job;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    check_name_property(job);
    zx_handle_close(job);
}

CORE_TEST(property, ProcessName) { check_name_property(zx_process_self()); }

CORE_TEST(property, ThreadName) { check_name_property(zx_thread_self()); }

CORE_TEST(property, VmoName)
{
    zx_handle_t vmo;
    char name[ZX_MAX_NAME_LEN];
    cr_expect_eq(zx_vmo_create(16, 0, &vmo), ZX_OK);
    memset(name, 'A', sizeof name);
    cr_expect_eq(zx_object_get_property(vmo, ZX_PROP_NAME, name, sizeof name), ZX_OK);
    for (size_t i = 0; i < sizeof name; i++)
        cr_expect_eq(name[i], '\0', "a new VMO has an empty name");
    check_name_property(vmo);
}

static zx_info_socket_t socket_info(zx_handle_t s)
{
    zx_info_socket_t info;
    memset(&info, 0xa5, sizeof info);
    cr_expect_eq(zx_object_get_info(s, ZX_INFO_SOCKET, &info, sizeof info, NULL, NULL), ZX_OK);
    return info;
}

static void expect_socket(zx_handle_t s, uint32_t options, size_t rx_size, size_t rx_avail,
                          size_t tx_size, bool tx_open)
{
    zx_info_socket_t i = socket_info(s);
    cr_expect_eq(i.options, options);
    cr_expect_gt(i.rx_buf_max, 0);
    cr_expect_eq(i.rx_buf_size, rx_size);
    cr_expect_eq(i.rx_buf_available, rx_avail);
    if (tx_open)
        cr_expect_gt(i.tx_buf_max, 0);
    else
        cr_expect_eq(i.tx_buf_max, 0, "no peer, nothing to send into");
    cr_expect_eq(i.tx_buf_size, tx_size);
}

CORE_TEST(property, SocketBuffer)
{
    zx_handle_t s[2];
    uint8_t buf[8] = {0};
    size_t n = 0;
    cr_expect_eq(zx_socket_create(0, &s[0], &s[1]), ZX_OK);
    cr_expect_eq(zx_socket_write(s[1], 0, buf, sizeof buf, &n), ZX_OK);
    cr_expect_eq(n, sizeof buf);
    expect_socket(s[0], 0, 8, 8, 0, true);
    expect_socket(s[1], 0, 0, 0, 8, true);
    zx_handle_close(s[0]);
    expect_socket(s[1], 0, 0, 0, 0, false);
    zx_handle_close(s[1]);

    cr_expect_eq(zx_socket_create(ZX_SOCKET_DATAGRAM, &s[0], &s[1]), ZX_OK);
    expect_socket(s[0], ZX_SOCKET_DATAGRAM, 0, 0, 0, true);
    cr_expect_eq(zx_socket_write(s[1], 0, buf, sizeof buf, &n), ZX_OK);
    cr_expect_eq(n, sizeof buf);
    expect_socket(s[0], ZX_SOCKET_DATAGRAM, 8, 8, 0, true);
    cr_expect_eq(zx_socket_write(s[1], 0, buf, sizeof buf / 2, &n), ZX_OK);
    cr_expect_eq(n, sizeof buf / 2);
    /* available is the size of the next datagram only */
    expect_socket(s[0], ZX_SOCKET_DATAGRAM, 12, 8, 0, true);
    zx_handle_close_many(s, 2);
}

#if defined(__x86_64__)
static void wait_for_release(uintptr_t ev, uintptr_t unused)
{
    zx_object_wait_one((zx_handle_t)ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, NULL);
}

/* The failures every REGISTER_FS/GS request checks for. */
static void register_failures(uint32_t prop)
{
    uintptr_t storage = 0, where = (uintptr_t)&storage;
    zx_handle_t release, other;
    cr_expect_eq(zx_event_create(0, &release), ZX_OK);
    other = core_thread_start(wait_for_release, release);
    cr_expect_eq(zx_object_set_property(other, prop, &where, sizeof where), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_object_set_property(zx_process_self(), prop, &where, sizeof where),
                 ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_object_set_property(zx_thread_self(), prop, &where, sizeof where - 1),
                 ZX_ERR_BUFFER_TOO_SMALL);
    uintptr_t noncanonical = where | (1ull << 47);
    cr_expect_eq(zx_object_set_property(zx_thread_self(), prop, &noncanonical,
                                        sizeof noncanonical), ZX_ERR_INVALID_ARGS);
    uintptr_t kernel_half = 0xffffffff40000000ull;
    cr_expect_eq(zx_object_set_property(zx_thread_self(), prop, &kernel_half,
                                        sizeof kernel_half), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_object_signal(release, 0, ZX_EVENT_SIGNALED), ZX_OK);
    core_thread_join(other);
}

CORE_TEST(property, FsInvalid) { register_failures(ZX_PROP_REGISTER_FS); }

CORE_TEST(property, Gs) { register_failures(ZX_PROP_REGISTER_GS); }
#endif
