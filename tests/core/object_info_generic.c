/* object_info_generic.c — the generic checks of Zircon's object-info core
 * tests (upstream's helper.h: CheckSelfInfoSuceeds, CheckInvalidHandleFails,
 * CheckNullAvailSuceeds, ..., CheckWrongHandleTypeFails), applied to each
 * topic and handle the upstream cases name. One Criterion test per upstream
 * case, named <Suite>_<Case>; the table below is the whole mapping.
 * Upstream cases that call a different check than their name says (the
 * "InvalidBufferPointerFails", "BadActualgIsInvalidArg" and
 * "BadAvailIsInvalidArg" cases run CheckNullActualSuceeds) are ported as
 * the check they run.
 */
#include <zircon/syscalls/exception.h>

#include "object_info_fixture.h"

enum {
    CHECK_SELF,        /* a call on the caller's own task succeeds */
    CHECK_INVALID,     /* ZX_HANDLE_INVALID: ZX_ERR_BAD_HANDLE */
    CHECK_NULL_AVAIL,  /* avail == NULL is fine */
    CHECK_NULL_ACTUAL, /* actual == NULL is fine */
    CHECK_NULL_BOTH,   /* both NULL is fine */
    CHECK_ZERO_FAILS,  /* single-record topic, 0 bytes: BUFFER_TOO_SMALL, avail > 0 */
    CHECK_ZERO_OK,     /* multi-record topic, 0 bytes: OK, actual 0, avail > 0 */
    CHECK_SMALL,       /* room for one record of several: OK, actual 1, avail > 1 */
    CHECK_PARTIAL,     /* a buffer running into unmapped memory: INVALID_ARGS */
    CHECK_RIGHTS,      /* without the right: ACCESS_DENIED */
    CHECK_WRONG,       /* a handle of another type fails */
};

enum { H_SELF_PROC, H_SELF_THREAD, H_DEFAULT_JOB, H_ROOT_VMAR, H_FIX_PROC, H_FIX_JOB };

typedef struct InfoCase {
    int check;
    uint32_t topic;
    size_t entry;
    uint32_t count;
    int handle;
    zx_rights_t right;
} InfoCase;

/* name, check, topic, record size, records, handle, right */
#define INFO_CASES(X) \
    X(Process_InfoProcessHandleTableInvalidHandleFails, CHECK_INVALID, ZX_INFO_HANDLE_TABLE, sizeof(zx_info_handle_extended_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessHandleTableNullAvailSuceeds, CHECK_NULL_AVAIL, ZX_INFO_HANDLE_TABLE, sizeof(zx_info_handle_extended_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessHandleTableNullActualAvailSuceeds, CHECK_NULL_BOTH, ZX_INFO_HANDLE_TABLE, sizeof(zx_info_handle_extended_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessHandleTableInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_TABLE, sizeof(zx_info_handle_extended_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsOnSelfFails, CHECK_SELF, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_SELF_PROC, 0) \
    X(Process_InfoProcessMapsInvalidHandleFails, CHECK_INVALID, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsZeroSizedBufferIsOk, CHECK_ZERO_OK, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsSmallBufferIsOk, CHECK_SMALL, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsPartiallyUnmappedBufferIsInvalidArgs, CHECK_PARTIAL, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessMapsRequiresInspectRights, CHECK_RIGHTS, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 32, H_FIX_PROC, ZX_RIGHT_INSPECT) \
    X(Process_InfoProcessMapsJobHandleIsBadHandle, CHECK_WRONG, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 32, H_DEFAULT_JOB, 0) \
    X(Process_InfoProcessMapsThreadHandleIsBadHandle, CHECK_WRONG, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), 32, H_SELF_THREAD, 0) \
    X(Process_InfoProcessVmosOnSelfFails, CHECK_SELF, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_SELF_PROC, 0) \
    X(Process_InfoProcessVmosInvalidHandleFails, CHECK_INVALID, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosZeroSizedBufferIsOk, CHECK_ZERO_OK, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosSmallBufferIsOk, CHECK_SMALL, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosPartiallyUnmappedBufferIsInvalidArgs, CHECK_PARTIAL, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessVmosRequiresInspectRights, CHECK_RIGHTS, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 32, H_FIX_PROC, ZX_RIGHT_INSPECT) \
    X(Process_InfoProcessVmosJobHandleIsBadHandle, CHECK_WRONG, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 32, H_DEFAULT_JOB, 0) \
    X(Process_InfoProcessVmosThreadHandleIsBadHandle, CHECK_WRONG, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 32, H_SELF_THREAD, 0) \
    X(Process_InfoHandleBasicOnSelfSuceeds, CHECK_SELF, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_PROC, 0) \
    X(Process_InfoHandleBasicInvalidHandleFails, CHECK_INVALID, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoHandleBasicNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoHandleBasicNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoHandleBasicNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoHandleBasicInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoHandleBasicBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoHandleBasicBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoHandleBasicZeroSizedFails, CHECK_ZERO_FAILS, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessOnSelfSuceeds, CHECK_SELF, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_SELF_PROC, 0) \
    X(Process_InfoProcessInvalidHandleFails, CHECK_INVALID, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessZeroSizedBufferFails, CHECK_ZERO_FAILS, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessJobHandleIsBadHandle, CHECK_WRONG, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 32, H_DEFAULT_JOB, 0) \
    X(Process_InfoProcessThreadHandleIsBadHandle, CHECK_WRONG, ZX_INFO_PROCESS, sizeof(zx_info_process_t), 32, H_SELF_THREAD, 0) \
    X(Process_InfoProcessThreadsSelfSuceeds, CHECK_SELF, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_SELF_PROC, 0) \
    X(Process_InfoProcessThreadsInvalidHandleFails, CHECK_INVALID, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessThreadsNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessThreadsNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessThreadsNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessThreadsInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessThreadsBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessThreadsBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_FIX_PROC, 0) \
    X(Process_InfoProcessThreadsZeroSizedBufferSucceeds, CHECK_ZERO_OK, ZX_INFO_PROCESS_THREADS, sizeof(zx_koid_t), 1, H_FIX_PROC, 0) \
    X(Task_InfoTaskStatsInvalidHandleFails, CHECK_INVALID, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_PROC, 0) \
    X(Task_InfoTaskStatsNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_PROC, 0) \
    X(Task_InfoTaskStatsNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_PROC, 0) \
    X(Task_InfoTaskStatsNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_PROC, 0) \
    X(Task_InfoTaskStatsInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_PROC, 0) \
    X(Task_InfoTaskStatsBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_PROC, 0) \
    X(Task_InfoTaskStatsBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_PROC, 0) \
    X(Task_InfoTaskStatsZeroSizedBufferIsTooSmall, CHECK_ZERO_FAILS, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_PROC, 0) \
    X(Task_InfoTaskStatsJobHandleIsBadHandle, CHECK_WRONG, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_DEFAULT_JOB, 0) \
    X(Task_InfoTaskStatsThreadHandleIsBadHandle, CHECK_WRONG, ZX_INFO_TASK_STATS, sizeof(zx_info_task_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicOnSelfSuceeds, CHECK_SELF, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicInvalidHandleFails, CHECK_INVALID, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleBasicZeroSizedBufferFails, CHECK_ZERO_FAILS, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountOnSelfSuceeds, CHECK_SELF, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountInvalidHandleFails, CHECK_INVALID, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoHandleCountZeroSizedBufferFails, CHECK_ZERO_FAILS, ZX_INFO_HANDLE_COUNT, sizeof(zx_info_handle_count_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadOnSelfSuceeds, CHECK_SELF, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadInvalidHandleFails, CHECK_INVALID, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadZeroSizedBufferFails, CHECK_ZERO_FAILS, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadJobHandleIsBadHandle, CHECK_WRONG, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 32, H_DEFAULT_JOB, 0) \
    X(Thread_InfoThreadProcessHandleIsBadHandle, CHECK_WRONG, ZX_INFO_THREAD, sizeof(zx_info_thread_t), 32, H_SELF_PROC, 0) \
    X(Thread_InfoThreadStatsOnSelfSuceeds, CHECK_SELF, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsInvalidHandleFails, CHECK_INVALID, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsZeroSizedBufferFails, CHECK_ZERO_FAILS, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 1, H_SELF_THREAD, 0) \
    X(Thread_InfoThreadStatsJobHandleIsBadHandle, CHECK_WRONG, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 32, H_DEFAULT_JOB, 0) \
    X(Thread_InfoThreadStatsProcessHandleIsBadHandle, CHECK_WRONG, ZX_INFO_THREAD_STATS, sizeof(zx_info_thread_stats_t), 32, H_SELF_PROC, 0) \
    X(Thread_InfoThreadExceptionReportInvalidHandleFails, CHECK_INVALID, ZX_INFO_THREAD_EXCEPTION_REPORT, sizeof(zx_exception_report_t), 32, H_SELF_THREAD, 0) \
    X(Vmar_InfoHandleBasicOnSelfSuceeds, CHECK_SELF, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoHandleBasicInvalidHandleFails, CHECK_INVALID, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoHandleBasicNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoHandleBasicNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoHandleBasicNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoHandleBasicInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoHandleBasicBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoHandleBasicBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoHandleBasicZeroSizedBufferFails, CHECK_ZERO_FAILS, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarOnSelfFails, CHECK_SELF, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarInvalidHandleFails, CHECK_INVALID, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarZeroSizedBufferFails, CHECK_ZERO_FAILS, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 1, H_ROOT_VMAR, 0) \
    X(Vmar_InfoVmarJobHandleIsBadHandle, CHECK_WRONG, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 32, H_DEFAULT_JOB, 0) \
    X(Vmar_InfoVmarProcessHandleIsBadHandle, CHECK_WRONG, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 32, H_SELF_PROC, 0) \
    X(Vmar_InfoVmarThreadHandleIsBadHandle, CHECK_WRONG, ZX_INFO_VMAR, sizeof(zx_info_vmar_t), 32, H_SELF_THREAD, 0) \
    X(Job_InfoJobProcessesOnSelfSuceeds, CHECK_SELF, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_DEFAULT_JOB, 0) \
    X(Job_InfoJobProcessesInvalidHandleFails, CHECK_INVALID, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesZeroSizedBufferIsOk, CHECK_ZERO_OK, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesSmallBufferIsOk, CHECK_SMALL, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesPartiallyUnmappedBufferIsInvalidArgs, CHECK_PARTIAL, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobProcessesRequiresEnumerateRights, CHECK_RIGHTS, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 32, H_FIX_JOB, ZX_RIGHT_ENUMERATE) \
    X(Job_InfoJobProcessesProcessbHandleIsBadHandle, CHECK_WRONG, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 32, H_SELF_PROC, 0) \
    X(Job_InfoJobProcessesThreadHandleIsBadHandle, CHECK_WRONG, ZX_INFO_JOB_PROCESSES, sizeof(zx_koid_t), 32, H_SELF_THREAD, 0) \
    X(Job_InfoJobChildrenOnSelfSuceeds, CHECK_SELF, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_DEFAULT_JOB, 0) \
    X(Job_InfoJobChildrenInvalidHandleFails, CHECK_INVALID, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenZeroSizedBufferIsOk, CHECK_ZERO_OK, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenSmallBufferIsOk, CHECK_SMALL, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenPartiallyUnmappedBufferIsInvalidArgs, CHECK_PARTIAL, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoJobChildrenRequiresEnumerateRights, CHECK_RIGHTS, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 32, H_FIX_JOB, ZX_RIGHT_ENUMERATE) \
    X(Job_InfoJobChildrenJobHandleIsBadHandle, CHECK_WRONG, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 32, H_SELF_PROC, 0) \
    X(Job_InfoJobChildrenThreadHandleIsBadHandle, CHECK_WRONG, ZX_INFO_JOB_CHILDREN, sizeof(zx_koid_t), 32, H_SELF_THREAD, 0) \
    X(Job_InfoHandleBasicOnSelfSuceeds, CHECK_SELF, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_DEFAULT_JOB, 0) \
    X(Job_InfoHandleBasicInvalidHandleFails, CHECK_INVALID, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoHandleBasicNullAvailSucceeds, CHECK_NULL_AVAIL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoHandleBasicNullActualSucceeds, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoHandleBasicNullActualAndAvailSucceeds, CHECK_NULL_BOTH, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoHandleBasicInvalidBufferPointerFails, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoHandleBasicBadActualgIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoHandleBasicBadAvailIsInvalidArg, CHECK_NULL_ACTUAL, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_JOB, 0) \
    X(Job_InfoHandleBasicZeroSizedBufferFails, CHECK_ZERO_FAILS, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t), 1, H_FIX_JOB, 0)

#define AS_ENTRY(name, check, topic, entry, count, handle, right) \
    {check, topic, entry, count, handle, right},
static const InfoCase info_cases[] = {INFO_CASES(AS_ENTRY)};

static zx_handle_t case_handle(int which)
{
    switch (which) {
    case H_SELF_PROC:
        return zx_process_self();
    case H_SELF_THREAD:
        return zx_thread_self();
    case H_DEFAULT_JOB:
        return zx_job_default();
    case H_ROOT_VMAR:
        return zx_vmar_root_self();
    case H_FIX_PROC:
        return fixture_process()->proc;
    default:
        return fixture_job();
    }
}

/* Room for 32 of the largest record. */
static uint8_t records[32 * sizeof(zx_exception_report_t) + 32 * sizeof(zx_info_maps_t)];

static void check_partial(const InfoCase *c, zx_handle_t h)
{
    zx_handle_t vmar, vmo = core_vmo(CORE_PAGE, 0);
    uintptr_t base, m;
    cr_expect_eq(zx_vmar_allocate(zx_vmar_root_self(),
                                  ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC,
                                  0, 2 * CORE_PAGE, &vmar, &base),
                 ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, ZX_VM_SPECIFIC | ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                             CORE_PAGE, &m),
                 ZX_OK);
    /* One record fits before the unmapped page; the next would not. */
    void *buf = (void *)(m + CORE_PAGE - c->entry);
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(h, c->topic, buf, c->entry * 4, &actual, &avail),
                 ZX_ERR_INVALID_ARGS);
    zx_vmar_destroy(vmar);
}

static void check_rights(const InfoCase *c, zx_handle_t h)
{
    zx_rights_t have = core_handle_rights(h);
    cr_expect_eq(have & c->right, c->right, "the handle has the right to drop");
    zx_handle_t less;
    size_t actual, avail;
    cr_expect_eq(zx_handle_duplicate(h, have & ~c->right, &less), ZX_OK);
    cr_expect_eq(zx_object_get_info(less, c->topic, records, c->entry * c->count, &actual, &avail),
                 ZX_ERR_ACCESS_DENIED);
}

static void run_case(uintptr_t index, uintptr_t unused)
{
    const InfoCase *c = &info_cases[index];
    zx_handle_t h = case_handle(c->handle);
    size_t actual = 12345, avail = 0, len = c->entry * c->count;
    switch (c->check) {
    case CHECK_SELF:
        cr_expect_eq(zx_object_get_info(h, c->topic, records, len, &actual, &avail), ZX_OK);
        break;
    case CHECK_INVALID:
        cr_expect_eq(zx_object_get_info(ZX_HANDLE_INVALID, c->topic, records, len, &actual, &avail),
                     ZX_ERR_BAD_HANDLE);
        break;
    case CHECK_NULL_AVAIL:
        cr_expect_eq(zx_object_get_info(h, c->topic, records, len, &actual, NULL), ZX_OK);
        break;
    case CHECK_NULL_ACTUAL:
        cr_expect_eq(zx_object_get_info(h, c->topic, records, len, NULL, &avail), ZX_OK);
        break;
    case CHECK_NULL_BOTH:
        cr_expect_eq(zx_object_get_info(h, c->topic, records, len, NULL, NULL), ZX_OK);
        break;
    case CHECK_ZERO_FAILS:
    case CHECK_ZERO_OK:
        cr_expect_eq(zx_object_get_info(h, c->topic, records, 0, &actual, &avail),
                     c->check == CHECK_ZERO_OK ? ZX_OK : ZX_ERR_BUFFER_TOO_SMALL);
        cr_expect_eq(actual, 0u);
        cr_expect_gt(avail, 0u);
        break;
    case CHECK_SMALL:
        cr_expect_eq(zx_object_get_info(h, c->topic, records, c->entry, &actual, &avail), ZX_OK);
        cr_expect_eq(actual, 1u);
        cr_expect_gt(avail, actual);
        break;
    case CHECK_PARTIAL:
        check_partial(c, h);
        break;
    case CHECK_RIGHTS:
        check_rights(c, h);
        break;
    case CHECK_WRONG:
        cr_expect_neq(zx_object_get_info(h, c->topic, records, len, &actual, &avail), ZX_OK);
        break;
    }
}

#define AS_INDEX(name, ...) CASE_##name,
enum { INFO_CASES(AS_INDEX) CASE_COUNT };

#define AS_TEST(name, ...) \
    Test(object_info, name) { core_run_arg(run_case, CASE_##name); }
INFO_CASES(AS_TEST)
