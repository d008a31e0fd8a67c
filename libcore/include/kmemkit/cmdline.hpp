// The kernel command line, as far as memory layout is concerned.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kmemkit {

struct MemParam {            // one mem=SIZE[@START]
    uint64_t size = 0;
    std::optional<uint64_t> start;
};

struct Cmdline {
    std::string text;                        // as given
    std::vector<MemParam> mem;               // every mem=, in order
    std::optional<uint64_t> vmalloc;         // last vmalloc= (the kernel keeps the last)
    std::optional<uint64_t> highmem;         // x86 highmem=SIZE
    std::vector<std::string> other;          // parameters we do not model, passed through
};

// Splits like the kernel's next_arg() (lib/cmdline.c): blanks separate
// parameters, double quotes may enclose a value.  Values of the parameters we
// model are parsed with parse_number(); a malformed one throws Error whose
// column points into `text` (file/line are left for the caller).
Cmdline parse_cmdline(const std::string& text);

// `text` without its KEY=... parameters (split as parse_cmdline splits; the
// other parameters keep their spelling, joined by single blanks).  Each
// dropped parameter is appended to `dropped` as written ("mem=256M").
std::string cmdline_without(const std::string& text, const std::string& key, std::vector<std::string>* dropped);

}  // namespace kmemkit
