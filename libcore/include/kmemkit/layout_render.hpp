// Text renderings of a Layout (the tools only choose one and print it).
#pragma once
#include <string>
#include <vector>

#include "kmemkit/layout.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/table_view.hpp"

namespace kmemkit {

// The result model shared by --json and --kv.  With `hex`, addresses are hex
// strings (for `field: value` lines a person reads); otherwise numbers plus
// *_hex strings (JSON: numbers stay numbers).  Every key is always present
// with one type, null where the layout has no such value; "explain" is the
// --explain array of {name, formula, value, source} with `explain`, else null.
Value layout_value(const Layout& l, const Profile& p, bool hex, bool explain = false);
// The default human view: region table, derived values, kernel messages, notes.
std::string layout_table(const Layout& l, const Profile& p);
// The regions as a table view (vmlayout -o/-n/-r/-P): the top of the address space first.
TableView regions_view(const Layout& l);
const std::vector<TableColumn>& regions_columns();
// --format=kernel: the mem_init block (and the kernel's own warnings, first).
// Returns "" when this kernel prints no block; `why` then says so.
std::string layout_kernel_text(const Layout& l, const Profile& p, std::string* why);
// --explain
std::string layout_explain(const Layout& l, const Profile& p);
// --diagram: the 4 GB space as a vertical bar of `rows` body lines (high
// addresses on top), one box per region, holes included, each boundary line
// labelled with the address where the region above starts and the one below
// ends.  log_scale: heights by log2(size), as --svg --log-scale.
std::string layout_diagram(const Layout& l, int rows = 48, bool log_scale = false);

// The picture --diagram and --svg both draw: every region, high addresses
// first, with its height out of `total` units.  Heights are proportional to
// the region size (log_scale: to log2(size / 4 kB) + 1); a region whose share
// would be under `min_height` is drawn `min_height` tall (`enlarged`) and the
// others share the rest, still in proportion to each other.
struct MapBox {
    const Region* region = nullptr;
    double weight = 0;     // size in bytes, or log2(size / 4 kB) + 1
    double height = 0;
    bool enlarged = false;
};
std::vector<MapBox> address_map(const Layout& l, double total, double min_height, bool log_scale);
// The physical column of the pictures: the board's RAM as the kernel uses it, high
// addresses first, from 0 to the end of RAM (4 GB at least).  RAM pieces are in
// proportion to their size within `total` units, at least `min_height` (`enlarged`);
// holes (no RAM) are `hole_height` tall whatever their size (not to scale).
struct PhysBox {
    enum class Kind { lowmem, highmem, dropped, excluded, hole };
    Kind kind = Kind::hole;
    uint64_t start = 0, end = 0;   // physical [start, end)
    double height = 0;
    bool enlarged = false;
};
std::vector<PhysBox> physical_map(const Layout& l, double total, double min_height, double hole_height);
// "lowmem", "highmem", "dropped", "excluded", "hole" (the SVG's classes)
const char* phys_kind_name(PhysBox::Kind k);
// What the picture says of a physical box: its name ("HighMem", "dropped", "no RAM") and
// what it is ("linear map of 0xc0000000 .. 0xd8000000", "the kernel cannot use it").
std::string phys_label(PhysBox::Kind k);
std::string phys_detail(const Layout& l, const PhysBox& b);
// The title lines both pictures give under their heading: the RAM and how the kernel
// splits it (lowmem, HighMem, dropped, left out by mem=), the kernel command line,
// and each message the kernel prints about it ("Truncating RAM ...").
std::vector<std::string> picture_facts(const Layout& l);

// The kernel symbols that bound a region ("VMALLOC_START .. VMALLOC_END").
std::string region_symbols(const Layout& l, const Region& r);
// A boundary as the pictures label it: the 4 GB top is its last byte, 0xffffffff.
std::string boundary_label(uint64_t a);

}  // namespace kmemkit
