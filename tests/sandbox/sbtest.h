/* sbtest.h — harness for sandbox tests: a simulated system with the
 * component manager, packages built in memory around the sb_probe program,
 * and the output of each component read back as text.
 *
 *   SbTest *t = sbtest_new(1, NULL);                 // grant-all
 *   sbtest_package(t, "p", "{\"dev\": [\"class/framebuffer\"]}");
 *   char *out = sbtest_probe(t, "p", "ls:/", "fb", NULL);   // runs it
 *   cr_expect(strstr(out, "ls /: dev pkg svc"));
 *   free(out); sbtest_free(t);
 */
#ifndef CAPSIM_TESTS_SBTEST_H
#define CAPSIM_TESTS_SBTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "component_manager.h"
#include "kernel.h"
#include "sim.h"

typedef struct SbTest {
    SimEngine *engine;
    Kernel *kernel;
    CmSystem *cm;
    SandboxPolicy *policy;
} SbTest;

int sb_probe_main(int argc, char **argv);

/* allowlist: NULL for grant-all, else the policy file's JSON text. */
SbTest *sbtest_new(uint64_t seed, const char *allowlist);
SbTest *sbtest_new_cfg(uint64_t seed, const char *allowlist, const CmConfig *cfg);
void sbtest_free(SbTest *t);
/* A package running sb_probe, with data/hello ("hello from <name>") and,
 * unless sandbox is NULL, meta/sandbox = sandbox (exact bytes). */
void sbtest_package(SbTest *t, const char *name, const char *sandbox);
/* Same, running the built-in program `program` (cm_builtin_register). */
void sbtest_package_program(SbTest *t, const char *name, const char *program,
                            const char *sandbox);
/* Launch in env (NULL: root) with the ops as argv; NULL and *error when
 * refused. */
CmComponent *sbtest_launch(SbTest *t, CmEnv *env, const char *pkg, const char *const *ops,
                           char **error);
/* Run the engine until nothing can run (servers stay blocked, idle: the
 * run is QUIESCENT unless a component's own threads are stuck). */
SimRunResult sbtest_run(SbTest *t);
/* The component's captured output (malloc'd). */
char *sbtest_output(SbTest *t, CmComponent *c);
/* Launch, run, return the output; NULL-terminated ops. Refusals return
 * "refused: <reason>". */
char *sbtest_probe(SbTest *t, const char *pkg, ...);
/* Does the trace hold a record of kind with text containing `needle`? */
bool sbtest_trace_has(SbTest *t, uint32_t kind, const char *needle);

#endif
