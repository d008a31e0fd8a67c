// The machine table (see kernel/machine_rules.hpp).
#include "kmemkit/kernel/machine_rules.hpp"

#include <regex>

namespace kmemkit {

// The machines whose built-in profile states the VMALLOC_END of their
// mach/vmalloc.h, by the name MACHINE_START gives them (the "Machine:" line),
// and the kernel versions for which that value holds
// (arch/arm/mach-*/include/mach/vmalloc.h of each release named in the row).
std::optional<MachineMatch> machine_profile_for(const std::string& machine) {
    struct Row {
        const char* name_re;
        const char* profile;
        VersionKey since, until;
        const char* versions;
        const char* source;
    };
    static const Row rows[] = {
        // MACHINE_START(SMDK6410, "SMDK6410") (v2.6.29 mach-s3c6410/mach-smdk6410.c), MACHINE_START(MINI6410,
        // "MINI6410") (FriendlyARM mach-mini6410.c); 0xE0000000: plat-s3c/include/plat/vmalloc.h (v2.6.29-v2.6.34,
        // v2.6.32.9, FriendlyARM tiny6410 v2.6.28.6), include/asm-arm/arch-s3c2410/vmalloc.h (v2.6.18, v2.6.28), where Samsung's 2.6.24 BSP keeps
        // the S3C6400/6410 (qiupq/linux-2.6.24-s3c6410 @ 3d915e6: arch-s3c2410/regs-s3c6400-clock.h);
        // 2.6.37 moved mach-s3c64xx to 0xF6000000UL (v2.6.37)
        {"SMDK6400|SMDK6410|MINI6410|TINY6410", "s3c6410", kv(2, 6, 18), kv(2, 6, 37), "2.6.18-2.6.36",
         "plat-s3c / arch-s3c2410 vmalloc.h: 0xE0000000 until 2.6.36 (v2.6.18, v2.6.28, v2.6.29-v2.6.34, v2.6.32.9, FriendlyARM tiny6410 v2.6.28.6)"},
        // MACHINE_START(REALVIEW_EB, "ARM-RealView EB") and the PB boards (mach-realview); 0xf8000000 from
        // 2.6.29 (v2.6.29..V301 mach-realview/include/mach/vmalloc.h); PAGE_OFFSET+0x18000000 before (v2.6.18, v2.6.28, torvalds/linux@7a9787e1eba9)
        {"ARM-RealView( .*)?", "realview", kv(2, 6, 29), kv(3, 3), "2.6.29-3.2",
         "mach-realview/include/mach/vmalloc.h: 0xf8000000 from 2.6.29 (v2.6.29-v2.6.34, v2.6.32.9, v2.6.37, v3.0.1)"},
        // MACHINE_START(OMAP_OSK, "TI-OSK") (mach-omap1/board-osk.c); PAGE_OFFSET+0x10000000 in v2.6.18-v2.6.30,
        // PAGE_OFFSET+0x18000000 from 2.6.31 (v2.6.31-v2.6.34, torvalds/linux@a76df42a675c)
        {"TI-OSK", "omap5912-osk", kv(2, 6, 18), kv(2, 6, 31), "2.6.18-2.6.30",
         "arch-omap / mach-omap1 vmalloc.h: PAGE_OFFSET+0x10000000 until 2.6.30 (v2.6.18, v2.6.28, v2.6.29, v2.6.30)"},
    };
    for (const auto& r : rows)
        if (std::regex_match(machine, std::regex(r.name_re, std::regex::icase)))
            return MachineMatch{r.profile, r.since, r.until, r.versions, r.source};
    return std::nullopt;
}

}  // namespace kmemkit
