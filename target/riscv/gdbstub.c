/*
 * The RISC-V hart as GDB sees it: the register numbers and target
 * description of GDB's riscv port (the XML files of gdb/features/riscv and
 * riscv-tdep.c): x0-x31 are 0-31, pc 32, f0-f31 33-64, CSR n is 65 + n
 * (so fflags, frm and fcsr are 66-68, in the FPU feature), and the
 * virtual register priv (the current privilege level) is 4161.  Every
 * register is 64 bits, little-endian.
 *
 * The XML is generated from the CSR table (csr.c), so the CSR feature
 * always lists exactly the CSRs the table has; reading one the hart's
 * configuration lacks fails like reading a missing register.
 */
#include <glib.h>
#include <string.h>
#include "csr.h"

#define GDB_REG_PC   32
#define GDB_REG_F0   33
#define GDB_REG_CSR0 65
#define GDB_REG_PRIV (GDB_REG_CSR0 + 4096)

static const char *const gdb_xreg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const gdb_freg_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4",  "ft5",  "ft6", "ft7", "fs0",  "fs1",  "fa0",
    "fa1", "fa2", "fa3", "fa4", "fa5",  "fa6",  "fa7", "fs2", "fs3",  "fs4",  "fs5",
    "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

static void gdb_put64(uint8_t *buf, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        buf[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint64_t gdb_get64(const uint8_t *buf)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v |= (uint64_t)buf[i] << (8 * i);
    }
    return v;
}

int riscv_gdb_read_register(CPUState *cs, uint8_t *buf, int n)
{
    CPURISCVState *env = cpu_env(cs);
    uint64_t v;

    if (n >= 0 && n < 32) {
        v = n == 0 ? 0 : env->gpr[n];
    } else if (n == GDB_REG_PC) {
        v = env->pc;
    } else if (n >= GDB_REG_F0 && n < GDB_REG_F0 + 32) {
        if (!riscv_has_ext(env, RVF)) {
            return 0;
        }
        v = env->fpr[n - GDB_REG_F0];
    } else if (n >= GDB_REG_CSR0 && n < GDB_REG_PRIV) {
        if (riscv_csrrw_debug(env, n - GDB_REG_CSR0, &v, 0, 0) != RISCV_EXCP_NONE) {
            return 0;
        }
    } else if (n == GDB_REG_PRIV) {
        v = env->priv;
    } else {
        return 0;
    }
    gdb_put64(buf, v);
    return 8;
}

int riscv_gdb_write_register(CPUState *cs, const uint8_t *buf, int n)
{
    CPURISCVState *env = cpu_env(cs);
    uint64_t v = gdb_get64(buf);

    if (n >= 0 && n < 32) {
        if (n != 0) {
            env->gpr[n] = v;
        }
    } else if (n == GDB_REG_PC) {
        env->pc = v;
    } else if (n >= GDB_REG_F0 && n < GDB_REG_F0 + 32) {
        if (!riscv_has_ext(env, RVF)) {
            return 0;
        }
        env->fpr[n - GDB_REG_F0] = v;
    } else if (n >= GDB_REG_CSR0 && n < GDB_REG_PRIV) {
        if (riscv_csrrw_debug(env, n - GDB_REG_CSR0, NULL, v, ~0ull) != RISCV_EXCP_NONE) {
            return 0;
        }
    } else if (n == GDB_REG_PRIV) {
        /* Only modes the hart has; the next TB is looked up with the new mode. */
        if (v == PRV_M || (v == PRV_S && riscv_has_ext(env, RVS)) ||
            (v == PRV_U && riscv_has_ext(env, RVU))) {
            env->priv = v;
        }
    } else {
        return 0;
    }
    return 8;
}

/* ---- target description */

static void xml_begin(GString *s, const char *feature)
{
    g_string_append(s, "<?xml version=\"1.0\"?>\n"
                       "<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n");
    g_string_append_printf(s, "<feature name=\"%s\">\n", feature);
}

static char *xml_cpu(void)
{
    GString *s = g_string_new(NULL);

    xml_begin(s, "org.gnu.gdb.riscv.cpu");
    for (int i = 0; i < 32; i++) {
        const char *type = i == 1 ? "code_ptr" : i == 2 ? "data_ptr" : "int";

        g_string_append_printf(s, "  <reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>\n",
                               gdb_xreg_names[i], type, i);
    }
    g_string_append_printf(s,
                           "  <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" "
                           "regnum=\"%d\"/>\n</feature>\n",
                           GDB_REG_PC);
    return g_string_free(s, FALSE);
}

static char *xml_fpu(void)
{
    static const char *const fcsrs[] = {"fflags", "frm", "fcsr"};
    GString *s = g_string_new(NULL);

    xml_begin(s, "org.gnu.gdb.riscv.fpu");
    g_string_append(s, "  <union id=\"riscv_double\">\n"
                       "    <field name=\"float\" type=\"ieee_single\"/>\n"
                       "    <field name=\"double\" type=\"ieee_double\"/>\n"
                       "  </union>\n");
    for (int i = 0; i < 32; i++) {
        g_string_append_printf(s,
                               "  <reg name=\"%s\" bitsize=\"64\" type=\"riscv_double\" "
                               "regnum=\"%d\"/>\n",
                               gdb_freg_names[i], GDB_REG_F0 + i);
    }
    for (int i = 0; i < 3; i++) {
        g_string_append_printf(s,
                               "  <reg name=\"%s\" bitsize=\"64\" type=\"int\" "
                               "group=\"float\" regnum=\"%d\"/>\n",
                               fcsrs[i], GDB_REG_CSR0 + CSR_FFLAGS + i);
    }
    g_string_append(s, "</feature>\n");
    return g_string_free(s, FALSE);
}

static char *xml_csr(void)
{
    GString *s = g_string_new(NULL);
    char buf[32];

    xml_begin(s, "org.gnu.gdb.riscv.csr");
    for (int csrno = 0; csrno < 4096; csrno++) {
        const char *name = riscv_csr_name(csrno, buf, sizeof(buf));

        /* fflags, frm and fcsr belong to the FPU feature. */
        if (!name || csrno <= CSR_FCSR) {
            continue;
        }
        g_string_append_printf(s,
                               "  <reg name=\"%s\" bitsize=\"64\" type=\"int\" "
                               "group=\"csr\" regnum=\"%d\"/>\n",
                               name, GDB_REG_CSR0 + csrno);
    }
    g_string_append(s, "</feature>\n");
    return g_string_free(s, FALSE);
}

static char *xml_virtual(void)
{
    GString *s = g_string_new(NULL);

    xml_begin(s, "org.gnu.gdb.riscv.virtual");
    g_string_append_printf(s,
                           "  <reg name=\"priv\" bitsize=\"64\" type=\"int\" "
                           "regnum=\"%d\"/>\n</feature>\n",
                           GDB_REG_PRIV);
    return g_string_free(s, FALSE);
}

static char *xml_target(void)
{
    return g_strdup("<?xml version=\"1.0\"?>\n"
                    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                    "<target>\n"
                    "  <architecture>riscv:rv64</architecture>\n"
                    "  <xi:include href=\"riscv-64bit-cpu.xml\"/>\n"
                    "  <xi:include href=\"riscv-64bit-fpu.xml\"/>\n"
                    "  <xi:include href=\"riscv-64bit-csr.xml\"/>\n"
                    "  <xi:include href=\"riscv-64bit-virtual.xml\"/>\n"
                    "</target>\n");
}

/* The files of the description, generated once. */
static const struct {
    const char *annex;
    char *(*make)(void);
} gdb_xml_files[] = {
    {"target.xml", xml_target},
    {"riscv-64bit-cpu.xml", xml_cpu},
    {"riscv-64bit-fpu.xml", xml_fpu},
    {"riscv-64bit-csr.xml", xml_csr},
    {"riscv-64bit-virtual.xml", xml_virtual},
};

#define GDB_XML_COUNT (sizeof(gdb_xml_files) / sizeof(gdb_xml_files[0]))

const char *riscv_gdb_xml(const char *annex)
{
    static char *text[GDB_XML_COUNT];
    static gsize done;

    if (g_once_init_enter(&done)) {
        for (size_t i = 0; i < GDB_XML_COUNT; i++) {
            text[i] = gdb_xml_files[i].make();
        }
        g_once_init_leave(&done, 1);
    }
    for (size_t i = 0; i < GDB_XML_COUNT; i++) {
        if (annex && strcmp(annex, gdb_xml_files[i].annex) == 0) {
            return text[i];
        }
    }
    return NULL;
}
