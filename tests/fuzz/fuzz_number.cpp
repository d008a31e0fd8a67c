// libFuzzer target: the one number/size parser (libcore/src/number.cpp).
// Invariants: never crashes; parse_number and try_parse_number agree; an
// error's column lies inside the text (or just after it); a value survives
// hex32() -> parse_number(); a bound is respected.  The same text as a pasted line
// (kmemkit/pasted.hpp): every address within the bound, its column inside the line, in order;
// an error's column inside the line; a hex32() address reads back.
#include <cstring>

#include "fuzz_util.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/pasted.hpp"

using namespace kmemkit;

static void check(std::string_view s, uint64_t max) {
    uint64_t a = 0;
    bool ok = try_parse_number(s, a, max);
    try {
        uint64_t b = parse_number(s, max, "size");
        FUZZ_CHECK(ok);
        FUZZ_CHECK(a == b);
        FUZZ_CHECK(b <= max);
    } catch (const Error& e) {
        FUZZ_CHECK(!ok);
        FUZZ_CHECK(e.col >= 1 && size_t(e.col) <= s.size() + 1);
        FUZZ_CHECK(std::strlen(e.what()) > 0);
        return;
    }
    // round trip through the hex the tools print
    std::string h = hex32(a);
    FUZZ_CHECK(parse_number(h) == a);
    FUZZ_CHECK(!human_size(a).empty());
    // no sign is ever accepted
    FUZZ_CHECK(s.empty() || s[0] != '-');
}

static void check_pasted(std::string_view s, uint64_t max) {
    try {
        PastedLine pl = read_pasted_line(s, max, "address");
        uint32_t last = 0;
        for (const auto& a : pl.addresses) {
            FUZZ_CHECK(a.value <= max);
            FUZZ_CHECK(a.col > last && a.col <= s.size());
            last = a.col;
        }
        FUZZ_CHECK(!(pl.blank && !pl.addresses.empty()));
    } catch (const Error& e) {
        FUZZ_CHECK(e.col >= 1 && size_t(e.col) <= s.size() + 1);
    }
    uint64_t v = 0;
    if (try_parse_number(s, v, max)) FUZZ_CHECK(parse_pasted_address(hex32(v), max, "address") == v);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view s(reinterpret_cast<const char*>(data), size);
    check(s, UINT64_MAX);
    check(s, 0xffffffffULL);
    check(s, 0);
    check_pasted(s, 0xffffffffULL);
    check_pasted(s, (uint64_t(1) << 40) - 1);
    return 0;
}
