/* host_spawn.c — spawning apps with chosen startup handles, and questions
 * about any object by koid (capsim_script.h).
 *
 * Models: fdio_spawn_etc from the launcher's side. The new process gets,
 * processargs-style, the standard handles if asked (its own process,
 * thread, root VMAR, and PA_JOB_DEFAULT for the job it runs in, possibly
 * attenuated) and the host handles the script lists, each under its
 * PA_HND(type, arg) word and with the rights asked for (a subset of the
 * host's). Those handles MOVE: the host's copy is closed once the launch
 * succeeded. Everything is checked before anything happens, so a refused
 * spawn leaves the host holding all it held. The app runs in a host job
 * (which the host keeps) or in a fresh job under the root job named after
 * it, as capsim_spawn_app does.
 *
 * Leaves out: namespaces for plain apps (components get theirs from the
 * component manager, host_component.c). Read next: host_trace.c.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/object.h>

#include "app.h"
#include "host_script_internal.h"
#include "job.h"
#include "thread.h"
#include "viz_style.h"

/* "dir/hello.so" -> "hello" */
static void host_spawn_default_name(const char *path, char *out, size_t len)
{
    const char *base = strrchr(path, '/');
    snprintf(out, len, "%s", base ? base + 1 : path);
    size_t n = strlen(out);
    if (n > 3 && strcmp(out + n - 3, ".so") == 0)
        out[n - 3] = '\0';
}

/* Check every startup handle and fill the launch's extra list. */
static int host_spawn_handles(CapsimSystem *sys, const CapsimSpawn *sp, LaunchSpec *ls,
                              Handle **moved)
{
    if (sp->nhandles > LAUNCH_MAX_EXTRA)
        return host_script_fail(sys, ZX_ERR_INVALID_ARGS,
                                "at most %d startup handles, not %zu", LAUNCH_MAX_EXTRA,
                                sp->nhandles);
    for (size_t i = 0; i < sp->nhandles; i++) {
        const CapsimStartHandle *s = &sp->handles[i];
        int st;
        Handle *h = host_objects_lookup(sys, s->handle, &st);
        if (!h)
            return st;
        for (size_t j = 0; j < i; j++)
            if (moved[j] == h)
                return host_script_fail(sys, ZX_ERR_BAD_HANDLE,
                                        "handle %#x is given twice", s->handle);
        zx_rights_t r;
        char asked[512], held[512];
        if (!rights_derive(h->rights, s->rights, &r))
            return host_script_fail(sys, ZX_ERR_INVALID_ARGS,
                                    "startup handle %zu: rights %s are not a subset of "
                                    "the handle's %s", i,
                                    viz_style_rights_names(s->rights, asked, sizeof asked),
                                    viz_style_rights_names(h->rights, held, sizeof held));
        if (PA_HND_TYPE(s->info) == PA_PROC_SELF || PA_HND_TYPE(s->info) == PA_THREAD_SELF)
            return host_script_fail(sys, ZX_ERR_INVALID_ARGS,
                                    "startup handle %zu: PA_PROC_SELF and PA_THREAD_SELF "
                                    "are the process's own", i);
        moved[i] = h;
        ls->extra[i] = (LaunchHandle){s->info, h->object, r};
    }
    ls->nextra = sp->nhandles;
    return ZX_OK;
}

/* The job to run in: the host's (borrowed) or a new one (a reference). */
static KJob *host_spawn_job(CapsimSystem *sys, const CapsimSpawn *sp, const char *name,
                            bool *fresh, int *st)
{
    *fresh = sp->job == 0;
    if (!*fresh) {
        KJob *j = host_objects_job(sys, sp->job, st);
        if (j && j->state != JOB_READY) {
            *st = host_script_fail(sys, ZX_ERR_BAD_STATE, "job '%s' is being killed or dead",
                                   j->base.name);
            return NULL;
        }
        return j;
    }
    KJob *j = NULL;
    if ((*st = job_create(sys->k->root_job, &j)) != ZX_OK) {
        *st = host_script_fail(sys, *st, "%s: cannot create a job for it", sp->path);
        return NULL;
    }
    kobject_set_name(&j->base, name, strlen(name));
    return j;
}

uint64_t capsim_host_spawn(CapsimSystem *sys, const CapsimSpawn *sp)
{
    if (!sp || !sp->path || !*sp->path) {
        host_script_fail(sys, ZX_ERR_INVALID_ARGS, "no app given");
        return 0;
    }
    if (sp->argc < 0 || (sp->argc > 0 && !sp->argv)) {
        host_script_fail(sys, ZX_ERR_INVALID_ARGS, "%s: bad argument vector", sp->path);
        return 0;
    }
    LaunchSpec ls;
    memset(&ls, 0, sizeof ls);
    Handle *moved[LAUNCH_MAX_EXTRA];
    AppImage *img = NULL;
    if (host_spawn_handles(sys, sp, &ls, moved) != ZX_OK ||
        !(img = host_script_image(sys, sp->path)))
        return 0;
    char defname[ZX_MAX_NAME_LEN];
    host_spawn_default_name(sp->path, defname, sizeof defname);
    const char *name = sp->name && *sp->name ? sp->name : defname;
    bool fresh;
    int st;
    KJob *job = host_spawn_job(sys, sp, name, &fresh, &st);
    if (!job)
        return 0;
    ls.name = name;
    ls.give = sp->standard ? LAUNCH_GIVE_STANDARD : 0;
    ls.default_job = job;
    ls.job_rights = sp->job_rights;
    ls.argc = sp->argc;
    ls.argv = (char **)sp->argv;
    ls.envp = (char **)sp->envp;
    ls.server = sp->server != 0;
    KProcess *p = NULL;
    st = app_launch(sys->k, job, img, &ls, &p);
    if (fresh)
        kobject_unref(&job->base);
    if (st != ZX_OK) {
        host_script_fail(sys, st, "%s: cannot launch it (%s)", sp->path, capsim_status_name(st));
        return 0;
    }
    for (size_t i = 0; i < sp->nhandles; i++)
        host_objects_drop(sys, moved[i]);
    uint64_t koid = p->base.koid;
    kobject_unref(&p->base);
    if (!sys->first_app)
        sys->first_app = koid;
    return koid;
}

static KObject *host_spawn_find(CapsimSystem *sys, uint64_t koid)
{
    for (KObject *o = sys->k->live_head; o && o->koid <= koid; o = o->live_next)
        if (o->koid == koid)
            return o;
    return NULL;
}

uint64_t capsim_process_job(CapsimSystem *sys, uint64_t process)
{
    KObject *o = host_spawn_find(sys, process);
    return o && o->ops->type == ZX_OBJ_TYPE_PROCESS ? process_from(o)->job->base.koid : 0;
}

int capsim_object_info(CapsimSystem *sys, uint64_t koid, CapsimObjectInfo *out)
{
    KObject *o = host_spawn_find(sys, koid);
    if (!o)
        return host_script_fail(sys, ZX_ERR_NOT_FOUND, "no live object has koid %llu",
                                (unsigned long long)koid);
    memset(out, 0, sizeof *out);
    out->koid = koid;
    out->type = o->ops->type;
    snprintf(out->type_name, sizeof out->type_name, "%s", o->ops->name);
    snprintf(out->name, sizeof out->name, "%s", o->name);
    out->handle_count = o->handle_count;
    out->signals = o->signals;
    out->state = -1;
    switch (o->ops->type) {
    case ZX_OBJ_TYPE_JOB: {
        KJob *j = job_from(o);
        out->parent = j->parent ? j->parent->base.koid : 0;
        out->state = (int)j->state;
        break;
    }
    case ZX_OBJ_TYPE_PROCESS:
        out->parent = process_from(o)->job->base.koid;
        out->state = (int)process_from(o)->state;
        break;
    case ZX_OBJ_TYPE_THREAD:
        out->parent = thread_from(o)->process->base.koid;
        out->state = (int)thread_from(o)->state;
        break;
    default:
        break;
    }
    return ZX_OK;
}

int capsim_task_kill(CapsimSystem *sys, uint64_t koid)
{
    KObject *o = host_spawn_find(sys, koid);
    if (!o)
        return host_script_fail(sys, ZX_ERR_NOT_FOUND, "no live task has koid %llu",
                                (unsigned long long)koid);
    if (o->ops->type == ZX_OBJ_TYPE_PROCESS)
        process_kill(process_from(o), ZX_TASK_RETCODE_SYSCALL_KILL);
    else if (o->ops->type == ZX_OBJ_TYPE_JOB)
        job_kill(job_from(o), ZX_TASK_RETCODE_SYSCALL_KILL);
    else
        return host_script_fail(sys, ZX_ERR_WRONG_TYPE, "koid %llu is a %s, not a task",
                                (unsigned long long)koid, o->ops->name);
    return ZX_OK;
}
