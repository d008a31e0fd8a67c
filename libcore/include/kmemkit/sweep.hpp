// Sweeping one boot parameter (mem= or vmalloc=) over a range: where the
// lowmem/highmem split moves as RAM or the vmalloc reserve grows.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/render.hpp"

namespace kmemkit {

struct SweepSpec {
    std::string param;          // "mem" or "vmalloc"
    uint64_t from = 0, to = 0, step = 0;
};
// "mem=128M..2G:128M", "vmalloc=16M..512M:16M".  Throws Error.
SweepSpec parse_sweep_spec(const std::string& text);
constexpr size_t kMaxSweepRows = 4096;

struct SweepRow {
    uint64_t value = 0;               // the parameter's value
    std::string error;                // non-empty: no kernel boots with it (the rest is 0)
    uint64_t ram = 0;                 // RAM after mem=
    uint64_t lowmem = 0, highmem = 0, dropped = 0;
    uint64_t vmalloc_size = 0;        // VMALLOC_END - VMALLOC_START
    uint32_t high_memory = 0, vmalloc_start = 0, vmalloc_end = 0;
    std::vector<std::string> warnings;   // the kernel's messages, abbreviated
};

// The board a sweep starts from: for `mem`, a mem= of the command line would
// override every swept value, so it is dropped (set_ram_size/drop_cmdline_mem,
// as --mem does) and the returned board's notes say so (only that).
Board sweep_board(const Board& base, const SweepSpec& spec);
// One compute_layout() per value on sweep_board(base): `mem` replaces the RAM
// by one bank of that size at the first bank's start (as --mem does);
// `vmalloc` appends vmalloc=VALUE to the board's command line.  Pure.
std::vector<SweepRow> sweep_layout(const Board& base, const SweepSpec& spec);

std::string sweep_table(const std::vector<SweepRow>& rows, const SweepSpec& spec, const Board& base);
Value sweep_value(const std::vector<SweepRow>& rows, const SweepSpec& spec, const Board& base);

}  // namespace kmemkit
