/* viewer.c — clone_all_spawn, the parent (bin/app of the package viewer).
 *
 * What it models: a component with a rich sandbox — the framebuffer
 * (/dev/class/framebuffer), its own storage (/data, holding an account
 * token in /data/passwords and photos in /data/thumbs), /pkg and /svc —
 * that hands a job to an untrusted helper (a thumbnailer, say), and how much
 * of its own authority goes with it. argv: viewer MODE HELPER.so
 *
 *   --clone-all          Fuchsia's FDIO_SPAWN_CLONE_ALL habit: the helper
 *                        gets a clone of every namespace entry
 *                        (fdio_ns_export_root) and the viewer's own job.
 *   --least-privilege    only /pkg plus the one directory it needs
 *                        (/data/thumbs, as /work), and a child job whose
 *                        policy denies ZX_POL_NEW_PROCESS.
 *
 * In both modes the helper also gets /work. capsim_spawn has no processargs
 * name table, so each directory goes as PA_HND(PA_USER1, i) with its path
 * as the i-th "--ns PATH" argument; the helper binds them into its own
 * namespace, as fdio would from the name table. The viewer waits for the
 * helper and exits 0 (2 when it cannot even start it).
 * Read next: helper.c.
 */
#include <capsim/app.h>
#include <lib/fdio/directory.h>
#include <lib/fdio/io.h>
#include <lib/fdio/namespace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#define VIEWER_MAX 16

typedef struct ViewerGrant {
    capsim_spawn_handle_t h[VIEWER_MAX];
    const char *argv[3 + 2 * VIEWER_MAX + 1];
    size_t nh, argc;
} ViewerGrant;

static void viewer_add(ViewerGrant *g, const char *path, zx_handle_t dir)
{
    if (g->nh >= VIEWER_MAX)
        return;
    g->h[g->nh] = (capsim_spawn_handle_t){PA_HND(PA_USER1, g->nh), dir};
    g->nh++;
    g->argv[g->argc++] = "--ns";
    g->argv[g->argc++] = path;
}

/* A new connection to `path` in the viewer's namespace, with `rights`. */
static zx_handle_t viewer_open(const char *path, uint32_t rights)
{
    zx_handle_t client, server;
    if (zx_channel_create(0, &client, &server) != ZX_OK)
        return ZX_HANDLE_INVALID;
    if (fdio_open(path, rights | FIO_OPEN_FLAG_DIRECTORY, server) != ZX_OK) {
        zx_handle_close(client);
        return ZX_HANDLE_INVALID;
    }
    return client;
}

/* Everything the viewer holds: a clone of each namespace entry. */
static void viewer_clone_all(ViewerGrant *g)
{
    fdio_flat_namespace_t *flat = NULL;
    if (fdio_ns_export_root(&flat) != ZX_OK)
        return;
    for (size_t i = 0; i < flat->count; i++) {
        printf("viewer: cloning %s for the helper\n", flat->path[i]);
        viewer_add(g, strdup(flat->path[i]), flat->handle[i]);
        flat->handle[i] = ZX_HANDLE_INVALID; /* moved to the helper */
    }
    fdio_ns_free_flat_ns(flat);
}

/* A child job of the viewer's in which no process may be created. */
static zx_handle_t viewer_confined_job(void)
{
    zx_handle_t job;
    zx_policy_basic_v2_t deny = {ZX_POL_NEW_PROCESS, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    if (zx_job_create(zx_job_default(), 0, &job) != ZX_OK)
        return ZX_HANDLE_INVALID;
    zx_object_set_property(job, ZX_PROP_NAME, "helper-job", 10);
    if (zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V2, &deny, 1) != ZX_OK) {
        zx_handle_close(job);
        return ZX_HANDLE_INVALID;
    }
    return job;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("viewer: usage: viewer --clone-all|--least-privilege HELPER.so\n");
        return 2;
    }
    int clone_all = strcmp(argv[1], "--clone-all") == 0;
    ViewerGrant g = {.argv = {"helper"}, .argc = 1};
    zx_handle_t job = zx_job_default();
    if (clone_all) {
        viewer_clone_all(&g);
    } else {
        viewer_add(&g, "/pkg", viewer_open("/pkg", FIO_OPEN_RIGHT_READABLE));
        job = viewer_confined_job();
        printf("viewer: giving the helper /pkg, /work and a job that denies new processes\n");
    }
    viewer_add(&g, "/work",
               viewer_open("/data/thumbs", FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE));
    zx_handle_t proc;
    zx_status_t s = capsim_spawn(job, CAPSIM_SPAWN_DEFAULT_JOB | CAPSIM_SPAWN_SELF_HANDLES,
                                 argv[2], g.argv, g.h, g.nh, &proc);
    if (s != ZX_OK) {
        printf("viewer: cannot start the helper: %s\n", zx_status_get_string(s));
        return 2;
    }
    zx_info_process_t info = {0};
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL);
    printf("viewer: the helper exited with %lld\n", (long long)info.return_code);
    return 0;
}
