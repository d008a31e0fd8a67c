// Command-line parameters against the kernel source of each era: x86 highmem=
// (2.6.18.8 arch/i386/kernel/setup.c find_max_low_pfn(); 2.6.29 and 2.6.32.69/v2.6.37/v6.1
// arch/x86/mm/init_32.c), --mem/--ram over a mem= of the profile's command line, and the
// vmalloc= that keeps all RAM in lowmem (solved with the layout itself).
#include <catch2/catch.hpp>

#include <string>

#include "kmemkit/cmdline.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/sweep.hpp"

using namespace kmemkit;

namespace {
constexpr uint64_t MB = 1ull << 20;
BoardOverrides ov(const std::string& cmdline, uint64_t mem = 0, const char* kernel = nullptr) {
    BoardOverrides o;
    o.cmdline = cmdline;
    if (mem) o.mem = mem;
    if (kernel) o.kernel = kernel;
    return o;
}
Layout layout_for(const std::string& profile, const BoardOverrides& o = {}) {
    return compute_layout(make_board(load_profile(profile), o), /*keep_all=*/true);
}
std::vector<std::string> texts(const Layout& l) {
    std::vector<std::string> t;
    for (const auto& m : l.messages) t.push_back(m.text);
    return t;
}
using Msgs = std::vector<std::string>;
}  // namespace

// ---------------------------------------------------------------------------
// x86 highmem=: highmem_pages = memparse() >> PAGE_SHIFT, pages_to_mb(x) = x >> 8

TEST_CASE("highmem= shrinks highmem on a board with more RAM than MAXMEM (highmem_pfn_init)") {
    // qemu-pc-i386, Linux 6.1: VMALLOC_END 0xfebfe000, MAXMEM = 0xfebfe000 - 0xc0000000 - 128M = 0x36bfe000
    // (MAXMEM_PFN 0x36bfe = 875 MB); 1 GB of RAM ends at pfn 0x3ffe0.  highmem=64M: max_pfn = MAXMEM_PFN + 0x4000.
    Layout l = layout_for("qemu-pc-i386", ov("highmem=64M"));
    CHECK(texts(l) == Msgs{"64MB HIGHMEM available.", "875MB LOWMEM available."});
    CHECK(l.max_low_pfn == 0x36bfe);
    CHECK(l.max_pfn == 0x36bfe + 0x4000);
    CHECK(l.highmem_bytes == 64 * MB);
    CHECK(l.dropped_bytes == (0x3ffe0 - 0x36bfe - 0x4000) * kPageSize);   // RAM above max_pfn is not used
    // asking for more than there is: MSG_HIGHMEM_TOO_SMALL, highmem stays what RAM gives (0x93e2 pages = 147 MB)
    Layout big = layout_for("qemu-pc-i386", ov("highmem=256M"));
    CHECK(texts(big) == Msgs{"only 147MB highmem pages available, ignoring highmem size of 256MB!", "147MB HIGHMEM available.",
                             "875MB LOWMEM available."});
    CHECK(big.max_pfn == 0x3ffe0);
}

TEST_CASE("highmem= carves highmem out of RAM that fits below MAXMEM (lowmem_pfn_init)") {
    // --mem 512M: one bank at 0x1000, max_pfn 0x20001; highmem=128M = 0x8000 pages
    Layout l = layout_for("qemu-pc-i386", ov("highmem=128M", 512 * MB));
    CHECK(texts(l) == Msgs{"128MB HIGHMEM available.", "384MB LOWMEM available."});
    CHECK(l.max_low_pfn == 0x18001);
    CHECK(l.max_pfn == 0x20001);
    CHECK(l.highmem_bytes == 128 * MB);
    CHECK(l.lowmem_bytes == 384 * MB);
    CHECK(l.high_memory == 0xd8001000u);   // __va(highstart_pfn * PAGE_SIZE - 1) + 1
    CHECK(l.vmalloc_start == 0xd8801000u);
    // the refusals, in the MSG_* texts of 2.6.30+
    CHECK(texts(layout_for("qemu-pc-i386", ov("highmem=1G", 512 * MB))) ==
          Msgs{"highmem size (1024MB) is bigger than pages available (512MB)!", "0MB HIGHMEM available.", "512MB LOWMEM available."});
    CHECK(texts(layout_for("qemu-pc-i386", ov("highmem=480M", 512 * MB))) ==
          Msgs{"highmem size (480MB) results in <64MB lowmem, ignoring it!", "0MB HIGHMEM available.", "512MB LOWMEM available."});
    BoardOverrides off = ov("highmem=64M", 512 * MB);
    off.highmem = false;
    CHECK(texts(layout_for("qemu-pc-i386", off)) == Msgs{"ignoring highmem size on non-highmem kernel!", "512MB LOWMEM available."});
}

TEST_CASE("highmem= in 2.6.18 and 2.6.29 speaks the old find_max_low_pfn() texts") {
    // pc-i386 2.6.18: MAXMEM 896 MB, 1 GB of RAM -> 128 MB of highmem
    CHECK(texts(layout_for("pc-i386", ov("highmem=256M"))) ==
          Msgs{"only 128MB highmem pages available, ignoring highmem size of 256MB.", "128MB HIGHMEM available.",
               "896MB LOWMEM available."});
    CHECK(texts(layout_for("pc-i386", ov("highmem=1G", 512 * MB))) ==
          Msgs{"highmem size specified (1024MB) is bigger than pages available (512MB)!.", "0MB HIGHMEM available.",
               "512MB LOWMEM available."});
    CHECK(texts(layout_for("pc-i386", ov("highmem=480M", 512 * MB))) ==
          Msgs{"highmem size 480MB results in smaller than 64MB lowmem, ignoring it.", "0MB HIGHMEM available.",
               "512MB LOWMEM available."});
    // 2 GB with highmem=512M: max_pfn = MAXMEM_PFN + 0x20000, the other 640 MB unused
    Layout two = layout_for("pc-i386", ov("highmem=512M", 2048 * MB));
    CHECK(texts(two) == Msgs{"512MB HIGHMEM available.", "896MB LOWMEM available."});
    CHECK(two.max_pfn == 0x38000 + 0x20000);
    CHECK(two.dropped_bytes == 640 * MB);
    // pc-i386-pae: 4.5 GB ends at pfn 0x120000, MAXMEM_PFN 0x377fe: (0x120000 - 0x377fe) >> 8 = 3720 MB
    CHECK(texts(layout_for("pc-i386-pae", ov("highmem=8G", 0, "2.6.29")))[0] ==
          "only 3720MB highmem pages available, ignoring highmem size of 8192MB.");
    CHECK(texts(layout_for("pc-i386-pae", ov("highmem=8G", 0, "2.6.30")))[0] ==
          "only 3720MB highmem pages available, ignoring highmem size of 8192MB!");
    // highmem_pages is an unsigned int: highmem=16T is 2^32 pages, which wraps to 0 -> no highmem
    Layout wrap = layout_for("pc-i386", ov("highmem=16T"));
    CHECK(texts(wrap) == Msgs{"0MB HIGHMEM available.", "896MB LOWMEM available."});
    CHECK(wrap.highmem_bytes == 0);
}

TEST_CASE("highmem= is x86 only: ARM ignores it") {
    Layout a = layout_for("imx6q", ov("highmem=64M"));
    Layout b = layout_for("imx6q", ov(""));
    CHECK(a.highmem_bytes == b.highmem_bytes);
    CHECK(texts(a) == texts(b));
}

// ---------------------------------------------------------------------------
// --mem / --ram / --sweep mem= against a mem= of the profile's command line

TEST_CASE("mem override: --mem and --ram replace a mem= of the profile's command line, with a note") {
    // realview.yaml's cmdline is "console=ttyAMA0 mem=256M"
    BoardOverrides o;
    o.mem = 800 * MB;
    Board b = make_board(load_profile("realview"), o);
    CHECK(b.cmdline.text == "console=ttyAMA0");
    CHECK(b.cmdline.mem.empty());
    REQUIRE(b.notes.size() == 1);
    CHECK(b.notes[0] == "--mem 800M replaces mem=256M of the kernel command line");
    Layout l = compute_layout(b);
    CHECK(l.ram.size() == 1);
    CHECK(l.ram[0].size == 800 * MB);
    CHECK(l.lowmem_bytes == 768 * MB);    // 2.6.32 RealView: lowmem limit 0xf8000000 - 128M = 0xf0000000
    CHECK(l.highmem_bytes == 32 * MB);
    BoardOverrides r;
    r.ram = {MemBank{0, 512 * MB}};
    Board rb = make_board(load_profile("realview"), r);
    CHECK(rb.cmdline.mem.empty());
    REQUIRE(rb.notes.size() == 1);
    CHECK(rb.notes[0] == "--ram replaces mem=256M of the kernel command line");
    // a mem= the user types on --cmdline is the user's own: it stays, with no note
    BoardOverrides u = ov("mem=128M", 800 * MB);
    Board ub = make_board(load_profile("realview"), u);
    CHECK(ub.notes.empty());
    CHECK(compute_layout(ub).lowmem_bytes == 128 * MB);
}

TEST_CASE("mem override: --sweep mem= replaces a mem= of the command line, so the rows differ") {
    Board b = make_board(load_profile("realview"), {});
    SweepSpec s = parse_sweep_spec("mem=256M..1G:256M");
    Board sb = sweep_board(b, s);
    REQUIRE(sb.notes.size() == 1);
    CHECK(sb.notes[0] == "sweeping mem= replaces mem=256M of the kernel command line");
    auto rows = sweep_layout(b, s);
    REQUIRE(rows.size() == 4);
    const uint64_t low[] = {256, 512, 768, 768}, high[] = {0, 0, 0, 256};
    for (size_t i = 0; i < 4; ++i) {
        CHECK(rows[i].lowmem == low[i] * MB);
        CHECK(rows[i].highmem == high[i] * MB);
    }
    CHECK(sweep_board(b, parse_sweep_spec("vmalloc=16M..32M:16M")).notes.empty());
}

TEST_CASE("cmdline_without drops one parameter and keeps the others as written") {
    std::vector<std::string> dropped;
    CHECK(cmdline_without("console=ttyAMA0 mem=256M  root=\"/dev/a b\" mem=64M@0x100", "mem", &dropped) ==
          "console=ttyAMA0 root=\"/dev/a b\"");
    CHECK(dropped == std::vector<std::string>{"mem=256M", "mem=64M@0x100"});
    CHECK(cmdline_without("memmap=1M mem", "mem", nullptr) == "memmap=1M mem");
}

// ---------------------------------------------------------------------------
// vmalloc= that keeps all RAM in lowmem

namespace {
Layout with_vmalloc(const std::string& profile, BoardOverrides o, uint64_t v) {
    o.cmdline = (o.cmdline ? *o.cmdline + " " : std::string()) + "vmalloc=" + std::to_string(v >> 20) + "M";
    return compute_layout(make_board(load_profile(profile), o));
}
bool keeps_all(const Layout& l) { return l.highmem_bytes == 0 && l.dropped_bytes == 0; }
}  // namespace

TEST_CASE("keep-all: the answer is the largest vmalloc= that keeps all RAM, checked against the layout") {
    // s3c6410 (2.6.28, VMALLOC_END 0xe0000000) with 400 MB: lowmem must reach 0xd9000000, so vmalloc <= 112M
    BoardOverrides o;
    o.mem = 400 * MB;
    Layout t = layout_for("s3c6410", ov("vmalloc=200M", 400 * MB));   // truncated, so the question arises
    REQUIRE(t.dropped_bytes);
    CHECK(t.vmalloc_to_keep_all == 112 * MB);
    CHECK(keeps_all(with_vmalloc("s3c6410", o, 112 * MB)));
    CHECK_FALSE(keeps_all(with_vmalloc("s3c6410", o, 113 * MB)));
    CHECK(t.keep_all_note.rfind("vmalloc=112M is the largest vmalloc= that keeps all 400 MB of RAM in lowmem", 0) == 0);
    CHECK(t.keep_all_reason == t.keep_all_note);
}

TEST_CASE("keep-all: when none can, the most lowmem any vmalloc= gives") {
    // pc-i386 2.6.18 (1 GB less the 388 KB hole 0x9f000-0x100000): VMALLOC_START = (high_memory + 16M - 1) & ~(8M-1) must stay
    // below VMALLOC_END 0xff7fe000, so vmalloc=24M (high_memory 0xfe800000) is the smallest that boots
    Layout l = layout_for("pc-i386");
    CHECK(l.vmalloc_to_keep_all == 0);
    CHECK(l.keep_all_max_lowmem == 1000 * MB - 388 * 1024);
    CHECK(with_vmalloc("pc-i386", {}, 24 * MB).lowmem_bytes == l.keep_all_max_lowmem);
    CHECK_THROWS_AS(with_vmalloc("pc-i386", {}, 23 * MB), Error);
    CHECK(l.keep_all_note ==
          "no vmalloc= keeps all 1048188 kB of RAM in lowmem: the most lowmem any vmalloc= gives is 1023612 kB "
          "(vmalloc=24M, lowmem limit 0xfe800000); below vmalloc=24M this kernel does not boot");
    // RealView 2.6.32 with 1 GB in two banks around a hole: all RAM is 1 GB (not the 1280 MB span); vmalloc=16M
    // (the minimum) puts the limit at 0xf7000000 = pa 0x37000000: 256 MB + 368 MB of lowmem
    BoardOverrides r = ov("");
    r.ram = {MemBank{0, 256 * MB}, MemBank{0x20000000, 768 * MB}};
    Layout rv = layout_for("realview", r);
    CHECK(rv.vmalloc_to_keep_all == 0);
    CHECK(rv.keep_all_max_lowmem == 624 * MB);
    CHECK(rv.keep_all_note.rfind("no vmalloc= keeps all 1 GB of RAM in lowmem: the most lowmem any vmalloc= gives is 624 MB "
                                 "(vmalloc=16M",
                                 0) == 0);
}

TEST_CASE("keep-all: a reason whenever there is no answer") {
    Layout all = layout_for("s3c6410");   // 256 MB, nothing truncated
    CHECK(all.vmalloc_to_keep_all == 0);
    CHECK(all.keep_all_note.empty());
    CHECK(all.keep_all_reason == "all RAM is lowmem already: no RAM is highmem or truncated");
    Layout old = layout_for("omap5912-osk");   // 2.6.18 ARM: no vmalloc= and no lowmem limit at all
    CHECK(old.vmalloc_to_keep_all == 0);
    CHECK(old.keep_all_reason ==
          "Linux 2.6.18 has no vmalloc= parameter (added in 2.6.27) and no lowmem limit: every bank is mapped");
    Layout hm = layout_for("qemu-pc-i386", ov("highmem=64M"));
    CHECK(hm.vmalloc_to_keep_all == 0);
    CHECK(hm.keep_all_reason.find("highmem= on the command line") != std::string::npos);
}

TEST_CASE("keep-all: property over boards, RAM sizes and eras") {
    struct Case { const char* profile; uint64_t mem; const char* kernel; };
    const Case cases[] = {{"s3c6410", 300 * MB, nullptr},    {"s3c6410", 384 * MB, "2.6.29"}, {"imx6q", 900 * MB, nullptr},
                          {"imx6q", 800 * MB, "4.9"},        {"qemu-virt-arm", 1000 * MB, nullptr},
                          {"realview", 900 * MB, nullptr},   {"pc-i386", 1000 * MB, "2.6.32"},
                          {"qemu-pc-i386", 950 * MB, nullptr}, {"beaglebone", 900 * MB, nullptr}};
    for (const auto& c : cases) {
        BoardOverrides o = ov("vmalloc=400M", c.mem, c.kernel);   // a large reserve: RAM is truncated or highmem
        DYNAMIC_SECTION(c.profile << " " << (c.mem >> 20) << "M " << (c.kernel ? c.kernel : "")) {
            Layout l = layout_for(c.profile, o);
            REQUIRE_FALSE(keeps_all(l));
            BoardOverrides base = c.kernel ? ov("", c.mem, c.kernel) : ov("", c.mem);
            if (l.vmalloc_to_keep_all) {
                CHECK(keeps_all(with_vmalloc(c.profile, base, l.vmalloc_to_keep_all)));
                bool next_keeps = false;
                try {
                    next_keeps = keeps_all(with_vmalloc(c.profile, base, l.vmalloc_to_keep_all + MB));
                } catch (const Error&) {
                }
                CHECK_FALSE(next_keeps);
            } else {
                // no value keeps all; the reported maximum is reached and not exceeded at the minimum reserve
                CHECK(l.keep_all_max_lowmem > 0);
                CHECK(with_vmalloc(c.profile, base, 16 * MB).lowmem_bytes <= l.keep_all_max_lowmem);
            }
        }
    }
}
