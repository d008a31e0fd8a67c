// Virtual <-> physical translation (libcore/src/translate.cpp).
#include <catch2/catch.hpp>

#include "kmemkit/profile.hpp"
#include "kmemkit/translate.hpp"

using namespace kmemkit;

namespace {
struct T {
    Board b;
    Layout l;
    NodeMemory n;
};
T setup(const std::string& profile) {
    T t{make_board(load_profile(profile), {}), {}, {}};
    t.l = compute_layout(t.b);
    t.n = compute_zones(t.b, t.l);
    return t;
}
}  // namespace

TEST_CASE("va2pa: OMAP5912 OSK seed addresses") {
    T s = setup("omap5912-osk");
    Translator tr(s.b, s.l, s.n);
    // VMALLOC_START = (0xc4000000 + 8M) & ~(8M-1) = 0xc4800000, so 0xc487a000 is vmalloc space
    Translation v = tr.va2pa(0xc487a000);
    REQUIRE(v.region);
    CHECK(v.region->name == "vmalloc");
    CHECK(!v.has_pa);
    CHECK(!v.zone);
    CHECK(v.why.find("not linearly mapped") != std::string::npos);
    // __pa(0xc0100000) = 0xc0100000 - 0xc0000000 + PHYS_OFFSET 0x10000000
    Translation l = tr.va2pa(0xc0100000);
    CHECK(l.pa == 0x10100000u);
    CHECK(l.pfn == 0x10100u);
    REQUIRE(l.zone);
    CHECK(l.zone->name == "DMA");            // 2.6.18 ARM: zone 0 is ZONE_DMA
    CHECK(l.mem_map_index == 0x100);          // pfn - PHYS_PFN_OFFSET
    CHECK(l.page_offset_bytes == 0x100 * 32);
}

TEST_CASE("va2pa: pc-i386 zone boundaries") {
    T s = setup("pc-i386");
    Translator tr(s.b, s.l, s.n);
    CHECK(tr.va2pa(0xc0ffffff).zone->name == "DMA");      // pa 0xffffff < 16 MB
    CHECK(tr.va2pa(0xc1000000).zone->name == "Normal");   // pa 16 MB
    ReverseTranslation h = tr.pa2va(0x38000ull << 12);     // pfn 0x38000 = MAXMEM 896 MB
    REQUIRE(h.zone);
    CHECK(h.zone->name == "HighMem");
    CHECK(!h.lowmem);
    CHECK(h.why.find("kmap") != std::string::npos);
}

TEST_CASE("va2pa: learned mappings resolve vmalloc and pkmap addresses") {
    T s = setup("imx6q");
    Translator tr(s.b, s.l, s.n);
    uint64_t va = s.l.vmalloc_start + 0x3000;
    CHECK(!tr.va2pa(va).has_pa);
    tr.learn(va, 0x10200000);
    Translation t = tr.va2pa(va + 0x10);
    CHECK(t.has_pa);
    CHECK(t.pa == 0x10200010u);
    CHECK(t.learned);
    tr.forget(va);
    CHECK(!tr.va2pa(va).has_pa);
}

// Property: every lowmem page maps to a RAM frame whose reverse translation
// is the same virtual address.
TEST_CASE("va2pa: round trip over every lowmem page") {
    for (const char* prof : {"omap5912-osk", "pc-i386", "imx6q", "s3c6410", "qemu-virt-arm"}) {
        DYNAMIC_SECTION(prof) {
            T s = setup(prof);
            Translator tr(s.b, s.l, s.n);
            uint64_t pages = 0, bad = 0;
            for (const auto& bank : s.l.lowmem_banks) {
                for (uint64_t pa = bank.start; pa < bank.end(); pa += kPageSize) {
                    uint64_t va = pa - s.l.phys_offset + s.l.page_offset;
                    Translation f = tr.va2pa(va + 0x123);
                    ReverseTranslation r = tr.pa2va(f.pa);
                    if (!f.has_pa || f.pa != pa + 0x123 || !f.zone || !r.lowmem || r.va != va + 0x123) ++bad;
                    ++pages;
                }
            }
            CHECK(pages > 1000);
            CHECK(bad == 0);
        }
    }
}
