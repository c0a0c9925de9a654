/* fiber_switch_x86_64.S — the x86-64 (System V) green-thread switch.
 *
 * void fiber_switch_asm(void **save_sp, void *to_sp)
 *   Pushes the callee-saved registers (rbp rbx r12-r15) and one word holding
 *   MXCSR (bytes 0-3), the x87 control word (bytes 4-5) and the x87
 *   exception flags (byte 6: the status word's low byte), stores rsp in
 *   *save_sp, loads to_sp and pops the same frame, then `ret`s into the
 *   resumed context. The floating-point state is reloaded only when it
 *   differs from the outgoing context's (ldmxcsr/fldcw/fldenv cost more
 *   than the compare), so the common switch is 7 pushes, 7 pops and a ret.
 *   Exception flags are per fiber, like errno: fetestexcept reads both
 *   MXCSR's and the x87 status word's.
 *
 * A new fiber's stack is prepared by fiber_make (fiber.c) so that the first
 * switch "returns" into fiber_entry_asm with r12 = entry, r13 = arg.
 */
/* The switching frame, one layout for every routine that saves or resumes
 * a context: the callee-saved registers, then one word with MXCSR (bytes
 * 0-3), the x87 control word (bytes 4-5) and the x87 status word (bytes
 * 6-7, of which only the low byte, the exception flags, is restored) at
 * the lowest address. */
.macro PUSH_SWITCH_FRAME
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    SAVE_FP_WORD
.endm

/* Below rsp: the floating-point word of a switching frame. */
.macro SAVE_FP_WORD
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    fnstsw 6(%rsp)
.endm

/* The current floating-point word, just saved at rsp, into the registers
 * RESUME_SWITCH_FRAME compares: each field with the width it was stored
 * with, so the loads are store-forwarded (a wider load over two stores
 * stalls). */
.macro LOAD_FP_WORD
    movl (%rsp), %eax
    movzwl 4(%rsp), %ecx
    movzbl 6(%rsp), %edx
.endm

.macro POP_SWITCH_FRAME_AND_RET
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
.endm

/* Resume the switching frame at rsp, given the current MXCSR in eax, x87
 * control word in cx and x87 exception flags in dl: the frame's are loaded
 * only if they differ. The x87 flags can only be set through a whole
 * environment (fldenv), so that slower path is taken only when they
 * differ: the current environment is stored in the red zone below the
 * frame, the frame's control word and flags are patched in, and it is
 * loaded back. */
.macro RESUME_SWITCH_FRAME
    cmpl (%rsp), %eax
    jne 2f
    cmpw 4(%rsp), %cx
    jne 2f
    cmpb 6(%rsp), %dl
    jne 2f
1:  POP_SWITCH_FRAME_AND_RET
2:  ldmxcsr (%rsp)
    cmpb 6(%rsp), %dl
    jne 3f
    fldcw 4(%rsp)
    jmp 1b
3:  fnstenv -32(%rsp)
    movzwl 4(%rsp), %ecx
    movw %cx, -32(%rsp)      /* the environment's control word */
    movb 6(%rsp), %dl
    movb %dl, -28(%rsp)      /* its status word's exception flags */
    fldenv -32(%rsp)
    jmp 1b
.endm

    .text
    .globl fiber_switch_asm
    .hidden fiber_switch_asm
    .type fiber_switch_asm, @function
    .p2align 4
fiber_switch_asm:
    .cfi_startproc
    PUSH_SWITCH_FRAME
    LOAD_FP_WORD
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    RESUME_SWITCH_FRAME
    .cfi_endproc
    .size fiber_switch_asm, .-fiber_switch_asm

/* void fiber_resume_asm(void *to_sp)
 *   Resumes a suspended context without saving the current one: the
 *   frames left behind are abandoned (engine_kcall's hand-off to another
 *   thread or to the engine context, whose caller fiber_kcall already
 *   saved). The floating-point control state is reloaded only when it
 *   differs from the current one, as in fiber_switch_asm.
 */
    .globl fiber_resume_asm
    .hidden fiber_resume_asm
    .type fiber_resume_asm, @function
    .p2align 4
fiber_resume_asm:
    .cfi_startproc
    SAVE_FP_WORD
    LOAD_FP_WORD
    movq %rdi, %rsp
    RESUME_SWITCH_FRAME
    .cfi_endproc
    .size fiber_resume_asm, .-fiber_resume_asm

/* void fiber_kcall(void **save_sp, void *engine_sp, void (*fn)(void *),
 *                  void *arg)
 *   A kernel entry without a second switch (request.c): saves the caller
 *   exactly as fiber_switch_asm would (so *save_sp is a suspended context
 *   that any later switch resumes, returning from fiber_kcall), then calls
 *   fn(arg) on the engine's stack just below the suspended engine frame at
 *   engine_sp, under the engine's MXCSR and x87 control word (loaded only
 *   when the app changed a control bit, then restored on return; the
 *   exception flags stay the app's, as in a real kernel). If fn returns, the saved context is resumed at once: call and ret stay
 *   paired, so the return-stack predictor is never wrong. fn may instead
 *   switch elsewhere and never return; the frames it leaves on the engine
 *   stack are dead (the engine overwrites them when it resumes).
 */
    .globl fiber_kcall
    .hidden fiber_kcall
    .type fiber_kcall, @function
    .p2align 4
fiber_kcall:
    .cfi_startproc
    PUSH_SWITCH_FRAME
    movq %rsp, (%rdi)
    movq %rdi, %rbx          /* callee-saved: survive fn */
    movq %rdx, %r12
    movq %rcx, %r13
    xorl %r14d, %r14d        /* 1 if the engine's FP control was loaded */
    movl (%rsp), %eax        /* compare MXCSR's control bits only: its */
    xorl (%rsi), %eax        /* sticky exception flags (bits 0-5) are */
    testl $0xffc0, %eax      /* the app's, and engine code does no FP */
    jnz 3f
    movzwl 4(%rsp), %ecx
    cmpw 4(%rsi), %cx
    jne 3f
1:  leaq -128(%rsi), %rsp    /* the engine's stack, below its saved frame */
    andq $-16, %rsp
    .cfi_undefined rip       /* backtraces taken inside fn end here */
    movq %r13, %rdi
    call *%r12
    movq (%rbx), %rsp        /* fn returned: resume the saved context */
    testl %r14d, %r14d       /* engine code never changes FP control, so */
    jnz 4f                   /* it only needs restoring if loaded above */
2:  POP_SWITCH_FRAME_AND_RET
3:  ldmxcsr (%rsi)
    fldcw 4(%rsi)
    movl $1, %r14d
    jmp 1b
4:  ldmxcsr (%rsp)
    fldcw 4(%rsp)
    jmp 2b
    .cfi_endproc
    .size fiber_kcall, .-fiber_kcall

/* void fiber_yield_asm(void **save_sp, void *engine_sp,
 *                      void *(*fn)(void *), void *arg, int *errno_loc,
 *                      volatile int *in_app)
 *   A yield or preemption point (request.c) in the manner of fiber_kcall,
 *   tail-called from the app's call so that no engine frame stays on the
 *   suspended stack. Three words go above one ordinary switching frame:
 *   in_app, errno_loc and the app's errno. The switching frame's return
 *   address is the continuation below, so whoever resumes it (this routine
 *   in another thread, or any other switch) lands there: errno is put
 *   back, in_app set to 1, and it returns to the app. In between, fn(arg)
 *   runs on the engine's stack below its suspended frame, under the
 *   engine's floating-point control if the app changed it (as in
 *   fiber_kcall), and returns the saved stack pointer to resume. The
 *   frame is entered by a call, so when both sides suspended here the
 *   return-stack predictor is right twice: into the continuation, then
 *   into the app's call site.
 */
    .globl fiber_yield_asm
    .hidden fiber_yield_asm
    .type fiber_yield_asm, @function
    .p2align 4
fiber_yield_asm:
    .cfi_startproc
    movl $0, (%r9)           /* engine code from here (fault.c asks) */
    pushq %r9                /* in_app */
    .cfi_adjust_cfa_offset 8
    pushq %r8                /* errno_loc */
    .cfi_adjust_cfa_offset 8
    movl (%r8), %eax
    pushq %rax               /* the app's errno */
    .cfi_adjust_cfa_offset 8
    call .Lyield_save
    /* The continuation: this thread was resumed. */
    popq %rax
    .cfi_adjust_cfa_offset -8
    popq %rdx
    .cfi_adjust_cfa_offset -8
    movl %eax, (%rdx)
    popq %rdx
    .cfi_adjust_cfa_offset -8
    movl $1, (%rdx)
    ret
.Lyield_save:
    .cfi_adjust_cfa_offset 32
    PUSH_SWITCH_FRAME
    movq %rsp, (%rdi)
    movq %rsi, %rbx          /* callee-saved from here: the caller's */
    movq %rdx, %r12          /* values are in the frame just pushed */
    movq %rcx, %r13
    xorl %r14d, %r14d        /* 1 if the engine's FP control was loaded */
    movl (%rsp), %r15d       /* the app's MXCSR, and x87 control word */
    movzwl 4(%rsp), %ebp     /* with the exception flags above it */
    movzbl 6(%rsp), %eax
    shll $16, %eax
    orl %eax, %ebp
    movl %r15d, %eax         /* compare MXCSR's control bits only (see */
    xorl (%rsi), %eax        /* fiber_kcall) */
    testl $0xffc0, %eax
    jnz .Lyield_engine_fp
    cmpw 4(%rsi), %bp
    jne .Lyield_engine_fp
.Lyield_call:
    leaq -128(%rbx), %rsp    /* the engine's stack, below its saved frame */
    andq $-16, %rsp
    .cfi_undefined rip       /* backtraces taken inside fn end here */
    movq %r13, %rdi
    call *%r12
    movq %rax, %rsp          /* the context to resume */
    movl %r15d, %eax         /* the FP control now in force */
    movl %ebp, %ecx
    movl %ebp, %edx          /* the x87 flags: still the app's */
    shrl $16, %edx
    testl %r14d, %r14d
    jnz .Lyield_engine_fp_now
.Lyield_resume:
    RESUME_SWITCH_FRAME
.Lyield_engine_fp:
    ldmxcsr (%rbx)
    fldcw 4(%rbx)
    movl $1, %r14d
    jmp .Lyield_call
.Lyield_engine_fp_now:
    movl (%rbx), %eax
    movzwl 4(%rbx), %ecx
    jmp .Lyield_resume
    .cfi_endproc
    .size fiber_yield_asm, .-fiber_yield_asm

    .globl fiber_entry_asm
    .hidden fiber_entry_asm
    .type fiber_entry_asm, @function
    .p2align 4
fiber_entry_asm:
    /* Reached by `ret` with rsp = top - 8 (as at a function entry). */
    .cfi_startproc
    .cfi_undefined rip
    xorl %ebp, %ebp
    pushq %rbp
    movq %r13, %rdi
    call *%r12
    ud2
    .cfi_endproc
    .size fiber_entry_asm, .-fiber_entry_asm

    .section .note.GNU-stack,"",@progbits
