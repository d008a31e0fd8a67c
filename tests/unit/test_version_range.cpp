// --from-dmesg of a log that names no kernel version: the release candidates of
// the rule tables (kernel/rules.hpp) and the range of releases assumed for each
// versionless boot log of tests/data/bootlogs, run without --kernel.  The real
// versions come from the logs' headers and INDEX.md, not from what the code prints.
#include <catch2/catch.hpp>

#include "kmemkit/dmesg.hpp"
#include "kmemkit/error.hpp"

using namespace kmemkit;

namespace {
std::string texts(const std::vector<KernelVersion>& v) {
    std::string s;
    for (const auto& k : v) s += (s.empty() ? "" : " ") + k.text;
    return s;
}

// the index of release `text` among the candidates, or of the candidate whose releases hold it
size_t candidate_of(const std::vector<KernelVersion>& c, const std::string& text) {
    KernelVersion v = parse_kernel_version(text);
    size_t i = 0;
    while (i + 1 < c.size() && !(v < c[i + 1])) ++i;
    return i;
}
}  // namespace

TEST_CASE("release candidates: one release per combination of rule rows, from 2.6.18", "[dmesg][range]") {
    for (Arch arch : {Arch::arm, Arch::x86}) {
        INFO(arch_name(arch));
        auto c = release_candidates(arch);
        INFO(texts(c));
        REQUIRE(c.size() >= 20);
        CHECK(c.front().text == "2.6.18");
        for (size_t i = 1; i < c.size(); ++i) CHECK(c[i - 1] < c[i]);
        // every candidate stands for releases that take the same rows: the release before the next one
        // takes the rows of this one, the next one another row somewhere (or, on x86, another fixmap)
        for (size_t i = 0; i < c.size(); ++i) {
            std::string range = release_range_text(c, i, i);
            std::string last = range.substr(range.find('-') == std::string::npos ? 0 : range.find('-') + 1);
            if (i + 1 == c.size()) {
                CHECK(range == c[i].text + " or later");
                continue;
            }
            KernelRules a = rules_for(arch, c[i]), b = rules_for(arch, parse_kernel_version(last));
            CHECK(a.layout == b.layout);
            CHECK(a.zones == b.zones);
            CHECK(a.mm == b.mm);
            CHECK(a.kmap == b.kmap);
        }
        // every row from 2.6.18 on is the row of a candidate
        auto chosen = [&](auto pick, const auto& row) {
            for (const auto& k : c)
                if (pick(rules_for(arch, k)) == &row) return true;
            return false;
        };
        for (const auto& r : layout_table(arch))
            if (r.since >= kv(2, 6, 18)) CHECK(chosen([](const KernelRules& k) { return k.layout; }, r));
        for (const auto& r : zone_table())
            if (r.since >= kv(2, 6, 18)) CHECK(chosen([](const KernelRules& k) { return k.zones; }, r));
        for (const auto& r : mm_table())
            if (r.since >= kv(2, 6, 18)) CHECK(chosen([](const KernelRules& k) { return k.mm; }, r));
        for (const auto& r : kmap_table(arch))
            if (r.since >= kv(2, 6, 18)) CHECK(chosen([](const KernelRules& k) { return k.kmap; }, r));
    }
    auto arm = release_candidates(Arch::arm);
    // boundaries of the tables as the audit found them (doc/kernel-rules.md)
    for (const char* t : {"2.6.34", "3.0", "3.1", "3.2", "3.3", "3.4", "3.16", "3.19", "4.15", "5.2"})
        CHECK(arm[candidate_of(arm, t)].text == t);
    // x86: enum fixed_addresses changes that no table row marks (FIX_VDSO gone in 3.15, 5.11 KMAP_LOCAL)
    auto x86 = release_candidates(Arch::x86);
    for (const char* t : {"2.6.31", "3.15", "4.15", "4.19", "5.11"}) CHECK(x86[candidate_of(x86, t)].text == t);
}

TEST_CASE("release ranges are written as releases", "[dmesg][range]") {
    std::vector<KernelVersion> c;
    for (const char* t : {"2.6.18", "2.6.34", "3.0", "3.16", "4.0", "5.0", "5.2", "6.0"}) c.push_back(parse_kernel_version(t));
    CHECK(release_range_text(c, 0, 0) == "2.6.18-2.6.33");
    CHECK(release_range_text(c, 1, 1) == "2.6.34-2.6.39");
    CHECK(release_range_text(c, 2, 2) == "3.0-3.15");
    CHECK(release_range_text(c, 3, 3) == "3.16-3.19");
    CHECK(release_range_text(c, 4, 4) == "4.0-4.20");
    CHECK(release_range_text(c, 5, 5) == "5.0-5.1");
    CHECK(release_range_text(c, 2, 4) == "3.0-4.20");
    CHECK(release_range_text(c, 6, 6) == "5.2-5.19");
    CHECK(release_range_text(c, 7, 7) == "6.0 or later");
    std::vector<KernelVersion> one{parse_kernel_version("3.0"), parse_kernel_version("3.1")};
    CHECK(release_range_text(one, 0, 0) == "3.0");
}

namespace {
struct Versionless {
    const char* name;
    const char* range;   // the range assumed
    bool agree;          // every release of it agrees
    const char* real;    // the release the log came from (its header, INDEX.md), "" when unknown
};
// Logs without a "Linux version" line or another name of their version (the rows of test_dmesg.cpp that pass
// --kernel), run without it.
const Versionless kVersionless[] = {
    // header: rpi-4.19.y-rt branch
    {"rpi3-4.19rt-948m-vmsplit2g-ptrval", "3.19-5.1", true, "4.19"},
    // header: "Ubuntu 7.04 era ... same layout style as 2.6.20-generic"
    {"x86-ubuntu-2.6.20-1g-highmem", "2.6.19-2.6.22", true, "2.6.20"},
    // header: the block's format is that of 2.6.34-2.6.38 (2.6.39 prints the same lines)
    {"shmobile-2.6.3x-512m-truncated", "2.6.34-2.6.39", true, "2.6.35"},
    {"shmobile-2.6.3x-512m-truncated-noblock", "2.6.27-3.2", true, "2.6.35"},
    // header: "2.6.2x/2.6.3x era"; only 2.6.28-2.6.30 give its 3744 kB fixmap from enum fixed_addresses
    {"x86-stackexchange-2g-pae", "2.6.28-2.6.30", true, ""},
    // the Raspberry Pi 4.0.7 kernel prints the fixmap of mainline 3.16-3.18: not its own release
    {"rpi2-4.0-1g-vmsplit2g-fixmap2m", "3.16-3.18", true, ""},
    // a vendor 5.4.24 kernel printing the block mainline dropped in 5.2: the releases that print it
    // in its format, with the vmalloc= the excerpt does not show
    {"arm-5.4-kasan-dev-900m-vmsplit2g-novector", "3.19-4.14", false, ""},
    // a vendor kernel of the 3.x format with a 'timers' line
    {"arm-vendor-2g-7banks-timers", "3.3-3.15", false, ""},
};
}  // namespace

TEST_CASE("dmesg: a log without a version is checked for the range of releases it matches", "[dmesg][range]") {
    for (const auto& v : kVersionless) {
        INFO(v.name);
        DmesgFacts f = parse_dmesg(read_dmesg_file(std::string(KMEMKIT_TEST_DATA) + "/bootlogs/" + v.name + ".txt"));
        REQUIRE_FALSE(f.version);
        AssumedRange r = assume_kernel_range(f);
        INFO(r.note);
        CHECK(r.range == v.range);
        CHECK(r.whole_range_agrees() == v.agree);
        CHECK(r.agree <= r.built);
        CHECK(r.built <= r.candidates);
        CHECK(r.candidates == release_candidates(*f.arch).size());
        CHECK_THAT(r.note, Catch::StartsWith("no kernel version in the log: assumed Linux " + r.range));
        CHECK_THAT(r.note, Catch::Contains("--kernel"));
        CHECK(r.range.rfind(r.kernel, 0) == 0);   // the comparison is shown for the range's first release
        if (*v.real) {
            auto c = release_candidates(*f.arch);
            size_t i = candidate_of(c, v.real), first = candidate_of(c, r.kernel);
            CHECK(i >= first);
            CHECK(i < first + r.in_range);
        }
    }
}

TEST_CASE("dmesg: a versionless log no release rebuilds is refused with every reason", "[dmesg][range]") {
    // a pre-3.4 ARM machine's VMALLOC_END shows neither in a block nor in a cut, and from 3.4 ... the log
    // still needs RAM: no Memory: line, no banks
    DmesgFacts f = parse_dmesg("CPU: ARMv7 Processor [410fc090] revision 0 (ARMv7), cr=10c5387d\n");
    REQUIRE(f.arch);
    try {
        (void)assume_kernel_range(f);
        FAIL("no refusal");
    } catch (const Error& e) {
        CHECK_THAT(e.message(), Catch::StartsWith("the log names no kernel version"));
        CHECK_THAT(e.message(), Catch::Contains("for Linux 2.6.18"));
        CHECK_THAT(e.message(), Catch::EndsWith("--kernel VERSION or the board with -p board.yaml"));
    }
}
