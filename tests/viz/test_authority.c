/* test_authority.c — the authority analysis on known systems: the witness
 * path of a known leak and its absence after the fix, control through
 * MANAGE_THREAD, policy-check violations with witnesses, behaviour
 * declarations (and their voiding), who-can queries, pools of processes
 * that share handles, the fault switches widening the rules; witnesses
 * that are proofs (each step on earlier ones, nothing said twice) on the
 * known systems and on synthetic platforms. */
#include <glib.h>
#include <string.h>
#include <zircon/rights.h>

#include "viz_authority.h"
#include "viz_policycheck.h"
#include "viz_synth.h"
#include "vtest.h"
#include "witness_check.h"

typedef struct Analysis {
    VTest *v;
    VizGraph *g;
    VizAuthority *a;
} Analysis;

static Analysis analyse(VTest *v, const VizBehaviour *b, size_t nb)
{
    Analysis x = {v, viz_graph_new(vtest_end(v)), NULL};
    x.a = viz_authority_new(x.g, b, nb);
    return x;
}

static void analysis_free(Analysis *x)
{
    viz_authority_free(x->a);
    viz_graph_free(x->g);
    vtest_free(x->v);
}

static size_t find(Analysis *x, const char *spec)
{
    char err[256];
    size_t i = viz_graph_find(x->g, spec, err, sizeof err);
    cr_assert_neq(i, VIZ_NONE, "%s", err);
    return i;
}

static bool steps_use_rule(Analysis *x, uint32_t f, uint32_t rule)
{
    uint32_t *steps;
    size_t n = viz_witness_steps(x->a, f, &steps);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found |= viz_authority_fact(x->a, steps[i])->rule == rule;
    free(steps);
    return found;
}

Test(authority, known_leak_has_a_witness)
{
    Analysis x = analyse(vtest_leak(1, false), NULL, 0);
    size_t client = find(&x, "process:client"), root = find(&x, "job:root");
    uint32_t f = viz_authority_can(x.a, client, root, 0);
    cr_assert_neq(f, VIZ_NOFACT, "the client can come to hold the root job");
    const VizFact *fact = viz_authority_fact(x.a, f);
    cr_expect_eq(fact->subj, client, "re-stated for the client");
    cr_expect(fact->rights & ZX_RIGHT_TRANSFER);
    cr_expect(fact->rights & ZX_RIGHT_ENUMERATE);
    /* the path: the broker holds the root job and its endpoint, the client
     * its endpoint; they can send each other handles; the job moves */
    uint32_t rules[8];
    size_t n = witness_rules(x.a, f, rules, 8);
    const uint32_t want[] = {VIZ_RULE_HANDLE, VIZ_RULE_HANDLE, VIZ_RULE_HANDLE,
                             VIZ_RULE_CHANNEL_FLOW, VIZ_RULE_TRANSFER};
    cr_assert_eq(n, 5, "the job, both ends, the flow, the transfer");
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(rules[i], want[i], "step %zu is %s", i + 1, viz_authority_rule_name(rules[i]));
    char why[128];
    const char *bad = witness_check(x.a, f, why, sizeof why);
    cr_expect_null(bad, "%s", bad);
    cr_expect(steps_use_rule(&x, f, VIZ_RULE_HANDLE));
    cr_expect(steps_use_rule(&x, f, VIZ_RULE_CHANNEL_FLOW));
    cr_expect(steps_use_rule(&x, f, VIZ_RULE_TRANSFER));
    char *text = viz_witness_text(x.a, f);
    cr_expect(strstr(text, "broker"), "%s", text);
    cr_expect(strstr(text, "client"), "%s", text);
    cr_expect(strstr(text, "job 'root'"), "%s", text);
    cr_expect(strstr(text, "can send handles to"), "%s", text);
    free(text);
    /* and with it, control of everything in the system */
    cr_expect_neq(viz_authority_can(x.a, client, find(&x, "process:broker"), ZX_RIGHT_MANAGE_THREAD),
                  VIZ_NOFACT);
    analysis_free(&x);
}

Test(authority, fixed_leak_has_no_path)
{
    Analysis x = analyse(vtest_leak(1, true), NULL, 0);
    size_t client = find(&x, "process:client"), broker = find(&x, "process:broker");
    cr_expect_eq(viz_authority_can(x.a, client, find(&x, "job:root"), 0), VIZ_NOFACT);
    cr_expect_eq(viz_authority_can(x.a, client, broker, 0), VIZ_NOFACT);
    /* the other direction still works: the client can send to the broker */
    cr_expect_neq(viz_authority_can(x.a, broker, find(&x, "job:sandbox"), 0), VIZ_NOFACT);
    cr_expect_eq(viz_authority_npools(x.a), 0, "one-way channel: no cycle");
    analysis_free(&x);
}

Test(authority, control_through_manage_thread)
{
    Analysis x = analyse(vtest_leak(1, false), NULL, 0);
    size_t client = find(&x, "process:client"), broker = find(&x, "process:broker");
    uint32_t c = viz_authority_controls(x.a, client, broker);
    cr_assert_neq(c, VIZ_NOFACT);
    cr_expect_eq(viz_authority_fact(x.a, c)->kind, VIZ_FACT_CONTROL);
    cr_expect_eq(viz_authority_fact(x.a, c)->subj, client);
    cr_expect(steps_use_rule(&x, c, VIZ_RULE_THREAD_INJECT));
    analysis_free(&x);
}

Test(authority, who_can_reach)
{
    Analysis x = analyse(vtest_leak(1, false), NULL, 0);
    size_t root = find(&x, "job:root");
    uint32_t *who;
    size_t n = viz_authority_who_can(x.a, root, ZX_RIGHT_ENUMERATE, &who);
    cr_expect_eq(n, 2, "broker and client");
    for (size_t i = 0; i < n; i++) {
        const VizFact *f = viz_authority_fact(x.a, who[i]);
        cr_expect_eq(f->obj, root);
        cr_expect(f->rights & ZX_RIGHT_ENUMERATE);
    }
    free(who);
    analysis_free(&x);
    Analysis y = analyse(vtest_leak(1, true), NULL, 0);
    n = viz_authority_who_can(y.a, find(&y, "job:root"), 0, &who);
    cr_expect_eq(n, 1, "only the broker");
    cr_expect_eq(viz_authority_fact(y.a, who[0])->subj, find(&y, "process:broker"));
    free(who);
    analysis_free(&y);
}

static size_t check(Analysis *x, const char *rules, char **report)
{
    char err[256];
    VizPolicy *p = viz_policycheck_parse(rules, "rules.txt", err, sizeof err);
    cr_assert(p, "%s", err);
    cr_assert_eq(viz_policycheck_bind(p, x->g, err, sizeof err), 0, "%s", err);
    VizViolation *v;
    size_t n = viz_policycheck_run(p, x->a, &v);
    if (report)
        *report = viz_policycheck_report(p, x->a, v, n);
    free(v);
    viz_policycheck_free(p);
    return n;
}

Test(authority, policy_check_reports_violations_with_paths)
{
    const char *rules = "# the sandbox must never reach the root job\n"
                        "deny job:sandbox reach job:root\n"
                        "deny process:client control process:broker\n"
                        "deny process:client reach job:root with SET_POLICY\n";
    Analysis x = analyse(vtest_leak(1, false), NULL, 0);
    char *report = NULL;
    cr_expect_eq(check(&x, rules, &report), 3);
    cr_expect(strstr(report, "VIOLATION of rules.txt:2: deny job:sandbox reach job:root"), "%s", report);
    cr_expect(strstr(report, "could control"), "%s", report);
    cr_expect(strstr(report, "  1. "), "%s", report);
    free(report);
    analysis_free(&x);
    Analysis y = analyse(vtest_leak(1, true), NULL, 0);
    cr_expect_eq(check(&y, rules, &report), 0);
    cr_expect(strstr(report, "no violations of 3 rules"), "%s", report);
    free(report);
    analysis_free(&y);
}

Test(authority, policy_file_errors_name_the_line)
{
    char err[256];
    cr_expect_null(viz_policycheck_parse("deny a reach b\nallow x y\n", "r.txt", err, sizeof err));
    cr_expect(strstr(err, "r.txt:2:"), "%s", err);
    cr_expect(strstr(err, "allow"), "%s", err);
    cr_expect_null(viz_policycheck_parse("deny a reach b with XYZ\n", "r.txt", err, sizeof err));
    cr_expect(strstr(err, "r.txt:1: unknown rights 'XYZ'"), "%s", err);
    cr_expect_null(viz_policycheck_parse("assume p no-such\n", "r.txt", err, sizeof err));
    cr_expect(strstr(err, "unknown behaviour"), "%s", err);
    VizPolicy *p = viz_policycheck_parse("\n# ok\ndeny process:nobody reach job:root\n", "r.txt",
                                         err, sizeof err);
    cr_assert(p);
    Analysis x = analyse(vtest_leak(1, true), NULL, 0);
    cr_expect_eq(viz_policycheck_bind(p, x.g, err, sizeof err), -1);
    cr_expect(strstr(err, "r.txt:3:"), "%s", err);
    cr_expect(strstr(err, "nobody"), "%s", err);
    viz_policycheck_free(p);
    analysis_free(&x);
}

/* A '#' inside quotes belongs to the word; outside quotes it starts a
 * comment. A process and a VMO whose names hold '#' are named in a rule. */
Test(authority, quoted_hash_is_part_of_a_name_not_a_comment)
{
    ExportNode nodes[] = {
        {.id = 1024, .type = ZX_OBJ_TYPE_JOB, .type_name = "job", .name = "root", .state = ""},
        {.id = 1030, .type = ZX_OBJ_TYPE_PROCESS, .type_name = "process", .name = "worker#1",
         .state = "running", .parent = 1024},
        {.id = 1031, .type = ZX_OBJ_TYPE_VMO, .type_name = "vmo", .name = "secret#2",
         .state = ""},
    };
    ExportEdge edges[] = {{.kind = EXPORT_EDGE_HANDLE, .src = 1030, .dst = 1031,
                           .rights = ZX_RIGHT_READ | ZX_RIGHT_WRITE, .value = 0x1003, .label = ""}};
    ExportSnapshot *s = export_snapshot_build(nodes, 3, edges, 1);
    VizGraph *g = viz_graph_new(s);
    const char *rules = "# 'quotes' in a comment \"stay\" a comment\n"
                        "deny \"process:worker#1\" reach 'vmo:secret#2' with W  # no writer\n"
                        "deny process:worker\\#1 reach \"vmo:secret#2\" with X\n";
    char err[256];
    VizPolicy *p = viz_policycheck_parse(rules, "r.txt", err, sizeof err);
    cr_assert(p, "%s", err);
    cr_expect_eq(viz_policycheck_nrules(p), 2);
    cr_expect_str_eq(viz_policycheck_rule_text(p, 0),
                     "r.txt:2: deny \"process:worker#1\" reach 'vmo:secret#2' with W");
    cr_assert_eq(viz_policycheck_bind(p, g, err, sizeof err), 0, "%s", err);
    VizAuthority *a = viz_authority_new(g, NULL, 0);
    VizViolation *v;
    size_t n = viz_policycheck_run(p, a, &v);
    cr_expect_eq(n, 1, "the worker writes the secret; nothing executes it");
    char *report = viz_policycheck_report(p, a, v, n);
    cr_expect(strstr(report, "VIOLATION of r.txt:2:") && strstr(report, "worker#1"), "%s",
              report);
    free(report);
    free(v);
    viz_authority_free(a);
    viz_policycheck_free(p);
    /* a quote left open is still reported, with its line */
    cr_expect_null(viz_policycheck_parse("deny \"process:worker#1 reach x\n", "r.txt", err,
                                         sizeof err));
    cr_expect(strstr(err, "r.txt:1: cannot split the line into words"), "%s", err);
    viz_graph_free(g);
    export_snapshot_free(s);
}

Test(authority, behaviour_declarations_remove_pessimism)
{
    /* "the broker never sends handles": the leak path disappears */
    const char *rules = "assume process:broker no-send\ndeny job:sandbox reach job:root\n";
    char err[256];
    VizPolicy *p = viz_policycheck_parse(rules, "r.txt", err, sizeof err);
    cr_assert(p);
    VTest *v = vtest_leak(1, false);
    VizGraph *g = viz_graph_new(vtest_end(v));
    cr_assert_eq(viz_policycheck_bind(p, g, err, sizeof err), 0, "%s", err);
    size_t nb;
    const VizBehaviour *b = viz_policycheck_behaviours(p, &nb);
    cr_expect_eq(nb, 1);
    VizAuthority *a = viz_authority_new(g, b, nb);
    VizViolation *viol;
    cr_expect_eq(viz_policycheck_run(p, a, &viol), 0);
    free(viol);
    cr_expect_eq(viz_authority_rounds(a), 1, "nobody controls the broker");
    cr_expect_eq(viz_authority_voided_by(a, viz_graph_index(g, b[0].koid)), VIZ_NONE);
    char *report = viz_policycheck_report(p, a, NULL, 0);
    cr_expect(!strstr(report, "note:"), "%s", report);
    free(report);
    viz_authority_free(a);
    viz_policycheck_free(p);
    viz_graph_free(g);
    vtest_free(v);
}

Test(authority, declarations_of_controlled_processes_are_void)
{
    /* The client never sends, but the broker can control the client (it
     * receives the client's self handles): the declaration is dropped. */
    Analysis x = analyse(vtest_leak(1, false), NULL, 0);
    size_t client = find(&x, "process:client");
    VizBehaviour b = {viz_graph_node(x.g, client)->id, VIZ_BEHAVE_NO_SEND};
    VizAuthority *a = viz_authority_new(x.g, &b, 1);
    cr_expect_eq(viz_authority_rounds(a), 2);
    cr_expect_eq(viz_authority_behaviour(a, client), 0);
    cr_expect_eq(viz_authority_voided_by(a, client), find(&x, "process:broker"),
                 "the report names who controls it");
    cr_expect_eq(viz_authority_voided_by(a, find(&x, "process:broker")), VIZ_NONE,
                 "no declaration of its own");
    viz_authority_free(a);
    analysis_free(&x);
}

Test(authority, pools_share_transferable_handles_only)
{
    Analysis x = analyse(vtest_transfer(4), NULL, 0);
    size_t sender = find(&x, "process:sender"), receiver = find(&x, "process:receiver");
    cr_expect_eq(viz_authority_npools(x.a), 1, "sender and receiver form a flow cycle");
    /* the sender's mapping of the secret (no TRANSFER) stays its own... */
    size_t vmo = find(&x, "vmo:secret");
    uint32_t f = viz_authority_can(x.a, sender, vmo, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    cr_assert_neq(f, VIZ_NOFACT);
    /* ...but the receiver holds the VMO handle itself, which the sender can
     * get back (TRANSFER), and through it both see the same object */
    cr_expect_neq(viz_authority_can(x.a, receiver, vmo, ZX_RIGHT_MAP | ZX_RIGHT_TRANSFER), VIZ_NOFACT);
    cr_expect_neq(viz_authority_can(x.a, sender, vmo, ZX_RIGHT_MAP | ZX_RIGHT_TRANSFER), VIZ_NOFACT);
    uint32_t *r;
    size_t n = viz_authority_reach(x.a, receiver, &r);
    cr_expect_gt(n, 5);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(viz_authority_fact(x.a, r[i])->subj, receiver, "re-stated for the receiver");
    free(r);
    analysis_free(&x);
}

Test(authority, in_flight_handles_reach_the_reader)
{
    Analysis x = analyse(vtest_transfer(4), NULL, 0);
    size_t receiver = find(&x, "process:receiver");
    /* the queued event: find it through the in-flight node */
    const ExportSnapshot *s = viz_graph_snapshot(x.g);
    uint64_t event = 0;
    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i].kind == EXPORT_NODE_INFLIGHT)
            event = s->nodes[i].object;
    cr_assert(event);
    uint32_t f = viz_authority_can(x.a, receiver, viz_graph_index(x.g, event), ZX_RIGHT_WAIT);
    cr_assert_neq(f, VIZ_NOFACT);
    cr_expect(steps_use_rule(&x, f, VIZ_RULE_INFLIGHT) || steps_use_rule(&x, f, VIZ_RULE_TRANSFER));
    analysis_free(&x);
}

Test(authority, creation_follows_the_callers_policy)
{
    Analysis x = analyse(vtest_leak(1, false), NULL, 0);
    uint32_t *r;
    size_t n = viz_authority_reach(x.a, find(&x, "process:client"), &r);
    bool creates_in_root = false;
    for (size_t i = 0; i < n; i++) {
        const VizFact *f = viz_authority_fact(x.a, r[i]);
        if (f->kind == VIZ_FACT_CREATE && f->obj == find(&x, "job:root"))
            creates_in_root = (f->rights & VIZ_CREATE_PROCESS) != 0;
    }
    cr_expect(creates_in_root);
    free(r);
    analysis_free(&x);
}

/* Fault switches widen the rules: with skip_rights_subset a handle can be
 * replaced with more rights, so the broker's read-only endpoint becomes
 * writable and the fixed leak is open again. */
Test(authority, rights_fault_reopens_the_leak)
{
    VTest *v = vtest_leak(1, true);
    ExportSnapshot *s = export_snapshot_copy(vtest_end(v));
    VizGraph *g = viz_graph_new(s);
    char err[256];
    size_t client = viz_graph_find(g, "process:client", err, sizeof err);
    size_t root = viz_graph_find(g, "job:root", err, sizeof err);
    VizAuthority *a = viz_authority_new(g, NULL, 0);
    uint32_t before = viz_authority_can(a, client, root, 0);
    viz_authority_free(a);
    s->faults |= EXPORT_FAULT_SKIP_RIGHTS_SUBSET;
    a = viz_authority_new(g, NULL, 0);
    uint32_t after = viz_authority_can(a, client, root, 0);
    cr_expect_eq(before, VIZ_NOFACT);
    cr_assert_neq(after, VIZ_NOFACT);
    uint32_t *steps;
    size_t n = viz_witness_steps(a, after, &steps);
    bool fault = false;
    for (size_t i = 0; i < n; i++)
        fault |= viz_authority_fact(a, steps[i])->rule == VIZ_RULE_RIGHTS_FAULT;
    cr_expect(fault, "the witness names the fault");
    free(steps);
    viz_authority_free(a);
    viz_graph_free(g);
    export_snapshot_free(s);
    vtest_free(v);
}

static void expect_proof(VizAuthority *a, uint32_t f)
{
    char why[128];
    const char *bad = witness_check(a, f, why, sizeof why);
    if (bad) {
        char *t = viz_witness_text(a, f);
        cr_expect_null(bad, "%s:\n%s", bad, t);
        free(t);
    }
}

/* The receiver reads its end: the queued event comes with it; the sender
 * gets the receiver's VMO handle back through the other channel end. */
Test(authority, witnesses_of_a_channel_transfer)
{
    Analysis x = analyse(vtest_transfer(4), NULL, 0);
    size_t receiver = find(&x, "process:receiver"), sender = find(&x, "process:sender");
    const ExportSnapshot *s = viz_graph_snapshot(x.g);
    uint64_t event = 0;
    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i].kind == EXPORT_NODE_INFLIGHT)
            event = s->nodes[i].object;
    uint32_t f = viz_authority_can(x.a, receiver, viz_graph_index(x.g, event), ZX_RIGHT_WAIT);
    cr_assert_neq(f, VIZ_NOFACT);
    uint32_t rules[8];
    size_t n = witness_rules(x.a, f, rules, 8);
    cr_expect_eq(n, 2, "the receiver's end, then the queued handle");
    cr_expect_eq(rules[0], VIZ_RULE_HANDLE);
    cr_expect_eq(rules[n - 1], VIZ_RULE_INFLIGHT);
    expect_proof(x.a, f);
    /* the receiver holds the VMO now: the sender's witness moves it back */
    f = viz_authority_can(x.a, sender, find(&x, "vmo:secret"), ZX_RIGHT_MAP | ZX_RIGHT_TRANSFER);
    cr_assert_neq(f, VIZ_NOFACT);
    n = witness_rules(x.a, f, rules, 8);
    cr_expect_eq(rules[n - 1], VIZ_RULE_TRANSFER, "%s", viz_authority_rule_name(rules[n - 1]));
    cr_expect_leq(n, 5);
    expect_proof(x.a, f);
    analysis_free(&x);
}

/* Every witness of what a sample of processes could reach, on synthetic
 * platforms (two-way and one-way servers: one big flow cycle either way),
 * is a proof: no step rests on a later one, none is said twice. */
Test(authority, every_witness_is_a_proof_on_synthetic_platforms)
{
    for (int oneway = 0; oneway < 2; oneway++) {
        VizSynthSpec spec;
        viz_synth_spec_for(2000, &spec);
        spec.oneway_servers = oneway;
        ExportSnapshot *s = viz_synth_system(&spec);
        VizGraph *g = viz_graph_new(s);
        VizAuthority *a = viz_authority_new(g, NULL, 0);
        size_t checked = 0;
        for (size_t p = 0; p < viz_graph_nnodes(g); p += 37) {
            const ExportNode *n = viz_graph_node(g, p);
            if (n->kind != EXPORT_NODE_OBJECT || n->type != ZX_OBJ_TYPE_PROCESS)
                continue;
            uint32_t *r;
            size_t nr = viz_authority_reach(a, p, &r);
            for (size_t i = 0; i < nr; i += 5, checked++)
                expect_proof(a, r[i]);
            free(r);
        }
        cr_expect_gt(checked, 100);
        viz_authority_free(a);
        viz_graph_free(g);
        export_snapshot_free(s);
    }
}
