/* fiber_switch_aarch64.S — the AArch64 (AAPCS64) green-thread switch.
 *
 * void fiber_switch_asm(void **save_sp, void *to_sp)
 *   Saves the callee-saved state AAPCS64 requires across a call: x19-x28,
 *   the frame pointer x29, the link register x30, the low 64 bits of v8-v15
 *   (d8-d15) and sp, plus the floating-point state a fiber owns: FPCR
 *   (control: rounding, flush-to-zero) and FPSR (the sticky exception
 *   flags fetestexcept reads), each reloaded only when it differs. 176-byte
 *   frame, 16-byte aligned: x19..x30 at [0,96), d8..d15 at [96,160), FPCR at
 *   160, FPSR at 168. It stores sp in *save_sp, loads to_sp, restores the
 *   same frame and returns through x30.
 *
 * A new fiber's frame (fiber_make in fiber.c) has x30 = fiber_entry_asm,
 * x19 = entry, x20 = arg, x29 = 0, FPCR = 0 (the Linux default) and
 * FPSR = 0 (no exception raised yet).
 * It mirrors the x86-64 file routine by routine: the switch, resuming
 * without saving, the kernel entry on the engine's stack (fiber_kcall)
 * and the yield (fiber_yield_asm); their contracts are in fiber.h.
 * tests/cross/ runs the engine suite on it under qemu-user, including
 * tests/sim/test_registers.c, which checks every register the frame saves.
 */
/* Push a switching frame: the callee-saved registers, then FPCR and FPSR
 * (left in x9 and x11 for the caller's comparisons). */
.macro PUSH_SWITCH_FRAME
    sub sp, sp, #176
    stp x19, x20, [sp, #0]
    stp x21, x22, [sp, #16]
    stp x23, x24, [sp, #32]
    stp x25, x26, [sp, #48]
    stp x27, x28, [sp, #64]
    stp x29, x30, [sp, #80]
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    mrs x9, fpcr
    mrs x11, fpsr
    stp x9, x11, [sp, #160]
.endm

/* Resume the switching frame at sp, given the FPCR in force in x9 and the
 * FPSR in x11: the frame's are written only when they differ. */
.macro RESUME_SWITCH_FRAME
    ldp x10, x12, [sp, #160]
    cmp x9, x10
    b.eq 1f
    msr fpcr, x10
1:  cmp x11, x12
    b.eq 2f
    msr fpsr, x12
2:  ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    add sp, sp, #176
    ret
.endm

/* On the engine's stack below its suspended frame at `reg` (the same
 * margin as on x86-64), 16-byte aligned. */
.macro ENTER_ENGINE_STACK reg
    sub x10, \reg, #128
    and x10, x10, #-16
    mov sp, x10
.endm

    .text
    .globl fiber_switch_asm
    .hidden fiber_switch_asm
    .type fiber_switch_asm, %function
    .p2align 4
fiber_switch_asm:
    PUSH_SWITCH_FRAME
    mov x10, sp
    str x10, [x0]
    mov sp, x1
    RESUME_SWITCH_FRAME
    .size fiber_switch_asm, .-fiber_switch_asm

/* void fiber_resume_asm(void *to_sp): resumes a suspended context without
 * saving the current one (as on x86-64). */
    .globl fiber_resume_asm
    .hidden fiber_resume_asm
    .type fiber_resume_asm, %function
    .p2align 4
fiber_resume_asm:
    mrs x9, fpcr
    mrs x11, fpsr
    mov sp, x0
    RESUME_SWITCH_FRAME
    .size fiber_resume_asm, .-fiber_resume_asm

/* void fiber_kcall(void **save_sp, void *engine_sp, void (*fn)(void *),
 *                  void *arg)
 *   As on x86-64: saves the caller as fiber_switch_asm would, runs fn(arg)
 *   on the engine's stack below the suspended engine frame at engine_sp,
 *   under the engine's FPCR (written only when the app's differs, then put
 *   back); FPSR, the exception flags, stays the app's. If fn returns, the
 *   saved context resumes at once; fn may instead switch elsewhere.
 */
    .globl fiber_kcall
    .hidden fiber_kcall
    .type fiber_kcall, %function
    .p2align 4
fiber_kcall:
    .cfi_startproc
    PUSH_SWITCH_FRAME
    mov x10, sp
    str x10, [x0]
    mov x19, x0              /* callee-saved from here: the caller's */
    ldr x12, [x1, #160]      /* values are in the frame just pushed */
    cmp x9, x12
    b.eq 1f
    msr fpcr, x12
1:  ENTER_ENGINE_STACK x1
    .cfi_undefined x30       /* backtraces taken inside fn end here */
    mov x0, x3
    blr x2
    ldr x10, [x19]           /* fn returned: resume the saved context, */
    mov sp, x10              /* its FPCR back if the engine's was loaded */
    mrs x9, fpcr
    mrs x11, fpsr
    RESUME_SWITCH_FRAME
    .cfi_endproc
    .size fiber_kcall, .-fiber_kcall

/* void fiber_yield_asm(void **save_sp, void *engine_sp,
 *                      void *(*fn)(void *), void *arg, int *errno_loc,
 *                      volatile int *in_app)
 *   As on x86-64: in_app is cleared first; the caller's frame pointer and
 *   link register, errno_loc, in_app and the app's errno go in a 48-byte
 *   block above one switching frame, whose x30 is the continuation below;
 *   fn(arg) runs on the engine's stack (under the engine's FPCR if the
 *   app's differs) and returns the saved stack pointer to resume. The
 *   continuation puts errno back, sets in_app to 1 and returns to the app.
 */
    .globl fiber_yield_asm
    .hidden fiber_yield_asm
    .type fiber_yield_asm, %function
    .p2align 4
fiber_yield_asm:
    .cfi_startproc
    str wzr, [x5]            /* engine code from here (fault.c asks) */
    stp x29, x30, [sp, #-48]!
    .cfi_adjust_cfa_offset 48
    stp x4, x5, [sp, #16]    /* errno_loc, in_app */
    ldr w6, [x4]
    str x6, [sp, #32]        /* the app's errno */
    bl .Lyield_save
    /* The continuation: this thread was resumed. */
    ldp x4, x5, [sp, #16]
    ldr x6, [sp, #32]
    str w6, [x4]
    mov w7, #1
    str w7, [x5]
    ldp x29, x30, [sp], #48
    .cfi_adjust_cfa_offset -48
    ret
.Lyield_save:
    PUSH_SWITCH_FRAME
    mov x10, sp
    str x10, [x0]
    mov x19, x1              /* callee-saved from here (see fiber_kcall) */
    ldr x12, [x1, #160]
    cmp x9, x12
    b.eq 1f
    msr fpcr, x12
1:  ENTER_ENGINE_STACK x19
    .cfi_undefined x30       /* backtraces taken inside fn end here */
    mov x0, x3
    blr x2
    mov sp, x0               /* the context to resume */
    mrs x9, fpcr             /* the FP state now in force */
    mrs x11, fpsr
    RESUME_SWITCH_FRAME
    .cfi_endproc
    .size fiber_yield_asm, .-fiber_yield_asm

    .globl fiber_entry_asm
    .hidden fiber_entry_asm
    .type fiber_entry_asm, %function
    .p2align 4
fiber_entry_asm:
    mov x29, #0
    mov x0, x20
    blr x19
    brk #0
    .size fiber_entry_asm, .-fiber_entry_asm

    .section .note.GNU-stack,"",%progbits
