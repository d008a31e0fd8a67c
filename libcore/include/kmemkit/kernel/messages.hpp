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

// mem_init()'s "Virtual kernel memory layout" lines (arch/arm/mm/init.c, arch/x86/mm/init_32.c): one pattern
// reads every form (name, start, end; "(ptrval)" from 4.15)
extern const MessageFormat layout_kb;             // name, start, end, kB   "    %-8s: 0x%08lx - 0x%08lx   (%4ld kB)"
extern const MessageFormat layout_mb;             // name, start, end, MB
extern const MessageFormat layout_section;        // label, start, end, kB  "      .text : 0x%p - 0x%p   (%4d kB)"
extern const MessageFormat layout_section_ptrval; // label, kB (4.15+ %p before the hash key: "(ptrval)")

// The RAM-cut messages above, for the reader.
const std::vector<const MessageFormat*>& ram_cut_messages();
}  // namespace kmsg

template <class... Args>
std::string print_message(const MessageFormat& m, Args&&... args) {
    return fmt::format(fmt::runtime(m.print), std::forward<Args>(args)...);
}

}  // namespace kmemkit
