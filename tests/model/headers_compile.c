/*
 * capsim — header compile test (C).
 *
 * Includes every public Zircon header capsim provides and checks, at compile
 * time, that struct sizes/offsets and key constant values match Zircon's
 * public ABI (LP64). If this file compiles, the checks passed.
 */
#include <zircon/errors.h>
#include <zircon/limits.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/rights.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/log.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>
#include <zircon/syscalls/port.h>
#include <zircon/syscalls/system.h>
#include <zircon/time.h>
#include <zircon/types.h>

#include <stddef.h>

#define SIZE(T, n) _Static_assert(sizeof(T) == (n), "sizeof(" #T ") != " #n)
#define OFF(T, f, n) \
  _Static_assert(offsetof(T, f) == (n), "offsetof(" #T ", " #f ") != " #n)
#define EQ(a, b) _Static_assert((a) == (b), #a " != " #b)

/* ---- Appendix A sizes (LP64) ------------------------------------------ */
SIZE(zx_wait_item_t, 12);
SIZE(zx_handle_info_t, 16);
SIZE(zx_handle_disposition_t, 20);
SIZE(zx_channel_iovec_t, 16);
SIZE(zx_iovec_t, 16);
SIZE(zx_channel_call_args_t, 48);
SIZE(zx_channel_call_etc_args_t, 48);
SIZE(zx_port_packet_t, 48);
SIZE(zx_packet_signal_t, 32);
SIZE(zx_packet_user_t, 32);
SIZE(zx_packet_guest_bell_t, 32);
SIZE(zx_packet_guest_mem_t, 32);
SIZE(zx_packet_guest_io_t, 32);
SIZE(zx_packet_guest_vcpu_t, 32);
SIZE(zx_packet_interrupt_t, 32);
SIZE(zx_packet_page_request_t, 32);
SIZE(zx_info_handle_basic_t, 32);
SIZE(zx_info_handle_extended_t, 40);
SIZE(zx_info_handle_count_t, 4);
SIZE(zx_info_process_handle_stats_t, 256);
SIZE(zx_info_process_t, 24);
SIZE(zx_info_job_t, 16);
SIZE(zx_info_thread_t, 72);
SIZE(zx_info_thread_stats_t, 16);
SIZE(zx_info_task_stats_t, 40);
SIZE(zx_info_task_stats_v1_t, 32);
SIZE(zx_info_task_runtime_t, 32);
SIZE(zx_info_task_runtime_v1_t, 16);
SIZE(zx_info_vmar_t, 16);
SIZE(zx_info_vmo_t, 176);
SIZE(zx_info_vmo_v1_t, 104);
SIZE(zx_info_vmo_v2_t, 120);
SIZE(zx_info_vmo_v3_t, 128);
SIZE(zx_info_socket_t, 48);
SIZE(zx_info_timer_t, 24);
SIZE(zx_policy_basic_v1_t, 8);
SIZE(zx_policy_basic_v2_t, 12);
SIZE(zx_policy_timer_slack_t, 16);
SIZE(zx_exception_info_t, 24);
SIZE(zx_exception_header_t, 8);
SIZE(zx_exception_context_t, 32);
SIZE(zx_exception_context_v1_t, 24);
SIZE(zx_exception_report_t, 40);
SIZE(zx_exception_report_v1_t, 32);
SIZE(zx_proc_args_t, 36);
SIZE(zx_log_record_t, 32);
SIZE(zx_vmo_lock_state_t, 32);
SIZE(zx_cpu_set_t, 64);
SIZE(zx_x86_64_thread_state_general_regs_t, 160);
SIZE(zx_arm64_thread_state_general_regs_t, 280);
SIZE(zx_riscv64_thread_state_general_regs_t, 256);

/* ---- offsets ---------------------------------------------------------- */
OFF(zx_handle_info_t, type, 4);
OFF(zx_handle_info_t, rights, 8);
OFF(zx_handle_info_t, unused, 12);

OFF(zx_handle_disposition_t, handle, 4);
OFF(zx_handle_disposition_t, type, 8);
OFF(zx_handle_disposition_t, rights, 12);
OFF(zx_handle_disposition_t, result, 16);

OFF(zx_channel_call_args_t, wr_handles, 8);
OFF(zx_channel_call_args_t, rd_bytes, 16);
OFF(zx_channel_call_args_t, rd_handles, 24);
OFF(zx_channel_call_args_t, wr_num_bytes, 32);
OFF(zx_channel_call_args_t, wr_num_handles, 36);
OFF(zx_channel_call_args_t, rd_num_bytes, 40);
OFF(zx_channel_call_args_t, rd_num_handles, 44);

OFF(zx_port_packet_t, key, 0);
OFF(zx_port_packet_t, type, 8);
OFF(zx_port_packet_t, status, 12);
OFF(zx_port_packet_t, user, 16);
OFF(zx_port_packet_t, signal, 16);
OFF(zx_packet_signal_t, observed, 4);
OFF(zx_packet_signal_t, count, 8);
OFF(zx_packet_signal_t, timestamp, 16);
OFF(zx_packet_signal_t, reserved1, 24);

OFF(zx_info_handle_basic_t, rights, 8);
OFF(zx_info_handle_basic_t, type, 12);
OFF(zx_info_handle_basic_t, related_koid, 16);
OFF(zx_info_handle_basic_t, reserved, 24);

OFF(zx_info_handle_extended_t, handle_value, 4);
OFF(zx_info_handle_extended_t, rights, 8);
OFF(zx_info_handle_extended_t, koid, 16);
OFF(zx_info_handle_extended_t, related_koid, 24);
OFF(zx_info_handle_extended_t, peer_owner_koid, 32);

OFF(zx_info_process_t, start_time, 8);
OFF(zx_info_process_t, flags, 16);

OFF(zx_info_job_t, exited, 8);
OFF(zx_info_job_t, kill_on_oom, 9);
OFF(zx_info_job_t, debugger_attached, 10);

OFF(zx_info_thread_t, wait_exception_channel_type, 4);
OFF(zx_info_thread_t, cpu_affinity_mask, 8);

OFF(zx_info_socket_t, rx_buf_max, 8);
OFF(zx_info_socket_t, rx_buf_available, 24);
OFF(zx_info_socket_t, tx_buf_size, 40);

OFF(zx_info_timer_t, clock_id, 4);
OFF(zx_info_timer_t, deadline, 8);
OFF(zx_info_timer_t, slack, 16);

OFF(zx_info_vmo_t, name, 8);
OFF(zx_info_vmo_t, size_bytes, 40);
OFF(zx_info_vmo_t, parent_koid, 48);
OFF(zx_info_vmo_t, num_children, 56);
OFF(zx_info_vmo_t, num_mappings, 64);
OFF(zx_info_vmo_t, share_count, 72);
OFF(zx_info_vmo_t, flags, 80);
OFF(zx_info_vmo_t, committed_bytes, 88);
OFF(zx_info_vmo_t, handle_rights, 96);
OFF(zx_info_vmo_t, cache_policy, 100);
OFF(zx_info_vmo_t, metadata_bytes, 104);
OFF(zx_info_vmo_t, committed_change_events, 112);
OFF(zx_info_vmo_t, populated_bytes, 120);
OFF(zx_info_vmo_t, committed_private_bytes, 128);
OFF(zx_info_vmo_t, populated_private_bytes, 136);
OFF(zx_info_vmo_t, committed_scaled_bytes, 144);
OFF(zx_info_vmo_t, populated_scaled_bytes, 152);
OFF(zx_info_vmo_t, committed_fractional_scaled_bytes, 160);
OFF(zx_info_vmo_t, populated_fractional_scaled_bytes, 168);

OFF(zx_info_maps_t, base, 32);
OFF(zx_info_maps_t, type, 56);
OFF(zx_info_maps_t, u, 64);

OFF(zx_policy_basic_v2_t, action, 4);
OFF(zx_policy_basic_v2_t, flags, 8);
OFF(zx_policy_timer_slack_t, default_mode, 8);

OFF(zx_exception_info_t, tid, 8);
OFF(zx_exception_info_t, type, 16);
OFF(zx_exception_context_t, synth_code, 24);
OFF(zx_exception_context_t, synth_data, 28);
OFF(zx_exception_report_t, context, 8);

OFF(zx_proc_args_t, handle_info_off, 8);
OFF(zx_proc_args_t, args_off, 12);
OFF(zx_proc_args_t, environ_off, 20);
OFF(zx_proc_args_t, names_off, 28);
OFF(zx_proc_args_t, names_num, 32);

OFF(zx_log_record_t, datalen, 4);
OFF(zx_log_record_t, severity, 6);
OFF(zx_log_record_t, flags, 7);
OFF(zx_log_record_t, timestamp, 8);
OFF(zx_log_record_t, pid, 16);
OFF(zx_log_record_t, tid, 24);
OFF(zx_log_record_t, data, 32);

OFF(zx_x86_64_thread_state_general_regs_t, rip, 128);
OFF(zx_x86_64_thread_state_general_regs_t, gs_base, 152);
OFF(zx_arm64_thread_state_general_regs_t, lr, 240);
OFF(zx_arm64_thread_state_general_regs_t, pc, 256);
OFF(zx_arm64_thread_state_general_regs_t, tpidr, 272);
OFF(zx_riscv64_thread_state_general_regs_t, a0, 80);

/* ---- constants -------------------------------------------------------- */
EQ(ZX_HANDLE_INVALID, 0u);
EQ(ZX_HANDLE_FIXED_BITS_MASK, 3u);
EQ(ZX_OK, 0);
EQ(ZX_ERR_BAD_HANDLE, -11);
EQ(ZX_ERR_ACCESS_DENIED, -30);
EQ(ZX_ERR_INTERNAL_INTR_KILLED, -502);
EQ(ZX_TIME_INFINITE, INT64_MAX);
EQ(ZX_KOID_FIRST, 1024u);

EQ(ZX_RIGHTS_BASIC, 0xC003u);
EQ(ZX_RIGHT_SAME_RIGHTS, 0x80000000u);
EQ(ZX_RIGHT_MANAGE_VMO, 0x01000000u);
EQ(ZX_DEFAULT_CHANNEL_RIGHTS, 0xF00Eu);
EQ(ZX_DEFAULT_EVENT_RIGHTS, 0xD003u);
EQ(ZX_DEFAULT_EVENTPAIR_RIGHTS, 0xF003u);
EQ(ZX_DEFAULT_FIFO_RIGHTS, 0xF00Fu);
EQ(ZX_DEFAULT_SOCKET_RIGHTS, 0x10F0CFu);
EQ(ZX_DEFAULT_PORT_RIGHTS, 0x800Fu);
EQ(ZX_DEFAULT_TIMER_RIGHTS, 0xD00Bu);
EQ(ZX_DEFAULT_JOB_RIGHTS, 0x7DFCFu);
EQ(ZX_DEFAULT_PROCESS_RIGHTS, 0x6D3CFu);
EQ(ZX_DEFAULT_THREAD_RIGHTS, 0x4D2CFu);
EQ(ZX_DEFAULT_VMO_RIGHTS, 0xD0EFu);
EQ(ZX_DEFAULT_VMAR_RIGHTS, 0x208003u);
EQ(ZX_DEFAULT_LOG_RIGHTS, 0xD00Bu);
EQ(ZX_DEFAULT_EXCEPTION_RIGHTS, 0x80C2u);
EQ(ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS, 0x8002u);
EQ(ZX_DEFAULT_RESOURCE_RIGHTS, 0x800Bu);
EQ(ZX_DEFAULT_CLOCK_RIGHTS, 0xD0CFu);
EQ(ZX_DEFAULT_STREAM_RIGHTS, 0xD0C3u);
EQ(ZX_DEFAULT_PROFILE_RIGHTS, 0x88003u);
EQ(ZX_DEFAULT_PAGER_RIGHTS, 0x1808002u);
EQ(ZX_DEFAULT_BTI_RIGHTS, 0x80EFu);
EQ(ZX_DEFAULT_GUEST_RIGHTS, 0x4800Bu);
EQ(ZX_DEFAULT_VCPU_RIGHTS, 0xD01Fu);
EQ(ZX_DEFAULT_COUNTER_RIGHTS, 0xD00Fu);

EQ(ZX_SIGNAL_HANDLE_CLOSED, 0x00800000u);
EQ(ZX_USER_SIGNAL_7, 0x80000000u);
EQ(ZX_SOCKET_READ_THRESHOLD, 0x400u);
EQ(ZX_SOCKET_WRITE_THRESHOLD, 0x800u);
EQ(ZX_JOB_NO_PROCESSES, 0x20u);
EQ(ZX_THREAD_SUSPENDED, 0x20u);
EQ(ZX_EVENTPAIR_SIGNAL_MASK, 0xFF00000Cu);

EQ(sizeof(((zx_info_process_handle_stats_t*)0)->handle_count) / sizeof(uint32_t),
   ZX_OBJ_TYPE_UPPER_BOUND);
EQ(ZX_OBJ_TYPE_DEBUGLOG, 12u);
EQ(ZX_OBJ_TYPE_EXCEPTION, 29u);
EQ(ZX_OBJ_TYPE_IOB_SHARED_REGION, 35u);
EQ(ZX_WAIT_MANY_MAX_ITEMS, 64u);
EQ(ZX_CHANNEL_MAX_MSG_BYTES, 65536u);
EQ(ZX_CHANNEL_MAX_MSG_HANDLES, 64u);
EQ(ZX_MAX_NAME_LEN, 32u);
EQ(ZX_VM_ALIGN_4GB, 32u << 24);

EQ(ZX_INFO_PROCESS, 0x10000003u);
EQ(ZX_INFO_THREAD_EXCEPTION_REPORT, 0x1000000Bu);
EQ(ZX_INFO_TASK_STATS, 0x1000000Cu);
EQ(ZX_INFO_PROCESS_MAPS, 0x2000000Du);
EQ(ZX_INFO_PROCESS_VMOS, 0x3000000Eu);
EQ(ZX_INFO_KMEM_STATS, 0x10000011u);
EQ(ZX_INFO_VMO, 0x30000017u);
EQ(ZX_INFO_TASK_RUNTIME, 0x1000001Eu);
EQ(ZX_INFO_HANDLE_TABLE, 27u);
EQ(ZX_TASK_RETCODE_SYSCALL_KILL, -1024);
EQ(ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL, -1029);
EQ(ZX_THREAD_STATE_BLOCKED_PAGER, 0x0903u);
EQ(ZX_THREAD_STATE_BASIC(ZX_THREAD_STATE_BLOCKED_FUTEX), ZX_THREAD_STATE_BLOCKED);

EQ(ZX_POL_NEW_PAGER, 14u);
EQ(ZX_POL_AMBIENT_MARK_VMO_EXEC, 15u);
EQ(ZX_EXCP_POLICY_CODE_AMBIENT_MARK_VMO_EXEC, ZX_POL_AMBIENT_MARK_VMO_EXEC);
EQ(ZX_JOB_POL_BASIC_V2, 0x01000000u);

EQ(ZX_EXCP_POLICY_ERROR, 0x8208u);
EQ(ZX_EXCP_PROCESS_STARTING, 0x8308u);
EQ(ZX_EXCP_USER, 0x8309u);

EQ(ZX_PKT_TYPE_PAGE_REQUEST, 9u);
EQ(ZX_WAIT_ASYNC_BOOT_TIMESTAMP, 4u);

EQ(ZX_PROCARGS_PROTOCOL, 0x4150585du);
EQ(PA_HND(PA_NS_DIR, 3), 0x30020u);
EQ(PA_HND_TYPE(PA_HND(PA_FD, 7)), PA_FD);
EQ(PA_HND_ARG(PA_HND(PA_FD, 7)), 7u);

EQ(ZX_LOG_RECORD_DATA_MAX, 224u);
EQ(ZX_SEC(2), 2000000000LL);
EQ(ZX_HOUR(1), 3600000000000LL);

/* Duration macros must also work in static initializers. */
static const zx_duration_t k_timeout = ZX_MSEC(250);

/* Prototypes must be visible with the expected types. sizeof does not
 * evaluate its operand, so no symbol is referenced at link time. */
typedef zx_status_t (*handle_close_fn)(zx_handle_t);
typedef zx_status_t (*channel_read_etc_fn)(zx_handle_t, uint32_t, void*, zx_handle_info_t*,
                                           uint32_t, uint32_t, uint32_t*, uint32_t*);
typedef zx_status_t (*futex_wait_fn)(const zx_futex_t*, int32_t, zx_handle_t,
                                     zx_instant_mono_t);
typedef void (*process_exit_fn)(int64_t);
typedef zx_string_view_t (*version_fn)(void);
typedef zx_instant_mono_t (*deadline_after_fn)(zx_duration_mono_t);
typedef const char* (*status_string_fn)(zx_status_t);
typedef zx_handle_t (*startup_handle_fn)(uint32_t);
_Static_assert(sizeof((handle_close_fn){zx_handle_close}) != 0, "zx_handle_close");
_Static_assert(sizeof((channel_read_etc_fn){zx_channel_read_etc}) != 0, "zx_channel_read_etc");
_Static_assert(sizeof((futex_wait_fn){zx_futex_wait}) != 0, "zx_futex_wait");
_Static_assert(sizeof((process_exit_fn){zx_process_exit}) != 0, "zx_process_exit");
_Static_assert(sizeof((version_fn){zx_system_get_version_string}) != 0, "version");
_Static_assert(sizeof((deadline_after_fn){zx_deadline_after}) != 0, "zx_deadline_after");
_Static_assert(sizeof((status_string_fn){zx_status_get_string}) != 0, "status string");
_Static_assert(sizeof((startup_handle_fn){zx_take_startup_handle}) != 0, "startup handle");

int main(void) {
  (void)k_timeout;
  /* Saturating helpers (evaluated at run time, but must not wrap). */
  if (zx_time_add_duration(ZX_TIME_INFINITE - 1, 10) != ZX_TIME_INFINITE) return 1;
  if (zx_time_sub_duration(ZX_TIME_INFINITE_PAST + 1, 10) != ZX_TIME_INFINITE_PAST) return 1;
  if (zx_duration_mul_int64(INT64_MAX / 2, -3) != ZX_TIME_INFINITE_PAST) return 1;
  return 0;
}
