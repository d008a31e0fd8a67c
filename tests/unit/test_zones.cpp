// Zones, memmap and boot-time totals (libcore/src/zones.cpp) against the QEMU
// oracle (real Linux 6.1 /proc/zoneinfo) and published boot logs.
#include <catch2/catch.hpp>

#include "oracle.hpp"
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <dirent.h>
#include <fmt/format.h>
#include <fstream>
#include <regex>
#include <string>
#include <sys/stat.h>

#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/zones.hpp"

using namespace kmemkit;

namespace {
using oracle::hexnum;
const Zone* zone_named(const NodeMemory& n, const std::string& name) {
    for (const auto& z : n.zones)
        if (z.name == name) return &z;
    return nullptr;
}
struct Run {
    Board b;
    Layout l;
    NodeMemory n;
};
Run run_for(const std::string& profile, BoardOverrides o = {}, unsigned struct_page = 0) {
    Profile p = load_profile(profile);
    if (struct_page) p.config.struct_page_size = struct_page;
    Run r{make_board(p, o), {}, {}};
    r.l = compute_layout(r.b);
    r.n = compute_zones(r.b, r.l);
    return r;
}
}  // namespace

TEST_CASE("zones: OMAP5912 OSK 2.6.18 puts 64 MB in ZONE_DMA, no memmap accounting") {
    Run r = run_for("omap5912-osk");
    // include/asm-arm/memory.h@v2.6.18: zone 0 is DMA on ARM <= 2.6.27, start pfn 0x10000, 16384 pages, no holes
    const Zone* dma = zone_named(r.n, "DMA");
    REQUIRE(dma);
    CHECK(dma->zone_start_pfn == 0x10000);
    CHECK(dma->spanned_pages == 16384);
    CHECK(dma->present_pages == 16384);
    CHECK(dma->memmap_pages == 0);
    CHECK(dma->batch == 3);   // 16384/1024=16, /4=4, rounddown_pow2(6)-1 = 3
    CHECK(r.n.total_pages_zonelists == 16384);
    CHECK(r.n.memmap_bytes == 16384u * 32);   // 512 KB of struct page
    // v2.6.18 include/linux/mmzone.h: ZONE_DMA 0, ZONE_DMA32 1, ZONE_NORMAL 2, ZONE_HIGHMEM 3, always
    REQUIRE(r.n.zones.size() == 4);
    CHECK(r.n.zones[1].name == "DMA32");
    CHECK(zone_named(r.n, "Normal")->index == 2);
    CHECK(zone_named(r.n, "HighMem")->index == 3);
    CHECK(zone_named(r.n, "HighMem")->spanned_pages == 0);
    // v2.6.18 arch/arm/mm/init.c bootmem_init: max_pfn = max_low_pfn = memend_pfn - PHYS_PFN_OFFSET (a page
    // count); min_low_pfn is never set (init_bootmem_node leaves it 0)
    CHECK(r.n.kernel_max_low_pfn == 0x4000);
    CHECK(r.n.kernel_max_pfn == 0x4000);
    CHECK(r.n.max_low_pfn == 0x14000);   // the real end pfn, beside it
    CHECK(r.n.min_low_pfn == 0);
    CHECK(r.n.min_low_pfn_known);
    CHECK_FALSE(r.n.has_highest_memmap_pfn);   // mm/memory.c highest_memmap_pfn: 2.6.29+
    CHECK(kernel_zone_lines(r.n, r.b, r.l) ==
          std::vector<std::string>{"On node 0 totalpages: 16384", "  DMA zone: 16384 pages, LIFO batch:3",
                                   "Built 1 zonelists.  Total pages: 16384", "Memory: 64MB = 64MB total"});
}

TEST_CASE("zones: same board on 2.6.32 charges 128 memmap pages to Normal") {
    BoardOverrides o;
    o.kernel = "2.6.32";
    Run r = run_for("omap5912-osk", o);
    const Zone* z = zone_named(r.n, "Normal");
    REQUIRE(z);
    CHECK(z->memmap_pages == 128);          // PAGE_ALIGN(16384*32)/4096
    CHECK(z->kernel_present_pages == 16256); // present reduced in <= 3.9
    CHECK(r.n.total_pages_zonelists == 16256);
}

TEST_CASE("zones: pc-i386 2.6.18 1 GB: DMA 0-4096, Normal to MAXMEM, HighMem above") {
    Run r = run_for("pc-i386");
    const Zone* dma = zone_named(r.n, "DMA");
    const Zone* nor = zone_named(r.n, "Normal");
    const Zone* hi = zone_named(r.n, "HighMem");
    REQUIRE((dma && nor && hi));
    CHECK(dma->zone_end_pfn == 4096);
    CHECK(nor->zone_end_pfn == 0x38000);    // MAXMEM 896 MB
    CHECK(hi->zone_start_pfn == 0x38000);
    CHECK(hi->zone_end_pfn == 0x40000);
    CHECK(r.n.nr_kernel_pages == 0x38000);
    CHECK(zone_of_pfn(r.n, 0x38000)->name == "HighMem");
    CHECK(zone_of_pfn(r.n, 0xfff)->name == "DMA");
    // 2.6.18 zone numbers: Normal is zone 2 behind the empty ZONE_DMA32 (v2.6.18 mmzone.h:91-97)
    CHECK(nor->index == 2);
    CHECK(hi->index == 3);
    CHECK(zone_named(r.n, "DMA32")->spanned_pages == 0);
    // min_low_pfn = PFN_UP(init_pg_tables_end) needs _end, which pc-i386 does not give
    CHECK_FALSE(r.n.min_low_pfn_known);
    CHECK(r.n.min_low_pfn == 0);
}

TEST_CASE("zones: i386 2.6.18 min_low_pfn is PFN_UP(init_pg_tables_end) past the image's boot page tables") {
    // v2.6.18 arch/i386/kernel/head.S: page tables from pg0 = PAGE_ALIGN(_end), one 4 KB table per 4 MB,
    // until the mapping covers the tables + INIT_MAP_BEYOND_END (128 KB); setup_memory() then sets
    // min_low_pfn = PFN_UP(init_pg_tables_end)
    auto with_bss_end = [](const char* end, const char* more = "") {
        std::string y = std::string("name: t\narch: x86\nkernel: 2.6.18\nram:\n  - {start: 0, size: 0x9f000}\n"
                                    "  - {start: 0x100000, size: 511M}\nconfig: {highmem: false}\nfixmap: {start: 0xfff4e000}\n"
                                    "image:\n  text: {start: 0xc0100000, end: 0xc0300000}\n"
                                    "  bss: {start: 0xc0280000, end: ") + end + "}\n" + more;
        Profile p = parse_profile(y, "t.yaml");
        Board b = make_board(p, {});
        Layout l = compute_layout(b);
        return compute_zones(b, l);
    };
    // _end 0x2f0123 (pa): pg0 0x2f1000; one table maps 4 MB >= 0x2f1000 + 4K + 128K: one table,
    // init_pg_tables_end 0x2f2000, min_low_pfn 0x2f2
    NodeMemory a = with_bss_end("0xc02f0123");
    CHECK(a.min_low_pfn_known);
    CHECK(a.min_low_pfn == 0x2f2);
    // _end 0x3f8000: pg0 0x3f8000, 4 MB < 0x3f8000 + 4K + 128K -> a second table:
    // init_pg_tables_end 0x3fa000
    NodeMemory b = with_bss_end("0xc03f8000");
    CHECK(b.min_low_pfn == 0x3fa);
    // totalram_pages: setup_bootmem_allocator() keeps 1 MB .. min_low_pfn (image + boot page tables;
    // the bitmap after them is freed again), the profile's reservations count once where they
    // overlap, mem_map comes out of bootmem; the e820 hole 0x9f000-1 MB is never free RAM
    NodeMemory t = with_bss_end("0xc02f0123", "reserved:\n  - {start: 0, size: 4K}\n  - {start: 0, size: 8K}\n");
    REQUIRE(t.totalram_known);
    CHECK(t.reserved_pages == 2 + (0x2f2 - 0x100));
    CHECK(t.mem_map_pages == 0x20000 * 32 / 4096);
    CHECK(t.totalram_pages == (0x9f + 0x1ff00) - t.reserved_pages - t.mem_map_pages);
}

TEST_CASE("zones: totalram_pages against a 3.0 ARM log's Memory: line") {
    const std::string data = KMEMKIT_TEST_DATA;
    BoardOverrides o;
    o.cmdline = "mem=36M";
    Run r = run_for(data + "/bootmem/fh8852-3.0-36m-kmsg-prefix.yaml", o);
    REQUIRE(r.n.totalram_known);
    // the image 0xa0008000..0xa04f07f8 (1257 pages), swapper_pg_dir (4), the three hash tables the log
    // prints (1 + 8 + 4), the percpu chunk (8), zero page, vectors page and its PTE table (3)
    CHECK(r.n.reserved_pages == 1257 + 4 + 13 + 8 + 3);
    CHECK(r.n.mem_map_pages == 72);
    CHECK(r.n.totalram_pages == 9216 - r.n.reserved_pages - 72);
    // 3.0 mem_init(): "Memory: %luk/%luk available, %luk reserved": nr_free_pages() right after
    // free_all_bootmem() is totalram_pages
    std::ifstream in(data + "/bootlogs/fh8852-3.0-36m-kmsg-prefix.txt");
    static const std::regex mem(".*Memory: ([0-9]+)k/([0-9]+)k available, ([0-9]+)k reserved.*");
    std::string line;
    uint64_t avail_k = 0, reserved_k = 0;
    std::smatch m;
    while (std::getline(in, line))
        if (std::regex_match(line, m, mem)) avail_k = std::stoull(m[1]), reserved_k = std::stoull(m[3]);
    REQUIRE(avail_k + reserved_k == 9216 * 4);
    // the model knows all but 3 of the kernel's 1360 reserved pages: the small bootmem allocations the
    // log does not print and the PTE tables of the machine's io mappings (see the profile)
    CHECK(r.n.totalram_pages == avail_k / 4 + 3);
    // without reservations in the profile, unknown and 0
    Run u = run_for("omap5912-osk");
    CHECK_FALSE(u.n.totalram_known);
    CHECK(u.n.totalram_pages == 0);
}

TEST_CASE("zones: min_low_pfn and the pfn globals in later eras") {
    BoardOverrides o;
    o.kernel = "2.6.31";
    Run x = run_for("pc-i386", o);
    CHECK(x.n.min_low_pfn_known);   // fc5efe3941c4 (2.6.30 window): "it is always 0"
    CHECK(x.n.min_low_pfn == 0);
    CHECK(x.n.has_highest_memmap_pfn);
    CHECK(x.n.highest_memmap_pfn == 0x3ffff);
    CHECK(zone_named(x.n, "Normal")->index == 1);   // 2.6.19+: ZONE_DMA32 is not configured on i386
    o.kernel = "2.6.26";
    CHECK_FALSE(run_for("pc-i386", o).n.min_low_pfn_known);
    // ARM with real pfns: min_low_pfn = find_limits() min, the first RAM pfn (v4.9 arch/arm/mm/init.c)
    o.kernel = "4.9";
    Run a = run_for("omap5912-osk", o);
    CHECK(a.n.min_low_pfn == 0x10000);
    CHECK(a.n.kernel_max_low_pfn == 0x14000);
    CHECK_FALSE(a.n.pfns_are_counts);
    // the switch is "ARM: 7805/1", merged for 3.13: arch/arm/mm/init.c@v3.12.24 bootmem_init() still
    // subtracts PHYS_PFN_OFFSET, @v3.13.10 it does not
    o.kernel = "3.13";
    Run b = run_for("omap5912-osk", o);
    CHECK(b.n.kernel_max_low_pfn == 0x14000);
    CHECK(b.n.min_low_pfn == 0x10000);
    o.kernel = "3.12.24";
    Run c = run_for("omap5912-osk", o);
    CHECK(c.n.pfns_are_counts);
    CHECK(c.n.kernel_max_low_pfn == 0x4000);
    CHECK(c.n.min_low_pfn == 0);
}

// Every complete run of the QEMU oracle: spanned and present pages of each
// zone (/proc/zoneinfo) and the "Built 1 zonelists ... Total pages" figure.
TEST_CASE("zones: oracle zoneinfo spanned/present and zonelist totals (Linux 6.1)") {
    int runs = 0;
    for (const auto& run : oracle::runs()) {
        const YAML::Node& j = run.facts;
        const std::string& f = run.file;
        const std::string& arch = run.arch;
        const std::string& profile = run.profile;
        const BoardOverrides& o = run.overrides;
        // Debian 6.1 686(-pae): sizeof(struct page) = 40, derived from i386-128M: Total pages 32318 =
        // (3998 - 40) + (28640 - 280): DMA 4095 and Normal 28640 spanned pages need 40 and 280 memmap
        // pages, i.e. PAGE_ALIGN(4095*40) and PAGE_ALIGN(28640*40) (32 + memcg_data + one more word).
        // The armmp profile already says 36.
        unsigned struct_page = 0;
        if (arch == "i386" || arch == "i386-pae") struct_page = 40;
        DYNAMIC_SECTION(f) {
            Run r = run_for(profile, o, struct_page);
            for (const auto& zj : j["zones"]) {
                std::string name = zj["zone"].as<std::string>();
                const Zone* z = zone_named(r.n, name);
                INFO(name);
                REQUIRE(z);
                CHECK(z->spanned_pages == zj["spanned"].as<uint64_t>());
                CHECK(z->present_pages == zj["present"].as<uint64_t>());
                if (zj["spanned"].as<uint64_t>()) CHECK(z->zone_start_pfn == zj["start_pfn"].as<uint64_t>());
            }
            // build_all_zonelists() runs before the watermarks exist: the total is the sum of
            // managed_pages as free_area_init_core sets them (present - memmap for lowmem zones)
            CHECK(r.n.total_pages_zonelists == j["total_pages_zonelists"].as<uint64_t>());
        }
        ++runs;
    }
    CHECK(runs >= 30);
}

// Published boot logs: the zone lines the kernel printed, byte for byte.
namespace {
// Every line of the zone report kernel_zone_report() renders (free_area_init_nodes/_node/_core,
// zero_resv_unavail, build_all_zonelists, ARM mem_init's bank summary).
bool zone_line(const std::string& s) {
    static const std::regex re(
        "^(On node 0 totalpages: .*|  [A-Za-z0-9]+ zone: .*|Built 1 zonelists.*|Memory:( [0-9]+MB)+ = [0-9]+MB total|"
        "Zone (PFN )?ranges:|  (DMA|DMA32|Normal|HighMem|Movable) +([0-9\\[]|0x|empty).*|Movable zone start (PFN )?for each node|"
        "Early memory node ranges|early_node_map\\[[0-9]+\\] active PFN ranges|  node +[0-9]+: .*|  +[0-9]+: .*|"
        "Initmem setup node .*|On node 0, zone .*unavailable ranges|Reserved but unavailable: .*|"
        "Zeroed struct page in unavailable ranges: .*)$");
    return std::regex_match(s, re);
}
std::string strip_prefix(std::string s) {
    static const std::regex pre("^(<[0-9]>)?(\\[ *[0-9]+\\.[0-9]+\\] )?");
    return std::regex_replace(s, pre, "", std::regex_constants::format_first_only);
}
bool file_exists(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}
}  // namespace

TEST_CASE("zones: published boot logs, zone lines byte for byte") {
    const std::string data = KMEMKIT_TEST_DATA;
    // log name -> the kmemkit options its header gives (# kmemkit: ...); a profile in
    // tests/data/bootmem/<name>.yaml replaces the log's own where the zones need more
    // (bcm963138: its ZONE_DMA; x86-qemu-4.15rc8, x86-optiplex960: their 40-byte struct page).
    struct Case {
        const char* name;
        const char* cmdline;
        bool debug_shown = true;     // the log kept KERN_DEBUG lines (else the model's are dropped)
        const char* not_compared = nullptr;   // a line prefix left out, for the reason given below
    };
    const Case cases[] = {
        {"allwinner-sun8i-3.4-256m", ""},
        {"fh8852-3.0-36m-kmsg-prefix", "mem=36M"},
        // its "Memory: 386MB = 386MB total" shows one bank where the profile needs two (385M + 1M
        // at 0x9ff00000) to span the 512 MB the memmap line shows: the Memory line is not compared
        {"tcc8920st-3.0-386m-vmalloc256m", "vmalloc=256M", true, "Memory:"},
        {"bcm963138-3.4-512m-4banks", ""},
        {"x86-ubuntu-2.6.20-1g-highmem", ""},
        {"x86-ubuntu-2.6.20-512m-nohighmem", ""},
        {"x86-ubuntu-2.6.31-3g-highmem", ""},
        {"x86-ubuntu-2.6.38-2g-highmem", ""},
        {"x86-ubuntu-3.2-2g-vmalloc256m", "vmalloc=256M"},
        {"x86-kv8pro-ubuntu-3.8-2g-pae-vmalloc512m", "vmalloc=512MB"},
        // 4.15: printed at the default loglevel (no KERN_DEBUG zone lines); "Initmem setup node",
        // "Reserved but unavailable: 98 pages" and the Total pages of a 40-byte struct page
        {"x86-qemu-4.15rc8-2g-highmem-cpuentry", "", false},
        // 4.13 PAE, 6 GB, default loglevel; 40-byte struct page (tests/data/bootmem profile)
        {"x86-optiplex960-ubuntu-4.13-6g-pae-kaslr", "", false},
        // "Zeroed struct page in unavailable ranges" (4.18-5.x) comes only from SPARSEMEM kernels
        // (zero_resv_unavail is compiled out for CONFIG_FLAT_NODE_MEM_MAP since 4.18); the profile
        // format cannot say which memory model a kernel has, and the model is FLATMEM
        {"x86-k7vt6-5.1rc2-2g-kaslr-dmesgindent", "", true, "Zeroed struct page"},
        {"allwinner-sun8iw19-4.9-128m-thumb2", ""},
        // sama5d2 prints "mobility grouping off" with 32512 pages: its pageblock/MIGRATE_TYPES
        // configuration is not known, so only the zone lines are compared
        {"sama5d2-xplained-4.9-128m", "", true, "Built"},
    };
    int matched = 0;
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.name) {
            std::string prof = data + "/bootmem/" + c.name + ".yaml";
            if (!file_exists(prof)) prof = data + "/bootlogs/" + c.name + ".yaml";
            BoardOverrides o;
            if (*c.cmdline) o.cmdline = c.cmdline;
            Run r = run_for(prof, o);
            std::vector<std::string> want, got;
            auto keep = [&](const std::string& s) {
                return zone_line(s) && !(c.not_compared && s.rfind(c.not_compared, 0) == 0);
            };
            std::ifstream in(data + "/bootlogs/" + c.name + ".txt");
            REQUIRE(in);
            std::string line;
            while (std::getline(in, line)) {
                if (!line.empty() && line[0] == '#') continue;
                std::string s = strip_prefix(line);
                if (keep(s)) want.push_back(s);
            }
            for (const auto& x : kernel_zone_report(r.n, r.b, r.l))
                if (keep(x.text) && (c.debug_shown || !x.debug)) got.push_back(x.text);
            REQUIRE(want.size() >= 3);
            CHECK(got == want);
            if (got == want) ++matched;
        }
    }
    (void)matched;
}

// The oracle runs that did not reach /proc/zoneinfo (a panic or a timeout later in the boot)
// still printed their "Zone ranges:" block, and some their "Built 1 zonelists" line.
TEST_CASE("zones: every oracle run's Zone ranges and Total pages, failed boots included (Linux 6.1)") {
    int ranges = 0, totals = 0;
    for (const auto& run : oracle::all_runs()) {
        const YAML::Node& j = run.facts;
        unsigned struct_page = run.arch == "i386" || run.arch == "i386-pae" ? 40 : 0;   // as above
        const bool has_ranges = j["zone_ranges"] && j["zone_ranges"].IsSequence();
        const bool has_total = j["total_pages_zonelists"] && !j["total_pages_zonelists"].IsNull();
        DYNAMIC_SECTION(run.file) {
            Run r = run_for(run.profile, run.overrides, struct_page);
            std::vector<std::string> lines = kernel_zone_lines(r.n, r.b, r.l);
            if (has_ranges)
                for (const auto& zr : j["zone_ranges"]) {
                    std::string name = zr["name"].as<std::string>();
                    std::string want = zr["start"].IsNull()
                                           ? fmt::format("  {:<8} empty", name)
                                           : fmt::format("  {:<8} [mem {:#018x}-{:#018x}]", name, hexnum(zr["start"]),
                                                         hexnum(zr["end"]));
                    INFO(want);
                    CHECK(std::find(lines.begin(), lines.end(), want) != lines.end());
                }
            if (has_total) CHECK(r.n.total_pages_zonelists == j["total_pages_zonelists"].as<uint64_t>());
        }
        ranges += has_ranges;
        totals += has_total;
    }
    CHECK(ranges == 40);   // every run, the two vmalloc=1200M panics included
    CHECK(totals >= 37);   // and the 4096M LPAE/PAE boots that stopped before /proc
}

TEST_CASE("zones: present ranges are what the buddy allocator gets, holes excluded") {
    Run r = run_for(std::string(KMEMKIT_TEST_DATA) + "/bootmem/bcm963138-3.4-512m-4banks.yaml");
    const Zone* n = zone_named(r.n, "Normal");
    REQUIRE(n);
    uint64_t sum = 0;
    for (const auto& p : n->present) sum += p.pages();
    CHECK(sum == n->present_pages);
    CHECK(n->holes == n->spanned_pages - n->present_pages);
    CHECK(n->present.size() == 4);   // the rest of bank 0 after 16 MB DMA, two 1 MB banks, 256 MB
}
