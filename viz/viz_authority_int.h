/* viz_authority_int.h — the inside of the authority analysis, shared by
 * the fixpoint (viz_authority.c) and the queries that state its facts for
 * one process (viz_authority_query.c). Not a flat header: GLib types.
 * Invariants of the fields are told where they are declared; the rules
 * and pools are described at the top of viz_authority.c.
 */
#ifndef CAPSIM_VIZ_AUTHORITY_INT_H
#define CAPSIM_VIZ_AUTHORITY_INT_H

#include <glib.h>
#include <zircon/types.h>

#include "viz_authority.h"

#define VIZ_AUTH_MAX_FACTS (1u << 26)

typedef struct VizCsr {
    uint32_t *off, *val, *val2;
} VizCsr;

/* One registered writer or reader of an endpoint (a list per endpoint). */
typedef struct VizRoleEntry {
    uint32_t fact, next;
} VizRoleEntry;

/* Open addressing, linear probing; key and value side by side so that a
 * lookup costs one cache miss. */
typedef struct VizMapEntry {
    uint64_t key;             /* 0 = empty (keys always have bit 63 set) */
    uint32_t val;
} VizMapEntry;

typedef struct VizMap {
    VizMapEntry *e;
    size_t cap, n;
} VizMap;

struct VizAuthority {
    const VizGraph *g;
    const ExportSnapshot *s;
    uint32_t nn;              /* nodes; subject ids are 0..2nn (>= nn: pools) */
    VizFact *facts;
    uint32_t nfacts, cap, nfixed;
    uint32_t *head_subj[VIZ_FACT_KIND_COUNT];  /* by subject id */
    uint32_t *head_obj[VIZ_FACT_KIND_COUNT];   /* by object node */
    uint32_t *head_nt;        /* pool -> its HOLD facts without TRANSFER */
    uint32_t *head_act;       /* pool -> its transferable HOLD facts on active objects */
    uint32_t *ctl_head;       /* pool rep -> CONTROL facts over its members */
    VizMap map;
    /* pools */
    uint32_t *uf, *uf_size, *mem_next, *mem_tail;
    GArray *flowq;            /* flows to copy along in phase B */
    GArray *pending;          /* new transferable pool facts for phase B */
    GHashTable *flowq_set;    /* (fact id + 1) queued this batch */
    bool new_flows;           /* flows added since the last batch */
    bool flushing;            /* inert facts are copied along flows too */
    GArray *eager;            /* new flows to test for a cycle at once */
    uint32_t *eager_seen, *eager_par, *eager_queue, eager_now;
    guint flowq_at, pending_at; /* next item of flowq / pending to copy */
    uint32_t next;            /* next fact whose rules run */
    GArray *redo;             /* facts to run again after a merge */
    uint32_t *stamp, stamp_now;
    size_t npools;
    /* structure of the snapshot */
    uint32_t *peer;
    uint32_t *conn_dir, *conn_rights;
    uint32_t *server;
    uint32_t *exc_task, *exc_rights;
    uint32_t *role_head[2];   /* endpoint -> writers / readers (index in roles) */
    GArray *roles;            /* VizRoleEntry */
    uint8_t *active;          /* holding it can trigger a rule (see viz_auth_active) */
    VizCsr children, inflight, exec_maps, remotes;
    uint32_t *behave;
    uint32_t *voided;         /* its declarations were void: 1 + a controller */
    const VizBehaviour *decl;
    size_t ndecl;
    int rounds;
    uint32_t *edge_fact;      /* snapshot edge -> its base fact, or VIZ_NOFACT */
    /* queries: (fact, process) -> that fact stated for that process */
    VizMap said;
    /* queries: shortest flow paths to one process (viz_authority_query.c) */
    uint32_t path_to, path_bound, *path_flow, *path_stamp, path_now;
    uint32_t base_flows_lo, base_flows_hi; /* the direct flows' fact ids */
    uint32_t *settled, nsettled; /* see viz_query_settled */
    uint32_t *flow_off, *flow_val, *flow_src; /* process -> flows reaching it, their senders */
};

/* ---- Open-addressing map (keys with bit 63 set) ---------------------------------*/

static inline uint64_t viz_map_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    return k ^ (k >> 33);
}

static inline uint32_t *viz_map_slot(VizMap *m, uint64_t key)
{
    size_t i = viz_map_hash(key) & (m->cap - 1);
    while (m->e[i].key && m->e[i].key != key)
        i = (i + 1) & (m->cap - 1);
    if (!m->e[i].key) {
        m->e[i].key = key;
        m->e[i].val = VIZ_NOFACT;
        m->n++;
    }
    return &m->e[i].val;
}

static inline void viz_map_grow(VizMap *m)
{
    VizMap old = *m;
    m->cap = old.cap ? old.cap * 2 : 4096;
    m->e = g_new0(VizMapEntry, m->cap);
    m->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.e[i].key)
            *viz_map_slot(m, old.e[i].key) = old.e[i].val;
    g_free(old.e);
}

/* ---- Pools and node kinds -------------------------------------------------------*/

static inline uint32_t viz_uf_find(VizAuthority *a, uint32_t x)
{
    while (a->uf[x] != x) {
        a->uf[x] = a->uf[a->uf[x]];
        x = a->uf[x];
    }
    return x;
}

/* The pool subject of subject `sid` (a process's own pool, or the pool). */
static inline uint32_t viz_pool_sid(VizAuthority *a, uint32_t sid)
{
    return a->nn + viz_uf_find(a, sid < a->nn ? sid : sid - a->nn);
}

static inline bool viz_auth_is_process(const VizAuthority *a, uint32_t i)
{
    const ExportNode *n = &a->s->nodes[i];
    return n->kind == EXPORT_NODE_OBJECT && n->type == ZX_OBJ_TYPE_PROCESS;
}

static inline uint32_t viz_auth_type(const VizAuthority *a, uint32_t i)
{
    const ExportNode *n = &a->s->nodes[i];
    if (n->kind == EXPORT_NODE_DIRECTORY || n->kind == EXPORT_NODE_SERVICE)
        return UINT32_MAX;
    return n->kind == EXPORT_NODE_OBJECT ? n->type : 0;
}

/* ---- Shared by the fixpoint and the queries (viz_authority.c) -------------------*/

/* Append a fact as it is (no covering check); VIZ_NOFACT when full. */
uint32_t viz_auth_append(VizAuthority *a, const VizFact *f);
/* How deep a fact derived from p0 and p1 lies (base facts: 0). */
uint32_t viz_auth_depth(const VizAuthority *a, uint32_t p0, uint32_t p1);
/* An array of n values VIZ_NOFACT (g_free). */
uint32_t *viz_auth_fill(uint32_t n);
/* The processes of node `job`'s subtree, appended to out. */
void viz_auth_subtree(const VizAuthority *a, uint32_t job, GArray *out);

#endif
