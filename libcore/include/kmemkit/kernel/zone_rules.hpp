// The zone rules of mm/page_alloc.c per release: how free_area_init_core()
// charges the memmap, what free_area_init_nodes() and build_all_zonelists()
// print, and in which number base.  The rows are in src/kernel/zone_rules.cpp;
// kernel/rules.hpp chooses them.
#pragma once
#include <cstdint>

#include "kmemkit/kernel/version.hpp"

namespace kmemkit {


enum class MemmapRule {
    none,          // 2.6.18: no memmap accounting (mm/page_alloc.c@v2.6.18)
    trunc_always,  // 2.6.19-2.6.25: (size * sizeof(struct page)) >> PAGE_SHIFT, printed even when 0
                   // (commit 0e0b864e069; bootlog x86-ubuntu-2.6.20 "HighMem zone: 0 pages used for memmap")
    align_always,  // 2.6.26, 2.6.28: PAGE_ALIGN(size * sizeof(struct page)) >> PAGE_SHIFT, printed even when 0
                   // (commit f7232154198 "mm: don't drop a partial page in a zone's memory map size")
    align_silent,  // 2.6.27: the memmap and "pages reserved" lines go through mminit_dprintk(MMINIT_TRACE, ...):
                   // not printed at the default mminit_loglevel
    align_nonzero, // 2.6.29+: printed only if memmap_pages != 0 (v2.6.32.9; bootlog 2.6.31: 223230 pages -> 1744)
};
enum class HighmemCharge {
    reduce_present,   // <= 3.9: memmap taken from every zone, zone->present_pages reduced (v2.6.32.9, v2.6.37)
    managed_full,     // 3.10-3.18: memmap printed for HighMem too, managed = realsize (v3.10.99:4629-4666; TROVON v3.18)
    not_charged,      // 3.19+: memmap only for lowmem zones (TROVON v3.19, v4.9:5766, v6.1:7789; bootlog 4.14)
};
enum class ZonelistFmt {
    plain,         // "Built %i zonelists.  Total pages: %ld" (v2.6.18:1570; bootlog 2.6.20)
    order,         // 2.6.23 "Built %i zonelists in %s order.  Total pages: %ld" (commit f0c0b2b808f)
    mobility_order,// "Built %i zonelists in %s order, mobility grouping %s.  Total pages: %ld" (v2.6.32.9:2782)
    mobility,      // "Built %i zonelists, mobility grouping %s.  Total pages: %ld" (4.14+: bootlog bpi-r2; v6.1:6696)
};
enum class RangesFmt {
    none,          // no "Zone PFN ranges" (x86 2.6.18; ARM before free_area_init(), 5.8)
    pfn_dec,       // 2.6.19-2.6.26 "  %-8s %8lu -> %8lu" (bootlog x86-ubuntu-2.6.20)
    pfn_hex,       // 2.6.27-3.4 "  %-8s %0#10lx -> %0#10lx" (commit 5dab8ec139b; bootlogs 2.6.31, 3.2)
    mem32,         // 3.5-3.19 "Zone ranges:" "  %-8s [mem %0#10lx-%0#10lx]" (v3.5, v3.19.8; bootlog 3.8)
    mem64,         // 4.0+ "%#018Lx" (v4.1.15, v4.9, v6.1; bootlogs 4.13, 5.1, oracle 6.1)
};

// The lines free_area_init_nodes() prints about pages without RAM behind them.
enum class UnavailRule {
    none,          // nothing (before 4.15; and FLATMEM kernels 4.18-5.x, see below)
    resv_after,    // 4.15-4.17 zero_resv_unavail() after the node loop: "Reserved but unavailable: %lld pages",
                   // memblock.reserved ranges without memblock.memory (patch "mm: zero reserved and unavailable
                   // struct pages", linux-mm 2017-10; bootlog x86-qemu-4.15rc8: 98 pages).  From 4.18 the call
                   // moved before the node loop ("mm: zero unavailable pages before memmap init", e181ae0c5db9)
                   // and is compiled out for CONFIG_FLAT_NODE_MEM_MAP ("mm: don't do zero_resv_unavail if memmap
                   // is not allocated", linux-mm 2018-07-16); SPARSEMEM kernels then print "Zeroed struct page in
                   // unavailable ranges" (bootlog k7vt6 5.1), which needs a memory model the profile cannot state.
    per_zone,      // 6.x memmap_init(): "On node %d, zone %s: %lld pages in unavailable ranges" (v6.1 mm/page_alloc.c)
};

struct ZoneRules {
    const char* name;            // "zones-2.6.24"
    VersionKey since;
    const char* source;          // the kernel source the row was read from
    MemmapRule memmap;
    HighmemCharge highmem;
    bool managed_pages;          // zone->managed_pages exists: batch and zonelist total use it (3.10+)
    uint64_t batch_cap_bytes;    // zone_batchsize() cap: 512K, then 1M [range 4.14 -> 5.1]
    ZonelistFmt zonelist;
    bool debug_lines;            // "On node 0 totalpages" & zone lines printed with KERN_DEBUG (pr_debug in 6.1)
    bool initmem_line;           // free_area_init_node(): "Initmem setup node %d [mem ...]"
    UnavailRule unavail;
    bool mem_total_line;         // ARM mem_init "Memory: %ldMB ... = %luMB total" (until mem_init_print_info)
    RangesFmt ranges;            // how free_area_init_nodes() prints the zone ranges (when the arch calls it)
    bool ranges_movable_line;    // "Movable zone start PFN for each node" (2.6.23+)
    bool ranges_empty;           // pfn_hex: "  %-8s empty" for a zone without pages (2.6.34+, commit 72f0ba0252e)
    bool early_memory_header;    // pfn_hex: "Early memory PFN ranges" in place of "early_node_map[%d] active PFN
                                 // ranges" (3.3+, HAVE_MEMBLOCK_NODE_MAP)
    bool fixed_zone_numbers;     // 2.6.18: ZONE_DMA..ZONE_HIGHMEM are #defines, all four always present
    bool zone_movable;           // ZONE_MOVABLE exists (2.6.23+)
    bool highest_memmap_pfn;     // the highest_memmap_pfn variable exists (2.6.29+)
};

}  // namespace kmemkit
