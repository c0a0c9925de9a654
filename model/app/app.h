/* app.h — real C programs as simulated processes: images, launching, output.
 *
 * An app is a shared object exporting `int main(int argc, char **argv)`
 * (built with `pkg-config --cflags --libs capsim-app`, see docs/sdk.md), or
 * a built-in program registered in-process (system services, test helpers).
 * An AppImage is the program; every process launched from it runs its own
 * private copy of the object (its own globals, statics and TLS), loaded from
 * the image bytes when the process is launched and unloaded when it dies.
 *
 * Launching is launch_process (launch.h) with the entry set to a runtime
 * trampoline: it runs the app's constructors, then main(argc, argv), then
 * exit(value) (atexit handlers, destructors, zx_process_exit). Startup
 * handles, argv and environment are the LaunchSpec's, processargs-style.
 *
 * What a process writes to stdout/stderr (stdio, write(1|2, ...)) is
 * captured per process, in order, as tagged chunks; each chunk is also a
 * KTR_OUTPUT trace record.
 *
 * Everything here runs on the host/engine side (never on an app fiber)
 * unless it says otherwise. Read next: app_world.c (per-kernel state and the
 * engine hooks), app_instance.c (private copies), app_launch.c.
 */
#ifndef CAPSIM_MODEL_APP_H
#define CAPSIM_MODEL_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

#include "kernel.h"
#include "launch.h"

typedef int (*AppMainFn)(int argc, char **argv);
typedef struct AppImage AppImage;

/* ---- Images -------------------------------------------------------------
 * Load and check an app. On failure NULL, and *error (if error != NULL) is
 * a malloc'd message naming the file and the problem (free() it). A loaded
 * image has been test-loaded once, so launching it only fails for lack of
 * resources. Images are reference-counted; app_image_release drops the
 * caller's reference (processes running it hold their own). */
AppImage *app_image_load_file(const char *path, char **error);
AppImage *app_image_load_bytes(const char *name, const void *data, size_t len,
                               char **error);
/* Built-in programs: registered once per host process (later registrations
 * of a name replace earlier ones for future launches). */
void app_builtin_register(const char *name, AppMainFn main_fn);
AppImage *app_image_builtin(const char *name);   /* NULL if unknown */
AppImage *app_image_ref(AppImage *img);
void app_image_release(AppImage *img);
const char *app_image_name(const AppImage *img);
/* Private copies of apps loaded right now, all kernels together. */
size_t app_loaded_copies(void);

/* ---- Launch ---------------------------------------------------------------
 * spec->name/argv/envp/give/extra/default_job/names as in launch.h;
 * app_launch sets spec->entry (and arg1/arg2) itself, and the runtime
 * block's `loader` to the app layer's record (which also makes fdio confine
 * the process's file calls to its namespace). argc == 0 gives main a
 * one-entry argv: {spec->name}. Errors: those of launch_process,
 * ZX_ERR_NO_RESOURCES when the host cannot load another copy (a KTR_NOTE
 * record says why). */
zx_status_t app_launch(Kernel *k, KJob *job, AppImage *img, LaunchSpec *spec,
                       KProcess **out);

/* ---- Output ---------------------------------------------------------------
 * app_output copies the captured bytes (both streams, in the order they
 * were written) into buf, at most len - 1 of them, NUL-terminated when
 * len > 0, and returns the total captured. app_output_chunk gives chunk i
 * (stream 1 = stdout, 2 = stderr); false past the end. */
size_t app_output(KProcess *p, char *buf, size_t len);
size_t app_output_chunk_count(KProcess *p);
bool app_output_chunk(KProcess *p, size_t i, int *stream, const char **data,
                      size_t *len);

/* Every chunk of every process on kernel k, in the order written. */
size_t app_output_world_count(Kernel *k);
bool app_output_world_chunk(Kernel *k, size_t i, zx_koid_t *koid, int *stream,
                            const char **data, size_t *len);

/* ---- How a process ended ------------------------------------------------ */
typedef enum AppEnd {
    APP_END_RUNNING = 0,   /* not dead yet */
    APP_END_EXITED,        /* returned from main, exit(), _exit(), zx_process_exit */
    APP_END_KILLED,        /* zx_task_kill on it or its job */
    APP_END_POLICY,        /* a job policy's KILL action */
    APP_END_EXCEPTION,     /* unhandled exception (fault, abort, budget) */
    APP_END_CRITICAL,      /* a process critical to its job died */
    APP_END_OTHER          /* any other kill code */
} AppEnd;

typedef struct AppProcInfo {
    zx_koid_t koid;
    char name[ZX_MAX_NAME_LEN];
    AppEnd end;
    int64_t return_code;   /* valid once end != APP_END_RUNNING */
    int fault_kind;        /* SimFaultKind of the last fault, 0 if none */
    uint64_t fault_addr;   /* deterministic form (see app_world.c), 0 if not */
    bool fault_addr_known; /* a page fault or bus error's address, < 64 KiB */
    size_t output_bytes;
    bool output_truncated; /* hit the per-process capture limit */
} AppProcInfo;

/* Processes the app layer has seen run on kernel k (launched, spawned,
 * started by zx_process_start, or simply dispatched), in koid order; dead
 * ones included. */
size_t app_proc_count(Kernel *k);
bool app_proc_info(Kernel *k, size_t i, AppProcInfo *out);
bool app_proc_info_by_koid(Kernel *k, zx_koid_t koid, AppProcInfo *out);
const char *app_end_name(AppEnd end);
const char *app_fault_name(int sim_fault_kind);
/* Output by koid (works after the process is gone); as app_output. */
size_t app_output_by_koid(Kernel *k, zx_koid_t koid, int streams, char *buf,
                          size_t len);

/* ---- Lifetime -------------------------------------------------------------
 * The app layer attaches itself to a kernel on first use (app_launch).
 * app_set_output_limit caps each process's capture (default 1 MiB).
 * app_restore_host puts the host's own stdin/stdout/stderr/environ back in
 * libc (the engine leaves the last app's installed after a run; writes from
 * host code reach the host anyway). app_shutdown detaches from the kernel
 * and frees everything: call it before kernel_free/sim_engine_free. The
 * copies of processes still running then are unloaded by
 * sim_engine_free, once no fiber stack holds their frames. */
void app_set_output_limit(Kernel *k, size_t bytes);
void app_restore_host(Kernel *k);
void app_shutdown(Kernel *k);

#endif
