/* viz_authority.h — authority analysis over a capability-graph snapshot:
 * what each process holds now and could come to hold, with which rights,
 * computed as a fixpoint over Zircon's rules; every derived fact keeps the
 * facts it was derived from, so it has a witness path. Flat header.
 * Read next: viz_authority.c (the rules), viz_witness.c (the paths).
 */
#ifndef CAPSIM_VIZ_AUTHORITY_H
#define CAPSIM_VIZ_AUTHORITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viz_graph.h"
#include "viz_view.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIZ_NOFACT UINT32_MAX

typedef enum VizFactKind {
    VIZ_FACT_HOLD = 0,   /* subj could hold obj with `rights` */
    VIZ_FACT_CONTROL,    /* subj can make process obj act for it */
    VIZ_FACT_FLOW,       /* subj can send handles to obj (both processes) */
    VIZ_FACT_CREATE,     /* subj can create children in job obj (rights =
                            VIZ_CREATE_* bits); made by queries */
    VIZ_FACT_KIND_COUNT
} VizFactKind;

enum { VIZ_CREATE_PROCESS = 1u, VIZ_CREATE_JOB = 2u };

typedef enum VizRule {
    VIZ_RULE_HANDLE = 0,      /* holds a handle now */
    VIZ_RULE_MAPPING,         /* maps a VMO now */
    VIZ_RULE_NAMESPACE,       /* a directory in its namespace now */
    VIZ_RULE_CHANNEL_FLOW,    /* writes an endpoint whose peer Q reads */
    VIZ_RULE_TRANSFER,        /* sends a handle with TRANSFER along a flow */
    VIZ_RULE_INFLIGHT,        /* reads an endpoint with handles queued */
    VIZ_RULE_GET_CHILD,       /* ENUMERATE on a job/process: get_child */
    VIZ_RULE_CREATE,          /* MANAGE_PROCESS/MANAGE_JOB on a job */
    VIZ_RULE_THREAD_INJECT,   /* MANAGE_THREAD on a process */
    VIZ_RULE_WRITE_MEMORY,    /* WRITE on a process + debugging syscalls */
    VIZ_RULE_THREAD_STATE,    /* WRITE on a thread */
    VIZ_RULE_EXCEPTION,       /* reads an exception channel (task WRITE) */
    VIZ_RULE_SHARED_CODE,     /* writes a VMO another process maps exec */
    VIZ_RULE_VMAR_MAP,        /* WRITE+EXECUTE on another's VMAR */
    VIZ_RULE_TRANSITIVE,      /* controls one who controls another */
    VIZ_RULE_VIA_CONTROL,     /* what a controlled process holds */
    VIZ_RULE_DIR_OPEN,        /* a connection to a directory/service */
    VIZ_RULE_DIR_CHILD,       /* opening below a directory */
    VIZ_RULE_DIR_DOTDOT,      /* accept_dotdot fault: opening ".." */
    VIZ_RULE_SERVICE_FLOW,    /* connecting to a service: flows with server */
    VIZ_RULE_RIGHTS_FAULT,    /* skip_rights_subset fault: rights grow */
    VIZ_RULE_OWNER_FAULT,     /* skip_owner_check fault: others' handles */
    VIZ_RULE_SHARE,           /* (no longer made: queries state hops instead) */
    VIZ_RULE_DIR_REMOTE,      /* opening a mount point: forwarded to another server */
    VIZ_RULE_COUNT
} VizRule;

/* A fact. Facts whose `pooled` is set hold for every process of a flow
 * cycle (processes that can all send each other handles); `subj` is then
 * the cycle's representative when the fact was made, one of its members,
 * and viz_authority_actor names the member whose own steps derive it.
 * Queries return facts stated for the process asked about (subj is that
 * process, never pooled), with every step of their witness stated for the
 * process that takes it. */
typedef struct VizFact {
    uint8_t kind;             /* VizFactKind */
    uint8_t rule;             /* VizRule */
    uint8_t pooled;           /* 1: holds for subj's whole flow cycle */
    uint8_t spare;
    uint32_t subj, obj;       /* node indices in the graph */
    uint32_t rights;          /* SERVICE_FLOW: VIZ_FLOW_TO_CLIENT or 0 */
    uint32_t via;             /* node index giving context (endpoint...) or VIZ_NOFACT */
    uint32_t prem[2];         /* premise facts or VIZ_NOFACT */
    uint32_t edge;            /* snapshot edge of a base fact, or VIZ_NOFACT
                                 (a share step: the depth its path stays under) */
    uint32_t depth;           /* 0 for a base fact, else 1 + its deepest premise's */
    uint32_t sid;             /* private: subject id */
    uint32_t next_subj, next_obj, next_same, next_aux; /* private links */
} VizFact;

/* A service flow from the server to its client (the other way has 0). */
enum { VIZ_FLOW_TO_CLIENT = 1u };

/* Behaviour declarations (trusted assumptions about an actor's code, as
 * SCOLL declares behaviour over Take-Grant). A declaration is dropped for
 * a process some other process can control. */
enum {
    VIZ_BEHAVE_NO_SEND = 1u << 0,      /* never writes handles to channels */
    VIZ_BEHAVE_NO_RECEIVE = 1u << 1,   /* never reads handles from channels */
    VIZ_BEHAVE_NO_ENUMERATE = 1u << 2, /* never uses get_child */
    VIZ_BEHAVE_NO_CONTROL = 1u << 3,   /* never debugs/injects into others */
    VIZ_BEHAVE_NO_CREATE = 1u << 4,    /* never creates processes or jobs */
    /* Not a declaration: directory servers (processes serving a tree in the
     * snapshot) are trusted by default to act only as the directory rules
     * say (no-send, no-receive); this takes that trust away from the
     * principal's servers (koid 0: from all of them). */
    VIZ_BEHAVE_UNTRUSTED = 1u << 5
};

typedef struct VizBehaviour {
    uint64_t koid;            /* a process (or a job/component: all in it) */
    uint32_t flags;
} VizBehaviour;

typedef struct VizAuthority VizAuthority;

/* Run the analysis. `b` may be NULL. Never fails except out of memory. */
VizAuthority *viz_authority_new(const VizGraph *g, const VizBehaviour *b,
                                size_t nb);
void viz_authority_free(VizAuthority *a);
const VizGraph *viz_authority_graph(const VizAuthority *a);
size_t viz_authority_nfacts(const VizAuthority *a);
const VizFact *viz_authority_fact(const VizAuthority *a, uint32_t f);
/* Behaviour flags in force for a process after voiding (see above). */
uint32_t viz_authority_behaviour(const VizAuthority *a, size_t process);
/* A process whose declarations were void because another process could
 * control it: the node of one such controller; VIZ_NONE when its
 * declarations (if any) hold. */
size_t viz_authority_voided_by(const VizAuthority *a, size_t process);
/* Rounds run (1 + number of times declarations were voided). */
int viz_authority_rounds(const VizAuthority *a);
/* Facts made by the fixpoint itself (queries add re-stated ones after). */
size_t viz_authority_nfixed(const VizAuthority *a);
/* Number of flow cycles of more than one process (pools). */
size_t viz_authority_npools(const VizAuthority *a);
/* Processes in the flow cycle (pool) of node `process` (1: on its own). */
size_t viz_authority_pool_size(const VizAuthority *a, size_t process);
/* The process that takes fact f's step: its subject for a fact of one
 * process; for a pooled fact, the member whose own facts derive it (a
 * transfer: the receiver). For a flow, its sender (see viz_authority_to). */
uint32_t viz_authority_actor(const VizAuthority *a, uint32_t f);
/* The process a flow fact reaches (its object for a flow of processes). */
uint32_t viz_authority_to(const VizAuthority *a, uint32_t f);

/* Processes a principal stands for: itself for a process, every process
 * in the subtree of a job, every member process of a component. Returns
 * the count; *out (malloc'ed, free()) in koid order. */
size_t viz_authority_members(const VizAuthority *a, size_t principal,
                             uint32_t **out);
/* A HOLD fact of a member of `principal` on `obj` with at least `need`
 * rights, re-stated for that member (its witness ends with it), or
 * VIZ_NOFACT. Queries may add such re-stated facts; they never change
 * the analysis. */
uint32_t viz_authority_can(VizAuthority *a, size_t principal,
                           size_t obj, uint32_t need);
/* The CONTROL fact of process p over process q, or VIZ_NOFACT. */
uint32_t viz_authority_controls(VizAuthority *a, size_t p, size_t q);
/* The facts of `principal` (all kinds, CREATE included), best per (kind,
 * object), re-stated for its members: sorted by object id then kind.
 * *out malloc'ed (free()). */
size_t viz_authority_reach(VizAuthority *a, size_t principal,
                           uint32_t **out);
/* Processes that could hold `obj` with `need`: one fact each, koid order. */
size_t viz_authority_who_can(VizAuthority *a, size_t obj, uint32_t need,
                             uint32_t **out);

/* A "share" step of a stated fact (process x gets what another member of
 * its flow cycle holds) made explicit, in place: its id then names the
 * last hop of a shortest path of flows from that member to x, each hop a
 * transfer (or a use through a controlled process). Witnesses call it;
 * other facts are left alone. */
void viz_authority_unfold(VizAuthority *a, uint32_t f);

/* ---- Witness paths (viz_witness.c) -------------------------------------- */
/* The steps proving fact f, premises before conclusions, each step once
 * (and no two steps saying the same), share steps unfolded.
 * *out malloc'ed (free()). */
size_t viz_witness_steps(VizAuthority *a, uint32_t f, uint32_t **out);
/* One sentence for fact f ("'a' (koid 5) sends vmo 9 [R W T] to ..."). */
void viz_witness_sentence(const VizAuthority *a, uint32_t f, char *buf,
                          size_t len);
/* The numbered path as text (g_malloc'ed: free with free()). */
char *viz_witness_text(VizAuthority *a, uint32_t f);
/* A view of the path: the nodes involved, each step an edge in red
 * numbered in order, on top of the snapshot edges between those nodes. */
VizView *viz_witness_view(VizAuthority *a, uint32_t f,
                          const char *title);
const char *viz_authority_rule_name(uint32_t rule);

#ifdef __cplusplus
}
#endif
#endif
