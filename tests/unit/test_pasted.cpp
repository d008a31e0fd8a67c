// Addresses as people paste them (kmemkit/pasted.hpp): the kernel's forms, bare and 0x hex,
// several a line, blank and comment lines, and the column of every error.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kmemkit/error.hpp"
#include "kmemkit/pasted.hpp"

using namespace kmemkit;

namespace {
const uint64_t kMax = 0xffffffff;

std::vector<std::pair<uint64_t, uint32_t>> read(const std::string& line) {
    std::vector<std::pair<uint64_t, uint32_t>> v;
    for (const auto& a : read_pasted_line(line, kMax, "address").addresses) v.emplace_back(a.value, a.col);
    return v;
}

int error_col(const std::string& line) {
    try {
        read_pasted_line(line, kMax, "address");
    } catch (const Error& e) {
        return e.col;
    }
    return 0;
}
}  // namespace

TEST_CASE("pasted: bare hex is hex, as the kernel prints addresses") {
    CHECK(parse_pasted_address("c0123456", kMax, "a") == 0xc0123456);
    CHECK(parse_pasted_address("10000000", kMax, "a") == 0x10000000);
    CHECK(parse_pasted_address("0xc0123456", kMax, "a") == 0xc0123456);
    CHECK(parse_pasted_address("3G", kMax, "a") == 0xc0000000);   // a size, as parse_number reads it
    CHECK_THROWS_AS(parse_pasted_address("100000000", kMax, "a"), Error);
}

TEST_CASE("pasted: the kernel's [<...>] forms give those addresses and nothing else of the line") {
    using V = std::vector<std::pair<uint64_t, uint32_t>>;
    CHECK(read("[<c0123456>] (foo+0x1c/0x40) from [<c0234567>] (bar+0x10/0x20)") == V{{0xc0123456, 3}, {0xc0234567, 37}});
    CHECK(read("pc : [<c0123456>]    lr : [<c0234567>]    psr: 60000013") == V{{0xc0123456, 8}, {0xc0234567, 29}});
    CHECK(read("EIP: 0060:[<c0123456>] EFLAGS: 00010246 CPU: 0") == V{{0xc0123456, 13}});
    CHECK(read(" [<c0123456>] ? foo+0x1c/0x40") == V{{0xc0123456, 4}});
    CHECK(read("PC is at foo+0x1c/0x40 [<c0123456>]") == V{{0xc0123456, 26}});
    CHECK(read("[   12.345678] [<c0123456>] (foo)") == V{{0xc0123456, 18}});
    CHECK(read("<4>[    1.000000] Function entered at [<c0123456>] from [<c0234567>]").size() == 2);
}

TEST_CASE("pasted: plain lines are addresses separated by blanks or commas; blank and # lines are blank") {
    using V = std::vector<std::pair<uint64_t, uint32_t>>;
    CHECK(read("  c0123456") == V{{0xc0123456, 3}});
    CHECK(read("c0123456 0xc0234567,bf000010") == V{{0xc0123456, 1}, {0xc0234567, 10}, {0xbf000010, 21}});
    for (const char* blank : {"", "   ", "\t\r", "# c0123456", "  #", "[   1.000000] "})
        CHECK(read_pasted_line(blank, kMax, "a").blank);
}

TEST_CASE("pasted: every error has the column of its token") {
    CHECK(error_col("PC is at foo+0x1c/0x40") == 10);       // a symbol, no address
    CHECK(error_col("EIP: foo+0x1c/0x40") == 6);
    CHECK(error_col("sp : c7a1bf08  ip : 00000000") == 1);  // a register dump is not an address list
    CHECK(error_col("c0100000 zz") == 10);
    CHECK(error_col("[<c0123456") == 1);
    CHECK(error_col("x [<>]") == 3);
    CHECK(error_col("[<c0123456>] [<zz>]") == 16);
    CHECK(error_col("   c01234567") == 12);   // the ninth digit passes 32 bits
}
