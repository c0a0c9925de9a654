/* cmd_demo.c — `capsim demo`: a component in its sandbox, under the two
 * policies of Fuchsia's historical component manager.
 *
 * Story: root_presenter drew the cursor on Fuchsia's screen; its package
 * holds bin/app (here: a real C program, model/sandbox/apps/root_presenter.c,
 * built by meson against libcapsim), data/cursor32.png and a meta/sandbox
 * asking for direct access to the framebuffer ({"dev": ["class/framebuffer"]}).
 * The demo shows the package's files, then boots three simulated systems on
 * one engine, one after the other, each with a secret in /data/passwords:
 *   1. grant-all — appmgr's historical behaviour: the request is granted;
 *      root_presenter reads its cursor from /pkg, draws it into the
 *      framebuffer's VMO, and fails to open /data/passwords (outside its
 *      namespace) or to write to /pkg (read-only);
 *   2. an allowlist that does not list the request — the launch is refused,
 *      with the reason recorded in the trace (it can open nothing);
 *   3. an allowlist that lists it — it runs as in 1.
 * It prints what the component printed, the virtual time, and the trace
 * hash (the same seed always prints the same hash).
 *
 * The package is the one meson built (root_presenter.far, in the build tree
 * or installed under <datadir>/capsim/packages); --package picks another.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "commands.h"
#include "component_manager.h"
#include "far.h"
#include "kernel.h"
#include "process.h"

#ifndef CAPSIM_PKG_BUILD_DIR
#define CAPSIM_PKG_BUILD_DIR "."
#endif
#ifndef CAPSIM_PKG_INSTALL_DIR
#define CAPSIM_PKG_INSTALL_DIR "/usr/local/share/capsim/packages"
#endif

static const char demo_deny[] = "{\"packages\": {\"root_presenter\": {}}}";
static const char demo_allow[] =
    "{\"packages\": {\"root_presenter\": {\"dev\": [\"class/framebuffer\"]}}}";

static char *demo_find_package(const char *given)
{
    if (given)
        return g_strdup(given);
    const char *dirs[] = {CAPSIM_PKG_BUILD_DIR, CAPSIM_PKG_INSTALL_DIR};
    for (size_t i = 0; i < 2; i++) {
        char *p = g_build_filename(dirs[i], "root_presenter.far", NULL);
        if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
            return p;
        g_free(p);
    }
    return NULL;
}

/* What `capsim far list --long` would show, plus meta/sandbox itself. */
static bool demo_show_package(const char *prog, const char *path)
{
    FarError err = {0};
    FarArchive *a = far_open_file(path, &err);
    if (!a) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        return false;
    }
    printf("The package (capsim far list --archive=%s):\n", path);
    for (size_t i = 0; i < far_count(a); i++) {
        const char *name = far_name(a, i);
        printf("  %-20s %7zu bytes", name, far_size(a, i));
        if (!strcmp(name, "meta/sandbox"))
            printf("  %.*s", (int)strcspn((const char *)far_data(a, i), "\n"),
                   (const char *)far_data(a, i));
        printf("\n");
    }
    far_close(a);
    return true;
}

static void demo_print_output(KProcess *p)
{
    size_t n = app_output(p, NULL, 0);
    char *buf = g_malloc0(n + 1);
    app_output(p, buf, n + 1);
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        printf("    %s\n", line);
    g_free(buf);
}

/* One system: boot, install, launch, run, report, shut down. */
static bool demo_system(const char *prog, Kernel *k, const char *far, const char *title,
                        const char *allowlist)
{
    char *err = NULL;
    SandboxPolicy *pol = allowlist ? sandbox_policy_load_bytes("demo-allowlist.json", allowlist,
                                                               strlen(allowlist), &err)
                                   : NULL;
    CmConfig cfg = {.policy = pol};
    CmSystem *cm = (!allowlist || pol) ? cm_new(k, &cfg, &err) : NULL;
    char *name = cm ? cm_add_package_file(cm, far, &err) : NULL;
    if (!name || !cm_data_put(cm, "passwords", "hunter2\n", 8, &err)) {
        fprintf(stderr, "%s: %s\n", prog, err ? err : "cannot start the system");
        g_free(err);
        cm_free(cm);
        sandbox_policy_free(pol);
        return false;
    }
    printf("\n%s\n", title);
    CmComponent *c = cm_launch(cm, NULL, name, 0, NULL, &err);
    if (!c) {
        printf("  launch refused: %s\n  (it never runs: it can open nothing)\n", err);
    } else {
        printf("  namespace:");
        for (size_t i = 0; i < cm_component_ns_count(c); i++)
            printf(" %s", cm_component_ns_path(c, i));
        printf("\n");
        sim_run(k->engine);
        KProcess *p = cm_component_process(c);
        demo_print_output(p);
        printf("  root_presenter %s, return code %lld\n",
               p->state == PROCESS_DEAD ? "exited" : "is still running",
               (long long)p->return_code);
        component_print_end(k->engine);
    }
    cm_shutdown(cm);
    sim_run(k->engine);
    free(err);
    free(name);
    cm_free(cm);
    sandbox_policy_free(pol);
    return true;
}

int cmd_demo(int argc, char **argv)
{
    uint64_t seed = 1;
    gchar *seed_text = NULL;
    gint cpus = 2;
    gchar *package = NULL;
    GOptionEntry entries[] = {
        CLI_SEED_OPTION(&seed_text),
        {"cpus", 'c', 0, G_OPTION_ARG_INT, &cpus, "virtual CPUs, 1..64 (default 2)", "K"},
        {"package", 'p', 0, G_OPTION_ARG_FILENAME, &package,
         "the root_presenter archive (default: the one meson built)", "FILE.far"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("- run root_presenter in its sandbox under two policies");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "%s: %s\n", argv[0], err->message);
        g_error_free(err);
        g_option_context_free(ctx);
        return 2;
    }
    g_option_context_free(ctx);
    bool seed_ok = cli_seed_parse(argv[0], seed_text, &seed);
    g_free(seed_text);
    if (!seed_ok)
        return 2;
    if (cpus < 1 || cpus > 64) {
        fprintf(stderr, "%s: --cpus must be 1..64, not %d\n", argv[0], cpus);
        return 2;
    }
    char *far = demo_find_package(package);
    g_free(package);
    if (!far) {
        fprintf(stderr, "%s: cannot find root_presenter.far (looked in %s and %s); "
                        "build capsim with meson first\n",
                argv[0], CAPSIM_PKG_BUILD_DIR, CAPSIM_PKG_INSTALL_DIR);
        return 1;
    }
    printf("capsim demo: seed %" PRIu64 ", %d virtual CPUs\n", seed, cpus);
    bool ok = demo_show_package(argv[0], far);
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.seed = seed;
    cfg.cpus = cpus;
    SimEngine *e = sim_engine_new(&cfg);
    Kernel *k = kernel_new(e);
    ok = ok && demo_system(argv[0], k, far, "1. grant-all (appmgr's historical policy): "
                                            "every meta/sandbox request is granted", NULL);
    ok = ok && demo_system(argv[0], k, far, "2. allowlist " "{\"packages\": {\"root_presenter\": {}}}"
                                            ": a request must be listed", demo_deny);
    ok = ok && demo_system(argv[0], k, far, "3. allowlist {\"packages\": {\"root_presenter\": "
                                            "{\"dev\": [\"class/framebuffer\"]}}}", demo_allow);
    g_free(far);
    char hash[33];
    sim_trace_hash_hex(e, hash);
    printf("\nvirtual time %lld ns, %llu trace records, %llu syscalls\n", (long long)sim_now(e),
           (unsigned long long)sim_trace_total(e), (unsigned long long)k->syscalls);
    printf("trace hash %s\n", hash);
    app_shutdown(k);
    kernel_free(k);
    sim_engine_free(e);
    return ok ? 0 : 1;
}
