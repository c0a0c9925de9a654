/*
 * capsim — <lib/fdio/namespace.h>
 *
 * Namespaces: tables binding absolute paths to directory channels. Every
 * process started with PA_NS_DIR handles has an installed namespace built
 * from them (the path of entry i is the processargs name table's string at
 * the handle's PA_HND_ARG); POSIX file calls and fdio_open/fdio_service_connect
 * resolve through it. A path no entry covers does not exist for the process.
 * Function names and signatures are Fuchsia's.
 */
#ifndef LIB_FDIO_NAMESPACE_H_
#define LIB_FDIO_NAMESPACE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fdio_namespace fdio_ns_t;

zx_status_t fdio_ns_create(fdio_ns_t **out);
/* ZX_ERR_BAD_STATE while the namespace is installed. */
zx_status_t fdio_ns_destroy(fdio_ns_t *ns);
/* Bind `remote` (a directory channel; consumed, even on failure) at the
 * absolute, canonical `path`. ZX_ERR_ALREADY_EXISTS if bound; ZX_ERR_INVALID_ARGS
 * for a bad path or "/" with other entries; ZX_ERR_NO_RESOURCES when full. */
zx_status_t fdio_ns_bind(fdio_ns_t *ns, const char *path, zx_handle_t remote);
zx_status_t fdio_ns_unbind(fdio_ns_t *ns, const char *path);
bool fdio_ns_is_bound(fdio_ns_t *ns, const char *path);
/* Open `path` in the namespace, sending `request` (consumed) as the server
 * end of the new connection. fuchsia.io open flags. */
zx_status_t fdio_ns_open(fdio_ns_t *ns, const char *path, uint32_t flags,
                         zx_handle_t request);
zx_status_t fdio_ns_service_connect(fdio_ns_t *ns, const char *path,
                                    zx_handle_t request);
/* The calling process's namespace (created empty on first use). */
zx_status_t fdio_ns_get_installed(fdio_ns_t **out);

typedef struct fdio_flat_namespace {
    size_t count;
    zx_handle_t *handle;       /* clones of the bound directories */
    uint32_t *type;            /* PA_HND(PA_NS_DIR, i) */
    const char *const *path;
} fdio_flat_namespace_t;

/* A flat copy (paths sorted) with cloned handles, for a child's startup. */
zx_status_t fdio_ns_export(fdio_ns_t *ns, fdio_flat_namespace_t **out);
zx_status_t fdio_ns_export_root(fdio_flat_namespace_t **out);
/* Closes the handles and frees the table. */
void fdio_ns_free_flat_ns(fdio_flat_namespace_t *ns);

#ifdef __cplusplus
}
#endif

#endif
