/* app_launch.c — an app process's life as its C runtime sees it: launch,
 * constructors, main, exit.
 *
 * Models: what Fuchsia's process loader and libc's startup/exit code do for
 * a program. app_launch (host or engine side) loads a private copy of the
 * image (app_instance.c), then launch_process (launch.h) creates the
 * process with exactly the startup handles, argv and environment of the
 * LaunchSpec, its first thread entering app_launch_main:
 *
 *   first thread:  DT_INIT, DT_INIT_ARRAY (argc, argv, envp)
 *                  r = main(argc, argv)
 *                  exit(r)
 *   exit(code):    atexit / __cxa_atexit handlers of this process (LIFO),
 *                  DT_FINI_ARRAY (reverse), DT_FINI, flush its stdio,
 *                  zx_process_exit(code)
 *   quick_exit(code): at_quick_exit handlers of this process (LIFO),
 *                  zx_process_exit(code): no atexit handler, no destructor
 *   _exit(code):   zx_process_exit(code) at once
 *
 * all on the process's own fiber, so constructors and handlers can make
 * syscalls, print (captured) and fault (contained) like any app code.
 * Handlers and destructors run only for a process that ends through exit()
 * or main's return; a killed process runs nothing (as in Zircon). A process
 * started by zx_process_start on an entry point of another process's copy
 * shares that copy: it runs no constructors or destructors of its own.
 *
 * atexit: an app's atexit() (libc_nonshared) and C++ static destructors
 * call __cxa_atexit with the copy's __dso_handle; libc_process.c sends
 * those here, per process; at_quick_exit (libc_nonshared) calls
 * __cxa_at_quick_exit the same way. on_exit is not Fuchsia's
 * (libc_absent.c refuses it).
 * Read next: app_spawn.c, libc_process.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "app_call.h"
#include "app_world.h"
#include "sdk/runtime.h"

static char *app_launch_no_argv[1];

/* The first thread of every app process. */
static void app_launch_main(uintptr_t arg1, uintptr_t arg2)
{
    (void)arg1, (void)arg2;
    AppProc *ap = app_world_current_proc();
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    CapsimProcessRuntime *rt = tr ? tr->proc : NULL;
    int argc = rt && rt->argv ? rt->argc : 0;
    char **argv = rt && rt->argv ? rt->argv : app_launch_no_argv;
    if (!ap || !ap->inst)
        zx_process_exit(ZX_TASK_RETCODE_VDSO_KILL); /* cannot happen */
    if (ap->owns_inst)
        app_instance_run_init(ap->inst, argc, argv, app_io_environ(ap));
    int r = app_call_main(ap->inst->main, argc, argv);
    app_launch_exit(r, true);
}

/* Run a list's handlers, last registered first (a handler may add more). */
static void app_launch_run_list(AppAtexitList *list)
{
    while (list->n > 0) {
        AppAtexit a = list->fns[--list->n];
        app_call_with(a.fn, a.arg);
    }
}

void app_launch_exit(int code, bool run_handlers)
{
    AppProc *ap = app_world_current_proc();
    if (ap && run_handlers && !ap->exiting) {
        ap->exiting = true;
        app_launch_run_list(&ap->atexit_list);
        if (ap->owns_inst && ap->inst)
            app_instance_run_fini(ap->inst);
        fflush(stdout);
        fflush(stderr);
    }
    zx_process_exit(code);
}

void app_launch_quick_exit(int code)
{
    AppProc *ap = app_world_current_proc();
    if (ap && !ap->exiting) {
        ap->exiting = true;
        app_launch_run_list(&ap->quick_list);
    }
    zx_process_exit(code);
}

int app_launch_add_atexit(AppAtexitList *list, void (*fn)(void *), void *arg)
{
    if (!fn)
        return -1;
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        AppAtexit *n = realloc(list->fns, cap * sizeof *n);
        if (!n)
            return -1;
        list->fns = n;
        list->cap = cap;
    }
    list->fns[list->n++] = (AppAtexit){fn, arg};
    return 0;
}

void app_launch_free_atexit(AppProc *ap)
{
    free(ap->atexit_list.fns);
    free(ap->quick_list.fns);
    ap->atexit_list = ap->quick_list = (AppAtexitList){0};
}

zx_status_t app_launch(Kernel *k, KJob *job, AppImage *img, LaunchSpec *spec,
                       KProcess **out)
{
    if (!k || !job || !img || !spec || !out)
        return ZX_ERR_INVALID_ARGS;
    AppWorld *w = app_world_get(k);
    char *error = NULL;
    AppInstance *in = w ? app_instance_load(img, &error) : NULL;
    if (!in) {
        kernel_trace(k, KTR_NOTE, 0, 0, 0, 0, error ? error : "app layer: out of memory");
        free(error);
        return ZX_ERR_NO_RESOURCES;
    }
    LaunchSpec s = *spec;
    char *argv0[2] = {(char *)(s.name ? s.name : img->name), NULL};
    if (s.argc <= 0 || !s.argv) {
        s.argc = 1;
        s.argv = argv0;
    }
    s.entry = app_launch_main;
    s.arg1 = s.arg2 = 0;
    spec->entry = s.entry;
    spec->arg1 = spec->arg2 = 0;
    KProcess *p = NULL;
    zx_status_t st = launch_process(k, job, &s, &p);
    AppProc *ap = st == ZX_OK ? app_world_proc(w, p, in) : NULL;
    app_instance_unref(in); /* the AppProc holds its own reference */
    if (st != ZX_OK)
        return st;
    if (!ap) {
        process_kill(p, ZX_TASK_RETCODE_SYSCALL_KILL);
        kobject_unref(&p->base);
        return ZX_ERR_NO_MEMORY;
    }
    CapsimProcessRuntime *rt = p->runtime;
    ap->owns_inst = true;
    ap->owns_runtime = true;
    if (rt && rt->envp)
        app_io_set_environ(ap, rt->envp);
    if (rt)
        rt->loader = ap; /* an app: fdio confines its file calls (sdk/fdio_libc.c) */
    *out = p;
    return ZX_OK;
}
