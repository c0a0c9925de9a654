/* sbtest.c — the sandbox tests' harness (see sbtest.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "package.h"
#include "process.h"
#include "sbtest.h"

SbTest *sbtest_new_cfg(uint64_t seed, const char *allowlist, const CmConfig *cfg)
{
    SbTest *t = calloc(1, sizeof *t);
    SimConfig sc;
    sim_config_default(&sc);
    sc.seed = seed;
    sc.cpus = 2;
    t->engine = sim_engine_new(&sc);
    t->kernel = kernel_new(t->engine);
    sim_trace_keep(t->engine, true);
    cm_builtin_register("sb_probe", sb_probe_main);
    CmConfig c = cfg ? *cfg : (CmConfig){0};
    char *err = NULL;
    if (allowlist) {
        t->policy = sandbox_policy_load_bytes("test-allowlist.json", allowlist,
                                              strlen(allowlist), &err);
        if (!t->policy) {
            fprintf(stderr, "sbtest: %s\n", err);
            abort();
        }
        c.policy = t->policy;
    }
    t->cm = cm_new(t->kernel, &c, &err);
    if (!t->cm) {
        fprintf(stderr, "sbtest: %s\n", err);
        abort();
    }
    return t;
}

SbTest *sbtest_new(uint64_t seed, const char *allowlist)
{
    return sbtest_new_cfg(seed, allowlist, NULL);
}

void sbtest_free(SbTest *t)
{
    cm_shutdown(t->cm);
    sim_run(t->engine);
    cm_free(t->cm);
    sandbox_policy_free(t->policy);
    app_shutdown(t->kernel);
    kernel_free(t->kernel);
    sim_engine_free(t->engine);
    free(t);
}

void sbtest_package_program(SbTest *t, const char *name, const char *program,
                            const char *sandbox)
{
    char app[128], hello[128];
    snprintf(app, sizeof app, PACKAGE_BUILTIN_MAGIC "%s\n", program);
    snprintf(hello, sizeof hello, "hello from %s\n", name);
    PackageFile files[3] = {{"bin/app", app, strlen(app)},
                            {"data/hello", hello, strlen(hello)},
                            {"meta/sandbox", sandbox, sandbox ? strlen(sandbox) : 0}};
    size_t len = 0;
    char *err = NULL;
    uint8_t *far = package_build(files, sandbox ? 3 : 2, &len, &err);
    if (!far || !cm_add_package(t->cm, name, far, len, &err)) {
        fprintf(stderr, "sbtest: %s\n", err);
        abort();
    }
    free(far);
}

void sbtest_package(SbTest *t, const char *name, const char *sandbox)
{
    sbtest_package_program(t, name, "sb_probe", sandbox);
}

CmComponent *sbtest_launch(SbTest *t, CmEnv *env, const char *pkg, const char *const *ops,
                           char **error)
{
    const char *argv[64] = {pkg};
    int argc = 1;
    while (ops && ops[argc - 1] && argc < 63) {
        argv[argc] = ops[argc - 1];
        argc++;
    }
    return cm_launch(t->cm, env, pkg, argc, argv, error);
}

SimRunResult sbtest_run(SbTest *t)
{
    return sim_run(t->engine);
}

char *sbtest_output(SbTest *t, CmComponent *c)
{
    KProcess *p = cm_component_process(c);
    size_t n = p ? app_output(p, NULL, 0) : 0;
    char *buf = calloc(1, n + 1);
    if (p)
        app_output(p, buf, n + 1);
    return buf;
}

char *sbtest_probe(SbTest *t, const char *pkg, ...)
{
    const char *ops[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, pkg);
    const char *op;
    while ((op = va_arg(ap, const char *)) != NULL && n < 63)
        ops[n++] = op;
    va_end(ap);
    ops[n] = NULL;
    char *err = NULL;
    CmComponent *c = sbtest_launch(t, NULL, pkg, ops, &err);
    if (!c) {
        size_t len = strlen(err) + 16;
        char *r = malloc(len);
        snprintf(r, len, "refused: %s", err);
        free(err);
        return r;
    }
    sbtest_run(t);
    return sbtest_output(t, c);
}

bool sbtest_trace_has(SbTest *t, uint32_t kind, const char *needle)
{
    size_t n = sim_trace_count(t->engine);
    for (size_t i = 0; i < n; i++) {
        const SimTraceRecord *r = sim_trace_get(t->engine, i);
        if (r->kind == kind && r->text && strstr(r->text, needle))
            return true;
    }
    return false;
}
