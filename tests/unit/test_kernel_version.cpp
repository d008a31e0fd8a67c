// Kernel versions parse and compare as the kernel's do (kernel/version.hpp),
// and rules_for() chooses rows by them.
#include <catch2/catch.hpp>

#include "kmemkit/error.hpp"
#include "kmemkit/kernel/rules.hpp"

using namespace kmemkit;

namespace {
KernelVersion V(const char* s) { return parse_kernel_version(s); }
int col_of(const char* s) {
    try {
        parse_kernel_version(s);
    } catch (const Error& e) {
        return e.col;
    }
    return 0;
}
}  // namespace

TEST_CASE("kernel versions: any patch level, -rc, vendor suffixes") {
    auto v = V("5.4.256");
    CHECK(v.major == 5);
    CHECK(v.minor == 4);
    CHECK(v.patch == 256);
    CHECK(V("4.14.336").patch == 336);
    CHECK(V("4.9.337").patch == 337);
    CHECK(V("2.6.28.6").sub == 6);
    CHECK(V("4.15.0-rc8").rc == 8);
    CHECK(V("5.1-rc2").rc == 2);
    CHECK(V("4.19.94-ti-r72").suffix == "-ti-r72");
    CHECK(V("4.19.94-ti-r72").rc == 0);
    CHECK(V("3.18.7-v7+").suffix == "-v7+");
    CHECK(V("4.14.0+").suffix == "+");
    CHECK(V("5.10.0-xilinx").patch == 0);
    CHECK(V("4.19.255-cip6").patch == 255);
    CHECK(V("3.10.53-06481-g1c3a910").patch == 53);
    CHECK(V("3.4.11-4.16L.05").patch == 11);
    CHECK(V("6.1.0-50-armmp").suffix == "-50-armmp");
    CHECK(V("2.6.35-22-generic").patch == 35);
    // the order of releases
    CHECK(V("5.4.255") < V("5.4.256"));
    CHECK(V("5.4.256") < V("5.5"));
    CHECK(V("4.14.336") < V("4.15"));
    CHECK(V("4.15-rc1") < V("4.15-rc8"));
    CHECK(V("4.15-rc8") < V("4.15"));
    CHECK(V("4.15") < V("4.15.1"));
    CHECK(V("2.6.32") < V("2.6.32.9"));
    CHECK(V("3.10") == V("3.10.0"));
    CHECK(V("3.10.0-rc1").at_least(kv(3, 10)));   // an -rc has its release's merge window
    CHECK(!V("3.9.11").at_least(kv(3, 10)));
}

TEST_CASE("kernel versions: malformed strings are errors naming the column") {
    for (const char* bad : {"", "3.10.x", "3.10.-1", "3", "linux", "3.10 ", " 3.10", "3..10", "3.10.1.2.3", "3.10a",
                            "3.10-rc1 x", "99999999999999999999.1"})
        CHECK_THROWS_AS(V(bad), Error);
    CHECK(col_of("3.10.x") == 6);
    CHECK(col_of("3.10.-1") == 6);
    CHECK(col_of("") == 1);
    CHECK(col_of("3.10a") == 5);
    CHECK_THROWS_AS(V("2.4.37"), Error);   // outside what is modelled
    CHECK_THROWS_AS(V("7.0"), Error);
}

TEST_CASE("rules_for: real LTS patch levels take their own release's rows") {
    // the old 8-bit packing made 5.4.256 = 5.5 (x86-5.5: no layout block) and 4.14.256 = 4.15
    CHECK(std::string(era_for(Arch::x86, V("5.4.256")).name) == "x86-4.15");
    CHECK(std::string(era_for(Arch::x86, V("5.5")).name) == "x86-5.5");
    CHECK(std::string(era_for(Arch::arm, V("4.14.256")).name) == "arm-4.11");
    CHECK(std::string(era_for(Arch::arm, V("4.14.336")).name) == "arm-4.11");
    CHECK(std::string(era_for(Arch::arm, V("4.15-rc8")).name) == "arm-4.15");
    CHECK(std::string(era_for(Arch::arm, V("4.9.337")).name) == "arm-4.4");
    CHECK(std::string(zone_rules_for(V("4.14.336")).name) == "zones-4.14");
    CHECK(std::string(mm_era_for(V("4.19.255-cip6")).name) == "mm-4.9");
    // every row chosen is the last one at or before the version
    for (Arch a : {Arch::arm, Arch::x86}) {
        const auto& t = layout_table(a);
        for (size_t i = 0; i < t.size(); ++i) {
            KernelVersion first;
            first.major = unsigned(t[i].since >> 48);
            first.minor = unsigned(t[i].since >> 36) & 0xfff;
            first.patch = unsigned(t[i].since >> 20) & 0xffff;
            CHECK(&era_for(a, first) == &t[i]);
        }
    }
}
