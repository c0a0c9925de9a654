/* test_revocation.c — the revocation scenario through the host API.
 *
 * Vulnerable: the owner hands the client the service's channel; at 10.5 ms
 * it has nothing to revoke with, and the client's calls 11..20 are still
 * answered; the authority analysis finds a path from the client to the
 * service before and after. Mitigated: the owner kills the caretaker at
 * 10.5 ms; the client's next calls fail with ZX_ERR_PEER_CLOSED, the
 * service sees its client side gone, and the path that existed at 10 ms is
 * gone at 12 ms.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "capsim_host.h"
#include "capsim_script.h"

#define APP ACTOR_DIR "/revocation.so"

/* koid of the process named `name`, 0 if none. */
static uint64_t rv_koid(CapsimSystem *sys, const char *name)
{
    CapsimProcessInfo info;
    for (size_t i = 0; i < capsim_process_count(sys); i++)
        if (capsim_process_info(sys, capsim_process_koid(sys, i), &info) == 0 &&
            !strcmp(info.name, name))
            return info.koid;
    return 0;
}

/* Does the authority analysis give the client any fact about the service
 * process (a flow to it, control of it)? */
static bool rv_client_reaches_service(CapsimSystem *sys)
{
    CapsimGraph *g = capsim_graph_snapshot(sys);
    cr_assert_not_null(g);
    char err[256];
    int64_t c = capsim_graph_find(g, "process:client", err, sizeof err);
    int64_t s = capsim_graph_find(g, "process:service", err, sizeof err);
    cr_assert(c >= 0 && s >= 0, "%s", err);
    CapsimNode sn;
    capsim_graph_node(g, (size_t)s, &sn);
    static CapsimFact facts[4096];
    int64_t n = capsim_graph_reach(g, c, facts, 4096);
    cr_assert(n >= 0 && n <= 4096);
    bool found = false;
    for (int64_t i = 0; i < n; i++)
        found |= facts[i].object == sn.id;
    capsim_graph_free(g);
    return found;
}

static void rv_run(const char *variant, bool reach_after, int64_t answered_after)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.keep_trace = 1;
    CapsimSystem *sys = capsim_system_new(&cfg);
    cr_assert_not_null(sys);
    cr_assert_eq(capsim_record(sys), 0);
    const char *argv[] = {"owner", variant};
    uint64_t owner = capsim_spawn_app(sys, APP, 2, argv, "owner");
    cr_assert_neq(owner, 0, "%s", capsim_last_error(sys));
    cr_assert_eq(capsim_run_until(sys, 10000000), CAPSIM_RUN_TIME_LIMIT);
    cr_expect(rv_client_reaches_service(sys), "before the revocation, the client has a path");
    cr_assert_eq(capsim_run_until(sys, 12000000), CAPSIM_RUN_TIME_LIMIT);
    cr_expect_eq(rv_client_reaches_service(sys), reach_after);
    cr_assert_eq(capsim_run(sys), CAPSIM_RUN_QUIESCENT);
    uint64_t client = rv_koid(sys, "client"), service = rv_koid(sys, "service");
    cr_assert(client && service);
    char out[4096];
    capsim_process_output(sys, client, 3, out, sizeof out);
    cr_expect_eq(capsim_process_return_code(sys, client), answered_after, "%s", out);
    cr_expect_eq(capsim_process_return_code(sys, owner), 0);
    if (!reach_after) {
        cr_expect(strstr(out, "call 11 at 11 ms: ZX_ERR_PEER_CLOSED"), "%s", out);
        capsim_process_output(sys, service, 3, out, sizeof out);
        cr_expect(strstr(out, "answered 10 calls"), "%s", out);
    }
    capsim_system_free(sys);
}

Test(revocation, vulnerable_cannot_revoke)
{
    rv_run("--variant=vulnerable", true, 10);
}

Test(revocation, mitigated_caretaker_cut)
{
    rv_run("--variant=mitigated", false, 0);
}
