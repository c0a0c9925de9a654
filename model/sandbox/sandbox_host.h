/* sandbox_host.h — host-side helpers of the sandbox layer: spawning the
 * built-in programs, writing into channels on a process's behalf, and the
 * notes the sandbox leaves in the trace. Engine side only (never from a
 * simulated thread). See sandbox_host.c. */
#ifndef CAPSIM_SANDBOX_HOST_H
#define CAPSIM_SANDBOX_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

#include "io_server.h"
#include "kernel.h"
#include "launch.h"

/* Fill `out` so a server reads k's accept_dotdot switch and reports its
 * use as a KTR_FAULT_INJECTED record. */
void sandbox_io_config(Kernel *k, const char *name, IoServerConfig *out);

/* Launch a built-in server program in `job` with the standard startup
 * handles, `extra` handles and the name table; arg1 = cfg. It is marked a
 * server (LaunchSpec.server): waiting for requests at the end of a run, it
 * is idle, not deadlocked. The caller keeps its
 * references on the extra objects. *out gets a reference (may be NULL). */
zx_status_t sandbox_spawn(Kernel *k, KJob *job, const char *name,
                          ThreadEntryFn entry, const void *cfg,
                          const LaunchHandle *extra, size_t nextra,
                          const char *const *names, size_t nnames,
                          KProcess **out);

/* A channel pair; both references are the caller's. */
zx_status_t sandbox_channel(Kernel *k, KObject **a, KObject **b);

/* Write a message through endpoint `ep` (whoever holds it): bytes and new
 * handles to `objs` with `rights`. On failure no handle is left anywhere
 * (the caller keeps its references). */
zx_status_t sandbox_write(Kernel *k, KObject *ep, const void *bytes, uint32_t n,
                          KObject *const *objs, const zx_rights_t *rights,
                          uint32_t nobj);

/* Pipelined fuchsia.io Open of `path` through directory endpoint `dir`;
 * *client is the new connection's client end (the caller's reference). */
zx_status_t sandbox_open(Kernel *k, KObject *dir, const char *path,
                         uint32_t flags, KObject **client);

/* A KTR_NOTE record: a, b as given, text formatted. */
void sandbox_note(Kernel *k, uint64_t a, uint64_t b, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
