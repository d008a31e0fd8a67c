// Every boundary of the rule tables, pinned on both sides: the last release
// before it and the first one at it, with the value each must give.  The
// values restate what the kernel source of each side says (the release trees
// of doc/kernel-rules.md), independently of the rows: a row moved or changed
// fails here.
#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "kmemkit/kernel/rules.hpp"
#include "kmemkit/kernel/rules_doc.hpp"

using namespace kmemkit;

namespace {
struct Boundary {
    const char* what;
    Arch arch;
    const char* before;   // the last release before the change
    const char* after;    // the first release with it
    std::function<uint64_t(const KernelRules&)> get;
    uint64_t was, is;
};
uint64_t u(bool b) { return b ? 1 : 0; }
template <class E>
uint64_t e(E x) { return uint64_t(x); }
}  // namespace

TEST_CASE("kernel rules: both sides of every boundary", "[rules]") {
    const Arch A = Arch::arm, X = Arch::x86;
    const Boundary b[] = {
        // ---- layout, ARM (arch/arm/mm/mmu.c, init.c, asm/fixmap.h, asm/pgtable.h)
        {"vmalloc_reserve 128M (setup.c@v2.6.27)", A, "2.6.26", "2.6.27", [](auto& r) { return r.layout->arm_default_gap; }, 0, 128u << 20},
        {"VMSPLIT Kconfig", A, "2.6.27", "2.6.28", [](auto& r) { return u(r.layout->page_offset_configurable); }, 0, 1},
        {"vmalloc= 16M minimum", A, "2.6.27", "2.6.28", [](auto& r) { return r.layout->arm_vmalloc_min; }, 0, 16u << 20},
        {"ZONE_DMA optional", A, "2.6.27", "2.6.28", [](auto& r) { return u(r.layout->arm_zone0_is_dma); }, 1, 0},
        {"vmalloc= maximum", A, "2.6.28", "2.6.29", [](auto& r) { return uint64_t(r.layout->arm_vmalloc_max_rule); }, 0, 1},
        {"high_memory = __va(end-1)+1", A, "2.6.28", "2.6.29", [](auto& r) { return u(r.layout->arm_high_memory_minus1); }, 0, 1},
        {"CONFIG_HIGHMEM", A, "2.6.29", "2.6.30", [](auto& r) { return u(r.layout->highmem_supported); }, 0, 1},
        {"fixmap 0xfff00000", A, "2.6.29", "2.6.30", [](auto& r) { return r.layout->arm_fixaddr_start; }, 0, 0xfff00000},
        {"layout block printed", A, "2.6.33", "2.6.34", [](auto& r) { return e(r.layout->arm_print); }, e(ArmLayoutPrint::none), e(ArmLayoutPrint::v2634)},
        {"TCM lines", A, "2.6.35", "2.6.36", [](auto& r) { return u(r.layout->arm_print_tcm); }, 0, 1},
        {"Memory: per memblock region", A, "2.6.36", "2.6.37", [](auto& r) { return u(r.layout->arm_mem_total_merges_regions); }, 0, 1},
        {".bss line", A, "2.6.39.3", "3.0", [](auto& r) { return e(r.layout->arm_print); }, e(ArmLayoutPrint::v2634), e(ArmLayoutPrint::v30)},
        {".text first", A, "3.0.1", "3.1", [](auto& r) { return e(r.layout->arm_print); }, e(ArmLayoutPrint::v30), e(ArmLayoutPrint::v31)},
        {"DMA line gone", A, "3.1.10", "3.2", [](auto& r) { return e(r.layout->arm_print); }, e(ArmLayoutPrint::v31), e(ArmLayoutPrint::v34)},
        {"generic VMALLOC_END", A, "3.2.7", "3.3", [](auto& r) { return r.layout->arm_vmalloc_end; }, 0, 0xff000000},
        {"240M default", A, "3.2.7", "3.3", [](auto& r) { return r.layout->arm_default_gap; }, 128u << 20, 248u << 20},
        {"modules line needs CONFIG_MODULES", A, "3.3.8", "3.4", [](auto& r) { return u(r.layout->arm_modules_line_always); }, 1, 0},
        {"real pfns (ARM: 7805/1)", A, "3.12.24", "3.13", [](auto& r) { return u(r.layout->arm_pfns_are_counts); }, 1, 0},
        {"memblock checks", A, "3.15.5", "3.16", [](auto& r) { return e(r.layout->arm_lowmem); }, e(ArmLowmemRule::bank_reserve), e(ArmLowmemRule::memblock_min)},
        {"fixmap 0xffc00000", A, "3.15.5", "3.16", [](auto& r) { return r.layout->arm_fixaddr_start; }, 0xfff00000, 0xffc00000},
        {"fixmap printed end", A, "3.18.30", "3.19", [](auto& r) { return r.layout->arm_fixaddr_end; }, 0xffe00000, 0xfff00000},
        {"fixmap downward", A, "3.18.30", "3.19", [](auto& r) { return u(r.layout->arm_fixmap_down); }, 0, 1},
        {"VMALLOC_END 0xff800000", A, "4.3", "4.4", [](auto& r) { return r.layout->arm_vmalloc_end; }, 0xff000000, 0xff800000},
        {"VMSPLIT_3G_OPT", A, "4.3", "4.4", [](auto& r) { return u(r.layout->arm_vmsplit_3g_opt); }, 0, 1},
        {"adjust_lowmem_bounds", A, "4.10", "4.11", [](auto& r) { return e(r.layout->arm_trunc); }, e(ArmTruncMsg::memblock), e(ArmTruncMsg::memblock_limit)},
        {"(ptrval)", A, "4.14.336", "4.15", [](auto& r) { return e(r.layout->arm_print); }, e(ArmLayoutPrint::v34), e(ArmLayoutPrint::v415)},
        {"block gone", A, "5.1", "5.2", [](auto& r) { return e(r.layout->arm_print); }, e(ArmLayoutPrint::v415), e(ArmLayoutPrint::none)},
        {"zone ranges printed", A, "5.7", "5.8", [](auto& r) { return u(r.layout->zone_ranges_printed); }, 0, 1},
        {"fixmap 0xffc80000", A, "5.10.7", "5.11", [](auto& r) { return r.layout->arm_fixaddr_start; }, 0xffc00000, 0xffc80000},
        {"vmalloc_size", A, "5.12.9", "5.14", [](auto& r) { return e(r.layout->arm_lowmem); }, e(ArmLowmemRule::memblock_min), e(ArmLowmemRule::memblock_size)},
        // ---- layout, x86 (arch/x86/mm/init_32.c, asm/pgtable_32_types.h)
        {"x86 layout block", X, "2.6.18", "2.6.19", [](auto& r) { return e(r.layout->x86_print); }, e(X86LayoutPrint::none), e(X86LayoutPrint::v219)},
        {"Use a HIGHMEM64G", X, "2.6.22", "2.6.23", [](auto& r) { return u(r.layout->x86_highmem64g_msg); }, 0, 1},
        {"min_low_pfn not modelled", X, "2.6.24", "2.6.25", [](auto& r) { return e(r.layout->x86_min_low_pfn); }, e(X86MinLowPfn::init_pg_tables_end), e(X86MinLowPfn::not_modelled)},
        {"e820 clamp", X, "2.6.26", "2.6.27", [](auto& r) { return u(r.layout->x86_e820_clamp); }, 0, 1},
        {"MAXMEM from VMALLOC_END", X, "2.6.27", "2.6.28", [](auto& r) { return e(r.layout->x86_maxmem); }, e(X86MaxmemRule::fixed), e(X86MaxmemRule::from_vmalloc_end)},
        {"min_low_pfn always 0", X, "2.6.28", "2.6.29", [](auto& r) { return e(r.layout->x86_min_low_pfn); }, e(X86MinLowPfn::not_modelled), e(X86MinLowPfn::zero)},
        {"lowmem_pfn_init messages", X, "2.6.29", "2.6.30", [](auto& r) { return u(r.layout->x86_pfn_init_msgs); }, 0, 1},
        {"cpu_entry line", X, "4.14.336", "4.15", [](auto& r) { return e(r.layout->x86_print); }, e(X86LayoutPrint::v219), e(X86LayoutPrint::v415)},
        {"x86 block gone", X, "5.4.256", "5.5", [](auto& r) { return e(r.layout->x86_print); }, e(X86LayoutPrint::v415), e(X86LayoutPrint::none)},
        // ---- zones (mm/page_alloc.c)
        {"Zone PFN ranges", X, "2.6.18", "2.6.19", [](auto& r) { return e(r.zones->ranges); }, e(RangesFmt::none), e(RangesFmt::pfn_dec)},
        {"memmap accounting", X, "2.6.18", "2.6.19", [](auto& r) { return e(r.zones->memmap); }, e(MemmapRule::none), e(MemmapRule::trunc_always)},
        {"ZONE_MOVABLE", X, "2.6.22", "2.6.23", [](auto& r) { return u(r.zones->zone_movable); }, 0, 1},
        {"zonelist order", X, "2.6.22", "2.6.23", [](auto& r) { return e(r.zones->zonelist); }, e(ZonelistFmt::plain), e(ZonelistFmt::order)},
        {"mobility grouping", X, "2.6.23", "2.6.24", [](auto& r) { return e(r.zones->zonelist); }, e(ZonelistFmt::order), e(ZonelistFmt::mobility_order)},
        {"memmap PAGE_ALIGN", X, "2.6.25", "2.6.26", [](auto& r) { return e(r.zones->memmap); }, e(MemmapRule::trunc_always), e(MemmapRule::align_always)},
        {"memmap via mminit_dprintk", X, "2.6.26", "2.6.27", [](auto& r) { return e(r.zones->memmap); }, e(MemmapRule::align_always), e(MemmapRule::align_silent)},
        {"hex PFN ranges", X, "2.6.26", "2.6.27", [](auto& r) { return e(r.zones->ranges); }, e(RangesFmt::pfn_dec), e(RangesFmt::pfn_hex)},
        {"memmap printed again", X, "2.6.27", "2.6.28", [](auto& r) { return e(r.zones->memmap); }, e(MemmapRule::align_silent), e(MemmapRule::align_always)},
        {"memmap only if nonzero", X, "2.6.28", "2.6.29", [](auto& r) { return e(r.zones->memmap); }, e(MemmapRule::align_always), e(MemmapRule::align_nonzero)},
        {"empty zones", X, "2.6.33", "2.6.34", [](auto& r) { return u(r.zones->ranges_empty); }, 0, 1},
        {"Early memory PFN ranges", X, "3.1", "3.3", [](auto& r) { return u(r.zones->early_memory_header); }, 0, 1},
        {"[mem] ranges", X, "3.4.113", "3.5", [](auto& r) { return e(r.zones->ranges); }, e(RangesFmt::pfn_hex), e(RangesFmt::mem32)},
        {"managed_pages", X, "3.8.13", "3.9", [](auto& r) { return u(r.zones->managed_pages); }, 0, 1},
        {"ARM Memory total line", A, "3.10.4", "3.11", [](auto& r) { return u(r.zones->mem_total_line); }, 1, 0},
        {"Initmem line", X, "3.17", "3.18", [](auto& r) { return u(r.zones->initmem_line); }, 0, 1},
        {"highmem memmap not charged", X, "3.18.30", "3.19", [](auto& r) { return e(r.zones->highmem); }, e(HighmemCharge::managed_full), e(HighmemCharge::not_charged)},
        {"%#018Lx", X, "3.19.8", "4.0", [](auto& r) { return e(r.zones->ranges); }, e(RangesFmt::mem32), e(RangesFmt::mem64)},
        {"zonelist order removed", X, "4.13.4", "4.14", [](auto& r) { return e(r.zones->zonelist); }, e(ZonelistFmt::mobility_order), e(ZonelistFmt::mobility)},
        {"Reserved but unavailable", X, "4.14.336", "4.15", [](auto& r) { return e(r.zones->unavail); }, e(UnavailRule::none), e(UnavailRule::resv_after)},
        {"zero_resv_unavail FLATMEM", X, "4.17", "4.18", [](auto& r) { return e(r.zones->unavail); }, e(UnavailRule::resv_after), e(UnavailRule::none)},
        {"batch cap 1M", X, "4.18", "4.19", [](auto& r) { return r.zones->batch_cap_bytes; }, 512u << 10, 1u << 20},
        // ---- mm (mm/page_alloc.c, mm/vmalloc.c)
        {"/proc/vmallocinfo", X, "2.6.25", "2.6.26", [](auto& r) { return u(r.mm->vmallocinfo); }, 0, 1},
        {"vmap rbtree", X, "2.6.27", "2.6.28", [](auto& r) { return e(r.mm->vmap); }, e(VmapAlgo::vmlist), e(VmapAlgo::vmap_extra_page)},
        {"tail heuristic", X, "2.6.34", "2.6.35", [](auto& r) { return u(r.mm->free_tail_heuristic); }, 0, 1},
        {"vmap area cache", X, "2.6.38", "2.6.39", [](auto& r) { return e(r.mm->vmap); }, e(VmapAlgo::vmap_extra_page), e(VmapAlgo::vmap_cached)},
        {"watermarks over managed_pages", X, "3.8.13", "3.9", [](auto& r) { return e(r.mm->zone_pages); }, e(ZonePages::kernel_present), e(ZonePages::managed)},
        {"free-range tree", X, "5.1", "5.2", [](auto& r) { return e(r.mm->vmap); }, e(VmapAlgo::vmap_cached), e(VmapAlgo::free_tree)},
        {"extfrag_index %2d", A, "5.15", "5.16", [](auto& r) { return u(r.mm->extfrag_index_width2); }, 0, 1},
        // ---- kmap (asm/kmap_types.h, mm/highmem.c)
        {"ARM KM_TYPE_NR 15", A, "2.6.33", "2.6.34", [](auto& r) { return uint64_t(r.kmap->slots); }, 14, 15},
        {"ARM KM_TYPE_NR 16", A, "2.6.34", "2.6.35", [](auto& r) { return uint64_t(r.kmap->slots); }, 15, 16},
        {"ARM kmap_atomic stack", A, "2.6.36", "2.6.37", [](auto& r) { return e(r.kmap->model); }, e(KmapAtomicModel::typed), e(KmapAtomicModel::stack)},
        {"ARM FIX_KMAP_BEGIN 1", A, "4.1.15", "4.3", [](auto& r) { return uint64_t(r.kmap->arm_fix_kmap_begin); }, 0, 1},
        {"x86 kunmap_atomic PTE clear", X, "2.6.18", "2.6.19", [](auto& r) { return u(r.kmap->atomic_unmap_clears_pte); }, 0, 1},
        {"x86 KM_TYPE_NR 19", X, "2.6.30", "2.6.31", [](auto& r) { return uint64_t(r.kmap->slots); }, 13, 19},
        {"x86 KM_TYPE_NR 20", X, "2.6.34", "2.6.35", [](auto& r) { return uint64_t(r.kmap->slots); }, 19, 20},
        {"kmap_local", X, "5.10.7", "5.11", [](auto& r) { return e(r.kmap->model); }, e(KmapAtomicModel::stack), e(KmapAtomicModel::local)},
    };
    for (const auto& x : b) {
        INFO(x.what << ": " << x.before << " -> " << x.after);
        CHECK(x.get(rules_for(x.arch, parse_kernel_version(x.before))) == x.was);
        CHECK(x.get(rules_for(x.arch, parse_kernel_version(x.after))) == x.is);
    }
}

TEST_CASE("kernel rules: every row's first release changes something", "[rules]") {
    // a row that changes no field is a boundary without a rule: the audit table (doc/kernel-rules.md,
    // one line per field and range of releases) cites every row that set a value
    const std::string doc = kernel_rules_markdown();
    auto cited = [&](const char* name) { return doc.find(std::string("| ") + name + ": ") != std::string::npos; };
    for (Arch a : {Arch::arm, Arch::x86}) {
        for (const auto& r : layout_table(a)) {
            INFO(r.name);
            CHECK(cited(r.name));
        }
        for (const auto& r : kmap_table(a)) {
            INFO(r.name);
            CHECK(cited(r.name));
        }
    }
    for (const auto& r : zone_table()) {
        INFO(r.name);
        CHECK(cited(r.name));
    }
    for (const auto& r : mm_table()) {
        INFO(r.name);
        CHECK(cited(r.name));
    }
}
