/* viz_policycheck.c — checking authority against stated intentions.
 *
 * What it models: a small rules language, one rule per line:
 *
 *   # comments and blank lines are ignored; a '#' inside quotes is
 *   # part of the word ("process:worker#1"), as in the shell
 *   deny SUBJECT reach TARGET [with RIGHTS]    no member process of SUBJECT
 *                                              may ever hold TARGET (with
 *                                              at least RIGHTS)
 *   deny SUBJECT control TARGET                no member may ever control a
 *                                              process of TARGET
 *   assume PRINCIPAL BEHAVIOUR[,BEHAVIOUR...]  a behaviour declaration:
 *                                              no-send, no-receive,
 *                                              no-enumerate, no-control,
 *                                              no-create; untrusted takes
 *                                              the default trust away from
 *                                              directory servers
 *
 * Words are split as the shell splits them (quotes, backslashes), so a name
 * with spaces or '#' can be quoted.
 * SUBJECT, TARGET and PRINCIPAL are node specs (viz_graph_find): koid:N,
 * TYPE:NAME (process:client, job:root, component:echo), /svc/path, or a
 * bare name. RIGHTS are abbreviations or names joined by '|' or ','
 * (W|T, WRITE,TRANSFER). Members: a process is itself, a job is every
 * process below it, a component every process of it.
 *
 * Invariants: parsing never looks at a snapshot (so a file's syntax errors
 * are reported before a run); binding resolves names and reports unknown
 * ones with file:line; checking only reads the analysis. Violations come
 * in rule order, then by member koid, then by target: deterministic.
 * Left out: allow rules and exceptions to rules; time-bounded rules.
 * Read next: viz_diff.c.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_file.h"
#include "viz_policycheck.h"
#include "viz_style.h"

typedef enum { VIZ_RULE_DENY_REACH, VIZ_RULE_DENY_CONTROL, VIZ_RULE_ASSUME } VizRuleVerb;

typedef struct VizPolicyRule {
    VizRuleVerb verb;
    char *subject, *target;
    uint32_t rights;          /* deny reach: needed rights; assume: flags */
    char *text;               /* "file:line: original" */
    size_t subject_i, target_i;
} VizPolicyRule;

struct VizPolicy {
    GArray *rules;            /* VizPolicyRule */
    GArray *behaviours;       /* VizBehaviour, after bind */
};

static bool viz_policycheck_rights(const char *s, uint32_t *out)
{
    size_t n;
    const VizRightAbbrev *ab = viz_style_abbrevs(&n);
    char **parts = g_strsplit_set(s, "|,", -1);
    uint32_t r = 0;
    bool ok = parts[0] != NULL;   /* "with ''" names no rights: an error, not "any" */
    for (char **p = parts; *p && ok; p++) {
        char *w = g_strstrip(*p);
        bool found = false;
        if (!g_ascii_strncasecmp(w, "ZX_RIGHT_", 9))
            w += 9;
        for (size_t i = 0; i < n && !found; i++)
            if (!strcmp(w, ab[i].abbrev) || !g_ascii_strcasecmp(w, ab[i].name)) {
                r |= ab[i].right;
                found = true;
            }
        ok = found && *w;
    }
    g_strfreev(parts);
    *out = r;
    return ok;
}

static bool viz_policycheck_behaviour(const char *s, uint32_t *out)
{
    static const struct { const char *name; uint32_t flag; } names[] = {
        {"no-send", VIZ_BEHAVE_NO_SEND}, {"no-receive", VIZ_BEHAVE_NO_RECEIVE},
        {"no-enumerate", VIZ_BEHAVE_NO_ENUMERATE}, {"no-control", VIZ_BEHAVE_NO_CONTROL},
        {"no-create", VIZ_BEHAVE_NO_CREATE}, {"untrusted", VIZ_BEHAVE_UNTRUSTED}};
    char **parts = g_strsplit(s, ",", -1);
    uint32_t f = 0;
    bool ok = parts[0] != NULL;
    for (char **p = parts; *p && ok; p++) {
        bool found = false;
        for (size_t i = 0; i < G_N_ELEMENTS(names) && !found; i++)
            if (!strcmp(g_strstrip(*p), names[i].name)) {
                f |= names[i].flag;
                found = true;
            }
        ok = found;
    }
    g_strfreev(parts);
    *out = f;
    return ok;
}

/* Parse one non-empty line into r; false with a message. */
static bool viz_policycheck_line(char **w, int nw, VizPolicyRule *r, char *why,
                                 size_t whylen)
{
    if (!strcmp(w[0], "assume")) {
        if (nw != 3) {
            snprintf(why, whylen, "expected 'assume PRINCIPAL BEHAVIOUR[,BEHAVIOUR]'");
            return false;
        }
        r->verb = VIZ_RULE_ASSUME;
        r->subject = g_strdup(w[1]);
        if (!viz_policycheck_behaviour(w[2], &r->rights)) {
            snprintf(why, whylen, "unknown behaviour '%s' (known: no-send, no-receive, "
                     "no-enumerate, no-control, no-create, untrusted)", w[2]);
            return false;
        }
        return true;
    }
    if (strcmp(w[0], "deny")) {
        snprintf(why, whylen, "unknown rule '%s' (expected deny or assume)", w[0]);
        return false;
    }
    bool reach = nw >= 4 && !strcmp(w[2], "reach");
    bool control = nw >= 4 && !strcmp(w[2], "control");
    if ((!reach && !control) || (control && nw != 4) ||
        (reach && nw != 4 && !(nw == 6 && !strcmp(w[4], "with")))) {
        snprintf(why, whylen, "expected 'deny SUBJECT reach TARGET [with RIGHTS]' or "
                 "'deny SUBJECT control TARGET'");
        return false;
    }
    r->verb = reach ? VIZ_RULE_DENY_REACH : VIZ_RULE_DENY_CONTROL;
    r->subject = g_strdup(w[1]);
    r->target = g_strdup(w[3]);
    if (nw == 6 && !viz_policycheck_rights(w[5], &r->rights)) {
        snprintf(why, whylen, "unknown rights '%s' (use abbreviations like W|T or names "
                 "like WRITE,TRANSFER)", w[5]);
        return false;
    }
    return true;
}

/* Cut the line at its comment: the first '#' outside single or double
 * quotes and not escaped by a backslash (the quoting g_shell_parse_argv
 * then undoes). A quote left open is left for it to report. */
static void viz_policycheck_cut_comment(char *line)
{
    char quote = '\0';
    for (char *c = line; *c; c++) {
        if (*c == '\\' && quote != '\'' && c[1]) {
            c++;
        } else if (quote) {
            if (*c == quote)
                quote = '\0';
        } else if (*c == '\'' || *c == '"') {
            quote = *c;
        } else if (*c == '#') {
            *c = '\0';
            return;
        }
    }
}

static void viz_policycheck_rule_clear(VizPolicyRule *r)
{
    g_free(r->subject);
    g_free(r->target);
    g_free(r->text);
}

VizPolicy *viz_policycheck_parse(const char *text, const char *name,
                                 char *err, size_t errlen)
{
    VizPolicy *p = g_new0(VizPolicy, 1);
    p->rules = g_array_new(FALSE, TRUE, sizeof(VizPolicyRule));
    p->behaviours = g_array_new(FALSE, FALSE, sizeof(VizBehaviour));
    char **lines = g_strsplit(text, "\n", -1);
    bool ok = true;
    for (int ln = 0; lines[ln] && ok; ln++) {
        viz_policycheck_cut_comment(lines[ln]);
        char *line = g_strstrip(lines[ln]);
        if (!*line)
            continue;
        gchar **w = NULL;
        gint nw = 0;
        char why[256];
        VizPolicyRule r;
        memset(&r, 0, sizeof r);
        GError *split = NULL;
        if (!g_shell_parse_argv(line, &nw, &w, &split)) {
            snprintf(why, sizeof why, "cannot split the line into words: %s", split->message);
            g_error_free(split);
        }
        if (!w || !viz_policycheck_line(w, nw, &r, why, sizeof why)) {
            snprintf(err, errlen, "%s:%d: %s", name, ln + 1, why);
            viz_policycheck_rule_clear(&r);
            ok = false;
        } else {
            r.text = g_strdup_printf("%s:%d: %s", name, ln + 1, line);
            g_array_append_val(p->rules, r);
        }
        g_strfreev(w);
    }
    g_strfreev(lines);
    if (!ok) {
        viz_policycheck_free(p);
        return NULL;
    }
    return p;
}

VizPolicy *viz_policycheck_load(const char *path, char *err, size_t errlen)
{
    gchar *text = NULL;
    GError *ge = NULL;
    if (!host_file_read(path, &text, NULL, &ge)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, ge->message);
        g_error_free(ge);
        return NULL;
    }
    VizPolicy *p = viz_policycheck_parse(text, path, err, errlen);
    g_free(text);
    return p;
}

void viz_policycheck_free(VizPolicy *p)
{
    if (!p)
        return;
    for (guint i = 0; i < p->rules->len; i++)
        viz_policycheck_rule_clear(&g_array_index(p->rules, VizPolicyRule, i));
    g_array_free(p->rules, TRUE);
    g_array_free(p->behaviours, TRUE);
    g_free(p);
}

size_t viz_policycheck_nrules(const VizPolicy *p)
{
    return p->rules->len;
}

const char *viz_policycheck_rule_text(const VizPolicy *p, size_t i)
{
    return i < p->rules->len ? g_array_index(p->rules, VizPolicyRule, i).text : NULL;
}

int viz_policycheck_bind(VizPolicy *p, const VizGraph *g, char *err,
                         size_t errlen)
{
    g_array_set_size(p->behaviours, 0);
    for (guint i = 0; i < p->rules->len; i++) {
        VizPolicyRule *r = &g_array_index(p->rules, VizPolicyRule, i);
        char why[256];
        r->subject_i = viz_graph_find(g, r->subject, why, sizeof why);
        if (r->subject_i == VIZ_NONE) {
            snprintf(err, errlen, "%s: %s", r->text, why);
            return -1;
        }
        if (r->verb == VIZ_RULE_ASSUME) {
            VizBehaviour b = {viz_graph_node(g, r->subject_i)->id, r->rights};
            g_array_append_val(p->behaviours, b);
            continue;
        }
        r->target_i = viz_graph_find(g, r->target, why, sizeof why);
        if (r->target_i == VIZ_NONE) {
            snprintf(err, errlen, "%s: %s", r->text, why);
            return -1;
        }
    }
    return 0;
}

const VizBehaviour *viz_policycheck_behaviours(const VizPolicy *p, size_t *n)
{
    *n = p->behaviours->len;
    return (const VizBehaviour *)(const void *)p->behaviours->data;
}

/* Violations of "deny SUBJECT control TARGET" by one member. */
static void viz_policycheck_control(VizAuthority *a, size_t rule,
                                    uint32_t member, size_t target, GArray *out)
{
    uint32_t *victims;
    size_t nv = viz_authority_members(a, target, &victims);
    for (size_t i = 0; i < nv; i++) {
        uint32_t f = viz_authority_controls(a, member, victims[i]);
        if (f != VIZ_NOFACT) {
            VizViolation v = {rule, member, victims[i], f};
            g_array_append_val(out, v);
        }
    }
    free(victims);
}

size_t viz_policycheck_run(const VizPolicy *p, VizAuthority *a,
                           VizViolation **out)
{
    GArray *viol = g_array_new(FALSE, FALSE, sizeof(VizViolation));
    for (guint i = 0; i < p->rules->len; i++) {
        const VizPolicyRule *r = &g_array_index(p->rules, VizPolicyRule, i);
        if (r->verb == VIZ_RULE_ASSUME)
            continue;
        uint32_t *members;
        size_t nm = viz_authority_members(a, r->subject_i, &members);
        for (size_t k = 0; k < nm; k++) {
            if (r->verb == VIZ_RULE_DENY_CONTROL) {
                viz_policycheck_control(a, i, members[k], r->target_i, viol);
                continue;
            }
            uint32_t f = viz_authority_can(a, members[k], r->target_i, r->rights);
            if (f != VIZ_NOFACT) {
                VizViolation v = {i, members[k], (uint32_t)r->target_i, f};
                g_array_append_val(viol, v);
            }
        }
        free(members);
    }
    size_t n = viol->len;
    *out = malloc((n ? n : 1) * sizeof **out);
    memcpy(*out, viol->data, n * sizeof **out);
    g_array_free(viol, TRUE);
    return n;
}

char *viz_policycheck_report(const VizPolicy *p, VizAuthority *a,
                             const VizViolation *v, size_t n)
{
    GString *t = g_string_new(NULL);
    const VizGraph *g = viz_authority_graph(a);
    for (size_t i = 0; i < n; i++) {
        char who[160], what[160];
        viz_graph_describe(g, v[i].member, who, sizeof who);
        viz_graph_describe(g, v[i].target, what, sizeof what);
        g_string_append_printf(t, "VIOLATION of %s\n  %s %s %s; witness:\n",
                               viz_policycheck_rule_text(p, v[i].rule), who,
                               viz_authority_fact(a, v[i].fact)->kind == VIZ_FACT_CONTROL
                                   ? "could control" : "could reach", what);
        char *w = viz_witness_text(a, v[i].fact);
        g_string_append(t, w);
        free(w);
    }
    if (!n)
        g_string_append_printf(t, "no violations of %zu rule%s\n", viz_policycheck_nrules(p),
                               viz_policycheck_nrules(p) == 1 ? "" : "s");
    for (size_t x = 0; x < viz_graph_nnodes(g); x++) { /* assumptions that did not hold */
        size_t by = viz_authority_voided_by(a, x);
        if (by == VIZ_NONE)
            continue;
        char who[160], boss[160];
        viz_graph_describe(g, x, who, sizeof who);
        viz_graph_describe(g, by, boss, sizeof boss);
        g_string_append_printf(t, "note: the assume lines for %s are void: %s could control "
                                  "it, so the analysis assumes nothing of its code\n", who, boss);
    }
    char *out = strdup(t->str);
    g_string_free(t, TRUE);
    return out;
}
