// The one parser of addresses and sizes used by every option, profile field,
// kernel command-line value and stream field.
//
// Accepted:  decimal "4096", hex "0x1000" (or "0X"), optionally followed by
// one of the kernel memparse() suffixes K M G T P E (either case, x1024 each;
// lib/cmdline.c).  Differences from the kernel's memparse(), on purpose:
//   * a leading 0 is decimal, never octal: "010" is 10.  memparse() uses
//     simple_strtoull(base 0), where "010" would be 8; a user typing an address
//     or size never means octal.
//   * after the suffix only "B" or "iB" may follow ("512MB", "512MiB", as real
//     command lines write it); other trailing garbage ("1Q", "256MX") is an error,
//     where memparse() would stop silently.
//   * overflow past `max` is an error; memparse() wraps.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace kmemkit {

// Throws kmemkit::Error with a 1-based column (relative to `text`) on failure.
// `what` names the value in messages ("size", "address", "vmalloc= size").
uint64_t parse_number(std::string_view text, uint64_t max = UINT64_MAX,
                      std::string_view what = "number");

inline uint64_t parse_size(std::string_view text, uint64_t max = UINT64_MAX) {
    return parse_number(text, max, "size");
}
inline uint64_t parse_address(std::string_view text, uint64_t max = UINT64_MAX) {
    return parse_number(text, max, "address");
}

// Non-throwing variant for hot paths (stream filters): returns false on any error.
bool try_parse_number(std::string_view text, uint64_t& out, uint64_t max = UINT64_MAX) noexcept;

// "0x%08x" for values that fit 32 bits, else "0x%x" with at least 9 digits.
std::string hex32(uint64_t v);
// Human size the way a person reads it: "16 MB", "896 kB", "1.5 GB" is never used:
// exact units only ("1536 MB"), falling back to kB then bytes.
std::string human_size(uint64_t bytes);

}  // namespace kmemkit
