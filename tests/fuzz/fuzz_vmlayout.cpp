// libFuzzer target: vmlayout and bootmem end to end on the shipped profiles.
// Input: byte 0 picks an embedded profile, byte 1 picks overrides (--vmsplit,
// --highmem, --kernel), the rest is the kernel command line (mem=, vmalloc=,
// highmem= ...).  Runs make_board -> compute_layout -> every vmlayout view ->
// compute_zones -> every bootmem view, as the two tools do.
// Invariants: never crashes, throws nothing but kmemkit::Error; the layout's
// regions are in address order and do not overlap; lowmem ends at
// high_memory; vmalloc lies between high_memory and VMALLOC_END.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/layout_render.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/zones.hpp"
#include "kmemkit/zones_render.hpp"

using namespace kmemkit;

static const std::vector<Profile>& profiles() {
    static std::vector<Profile> v = [] {
        std::vector<Profile> r;
        for (const auto& e : embedded_profiles()) r.push_back(load_profile(e.name));
        return r;
    }();
    return v;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const auto& ps = profiles();
    const Profile& p = ps[data[0] % ps.size()];
    uint8_t o = data[1];
    BoardOverrides ov;
    static const char* splits[] = {"3G", "2G", "1G", "3G_OPT"};
    static const char* kernels[] = {"2.6.18", "2.6.28", "2.6.32", "3.4", "3.10", "4.9", "5.4", "6.1"};
    if (o & 0x80) ov.vmsplit = splits[o & 3];
    if (o & 0x40) ov.highmem = (o & 0x20) != 0;
    if (o & 0x10) ov.kernel = kernels[(o >> 2) & 7];
    ov.cmdline = std::string(reinterpret_cast<const char*>(data + 2), size - 2);
    try {
        Board b = make_board(p, ov);
        Layout l = compute_layout(b, /*keep_all=*/true);
        std::vector<Region> rs = l.regions;
        std::sort(rs.begin(), rs.end(), [](const Region& a, const Region& b) { return a.start < b.start; });
        for (size_t i = 0; i < rs.size(); ++i) {
            FUZZ_CHECK(rs[i].start <= rs[i].end);
            if (i && rs[i].start < rs[i].end) FUZZ_CHECK(rs[i - 1].end <= rs[i].start);
        }
        // ARM kernels up to 2.6.26 map every bank and never check that lowmem stays below
        // VMALLOC_END (mach/vmalloc.h): there the model says so in a note instead.
        const bool era_checks = !(l.arch == Arch::arm && l.era->arm_lowmem == ArmLowmemRule::none);
        FUZZ_CHECK(l.vmalloc_start <= l.vmalloc_end || (!era_checks && !l.notes.empty()));
        FUZZ_CHECK(l.high_memory <= l.vmalloc_start);
        FUZZ_CHECK(l.page_offset < l.high_memory);
        std::string why;
        (void)layout_table(l, b.profile);
        (void)layout_kernel_text(l, b.profile, &why);
        (void)layout_explain(l, b.profile);
        (void)layout_diagram(l, 8 + o % 64);
        (void)to_json(layout_value(l, b.profile, false));
        (void)to_field_lines(layout_value(l, b.profile, true));
        NodeMemory n = compute_zones(b, l);
        uint64_t present = 0;
        for (const auto& z : n.zones) {
            FUZZ_CHECK(z.present_pages <= z.spanned_pages);
            present += z.present_pages;
        }
        FUZZ_CHECK(present == n.node_present_pages);
        (void)zones_table(n, b.profile);
        (void)to_json(zones_value(n, b.profile, false));
        (void)to_field_lines(zones_value(n, b.profile, true));
        (void)kernel_zone_lines(n, b, l);
    } catch (const Error&) {
    }
    return 0;
}
