// The layout rule tables (arch/arm/mm/mmu.c, init.c, asm/memory.h, pgtable.h,
// fixmap.h; arch/x86/mm/init_32.c, asm/pgtable_32_types.h, fixmap.h).  Each row
// is the previous row plus what changed in that release, with the kernel source
// it was read from.  To add an era, add a row here.
#include "kmemkit/kernel/layout_rules.hpp"

#include <vector>

namespace kmemkit {
namespace kernel_tables {

std::vector<Era> layout_rows_arm() {
    std::vector<Era> t;
    Era e{};
    e.arch = Arch::arm;
    e.vmalloc_offset = 8u << 20;   // VMALLOC_OFFSET (asm/pgtable.h, all eras)
    e.size_unit = "MB";

    e.name = "arm-2.6.18";
    e.since = kv(2, 6, 0);
    e.source = "v2.6.18 include/asm-arm/memory.h, pgtable.h; arch/arm/mm/init.c";
    e.page_offset_configurable = false;   // PAGE_OFFSET 0xc0000000 unless the machine overrides
    e.highmem_supported = false;
    e.arm_lowmem = ArmLowmemRule::none;   // no vmalloc=, no lowmem check
    e.arm_default_gap = 0;
    e.arm_param_adds_offset = false;
    e.arm_vmalloc_min = 0;
    e.arm_vmalloc_max_rule = 0;
    e.arm_trunc = ArmTruncMsg::none;
    e.arm_vmalloc_end = 0;                // per machine: mach/vmalloc.h
    e.arm_high_memory_minus1 = false;     // high_memory = __va(memend_pfn << PAGE_SHIFT)
    e.arm_fixaddr_start = 0;              // no fixmap before 2.6.30
    e.arm_print = ArmLayoutPrint::none;
    e.arm_consistent_region = true;       // CONSISTENT_END 0xffe00000 (arch/arm/mm/consistent.c)
    e.arm_zone0_is_dma = true;            // ZONE_DMA is zone 0 and always configured
    e.arm_pfns_are_counts = true;         // max_low_pfn = memend_pfn - PHYS_PFN_OFFSET
    e.arm_vmsplit_3g_opt = false;
    e.arm_mem_total_merges_regions = false;
    e.arm_print_tcm = false;
    e.arm_modules_line_always = true;     // mem_init prints the modules line unconditionally until 3.4
    e.zone_ranges_printed = false;        // bootmem_init() calls free_area_init_node() itself
    t.push_back(e);

    e.name = "arm-2.6.27";
    e.since = kv(2, 6, 27);
    e.source = "commit 60296c71f6c (2.6.27) arch/arm/kernel/setup.c: vmalloc_reserve, VMALLOC_MIN, check_membank_valid()";
    e.arm_lowmem = ArmLowmemRule::bank_reserve;
    e.arm_default_gap = 128u << 20;       // vmalloc_reserve = 128 << 20
    e.arm_trunc = ArmTruncMsg::bank;
    t.push_back(e);

    e.name = "arm-2.6.28";
    e.since = kv(2, 6, 28);
    e.source = "v2.6.28 arch/arm/mm/mmu.c early_vmalloc() (16 MB minimum); arch/arm/Kconfig VMSPLIT; commit 3bca103a1e6 (ZONE_DMA optional)";
    e.page_offset_configurable = true;
    e.arm_vmalloc_min = 16u << 20;        // "vmalloc area too small, limiting to %luMB"
    e.arm_zone0_is_dma = false;
    t.push_back(e);

    e.name = "arm-2.6.29";
    e.since = kv(2, 6, 29);
    e.source = "v2.6.29 arch/arm/mm/mmu.c (commit 9210807cb5a: at most VMALLOC_END-(PAGE_OFFSET+32M)); init.c high_memory = __va(end-1)+1";
    e.arm_vmalloc_max_rule = 1;
    e.arm_high_memory_minus1 = true;
    t.push_back(e);

    e.name = "arm-2.6.30";
    e.since = kv(2, 6, 30);
    e.source = "v2.6.32.9 arch/arm/mm/mmu.c sanity_check_meminfo(); asm/highmem.h PKMAP_BASE; asm/fixmap.h (commit d73cd42893f, 5f0fbf9ecaf)";
    e.highmem_supported = true;
    e.arm_fixaddr_start = 0xfff00000;     // FIXADDR_START
    e.arm_fixaddr_end = 0xfffe0000;       // FIXADDR_TOP, printed as the end
    e.arm_fixaddr_top = 0xfffe0000;
    e.arm_fixmap_down = false;            // __fix_to_virt(x) = FIXADDR_START + (x << PAGE_SHIFT)
    t.push_back(e);

    e.name = "arm-2.6.34";
    e.since = kv(2, 6, 34);
    e.source = "v2.6.34 arch/arm/mm/init.c mem_init() (commit db9ef1af487 \"Virtual kernel memory layout\")";
    e.arm_print = ArmLayoutPrint::v2634;
    t.push_back(e);

    e.name = "arm-2.6.36";
    e.since = kv(2, 6, 36);
    e.source = "arch/arm/mm/init.c@v2.6.36 mem_init(): DTCM/ITCM lines after vector #ifdef CONFIG_HAVE_TCM (commit "
               "07d2a5c721c \"ARM: 6224/1: print TCM whereabouts in init message\"; absent in v2.6.35)";
    e.arm_print_tcm = true;
    t.push_back(e);

    e.name = "arm-2.6.37";
    e.since = kv(2, 6, 37);
    e.source = "arch/arm/mm/init.c@v2.6.37 mem_init(): for_each_memblock(memory, reg) prints one \" %ldMB\" per memblock "
               "region, and memblock merges touching banks (commit 47ea3c15498 \"ARM: memblock: convert memory detail "
               "printing to use memblock\"; v2.6.36 walks meminfo banks)";
    e.arm_mem_total_merges_regions = true;
    t.push_back(e);

    e.name = "arm-3.0";
    e.since = kv(3, 0);
    e.source = "arch/arm/mm/init.c@v3.0.1 mem_init(): adds the \"       .bss\" line (v2.6.39 and v2.6.39.3 print "
               ".init/.text/.data only)";
    e.arm_print = ArmLayoutPrint::v30;
    t.push_back(e);

    e.name = "arm-3.1";
    e.since = kv(3, 1);
    e.source = "arch/arm/mm/init.c@v3.1 mem_init(): .text first, DMA line still printed (v3.0.1: .init first; "
               "bootlog kirkwood-sheevaplug-3.1)";
    e.arm_print = ArmLayoutPrint::v31;
    t.push_back(e);

    e.name = "arm-3.2";
    e.since = kv(3, 2);
    e.source = "arch/arm/mm/init.c@v3.3.8 mem_init(): no \"DMA     :\" line (CONSISTENT_BASE gone: dma-mapping.c "
               "consistent_base, init_consistent_dma_size(), 3.2 cycle); v3.1 prints it [range 3.1 -> 3.3: the 3.2 "
               "tree read (3.2.7) is a vendor one]";
    e.arm_print = ArmLayoutPrint::v34;
    t.push_back(e);

    e.name = "arm-3.3";
    e.since = kv(3, 3);
    e.source = "arch/arm/include/asm/pgtable.h@v3.3.8 VMALLOC_END 0xff000000UL (the mach/vmalloc.h files are gone); "
               "arch/arm/mm/mmu.c@v3.3.8 vmalloc_min = VMALLOC_END - (240 << 20) - VMALLOC_OFFSET (\"default is "
               "240m\"; v3.1 and the vendor 3.2.7: VMALLOC_END - SZ_128M) [range 3.2 -> 3.3]";
    e.arm_vmalloc_end = 0xff000000;
    e.arm_default_gap = (240u << 20) + (8u << 20);
    t.push_back(e);

    e.name = "arm-3.4";
    e.since = kv(3, 4);
    e.source = "arch/arm/mm/dma-mapping.c: the consistent DMA region below CONSISTENT_END 0xffe00000 (still in "
               "asm/memory.h@v3.3.8 and @v3.4.113) is gone with the CMA rework [range 3.4 -> 3.6]";
    e.arm_consistent_region = false;      // dma-mapping: no fixed consistent region
    e.arm_modules_line_always = false;    // arch/arm/mm/init.c@v3.4.113: #ifdef CONFIG_MODULES around the modules line
    t.push_back(e);

    e.name = "arm-3.13";
    e.since = kv(3, 13);
    e.source = "arch/arm/mm/init.c@v3.13.10 bootmem_init(): min_low_pfn = min; max_low_pfn = max_low; max_pfn = max_high "
               "(\"ARM: 7805/1: mm: change max*pfn to include the physical offset of memory\", merged for 3.13); "
               "v3.12.0 and v3.12.24 still subtract PHYS_PFN_OFFSET";
    e.arm_pfns_are_counts = false;
    t.push_back(e);

    e.name = "arm-3.16";
    e.since = kv(3, 16);
    e.source = "arch/arm/mm/mmu.c@v3.16 sanity_check_meminfo() over memblock (\"ARM: mm: Get rid of meminfo\"); "
               "arch/arm/include/asm/fixmap.h@v3.16 FIXADDR_START 0xffc00000, FIXADDR_TOP 0xffe00000, still upward "
               "(\"ARM: 8031/2: change fixmap mapping region to support 32 CPUs\"); v3.15.5: 0xfff00000..0xfffe0000";
    e.arm_lowmem = ArmLowmemRule::memblock_min;
    e.arm_trunc = ArmTruncMsg::memblock;
    e.arm_fixaddr_start = 0xffc00000;
    e.arm_fixaddr_end = 0xffe00000;       // mem_init prints MLK(FIXADDR_START, FIXADDR_TOP) (v3.18.30)
    e.arm_fixaddr_top = 0xffe00000;
    t.push_back(e);

    e.name = "arm-3.19";
    e.since = kv(3, 19);
    e.source = "arch/arm/include/asm/fixmap.h@v3.19.8 FIXADDR_END 0xfff00000, FIXADDR_TOP (FIXADDR_END - PAGE_SIZE), "
               "asm-generic/fixmap.h (downward); arch/arm/mm/init.c@v3.19.8 MLK(FIXADDR_START, FIXADDR_END); the same "
               "in v4.1.15 and v4.4 (v3.18.30: upward, TOP 0xffe00000)";
    e.arm_fixaddr_end = 0xfff00000;
    e.arm_fixaddr_top = 0xffeff000;
    e.arm_fixmap_down = true;
    t.push_back(e);

    e.name = "arm-4.4";
    e.since = kv(4, 4);
    e.source = "arch/arm/include/asm/pgtable.h@v4.4 VMALLOC_END 0xff800000UL (v4.3: 0xff000000UL); arch/arm/Kconfig@v4.4 "
               "VMSPLIT_3G_OPT (absent in v4.3)";
    e.arm_vmalloc_end = 0xff800000;
    // arch/arm/Kconfig "3G/1G user/kernel split (for full 1G low memory)", PAGE_OFFSET 0xB0000000:
    // absent from a 3.18.117 tree, present in 4.9; first in v4.4-rc1 (raspberrypi/linux#5245 cites the
    // v4.3..v4.4-rc1 diff)
    e.arm_vmsplit_3g_opt = true;
    t.push_back(e);

    e.name = "arm-4.11";
    e.since = kv(4, 11);
    e.source = "arch/arm/mm/mmu.c@v4.11 adjust_lowmem_bounds(): \"Ignoring RAM at %pa-%pa\" (memblock_limit rework; "
               "v4.10 sanity_check_meminfo() \"Truncating RAM at\"; v4.12 and v5.4.18 the same as 4.11)";
    e.arm_trunc = ArmTruncMsg::memblock_limit;
    t.push_back(e);

    e.name = "arm-4.15";
    e.since = kv(4, 15);
    e.source = "v5.0.1 lib/vsprintf.c: %p before the hash key prints (ptrval)";
    e.arm_print = ArmLayoutPrint::v415;
    t.push_back(e);

    e.name = "arm-5.2";
    e.since = kv(5, 2);
    e.source = "v5.2.1 arch/arm/mm/init.c: the layout printk is gone";
    e.arm_print = ArmLayoutPrint::none;
    t.push_back(e);

    e.name = "arm-5.8";
    e.since = kv(5, 8);
    e.source = "arch/arm/mm/init.c@v5.10 zone_sizes_init(): free_area_init(max_zone_pfn), which prints \"Zone ranges:\" "
               "(commit \"mm: free_area_init: allow defining max_zone_pfn in descending order\" series, 5.8; 5.4 calls "
               "free_area_init_node() directly)";
    e.zone_ranges_printed = true;
    t.push_back(e);

    e.name = "arm-5.11";
    e.since = kv(5, 11);
    e.source = "arch/arm/include/asm/fixmap.h@v5.11 FIXADDR_START 0xffc80000 (v5.10.7: 0xffc00000)";
    e.arm_fixaddr_start = 0xffc80000;
    t.push_back(e);

    e.name = "arm-5.14";
    e.since = kv(5, 14);
    e.source = "arch/arm/mm/mmu.c@v5.14-rc5 and @v6.1 vmalloc_size, adjust_lowmem_bounds(), \"vmalloc area is too "
               "small, limiting to %luMiB\" (v5.11.0 and v5.12.9 still vmalloc_min and MB) [range 5.13 -> 5.14]";
    e.arm_lowmem = ArmLowmemRule::memblock_size;
    e.arm_param_adds_offset = true;
    e.arm_vmalloc_max_rule = 2;           // VMALLOC_END - (PAGE_OFFSET + SZ_32M + VMALLOC_OFFSET)
    e.size_unit = "MiB";
    t.push_back(e);
    return t;
}

std::vector<Era> layout_rows_x86() {
    std::vector<Era> t;
    Era e{};
    e.arch = Arch::x86;
    e.vmalloc_offset = 8u << 20;
    e.size_unit = "MB";
    e.page_offset_configurable = true;    // CONFIG_PAGE_OFFSET
    e.highmem_supported = true;

    e.name = "x86-2.6.18";
    e.since = kv(2, 6, 0);
    e.source = "v2.6.18 include/asm-i386/page.h MAXMEM, pgtable.h VMALLOC_START/END; arch/i386/kernel/setup.c find_max_low_pfn()";
    e.x86_maxmem = X86MaxmemRule::fixed;
    e.x86_param_adds_offset = false;      // vmalloc= sets __VMALLOC_RESERVE = size
    e.x86_vmalloc_start_aligned = true;
    e.x86_print = X86LayoutPrint::none;
    e.x86_highmem64g_msg = false;
    e.x86_e820_clamp = false;
    e.x86_pfn_init_msgs = false;          // 2.6.18.8 arch/i386/kernel/setup.c find_max_low_pfn()
    e.x86_mem_init_bug_on = false;        // 2.6.18 mem_init() does not compare VMALLOC_START with VMALLOC_END
    e.x86_min_low_pfn = X86MinLowPfn::init_pg_tables_end;
    e.x86_active_range_whole = true;      // zone_sizes_init(): zones_size / add_active_range(0, 0, highend_pfn)
    e.zone_ranges_printed = true;         // (2.6.18's free_area_init() prints none: the zone row says so)
    t.push_back(e);

    e.name = "x86-2.6.19";
    e.since = kv(2, 6, 19);
    e.source = "v2.6.19 arch/i386/mm/init.c mem_init(): \"virtual kernel memory layout:\" and its BUG_ON checks (commit 052e79941a0)";
    e.x86_print = X86LayoutPrint::v219;
    e.x86_mem_init_bug_on = true;
    t.push_back(e);

    e.name = "x86-2.6.23";
    e.since = kv(2, 6, 23);
    e.source = "arch/i386/kernel/setup.c@v2.6.23 find_max_low_pfn(): \"Use a HIGHMEM64G enabled kernel.\" (v2.6.22: "
               "\"Use a PAE enabled kernel.\")";
    e.x86_highmem64g_msg = true;
    t.push_back(e);

    e.name = "x86-2.6.25";
    e.since = kv(2, 6, 25);
    e.source = "arch/x86/kernel/head_32.S@v2.6.25 PAE-format boot page tables (commit 551889a6e2a2), setup_32.c "
               "bootmem bitmap by find_e820_area(): min_low_pfn not modelled [range 2.6.25 -> 2.6.29]";
    e.x86_min_low_pfn = X86MinLowPfn::not_modelled;
    t.push_back(e);

    e.name = "x86-2.6.27";
    e.since = kv(2, 6, 27);
    e.source = "arch/x86/kernel/e820.c@v2.6.27 e820_register_active_regions(): the node's active ranges follow "
               "the e820 map, with its holes [range 2.6.20 -> 2.6.31: bootlogs 2.6.20 and 2.6.31]";
    e.x86_active_range_whole = false;
    e.x86_e820_clamp = true;              // e820_end_of_ram_pfn(): RAM above max_arch_pfn trimmed silently
    t.push_back(e);

    e.name = "x86-2.6.28";
    e.since = kv(2, 6, 28);
    e.source = "commit e621bd18958 \"i386: vmalloc size fix\"; v2.6.37 arch/x86/include/asm/pgtable_32_types.h, mm/init_32.c find_low_pfn_range()";
    e.x86_maxmem = X86MaxmemRule::from_vmalloc_end;
    e.x86_param_adds_offset = true;
    e.x86_vmalloc_start_aligned = false;
    t.push_back(e);

    e.name = "x86-2.6.29";
    e.since = kv(2, 6, 29);
    e.source = "arch/x86/mm/init_32.c@v2.6.29 (commit fc5efe3941c4 \"Remove min_low_pfn reference, it is always 0\")";
    e.x86_min_low_pfn = X86MinLowPfn::zero;
    t.push_back(e);

    e.name = "x86-2.6.30";
    e.since = kv(2, 6, 30);
    e.source = "arch/x86/mm/init_32.c lowmem_pfn_init()/highmem_pfn_init() with MSG_HIGHMEM_TOO_BIG, MSG_LOWMEM_TOO_SMALL, "
               "MSG_HIGHMEM_TOO_SMALL (2.6.32.69, v2.6.37, v6.1); a 2.6.29 init_32.c find_low_pfn_range() still prints the "
               "2.6.18 texts [range 2.6.29-2.6.32]";
    e.x86_pfn_init_msgs = true;
    t.push_back(e);

    e.name = "x86-4.15";
    e.since = kv(4, 15);
    e.source = "v5.4.18 arch/x86/mm/init_32.c mem_init(): cpu_entry line";
    e.x86_print = X86LayoutPrint::v415;
    t.push_back(e);

    e.name = "x86-5.5";
    e.since = kv(5, 5);
    e.source = "v5.7.14/v6.1 arch/x86/mm/init_32.c: the layout printk is gone";
    e.x86_print = X86LayoutPrint::none;
    t.push_back(e);
    return t;
}

}  // namespace kernel_tables
}  // namespace kmemkit
