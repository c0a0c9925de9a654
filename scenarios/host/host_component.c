/* host_component.c — the component manager for scripts (capsim_script.h):
 * a Fuchsia-like system of directories, services and appmgr on the
 * script's kernel, packages installed into it, environments, and
 * components launched into sandboxes under a sandbox policy.
 *
 * Models what `capsim component` and `capsim demo` do, one call at a time:
 * the policy is grant-all (appmgr's historical behaviour) or an allowlist
 * (docs/sandbox.md); a refused launch is still a launch attempt, recorded
 * with its reason, so scripts can expect refusals. Environments are named
 * by index: 0 is the root environment, others in creation order.
 *
 * Invariants: at most one component system per CapsimSystem; it and its
 * policy are freed by host_script_free. Leaves out: removing packages or
 * environments. Read next: model/sandbox/component_manager.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component_manager.h"
#include "host_script_internal.h"
#include "job.h"
#include "viz_components.h"

static CmSystem *host_component_cm(CapsimSystem *sys)
{
    CmSystem *cm = host_script(sys)->cm;
    if (!cm)
        host_script_fail(sys, ZX_ERR_BAD_STATE,
                         "no component system: call capsim_components_start first");
    return cm;
}

/* Take a malloc'd error from the sandbox layer into the system's message. */
static int host_component_error(CapsimSystem *sys, int status, char *err)
{
    host_script_fail(sys, status, "%s", err ? err : "unknown error");
    free(err);
    return status;
}

int capsim_components_start(CapsimSystem *sys, const char *policy_json,
                            const char *policy_name, int bare_root_env,
                            const CapsimPolicy *job_policy, size_t njob_policy)
{
    HostScript *s = host_script(sys);
    if (s->cm)
        return host_script_fail(sys, ZX_ERR_ALREADY_EXISTS,
                                "the component system is already started");
    if (njob_policy > 32)
        return host_script_fail(sys, ZX_ERR_INVALID_ARGS, "at most 32 job policy entries");
    char *err = NULL;
    SandboxPolicy *pol = NULL;
    if (policy_json &&
        !(pol = sandbox_policy_load_bytes(policy_name ? policy_name : "allowlist.json",
                                          policy_json, strlen(policy_json), &err)))
        return host_component_error(sys, ZX_ERR_INVALID_ARGS, err);
    /* The component manager borrows the job policy: keep it with the system. */
    zx_policy_basic_v2_t *jp = calloc(njob_policy + 1, sizeof *jp);
    if (!jp)
        abort();
    for (size_t i = 0; i < njob_policy; i++)
        jp[i] = (zx_policy_basic_v2_t){job_policy[i].condition, job_policy[i].action,
                                       job_policy[i].flags};
    CmConfig cfg = {.policy = pol, .job_policy = njob_policy ? jp : NULL,
                    .njob_policy = njob_policy, .bare_root_env = bare_root_env != 0};
    CmSystem *cm = cm_new(sys->k, &cfg, &err);
    if (!cm) {
        sandbox_policy_free(pol);
        free(jp);
        return host_component_error(sys, ZX_ERR_INTERNAL, err);
    }
    /* Snapshots show the components (nodes, membership): "component:NAME"
     * names a principal, as in capsim graph. */
    if (viz_components_watch(cm) != 0) {
        cm_free(cm);
        sandbox_policy_free(pol);
        free(jp);
        return host_script_fail(sys, ZX_ERR_NO_RESOURCES,
                                "too many systems with components alive at once: close one");
    }
    s->cm = cm;
    s->job_policy = jp;
    s->policy = pol;
    s->envs = malloc(sizeof *s->envs);
    s->envs[0] = cm_root_env(cm);
    s->nenvs = 1;
    return ZX_OK;
}

int capsim_component_add_package(CapsimSystem *sys, const char *path, char *name_out,
                                 size_t len)
{
    CmSystem *cm = host_component_cm(sys);
    if (!cm)
        return ZX_ERR_BAD_STATE;
    char *err = NULL;
    char *name = cm_add_package_file(cm, path, &err);
    if (!name)
        return host_component_error(sys, ZX_ERR_INVALID_ARGS, err);
    if (name_out && len)
        snprintf(name_out, len, "%s", name);
    free(name);
    return ZX_OK;
}

int capsim_component_data_put(CapsimSystem *sys, const char *path, const void *data,
                              size_t len)
{
    CmSystem *cm = host_component_cm(sys);
    char *err = NULL;
    if (!cm)
        return ZX_ERR_BAD_STATE;
    return cm_data_put(cm, path, data, len, &err) ? ZX_OK
                                                  : host_component_error(sys, ZX_ERR_INVALID_ARGS, err);
}

static CmEnv *host_component_env(CapsimSystem *sys, int env)
{
    HostScript *s = host_script(sys);
    if (env < 0 || (size_t)env >= s->nenvs) {
        host_script_fail(sys, ZX_ERR_NOT_FOUND, "no environment %d (there are %zu)", env,
                         s->nenvs);
        return NULL;
    }
    return s->envs[env];
}

int capsim_component_env(CapsimSystem *sys, int parent, const char *name, int inherit)
{
    CmSystem *cm = host_component_cm(sys);
    CmEnv *p = cm ? host_component_env(sys, parent) : NULL;
    if (!p)
        return -1;
    char *err = NULL;
    CmEnv *env = cm_env_new(cm, p, name ? name : "env", inherit != 0, &err);
    if (!env) {
        host_component_error(sys, ZX_ERR_INVALID_ARGS, err);
        return -1;
    }
    HostScript *s = sys->script;
    CmEnv **grown = realloc(s->envs, (s->nenvs + 1) * sizeof *s->envs);
    if (!grown)
        abort();
    s->envs = grown;
    s->envs[s->nenvs] = env;
    return (int)s->nenvs++;
}

int capsim_component_launch(CapsimSystem *sys, int env, const char *package, int argc,
                            const char *const *argv)
{
    CmSystem *cm = host_component_cm(sys);
    CmEnv *e = cm ? host_component_env(sys, env) : NULL;
    if (!e)
        return -1;
    size_t before = cm_component_count(cm);
    char *err = NULL;
    CmComponent *c = cm_launch(cm, e, package, argc, argv, &err);
    if (!c && cm_component_count(cm) == before) {
        host_component_error(sys, ZX_ERR_INVALID_ARGS, err);
        return -1;
    }
    if (err)
        host_script_fail(sys, ZX_ERR_ACCESS_DENIED, "%s", err);
    free(err);
    return (int)cm_component_count(cm) - 1;
}

size_t capsim_component_count(CapsimSystem *sys)
{
    CmSystem *cm = host_script(sys)->cm;
    return cm ? cm_component_count(cm) : 0;
}

int capsim_component_info(CapsimSystem *sys, size_t i, CapsimComponentInfo *out)
{
    CmSystem *cm = host_script(sys)->cm;
    if (!cm || i >= cm_component_count(cm))
        return host_script_fail(sys, ZX_ERR_NOT_FOUND, "no component launch %zu", i);
    CmComponent *c = cm_component_at(cm, i);
    KProcess *p = cm_component_process(c);
    KJob *j = cm_component_job(c);
    *out = (CapsimComponentInfo){
        .process = p ? p->base.koid : 0,
        .job = j ? j->base.koid : 0,
        .package = cm_component_package(c),
        .refusal = cm_component_refusal(c),
        .ns_count = cm_component_ns_count(c),
        .notes = cm_component_notes(c),
    };
    return ZX_OK;
}

const char *capsim_component_ns(CapsimSystem *sys, size_t i, size_t j, const char **why)
{
    CmSystem *cm = host_script(sys)->cm;
    if (!cm || i >= cm_component_count(cm))
        return NULL;
    CmComponent *c = cm_component_at(cm, i);
    if (j >= cm_component_ns_count(c))
        return NULL;
    if (why)
        *why = cm_component_ns_why(c, j);
    return cm_component_ns_path(c, j);
}

char *capsim_component_plan(CapsimSystem *sys, int env, const char *package)
{
    CmSystem *cm = host_component_cm(sys);
    CmEnv *e = cm ? host_component_env(sys, env) : NULL;
    if (!e)
        return NULL;
    char *err = NULL;
    char *plan = cm_plan(cm, e, package, &err);
    if (!plan)
        host_component_error(sys, ZX_ERR_ACCESS_DENIED, err);
    return plan;
}
