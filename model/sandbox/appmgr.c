/* appmgr.c — appmgr, the component manager's simulated process: every
 * component's /svc, and the hub.
 *
 * What it models: the part of Fuchsia's historical appmgr that runs as a
 * process serving directories. Environments (realms) are nested; each has
 * its own service set, and may see its parent's. For each component it
 * serves a private /svc directory: one entry per visible service (the
 * environment's own first, then inherited ones not shadowed), each a remote
 * node forwarding Open("<name>") to the provider's outgoing directory. A
 * component whose sandbox lists "services" sees exactly those (missing ones
 * simply do not appear, as appmgr did); one without a sandbox sees them all.
 * The hub is a read-only tree describing environments (r/<name>/<id>/) and
 * components (c/<name>/<process koid>/ with name, url, process-id, job-id).
 *
 * The host side of the component manager (component_manager.c) drives it
 * with one-way control messages (programs.h) and holds the system's root
 * directories in appmgr's handle table (PA_NS_DIR /boot, /data...), so the
 * capability graph shows appmgr owning them.
 *
 * Invariants: environment ids are the host's (unique, parents first); a
 * /svc tree is fixed when served (services added later are not seen by
 * components already running). Left out: fuchsia.sys.Launcher (launching
 * from inside the simulation), component controllers, hub "out" and "in"
 * directories. Read next: component_manager.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "programs.h"

typedef struct AppmgrEnv {
    uint64_t id, parent;
    bool inherit;
    size_t nsvc;
    char **svc_names;
    zx_handle_t *svc_dirs;    /* providers' outgoing directories */
    Vnode *hub;               /* this environment's hub directory */
} AppmgrEnv;

typedef struct Appmgr {
    IoServer *srv;
    VnodeTree *hub;
    AppmgrEnv *envs;
    size_t nenvs;
    unsigned nsvc_served;     /* /svc trees served so far (graph names) */
} Appmgr;

static AppmgrEnv *appmgr_env(Appmgr *am, uint64_t id)
{
    for (size_t i = 0; i < am->nenvs; i++)
        if (am->envs[i].id == id)
            return &am->envs[i];
    return NULL;
}

static void appmgr_add_env(Appmgr *am, const AppmgrMsg *msg, const char *name)
{
    if (appmgr_env(am, msg->env_id))
        return;
    AppmgrEnv *envs = realloc(am->envs, (am->nenvs + 1) * sizeof *envs);
    if (!envs)
        return;
    am->envs = envs;
    AppmgrEnv *parent = msg->parent_id ? appmgr_env(am, msg->parent_id) : NULL;
    AppmgrEnv *e = &am->envs[am->nenvs++];
    memset(e, 0, sizeof *e);
    e->id = msg->env_id;
    e->parent = parent ? parent->id : 0;
    e->inherit = msg->count != 0;
    if (!parent) {
        e->hub = am->hub->root;
        return;
    }
    char path[FIO_MAX_FILENAME * 2 + 8];
    snprintf(path, sizeof path, "r/%s/%llu", name, (unsigned long long)e->id);
    e->hub = vnode_mkdir_p(parent->hub, path);
}

static void appmgr_add_service(Appmgr *am, const AppmgrMsg *msg, const char *name,
                               IoMessage *m)
{
    AppmgrEnv *e = appmgr_env(am, msg->env_id);
    if (!e || m->nhandles != 1)
        return;
    char **names = realloc(e->svc_names, (e->nsvc + 1) * sizeof *names);
    if (names)
        e->svc_names = names;
    zx_handle_t *dirs = names ? realloc(e->svc_dirs, (e->nsvc + 1) * sizeof *dirs) : NULL;
    if (dirs)
        e->svc_dirs = dirs;
    char *copy = dirs ? strdup(name) : NULL;
    if (!copy)
        return;
    e->svc_names[e->nsvc] = copy;
    e->svc_dirs[e->nsvc] = m->handles[0];
    m->handles[0] = ZX_HANDLE_INVALID;
    e->nsvc++;
}

/* The provider of `name` seen from environment e (its own, then inherited). */
static zx_handle_t appmgr_lookup(Appmgr *am, AppmgrEnv *e, const char *name)
{
    while (e) {
        for (size_t i = 0; i < e->nsvc; i++)
            if (strcmp(e->svc_names[i], name) == 0)
                return e->svc_dirs[i];
        e = e->inherit && e->parent ? appmgr_env(am, e->parent) : NULL;
    }
    return ZX_HANDLE_INVALID;
}

static void appmgr_svc_add(Appmgr *am, AppmgrEnv *e, Vnode *root, const char *name)
{
    zx_handle_t dir = appmgr_lookup(am, e, name);
    if (dir != ZX_HANDLE_INVALID && !vnode_lookup(root, name, strlen(name)))
        vnode_add_remote(root, name, dir, false, name);
}

static void appmgr_serve_svc(Appmgr *am, const AppmgrMsg *msg, const char *names,
                             IoMessage *m)
{
    AppmgrEnv *e = appmgr_env(am, msg->env_id);
    VnodeTree *t = vnode_tree_new(false, false);
    if (!e || !t || m->nhandles != 1) {
        vnode_tree_free(t);
        return;
    }
    capsim_process_on_release(vnode_tree_discard, t);
    t->immutable = true;
    /* Named apart from the providers' /svc/<name> nodes in the graph. */
    snprintf(t->graph_name, sizeof t->graph_name, "appmgr/svc#%u", ++am->nsvc_served);
    if (msg->count == APPMGR_ALL_SERVICES) {
        for (AppmgrEnv *x = e; x; x = x->inherit && x->parent ? appmgr_env(am, x->parent) : NULL)
            for (size_t i = 0; i < x->nsvc; i++)
                appmgr_svc_add(am, e, t->root, x->svc_names[i]);
    } else {
        const char *p = names, *end = names + msg->len;
        for (uint32_t i = 0; i < msg->count && p < end; i++) {
            const char *nul = memchr(p, '\0', (size_t)(end - p));
            if (!nul)
                break;
            appmgr_svc_add(am, e, t->root, p);
            p = nul + 1;
        }
    }
    t->root->ctime = t->root->mtime = zx_clock_get_monotonic();
    zx_handle_t request = m->handles[0];
    m->handles[0] = ZX_HANDLE_INVALID;
    /* The tree lives as long as appmgr (its nodes point at it). */
    io_server_serve(am->srv, t->root, request,
                    FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE |
                        FIO_OPEN_FLAG_DIRECTORY);
}

static void appmgr_hub_file(Vnode *dir, const char *name, const char *text)
{
    Vnode *f = vnode_add_file(dir, name, text, strlen(text));
    if (f)
        f->ctime = f->mtime = zx_clock_get_monotonic();
}

static void appmgr_add_component(Appmgr *am, const AppmgrMsg *msg, const char *data)
{
    AppmgrEnv *e = appmgr_env(am, msg->env_id);
    const char *name = data, *url = memchr(data, '\0', msg->len);
    if (!e || !url || (size_t)(url - data) + 1 >= msg->len ||
        !memchr(url + 1, '\0', msg->len - (size_t)(url - data) - 1))
        return;
    url++;
    char path[FIO_MAX_FILENAME + 32], num[32];
    snprintf(path, sizeof path, "c/%s/%llu", name, (unsigned long long)msg->process_koid);
    Vnode *dir = vnode_mkdir_p(e->hub, path);
    if (!dir)
        return;
    appmgr_hub_file(dir, "name", name);
    appmgr_hub_file(dir, "url", url);
    snprintf(num, sizeof num, "%llu", (unsigned long long)msg->process_koid);
    appmgr_hub_file(dir, "process-id", num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)msg->job_koid);
    appmgr_hub_file(dir, "job-id", num);
}

static void appmgr_control(IoLoop *loop, IoEndpoint *ep, IoMessage *m)
{
    Appmgr *am = ep->ctx;
    AppmgrMsg msg;
    if (m->nbytes < sizeof msg)
        return;
    memcpy(&msg, m->bytes, sizeof msg);
    if (msg.len > m->nbytes - sizeof msg || msg.len > FIO_MAX_PATH * 4)
        return;
    char *data = calloc(1, (size_t)msg.len + 1);  /* NUL-terminated copy */
    if (!data)
        return;
    memcpy(data, m->bytes + sizeof msg, msg.len);
    switch (msg.hdr.ordinal) {
    case APPMGR_OP_ADD_ENV: appmgr_add_env(am, &msg, data); break;
    case APPMGR_OP_ADD_SERVICE: appmgr_add_service(am, &msg, data, m); break;
    case APPMGR_OP_SERVE_SVC: appmgr_serve_svc(am, &msg, data, m); break;
    case APPMGR_OP_ADD_COMPONENT: appmgr_add_component(am, &msg, data); break;
    default: break;
    }
    free(data);
}

/* appmgr's state, when its process is released (it serves until killed):
 * the handles in its tables went with the process. */
static void appmgr_discard(void *appmgr)
{
    Appmgr *am = appmgr;
    for (size_t i = 0; i < am->nenvs; i++) {
        for (size_t j = 0; j < am->envs[i].nsvc; j++)
            free(am->envs[i].svc_names[j]);
        free(am->envs[i].svc_names);
        free(am->envs[i].svc_dirs);
    }
    free(am->envs);
    vnode_tree_discard(am->hub);
    free(am);
}

void appmgr_program(uintptr_t arg, uintptr_t unused)
{
    const AppmgrConfig *cfg = (const AppmgrConfig *)arg;
    /* On the heap: it is released with the process, long after this
     * thread's stack went back to the pool. */
    Appmgr *am = calloc(1, sizeof *am);
    zx_handle_t hub = programs_directory_request();
    zx_handle_t control = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    IoLoop *loop = io_loop_new();
    if (am)
        am->hub = vnode_tree_new(true, false);
    if (am && am->hub && capsim_process_on_release(appmgr_discard, am) != 0) {
        vnode_tree_free(am->hub);
        am->hub = NULL;
    }
    if (!am || !am->hub) {
        free(am);
        zx_process_exit(1);
    }
    am->srv = loop ? io_server_new(loop, &cfg->io) : NULL;
    if (!am->srv || control == ZX_HANDLE_INVALID)
        zx_process_exit(1);
    am->hub->root->ctime = am->hub->root->mtime = zx_clock_get_monotonic();
    io_loop_add(loop, control, appmgr_control, NULL, am);
    if (hub != ZX_HANDLE_INVALID)
        io_server_serve(am->srv, am->hub->root, hub,
                        FIO_OPEN_RIGHT_READABLE | FIO_OPEN_FLAG_DIRECTORY);
    io_loop_run(loop);
    zx_process_exit(0);
}
