/* object_info_fixture.h — the tasks Zircon's object-info core tests look
 * at (upstream's ProcessFixture and JobFixture), built once per test
 * process on first use:
 *   - a started child process holding one unmapped VMO (by handle) and a
 *     channel, with a sub-VMAR holding FIXTURE_MAPPINGS one-page mappings
 *     of a second VMO (every other page, so none can merge), their
 *     permissions cycling through R, RW, RX, RWX;
 *   - a job with FIXTURE_CHILD_PROCS processes and FIXTURE_CHILD_JOBS child
 *     jobs, each holding one process and one job.
 */
#ifndef CAPSIM_TESTS_CORE_OBJECT_INFO_FIXTURE_H
#define CAPSIM_TESTS_CORE_OBJECT_INFO_FIXTURE_H

#include "coretest.h"

#define FIXTURE_MAPPINGS 8
#define FIXTURE_CHILD_PROCS 3
#define FIXTURE_CHILD_JOBS 2

typedef struct InfoFixture {
    zx_handle_t proc, vmar;
    uintptr_t vmar_base;
    size_t vmar_size;
    uintptr_t map_base[FIXTURE_MAPPINGS];
    zx_vm_option_t map_flags[FIXTURE_MAPPINGS];
    /* [0]: the VMO held by handle, [1]: the mapped one */
    zx_koid_t vmo_koid[2];
    uint64_t vmo_size[2];
    uint32_t vmo_via[2];
} InfoFixture;

InfoFixture *fixture_process(void);
zx_handle_t fixture_job(void);
/* Index of the fixture mapping at base/size, or -1. */
int fixture_mapping_index(const InfoFixture *f, uintptr_t base, size_t size);

#endif
