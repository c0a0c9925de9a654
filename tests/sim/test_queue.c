/* test_queue.c — the event queue against a reference implementation. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "event_queue.h"
#include "sim.h"

static EqPayload pl(uint32_t v)
{
    EqPayload p = { 1, v, NULL, NULL };
    return p;
}

Test(queue, equal_times_pop_fifo)
{
    EventQueue q;
    eq_init(&q);
    uint64_t seq = 1;
    for (uint32_t i = 0; i < 100; i++) {
        EqPayload p = pl(i);
        eq_push(&q, 50, seq++, &p);
    }
    EqPayload early = pl(1000);
    eq_push(&q, 10, seq++, &early);
    int64_t t;
    uint64_t s;
    EqPayload p;
    cr_assert(eq_pop(&q, &t, &s, &p, NULL));
    cr_assert_eq(p.aux, 1000);
    for (uint32_t i = 0; i < 100; i++) {
        cr_assert(eq_pop(&q, &t, &s, &p, NULL));
        cr_assert_eq(t, 50);
        cr_assert_eq(p.aux, i, "FIFO order at equal time");
    }
    cr_assert_not(eq_pop(&q, &t, &s, &p, NULL));
    eq_free(&q);
}

Test(queue, cancel)
{
    EventQueue q;
    eq_init(&q);
    EqPayload a = pl(1), b = pl(2), c = pl(3);
    EqId ia = eq_push(&q, 10, 1, &a);
    EqId ib = eq_push(&q, 20, 2, &b);
    eq_push(&q, 30, 3, &c);
    cr_assert(eq_cancel(&q, ib));
    cr_assert_not(eq_cancel(&q, ib), "double cancel");
    cr_assert_eq(eq_size(&q), 2);
    int64_t t;
    uint64_t s;
    EqPayload p;
    EqId id;
    cr_assert(eq_pop(&q, &t, &s, &p, &id));
    cr_assert_eq(p.aux, 1);
    cr_assert_eq(id, ia);
    cr_assert_not(eq_cancel(&q, ia), "popped events cannot be cancelled");
    /* The freed slot is reused; the old id must not cancel the new event. */
    EqPayload d = pl(4);
    EqId idd = eq_push(&q, 25, 4, &d);
    cr_assert_not(eq_cancel(&q, ib));
    cr_assert(eq_pending(&q, idd));
    cr_assert(eq_pop(&q, &t, &s, &p, NULL));
    cr_assert_eq(p.aux, 4);
    cr_assert(eq_pop(&q, &t, &s, &p, NULL));
    cr_assert_eq(p.aux, 3);
    cr_assert_not(eq_pop(&q, &t, &s, &p, NULL));
    eq_free(&q);
}

/* Reference: an unsorted array scanned for the minimum. */
typedef struct Ref {
    int64_t time;
    uint64_t seq;
    EqId id;
    uint32_t v;
    bool live;
} Ref;

Test(queue, random_ops_match_reference)
{
    enum { OPS = 100000, MAXN = 4096 };
    EventQueue q;
    eq_init(&q);
    Ref *ref = calloc(OPS, sizeof *ref);
    size_t *lv = calloc(OPS, sizeof *lv), *pos = calloc(OPS, sizeof *pos);
    size_t nref = 0, live = 0;
    uint64_t seq = 1;
    SimRng r;
    sim_rng_init(&r, 5, "test");
    int64_t now = 0;
    for (int op = 0; op < OPS; op++) {
        uint64_t k = sim_rng_below(&r, 10);
        if ((k < 5 && live < MAXN) || live == 0) { /* push */
            int64_t t = now + (int64_t)sim_rng_below(&r, 64); /* many ties */
            EqPayload p = pl((uint32_t)nref);
            ref[nref] = (Ref){ t, seq, eq_push(&q, t, seq, &p),
                               (uint32_t)nref, true };
            seq++;
            pos[nref] = live;
            lv[live++] = nref;
            nref++;
        } else if (k < 7) { /* cancel a random entry (maybe dead) */
            size_t i = sim_rng_below(&r, nref);
            bool ok = eq_cancel(&q, ref[i].id);
            cr_assert_eq(ok, ref[i].live, "cancel of %zu", i);
            if (ok) {
                ref[i].live = false;
                lv[pos[i]] = lv[--live];
                pos[lv[pos[i]]] = pos[i];
            }
        } else { /* pop */
            size_t best = SIZE_MAX;
            for (size_t j = 0; j < live; j++) {
                size_t i = lv[j];
                if (best == SIZE_MAX || ref[i].time < ref[best].time ||
                    (ref[i].time == ref[best].time &&
                     ref[i].seq < ref[best].seq))
                    best = i;
            }
            int64_t t;
            uint64_t s;
            EqPayload p;
            cr_assert(eq_pop(&q, &t, &s, &p, NULL));
            cr_assert_eq(p.aux, ref[best].v, "op %d", op);
            cr_assert_eq(t, ref[best].time);
            ref[best].live = false;
            lv[pos[best]] = lv[--live];
            pos[lv[pos[best]]] = pos[best];
            now = t;
        }
        cr_assert_eq(eq_size(&q), live);
    }
    free(ref);
    free(lv);
    free(pos);
    eq_free(&q);
}

Test(queue, renumber_keeps_order_and_ids)
{
    EventQueue q;
    eq_init(&q);
    SimRng r;
    sim_rng_init(&r, 9, "test");
    EqId ids[1000];
    uint64_t seq = EQ_SEQ_LIMIT - 5000; /* near the limit */
    for (uint32_t i = 0; i < 1000; i++) {
        EqPayload p = pl(i);
        ids[i] = eq_push(&q, (int64_t)sim_rng_below(&r, 50), seq, &p);
        seq += 2;
    }
    for (uint32_t i = 0; i < 1000; i += 3)
        cr_assert(eq_cancel(&q, ids[i]));
    /* Reference order before renumbering. */
    EventQueue copy;
    eq_init(&copy);
    uint32_t want[1000];
    int nwant = 0;
    {
        int64_t t;
        uint64_t s;
        EqPayload p;
        /* Rebuild the expected order by popping a twin queue. */
        SimRng r2;
        sim_rng_init(&r2, 9, "test");
        uint64_t sq = 1;
        for (uint32_t i = 0; i < 1000; i++) {
            EqPayload pp = pl(i);
            EqId id = eq_push(&copy, (int64_t)sim_rng_below(&r2, 50), sq, &pp);
            sq += 2;
            if (i % 3 == 0)
                eq_cancel(&copy, id);
        }
        while (eq_pop(&copy, &t, &s, &p, NULL))
            want[nwant++] = p.aux;
    }
    uint64_t next = eq_renumber(&q, 2, 2);
    cr_assert_eq(next, 2 + 2 * (uint64_t)nwant);
    cr_assert_not(eq_pending(&q, ids[0]));
    cr_assert(eq_pending(&q, ids[1]), "ids stay valid");
    cr_assert(eq_cancel(&q, ids[1]));
    int k = 0;
    int64_t t;
    uint64_t s;
    EqPayload p;
    while (eq_pop(&q, &t, &s, &p, NULL)) {
        while (k < nwant && want[k] == 1)
            k++;
        cr_assert_eq(p.aux, want[k], "position %d", k);
        k++;
    }
    eq_free(&q);
    eq_free(&copy);
}
