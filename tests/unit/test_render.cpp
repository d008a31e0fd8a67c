// The renderings of a Layout: the boxes --diagram and --svg draw, the diagram's
// boundary labels, and the stable key set of --json / --kv.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>
#include <sstream>
#include <string>

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
    const std::regex boundary(R"(^ *(0x[0-9a-f]{8}) \+-+\+$)");
    for (const auto& info : list_profiles()) {
        for (bool log_scale : {false, true}) {
            Layout l = layout_for(info.name);
            INFO(info.name);
            std::istringstream in(layout_diagram(l, 24, log_scale));
            std::vector<std::string> got, want{"0xffffffff"};
            for (std::string line; std::getline(in, line);) {
                std::smatch m;
                if (std::regex_match(line, m, boundary)) got.push_back(m[1]);
            }
            for (auto it = l.regions.rbegin(); it != l.regions.rend(); ++it) want.push_back(hex32(it->start));
            CHECK(got == want);
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
