/*
 * Interrupt and trap state of the RISC-V hart, shared by cpu_helper.c
 * (trap entry, interrupt selection, xRET/WFI/SFENCE.VMA), csr.c (whose
 * writes to mip, mie, menvcfg and stimecmp change what is pending) and the
 * unit tests.  Privileged Architecture 20211203, sections 3.1.6-3.1.9,
 * 3.3 and 3.1.14 (and the Sstc extension for stimecmp).
 */
#ifndef MORPH_TARGET_RISCV_CPU_HELPER_H
#define MORPH_TARGET_RISCV_CPU_HELPER_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu.h"

/*
 * cs->exception_index of an interrupt: RISCV_EXCP_IRQ | its number.
 * Below EXCP_INTERRUPT, so the exec loop delivers it like an exception.
 */
#define RISCV_EXCP_IRQ 0x8000

/* mip as software reads it: the writable bits, the device lines and Sstc's STIP. */
uint64_t riscv_cpu_mip(const CPURISCVState *env);

/* Request or drop CPU_INTERRUPT_HARD after mip, mie or the lines changed. */
void riscv_cpu_update_irq(CPURISCVState *env);

/*
 * The interrupt the hart takes now (its number), or -1: pending and
 * enabled in mie, delegated or not by mideleg, enabled globally for the
 * mode it goes to, highest priority first (MEI, MSI, MTI, SEI, SSI, STI).
 */
int riscv_cpu_pending_irq(const CPURISCVState *env);

/*
 * Take a trap: to S-mode if the hart is in S or U and mideleg (async) or
 * medeleg delegates `cause`, else to M-mode.  Sets xcause, xepc (the
 * current pc), xtval, the xIE/xPIE/xPP stack, the privilege level and the
 * pc (xtvec; base + 4 * cause for interrupts in vectored mode).
 */
void riscv_cpu_trap_enter(CPURISCVState *env, uint64_t cause, bool async, uint64_t tval);

/* xepc as read: bit 0 is never set, bit 1 reads 0 while C is off (IALIGN 32). */
uint64_t riscv_xepc_read(const CPURISCVState *env, uint64_t epc);

/*
 * Sstc: set or clear STIP from time >= stimecmp (when menvcfg.STCE lets
 * stimecmp drive it) and arm the board's timer for the deadline.
 */
void riscv_stimecmp_update(CPURISCVState *env);

/* The effective privilege of data accesses (MPRV applies MPP to M-mode's loads and stores). */
int riscv_effective_priv(const CPURISCVState *env);

#endif
