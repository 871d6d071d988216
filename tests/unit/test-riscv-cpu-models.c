/*
 * Unit tests for target/riscv/cpu-models.c: -cpu strings in QEMU 7.2's
 * spelling, the properties they set, and QEMU's error messages.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "cpu.h"
#include "util/error.h"

static char *parse_error(const char *str)
{
    RISCVCPUConfig cfg;
    Error *err = NULL;
    char *msg;

    g_assert_false(riscv_cpu_parse_model(str, &cfg, &err));
    g_assert_nonnull(err);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static void check_error(const char *str, const char *want)
{
    char *msg = parse_error(str);

    g_assert_cmpstr(msg, ==, want);
    g_free(msg);
}

static void test_models(void)
{
    RISCVCPUConfig cfg, def;

    riscv_cpu_default_config(&def);
    g_assert_true(riscv_cpu_parse_model("rv64", &cfg, &error_abort));
    g_assert_true(memcmp(&cfg, &def, sizeof(cfg)) == 0);
    g_assert_true(riscv_cpu_parse_model("max", &cfg, &error_abort));
    g_assert_true(cfg.ext_svpbmt && cfg.ext_zihpm);
    g_assert_cmpuint(cfg.pmp_regions, ==, 64);
    g_assert_true(riscv_cpu_model_is_help("help"));
    g_assert_true(riscv_cpu_model_is_help("?"));
    g_assert_false(riscv_cpu_model_is_help("rv64"));
}

static void test_properties(void)
{
    RISCVCPUConfig cfg;

    g_assert_true(riscv_cpu_parse_model("rv64,zbb=false,zba=true,sstc=off,pmp=on,mmu=on,"
                                        "priv_spec=v1.12.0",
                                        &cfg, &error_abort));
    g_assert_false(cfg.ext_zbb);
    g_assert_true(cfg.ext_zba);
    g_assert_false(cfg.ext_sstc);
    g_assert_true(cfg.pmp && cfg.mmu);
    /* QEMU 7.2's capitalised names, and the later lower-case ones. */
    g_assert_true(riscv_cpu_parse_model("rv64,Zifencei=off,zihintpause=off", &cfg, &error_abort));
    g_assert_false(cfg.ext_zifencei);
    g_assert_false(cfg.ext_zihintpause);
    /* Numbers; the last value of a repeated key wins. */
    g_assert_true(riscv_cpu_parse_model("rv64,mvendorid=0x489,marchid=5,mimpid=6,"
                                        "resetvec=0x80000000,pmp-regions=64,c=off,c=on",
                                        &cfg, &error_abort));
    g_assert_cmphex(cfg.mvendorid, ==, 0x489);
    g_assert_cmphex(cfg.marchid, ==, 5);
    g_assert_cmphex(cfg.mimpid, ==, 6);
    g_assert_cmphex(cfg.resetvec, ==, 0x80000000);
    g_assert_cmpuint(cfg.pmp_regions, ==, 64);
    g_assert_true(cfg.ext_c);
    /* Features morph lacks may be turned off. */
    g_assert_true(riscv_cpu_parse_model("rv64,h=false,v=off,debug=on", &cfg, &error_abort));
}

static void test_errors(void)
{
    check_error("nosuch", "unable to find CPU model 'nosuch'");
    check_error("rv64,zbb=maybe",
                "can't apply global rv64-riscv-cpu.zbb=maybe: Parameter 'zbb' expects "
                "'on' or 'off'");
    check_error("rv64,foo=on", "can't apply global rv64-riscv-cpu.foo=on: Property "
                               "'rv64-riscv-cpu.foo' not found");
    check_error("rv64,mvendorid=abc", "can't apply global rv64-riscv-cpu.mvendorid=abc: "
                                      "Parameter 'mvendorid' expects uint32");
    check_error("rv64,priv_spec=v9", "Unsupported privilege spec version 'v9'");
    check_error("rv64,f=off", "D extension requires F extension");
    check_error("rv64,Zicsr=off", "F extension requires Zicsr");
    check_error("rv64,s=on,u=off", "Setting S extension without U extension is illegal");
    check_error("rv64,i=off", "Either I or E extension must be set");
    check_error("rv64,pmp-regions=8", "pmp-regions must be 0, 16 or 64");
    check_error("rv64,h=on", "can't apply global rv64-riscv-cpu.h=on: Property 'h' is not "
                             "supported by morph");
}

static void test_help(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    riscv_cpu_list_models(f);
    fclose(f);
    g_assert_nonnull(strstr(text, "Available CPUs:"));
    g_assert_nonnull(strstr(text, "  rv64 "));
    g_assert_nonnull(strstr(text, "  max "));
    g_assert_nonnull(strstr(text, "  sstc "));
    g_assert_nonnull(strstr(text, "  priv_spec "));
    free(text);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-cpu-models/models", test_models);
    g_test_add_func("/riscv-cpu-models/properties", test_properties);
    g_test_add_func("/riscv-cpu-models/errors", test_errors);
    g_test_add_func("/riscv-cpu-models/help", test_help);
    return g_test_run();
}
