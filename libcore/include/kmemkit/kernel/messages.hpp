// The kernel messages kmemkit both prints (vmlayout --format=kernel, the
// model's warnings) and reads (vmlayout --from-dmesg), each defined once: its
// printk as an fmt format, and the pattern that reads a printed line back
// (capture groups: the format's fields in order).  tests/unit/test_messages.cpp
// prints each and reads it back, so a format cannot change on one side only.
#pragma once
#include <fmt/format.h>
#include <string>
#include <vector>

namespace kmemkit {

struct MessageFormat {
    const char* print;        // fmt format of the printk
    const char* read;         // ECMAScript regex that matches a printed line
    const char* source;       // where the printk is
    bool inclusive_end = false;   // RAM ranges: printed with an inclusive end (%.8lx of end - 1)
};

namespace kmsg {
// arch/arm/mm/mmu.c check_membank_valid()/sanity_check_meminfo(), 2.6.27-3.15 (meminfo banks, %.8lx)
extern const MessageFormat arm_bank_ignore;       // start, last
extern const MessageFormat arm_bank_truncate;     // start, last, last kept
// arch/arm/mm/mmu.c sanity_check_meminfo() over memblock, 3.16-4.10 (%pa: width, value)
extern const MessageFormat arm_memblock_ignore;   // start, end
extern const MessageFormat arm_memblock_truncate; // start, end, limit
// arch/arm/mm/mmu.c adjust_lowmem_bounds(), 4.11+
extern const MessageFormat arm_limit_ignore;      // memblock_limit, end
// arch/arm/mm/mmu.c early_vmalloc(): 2.6.28+ (and "is too small" with vmalloc_size, 5.14)
extern const MessageFormat vmalloc_too_small;     // "is " or "", MB, unit
extern const MessageFormat vmalloc_too_big;       // MB, unit (2.6.29+)

// arch/arm/mm/mmu.c@v3.16+ and arch/x86/mm/init_32.c messages the model prints (layout.cpp msg()).
extern const MessageFormat consider_highmem;      // "Consider using a HIGHMEM enabled kernel."
extern const MessageFormat ignoring_memory_32bit; // start (ARM LPAE-less: RAM above 4 GB)
extern const MessageFormat vipt_no_highmem;       // "HIGHMEM is not supported with VIPT aliasing cache ..."
extern const MessageFormat x86_highmem_ignored, x86_highmem_ignored_old;   // MB available, MB asked (2.6.30+ / before)
extern const MessageFormat x86_warning_only_mb;   // MB
extern const MessageFormat x86_warning_only_4gb, x86_use_highmem64g, x86_use_pae, x86_use_highmem;
extern const MessageFormat x86_highmem_bigger, x86_highmem_bigger_old;     // MB asked, MB available
extern const MessageFormat x86_highmem_small_lowmem, x86_highmem_small_lowmem_old;   // MB asked
extern const MessageFormat x86_highmem_nonhighmem;
extern const MessageFormat highmem_available, lowmem_available;   // MB ("%ldMB HIGHMEM available.")
extern const MessageFormat fixmap_kmap_overlap;
// every message the model prints (reader: which log lines are the kernel messages it compares)
const std::vector<const MessageFormat*>& model_messages();

// mem_init()'s "Virtual kernel memory layout" lines (arch/arm/mm/init.c, arch/x86/mm/init_32.c): one pattern
// reads every form (name, start, end; "(ptrval)" from 4.15)
extern const MessageFormat layout_kb;             // name, start, end, kB   "    %-8s: 0x%08lx - 0x%08lx   (%4ld kB)"
extern const MessageFormat layout_mb;             // name, start, end, MB
extern const MessageFormat layout_section;        // label, start, end, kB  "      .text : 0x%p - 0x%p   (%4d kB)"
extern const MessageFormat layout_section_ptrval; // label, kB (4.15+ %p before the hash key: "(ptrval)")

// The zone report (mm/page_alloc.c free_area_init_nodes(), free_area_init_core(), build_all_zonelists();
// arch/arm/mm/init.c mem_init()'s bank summary).  Each era's print form of one line shares the pattern
// that reads them all; `kind` is the line's kind for the comparison (zone_line_kind() in dmesg.cpp).
struct ZoneLineFormat {
    MessageFormat format;
    const char* kind;          // "ranges", "range", "movable", "nodemap", "node", "initmem", "totalpages",
                               // "memmap", "reserved", "lifo", "unavail", "resv", "zonelists", "memtotal"
};
namespace zl {
extern const ZoneLineFormat ranges_pfn, ranges_mem;              // "Zone PFN ranges:" (2.6.19-3.4), "Zone ranges:"
extern const ZoneLineFormat range_dec, range_hex, range_empty, range_mem32, range_mem64;   // zone, lo, hi
extern const ZoneLineFormat movable_pfn, movable;                // "Movable zone start (PFN )for each node"
extern const ZoneLineFormat nodemap_early, nodemap_pfn, nodemap_node;   // early_node_map[%d] / Early memory ...
extern const ZoneLineFormat node_dec, node_hex, node_mem32, node_mem64; // index, start, end
extern const ZoneLineFormat initmem32, initmem64;                // node start, end
extern const ZoneLineFormat totalpages;                          // pages
extern const ZoneLineFormat memmap, exceeds, reserved, lifo;     // zone, pages (...)
extern const ZoneLineFormat unavail;                             // zone, pages
extern const ZoneLineFormat resv_unavail;                        // pages
extern const ZoneLineFormat zonelists_plain, zonelists_order, zonelists_mobility_order, zonelists_mobility;
extern const ZoneLineFormat memtotal;                            // " 182MB 1MB", total MB
// every zone-line format, in the order the reader tries them
const std::vector<const ZoneLineFormat*>& all();
}  // namespace zl

// The RAM-cut messages above, for the reader.
const std::vector<const MessageFormat*>& ram_cut_messages();
}  // namespace kmsg

template <class... Args>
std::string print_message(const MessageFormat& m, Args&&... args) {
    return fmt::format(fmt::runtime(m.print), std::forward<Args>(args)...);
}

}  // namespace kmemkit
