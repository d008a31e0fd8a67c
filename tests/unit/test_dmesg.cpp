// vmlayout --from-dmesg: every real boot log in tests/data/bootlogs and every
// QEMU oracle log is parsed, its board rebuilt from the log alone, and the
// computed layout compared with what the kernel printed.  The expectations
// below come from the logs' own headers (tests/data/bootlogs/INDEX.md), not
// from what the code prints.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "kmemkit/dmesg.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/sweep.hpp"

using namespace kmemkit;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Outcome {
    Comparison cmp;
    DmesgFacts facts;
    Board board;
};

Outcome check(const std::string& text, std::optional<std::string> kernel = {}, std::optional<std::string> cmdline = {}) {
    Outcome o;
    o.facts = parse_dmesg(text);
    BoardOverrides ov;
    ov.cmdline = cmdline;
    o.board = make_board(profile_from_dmesg(o.facts, kernel), ov);
    Layout l = compute_layout(o.board);
    o.cmp = compare_with_log(o.facts, o.board, l, true);
    return o;
}

std::string reasons(const Comparison& c) {
    std::string r;
    for (const auto& it : c.items) r += it.reason + "\n";
    return r;
}

struct Case {
    const char* name;
    const char* kernel;     // --kernel, for logs without a "Linux version" line ("" = none)
    bool agree;
    const char* reason;     // a phrase of the reason when they differ
};

// The outcomes, per log (the reasons are the ones INDEX.md and the headers document).
const Case kCases[] = {
    {"allwinner-sun8i-3.4-256m", "", true, ""},
    {"allwinner-sun8iw19-4.9-128m-thumb2", "", true, ""},   // 8 MB modules area -> thumb2 inferred
    {"ambarella-a5m-dropcam-2.6.38-138m", "", true, ""},     // pre-3.4: VMALLOC_END 0xe0000000 from the block
    {"fh8852-3.0-36m-kmsg-prefix", "", true, ""},            // "<5>" prefixes
    {"hi3518-openipc-3.0-40m", "", true, ""},
    {"kirkwood-sheevaplug-3.1-512m", "", true, ""},
    {"mt85xx-philips-bdp3280-2.6.35-384m", "", true, ""},
    {"rk3128-box-3.10-1g-highmem", "", true, ""},
    {"rpi2-4.0-1g-vmsplit2g-fixmap2m", "4.0.7", true, ""},   // the excerpt starts at "Memory:"
    {"rpi3-4.19rt-948m-vmsplit2g-ptrval", "4.19", true, ""},
    {"rpi3-androidthings-4.4-944m-truncated-nomodules", "", true, ""},   // 944 MB truncated to 768 MB
    {"sama5d2-xplained-4.9-128m", "", true, ""},              // e-mail wrapped lines
    {"sigmastar-infinity6-4.9-64m", "", true, ""},
    {"socfpga-de0-4.4-1g-truncated", "", true, ""},
    {"vexpress-a9-qemu-4.9-512m-vmsplit2g", "", true, ""},
    {"zynq-zc706-qemu-4.19-1g-highmem", "", true, ""},
    {"x86-k7vt6-5.1rc2-2g-kaslr-dmesgindent", "", true, ""},  // dmesg(1) continuation indentation
    {"x86-kv8pro-ubuntu-3.8-2g-pae-vmalloc512m", "", true, ""},
    {"x86-optiplex960-ubuntu-4.13-6g-pae-kaslr", "", true, ""},
    {"x86-qemu-4.15rc8-2g-highmem-cpuentry", "", true, ""},
    {"x86-stackexchange-2g-pae", "2.6.32", true, ""},
    {"x86-ubuntu-2.6.20-1g-highmem", "2.6.20", true, ""},
    {"x86-ubuntu-2.6.20-512m-nohighmem", "", true, ""},
    {"x86-ubuntu-2.6.31-3g-highmem", "", true, ""},
    {"x86-ubuntu-2.6.38-2g-highmem", "", true, ""},
    {"x86-ubuntu-3.2-2g-vmalloc256m", "", true, ""},
    // "Memory: 182MB 1MB 1MB 256MB = 440MB total" while lowmem spans 512 MB: bank addresses not printed
    {"bcm963138-3.4-512m-4banks", "", false, "holes between the banks"},
    // "Memory: 959MB 64MB = 1023MB total", lowmem 1024 MB: a 1 MB hole between the banks
    {"imx6q-sabresd-3.10-1g-vmsplit2g", "", false, "holes between the banks"},
    // "Memory: 386MB" but lowmem ends at 0xe0000000 (512 MB): a vendor carve-out below the top
    {"tcc8920st-3.0-386m-vmalloc256m", "", false, "carved out"},
    // lines cut at 80 columns: the vmalloc= that made the 488 MB vmalloc area is not visible
    {"bpi-r2-mt7623-4.14-2g-highmem-truncatedlines", "", false, "cut at 80 columns"},
    // mainline ARM stopped printing the block in 5.2; this vendor 5.4 kernel still does
    {"arm-5.4-kasan-dev-900m-vmsplit2g-novector", "5.4.24", false, "does not print this block in mainline"},
    // vendor "timers" line (version unknown; the 3.x format)
    {"arm-vendor-2g-7banks-timers", "3.4", false, "'timers' line"},
};

}  // namespace

TEST_CASE("dmesg: every real boot log gives its documented outcome", "[dmesg]") {
    for (const auto& c : kCases) {
        INFO(c.name);
        std::string text = slurp(std::string(KMEMKIT_TEST_DATA) + "/bootlogs/" + c.name + ".txt");
        Outcome o = check(text, *c.kernel ? std::optional<std::string>(c.kernel) : std::nullopt);
        INFO(comparison_text(o.cmp, o.facts, o.board));
        CHECK(o.cmp.agree() == c.agree);
        if (!c.agree) CHECK_THAT(reasons(o.cmp), Catch::Contains(c.reason));
        // every line of the log's block was looked at
        if (c.agree) CHECK(o.cmp.ok >= o.facts.block.size());
    }
}

TEST_CASE("dmesg: the hand-made profiles agree with their logs", "[dmesg]") {
    // NAME.yaml reproduces NAME.txt byte for byte (tests/bootlog_check.sh); with
    // the log's command line the comparison must agree too
    for (const auto& c : kCases) {
        std::string yaml = std::string(KMEMKIT_TEST_DATA) + "/bootlogs/" + c.name + ".yaml";
        if (!std::ifstream(yaml)) continue;
        INFO(c.name);
        DmesgFacts f = parse_dmesg(slurp(std::string(KMEMKIT_TEST_DATA) + "/bootlogs/" + c.name + ".txt"));
        Board b = make_board(load_profile(yaml), {});
        if (f.cmdline) b.cmdline = parse_cmdline(*f.cmdline);
        Layout l = compute_layout(b);
        Comparison cmp = compare_with_log(f, b, l, false);
        INFO(comparison_text(cmp, f, b));
        // bpi-r2 has no profile; the others agree
        CHECK(cmp.agree());
    }
}

TEST_CASE("dmesg: the facts the reconstruction rests on", "[dmesg]") {
    auto facts = [](const char* n) {
        return parse_dmesg(slurp(std::string(KMEMKIT_TEST_DATA) + "/bootlogs/" + n + ".txt"));
    };
    SECTION("ARM bank sizes, kernel version, command line") {
        DmesgFacts f = facts("bcm963138-3.4-512m-4banks");
        REQUIRE(f.version);
        CHECK(*f.version == "3.4.11-4.16L.05");
        REQUIRE(f.bank_sizes.size() == 4);
        CHECK(f.bank_sizes[0] == 182u << 20);
        CHECK(f.bank_sizes[3] == 256u << 20);
        CHECK(f.arch == Arch::arm);
        CHECK(f.block.size() == 9);
    }
    SECTION("<N> prefixes and timestamps") {
        DmesgFacts f = facts("fh8852-3.0-36m-kmsg-prefix");
        REQUIRE(f.cmdline);
        CHECK(f.cmdline->rfind("mem=36M ", 0) == 0);
        REQUIRE(!f.block.empty());
        CHECK(f.block[0].text == "    vector  : 0xffff0000 - 0xffff1000   (   4 kB)");
    }
    SECTION("dmesg(1) continuation indentation") {
        DmesgFacts f = facts("x86-k7vt6-5.1rc2-2g-kaslr-dmesgindent");
        REQUIRE(f.block.size() == 8);
        CHECK(f.block[0].text == "    fixmap  : 0xfff8f000 - 0xfffff000   ( 448 kB)");
        CHECK(f.block[1].text == "  cpu_entry : 0xffc00000 - 0xffc27000   ( 156 kB)");
        CHECK(f.arch == Arch::x86);
        // node ranges 0x1000-0x9efff, 0x100000-0x7ffeffff
        REQUIRE(f.node_ranges.size() == 2);
        CHECK(f.node_ranges[1].end() == 0x7fff0000);
    }
    SECTION("old e820 format and early_node_map pfn ranges") {
        DmesgFacts f = facts("x86-ubuntu-2.6.38-2g-highmem");
        REQUIRE(f.e820_usable.size() == 2);
        CHECK(f.e820_usable[1].end() == 0x7ffb0000);
        REQUIRE(f.node_ranges.size() == 2);
        CHECK(f.node_ranges[0].start == 0x10000);   // "0: 0x00000010 -> 0x0000009f"
    }
    SECTION("80-column capture") {
        DmesgFacts f = facts("bpi-r2-mt7623-4.14-2g-highmem-truncatedlines");
        CHECK(f.cmdline_cut);
        CHECK(f.cut_width == 80);
        CHECK(!facts("allwinner-sun8i-3.4-256m").cmdline_cut);
    }
    SECTION("PHYS_OFFSET where the log shows it") {
        DmesgFacts f = facts("sigmastar-infinity6-4.9-64m");   // "PHYS_OFFSET is 0x20000000"
        REQUIRE(f.phys_offset);
        CHECK(*f.phys_offset == 0x20000000);
        DmesgFacts g = facts("socfpga-de0-4.4-1g-truncated");   // "Truncating RAM at 0x00000000-0x40000000"
        REQUIRE(g.truncated_banks.size() == 1);
        CHECK(g.truncated_banks[0].size == 1u << 30);
    }
}

TEST_CASE("dmesg: CRLF, stdin-style text, and bad input", "[dmesg]") {
    std::string text = slurp(std::string(KMEMKIT_TEST_DATA) + "/bootlogs/allwinner-sun8i-3.4-256m.txt");
    std::string crlf;
    for (char ch : text) {
        if (ch == '\n') crlf += '\r';
        crlf += ch;
    }
    Outcome o = check(crlf);
    CHECK(o.cmp.agree());
    CHECK(o.cmp.ok == 9);

    // no kernel at all: an error (exit 2)
    DmesgFacts none = parse_dmesg("hello\nworld\n");
    CHECK_THROWS_AS(profile_from_dmesg(none), Error);
    // a block but no version: an error that asks for --kernel
    DmesgFacts nov = parse_dmesg(slurp(std::string(KMEMKIT_TEST_DATA) + "/bootlogs/arm-vendor-2g-7banks-timers.txt"));
    CHECK_THROWS_WITH(profile_from_dmesg(nov), Catch::Contains("--kernel"));
    // the size cap
    std::string big(kMaxDmesgBytes + 1, 'x');
    CHECK_THROWS_WITH(parse_dmesg(big), Catch::Contains("larger than 64 MiB"));
}

TEST_CASE("dmesg: the QEMU 6.1 oracle logs", "[dmesg]") {
    // 6.1 prints no layout block: the LOWMEM/HIGHMEM lines (x86), the
    // "vmalloc area is too big" warning and the "Zone ranges:" block are compared.
    const char* logs[] = {"arm-256M", "arm-512M-vmalloc96M", "arm-768M-vmalloc400M", "arm-1024M", "arm-2048M-vmalloc400M",
                          "arm-3072M", "arm-3072M-highmemoff", "arm-lpae-4096M", "arm-lpae-512M", "i386-128M",
                          "i386-512M-vmalloc256M", "i386-896M", "i386-1024M-vmalloc256M", "i386-2048M", "i386-4096M",
                          "i386-pae-512M", "i386-pae-4096M"};
    for (const char* n : logs) {
        INFO(n);
        Outcome o = check(slurp(std::string(KMEMKIT_TEST_DATA) + "/oracle/logs/" + n + ".log"));
        INFO(comparison_text(o.cmp, o.facts, o.board));
        CHECK(o.cmp.agree());
        CHECK(o.cmp.not_printed == 1);   // the layout block
        CHECK(o.cmp.ok >= 3);            // at least the zone lines
    }
    // these boots stopped (oops) before "Kernel command line:": without the
    // command line the vmalloc=1200M warning cannot be explained ...
    std::string text = slurp(std::string(KMEMKIT_TEST_DATA) + "/oracle/logs/arm-1024M-vmalloc1200M.log");
    Outcome bad = check(text);
    CHECK(!bad.cmp.agree());
    CHECK_THAT(reasons(bad.cmp), Catch::Contains("no \"Kernel command line:\""));
    // ... and with it (from the run's meta.json "append") everything agrees
    Outcome good = check(text, {}, std::string("console=ttyAMA0 earlycon log_buf_len=1M panic=-1 vmalloc=1200M"));
    CHECK(good.cmp.agree());
}

TEST_CASE("sweep: where the split moves", "[sweep]") {
    // s3c6410 (2.6.28.6, VMALLOC_END 0xe0000000, no HIGHMEM): the default
    // 128 MB vmalloc reserve puts the lowmem limit at 0xe0000000 - 128M =
    // 0xd8000000, i.e. 384 MB of RAM (arch/arm/mm/mmu.c sanity_check_meminfo):
    // lowmem grows with mem= up to 384M and stops there; the rest is dropped.
    Board b = make_board(load_profile("s3c6410"), {});
    auto rows = sweep_layout(b, parse_sweep_spec("mem=128M..1G:128M"));
    REQUIRE(rows.size() == 8);
    CHECK(rows[0].lowmem == 128u << 20);
    CHECK(rows[2].lowmem == 384u << 20);
    CHECK(rows[2].high_memory == 0xd8000000u);
    CHECK(rows[3].lowmem == 384u << 20);     // 512M: truncated
    CHECK(rows[3].dropped == 128u << 20);
    CHECK(rows[7].dropped == 640u << 20);
    CHECK(rows[7].highmem == 0);
    REQUIRE(!rows[3].warnings.empty());
    CHECK(rows[3].warnings[0] == "Truncating RAM");
    // VMALLOC_START = high_memory + 8 MB (VMALLOC_OFFSET) rounded up to 8 MB
    CHECK(rows[0].vmalloc_start == 0xc8800000u);

    // qemu-virt-arm (6.1, 1 GB, HIGHMEM): vmalloc=SIZE puts the lowmem limit at
    // VMALLOC_END (0xff800000) - SIZE - 8M (arch/arm/mm/mmu.c adjust_lowmem_bounds, 6.1):
    // vmalloc=240M -> 0xf0000000 = 768 MB of lowmem, 256 MB highmem
    Board q = make_board(load_profile("qemu-virt-arm"), {});
    auto vr = sweep_layout(q, parse_sweep_spec("vmalloc=240M..496M:256M"));
    REQUIRE(vr.size() == 2);
    CHECK(vr[0].lowmem == 768u << 20);
    CHECK(vr[0].highmem == 256u << 20);
    // vmalloc=496M -> 0xff800000 - 496M - 8M = 0xe0000000: 512 MB lowmem
    CHECK(vr[1].lowmem == 512u << 20);
    CHECK(vr[1].high_memory == 0xe0000000u);

    CHECK_THROWS_AS(parse_sweep_spec("mem=1G..128M"), Error);
    CHECK_THROWS_AS(parse_sweep_spec("foo=1..2"), Error);
    CHECK_THROWS_AS(parse_sweep_spec("mem=1K..4G:1K"), Error);   // too many rows
}
