/* attack_harness.c — the attack tests' harness (see attack_harness.h).
 *
 * One engine + kernel per test, the trace kept in memory so tests can look
 * for fault-injection and policy records. Images are loaded once per path
 * and per system (each launch still gets its own private copy of the app).
 * Everything is released by atk_free, in the order the app layer needs:
 * app_shutdown before the kernel and the engine go.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>

#include "attack_harness.h"
#include "channel.h"
#include "job.h"
#include "launch.h"
#include "process.h"

#define ATK_MAX_IMAGES 16
#define ATK_MAX_REFS 64

typedef struct AtkPriv {
    Atk pub;
    char *paths[ATK_MAX_IMAGES];
    AppImage *images[ATK_MAX_IMAGES];
    size_t nimages;
    KObject *refs[ATK_MAX_REFS];     /* host references dropped at the end */
    size_t nrefs;
    CmSystem *cm;                    /* atk_components, or NULL */
} AtkPriv;

Atk *atk_new(uint64_t seed, int cpus, SimStrategy strategy)
{
    AtkPriv *p = calloc(1, sizeof *p);
    cr_assert_not_null(p);
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.seed = seed;
    cfg.cpus = cpus;
    cfg.strategy = strategy;
    p->pub.engine = sim_engine_new(&cfg);
    cr_assert_not_null(p->pub.engine);
    sim_trace_keep(p->pub.engine, true);
    p->pub.kernel = kernel_new(p->pub.engine);
    return &p->pub;
}

static void atk_keep(AtkPriv *p, KObject *o)
{
    cr_assert_lt(p->nrefs, ATK_MAX_REFS, "attack harness: too many host references");
    p->refs[p->nrefs++] = o;
}

void atk_free(Atk *a)
{
    AtkPriv *p = (AtkPriv *)a;
    if (p->cm) {
        cm_shutdown(p->cm);
        sim_run(a->engine);
        cm_free(p->cm);
    }
    for (size_t i = 0; i < p->nrefs; i++)
        kobject_unref(p->refs[i]);
    for (size_t i = 0; i < p->nimages; i++) {
        app_image_release(p->images[i]);
        free(p->paths[i]);
    }
    app_shutdown(a->kernel);
    kernel_free(a->kernel);
    sim_engine_free(a->engine);
    free(p);
}

KJob *atk_job(Atk *a, const char *name, const zx_policy_basic_v2_t *pol, size_t n)
{
    KJob *j = NULL;
    cr_assert_eq(job_create(a->kernel->root_job, &j), ZX_OK);
    kobject_set_name(&j->base, name, strlen(name));
    if (n)
        cr_assert_eq(policy_apply_basic(&j->policy, ZX_JOB_POL_RELATIVE, pol, (uint32_t)n),
                     ZX_OK, "attack harness: bad policy for job %s", name);
    atk_keep((AtkPriv *)a, &j->base);
    return j;
}

void atk_channel(Atk *a, KObject **end0, KObject **end1)
{
    cr_assert_eq(channel_create(a->kernel, end0, end1), ZX_OK);
    atk_keep((AtkPriv *)a, *end0);
    atk_keep((AtkPriv *)a, *end1);
}

static AppImage *atk_image(AtkPriv *p, const char *path)
{
    for (size_t i = 0; i < p->nimages; i++)
        if (strcmp(p->paths[i], path) == 0)
            return p->images[i];
    char *err = NULL;
    AppImage *img = app_image_load_file(path, &err);
    cr_assert_not_null(img, "attack harness: %s", err ? err : path);
    cr_assert_lt(p->nimages, ATK_MAX_IMAGES);
    p->paths[p->nimages] = strdup(path);
    p->images[p->nimages++] = img;
    return img;
}

KProcess *atk_spawn(Atk *a, KJob *job, const char *path, const char *name,
                    const char *const *argv, KObject *const *objs,
                    const zx_rights_t *rights, size_t nobjs)
{
    AtkPriv *p = (AtkPriv *)a;
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = name;
    spec.give = LAUNCH_GIVE_STANDARD;
    while (argv && argv[spec.argc])
        spec.argc++;
    spec.argv = (char **)argv;
    cr_assert_leq(nobjs, LAUNCH_MAX_EXTRA);
    for (size_t i = 0; i < nobjs; i++)
        spec.extra[spec.nextra++] = (LaunchHandle){
            PA_HND(PA_USER0, (uint32_t)i), objs[i],
            rights ? rights[i] : objs[i]->ops->default_rights};
    KProcess *proc = NULL;
    zx_status_t s = app_launch(a->kernel, job, atk_image(p, path), &spec, &proc);
    cr_assert_eq(s, ZX_OK, "attack harness: cannot launch %s (%d)", path, s);
    atk_keep(p, &proc->base);
    return proc;
}

SimRunResult atk_run(Atk *a)
{
    a->result = sim_run(a->engine);
    app_restore_host(a->kernel);
    return a->result;
}

char *atk_output_koid(Atk *a, uint64_t koid)
{
    size_t n = app_output_by_koid(a->kernel, koid, 3, NULL, 0);
    char *buf = calloc(1, n + 1);
    app_output_by_koid(a->kernel, koid, 3, buf, n + 1);
    if (getenv("ATK_SHOW")) /* debugging actors: ATK_SHOW=1 meson test ... */
        fprintf(stderr, "---- koid %lu\n%s", (unsigned long)koid, buf);
    return buf;
}

char *atk_output(Atk *a, KProcess *p)
{
    return atk_output_koid(a, p->base.koid);
}

AppEnd atk_end_koid(Atk *a, uint64_t koid)
{
    AppProcInfo info;
    cr_assert(app_proc_info_by_koid(a->kernel, koid, &info), "no process %lu",
              (unsigned long)koid);
    return info.end;
}

int64_t atk_retcode_koid(Atk *a, uint64_t koid)
{
    AppProcInfo info;
    cr_assert(app_proc_info_by_koid(a->kernel, koid, &info), "no process %lu",
              (unsigned long)koid);
    return info.return_code;
}

AppEnd atk_end(Atk *a, KProcess *p)
{
    return atk_end_koid(a, p->base.koid);
}

int64_t atk_retcode(Atk *a, KProcess *p)
{
    return atk_retcode_koid(a, p->base.koid);
}

uint64_t atk_find(Atk *a, const char *name)
{
    AppProcInfo info;
    for (size_t i = 0; i < app_proc_count(a->kernel); i++)
        if (app_proc_info(a->kernel, i, &info) && strcmp(info.name, name) == 0)
            return info.koid;
    return 0;
}

AppProcInfo atk_info(Atk *a, const char *name)
{
    AppProcInfo info;
    uint64_t koid = atk_find(a, name);
    cr_assert_neq(koid, 0, "no process named %s", name);
    cr_assert(app_proc_info_by_koid(a->kernel, koid, &info));
    return info;
}

char *atk_output_named(Atk *a, const char *name, AppProcInfo *info)
{
    *info = atk_info(a, name);
    return atk_output_koid(a, info->koid);
}

size_t atk_trace_count(Atk *a, uint32_t kind, const char *needle)
{
    size_t n = sim_trace_count(a->engine), hits = 0;
    for (size_t i = 0; i < n; i++) {
        const SimTraceRecord *r = sim_trace_get(a->engine, i);
        if (r->kind == kind && (!needle || (r->text && strstr(r->text, needle))))
            hits++;
    }
    return hits;
}

void atk_trace_hash(Atk *a, char *buf)
{
    sim_trace_hash_hex(a->engine, buf);
}

/* ---- Components ------------------------------------------------------------ */

CmSystem *atk_components(Atk *a)
{
    AtkPriv *p = (AtkPriv *)a;
    if (!p->cm) {
        CmConfig cfg = {0};
        char *err = NULL;
        p->cm = cm_new(a->kernel, &cfg, &err);
        cr_assert_not_null(p->cm, "attack harness: %s", err);
    }
    return p->cm;
}

void atk_package(Atk *a, const char *far_path)
{
    char *err = NULL;
    char *name = cm_add_package_file(atk_components(a), far_path, &err);
    cr_assert_not_null(name, "attack harness: %s", err);
    free(name);
}

void atk_data_put(Atk *a, const char *path, const char *text)
{
    char *err = NULL;
    cr_assert(cm_data_put(atk_components(a), path, text, strlen(text), &err),
              "attack harness: %s", err);
}

KProcess *atk_launch(Atk *a, const char *package, const char *const *argv)
{
    const char *just_name[] = {package, NULL};
    if (!argv)
        argv = just_name;
    int argc = 0;
    while (argv[argc])
        argc++;
    char *err = NULL;
    CmComponent *c = cm_launch(atk_components(a), NULL, package, argc, argv, &err);
    cr_assert_not_null(c, "attack harness: %s", err);
    return cm_component_process(c);
}
