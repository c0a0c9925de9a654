/* viz_query.h — the analysis queries as text reports: what a principal can
 * reach, who can reach an object with given rights, each fact with its
 * witness path on demand. For the command line and the host API.
 * Flat header. Read next: viz_query.c.
 */
#ifndef CAPSIM_VIZ_QUERY_H
#define CAPSIM_VIZ_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viz_authority.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "what can P reach": one line per fact (holds now / could hold, with
 * rights; controls; can create), witnesses under each when asked.
 * malloc'ed text. */
char *viz_query_reach(VizAuthority *a, size_t principal, bool witnesses);
/* "who can reach O with R" (rights 0 = any). malloc'ed text. */
char *viz_query_who_can(VizAuthority *a, size_t object, uint32_t rights,
                        bool witnesses);
/* Parse rights ("W|T", "WRITE,TRANSFER", "0x8", "" = none); false if bad. */
bool viz_query_rights(const char *text, uint32_t *out);

#ifdef __cplusplus
}
#endif
#endif
