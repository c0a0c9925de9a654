/* viz_style.c — the visual vocabulary of capability graphs.
 *
 * What it models: a fixed mapping from what a node or edge IS to how it
 * looks, so that every picture capsim draws reads the same way and the
 * legend (drawn into the picture by viz_dot.c) can explain it.
 *   - Tasks are boxes (jobs: folders, processes: boxes, threads: small
 *     ellipses); IPC objects are ellipses/diamonds; memory is a cylinder;
 *     sandbox entries (directories, services, components) are tabs and
 *     hexagons. Colours come from one qualitative palette, one per type.
 *   - Handles are solid black arrows labelled with rights; structure (job
 *     tree, threads) is grey; peers are dotted and undirected; mappings and
 *     port bindings dashed; namespace entries bold blue.
 *   - Rights are abbreviated (R W X T D M, Mt = MANAGE_THREAD...); a handle
 *     that has exactly its type's default rights is labelled "default", and
 *     one that dropped a few of them "default -W -T", which is how
 *     attenuation is usually done and so how people want to read it.
 * Invariants: every ZX_RIGHT_* bit (0..24) has exactly one abbreviation.
 * Left out: user-configurable palettes.
 * Read next: viz_view.c, viz_dot.c.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/rights.h>

#include "viz_style.h"

static const VizRightAbbrev viz_style_rights_table[] = {
    {ZX_RIGHT_DUPLICATE, "D", "DUPLICATE"},
    {ZX_RIGHT_TRANSFER, "T", "TRANSFER"},
    {ZX_RIGHT_READ, "R", "READ"},
    {ZX_RIGHT_WRITE, "W", "WRITE"},
    {ZX_RIGHT_EXECUTE, "X", "EXECUTE"},
    {ZX_RIGHT_MAP, "M", "MAP"},
    {ZX_RIGHT_GET_PROPERTY, "Gp", "GET_PROPERTY"},
    {ZX_RIGHT_SET_PROPERTY, "Sp", "SET_PROPERTY"},
    {ZX_RIGHT_ENUMERATE, "E", "ENUMERATE"},
    {ZX_RIGHT_DESTROY, "K", "DESTROY"},
    {ZX_RIGHT_SET_POLICY, "Ps", "SET_POLICY"},
    {ZX_RIGHT_GET_POLICY, "Pg", "GET_POLICY"},
    {ZX_RIGHT_SIGNAL, "S", "SIGNAL"},
    {ZX_RIGHT_SIGNAL_PEER, "Sq", "SIGNAL_PEER"},
    {ZX_RIGHT_WAIT, "Wt", "WAIT"},
    {ZX_RIGHT_INSPECT, "I", "INSPECT"},
    {ZX_RIGHT_MANAGE_JOB, "Mj", "MANAGE_JOB"},
    {ZX_RIGHT_MANAGE_PROCESS, "Mp", "MANAGE_PROCESS"},
    {ZX_RIGHT_MANAGE_THREAD, "Mt", "MANAGE_THREAD"},
    {ZX_RIGHT_APPLY_PROFILE, "Ap", "APPLY_PROFILE"},
    {ZX_RIGHT_MANAGE_SOCKET, "Ms", "MANAGE_SOCKET"},
    {ZX_RIGHT_OP_CHILDREN, "Oc", "OP_CHILDREN"},
    {ZX_RIGHT_RESIZE, "Rz", "RESIZE"},
    {ZX_RIGHT_ATTACH_VMO, "Av", "ATTACH_VMO"},
    {ZX_RIGHT_MANAGE_VMO, "Mv", "MANAGE_VMO"},
};
#define VIZ_STYLE_NRIGHTS (sizeof viz_style_rights_table / sizeof viz_style_rights_table[0])

const VizRightAbbrev *viz_style_abbrevs(size_t *n)
{
    *n = VIZ_STYLE_NRIGHTS;
    return viz_style_rights_table;
}

static void viz_style_append(char *buf, size_t len, size_t *at, const char *s)
{
    int w = snprintf(buf + *at, len - *at, "%s%s", *at ? " " : "", s);
    if (w > 0 && *at + (size_t)w < len)
        *at += (size_t)w;
}

char *viz_style_rights_plain(uint32_t rights, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < VIZ_STYLE_NRIGHTS; i++)
        if (rights & viz_style_rights_table[i].right)
            viz_style_append(buf, len, &at, viz_style_rights_table[i].abbrev);
    if (!at)
        snprintf(buf, len, "none");
    return buf;
}

static int viz_style_popcount(uint32_t v)
{
    return __builtin_popcount(v);
}

char *viz_style_rights(uint32_t rights, uint32_t default_rights, char *buf,
                       size_t len)
{
    if (default_rights && rights == default_rights) {
        snprintf(buf, len, "default");
        return buf;
    }
    uint32_t dropped = default_rights & ~rights;
    if (default_rights && (rights & ~default_rights) == 0 && dropped &&
        viz_style_popcount(dropped) <= 3 && viz_style_popcount(rights) > 3) {
        size_t at = snprintf(buf, len, "default");
        for (size_t i = 0; i < VIZ_STYLE_NRIGHTS && at < len; i++)
            if (dropped & viz_style_rights_table[i].right) {
                int w = snprintf(buf + at, len - at, " -%s", viz_style_rights_table[i].abbrev);
                if (w > 0)
                    at += (size_t)w;
            }
        return buf;
    }
    return viz_style_rights_plain(rights, buf, len);
}

char *viz_style_rights_names(uint32_t rights, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < VIZ_STYLE_NRIGHTS; i++) {
        if (!(rights & viz_style_rights_table[i].right))
            continue;
        int w = snprintf(buf + at, len - at, "%s%s", at ? "|" : "",
                         viz_style_rights_table[i].name);
        if (w > 0 && at + (size_t)w < len)
            at += (size_t)w;
    }
    if (!at)
        snprintf(buf, len, "NONE");
    return buf;
}

/* ---- Nodes -----------------------------------------------------------------*/

typedef struct VizTypeStyleRow {
    const char *type_name;
    VizNodeStyle style;
} VizTypeStyleRow;

static const VizTypeStyleRow viz_style_types[] = {
    {"job", {"folder", "#fff2cc", "#b58900"}},
    {"process", {"box", "#cfe2f3", "#1f4e79"}},
    {"thread", {"ellipse", "#eeeeee", "#777777"}},
    {"channel", {"ellipse", "#d9ead3", "#38761d"}},
    {"eventpair", {"diamond", "#fce5cd", "#b45f06"}},
    {"event", {"diamond", "#fff9c4", "#9e9d24"}},
    {"socket", {"ellipse", "#d0e0e3", "#134f5c"}},
    {"fifo", {"ellipse", "#e6f4ea", "#2e7d32"}},
    {"port", {"octagon", "#ead1dc", "#741b47"}},
    {"timer", {"circle", "#f4cccc", "#990000"}},
    {"vmo", {"cylinder", "#d9d2e9", "#351c75"}},
    {"vmar", {"component", "#ede7f6", "#4a148c"}},
    {"exception", {"doubleoctagon", "#f8bbd0", "#880e4f"}},
    {"resource", {"house", "#ffe0b2", "#e65100"}},
    {"debuglog", {"note", "#f5f5f5", "#424242"}},
    {"suspend_token", {"invtriangle", "#eceff1", "#37474f"}},
    {"directory", {"tab", "#fffde7", "#827717"}},
    {"file", {"note", "#fffde7", "#827717"}},
    {"mount", {"folder", "#e0f7fa", "#006064"}},
    {"service", {"hexagon", "#e0f7fa", "#006064"}},
    {"component", {"box3d", "#e8f5e9", "#1b5e20"}},
    {"aggregate", {"box", "#fafafa", "#616161"}},
};
#define VIZ_STYLE_NTYPES (sizeof viz_style_types / sizeof viz_style_types[0])

VizNodeStyle viz_style_for_type_name(const char *type_name)
{
    for (size_t i = 0; i < VIZ_STYLE_NTYPES; i++)
        if (!strcmp(viz_style_types[i].type_name, type_name))
            return viz_style_types[i].style;
    return (VizNodeStyle){"ellipse", "#ffffff", "#000000"};
}

VizNodeStyle viz_style_node(const ExportNode *n)
{
    VizNodeStyle s = viz_style_for_type_name(n->type_name);
    if (n->kind == EXPORT_NODE_INFLIGHT)
        s.shape = "note";
    return s;
}

const char *const *viz_style_legend_types(size_t *n)
{
    static const char *const names[] = {
        "job", "process", "thread", "channel", "eventpair", "event", "socket",
        "fifo", "port", "timer", "vmo", "vmar", "exception", "resource",
        "directory", "service", "component"};
    *n = sizeof names / sizeof names[0];
    return names;
}

VizEdgeStyle viz_style_edge(uint32_t kind)
{
    switch (kind) {
    case EXPORT_EDGE_HANDLE: return (VizEdgeStyle){"#000000", "solid", "normal"};
    case EXPORT_EDGE_CHILD: return (VizEdgeStyle){"#9e9e9e", "solid", "empty"};
    case EXPORT_EDGE_THREAD: return (VizEdgeStyle){"#9e9e9e", "solid", "dot"};
    case EXPORT_EDGE_PEER: return (VizEdgeStyle){"#38761d", "dotted", "none"};
    case EXPORT_EDGE_INFLIGHT: return (VizEdgeStyle){"#38761d", "dashed", "open"};
    case EXPORT_EDGE_MAPPING: return (VizEdgeStyle){"#351c75", "dashed", "normal"};
    case EXPORT_EDGE_VMAR: return (VizEdgeStyle){"#9e9e9e", "dotted", "odot"};
    case EXPORT_EDGE_PORT_BINDING: return (VizEdgeStyle){"#741b47", "dashed", "vee"};
    case EXPORT_EDGE_EXCEPTION: return (VizEdgeStyle){"#880e4f", "bold", "normal"};
    case EXPORT_EDGE_NAMESPACE: return (VizEdgeStyle){"#1f4e79", "bold", "normal"};
    case EXPORT_EDGE_DIR_CHILD: return (VizEdgeStyle){"#827717", "solid", "none"};
    case EXPORT_EDGE_DIR_CONN: return (VizEdgeStyle){"#006064", "dashed", "normal"};
    case EXPORT_EDGE_SERVES: return (VizEdgeStyle){"#006064", "solid", "inv"};
    case EXPORT_EDGE_DIR_REMOTE: return (VizEdgeStyle){"#006064", "bold", "normal"};
    case EXPORT_EDGE_MEMBER: return (VizEdgeStyle){"#1b5e20", "dotted", "none"};
    default: return (VizEdgeStyle){"#000000", "solid", "normal"};
    }
}
