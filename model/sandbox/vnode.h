/* vnode.h — the in-memory node trees directory servers serve. Flat C.
 * See vnode.c for the model and its invariants. */
#ifndef CAPSIM_SANDBOX_VNODE_H
#define CAPSIM_SANDBOX_VNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/fdio/io.h>
#include <zircon/types.h>

typedef enum VnodeKind {
    VNODE_DIR = 0,
    VNODE_FILE,
    VNODE_SERVICE,   /* opening it hands the channel to a connector */
    VNODE_REMOTE     /* a mount point: opens are forwarded to a channel */
} VnodeKind;

typedef struct Vnode Vnode;
typedef struct VnodeTree VnodeTree;

/* Consumes `channel` (the opener's connection). */
typedef void (*VnodeConnectFn)(void *ctx, zx_handle_t channel);

struct Vnode {
    VnodeKind kind;
    VnodeTree *tree;
    char *name;              /* NULL for the root */
    Vnode *parent;           /* NULL for the root and unlinked nodes */
    Vnode **kids;            /* DIR: sorted by name, bytewise */
    size_t nkids, capkids;
    uint8_t *data;           /* FILE */
    size_t size, cap;
    uint64_t ino;
    int64_t ctime, mtime;
    uint32_t refs;           /* the parent's link + open connections */
    uint32_t info_tag;       /* SERVICE: FIO_NODE_INFO_SERVICE or _DEVICE */
    VnodeConnectFn connect;  /* SERVICE */
    void *connect_ctx;
    zx_handle_t remote;      /* REMOTE: directory channel */
    bool remote_owned;       /* close `remote` when the node goes */
    char *remote_path;       /* REMOTE: path on the remote, NULL = "." */
};

struct VnodeTree {
    Vnode *root;
    uint64_t next_ino;
    bool readonly;           /* WRITABLE opens refused; implies immutable */
    bool immutable;          /* clients cannot create, write, truncate, unlink */
    bool executable;         /* files may be opened EXECUTABLE */
    char graph_name[64];     /* how the capability graph names the root
                                ("": the server's path) */
};

VnodeTree *vnode_tree_new(bool readonly, bool executable);
/* Frees every node still linked (connections must be gone). */
void vnode_tree_free(VnodeTree *t);
/* vnode_tree_free on the host once the serving process is gone
 * (capsim_process_on_release): its mount handles were closed with it, so
 * none is closed here. Nodes an open connection still holds stay until
 * the connection is released too. */
void vnode_tree_discard(void *tree);

Vnode *vnode_lookup(const Vnode *dir, const char *name, size_t len);
/* Building (servers populating their trees; ignore `readonly`). Each
 * returns the new node or NULL (name taken, parent not a directory, bad
 * name, no memory). */
Vnode *vnode_add_dir(Vnode *dir, const char *name);
Vnode *vnode_add_file(Vnode *dir, const char *name, const void *data, size_t len);
Vnode *vnode_add_service(Vnode *dir, const char *name, uint32_t info_tag,
                         VnodeConnectFn fn, void *ctx);
Vnode *vnode_add_remote(Vnode *dir, const char *name, zx_handle_t remote,
                        bool owned, const char *remote_path);
/* Every directory along a '/'-separated path, created when missing. */
Vnode *vnode_mkdir_p(Vnode *dir, const char *path);

/* Operations on behalf of clients (honour `readonly`). */
zx_status_t vnode_create(Vnode *dir, const char *name, size_t len, bool is_dir,
                         Vnode **out);
zx_status_t vnode_unlink(Vnode *dir, const char *name, size_t len, bool must_be_dir);
zx_status_t vnode_read(const Vnode *n, uint64_t off, void *buf, size_t len,
                       size_t *actual);
zx_status_t vnode_write(Vnode *n, uint64_t off, const void *buf, size_t len,
                        size_t *actual);
zx_status_t vnode_truncate(Vnode *n, uint64_t len);
void vnode_attr(const Vnode *n, FioNodeAttributes *attr);
uint32_t vnode_dirent_type(const Vnode *n);
uint32_t vnode_info_tag(const Vnode *n);

/* Open connections keep a node alive after it is unlinked. */
void vnode_ref(Vnode *n);
void vnode_unref(Vnode *n);

#endif
