/* vtest.h — known systems for the viz tests, built in C on simulated
 * threads (tests/model/ktest.h): each builder launches its processes, runs
 * the simulation to its end (processes park on an event that is never
 * signalled, so the final state still has their handles) and leaves a
 * recorder with the snapshots.
 *
 *   transfer: "sender" and "receiver" joined by a channel. The sender maps
 *     a VMO, sends it and a duplicated event; the receiver reads the first
 *     message (the VMO) and leaves the second (the event) queued: one
 *     handle received, one in flight.
 *   leak: a "broker" in job "tests" holds the root job; "client" runs in
 *     job "sandbox" under it and shares a channel with the broker. With
 *     fixed=false the broker's root-job handle carries TRANSFER (a leak the
 *     analysis must find); with fixed=true it does not.
 */
#ifndef CAPSIM_TESTS_VTEST_H
#define CAPSIM_TESTS_VTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "ktest.h"
#include "viz_recorder.h"

typedef struct VTest {
    KTest *kt;
    VizRecorder *rec;
    KProcess *p[4];
    KJob *sandbox;
    zx_koid_t vmo, event, ep_a, ep_b;
} VTest;

VTest *vtest_transfer(uint64_t seed);
/* Launch without running (record: attach a recorder), then vtest_run. */
VTest *vtest_transfer_build(uint64_t seed, bool record);
void vtest_run(VTest *v);
VTest *vtest_leak(uint64_t seed, bool fixed);
void vtest_free(VTest *v);

/* The final snapshot. */
const ExportSnapshot *vtest_end(VTest *v);
/* Counting helpers over a snapshot. */
const ExportEdge *vtest_edge(const ExportSnapshot *s, uint32_t kind,
                             uint64_t src, uint64_t dst);
size_t vtest_count_edges(const ExportSnapshot *s, uint32_t kind);
size_t vtest_count_nodes(const ExportSnapshot *s, uint32_t kind);
/* Whole file as a string (g_free), NULL if unreadable. */
char *vtest_read(const char *path, size_t *len);

/* A private scratch folder for the files a test writes, never the current
 * directory: a test that writes files runs with
 * .init = vtest_scratch_init, .fini = vtest_scratch_fini (fini runs after
 * a failed assertion too, removing the folder and what is in it), and
 * names its files with vtest_scratch("x.svg") (g_free). */
void vtest_scratch_init(void);
void vtest_scratch_fini(void);
char *vtest_scratch(const char *name);

#endif
