/* test_covert_channel.c — the covert_channel scenario through the host API.
 *
 * Shared virtual CPU (1 CPU): the receiver decodes the sender's message
 * with no bit error, though the authority analysis finds nothing the sender
 * could pass it (no flow, no control, no object both could hold).
 * Partitioned (2 CPUs, capsim_job_set_cpu_mask: sender on CPU 0, receiver
 * on CPU 1): the receiver reads all zeros, the mutual information between
 * sent and received bits is 0, and neither actor's thread ever ran on the
 * other's CPU. Also the CPU mask's rules and errors. Measured numbers are
 * printed (criterion's --verbose shows them).
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsim_host.h"
#include "capsim_script.h"
#include "job.h"
#include "job_limits.h"
#include "kernel.h"

#define APP ACTOR_DIR "/covert_channel.so"
#define MESSAGE "capsim!"
#define NBITS 56

typedef struct CcRun {
    CapsimSystem *sys;
    uint64_t sender, receiver;
    char sent[NBITS + 1], got[NBITS + 1];
    double ber, info;         /* bit error rate; mutual information, bits/slot */
} CcRun;

/* The NBITS-character bit string after `key` in p's output. */
static void cc_bits(CapsimSystem *sys, uint64_t p, const char *key, char *out)
{
    char buf[4096];
    capsim_process_output(sys, p, 3, buf, sizeof buf);
    const char *at = strstr(buf, key);
    cr_assert_not_null(at, "no '%s' in: %s", key, buf);
    memcpy(out, at + strlen(key), NBITS);
    out[NBITS] = '\0';
}

static double cc_mutual_information(const char *x, const char *y)
{
    double n[2][2] = {{0, 0}, {0, 0}}, info = 0;
    for (int i = 0; i < NBITS; i++)
        n[x[i] == '1'][y[i] == '1'] += 1.0 / NBITS;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            double px = n[a][0] + n[a][1], py = n[0][b] + n[1][b];
            if (n[a][b] > 0)
                info += n[a][b] * log2(n[a][b] / (px * py));
        }
    return info;
}

static CcRun cc_start(int cpus, uint64_t sender_mask, uint64_t receiver_mask)
{
    CcRun r;
    memset(&r, 0, sizeof r);
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.cpus = cpus;
    cfg.keep_trace = 1;
    r.sys = capsim_system_new(&cfg);
    cr_assert_not_null(r.sys);
    cr_assert_eq(capsim_record(r.sys), 0);
    const char *sargv[] = {"sender", "--message=" MESSAGE};
    const char *rargv[] = {"receiver", "--bits=56"};
    r.sender = capsim_spawn_app(r.sys, APP, 2, sargv, "sender");
    r.receiver = capsim_spawn_app(r.sys, APP, 2, rargv, "receiver");
    cr_assert(r.sender && r.receiver, "%s", capsim_last_error(r.sys));
    if (sender_mask)
        cr_assert_eq(capsim_job_set_cpu_mask(r.sys, capsim_process_job(r.sys, r.sender),
                                             sender_mask), 0, "%s", capsim_last_error(r.sys));
    if (receiver_mask)
        cr_assert_eq(capsim_job_set_cpu_mask(r.sys, capsim_process_job(r.sys, r.receiver),
                                             receiver_mask), 0, "%s", capsim_last_error(r.sys));
    return r;
}

static void cc_finish(CcRun *r, const char *what)
{
    cr_assert_eq(capsim_run(r->sys), CAPSIM_RUN_QUIESCENT);
    cc_bits(r->sys, r->sender, "sent 56 bits: ", r->sent);
    cc_bits(r->sys, r->receiver, "got 56 bits: ", r->got);
    int errors = 0;
    for (int i = 0; i < NBITS; i++)
        errors += r->sent[i] != r->got[i];
    r->ber = (double)errors / NBITS;
    r->info = cc_mutual_information(r->sent, r->got);
    /* One bit per 1 ms slot of virtual time. */
    cr_log_info("covert channel, %s: BER %.3f, mutual information %.3f bit/slot, "
                "capacity %.0f bit/s of virtual time (raw 1000 bit/s)",
                what, r->ber, r->info, r->info * 1000.0);
}

Test(covert_channel, shared_cpu_leaks_the_message)
{
    CcRun r = cc_start(1, 0, 0);
    cc_finish(&r, "shared CPU");
    cr_expect_eq(r.ber, 0.0, "sent %s got %s", r.sent, r.got);
    cr_expect_gt(r.info, 0.9);
    char out[4096];
    capsim_process_output(r.sys, r.receiver, 3, out, sizeof out);
    cr_expect(strstr(out, "as text: \"" MESSAGE "\""), "%s", out);
    capsim_system_free(r.sys);
}

Test(covert_channel, partitioned_cpus_close_it)
{
    CcRun r = cc_start(2, 0x1, 0x2);
    cc_finish(&r, "partitioned CPUs");
    cr_expect_str_eq(r.got, "00000000000000000000000000000000000000000000000000000000");
    cr_expect_lt(r.info, 0.01);
    cr_expect_gt(r.ber, 0.3, "the message's ones are all lost");
    /* Every record stamped with an actor's thread ran on its own CPU. */
    size_t n = capsim_trace_count(r.sys), wrong = 0, seen = 0;
    CapsimTraceRecord rec;
    for (size_t i = 0; i < n; i++) {
        capsim_trace_get(r.sys, i, &rec, 1);
        if (rec.cpu < 0 || (rec.process != r.sender && rec.process != r.receiver))
            continue;
        seen++;
        wrong += rec.cpu != (rec.process == r.sender ? 0 : 1);
    }
    cr_expect_gt(seen, 100);
    cr_expect_eq(wrong, 0);
    capsim_system_free(r.sys);
}

/* Nothing in the capability graph lets the sender reach the receiver. */
Test(covert_channel, no_authority_path)
{
    CcRun r = cc_start(1, 0, 0);
    CapsimGraph *g = capsim_graph_snapshot(r.sys);
    cr_assert_not_null(g);
    char err[256];
    int64_t s = capsim_graph_find(g, "process:sender", err, sizeof err);
    int64_t v = capsim_graph_find(g, "process:receiver", err, sizeof err);
    cr_assert(s >= 0 && v >= 0, "%s", err);
    CapsimNode sn, vn;
    capsim_graph_node(g, (size_t)s, &sn);
    capsim_graph_node(g, (size_t)v, &vn);
    CapsimFact facts[512];
    int64_t nf = capsim_graph_reach(g, s, facts, 512);
    cr_assert(nf > 0 && nf <= 512);
    for (int64_t i = 0; i < nf; i++)
        cr_expect_neq(facts[i].object, vn.id, "sender reaches the receiver: %s", facts[i].rule);
    /* Nor anything the receiver holds. */
    for (size_t i = 0; i < capsim_graph_edge_count(g); i++) {
        CapsimEdge e;
        capsim_graph_edge(g, i, &e);
        if (e.src != vn.id || strcmp(e.kind_name, "handle") != 0)
            continue;
        char spec[32];
        snprintf(spec, sizeof spec, "koid:%llu", (unsigned long long)e.dst);
        int64_t o = capsim_graph_find(g, spec, err, sizeof err);
        cr_expect_eq(capsim_graph_can(g, s, o, 0), -1, "sender could hold %s", spec);
    }
    capsim_graph_free(g);
    cc_finish(&r, "shared CPU (graph check)");
    cr_expect_eq(r.ber, 0.0);
    capsim_system_free(r.sys);
}

/* ---- The CPU mask's rules ---------------------------------------------------- */

Test(covert_channel, cpu_mask_rules)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.cpus = 2;
    CapsimSystem *sys = capsim_system_new(&cfg);
    const char *argv[] = {"receiver", "--bits=2"};
    uint64_t p = capsim_spawn_app(sys, APP, 2, argv, "receiver");
    uint64_t job = capsim_process_job(sys, p);
    cr_expect_eq(capsim_job_set_cpu_mask(sys, job, 0x4), ZX_ERR_INVALID_ARGS, "no CPU 2");
    cr_expect(strstr(capsim_last_error(sys), "names no CPU"), "%s", capsim_last_error(sys));
    cr_expect_eq(capsim_job_set_cpu_mask(sys, 12345678, 1), ZX_ERR_NOT_FOUND);
    cr_expect_eq(capsim_job_set_cpu_mask(sys, job, 0x2), 0);
    cr_expect_eq(capsim_job_cpu_mask(sys, job), 0x2);
    capsim_system_free(sys);

    /* Nested jobs: effective = intersection; a mask leaving a job with no
     * CPU is refused, on the job itself or through its descendants. */
    SimConfig sc;
    sim_config_default(&sc);
    sc.cpus = 4;
    SimEngine *e = sim_engine_new(&sc);
    Kernel *k = kernel_new(e);
    KJob *parent, *child;
    cr_assert_eq(job_create(k->root_job, &parent), ZX_OK);
    cr_assert_eq(job_create(parent, &child), ZX_OK);
    cr_expect_eq(job_limits_set_cpu_mask(parent, 0x3), ZX_OK);
    cr_expect_eq(job_limits_set_cpu_mask(child, 0x4), ZX_ERR_INVALID_ARGS, "outside parent's");
    cr_expect_eq(job_limits_set_cpu_mask(child, 0x6), ZX_OK);
    cr_expect_eq(job_limits_effective_cpu_mask(child), 0x2);
    cr_expect_eq(job_limits_set_cpu_mask(parent, 0x1), ZX_ERR_INVALID_ARGS,
                 "would leave the child with nothing");
    cr_expect_eq(job_limits_set_cpu_mask(parent, 0), ZX_OK, "lifting is always fine");
    cr_expect_eq(job_limits_effective_cpu_mask(child), 0x6);
    kobject_unref(&child->base);
    kobject_unref(&parent->base);
    kernel_free(k);
    sim_engine_free(e);
}
