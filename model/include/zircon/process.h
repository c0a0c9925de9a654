/*
 * capsim — <zircon/process.h>
 *
 * Runtime accessors for the handles a process received at startup. These
 * are C-runtime functions, not syscalls; in capsim they are provided by the
 * simulator's runtime for each simulated process. Each has an `_zx_`-prefixed
 * alias, as in Zircon. Declarations mirror Zircon's public API.
 */
#ifndef ZIRCON_PROCESS_H_
#define ZIRCON_PROCESS_H_

#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Remove and return the startup handle whose info word is exactly
 * `hnd_info` (see PA_HND); ZX_HANDLE_INVALID if none or already taken. */
zx_handle_t zx_take_startup_handle(uint32_t hnd_info);
zx_handle_t _zx_take_startup_handle(uint32_t hnd_info);

/* Handles owned by the runtime; callers must not close them. */
zx_handle_t zx_thread_self(void);
zx_handle_t _zx_thread_self(void);

zx_handle_t zx_process_self(void);
zx_handle_t _zx_process_self(void);

zx_handle_t zx_vmar_root_self(void);
zx_handle_t _zx_vmar_root_self(void);

/* ZX_HANDLE_INVALID when the creator supplied no PA_JOB_DEFAULT. */
zx_handle_t zx_job_default(void);
zx_handle_t _zx_job_default(void);

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_PROCESS_H_ */
