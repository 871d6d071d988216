/*
 * RISC-V architectural constants: CSR numbers, status register fields,
 * privilege levels and exception causes.
 *
 * Source of truth: the RISC-V Privileged Architecture (version 20211203,
 * chapters 2 "Control and Status Registers" and 3 "Machine-Level ISA") and
 * the unprivileged ISA (chapter 11 "F" for fcsr).  Only numbers live here;
 * the behaviour of each CSR is in csr.c.
 */
#ifndef MORPH_TARGET_RISCV_CPU_BITS_H
#define MORPH_TARGET_RISCV_CPU_BITS_H

/* Privilege levels (the encoding used by mstatus.MPP and friends). */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* misa extension bits. */
#define RV(x) (1u << ((x) - 'A'))
#define RVI RV('I')
#define RVE RV('E')
#define RVM RV('M')
#define RVA RV('A')
#define RVF RV('F')
#define RVD RV('D')
#define RVC RV('C')
#define RVS RV('S')
#define RVU RV('U')
#define RVH RV('H')
#define RVB RV('B')

/* misa.MXL values. */
#define MXL_RV32 1
#define MXL_RV64 2

/* Unprivileged CSRs. */
#define CSR_FFLAGS 0x001
#define CSR_FRM 0x002
#define CSR_FCSR 0x003
#define CSR_CYCLE 0xc00
#define CSR_TIME 0xc01
#define CSR_INSTRET 0xc02
#define CSR_HPMCOUNTER3 0xc03
#define CSR_HPMCOUNTER31 0xc1f

/* Supervisor CSRs. */
#define CSR_SSTATUS 0x100
#define CSR_SIE 0x104
#define CSR_STVEC 0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG 0x10a
#define CSR_SSCRATCH 0x140
#define CSR_SEPC 0x141
#define CSR_SCAUSE 0x142
#define CSR_STVAL 0x143
#define CSR_SIP 0x144
#define CSR_STIMECMP 0x14d
#define CSR_SATP 0x180

/* Machine CSRs. */
#define CSR_MVENDORID 0xf11
#define CSR_MARCHID 0xf12
#define CSR_MIMPID 0xf13
#define CSR_MHARTID 0xf14
#define CSR_MCONFIGPTR 0xf15
#define CSR_MSTATUS 0x300
#define CSR_MISA 0x301
#define CSR_MEDELEG 0x302
#define CSR_MIDELEG 0x303
#define CSR_MIE 0x304
#define CSR_MTVEC 0x305
#define CSR_MCOUNTEREN 0x306
#define CSR_MENVCFG 0x30a
#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MHPMEVENT3 0x323
#define CSR_MHPMEVENT31 0x33f
#define CSR_MSCRATCH 0x340
#define CSR_MEPC 0x341
#define CSR_MCAUSE 0x342
#define CSR_MTVAL 0x343
#define CSR_MIP 0x344
#define CSR_PMPCFG0 0x3a0
#define CSR_PMPCFG15 0x3af
#define CSR_PMPADDR0 0x3b0
#define CSR_PMPADDR63 0x3ef
#define CSR_MCYCLE 0xb00
#define CSR_MINSTRET 0xb02
#define CSR_MHPMCOUNTER3 0xb03
#define CSR_MHPMCOUNTER31 0xb1f

/* mstatus fields. */
#define MSTATUS_SIE (1ull << 1)
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_UBE (1ull << 6)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP (1ull << 8)
#define MSTATUS_VS (3ull << 9)
#define MSTATUS_MPP (3ull << 11)
#define MSTATUS_FS (3ull << 13)
#define MSTATUS_XS (3ull << 15)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)
#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SXL (3ull << 34)
#define MSTATUS_SD (1ull << 63)

#define MSTATUS_FS_SHIFT 13
/* Values of the FS (and VS, XS) fields. */
#define EXT_STATUS_OFF 0
#define EXT_STATUS_INITIAL 1
#define EXT_STATUS_CLEAN 2
#define EXT_STATUS_DIRTY 3

/* fcsr fields. */
#define FSR_AEXC_SHIFT 0
#define FSR_AEXC (0x1f << FSR_AEXC_SHIFT)
#define FSR_RD_SHIFT 5
#define FSR_RD (0x7 << FSR_RD_SHIFT)

/* Accrued exception flags (fflags). */
#define FPEXC_NX 0x01
#define FPEXC_UF 0x02
#define FPEXC_OF 0x04
#define FPEXC_DZ 0x08
#define FPEXC_NV 0x10

/* Rounding modes (the rm field and frm). */
#define RISCV_FRM_RNE 0
#define RISCV_FRM_RTZ 1
#define RISCV_FRM_RDN 2
#define RISCV_FRM_RUP 3
#define RISCV_FRM_RMM 4
#define RISCV_FRM_DYN 7

/* Interrupt numbers (mip/mie bits). */
#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT 9
#define IRQ_M_EXT 11
#define MIP_SSIP (1ull << IRQ_S_SOFT)
#define MIP_MSIP (1ull << IRQ_M_SOFT)
#define MIP_STIP (1ull << IRQ_S_TIMER)
#define MIP_MTIP (1ull << IRQ_M_TIMER)
#define MIP_SEIP (1ull << IRQ_S_EXT)
#define MIP_MEIP (1ull << IRQ_M_EXT)

/* Interrupts by the mode they belong to. */
#define S_MODE_INTERRUPTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define M_MODE_INTERRUPTS (MIP_MSIP | MIP_MTIP | MIP_MEIP)

/* mtvec/stvec: the low two bits are the mode. */
#define XTVEC_MODE 3ull
#define XTVEC_DIRECT 0
#define XTVEC_VECTORED 1

/* mcounteren/scounteren/mcountinhibit: bit N for counter N. */
#define COUNTEREN_CY (1u << 0)
#define COUNTEREN_TM (1u << 1)
#define COUNTEREN_IR (1u << 2)

/* menvcfg/senvcfg fields. */
#define MENVCFG_FIOM (1ull << 0)
#define MENVCFG_CBIE (3ull << 4)
#define MENVCFG_CBCFE (1ull << 6)
#define MENVCFG_CBZE (1ull << 7)
#define MENVCFG_PBMTE (1ull << 62)
#define MENVCFG_STCE (1ull << 63)
#define SENVCFG_FIOM MENVCFG_FIOM

/* satp. */
#define SATP64_MODE 0xf000000000000000ull
#define SATP64_ASID 0x0ffff00000000000ull
#define SATP64_PPN 0x00000fffffffffffull
#define VM_1_10_MBARE 0
#define VM_1_10_SV39 8
#define VM_1_10_SV48 9
#define VM_1_10_SV57 10

/* Exception causes (mcause with the interrupt bit clear). */
typedef enum RISCVException {
    RISCV_EXCP_NONE = -1,
    RISCV_EXCP_INST_ADDR_MIS = 0x0,
    RISCV_EXCP_INST_ACCESS_FAULT = 0x1,
    RISCV_EXCP_ILLEGAL_INST = 0x2,
    RISCV_EXCP_BREAKPOINT = 0x3,
    RISCV_EXCP_LOAD_ADDR_MIS = 0x4,
    RISCV_EXCP_LOAD_ACCESS_FAULT = 0x5,
    RISCV_EXCP_STORE_AMO_ADDR_MIS = 0x6,
    RISCV_EXCP_STORE_AMO_ACCESS_FAULT = 0x7,
    RISCV_EXCP_U_ECALL = 0x8,
    RISCV_EXCP_S_ECALL = 0x9,
    RISCV_EXCP_M_ECALL = 0xb,
    RISCV_EXCP_INST_PAGE_FAULT = 0xc,
    RISCV_EXCP_LOAD_PAGE_FAULT = 0xd,
    RISCV_EXCP_STORE_PAGE_FAULT = 0xf,
} RISCVException;

#define RISCV_EXCP_INT_FLAG (1ull << 63)

#endif
