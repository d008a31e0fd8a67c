// Zones and page frames of a board, as the kernel computes them while it
// brings memory up (ARM bootmem_init/zone_sizes_init, x86 zone_sizes_init,
// then free_area_init_node / calculate_node_totalpages / free_area_init_core).
//
// Stable API (used by the buddy allocator model): compute_zones() returns
// EVERY zone the kernel configures for the board, in index order, including
// empty ones (spanned_pages == 0, `populated` false).  Zone::present lists the
// physical page ranges (pfns, [start, end)) that hold RAM inside the zone:
// these are the pages the kernel hands to the buddy allocator at boot (minus
// the reservations, which the buddy model takes from Profile::reserved).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"

namespace kmemkit {

struct PfnRange {                    // [start, end) in page frame numbers
    uint64_t start = 0, end = 0;
    uint64_t pages() const { return end - start; }
};

struct Zone {
    std::string name;                // "DMA", "Normal", "HighMem"
    int index = 0;                   // position in the node's zone array
    bool is_highmem = false;
    bool populated = false;          // present_pages > 0
    uint64_t zone_start_pfn = 0;
    uint64_t zone_end_pfn = 0;       // zone_start_pfn + spanned_pages
    uint64_t spanned_pages = 0;
    uint64_t present_pages = 0;      // spanned - holes: RAM pages in the zone (/proc/zoneinfo "present", 3.10+)
    uint64_t holes = 0;              // pages of the span without RAM
    uint64_t kernel_present_pages = 0; // zone->present_pages as that era stores it (<= 3.9: after memmap
                                     // and dma_reserve), printed in "N pages, LIFO batch:B"
    unsigned batch = 0;              // zone_batchsize() ("LIFO batch")
    uint64_t memmap_pages = 0;       // "N pages used for memmap" (0 when not printed/charged)
    bool memmap_charged = false;     // era subtracts memmap from the zone (<= 3.x "pages used for memmap")
    uint64_t dma_reserve = 0;        // x86 DMA zone: dma_reserve charged at boot (2.6 "N pages reserved")
    uint64_t nr_kernel_pages = 0;    // "realsize" the era computes (present - memmap - reserve)
    uint64_t managed_pages = 0;      // freesize as free_area_init_core sets it (present - memmap - reserve;
                                     // highmem not charged from 3.10).  The value after boot also loses the
                                     // kernel's reservations (image, initrd, page tables).
    std::vector<PfnRange> present;   // RAM pfn ranges inside the zone, ascending
};

struct NodeMemory {
    std::vector<Zone> zones;         // every configured zone, index order (empty ones kept)
    // The pfn globals as the kernel stores them (mm/bootmem.c / mm/memblock.c globals):
    uint64_t min_low_pfn = 0;        // the kernel's min_low_pfn (0 where that era never sets it)
    bool min_low_pfn_known = true;   // false: depends on what the profile does not give (min_low_pfn 0)
    std::string min_low_pfn_note;    // how it is set in that era, or why it is unknown
    uint64_t kernel_max_low_pfn = 0; // the kernel's max_low_pfn (a page count on ARM before 3.12)
    uint64_t kernel_max_pfn = 0;     // the kernel's max_pfn (idem)
    bool pfns_are_counts = false;    // ARM before 3.12: max_low_pfn/max_pfn count pages from PHYS_OFFSET
    // The same limits as real page frame numbers (what the other models use):
    uint64_t first_pfn = 0;          // first pfn of RAM
    uint64_t max_low_pfn = 0;        // end of lowmem (real pfn, exclusive)
    uint64_t max_pfn = 0;            // end of RAM (real pfn, exclusive)
    uint64_t node_start_pfn = 0;
    uint64_t node_spanned_pages = 0;
    uint64_t node_present_pages = 0; // "On node 0 totalpages: N"
    uint32_t high_memory = 0;        // virtual address of the end of lowmem
    uint64_t highest_memmap_pfn = 0; // max(zone end - 1) (mm/memory.c, memmap_init_zone; 2.6.29+)
    bool has_highest_memmap_pfn = true; // false before 2.6.29: the variable does not exist
    uint64_t nr_kernel_pages = 0;    // lowmem pages (mm/page_alloc.c)
    uint64_t nr_all_pages = 0;       // all pages
    unsigned struct_page_size = 32;
    uint64_t mem_map_pages = 0;      // pages of struct page for the node (spanned)
    uint64_t memmap_bytes = 0;       // sizeof(struct page) * node_spanned_pages
    uint64_t total_pages_zonelists = 0; // "Built 1 zonelists ... Total pages: N"
    bool total_pages_known = false;
    uint64_t totalram_pages = 0;     // after the kernel's reservations, 0 when unknown
    bool totalram_known = false;
    std::string totalram_note;       // why it is unknown / what it counts
    uint64_t reserved_pages = 0;     // RAM pages the profile's reservations and the image cover (union)
    uint64_t unavailable_pages = 0;  // x86 4.15-4.17 zero_resv_unavail(): reserved pages without RAM
    uint64_t phys_offset = 0;
    uint32_t page_offset = 0;
    std::vector<std::string> notes;  // kmemkit remarks
};

// Throws Error for boards no kernel could boot.
NodeMemory compute_zones(const Board& board, const Layout& layout);

// Zone holding `pfn`, or nullptr (pfn outside every zone span or in a hole
// when `present_only`).
const Zone* zone_of_pfn(const NodeMemory& n, uint64_t pfn, bool present_only = false);

// One line the kernel prints at boot (without log prefix), with its level:
// KERN_DEBUG / pr_debug lines are absent from logs kept at the default loglevel.
struct KernelLine {
    std::string text;
    bool debug = false;
};
// The lines that era prints at boot, in order.
std::vector<KernelLine> kernel_zone_report(const NodeMemory& n, const Board& board, const Layout& layout);
// Their text only.
std::vector<std::string> kernel_zone_lines(const NodeMemory& n, const Board& board,
                                           const Layout& layout);

}  // namespace kmemkit
