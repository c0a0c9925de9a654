/*
 * capsim — <lib/fdio/directory.h>
 *
 * Opening paths and connecting to services through the calling process's
 * namespace, or relative to a directory channel it holds. Each call sends
 * one pipelined fuchsia.io Open: it returns as soon as the request is
 * written, so a path that does not exist shows up as the new channel's peer
 * closing (or as an OnOpen error when DESCRIBE was asked). Names and
 * signatures are Fuchsia's.
 */
#ifndef LIB_FDIO_DIRECTORY_H_
#define LIB_FDIO_DIRECTORY_H_

#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Connect `request` (consumed) to the service at absolute `path`. */
zx_status_t fdio_service_connect(const char *path, zx_handle_t request);
/* Same, relative to the directory channel `dir`. */
zx_status_t fdio_service_connect_at(zx_handle_t dir, const char *path,
                                    zx_handle_t request);
/* Connect to /svc/<name>. */
zx_status_t fdio_service_connect_by_name(const char *name, zx_handle_t request);
/* Open with fuchsia.io flags. */
zx_status_t fdio_open(const char *path, uint32_t flags, zx_handle_t request);
zx_status_t fdio_open_at(zx_handle_t dir, const char *path, uint32_t flags,
                         zx_handle_t request);
/* Open and wait for the result; on success *out_fd is a new descriptor. */
zx_status_t fdio_open_fd(const char *path, uint32_t flags, int *out_fd);
zx_status_t fdio_open_fd_at(int dir_fd, const char *path, uint32_t flags,
                            int *out_fd);
/* A new connection to the same node (same rights); ZX_HANDLE_INVALID on failure. */
zx_handle_t fdio_service_clone(zx_handle_t node);
zx_status_t fdio_service_clone_to(zx_handle_t node, zx_handle_t request);

#ifdef __cplusplus
}
#endif

#endif
