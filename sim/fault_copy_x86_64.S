/* fault_copy_x86_64.S — the copy behind sim_safe_copy on x86-64.
 *
 * bool fault_copy_asm(void *dst, const void *src, size_t n)
 *   Copies n bytes (none for n == 0) and returns 1. It touches no stack and saves nothing,
 *   so when a load or store here faults, the signal handler (fault.c) only
 *   has to move the PC to fault_copy_asm_fail, which returns 0 to the
 *   caller (the "exception table" of real kernels). That replaces a
 *   __builtin_setjmp per copy (six callee-saved registers pushed and
 *   popped): syscalls copy a handle or a count several times each.
 *   4- and 8-byte copies are one load and one store; the rest is
 *   `rep movsb` (fast-string moves on current x86-64 cores).
 *
 * Everything from fault_copy_asm up to fault_copy_asm_end may fault.
 */
    .text
    .globl fault_copy_asm
    .hidden fault_copy_asm
    .globl fault_copy_asm_end
    .hidden fault_copy_asm_end
    .globl fault_copy_asm_fail
    .hidden fault_copy_asm_fail
    .type fault_copy_asm, @function
    .p2align 4
fault_copy_asm:
    .cfi_startproc
    cmpq $8, %rdx
    jne 1f
    movq (%rsi), %rax
    movq %rax, (%rdi)
    movl $1, %eax
    ret
1:  cmpq $4, %rdx
    jne 2f
    movl (%rsi), %eax
    movl %eax, (%rdi)
    movl $1, %eax
    ret
2:  movq %rdx, %rcx
    rep movsb
    movl $1, %eax
    ret
fault_copy_asm_end:
fault_copy_asm_fail:
    xorl %eax, %eax
    ret
    .cfi_endproc
    .size fault_copy_asm, .-fault_copy_asm

    .section .note.GNU-stack,"",@progbits
