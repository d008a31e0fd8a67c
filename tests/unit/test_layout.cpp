// vmlayout's arithmetic against worked examples from the kernel sources and
// the QEMU oracle (real Linux 6.1 kernels, tests/data/oracle).
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <string>

#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "oracle.hpp"

using namespace kmemkit;

namespace {
Layout layout_for(const std::string& profile, BoardOverrides o = {}) {
    return compute_layout(make_board(load_profile(profile), o), /*keep_all=*/true);
}
BoardOverrides with_cmdline(const std::string& c) {
    BoardOverrides o;
    o.cmdline = c;
    return o;
}
std::vector<std::string> texts(const Layout& l) {
    std::vector<std::string> t;
    for (const auto& m : l.messages) t.push_back(m.text);
    return t;
}
}  // namespace

TEST_CASE("seed: OMAP5912 OSK, 64 MB, 2.6.18") {
    Layout l = layout_for("omap5912-osk");
    CHECK(l.high_memory == 0xc4000000u);
    CHECK(l.vmalloc_start == 0xc4800000u);   // (0xc4000000 + 8M) & ~(8M-1)
    CHECK(l.vmalloc_end == 0xd0000000u);     // PAGE_OFFSET + 0x10000000 (asm-arm/arch-omap/vmalloc.h)
    CHECK(l.modules_start == 0xbf000000u);
    CHECK(l.task_size == 0xbf000000u);
    CHECK(!l.has_pkmap);
    CHECK(!l.has_fixmap);                    // no ARM fixmap before 2.6.30
    CHECK(l.kernel_max_low_pfn == 16384);    // a page count in this era
    CHECK(l.messages.empty());
    // 2.6.18 has no vmalloc= parameter: the kernel ignores it
    Layout v = layout_for("omap5912-osk", with_cmdline("vmalloc=8M"));
    CHECK(v.messages.empty());
    CHECK(v.vmalloc_start == 0xc4800000u);
    CHECK(!v.notes.empty());
}

TEST_CASE("seed: S3C6410 ends vmalloc at 0xe0000000; 512 MB is truncated") {
    Layout l = layout_for("s3c6410");
    CHECK(l.vmalloc_end == 0xe0000000u);
    CHECK(l.high_memory == 0xd0000000u);
    CHECK(l.vmalloc_start == 0xd0800000u);
    CHECK(l.lowmem_limit_virt == 0xd8000000u);   // VMALLOC_END - 128M
    BoardOverrides o;
    o.mem = 512ull << 20;
    Layout t = layout_for("s3c6410", o);
    REQUIRE(t.messages.size() == 1);
    CHECK(t.messages[0].text == "Truncating RAM at 50000000-6fffffff to -67ffffff (vmalloc region overlap).");
    CHECK(t.lowmem_bytes == 384ull << 20);
    CHECK(t.dropped_bytes == 128ull << 20);
    CHECK(t.high_memory == 0xd8000000u);
    CHECK(t.vmalloc_to_keep_all == 0);   // 512 MB cannot all be lowmem below 0xe0000000 - 16M
}

TEST_CASE("seed: vmalloc=8M is raised to 16 MB with the kernel's message") {
    BoardOverrides o = with_cmdline("vmalloc=8M");
    o.mem = 512ull << 20;
    Layout l = layout_for("s3c6410", o);
    // the clamp, then the bank still crosses __pa(0xe0000000 - 16M) = 0x6f000000
    CHECK(texts(l) == std::vector<std::string>{"vmalloc area too small, limiting to 16MB",
                                               "Truncating RAM at 50000000-6fffffff to -6effffff (vmalloc region overlap)."});
    CHECK(l.vmalloc_reserve == 16ull << 20);
    CHECK(l.lowmem_limit_virt == 0xdf000000u);   // 0xe0000000 - 16M
    // 496 MB ends exactly at the limit: no truncation
    Layout m = layout_for("s3c6410", with_cmdline("vmalloc=8M mem=496M"));
    REQUIRE(m.messages.size() == 1);
    CHECK(m.lowmem_bytes == 496ull << 20);
}

TEST_CASE("seed: a too-large vmalloc= is clamped to VMALLOC_END-(PAGE_OFFSET+32M) from 2.6.29") {
    BoardOverrides o = with_cmdline("vmalloc=600M");
    o.kernel = "2.6.29";
    Layout l = layout_for("s3c6410", o);
    CHECK(texts(l) == std::vector<std::string>{"vmalloc area is too big, limiting to 480MB",   // 0xe0000000 - 0xc2000000
                                               "Truncating RAM at 50000000-5fffffff to -51ffffff (vmalloc region overlap)."});
    CHECK(l.lowmem_limit_virt == 0xc2000000u);
    // 2.6.28 (FriendlyARM) has only the lower clamp
    // VMALLOC_MIN = 0xe0000000 - 600M is below PAGE_OFFSET: the only bank is ignored, no lowmem
    CHECK_THROWS_WITH(layout_for("s3c6410", with_cmdline("vmalloc=600M")),
                      Catch::Contains("Ignoring RAM at 50000000-5fffffff (vmalloc region overlap)."));
}

TEST_CASE("seed: RealView ends vmalloc at 0xf8000000 (2.6.29+) and at 0xd8000000 before") {
    CHECK(layout_for("realview").vmalloc_end == 0xf8000000u);
}

TEST_CASE("seed: x86 2.6.18 lowmem ends at 896 MB") {
    Layout l = layout_for("pc-i386");
    CHECK(l.max_low_pfn == 0x38000);
    CHECK(l.high_memory == 0xf8000000u);
    CHECK(l.vmalloc_start == 0xf8800000u);   // (0xf8000000 + 16M - 1) & ~(8M-1)
    CHECK(l.highmem_bytes == 128ull << 20);
    CHECK(texts(l) == std::vector<std::string>{"128MB HIGHMEM available.", "896MB LOWMEM available."});
    BoardOverrides o;
    o.mem = 2048ull << 20;
    Layout big = layout_for("pc-i386", o);   // 2.6.18 MAXMEM 896 MB: 1152 MB HIGHMEM, 896 MB LOWMEM
    CHECK(texts(big) == std::vector<std::string>{"1152MB HIGHMEM available.", "896MB LOWMEM available."});
}

TEST_CASE("x86 2.6.28+: PAE lowmem is VMALLOC_END - PAGE_OFFSET - 128M (887 MB)") {
    Layout l = layout_for("pc-i386-pae");
    CHECK(l.vmalloc_end == 0xff7fe000u);
    CHECK(l.high_memory == 0xf77fe000u);
    CHECK(l.vmalloc_start == 0xf7ffe000u);   // high_memory + 8M, unaligned
}

TEST_CASE("ARM eras: 3.4+ default lowmem limit 0xef800000, 4.4+ 0xf0000000") {
    CHECK(layout_for("imx6q").lowmem_limit_virt == 0xef800000u);
    BoardOverrides o;
    o.kernel = "4.9";
    CHECK(layout_for("imx6q", o).lowmem_limit_virt == 0xf0000000u);
}

// ---------------------------------------------------------------------------
// QEMU oracle: every complete run of shared/oracle (copied to tests/data/oracle)
TEST_CASE("oracle: lowmem, HighMem and VmallocTotal of real Linux 6.1 boots") {
    using oracle::hexnum;
    int runs = 0;
    for (const auto& run : oracle::runs()) {
        const YAML::Node& j = run.facts;
        const std::string& f = run.file;
        const std::string& profile = run.profile;
        const BoardOverrides& o = run.overrides;
        DYNAMIC_SECTION(f) {
            Layout l = compute_layout(make_board(load_profile(profile), o), /*keep_all=*/true);
            uint64_t lowmem_pages = 0, high_pages = 0;
            for (const auto& z : j["zones"]) {
                std::string name = z["zone"].as<std::string>();
                uint64_t spanned = z["spanned"].as<uint64_t>();
                if (name == "HighMem") high_pages += spanned;
                else if (name == "DMA" || name == "Normal") {
                    if (spanned) lowmem_pages = (z["start_pfn"].as<uint64_t>() + spanned);   // end pfn of lowmem
                }
            }
            // lowmem: the end of the last lowmem zone is max_low_pfn
            CHECK(l.max_low_pfn == lowmem_pages);
            CHECK((l.highmem_bytes >> 12) == high_pages);
            CHECK(uint64_t(l.vmalloc_end - l.vmalloc_start) / 1024 == j["VmallocTotal_k"].as<uint64_t>());
            if (j["derived"]["high_memory"])
                CHECK(l.high_memory == hexnum(j["derived"]["high_memory"]));
            if (j["x86_lowmem_mb"] && !j["x86_lowmem_mb"].IsNull())
                CHECK((l.max_low_pfn >> 8) == j["x86_lowmem_mb"].as<uint64_t>());
        }
        ++runs;
    }
    CHECK(runs >= 30);
}
