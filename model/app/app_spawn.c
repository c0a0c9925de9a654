/* app_spawn.c — capsim_spawn on the kernel side: an app starts another app.
 *
 * Models: Fuchsia's fdio_spawn (process loader + processargs) collapsed
 * into one request, APP_OP_SPAWN, handled on the engine stack like a
 * syscall, with syscall rules: arguments copied in with safe copies (a bad
 * pointer is ZX_ERR_INVALID_ARGS, never a host fault), handles resolved in
 * Zircon's order (bad handle, wrong type, rights), the job's NEW_PROCESS
 * policy applied as zx_process_create would.
 *
 * Order: (1) copy the handle array (what cannot be read cannot be
 * consumed); from then on every handle given is consumed, success or not,
 * as fdio_spawn does; (2) flags, strings, argv, the out pointer; (3) policy;
 * (4) job handle (MANAGE_PROCESS or WRITE); (5) each moved handle (TRANSFER,
 * no duplicates); (6) the image: NULL = the caller's own, else a built-in
 * by name, else a file (cached per path for the world's life); (7)
 * app_launch; (8) move the handles (the caller's are closed), hand out the
 * process handle.
 *
 * Leaves out: fdio's actions other than handles (namespaces and fds come
 * with the sandbox layer), loading from the caller's namespace instead of
 * the host filesystem. Read next: app_launch.c.
 */
#include <capsim/app.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/policy.h>

#include "app_world.h"
#include "job.h"
#include "syscall.h"
#include "thread.h"

#define APP_SPAWN_MAX_ARGS 256
#define APP_SPAWN_MAX_STRING 4096

typedef struct AppSpawnArgs {
    capsim_spawn_handle_t handles[LAUNCH_MAX_EXTRA];
    size_t nhandles;
    Handle *moved[LAUNCH_MAX_EXTRA];
    char *app;                 /* NULL: the caller's own image */
    char *argv[APP_SPAWN_MAX_ARGS + 1];
    int argc;
} AppSpawnArgs;

/* Copy a NUL-terminated string from the app, page by page. */
static char *app_spawn_string(SysCtx *c, const char *user)
{
    char *out = malloc(APP_SPAWN_MAX_STRING);
    size_t n = 0;
    while (out && n < APP_SPAWN_MAX_STRING) {
        uintptr_t a = (uintptr_t)user + n;
        size_t chunk = 4096 - (a & 4095);
        if (chunk > APP_SPAWN_MAX_STRING - n)
            chunk = APP_SPAWN_MAX_STRING - n;
        if (!sys_copy_in(c, out + n, (const void *)a, chunk))
            break;
        if (memchr(out + n, '\0', chunk))
            return out;
        n += chunk;
    }
    free(out);
    return NULL;
}

static zx_status_t app_spawn_argv(SysCtx *c, const char *const *uargv,
                                  AppSpawnArgs *s)
{
    for (s->argc = 0; uargv; s->argc++) {
        const char *p;
        if (s->argc == APP_SPAWN_MAX_ARGS ||
            !sys_copy_in(c, &p, &uargv[s->argc], sizeof p))
            return ZX_ERR_INVALID_ARGS;
        if (!p)
            break;
        if (!(s->argv[s->argc] = app_spawn_string(c, p)))
            return ZX_ERR_INVALID_ARGS;
    }
    return ZX_OK;
}

static void app_spawn_free(AppSpawnArgs *s)
{
    free(s->app);
    for (int i = 0; i < s->argc; i++)
        free(s->argv[i]);
}

/* Close every handle the caller gave that is still in its table. */
static void app_spawn_consume(SysCtx *c, AppSpawnArgs *s)
{
    for (size_t i = 0; i < s->nhandles; i++) {
        Handle *h = handle_table_get(&c->proc->handles, s->handles[i].handle);
        if (h)
            sys_close_handle(c, h);
    }
}

static zx_status_t app_spawn_resolve(SysCtx *c, AppSpawnArgs *s)
{
    for (size_t i = 0; i < s->nhandles; i++) {
        zx_status_t st = sys_lookup(c, s->handles[i].handle, &s->moved[i]);
        if (st != ZX_OK)
            return st;
        if (!rights_has(s->moved[i]->rights, ZX_RIGHT_TRANSFER))
            return ZX_ERR_ACCESS_DENIED;
        for (size_t j = 0; j < i; j++)
            if (s->moved[j] == s->moved[i])
                return ZX_ERR_BAD_HANDLE;
    }
    return ZX_OK;
}

static zx_status_t app_spawn_image(AppWorld *w, SysCtx *c, const char *app,
                                   AppImage **out)
{
    if (!app) {
        AppProc *self = app_world_proc_by_koid(w, c->proc->base.koid);
        if (!self || !self->inst)
            return ZX_ERR_NOT_SUPPORTED; /* the caller runs no app copy */
        *out = app_image_ref(self->inst->img);
        return ZX_OK;
    }
    if ((*out = app_image_builtin(app)))
        return ZX_OK;
    if ((*out = g_hash_table_lookup(w->images, app))) {
        app_image_ref(*out);
        return ZX_OK;
    }
    if (!g_file_test(app, G_FILE_TEST_IS_REGULAR))
        return ZX_ERR_NOT_FOUND;
    char *error = NULL;
    AppImage *img = app_image_load_file(app, &error);
    if (!img) {
        kernel_trace(w->k, KTR_NOTE, c->proc->base.koid, 0, 0, 0,
                     error ? error : "cannot load app");
        free(error);
        return ZX_ERR_NOT_SUPPORTED;
    }
    g_hash_table_insert(w->images, g_strdup(app), app_image_ref(img));
    *out = img;
    return ZX_OK;
}

static void app_spawn_spec(AppWorld *w, SysCtx *c, AppSpawnArgs *s, uint32_t flags,
                           AppImage *img, KJob *job, zx_rights_t job_rights,
                           LaunchSpec *spec)
{
    memset(spec, 0, sizeof *spec);
    const char *n = s->argc > 0 ? s->argv[0] : img->name;
    const char *slash = strrchr(n, '/');
    spec->name = slash && slash[1] ? slash + 1 : n;
    if (flags & CAPSIM_SPAWN_SELF_HANDLES)
        spec->give |= LAUNCH_GIVE_PROC_SELF | LAUNCH_GIVE_THREAD_SELF | LAUNCH_GIVE_VMAR_ROOT;
    if (flags & CAPSIM_SPAWN_DEFAULT_JOB) {
        spec->give |= LAUNCH_GIVE_JOB_DEFAULT;
        spec->default_job = job;
        spec->job_rights = job_rights;
    }
    for (size_t i = 0; i < s->nhandles; i++)
        spec->extra[spec->nextra++] = (LaunchHandle){
            s->handles[i].id, s->moved[i]->object, s->moved[i]->rights};
    spec->argc = s->argc;
    spec->argv = s->argv;
    if (flags & CAPSIM_SPAWN_CLONE_ENVIRON) {
        AppProc *self = app_world_proc_by_koid(w, c->proc->base.koid);
        spec->envp = self ? app_io_environ(self) : NULL;
    }
}

/* Steps (2)-(5): everything that can fail before anything is created. */
static zx_status_t app_spawn_check(SysCtx *c, AppSpawnArgs *s, uint32_t flags,
                                   zx_handle_t job, zx_handle_t *out,
                                   Handle **jh)
{
    SyscallRequest *q = c->req;
    if (flags & ~(uint32_t)CAPSIM_SPAWN_STANDARD)
        return ZX_ERR_INVALID_ARGS;
    if (q->a[2] && !(s->app = app_spawn_string(c, (const char *)q->a[2])))
        return ZX_ERR_INVALID_ARGS;
    zx_status_t st = app_spawn_argv(c, (const char *const *)q->a[3], s);
    zx_handle_t none = ZX_HANDLE_INVALID;
    if (st == ZX_OK && out && !sys_copy_out(c, out, &none, sizeof none))
        st = ZX_ERR_INVALID_ARGS;
    if (st == ZX_OK)
        st = sys_policy(c, ZX_POL_NEW_PROCESS);
    if (st == ZX_OK)
        st = sys_get_handle(c, job, ZX_OBJ_TYPE_JOB, ZX_RIGHT_NONE, jh);
    if (st == ZX_OK && !rights_has((*jh)->rights, ZX_RIGHT_MANAGE_PROCESS) &&
        !rights_has((*jh)->rights, ZX_RIGHT_WRITE))
        st = ZX_ERR_ACCESS_DENIED;
    return st == ZX_OK ? app_spawn_resolve(c, s) : st;
}

static zx_status_t app_spawn_run(AppWorld *w, SysCtx *c, AppSpawnArgs *s)
{
    SyscallRequest *q = c->req;
    uint32_t flags = (uint32_t)q->a[1];
    zx_handle_t *out = (zx_handle_t *)q->a[6];
    Handle *jh = NULL;
    zx_status_t st = app_spawn_check(c, s, flags, (zx_handle_t)q->a[0], out, &jh);
    AppImage *img = NULL;
    if (st == ZX_OK)
        st = app_spawn_image(w, c, s->app, &img);
    if (st != ZX_OK)
        return st;
    LaunchSpec spec;
    KJob *job = job_from(jh->object);
    app_spawn_spec(w, c, s, flags, img, job, jh->rights, &spec);
    KProcess *child = NULL;
    sys_charge(c, w->k->costs.process_create + w->k->costs.thread_create);
    st = app_launch(w->k, job, img, &spec, &child);
    app_image_release(img);
    if (st != ZX_OK)
        return st;
    app_spawn_consume(c, s); /* the child has its own handles now */
    s->nhandles = 0;
    if (out)
        st = sys_make_handle(c, &child->base, ZX_DEFAULT_PROCESS_RIGHTS, out);
    kobject_unref(&child->base);
    return st;
}

int64_t app_spawn_handle(AppWorld *w, SimThread *caller, SimRequest *req)
{
    KThread *t = thread_of_fiber(caller);
    if (req->op != APP_OP_SPAWN)
        return ZX_ERR_BAD_SYSCALL;
    if (!t)
        return ZX_ERR_BAD_STATE;
    SysCtx c = {.k = w->k, .st = caller, .thread = t, .proc = t->process,
                .handles = &t->process->handles, .req = (SyscallRequest *)req};
    SyscallRequest *q = c.req;
    AppSpawnArgs *s = calloc(1, sizeof *s);
    if (!s)
        return ZX_ERR_NO_MEMORY;
    zx_status_t st = ZX_OK;
    s->nhandles = (size_t)q->a[5];
    if (s->nhandles > LAUNCH_MAX_EXTRA ||
        (s->nhandles && !sys_copy_in(&c, s->handles, (const void *)q->a[4],
                                     s->nhandles * sizeof s->handles[0]))) {
        s->nhandles = 0;
        st = ZX_ERR_INVALID_ARGS;
    }
    if (st == ZX_OK)
        st = app_spawn_run(w, &c, s);
    if (st != SYS_EXITED)
        app_spawn_consume(&c, s);
    app_spawn_free(s);
    free(s);
    return st;
}
