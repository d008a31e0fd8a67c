// enum fixed_addresses and the areas below it, per release (kernel/x86_fixmap.hpp).
// Each version test names the trees read on both sides of it (doc/kernel-rules.md
// lists the trees); [range A -> B] where the release could only be bracketed.
#include "kmemkit/kernel/x86_fixmap.hpp"

#include <fmt/format.h>

namespace kmemkit {

namespace {
constexpr uint64_t kPage = 4096;

// kmap_atomic slots per CPU: enum km_type (KM_TYPE_NR) or KM_MAX_IDX
unsigned km_slots(const KernelVersion& v, const X86FixmapConfig& c) {
    if (v.at_least(kv(5, 11))) return c.debug_kmap_local ? 33 : 16;   // include/asm-generic/kmap_size.h@v5.11
    unsigned n = 13;                                                  // asm-i386/asm-x86 kmap_types.h (v2.6.30: 13)
    if (v.at_least(kv(2, 6, 31))) n = 19;   // asm-generic/kmap_types.h@v2.6.31 (commit e4c9dd0fbad)
    if (v.at_least(kv(2, 6, 35))) n = 20;   // + KM_KDB (v2.6.35)
    // DEBUG_HIGHMEM: a __KM_FENCE_n before every entry and before KM_TYPE_NR (41 for 20, the 3.x #define)
    return c.debug_highmem ? 2 * n + 1 : n;
}

// DIV_ROUND_UP(sizeof(struct cpu_entry_area), PAGE_SIZE) on i386
unsigned cea_pages_per_cpu(const KernelVersion& v, const X86FixmapConfig& c) {
    if (c.cea_pages_per_cpu) return *c.cea_pages_per_cpu;
    unsigned intel = c.cpu_sup_intel ? 33 : 0;   // debug_store + BTS/PEBS buffers (arch/x86/include/asm/cpu_entry_area.h)
    if (!v.at_least(kv(4, 20))) return 1 + 1 + 3 + 1 + intel;   // gdt, entry stack, tss (3), entry_trampoline
    if (!v.at_least(kv(5, 5))) return 1 + 1 + 3 + intel;        // 4.20: entry_trampoline gone
    // gdt, guard, entry_stack, guard, doublefault stack, tss (5), debug store + 32 buffers [range 5.4 -> 5.8]
    return 1 + 1 + 1 + 1 + 1 + 5 + 33;
}

struct Builder {
    std::vector<X86FixmapEntry> e;
    unsigned next = 0;
    void add(std::string name, unsigned pages = 1) {
        e.push_back({std::move(name), next, pages});
        next += pages;
    }
};
}  // namespace

X86Fixmap x86_fixmap(const KernelVersion& v, const X86FixmapConfig& c) {
    X86Fixmap f;
    Builder b;
    auto at = [&](unsigned a, unsigned bb, unsigned cc = 0) { return v.at_least(kv(a, bb, cc)); };
    // ---- the permanent part, in enum order (include/asm-i386/fixmap.h@v2.6.18 .. arch/x86/include/asm/fixmap.h@v6.1)
    b.add("FIX_HOLE");
    if (!at(3, 15)) b.add("FIX_VDSO");                                  // gone on x86_32 in 3.15 (v3.14.1 / v3.15.5)
    if (at(3, 8) && !at(3, 11) && c.paravirt_clock) b.add("PVCLOCK_FIXMAP");  // outside #ifdef X86_64 only in 3.8-3.10
    if (at(2, 6, 23)) {                                                 // [range 2.6.22 -> 2.6.23]
        b.add("FIX_DBGP_BASE");
        b.add("FIX_EARLYCON_MEM_BASE");
    }
    if (at(2, 6, 32) && c.ohci1394_dma_init) b.add("FIX_OHCI1394_BASE");   // permanent from 2.6.32
    if (c.local_apic) b.add("FIX_APIC_BASE");
    if (c.io_apic) b.add("FIX_IO_APIC_BASE_0..END", c.max_io_apics);
    if (!at(3, 15) && c.visws) b.add("FIX_CO_CPU, FIX_CO_APIC, FIX_LI_PCIA, FIX_LI_PCIB", 4);
    if (!at(3, 10)) {
        if (c.f00f_bug) b.add("FIX_F00F_IDT");
        if (c.cyclone_timer) b.add("FIX_CYCLONE_TIMER");
    }
    if (c.ro_idt.value_or(at(3, 10) && !at(4, 15))) b.add("FIX_RO_IDT");   // 3.10-4.14
    // FIX_KMAP_*: under CONFIG_HIGHMEM before 2.6.28 and from 5.11 (KMAP_LOCAL), always in between
    f.has_kmap = (!at(2, 6, 28) || at(5, 11)) ? c.highmem : true;
    if (f.has_kmap) {
        f.fix_kmap_begin = b.next;
        b.add("FIX_KMAP_BEGIN..FIX_KMAP_END", km_slots(v, c) * c.nr_cpus);
    }
    if (!at(2, 6, 27) && c.acpi) b.add("FIX_ACPI_BEGIN..END", 4);       // moved to the boot part in 2.6.27
    if (c.pci_mmconfig && (!at(5, 11) || c.highmem)) b.add("FIX_PCIE_MCFG");
    if (at(2, 6, 22) && (at(5, 10) ? c.paravirt_xxl : c.paravirt)) b.add("FIX_PARAVIRT_BOOTMAP");   // [range 5.9 -> 5.11]
    if (at(2, 6, 30) && !at(5, 2)) b.add("FIX_TEXT_POKE1, FIX_TEXT_POKE0", 2);
    if (at(2, 6, 38) && !at(5, 12) && c.intel_mid) b.add("FIX_LNW_VRTC");   // [range 2.6.37 -> 2.6.39], [range 5.11 -> 6.1]
    if (c.gdt_remap.value_or(at(4, 12) && !at(4, 15))) b.add("FIX_GDT_REMAP_BEGIN..END", c.nr_cpus);
    if (at(4, 15) && c.acpi_apei_ghes) b.add("FIX_APEI_GHES_IRQ, FIX_APEI_GHES_NMI", 2);
    f.permanent = b.e;
    f.end_of_permanent = b.next;

    // ---- the boot-time part: FIX_BTMAP slots (early_ioremap), FIX_WP_TEST, ...
    const unsigned perm = f.end_of_permanent, ptrs_per_pte = c.pae ? 512 : 1024;
    unsigned bt_end, bt_begin;
    if (!at(2, 6, 25)) {
        f.btmap_slots = 16;                               // NR_FIX_BTMAPS 16, no alignment (v2.6.24)
        bt_end = perm;
    } else {
        f.btmap_slots = at(3, 17) ? 512 : 256;            // FIX_BTMAPS_SLOTS 4 -> 8 [range 3.16 -> 3.18]
        unsigned total = f.btmap_slots;
        if (!at(2, 6, 27))
            bt_end = perm + 512 - (perm & 511);           // 2.6.25-2.6.26: to the next 512
        else if (!at(2, 6, 34))
            bt_end = perm + 256 - (perm & 255);           // 2.6.27-2.6.33: to the next 256, even when aligned
        else if (((perm ^ (perm + total - 1)) & ~(ptrs_per_pte - 1)) != 0)
            bt_end = perm + total - (perm & (total - 1)); // 2.6.34+: moved only across a page-table boundary
        else
            bt_end = perm;
    }
    bt_begin = bt_end + f.btmap_slots - 1;
    unsigned next = bt_begin + 1;
    next += 1;                                            // FIX_WP_TEST (CONFIG_X86_32, every era)
    if (at(2, 6, 27) && !at(2, 6, 30) && c.acpi) next += 4;   // FIX_ACPI_BEGIN..END after FIX_WP_TEST
    if (c.ohci1394_dma_init && at(2, 6, 25) && !at(2, 6, 30)) next += 1;
    if (c.ohci1394_dma_init && at(2, 6, 31) && !at(2, 6, 32)) next += 1;
    if (at(2, 6, 32) && c.intel_txt) next += 1;            // FIX_TBOOT_BASE
    f.end_of_fixed = next;

    // ---- FIXADDR_TOP: 0xfffff000, lowered by reservetop= (a variable from 2.6.19; 3.16 rounds to a PMD)
    const uint64_t pmd = c.pae ? (2u << 20) : (4u << 20);
    uint64_t top = 0xfffff000;
    if (c.reservetop && at(2, 6, 19)) {
        uint64_t r = (uint64_t(1) << 32) - c.reservetop;
        top = at(3, 16) ? (r & ~(pmd - 1)) - kPage : r - kPage;
    }
    f.fixaddr_top = uint32_t(top);
    f.fixaddr_start = uint32_t(top - (uint64_t(perm) << 12));
    f.fixaddr_boot_start = uint32_t(top - (uint64_t(f.end_of_fixed) << 12));

    // ---- below the fixmap: cpu_entry_area (4.15+), the LDT remap (4.19+), PKMAP_BASE, VMALLOC_END
    const unsigned last_pkmap = c.pae ? 512 : 1024;
    std::string cea = c.cpu_entry_area;
    if (cea.empty() && at(4, 15)) cea = at(4, 16) ? "4.16" : "4.15";
    uint64_t pkmap, nohigh_end;
    if (!cea.empty()) {
        unsigned ppc = cea_pages_per_cpu(v, c);
        uint64_t pages = at(5, 8) ? uint64_t(c.nr_cpus) * ppc : uint64_t(c.nr_cpus) * 40;   // CPU_ENTRY_AREA_PAGES
        uint64_t ref = cea == "4.15" ? f.fixaddr_start : f.fixaddr_boot_start;            // 4.16: FIXADDR_TOT_START
        uint64_t base = (ref - kPage * (pages + 1)) & ~(pmd - 1);
        f.has_cpu_entry = true;
        f.cpu_entry_ref = cea == "4.15" ? "FIXADDR_START" : "FIXADDR_TOT_START";
        f.cpu_entry_start = uint32_t(base);
        f.cpu_entry_end = uint32_t(base + kPage * (1 + uint64_t(c.nr_cpus) * ppc));
        uint64_t below = base;
        if (c.ldt_remap.value_or(at(4, 19))) {
            f.has_ldt = true;
            f.ldt_base = uint32_t((base - kPage) & ~(pmd - 1));
            below = f.ldt_base;
        }
        pkmap = (below - kPage) & ~(pmd - 1);
        nohigh_end = below - 2 * kPage;
        f.pkmap_rule = fmt::format("({} - PAGE_SIZE) & PMD_MASK", f.has_ldt ? "LDT_BASE_ADDR" : "CPU_ENTRY_AREA_BASE");
    } else {
        // up to 3.18 below the boot-time fixmap; 3.19-4.14 below FIXADDR_START (FIXADDR_BOOT_START deleted)
        bool boot = !at(3, 19);
        uint64_t ref = boot ? f.fixaddr_boot_start : f.fixaddr_start;
        pkmap = (ref - kPage * (last_pkmap + 1)) & ~(pmd - 1);
        nohigh_end = f.fixaddr_start - 2 * kPage;
        f.pkmap_rule = fmt::format("({} - PAGE_SIZE*(LAST_PKMAP+1)) & PMD_MASK", boot ? "FIXADDR_BOOT_START" : "FIXADDR_START");
    }
    f.pkmap_base = c.highmem ? uint32_t(pkmap) : 0;
    f.vmalloc_end = uint32_t(c.highmem ? pkmap - 2 * kPage : nohigh_end);
    f.source = fmt::format("enum fixed_addresses of Linux {}: {} permanent entries, {} early_ioremap slots "
                           "(arch/x86/include/asm/fixmap.h; {})",
                           v.text, f.permanent.size(), f.btmap_slots,
                           f.has_cpu_entry ? "asm/pgtable_32_areas.h cpu_entry_area" : "asm/pgtable_32_types.h");
    return f;
}

const std::vector<X86FixmapFlag>& x86_fixmap_flags() {
    using C = X86FixmapConfig;
    static const std::vector<X86FixmapFlag> f = {
        {"local_apic", &C::local_apic},         {"io_apic", &C::io_apic},
        {"acpi", &C::acpi},                     {"pci_mmconfig", &C::pci_mmconfig},
        {"paravirt", &C::paravirt},             {"paravirt_xxl", &C::paravirt_xxl},
        {"paravirt_clock", &C::paravirt_clock}, {"debug_highmem", &C::debug_highmem},
        {"debug_kmap_local", &C::debug_kmap_local}, {"visws", &C::visws},
        {"f00f_bug", &C::f00f_bug},             {"cyclone_timer", &C::cyclone_timer},
        {"intel_mid", &C::intel_mid},           {"ohci1394_dma_init", &C::ohci1394_dma_init},
        {"intel_txt", &C::intel_txt},           {"acpi_apei_ghes", &C::acpi_apei_ghes},
        {"cpu_sup_intel", &C::cpu_sup_intel}};
    return f;
}

namespace {
// the options that differ from the defaults, as (key, value) pairs
std::vector<std::pair<std::string, std::string>> non_defaults(const X86FixmapConfig& c) {
    const X86FixmapConfig d;
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : x86_fixmap_flags())
        if (c.*f.field != d.*f.field) out.push_back({f.key, c.*f.field ? "true" : "false"});
    if (c.max_io_apics != d.max_io_apics) out.push_back({"max_io_apics", fmt::format("{}", c.max_io_apics)});
    if (c.reservetop) out.push_back({"reservetop", fmt::format("{:#x}", c.reservetop)});
    if (!c.cpu_entry_area.empty()) out.push_back({"cpu_entry_area", fmt::format("\"{}\"", c.cpu_entry_area)});
    if (c.gdt_remap) out.push_back({"gdt_remap", *c.gdt_remap ? "true" : "false"});
    if (c.ro_idt) out.push_back({"ro_idt", *c.ro_idt ? "true" : "false"});
    if (c.ldt_remap) out.push_back({"ldt_remap", *c.ldt_remap ? "true" : "false"});
    if (c.cea_pages_per_cpu) out.push_back({"cpu_entry_area_pages_per_cpu", fmt::format("{}", *c.cea_pages_per_cpu)});
    return out;
}
}  // namespace

std::string x86_fixmap_config_text(const X86FixmapConfig& c) {
    std::string s = fmt::format("nr_cpus {}", c.nr_cpus);
    for (const auto& [k, v] : non_defaults(c))
        s += v == "true" ? ", " + k : v == "false" ? ", no " + k : fmt::format(", {} {}", k, v);
    return s;
}

std::string x86_fixmap_config_yaml(const X86FixmapConfig& c) {
    std::string s = "{";
    for (const auto& [k, v] : non_defaults(c)) s += (s.size() > 1 ? ", " : "") + k + ": " + v;
    return s + "}";
}

std::optional<X86FixmapConfig> infer_x86_fixmap_config(const KernelVersion& v, const X86FixmapConfig& given,
                                                       bool nr_cpus_known, const X86FixmapFacts& printed) {
    X86FixmapConfig base = given;
    const bool highmem = base.highmem;
    if (printed.cpu_entry_start && !v.at_least(kv(4, 15))) {
        // a cpu_entry line before 4.15: the PTI backport of a distribution or stable tree (Ubuntu 4.13:
        // the 4.15.0 formula, no GDT remap, the read-only IDT kept, 39 pages per CPU)
        base.cpu_entry_area = "4.15";
        base.gdt_remap = false;
        base.ro_idt = true;
        base.cea_pages_per_cpu = 39;
    }
    using Flag = bool X86FixmapConfig::*;
    static const Flag flags[] = {&X86FixmapConfig::paravirt,       &X86FixmapConfig::f00f_bug,
                                 &X86FixmapConfig::debug_highmem,  &X86FixmapConfig::paravirt_clock,
                                 &X86FixmapConfig::intel_mid,      &X86FixmapConfig::ohci1394_dma_init,
                                 &X86FixmapConfig::acpi_apei_ghes, &X86FixmapConfig::cyclone_timer,
                                 &X86FixmapConfig::pci_mmconfig,   &X86FixmapConfig::acpi,
                                 &X86FixmapConfig::intel_txt,      &X86FixmapConfig::visws};
    const size_t nf = sizeof flags / sizeof flags[0];
    static const unsigned all_cpus[] = {8, 1, 32, 2, 4, 16, 64, 128, 256, 512};
    std::vector<unsigned> cpus(std::begin(all_cpus), std::end(all_cpus));
    if (nr_cpus_known) cpus = {given.nr_cpus};
    auto matches = [&](const X86FixmapConfig& c) {
        X86Fixmap f = x86_fixmap(v, c);
        if (f.fixaddr_start != printed.fixaddr_start) return false;
        if (printed.pkmap_base && (!highmem || f.pkmap_base != *printed.pkmap_base)) return false;
        if (printed.cpu_entry_start && (!f.has_cpu_entry || f.cpu_entry_start != *printed.cpu_entry_start)) return false;
        if (printed.cpu_entry_end && f.cpu_entry_end != *printed.cpu_entry_end) return false;
        if (printed.vmalloc_end && f.vmalloc_end != *printed.vmalloc_end) return false;
        return true;
    };
    // fewest options away from the defaults first; NR_CPUS in the order distributions use
    for (size_t k = 0; k <= 3; ++k)
        for (unsigned n : cpus) {
            std::vector<size_t> pick(k);
            for (size_t i = 0; i < k; ++i) pick[i] = i;
            while (true) {
                X86FixmapConfig c = base;
                c.nr_cpus = n;
                for (size_t i : pick) c.*flags[i] = !(c.*flags[i]);
                if (matches(c)) return c;
                // next combination of k flags
                size_t i = k;
                while (i > 0 && pick[i - 1] == nf - k + i - 1) --i;
                if (i == 0) break;
                ++pick[i - 1];
                for (size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
            }
        }
    return std::nullopt;
}

}  // namespace kmemkit
