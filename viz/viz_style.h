/* viz_style.h — how capability graphs look: rights abbreviations, one
 * colour and shape per object type, edge styles per edge kind, and the
 * legend drawn into every picture. Flat header. Read next: viz_style.c.
 */
#ifndef CAPSIM_VIZ_STYLE_H
#define CAPSIM_VIZ_STYLE_H

#include <stddef.h>
#include <stdint.h>

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VizNodeStyle {
    const char *shape;   /* graphviz shape */
    const char *fill;    /* fill colour */
    const char *border;  /* outline colour */
} VizNodeStyle;

typedef struct VizEdgeStyle {
    const char *color;
    const char *style;   /* solid, dashed, dotted, bold */
    const char *arrowhead;
} VizEdgeStyle;

typedef struct VizRightAbbrev {
    uint32_t right;      /* one ZX_RIGHT_* bit */
    const char *abbrev;  /* "R", "W", "Mt"... */
    const char *name;    /* "READ"... */
} VizRightAbbrev;

/* Rights as abbreviations: "default" when equal to the type's default,
 * "default -W -T" when a few rights were dropped from it, otherwise the
 * abbreviations in bit order ("R W T"), "none" for 0. Returns buf. */
char *viz_style_rights(uint32_t rights, uint32_t default_rights, char *buf,
                       size_t len);
/* Plain list of abbreviations, never relative to a default. */
char *viz_style_rights_plain(uint32_t rights, char *buf, size_t len);
/* Full names joined by '|' ("READ|WRITE"), for JSON and witnesses. */
char *viz_style_rights_names(uint32_t rights, char *buf, size_t len);
const VizRightAbbrev *viz_style_abbrevs(size_t *n);

VizNodeStyle viz_style_node(const ExportNode *n);
VizEdgeStyle viz_style_edge(uint32_t edge_kind);
/* Node styles for the legend: type names in legend order. */
const char *const *viz_style_legend_types(size_t *n);
VizNodeStyle viz_style_for_type_name(const char *type_name);

/* Colours of diff and witness drawings. */
#define VIZ_COLOR_ADDED "#1a9641"
#define VIZ_COLOR_REMOVED "#d7191c"
#define VIZ_COLOR_ATTENUATED "#fdae61"
#define VIZ_COLOR_AMPLIFIED "#7b3294"
#define VIZ_COLOR_WITNESS "#d7191c"
#define VIZ_COLOR_FOCUS "#2c7bb6"

#ifdef __cplusplus
}
#endif
#endif
