// Addresses as people paste them into va2pa: as the kernel prints them in oopses and
// backtraces ([<c0123456>], bare hex), 0x hex, several on a line, and blank and # lines
// that carry none.  The forms, and the kernel source that prints each, are in pasted.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace kmemkit {

struct PastedAddress {
    uint64_t value = 0;
    uint32_t col = 0;   // 1-based column of its first character in the line
};

struct PastedLine {
    bool blank = false;   // nothing to translate: empty, blanks only, or a '#' comment
    std::vector<PastedAddress> addresses;   // in the order of the line (none when blank)
};

// One line.  A line holding the kernel's "[<...>]" form gives those addresses (the rest of
// the line is its context: symbols, register names, flags); any other line is addresses
// separated by blanks or commas.  A dmesg prefix ("<4>", "[   12.345678]") is skipped.
// Throws Error with the 1-based column of the bad token: not an address, out of range
// (above `max`), or a symbol where the kernel printed no address ("PC is at foo+0x1c/0x40").
// `what` names the value in messages ("32-bit virtual address", "physical address").
PastedLine read_pasted_line(std::string_view line, uint64_t max, std::string_view what);

// One token: hex with or without 0x (as the kernel prints addresses: c0123456 is
// 0xc0123456, and so is 10000000 0x10000000), or a number with a memparse suffix (3G) as
// parse_number() reads it.  Throws Error with the column relative to the token.
uint64_t parse_pasted_address(std::string_view tok, uint64_t max, std::string_view what);

}  // namespace kmemkit
