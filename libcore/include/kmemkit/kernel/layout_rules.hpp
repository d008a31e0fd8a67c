// The layout rules of each era: one row per release where arch/arm/mm or
// arch/x86/mm changed what kmemkit models.  The rows are in
// src/kernel/layout_rules.cpp; kernel/rules.hpp chooses them.
#pragma once
#include <cstdint>
#include <string>

#include "kmemkit/kernel/version.hpp"

namespace kmemkit {

// ---- ARM ----------------------------------------------------------------
enum class ArmLowmemRule {
    none,            // <= 2.6.26: every bank is mapped, no vmalloc= parameter
    bank_reserve,    // 2.6.27 - 3.x: VMALLOC_MIN = VMALLOC_END - reserve, per-bank checks
    memblock_min,    // 4.x - 5.10: memblock sanity_check_meminfo()/adjust_lowmem_bounds(), vmalloc_min
    memblock_size,   // 5.11+/6.1: vmalloc_size; limit = VMALLOC_END - size - VMALLOC_OFFSET
};
enum class ArmLayoutPrint {
    none,        // not printed (< 2.6.34, >= 5.2)
    v2634,       // 2.6.34-2.6.38: vector [TCM] fixmap DMA vmalloc lowmem [pkmap] modules .init .text .data
    v30,         // 3.0: as v2634 plus "       .bss"
    v31,         // 3.1: DMA line kept; sections reordered .text .init .data .bss
    v34,         // 3.2-4.14: no DMA line; .text .init .data .bss
    v415,        // 4.15-5.1: as v34 but the section lines show 0x(ptrval)
};
enum class ArmTruncMsg {
    none,        // <= 2.6.26: nothing checked
    bank,        // 2.6.27-3.15 meminfo banks: "Truncating RAM at %.8lx-%.8lx to -%.8lx (vmalloc region overlap).",
                 // "Ignoring RAM at ... (vmalloc region overlap)." (inclusive ends); HIGHMEM splits the bank
    memblock,    // 3.16-4.11 memblock sanity_check_meminfo(): "Truncating RAM at %pa-%pa" " to -%pa" (exclusive
                 // ends), "Ignoring RAM at %pa-%pa (!CONFIG_HIGHMEM)", "Consider using a HIGHMEM enabled kernel."
    memblock_limit, // 4.12+ adjust_lowmem_bounds(): "Ignoring RAM at %pa-%pa" (memblock_limit .. end of DRAM)
                 // + "Consider using a HIGHMEM enabled kernel."
};

// ---- x86-32 -------------------------------------------------------------
enum class X86MaxmemRule {
    fixed,           // <= 2.6.27: MAXMEM = -PAGE_OFFSET - __VMALLOC_RESERVE (896 MB on 3G)
    from_vmalloc_end // 2.6.28+: MAXMEM = VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE
};
enum class X86LayoutPrint {
    none,        // 2.6.18; 5.5+
    v219,        // 2.6.19-4.14: fixmap [pkmap] vmalloc lowmem .init .data .text
    v415,        // 4.15-5.4: adds "  cpu_entry" after fixmap
};

enum class X86MinLowPfn {
    init_pg_tables_end, // <= 2.6.24 setup_memory(): PFN_UP(init_pg_tables_end) (arch/i386/kernel/setup.c@v2.6.24)
    not_modelled,       // 2.6.25-2.6.28: PAE-format boot tables (head_32.S), find_e820_area() bitmap
    zero,               // 2.6.29+: never set (commit fc5efe3941c4 "Remove min_low_pfn reference, it is always 0")
};

struct Era {
    const char* name;          // "arm-2.6.30", shown in --explain and --json
    Arch arch;
    VersionKey since;          // first version (kv()) this row applies to
    const char* source;        // where the row was read from

    // common
    bool page_offset_configurable;   // ARM: CONFIG_PAGE_OFFSET/VMSPLIT from 2.6.28
    bool highmem_supported;          // ARM: CONFIG_HIGHMEM from 2.6.30
    uint64_t vmalloc_offset;         // VMALLOC_OFFSET, 8 MB everywhere
    const char* size_unit;           // "MB" or "MiB" in the kernel's vmalloc= messages

    // ARM
    ArmLowmemRule arm_lowmem;
    uint64_t arm_default_gap;        // VMALLOC_END - default lowmem limit (128M; 240M+8M)
    bool arm_param_adds_offset;      // vmalloc=X puts the limit at VMALLOC_END - X - 8M (6.1) or - X
    uint64_t arm_vmalloc_min;        // smallest vmalloc= accepted (16M from 2.6.28; 0 before)
    int arm_vmalloc_max_rule;        // 0 none; 1 VMALLOC_END-(PAGE_OFFSET+32M) (2.6.29+); 2 also -8M (6.1)
    ArmTruncMsg arm_trunc;
    uint32_t arm_vmalloc_end;        // generic VMALLOC_END; 0 = per machine (mach/vmalloc.h)
    bool arm_high_memory_minus1;     // __va(end - 1) + 1 (2.6.29+) vs __va(end)
    uint32_t arm_fixaddr_start;      // 0 = no fixmap
    uint32_t arm_fixaddr_end;        // end printed by mem_init (TOP or END)
    bool arm_fixmap_down;            // __fix_to_virt grows downward from FIXADDR_TOP
    uint32_t arm_fixaddr_top;        // FIXADDR_TOP (the slot-0 address when growing down)
    ArmLayoutPrint arm_print;
    bool arm_modules_line_always;    // the modules line is printed without CONFIG_MODULES (< 3.4)
    bool arm_print_tcm;              // mem_init prints DTCM/ITCM lines (CONFIG_HAVE_TCM) from 2.6.36
    bool arm_consistent_region;      // fixed CONSISTENT_BASE..0xffe00000 DMA region (< 3.4)
    bool arm_zone0_is_dma;           // zone 0 is "DMA" (ZONE_DMA always on ARM <= 2.6.27)
    bool arm_pfns_are_counts;        // max_low_pfn/max_pfn are page counts before 3.12, real pfns from 3.12 (ARM: 7805/1)
    bool arm_vmsplit_3g_opt;         // CONFIG_VMSPLIT_3G_OPT (PAGE_OFFSET 0xb0000000) exists (4.4+)
    bool arm_mem_total_merges_regions; // mem_init "Memory: %ldMB ..." walks memblock regions, so touching banks
                                     // print as one (3.7+) [range 3.4 -> 3.10]

    // x86
    X86MaxmemRule x86_maxmem;
    bool x86_param_adds_offset;      // vmalloc= sets __VMALLOC_RESERVE = size + 8M (2.6.28+)
    bool x86_vmalloc_start_aligned;  // VMALLOC_START = (high_memory + 2*8M - 1) & ~(8M-1) (<= 2.6.27)
    X86LayoutPrint x86_print;
    bool x86_highmem64g_msg;         // "Use a HIGHMEM64G enabled kernel." (2.6.23+) vs "Use a PAE enabled kernel."
    bool x86_e820_clamp;             // e820 RAM above max_arch_pfn trimmed silently (2.6.27+) vs find_max_pfn()
    bool x86_pfn_init_msgs;          // highmem= refusals as lowmem_pfn_init()/highmem_pfn_init() MSG_* (2.6.30+)
                                     // vs find_max_low_pfn()/find_low_pfn_range() texts (2.6.18-2.6.29)
    bool x86_mem_init_bug_on;        // mem_init() has BUG_ON(VMALLOC_START >= VMALLOC_END) (2.6.19+)
    X86MinLowPfn x86_min_low_pfn;    // what min_low_pfn holds
    bool x86_active_range_whole;     // zone_sizes_init() registers one active range 0..highend_pfn: no e820
                                     // holes in the node (<= 2.6.26) [range 2.6.20 -> 2.6.31]

    // both
    bool zone_ranges_printed;        // the arch calls free_area_init_nodes()/free_area_init(), which prints
                                     // "Zone ranges:" (x86 2.6.19+; ARM from 5.8)
};

}  // namespace kmemkit
