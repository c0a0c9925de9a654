/* fiber_switch_x86_64.S — the x86-64 (System V) green-thread switch.
 *
 * void fiber_switch_asm(void **save_sp, void *to_sp)
 *   Pushes the callee-saved registers (rbp rbx r12-r15) and one word holding
 *   MXCSR (bytes 0-3) and the x87 control word (bytes 4-5), stores rsp in
 *   *save_sp, loads to_sp and pops the same frame, then `ret`s into the
 *   resumed context. The floating-point control state is reloaded only when
 *   it differs from the outgoing context's (ldmxcsr/fldcw cost more than the
 *   compare), so the common switch is 7 pushes, 7 pops and a ret.
 *
 * A new fiber's stack is prepared by fiber_make (fiber.c) so that the first
 * switch "returns" into fiber_entry_asm with r12 = entry, r13 = arg.
 */
    .text
    .globl fiber_switch_asm
    .hidden fiber_switch_asm
    .type fiber_switch_asm, @function
    .p2align 4
fiber_switch_asm:
    .cfi_startproc
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    /* Reload each field with the width it was stored with, so the loads
     * are store-forwarded (an 8-byte load over the two stores stalls). */
    movl (%rsp), %eax
    movzwl 4(%rsp), %ecx
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    cmpl (%rsp), %eax
    jne 2f
    cmpw 4(%rsp), %cx
    jne 2f
1:  addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
2:  ldmxcsr (%rsp)
    fldcw 4(%rsp)
    jmp 1b
    .cfi_endproc
    .size fiber_switch_asm, .-fiber_switch_asm

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
