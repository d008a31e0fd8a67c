// The zone rule table (mm/page_alloc.c free_area_init_nodes(),
// free_area_init_core(), zone_batchsize(), build_all_zonelists()).  Each row is
// the previous row plus what changed in that release, with the kernel source it
// was read from.
#include "kmemkit/kernel/zone_rules.hpp"

#include <vector>

namespace kmemkit {
namespace kernel_tables {

std::vector<ZoneRules> zone_rows() {
    std::vector<ZoneRules> t;
    ZoneRules z{};
    z.name = "zones-2.6.18";
    z.since = kv(2, 6, 0);
    z.source = "mm/page_alloc.c@v2.6.18 free_area_init_core() (no memmap accounting), build_all_zonelists() "
               "\"Built %i zonelists\"; include/linux/mmzone.h@v2.6.18 ZONE_DMA..ZONE_HIGHMEM #defines";
    z.memmap = MemmapRule::none;
    z.highmem = HighmemCharge::reduce_present;
    z.managed_pages = false;
    z.batch_cap_bytes = 512u << 10;
    z.zonelist = ZonelistFmt::plain;
    z.debug_lines = true;
    z.initmem_line = false;
    z.unavail = UnavailRule::none;
    z.mem_total_line = true;
    z.ranges = RangesFmt::none;          // no free_area_init_nodes() yet
    z.ranges_dma_from_node_start = false;
    z.fixed_zone_numbers = true;
    z.zone_movable = false;
    z.highest_memmap_pfn = false;
    t.push_back(z);

    z.name = "zones-2.6.19";
    z.since = kv(2, 6, 19);
    z.source = "mm/page_alloc.c@v2.6.19 free_area_init_nodes() \"Zone PFN ranges:\" \"  %-8s %8lu -> %8lu\" "
               "(commit c713216deeb), free_area_init_core() memmap pages (commit 0e0b864e069); enum zone_type "
               "makes DMA32/HighMem optional; bootlog x86-ubuntu-2.6.20";
    z.memmap = MemmapRule::trunc_always;
    z.ranges = RangesFmt::pfn_dec;
    z.fixed_zone_numbers = false;
    t.push_back(z);

    z.name = "zones-2.6.23";
    z.since = kv(2, 6, 23);
    z.source = "include/linux/mmzone.h@v2.6.23 ZONE_MOVABLE (commit 2a1e274acf0 \"Create the ZONE_MOVABLE zone\")";
    z.zone_movable = true;
    t.push_back(z);

    z.name = "zones-2.6.24";
    z.since = kv(2, 6, 24);
    z.source = "mm/page_alloc.c@v2.6.24 free_area_init_core() (truncating, every zone printed), "
               "\"Zone PFN ranges\" in %0#10lx, \"Built %i zonelists in %s order, mobility grouping %s\"; "
               "bootlog smdk6410-literati-2.6.24";
    z.zonelist = ZonelistFmt::mobility_order;
    z.ranges = RangesFmt::pfn_hex;
    t.push_back(z);

    z.name = "zones-2.6.26";
    z.since = kv(2, 6, 26);
    z.source = "mm/page_alloc.c@v2.6.26 free_area_init_nodes(): arch_zone_lowest_possible_pfn[0] = "
               "find_min_pfn_with_active_regions() (the first zone starts at the node, not 0)";
    z.ranges_dma_from_node_start = true;
    t.push_back(z);

    z.name = "zones-2.6.27";
    z.since = kv(2, 6, 27);
    z.source = "mm/page_alloc.c@v2.6.32.9 free_area_init_core(): PAGE_ALIGN(size * sizeof(struct page)), printed if "
               "!= 0 [range 2.6.27 -> 2.6.31: the 2.6.26-cycle mminit patches still truncate]";
    z.memmap = MemmapRule::align_nonzero;
    t.push_back(z);

    z.name = "zones-2.6.29";
    z.since = kv(2, 6, 29);
    z.source = "mm/page_alloc.c@v2.6.30 memmap_init_zone(): highest_memmap_pfn (commit 22b31eec63e)";
    z.highest_memmap_pfn = true;
    t.push_back(z);

    z.name = "zones-3.7";
    z.since = kv(3, 7);
    z.source = "mm/page_alloc.c@v3.10 free_area_init_nodes(): \"Zone ranges:\" \"  %-8s [mem %0#10lx-%0#10lx]\" "
               "(byte addresses) [range 3.2 -> 3.8: bootlogs 3.2 and 3.8]";
    z.ranges = RangesFmt::mem32;
    t.push_back(z);

    z.name = "zones-3.10";
    z.since = kv(3, 10);
    z.source = "mm/page_alloc.c@v3.10 free_area_init_core(): zone->managed_pages, HighMem memmap printed, "
               "managed = realsize";
    z.highmem = HighmemCharge::managed_full;
    z.managed_pages = true;
    t.push_back(z);

    z.name = "zones-3.15";
    z.since = kv(3, 15);
    z.source = "arch/arm/mm/init.c mem_init(): mem_init_print_info() replaces the \"Memory: ... total\" line "
               "[range 3.10 -> 4.0: bootlog rk3128 3.10 has it, rpi2 4.0 not]";
    z.mem_total_line = false;
    t.push_back(z);

    z.name = "zones-3.18";
    z.since = kv(3, 18);
    z.source = "mm/page_alloc.c@v3.18 free_area_init_node(): \"Initmem setup node %d [mem ...]\" (absent in v3.17)";
    z.initmem_line = true;
    t.push_back(z);

    z.name = "zones-3.19";
    z.since = kv(3, 19);
    z.source = "mm/page_alloc.c@v3.19 free_area_init_core(): memmap only for !is_highmem_idx (v3.18 charges every zone)";
    z.highmem = HighmemCharge::not_charged;
    t.push_back(z);

    z.name = "zones-4.9";
    z.since = kv(4, 9);
    z.source = "mm/page_alloc.c@v4.9 free_area_init_nodes(): pr_cont(\"[mem %#018Lx-%#018Lx]\\n\") (u64 widths)";
    z.ranges = RangesFmt::mem64;
    t.push_back(z);

    z.name = "zones-4.14";
    z.since = kv(4, 14);
    z.source = "mm/page_alloc.c@v4.14 build_all_zonelists(): \"Built %i zonelists, mobility grouping %s.  Total "
               "pages: %ld\" (zonelist order removed, commit c9bff3eebc09); bootlog bpi-r2 4.14";
    z.zonelist = ZonelistFmt::mobility;
    t.push_back(z);

    z.name = "zones-4.15";
    z.since = kv(4, 15);
    z.source = "mm/page_alloc.c@v4.15 zero_resv_unavail() after the node loop: \"Reserved but unavailable: %lld "
               "pages\"; bootlog x86-qemu-4.15rc8";
    z.unavail = UnavailRule::resv_after;
    t.push_back(z);

    z.name = "zones-4.18";
    z.since = kv(4, 18);
    z.source = "mm/page_alloc.c@v4.18: zero_resv_unavail() compiled out for FLATMEM (\"mm: don't do "
               "zero_resv_unavail if memmap is not allocated\", linux-mm 2018-07-16)";
    z.unavail = UnavailRule::none;
    t.push_back(z);

    z.name = "zones-4.19";
    z.since = kv(4, 19);
    z.source = "mm/page_alloc.c zone_batchsize(): cap 1 MB; bootlog k7vt6 5.1 (Normal batch 63) [range 4.14 -> 5.1]";
    z.batch_cap_bytes = 1u << 20;
    t.push_back(z);

    z.name = "zones-6.0";
    z.since = kv(6, 0);
    z.source = "mm/page_alloc.c@v6.1 memmap_init(): \"On node %d, zone %s: %lld pages in unavailable ranges\"; "
               "zone lines with pr_debug (absent from the oracle's 6.1 dmesg) [range 5.1 -> 6.1]";
    z.debug_lines = false;
    z.unavail = UnavailRule::per_zone;
    t.push_back(z);
    return t;
}

}  // namespace kernel_tables
}  // namespace kmemkit
