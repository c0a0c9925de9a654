/*
 * capsim — <zircon/status.h>
 *
 * Maps a zx_status_t to its symbolic name (e.g. "ZX_ERR_BAD_HANDLE").
 * Unknown codes yield "(UNKNOWN)". Mirrors Zircon's public API; the
 * returned string is static and must not be freed.
 */
#ifndef ZIRCON_STATUS_H_
#define ZIRCON_STATUS_H_

#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

const char* zx_status_get_string(zx_status_t status);

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_STATUS_H_ */
