/* sandbox_policy.h — which sandbox requests a system grants: everything
 * (appmgr's historical behaviour) or what an allowlist names. Flat C. See
 * sandbox_policy.c for the file format. */
#ifndef CAPSIM_SANDBOX_POLICY_H
#define CAPSIM_SANDBOX_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

typedef enum SandboxPolicyMode {
    SANDBOX_POLICY_GRANT_ALL = 0,
    SANDBOX_POLICY_ALLOWLIST
} SandboxPolicyMode;

typedef struct SandboxPolicy SandboxPolicy;

SandboxPolicy *sandbox_policy_grant_all(void);
/* Parse an allowlist. On failure NULL and *error (malloc'd) names the file
 * (`name` for the bytes variant) and the problem. */
SandboxPolicy *sandbox_policy_load_file(const char *path, char **error);
SandboxPolicy *sandbox_policy_load_bytes(const char *name, const char *json, size_t len,
                                         char **error);
void sandbox_policy_free(SandboxPolicy *p);
SandboxPolicyMode sandbox_policy_mode(const SandboxPolicy *p);
const char *sandbox_policy_name(const SandboxPolicy *p);  /* "grant-all" or the file */

/* NULL if every request of `package`'s manifest is granted; otherwise a
 * malloc'd reason naming the package, the request and the policy. */
char *sandbox_policy_check(const SandboxPolicy *p, const char *package,
                           const SandboxManifest *m);
/* May `package` see service `name` in /svc? (restricted services must be
 * granted by name; everything else is visible). */
bool sandbox_policy_service_visible(const SandboxPolicy *p, const char *package,
                                    const char *name);

#endif
