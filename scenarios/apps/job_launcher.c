/* job_launcher.c — a launcher that sandboxes an untrusted child, well or
 * badly; the child; its payload; a victim. One app, several roles.
 *
 * Scenario job_escape (scenarios/library/job_escape.py). Roles, by argv:
 *   launcher shared-job  starts "untrusted" (another copy of this app) in its
 *                        OWN job: the child's PA_JOB_DEFAULT is the
 *                        launcher's job handle (vulnerable);
 *   launcher child-job   makes a child job "sandbox" whose policy denies
 *                        ZX_POL_NEW_PROCESS and starts the child there: the
 *                        child only holds a handle to that job (mitigated);
 *   victim               a service next to the launcher: works 5 ms, exits 0;
 *   untrusted            (argv[0]) tries to start a "payload" process in its
 *                        default job, then to find and kill "victim" among
 *                        that job's processes;
 *   payload              (argv[0]) says it runs, exits 0.
 * Every step prints one line with its status.
 */
#include <string.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#include <capsim/app.h>

#include "actor.h"

static void untrusted_kill_victim(zx_handle_t job)
{
    zx_koid_t koids[32];
    size_t actual = 0, avail = 0;
    zx_status_t st = zx_object_get_info(job, ZX_INFO_JOB_PROCESSES, koids, sizeof koids,
                                        &actual, &avail);
    printf("untrusted: list the processes of my job: %s, %zu found\n", actor_status(st),
           actual);
    for (size_t i = 0; st == ZX_OK && i < actual; i++) {
        zx_handle_t p;
        char name[ZX_MAX_NAME_LEN] = {0};
        if (zx_object_get_child(job, koids[i], ZX_RIGHT_SAME_RIGHTS, &p) != ZX_OK)
            continue;
        zx_object_get_property(p, ZX_PROP_NAME, name, sizeof name);
        if (strcmp(name, "victim") == 0) {
            zx_status_t k = zx_task_kill(p);
            printf("untrusted: kill the victim: %s\n", actor_status(k));
            return;
        }
        zx_handle_close(p);
    }
    printf("untrusted: no victim within reach\n");
}

static int untrusted(void)
{
    zx_handle_t job = zx_job_default(), proc = ZX_HANDLE_INVALID;
    const char *argv[] = {"payload", NULL};
    zx_status_t st = capsim_spawn(job, CAPSIM_SPAWN_STANDARD, NULL, argv, NULL, 0, &proc);
    printf("untrusted: start a payload process: %s\n", actor_status(st));
    untrusted_kill_victim(job);
    if (st == ZX_OK)
        zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    return 0;
}

static zx_status_t launcher_sandbox(zx_handle_t own, zx_handle_t *out)
{
    zx_policy_basic_v2_t deny = {ZX_POL_NEW_PROCESS, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    zx_status_t st = zx_job_create(own, 0, out);
    if (st == ZX_OK)
        st = zx_object_set_property(*out, ZX_PROP_NAME, "sandbox", 7);
    if (st == ZX_OK)
        st = zx_job_set_policy(*out, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V2, &deny, 1);
    return st;
}

static int launcher(const char *mode)
{
    zx_handle_t job = zx_job_default(), child = ZX_HANDLE_INVALID;
    zx_status_t st = ZX_OK;
    if (strcmp(mode, "child-job") == 0) {
        st = launcher_sandbox(job, &job);
        printf("launcher: child job 'sandbox' with NEW_PROCESS denied: %s\n", actor_status(st));
    } else {
        printf("launcher: the child shares my job\n");
    }
    const char *argv[] = {"untrusted", NULL};
    if (st == ZX_OK)
        st = capsim_spawn(job, CAPSIM_SPAWN_STANDARD, NULL, argv, NULL, 0, &child);
    printf("launcher: start the untrusted child: %s\n", actor_status(st));
    if (st != ZX_OK)
        return 1;
    zx_object_wait_one(child, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    printf("launcher: the child is done\n");
    return 0;
}

static int victim(void)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(5)));
    printf("victim: finished its work\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *role = argv[0];
    if (strcmp(role, "untrusted") == 0)
        return untrusted();
    if (strcmp(role, "payload") == 0) {
        printf("payload: running, outside the launcher's sandbox\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "victim") == 0)
        return victim();
    if (argc > 2 && strcmp(argv[1], "launcher") == 0)
        return launcher(argv[2]);
    printf("%s: usage: job_launcher launcher shared-job|child-job | victim\n", role);
    return 2;
}
