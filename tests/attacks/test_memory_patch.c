/* test_memory_patch.c — the memory_patch scenario's actors, run for real:
 * the launcher starts the victim and sends the attacker the victim's
 * process handle. Vulnerable (debugging syscalls on, all rights): the
 * attacker finds the session on the victim's stack and makes it ADMIN,
 * the victim's later requests unlock the vault. Mitigated (WAIT|INSPECT|
 * TRANSFER): the read and the write are ZX_ERR_ACCESS_DENIED. All rights
 * on a kernel with debugging syscalls off: the read works, the write is
 * ZX_ERR_NOT_SUPPORTED. Also: the run is deterministic, and the roles work
 * when the host wires them itself.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/errors.h>

#include "attack_harness.h"
#include "channel.h"
#include "handle.h"
#include "job.h"
#include "process.h"

#define APP ACTOR_DIR "/memory_patch.so"
#define SECRET "vault combination 31-7-12"

static Atk *mp_run_launcher(const char *variant, bool debugging)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    a->kernel->debugging_syscalls = debugging;
    KJob *job = atk_job(a, "scenario", NULL, 0);
    const char *argv[] = {"launcher", variant, NULL};
    KProcess *l = atk_spawn(a, job, APP, "launcher", argv, NULL, NULL, 0);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    cr_assert_eq(atk_end(a, l), APP_END_EXITED);
    cr_assert_eq(atk_retcode(a, l), 0, "launcher failed to set up");
    return a;
}

/* The victim's and the attacker's output and ends, after a run. */
typedef struct MpEnds {
    AppProcInfo victim, attacker;
    char *vout, *aout;
} MpEnds;

static MpEnds mp_ends(Atk *a)
{
    MpEnds e = {.victim = atk_info(a, "victim"), .attacker = atk_info(a, "attacker")};
    e.vout = atk_output_koid(a, e.victim.koid);
    e.aout = atk_output_koid(a, e.attacker.koid);
    return e;
}

static void mp_free(Atk *a, MpEnds *e)
{
    free(e->vout);
    free(e->aout);
    atk_free(a);
}

Test(memory_patch, vulnerable_session_becomes_admin)
{
    Atk *a = mp_run_launcher("--variant=vulnerable", true);
    MpEnds e = mp_ends(a);
    cr_expect(strstr(e.aout, "(READ yes, WRITE yes)"), "%s", e.aout);
    cr_expect(strstr(e.aout, "read the victim's stack: ZX_OK"), "%s", e.aout);
    cr_expect(strstr(e.aout, "user 1000, role 1"), "%s", e.aout);
    cr_expect(strstr(e.aout, "into the victim: ZX_OK"), "%s", e.aout);
    cr_expect(strstr(e.vout, "request 1: role 1 (guest)"), "%s", e.vout);
    cr_expect(strstr(e.vout, "request 2: role ADMIN: unlocking the vault: \"" SECRET "\""),
              "%s", e.vout);
    cr_expect_eq(e.victim.return_code, 2, "requests 2 and 3 served as ADMIN");
    cr_expect_eq(e.attacker.return_code, 0);
    mp_free(a, &e);
}

Test(memory_patch, mitigated_read_and_write_denied)
{
    Atk *a = mp_run_launcher("--variant=mitigated", true);
    MpEnds e = mp_ends(a);
    cr_expect(strstr(e.aout, "(READ no, WRITE no)"), "%s", e.aout);
    cr_expect(strstr(e.aout, "list the victim's mappings: ZX_OK"), "%s", e.aout);
    cr_expect(strstr(e.aout, "read the victim's stack: ZX_ERR_ACCESS_DENIED"), "%s", e.aout);
    cr_expect(strstr(e.aout, "into the victim: ZX_ERR_ACCESS_DENIED"), "%s", e.aout);
    cr_expect_null(strstr(e.vout, SECRET), "%s", e.vout);
    cr_expect_eq(e.victim.return_code, 0);
    cr_expect_eq(e.attacker.return_code, 1);
    mp_free(a, &e);
}

Test(memory_patch, debugging_off_write_not_supported)
{
    Atk *a = mp_run_launcher("--variant=vulnerable", false);
    MpEnds e = mp_ends(a);
    cr_expect(strstr(e.aout, "read the victim's stack: ZX_OK"), "%s", e.aout);
    cr_expect(strstr(e.aout, "into the victim: ZX_ERR_NOT_SUPPORTED"), "%s", e.aout);
    cr_expect_null(strstr(e.vout, SECRET), "%s", e.vout);
    cr_expect_eq(e.victim.return_code, 0);
    cr_expect_eq(e.attacker.return_code, 1);
    mp_free(a, &e);
}

Test(memory_patch, deterministic)
{
    char h1[33], h2[33];
    Atk *a = mp_run_launcher("--variant=vulnerable", true);
    atk_trace_hash(a, h1);
    atk_free(a);
    a = mp_run_launcher("--variant=vulnerable", true);
    atk_trace_hash(a, h2);
    atk_free(a);
    cr_expect_str_eq(h1, h2);
}

/* The host plays the launcher: it queues the WATCH message itself. */
static void mp_wired(zx_rights_t given, int64_t want_attacker, int64_t want_victim)
{
    Atk *a = atk_new(3, 2, SIM_STRATEGY_FIFO);
    a->kernel->debugging_syscalls = true;
    KJob *vj = atk_job(a, "services", NULL, 0), *sj = atk_job(a, "sandbox", NULL, 0);
    const char *vargv[] = {"victim", NULL}, *aargv[] = {"attacker", NULL};
    KProcess *v = atk_spawn(a, vj, APP, "victim", vargv, NULL, NULL, 0);
    KObject *mine, *theirs;
    atk_channel(a, &mine, &theirs);
    Handle *h = handle_new(a->kernel, &v->base, given);
    cr_assert_eq(channel_write_msg(mine, "WATCH", 5, &h, 1), ZX_OK);
    KObject *aobj[] = {theirs};
    KProcess *at = atk_spawn(a, sj, APP, "attacker", aargv, aobj, NULL, 1);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    cr_expect_eq(atk_retcode(a, at), want_attacker);
    cr_expect_eq(atk_retcode(a, v), want_victim);
    atk_free(a);
}

Test(memory_patch, host_wired_roles)
{
    mp_wired(ZX_DEFAULT_PROCESS_RIGHTS, 0, 2);
    mp_wired(ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT, 1, 0);
}
