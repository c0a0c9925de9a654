// capsim — header compile test (C++): every public Zircon header must be
// usable from C++17 as well as C17.
#include <zircon/errors.h>
#include <zircon/limits.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/rights.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/log.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>
#include <zircon/syscalls/port.h>
#include <zircon/syscalls/system.h>
#include <zircon/time.h>
#include <zircon/types.h>

static_assert(sizeof(zx_port_packet_t) == 48, "zx_port_packet_t");
static_assert(sizeof(zx_info_vmo_t) == 176, "zx_info_vmo_t");
static_assert(ZX_DEFAULT_CHANNEL_RIGHTS == 0xF00Eu, "channel rights");
static_assert(ZX_SEC(1) == 1000000000, "ZX_SEC");
constexpr zx_duration_t kHalfSecond = zx_duration_from_msec(500);
static_assert(kHalfSecond == 500000000, "constexpr helpers");

int main() { return 0; }
