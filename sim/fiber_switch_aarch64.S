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
 * It mirrors the x86-64 switch; the engine's kernel entries and yields go
 * through the portable path (request.c) here. tests/cross/ runs the engine
 * suite on it under qemu-user, including tests/sim/test_registers.c, which
 * checks every register this frame saves.
 */
    .text
    .globl fiber_switch_asm
    .hidden fiber_switch_asm
    .type fiber_switch_asm, %function
    .p2align 4
fiber_switch_asm:
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
    mov x10, sp
    str x10, [x0]
    mov sp, x1
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
    .size fiber_switch_asm, .-fiber_switch_asm

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
