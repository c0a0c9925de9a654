/*
 * capsim — <zircon/time.h>
 *
 * Time types and saturating time arithmetic, mirroring Zircon's public ABI.
 * All time values are signed 64-bit nanosecond (or tick) counts; the newest
 * Zircon API distinguishes the monotonic and boot timelines by name only
 * (zx_instant_mono_t vs zx_instant_boot_t), which are binary-identical.
 * The helpers clamp to ZX_TIME_INFINITE on overflow and to
 * ZX_TIME_INFINITE_PAST on underflow instead of wrapping.
 */
#ifndef ZIRCON_TIME_H_
#define ZIRCON_TIME_H_

#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Absolute time in ns (legacy name; normally on the monotonic timeline). */
typedef int64_t zx_time_t;
/* Absolute instants on a named timeline. */
typedef int64_t zx_instant_mono_t;
typedef int64_t zx_instant_boot_t;
/* Durations in ns. */
typedef int64_t zx_duration_t;
typedef int64_t zx_duration_mono_t;
typedef int64_t zx_duration_boot_t;
/* Hardware ticks. */
typedef int64_t zx_ticks_t;
typedef int64_t zx_instant_mono_ticks_t;
typedef int64_t zx_instant_boot_ticks_t;
typedef int64_t zx_duration_mono_ticks_t;
typedef int64_t zx_duration_boot_ticks_t;

#define ZX_TIME_INFINITE INT64_MAX
#define ZX_TIME_INFINITE_PAST INT64_MIN

/* ---- overflow-checked primitives (internal) --------------------------- */
#if defined(__cplusplus)
#define _ZX_TIME_FN constexpr static inline
#else
#define _ZX_TIME_FN static inline
#endif

#if defined(__GNUC__) || defined(__clang__)
#define _ZX_ADD_OVF(a, b, r) __builtin_add_overflow((a), (b), (r))
#define _ZX_SUB_OVF(a, b, r) __builtin_sub_overflow((a), (b), (r))
#define _ZX_MUL_OVF(a, b, r) __builtin_mul_overflow((a), (b), (r))
#else
_ZX_TIME_FN int _zx_add_ovf_i64(int64_t a, int64_t b, int64_t* r) {
  if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) {
    *r = (int64_t)((uint64_t)a + (uint64_t)b);
    return 1;
  }
  *r = a + b;
  return 0;
}
_ZX_TIME_FN int _zx_sub_ovf_i64(int64_t a, int64_t b, int64_t* r) {
  if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b)) {
    *r = (int64_t)((uint64_t)a - (uint64_t)b);
    return 1;
  }
  *r = a - b;
  return 0;
}
_ZX_TIME_FN int _zx_mul_ovf_i64(int64_t a, int64_t b, int64_t* r) {
  if (a != 0 && b != 0) {
    if ((a == -1 && b == INT64_MIN) || (b == -1 && a == INT64_MIN) ||
        (a > 0 && b > 0 && a > INT64_MAX / b) ||
        (a < 0 && b < 0 && a < INT64_MAX / b) ||
        (a > 0 && b < 0 && b < INT64_MIN / a) ||
        (a < 0 && b > 0 && a < INT64_MIN / b)) {
      *r = 0;
      return 1;
    }
  }
  *r = a * b;
  return 0;
}
#define _ZX_ADD_OVF(a, b, r) _zx_add_ovf_i64((a), (b), (r))
#define _ZX_SUB_OVF(a, b, r) _zx_sub_ovf_i64((a), (b), (r))
#define _ZX_MUL_OVF(a, b, r) _zx_mul_ovf_i64((a), (b), (r))
#endif

/* ---- saturating arithmetic -------------------------------------------- */
/* Addition/subtraction overflow can only go one way; the sign of the
 * second operand tells which end to clamp to. */
_ZX_TIME_FN zx_time_t zx_time_add_duration(zx_time_t time, zx_duration_t duration) {
  zx_time_t out = 0;
  if (_ZX_ADD_OVF(time, duration, &out)) {
    return duration > 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return out;
}

_ZX_TIME_FN zx_time_t zx_time_sub_duration(zx_time_t time, zx_duration_t duration) {
  zx_time_t out = 0;
  if (_ZX_SUB_OVF(time, duration, &out)) {
    return duration < 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return out;
}

_ZX_TIME_FN zx_duration_t zx_time_sub_time(zx_time_t time1, zx_time_t time2) {
  zx_duration_t out = 0;
  if (_ZX_SUB_OVF(time1, time2, &out)) {
    return time2 < 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return out;
}

_ZX_TIME_FN zx_duration_t zx_duration_add_duration(zx_duration_t dur1, zx_duration_t dur2) {
  zx_duration_t out = 0;
  if (_ZX_ADD_OVF(dur1, dur2, &out)) {
    return dur2 > 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return out;
}

_ZX_TIME_FN zx_duration_t zx_duration_sub_duration(zx_duration_t dur1, zx_duration_t dur2) {
  zx_duration_t out = 0;
  if (_ZX_SUB_OVF(dur1, dur2, &out)) {
    return dur2 < 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return out;
}

_ZX_TIME_FN zx_duration_t zx_duration_mul_int64(zx_duration_t duration, int64_t multiplier) {
  zx_duration_t out = 0;
  if (_ZX_MUL_OVF(duration, multiplier, &out)) {
    /* Same signs overflow upward, different signs downward. */
    return ((duration > 0) == (multiplier > 0)) ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return out;
}

/* ---- unit conversion -------------------------------------------------- */
_ZX_TIME_FN int64_t zx_nsec_from_duration(zx_duration_t n) { return n; }

_ZX_TIME_FN zx_duration_t zx_duration_from_nsec(int64_t n) {
  return zx_duration_mul_int64(1, n);
}
_ZX_TIME_FN zx_duration_t zx_duration_from_usec(int64_t n) {
  return zx_duration_mul_int64(1000, n);
}
_ZX_TIME_FN zx_duration_t zx_duration_from_msec(int64_t n) {
  return zx_duration_mul_int64(1000000, n);
}
_ZX_TIME_FN zx_duration_t zx_duration_from_sec(int64_t n) {
  return zx_duration_mul_int64(1000000000, n);
}
_ZX_TIME_FN zx_duration_t zx_duration_from_min(int64_t n) {
  return zx_duration_mul_int64(INT64_C(60000000000), n);
}
_ZX_TIME_FN zx_duration_t zx_duration_from_hour(int64_t n) {
  return zx_duration_mul_int64(INT64_C(3600000000000), n);
}

_ZX_TIME_FN zx_duration_t zx_duration_from_timespec(struct timespec ts) {
  int64_t sec = ts.tv_sec;
  int64_t nsec = ts.tv_nsec;
  return zx_duration_add_duration(zx_duration_from_sec(sec), zx_duration_from_nsec(nsec));
}

_ZX_TIME_FN struct timespec zx_timespec_from_duration(zx_duration_t duration) {
  struct timespec ts = {0, 0};
  ts.tv_sec = duration / 1000000000;
  ts.tv_nsec = duration % 1000000000;
  return ts;
}

/* ---- duration macros -------------------------------------------------- */
/* Compile-time constants fold to plain multiplications (usable in static
 * initializers); anything else goes through the saturating helpers. */
#if defined(__GNUC__) || defined(__clang__)
#define _ZX_TIME_ISCONST(n) __builtin_constant_p(n)
#else
#define _ZX_TIME_ISCONST(n) 0
#endif

#define ZX_NSEC(n) \
  (_ZX_TIME_ISCONST(n) ? ((zx_duration_t)(1LL * (n))) : zx_duration_from_nsec(n))
#define ZX_USEC(n) \
  (_ZX_TIME_ISCONST(n) ? ((zx_duration_t)(1000LL * (n))) : zx_duration_from_usec(n))
#define ZX_MSEC(n) \
  (_ZX_TIME_ISCONST(n) ? ((zx_duration_t)(1000000LL * (n))) : zx_duration_from_msec(n))
#define ZX_SEC(n) \
  (_ZX_TIME_ISCONST(n) ? ((zx_duration_t)(1000000000LL * (n))) : zx_duration_from_sec(n))
#define ZX_MIN(n) \
  (_ZX_TIME_ISCONST(n) ? ((zx_duration_t)(60LL * 1000000000LL * (n))) : zx_duration_from_min(n))
#define ZX_HOUR(n)                                                          \
  (_ZX_TIME_ISCONST(n) ? ((zx_duration_t)(3600LL * 1000000000LL * (n)))     \
                       : zx_duration_from_hour(n))

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_TIME_H_ */
