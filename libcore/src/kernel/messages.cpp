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

const std::vector<const MessageFormat*>& ram_cut_messages() {
    static const std::vector<const MessageFormat*> m = {&arm_bank_ignore, &arm_bank_truncate, &arm_memblock_ignore,
                                                         &arm_memblock_truncate, &arm_limit_ignore};
    return m;
}

}  // namespace kmsg
}  // namespace kmemkit
