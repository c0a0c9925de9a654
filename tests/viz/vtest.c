/* vtest.c — known systems for the viz tests (see vtest.h). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "channel.h"
#include "vtest.h"

/* ---- Simulated programs ------------------------------------------------------*/

static void vtest_name(zx_handle_t h, const char *name)
{
    cr_expect_eq(zx_object_set_property(h, ZX_PROP_NAME, name, strlen(name)), ZX_OK);
}

/* Wait forever on a fresh event: the process stays alive with its handles. */
static void vtest_park(void)
{
    zx_handle_t park;
    cr_expect_eq(zx_event_create(0, &park), ZX_OK);
    zx_object_wait_one(park, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, NULL);
}

static void vtest_sender(uintptr_t a, uintptr_t b)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t vmo, ev, dup;
    zx_vaddr_t addr = 0;
    cr_expect_eq(zx_vmo_create(4096, 0, &vmo), ZX_OK);
    vtest_name(vmo, "secret");
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo,
                             0, 4096, &addr), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK); /* events have no names */
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_WAIT | ZX_RIGHT_TRANSFER, &dup), ZX_OK);
    cr_expect_eq(zx_channel_write(ch, 0, "vmo", 3, &vmo, 1), ZX_OK);
    cr_expect_eq(zx_channel_write(ch, 0, "ev", 2, &dup, 1), ZX_OK);
    vtest_park();
}

static void vtest_receiver(uintptr_t a, uintptr_t b)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    char buf[8];
    zx_handle_t got = ZX_HANDLE_INVALID;
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_channel_read(ch, 0, buf, &got, sizeof buf, 1, &nb, &nh), ZX_OK);
    cr_expect_eq(nh, 1u);
    vtest_park();
}

static void vtest_parked(uintptr_t a, uintptr_t b)
{
    vtest_park();
}

/* ---- Builders -------------------------------------------------------------------*/

static VTest *vtest_new(uint64_t seed, bool record)
{
    VTest *v = g_new0(VTest, 1);
    v->kt = ktest_new(seed, 2);
    v->rec = record ? viz_recorder_attach(v->kt->kernel) : NULL;
    return v;
}

void vtest_run(VTest *v)
{
    v->kt->result = v->rec ? viz_recorder_run(v->rec) : sim_run(v->kt->engine);
}

static KProcess *vtest_launch(VTest *v, KJob *job, const char *name, ThreadEntryFn fn,
                              uint32_t give, KObject *extra, zx_rights_t rights,
                              KObject *extra2, zx_rights_t rights2)
{
    LaunchSpec s;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.entry = fn;
    s.give = give;
    if (extra)
        s.extra[s.nextra++] = (LaunchHandle){PA_HND(PA_USER0, 0), extra, rights};
    if (extra2)
        s.extra[s.nextra++] = (LaunchHandle){PA_HND(PA_USER1, 0), extra2, rights2};
    KProcess *p = NULL;
    cr_assert_eq(launch_process(v->kt->kernel, job ? job : v->kt->job, &s, &p), ZX_OK);
    return p;
}

VTest *vtest_transfer_build(uint64_t seed, bool record)
{
    VTest *v = vtest_new(seed, record);
    KObject *a, *b;
    cr_assert_eq(channel_create(v->kt->kernel, &a, &b), ZX_OK);
    v->ep_a = a->koid;
    v->ep_b = b->koid;
    v->p[0] = vtest_launch(v, NULL, "sender", vtest_sender, LAUNCH_GIVE_STANDARD, a,
                           ZX_DEFAULT_CHANNEL_RIGHTS, NULL, 0);
    v->p[1] = vtest_launch(v, NULL, "receiver", vtest_receiver, LAUNCH_GIVE_STANDARD, b,
                           ZX_DEFAULT_CHANNEL_RIGHTS, NULL, 0);
    kobject_unref(a);
    kobject_unref(b);
    return v;
}

VTest *vtest_transfer(uint64_t seed)
{
    VTest *v = vtest_transfer_build(seed, true);
    vtest_run(v);
    return v;
}

VTest *vtest_leak(uint64_t seed, bool fixed)
{
    VTest *v = vtest_new(seed, true);
    Kernel *k = v->kt->kernel;
    cr_assert_eq(job_create(v->kt->job, &v->sandbox), ZX_OK);
    kobject_set_name(&v->sandbox->base, "sandbox", 7);
    KObject *a, *b;
    cr_assert_eq(channel_create(k, &a, &b), ZX_OK);
    v->ep_a = a->koid;
    v->ep_b = b->koid;
    zx_rights_t broker_ep = fixed ? ZX_DEFAULT_CHANNEL_RIGHTS & ~ZX_RIGHT_WRITE
                                  : ZX_DEFAULT_CHANNEL_RIGHTS;
    v->p[0] = vtest_launch(v, NULL, "broker", vtest_parked,
                           LAUNCH_GIVE_PROC_SELF | LAUNCH_GIVE_THREAD_SELF,
                           &k->root_job->base, ZX_DEFAULT_JOB_RIGHTS, a, broker_ep);
    v->p[1] = vtest_launch(v, v->sandbox, "client", vtest_parked, LAUNCH_GIVE_STANDARD, b,
                           ZX_DEFAULT_CHANNEL_RIGHTS, NULL, 0);
    kobject_unref(a);
    kobject_unref(b);
    vtest_run(v);
    return v;
}

void vtest_free(VTest *v)
{
    viz_recorder_free(v->rec);
    for (int i = 0; i < 4; i++)
        if (v->p[i])
            kobject_unref(&v->p[i]->base);
    if (v->sandbox)
        kobject_unref(&v->sandbox->base);
    ktest_free(v->kt);
    g_free(v);
}

/* ---- Helpers ------------------------------------------------------------------------*/

const ExportSnapshot *vtest_end(VTest *v)
{
    size_t i = viz_recorder_find(v->rec, "end");
    cr_assert_neq(i, VIZ_RECORDER_NONE);
    return viz_recorder_get(v->rec, i);
}

const ExportEdge *vtest_edge(const ExportSnapshot *s, uint32_t kind,
                             uint64_t src, uint64_t dst)
{
    for (size_t i = 0; i < s->nedges; i++)
        if (s->edges[i].kind == kind && s->edges[i].src == src && s->edges[i].dst == dst)
            return &s->edges[i];
    return NULL;
}

size_t vtest_count_edges(const ExportSnapshot *s, uint32_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nedges; i++)
        n += s->edges[i].kind == kind;
    return n;
}

size_t vtest_count_nodes(const ExportSnapshot *s, uint32_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nnodes; i++)
        n += s->nodes[i].kind == kind;
    return n;
}

char *vtest_read(const char *path, size_t *len)
{
    gchar *text = NULL;
    gsize n = 0;
    if (!g_file_get_contents(path, &text, &n, NULL))
        return NULL;
    if (len)
        *len = n;
    return text;
}

static char *vtest_scratch_dir;

void vtest_scratch_init(void)
{
    GError *err = NULL;
    vtest_scratch_dir = g_dir_make_tmp("capsim-viz-test-XXXXXX", &err);
    cr_assert(vtest_scratch_dir, "cannot make a scratch folder: %s", err ? err->message : "?");
}

void vtest_scratch_fini(void)
{
    if (!vtest_scratch_dir)
        return;
    GDir *d = g_dir_open(vtest_scratch_dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *path = g_build_filename(vtest_scratch_dir, name, NULL);
        cr_expect_eq(g_remove(path), 0, "cannot remove %s", path);
        g_free(path);
    }
    if (d)
        g_dir_close(d);
    cr_expect_eq(g_rmdir(vtest_scratch_dir), 0, "cannot remove %s", vtest_scratch_dir);
    g_free(vtest_scratch_dir);
    vtest_scratch_dir = NULL;
}

char *vtest_scratch(const char *name)
{
    cr_assert(vtest_scratch_dir, "the test writes files: give it .init = vtest_scratch_init");
    return g_build_filename(vtest_scratch_dir, name, NULL);
}
