/* viz_authority.c — what each process could come to hold: a fixpoint over
 * Zircon's rules on a capability-graph snapshot.
 *
 * What it models (docs/graphs.md has the full rule table and soundness
 * notes): facts HOLD(P, O, rights), CONTROL(P, Q) and FLOW(P, Q), seeded
 * from the snapshot (handles, mappings, namespace directories) and closed
 * under these rules:
 *   - duplicate/replace only shrink rights: a fact with rights R covers
 *     every subset; per (P, O) only maximal masks are kept (two handles
 *     with different rights are never merged into one);
 *   - FLOW(P, Q) when P holds an endpoint with WRITE and Q its peer with
 *     READ; every handle P holds with TRANSFER can then reach Q; a reader
 *     also gets the handles already queued on its endpoint;
 *   - ENUMERATE on a job gives its child jobs and processes, on a process
 *     its threads, with the parent handle's rights (object_get_child);
 *   - CONTROL(P, Q): MANAGE_THREAD on Q (start a thread of P's choosing),
 *     WRITE on Q with debugging syscalls on, WRITE on a thread of Q, reading
 *     Q's exception channel when it was made with WRITE, writing a VMO Q
 *     maps executable, WRITE+EXECUTE on a VMAR of Q. Control is transitive
 *     and gives P everything Q holds;
 *   - a directory connection reaches descendants with rights that only
 *     shrink, never ancestors (unless the accept_dotdot fault is on); a
 *     service connection opens flows both ways with its server;
 *   - fault switches widen the rules (skip_rights_subset: zx_handle_replace
 *     may add rights, so any handle reaches its type's possible rights;
 *     skip_owner_check: every process may use every other's handles).
 * Job creation (policy-checked, the caller's policy) is answered by the
 * queries from the job handles a process could hold.
 *
 * Scale: processes that can all send each other handles (a cycle of
 * flows) end up with the same transferable handles. They are merged into
 * one pool (union-find, union by size) as soon as a new flow closes a
 * cycle (a bounded walk at once, Tarjan's algorithm between rounds as the
 * backstop), and a transferable fact is stored once per pool, not once per
 * process; facts without TRANSFER stay with their process. So a connected
 * system costs O(objects) per pool instead of O(processes x objects).
 * Copies along flows are semi-naive and ordered so that little is copied
 * into a pool about to merge: facts on "active" objects (channels, tasks,
 * code, directories: holding them can make new flows or control) go
 * first, one at a time with their consequences run in between, and each
 * (pool, pool) pair remembers how far it got; facts on inert objects
 * (events, ports, data VMOs...) are copied once the structure is final.
 * Writers and readers of each endpoint are registered once per subject,
 * so a new holder meets each peer holder once. On a merge, the pool's
 * outgoing flows (and, if it has non-transferable facts or controls, its
 * controllers) are re-run.
 * Queries (viz_authority_query.c) state a pooled fact for the process
 * asked about, each step for the member that takes it.
 * Behaviour declarations (never sends...) exclude a process from the
 * rules where it would be the active party, and from pooling; a
 * declaration is void for a process that another process can control (the
 * analysis reruns without it).
 *
 * Invariants: a fact is added only if no fact on the same (kind, subject,
 * object) covers it; a fact is deeper than its premises (VizFact.depth)
 * and, in the fixpoint, newer; facts are processed in creation order
 * (breadth first, a copy's consequences before the next copy), so
 * derivations are shallow.
 * Left out: revocation (facts only grow), time, resource limits.
 * Read next: viz_authority_query.c, viz_witness.c.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/rights.h>
#include <zircon/syscalls/policy.h>
#include <zircon/types.h>

#include "viz_authority_int.h"

/* ---- Small containers ---------------------------------------------------------*/

static void viz_csr_build(VizCsr *c, uint32_t nn, GArray *triples)
{
    c->off = g_new0(uint32_t, nn + 1);
    guint n = triples->len / 3;
    c->val = g_new(uint32_t, n ? n : 1);
    c->val2 = g_new(uint32_t, n ? n : 1);
    const uint32_t *t = (const uint32_t *)(const void *)triples->data;
    for (guint i = 0; i < n; i++)
        c->off[t[3 * i] + 1]++;
    for (uint32_t i = 0; i < nn; i++)
        c->off[i + 1] += c->off[i];
    uint32_t *fill = g_memdup2(c->off, (nn + 1) * sizeof *fill);
    for (guint i = 0; i < n; i++) {
        uint32_t at = fill[t[3 * i]]++;
        c->val[at] = t[3 * i + 1];
        c->val2[at] = t[3 * i + 2];
    }
    g_free(fill);
}

static void viz_csr_free(VizCsr *c)
{
    g_free(c->off);
    g_free(c->val);
    g_free(c->val2);
    memset(c, 0, sizeof *c);
}

static void viz_triple(GArray *a, uint32_t k, uint32_t v, uint32_t v2)
{
    uint32_t t[3] = {k, v, v2};
    g_array_append_vals(a, t, 3);
}

static uint32_t *viz_map_chain(VizAuthority *a, uint32_t kind, uint32_t sid, uint32_t obj)
{
    if (2 * (a->map.n + 1) > a->map.cap)
        viz_map_grow(&a->map);
    uint64_t key = (1ull << 63) | ((uint64_t)kind << 60) | ((uint64_t)sid << 29) | obj;
    return viz_map_slot(&a->map, key);
}

/* ---- Subjects and pools -----------------------------------------------------------*/

static uint32_t viz_canon(VizAuthority *a, uint32_t sid)
{
    return sid < a->nn ? sid : viz_pool_sid(a, sid);
}

/* Behaviour flags of a subject (declared processes are never pooled, so a
 * pool with flags is that one process). */
static uint32_t viz_flags(VizAuthority *a, uint32_t sid)
{
    return a->behave[sid < a->nn ? sid : viz_uf_find(a, sid - a->nn)];
}

/* ---- Facts ----------------------------------------------------------------------*/

uint32_t viz_auth_append(VizAuthority *a, const VizFact *f)
{
    if (a->nfacts >= VIZ_AUTH_MAX_FACTS)
        return VIZ_NOFACT;
    if (a->nfacts == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 4096;
        a->facts = g_renew(VizFact, a->facts, a->cap);
    }
    a->facts[a->nfacts] = *f;
    return a->nfacts++;
}

uint32_t viz_auth_depth(const VizAuthority *a, uint32_t p0, uint32_t p1)
{
    uint32_t d0 = p0 == VIZ_NOFACT ? 0 : a->facts[p0].depth + 1;
    uint32_t d1 = p1 == VIZ_NOFACT ? 0 : a->facts[p1].depth + 1;
    return d0 > d1 ? d0 : d1;
}

/* A new derivation of what fact f says (same kind, subject, object and
 * rights) that is shallower replaces f's: witnesses follow the shortest
 * derivation found. f's consequences stay deeper than f, so premises
 * still lie below their conclusions. */
static void viz_auth_shallower(VizAuthority *a, uint32_t f, uint32_t rule, uint32_t sid,
                               uint32_t rights, uint32_t via, uint32_t p0, uint32_t p1,
                               uint32_t depth)
{
    VizFact *x = &a->facts[f];
    if (x->depth <= depth || x->rights != rights)
        return;
    x->rule = (uint8_t)rule;
    x->subj = sid < a->nn ? sid : sid - a->nn;
    x->via = via;
    x->prem[0] = p0;
    x->prem[1] = p1;
    x->edge = VIZ_NOFACT;
    x->depth = depth;
}

/* Add a fact unless one on the same (kind, subject, object) covers it.
 * HOLD facts go to the subject's pool when they carry TRANSFER; FLOW facts
 * join pools (sid and obj name processes or pools). */
static uint32_t viz_auth_add(VizAuthority *a, uint32_t kind, uint32_t rule,
                             uint32_t sid, uint32_t obj, uint32_t rights,
                             uint32_t via, uint32_t p0, uint32_t p1)
{
    if (kind == VIZ_FACT_HOLD)
        sid = (rights & ZX_RIGHT_TRANSFER) ? viz_pool_sid(a, sid) : viz_canon(a, sid);
    else if (kind == VIZ_FACT_CONTROL)
        sid = viz_canon(a, sid);
    else if (kind == VIZ_FACT_FLOW) {
        sid = viz_pool_sid(a, sid);
        obj = viz_uf_find(a, obj < a->nn ? obj : obj - a->nn);
        if (sid - a->nn == obj)
            return VIZ_NOFACT;
    }
    uint32_t *chain = viz_map_chain(a, kind, sid, obj);
    uint32_t depth = viz_auth_depth(a, p0, p1);
    for (uint32_t f = *chain; f != VIZ_NOFACT; f = a->facts[f].next_same)
        if (kind != VIZ_FACT_HOLD || (a->facts[f].rights & rights) == rights) {
            viz_auth_shallower(a, f, rule, sid, rights, via, p0, p1, depth);
            return VIZ_NOFACT;
        }
    VizFact nf = {
        .kind = kind, .rule = rule, .subj = sid < a->nn ? sid : sid - a->nn, .obj = obj,
        .rights = rights, .via = via, .prem = {p0, p1}, .edge = VIZ_NOFACT,
        .depth = depth, .pooled = sid >= a->nn, .sid = sid,
        .next_subj = a->head_subj[kind][sid], .next_obj = a->head_obj[kind][obj],
        .next_same = *chain, .next_aux = VIZ_NOFACT,
    };
    uint32_t id = viz_auth_append(a, &nf);
    if (id == VIZ_NOFACT)
        return id;
    a->head_subj[kind][sid] = a->head_obj[kind][obj] = *chain = id;
    if (kind == VIZ_FACT_HOLD && nf.pooled && !(rights & ZX_RIGHT_TRANSFER)) {
        a->facts[id].next_aux = a->head_nt[sid];
        a->head_nt[sid] = id;
    } else if (kind == VIZ_FACT_HOLD && nf.pooled && a->active[obj]) {
        a->facts[id].next_aux = a->head_act[sid];
        a->head_act[sid] = id;
    } else if (kind == VIZ_FACT_CONTROL) {
        uint32_t r = viz_uf_find(a, obj);
        a->facts[id].next_aux = a->ctl_head[r];
        a->ctl_head[r] = id;
    } else if (kind == VIZ_FACT_FLOW) {
        g_hash_table_add(a->flowq_set, GUINT_TO_POINTER(id + 1));
        g_array_append_val(a->flowq, id);
        g_array_append_val(a->eager, id);
        a->new_flows = true;
    }
    return id;
}

static uint32_t viz_auth_hold(VizAuthority *a, uint32_t rule, uint32_t sid,
                              uint32_t obj, uint32_t rights, uint32_t via,
                              uint32_t p0, uint32_t p1)
{
    return viz_auth_add(a, VIZ_FACT_HOLD, rule, sid, obj, rights, via, p0, p1);
}

static void viz_auth_control(VizAuthority *a, uint32_t rule, uint32_t sid,
                             uint32_t q, uint32_t via, uint32_t p0, uint32_t p1)
{
    if (q == VIZ_NOFACT || !viz_auth_is_process(a, q) || sid == q ||
        (viz_flags(a, sid) & VIZ_BEHAVE_NO_CONTROL))
        return;
    viz_auth_add(a, VIZ_FACT_CONTROL, rule, sid, q, 0, via, p0, p1);
}

/* `mark`: VIZ_FLOW_TO_CLIENT for a service's server-to-client flow. */
static void viz_auth_flow(VizAuthority *a, uint32_t rule, uint32_t from,
                          uint32_t to, uint32_t via, uint32_t p0, uint32_t p1, uint32_t mark)
{
    if ((viz_flags(a, from) & VIZ_BEHAVE_NO_SEND) || (viz_flags(a, to) & VIZ_BEHAVE_NO_RECEIVE))
        return;
    viz_auth_add(a, VIZ_FACT_FLOW, rule, from, to, mark, via, p0, p1);
}
/* ---- Members of a principal ----------------------------------------------------*/

void viz_auth_subtree(const VizAuthority *a, uint32_t job, GArray *out)
{
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_array_append_val(stack, job);
    while (stack->len) {
        uint32_t j = g_array_index(stack, uint32_t, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        for (uint32_t k = a->children.off[j]; k < a->children.off[j + 1]; k++) {
            uint32_t c = a->children.val[k];
            if (viz_auth_is_process(a, c))
                g_array_append_val(out, c);
            else if (viz_auth_type(a, c) == ZX_OBJ_TYPE_JOB)
                g_array_append_val(stack, c);
        }
    }
    g_array_free(stack, TRUE);
}

static gint viz_auth_cmp_u32(gconstpointer x, gconstpointer y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

size_t viz_authority_members(const VizAuthority *a, size_t principal,
                             uint32_t **out)
{
    GArray *m = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    uint32_t p = (uint32_t)principal;
    const ExportNode *n = &a->s->nodes[p];
    if (viz_auth_is_process(a, p)) {
        g_array_append_val(m, p);
    } else if (viz_auth_type(a, p) == ZX_OBJ_TYPE_JOB) {
        viz_auth_subtree(a, p, m);
    } else if (n->kind == EXPORT_NODE_COMPONENT) {
        size_t cnt;
        const uint32_t *es = viz_graph_out(a->g, p, &cnt);
        for (size_t k = 0; k < cnt; k++) {
            const ExportEdge *e = viz_graph_edge(a->g, es[k]);
            size_t t = viz_graph_index(a->g, e->dst);
            if (e->kind != EXPORT_EDGE_MEMBER || t == VIZ_NONE)
                continue;
            uint32_t t32 = (uint32_t)t;
            if (viz_auth_is_process(a, t32))
                g_array_append_val(m, t32);
            else if (viz_auth_type(a, t32) == ZX_OBJ_TYPE_JOB)
                viz_auth_subtree(a, t32, m);
        }
    }
    g_array_sort(m, viz_auth_cmp_u32);
    size_t n_out = 0;
    uint32_t *v = (uint32_t *)(void *)m->data;
    for (guint i = 0; i < m->len; i++)
        if (!n_out || v[n_out - 1] != v[i])
            v[n_out++] = v[i];
    *out = malloc((n_out ? n_out : 1) * sizeof **out);
    memcpy(*out, v, n_out * sizeof **out);
    g_array_free(m, TRUE);
    return n_out;
}

/* Processes a task stands for (exception channels of threads, processes
 * and jobs reach these). */
static void viz_auth_control_task(VizAuthority *a, uint32_t rule, uint32_t sid,
                                  uint32_t task, uint32_t via, uint32_t prem)
{
    uint32_t t = viz_auth_type(a, task);
    if (t == ZX_OBJ_TYPE_THREAD) {
        size_t q = viz_graph_parent(a->g, task);
        if (q != VIZ_NONE)
            viz_auth_control(a, rule, sid, (uint32_t)q, via, prem, VIZ_NOFACT);
    } else if (t == ZX_OBJ_TYPE_PROCESS) {
        viz_auth_control(a, rule, sid, task, via, prem, VIZ_NOFACT);
    } else if (t == ZX_OBJ_TYPE_JOB) {
        uint32_t *m;
        size_t n = viz_authority_members(a, task, &m);
        for (size_t i = 0; i < n; i++)
            viz_auth_control(a, rule, sid, m[i], via, prem, VIZ_NOFACT);
        free(m);
    }
}

/* ---- Pools: merging the processes of a flow cycle ----------------------------------*/

/* Move pool x's facts of `kind` into pool r, dropping those r covers. */
static void viz_pool_move(VizAuthority *a, uint32_t kind, uint32_t x, uint32_t r)
{
    uint32_t xs = a->nn + x, rs = a->nn + r;
    uint32_t f = a->head_subj[kind][xs];
    a->head_subj[kind][xs] = VIZ_NOFACT;
    while (f != VIZ_NOFACT) {
        uint32_t next = a->facts[f].next_subj;
        uint32_t *chain = viz_map_chain(a, kind, rs, a->facts[f].obj);
        bool covered = false;
        for (uint32_t g = *chain; g != VIZ_NOFACT && !covered; g = a->facts[g].next_same)
            covered = kind != VIZ_FACT_HOLD || (a->facts[g].rights & a->facts[f].rights) == a->facts[f].rights;
        if (!covered) {
            a->facts[f].next_same = *chain;
            *chain = f;
            a->facts[f].next_subj = a->head_subj[kind][rs];
            a->head_subj[kind][rs] = f;
        }
        f = next;
    }
}

static void viz_pool_splice(VizAuthority *a, uint32_t *from, uint32_t *into)
{
    uint32_t f = *from;
    *from = VIZ_NOFACT;
    while (f != VIZ_NOFACT) {
        uint32_t next = a->facts[f].next_aux;
        a->facts[f].next_aux = *into;
        *into = f;
        f = next;
    }
}

static void viz_pool_merge(VizAuthority *a, uint32_t x, uint32_t r)
{
    if (a->uf_size[x] > a->uf_size[r]) {
        uint32_t t = x;
        x = r;
        r = t;
    }
    if (a->uf_size[r] == 1)
        a->npools++;
    if (a->uf_size[x] > 1)
        a->npools--;
    a->uf[x] = r;
    a->uf_size[r] += a->uf_size[x];
    a->mem_next[a->mem_tail[r]] = x;
    a->mem_tail[r] = a->mem_tail[x];
    for (uint32_t k = 0; k < VIZ_FACT_KIND_COUNT; k++)
        viz_pool_move(a, k, x, r);
    viz_pool_splice(a, &a->head_nt[a->nn + x], &a->head_nt[a->nn + r]);
    viz_pool_splice(a, &a->head_act[a->nn + x], &a->head_act[a->nn + r]);
    viz_pool_splice(a, &a->ctl_head[x], &a->ctl_head[r]);
}

/* ---- Pools: Tarjan's strongly connected components over pool flows ----------------
 * Run between batches of facts: every cycle of flows found becomes one
 * pool, so that bulk copies along flows (phase B) happen between pools
 * that stay apart. Iterative, O(pools + flows). */

typedef struct VizScc {
    uint32_t *index, *low, *stack;
    uint8_t *on;
    uint32_t next_index, sp;
    GArray *frames;           /* VizSccFrame */
} VizScc;

typedef struct VizSccFrame {
    uint32_t node, edge;
} VizSccFrame;

static void viz_pool_queue_out(VizAuthority *a, uint32_t r)
{
    for (uint32_t f = a->head_subj[VIZ_FACT_FLOW][a->nn + r]; f != VIZ_NOFACT; f = a->facts[f].next_subj)
        if (g_hash_table_add(a->flowq_set, GUINT_TO_POINTER(f + 1)))
            g_array_append_val(a->flowq, f);
    /* Controllers of the pool's members act through its non-transferable
     * facts and its controls (viz_auth_step_control): run them again only
     * when the merged pool has any (its flows carry the rest). */
    if (a->head_nt[a->nn + r] == VIZ_NOFACT &&
        a->head_subj[VIZ_FACT_CONTROL][a->nn + r] == VIZ_NOFACT)
        return;
    for (uint32_t f = a->ctl_head[r]; f != VIZ_NOFACT; f = a->facts[f].next_aux)
        g_array_append_val(a->redo, f);
}

/* Keep one outgoing flow per target pool, none inside the pool. */
static void viz_pool_prune_flows(VizAuthority *a, uint32_t r)
{
    uint32_t *head = &a->head_subj[VIZ_FACT_FLOW][a->nn + r];
    uint32_t f = *head, kept = VIZ_NOFACT, *tail = &kept;
    a->stamp_now++;
    while (f != VIZ_NOFACT) {
        uint32_t next = a->facts[f].next_subj;
        uint32_t to = viz_uf_find(a, a->facts[f].obj);
        if (to != r && a->stamp[to] != a->stamp_now) {
            a->stamp[to] = a->stamp_now;
            *tail = f;
            tail = &a->facts[f].next_subj;
        }
        f = next;
    }
    *tail = VIZ_NOFACT;
    *head = kept;
}

/* Merge the component popped from the Tarjan stack (members from `from`). */
static void viz_pool_component(VizAuthority *a, VizScc *t, uint32_t root)
{
    uint32_t r = VIZ_NOFACT;
    bool merged = false;
    uint32_t x;
    do {
        x = t->stack[--t->sp];
        t->on[x] = 0;
        if (a->behave[x])
            continue;
        if (r == VIZ_NOFACT) {
            r = x;
            continue;
        }
        viz_pool_merge(a, x, viz_uf_find(a, r));
        merged = true;
    } while (x != root);
    if (merged) {
        viz_pool_prune_flows(a, viz_uf_find(a, r));
        viz_pool_queue_out(a, viz_uf_find(a, r));
    }
}

static void viz_pool_visit(VizAuthority *a, VizScc *t, uint32_t v)
{
    VizSccFrame f0 = {v, a->head_subj[VIZ_FACT_FLOW][a->nn + v]};
    t->index[v] = t->low[v] = ++t->next_index;
    t->stack[t->sp++] = v;
    t->on[v] = 1;
    g_array_append_val(t->frames, f0);
    while (t->frames->len) {
        VizSccFrame *fr = &g_array_index(t->frames, VizSccFrame, t->frames->len - 1);
        uint32_t u = fr->node;
        if (fr->edge != VIZ_NOFACT) {
            uint32_t e = fr->edge;
            fr->edge = a->facts[e].next_subj;
            uint32_t w = viz_uf_find(a, a->facts[e].obj);
            if (w == u)
                continue;
            if (!t->index[w]) {
                VizSccFrame nf = {w, a->head_subj[VIZ_FACT_FLOW][a->nn + w]};
                t->index[w] = t->low[w] = ++t->next_index;
                t->stack[t->sp++] = w;
                t->on[w] = 1;
                g_array_append_val(t->frames, nf);
            } else if (t->on[w] && t->index[w] < t->low[u]) {
                t->low[u] = t->index[w];
            }
            continue;
        }
        g_array_set_size(t->frames, t->frames->len - 1);
        if (t->frames->len) {
            uint32_t p = g_array_index(t->frames, VizSccFrame, t->frames->len - 1).node;
            if (t->low[u] < t->low[p])
                t->low[p] = t->low[u];
        }
        if (t->low[u] == t->index[u])
            viz_pool_component(a, t, u);
    }
}

/* Find every cycle of flows among pools and merge it. Pools are visited in
 * node order (deterministic). Lists of merged pools keep their old links
 * for the visit in progress, which only reads flows of live reps. */
static void viz_pool_batch(VizAuthority *a)
{
    VizScc t = {
        .index = g_new0(uint32_t, a->nn ? a->nn : 1),
        .low = g_new0(uint32_t, a->nn ? a->nn : 1),
        .stack = g_new(uint32_t, a->nn ? a->nn : 1),
        .on = g_new0(uint8_t, a->nn ? a->nn : 1),
        .frames = g_array_new(FALSE, FALSE, sizeof(VizSccFrame)),
    };
    /* Freeze the reps first: merging during the walk changes find(). */
    for (uint32_t v = 0; v < a->nn; v++)
        if (viz_auth_is_process(a, v) && viz_uf_find(a, v) == v && !t.index[v] &&
            a->head_subj[VIZ_FACT_FLOW][a->nn + v] != VIZ_NOFACT)
            viz_pool_visit(a, &t, v);
    g_array_free(t.frames, TRUE);
    g_free(t.index);
    g_free(t.low);
    g_free(t.stack);
    g_free(t.on);
}

/* ---- Pools: cycles found as they close ----------------------------------------
 * A new flow X -> Y closes a cycle when Y already reaches X. Looking for
 * that at once (a breadth-first walk over pool flows from Y, at most
 * VIZ_EAGER_BUDGET pools) merges most cycles before anything is copied
 * along them: a server that gets one client's endpoint joins the client's
 * pool before the next client's handles are sent to it. Cycles the walk
 * misses are still found by the batch between rounds. */
#define VIZ_EAGER_BUDGET 256u /* pools queued; every flow of a queued pool is looked at */

static void viz_pool_eager_one(VizAuthority *a, uint32_t flow)
{
    uint32_t x = viz_uf_find(a, a->facts[flow].sid - a->nn), y = viz_uf_find(a, a->facts[flow].obj);
    if (x == y || a->behave[x] || a->behave[y])
        return;
    uint32_t now = ++a->eager_now, qh = 0, qt = 0;
    a->eager_seen[y] = now;
    a->eager_par[y] = VIZ_NOFACT;
    a->eager_queue[qt++] = y;
    bool found = false;
    while (qh < qt && !found) {
        uint32_t u = a->eager_queue[qh++];
        for (uint32_t f = a->head_subj[VIZ_FACT_FLOW][a->nn + u]; f != VIZ_NOFACT && !found;
             f = a->facts[f].next_subj) {
            uint32_t w = viz_uf_find(a, a->facts[f].obj);
            if (a->eager_seen[w] == now || (a->behave[w] && w != x) ||
                (w != x && qt >= VIZ_EAGER_BUDGET))
                continue;
            a->eager_seen[w] = now;
            a->eager_par[w] = u;
            a->eager_queue[qt++] = w;
            found = w == x;
        }
    }
    if (!found)
        return;
    for (uint32_t u = a->eager_par[x]; u != VIZ_NOFACT; u = a->eager_par[u])
        if (viz_uf_find(a, u) != viz_uf_find(a, x))
            viz_pool_merge(a, viz_uf_find(a, u), viz_uf_find(a, x));
    uint32_t r = viz_uf_find(a, x);
    viz_pool_prune_flows(a, r);
    viz_pool_queue_out(a, r);
}

static void viz_pool_eager(VizAuthority *a)
{
    for (guint i = 0; i < a->eager->len; i++)
        viz_pool_eager_one(a, g_array_index(a->eager, uint32_t, i));
    g_array_set_size(a->eager, 0);
}

/* ---- Rules -------------------------------------------------------------------------*/

/* Register subject sid as a writer (role 0) or reader (role 1) of
 * endpoint e with fact `id`; false if it already is one. Each (writer,
 * reader) pair of a channel is then met once, when the later registers,
 * instead of on every new fact about the endpoint. */
static bool viz_auth_role(VizAuthority *a, uint32_t role, uint32_t e, uint32_t sid, uint32_t id)
{
    uint32_t *slot = viz_map_chain(a, VIZ_FACT_KIND_COUNT + role, sid, e);
    if (*slot != VIZ_NOFACT)
        return false;
    *slot = id;
    VizRoleEntry r = {id, a->role_head[role][e]};
    a->role_head[role][e] = a->roles->len;
    g_array_append_val(a->roles, r);
    return true;
}

static void viz_auth_channel(VizAuthority *a, uint32_t id, uint32_t sid, const VizFact *f)
{
    uint32_t peer = a->peer[f->obj];
    const VizRoleEntry *re;
    if ((f->rights & ZX_RIGHT_WRITE) && viz_auth_role(a, 0, f->obj, sid, id)) {
        for (uint32_t k = peer == VIZ_NOFACT ? VIZ_NOFACT : a->role_head[1][peer];
             k != VIZ_NOFACT; k = re->next) {
            re = &g_array_index(a->roles, VizRoleEntry, k);
            viz_auth_flow(a, VIZ_RULE_CHANNEL_FLOW, sid, viz_canon(a, a->facts[re->fact].sid),
                          f->obj, id, re->fact, 0);
        }
        if (a->conn_dir[f->obj] != VIZ_NOFACT)
            viz_auth_hold(a, VIZ_RULE_DIR_OPEN, sid, a->conn_dir[f->obj],
                          a->conn_rights[f->obj] | ZX_RIGHT_TRANSFER, f->obj, id, VIZ_NOFACT);
    }
    if (!(f->rights & ZX_RIGHT_READ) || !viz_auth_role(a, 1, f->obj, sid, id))
        return;
    for (uint32_t k = peer == VIZ_NOFACT ? VIZ_NOFACT : a->role_head[0][peer];
         k != VIZ_NOFACT; k = re->next) {
        re = &g_array_index(a->roles, VizRoleEntry, k);
        viz_auth_flow(a, VIZ_RULE_CHANNEL_FLOW, viz_canon(a, a->facts[re->fact].sid), sid, peer,
                      re->fact, id, 0);
    }
    if (!(viz_flags(a, sid) & VIZ_BEHAVE_NO_RECEIVE))
        for (uint32_t k = a->inflight.off[f->obj]; k < a->inflight.off[f->obj + 1]; k++)
            viz_auth_hold(a, VIZ_RULE_INFLIGHT, sid, a->inflight.val[k], a->inflight.val2[k],
                          f->obj, id, VIZ_NOFACT);
    if (peer != VIZ_NOFACT && a->exc_task[peer] != VIZ_NOFACT &&
        (a->exc_rights[peer] & ZX_RIGHT_WRITE))
        viz_auth_control_task(a, VIZ_RULE_EXCEPTION, sid, a->exc_task[peer], f->obj, id);
}

static void viz_auth_children(VizAuthority *a, uint32_t id, uint32_t sid, const VizFact *f)
{
    if (!(f->rights & ZX_RIGHT_ENUMERATE) || (viz_flags(a, sid) & VIZ_BEHAVE_NO_ENUMERATE))
        return;
    for (uint32_t k = a->children.off[f->obj]; k < a->children.off[f->obj + 1]; k++) {
        uint32_t c = a->children.val[k];
        uint32_t possible = a->s->nodes[c].possible_rights;
        viz_auth_hold(a, VIZ_RULE_GET_CHILD, sid, c, possible ? f->rights & possible : f->rights,
                      f->obj, id, VIZ_NOFACT);
    }
}

static void viz_auth_task(VizAuthority *a, uint32_t id, uint32_t sid, const VizFact *f,
                          uint32_t type)
{
    if (type == ZX_OBJ_TYPE_JOB || type == ZX_OBJ_TYPE_PROCESS)
        viz_auth_children(a, id, sid, f);
    if (type == ZX_OBJ_TYPE_PROCESS) {
        if (f->rights & ZX_RIGHT_MANAGE_THREAD)
            viz_auth_control(a, VIZ_RULE_THREAD_INJECT, sid, f->obj, f->obj, id, VIZ_NOFACT);
        if ((f->rights & ZX_RIGHT_WRITE) && (a->s->faults & EXPORT_FAULT_DEBUGGING_SYSCALLS))
            viz_auth_control(a, VIZ_RULE_WRITE_MEMORY, sid, f->obj, f->obj, id, VIZ_NOFACT);
    } else if (type == ZX_OBJ_TYPE_THREAD && (f->rights & ZX_RIGHT_WRITE)) {
        size_t q = viz_graph_parent(a->g, f->obj);
        if (q != VIZ_NONE)
            viz_auth_control(a, VIZ_RULE_THREAD_STATE, sid, (uint32_t)q, f->obj, id, VIZ_NOFACT);
    }
}

static void viz_auth_memory(VizAuthority *a, uint32_t id, uint32_t sid, const VizFact *f,
                            uint32_t type)
{
    if (type == ZX_OBJ_TYPE_VMO && (f->rights & ZX_RIGHT_WRITE)) {
        for (uint32_t k = a->exec_maps.off[f->obj]; k < a->exec_maps.off[f->obj + 1]; k++)
            viz_auth_control(a, VIZ_RULE_SHARED_CODE, sid, a->exec_maps.val[k], f->obj, id,
                             VIZ_NOFACT);
    } else if (type == ZX_OBJ_TYPE_VMAR &&
               (f->rights & (ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE)) ==
                   (ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE)) {
        size_t q = viz_graph_parent(a->g, f->obj);
        if (q != VIZ_NONE)
            viz_auth_control(a, VIZ_RULE_VMAR_MAP, sid, (uint32_t)q, f->obj, id, VIZ_NOFACT);
    }
}

/* Rights on a node reached from one held with `held`: only what the node
 * allows (max) and the way there allows (`cap`), never more than held.
 * TRANSFER stays: a client can always hand on a connection it opened. */
static uint32_t viz_auth_dir_rights(uint32_t held, uint32_t max, uint32_t cap)
{
    uint32_t r = max ? held & (max | ZX_RIGHT_TRANSFER) : held;
    return cap ? r & (cap | ZX_RIGHT_TRANSFER) : r;
}

static void viz_auth_directory(VizAuthority *a, uint32_t id, uint32_t sid, const VizFact *f)
{
    const ExportNode *n = &a->s->nodes[f->obj];
    bool dir = !strcmp(n->type_name, "directory");
    for (uint32_t k = a->children.off[f->obj]; dir && k < a->children.off[f->obj + 1]; k++) {
        uint32_t c = a->children.val[k];
        viz_auth_hold(a, VIZ_RULE_DIR_CHILD, sid, c,
                      viz_auth_dir_rights(f->rights, a->s->nodes[c].max_rights, 0), f->obj, id,
                      VIZ_NOFACT);
    }
    for (uint32_t k = a->remotes.off[f->obj]; k < a->remotes.off[f->obj + 1]; k++) {
        uint32_t t = a->remotes.val[k];
        viz_auth_hold(a, VIZ_RULE_DIR_REMOTE, sid, t,
                      viz_auth_dir_rights(f->rights, a->s->nodes[t].max_rights,
                                          a->remotes.val2[k]),
                      f->obj, id, VIZ_NOFACT);
    }
    size_t up = viz_graph_parent(a->g, f->obj);
    if (dir && (a->s->faults & EXPORT_FAULT_ACCEPT_DOTDOT) && up != VIZ_NONE &&
        viz_auth_type(a, (uint32_t)up) == UINT32_MAX)
        viz_auth_hold(a, VIZ_RULE_DIR_DOTDOT, sid, (uint32_t)up,
                      viz_auth_dir_rights(f->rights, a->s->nodes[up].max_rights, 0), f->obj, id,
                      VIZ_NOFACT);
    uint32_t server = a->server[f->obj];
    if (n->kind == EXPORT_NODE_SERVICE && server != VIZ_NOFACT) {
        viz_auth_flow(a, VIZ_RULE_SERVICE_FLOW, sid, server, f->obj, id, VIZ_NOFACT, 0);
        viz_auth_flow(a, VIZ_RULE_SERVICE_FLOW, server, sid, f->obj, id, VIZ_NOFACT,
                      VIZ_FLOW_TO_CLIENT);
    }
}

/* A new HOLD fact reaches the controllers of its holder. */
static void viz_auth_to_controllers(VizAuthority *a, uint32_t id, uint32_t sid, const VizFact *f)
{
    if (sid < a->nn) {
        for (uint32_t c = a->head_obj[VIZ_FACT_CONTROL][sid]; c != VIZ_NOFACT; c = a->facts[c].next_obj)
            viz_auth_hold(a, VIZ_RULE_VIA_CONTROL, a->facts[c].sid, f->obj, f->rights, sid, id, c);
    } else if (!(f->rights & ZX_RIGHT_TRANSFER)) {
        /* transferable pooled facts reach controllers along pool flows */
        for (uint32_t c = a->ctl_head[sid - a->nn]; c != VIZ_NOFACT; c = a->facts[c].next_aux)
            viz_auth_hold(a, VIZ_RULE_VIA_CONTROL, a->facts[c].sid, f->obj, f->rights,
                          a->facts[c].obj, id, c);
    }
}

static void viz_auth_step_hold(VizAuthority *a, uint32_t id)
{
    VizFact f = a->facts[id];
    uint32_t sid = viz_canon(a, f.sid);
    viz_auth_to_controllers(a, id, sid, &f);
    if (f.pooled && (f.rights & ZX_RIGHT_TRANSFER) && (a->flushing || a->active[f.obj]))
        g_array_append_val(a->pending, id); /* copied along flows in phase B */
    uint32_t type = viz_auth_type(a, f.obj);
    if (type == ZX_OBJ_TYPE_CHANNEL)
        viz_auth_channel(a, id, sid, &f);
    else if (type == ZX_OBJ_TYPE_JOB || type == ZX_OBJ_TYPE_PROCESS || type == ZX_OBJ_TYPE_THREAD)
        viz_auth_task(a, id, sid, &f, type);
    else if (type == ZX_OBJ_TYPE_VMO || type == ZX_OBJ_TYPE_VMAR)
        viz_auth_memory(a, id, sid, &f, type);
    else if (type == UINT32_MAX)
        viz_auth_directory(a, id, sid, &f);
    uint32_t possible = a->s->nodes[f.obj].possible_rights;
    if ((a->s->faults & EXPORT_FAULT_SKIP_RIGHTS_SUBSET) && f.rule != VIZ_RULE_MAPPING &&
        possible && (possible & ~f.rights))
        viz_auth_hold(a, VIZ_RULE_RIGHTS_FAULT, sid, f.obj, possible | f.rights, f.obj, id,
                      VIZ_NOFACT);
}

/* CONTROL(S, Q): S gets what Q holds (its own facts now; its pool's
 * transferable ones along a pool flow), what Q controls, and S's
 * controllers control Q. */
static void viz_auth_step_control(VizAuthority *a, uint32_t id)
{
    VizFact f = a->facts[id];
    uint32_t sid = viz_canon(a, f.sid), q = f.obj, qpool = viz_pool_sid(a, q);
    for (uint32_t h = a->head_subj[VIZ_FACT_HOLD][q]; h != VIZ_NOFACT; h = a->facts[h].next_subj)
        viz_auth_hold(a, VIZ_RULE_VIA_CONTROL, sid, a->facts[h].obj, a->facts[h].rights, q, h, id);
    for (uint32_t h = a->head_nt[qpool]; h != VIZ_NOFACT; h = a->facts[h].next_aux)
        viz_auth_hold(a, VIZ_RULE_VIA_CONTROL, sid, a->facts[h].obj, a->facts[h].rights, q, h, id);
    uint32_t qsubj[2] = {q, qpool};
    for (int k = 0; k < 2; k++)
        for (uint32_t c = a->head_subj[VIZ_FACT_CONTROL][qsubj[k]]; c != VIZ_NOFACT; c = a->facts[c].next_subj)
            viz_auth_control(a, VIZ_RULE_TRANSITIVE, sid, a->facts[c].obj, q, id, c);
    if (sid < a->nn) {
        for (uint32_t c = a->head_obj[VIZ_FACT_CONTROL][sid]; c != VIZ_NOFACT; c = a->facts[c].next_obj)
            viz_auth_control(a, VIZ_RULE_TRANSITIVE, a->facts[c].sid, q, sid, c, id);
    } else {
        for (uint32_t c = a->ctl_head[sid - a->nn]; c != VIZ_NOFACT; c = a->facts[c].next_aux)
            viz_auth_control(a, VIZ_RULE_TRANSITIVE, a->facts[c].sid, q, a->facts[c].obj, c, id);
    }
    /* control is not a message: behaviour declarations do not stop it */
    viz_auth_add(a, VIZ_FACT_FLOW, VIZ_RULE_VIA_CONTROL, qpool, sid, 0, q, id, VIZ_NOFACT);
}

static void viz_auth_step(VizAuthority *a, uint32_t id)
{
    VizFact f = a->facts[id];
    if (f.kind == VIZ_FACT_HOLD) {
        viz_auth_step_hold(a, id);
    } else if (f.kind == VIZ_FACT_CONTROL) {
        viz_auth_step_control(a, id);
    }
    /* FLOW facts are copied along in phase B (viz_auth_copy_flow) */
}

/* ---- Building -------------------------------------------------------------------------*/

uint32_t *viz_auth_fill(uint32_t n)
{
    uint32_t *v = g_new(uint32_t, n ? n : 1);
    memset(v, 0xff, (n ? n : 1) * sizeof *v);
    return v;
}

/* Can holding node i trigger a rule other than passing it on (transfer,
 * controllers, the rights fault)? Facts on other objects are "inert": the
 * fixpoint first settles flows, pools and control with active facts only,
 * then copies the inert ones once along the final flows (so a server that
 * is about to join a flow cycle is not first sent every handle of it). */
static bool viz_auth_active(const VizAuthority *a, uint32_t i)
{
    switch (viz_auth_type(a, i)) {
    case ZX_OBJ_TYPE_CHANNEL:
    case ZX_OBJ_TYPE_JOB:
    case ZX_OBJ_TYPE_PROCESS:
    case ZX_OBJ_TYPE_THREAD:
    case ZX_OBJ_TYPE_VMAR:
    case UINT32_MAX:
        return true;
    case ZX_OBJ_TYPE_VMO:
        return a->exec_maps.off[i] != a->exec_maps.off[i + 1];
    default:
        return false;
    }
}

static void viz_auth_structure(VizAuthority *a)
{
    uint32_t nn = a->nn;
    a->peer = viz_auth_fill(nn);
    a->conn_dir = viz_auth_fill(nn);
    a->conn_rights = g_new0(uint32_t, nn ? nn : 1);
    a->server = viz_auth_fill(nn);
    a->exc_task = viz_auth_fill(nn);
    a->exc_rights = g_new0(uint32_t, nn ? nn : 1);
    GArray *ch = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *inf = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *ex = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *rm = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (size_t k = 0; k < a->s->nedges; k++) {
        const ExportEdge *e = &a->s->edges[k];
        size_t si = viz_graph_edge_src(a->g, k), di = viz_graph_edge_dst(a->g, k);
        if (si == VIZ_NONE || di == VIZ_NONE)
            continue;
        uint32_t s = (uint32_t)si, d = (uint32_t)di;
        switch (e->kind) {
        case EXPORT_EDGE_PEER: a->peer[s] = d; a->peer[d] = s; break;
        case EXPORT_EDGE_CHILD:
        case EXPORT_EDGE_THREAD:
        case EXPORT_EDGE_DIR_CHILD: viz_triple(ch, s, d, 0); break;
        case EXPORT_EDGE_DIR_CONN: a->conn_dir[s] = d; a->conn_rights[s] = e->rights; break;
        case EXPORT_EDGE_DIR_REMOTE: viz_triple(rm, s, d, e->rights); break;
        case EXPORT_EDGE_SERVES: a->server[d] = s; break;
        case EXPORT_EDGE_EXCEPTION: a->exc_task[d] = s; a->exc_rights[d] = e->rights; break;
        case EXPORT_EDGE_MAPPING:
            if (e->rights & ZX_RIGHT_EXECUTE)
                viz_triple(ex, d, s, 0);
            break;
        case EXPORT_EDGE_HANDLE:
            if (a->s->nodes[s].kind == EXPORT_NODE_INFLIGHT) {
                size_t ep = viz_graph_parent(a->g, s);
                if (ep != VIZ_NONE)
                    viz_triple(inf, (uint32_t)ep, d, e->rights);
            }
            break;
        default: break;
        }
    }
    viz_csr_build(&a->children, nn, ch);
    viz_csr_build(&a->inflight, nn, inf);
    viz_csr_build(&a->exec_maps, nn, ex);
    viz_csr_build(&a->remotes, nn, rm);
    g_array_free(rm, TRUE);
    a->active = g_new0(uint8_t, nn ? nn : 1);
    for (uint32_t i = 0; i < nn; i++)
        a->active[i] = viz_auth_active(a, i);
    g_array_free(ch, TRUE);
    g_array_free(inf, TRUE);
    g_array_free(ex, TRUE);
}

static void viz_auth_seed_owner_fault(VizAuthority *a)
{
    for (uint32_t p = 0; p < a->nn; p++) {
        if (!viz_auth_is_process(a, p))
            continue;
        for (size_t k = 0; k < a->s->nedges; k++) {
            const ExportEdge *e = &a->s->edges[k];
            size_t q = viz_graph_edge_src(a->g, k), o = viz_graph_edge_dst(a->g, k);
            if (e->kind == EXPORT_EDGE_HANDLE && q != VIZ_NONE && q != p && o != VIZ_NONE &&
                viz_auth_is_process(a, (uint32_t)q))
                viz_auth_hold(a, VIZ_RULE_OWNER_FAULT, p, (uint32_t)o, e->rights, (uint32_t)q,
                              VIZ_NOFACT, VIZ_NOFACT);
        }
    }
}

static void viz_auth_seed(VizAuthority *a)
{
    for (size_t k = 0; k < a->s->nedges; k++) {
        const ExportEdge *e = &a->s->edges[k];
        size_t si = viz_graph_edge_src(a->g, k), di = viz_graph_edge_dst(a->g, k);
        a->edge_fact[k] = VIZ_NOFACT;
        if (si == VIZ_NONE || di == VIZ_NONE || !viz_auth_is_process(a, (uint32_t)si))
            continue;
        uint32_t f = VIZ_NOFACT;
        if (e->kind == EXPORT_EDGE_HANDLE)
            f = viz_auth_hold(a, VIZ_RULE_HANDLE, (uint32_t)si, (uint32_t)di, e->rights,
                              (uint32_t)si, VIZ_NOFACT, VIZ_NOFACT);
        else if (e->kind == EXPORT_EDGE_MAPPING)
            f = viz_auth_hold(a, VIZ_RULE_MAPPING, (uint32_t)si, (uint32_t)di, e->rights,
                              (uint32_t)si, VIZ_NOFACT, VIZ_NOFACT);
        else if (e->kind == EXPORT_EDGE_NAMESPACE && viz_auth_type(a, (uint32_t)di) == UINT32_MAX)
            f = viz_auth_hold(a, VIZ_RULE_NAMESPACE, (uint32_t)si, (uint32_t)di,
                              a->s->nodes[di].max_rights | ZX_RIGHT_TRANSFER, (uint32_t)si,
                              VIZ_NOFACT, VIZ_NOFACT);
        if (f != VIZ_NOFACT)
            a->facts[f].edge = (uint32_t)k;
        a->edge_fact[k] = f;
    }
    if (a->s->faults & EXPORT_FAULT_SKIP_OWNER_CHECK)
        viz_auth_seed_owner_fault(a);
}

/* Declarations, then the default trust in the system's programs: a
 * process serving a tree follows the directory protocol, whose effects
 * are the dir_* rules, and so do the processes started beside one (in the
 * same job: drivers next to devmgr); they are taken to do nothing else
 * (every VIZ_BEHAVE_NO_* flag), unless declared untrusted. */
static void viz_auth_apply_decls(VizAuthority *a)
{
    memset(a->behave, 0, a->nn * sizeof *a->behave);
    bool trust = true;
    for (size_t i = 0; i < a->ndecl; i++) {
        if (!a->decl[i].koid && (a->decl[i].flags & VIZ_BEHAVE_UNTRUSTED))
            trust = false;
        size_t p = viz_graph_index(a->g, a->decl[i].koid);
        if (p == VIZ_NONE)
            continue;
        uint32_t *m;
        size_t n = viz_authority_members(a, p, &m);
        for (size_t k = 0; k < n; k++)
            a->behave[m[k]] |= a->decl[i].flags;
        free(m);
    }
    uint8_t *system_job = g_new0(uint8_t, a->nn ? a->nn : 1);
    for (size_t k = 0; trust && k < a->s->nedges; k++) {
        size_t p = viz_graph_edge_src(a->g, k);
        if (a->s->edges[k].kind == EXPORT_EDGE_SERVES && p != VIZ_NONE &&
            viz_auth_is_process(a, (uint32_t)p) && viz_graph_parent(a->g, p) != VIZ_NONE)
            system_job[viz_graph_parent(a->g, p)] = 1;
    }
    const uint32_t all = VIZ_BEHAVE_NO_SEND | VIZ_BEHAVE_NO_RECEIVE | VIZ_BEHAVE_NO_ENUMERATE |
                         VIZ_BEHAVE_NO_CONTROL | VIZ_BEHAVE_NO_CREATE;
    for (uint32_t p = 0; p < a->nn; p++) {
        size_t j = viz_auth_is_process(a, p) ? viz_graph_parent(a->g, p) : VIZ_NONE;
        if (j != VIZ_NONE && system_job[j] && !(a->behave[p] & VIZ_BEHAVE_UNTRUSTED))
            a->behave[p] |= all;
        a->behave[p] &= ~VIZ_BEHAVE_UNTRUSTED;
    }
    g_free(system_job);
}

static void viz_auth_reset(VizAuthority *a)
{
    uint32_t ns = 2 * a->nn;
    a->nfacts = 0;
    for (int k = 0; k < VIZ_FACT_KIND_COUNT; k++) {
        memset(a->head_subj[k], 0xff, (ns ? ns : 1) * sizeof(uint32_t));
        memset(a->head_obj[k], 0xff, (a->nn ? a->nn : 1) * sizeof(uint32_t));
    }
    memset(a->head_nt, 0xff, (ns ? ns : 1) * sizeof(uint32_t));
    memset(a->head_act, 0xff, (ns ? ns : 1) * sizeof(uint32_t));
    memset(a->ctl_head, 0xff, (a->nn ? a->nn : 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < a->nn; i++) {
        a->uf[i] = a->mem_tail[i] = i;
        a->uf_size[i] = 1;
        a->mem_next[i] = VIZ_NOFACT;
    }
    a->npools = 0;
    if (a->map.cap)
        memset(a->map.e, 0, a->map.cap * sizeof *a->map.e);
    a->map.n = 0;
    g_array_set_size(a->flowq, 0);
    g_array_set_size(a->pending, 0);
    g_array_set_size(a->eager, 0);
    a->flowq_at = a->pending_at = 0;
    g_hash_table_remove_all(a->flowq_set);
    a->new_flows = false;
    a->flushing = false;
    g_array_set_size(a->redo, 0);
    for (int r = 0; r < 2; r++)
        memset(a->role_head[r], 0xff, (a->nn ? a->nn : 1) * sizeof(uint32_t));
    g_array_set_size(a->roles, 0);
}

/* Phase B: copy a pool's transferable facts along one flow. */
static void viz_auth_drain(VizAuthority *a);

/* Phase B: copy a pool's transferable facts along one flow. After each
 * active fact copied, its consequences run at once: if they put the two
 * pools in one cycle (or the source in another pool), the rest of the copy
 * is moot (inside one pool) or requeued with the merged pool's flows. */
static void viz_auth_copy_flow(VizAuthority *a, uint32_t id)
{
    VizFact f = a->facts[id];
    uint32_t x = viz_uf_find(a, f.sid - a->nn), to = viz_uf_find(a, f.obj);
    if (x == to)
        return;
    /* Facts are prepended to a pool's list: what lies above the head seen
     * by the last copy from pool x to pool `to` is new. */
    uint32_t stop = *viz_map_chain(a, VIZ_FACT_KIND_COUNT + 2 + a->flushing, x, to);
    uint32_t head = a->flushing ? a->head_subj[VIZ_FACT_HOLD][a->nn + x] : a->head_act[a->nn + x];
    for (uint32_t h = head; h != stop && h != VIZ_NOFACT && x != to;) {
        const VizFact *c = &a->facts[h];
        uint32_t next = a->flushing ? c->next_subj : c->next_aux, obj = c->obj;
        if ((c->rights & ZX_RIGHT_TRANSFER) && (a->flushing || a->active[obj]) &&
            viz_auth_hold(a, VIZ_RULE_TRANSFER, a->nn + to, obj, c->rights, f.via, h, id) !=
                VIZ_NOFACT && a->active[obj]) {
            viz_auth_drain(a);
            if (viz_uf_find(a, x) != x)
                return;   /* requeued with the merged pool's flows */
            to = viz_uf_find(a, to);
        }
        h = next;
    }
    *viz_map_chain(a, VIZ_FACT_KIND_COUNT + 2 + a->flushing, x, to) = head;
}

/* Phase B: one new transferable pool fact along its pool's flows. */
static void viz_auth_copy_fact(VizAuthority *a, uint32_t h)
{
    VizFact f = a->facts[h];
    if (!a->flushing && !a->active[f.obj])
        return; /* inert: copied when the structure is final */
    uint32_t from = viz_pool_sid(a, f.sid);
    for (uint32_t fl = a->head_subj[VIZ_FACT_FLOW][from]; fl != VIZ_NOFACT; fl = a->facts[fl].next_subj) {
        uint32_t to = viz_uf_find(a, a->facts[fl].obj);
        if (to != from - a->nn)
            viz_auth_hold(a, VIZ_RULE_TRANSFER, a->nn + to, f.obj, f.rights, a->facts[fl].via, h, fl);
    }
}

/* The structure (flows, pools, control) is final: copy the inert
 * transferable facts too, along every flow between pools. */
static void viz_auth_start_flush(VizAuthority *a)
{
    a->flushing = true;
    for (uint32_t r = 0; r < a->nn; r++) {
        if (viz_uf_find(a, r) != r)
            continue;
        for (uint32_t f = a->head_subj[VIZ_FACT_FLOW][a->nn + r]; f != VIZ_NOFACT;
             f = a->facts[f].next_subj)
            if (g_hash_table_add(a->flowq_set, GUINT_TO_POINTER(f + 1)))
                g_array_append_val(a->flowq, f);
    }
}

/* Every new fact's rules run first (new flows only queue, and close
 * cycles at once where they can); then one queued copy along a flow (a
 * pool's transferable facts to another pool, or one new fact along its
 * pool's flows), whose new facts run before the next copy. When nothing
 * is queued, the batch merges the cycles left; then the inert facts are
 * copied (viz_auth_start_flush); then the fixpoint is reached. */
static void viz_auth_drain(VizAuthority *a)
{
    for (;;) {
        if (a->redo->len) {
            uint32_t f = g_array_index(a->redo, uint32_t, a->redo->len - 1);
            g_array_set_size(a->redo, a->redo->len - 1);
            viz_auth_step(a, f);
        } else if (a->next < a->nfacts) {
            viz_auth_step(a, a->next++);
        } else {
            break;
        }
        if (a->eager->len)
            viz_pool_eager(a);
    }
}

static void viz_auth_fixpoint(VizAuthority *a)
{
    a->next = 0;
    for (;;) {
        viz_auth_drain(a);
        if (a->pending_at < a->pending->len) {
            viz_auth_copy_fact(a, g_array_index(a->pending, uint32_t, a->pending_at++));
            continue;
        }
        if (a->flowq_at < a->flowq->len) {
            uint32_t f = g_array_index(a->flowq, uint32_t, a->flowq_at++);
            g_hash_table_remove(a->flowq_set, GUINT_TO_POINTER(f + 1));
            viz_auth_copy_flow(a, f);
            continue;
        }
        g_array_set_size(a->pending, 0);
        g_array_set_size(a->flowq, 0);
        a->pending_at = a->flowq_at = 0;
        if (a->new_flows) {
            a->new_flows = false;
            viz_pool_batch(a);
            continue;
        }
        if (a->redo->len || a->next < a->nfacts)
            continue;
        if (a->flushing)
            break;
        viz_auth_start_flush(a);
    }
}

/* Drop the declarations of processes someone else controls; true if any.
 * voided[p] becomes 1 + the node of one controller. */
static bool viz_auth_void_controlled(VizAuthority *a, uint32_t *voided)
{
    bool changed = false;
    for (uint32_t p = 0; p < a->nn; p++) {
        if (!a->behave[p] || voided[p])
            continue;
        for (uint32_t c = a->head_obj[VIZ_FACT_CONTROL][p]; c != VIZ_NOFACT && !voided[p];
             c = a->facts[c].next_obj) {
            /* a process with declarations is never pooled, so a pooled
             * control of its own pool is the process itself */
            uint32_t sid = a->facts[c].sid;
            bool self = sid < a->nn ? sid == p : viz_uf_find(a, sid - a->nn) == viz_uf_find(a, p);
            if (!self) {
                voided[p] = 1 + a->facts[c].subj; /* who controls it, for the report */
                changed = true;
            }
        }
    }
    return changed;
}

static uint32_t *viz_auth_u32(uint32_t n)
{
    return g_new(uint32_t, n ? n : 1);
}

VizAuthority *viz_authority_new(const VizGraph *g, const VizBehaviour *b,
                                size_t nb)
{
    VizAuthority *a = g_new0(VizAuthority, 1);
    a->g = g;
    a->s = viz_graph_snapshot(g);
    a->nn = (uint32_t)a->s->nnodes;
    a->decl = b;
    a->ndecl = nb;
    for (int k = 0; k < VIZ_FACT_KIND_COUNT; k++) {
        a->head_subj[k] = viz_auth_u32(2 * a->nn);
        a->head_obj[k] = viz_auth_u32(a->nn);
    }
    a->head_nt = viz_auth_u32(2 * a->nn);
    a->head_act = viz_auth_u32(2 * a->nn);
    a->ctl_head = viz_auth_u32(a->nn);
    a->uf = viz_auth_u32(a->nn);
    a->uf_size = viz_auth_u32(a->nn);
    a->mem_next = viz_auth_u32(a->nn);
    a->mem_tail = viz_auth_u32(a->nn);
    a->stamp = g_new0(uint32_t, a->nn ? a->nn : 1);
    a->flowq = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    a->flowq_set = g_hash_table_new(g_direct_hash, g_direct_equal);
    a->pending = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    a->redo = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    a->role_head[0] = viz_auth_u32(a->nn);
    a->role_head[1] = viz_auth_u32(a->nn);
    a->roles = g_array_new(FALSE, FALSE, sizeof(VizRoleEntry));
    a->eager = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    a->eager_seen = g_new0(uint32_t, a->nn ? a->nn : 1);
    a->eager_par = viz_auth_u32(a->nn);
    a->eager_queue = viz_auth_u32(VIZ_EAGER_BUDGET + 1);
    a->behave = g_new0(uint32_t, a->nn ? a->nn : 1);
    a->edge_fact = viz_auth_fill((uint32_t)a->s->nedges);
    a->path_to = VIZ_NOFACT;
    uint32_t *voided = a->voided = g_new0(uint32_t, a->nn ? a->nn : 1);
    viz_auth_structure(a);
    viz_auth_apply_decls(a);
    for (;;) {
        a->rounds++;
        viz_auth_reset(a);
        for (uint32_t p = 0; p < a->nn; p++)
            if (voided[p])
                a->behave[p] = 0;
        viz_auth_seed(a);
        viz_auth_fixpoint(a);
        if (!viz_auth_void_controlled(a, voided))
            break;
    }
    a->nfixed = a->nfacts;
    return a;
}

void viz_authority_free(VizAuthority *a)
{
    if (!a)
        return;
    for (int k = 0; k < VIZ_FACT_KIND_COUNT; k++) {
        g_free(a->head_subj[k]);
        g_free(a->head_obj[k]);
    }
    g_free(a->head_nt);
    g_free(a->head_act);
    g_free(a->ctl_head);
    g_free(a->uf);
    g_free(a->uf_size);
    g_free(a->mem_next);
    g_free(a->mem_tail);
    g_free(a->stamp);
    g_array_free(a->flowq, TRUE);
    g_hash_table_destroy(a->flowq_set);
    g_array_free(a->pending, TRUE);
    g_array_free(a->redo, TRUE);
    g_free(a->role_head[0]);
    g_free(a->role_head[1]);
    g_array_free(a->roles, TRUE);
    g_array_free(a->eager, TRUE);
    g_free(a->eager_seen);
    g_free(a->eager_par);
    g_free(a->eager_queue);
    g_free(a->facts);
    g_free(a->map.e);
    g_free(a->peer);
    g_free(a->conn_dir);
    g_free(a->conn_rights);
    g_free(a->server);
    g_free(a->exc_task);
    g_free(a->exc_rights);
    g_free(a->active);
    viz_csr_free(&a->children);
    viz_csr_free(&a->inflight);
    viz_csr_free(&a->exec_maps);
    viz_csr_free(&a->remotes);
    g_free(a->edge_fact);
    g_free(a->said.e);
    g_free(a->path_flow);
    g_free(a->path_stamp);
    g_free(a->flow_off);
    g_free(a->flow_val);
    g_free(a->flow_src);
    g_free(a->settled);
    g_free(a->behave);
    g_free(a->voided);
    g_free(a);
}

const VizGraph *viz_authority_graph(const VizAuthority *a) { return a->g; }
size_t viz_authority_nfacts(const VizAuthority *a) { return a->nfacts; }
size_t viz_authority_nfixed(const VizAuthority *a) { return a->nfixed; }
size_t viz_authority_npools(const VizAuthority *a) { return a->npools; }
int viz_authority_rounds(const VizAuthority *a) { return a->rounds; }

size_t viz_authority_pool_size(const VizAuthority *a, size_t process)
{
    if (process >= a->nn)
        return 0;
    uint32_t x = (uint32_t)process;
    while (a->uf[x] != x)
        x = a->uf[x];
    return a->uf_size[x];
}

const VizFact *viz_authority_fact(const VizAuthority *a, uint32_t f)
{
    return f < a->nfacts ? &a->facts[f] : NULL;
}

uint32_t viz_authority_behaviour(const VizAuthority *a, size_t process)
{
    return process < a->nn ? a->behave[process] : 0;
}

size_t viz_authority_voided_by(const VizAuthority *a, size_t process)
{
    return process < a->nn && a->voided[process] ? a->voided[process] - 1 : VIZ_NONE;
}

