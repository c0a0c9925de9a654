/* manifest.h — a package's meta/sandbox: what a component asks for beyond
 * /pkg and /svc. Flat C. See manifest.c for the format and the checks. */
#ifndef CAPSIM_SANDBOX_MANIFEST_H
#define CAPSIM_SANDBOX_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The keys of meta/sandbox, in the order a request list reports them. */
typedef enum SandboxKey {
    SANDBOX_KEY_DEV = 0,      /* device classes under /dev */
    SANDBOX_KEY_SYSTEM,       /* paths under /system */
    SANDBOX_KEY_PKGFS,        /* paths under /pkgfs */
    SANDBOX_KEY_FEATURES,     /* named features (manifest.c lists them) */
    SANDBOX_KEY_BOOT,         /* paths under /boot */
    SANDBOX_KEY_SERVICES,     /* which /svc entries are visible */
    SANDBOX_KEY_COUNT
} SandboxKey;

typedef struct SandboxList {
    char **items;
    size_t count;
} SandboxList;

typedef struct SandboxManifest {
    bool present;             /* the package has a meta/sandbox */
    bool has_services;        /* "services" was given (else: all of /svc) */
    SandboxList keys[SANDBOX_KEY_COUNT];
} SandboxManifest;

/* Parse meta/sandbox bytes of `package`. On failure false and *error (if
 * non-NULL) is a malloc'd "package 'P': meta/sandbox: <problem>". */
bool sandbox_manifest_parse(const char *package, const uint8_t *data, size_t len,
                            SandboxManifest *out, char **error);
void sandbox_manifest_free(SandboxManifest *m);
bool sandbox_manifest_has(const SandboxManifest *m, SandboxKey key, const char *item);
const char *sandbox_key_name(SandboxKey key);   /* "dev", "features"... */
/* True for the features capsim's component manager knows. */
bool sandbox_feature_known(const char *feature);

#endif
