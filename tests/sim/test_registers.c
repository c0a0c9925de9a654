/* test_registers.c — every register the C calling convention says a call
 * preserves survives a trip through the engine: a yield, a kernel entry,
 * a sleep, with other threads running (and scribbling their own values
 * into the same registers) in between.
 *
 * A compiler keeps values in callee-saved registers across calls, so a
 * switch that loses one corrupts an app only now and then, far from the
 * cause. The probe is assembly because C cannot pin values in registers:
 * register_probe(fn, arg, salt) loads salt + k into callee-saved register
 * k (x86-64: rbx rbp r12-r15; AArch64: x19-x28 and d8-d15, whose low 64
 * bits AAPCS64 preserves), calls fn(arg), and returns a bit mask of the
 * registers that no longer hold their value (0: all kept). Each thread
 * uses its own salt, so a switch that restores another thread's frame is
 * caught too. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "helpers.h"

#if defined(__x86_64__) || defined(__aarch64__)

uint64_t register_probe(void (*fn)(void *), void *arg, uint64_t salt);
/* Breaks the convention on purpose, for the probe's own test. Global
 * (hidden) symbols: AArch64's GOT cannot address a local one plus offset. */
void register_clobber(void *arg);

#if defined(__x86_64__)
/* rdi = fn, rsi = arg, rdx = salt. Six registers: bits 0-5. */
__asm__(".text\n"
        ".globl register_probe\n.hidden register_probe\n"
        ".type register_probe,@function\n"
        "register_probe:\n"
        "  pushq %rbp\n  pushq %rbx\n  pushq %r12\n  pushq %r13\n"
        "  pushq %r14\n  pushq %r15\n"
        "  pushq %rdx\n" /* salt, and rsp 16-byte aligned for the call */
        "  leaq 1(%rdx), %rbx\n  leaq 2(%rdx), %rbp\n"
        "  leaq 3(%rdx), %r12\n  leaq 4(%rdx), %r13\n"
        "  leaq 5(%rdx), %r14\n  leaq 6(%rdx), %r15\n"
        "  movq %rdi, %rax\n  movq %rsi, %rdi\n  call *%rax\n"
        "  popq %rdx\n  xorl %eax, %eax\n"
        "  leaq 1(%rdx), %rcx\n  cmpq %rcx, %rbx\n  je 1f\n  orl $1, %eax\n1:\n"
        "  leaq 2(%rdx), %rcx\n  cmpq %rcx, %rbp\n  je 1f\n  orl $2, %eax\n1:\n"
        "  leaq 3(%rdx), %rcx\n  cmpq %rcx, %r12\n  je 1f\n  orl $4, %eax\n1:\n"
        "  leaq 4(%rdx), %rcx\n  cmpq %rcx, %r13\n  je 1f\n  orl $8, %eax\n1:\n"
        "  leaq 5(%rdx), %rcx\n  cmpq %rcx, %r14\n  je 1f\n  orl $16, %eax\n1:\n"
        "  leaq 6(%rdx), %rcx\n  cmpq %rcx, %r15\n  je 1f\n  orl $32, %eax\n1:\n"
        "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n"
        "  popq %rbx\n  popq %rbp\n  ret\n"
        ".size register_probe,.-register_probe\n");
__asm__(".text\n"
        ".globl register_clobber\n.hidden register_clobber\n"
        ".type register_clobber,@function\n"
        "register_clobber:\n  notq %rbx\n  notq %r15\n  ret\n"
        ".size register_clobber,.-register_clobber\n");
#define PROBE_REGISTERS 6
#else
/* x0 = fn, x1 = arg, x2 = salt. x19-x28: bits 0-9; d8-d15: bits 10-17.
 * The salt stays in the frame (x2 is not preserved by fn). */
#define PROBE_CHECK_X(reg, k)                                                  \
    "  add x10, x9, #" #k "\n  cmp " #reg ", x10\n  b.eq 1f\n"                 \
    "  orr x0, x0, #(1 << " #k ")\n1:\n"
#define PROBE_CHECK_D(reg, k)                                                  \
    "  add x10, x9, #" #k "\n  fmov x11, " #reg "\n  cmp x11, x10\n"           \
    "  b.eq 1f\n  orr x0, x0, #(1 << " #k ")\n1:\n"
__asm__(".text\n"
        ".globl register_probe\n.hidden register_probe\n"
        ".type register_probe,%function\n"
        "register_probe:\n"
        "  stp x29, x30, [sp, #-176]!\n  mov x29, sp\n"
        "  stp x19, x20, [sp, #16]\n  stp x21, x22, [sp, #32]\n"
        "  stp x23, x24, [sp, #48]\n  stp x25, x26, [sp, #64]\n"
        "  stp x27, x28, [sp, #80]\n  stp d8, d9, [sp, #96]\n"
        "  stp d10, d11, [sp, #112]\n  stp d12, d13, [sp, #128]\n"
        "  stp d14, d15, [sp, #144]\n  str x2, [sp, #160]\n"
        "  add x19, x2, #0\n  add x20, x2, #1\n  add x21, x2, #2\n"
        "  add x22, x2, #3\n  add x23, x2, #4\n  add x24, x2, #5\n"
        "  add x25, x2, #6\n  add x26, x2, #7\n  add x27, x2, #8\n"
        "  add x28, x2, #9\n"
        "  add x9, x2, #10\n  fmov d8, x9\n  add x9, x2, #11\n  fmov d9, x9\n"
        "  add x9, x2, #12\n  fmov d10, x9\n  add x9, x2, #13\n  fmov d11, x9\n"
        "  add x9, x2, #14\n  fmov d12, x9\n  add x9, x2, #15\n  fmov d13, x9\n"
        "  add x9, x2, #16\n  fmov d14, x9\n  add x9, x2, #17\n  fmov d15, x9\n"
        "  mov x9, x0\n  mov x0, x1\n  blr x9\n"
        "  ldr x9, [sp, #160]\n  mov x0, #0\n"
        PROBE_CHECK_X(x19, 0) PROBE_CHECK_X(x20, 1) PROBE_CHECK_X(x21, 2)
        PROBE_CHECK_X(x22, 3) PROBE_CHECK_X(x23, 4) PROBE_CHECK_X(x24, 5)
        PROBE_CHECK_X(x25, 6) PROBE_CHECK_X(x26, 7) PROBE_CHECK_X(x27, 8)
        PROBE_CHECK_X(x28, 9)
        PROBE_CHECK_D(d8, 10) PROBE_CHECK_D(d9, 11) PROBE_CHECK_D(d10, 12)
        PROBE_CHECK_D(d11, 13) PROBE_CHECK_D(d12, 14) PROBE_CHECK_D(d13, 15)
        PROBE_CHECK_D(d14, 16) PROBE_CHECK_D(d15, 17)
        "  ldp x19, x20, [sp, #16]\n  ldp x21, x22, [sp, #32]\n"
        "  ldp x23, x24, [sp, #48]\n  ldp x25, x26, [sp, #64]\n"
        "  ldp x27, x28, [sp, #80]\n  ldp d8, d9, [sp, #96]\n"
        "  ldp d10, d11, [sp, #112]\n  ldp d12, d13, [sp, #128]\n"
        "  ldp d14, d15, [sp, #144]\n"
        "  ldp x29, x30, [sp], #176\n  ret\n"
        ".size register_probe,.-register_probe\n");
__asm__(".text\n"
        ".globl register_clobber\n.hidden register_clobber\n"
        ".type register_clobber,%function\n"
        "register_clobber:\n  mvn x19, x19\n  fneg d15, d15\n  ret\n"
        ".size register_clobber,.-register_clobber\n");
#define PROBE_REGISTERS 18
#endif

static void keep_registers(void *arg)
{
    (void)arg;
}

#define PROBE_THREADS 8
static uint64_t lost[PROBE_THREADS];
static int probes_done;

/* Between loading and checking: every way a thread leaves the CPU. */
static void leave_the_cpu(void *arg)
{
    for (int i = 0; i < 3; i++) {
        sim_yield();
        t_call(OP_NOP, 0, 0);
        t_call(OP_SLEEP, 1000 * (i + 1), 0);
    }
}

static void probing_thread(void *arg)
{
    int k = (int)(intptr_t)arg;
    /* Distinct salts far apart: no thread's value is another's. */
    lost[k] = register_probe(leave_the_cpu, NULL,
                             UINT64_C(0x5a5a000000000000) + (uint64_t)k * 0x10000);
    probes_done++;
}

static void run_probes(int cpus, SimStrategy strategy, uint64_t seed)
{
    SimEngine *e = t_engine(cpus, strategy, seed);
    memset(lost, 0xff, sizeof lost);
    probes_done = 0;
    for (int k = 0; k < PROBE_THREADS; k++)
        t_spawn(e, probing_thread, (void *)(intptr_t)k, "probe");
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(probes_done, PROBE_THREADS);
    for (int k = 0; k < PROBE_THREADS; k++)
        cr_expect_eq(lost[k], 0,
                     "thread %d lost callee-saved registers (mask %#llx of "
                     "%d registers) on %d CPU(s)", k,
                     (unsigned long long)lost[k], PROBE_REGISTERS, cpus);
    sim_engine_free(e);
}

Test(registers, the_probe_sees_a_clobbered_register)
{
    /* The probe can fail: a callee that breaks the convention on purpose
     * (register_clobber changes the first and the last probed register)
     * is reported, and only those bits. */
    cr_assert_eq(register_probe(register_clobber, NULL, 0x1000),
                 (UINT64_C(1) << 0) | (UINT64_C(1) << (PROBE_REGISTERS - 1)));
    cr_assert_eq(register_probe(keep_registers, NULL, 0x1000), 0);
}

Test(registers, callee_saved_survive_yield_kernel_entry_and_sleep)
{
    run_probes(1, SIM_STRATEGY_FIFO, 1);
}

Test(registers, callee_saved_survive_on_many_cpus_in_random_order)
{
    run_probes(4, SIM_STRATEGY_RANDOM, 7);
    run_probes(3, SIM_STRATEGY_PCT, 11);
}

#endif
