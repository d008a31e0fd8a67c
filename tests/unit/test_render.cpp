// The renderings of a Layout: the boxes --diagram and --svg draw, the diagram's
// boundary labels, and the stable key set of --json / --kv.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>

#include "kmemkit/layout.hpp"
#include "kmemkit/layout_render.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/profile.hpp"

using namespace kmemkit;

namespace {
Layout layout_for(const std::string& profile, BoardOverrides o = {}) {
    return compute_layout(make_board(load_profile(profile), o), /*keep_all=*/true);
}

std::vector<std::string> keys_of(const Value& v) {
    std::vector<std::string> k;
    for (const auto& f : v.fields()) k.push_back(f.first);
    return k;
}

double weight(const Region& r, bool log_scale) {
    double size = double(r.end - r.start);
    return log_scale ? std::log2(std::max(size, 4096.0) / 4096.0) + 1.0 : size;
}
}  // namespace

TEST_CASE("address_map: every region, top down, heights proportional above the minimum") {
    for (const auto& info : list_profiles()) {
        Layout l = layout_for(info.name);
        for (bool log_scale : {false, true}) {
            INFO(info.name << (log_scale ? " log" : " linear"));
            const double total = 1000, minimum = 16;
            auto boxes = address_map(l, total, minimum, log_scale);
            REQUIRE(boxes.size() == l.regions.size());
            double sum = 0, scaled_h = 0, scaled_w = 0;
            for (size_t i = 0; i < boxes.size(); ++i) {
                CHECK(boxes[i].region == &l.regions[l.regions.size() - 1 - i]);   // high addresses first
                CHECK(boxes[i].weight == Approx(weight(*boxes[i].region, log_scale)));
                sum += boxes[i].height;
                if (!boxes[i].enlarged) scaled_h += boxes[i].height, scaled_w += boxes[i].weight;
            }
            CHECK(sum == Approx(total));
            const double k = scaled_h / scaled_w;   // height per unit of weight
            for (const auto& b : boxes) {
                if (b.enlarged) {
                    CHECK(b.height == minimum);
                    CHECK(k * b.weight < minimum);   // enlarged only when its share is too small
                } else {
                    CHECK(b.height == Approx(k * b.weight));
                    CHECK(b.height >= minimum);
                }
            }
        }
    }
}

TEST_CASE("address_map: more regions than room puts every box at the minimum") {
    Layout l = layout_for("realview");
    auto boxes = address_map(l, 5, 1, false);
    for (const auto& b : boxes) {
        CHECK(b.enlarged);
        CHECK(b.height == 1);
    }
}

TEST_CASE("diagram: every boundary line is the start of the region above and the end of the one below") {
    // the audit's cases: small holes beside the dma, vectors and pkmap areas
    const std::regex boundary(R"(^ *(0x[0-9a-f]{8,}) \+-+\+$)");
    for (const auto& info : list_profiles()) {
        for (bool log_scale : {false, true}) {
            Layout l = layout_for(info.name);
            INFO(info.name);
            std::istringstream in(layout_diagram(l, 24, log_scale));
            std::vector<std::string> got, want{"0xffffffff"}, got_phys, want_phys;
            bool phys = false;   // the virtual column, then the physical one
            for (std::string line; std::getline(in, line);) {
                std::smatch m;
                if (line.rfind("Physical memory:", 0) == 0) phys = true;
                if (std::regex_match(line, m, boundary)) (phys ? got_phys : got).push_back(m[1]);
            }
            for (auto it = l.regions.rbegin(); it != l.regions.rend(); ++it) want.push_back(hex32(it->start));
            CHECK(got == want);
            auto boxes = physical_map(l, 12, 1, 1);
            want_phys.push_back(hex32(boxes.front().end - 1));
            for (const auto& b : boxes) want_phys.push_back(hex32(b.start));
            CHECK(got_phys == want_phys);
        }
    }
}

TEST_CASE("diagram: s3c6410 with 512 MB labels the dma and vectors boxes with their own ends") {
    BoardOverrides o;
    o.mem = 512ULL << 20;
    std::string d = layout_diagram(layout_for("s3c6410", o), 48);
    // CONSISTENT_END 0xffe00000 above dma, the vectors page ends at 0xffff1000
    CHECK(d.find(" 0xffe00000 +----------------------------+\n"
                 "            : dma 14 MB ") != std::string::npos);
    CHECK(d.find(" 0xffff1000 +----------------------------+\n"
                 "            : vectors 4 kB ") != std::string::npos);
}

TEST_CASE("physical_map: the board's RAM from 0 to 4 GB at least, RAM to scale, holes fixed") {
    for (const auto& info : list_profiles()) {
        INFO(info.name);
        Layout l = layout_for(info.name);
        auto boxes = physical_map(l, 1000, 16, 24);
        REQUIRE(!boxes.empty());
        CHECK(boxes.back().start == 0);
        CHECK(boxes.front().end >= (1ULL << 32));
        double sum = 0;
        uint64_t low = 0, high = 0;
        for (size_t i = 0; i < boxes.size(); ++i) {
            if (i) CHECK(boxes[i].end == boxes[i - 1].start);   // high addresses first, no gap
            if (i) CHECK(boxes[i].kind != boxes[i - 1].kind);   // one box per run of a kind
            sum += boxes[i].height;
            if (boxes[i].kind == PhysBox::Kind::hole) CHECK(boxes[i].height == 24);
            else CHECK(boxes[i].height >= 16);
            if (boxes[i].kind == PhysBox::Kind::lowmem) low += boxes[i].end - boxes[i].start;
            if (boxes[i].kind == PhysBox::Kind::highmem) high += boxes[i].end - boxes[i].start;
        }
        CHECK(sum == Approx(1000));
        CHECK(low == l.lowmem_bytes);
        CHECK(high == l.highmem_bytes);
    }
}

TEST_CASE("physical_map: a 512 MB S3C6410 draws the 128 MB the kernel drops, a 256 MB one does not") {
    BoardOverrides o;
    o.mem = 512ULL << 20;
    using K = PhysBox::Kind;
    auto kinds = [](const Layout& l) {
        std::vector<std::tuple<K, uint64_t, uint64_t>> k;
        for (const auto& b : physical_map(l, 1000, 16, 24)) k.emplace_back(b.kind, b.start, b.end);
        return k;
    };
    CHECK(kinds(layout_for("s3c6410", o)) ==
          std::vector<std::tuple<K, uint64_t, uint64_t>>{{K::hole, 0x70000000, 1ULL << 32},
                                                         {K::dropped, 0x68000000, 0x70000000},
                                                         {K::lowmem, 0x50000000, 0x68000000},
                                                         {K::hole, 0, 0x50000000}});
    CHECK(kinds(layout_for("s3c6410")) ==
          std::vector<std::tuple<K, uint64_t, uint64_t>>{{K::hole, 0x60000000, 1ULL << 32},
                                                         {K::lowmem, 0x50000000, 0x60000000},
                                                         {K::hole, 0, 0x50000000}});
    // mem= gives the kernel the first 128 MB: the rest of the bank is drawn as not given
    BoardOverrides m;
    m.cmdline = "mem=128M";
    CHECK(kinds(layout_for("s3c6410", m)) ==
          std::vector<std::tuple<K, uint64_t, uint64_t>>{{K::hole, 0x60000000, 1ULL << 32},
                                                         {K::excluded, 0x58000000, 0x60000000},
                                                         {K::lowmem, 0x50000000, 0x58000000},
                                                         {K::hole, 0, 0x50000000}});
    CHECK(picture_facts(layout_for("s3c6410", m)).front() ==
          "RAM 256 MB (256 MB at 0x50000000), 128 MB of it not given to the kernel (mem=): lowmem 128 MB, HighMem none, "
          "dropped none");
    CHECK(picture_facts(layout_for("s3c6410", o)) ==
          std::vector<std::string>{"RAM 512 MB (512 MB at 0x50000000): lowmem 384 MB, HighMem none, dropped 128 MB",
                                   "command line: (empty)",
                                   "kernel: Truncating RAM at 50000000-6fffffff to -67ffffff (vmalloc region overlap)."});
}

TEST_CASE("layout_value: the same keys in the same order for every board, null where there is no value") {
    const Value ref = layout_value(layout_for("s3c6410"), load_profile("s3c6410"), false);
    const Value ref_kv = layout_value(layout_for("s3c6410"), load_profile("s3c6410"), true);
    for (const auto& info : list_profiles()) {
        INFO(info.name);
        Layout l = layout_for(info.name);
        Profile p = load_profile(info.name);
        CHECK(keys_of(layout_value(l, p, false)) == keys_of(ref));
        CHECK(keys_of(layout_value(l, p, true)) == keys_of(ref_kv));
        Value with = layout_value(l, p, false, true);
        CHECK(keys_of(with) == keys_of(ref));
        REQUIRE(with.find("explain")->kind() == Value::Kind::array);
        CHECK(with.find("explain")->items().size() == l.explain.size());
        Value v = layout_value(l, p, false);
        CHECK(v.find("explain")->kind() == Value::Kind::null);
        CHECK((v.find("pkmap_base")->kind() == Value::Kind::null) == !l.has_pkmap);
        CHECK((v.find("modules_start")->kind() == Value::Kind::null) == (l.arch == Arch::x86));
        CHECK((v.find("vmalloc_param")->kind() == Value::Kind::null) == !l.vmalloc_param_given);
    }
}
