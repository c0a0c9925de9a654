/* handle_info.c — port of Zircon's core test handle-info
 * (zircon/system/utest/core/handle-info/): ZX_INFO_HANDLE_VALID and
 * ZX_INFO_HANDLE_BASIC after duplicate and replace, related koids.
 * Every upstream case applies.
 */
#include "core_harness.h"

CORE_TEST(handle_info, DupAndInfoRights)
{
    zx_handle_t orig, dup;
    cr_expect_eq(zx_event_create(0, &orig), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(orig, ZX_RIGHT_SAME_RIGHTS, &dup), ZX_OK);
    cr_expect_eq(zx_object_get_info(orig, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL), ZX_OK);
    cr_expect_eq(zx_handle_close(orig), ZX_OK);
    cr_expect_eq(zx_object_get_info(orig, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                 ZX_ERR_BAD_HANDLE);

    zx_info_handle_basic_t info = {0};
    cr_expect_eq(zx_object_get_info(dup, ZX_INFO_HANDLE_BASIC, &info, 4, NULL, NULL),
                 ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(zx_object_get_info(dup, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL),
                 ZX_OK);
    cr_expect_gt(info.koid, 0);
    cr_expect_eq(info.type, ZX_OBJ_TYPE_EVENT);
    cr_expect_eq(info.rights, ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL);
    /* upstream checked props == ZX_OBJ_PROP_WAITABLE; the newest ABI
     * turned that field into a reserved zero */
    cr_expect_eq(info.reserved, 0);
    cr_expect_eq(info.related_koid, 0);
}


CORE_TEST(handle_info, RelatedKoid)
{
    zx_info_handle_basic_t job = core_basic_info(zx_job_default());
    zx_info_handle_basic_t proc = core_basic_info(zx_process_self());
    cr_expect_eq(job.type, ZX_OBJ_TYPE_JOB);
    cr_expect_eq(proc.type, ZX_OBJ_TYPE_PROCESS);

    zx_handle_t th;
    cr_expect_eq(zx_thread_create(zx_process_self(), "hitr", 4, 0, &th), ZX_OK);
    zx_info_handle_basic_t thread = core_basic_info(th);
    cr_expect_eq(thread.type, ZX_OBJ_TYPE_THREAD);
    /* a process relates to its job, a thread to its process */
    cr_expect_eq(proc.related_koid, job.koid);
    cr_expect_eq(thread.related_koid, proc.koid);
    cr_expect_eq(zx_handle_close(th), ZX_OK);

    zx_handle_t s0, s1;
    cr_expect_eq(zx_socket_create(0, &s0, &s1), ZX_OK);
    zx_info_handle_basic_t i0 = core_basic_info(s0), i1 = core_basic_info(s1);
    cr_expect_eq(i0.type, ZX_OBJ_TYPE_SOCKET);
    cr_expect_eq(i1.type, ZX_OBJ_TYPE_SOCKET);
    cr_expect_eq(i0.related_koid, i1.koid);
    cr_expect_eq(i1.related_koid, i0.koid);
}

CORE_TEST(handle_info, DuplicateRights)
{
    zx_handle_t orig, ro1, ro2, ro3 = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_event_create(0, &orig), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(orig, ZX_RIGHT_WAIT, &ro1), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(orig, ZX_RIGHT_WAIT, &ro2), ZX_OK);
    cr_expect_eq(core_basic_info(ro1).rights, ZX_RIGHT_WAIT);
    /* without DUPLICATE no copy can be made */
    cr_expect_eq(zx_handle_duplicate(ro1, ZX_RIGHT_SAME_RIGHTS, &ro3), ZX_ERR_ACCESS_DENIED);
    /* nor can a copy gain a right the original lacks */
    cr_expect_eq(zx_handle_duplicate(orig, ZX_RIGHT_EXECUTE | ZX_RIGHT_WAIT, &ro3),
                 ZX_ERR_INVALID_ARGS);
    cr_expect(core_handle_valid(orig));
    cr_expect(core_handle_valid(ro1));
    cr_expect(core_handle_valid(ro2));
    cr_expect_eq(ro3, ZX_HANDLE_INVALID);
}

CORE_TEST(handle_info, ReplaceRights)
{
    zx_handle_t ev1, ev2, ev3 = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_event_create(0, &ev1), ZX_OK);
    cr_expect_eq(zx_handle_replace(ev1, ZX_RIGHT_WAIT, &ev2), ZX_OK);
    cr_expect_eq(core_basic_info(ev2).rights, ZX_RIGHT_WAIT);
    cr_expect_not(core_handle_valid(ev1));
    cr_expect_eq(zx_handle_replace(ev2, ZX_RIGHT_SIGNAL | ZX_RIGHT_WAIT, &ev3),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_not(core_handle_valid(ev2), "a failed replace still consumes the handle");
    cr_expect_eq(ev3, ZX_HANDLE_INVALID);
}
