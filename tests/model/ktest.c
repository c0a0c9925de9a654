/* ktest.c — the kernel-test harness (see ktest.h). */
#include <string.h>

#include "ktest.h"

KTest *ktest_new(uint64_t seed, int cpus)
{
    KTest *t = calloc(1, sizeof *t);
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.seed = seed;
    cfg.cpus = cpus;
    t->engine = sim_engine_new(&cfg);
    cr_assert(t->engine != NULL);
    t->kernel = kernel_new(t->engine);
    cr_assert_eq(job_create(t->kernel->root_job, &t->job), ZX_OK);
    kobject_set_name(&t->job->base, "tests", 5);
    return t;
}

KProcess *ktest_spawn_spec(KTest *t, LaunchSpec *spec)
{
    KProcess *p = NULL;
    cr_assert_eq(launch_process(t->kernel, t->job, spec, &p), ZX_OK);
    t->spawned = realloc(t->spawned, (t->nspawned + 1) * sizeof *t->spawned);
    cr_assert(t->spawned != NULL);
    t->spawned[t->nspawned++] = p;
    return p;
}

KProcess *ktest_spawn(KTest *t, const char *name, ThreadEntryFn fn, uintptr_t a)
{
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = name;
    spec.entry = fn;
    spec.arg1 = a;
    spec.give = LAUNCH_GIVE_STANDARD;
    return ktest_spawn_spec(t, &spec);
}

SimRunResult ktest_run(KTest *t)
{
    t->result = sim_run(t->engine);
    return t->result;
}

int64_t ktest_retcode(KProcess *p)
{
    cr_assert_eq(p->state, PROCESS_DEAD, "process '%s' is not dead", p->base.name);
    return p->return_code;
}

void ktest_free(KTest *t)
{
    for (size_t i = 0; i < t->nspawned; i++)
        kobject_unref(&t->spawned[i]->base);
    free(t->spawned);
    kobject_unref(&t->job->base);
    kernel_free(t->kernel);
    sim_engine_free(t->engine);
    free(t);
}
