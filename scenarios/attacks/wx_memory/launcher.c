/* launcher.c — the wx_memory scenario's entry point: a supervisor that
 * confines the sandbox with job policy.
 *
 * What it models: how Fuchsia's component manager keeps components from
 * making executable memory: the job it runs them in denies
 * ZX_POL_AMBIENT_MARK_VMO_EXEC (only components allowlisted for
 * `job_policy_ambient_mark_vmo_exec` may, e.g. JITs) — and what happens
 * when a supervisor denies W+X mappings only. Policy is set on the empty
 * job before the sandbox starts (Zircon refuses it on a job with
 * children), with override DENY so the sandbox cannot loosen it in a
 * child job of its own.
 *
 *   wx_memory.so [--variant=vulnerable|wx_only|mitigated]
 *
 * Prints the policy it set and the sandbox's result; returns 0, or 2 if it
 * could not set up. Read next: sandbox.c.
 */
#include <capsim/app.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#include "wx.h"

static zx_status_t wx_confine(zx_handle_t job, const char *variant)
{
    zx_policy_basic_v2_t pol[2] = {
        {ZX_POL_VMAR_WX, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY},
        {ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY},
    };
    uint32_t n = !strcmp(variant, "mitigated") ? 2 : !strcmp(variant, "wx_only") ? 1 : 0;
    printf("launcher: sandbox job policy: %s\n",
           n == 2 ? "deny VMAR_WX and AMBIENT_MARK_VMO_EXEC"
                  : n == 1 ? "deny VMAR_WX only" : "none (everything allowed)");
    return n ? zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V2, pol, n)
             : ZX_OK;
}

static int wx_launch(const char *variant)
{
    zx_handle_t job, proc;
    const char *argv[] = {"sandbox", NULL};
    zx_info_process_t info;
    if (zx_job_create(zx_job_default(), 0, &job) != ZX_OK)
        return 2;
    zx_object_set_property(job, ZX_PROP_NAME, "sandbox", 7);
    if (wx_confine(job, variant) != ZX_OK ||
        capsim_spawn(job, CAPSIM_SPAWN_STANDARD, NULL, argv, NULL, 0, &proc) != ZX_OK ||
        zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL) != ZX_OK)
        return 2;
    printf("launcher: the sandbox ran generated code %lld way(s)\n",
           (long long)info.return_code);
    return 0;
}

static const char *wx_arg(int argc, char **argv, const char *key, const char *dflt)
{
    size_t n = strlen(key);
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, n))
            return argv[i] + n;
    return dflt;
}

int main(int argc, char **argv)
{
    const char *base = argc > 0 && strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1
                                                          : (argc > 0 ? argv[0] : "");
    const char *role = wx_arg(argc, argv, "--role=", base);
    if (!strcmp(role, "sandbox"))
        return wx_sandbox_main(argc, argv);
    const char *variant = wx_arg(argc, argv, "--variant=", "vulnerable");
    if (strcmp(variant, "vulnerable") && strcmp(variant, "wx_only") &&
        strcmp(variant, "mitigated")) {
        fprintf(stderr, "wx_memory: unknown variant '%s' "
                        "(expected vulnerable, wx_only or mitigated)\n", variant);
        return 2;
    }
    return wx_launch(variant);
}
