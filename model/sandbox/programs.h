/* programs.h — the built-in programs of the sandbox layer: directory
 * servers, drivers, services, appmgr. Each is a ThreadEntryFn run as a
 * simulated process (sandbox_host.c spawns them); arg1 points at its
 * configuration, owned by whoever spawned it and valid while it runs.
 *
 * Startup handles (processargs style):
 *   every server    PA_HND(PA_DIRECTORY_REQUEST, 0): the server end of the
 *                   directory it serves (its root / outgoing directory)
 *   pkgfs, appmgr   PA_HND(PA_USER0, 0): its control channel (server end)
 *   devmgr          PA_HND(PA_USER1, i): driver i's connector (client end)
 *   drivers         PA_HND(PA_USER0, 0): its connector (server end)
 * Control messages are one-way, begin with a FioHeader, and carry their
 * handles as documented per ordinal below. Flat C.
 */
#ifndef CAPSIM_SANDBOX_PROGRAMS_H
#define CAPSIM_SANDBOX_PROGRAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/fdio/io.h>
#include <zircon/types.h>

#include "io_server.h"
#include "sdk/runtime.h"

/* ---- memfs (memfs.c): a writable file system in memory (/data, /tmp) ---- */
typedef struct MemfsConfig {
    IoServerConfig io;
    bool readonly;
} MemfsConfig;
void memfs_program(uintptr_t cfg, uintptr_t unused);

/* ---- pkgfs (pkgfs.c): archives served read-only and executable --------- */
typedef struct PkgfsConfig {
    IoServerConfig io;
} PkgfsConfig;
/* Mount an archive at `path` ("" = the root): path_len bytes of path
 * follow; one handle, a VMO holding the archive (size bytes). */
#define PKGFS_OP_ADD_ARCHIVE 0x2001u
typedef struct PkgfsAddArchive {
    FioHeader hdr;
    uint32_t path_len;
    uint32_t reserved;
    uint64_t size;
} PkgfsAddArchive;
void pkgfs_program(uintptr_t cfg, uintptr_t unused);

/* ---- devmgr and drivers (devmgr.c, drivers.c) -------------------------- */
typedef struct DevmgrConfig {
    IoServerConfig io;
    size_t ndevices;
    const char *const *paths;  /* device i's path under /dev, e.g. "class/input/000" */
} DevmgrConfig;
void devmgr_program(uintptr_t cfg, uintptr_t unused);
/* devmgr -> driver: one handle, a new client connection to the device. */
#define DEVICE_OP_CONNECT 0x2101u
typedef struct FbDriverConfig {
    uint32_t width, height;
} FbDriverConfig;
void fb_driver_program(uintptr_t cfg, uintptr_t unused);
void input_driver_program(uintptr_t cfg, uintptr_t unused);

/* ---- services (services.c): each serves one entry in its outgoing dir -- */
typedef struct ServiceConfig {
    IoServerConfig io;
    const char *name;          /* the entry, e.g. "fidl.examples.echo.Echo" */
    size_t nsecrets;           /* secrets: name/value pairs handed out */
    const char *const *secret_names;
    const char *const *secret_values;
} ServiceConfig;
void echo_program(uintptr_t cfg, uintptr_t unused);
void logger_program(uintptr_t cfg, uintptr_t unused);
void secrets_program(uintptr_t cfg, uintptr_t unused);

/* ---- appmgr (appmgr.c): per-component /svc and the hub ----------------- */
typedef struct AppmgrConfig {
    IoServerConfig io;
} AppmgrConfig;
/* A new environment: env_id, parent_id (0 = none), inherit (parent's
 * services visible), name (name_len bytes follow). No handles. */
#define APPMGR_OP_ADD_ENV 0x2201u
/* A service in env_id's set: name follows; one handle, the provider's
 * outgoing directory (client end). */
#define APPMGR_OP_ADD_SERVICE 0x2202u
/* Serve a component's /svc: env_id, count names follow (each NUL-ended;
 * count = APPMGR_ALL_SERVICES: every service of the environment); one
 * handle, the server end of the component's /svc. */
#define APPMGR_OP_SERVE_SVC 0x2203u
/* A component for the hub: env_id, koids, "name\0url\0" follows. */
#define APPMGR_OP_ADD_COMPONENT 0x2204u
#define APPMGR_ALL_SERVICES 0xFFFFFFFFu
typedef struct AppmgrMsg {
    FioHeader hdr;
    uint64_t env_id;
    uint64_t parent_id;        /* ADD_ENV */
    uint64_t process_koid;     /* ADD_COMPONENT */
    uint64_t job_koid;         /* ADD_COMPONENT */
    uint32_t count;            /* SERVE_SVC: names; ADD_ENV: inherit (0/1) */
    uint32_t len;              /* bytes following */
} AppmgrMsg;
void appmgr_program(uintptr_t cfg, uintptr_t unused);

/* Shared by the programs: take the PA_DIRECTORY_REQUEST startup handle. */
zx_handle_t programs_directory_request(void);

#endif
