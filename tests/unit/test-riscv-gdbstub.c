/*
 * Unit tests for target/riscv/gdbstub.c: GDB's register numbering (x, pc,
 * f, CSRs at 65 + number, priv at 4161), reads and writes through it, and
 * the target description files.
 */
#include <glib.h>
#include <string.h>
#include "riscv-harness.h"
#include "csr.h"

static uint64_t get64(const uint8_t *b)
{
    uint64_t v;

    memcpy(&v, b, 8);
    return v;
}

static void test_registers(void)
{
    uint8_t buf[8];
    uint64_t v;
    CPURISCVState *env;

    rvh_setup();
    env = rvh.env;
    env->gpr[1] = 0x1111;
    env->gpr[31] = 0x3131;
    env->pc = 0x80000000;
    env->fpr[2] = 0x4000000000000000ull;
    env->mscratch = 0xabc;
    g_assert_cmpint(rvh.cs->ops->gdb_num_regs, ==, 4162);
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 0), ==, 8);
    g_assert_cmphex(get64(buf), ==, 0);
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 1), ==, 8);
    g_assert_cmphex(get64(buf), ==, 0x1111);
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 31), ==, 8);
    g_assert_cmphex(get64(buf), ==, 0x3131);
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 32), ==, 8);
    g_assert_cmphex(get64(buf), ==, 0x80000000);
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 33 + 2), ==, 8);
    g_assert_cmphex(get64(buf), ==, 0x4000000000000000ull);
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 65 + CSR_MSCRATCH), ==, 8);
    g_assert_cmphex(get64(buf), ==, 0xabc);
    /* fcsr reads even with FS off (the debugger's view). */
    env->fflags = 0x1f;
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 65 + CSR_FFLAGS), ==, 8);
    g_assert_cmphex(get64(buf), ==, 0x1f);
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 4161), ==, 8);
    g_assert_cmphex(get64(buf), ==, PRV_M);
    /* No such register. */
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 65 + 0x7c0), ==, 0);
    g_assert_cmpint(riscv_gdb_read_register(rvh.cs, buf, 4162), ==, 0);
    /* Writes: x0 stays 0, CSRs obey their WARL rules, read-only ones ignore writes. */
    v = 0x5555;
    g_assert_cmpint(riscv_gdb_write_register(rvh.cs, (uint8_t *)&v, 0), ==, 8);
    g_assert_cmphex(env->gpr[0], ==, 0);
    g_assert_cmpint(riscv_gdb_write_register(rvh.cs, (uint8_t *)&v, 5), ==, 8);
    g_assert_cmphex(env->gpr[5], ==, 0x5555);
    v = 0x80000003;
    g_assert_cmpint(riscv_gdb_write_register(rvh.cs, (uint8_t *)&v, 65 + CSR_MEPC), ==, 8);
    g_assert_cmphex(env->mepc, ==, 0x80000002);
    env->mhartid = 4;
    g_assert_cmpint(riscv_gdb_write_register(rvh.cs, (uint8_t *)&v, 65 + CSR_MHARTID), ==, 8);
    g_assert_cmphex(env->mhartid, ==, 4);
    v = PRV_S;
    g_assert_cmpint(riscv_gdb_write_register(rvh.cs, (uint8_t *)&v, 4161), ==, 8);
    g_assert_cmpuint(env->priv, ==, PRV_S);
    v = 2;
    riscv_gdb_write_register(rvh.cs, (uint8_t *)&v, 4161);
    g_assert_cmpuint(env->priv, ==, PRV_S);
    rvh_teardown();
}

static void test_xml(void)
{
    const char *target = riscv_gdb_xml("target.xml");
    const char *cpu = riscv_gdb_xml("riscv-64bit-cpu.xml");
    const char *fpu = riscv_gdb_xml("riscv-64bit-fpu.xml");
    const char *csr = riscv_gdb_xml("riscv-64bit-csr.xml");
    const char *virt = riscv_gdb_xml("riscv-64bit-virtual.xml");

    g_assert_nonnull(target);
    g_assert_nonnull(strstr(target, "<architecture>riscv:rv64</architecture>"));
    g_assert_nonnull(strstr(target, "riscv-64bit-csr.xml"));
    g_assert_nonnull(strstr(cpu, "org.gnu.gdb.riscv.cpu"));
    g_assert_nonnull(strstr(cpu, "name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\""));
    g_assert_nonnull(strstr(fpu, "org.gnu.gdb.riscv.fpu"));
    g_assert_nonnull(strstr(fpu, "name=\"fcsr\""));
    g_assert_nonnull(strstr(fpu, "regnum=\"68\""));
    g_assert_nonnull(strstr(csr, "org.gnu.gdb.riscv.csr"));
    g_assert_nonnull(strstr(csr, "<reg name=\"mstatus\" bitsize=\"64\" type=\"int\" "
                                 "group=\"csr\" regnum=\"833\"/>"));
    g_assert_nonnull(strstr(csr, "name=\"pmpaddr63\""));
    g_assert_nonnull(strstr(csr, "name=\"hpmcounter31\""));
    g_assert_null(strstr(csr, "\"fflags\""));
    g_assert_nonnull(strstr(virt, "name=\"priv\""));
    g_assert_nonnull(strstr(virt, "regnum=\"4161\""));
    g_assert_null(riscv_gdb_xml("nope.xml"));
    g_assert_null(riscv_gdb_xml(NULL));
    /* Generated once: the same text every time. */
    g_assert_true(csr == riscv_gdb_xml("riscv-64bit-csr.xml"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-gdbstub/registers", test_registers);
    g_test_add_func("/riscv-gdbstub/xml", test_xml);
    return g_test_run();
}
