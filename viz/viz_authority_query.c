/* viz_authority_query.c — the analysis' answers for one process: which
 * fact proves what it could hold or control, stated for it, step by step.
 *
 * What it models: a pooled fact holds for a whole flow cycle (processes
 * that can all send each other handles) and its premises may be facts of
 * other members. A query states the fact for the process asked about,
 * and every step of its witness for the process that takes that step
 * (viz_authority_actor: the holder who enumerates, the reader who gets a
 * transfer, the controller...). Where a step needs what another member
 * holds, a "share" step crosses the cycle: a handle with TRANSFER travels
 * along a shortest path of flows, one transfer per hop, spelled out when
 * a witness is shown (viz_authority_unfold); anything else (a control, a
 * handle without TRANSFER) is derived again from the member's own
 * premises, which end in such handles. A process's own handles are always
 * its own base facts, even when the pool keeps another member's equal
 * fact, and its own MANAGE_THREAD handle is its own way to control.
 *
 * Choosing: among the facts that answer a query, the one needing no share
 * step at the end wins, then the shallowest derivation (VizFact.depth),
 * then the oldest fact: witnesses are short and start from the process's
 * own handles when they can.
 *
 * Invariants: stated facts are appended after the fixpoint's and
 * remembered per (fact, process), so asking again adds little; queries
 * never change what the fixpoint derived. No derivation leans on itself:
 * a share's path uses flows shallower than the moved fact, or others that
 * are checked not to reach the share step. Output order is by object,
 * then kind, then rank: deterministic. Left out: the shortest witness over
 * every derivation (only the stored one of each fact is followed).
 * Read next: viz_witness.c.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/rights.h>
#include <zircon/syscalls/policy.h>

#include "viz_authority_int.h"

/* ---- Who takes a step ---------------------------------------------------------------*/

static uint32_t viz_query_client(const VizAuthority *a, const VizFact *x)
{
    return viz_authority_actor(a, x->prem[0]);
}

static uint32_t viz_query_flow_from(const VizAuthority *a, uint32_t fl)
{
    const VizFact *x = &a->facts[fl];
    if (!x->pooled)
        return x->subj;
    switch (x->rule) {
    case VIZ_RULE_CHANNEL_FLOW: return viz_authority_actor(a, x->prem[0]);
    case VIZ_RULE_SERVICE_FLOW:
        return (x->rights & VIZ_FLOW_TO_CLIENT) ? a->server[x->via] : viz_query_client(a, x);
    case VIZ_RULE_VIA_CONTROL: return x->via;
    default: return x->subj;
    }
}

uint32_t viz_authority_to(const VizAuthority *a, uint32_t fl)
{
    const VizFact *x = &a->facts[fl];
    if (!x->pooled)
        return x->obj;
    switch (x->rule) {
    case VIZ_RULE_CHANNEL_FLOW: return viz_authority_actor(a, x->prem[1]);
    case VIZ_RULE_SERVICE_FLOW:
        return (x->rights & VIZ_FLOW_TO_CLIENT) ? viz_query_client(a, x) : a->server[x->via];
    case VIZ_RULE_VIA_CONTROL: return viz_authority_actor(a, x->prem[0]);
    default: return x->obj;
    }
}

uint32_t viz_authority_actor(const VizAuthority *a, uint32_t f)
{
    for (;;) {
        const VizFact *x = &a->facts[f];
        if (x->kind == VIZ_FACT_FLOW)
            return viz_query_flow_from(a, f);
        if (!x->pooled || x->prem[0] == VIZ_NOFACT)
            return x->subj;
        if (x->rule == VIZ_RULE_TRANSFER)
            return viz_authority_to(a, x->prem[1]);
        f = x->rule == VIZ_RULE_VIA_CONTROL ? x->prem[1] : x->prem[0];
    }
}

/* ---- Stating a fact for one process -----------------------------------------------*/

/* f as it is, or a copy with these subject, object and premises. */
static uint32_t viz_query_copy(VizAuthority *a, uint32_t f, uint32_t subj, uint32_t obj,
                               uint32_t p0, uint32_t p1)
{
    VizFact nf = a->facts[f];
    if (nf.subj == subj && nf.obj == obj && nf.prem[0] == p0 && nf.prem[1] == p1)
        return f;
    nf.subj = nf.sid = subj;
    nf.obj = obj;
    nf.pooled = 0;
    nf.prem[0] = p0;
    nf.prem[1] = p1;
    nf.depth = viz_auth_depth(a, p0, p1);
    nf.next_subj = nf.next_obj = nf.next_same = nf.next_aux = VIZ_NOFACT;
    uint32_t id = viz_auth_append(a, &nf);
    return id == VIZ_NOFACT ? f : id;
}

static uint32_t viz_query_state(VizAuthority *a, uint32_t f, uint32_t x);

/* The flows between processes that hold both ends of a channel now:
 * the fixpoint makes no flow inside a pool once it is merged, so paths
 * over its flows alone can be long. Each is a CHANNEL_FLOW fact from two
 * handles held now, appended once (declarations respected, at most
 * VIZ_QUERY_PAIRS writer/reader pairs per endpoint). */
#define VIZ_QUERY_PAIRS 64u

static void viz_query_base_flows(VizAuthority *a)
{
    const ExportSnapshot *s = a->s;
    for (uint32_t w = 0; w < a->nn; w++) {
        size_t cw;
        const uint32_t *ow = viz_graph_out(a->g, w, &cw);
        for (size_t i = 0; i < cw; i++) {
            uint32_t fw = a->edge_fact[ow[i]];
            if (fw == VIZ_NOFACT || s->edges[ow[i]].kind != EXPORT_EDGE_HANDLE ||
                !(a->facts[fw].rights & ZX_RIGHT_WRITE) || (a->behave[w] & VIZ_BEHAVE_NO_SEND))
                continue;
            uint32_t e = a->facts[fw].obj, peer = a->peer[e];
            if (peer == VIZ_NOFACT || viz_auth_type(a, e) != ZX_OBJ_TYPE_CHANNEL)
                continue;
            size_t cr, pairs = 0;
            const uint32_t *in = viz_graph_in(a->g, peer, &cr);
            for (size_t k = 0; k < cr && pairs < VIZ_QUERY_PAIRS; k++) {
                uint32_t fr = a->edge_fact[in[k]], r = fr == VIZ_NOFACT ? w : a->facts[fr].subj;
                if (r == w || s->edges[in[k]].kind != EXPORT_EDGE_HANDLE ||
                    !(a->facts[fr].rights & ZX_RIGHT_READ) || (a->behave[r] & VIZ_BEHAVE_NO_RECEIVE))
                    continue;
                VizFact nf = {
                    .kind = VIZ_FACT_FLOW, .rule = VIZ_RULE_CHANNEL_FLOW, .subj = w, .sid = w,
                    .obj = r, .via = e, .prem = {fw, fr}, .edge = VIZ_NOFACT, .depth = 1,
                    .next_subj = VIZ_NOFACT, .next_obj = VIZ_NOFACT, .next_same = VIZ_NOFACT,
                    .next_aux = VIZ_NOFACT,
                };
                pairs += viz_auth_append(a, &nf) != VIZ_NOFACT;
            }
        }
    }
}

/* Every flow, by the process it reaches (the flow's actors, not its
 * pools): the fixpoint's and the direct ones, built on the first need. */
static void viz_query_flows(VizAuthority *a)
{
    if (a->flow_off)
        return;
    uint32_t first = a->nfacts;
    viz_query_base_flows(a);
    a->base_flows_lo = first;
    a->base_flows_hi = a->nfacts;
    a->flow_off = g_new0(uint32_t, a->nn + 1);
    GArray *pairs = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t f = 0; f < a->nfacts; f++) {
        if (f == a->nfixed)
            f = first;
        if (f >= a->nfacts)
            break;
        if (a->facts[f].kind == VIZ_FACT_FLOW) {
            uint32_t pair[2] = {viz_authority_to(a, f), f};
            g_array_append_vals(pairs, pair, 2);
            a->flow_off[pair[0] + 1]++;
        }
    }
    for (uint32_t i = 0; i < a->nn; i++)
        a->flow_off[i + 1] += a->flow_off[i];
    uint32_t *fill = g_memdup2(a->flow_off, (a->nn + 1) * sizeof *fill);
    a->flow_val = g_new(uint32_t, pairs->len / 2 + 1);
    a->flow_src = g_new(uint32_t, pairs->len / 2 + 1);
    for (guint i = 0; i < pairs->len; i += 2) {
        uint32_t at = fill[g_array_index(pairs, uint32_t, i)]++, fl = g_array_index(pairs, uint32_t, i + 1);
        a->flow_val[at] = fl;
        a->flow_src[at] = viz_query_flow_from(a, fl);
    }
    g_free(fill);
    g_array_free(pairs, TRUE);
    a->path_flow = viz_auth_fill(a->nn);
    a->path_stamp = g_new0(uint32_t, a->nn ? a->nn : 1);
}

/* Does the derivation of fact `from` reach fact `s`? (As it stands: share
 * steps are not unfolded on the way.) Facts in `seen` are known not to. */
static bool viz_query_reaches(const VizAuthority *a, uint32_t from, uint32_t s,
                              GHashTable *seen)
{
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    bool found = false;
    g_array_append_val(stack, from);
    while (stack->len && !found) {
        uint32_t x = g_array_index(stack, uint32_t, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        if (x == VIZ_NOFACT || !g_hash_table_add(seen, GUINT_TO_POINTER(x + 1)))
            continue;
        found = x == s;
        g_array_append_vals(stack, a->facts[x].prem, 2);
    }
    g_array_free(stack, TRUE);
    return found;
}

/* 1 + the newest fact in f's derivation when it holds no share step
 * left to unfold (then it is final), else 0. Remembered once final. */
static uint32_t viz_query_settled(VizAuthority *a, uint32_t f)
{
    if (f == VIZ_NOFACT)
        return 1;
    if (f < a->nsettled && a->settled[f])
        return a->settled[f];
    if (f >= a->nfixed && a->facts[f].rule == VIZ_RULE_SHARE)
        return 0;
    uint32_t p0 = viz_query_settled(a, a->facts[f].prem[0]);
    uint32_t p1 = p0 ? viz_query_settled(a, a->facts[f].prem[1]) : 0;
    if (!p0 || !p1)
        return 0;
    uint32_t m = f + 1 > p0 ? f + 1 : p0;
    m = m > p1 ? m : p1;
    if (f >= a->nsettled) {
        uint32_t n = a->nfacts + 1024;
        a->settled = g_renew(uint32_t, a->settled, n);
        memset(a->settled + a->nsettled, 0, (n - a->nsettled) * sizeof *a->settled);
        a->nsettled = n;
    }
    return a->settled[f] = m;
}

/* Does stated fact f lean on fact s? `clear` gathers facts known not to. */
static bool viz_query_leans(VizAuthority *a, uint32_t f, uint32_t s, GHashTable *clear)
{
    uint32_t m = viz_query_settled(a, f);
    if ((m && m <= s) || g_hash_table_contains(clear, GUINT_TO_POINTER(f + 1)))
        return false; /* final and older than s: it cannot name s */
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTableIter it;
    gpointer k;
    bool found = viz_query_reaches(a, f, s, seen);
    if (!found) {
        g_hash_table_iter_init(&it, seen);
        while (g_hash_table_iter_next(&it, &k, NULL))
            g_hash_table_add(clear, k);
    }
    g_hash_table_destroy(seen);
    return found;
}

/* Deeper flows a path may check before it gives up (each check walks the
 * flow's derivation). */
#define VIZ_QUERY_CHECKS 1024u

/* path_flow[v]: a flow from v one hop closer to `to` on a shortest path
 * of flows (breadth first from `to`, backwards; the first flow found wins,
 * in fact order), using the direct flows, the fixpoint's flows shallower
 * than `bound` and, unless `avoid` is VIZ_NOFACT, the others whose stated
 * derivation does not reach fact `avoid` (the first VIZ_QUERY_CHECKS met). Kept for the next query alike
 * (not when avoiding: that answer is for one step). */
static void viz_query_paths_to(VizAuthority *a, uint32_t to, uint32_t bound, uint32_t avoid)
{
    viz_query_flows(a);
    if (a->path_to == to && a->path_bound == bound && avoid == VIZ_NOFACT)
        return;
    /* what does not reach `avoid` (a flow found to reach it is not kept:
     * another flow may share part of its derivation without reaching it) */
    GHashTable *clear = avoid == VIZ_NOFACT ? NULL : g_hash_table_new(g_direct_hash, g_direct_equal);
    uint32_t checks = 0;
    a->path_to = avoid == VIZ_NOFACT ? to : VIZ_NOFACT;
    a->path_bound = bound;
    uint32_t now = ++a->path_now;
    uint32_t *queue = g_new(uint32_t, a->nn ? a->nn : 1), qh = 0, qt = 0;
    a->path_stamp[to] = now;
    a->path_flow[to] = VIZ_NOFACT;
    queue[qt++] = to;
    while (qh < qt) {
        uint32_t v = queue[qh++];
        for (uint32_t k = a->flow_off[v]; k < a->flow_off[v + 1]; k++) {
            uint32_t fl = a->flow_val[k];
            bool direct = fl >= a->base_flows_lo && fl < a->base_flows_hi;
            if (!direct && a->facts[fl].depth >= bound &&
                (!clear || ++checks > VIZ_QUERY_CHECKS ||
                 viz_query_leans(a, viz_query_state(a, fl, VIZ_NOFACT), avoid, clear)))
                continue;
            uint32_t u = a->flow_src[k];
            if (a->path_stamp[u] == now)
                continue;
            a->path_stamp[u] = now;
            a->path_flow[u] = fl;
            queue[qt++] = u;
        }
    }
    g_free(queue);
    if (clear)
        g_hash_table_destroy(clear);
}

/* One hop: what the sender of flow fl holds (fact h) reaches its reader:
 * sent through a channel, or used through the process its controller
 * controls. */
static VizFact viz_query_hop(VizAuthority *a, uint32_t h, uint32_t fl)
{
    uint32_t sfl = viz_query_state(a, fl, VIZ_NOFACT);
    const VizFact *x = &a->facts[sfl];
    VizFact nf = a->facts[h];
    bool control = x->rule == VIZ_RULE_VIA_CONTROL;
    nf.rule = control ? VIZ_RULE_VIA_CONTROL : VIZ_RULE_TRANSFER;
    nf.subj = nf.sid = x->obj;
    nf.via = control ? x->subj : x->via;
    nf.pooled = 0;
    nf.prem[0] = h;
    nf.prem[1] = control ? x->prem[0] : sfl;
    nf.edge = VIZ_NOFACT;
    nf.depth = viz_auth_depth(a, nf.prem[0], nf.prem[1]);
    nf.next_subj = nf.next_obj = nf.next_same = nf.next_aux = VIZ_NOFACT;
    return nf;
}

/* Process x gets what another member `from` of its flow cycle holds (fact
 * h, stated for `from`, with TRANSFER; fixpoint fact f stated): one
 * "share" step, which viz_authority_unfold turns into the hops of a path
 * when a witness shows it (listing what a process could hold needs no
 * paths). The step keeps f's depth in `edge`: its path may only use
 * flows shallower than f (or the direct ones), so no witness can go round
 * in a circle (a flow that needs the very fact being moved is deeper). */
static uint32_t viz_query_share(VizAuthority *a, uint32_t f, uint32_t h, uint32_t x,
                                uint32_t from)
{
    VizFact nf = a->facts[h];
    nf.rule = VIZ_RULE_SHARE;
    nf.subj = nf.sid = x;
    nf.via = from;
    nf.pooled = 0;
    nf.prem[0] = h;
    nf.prem[1] = VIZ_NOFACT;
    nf.edge = a->facts[f].depth;
    nf.depth = viz_auth_depth(a, h, VIZ_NOFACT);
    nf.next_subj = nf.next_obj = nf.next_same = nf.next_aux = VIZ_NOFACT;
    uint32_t id = viz_auth_append(a, &nf);
    return id == VIZ_NOFACT ? h : id;
}

typedef enum {
    VIZ_UNFOLD_SHALLOW,       /* flows shallower than the moved fact: safe */
    VIZ_UNFOLD_ANY,           /* the shortest path, if none of it leans on s */
    VIZ_UNFOLD_AVOID,         /* a shortest path around flows that lean on s */
} VizUnfoldWay;

/* The hops of share step s along a path to its process found `way`;
 * false if there is none (s is left as it is). */
static bool viz_query_unfold_along(VizAuthority *a, uint32_t s, VizUnfoldWay way)
{
    VizFact share = a->facts[s];
    uint32_t h = share.prem[0], from = share.via, x = share.subj;
    uint32_t bound = way == VIZ_UNFOLD_ANY ? UINT32_MAX : share.edge;
    viz_query_paths_to(a, x, bound, way == VIZ_UNFOLD_AVOID ? s : VIZ_NOFACT);
    if (a->path_stamp[from] != a->path_now)
        return false;
    GArray *path = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t v = from; v != x; v = viz_authority_to(a, a->path_flow[v]))
        g_array_append_val(path, a->path_flow[v]);
    GHashTable *clear = g_hash_table_new(g_direct_hash, g_direct_equal);
    bool ok = way == VIZ_UNFOLD_SHALLOW || !viz_query_leans(a, h, s, clear);
    for (guint i = 0; ok && way == VIZ_UNFOLD_ANY && i < path->len; i++)
        ok = !viz_query_leans(a, viz_query_state(a, g_array_index(path, uint32_t, i), VIZ_NOFACT),
                              s, clear);
    g_hash_table_destroy(clear);
    for (guint i = 0; ok && i < path->len; i++) {
        VizFact nf = viz_query_hop(a, h, g_array_index(path, uint32_t, i));
        if (i + 1 == path->len) {
            a->facts[s] = nf; /* the share step becomes the last hop */
            break;
        }
        h = viz_auth_append(a, &nf);
        ok = h != VIZ_NOFACT;
    }
    g_array_free(path, TRUE);
    return ok;
}

/* Flows shallower than the moved fact cannot need it (no circle, nothing
 * to check); else the shortest path of any flows, unless part of it leans
 * on the step itself; else a path around those; else the share step
 * stays. */
void viz_authority_unfold(VizAuthority *a, uint32_t s)
{
    if (s >= a->nfacts || s < a->nfixed || a->facts[s].rule != VIZ_RULE_SHARE)
        return;
    if (!viz_query_unfold_along(a, s, VIZ_UNFOLD_SHALLOW) &&
        !viz_query_unfold_along(a, s, VIZ_UNFOLD_ANY))
        viz_query_unfold_along(a, s, VIZ_UNFOLD_AVOID);
}

static uint64_t viz_query_said_key(uint32_t f, uint32_t x)
{
    return (1ull << 63) | ((uint64_t)f << 31) | x;
}

/* A flow stated between the processes that write and read. */
static uint32_t viz_query_state_flow(VizAuthority *a, uint32_t f)
{
    VizFact c = a->facts[f];
    uint32_t from = viz_query_flow_from(a, f), to = viz_authority_to(a, f);
    uint32_t p0 = c.prem[0], p1 = c.prem[1];
    if (c.rule == VIZ_RULE_CHANNEL_FLOW) {
        p0 = viz_query_state(a, p0, from);
        p1 = viz_query_state(a, p1, to);
    } else if (c.rule == VIZ_RULE_SERVICE_FLOW) {
        p0 = viz_query_state(a, p0, (c.rights & VIZ_FLOW_TO_CLIENT) ? to : from);
    } else if (c.rule == VIZ_RULE_VIA_CONTROL) {
        p0 = viz_query_state(a, p0, to);
    }
    return viz_query_copy(a, f, from, to, p0, p1);
}

/* A hold or control stated for x from its premises, each stated for the
 * process that needs it: the subject, except the holder of what a
 * controlled process holds and the controller of a controlled controller. */
static uint32_t viz_query_state_step(VizAuthority *a, uint32_t f, uint32_t x)
{
    VizFact c = a->facts[f];
    uint32_t p0 = c.prem[0], p1 = c.prem[1];
    switch (c.rule) {
    case VIZ_RULE_TRANSFER:
        p1 = viz_query_state(a, p1, VIZ_NOFACT);
        p0 = viz_query_state(a, p0, a->facts[p1].subj);
        x = a->facts[p1].obj;
        break;
    case VIZ_RULE_VIA_CONTROL:
        p1 = viz_query_state(a, p1, x);
        p0 = viz_query_state(a, p0, c.via);
        break;
    case VIZ_RULE_TRANSITIVE:
        p0 = viz_query_state(a, p0, x);
        p1 = viz_query_state(a, p1, a->facts[p0].obj);
        break;
    default:
        p0 = viz_query_state(a, p0, x);
    }
    return viz_query_copy(a, f, x, c.obj, p0, p1);
}

/* Fact f stated for process x (VIZ_NOFACT: for the process that takes
 * it), its premises stated too. Remembered per (f, x). */
static uint32_t viz_query_state(VizAuthority *a, uint32_t f, uint32_t x)
{
    if (f == VIZ_NOFACT || f >= a->nfixed)
        return f; /* stated facts are stated for their subject already */
    const VizFact *c = &a->facts[f];
    if (c->kind != VIZ_FACT_FLOW && x == VIZ_NOFACT)
        x = viz_authority_actor(a, f);
    if (c->kind == VIZ_FACT_FLOW)
        x = 0;
    if (2 * (a->said.n + 1) > a->said.cap)
        viz_map_grow(&a->said);
    uint64_t key = viz_query_said_key(f, x);
    uint32_t r = *viz_map_slot(&a->said, key);
    if (r != VIZ_NOFACT)
        return r;
    uint32_t n = c->kind == VIZ_FACT_FLOW ? 0 : viz_authority_actor(a, f);
    if (c->kind == VIZ_FACT_FLOW)
        r = viz_query_state_flow(a, f);
    else if (n == x)
        r = viz_query_state_step(a, f, x);
    else if (viz_uf_find(a, n) != viz_uf_find(a, x))
        r = f; /* never asked: a fact is stated only within its flow cycle */
    else if (c->kind == VIZ_FACT_HOLD && (c->rights & ZX_RIGHT_TRANSFER))
        r = viz_query_share(a, f, viz_query_state(a, f, n), x, n);
    else if (c->prem[0] == VIZ_NOFACT)
        r = f; /* (pooled base facts carry TRANSFER) */
    else
        r = viz_query_state_step(a, f, x);
    if (2 * (a->said.n + 1) > a->said.cap)
        viz_map_grow(&a->said);
    *viz_map_slot(&a->said, key) = r;
    return r;
}

/* ---- Choosing the fact that answers ---------------------------------------------*/

/* Rank of fact f as an answer for process p (lower is better): a share
 * step at the end costs more than any depth. */
static uint64_t viz_query_rank(const VizAuthority *a, uint32_t f, uint32_t p)
{
    uint64_t share = viz_authority_actor(a, f) != p;
    return (share << 32) | a->facts[f].depth;
}

typedef struct VizChoice {
    uint32_t fact, who;
    uint64_t rank;
} VizChoice;

static void viz_query_consider(const VizAuthority *a, VizChoice *c, uint32_t f, uint32_t p)
{
    uint64_t r = viz_query_rank(a, f, p);
    if (c->fact == VIZ_NOFACT || r < c->rank || (r == c->rank && f < c->fact))
        *c = (VizChoice){f, p, r};
}

/* Does fixpoint fact h hold for process m? */
static bool viz_query_holds_for(VizAuthority *a, uint32_t h, uint32_t m)
{
    const VizFact *x = &a->facts[h];
    return x->pooled ? viz_uf_find(a, x->sid - a->nn) == viz_uf_find(a, m) : x->sid == m;
}

static gint viz_query_cmp_u32(gconstpointer x, gconstpointer y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* The base fact of one of p's own handles (mappings, namespace entries),
 * or VIZ_NOFACT: a pool keeps one fact per handle rights, maybe another
 * member's, but p's own handle is the shortest proof for p. */
static uint32_t viz_query_own(const VizAuthority *a, uint32_t edge, uint32_t need)
{
    uint32_t f = a->edge_fact[edge];
    return f != VIZ_NOFACT && (a->facts[f].rights & need) == need ? f : VIZ_NOFACT;
}

uint32_t viz_authority_can(VizAuthority *a, size_t principal, size_t obj,
                           uint32_t need)
{
    uint32_t *m;
    size_t n = viz_authority_members(a, principal, &m);
    VizChoice best = {VIZ_NOFACT, VIZ_NOFACT, 0};
    for (uint32_t h = a->head_obj[VIZ_FACT_HOLD][obj]; h != VIZ_NOFACT; h = a->facts[h].next_obj) {
        if ((a->facts[h].rights & need) != need)
            continue;
        uint32_t actor = viz_authority_actor(a, h);
        if (bsearch(&actor, m, n, sizeof *m, viz_query_cmp_u32) && viz_query_holds_for(a, h, actor)) {
            viz_query_consider(a, &best, h, actor);
            continue;
        }
        for (size_t i = 0; i < n; i++)
            if (viz_query_holds_for(a, h, m[i])) {
                viz_query_consider(a, &best, h, m[i]);
                break;
            }
    }
    for (size_t i = 0; i < n; i++) {
        size_t cnt;
        const uint32_t *es = viz_graph_out(a->g, m[i], &cnt);
        for (size_t k = 0; k < cnt; k++) {
            uint32_t f = viz_query_own(a, es[k], need);
            if (f != VIZ_NOFACT && a->facts[f].obj == obj)
                viz_query_consider(a, &best, f, m[i]);
        }
    }
    free(m);
    return best.fact == VIZ_NOFACT ? VIZ_NOFACT : viz_query_state(a, best.fact, best.who);
}

/* A pool keeps one CONTROL fact per process controlled, maybe made from
 * another member's handle; p's own way in is often shorter: a handle to q
 * with MANAGE_THREAD that p itself could hold (VIZ_NOFACT if none better
 * than `best`). */
static uint32_t viz_query_inject(VizAuthority *a, uint32_t p, uint32_t q, const VizChoice *best)
{
    if (!viz_auth_is_process(a, q) || p == q || (a->behave[p] & VIZ_BEHAVE_NO_CONTROL))
        return VIZ_NOFACT;
    VizChoice h = {VIZ_NOFACT, VIZ_NOFACT, 0};
    for (uint32_t f = a->head_obj[VIZ_FACT_HOLD][q]; f != VIZ_NOFACT; f = a->facts[f].next_obj)
        if ((a->facts[f].rights & ZX_RIGHT_MANAGE_THREAD) && viz_query_holds_for(a, f, p))
            viz_query_consider(a, &h, f, p);
    size_t cnt;
    const uint32_t *es = viz_graph_out(a->g, p, &cnt);
    for (size_t k = 0; k < cnt; k++) {
        uint32_t f = viz_query_own(a, es[k], ZX_RIGHT_MANAGE_THREAD);
        if (f != VIZ_NOFACT && a->facts[f].obj == q)
            viz_query_consider(a, &h, f, p);
    }
    if (h.fact == VIZ_NOFACT || (best->fact != VIZ_NOFACT && h.rank + 1 >= best->rank))
        return VIZ_NOFACT;
    uint32_t held = viz_query_state(a, h.fact, p);
    VizFact nf = {
        .kind = VIZ_FACT_CONTROL, .rule = VIZ_RULE_THREAD_INJECT, .subj = p, .sid = p, .obj = q,
        .via = q, .prem = {held, VIZ_NOFACT}, .edge = VIZ_NOFACT,
        .depth = viz_auth_depth(a, held, VIZ_NOFACT), .next_subj = VIZ_NOFACT,
        .next_obj = VIZ_NOFACT, .next_same = VIZ_NOFACT, .next_aux = VIZ_NOFACT,
    };
    return viz_auth_append(a, &nf);
}

uint32_t viz_authority_controls(VizAuthority *a, size_t p, size_t q)
{
    VizChoice best = {VIZ_NOFACT, VIZ_NOFACT, 0};
    for (uint32_t c = a->head_obj[VIZ_FACT_CONTROL][q]; c != VIZ_NOFACT; c = a->facts[c].next_obj)
        if (viz_query_holds_for(a, c, (uint32_t)p))
            viz_query_consider(a, &best, c, (uint32_t)p);
    if (best.fact == VIZ_NOFACT)
        return VIZ_NOFACT; /* (an inject would have made a CONTROL fact) */
    uint32_t own = viz_query_inject(a, (uint32_t)p, (uint32_t)q, &best);
    return own != VIZ_NOFACT ? own : viz_query_state(a, best.fact, (uint32_t)p);
}

/* ---- Everything a principal could do -------------------------------------------*/

/* One candidate line of a reach listing: fact f for member `who`. */
typedef struct VizReachItem {
    uint32_t fact, who, obj, kind, bits;
    uint64_t rank;
} VizReachItem;

static void viz_query_item(const VizAuthority *a, GArray *items, uint32_t f, uint32_t who)
{
    const VizFact *x = &a->facts[f];
    VizReachItem it = {f, who, x->obj, x->kind, (uint32_t)__builtin_popcount(x->rights),
                       viz_query_rank(a, f, who)};
    g_array_append_val(items, it);
}

/* By object, kind, most rights first, then rank, then age: a line can
 * only be covered by one before it. */
static gint viz_query_cmp_item(gconstpointer x, gconstpointer y)
{
    const VizReachItem *p = x, *q = y;
    if (p->obj != q->obj)
        return p->obj < q->obj ? -1 : 1;
    if (p->kind != q->kind)
        return p->kind < q->kind ? -1 : 1;
    if (p->bits != q->bits)
        return p->bits > q->bits ? -1 : 1;
    if (p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    if (p->fact != q->fact)
        return p->fact < q->fact ? -1 : 1;
    return p->who < q->who ? -1 : p->who > q->who;
}

/* Sort, then drop the items whose rights an earlier item of the same
 * (object, kind) covers. */
static void viz_query_keep_best(const VizAuthority *a, GArray *items)
{
    g_array_sort(items, viz_query_cmp_item);
    VizReachItem *v = (VizReachItem *)(void *)items->data;
    guint kept = 0;
    for (guint i = 0; i < items->len; i++) {
        uint32_t r = a->facts[v[i].fact].rights;
        bool covered = false;
        for (guint j = kept; j-- > 0 && !covered;) {
            if (v[j].obj != v[i].obj || v[j].kind != v[i].kind)
                break;
            covered = (a->facts[v[j].fact].rights & r) == r;
        }
        if (!covered)
            v[kept++] = v[i];
    }
    g_array_set_size(items, kept);
}

/* CREATE facts from the job handles a process could hold: its own policy
 * decides, or that of the process it controls when it acts through one. */
static void viz_query_creates(VizAuthority *a, uint32_t m, uint32_t h, GArray *items)
{
    const VizFact *x = &a->facts[h];
    if (x->kind != VIZ_FACT_HOLD || viz_auth_type(a, x->obj) != ZX_OBJ_TYPE_JOB)
        return;
    uint32_t actor = (x->rule == VIZ_RULE_VIA_CONTROL && x->via < a->nn) ? x->via : m;
    uint32_t what = 0;
    if ((x->rights & (ZX_RIGHT_MANAGE_PROCESS | ZX_RIGHT_WRITE)) &&
        !(a->s->nodes[actor].policy_denied & (1u << ZX_POL_NEW_PROCESS)))
        what |= VIZ_CREATE_PROCESS;
    if (x->rights & (ZX_RIGHT_MANAGE_JOB | ZX_RIGHT_WRITE))
        what |= VIZ_CREATE_JOB;
    if (!what || (a->behave[m] & VIZ_BEHAVE_NO_CREATE))
        return;
    VizFact nf = {
        .kind = VIZ_FACT_CREATE, .rule = x->rule == VIZ_RULE_VIA_CONTROL ? VIZ_RULE_VIA_CONTROL
                                                                          : VIZ_RULE_CREATE,
        .subj = m, .sid = m, .obj = x->obj, .rights = what, .via = actor,
        .prem = {h, VIZ_NOFACT}, .edge = VIZ_NOFACT, .depth = x->depth + 1,
        .next_subj = VIZ_NOFACT, .next_obj = VIZ_NOFACT, .next_same = VIZ_NOFACT,
        .next_aux = VIZ_NOFACT,
    };
    uint32_t id = viz_auth_append(a, &nf);
    if (id != VIZ_NOFACT)
        viz_query_item(a, items, id, m);
}

static void viz_query_reach_member(VizAuthority *a, uint32_t m, GArray *items)
{
    uint32_t subj[2] = {m, viz_pool_sid(a, m)};
    for (int s = 0; s < 2; s++)
        for (int k = VIZ_FACT_HOLD; k <= VIZ_FACT_CONTROL; k++)
            for (uint32_t f = a->head_subj[k][subj[s]]; f != VIZ_NOFACT; f = a->facts[f].next_subj)
                viz_query_item(a, items, f, m);
    size_t cnt;
    const uint32_t *es = viz_graph_out(a->g, m, &cnt);
    for (size_t k = 0; k < cnt; k++) {
        uint32_t f = viz_query_own(a, es[k], 0);
        if (f != VIZ_NOFACT)
            viz_query_item(a, items, f, m);
    }
}

size_t viz_authority_reach(VizAuthority *a, size_t principal, uint32_t **out)
{
    uint32_t *m;
    size_t n = viz_authority_members(a, principal, &m);
    GArray *items = g_array_new(FALSE, FALSE, sizeof(VizReachItem));
    for (size_t i = 0; i < n; i++)
        viz_query_reach_member(a, m[i], items);
    free(m);
    viz_query_keep_best(a, items);
    /* state the best for their member; creation follows from job handles */
    guint nbest = items->len;
    for (guint i = 0; i < nbest; i++) {
        VizReachItem *it = &g_array_index(items, VizReachItem, i);
        it->fact = viz_query_state(a, it->fact, it->who);
        it->rank = a->facts[it->fact].depth;
        viz_query_creates(a, it->who, it->fact, items);
    }
    viz_query_keep_best(a, items);
    *out = malloc((items->len ? items->len : 1) * sizeof **out);
    for (guint i = 0; i < items->len; i++)
        (*out)[i] = g_array_index(items, VizReachItem, i).fact;
    size_t kept = items->len;
    g_array_free(items, TRUE);
    return kept;
}

size_t viz_authority_who_can(VizAuthority *a, size_t obj, uint32_t need,
                             uint32_t **out)
{
    VizChoice *best = g_new(VizChoice, a->nn ? a->nn : 1);
    for (uint32_t p = 0; p < a->nn; p++)
        best[p] = (VizChoice){VIZ_NOFACT, VIZ_NOFACT, 0};
    for (uint32_t h = a->head_obj[VIZ_FACT_HOLD][obj]; h != VIZ_NOFACT; h = a->facts[h].next_obj) {
        if ((a->facts[h].rights & need) != need)
            continue;
        if (!a->facts[h].pooled) {
            viz_query_consider(a, &best[a->facts[h].sid], h, a->facts[h].sid);
            continue;
        }
        for (uint32_t p = viz_uf_find(a, a->facts[h].sid - a->nn); p != VIZ_NOFACT; p = a->mem_next[p])
            viz_query_consider(a, &best[p], h, p);
    }
    size_t cnt;
    const uint32_t *es = viz_graph_in(a->g, obj, &cnt);
    for (size_t k = 0; k < cnt; k++) {
        uint32_t f = viz_query_own(a, es[k], need);
        if (f != VIZ_NOFACT)
            viz_query_consider(a, &best[a->facts[f].subj], f, a->facts[f].subj);
    }
    size_t n = 0;
    *out = malloc(sizeof **out * (a->nn ? a->nn : 1));
    for (uint32_t p = 0; p < a->nn; p++)
        if (best[p].fact != VIZ_NOFACT && viz_auth_is_process(a, p))
            (*out)[n++] = viz_query_state(a, best[p].fact, p);
    g_free(best);
    return n;
}

const char *viz_authority_rule_name(uint32_t rule)
{
    static const char *const names[VIZ_RULE_COUNT] = {
        "handle", "mapping", "namespace", "channel_flow", "transfer", "inflight",
        "get_child", "create", "thread_inject", "write_memory", "thread_state",
        "exception", "shared_code", "vmar_map", "transitive", "via_control",
        "dir_open", "dir_child", "dir_dotdot", "service_flow", "rights_fault",
        "owner_fault", "share", "dir_remote"};
    return rule < VIZ_RULE_COUNT ? names[rule] : "unknown";
}
