// Buddy allocator on real board profiles (make_simulation): what boot frees,
// zone fallback and lowmem_reserve with the numbers of the era's formulas, each
// derived in the comments (M18 = v2.6.18 sources; V2632 = 2.6.32.9).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "kmemkit/buddy.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/trace.hpp"

using namespace kmemkit;

namespace {
Simulation board_sim(const char* name) {
    Profile p = load_profile(name);
    return make_simulation(make_board(p, {}));
}
Gfp flags(const char* s) {
    Gfp g;
    REQUIRE(parse_gfp(s, g));
    return g;
}
int zone_index(const BuddyAllocator& b, const char* name) {
    for (size_t i = 0; i < b.zones().size(); ++i)
        if (b.zones()[i].name == name) return int(i);
    return -1;
}
}  // namespace

TEST_CASE("pc-i386 (2.6.18): boot frees only e820 RAM, present pages still count the ISA hole", "[buddy][board]") {
    // profiles/pc-i386.yaml: e820 RAM 0-0x9f000 and 1 MB-1 GB.  M18 arch/i386/kernel/setup.c
    // zone_sizes_init passes zones_size without holes, so ZONE_DMA present_pages = 4096 (the
    // watermarks use it), but register_bootmem_low_pages() frees E820_RAM only:
    // PFN_UP(0)..PFN_DOWN(0x9f000) = pfns 0..0x9e and 0x100..0xfff.  The blocks (any ascending
    // free of an aligned range ends as its largest aligned blocks):
    //   0..0x9f: 0x0 order 7, 0x80 o4, 0x90 o3, 0x98 o2, 0x9c o1, 0x9e o0 (159 pages)
    //   0x100..0x1000: 0x100 o8, 0x200 o9, 0x400/0x800/0xc00 o10 (3840 pages); 0x100's order-8
    //   buddy 0x0 is an order-7 block, so nothing merges across the hole.
    Simulation s = board_sim("pc-i386");
    const BuddyAllocator& b = *s.buddy;
    int dma = zone_index(b, "DMA");
    REQUIRE(dma == 0);
    CHECK(b.buddyinfo() ==
          "Node 0, zone      DMA      1      1      1      1      1      0      0      1      1      1      3 \n"
          "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0    220 \n"
          "Node 0, zone  HighMem      0      0      0      0      0      0      0      0      0      0     32 \n");
    const ZoneState& z = b.zones()[0];
    CHECK(z.present == 4096);
    CHECK(z.managed == 159 + 3840);
    // watermarks from present pages (M18 setup_per_zone_pages_min): lowmem 4096 + 225280 pages =
    // 917504 kB -> min_free_kbytes int_sqrt(917504*16) = 3831 -> pages_min 957;
    // DMA min = 957*4096/229376 = 17, low = 17 + 17/4 = 21, high = 17 + 17/2 = 25
    CHECK(b.min_free_kbytes() == 3831);
    CHECK((z.wmark_min == 17 && z.wmark_low == 21 && z.wmark_high == 25));
    CHECK(b.verify() == "");
}

TEST_CASE("pc-i386: no GFP_DMA allocation ever returns a frame of the ISA/VGA hole 0x9f..0xff", "[buddy][board]") {
    Simulation s = board_sim("pc-i386");
    BuddyAllocator& b = *s.buddy;
    const std::string boot = b.buddyinfo();
    std::mt19937_64 rng(3);
    std::vector<std::pair<uint64_t, unsigned>> live;
    uint64_t handed = 0;
    for (int i = 0; i < 40000; ++i) {
        if (live.empty() || rng() % 100 < 60) {
            unsigned order = unsigned(rng() % 4);
            AllocResult r = b.alloc(order, flags(rng() % 2 ? "GFP_KERNEL|GFP_DMA" : "GFP_ATOMIC|GFP_DMA"));
            if (!r.ok) continue;
            ++handed;
            // the block [pfn, pfn + 2^order) must not touch 0x9f..0xff
            REQUIRE((r.pfn + (uint64_t(1) << order) <= 0x9f || r.pfn >= 0x100));
            live.push_back({r.pfn, order});
        } else {
            size_t j = size_t(rng() % live.size());
            b.free(live[j].first, live[j].second);
            live[j] = live.back();
            live.pop_back();
        }
    }
    CHECK(handed > 10000);
    for (auto& [pfn, order] : live) b.free(pfn, order);
    CHECK(b.buddyinfo() == boot);
    // drain DMA at order 0 down to the watermark: still nothing from the hole, and the
    // lowest frames (0..0x9e) are handed out too
    bool low_seen = false;
    for (AllocResult r; (r = b.alloc(0, flags("GFP_ATOMIC|GFP_DMA"))).ok;) {
        REQUIRE((r.pfn < 0x9f || r.pfn >= 0x100));
        low_seen |= r.pfn < 0x9f;
    }
    CHECK(low_seen);
    CHECK(b.verify() == "");
}
