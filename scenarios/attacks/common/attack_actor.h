/* attack_actor.h — what the attack scenarios' actors share: reading their
 * options, role and (launchers) variant, and (for the launchers) starting a role in a job of
 * its own with startup handles and waiting for its return code.
 *
 * Convention (docs/scenarios/index.md, "Adding one"): one app per
 * scenario holds every role;
 * a process plays --role=NAME if given, else the role its name says
 * (argv[0]'s base name), else the launcher's. Wired handles arrive as
 * PA_HND(PA_USER0, n). Each helper makes exactly the syscalls a launcher
 * would write by hand, in the same order, so a scenario's trace does not
 * depend on whether it uses them. Built into each app that uses it
 * (scenarios/attacks/meson.build). Read next: attack_actor.c.
 */
#ifndef CAPSIM_ATTACK_ACTOR_H
#define CAPSIM_ATTACK_ACTOR_H

#include <stdint.h>
#include <zircon/types.h>

/* What attack_wait_retcode answers when the process cannot be waited for
 * or asked. */
#define ATTACK_NO_RETCODE (-9999)

/* The value of the first "KEY..." argument after argv[0] (key "--seed="
 * gives what follows it), or dflt. */
const char *attack_arg(int argc, char **argv, const char *key, const char *dflt);
/* --role=NAME if given, else argv[0]'s base name ("" without argv). */
const char *attack_role(int argc, char **argv);
/* A launcher's variant from its arguments (--variant=vulnerable|mitigated,
 * --role= ignored): 1 for mitigated, 0 for vulnerable (the default), -1
 * after printing "<app>: unknown argument ..." to stderr. */
int attack_mitigated(int argc, char **argv, const char *app);

/* A job under the default job, named `name`; ZX_HANDLE_INVALID if it
 * cannot be created. */
zx_handle_t attack_job(const char *name);
/* Another copy of this app in `job` with the standard startup handles and
 * handles[i] as PA_HND(PA_USER0, i) (moved, as capsim_spawn does); argv
 * is NULL-terminated, argv[0] the process name. */
zx_status_t attack_spawn(zx_handle_t job, const char *const *argv, const zx_handle_t *handles,
                         uint32_t n, zx_handle_t *proc);
/* attack_job(argv[0]) then attack_spawn there: the process, or
 * ZX_HANDLE_INVALID. */
zx_handle_t attack_spawn_in_own_job(const char *const *argv, const zx_handle_t *handles,
                                    uint32_t n);
/* Wait until `process` terminates; its return code, or ATTACK_NO_RETCODE. */
int64_t attack_wait_retcode(zx_handle_t process);

#endif
