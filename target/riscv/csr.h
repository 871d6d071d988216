/*
 * The CSR access contract between the translator (trans_rvzicsr.c.inc,
 * which calls helper_csrrw), the rest of morph (gdbstub, linux-user signal
 * frames) and the CSR implementation in csr.c.
 *
 * Source of truth: the Privileged Architecture 20211203, section 2.1 (CSR
 * address map: bits 11:10 = 3 means read-only, bits 9:8 the lowest
 * privilege that may access it) and the unprivileged ISA for fcsr and the
 * counters (Zicntr).
 *
 * csr.c holds the hart's CSRs as a table (number, name, predicate, read
 * and write functions); this interface is all the rest of morph uses.
 */
#ifndef MORPH_TARGET_RISCV_CSR_H
#define MORPH_TARGET_RISCV_CSR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cpu.h"

/*
 * Read-modify-write CSR `csrno` as the current privilege level may:
 *     *ret_value = old value  (when ret_value is not NULL)
 *     new = (old & ~write_mask) | (new_value & write_mask)
 * A zero write_mask is a pure read (no write side effects, and allowed on
 * read-only CSRs).  Returns RISCV_EXCP_NONE, or the exception to raise
 * (RISCV_EXCP_ILLEGAL_INST for a missing CSR or an access not permitted).
 */
RISCVException riscv_csrrw(CPURISCVState *env, int csrno, uint64_t *ret_value, uint64_t new_value,
                           uint64_t write_mask);

/* The same without privilege checks (the debugger's view). */
RISCVException riscv_csrrw_debug(CPURISCVState *env, int csrno, uint64_t *ret_value,
                                 uint64_t new_value, uint64_t write_mask);

/*
 * The name of CSR `csrno` ("mstatus"; a numbered one such as "pmpaddr12"
 * is formatted into buf), or NULL if the table has no such CSR.
 */
const char *riscv_csr_name(int csrno, char *buf, size_t len);

/* fcsr as a whole (frm << 5 | fflags), for signal frames and the debugger. */
uint32_t riscv_get_fcsr(const CPURISCVState *env);
void riscv_set_fcsr(CPURISCVState *env, uint32_t fcsr);

/* The host-derived counters behind cycle/instret and time (10 MHz timebase). */
uint64_t riscv_host_cycles(void);
uint64_t riscv_host_time(void);

#define RISCV_TIMEBASE_FREQ 10000000ull

#endif
