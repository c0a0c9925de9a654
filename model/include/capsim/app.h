/*
 * capsim — <capsim/app.h>: simulator-only helpers for apps.
 *
 * An app is a shared object exporting `int main(int argc, char **argv)`,
 * written against Zircon's C API (<zircon/...>) and built with
 *
 *     cc -shared -fPIC $(pkg-config --cflags --libs capsim-app) app.c -o app.so
 *
 * This header adds what only a simulation has: virtual time you can spend
 * and read, an explicit yield, and a way to start another app process in
 * one call (Fuchsia does that with fdio_spawn through the process loader).
 * Everything here must be called from a simulated thread (app code). See
 * docs/sdk.md for the whole SDK.
 */
#ifndef CAPSIM_APP_H_
#define CAPSIM_APP_H_

#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Virtual time ------------------------------------------------------- */

/* Virtual nanoseconds since the simulation started (zx_clock_get_monotonic
 * without a syscall's cost). */
int64_t capsim_now(void);

/* Account `ns` virtual nanoseconds of computation to the calling thread,
 * as if it had run that long. Applied at its next kernel entry; the
 * scheduler may then preempt it. Code runs in zero virtual time otherwise
 * (unless built instrumented: capsim-app-instrumented). */
void capsim_charge(int64_t ns);

/* Give up the CPU to another runnable thread of the same priority. */
void capsim_yield(void);

/* A preemption point: spend `ns` and let the scheduler switch here. The
 * instrumented build inserts one per basic block. */
void capsim_preempt_point(int64_t ns);

/* ---- Starting another app ----------------------------------------------- */

/* A handle moved into the new process as a startup handle; `id` is its
 * PA_HND(type, arg) word (zx_take_startup_handle finds it by that). */
typedef struct capsim_spawn_handle {
  uint32_t id;
  zx_handle_t handle;
} capsim_spawn_handle_t;

/* Give the new process PA_JOB_DEFAULT: a handle to `job` with the rights
 * of the caller's handle. */
#define CAPSIM_SPAWN_DEFAULT_JOB 0x1u
/* Give it PA_PROC_SELF, PA_THREAD_SELF and PA_VMAR_ROOT. */
#define CAPSIM_SPAWN_SELF_HANDLES 0x2u
/* Copy the caller's environment (otherwise the new process has none). */
#define CAPSIM_SPAWN_CLONE_ENVIRON 0x4u
#define CAPSIM_SPAWN_STANDARD 0x7u

/* Start a new process in `job` running `app`:
 *   NULL           another copy of the calling app (its own globals);
 *   a name         a built-in program registered under that name;
 *   a path         an app shared object on the host (loaded and checked).
 * argv is NULL-terminated (NULL: just the program name); the new process's
 * name is basename(argv[0]). Every handle in `handles` is moved to the new
 * process, also on failure (as fdio_spawn does). On success, if process_out
 * is not NULL, it receives a handle to the new process.
 * Errors: ZX_ERR_BAD_HANDLE / ZX_ERR_WRONG_TYPE / ZX_ERR_ACCESS_DENIED for
 * `job` (needs ZX_RIGHT_MANAGE_PROCESS or ZX_RIGHT_WRITE) or a handle (needs
 * ZX_RIGHT_TRANSFER); ZX_ERR_INVALID_ARGS for bad pointers, unknown flags or
 * too many handles or arguments; ZX_ERR_NOT_FOUND if `app` names no built-in
 * and no readable file; ZX_ERR_NOT_SUPPORTED if that file is not a loadable
 * app (the trace's note says why); the job's policy for new processes. */
zx_status_t capsim_spawn(zx_handle_t job, uint32_t flags, const char *app,
                         const char *const *argv,
                         const capsim_spawn_handle_t *handles, size_t nhandles,
                         zx_handle_t *process_out);

#ifdef __cplusplus
}
#endif

#endif /* CAPSIM_APP_H_ */
