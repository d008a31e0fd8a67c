#include "kmemkit/number.hpp"

#include <fmt/format.h>

#include "kmemkit/error.hpp"

namespace kmemkit {

std::string Error::where() const {
    std::string w;
    if (!file.empty()) w += file + ":";
    if (line > 0) w += std::to_string(line) + ":";
    if (col > 0 && (line > 0 || !file.empty())) w += std::to_string(col) + ":";
    if (!w.empty()) w += " ";
    return w;
}

void rethrow_at(const Error& e, const std::string& file, int line, int col_offset) {
    throw Error(e.what(), file, line, e.col > 0 ? e.col + col_offset : col_offset + 1);
}

namespace {
enum class NumErr { ok, empty, negative, bad_char, overflow, no_digits, too_long };

// Core parser; on error sets `col` (0-based) of the offending character.
NumErr parse_core(std::string_view s, uint64_t max, uint64_t& out, size_t& col) noexcept {
    col = 0;
    if (s.empty()) return NumErr::empty;
    if (s.size() > 64) return NumErr::too_long;
    if (s[0] == '-') return NumErr::negative;
    size_t i = 0;
    unsigned base = 10;
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    uint64_t v = 0;
    size_t digits = 0;
    for (; i < s.size(); ++i) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = unsigned(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f') d = unsigned(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F') d = unsigned(c - 'A' + 10);
        else break;
        // overflow without a division per digit (this is the stream filters' hot path)
        if (__builtin_mul_overflow(v, uint64_t(base), &v) || __builtin_add_overflow(v, uint64_t(d), &v)) {
            col = i;
            return NumErr::overflow;
        }
        ++digits;
    }
    if (digits == 0) { col = i; return NumErr::no_digits; }
    if (i < s.size()) {
        unsigned shift = 0;
        switch (s[i]) {
            // lib/cmdline.c memparse(): E P T G M K, each a factor of 1024.
            case 'E': case 'e': shift = 60; break;
            case 'P': case 'p': shift = 50; break;
            case 'T': case 't': shift = 40; break;
            case 'G': case 'g': shift = 30; break;
            case 'M': case 'm': shift = 20; break;
            case 'K': case 'k': shift = 10; break;
            default: col = i; return NumErr::bad_char;
        }
        // "512MB" / "512MiB": memparse() stops at the letter; the kernel ignores the rest,
        // and real command lines carry it (vmalloc=512MB in an Ubuntu 3.8 boot log).
        size_t j = i + 1;
        if (j < s.size() && s[j] == 'i') ++j;
        if (j < s.size() && (s[j] == 'B' || s[j] == 'b')) ++j;
        else if (j != i + 1) {   // "256MiX": the X; "12Ki": the dangling 'i' (never past the end)
            col = j < s.size() ? j : j - 1;
            return NumErr::bad_char;
        }
        if (j != s.size()) { col = j; return NumErr::bad_char; }
        if (v != 0 && (v > (UINT64_MAX >> shift))) { col = 0; return NumErr::overflow; }
        v <<= shift;
    }
    if (v > max) { col = 0; return NumErr::overflow; }
    out = v;
    return NumErr::ok;
}
}  // namespace

namespace {
struct HexTable {
    signed char v[256];
    constexpr HexTable() : v() {
        for (int i = 0; i < 256; ++i) v[i] = -1;
        for (int i = 0; i < 10; ++i) v['0' + i] = char(i);
        for (int i = 0; i < 6; ++i) v['a' + i] = v['A' + i] = char(10 + i);
    }
};
constexpr HexTable kHex;
}  // namespace

bool try_parse_number(std::string_view text, uint64_t& out, uint64_t max) noexcept {
    // fast path for the common stream case "0x" + 1..16 hex digits, no suffix
    if (text.size() > 2 && text.size() <= 18 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        uint64_t v = 0;
        size_t i = 2;
        for (; i < text.size(); ++i) {
            signed char d = kHex.v[static_cast<unsigned char>(text[i])];
            if (d < 0) break;
            v = (v << 4) | uint64_t(d);
        }
        if (i == text.size()) {
            if (v > max) return false;
            out = v;
            return true;
        }
    }
    // and for short decimals (orders, counts): up to 9 digits cannot overflow
    if (!text.empty() && text.size() <= 9) {
        uint64_t v = 0;
        size_t i = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) v = v * 10 + uint64_t(text[i] - '0');
        if (i == text.size()) {
            if (v > max) return false;
            out = v;
            return true;
        }
    }
    size_t col;
    return parse_core(text, max, out, col) == NumErr::ok;
}

uint64_t parse_number(std::string_view text, uint64_t max, std::string_view what) {
    uint64_t v = 0;
    size_t col = 0;
    std::string shown = text.size() > 40 ? std::string(text.substr(0, 40)) + "..." : std::string(text);
    switch (parse_core(text, max, v, col)) {
        case NumErr::ok: return v;
        case NumErr::empty:
            throw Error(fmt::format("empty {}", what), {}, 0, 1);
        case NumErr::too_long:
            throw Error(fmt::format("{} '{}' is too long ({} characters)", what, shown, text.size()), {}, 0, 1);
        case NumErr::negative:
            throw Error(fmt::format("{} '{}' is negative", what, shown), {}, 0, 1);
        case NumErr::no_digits:
            throw Error(fmt::format("{} '{}' has no digits (expected decimal, or hex with 0x)", what, shown), {}, 0,
                        int(col) + 1);
        case NumErr::bad_char:
            throw Error(fmt::format("{} '{}': unexpected '{}' (suffixes are K, M, G, T, P, E as in the kernel's memparse)",
                                    what, shown, text[col]),
                        {}, 0, int(col) + 1);
        case NumErr::overflow:
            if (max == UINT64_MAX)
                throw Error(fmt::format("{} '{}' does not fit in 64 bits", what, shown), {}, 0, int(col) + 1);
            throw Error(fmt::format("{} '{}' is out of range (the largest is {:#x})", what, shown, max), {}, 0,
                        int(col) + 1);
    }
    return v;
}

std::string hex32(uint64_t v) {
    if (v <= 0xffffffffULL) return fmt::format("0x{:08x}", v);
    return fmt::format("0x{:09x}", v);
}

std::string human_size(uint64_t b) {
    if (b == 0) return "0";
    if (b % (1ULL << 30) == 0) return fmt::format("{} GB", b >> 30);
    if (b % (1ULL << 20) == 0) return fmt::format("{} MB", b >> 20);
    if (b % (1ULL << 10) == 0) return fmt::format("{} kB", b >> 10);
    return fmt::format("{} B", b);
}

}  // namespace kmemkit
