/*
 * safe_syscall_base(pending, nr, a1..a6): a host system call that a guest
 * signal cannot slip past.  If *pending is set before the syscall
 * instruction, or a host signal arrives while the kernel blocks in it
 * (the handlers use SA_RESTART, so the kernel rewinds rip to the
 * syscall instruction before running the handler), the host signal
 * handler finds rip inside [safe_syscall_start, safe_syscall_end) and
 * moves it to safe_syscall_interrupted, which returns -USER_ERESTARTSYS
 * (512): the guest signal is then delivered and the guest syscall
 * restarted or failed with EINTR as the guest's handler flags say.  This
 * is the scheme of QEMU's common-user/host/x86_64/safe-syscall.inc.S.
 *
 * In:  rdi = pending (int *), rsi = nr, rdx, rcx, r8, r9, [rsp+8], [rsp+16]
 * Out: rax = result or -errno.
 */
    .text
    .global safe_syscall_base
    .global safe_syscall_start
    .global safe_syscall_end
    .global safe_syscall_interrupted
    .type safe_syscall_base, @function
safe_syscall_base:
    .cfi_startproc
    push %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbp, 0
    mov %rdi, %rbp
    mov %rsi, %rax
    mov %rdx, %rdi
    mov %rcx, %rsi
    mov %r8, %rdx
    mov %r9, %r10
    mov 16(%rsp), %r8
    mov 24(%rsp), %r9
safe_syscall_start:
    cmpl $0, (%rbp)
    jnz safe_syscall_interrupted
    syscall
safe_syscall_end:
    pop %rbp
    .cfi_remember_state
    .cfi_adjust_cfa_offset -8
    .cfi_restore %rbp
    ret
    .cfi_restore_state
safe_syscall_interrupted:
    mov $-512, %rax
    pop %rbp
    .cfi_adjust_cfa_offset -8
    .cfi_restore %rbp
    ret
    .cfi_endproc
    .size safe_syscall_base, .-safe_syscall_base

    .section .note.GNU-stack, "", @progbits
