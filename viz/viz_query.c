/* viz_query.c — authority queries as text.
 *
 * What it models: the answers a researcher reads. "reach" lists, per
 * object (koid order), what a principal holds now (a handle, a mapping, a
 * namespace entry) and what it could come to hold, with the rights, then
 * the processes it could control and the jobs it could create in; "who
 * can" lists the processes that could hold an object with at least the
 * given rights. With witnesses, each line is followed by its numbered
 * path (viz_witness.c).
 *
 * Invariants: output order is that of the analysis' queries (object id,
 * then kind; processes by koid): deterministic.
 * Left out: ranking by risk; grouping by flow cycle.
 * Read next: scenarios/host/host_graph.c.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "viz_query.h"
#include "viz_style.h"

bool viz_query_rights(const char *text, uint32_t *out)
{
    *out = 0;
    if (!text || !*text)
        return true;
    char *end = NULL;
    unsigned long v = strtoul(text, &end, 0);
    if (end && !*end) {
        *out = (uint32_t)v;
        return true;
    }
    size_t n;
    const VizRightAbbrev *ab = viz_style_abbrevs(&n);
    char **parts = g_strsplit_set(text, "|, ", -1);
    bool ok = true;
    for (char **p = parts; *p && ok; p++) {
        const char *w = *p;
        if (!*w)
            continue;
        if (!g_ascii_strncasecmp(w, "ZX_RIGHT_", 9))
            w += 9;
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            if (!strcmp(w, ab[i].abbrev) || !g_ascii_strcasecmp(w, ab[i].name)) {
                *out |= ab[i].right;
                found = true;
            }
        ok = found;
    }
    g_strfreev(parts);
    return ok;
}

static void viz_query_line(VizAuthority *a, GString *t, uint32_t f, bool witnesses)
{
    const VizFact *x = viz_authority_fact(a, f);
    const VizGraph *g = viz_authority_graph(a);
    char what[200], who[200], r[200];
    viz_graph_describe(g, x->obj, what, sizeof what);
    viz_graph_describe(g, x->subj, who, sizeof who);
    bool now = x->rule == VIZ_RULE_HANDLE || x->rule == VIZ_RULE_MAPPING || x->rule == VIZ_RULE_NAMESPACE;
    switch (x->kind) {
    case VIZ_FACT_HOLD:
        g_string_append_printf(t, "  %-14s %s [%s]  (%s, by %s)\n", now ? "holds now" : "could hold", what,
                               viz_style_rights_plain(x->rights, r, sizeof r),
                               viz_authority_rule_name(x->rule), who);
        break;
    case VIZ_FACT_CONTROL:
        g_string_append_printf(t, "  %-14s %s  (%s, by %s)\n", "could control", what,
                               viz_authority_rule_name(x->rule), who);
        break;
    case VIZ_FACT_CREATE:
        g_string_append_printf(t, "  %-14s %s%s%s in %s  (by %s)\n", "could create",
                               (x->rights & VIZ_CREATE_PROCESS) ? "processes" : "",
                               (x->rights & VIZ_CREATE_PROCESS) && (x->rights & VIZ_CREATE_JOB) ? ", " : "",
                               (x->rights & VIZ_CREATE_JOB) ? "jobs" : "", what, who);
        break;
    default:
        return;
    }
    if (witnesses && !now) {
        char *w = viz_witness_text(a, f);
        g_string_append(t, w);
        free(w);
    }
}

static char *viz_query_finish(GString *t)
{
    char *out = strdup(t->str);
    g_string_free(t, TRUE);
    return out;
}

char *viz_query_reach(VizAuthority *a, size_t principal, bool witnesses)
{
    const VizGraph *g = viz_authority_graph(a);
    char who[200];
    viz_graph_describe(g, principal, who, sizeof who);
    uint32_t *members;
    size_t nm = viz_authority_members(a, principal, &members);
    free(members);
    GString *t = g_string_new(NULL);
    g_string_append_printf(t, "reach of %s (%zu process%s):\n", who, nm, nm == 1 ? "" : "es");
    uint32_t *facts;
    size_t n = viz_authority_reach(a, principal, &facts);
    for (size_t i = 0; i < n; i++)
        viz_query_line(a, t, facts[i], witnesses);
    if (!n)
        g_string_append(t, "  nothing\n");
    free(facts);
    return viz_query_finish(t);
}

char *viz_query_who_can(VizAuthority *a, size_t object, uint32_t rights,
                        bool witnesses)
{
    const VizGraph *g = viz_authority_graph(a);
    char what[200], r[200];
    viz_graph_describe(g, object, what, sizeof what);
    GString *t = g_string_new(NULL);
    g_string_append_printf(t, "who can reach %s with [%s]:\n", what,
                           rights ? viz_style_rights_plain(rights, r, sizeof r) : "any rights");
    uint32_t *facts;
    size_t n = viz_authority_who_can(a, object, rights, &facts);
    for (size_t i = 0; i < n; i++)
        viz_query_line(a, t, facts[i], witnesses);
    if (!n)
        g_string_append(t, "  nobody\n");
    free(facts);
    return viz_query_finish(t);
}
