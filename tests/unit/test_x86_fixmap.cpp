// enum fixed_addresses against real x86 boot logs (tests/data/bootlogs) and the
// QEMU oracle's Debian 6.1 kernels: the printed fixmap start, pkmap base,
// cpu_entry line and VMALLOC_END for the configuration of each distribution
// kernel (the configs named in each case; kmemkit-profile(5) CONFIG.X86).
#include <catch2/catch.hpp>

#include "kmemkit/kernel/rules.hpp"
#include "kmemkit/kernel/x86_fixmap.hpp"

using namespace kmemkit;

namespace {
struct Case {
    const char* what;
    const char* kernel;
    X86FixmapConfig config;
    uint32_t fixaddr_start, pkmap_base, vmalloc_end, cea_start, cea_end;   // 0: not printed
};
X86FixmapConfig cfg(unsigned cpus, std::initializer_list<bool X86FixmapConfig::*> on, bool pae = false) {
    X86FixmapConfig c;   // the kernels of the logs: no PARAVIRT or GHES unless named
    c.paravirt = false;
    c.acpi_apei_ghes = false;
    c.nr_cpus = cpus;
    c.pae = pae;
    for (auto f : on) c.*f = true;
    return c;
}
using C = X86FixmapConfig;
}  // namespace

TEST_CASE("x86 fixmap: enum fixed_addresses reproduces the real logs", "[x86fixmap]") {
    X86FixmapConfig u413 = cfg(8, {&C::paravirt, &C::intel_mid, &C::ohci1394_dma_init}, true);
    u413.cpu_entry_area = "4.15";   // Ubuntu 4.13's PTI backport
    u413.gdt_remap = false;
    u413.ro_idt = true;
    u413.cea_pages_per_cpu = 39;
    X86FixmapConfig deb = cfg(32, {&C::acpi_apei_ghes, &C::paravirt});
    X86FixmapConfig debpae = cfg(32, {&C::acpi_apei_ghes, &C::paravirt}, true);
    const Case cases[] = {
        // Ubuntu 7.04 2.6.20-16-generic (i586: F00F): 177 permanent pages
        {"x86-ubuntu-2.6.20", "2.6.20", cfg(8, {&C::f00f_bug}), 0xfff4e000, 0xff800000, 0xff7fe000, 0, 0},
        // Ubuntu 9.10 2.6.31-20-generic: PARAVIRT, F00F, KM_TYPE_NR 19
        {"x86-ubuntu-2.6.31", "2.6.31", cfg(8, {&C::f00f_bug, &C::paravirt}), 0xfff1d000, 0xff800000, 0xff7fe000, 0, 0},
        // Ubuntu 11.04 2.6.38-8-generic and 12.04 3.2.0-29-generic (i686: no F00F)
        {"x86-ubuntu-2.6.38", "2.6.38", cfg(8, {&C::paravirt}), 0xfff16000, 0xff800000, 0xff7fe000, 0, 0},
        {"x86-ubuntu-3.2", "3.2.0", cfg(8, {&C::paravirt}), 0xfff16000, 0xff800000, 0xff7fe000, 0, 0},
        // Ubuntu 3.8.0-38-generic PAE: + PARAVIRT_CLOCK (32-bit PVCLOCK_FIXMAP in 3.8-3.10), INTEL_MID
        {"x86-kv8pro-ubuntu-3.8-pae", "3.8.13", cfg(8, {&C::paravirt, &C::paravirt_clock, &C::intel_mid}, true),
         0xfff14000, 0xffc00000, 0xffbfe000, 0, 0},
        {"x86-optiplex960-ubuntu-4.13-pae", "4.13.13", u413, 0xfff14000, 0xffa00000, 0xff9fe000, 0xffc00000, 0xffd39000},
        // 4.15.0-rc8 (a one-CPU build): cpu_entry 160 kB = 1 + 39 pages
        {"x86-qemu-4.15rc8", "4.15.0-rc8", cfg(1, {}), 0xfffa4000, 0xff800000, 0xff7fe000, 0xffc00000, 0xffc28000},
        // 5.1.0-rc2 (one CPU, DEBUG_HIGHMEM): the LDT remap at 0xff800000 puts pkmap at 0xff400000
        {"x86-k7vt6-5.1rc2", "5.1.0-rc2", cfg(1, {&C::debug_highmem}), 0xfff8f000, 0xff400000, 0xff3fe000, 0xffc00000,
         0xffc27000},
        // Debian 6.1.0-50-686 / -686-pae (shared oracle configs: NR_CPUS 32, GHES, PARAVIRT): VmallocTotal
        {"oracle i386 6.1", "6.1.0-50-686", deb, 0, 0, 0xfebfe000, 0, 0},
        {"oracle i386-pae 6.1", "6.1.0-50-686-pae", debpae, 0, 0, 0xfeffe000, 0, 0},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        X86Fixmap f = x86_fixmap(parse_kernel_version(c.kernel), c.config);
        if (c.fixaddr_start) CHECK(f.fixaddr_start == c.fixaddr_start);
        if (c.pkmap_base) CHECK(f.pkmap_base == c.pkmap_base);
        CHECK(f.vmalloc_end == c.vmalloc_end);
        if (!parse_kernel_version(c.kernel).at_least(kv(4, 15)) && !c.config.cpu_entry_area.empty()) CHECK(f.has_cpu_entry);
        if (c.cea_start) {
            CHECK(f.has_cpu_entry);
            CHECK(f.cpu_entry_start == c.cea_start);
            CHECK(f.cpu_entry_end == c.cea_end);
        }
    }
}

TEST_CASE("x86 fixmap: the configuration is inferred from the printed lines", "[x86fixmap]") {
    X86FixmapFacts p;
    p.fixaddr_start = 0xfff1d000;
    p.pkmap_base = 0xff800000;
    X86FixmapConfig base;   // highmem, not PAE, NR_CPUS unknown
    auto c = infer_x86_fixmap_config(parse_kernel_version("2.6.31"), base, false, p);
    REQUIRE(c);
    CHECK(x86_fixmap(parse_kernel_version("2.6.31"), *c).fixaddr_start == 0xfff1d000u);
    CHECK(c->nr_cpus == 8);
    p.fixaddr_start = 0xfff14000;
    p.pkmap_base = 0xffa00000;
    p.cpu_entry_start = 0xffc00000;
    p.cpu_entry_end = 0xffd39000;
    X86FixmapConfig pae = base;
    pae.pae = true;
    pae.nr_cpus = 8;   // "setup_percpu: NR_CPUS:8" in that log
    c = infer_x86_fixmap_config(parse_kernel_version("4.13.13"), pae, true, p);
    REQUIRE(c);
    CHECK(c->cpu_entry_area == "4.15");
    // a start no configuration gives
    X86FixmapFacts q;
    q.fixaddr_start = 0xfff00123;
    CHECK_FALSE(infer_x86_fixmap_config(parse_kernel_version("3.2"), base, false, q));
}

TEST_CASE("x86 fixmap: both sides of each boundary", "[x86fixmap]") {
    auto at = [](const char* v) { return x86_fixmap(parse_kernel_version(v), cfg(8, {})); };
    // KM_TYPE_NR 13 -> 19 at 2.6.31 (asm-generic/kmap_types.h), 20 at 2.6.35 (KM_KDB): 8 CPUs, 6 and 1 more pages each
    CHECK(at("2.6.31").end_of_permanent - at("2.6.30").end_of_permanent == 6 * 8);
    CHECK(at("2.6.35").end_of_permanent - at("2.6.34").end_of_permanent == 1 * 8);
    // the early_ioremap block: 16 slots to 2.6.24, 256 from 2.6.25, 512 from 3.17
    CHECK(at("2.6.24").btmap_slots == 16);
    CHECK(at("2.6.25").btmap_slots == 256);
    CHECK(at("3.16").btmap_slots == 256);
    CHECK(at("3.17").btmap_slots == 512);
    // pkmap below the boot-time fixmap to 3.18, below FIXADDR_START from 3.19
    CHECK(at("3.18").pkmap_rule.find("FIXADDR_BOOT_START") != std::string::npos);
    CHECK(at("3.19").pkmap_rule.find("FIXADDR_START") == 1);
    // cpu_entry_area from 4.15, the LDT remap from 4.19
    CHECK_FALSE(at("4.14.336").has_cpu_entry);
    CHECK(at("4.15").has_cpu_entry);
    CHECK_FALSE(at("4.18").has_ldt);
    CHECK(at("4.19").has_ldt);
    // FIX_VDSO gone in 3.15; FIX_TEXT_POKE0/1 in 2.6.30-5.1; FIX_RO_IDT 3.10-4.14
    CHECK(at("3.14").end_of_permanent - at("3.15").end_of_permanent == 1);
    CHECK(at("2.6.30").end_of_permanent - at("2.6.29").end_of_permanent == 2);
    CHECK(at("5.1").end_of_permanent - at("5.2").end_of_permanent == 2);
}
