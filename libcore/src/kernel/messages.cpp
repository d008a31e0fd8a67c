// The kernel messages printed and read (see kernel/messages.hpp).
#include "kmemkit/kernel/messages.hpp"

namespace kmemkit {
namespace kmsg {

const MessageFormat arm_bank_ignore{
    "Ignoring RAM at {:08x}-{:08x} (vmalloc region overlap).",
    R"(^Ignoring RAM at ([0-9a-fA-F]{8,})-([0-9a-fA-F]{8,}) \(vmalloc region overlap\)\.?)",
    "arch/arm/mm/mmu.c@v2.6.32.9 sanity_check_meminfo() printk(KERN_NOTICE \"Ignoring RAM at %.8lx-%.8lx \" ...)",
    true};
const MessageFormat arm_bank_truncate{
    "Truncating RAM at {:08x}-{:08x} to -{:08x} (vmalloc region overlap).",
    R"(^Truncating RAM at ([0-9a-fA-F]{8,})-([0-9a-fA-F]{8,}) to -([0-9a-fA-F]{8,}) \(vmalloc region overlap\)\.?)",
    "arch/arm/mm/mmu.c@v2.6.32.9 sanity_check_meminfo() printk(KERN_NOTICE \"Truncating RAM at %.8lx-%.8lx \" ...)",
    true};
const MessageFormat arm_memblock_ignore{
    "Ignoring RAM at 0x{:0{}x}-0x{:0{}x} (!CONFIG_HIGHMEM)",
    R"(^Ignoring RAM at 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+) \(!CONFIG_HIGHMEM\))",
    "arch/arm/mm/mmu.c@v3.16 sanity_check_meminfo() pr_notice(\"Ignoring RAM at %pa-%pa (!CONFIG_HIGHMEM)\\n\")"};
const MessageFormat arm_memblock_truncate{
    "Truncating RAM at 0x{:0{}x}-0x{:0{}x} to -0x{:0{}x}",
    R"(^Truncating RAM at 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+) to -0x([0-9a-fA-F]+))",
    "arch/arm/mm/mmu.c@v3.16 sanity_check_meminfo() pr_notice(\"Truncating RAM at %pa-%pa\", ...) pr_cont(\" to -%pa\")"};
const MessageFormat arm_limit_ignore{
    "Ignoring RAM at 0x{:0{}x}-0x{:0{}x}",
    R"(^Ignoring RAM at 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\s*$)",
    "arch/arm/mm/mmu.c@v4.11 adjust_lowmem_bounds() pr_notice(\"Ignoring RAM at %pa-%pa\\n\")"};
const MessageFormat vmalloc_too_small{
    "vmalloc area {}too small, limiting to {}{}",
    R"(^vmalloc area (is )?too small, limiting to (\d+)(Mi?B))",
    "arch/arm/mm/mmu.c early_vmalloc()@v2.6.28 \"vmalloc area too small, limiting to %luMB\"; @v6.1 \"vmalloc area "
    "is too small, limiting to %luMiB\""};
const MessageFormat vmalloc_too_big{
    "vmalloc area is too big, limiting to {}{}",
    R"(^vmalloc area is too big, limiting to (\d+)(Mi?B))",
    "arch/arm/mm/mmu.c early_vmalloc()@v2.6.29 \"vmalloc area is too big, limiting to %luMB\""};

const MessageFormat consider_highmem{"Consider using a HIGHMEM enabled kernel.", R"(^Consider using a HIGHMEM enabled kernel\.)",
                                     "arch/arm/mm/mmu.c@v3.16 sanity_check_meminfo(); @v4.11 adjust_lowmem_bounds()"};
const MessageFormat ignoring_memory_32bit{"Ignoring memory at 0x{:08x} outside 32-bit physical address space",
                                          R"(^Ignoring memory at 0x[0-9a-fA-F]+ outside 32-bit physical address space)",
                                          "arch/arm/kernel/setup.c arm_add_memory()"};
const MessageFormat vipt_no_highmem{"HIGHMEM is not supported with VIPT aliasing cache, ignoring high memory",
                                    R"(^HIGHMEM is not supported with VIPT aliasing cache)",
                                    "arch/arm/mm/mmu.c@v2.6.32.9 sanity_check_meminfo()"};
const MessageFormat x86_highmem_ignored{"only {}MB highmem pages available, ignoring highmem size of {}MB!",
                                        R"(^only \d+MB highmem pages available, ignoring highmem size of \d+MB!)",
                                        "arch/x86/mm/init_32.c@v2.6.30 highmem_pfn_init() MSG_HIGHMEM_TOO_BIG"};
const MessageFormat x86_highmem_ignored_old{"only {}MB highmem pages available, ignoring highmem size of {}MB.",
                                            R"(^only \d+MB highmem pages available, ignoring highmem size of \d+MB\.)",
                                            "arch/i386/kernel/setup.c@v2.6.18 find_max_low_pfn()"};
const MessageFormat x86_warning_only_mb{"Warning only {}MB will be used.", R"(^Warning only \d+MB will be used\.)",
                                        "arch/x86/mm/init_32.c highmem_pfn_init() MSG_HIGHMEM_TRIMMED"};
const MessageFormat x86_warning_only_4gb{"Warning only 4GB will be used.", R"(^Warning only 4GB will be used\.)",
                                         "arch/i386/kernel/setup.c@v2.6.18 find_max_low_pfn()"};
const MessageFormat x86_use_highmem64g{"Use a HIGHMEM64G enabled kernel.", R"(^Use a HIGHMEM64G enabled kernel\.)",
                                       "arch/i386/kernel/setup.c@v2.6.23 find_max_low_pfn()"};
const MessageFormat x86_use_pae{"Use a PAE enabled kernel.", R"(^Use a PAE enabled kernel\.)",
                                "arch/i386/kernel/setup.c@v2.6.18 find_max_low_pfn()"};
const MessageFormat x86_use_highmem{"Use a HIGHMEM enabled kernel.", R"(^Use a HIGHMEM enabled kernel\.)",
                                    "arch/x86/mm/init_32.c highmem_pfn_init()"};
const MessageFormat x86_highmem_bigger{"highmem size ({}MB) is bigger than pages available ({}MB)!",
                                       R"(^highmem size \(\d+MB\) is bigger than pages available \(\d+MB\)!)",
                                       "arch/x86/mm/init_32.c@v2.6.30 lowmem_pfn_init() MSG_HIGHMEM_TOO_SMALL"};
const MessageFormat x86_highmem_bigger_old{"highmem size specified ({}MB) is bigger than pages available ({}MB)!.",
                                           R"(^highmem size specified \(\d+MB\) is bigger than pages available)",
                                           "arch/i386/kernel/setup.c@v2.6.18 find_max_low_pfn()"};
const MessageFormat x86_highmem_small_lowmem{"highmem size ({}MB) results in <64MB lowmem, ignoring it!",
                                             R"(^highmem size \(\d+MB\) results in <64MB lowmem, ignoring it!)",
                                             "arch/x86/mm/init_32.c@v2.6.30 lowmem_pfn_init() MSG_LOWMEM_TOO_SMALL"};
const MessageFormat x86_highmem_small_lowmem_old{"highmem size {}MB results in smaller than 64MB lowmem, ignoring it.",
                                                 R"(^highmem size \d+MB results in smaller than 64MB lowmem, ignoring it\.)",
                                                 "arch/i386/kernel/setup.c@v2.6.18 find_max_low_pfn()"};
const MessageFormat x86_highmem_nonhighmem{"ignoring highmem size on non-highmem kernel!",
                                           R"(^ignoring highmem size on non-highmem kernel!)",
                                           "arch/x86/mm/init_32.c lowmem_pfn_init()"};
const MessageFormat highmem_available{"{}MB HIGHMEM available.", R"(^\d+MB HIGHMEM available\.)",
                                      "arch/x86/mm/init_32.c find_low_pfn_range() / setup_bootmem_allocator()"};
const MessageFormat lowmem_available{"{}MB LOWMEM available.", R"(^\d+MB LOWMEM available\.)",
                                     "arch/x86/mm/init_32.c find_low_pfn_range() / setup_bootmem_allocator()"};
const MessageFormat fixmap_kmap_overlap{"fixmap and kmap areas overlap - this will crash",
                                        R"(^fixmap and kmap areas overlap)", "arch/x86/mm/init_32.c@v2.6.19 mem_init()"};

const std::vector<const MessageFormat*>& model_messages() {
    static const std::vector<const MessageFormat*> m = {
        &arm_bank_ignore, &arm_bank_truncate, &arm_memblock_ignore, &arm_memblock_truncate, &arm_limit_ignore,
        &vmalloc_too_small, &vmalloc_too_big, &consider_highmem, &ignoring_memory_32bit, &vipt_no_highmem,
        &x86_highmem_ignored, &x86_highmem_ignored_old, &x86_warning_only_mb, &x86_warning_only_4gb,
        &x86_use_highmem64g, &x86_use_pae, &x86_use_highmem, &x86_highmem_bigger, &x86_highmem_bigger_old,
        &x86_highmem_small_lowmem, &x86_highmem_small_lowmem_old, &x86_highmem_nonhighmem, &highmem_available,
        &lowmem_available, &fixmap_kmap_overlap};
    return m;
}

#define KMEMKIT_LAYOUT_READ \
    R"(^(\s*)([.A-Za-z_][A-Za-z_0-9]*)\s*:\s*0x([0-9a-fA-F]+|\(ptrval\))\s*-\s*0x([0-9a-fA-F]+|\(ptrval\))\s+\(\s*(\d+) ([kM]B)\)\s*$)"
const MessageFormat layout_kb{"    {:<8}: 0x{:08x} - 0x{:08x}   ({:4} kB)", KMEMKIT_LAYOUT_READ,
                              "arch/arm/mm/init.c@v2.6.34 mem_init() MLK(); arch/x86/mm/init_32.c@v2.6.19"};
const MessageFormat layout_mb{"    {:<8}: 0x{:08x} - 0x{:08x}   ({:4} MB)", KMEMKIT_LAYOUT_READ,
                              "arch/arm/mm/init.c@v2.6.34 mem_init() MLM(); arch/x86/mm/init_32.c@v2.6.19"};
const MessageFormat layout_section{"{}: 0x{:08x} - 0x{:08x}   ({:4} kB)", KMEMKIT_LAYOUT_READ,
                                   "arch/arm/mm/init.c@v2.6.34 mem_init() MLK_ROUNDUP()"};
const MessageFormat layout_section_ptrval{"{}: 0x(ptrval) - 0x(ptrval)   ({:4} kB)", KMEMKIT_LAYOUT_READ,
                                          "lib/vsprintf.c@v4.15 ptr_to_id(): \"(ptrval)\" before the hash key"};
#undef KMEMKIT_LAYOUT_READ

namespace zl {
#define R_RANGES R"(^Zone (PFN )?ranges:\s*$)"
#define R_RANGE R"(^\s*(DMA32|DMA|Normal|HighMem|Movable|Device)\s+(\[mem 0x[0-9a-fA-F]+-0x[0-9a-fA-F]+\]|empty|(0x)?[0-9a-fA-F]+ +-> +(0x)?[0-9a-fA-F]+)\s*$)"
#define R_MOVABLE R"(^Movable zone start (PFN )?for each node\s*$)"
#define R_NODEMAP R"(^(early_node_map\[\d+\] active PFN ranges|Early memory PFN ranges|Early memory node ranges)\s*$)"
#define R_NODE R"(^\s*(\d+: +(0x)?[0-9a-fA-F]+ +-> +(0x)?[0-9a-fA-F]+|node +\d+: \[mem 0x[0-9a-fA-F]+-0x[0-9a-fA-F]+\])\s*$)"
#define R_INITMEM R"(^Initmem setup node \d+ \[mem )"
#define R_ZONE R"(^\s*([A-Za-z0-9]+) zone: \d+ (pages used for memmap|pages exceeds (realsize|freesize) \d+|pages reserved|pages, LIFO batch:\d+)\s*$)"
#define R_ZONELISTS R"(^Built \d+ zonelists)"
const ZoneLineFormat ranges_pfn{{"Zone PFN ranges:", R_RANGES, "mm/page_alloc.c@v2.6.19 free_area_init_nodes()"}, "ranges"};
const ZoneLineFormat ranges_mem{{"Zone ranges:", R_RANGES, "mm/page_alloc.c@v3.5 free_area_init_nodes()"}, "ranges"};
const ZoneLineFormat range_dec{{"  {:<8} {:8} -> {:8}", R_RANGE, "mm/page_alloc.c@v2.6.19 \"  %-8s %8lu -> %8lu\""}, "range"};
const ZoneLineFormat range_hex{{"  {:<8} {:#010x} -> {:#010x}", R_RANGE, "mm/page_alloc.c@v2.6.27 \"%0#10lx -> %0#10lx\""}, "range"};
const ZoneLineFormat range_empty{{"  {:<8} empty", R_RANGE, "mm/page_alloc.c@v2.6.34 \"empty\""}, "range"};
const ZoneLineFormat range_mem32{{"  {:<8} [mem {:#010x}-{:#010x}]", R_RANGE, "mm/page_alloc.c@v3.5 \"[mem %0#10lx-%0#10lx]\""}, "range"};
const ZoneLineFormat range_mem64{{"  {:<8} [mem {:#018x}-{:#018x}]", R_RANGE, "mm/page_alloc.c@v4.1.15 \"[mem %#018Lx-%#018Lx]\""}, "range"};
const ZoneLineFormat movable_pfn{{"Movable zone start PFN for each node", R_MOVABLE, "mm/page_alloc.c@v2.6.23"}, "movable"};
const ZoneLineFormat movable{{"Movable zone start for each node", R_MOVABLE, "mm/page_alloc.c@v3.5"}, "movable"};
const ZoneLineFormat nodemap_early{{"early_node_map[{}] active PFN ranges", R_NODEMAP, "mm/page_alloc.c@v2.6.19"}, "nodemap"};
const ZoneLineFormat nodemap_pfn{{"Early memory PFN ranges", R_NODEMAP, "mm/page_alloc.c@v3.3.8"}, "nodemap"};
const ZoneLineFormat nodemap_node{{"Early memory node ranges", R_NODEMAP, "mm/page_alloc.c@v3.5"}, "nodemap"};
const ZoneLineFormat node_dec{{"  {:3}: {:8} -> {:8}", R_NODE, "mm/page_alloc.c@v2.6.19 \"  %3d: %8lu -> %8lu\""}, "node"};
const ZoneLineFormat node_hex{{"  {:3}: {:#010x} -> {:#010x}", R_NODE, "mm/page_alloc.c@v2.6.27 \"  %3d: %0#10lx -> %0#10lx\""}, "node"};
const ZoneLineFormat node_mem32{{"  node {:3}: [mem {:#010x}-{:#010x}]", R_NODE, "mm/page_alloc.c@v3.5"}, "node"};
const ZoneLineFormat node_mem64{{"  node {:3}: [mem {:#018x}-{:#018x}]", R_NODE, "mm/page_alloc.c@v4.1.15"}, "node"};
const ZoneLineFormat initmem32{{"Initmem setup node 0 [mem {:#010x}-{:#010x}]", R_INITMEM, "mm/page_alloc.c@v3.18.30 free_area_init_node()"}, "initmem"};
const ZoneLineFormat initmem64{{"Initmem setup node 0 [mem {:#018x}-{:#018x}]", R_INITMEM, "mm/page_alloc.c@v4.1.15 free_area_init_node()"}, "initmem"};
const ZoneLineFormat totalpages{{"On node 0 totalpages: {}", R"(^On node \d+ totalpages: \d+\s*$)", "mm/page_alloc.c@v2.6.19 calculate_node_totalpages()"}, "totalpages"};
const ZoneLineFormat memmap{{"  {} zone: {} pages used for memmap", R_ZONE, "mm/page_alloc.c@v2.6.19 free_area_init_core()"}, "memmap"};
const ZoneLineFormat exceeds{{"  {} zone: {} pages exceeds {} {}", R_ZONE, "mm/page_alloc.c@v3.9.6 free_area_init_core()"}, "memmap"};
const ZoneLineFormat reserved{{"  {} zone: {} pages reserved", R_ZONE, "mm/page_alloc.c@v2.6.21 free_area_init_core()"}, "reserved"};
const ZoneLineFormat lifo{{"  {} zone: {} pages, LIFO batch:{}", R_ZONE, "mm/page_alloc.c@v2.6.18 free_area_init_core()"}, "lifo"};
const ZoneLineFormat unavail{{"On node 0, zone {}: {} pages in unavailable ranges",
                              R"(^On node \d+, zone ([A-Za-z0-9]+): \d+ pages in unavailable ranges\s*$)",
                              "mm/page_alloc.c@v6.1 memmap_init()"}, "unavail"};
const ZoneLineFormat resv_unavail{{"Reserved but unavailable: {} pages", R"(^Reserved but unavailable: \d+ pages)",
                                   "mm/page_alloc.c@v4.15 zero_resv_unavail()"}, "resv"};
const ZoneLineFormat zonelists_plain{{"Built 1 zonelists.  Total pages: {}", R_ZONELISTS, "mm/page_alloc.c@v2.6.18"}, "zonelists"};
const ZoneLineFormat zonelists_order{{"Built 1 zonelists in Zone order.  Total pages: {}", R_ZONELISTS, "mm/page_alloc.c@v2.6.23"}, "zonelists"};
const ZoneLineFormat zonelists_mobility_order{{"Built 1 zonelists in Zone order, mobility grouping {}.  Total pages: {}",
                                               R_ZONELISTS, "mm/page_alloc.c@v2.6.24"}, "zonelists"};
const ZoneLineFormat zonelists_mobility{{"Built 1 zonelists, mobility grouping {}.  Total pages: {}", R_ZONELISTS,
                                         "mm/page_alloc.c@v4.14.177"}, "zonelists"};
const ZoneLineFormat memtotal{{"Memory:{} = {}MB total", R"(^Memory:( \d+MB)+ = \d+MB total\s*$)",
                               "arch/arm/mm/init.c@v2.6.18 mem_init() (to v3.10.4)"}, "memtotal"};
#undef R_RANGES
#undef R_RANGE
#undef R_MOVABLE
#undef R_NODEMAP
#undef R_NODE
#undef R_INITMEM
#undef R_ZONE
#undef R_ZONELISTS
const std::vector<const ZoneLineFormat*>& all() {
    static const std::vector<const ZoneLineFormat*> v = {
        &ranges_pfn, &ranges_mem, &range_dec, &range_hex, &range_empty, &range_mem32, &range_mem64, &movable_pfn,
        &movable, &nodemap_early, &nodemap_pfn, &nodemap_node, &node_dec, &node_hex, &node_mem32, &node_mem64,
        &initmem32, &initmem64, &totalpages, &memmap, &exceeds, &reserved, &lifo, &unavail, &resv_unavail,
        &zonelists_plain, &zonelists_order, &zonelists_mobility_order, &zonelists_mobility, &memtotal};
    return v;
}
}  // namespace zl

const std::vector<const MessageFormat*>& ram_cut_messages() {
    static const std::vector<const MessageFormat*> m = {&arm_bank_ignore, &arm_bank_truncate, &arm_memblock_ignore,
                                                         &arm_memblock_truncate, &arm_limit_ignore};
    return m;
}

}  // namespace kmsg
}  // namespace kmemkit
