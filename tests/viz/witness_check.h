/* witness_check.h — what every witness must be, for the viz tests: a
 * proof whose steps each rest on earlier steps (or are handles held now),
 * with no conclusion reached twice and no share step left. Header-only:
 * test_authority.c and test_directories.c use different harnesses. */
#ifndef CAPSIM_TESTS_WITNESS_CHECK_H
#define CAPSIM_TESTS_WITNESS_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "viz_authority.h"

/* Does step y establish premise p (the same step, or for anything but a
 * flow the same conclusion with at least its rights)? */
static inline bool witness_establishes(const VizFact *y, const VizFact *p)
{
    bool same = y->kind == p->kind && y->subj == p->subj && y->obj == p->obj;
    if (p->kind != VIZ_FACT_FLOW)
        return same && (y->rights & p->rights) == p->rights;
    return same && y->rule == p->rule && y->via == p->via;
}

/* NULL when the witness of f is a proof as above, else what is wrong. */
static inline const char *witness_check(VizAuthority *a, uint32_t f, char *why, size_t len)
{
    uint32_t *st;
    size_t n = viz_witness_steps(a, f, &st);
    const char *bad = NULL;
    if (!n || st[n - 1] != f)
        bad = "the conclusion is not the last step";
    for (size_t i = 0; i < n && !bad; i++) {
        const VizFact *x = viz_authority_fact(a, st[i]);
        if (x->rule == VIZ_RULE_SHARE)
            bad = "a share step is left unfolded";
        for (int k = 0; k < 2 && !bad; k++) {
            if (x->prem[k] == VIZ_NOFACT)
                continue;
            const VizFact *p = viz_authority_fact(a, x->prem[k]);
            bool before = false;
            for (size_t j = 0; j < i && !before; j++)
                before = st[j] == x->prem[k] || witness_establishes(viz_authority_fact(a, st[j]), p);
            if (!before) {
                snprintf(why, len, "step %zu rests on a fact not proven before it", i + 1);
                bad = why;
            }
        }
        for (size_t j = 0; j < i && !bad; j++) {
            const VizFact *y = viz_authority_fact(a, st[j]);
            if (y->kind == x->kind && y->subj == x->subj && y->obj == x->obj &&
                (y->rights & x->rights) == x->rights && x->kind != VIZ_FACT_FLOW) {
                snprintf(why, len, "step %zu concludes what step %zu did", i + 1, j + 1);
                bad = why;
            }
        }
    }
    free(st);
    return bad;
}

/* The rules of f's witness in order (at most max); returns the count. */
static inline size_t witness_rules(VizAuthority *a, uint32_t f, uint32_t *rules, size_t max)
{
    uint32_t *st;
    size_t n = viz_witness_steps(a, f, &st);
    for (size_t i = 0; i < n && i < max; i++)
        rules[i] = viz_authority_fact(a, st[i])->rule;
    free(st);
    return n;
}

#endif
