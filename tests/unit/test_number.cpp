#include <catch2/catch.hpp>

#include "kmemkit/cmdline.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"

using namespace kmemkit;

TEST_CASE("parse_number: decimal, hex and memparse suffixes") {
    CHECK(parse_number("4096") == 4096);
    CHECK(parse_number("0x1000") == 0x1000);
    CHECK(parse_number("0XC487A000") == 0xc487a000);
    CHECK(parse_number("256M") == 256ull << 20);
    CHECK(parse_number("256m") == 256ull << 20);
    CHECK(parse_number("1G") == 1ull << 30);
    CHECK(parse_number("64k") == 65536);
    CHECK(parse_number("0x10M") == 16ull << 20);
    CHECK(parse_number("2T") == 2ull << 40);
    CHECK(parse_number("512MB") == 512ull << 20);    // vmalloc=512MB in a real Ubuntu boot log
    CHECK(parse_number("512MiB") == 512ull << 20);
}

TEST_CASE("parse_number: a leading zero is decimal, not octal") {
    CHECK(parse_number("010") == 10);
    CHECK(parse_number("0") == 0);
    CHECK(parse_number("00000008") == 8);
}

TEST_CASE("parse_number: errors carry a column") {
    auto col_of = [](const char* s, uint64_t max = UINT64_MAX) {
        try {
            parse_number(s, max);
        } catch (const Error& e) {
            return e.col;
        }
        return -1;
    };
    CHECK(col_of("1Q") == 2);
    CHECK(col_of("256MX") == 5);
    CHECK(col_of("256MiX") == 6);
    CHECK(col_of("256B") == 4);
    CHECK(col_of("") == 1);
    CHECK(col_of("-1") == 1);
    CHECK(col_of("0x") == 3);
    CHECK(col_of("99999999999999999999") > 0);
    CHECK(col_of("0x100000000", 0xffffffff) == 1);
    CHECK(col_of("16E") == 1);   // 16 << 60 overflows 64 bits
    CHECK_THROWS_AS(parse_number("0x1_0000_0000"), Error);
    CHECK_THROWS_AS(parse_number(" 12"), Error);
    CHECK_THROWS_AS(parse_number(std::string(100, '1')), Error);
}

TEST_CASE("try_parse_number agrees with parse_number") {
    for (const char* s : {"0", "1", "0x10", "1K", "4G", "x", "", "1Q", "0x", "18446744073709551615", "18446744073709551616"}) {
        uint64_t a = 0;
        bool ok = try_parse_number(s, a);
        if (ok) CHECK(parse_number(s) == a);
        else CHECK_THROWS_AS(parse_number(s), Error);
    }
}

TEST_CASE("parse_cmdline: mem=, vmalloc=, quotes, unknown parameters") {
    Cmdline c = parse_cmdline("console=ttySAC0,115200 mem=128M@0x50000000 vmalloc=256M root=/dev/mtdblock2 init=\"/sbin/init x\"");
    REQUIRE(c.mem.size() == 1);
    CHECK(c.mem[0].size == 128ull << 20);
    CHECK(c.mem[0].start == 0x50000000ull);
    CHECK(c.vmalloc == 256ull << 20);
    CHECK(c.other.size() == 3);
    Cmdline two = parse_cmdline("vmalloc=8M vmalloc=300M mem=64M mem=64M@0x58000000");
    CHECK(two.vmalloc == 300ull << 20);   // the last one wins, as early_param parsing does
    CHECK(two.mem.size() == 2);
}

TEST_CASE("parse_cmdline: malformed values point at the column") {
    try {
        parse_cmdline("console=ttyS0 vmalloc=12Q");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.col == 25);
    }
    CHECK_THROWS_AS(parse_cmdline("mem="), Error);
    CHECK_THROWS_AS(parse_cmdline("mem"), Error);
    CHECK_THROWS_AS(parse_cmdline("init=\"/bin/sh"), Error);
    CHECK_THROWS_AS(parse_cmdline("mem=0"), Error);
}
