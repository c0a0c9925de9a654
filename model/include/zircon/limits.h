/*
 * capsim — <zircon/limits.h>
 *
 * Architecture page-size bounds, mirroring Zircon's public ABI. As in the
 * newest Zircon headers there is no fixed ZX_PAGE_SIZE here: programs ask
 * zx_system_get_page_size() (the simulator reports 4096). Hosts other than
 * x86-64 / arm64 / riscv64 fall back to the common 4 KiB minimum.
 */
#ifndef ZIRCON_LIMITS_H_
#define ZIRCON_LIMITS_H_

#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#define ZX_MIN_PAGE_SHIFT ((uint32_t)12u)
#define ZX_MAX_PAGE_SHIFT ((uint32_t)21u)
#elif defined(__aarch64__) || defined(__arm__)
#define ZX_MIN_PAGE_SHIFT ((uint32_t)12u)
#define ZX_MAX_PAGE_SHIFT ((uint32_t)16u)
#elif defined(__riscv)
#define ZX_MIN_PAGE_SHIFT ((uint32_t)12u)
#define ZX_MAX_PAGE_SHIFT ((uint32_t)21u)
#else
/* Unknown host: the simulator only needs a sane lower bound. */
#define ZX_MIN_PAGE_SHIFT ((uint32_t)12u)
#define ZX_MAX_PAGE_SHIFT ((uint32_t)21u)
#endif

#define ZX_MIN_PAGE_SIZE ((uintptr_t)(1u << ZX_MIN_PAGE_SHIFT))
#define ZX_MAX_PAGE_SIZE ((uintptr_t)(1u << ZX_MAX_PAGE_SHIFT))

#endif /* ZIRCON_LIMITS_H_ */
