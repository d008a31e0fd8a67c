// Buddy allocator on real board profiles (make_simulation): what boot frees,
// zone fallback and lowmem_reserve with the numbers of the era's formulas, each
// derived in the comments (v2.6.18 = v2.6.18 sources; v2.6.32.9 = 2.6.32.9).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "kmemkit/buddy.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/trace.hpp"
#include "test_buddy_replay.hpp"

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
    // profiles/pc-i386.yaml: e820 RAM 0-0x9f000 and 1 MB-1 GB.  v2.6.18 arch/i386/kernel/setup.c
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
    // watermarks from present pages (v2.6.18 setup_per_zone_pages_min): lowmem 4096 + 225280 pages =
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

TEST_CASE("pc-i386 (2.6.18): GFP_HIGHUSER falls back from HighMem to Normal at HighMem's low watermark", "[buddy][board]") {
    // v2.6.18 setup_per_zone_pages_min: pages_min = 3831 >> 2 = 957, lowmem_pages 229376.
    //   HighMem (32768 present): min = clamp(32768/1024, SWAP_CLUSTER_MAX 32, 128) = 32,
    //   tmp = 957*32768/229376 = 136, low = 32 + 136/4 = 66, high = 32 + 136/2 = 100.
    //   Normal (225280): min = tmp = 957*225280/229376 = 939, low = 939 + 234 = 1173.
    // lowmem_reserve (v2.6.18 sysctl_lowmem_reserve_ratio {256 DMA, 256 DMA32, 32 Normal}):
    //   Normal.lowmem_reserve[HighMem] = 32768/32 = 1024.
    // __alloc_pages, first pass at pages_low over the zonelist [HighMem, Normal, DMA]: HighMem
    // serves while free > 66, i.e. 32768 - 66 = 32702 pages.  Boot freed HighMem page by page
    // (add_one_highpage_init), each completed order-10 block to the list head: 0x3fc00 first,
    // split ascending, then 0x3f800 ...: page k is (0x3fc00 - 0x400*(k/1024)) + k%1024, so page
    // 32701 is 0x38000 + 957 = 0x383bd.  Page 32702: HighMem fails (66 not > 66); Normal passes
    // (free 225280 > low 1173 + reserve 1024) and gives the head of its order-10 list, 0x37c00.
    Simulation s = board_sim("pc-i386");
    BuddyAllocator& b = *s.buddy;
    const int high = zone_index(b, "HighMem"), normal = zone_index(b, "Normal");
    REQUIRE((high >= 0 && normal >= 0));
    const ZoneState& hz = b.zones()[size_t(high)];
    CHECK((hz.wmark_min == 32 && hz.wmark_low == 66 && hz.wmark_high == 100));
    CHECK(b.zones()[size_t(normal)].wmark_low == 1173);
    CHECK(b.zones()[size_t(normal)].lowmem_reserve[high] == 1024);
    Gfp hu = flags("GFP_HIGHUSER");
    for (uint64_t k = 0; k < 32702; ++k) {
        AllocResult r = b.alloc(0, hu);
        REQUIRE((r.ok && r.zone == high));
        REQUIRE(r.pfn == (0x3fc00 - 0x400 * (k / 1024)) + k % 1024);
    }
    AllocResult r = b.alloc(0, hu);
    CHECK((r.zone == normal && r.pfn == 0x37c00));
    // one HighMem page back (0x3fc00: its buddy 0x3fc01 is in use, so an order-0 block alone on
    // its list): free 67 > 66, the next GFP_HIGHUSER takes it again; the one after falls back to
    // Normal, whose order-0 list head is 0x37c01 (expand() of 0x37c00 left 0x37c01 last, at the head)
    b.free(0x3fc00, 0);
    r = b.alloc(0, hu);
    CHECK((r.zone == high && r.pfn == 0x3fc00));
    r = b.alloc(0, hu);
    CHECK((r.zone == normal && r.pfn == 0x37c01));
    CHECK(b.verify() == "");
}

TEST_CASE("pc-i386 (2.6.18): lowmem_reserve keeps DMA from GFP_KERNEL, not from GFP_DMA", "[buddy][board]") {
    // DMA: min 17, low 21 (see above); DMA.lowmem_reserve[Normal] = 225280/256 = 880 (v2.6.18
    // setup_per_zone_lowmem_reserve: lower_zone->lowmem_reserve[j] = present / ratio[idx]).
    // GFP_KERNEL, zonelist [Normal, DMA], classzone Normal (zone_watermark_ok: free_pages -
    // 2^order + 1 must be > mark + lowmem_reserve[classzone]), order 0:
    //   pass 1 (low): Normal while free > 1173: 225280 - 1173 = 224107 pages;
    //                 then DMA while free > 21 + 880 = 901: 3999 - 901 = 3098 pages, the first
    //                 0x9e (the only block on DMA's order-0 list after boot);
    //   pass 2 (min): Normal while free > 939: 1173 - 939 = 234; DMA while free > 17 + 880:
    //                 901 - 897 = 4.  Total 227443, then ENOMEM (below the min watermark).
    // GFP_KERNEL|GFP_DMA, classzone DMA, no reserve: pass 1 free > 21: 876, pass 2 free > 17: 4.
    // GFP_ATOMIC|GFP_DMA: min 17 - 17/2 = 9 (ALLOC_HIGH), 9 - 9/4 = 7 (ALLOC_HARDER): 10 more.
    Simulation s = board_sim("pc-i386");
    BuddyAllocator& b = *s.buddy;
    const int dma = zone_index(b, "DMA"), normal = zone_index(b, "Normal");
    CHECK(b.zones()[size_t(dma)].lowmem_reserve[normal] == 880);
    Gfp k = flags("GFP_KERNEL");
    uint64_t n = 0, from_dma = 0;
    AllocResult r;
    while ((r = b.alloc(0, k)).ok) {
        if (r.zone == dma && !from_dma++) CHECK((n == 224107 && r.pfn == 0x9e));
        ++n;
    }
    CHECK(n == 227443);
    CHECK(from_dma == 3098 + 4);
    CHECK(r.fail == AllocFail::below_watermark);
    CHECK(b.zones()[size_t(dma)].free_pages == 897);
    CHECK(b.zones()[size_t(normal)].free_pages == 939);
    uint64_t d = 0;
    while (b.alloc(0, flags("GFP_KERNEL|GFP_DMA")).ok) ++d;
    CHECK(d == 880);
    uint64_t a = 0;
    while (b.alloc(0, flags("GFP_ATOMIC|GFP_DMA")).ok) ++a;
    CHECK(a == 10);
    CHECK(b.zones()[size_t(dma)].free_pages == 7);
    CHECK(b.verify() == "");
}

TEST_CASE("property: 120k generated ops through buddyctl's stream path, every line out, free all = boot", "[buddy][board][property]") {
    // A generated trace (alloc/free of orders 0-3 with mixed GFP sets, vmalloc/vfree of up to
    // 1500 pages, so some with a nested page array, and show) replayed through cli::run_filter,
    // as buddyctl does.  Every input line must come out once, in order (with appended fields);
    // the other output lines are only the documented insertions.  Then a second trace frees
    // every id still live in the output (failed ones give ENOENT): the buddy lists must be
    // the post-boot ones again.  Boards of three vmalloc eras: 2.6.18, 2.6.28 (lazy purge), 6.1.
    for (const char* board : {"pc-i386", "s3c6410", "qemu-virt-arm"}) {
        CAPTURE(board);
        Simulation sim = buddy_test::simulation(board);
        Replayer rep(*sim.buddy, *sim.vm, false, sim.pae);
        const std::string boot = sim.buddy->buddyinfo();
        GenOptions g;
        g.seed = 5;
        g.ops = 120000;
        parse_gen_mix("alloc=50,free=40,vmalloc=4,vfree=4,show=1", g);
        parse_gen_gfp("GFP_KERNEL=6,GFP_HIGHUSER=3,GFP_ATOMIC=1", g);
        g.vmalloc_max_pages = 1500;
        g.max_live = 4000;
        std::string in;
        {
            std::string path = buddy_test::temp_file("");
            int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
            OutBuf out(fd);
            generate_trace(g, out);
            out.flush();
            ::close(fd);
            std::ifstream f(path);
            std::stringstream ss;
            ss << f.rdbuf();
            in = ss.str();
            std::remove(path.c_str());
        }
        auto r = buddy_test::replay(rep, in);
        REQUIRE(r.errors == 0);
        REQUIRE(r.lines == g.ops);
        // every input line in order; the rest are insertions
        std::istringstream is(in), os(r.out);
        std::string want, got;
        uint64_t matched = 0, inserted = 0, nested_maps = 0;
        bool have = bool(std::getline(is, want));
        std::set<std::string> live_pages, live_vm;
        while (std::getline(os, got)) {
            if (have && (got == want || got.compare(0, want.size() + 1, want + " ") == 0)) {
                ++matched;
                std::string id = got.substr(got.find(" id=") + 4);
                id = id.substr(0, id.find(' '));
                bool failed = got.find(" result=") != std::string::npos;
                if (got.compare(0, 6, "alloc ") == 0 && !failed) live_pages.insert(id);
                else if (got.compare(0, 8, "vmalloc ") == 0 && !failed) live_vm.insert(id);
                else if (got.compare(0, 5, "free ") == 0) live_pages.erase(id);
                else if (got.compare(0, 6, "vfree ") == 0) live_vm.erase(id);
                have = bool(std::getline(is, want));
                continue;
            }
            std::string w = got.substr(0, got.find(' '));
            if (!(w == "map" || w == "unmap" || w == "Node" || got.compare(0, 9, "# kernel:") == 0)) {
                FAIL_CHECK("neither the next input line nor a documented insertion: " << got.substr(0, 120)
                                                                                     << " (want " << want << ")");
                break;
            }
            nested_maps += got.find(" array=pages") != std::string::npos;
            ++inserted;
        }
        CHECK(!have);
        CHECK(matched == g.ops);
        CHECK(inserted > 0);
        CHECK(nested_maps > 0);   // vmallocs above 1024 pages took place
        REQUIRE(sim.buddy->verify() == "");
        std::string frees;
        for (const auto& id : live_pages) frees += "free id=" + id + "\n";
        for (const auto& id : live_vm) frees += "vfree id=" + id + "\n";
        auto f = buddy_test::replay(rep, frees);
        CHECK(f.errors == 0);
        CHECK(f.out.find("result=EINVAL") == std::string::npos);
        CHECK(sim.buddy->pages_in_use() == 0);
        CHECK(sim.buddy->buddyinfo() == boot);
        CHECK(sim.buddy->verify() == "");
    }
}

TEST_CASE("buddy: boot state is O(free blocks), not O(frames): a 64 GB PAE board", "[buddy]") {
    // 16 M page frames, freed at boot as ~16 K maximal blocks: the per-frame state holds a directory
    // entry per 1024 frames and stores frames only where a smaller block is (FrameStore)
    BoardOverrides o;
    o.mem = uint64_t(64) << 30;
    Board b = make_board(load_profile("pc-i386-pae"), o);
    Simulation sim = make_simulation(b, -1);
    CHECK(sim.buddy->frame_state_bytes() < (1u << 20));
    CHECK(sim.buddy->verify().empty());
    // an allocation stores the frames of the chunks it splits, and a free that merges them back
    // leaves the state as at boot
    const std::string boot = sim.buddy->buddyinfo();
    Gfp g;
    parse_gfp("GFP_HIGHUSER", g);
    std::vector<uint64_t> pfns;
    for (int i = 0; i < 1000; ++i) {
        AllocResult r = sim.buddy->alloc(0, g);
        REQUIRE(r.ok);
        pfns.push_back(r.pfn);
    }
    CHECK(sim.buddy->frame_state_bytes() < (2u << 20));
    for (uint64_t p : pfns) sim.buddy->free(p, 0);
    CHECK(sim.buddy->buddyinfo() == boot);
}
