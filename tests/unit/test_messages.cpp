// Each kernel message kmemkit prints and reads is defined once
// (kernel/messages.hpp): what the model prints, the reader reads back.
#include <catch2/catch.hpp>

#include <regex>

#include "kmemkit/dmesg.hpp"
#include "kmemkit/kernel/messages.hpp"

using namespace kmemkit;

TEST_CASE("kernel messages: every printed form reads back its fields", "[messages]") {
    std::smatch m;
    auto reads = [&](const MessageFormat& km, const std::string& line) {
        INFO(line);
        static std::string keep;
        keep = line;
        return std::regex_search(keep, m, std::regex(km.read));
    };
    // 2.6.27-3.15 banks: inclusive ends (v2.6.32.9 "%.8lx-%.8lx")
    REQUIRE(reads(kmsg::arm_bank_truncate, print_message(kmsg::arm_bank_truncate, 0x50000000u, 0x6fffffffu, 0x67ffffffu)));
    CHECK(m[0].str() == "Truncating RAM at 50000000-6fffffff to -67ffffff (vmalloc region overlap).");
    CHECK((m[1].str() == "50000000" && m[2].str() == "6fffffff" && m[3].str() == "67ffffff"));
    REQUIRE(reads(kmsg::arm_bank_ignore, print_message(kmsg::arm_bank_ignore, 0x70000000u, 0x7fffffffu)));
    CHECK((m[1].str() == "70000000" && m[2].str() == "7fffffff"));
    // 3.16+ memblock %pa: 32- or 64-bit wide
    REQUIRE(reads(kmsg::arm_memblock_truncate,
                  print_message(kmsg::arm_memblock_truncate, 0x80000000u, 8, 0xc0000000u, 8, 0xaf800000u, 8)));
    CHECK(m[0].str() == "Truncating RAM at 0x80000000-0xc0000000 to -0xaf800000");
    REQUIRE(reads(kmsg::arm_memblock_ignore, print_message(kmsg::arm_memblock_ignore, 0x100000000ull, 16, 0x140000000ull, 16)));
    CHECK(m[1].str() == "0000000100000000");
    REQUIRE(reads(kmsg::arm_limit_ignore, print_message(kmsg::arm_limit_ignore, 0x2f800000u, 8, 0x40000000u, 8)));
    CHECK((m[1].str() == "2f800000" && m[2].str() == "40000000"));
    // a memblock line is not read as a bank line, and the 4.11+ form is not the 3.16 one
    CHECK_FALSE(reads(kmsg::arm_bank_truncate, print_message(kmsg::arm_memblock_truncate, 1u, 8, 2u, 8, 3u, 8)));
    CHECK_FALSE(reads(kmsg::arm_limit_ignore, print_message(kmsg::arm_memblock_ignore, 1u, 8, 2u, 8)));
    // early_vmalloc()
    REQUIRE(reads(kmsg::vmalloc_too_small, print_message(kmsg::vmalloc_too_small, "", 16, "MB")));
    CHECK(m[0].str() == "vmalloc area too small, limiting to 16MB");
    REQUIRE(reads(kmsg::vmalloc_too_small, print_message(kmsg::vmalloc_too_small, "is ", 16, "MiB")));
    CHECK(m[2].str() == "16");
    REQUIRE(reads(kmsg::vmalloc_too_big, print_message(kmsg::vmalloc_too_big, 976, "MiB")));
    CHECK(m[1].str() == "976");
}

TEST_CASE("kernel messages: the layout block lines read back", "[messages]") {
    std::smatch m;
    std::string a = print_message(kmsg::layout_kb, "fixmap", 0xfff00000u, 0xfffe0000u, 896);
    CHECK(a == "    fixmap  : 0xfff00000 - 0xfffe0000   ( 896 kB)");
    REQUIRE(std::regex_match(a, m, std::regex(kmsg::layout_kb.read)));
    CHECK((m[2].str() == "fixmap" && m[3].str() == "fff00000" && m[4].str() == "fffe0000" && m[5].str() == "896"));
    std::string b = print_message(kmsg::layout_mb, "lowmem", 0xc0000000u, 0xef800000u, 760);
    REQUIRE(std::regex_match(b, m, std::regex(kmsg::layout_mb.read)));
    CHECK((m[5].str() == "760" && m[6].str() == "MB"));
    std::string c = print_message(kmsg::layout_section, "      .text ", 0xc0008000u, 0xc0b01884u, 11239);
    REQUIRE(std::regex_match(c, m, std::regex(kmsg::layout_section.read)));
    CHECK(m[2].str() == ".text");
    std::string d = print_message(kmsg::layout_section_ptrval, "      .init ", 1024);
    REQUIRE(std::regex_match(d, m, std::regex(kmsg::layout_section_ptrval.read)));
    CHECK(m[3].str() == "(ptrval)");
}

TEST_CASE("kernel messages: the reader takes the banks from the printed forms", "[messages]") {
    std::string log = "Linux version 2.6.32.9 (a@b) #1\n" + print_message(kmsg::arm_bank_truncate, 0x50000000u, 0x6fffffffu,
                                                                             0x67ffffffu) +
                      "\n";
    DmesgFacts f = parse_dmesg(log);
    REQUIRE(f.truncated_banks.size() == 1);
    CHECK(f.truncated_banks[0].start == 0x50000000u);
    CHECK(f.truncated_banks[0].size == 0x20000000u);
    REQUIRE(f.truncations.size() == 1);
    CHECK(f.truncations[0].at == 0x68000000u);   // exclusive
    log = "Linux version 4.9.1 (a@b) #1\n" + print_message(kmsg::arm_memblock_truncate, 0x80000000u, 8, 0xc0000000u, 8,
                                                            0xaf800000u, 8) + "\n";
    f = parse_dmesg(log);
    REQUIRE(f.truncations.size() == 1);
    CHECK(f.truncations[0].at == 0xaf800000u);
    CHECK(f.truncated_banks[0].size == 0x40000000u);
}

TEST_CASE("kernel messages: every zone-report form the model prints is read as a zone line", "[messages]") {
    using namespace kmsg::zl;
    auto p = [](const kmsg::ZoneLineFormat& z, auto... a) { return print_message(z.format, a...); };
    // one report per era, in the kernel's order: the reader takes every line into the zone report
    const std::vector<std::vector<std::string>> eras = {
        {p(ranges_pfn), p(range_dec, "DMA", 0, 4096), p(range_dec, "Normal", 4096, 229376), p(movable_pfn),
         p(nodemap_early, 1), p(node_dec, 0, 0, 229376), p(totalpages, 229376), p(memmap, "DMA", 32),
         p(reserved, "DMA", 0), p(lifo, "DMA", 4064, 0), p(zonelists_order, 227000)},
        {p(ranges_pfn), p(range_hex, "Normal", 0x50000, 0x60000), p(range_empty, "HighMem"), p(movable_pfn),
         p(nodemap_pfn), p(node_hex, 0, 0x50000, 0x60000), p(totalpages, 65536), p(memmap, "Normal", 512),
         p(lifo, "Normal", 65024, 15), p(zonelists_mobility_order, "on", 65024), p(memtotal, " 256MB", 256)},
        {p(ranges_mem), p(range_mem32, "Normal", 0x10000000, 0x3fffffff), p(movable), p(nodemap_node),
         p(node_mem32, 0, 0x10000000, 0x3fffffff), p(initmem32, 0x10000000, 0x3fffffff), p(totalpages, 196608),
         p(exceeds, "HighMem", 600, "freesize", 500), p(zonelists_mobility_order, "off", 196000)},
        {p(ranges_mem), p(range_mem64, "DMA", 0x1000, 0xffffff), p(movable), p(nodemap_node),
         p(node_mem64, 0, 0x1000, 0x7ffdffff), p(initmem64, 0x1000, 0x7ffdffff), p(unavail, "DMA", 1),
         p(zonelists_mobility, "on", 522308)},
    };
    for (const auto& lines : eras) {
        std::string log = "Linux version 4.9.1 (a@b) #1\n";
        for (const auto& l : lines) log += l + "\n";
        INFO(log);
        DmesgFacts f = parse_dmesg(log);
        CHECK(f.zone_log.size() == lines.size());
    }
    // the patterns are shared: each format's own line is read by its own pattern
    for (const auto* z : all()) {
        INFO(z->format.print);
        CHECK(std::string(z->format.read).size() > 2);
        CHECK(std::string(z->kind).size() > 0);
    }
}

TEST_CASE("kernel messages: the reader takes every message the model prints", "[messages]") {
    using namespace kmsg;
    const std::vector<std::string> printed = {
        print_message(arm_bank_ignore, 0x70000000u, 0x7fffffffu),
        print_message(arm_bank_truncate, 0x50000000u, 0x6fffffffu, 0x67ffffffu),
        print_message(arm_memblock_ignore, 0x80000000u, 8, 0xc0000000u, 8),
        print_message(arm_memblock_truncate, 0x80000000u, 8, 0xc0000000u, 8, 0xaf800000u, 8),
        print_message(arm_limit_ignore, 0x2f800000u, 8, 0x40000000u, 8),
        print_message(vmalloc_too_small, "", 16, "MB"),
        print_message(vmalloc_too_big, 976, "MiB"),
        consider_highmem.print,
        print_message(ignoring_memory_32bit, 0x100000000ull),
        vipt_no_highmem.print,
        print_message(x86_highmem_ignored, 128, 256),
        print_message(x86_highmem_ignored_old, 128, 256),
        print_message(x86_warning_only_mb, 896),
        x86_warning_only_4gb.print,
        x86_use_highmem64g.print,
        x86_use_pae.print,
        x86_use_highmem.print,
        print_message(x86_highmem_bigger, 2048, 1024),
        print_message(x86_highmem_bigger_old, 2048, 1024),
        print_message(x86_highmem_small_lowmem, 1000),
        print_message(x86_highmem_small_lowmem_old, 1000),
        x86_highmem_nonhighmem.print,
        print_message(highmem_available, 1152),
        print_message(lowmem_available, 896),
        fixmap_kmap_overlap.print,
    };
    REQUIRE(printed.size() == model_messages().size());
    std::string log = "Linux version 3.2.0 (a@b) #1\n";
    for (const auto& l : printed) log += l + "\n";
    DmesgFacts f = parse_dmesg(log);
    CHECK(f.messages.size() == printed.size());
    for (size_t i = 0; i < printed.size(); ++i) {
        INFO(printed[i]);
        CHECK(std::regex_search(printed[i], std::regex(model_messages()[i]->read)));
    }
}
