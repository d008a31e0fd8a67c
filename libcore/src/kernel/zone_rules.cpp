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
    z.ranges_movable_line = false;
    z.ranges_empty = false;
    z.early_memory_header = false;
    z.fixed_zone_numbers = true;
    z.zone_movable = false;
    z.highest_memmap_pfn = false;
    t.push_back(z);

    z.name = "zones-2.6.19";
    z.since = kv(2, 6, 19);
    z.source = "mm/page_alloc.c@v2.6.19 free_area_init_nodes() \"Zone PFN ranges:\" \"  %-8s %8lu -> %8lu\" "
               "(commit c713216deeb), free_area_init_core() memmap pages (commit 0e0b864e069); enum zone_type "
               "makes DMA32/HighMem optional (v2.6.18: #defines); bootlog x86-ubuntu-2.6.20";
    z.memmap = MemmapRule::trunc_always;
    z.ranges = RangesFmt::pfn_dec;
    z.fixed_zone_numbers = false;
    t.push_back(z);

    z.name = "zones-2.6.23";
    z.since = kv(2, 6, 23);
    z.source = "mm/page_alloc.c@v2.6.23: ZONE_MOVABLE (commit 2a1e274acf0), \"Movable zone start PFN for each "
               "node\", \"Built %i zonelists in %s order.  Total pages: %ld\" (commit f0c0b2b808f); v2.6.22 has none";
    z.zone_movable = true;
    z.ranges_movable_line = true;
    z.zonelist = ZonelistFmt::order;
    t.push_back(z);

    z.name = "zones-2.6.24";
    z.since = kv(2, 6, 24);
    z.source = "mm/page_alloc.c@v2.6.24 build_all_zonelists() \"Built %i zonelists in %s order, mobility grouping "
               "%s.  Total pages: %ld\" (commit 9ef9acb05a7); bootlog smdk6410-literati-2.6.24";
    z.zonelist = ZonelistFmt::mobility_order;
    t.push_back(z);

    z.name = "zones-2.6.26";
    z.since = kv(2, 6, 26);
    z.source = "mm/page_alloc.c@v2.6.26 free_area_init_core(): PAGE_ALIGN(size * sizeof(struct page)) (commit "
               "f7232154198 \"mm: don't drop a partial page in a zone's memory map size\"); v2.6.25 truncates";
    z.memmap = MemmapRule::align_always;
    t.push_back(z);

    z.name = "zones-2.6.27";
    z.since = kv(2, 6, 27);
    z.source = "mm/page_alloc.c@v2.6.27: the memmap and \"pages reserved\" lines through mminit_dprintk() (not "
               "printed by default); \"Zone PFN ranges\" in %0#10lx (commit 5dab8ec139b); v2.6.26 printk and %8lu";
    z.memmap = MemmapRule::align_silent;
    z.ranges = RangesFmt::pfn_hex;
    t.push_back(z);

    z.name = "zones-2.6.28";
    z.since = kv(2, 6, 28);
    z.source = "mm/page_alloc.c@v2.6.28 free_area_init_core(): printk(KERN_DEBUG \"  %s zone: %lu pages used for "
               "memmap\") again, even when 0";
    z.memmap = MemmapRule::align_always;
    t.push_back(z);

    z.name = "zones-2.6.29";
    z.since = kv(2, 6, 29);
    z.source = "mm/page_alloc.c@v2.6.29: memmap line only `if (memmap_pages)`; memmap_init_zone() highest_memmap_pfn "
               "(commit 22b31eec63e)";
    z.memmap = MemmapRule::align_nonzero;
    z.highest_memmap_pfn = true;
    t.push_back(z);

    z.name = "zones-2.6.34";
    z.since = kv(2, 6, 34);
    z.source = "mm/page_alloc.c@v2.6.34 free_area_init_nodes(): \"empty\" for a zone with lowest == highest (commit "
               "72f0ba0252e \"mm: suppress pfn range output for zones without pages\"); v2.6.33 prints the range";
    z.ranges_empty = true;
    t.push_back(z);

    z.name = "zones-3.3";
    z.since = kv(3, 3);
    z.source = "mm/page_alloc.c@v3.3.8 free_area_init_nodes(): \"Early memory PFN ranges\" (for_each_mem_pfn_range, "
               "HAVE_MEMBLOCK_NODE_MAP); v3.1: \"early_node_map[%d] active PFN ranges\" [range 3.1 -> 3.3: the 3.2 "
               "tree read is a vendor one]";
    z.early_memory_header = true;
    t.push_back(z);

    z.name = "zones-3.5";
    z.since = kv(3, 5);
    z.source = "mm/page_alloc.c@v3.5 free_area_init_nodes(): \"Zone ranges:\" \"  %-8s [mem %0#10lx-%0#10lx]\", "
               "\"Movable zone start for each node\", \"Early memory node ranges\" (byte addresses); v3.4.113: "
               "\"Zone PFN ranges:\"";
    z.ranges = RangesFmt::mem32;
    t.push_back(z);

    z.name = "zones-3.9";
    z.since = kv(3, 9);
    z.source = "mm/page_alloc.c@v3.9.6 free_area_init_core(): present_pages = realsize, managed_pages = "
               "is_highmem_idx(j) ? realsize : freesize; zone_batchsize() and nr_free_zone_pages() use "
               "managed_pages (v3.8.13: present_pages = freesize)";
    z.highmem = HighmemCharge::managed_full;
    z.managed_pages = true;
    t.push_back(z);

    z.name = "zones-3.11";
    z.since = kv(3, 11);
    z.source = "arch/arm/mm/init.c@v3.11 mem_init(): mem_init_print_info(NULL), no \"Memory: %luMB ... = %luMB "
               "total\" line (v3.10.4 prints it)";
    z.mem_total_line = false;
    t.push_back(z);

    z.name = "zones-3.18";
    z.since = kv(3, 18);
    z.source = "mm/page_alloc.c@v3.18.30 free_area_init_node(): \"Initmem setup node %d [mem ...]\" (absent in v3.17.0)";
    z.initmem_line = true;
    t.push_back(z);

    z.name = "zones-3.19";
    z.since = kv(3, 19);
    z.source = "mm/page_alloc.c@v3.19.8 free_area_init_core(): memmap only for !is_highmem_idx (v3.18.30 charges "
               "every zone)";
    z.highmem = HighmemCharge::not_charged;
    t.push_back(z);

    z.name = "zones-4.0";
    z.since = kv(4, 0);
    z.source = "mm/page_alloc.c@v4.1.15 free_area_init_nodes()/free_area_init_node(): %#018Lx with u64 casts (zone, "
               "node and Initmem lines; v3.19.8: %0#10lx) [range 4.0 -> 4.1: the 4.0.5 tree read has mm/ only]";
    z.ranges = RangesFmt::mem64;
    t.push_back(z);

    z.name = "zones-4.14";
    z.since = kv(4, 14);
    z.source = "mm/page_alloc.c@v4.14.177 build_all_zonelists(): \"Built %i zonelists, mobility grouping %s.  Total "
               "pages: %ld\" (\"mm, page_alloc: remove zonelist order\"; v4.13.4 has the order); bootlog bpi-r2 4.14";
    z.zonelist = ZonelistFmt::mobility;
    t.push_back(z);

    z.name = "zones-4.15";
    z.since = kv(4, 15);
    z.source = "mm/page_alloc.c@v4.15 zero_resv_unavail() after the node loop: \"Reserved but unavailable: %lld "
               "pages\" (absent in v4.14.177); bootlog x86-qemu-4.15rc8";
    z.unavail = UnavailRule::resv_after;
    t.push_back(z);

    z.name = "zones-4.18";
    z.since = kv(4, 18);
    z.source = "mm/page_alloc.c@v4.18: zero_resv_unavail() under !CONFIG_FLAT_NODE_MEM_MAP (\"mm: don't do "
               "zero_resv_unavail if memmap is not allocated\"; v4.15 unconditional)";
    z.unavail = UnavailRule::none;
    t.push_back(z);

    z.name = "zones-4.19";
    z.since = kv(4, 19);
    z.source = "mm/page_alloc.c@v4.19.95 zone_batchsize(): cap 1024 * 1024 (\"mm, page_alloc: double zone's "
               "batchsize\"; v4.18: 512 * 1024); bootlog k7vt6 5.1 (Normal batch 63)";
    z.batch_cap_bytes = 1u << 20;
    t.push_back(z);

    z.name = "zones-6.0";
    z.since = kv(6, 0);
    z.source = "mm/page_alloc.c@v6.1 memmap_init(): \"On node %d, zone %s: %lld pages in unavailable ranges\"; "
               "zone lines with pr_debug (absent from the oracle's 6.1 dmesg; v5.11 still printk(KERN_DEBUG)) "
               "[range 5.11 -> 6.1]";
    z.debug_lines = false;
    z.unavail = UnavailRule::per_zone;
    t.push_back(z);
    return t;
}

}  // namespace kernel_tables
}  // namespace kmemkit
