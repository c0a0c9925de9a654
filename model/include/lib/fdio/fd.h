/*
 * capsim — <lib/fdio/fd.h>
 *
 * Moving between file descriptors and channels. Names and signatures are
 * Fuchsia's.
 */
#ifndef LIB_FDIO_FD_H_
#define LIB_FDIO_FD_H_

#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A descriptor for a handle (consumed): a socket becomes a pipe end; a
 * node channel a file, directory or service its server describes
 * (ZX_ERR_PEER_CLOSED if it is gone); other objects ZX_ERR_NOT_SUPPORTED. */
zx_status_t fdio_fd_create(zx_handle_t handle, int *fd_out);
/* A new channel to the node behind fd (Clone, same rights); for a pipe
 * end, a duplicate of its socket. */
zx_status_t fdio_fd_clone(int fd, zx_handle_t *out_handle);
/* Take the channel (a pipe end: the socket) out of fd; fd is closed.
 * ZX_ERR_UNAVAILABLE while fd is duplicated. */
zx_status_t fdio_fd_transfer(int fd, zx_handle_t *out_handle);
/* A channel to the current working directory. */
zx_status_t fdio_cwd_clone(zx_handle_t *out_handle);

#ifdef __cplusplus
}
#endif

#endif
