/* viz_recorder.h — watching a run: snapshots on demand, every N engine
 * events, at virtual times or after chosen syscalls; the decoded arguments
 * of every syscall; which model thread each engine thread was; the kept
 * trace the exporters read. Flat header. Read next: viz_recorder.c.
 */
#ifndef CAPSIM_VIZ_RECORDER_H
#define CAPSIM_VIZ_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "export.h"
#include "sim.h"
#include "viz_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VizRecorder VizRecorder;

/* One syscall as it entered the kernel. */
typedef struct VizSyscall {
    uint64_t seq;             /* trace seq of its kernel_enter record */
    uint64_t thread;          /* engine thread id */
    uint64_t op;
    uint64_t args[8];
    VizHandleArg handles[8];  /* for zx_handle_t arguments */
} VizSyscall;

typedef struct VizThreadInfo {
    uint64_t thread;          /* engine thread id */
    uint64_t thread_koid, process_koid;
    const char *thread_name, *process_name;
} VizThreadInfo;

/* Start watching `k` (created, not yet run). Turns on the kept trace and
 * wraps the kernel's engine hook. NULL on no memory. */
VizRecorder *viz_recorder_attach(Kernel *k);
/* Also stream the trace as JSON lines to `path` (the engine's own sink;
 * "-" is stdout). 0, or -1 with a message naming the file. */
int viz_recorder_jsonl(VizRecorder *r, const char *path, char *err,
                       size_t errlen);
/* Finish that file: 0, or -1 with a message when a write failed (a full
 * disk): a trace lost is an error, never silent. 0 without a file. */
int viz_recorder_jsonl_close(VizRecorder *r, char *err, size_t errlen);
/* Give the engine its hook back; recorded data stays readable. */
void viz_recorder_detach(VizRecorder *r);
void viz_recorder_free(VizRecorder *r);

/* Schedule: every n engine events (0 = off), at virtual time t (ns), after
 * every call of a syscall ("channel_write" or "zx_channel_write"; false
 * and a message if there is no such syscall). */
void viz_recorder_every(VizRecorder *r, uint64_t n);
void viz_recorder_at_time(VizRecorder *r, int64_t t);
bool viz_recorder_at_syscall(VizRecorder *r, const char *name, char *err,
                             size_t errlen);
/* Take a snapshot now (labelled) and keep it; returns it. */
const ExportSnapshot *viz_recorder_snapshot(VizRecorder *r, const char *label);
/* Run the engine to the end honouring the schedule, then take the final
 * snapshot ("end"). */
SimRunResult viz_recorder_run(VizRecorder *r);

size_t viz_recorder_count(const VizRecorder *r);
const ExportSnapshot *viz_recorder_get(const VizRecorder *r, size_t i);
const char *viz_recorder_label(const VizRecorder *r, size_t i);
/* Index of the snapshot labelled `label` (or "#N"), VIZ_RECORDER_NONE. */
size_t viz_recorder_find(const VizRecorder *r, const char *label);
#define VIZ_RECORDER_NONE ((size_t)-1)

SimEngine *viz_recorder_engine(const VizRecorder *r);
/* The kernel it watches (alive as long as the recorder is read). */
Kernel *viz_recorder_kernel(const VizRecorder *r);
/* The name object `koid` had when last passed to a syscall as a handle
 * argument (non-empty names only), or NULL. */
const char *viz_recorder_name(const VizRecorder *r, uint64_t koid);
/* The syscall whose kernel_enter record has trace seq `seq`, into *out
 * (kept compactly, it is expanded on each call); false if none. */
bool viz_recorder_syscall(const VizRecorder *r, uint64_t seq, VizSyscall *out);
size_t viz_recorder_nsyscalls(const VizRecorder *r);
/* What engine thread `thread` ran; false if it never entered the kernel
 * and never exited while watched. */
bool viz_recorder_thread(const VizRecorder *r, uint64_t thread,
                         VizThreadInfo *out);

#ifdef __cplusplus
}
#endif
#endif
