// libFuzzer target: the profile loader (parse_profile on YAML text,
// libcore/src/profile.cpp) and everything a tool does with a profile that
// loads: make_board, compute_layout, compute_zones and every renderer.
// Invariants: never crashes, never hangs, throws nothing but kmemkit::Error
// (a yaml-cpp exception escaping is a finding); a profile that loads has
// sorted, non-overlapping, non-empty RAM banks.
#include <string>

#include "fuzz_util.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/layout_render.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/zones.hpp"
#include "kmemkit/zones_render.hpp"

using namespace kmemkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    Profile p;
    try {
        p = parse_profile(text, "fuzz.yaml");
    } catch (const Error& e) {
        FUZZ_CHECK(e.file == "fuzz.yaml");
        return 0;
    }
    FUZZ_CHECK(!p.ram.empty());
    for (size_t i = 0; i < p.ram.size(); ++i) {
        FUZZ_CHECK(p.ram[i].size > 0);
        if (i) FUZZ_CHECK(p.ram[i - 1].end() <= p.ram[i].start);
    }
    try {
        Board b = make_board(p, {});
        Layout l = compute_layout(b, /*keep_all=*/true);
        std::string why;
        (void)layout_table(l, b.profile);
        (void)layout_kernel_text(l, b.profile, &why);
        (void)layout_explain(l, b.profile);
        (void)layout_diagram(l, 48);
        (void)to_json(layout_value(l, b.profile, false));
        (void)to_field_lines(layout_value(l, b.profile, true));
        NodeMemory n = compute_zones(b, l);
        (void)zones_table(n, b.profile);
        (void)to_json(zones_value(n, b.profile, false));
        (void)kernel_zone_lines(n, b, l);
    } catch (const Error&) {
    }
    return 0;
}
