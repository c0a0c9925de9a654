/* attack_harness.h — harness for the attack-scenario C tests
 * (tests/attacks/test_<scenario>.c): a simulated system on which the
 * scenario's real C actors (app .so files built by
 * scenarios/attacks/<name>/meson.build) run as processes, wired together
 * the way the scenario's script wires them: host-made objects handed over
 * as PA_HND(PA_USER0, n) startup handles, one job per actor with its own
 * policy, the kernel's fault switches set directly on k->faults (and
 * debugging syscalls on k->debugging_syscalls).
 *
 *   Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
 *   a->kernel->debugging_syscalls = true;   // kernel switches: before atk_run
 *   KObject *c0, *c1; atk_channel(a, &c0, &c1);
 *   const char *argv[] = {"victim", NULL};
 *   KProcess *p = atk_spawn(a, atk_job(a, "victims", NULL, 0),
 *                           ACTOR_DIR "/NAME.so", "victim", argv,
 *                           (KObject *[]){c0}, NULL, 1);
 *   atk_run(a); char *out = atk_output(a, p); ... atk_free(a);
 *
 * ACTOR_DIR is the build folder of the scenario's actors (set by
 * scenarios/attacks/meson.build for tests/attacks/test_NAME.c).
 *
 * Tests assert from the host thread only (cr_assert* is fine here: no app
 * code runs in the test's own functions). Read next: attack_harness.c.
 */
#ifndef CAPSIM_TESTS_ATTACK_HARNESS_H
#define CAPSIM_TESTS_ATTACK_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/syscalls/policy.h>

#include "app.h"
#include "component_manager.h"
#include "kernel.h"
#include "sim.h"

typedef struct Atk {
    SimEngine *engine;
    Kernel *kernel;
    SimRunResult result;
} Atk;

Atk *atk_new(uint64_t seed, int cpus, SimStrategy strategy);
void atk_free(Atk *a);
/* A job under the root job named `name`, with `n` basic policy entries
 * applied (ZX_JOB_POL_RELATIVE). The kernel keeps it until atk_free. */
KJob *atk_job(Atk *a, const char *name, const zx_policy_basic_v2_t *pol, size_t n);
/* A channel pair (the host's references, dropped by atk_free). */
void atk_channel(Atk *a, KObject **end0, KObject **end1);
/* Start the app at `path` in `job` with the standard startup handles plus
 * objs[i] as PA_HND(PA_USER0, i) with the type's default rights (rights[i]
 * when `rights` is not NULL); argv NULL-terminated (NULL: just the name).
 * Aborts the test on failure. */
KProcess *atk_spawn(Atk *a, KJob *job, const char *path, const char *name,
                    const char *const *argv, KObject *const *objs,
                    const zx_rights_t *rights, size_t nobjs);
SimRunResult atk_run(Atk *a);
/* Captured stdout+stderr of p (malloc'd, NUL-terminated); with ATK_SHOW
 * set in the environment it is also printed to stderr. */
char *atk_output(Atk *a, KProcess *p);
AppEnd atk_end(Atk *a, KProcess *p);
int64_t atk_retcode(Atk *a, KProcess *p);
/* Processes the actors started themselves, by name: the koid of the first
 * one (koid order) called `name`, 0 if none; and the same three queries by
 * koid (they work after the process is gone). */
uint64_t atk_find(Atk *a, const char *name);
/* What the app layer knows of the first process called `name` (the test
 * fails if there is none), and its captured output (malloc'd). */
AppProcInfo atk_info(Atk *a, const char *name);
char *atk_output_named(Atk *a, const char *name, AppProcInfo *info);
char *atk_output_koid(Atk *a, uint64_t koid);
AppEnd atk_end_koid(Atk *a, uint64_t koid);
int64_t atk_retcode_koid(Atk *a, uint64_t koid);
/* Number of trace records of `kind` whose text contains `needle` (NULL:
 * any text). */
size_t atk_trace_count(Atk *a, uint32_t kind, const char *needle);
/* The trace hash as 32 hex digits + NUL (buf >= 33 bytes). */
void atk_trace_hash(Atk *a, char *buf);

/* ---- Components (model/sandbox) ------------------------------------------
 * The Fuchsia-like system of docs/sandbox.md on a's kernel (grant-all, the
 * root environment with its services), once per Atk; shut down by atk_free. */
CmSystem *atk_components(Atk *a);
/* Install a package archive (.far) file; aborts on a malformed one. */
void atk_package(Atk *a, const char *far_path);
/* Put a file (text) in /data, e.g. another tenant's secret. */
void atk_data_put(Atk *a, const char *path, const char *text);
/* Launch `package` in the root environment with argv (NULL-terminated,
 * argv[0] the name; NULL: just the name); aborts if refused. */
KProcess *atk_launch(Atk *a, const char *package, const char *const *argv);

#endif
