/*
 * capsim — <lib/fdio/limits.h>
 *
 * Limits of capsim's fdio, with Fuchsia's values where Fuchsia has one.
 */
#ifndef LIB_FDIO_LIMITS_H_
#define LIB_FDIO_LIMITS_H_

/* File descriptors per process (Fuchsia's FDIO_MAX_FD). */
#define FDIO_MAX_FD 1024
/* Handles one fdio object may carry in a transfer. */
#define FDIO_MAX_HANDLES 3
/* Entries in one process's namespace (capsim's limit). */
#define FDIO_MAX_NAMESPACE_ENTRIES 64
/* Bytes per read/write transfer (fuchsia.io MAX_BUF). */
#define FDIO_CHUNK_SIZE 8192
/* In a PA_FD handle's argument: this descriptor is also the process's
 * stdio (Fuchsia's value; capsim installs the descriptor, nothing more). */
#define FDIO_FLAG_USE_FOR_STDIO 0x8000

#endif
