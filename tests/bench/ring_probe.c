/* ring_probe.c — a bare green-thread ring with the memory shape of a yield.
 *
 * Not the engine: a probe that answers "what does each cold line and each
 * stack page cost when N threads switch in a ring?", so the engine's yield
 * with 100k threads can be compared with the floor its memory layout sets.
 * N threads, each with a stack in its own slot of SLOT_KIB (one
 * MAP_NORESERVE region, so 272 = the engine's 256 KiB stack + 16 KiB guard,
 * 16 = the shared bare ring), and a 256-byte record per thread in one array
 * (like the engine's thread structs). Before each switch the running thread
 * reads STRUCT_LINES lines of the next thread's record (the first line holds
 * the saved stack pointer and is always read) and STACK_LINES lines of its
 * own frames above the switch frame (cold: last touched one round ago).
 * With AHEAD > 0 it also prefetches the record lines and the stack top of
 * the thread AHEAD places further on (the engine prefetches two ahead).
 *
 *   ring_probe N SLOT_KIB STRUCT_LINES STACK_LINES AHEAD [SWITCHES]
 *   ring_probe 100000 272 2 2 2     # the engine's yield, 100k threads
 *   ring_probe 100000 16 1 0 0      # the shared bare ring's shape
 *
 * Prints ns per switch. x86-64 only (its own 7-word switch frame, like the
 * engine's: MXCSR/x87 control word, loaded only when it differs, and the six
 * callee-saved registers).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#if defined(__x86_64__)

void probe_switch(void **save_sp, void *load_sp);
__asm__(".text\n"
        ".type probe_switch,@function\n"
        "probe_switch:\n"
        "  pushq %rbp\n  pushq %rbx\n  pushq %r12\n  pushq %r13\n"
        "  pushq %r14\n  pushq %r15\n  subq $8, %rsp\n"
        "  stmxcsr (%rsp)\n  fnstcw 4(%rsp)\n"
        "  movl (%rsp), %eax\n  movzwl 4(%rsp), %ecx\n"
        "  movq %rsp, (%rdi)\n  movq %rsi, %rsp\n"
        /* load the control words only when they differ (as the engine) */
        "  cmpl (%rsp), %eax\n  jne 2f\n  cmpw 4(%rsp), %cx\n  jne 2f\n"
        "1:\n  addq $8, %rsp\n"
        "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n"
        "  popq %rbx\n  popq %rbp\n  ret\n"
        "2:\n  ldmxcsr (%rsp)\n  fldcw 4(%rsp)\n  jmp 1b\n"
        ".size probe_switch,.-probe_switch\n");

typedef struct ProbeThread {
    void *sp;
    long line0[7];
    long rest[24]; /* lines 1-3 */
} ProbeThread;

static ProbeThread *threads;
static long nthreads, rounds, round_no, current;
static int struct_lines, stack_lines, ahead;
static void *main_sp;
static volatile long sink;

static double host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void ring_body(void)
{
    for (;;) {
        ProbeThread *me = &threads[current];
        long next = current + 1;
        if (next == nthreads) {
            next = 0;
            if (++round_no == rounds)
                probe_switch(&me->sp, main_sp);
        }
        ProbeThread *to = &threads[next];
        long s = 0;
        for (int i = 1; i < struct_lines; i++)
            s += ((volatile long *)to)[8 * i];
        const char *frame = __builtin_frame_address(0);
        for (int i = 0; i < stack_lines; i++)
            s += *(volatile const long *)(frame + 64 * i);
        if (ahead) {
            ProbeThread *p = &threads[(next + ahead) % nthreads];
            for (int i = 0; i < struct_lines; i++)
                __builtin_prefetch((const char *)p + 64 * i);
            const char *psp = p->sp;
            for (int i = 0; i <= stack_lines; i++)
                __builtin_prefetch(psp + 64 * i);
        }
        sink = s;
        current = next;
        probe_switch(&me->sp, to->sp);
    }
}

static void ring_entry(void)
{
    ring_body();
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: %s N SLOT_KIB STRUCT_LINES STACK_LINES AHEAD "
                        "[SWITCHES]\n", argv[0]);
        return 2;
    }
    nthreads = atol(argv[1]);
    size_t slot = (size_t)atol(argv[2]) * 1024;
    struct_lines = atoi(argv[3]);
    stack_lines = atoi(argv[4]);
    ahead = atoi(argv[5]);
    long total = argc > 6 ? atol(argv[6]) : 20000000;
    if (nthreads < 2 || slot < 16384 || struct_lines < 1 || struct_lines > 4 ||
        stack_lines < 0 || stack_lines > 8 || ahead < 0) {
        fprintf(stderr, "%s: N >= 2, SLOT_KIB >= 16, STRUCT_LINES 1-4, "
                        "STACK_LINES 0-8, AHEAD >= 0\n", argv[0]);
        return 2;
    }
    rounds = total / nthreads > 0 ? total / nthreads : 1;
    threads = aligned_alloc(64, sizeof(ProbeThread) * (size_t)nthreads);
    char *region = mmap(NULL, (size_t)nthreads * slot, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (!threads || region == MAP_FAILED) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    memset(threads, 0, sizeof(ProbeThread) * (size_t)nthreads);
    for (long i = 0; i < nthreads; i++) {
        void **sp = (void **)(region + (size_t)(i + 1) * slot);
        *--sp = NULL;                  /* alignment: entry sees rsp = 16n - 8 */
        *--sp = (void *)ring_entry;    /* return address of the first switch */
        for (int k = 0; k < 6; k++)
            *--sp = NULL;              /* callee-saved registers */
        uint64_t *ctl = (uint64_t *)--sp;
        *ctl = 0x1F80ull | (0x037Full << 32); /* MXCSR, x87 control word */
        threads[i].sp = sp;
    }
    double t0 = host_ns();
    probe_switch(&main_sp, threads[0].sp);
    double t1 = host_ns();
    printf("ring_probe threads=%ld slot_kib=%zu struct_lines=%d stack_lines=%d "
           "ahead=%d ns_per_switch=%.2f\n", nthreads, slot / 1024, struct_lines,
           stack_lines, ahead, (t1 - t0) / ((double)rounds * (double)nthreads));
    return 0;
}

#else

int main(void)
{
    fprintf(stderr, "ring_probe: x86-64 only\n");
    return 2;
}

#endif
