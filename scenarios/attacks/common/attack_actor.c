/* attack_actor.c — the attack actors' shared option parsing and launcher
 * steps (see attack_actor.h for the convention).
 *
 * Each function is the plain sequence of zx_* calls a launcher makes:
 * attack_job is zx_job_create + ZX_PROP_NAME, attack_spawn one
 * capsim_spawn, attack_wait_retcode a wait for ZX_PROCESS_TERMINATED and
 * ZX_INFO_PROCESS. Nothing is cached or retried, so traces stay those of
 * the hand-written code. Leaves out: spawning with CAPSIM_SPAWN_SELF_HANDLES
 * or another app (the component scenarios wire those themselves).
 */
#include <capsim/app.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "attack_actor.h"

/* As many startup handles as any launcher passes. */
#define ATTACK_MAX_HANDLES 8

const char *attack_arg(int argc, char **argv, const char *key, const char *dflt)
{
    size_t n = strlen(key);
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, n))
            return argv[i] + n;
    return dflt;
}

const char *attack_role(int argc, char **argv)
{
    const char *argv0 = argc > 0 ? argv[0] : "";
    const char *slash = strrchr(argv0, '/');
    return attack_arg(argc, argv, "--role=", slash ? slash + 1 : argv0);
}

int attack_mitigated(int argc, char **argv, const char *app)
{
    int mitigated = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--variant=mitigated")) {
            mitigated = 1;
        } else if (strcmp(argv[i], "--variant=vulnerable") != 0 &&
                   strncmp(argv[i], "--role=", 7) != 0) {
            fprintf(stderr, "%s: unknown argument '%s' "
                            "(expected --variant=vulnerable|mitigated)\n", app, argv[i]);
            return -1;
        }
    }
    return mitigated;
}

zx_handle_t attack_job(const char *name)
{
    zx_handle_t job = ZX_HANDLE_INVALID;
    if (zx_job_create(zx_job_default(), 0, &job) != ZX_OK)
        return ZX_HANDLE_INVALID;
    zx_object_set_property(job, ZX_PROP_NAME, name, strlen(name));
    return job;
}

zx_status_t attack_spawn(zx_handle_t job, const char *const *argv, const zx_handle_t *handles,
                         uint32_t n, zx_handle_t *proc)
{
    capsim_spawn_handle_t h[ATTACK_MAX_HANDLES];
    if (n > ATTACK_MAX_HANDLES)
        return ZX_ERR_OUT_OF_RANGE;
    for (uint32_t i = 0; i < n; i++)
        h[i] = (capsim_spawn_handle_t){PA_HND(PA_USER0, i), handles[i]};
    return capsim_spawn(job, CAPSIM_SPAWN_STANDARD, NULL, argv, n ? h : NULL, n, proc);
}

zx_handle_t attack_spawn_in_own_job(const char *const *argv, const zx_handle_t *handles,
                                    uint32_t n)
{
    zx_handle_t job = attack_job(argv[0]), proc = ZX_HANDLE_INVALID;
    if (job == ZX_HANDLE_INVALID || attack_spawn(job, argv, handles, n, &proc) != ZX_OK)
        return ZX_HANDLE_INVALID;
    return proc;
}

int64_t attack_wait_retcode(zx_handle_t process)
{
    zx_info_process_t info;
    if (zx_object_wait_one(process, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_object_get_info(process, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL) != ZX_OK)
        return ATTACK_NO_RETCODE;
    return info.return_code;
}
