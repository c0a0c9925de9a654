/* owner.c — rights_amplification, the owner (victim).
 *
 * What it models: a process that shares, on purpose, only weak views of
 * what it owns: a READ-only handle to its configuration VMO and a
 * monitor-only handle (ENUMERATE + INSPECT) to its own job. Handing out
 * attenuated handles is the right thing to do; this scenario asks what
 * keeps the receiver from turning them back into strong ones.
 *
 * Protocol on its one startup channel (PA_HND(PA_USER0, 0)):
 *   owner -> attacker  "share" + [config VMO (read-only), job (monitor)]
 *   attacker -> owner  "done"   (it has tried the VMO tricks)
 *   owner -> attacker  "ack"    (after reporting what its config reads)
 * then the owner waits until the attacker hangs up. It prints what its
 * configuration reads after the attacker's turn and exits 0; in the
 * vulnerable variant it never gets that far, because the attacker minted
 * a DESTROY handle to it from the monitor handle and killed it.
 *
 * Leaves out: anything real in the configuration (it is one string).
 * Read next: attacker.c.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#define OWNER_CONFIG "mode=safe"

/* What the owner lets others do with its configuration and its job. */
#define OWNER_CONFIG_VIEW \
    (ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE | ZX_RIGHT_TRANSFER | \
     ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT | ZX_RIGHT_GET_PROPERTY)
#define OWNER_JOB_MONITOR \
    (ZX_RIGHT_ENUMERATE | ZX_RIGHT_INSPECT | ZX_RIGHT_TRANSFER | ZX_RIGHT_WAIT)

static int owner_fail(const char *what, zx_status_t s)
{
    printf("owner: %s failed: %s\n", what, zx_status_get_string(s));
    return 2;
}

/* Wait for one message on ch and check it is `word`. */
static zx_status_t owner_expect(zx_handle_t ch, const char *word)
{
    char buf[32];
    uint32_t n = 0;
    zx_status_t s = zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL);
    if (s == ZX_OK)
        s = zx_channel_read(ch, 0, buf, NULL, sizeof buf - 1, 0, &n, NULL);
    if (s != ZX_OK)
        return s;
    buf[n] = '\0';
    return strcmp(buf, word) == 0 ? ZX_OK : ZX_ERR_BAD_STATE;
}

int main(void)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t config, view[2];
    zx_status_t s = zx_vmo_create(4096, 0, &config);
    if (s == ZX_OK)
        s = zx_object_set_property(config, ZX_PROP_NAME, "owner-config", 12);
    if (s == ZX_OK)
        s = zx_vmo_write(config, OWNER_CONFIG, 0, sizeof OWNER_CONFIG);
    if (s != ZX_OK)
        return owner_fail("creating the config", s);
    if ((s = zx_handle_duplicate(config, OWNER_CONFIG_VIEW, &view[0])) != ZX_OK ||
        (s = zx_handle_duplicate(zx_job_default(), OWNER_JOB_MONITOR, &view[1])) != ZX_OK)
        return owner_fail("attenuating", s);
    printf("owner: sharing a read-only config view and a monitor handle to my job\n");
    if ((s = zx_channel_write(ch, 0, "share", 5, view, 2)) != ZX_OK)
        return owner_fail("sharing", s);
    if ((s = owner_expect(ch, "done")) != ZX_OK)
        return owner_fail("waiting for the attacker", s);
    char now[32] = {0};
    zx_vmo_read(config, now, 0, sizeof now - 1);
    printf("owner: my config reads '%s'%s\n", now,
           strcmp(now, OWNER_CONFIG) == 0 ? "" : " (TAMPERED)");
    if ((s = zx_channel_write(ch, 0, "ack", 3, NULL, 0)) != ZX_OK)
        return owner_fail("acknowledging", s);
    zx_object_wait_one(ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, NULL);
    printf("owner: the attacker hung up; I am still alive\n");
    return strcmp(now, OWNER_CONFIG) == 0 ? 0 : 1;
}
