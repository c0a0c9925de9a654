/* viz_json.h — a snapshot as JSON in networkx's node-link format
 * (networkx.node_link_graph reads it back as a MultiDiGraph). Flat header.
 * Read next: viz_json.c.
 */
#ifndef CAPSIM_VIZ_JSON_H
#define CAPSIM_VIZ_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The JSON text (NUL-terminated, malloc'ed: free with free()); *len
 * without the NUL. `label` goes into graph.label (may be NULL). */
char *viz_json_snapshot(const ExportSnapshot *s, const char *label,
                        bool pretty, size_t *len);
/* Write it to `path` ("-" = stdout). 0, or -1 with a message naming it. */
int viz_json_write_file(const ExportSnapshot *s, const char *label,
                        const char *path, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
