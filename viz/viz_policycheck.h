/* viz_policycheck.h — policy checks over the authority analysis: rules such
 * as "no process in job X may ever hold a handle to the root job" or
 * "component C must never reach service S", plus behaviour declarations,
 * read from a small text format; each violation comes with its witness.
 * Flat header. Read next: viz_policycheck.c.
 */
#ifndef CAPSIM_VIZ_POLICYCHECK_H
#define CAPSIM_VIZ_POLICYCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viz_authority.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VizPolicy VizPolicy;

typedef struct VizViolation {
    size_t rule;          /* index of the rule violated */
    uint32_t member;      /* the process (node index) that breaks it */
    uint32_t target;      /* node index of what it reaches */
    uint32_t fact;        /* the fact proving it (witness) */
} VizViolation;

/* Parse rules (see viz_policycheck.c for the format). `name` is used in
 * messages ("rules.txt:3: ..."). NULL and a message on error. */
VizPolicy *viz_policycheck_parse(const char *text, const char *name,
                                 char *err, size_t errlen);
VizPolicy *viz_policycheck_load(const char *path, char *err, size_t errlen);
void viz_policycheck_free(VizPolicy *p);
size_t viz_policycheck_nrules(const VizPolicy *p);
/* "rules.txt:3: deny job:sandbox reach job:root" */
const char *viz_policycheck_rule_text(const VizPolicy *p, size_t i);
/* Resolve names against a snapshot. 0, or -1 with a message naming the
 * rule's file and line. */
int viz_policycheck_bind(VizPolicy *p, const VizGraph *g, char *err,
                         size_t errlen);
/* Behaviour declarations of a bound policy (for viz_authority_new). */
const VizBehaviour *viz_policycheck_behaviours(const VizPolicy *p, size_t *n);
/* Check every deny rule; one violation per (rule, process, target), in
 * rule order then koid order. *out malloc'ed (free()). */
size_t viz_policycheck_run(const VizPolicy *p, VizAuthority *a,
                           VizViolation **out);
/* The violations as text, each with its witness path (malloc'ed). */
char *viz_policycheck_report(const VizPolicy *p, VizAuthority *a,
                             const VizViolation *v, size_t n);

#ifdef __cplusplus
}
#endif
#endif
