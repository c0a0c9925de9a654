/* test_component.c — components in sandboxes: what a component sees, what
 * the policies grant or refuse, what the servers answer, and what the trace
 * records. Each test runs sb_probe (sb_probe.c) in a package and reads its
 * output lines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lib/fdio/directory.h>
#include <lib/fdio/io.h>
#include <zircon/syscalls.h>

#include "job.h"
#include "process.h"
#include "sbtest.h"

#define FB_SANDBOX "{\"dev\": [\"class/framebuffer\"]}"

static void expect_line(const char *out, const char *line)
{
    cr_expect(strstr(out, line) != NULL, "expected \"%s\" in:\n%s", line, out);
}

static void expect_no(const char *out, const char *text)
{
    cr_expect(strstr(out, text) == NULL, "did not expect \"%s\" in:\n%s", text, out);
}

Test(component, sees_only_what_it_was_granted)
{
    SbTest *t = sbtest_new(1, NULL);
    sbtest_package(t, "fbuser", FB_SANDBOX);
    char *out = sbtest_probe(t, "fbuser", "ls:/", "ls:/dev", "ls:/dev/class",
                             "read:/pkg/data/hello", "fb", "input", "read:/data/passwords",
                             "stat:/boot", "ls:/svc", "stat:/etc/passwd", NULL);
    expect_line(out, "ls /: dev pkg svc\n");
    expect_line(out, "ls /dev: class\n");
    expect_line(out, "ls /dev/class: framebuffer\n");
    expect_line(out, "read /pkg/data/hello: ok \"hello from fbuser\"\n");
    expect_line(out, "fb: 640x480\n");
    expect_line(out, "input: ZX_ERR_NOT_FOUND\n");
    expect_line(out, "read /data/passwords: No such file or directory\n");
    expect_line(out, "stat /boot: No such file or directory\n");
    expect_line(out, "stat /etc/passwd: No such file or directory\n"); /* the host's */
    expect_line(out, "ls /svc:\n");  /* a sandbox without "services": none */
    free(out);
    sbtest_free(t);
}

Test(component, without_sandbox_gets_exactly_pkg_and_svc)
{
    SbTest *t = sbtest_new(2, NULL);
    sbtest_package(t, "plain", NULL);
    const char *ops[] = {"ls:/", "ls:/svc", NULL};
    CmComponent *c = sbtest_launch(t, NULL, "plain", ops, NULL);
    cr_assert(c);
    cr_expect_eq(cm_component_ns_count(c), 2);
    cr_expect_str_eq(cm_component_ns_path(c, 0), "/pkg");
    cr_expect_str_eq(cm_component_ns_path(c, 1), "/svc");
    cr_expect_str_eq(cm_component_ns_why(c, 0), "package");
    sbtest_run(t);
    char *out = sbtest_output(t, c);
    expect_line(out, "ls /: pkg svc\n");
    expect_line(out, "ls /svc: capsim.Secrets fidl.examples.echo.Echo fuchsia.logger.LogSink\n");
    free(out);
    sbtest_free(t);
}

Test(component, writes_to_pkg_fail)
{
    SbTest *t = sbtest_new(3, NULL);
    sbtest_package(t, "writer", NULL);
    char *out = sbtest_probe(t, "writer", "write:/pkg/data/hello", "write:/pkg/new",
                             "mkdir:/pkg/dir", "unlink:/pkg/data/hello",
                             "read:/pkg/data/hello", "exec:/pkg/data/hello",
                             "execro:/pkg/data/hello", NULL);
    expect_line(out, "write /pkg/data/hello: Permission denied\n");
    expect_line(out, "write /pkg/new: Permission denied\n");
    expect_line(out, "mkdir /pkg/dir: Permission denied\n");
    expect_line(out, "unlink /pkg/data/hello: Permission denied\n");
    expect_line(out, "read /pkg/data/hello: ok \"hello from writer\"\n");
    expect_line(out, "exec /pkg/data/hello: ZX_OK\n");  /* pkgfs is executable */
    expect_line(out, "execro /pkg/data/hello: ZX_ERR_ACCESS_DENIED\n");
    free(out);
    sbtest_free(t);
}

Test(component, dotdot_and_bad_paths_fail_with_documented_errors)
{
    SbTest *t = sbtest_new(4, NULL);
    sbtest_package(t, "escaper", FB_SANDBOX);
    char longname[300], longpath[4200], op1[400], op2[4300];
    memset(longname, 'a', 256);
    longname[256] = '\0';
    size_t n = 0;
    while (n + 2 < 4100) {
        longpath[n++] = 'a';
        longpath[n++] = '/';
    }
    longpath[n++] = 'a';
    longpath[n] = '\0';
    snprintf(op1, sizeof op1, "raw:/pkg:%s", longname);
    snprintf(op2, sizeof op2, "raw:/pkg:%s", longpath);
    char *out = sbtest_probe(t, "escaper", "raw:/dev/class/framebuffer:../input",
                             "openat:/dev/class/framebuffer:../input/000",
                             "read:/pkg/../data/passwords", "raw:/pkg:.", "raw:/pkg:",
                             "raw:/pkg:data//hello", "raw:/pkg:./data", "raw:/pkg:data/.",
                             "raw:/pkg:/data", "raw:/pkg:data/hello", op1, op2, NULL);
    expect_line(out, "raw /dev/class/framebuffer ../input: ZX_ERR_INVALID_ARGS\n");
    expect_line(out, "openat /dev/class/framebuffer ../input/000: Invalid argument\n");
    expect_line(out, "read /pkg/../data/passwords: No such file or directory\n");
    expect_line(out, "raw /pkg .: ZX_OK\n");
    expect_line(out, "raw /pkg : ZX_ERR_INVALID_ARGS\n");
    expect_line(out, "raw /pkg data//hello: ZX_ERR_INVALID_ARGS\n");
    expect_line(out, "raw /pkg ./data: ZX_ERR_INVALID_ARGS\n");
    expect_line(out, "raw /pkg data/.: ZX_ERR_INVALID_ARGS\n");
    expect_line(out, "raw /pkg /data: ZX_ERR_INVALID_ARGS\n");
    expect_line(out, "raw /pkg data/hello: ZX_OK\n");
    char want[400];
    snprintf(want, sizeof want, "raw /pkg %s: ZX_ERR_BAD_PATH\n", longname);
    expect_line(out, want);
    int bad = 0;
    for (const char *p = out; (p = strstr(p, "ZX_ERR_BAD_PATH\n")) != NULL; p++)
        bad++;
    cr_expect_eq(bad, 2, "the long name and the long path are both BAD_PATH:\n%s", out);
    cr_expect_not(sbtest_trace_has(t, KTR_FAULT_INJECTED, "accept_dotdot"));
    free(out);
    sbtest_free(t);
}

Test(component, dotdot_fault_switch_lets_a_component_escape)
{
    SbTest *t = sbtest_new(5, NULL);
    t->kernel->faults.accept_dotdot = true;
    sbtest_package(t, "escaper", FB_SANDBOX);
    char *out = sbtest_probe(t, "escaper", "raw:/dev/class/framebuffer:../input",
                             "openat:/dev/class/framebuffer:../input/000",
                             "openat:/pkg:../../root_ssl_certificates/0/data/cert.pem",
                             "raw:/pkg:../../../..", NULL);
    expect_line(out, "raw /dev/class/framebuffer ../input: ZX_OK\n");
    expect_line(out, "openat /dev/class/framebuffer ../input/000: ok\n");
    expect_line(out, "openat /pkg ../../root_ssl_certificates/0/data/cert.pem: ok\n");
    expect_line(out, "raw /pkg ../../../..: ZX_OK\n");  /* stops at pkgfs's root */
    cr_expect(sbtest_trace_has(t, KTR_FAULT_INJECTED, "accept_dotdot"));
    free(out);
    sbtest_free(t);
}

Test(component, grant_all_grants_and_allowlist_refuses)
{
    SbTest *t = sbtest_new(6, NULL);
    sbtest_package(t, "fbuser", FB_SANDBOX);
    char *out = sbtest_probe(t, "fbuser", "fb", NULL);
    expect_line(out, "fb: 640x480\n");
    free(out);
    sbtest_free(t);

    t = sbtest_new(6, "{\"packages\": {\"other\": {\"dev\": [\"class/framebuffer\"]}}}");
    sbtest_package(t, "fbuser", FB_SANDBOX);
    out = sbtest_probe(t, "fbuser", "fb", NULL);
    cr_expect_str_eq(out, "refused: package 'fbuser': sandbox request "
                          "dev:class/framebuffer is not in the allowlist test-allowlist.json");
    cr_expect(sbtest_trace_has(t, KTR_NOTE, "component_refused fbuser"));
    CmComponent *c = cm_component_at(t->cm, cm_component_count(t->cm) - 1);
    cr_expect_not_null(cm_component_refusal(c));
    cr_expect_null(cm_component_process(c));
    free(out);
    sbtest_free(t);

    t = sbtest_new(6, "{\"packages\": {\"fbuser\": {\"dev\": [\"class/framebuffer\"]}}}");
    sbtest_package(t, "fbuser", FB_SANDBOX);
    out = sbtest_probe(t, "fbuser", "fb", NULL);
    expect_line(out, "fb: 640x480\n");
    free(out);
    sbtest_free(t);
}

Test(component, allowlist_refuses_an_unlisted_feature)
{
    const char *policy = "{\"packages\": {\"*\": {\"features\": [\"isolated-temp\"]}}}";
    SbTest *t = sbtest_new(7, policy);
    sbtest_package(t, "shelly", "{\"features\": [\"isolated-temp\", \"shell\"]}");
    sbtest_package(t, "tempy", "{\"features\": [\"isolated-temp\"]}");
    char *out = sbtest_probe(t, "shelly", "ls:/", NULL);
    cr_expect_str_eq(out, "refused: package 'shelly': sandbox request features:shell is "
                          "not in the allowlist test-allowlist.json");
    free(out);
    out = sbtest_probe(t, "tempy", "ls:/", NULL);
    expect_line(out, "ls /: pkg svc tmp\n");
    free(out);
    sbtest_free(t);
}

Test(component, services_in_svc_answer)
{
    SbTest *t = sbtest_new(8, NULL);
    sbtest_package(t, "client", NULL);
    char *out = sbtest_probe(t, "client", "echo:hello there", "log:one", "log:two",
                             "secret:launch-codes", "secret:nothing", NULL);
    expect_line(out, "echo: \"hello there\"\n");
    expect_line(out, "log: count 1\n");
    expect_line(out, "log: count 2\n");
    expect_line(out, "secret: \"0000-0000-0000\"\n");
    expect_line(out, "secret: ZX_ERR_NOT_FOUND\n");
    free(out);
    sbtest_free(t);
}

Test(component, services_list_limits_svc)
{
    SbTest *t = sbtest_new(9, NULL);
    sbtest_package(t, "echoer", "{\"services\": [\"fidl.examples.echo.Echo\", \"nope\"]}");
    char *out = sbtest_probe(t, "echoer", "ls:/svc", "echo:hi", "secret:launch-codes", NULL);
    expect_line(out, "ls /svc: fidl.examples.echo.Echo\n");
    expect_line(out, "echo: \"hi\"\n");
    expect_line(out, "secret: ZX_ERR_PEER_CLOSED\n");
    free(out);
    sbtest_free(t);
}

Test(component, allowlist_hides_restricted_services)
{
    const char *policy = "{\"packages\": {\"trusted\": {\"services\": [\"capsim.Secrets\"]}},"
                         " \"restricted_services\": [\"capsim.Secrets\"]}";
    SbTest *t = sbtest_new(10, policy);
    sbtest_package(t, "plain", NULL);
    sbtest_package(t, "greedy", "{\"services\": [\"capsim.Secrets\"]}");
    sbtest_package(t, "trusted", "{\"services\": [\"capsim.Secrets\"]}");
    char *out = sbtest_probe(t, "plain", "ls:/svc", "secret:launch-codes", NULL);
    expect_line(out, "ls /svc: fidl.examples.echo.Echo fuchsia.logger.LogSink\n");
    expect_no(out, "capsim.Secrets");
    expect_line(out, "secret: ZX_ERR_PEER_CLOSED\n");
    free(out);
    out = sbtest_probe(t, "greedy", "secret:launch-codes", NULL);
    expect_line(out, "refused: package 'greedy': sandbox request services:capsim.Secrets");
    free(out);
    out = sbtest_probe(t, "trusted", "secret:launch-codes", NULL);
    expect_line(out, "secret: \"0000-0000-0000\"\n");
    free(out);
    sbtest_free(t);
}

Test(component, malformed_manifests_are_refused_with_a_message)
{
    static const char *cases[][2] = {
        {"{", "not valid JSON"},
        {"[]", "the top level is an array: it must be a JSON object"},
        {"null", "the top level is null: it must be a JSON object"},
        {"{\"devices\": []}", "unknown key \"devices\""},
        {"{\"dev\": \"class/framebuffer\"}", "\"dev\" is a string: it must be an array of strings"},
        {"{\"dev\": [1]}", "\"dev\"[0] is a number, not a string"},
        {"{\"services\": null}", "\"services\" is null: it must be an array of strings"},
        {"{\"dev\": [\"../data\"]}", "\"dev\"[0] \"../data\": not a relative path"},
        {"{\"boot\": [\"/abs\"]}", "\"boot\"[0] \"/abs\": not a relative path"},
        {"{\"features\": [\"root\"]}", "\"features\"[0] \"root\": unknown feature"},
        {"{\"services\": [\"a/b\"]}", "\"services\"[0] \"a/b\": not a valid service name"},
    };
    SbTest *t = sbtest_new(11, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32], want[256];
        snprintf(name, sizeof name, "bad%zu", i);
        sbtest_package(t, name, cases[i][0]);
        char *out = sbtest_probe(t, name, "ls:/", NULL);
        snprintf(want, sizeof want, "refused: package '%s': meta/sandbox: %s", name,
                 cases[i][1]);
        cr_expect(strncmp(out, want, strlen(want)) == 0, "case %zu: got \"%s\"", i, out);
        free(out);
    }
    cr_expect_eq(cm_component_count(t->cm), sizeof cases / sizeof cases[0]);
    for (size_t i = 0; i < cm_component_count(t->cm); i++)
        cr_expect_null(cm_component_process(cm_component_at(t->cm, i)));
    sbtest_free(t);
}

Test(component, malformed_archives_and_unknown_packages_are_refused)
{
    SbTest *t = sbtest_new(12, NULL);
    char *err = NULL;
    static const uint8_t junk[] = "definitely not a FAR archive";
    cr_expect_not(cm_add_package(t->cm, "junk", junk, sizeof junk, &err));
    cr_expect(err && strstr(err, "package 'junk':"), "%s", err);
    free(err);
    err = NULL;
    cr_expect_not(cm_add_package(t->cm, "Bad Name", junk, sizeof junk, &err));
    cr_expect(err && strstr(err, "not a valid name"), "%s", err);
    free(err);
    char *out = sbtest_probe(t, "missing", "ls:/", NULL);
    cr_expect_str_eq(out, "refused: package 'missing': not installed");
    free(out);
    sbtest_free(t);
}

Test(component, storage_features)
{
    SbTest *t = sbtest_new(13, NULL);
    cr_assert(cm_data_put(t->cm, "passwords", "hunter2\n", 8, NULL));
    char *err = NULL;
    cr_expect_not(cm_data_put(t->cm, "../etc/x", "x", 1, &err));
    cr_expect(err && strstr(err, "/data/../etc/x: not a relative path"), "%s", err);
    free(err);
    sbtest_package(t, "persist", "{\"features\": [\"persistent-storage\"]}");
    sbtest_package(t, "iso", "{\"features\": [\"isolated-temp\", \"isolated-persistent-storage\"]}");
    sbtest_package(t, "iso2", "{\"features\": [\"isolated-temp\"]}");
    sbtest_package(t, "systmp", "{\"features\": [\"system-temp\"]}");
    char *out = sbtest_probe(t, "persist", "read:/data/passwords", "write:/data/new",
                             "read:/data/new", "mkdir:/data/d", "unlink:/data/new",
                             "stat:/data/new", NULL);
    expect_line(out, "read /data/passwords: ok \"hunter2\"\n");
    expect_line(out, "write /data/new: ok\n");
    expect_line(out, "read /data/new: ok \"written\"\n");
    expect_line(out, "mkdir /data/d: ok\n");
    expect_line(out, "unlink /data/new: ok\n");
    expect_line(out, "stat /data/new: No such file or directory\n");
    free(out);
    out = sbtest_probe(t, "iso", "write:/tmp/mine", "ls:/tmp", "ls:/data",
                       "read:/data/passwords", NULL);
    expect_line(out, "write /tmp/mine: ok\n");
    expect_line(out, "ls /tmp: mine\n");
    expect_line(out, "ls /data:\n");
    expect_line(out, "read /data/passwords: No such file or directory\n");
    free(out);
    out = sbtest_probe(t, "iso2", "ls:/tmp", NULL);
    expect_line(out, "ls /tmp:\n");
    free(out);
    out = sbtest_probe(t, "systmp", "ls:/tmp", "read:/tmp/r/app/iso/mine", NULL);
    expect_line(out, "ls /tmp: r\n");
    expect_line(out, "read /tmp/r/app/iso/mine: ok \"written\"\n");
    free(out);
    sbtest_free(t);
}

Test(component, shell_ssl_hub_system_boot_pkgfs)
{
    SbTest *t = sbtest_new(14, NULL);
    sbtest_package(t, "shelly", "{\"features\": [\"shell\"]}");
    sbtest_package(t, "ssl", "{\"features\": [\"root-ssl-certificates\"]}");
    sbtest_package(t, "hubby", "{\"features\": [\"hub\"]}");
    sbtest_package(t, "picky", "{\"system\": [\"data/boringssl\"], \"boot\": [\"config\"],"
                               " \"pkgfs\": [\"packages\"], \"dev\": [\"class\"]}");
    char *out = sbtest_probe(t, "shelly", "ls:/", "read:/boot/config/build-info",
                             "read:/config/ssl/cert.pem", "fb", "input",
                             "write:/config/ssl/cert.pem", NULL);
    expect_line(out, "ls /: boot config data dev hub pkg pkgfs svc system tmp\n");
    expect_line(out, "read /boot/config/build-info: ok \"capsim 0.1.0");
    expect_line(out, "read /config/ssl/cert.pem: ok \"-----BEGIN CERTIFICATE-----\"\n");
    expect_line(out, "fb: 640x480\n");
    expect_line(out, "input: seq 1 at 7,5\n");
    expect_line(out, "write /config/ssl/cert.pem: Permission denied\n");
    free(out);
    out = sbtest_probe(t, "ssl", "ls:/", "ls:/config/ssl", NULL);
    expect_line(out, "ls /: config pkg svc\n");
    expect_line(out, "ls /config/ssl: cert.pem\n");
    free(out);
    out = sbtest_probe(t, "hubby", "ls:/hub/c", "ls:/hub/c/hubby", NULL);
    expect_line(out, "ls /hub/c: hubby shelly ssl\n");
    free(out);
    const char *ops[] = {"ls:/system/data/boringssl", "ls:/boot/config", "ls:/pkgfs/packages",
                         "ls:/", NULL};
    CmComponent *c = sbtest_launch(t, NULL, "picky", ops, NULL);
    cr_assert(c);
    cr_expect(strstr(cm_component_notes(c), "dev:class (all device classes)"));
    sbtest_run(t);
    out = sbtest_output(t, c);
    expect_line(out, "ls /system/data/boringssl: cert.pem\n");
    expect_line(out, "ls /boot/config: build-info devmgr\n");
    expect_line(out, "ls /pkgfs/packages: hubby picky root_ssl_certificates shelly ssl\n");
    expect_line(out, "ls /: boot pkg pkgfs svc system\n");
    free(out);
    sbtest_free(t);
}

Test(component, ambient_executable_needs_its_feature)
{
    SbTest *t = sbtest_new(15, NULL);
    sbtest_package(t, "jit", "{\"features\": [\"deprecated-ambient-replace-as-executable\"]}");
    sbtest_package(t, "nojit", NULL);
    char *out = sbtest_probe(t, "nojit", "mkexec", NULL);
    expect_line(out, "mkexec: ZX_ERR_ACCESS_DENIED\n");
    free(out);
    out = sbtest_probe(t, "jit", "mkexec", NULL);
    expect_line(out, "mkexec: ZX_OK\n");
    free(out);
    cr_expect(sbtest_trace_has(t, KTR_NOTE, "ambient mark-VMO-executable allowed"));
    sbtest_free(t);
}

Test(component, nested_environments_have_their_own_services)
{
    SbTest *t = sbtest_new(16, NULL);
    sbtest_package(t, "plain", NULL);
    char *err = NULL;
    CmEnv *sealed = cm_env_new(t->cm, NULL, "sealed", false, &err);
    CmEnv *open_env = cm_env_new(t->cm, NULL, "open", true, &err);
    cr_assert(sealed && open_env, "%s", err);
    cr_assert(cm_env_add_service(t->cm, sealed, CM_SERVICE_ECHO, NULL, &err), "%s", err);
    cr_assert(cm_env_add_service(t->cm, open_env, CM_SERVICE_ECHO, "my.Echo", &err), "%s", err);
    const char *ops[] = {"ls:/svc", "echo:inner", NULL};
    CmComponent *a = sbtest_launch(t, sealed, "plain", ops, NULL);
    CmComponent *b = sbtest_launch(t, open_env, "plain", ops, NULL);
    cr_assert(a && b);
    sbtest_run(t);
    char *out = sbtest_output(t, a);
    expect_line(out, "ls /svc: fidl.examples.echo.Echo\n");
    expect_line(out, "echo: \"inner\"\n");
    free(out);
    out = sbtest_output(t, b);
    expect_line(out, "ls /svc: capsim.Secrets fidl.examples.echo.Echo fuchsia.logger.LogSink my.Echo\n");
    free(out);
    /* Jobs: component -> environment -> root environment. */
    KJob *ja = cm_component_job(a);
    cr_expect_eq(ja->parent, cm_env_job(sealed));
    cr_expect_eq(cm_env_job(sealed)->parent, cm_env_job(cm_root_env(t->cm)));
    cr_expect_eq(cm_component_process(a)->job, ja);
    sbtest_free(t);
}

Test(component, launch_is_recorded_in_the_trace)
{
    SbTest *t = sbtest_new(17, NULL);
    sbtest_package(t, "fbuser", FB_SANDBOX);
    CmComponent *c = sbtest_launch(t, NULL, "fbuser", NULL, NULL);
    cr_assert(c);
    cr_expect(sbtest_trace_has(t, KTR_NOTE, "component_launch fbuser in app"));
    cr_expect(sbtest_trace_has(t, KTR_NOTE,
                               "ns_entry fbuser /dev/class/framebuffer <- /dev/class/framebuffer "
                               "(dev:class/framebuffer)"));
    cr_expect(sbtest_trace_has(t, KTR_NOTE, "ns_entry fbuser /pkg <- /pkgfs/packages/fbuser/0"));
    cr_expect(sbtest_trace_has(t, KTR_NOTE, "ns_entry fbuser /svc <- /svc/. (environment)"));
    /* The process holds one handle per namespace entry plus the standard four. */
    KProcess *p = cm_component_process(c);
    cr_expect_eq(p->handles.count, 4 + cm_component_ns_count(c));
    sbtest_run(t);
    sbtest_free(t);
}

static void component_hash(uint64_t seed, char hash[33])
{
    SbTest *t = sbtest_new(seed, NULL);
    sbtest_package(t, "fbuser", FB_SANDBOX);
    sbtest_package(t, "plain", NULL);
    char *a = sbtest_probe(t, "fbuser", "fb", "ls:/", "read:/pkg/data/hello", NULL);
    char *b = sbtest_probe(t, "plain", "echo:x", "secret:launch-codes", NULL);
    free(a);
    free(b);
    sim_trace_hash_hex(t->engine, hash);
    sbtest_free(t);
}

Test(component, same_seed_same_trace)
{
    char h1[33], h2[33];
    component_hash(42, h1);
    component_hash(42, h2);
    cr_expect_str_eq(h1, h2);
}

/* A hostile component: malformed messages to every server it can reach. */
static int garbage_main(int argc, char **argv)
{
    const char *paths[] = {"/pkg", "/svc", "/dev/class/framebuffer/000",
                           "/svc/fidl.examples.echo.Echo"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        zx_handle_t c, s, extra_c, extra_s;
        zx_channel_create(0, &c, &s);
        fdio_service_connect(paths[i], s);
        uint8_t junk[64];
        memset(junk, 0xA5, sizeof junk);
        zx_channel_write(c, 0, junk, 3, NULL, 0);                /* too short */
        FioOpenRequest open = {.hdr.ordinal = FIO_OP_OPEN, .path_len = 0xFFFFFFu};
        zx_channel_create(0, &extra_c, &extra_s);
        zx_channel_write(c, 0, &open, sizeof open, &extra_s, 1);  /* path past the end */
        zx_channel_write(c, 0, &open, sizeof open, NULL, 0);      /* no handle */
        FioHeader unknown = {.ordinal = 0xDEADBEEFu};
        zx_channel_write(c, 0, &unknown, sizeof unknown, NULL, 0);
        zx_channel_write(c, 0, junk, sizeof junk, NULL, 0);
        zx_handle_close(extra_c);
        zx_handle_close(c);
    }
    return 0;
}

Test(component, servers_survive_malformed_messages)
{
    SbTest *t = sbtest_new(18, NULL);
    cm_builtin_register("garbage", garbage_main);
    sbtest_package_program(t, "hostile", "garbage", "{\"dev\": [\"class/framebuffer\"],"
                                                    " \"services\": [\"fidl.examples.echo.Echo\"]}");
    sbtest_package(t, "after", FB_SANDBOX);
    cr_assert(cm_launch(t->cm, NULL, "hostile", 0, NULL, NULL));
    sbtest_run(t);
    char *out = sbtest_probe(t, "after", "read:/pkg/data/hello", "fb", NULL);
    expect_line(out, "read /pkg/data/hello: ok \"hello from after\"\n");
    expect_line(out, "fb: 640x480\n");
    free(out);
    sbtest_free(t);
}

Test(component, system_job_policy_applies_to_every_component)
{
    zx_policy_basic_v2_t deny_vmo = {ZX_POL_NEW_VMO, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    CmConfig cfg = {.job_policy = &deny_vmo, .njob_policy = 1};
    SbTest *t = sbtest_new_cfg(19, NULL, &cfg);
    sbtest_package(t, "jit", "{\"features\": [\"deprecated-ambient-replace-as-executable\"]}");
    char *out = sbtest_probe(t, "jit", "mkexec", "read:/pkg/data/hello", NULL);
    expect_line(out, "mkexec: ZX_ERR_ACCESS_DENIED\n");          /* no VMOs at all */
    expect_line(out, "read /pkg/data/hello: ok \"hello from jit\"\n"); /* files still work */
    free(out);
    sbtest_free(t);
}

/* The directory servers, drivers and services wait for requests forever:
 * once the component is done, the system is idle, not deadlocked. */
Test(component, idle_servers_end_a_run_quiescent)
{
    SbTest *t = sbtest_new(20, NULL);
    sbtest_package(t, "quiet", FB_SANDBOX);
    const char *ops[] = {"read:/pkg/data/hello", "fb", "echo:hi", NULL};
    CmComponent *c = sbtest_launch(t, NULL, "quiet", ops, NULL);
    cr_assert(c);
    cr_expect_eq(sbtest_run(t), SIM_RUN_QUIESCENT);
    size_t servers = sim_idle_servers(t->engine);
    cr_expect_gt(servers, 5, "memfs, pkgfs, devmgr, drivers, appmgr, services");
    char want[64], end[128], report[8192];
    snprintf(want, sizeof want, "quiescent: %zu server threads idle", servers);
    sim_end_summary(t->engine, end, sizeof end);
    cr_expect_str_eq(end, want);
    cr_expect_eq(sim_blocked_report(t->engine, report, sizeof report), 0);
    cr_expect(strstr(report, "'appmgr' (server) blocked since"), "%s", report);
    cr_expect_eq(cm_component_process(c)->state, PROCESS_DEAD);
    sbtest_free(t);
}

/* Two threads of a component waiting for each other are still a deadlock,
 * however many servers idle beside them. */
Test(component, application_deadlock_beside_idle_servers_is_reported)
{
    SbTest *t = sbtest_new(21, NULL);
    sbtest_package(t, "stuck", NULL);
    const char *ops[] = {"deadlock", NULL};
    CmComponent *c = sbtest_launch(t, NULL, "stuck", ops, NULL);
    cr_assert(c);
    cr_expect_eq(sbtest_run(t), SIM_RUN_DEADLOCK);
    char *out = sbtest_output(t, c);
    expect_line(out, "deadlock: ZX_OK\n");
    free(out);
    char end[128], report[8192], want[128];
    cr_expect_eq(sim_blocked_report(t->engine, report, sizeof report), 2);
    cr_expect(strstr(report, "'stuck' blocked since"), "%s", report);
    cr_expect(strstr(report, "'partner' blocked since"), "%s", report);
    sim_end_summary(t->engine, end, sizeof end);
    snprintf(want, sizeof want, "deadlock: 2 threads blocked, %zu server threads idle",
             sim_idle_servers(t->engine));
    cr_expect_str_eq(end, want);
    sbtest_free(t);
}

/* Freeing a system gives its servers' memory back: they serve until the
 * kernel kills them, so what they made (io loops with their 64 KiB
 * message buffers, directory trees, runtime blocks) is released with
 * their processes. Before, every system left ~800 KB behind, which a
 * sweep over thousands of seeds in one process could not afford. */
#if !defined(__SANITIZE_ADDRESS__)
#include <malloc.h>

static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}

static void system_cycle(void)
{
    SbTest *t = sbtest_new(1, NULL);
    sbtest_package(t, "p", "{\"dev\": [\"class/framebuffer\"]}");
    char *out = sbtest_probe(t, "p", "ls:/", NULL);
    cr_assert(strstr(out, "ls /:"), "%s", out);
    free(out);
    sbtest_free(t);
}

Test(component, a_freed_system_gives_its_memory_back)
{
    system_cycle(); /* first use: caches, lazily made tables */
    system_cycle();
    size_t before = heap_in_use();
    for (int i = 0; i < 10; i++)
        system_cycle();
    /* What stays is bounded (allocator caches: ~70 KB whether 5 or 20
     * systems ran), not per system (828 KB each before). */
    long grew = (long)heap_in_use() - (long)before; /* it may also shrink */
    cr_assert_lt(grew, 256 * 1024, "%ld bytes left behind by 10 systems", grew);
}
#endif
