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

#include "attack_actor.h"
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
    zx_handle_t job = attack_job("sandbox"), proc;
    const char *argv[] = {"sandbox", NULL};
    if (job == ZX_HANDLE_INVALID || wx_confine(job, variant) != ZX_OK ||
        attack_spawn(job, argv, NULL, 0, &proc) != ZX_OK)
        return 2;
    int64_t rc = attack_wait_retcode(proc);
    if (rc == ATTACK_NO_RETCODE)
        return 2;
    printf("launcher: the sandbox ran generated code %lld way(s)\n", (long long)rc);
    return 0;
}

int main(int argc, char **argv)
{
    const char *role = attack_role(argc, argv);
    if (!strcmp(role, "sandbox"))
        return wx_sandbox_main(argc, argv);
    const char *variant = attack_arg(argc, argv, "--variant=", "vulnerable");
    if (strcmp(variant, "vulnerable") && strcmp(variant, "wx_only") &&
        strcmp(variant, "mitigated")) {
        fprintf(stderr, "wx_memory: unknown variant '%s' "
                        "(expected vulnerable, wx_only or mitigated)\n", variant);
        return 2;
    }
    return wx_launch(variant);
}
