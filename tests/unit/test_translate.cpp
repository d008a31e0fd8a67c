// Virtual <-> physical translation (libcore/src/translate.cpp), va2pa's records
// (JSON types) and its stream filter: the annotation rule and the learning of
// map/unmap ranges (libcore/src/translate_stream.cpp).
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <set>

#include "kmemkit/number.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/translate.hpp"
#include "kmemkit/translate_stream.hpp"

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

namespace {

// Runs lines through the filter's handler as va2pa --stream does; returns the
// output lines, or "ERROR col: message" for a rejected line.
struct StreamRun {
    Translator tr;
    TranslateStream ts;
    explicit StreamRun(const T& s) : tr(s.b, s.l, s.n), ts(tr, 0xffffffffULL, 0xffffffffULL) {}
    std::string line(const std::string& in) {
        std::FILE* f = std::tmpfile();
        REQUIRE(f);
        std::string got;
        {
            OutBuf o(fileno(f));
            StreamLine ln;
            StreamError err;
            REQUIRE(parse_stream_line(in, ln, err));
            if (!ts.handle(ln, o, err)) got = "ERROR " + std::to_string(err.col) + ": " + err.message;
            o.flush();
        }
        std::rewind(f);
        char buf[512];
        size_t k = std::fread(buf, 1, sizeof buf, f);
        std::fclose(f);
        if (got.empty()) {
            got.assign(buf, k);
            REQUIRE(!got.empty());
            REQUIRE(got.back() == '\n');
            got.pop_back();
        } else {
            CHECK(k == 0);   // a rejected line writes nothing
        }
        return got;
    }
    // the value of `key` on the annotated line, "" when absent
    std::string field(const std::string& in, const std::string& key) {
        std::string out = line(in);
        StreamLine ln;
        StreamError err;
        REQUIRE(parse_stream_line(out, ln, err));   // also: no field appears twice
        const StreamField* f = ln.find(key);
        return f ? std::string(f->value) : "";
    }
};

}  // namespace

// imx6q (Linux 3.10, 1 GB at PHYS_OFFSET 0x10000000): lowmem is 760 MB, so
// max_low_pfn = 0x10000 + 760 * 256 = 0x3f800 and pfn 0x4fc00 is HighMem;
// pkmap at 0xbfe00000, vmalloc from 0xf0000000.
TEST_CASE("va2pa --stream: the fields a va= line, a pa= line and both get") {
    T s = setup("imx6q");
    StreamRun r(s);
    // va= only: region, pa, pfn, zone; __pa(0xc0000010) = 0xc0000010 - 0xc0000000 + 0x10000000
    CHECK(r.line("lookup va=0xc0000010") == "lookup va=0xc0000010 region=lowmem pa=0x10000010 pfn=0x10000 zone=Normal");
    // pa= only: region, pfn, zone, and the linear va of a lowmem frame
    CHECK(r.line("x pa=0x10000000") == "x pa=0x10000000 region=lowmem pfn=0x10000 zone=Normal va=0xc0000000");
    // a HighMem frame whose line already has pfn= and zone=: region=highmem (kmap it), no va
    CHECK(r.line("alloc order=0 id=h pfn=0x4fc00 pa=0x4fc00000 zone=HighMem") ==
          "alloc order=0 id=h pfn=0x4fc00 pa=0x4fc00000 zone=HighMem region=highmem");
    // not RAM (imx6q RAM ends at 0x50000000)
    CHECK(r.line("x pa=0x60000000") == "x pa=0x60000000 region=none pfn=0x60000 zone=none");
    // kmapsim's line: the pfn on the line is the frame of the unlearned pkmap address
    CHECK(r.line("kmap id=h pfn=0x4fc00 va=0xbfe01000 slot=1 count=2") ==
          "kmap id=h pfn=0x4fc00 va=0xbfe01000 slot=1 count=2 region=pkmap pa=0x4fc00000 zone=HighMem");
    // va= and pa=: the line's pa= is the frame (an ioremap of UART1's registers, not mapped yet)
    CHECK(r.line("ioremap size=0x2000 pa=0x02020000 id=io va=0xf0004000") ==
          "ioremap size=0x2000 pa=0x02020000 id=io va=0xf0004000 region=vmalloc pfn=0x2020 zone=none");
    // nothing known: region and zone=none only
    CHECK(r.line("lookup va=0xf0000000") == "lookup va=0xf0000000 region=vmalloc zone=none");
    // buddyctl's annotated alloc line gets only what it lacks
    CHECK(r.line("alloc order=0 id=a pfn=0x10200 pa=0x10200000 va=0xc0200000 zone=Normal") ==
          "alloc order=0 id=a pfn=0x10200 pa=0x10200000 va=0xc0200000 zone=Normal region=lowmem");
    // "va=" inside another key is not a va= field
    CHECK(r.line("lookup java=1 kpa=2") == "lookup java=1 kpa=2");
    // bad numbers in the fields it reads
    CHECK(r.line("x va=0x1_0") == "ERROR 6: va=0x1_0: not a 32-bit address (0x... or decimal, at most 0xffffffff)");
    CHECK(r.line("x va=0xc0000000 pfn=zz").rfind("ERROR 21: pfn=zz: not a page frame number", 0) == 0);
}

TEST_CASE("va2pa --stream: no field is ever appended twice") {
    T s = setup("imx6q");
    StreamRun r(s);
    const char* fields[] = {"region=lowmem", "pa=0x10000000", "pfn=0x10000", "zone=Normal", "va=0xc0000000"};
    // every subset of the five fields that holds va= or pa=: the output parses (no duplicate
    // key) and has all five
    for (unsigned mask = 1; mask < 32; ++mask) {
        if (!(mask & (2 | 16))) continue;
        std::string in = "x";
        for (unsigned i = 0; i < 5; ++i)
            if (mask & (1u << i)) in += std::string(" ") + fields[i];
        std::string out = r.line(in);
        StreamLine ln;
        StreamError err;
        INFO(in << " -> " << out);
        REQUIRE(parse_stream_line(out, ln, err));
        CHECK(ln.fields.size() == 5);
        CHECK(out.compare(0, in.size(), in) == 0);   // appended, never rewritten
    }
}

TEST_CASE("va2pa --stream: map and unmap cover the whole range of pages= or size=") {
    T s = setup("imx6q");
    StreamRun r(s);
    const uint64_t v = s.l.vmalloc_start;   // 0xf0000000
    auto at = [&](uint64_t page, uint64_t off = 0x10) {
        return r.field("lookup va=" + hex32(v + page * kPageSize + off), "pa");
    };
    // a vmalloc area of 4 pages, physically contiguous from 0x10300000
    r.line("map va=" + hex32(v) + " pa=0x10300000 pages=4 id=v1");
    CHECK(r.tr.learned_pages() == 4);
    CHECK(at(0) == "0x10300010");
    CHECK(at(3) == "0x10303010");
    CHECK(at(4) == "");
    // vfree of the middle two pages: the unmap line still shows the frame it unmaps
    CHECK(r.field("unmap va=" + hex32(v + kPageSize) + " pages=2 id=v1", "pfn") == "0x10301");
    CHECK(r.tr.learned_pages() == 2);
    CHECK(at(0) == "0x10300010");
    CHECK(at(1) == "");
    CHECK(at(2) == "");
    CHECK(at(3) == "0x10303010");
    // size= from an offset: [v+0xc00, v+0xc00+0x401) touches pages 0 and 1 (and 1 is gone already)
    r.line("unmap va=" + hex32(v + 0xc00) + " size=0x401");
    CHECK(at(0) == "");
    CHECK(at(3) == "0x10303010");
    // an ioremap of 0x2000 bytes at a page offset: three pages touched, all learned
    r.line("map va=" + hex32(v + 0x10800) + " pa=0x02020800 size=0x2000 id=io");
    CHECK(r.tr.learned_pages() == 1 + 3);
    CHECK(at(0x12) == "0x02022010");
    r.line("unmap va=" + hex32(v + 0x10800) + " size=0x2000 id=io");
    CHECK(r.tr.learned_pages() == 1);
    // kmapsim's flush of pkmap entries: decimal pages=, one unmap line for adjacent entries
    r.line("map va=0xbfe00000 pa=0x4fc00000");
    r.line("map va=0xbfe01000 pa=0x4fc05000");
    CHECK(r.field("lookup va=0xbfe01004", "pa") == "0x4fc05004");
    r.line("unmap va=0xbfe00000 pages=2");
    CHECK(r.field("lookup va=0xbfe01004", "zone") == "none");
    CHECK(r.tr.learned_pages() == 1);
    // without pages= or size=: one page
    r.line("unmap va=" + hex32(v + 3 * kPageSize + 0x123));
    CHECK(r.tr.learned_pages() == 0);
    // errors: nothing learned or forgotten
    CHECK(r.line("unmap va=0xf0000000 pages=0") == "ERROR 27: pages=0: the range must cover at least one page");
    CHECK(r.line("unmap va=0xfffff000 pages=2").find("pass the top of the address space") != std::string::npos);
    CHECK(r.line("map va=0xffffe000 pa=0x10000000 size=0x2001").find("pass the top") != std::string::npos);
    CHECK(r.line("unmap va=0xf0000000 size=lots").rfind("ERROR 26: size=lots: not a size in bytes", 0) == 0);
    CHECK(r.tr.learned_pages() == 0);
}

TEST_CASE("va2pa --stream: vmalloc pages= lists frames; a single number is a count") {
    T s = setup("imx6q");
    StreamRun r(s);
    CHECK(r.field("vmalloc size=8192 id=v1 va=0xf0803000 pages=0x10300,0x10301", "pfn") == "0x10300");
    CHECK(r.field("x va=0xf0804010", "pa") == "0x10301010");
    r.line("vmalloc size=8192 id=v2 va=0xf0900000 pages=2");   // buddyctl's count: nothing learned
    CHECK(r.tr.learned_pages() == 2);
    CHECK(r.line("vmalloc va=0xf0a00000 pages=0x1,zz").find("'zz' is not a page frame number") != std::string::npos);
}

TEST_CASE("Translator: learned ranges, overlaps and the top of the address space") {
    T s = setup("imx6q");
    Translator tr(s.b, s.l, s.n);
    uint64_t pfn = 0;
    tr.learn(0xf0000000, 0x20000000, 8);
    tr.learn(0xf0002000, 0x30000000, 2);   // remaps pages 2 and 3
    CHECK(tr.learned_pages() == 8);
    REQUIRE(tr.learned_pfn(0xf0001fff, pfn));
    CHECK(pfn == 0x20001);
    REQUIRE(tr.learned_pfn(0xf0003000, pfn));
    CHECK(pfn == 0x30001);
    REQUIRE(tr.learned_pfn(0xf0004000, pfn));
    CHECK(pfn == 0x20004);
    tr.forget(0xf0003000, 1000);   // past the end of what was learned
    CHECK(tr.learned_pages() == 3);
    CHECK(!tr.learned_pfn(0xf0007000, pfn));
    tr.learn(0xfffff000, 0x10000000, 5);   // clipped at 4 GB
    CHECK(tr.learned_pages() == 4);
    tr.forget(0, uint64_t(1) << 40);
    CHECK(tr.learned_pages() == 0);
}

// DESIGN.md: never change a field's type.  Every JSON record has the same keys,
// each key always the same type or null.
TEST_CASE("va2pa --json: one set of keys, one type per key") {
    for (const char* prof : {"pc-i386", "omap5912-osk", "imx6q"}) {
        DYNAMIC_SECTION(prof) {
            T s = setup(prof);
            Translator tr(s.b, s.l, s.n);
            tr.learn(s.l.vmalloc_start + kPageSize, 0x7ff00000);   // a learned page that is not RAM
            std::vector<Value> fwd, rev;
            // user, modules/pkmap, lowmem, the gap, vmalloc (learned and not), fixmap, vectors
            for (uint64_t va : {uint64_t(0x1000), uint64_t(s.l.page_offset - 0x1000), uint64_t(s.l.page_offset),
                                uint64_t(s.l.high_memory), uint64_t(s.l.vmalloc_start),
                                uint64_t(s.l.vmalloc_start + kPageSize), uint64_t(0xffff0000), uint64_t(0xfffff000)})
                for (std::optional<uint64_t> mm : {std::optional<uint64_t>(), std::optional<uint64_t>(0xc1000000)})
                    fwd.push_back(translation_value(tr.va2pa(va), false, mm));
            // lowmem, HighMem (where the profile has it), not RAM, 0
            for (uint64_t pa : {uint64_t(s.l.phys_offset), uint64_t(s.n.max_pfn - 1) << kPageShift,
                                uint64_t(0xfffff000), uint64_t(0)})
                rev.push_back(reverse_translation_value(tr.pa2va(pa), false));
            for (const auto* records : {&fwd, &rev}) {
                std::vector<std::string> keys;
                for (const auto& kv : records->front().fields()) keys.push_back(kv.first);
                std::map<std::string, std::set<Value::Kind>> kinds;
                for (const auto& rec : *records) {
                    std::vector<std::string> k;
                    for (const auto& kv : rec.fields()) {
                        k.push_back(kv.first);
                        if (kv.second.kind() != Value::Kind::null) kinds[kv.first].insert(kv.second.kind());
                    }
                    CHECK(k == keys);
                }
                for (const auto& [key, set] : kinds) {
                    INFO(key);
                    CHECK(set.size() == 1);
                    const bool hex = key.size() > 4 && key.compare(key.size() - 4, 4, "_hex") == 0;
                    const bool text = hex || key == "region" || key == "zone" || key == "note" || key == "mapping";
                    CHECK(*set.begin() == (text ? Value::Kind::string : Value::Kind::integer));
                }
            }
            // a null pa comes with a note saying why; a zone comes without one
            for (const auto& rec : fwd) {
                CHECK((rec.find("zone")->kind() == Value::Kind::null) == (rec.find("note")->kind() != Value::Kind::null));
            }
        }
    }
}

TEST_CASE("va2pa field lines: a zone line a person reads") {
    T s = setup("omap5912-osk");
    Translator tr(s.b, s.l, s.n);
    std::string text = to_field_lines(translation_value(tr.va2pa(0xc487a000), true, std::nullopt));
    CHECK(text.find("zone: none (vmalloc area 0xc4800000-0xd0000000 is not linearly mapped:") != std::string::npos);
    text = to_field_lines(reverse_translation_value(tr.pa2va(0), true));
    CHECK(text.find("va: none (the frame is not RAM on this board)") != std::string::npos);
}

// The hex writer of every stream field (stream.cpp format_hex) agrees with printf's %#0*x
// ("0x" + at least min_digits lower-case digits), below and above 32 bits.
TEST_CASE("format_hex: the same digits as printf") {
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    std::vector<uint64_t> values = {0, 1, 9, 10, 15, 16, 0xff, 0xabcdef, 0xffffffffULL, 0x100000000ULL,
                                    0xffffffffffffffffULL};
    for (int i = 0; i < 20000; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;   // xorshift: every bit length
        values.push_back(x >> (i % 64));
    }
    for (uint64_t v : values)
        for (int digits : {0, 1, 5, 8, 9, 16}) {
            char got[32], want[40];
            size_t n = format_hex(got, v, digits);
            std::snprintf(want, sizeof want, "0x%0*llx", digits, (unsigned long long)v);
            REQUIRE(std::string(got, n) == want);
        }
}
