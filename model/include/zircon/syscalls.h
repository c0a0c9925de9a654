/*
 * capsim — <zircon/syscalls.h>
 *
 * The application-facing syscall API: one `zx_*` prototype per entry of the
 * syscall table <zircon/syscalls/definitions.inc>, plus the two vDSO helpers
 * zx_deadline_after() and zx_handle_check_valid(). Names and signatures
 * mirror Zircon's public ABI (newest generation), so unmodified Zircon C/C++
 * programs compile against it; capsim's runtime provides the definitions.
 */
#ifndef ZIRCON_SYSCALLS_H_
#define ZIRCON_SYSCALLS_H_

#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/time.h>
#include <zircon/types.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>
#include <zircon/syscalls/port.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Portable spelling of "this function does not return". */
#if defined(__cplusplus)
#define _ZX_SYSCALL_NORETURN [[noreturn]]
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define _ZX_SYSCALL_NORETURN _Noreturn
#elif defined(__GNUC__) || defined(__clang__)
#define _ZX_SYSCALL_NORETURN __attribute__((noreturn))
#else
#define _ZX_SYSCALL_NORETURN
#endif

/* Expand each table row into `ret zx_name(params);`. */
#define ZX_SYSCALL0(name, ret) ret zx_##name(void);
#define ZX_SYSCALL1(name, ret, t1, a1) ret zx_##name(t1 a1);
#define ZX_SYSCALL2(name, ret, t1, a1, t2, a2) ret zx_##name(t1 a1, t2 a2);
#define ZX_SYSCALL3(name, ret, t1, a1, t2, a2, t3, a3) \
  ret zx_##name(t1 a1, t2 a2, t3 a3);
#define ZX_SYSCALL4(name, ret, t1, a1, t2, a2, t3, a3, t4, a4) \
  ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4);
#define ZX_SYSCALL5(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
  ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);
#define ZX_SYSCALL6(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
  ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6);
#define ZX_SYSCALL7(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7) \
  ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7);
#define ZX_SYSCALL8(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8) \
  ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8);

#define ZX_SYSCALL_NORETURN0(name, ret) _ZX_SYSCALL_NORETURN ret zx_##name(void);
#define ZX_SYSCALL_NORETURN1(name, ret, t1, a1) _ZX_SYSCALL_NORETURN ret zx_##name(t1 a1);
#define ZX_SYSCALL_NORETURN2(name, ret, t1, a1, t2, a2) \
  _ZX_SYSCALL_NORETURN ret zx_##name(t1 a1, t2 a2);
#define ZX_SYSCALL_NORETURN3(name, ret, t1, a1, t2, a2, t3, a3) \
  _ZX_SYSCALL_NORETURN ret zx_##name(t1 a1, t2 a2, t3 a3);
#define ZX_SYSCALL_NORETURN4(name, ret, t1, a1, t2, a2, t3, a3, t4, a4) \
  _ZX_SYSCALL_NORETURN ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4);
#define ZX_SYSCALL_NORETURN5(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
  _ZX_SYSCALL_NORETURN ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);
#define ZX_SYSCALL_NORETURN6(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
  _ZX_SYSCALL_NORETURN ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6);
#define ZX_SYSCALL_NORETURN7(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, \
                             a7)                                                             \
  _ZX_SYSCALL_NORETURN ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7);
#define ZX_SYSCALL_NORETURN8(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, \
                             a7, t8, a8)                                                     \
  _ZX_SYSCALL_NORETURN ret zx_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8);

#include <zircon/syscalls/definitions.inc>

#undef ZX_SYSCALL0
#undef ZX_SYSCALL1
#undef ZX_SYSCALL2
#undef ZX_SYSCALL3
#undef ZX_SYSCALL4
#undef ZX_SYSCALL5
#undef ZX_SYSCALL6
#undef ZX_SYSCALL7
#undef ZX_SYSCALL8
#undef ZX_SYSCALL_NORETURN0
#undef ZX_SYSCALL_NORETURN1
#undef ZX_SYSCALL_NORETURN2
#undef ZX_SYSCALL_NORETURN3
#undef ZX_SYSCALL_NORETURN4
#undef ZX_SYSCALL_NORETURN5
#undef ZX_SYSCALL_NORETURN6
#undef ZX_SYSCALL_NORETURN7
#undef ZX_SYSCALL_NORETURN8

/* ---- vDSO helpers (not syscalls; not in the table) -------------------- */
/* Monotonic now + `nanoseconds`, saturating at ZX_TIME_INFINITE. */
zx_instant_mono_t zx_deadline_after(zx_duration_mono_t nanoseconds);

/* ZX_OK if `handle` names a handle of the caller; ZX_ERR_INVALID_ARGS for
 * ZX_HANDLE_INVALID, ZX_ERR_OUT_OF_RANGE if the fixed low bits are not set,
 * ZX_ERR_NOT_FOUND otherwise. Never triggers ZX_POL_BAD_HANDLE. */
zx_status_t zx_handle_check_valid(zx_handle_t handle);

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_H_ */
