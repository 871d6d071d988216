/*
 * Unit tests for target/riscv/machine.c: the migration field table covers
 * the hart's state without overlaps, and a save/load round trip through it
 * keeps the counters' guest values and the pending interrupts.
 */
#include <glib.h>
#include <string.h>
#include "riscv-harness.h"
#include "cpu_helper.h"
#include "csr.h"
#include "machine.h"

static bool has_field(const char *name)
{
    for (unsigned i = 0; i < riscv_vmstate_cpu.nfields; i++) {
        if (strcmp(riscv_vmstate_cpu.fields[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

static void test_table(void)
{
    const RISCVStateField *f = riscv_vmstate_cpu.fields;
    static const char *const must[] = {"gpr",      "fpr",         "pc",       "priv",   "mstatus",
                                       "mip",      "mip_lines",   "satp",     "pmpcfg", "pmpaddr",
                                       "stimecmp", "mcycle_base", "misa_ext", "menvcfg"};

    g_assert_cmpstr(riscv_vmstate_cpu.name, ==, "cpu");
    for (unsigned i = 0; i < riscv_vmstate_cpu.nfields; i++) {
        g_assert_cmpuint(f[i].size, >, 0);
        g_assert_cmpuint(f[i].count, >, 0);
        g_assert_cmpuint(f[i].offset + f[i].size * f[i].count, <=, sizeof(CPURISCVState));
        for (unsigned j = 0; j < i; j++) {
            bool apart = f[j].offset + f[j].size * f[j].count <= f[i].offset ||
                         f[i].offset + f[i].size * f[i].count <= f[j].offset;

            if (!apart || strcmp(f[i].name, f[j].name) == 0) {
                g_error("fields %s and %s overlap", f[i].name, f[j].name);
            }
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(must); i++) {
        if (!has_field(must[i])) {
            g_error("no field %s", must[i]);
        }
    }
    /* The arrays carry their element count. */
    for (unsigned i = 0; i < riscv_vmstate_cpu.nfields; i++) {
        if (strcmp(f[i].name, "pmpaddr") == 0) {
            g_assert_cmpuint(f[i].count, ==, RISCV_MAX_PMP);
            g_assert_cmpuint(f[i].size, ==, 8);
        }
    }
}

/* Save the fields into a buffer, load them into a fresh hart. */
static void test_round_trip(void)
{
    const RISCVStateField *f = riscv_vmstate_cpu.fields;
    GByteArray *stream = g_byte_array_new();
    CPURISCVState *env;
    uint64_t mcycle, v;
    size_t pos = 0;

    rvh_setup();
    env = rvh.env;
    env->gpr[7] = 0x77;
    g_assert_cmpint(riscv_csrrw(env, CSR_MSCRATCH, NULL, 0x99, ~0ull), ==, RISCV_EXCP_NONE);
    g_assert_cmpint(riscv_csrrw(env, CSR_MCOUNTINHIBIT, NULL, 1, ~0ull), ==, RISCV_EXCP_NONE);
    g_assert_cmpint(riscv_csrrw(env, CSR_MCYCLE, NULL, 1000, ~0ull), ==, RISCV_EXCP_NONE);
    g_assert_cmpint(riscv_csrrw(env, CSR_MINSTRET, NULL, 5000, ~0ull), ==, RISCV_EXCP_NONE);
    g_assert_cmpint(riscv_csrrw(env, CSR_MIE, NULL, MIP_MTIP, ~0ull), ==, RISCV_EXCP_NONE);
    riscv_cpu_update_mip(env, MIP_MTIP, MIP_MTIP);
    riscv_vmstate_cpu.pre_save(env);
    for (unsigned i = 0; i < riscv_vmstate_cpu.nfields; i++) {
        g_byte_array_append(stream, (uint8_t *)env + f[i].offset, f[i].size * f[i].count);
    }
    riscv_vmstate_cpu.post_save(env);
    g_assert_cmpint(riscv_csrrw(env, CSR_MCYCLE, &mcycle, 0, 0), ==, RISCV_EXCP_NONE);
    g_assert_cmpuint(mcycle, ==, 1000);
    rvh_teardown();

    rvh_setup();
    env = rvh.env;
    g_assert_false(rvh.cs->interrupt_request & CPU_INTERRUPT_HARD);
    for (unsigned i = 0; i < riscv_vmstate_cpu.nfields; i++) {
        size_t n = f[i].size * f[i].count;

        memcpy((uint8_t *)env + f[i].offset, stream->data + pos, n);
        pos += n;
    }
    g_assert_cmpuint(pos, ==, stream->len);
    riscv_vmstate_cpu.post_load(env);
    g_assert_cmphex(env->gpr[7], ==, 0x77);
    g_assert_cmphex(env->mscratch, ==, 0x99);
    g_assert_cmpint(riscv_csrrw(env, CSR_MCYCLE, &v, 0, 0), ==, RISCV_EXCP_NONE);
    g_assert_cmpuint(v, ==, 1000);
    g_assert_cmpint(riscv_csrrw(env, CSR_MINSTRET, &v, 0, 0), ==, RISCV_EXCP_NONE);
    g_assert_cmpuint(v, >=, 5000);
    g_assert_cmpuint(v, <, 5000 + 1000000000ull);
    g_assert_true(rvh.cs->interrupt_request & CPU_INTERRUPT_HARD);
    rvh_teardown();
    g_byte_array_unref(stream);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-machine/table", test_table);
    g_test_add_func("/riscv-machine/round-trip", test_round_trip);
    return g_test_run();
}
