// Vendor facts in a profile (vendor: vmalloc_end, carveout) and --from-dmesg
// taking them from a log that shows them.
#include <catch2/catch.hpp>

#include "kmemkit/dmesg.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/zones.hpp"

using namespace kmemkit;

namespace {
const char* kBoard = R"(name: v
arch: arm
kernel: 3.4.39
ram:
  - {start: 0x40000000, size: 512M}
)";
Layout layout_of(const std::string& yaml) {
    Board b = make_board(parse_profile(yaml, "<test>"), {});
    return compute_layout(b);
}
}  // namespace

TEST_CASE("vendor: a VMALLOC_END the vendor kernel keeps on a generic-VMALLOC_END release", "[vendor]") {
    // mainline 3.4 has VMALLOC_END 0xff000000 for every machine (arch/arm/include/asm/pgtable.h@v3.4.113)
    CHECK(layout_of(kBoard).vmalloc_end == 0xff000000u);
    Layout l = layout_of(std::string(kBoard) + "vendor: {vmalloc_end: 0xf6000000}\n");
    CHECK(l.vmalloc_end == 0xf6000000u);
    // the default lowmem limit follows it: VMALLOC_END - 240M - 8M (arch/arm/mm/mmu.c@v3.3.8)
    CHECK(l.lowmem_limit_phys == 0x40000000u + (0xf6000000u - (248u << 20) - 0xc0000000u));
    CHECK_THROWS_AS(parse_profile("name: x\narch: x86\nkernel: 3.4\nram: [{start: 0, size: 1G}]\nvendor: {vmalloc_end: 0xf0000000}\n",
                                  "<test>"),
                    Error);
}

TEST_CASE("vendor: a carve-out leaves lowmem and the node span, not the page counts", "[vendor]") {
    std::string yaml = std::string(kBoard) + "vendor:\n  carveout:\n    - {start: 0x58000000, size: 128M}\n";
    Board b = make_board(parse_profile(yaml, "<test>"), {});
    Layout l = compute_layout(b);
    CHECK(l.high_memory == 0xe0000000u);          // lowmem still spans 512 MB
    CHECK(l.lowmem_bytes == (384u << 20));         // but 128 MB of it is gone
    NodeMemory n = compute_zones(b, l);
    CHECK(n.node_spanned_pages == 131072);         // 512 MB spanned
    CHECK(n.node_present_pages == 98304);          // 384 MB present
    // a carve-out must lie inside a bank
    CHECK_THROWS_AS(parse_profile(std::string(kBoard) + "vendor:\n  carveout:\n    - {start: 0x60000000, size: 1M}\n", "<t>"),
                    Error);
}

TEST_CASE("vendor: --from-dmesg takes a vendor VMALLOC_END from the vmalloc line", "[vendor]") {
    // a 3.4 log (the 3.4 print format) whose vmalloc area ends at 0xf6000000, not at 3.4's generic 0xff000000
    const char* log =
        "Linux version 3.4.39 (a@b) #1 SMP\n"
        "Memory: 512MB = 512MB total\n"
        "Virtual kernel memory layout:\n"
        "    vector  : 0xffff0000 - 0xffff1000   (   4 kB)\n"
        "    fixmap  : 0xfff00000 - 0xfffe0000   ( 896 kB)\n"
        "    vmalloc : 0xe0800000 - 0xf6000000   ( 344 MB)\n"
        "    lowmem  : 0xc0000000 - 0xe0000000   ( 512 MB)\n"
        "    modules : 0xbf000000 - 0xc0000000   (  16 MB)\n";
    DmesgFacts f = parse_dmesg(log);
    std::string y = profile_yaml_from_dmesg(f);
    CHECK_THAT(y, Catch::Contains("vendor:\n  vmalloc_end: 0xf6000000"));
    Profile p = profile_from_dmesg(f);
    REQUIRE(p.vendor_vmalloc_end);
    CHECK(*p.vendor_vmalloc_end == 0xf6000000u);
    Board b = make_board(p, {});
    Layout l = compute_layout(b);
    Comparison c = compare_with_log(f, b, l, true);
    INFO(comparison_text(c, f, b));
    CHECK(c.agree());
}
