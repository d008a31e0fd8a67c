// The top of the x86-32 kernel address space as the kernel computes it from
// `enum fixed_addresses` (arch/x86/include/asm/fixmap.h; include/asm-i386/
// fixmap.h before 2.6.24) and its configuration: FIXADDR_START, the boot-time
// fixmap with the early_ioremap slots (FIXADDR_BOOT_START / FIXADDR_TOT_START),
// from 4.15 the cpu_entry_area and from 4.19 the LDT remap, then PKMAP_BASE and
// VMALLOC_END (asm/pgtable_32_types.h, pgtable_32_areas.h).  Every version rule
// here was read in the release trees on both sides (doc/kernel-rules.md lists
// them); tests/unit/test_x86_fixmap.cpp checks the model against real logs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kmemkit/kernel/version.hpp"

namespace kmemkit {

// The configuration options the enum depends on.  Defaults: what the i386
// distribution kernels have (Ubuntu generic, Debian 686: local and IO APIC,
// ACPI with APEI GHES, PCI_MMCONFIG, PARAVIRT; NR_CPUS 8 as Ubuntu's, Debian
// 6.x has 32: boot logs print it in "setup_percpu: NR_CPUS:N").
struct X86FixmapConfig {
    unsigned nr_cpus = 8;               // CONFIG_NR_CPUS (compile time), not the CPUs online
    bool highmem = true, pae = false;   // CONFIG_HIGHMEM, CONFIG_X86_PAE
    bool local_apic = true;             // CONFIG_X86_LOCAL_APIC: FIX_APIC_BASE
    bool io_apic = true;                // CONFIG_X86_IO_APIC: FIX_IO_APIC_BASE_0..MAX_IO_APICS-1
    unsigned max_io_apics = 64;         // MAX_IO_APICS: 64 on every 32-bit kernel (128 is 64-bit)
    bool acpi = true;                   // CONFIG_ACPI: FIX_ACPI_BEGIN..END (before 2.6.30)
    bool pci_mmconfig = true;           // CONFIG_PCI_MMCONFIG: FIX_PCIE_MCFG
    bool paravirt = true;               // CONFIG_PARAVIRT: FIX_PARAVIRT_BOOTMAP (2.6.22+; PARAVIRT_XXL from 5.10)
    bool paravirt_xxl = false;          // CONFIG_PARAVIRT_XXL (5.0+)
    bool paravirt_clock = false;        // CONFIG_PARAVIRT_CLOCK: PVCLOCK_FIXMAP on 32-bit (3.8-3.10)
    bool debug_highmem = false;         // CONFIG_DEBUG_HIGHMEM: km_type fences, 2n+1 slots per CPU
    bool debug_kmap_local = false;      // CONFIG_DEBUG_KMAP_LOCAL (5.11+): KM_MAX_IDX 33
    bool visws = false;                 // CONFIG_X86_VISWS_APIC (before 3.15): 4 entries
    bool f00f_bug = false;              // CONFIG_X86_F00F_BUG (i586 kernels, before 3.10): FIX_F00F_IDT
    bool cyclone_timer = false;         // CONFIG_X86_CYCLONE_TIMER (before 3.10)
    bool intel_mid = false;             // CONFIG_X86_MRST / X86_INTEL_MID: FIX_LNW_VRTC (2.6.38-5.11)
    bool ohci1394_dma_init = false;     // CONFIG_PROVIDE_OHCI1394_DMA_INIT: FIX_OHCI1394_BASE
    bool intel_txt = false;             // CONFIG_INTEL_TXT: FIX_TBOOT_BASE (2.6.32+)
    bool acpi_apei_ghes = true;         // CONFIG_ACPI_APEI_GHES: FIX_APEI_GHES_IRQ/NMI (4.15+)
    bool cpu_sup_intel = true;          // CONFIG_CPU_SUP_INTEL: the debug store in cpu_entry_area (4.15-5.7)
    uint64_t reservetop = 0;            // reservetop= (bytes): lowers FIXADDR_TOP (2.6.19+)
    // backports to older kernels (distribution and stable trees), e.g. Ubuntu 4.13's PTI:
    std::string cpu_entry_area;         // "" (by version), "4.15" (below FIXADDR_START), "4.16" (below the boot fixmap)
    std::optional<bool> gdt_remap, ro_idt, ldt_remap;
    std::optional<unsigned> cea_pages_per_cpu;   // sizeof(struct cpu_entry_area) in pages, when it differs
};

struct X86FixmapEntry {
    std::string name;       // "FIX_KMAP_BEGIN..FIX_KMAP_END"
    unsigned first = 0;     // enum value
    unsigned pages = 0;
};

struct X86Fixmap {
    std::vector<X86FixmapEntry> permanent;   // up to __end_of_permanent_fixed_addresses
    unsigned end_of_permanent = 0, end_of_fixed = 0;
    unsigned fix_kmap_begin = 0;             // FIX_KMAP_BEGIN (kmap_atomic slot 0)
    bool has_kmap = false;
    unsigned btmap_slots = 0;                // early_ioremap slots (NR_FIX_BTMAPS * FIX_BTMAPS_SLOTS)
    uint32_t fixaddr_top = 0;                // FIXADDR_TOP
    uint32_t fixaddr_start = 0;              // FIXADDR_TOP - (__end_of_permanent_fixed_addresses << 12)
    uint32_t fixaddr_boot_start = 0;         // FIXADDR_TOP - (__end_of_fixed_addresses << 12)
    bool has_cpu_entry = false;              // 4.15+ (or a backport)
    std::string cpu_entry_ref;               // what it is placed below: "FIXADDR_START" (4.15) or "FIXADDR_TOT_START"
    uint32_t cpu_entry_start = 0, cpu_entry_end = 0;   // CPU_ENTRY_AREA_BASE .. the end mem_init prints
    bool has_ldt = false;
    uint32_t ldt_base = 0;                   // LDT_BASE_ADDR (4.19+)
    uint32_t pkmap_base = 0;                 // with HIGHMEM
    uint32_t vmalloc_end = 0;
    std::string pkmap_rule;                  // the formula this era uses, for --explain
    std::string source;                      // the enum and headers of this era
};

X86Fixmap x86_fixmap(const KernelVersion& v, const X86FixmapConfig& c);

// The true/false options by their profile key (config.x86.KEY), in kmemkit-profile(5) order.
struct X86FixmapFlag {
    const char* key;
    bool X86FixmapConfig::*field;
};
const std::vector<X86FixmapFlag>& x86_fixmap_flags();

// The configuration options, for messages and kmemkit-profile(5): "nr_cpus 8, paravirt, f00f_bug".
std::string x86_fixmap_config_text(const X86FixmapConfig& c);

// config.x86 of a profile as YAML flow mapping, the options that differ from the defaults ("{}" for none).
std::string x86_fixmap_config_yaml(const X86FixmapConfig& c);

// --from-dmesg: the configuration closest to the defaults whose fixmap gives the printed FIXADDR_START
// (and PKMAP_BASE / cpu_entry start where printed), nullopt when none of the searched ones does.
struct X86FixmapFacts {
    uint32_t fixaddr_start = 0;
    std::optional<uint32_t> pkmap_base, cpu_entry_start, cpu_entry_end, vmalloc_end;
};
// `base` holds what the log shows (HIGHMEM, PAE, NR_CPUS when nr_cpus_known); the search changes up to
// three other options.
std::optional<X86FixmapConfig> infer_x86_fixmap_config(const KernelVersion& v, const X86FixmapConfig& base,
                                                       bool nr_cpus_known, const X86FixmapFacts& printed);

}  // namespace kmemkit
