/* fault.c — containing app crashes, safe copies, the runaway-thread budget.
 *
 * Models: the CPU exceptions of simulated threads. One handler for SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, SIGABRT and SIGTRAP runs on an alternate signal stack
 * (sigaltstack; SA_ONSTACK | SA_SIGINFO), so it works even when a fiber has
 * overflowed its stack. Cases, in order:
 *
 *  1. sim_safe_copy in progress (SEGV/BUS): on x86-64 the copy is a
 *     frameless assembly routine (fault_copy_x86_64.S), recognised by the
 *     faulting PC, which is moved to a landing that returns 0; elsewhere
 *     (and under ASan) the interrupted context is rewritten to a landing
 *     that __builtin_longjmp's back into sim_safe_copy. Either way
 *     sim_safe_copy returns false, and returning from the handler
 *     (sigreturn) restores the signal mask, so SIGSEGV is never left
 *     blocked.
 *  2. App code of a fiber was running (sim_tls.in_app): classify (fault
 *     address inside the fiber's guard region, the pool's or the one a
 *     given stack's owner declared (SimThread.stack_guard either way) =>
 *     SIM_FAULT_STACK_OVERFLOW),
 *     then rewrite the context (PC/SP, plus a clean frame pointer, DF and
 *     signal mask) so that sigreturn lands in request_fault_entry on the
 *     engine's small emergency stack. That marks the thread faulted and
 *     switches to the engine, which calls cfg.on_fault and carries on.
 *  3. Anything else while an engine runs is a simulator bug: print the
 *     signal, address, pc (symbol, object, addr2line offset), virtual time,
 *     CPU and thread, a backtrace, then abort.
 *  4. No engine on this host thread: chain to the previous handler.
 *
 * Budget (cfg.budget_ns, 0 = off): the ONLY use of host time in capsim. A
 * CLOCK_MONOTONIC timer ticks every budget/4 while sim_run runs; if the same
 * dispatch is still running app code after 4 ticks (>= budget), the fiber is
 * redirected like a fault with SIM_FAULT_BUDGET. Host time decides only WHEN
 * a runaway thread is stopped; a run that never trips it is unaffected, and
 * one that does is reproducible only as far as the trip itself is. Caveat:
 * a thread stopped inside libc while holding a libc lock (malloc) leaves it
 * held; budget kills are a last resort for buggy apps.
 *
 * Leaves out: faults in model code called from the hook (simulator bugs,
 * case 3); architectures other than x86-64 and AArch64 (no redirect: app
 * faults are reported and abort).
 *
 * Read next: request.c (request_fault_entry), stack_pool.c (guards).
 */
#include "fault.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__aarch64__)
#define FAULT_CAN_REDIRECT 1
#endif

/* x86-64 without ASan: sim_safe_copy's copy is fault_copy_x86_64.S, and a
 * fault inside it is recognised by its PC (no setjmp per copy). */
#if defined(__x86_64__) && defined(SIM_HAVE_COPY_ASM) && !defined(SIM_ASAN)
#define FAULT_COPY_ASM 1
bool fault_copy_asm(void *dst, const void *src, size_t n); /* 1 or 0 in eax */
extern const char fault_copy_asm_end[], fault_copy_asm_fail[];
#endif

#define FAULT_ALTSTACK_SIZE (64 * 1024)
#define FAULT_EMERGENCY_SIZE (64 * 1024)

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
                                     SIGTRAP, FAULT_BUDGET_SIGNAL };
#define FAULT_NSIG ((int)(sizeof fault_signals / sizeof fault_signals[0]))

static struct sigaction fault_old[FAULT_NSIG];
static pthread_once_t fault_once = PTHREAD_ONCE_INIT;
/* initial-exec: libcapsim is a shared library, and the default model for
 * its TLS costs a __tls_get_addr call on every sim_safe_copy. */
static __thread bool fault_altstack_done __attribute__((tls_model("initial-exec")));
static volatile sig_atomic_t fault_dying;

void fault_set_dying(void)
{
    fault_dying = 1;
}

/* ---- context surgery -------------------------------------------------------*/

static uintptr_t fault_pc(const ucontext_t *uc)
{
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    return 0;
#endif
}

static uintptr_t fault_sp(const ucontext_t *uc)
{
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.sp;
#else
    return 0;
#endif
}

/* Make sigreturn "call" fn() with the stack pointer just below `sp`. */
static void fault_redirect(ucontext_t *uc, void (*fn)(void), uintptr_t sp)
{
#if defined(__x86_64__)
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)fn;
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)((sp & ~(uintptr_t)15) - 8);
    uc->uc_mcontext.gregs[REG_RBP] = 0;
    uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)0x400; /* DF clear (ABI) */
#elif defined(__aarch64__)
    uc->uc_mcontext.pc = (uintptr_t)fn;
    uc->uc_mcontext.sp = sp & ~(uintptr_t)15;
    uc->uc_mcontext.regs[29] = 0;
    uc->uc_mcontext.regs[30] = 0;
#else
    (void)uc, (void)fn, (void)sp;
#endif
}

/* ---- safe copy ---------------------------------------------------------------*/

static void fault_copy_landing(void)
{
    __builtin_longjmp(sim_tls.copy_jmp, 1);
}

#ifdef SIM_ASAN
/* ASan's memcpy checks shadow memory first; copy by hand, uninstrumented. */
__attribute__((no_sanitize_address, noinline)) static void
fault_copy_bytes(void *dst, const void *src, size_t n)
{
    volatile unsigned char *d = dst;
    const volatile unsigned char *s = src;
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}
#else
#define fault_copy_bytes memcpy
#endif

/* Most syscall copies are one 4- or 8-byte value (a handle, a count, an
 * observed signal set): copy those inline instead of calling memcpy. A
 * fault in either load or store lands in sim_safe_copy all the same. */
static inline void fault_copy_small_or_bytes(void *dst, const void *src,
                                             size_t n)
{
#ifndef SIM_ASAN
    if (n == 4) {
        uint32_t v;
        memcpy(&v, src, 4);
        memcpy(dst, &v, 4);
        return;
    }
    if (n == 8) {
        uint64_t v;
        memcpy(&v, src, 8);
        memcpy(dst, &v, 8);
        return;
    }
#endif
    fault_copy_bytes(dst, src, n);
}

static void fault_install_handlers(void);
static void fault_install_altstack(void);
static bool fault_handlers_ready;
/* Both of the above hold for this host thread: sim_safe_copy tests one
 * flag. Handlers, once installed, stay; so does a thread's altstack. */
static __thread bool fault_copy_ready __attribute__((tls_model("initial-exec")));

/* Out of line and cold: sim_safe_copy's common path is then a bare tail
 * call (no frame, no saved registers). */
__attribute__((noinline, cold)) static void fault_setup_once(void)
{
    pthread_once(&fault_once, fault_install_handlers);
    fault_install_altstack();
    fault_copy_ready = fault_altstack_done && fault_handlers_ready;
}

#ifdef FAULT_COPY_ASM
bool sim_safe_copy(void *dst, const void *src, size_t n)
{
    if (n == 0)
        return true;
    if (__builtin_expect(!fault_copy_ready, 0))
        fault_setup_once();
    return fault_copy_asm(dst, src, n);
}

bool sim_kernel_copy(void *dst, const void *src, size_t n)
{
    return fault_copy_asm(dst, src, n); /* n == 0 copies nothing */
}
#else
__attribute__((noinline)) bool sim_safe_copy(void *dst, const void *src,
                                             size_t n)
{
    if (n == 0)
        return true;
    if (__builtin_expect(!fault_copy_ready, 0))
        fault_setup_once();
    if (__builtin_setjmp(sim_tls.copy_jmp)) {
        sim_tls.copy_active = 0;
        return false;
    }
    sim_tls.copy_active = 1;
    __asm__ volatile("" ::: "memory");
    fault_copy_small_or_bytes(dst, src, n);
    __asm__ volatile("" ::: "memory");
    sim_tls.copy_active = 0;
    return true;
}

bool sim_kernel_copy(void *dst, const void *src, size_t n)
{
    return sim_safe_copy(dst, src, n);
}
#endif

/* ---- the handler -----------------------------------------------------------*/

static int fault_kind_of(int sig, const siginfo_t *si, const SimThread *t)
{
    switch (sig) {
    case SIGSEGV: {
        uintptr_t a = (uintptr_t)si->si_addr;
        uintptr_t lo = (uintptr_t)t->stack_lo;
        if (a < lo && lo - a <= t->stack_guard)
            return SIM_FAULT_STACK_OVERFLOW;
        return SIM_FAULT_SEGV;
    }
    case SIGBUS: return SIM_FAULT_BUS;
    case SIGILL: return SIM_FAULT_ILLEGAL;
    case SIGFPE: return SIM_FAULT_FPE;
    case SIGABRT: return SIM_FAULT_ABORT;
    case SIGTRAP: return SIM_FAULT_BREAKPOINT;
    default: return SIM_FAULT_BUDGET;
    }
}

const char *sim_fault_name(int kind)
{
    switch (kind) {
    case SIM_FAULT_SEGV: return "page fault";
    case SIM_FAULT_BUS: return "bus error";
    case SIM_FAULT_ILLEGAL: return "illegal instruction";
    case SIM_FAULT_FPE: return "division by zero";
    case SIM_FAULT_STACK_OVERFLOW: return "stack overflow";
    case SIM_FAULT_ABORT: return "abort";
    case SIM_FAULT_BUDGET: return "budget exceeded";
    case SIM_FAULT_BREAKPOINT: return "breakpoint";
    default: return "none";
    }
}

/* Case 2: send the faulting fiber to request_fault_entry. */
static void fault_contain(ucontext_t *uc, int kind, uintptr_t addr)
{
    SimThread *t = sim_tls.current;
    SimEngine *e = t->engine;
    t->fault_kind = (uint8_t)kind;
    t->fault_addr = addr;
    t->fault_sp = fault_sp(uc);
    sim_tls.in_app = 0;
    uc->uc_sigmask = e->app_mask;
    fault_redirect(uc, request_fault_entry,
                   (uintptr_t)e->emergency + e->emergency_size);
}

static void fault_write(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

static const char *fault_signame(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    case SIGTRAP: return "SIGTRAP";
    default: return "signal";
    }
}

/* Case 3: a fault on the engine's side is a simulator bug. */
__attribute__((noreturn)) static void fault_report_bug(int sig, siginfo_t *si,
                                                      ucontext_t *uc)
{
    SimEngine *e = sim_tls.engine;
    SimThread *t = e->caller ? e->caller : sim_tls.current;
    uintptr_t pc = fault_pc(uc);
    Dl_info di;
    memset(&di, 0, sizeof di);
    dladdr((void *)pc, &di);
    char buf[1024];
    snprintf(buf, sizeof buf,
             "capsim: simulator bug: %s at address %p, pc %#" PRIxPTR
             " (%s+%#" PRIxPTR " in %s; addr2line -f -e %s %#" PRIxPTR ")\n"
             "  virtual time %" PRId64 " ns, cpu %d, thread %" PRIu64
             " '%s', %s\n",
             fault_signame(sig), si->si_addr, pc,
             di.dli_sname ? di.dli_sname : "?",
             di.dli_saddr ? pc - (uintptr_t)di.dli_saddr : 0,
             di.dli_fname ? di.dli_fname : "?",
             di.dli_fname ? di.dli_fname : "?",
             di.dli_fbase ? pc - (uintptr_t)di.dli_fbase : pc, e->now,
             e->cur_cpu ? e->cur_cpu->index : -1, t ? t->id : 0,
             t ? t->name : "", e->in_request ? "inside the hook"
                                             : "in the engine");
    fault_write(buf);
    void *frames[64];
    int n = backtrace(frames, 64);
    backtrace_symbols_fd(frames, n, 2);
    signal(SIGABRT, SIG_DFL);
    signal(sig, SIG_DFL);
    abort();
}

static void fault_chain(int sig, siginfo_t *si, void *ucv)
{
    for (int i = 0; i < FAULT_NSIG; i++) {
        if (fault_signals[i] != sig)
            continue;
        struct sigaction *o = &fault_old[i];
        if ((o->sa_flags & SA_SIGINFO) && o->sa_sigaction) {
            o->sa_sigaction(sig, si, ucv);
        } else if (o->sa_handler == SIG_IGN) {
            return;
        } else if (o->sa_handler != SIG_DFL && o->sa_handler) {
            o->sa_handler(sig);
        } else {
            signal(sig, SIG_DFL); /* returning re-raises (or abort goes on) */
        }
        return;
    }
}

static void fault_budget_tick(ucontext_t *uc)
{
    SimEngine *e = sim_tls.engine;
    if (!e || !sim_tls.in_app || !sim_tls.current) {
        sim_tls.budget_ticks = 0;
        return;
    }
    if (sim_tls.budget_seen != e->dispatches || !sim_tls.budget_ticks) {
        sim_tls.budget_seen = e->dispatches;
        sim_tls.budget_ticks = 1;
        return;
    }
    if (++sim_tls.budget_ticks > 4)
        fault_contain(uc, SIM_FAULT_BUDGET, 0);
}

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    int saved_errno = errno;
    if (sig == FAULT_BUDGET_SIGNAL) {
        if (sim_tls.engine)
            fault_budget_tick(uc);
        else
            fault_chain(sig, si, ucv);
#ifdef FAULT_COPY_ASM
    } else if ((sig == SIGSEGV || sig == SIGBUS) &&
               fault_pc(uc) >= (uintptr_t)fault_copy_asm &&
               fault_pc(uc) < (uintptr_t)fault_copy_asm_end) {
        /* the copy has no frame: returning from the landing returns 0 */
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)fault_copy_asm_fail;
#endif
    } else if (sim_tls.copy_active && (sig == SIGSEGV || sig == SIGBUS)) {
        sim_tls.copy_active = 0;
        fault_redirect(uc, fault_copy_landing, fault_sp(uc) - 256);
#ifdef FAULT_CAN_REDIRECT
    } else if (sim_tls.in_app && sim_tls.current) {
        /* si_addr means nothing for SIGABRT (it overlaps si_pid). */
        fault_contain(uc, fault_kind_of(sig, si, sim_tls.current),
                      sig == SIGABRT ? 0 : (uintptr_t)si->si_addr);
#endif
    } else if (sim_tls.engine && !fault_dying) {
        fault_report_bug(sig, si, uc);
    } else {
        fault_chain(sig, si, ucv);
    }
    errno = saved_errno;
}

/* ---- installation ----------------------------------------------------------*/

static void fault_install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < FAULT_NSIG; i++)
        sigaction(fault_signals[i], &sa, &fault_old[i]);
    fault_handlers_ready = true;
}

static void fault_install_altstack(void)
{
    if (fault_altstack_done)
        return;
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) &&
        cur.ss_size >= FAULT_ALTSTACK_SIZE) {
        fault_altstack_done = true;
        return;
    }
    void *p = mmap(NULL, FAULT_ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    stack_t ss = { .ss_sp = p, .ss_size = FAULT_ALTSTACK_SIZE, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL) == 0)
        fault_altstack_done = true; /* kept for the host thread's lifetime */
}

void fault_engine_init(SimEngine *e)
{
    fault_setup_once();
    e->emergency_size = FAULT_EMERGENCY_SIZE;
    e->emergency = mmap(NULL, e->emergency_size, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SIM_CHECK(e->emergency != MAP_FAILED, "cannot map the emergency stack");
}

void fault_engine_free(SimEngine *e)
{
    if (e->budget_timer_ok)
        timer_delete(e->budget_timer);
    e->budget_timer_ok = false;
    if (e->emergency && e->emergency != MAP_FAILED)
        fiber_stack_unmap(e->emergency, e->emergency_size);
    e->emergency = NULL;
}

static void fault_budget_arm(SimEngine *e, uint64_t ns)
{
    if (!e->budget_timer_ok) {
        struct sigevent sev;
        memset(&sev, 0, sizeof sev);
        sev.sigev_notify = SIGEV_THREAD_ID;
        sev.sigev_signo = FAULT_BUDGET_SIGNAL;
#ifdef sigev_notify_thread_id
        sev.sigev_notify_thread_id = gettid();
#else
        sev._sigev_un._tid = gettid();
#endif
        if (timer_create(CLOCK_MONOTONIC, &sev, &e->budget_timer) != 0)
            return;
        e->budget_timer_ok = true;
    }
    uint64_t tick = ns / 4 > 100000 ? ns / 4 : 100000;
    struct itimerspec its;
    its.it_interval.tv_sec = (time_t)(tick / 1000000000u);
    its.it_interval.tv_nsec = (long)(tick % 1000000000u);
    its.it_value = its.it_interval;
    timer_settime(e->budget_timer, 0, &its, NULL);
}

void fault_run_begin(SimEngine *e)
{
    /* A run may start on another host thread than the engine's creation:
     * give that thread its alternate stack too (sim_kernel_copy relies on
     * this). */
    fault_setup_once();
    /* The mask app faults are restored to (an app may block signals). */
    pthread_sigmask(SIG_SETMASK, NULL, &e->app_mask);
    sim_tls.budget_ticks = 0;
    if (e->cfg.budget_ns)
        fault_budget_arm(e, e->cfg.budget_ns);
}

void fault_run_end(SimEngine *e)
{
    if (e->cfg.budget_ns && e->budget_timer_ok) {
        struct itimerspec off;
        memset(&off, 0, sizeof off);
        timer_settime(e->budget_timer, 0, &off, NULL);
    }
}
