// The table views (vmlayout's regions, bootmem's zones, buddyctl info's free blocks per order,
// kmapsim show's pkmap entries and kmap_atomic slots) as one registry each: the columns (name =
// the JSON key, heading, help) and the rows, built once and rendered four ways as util-linux's
// lsblk/lsmem do: aligned columns (the default), raw (-r), KEY="value" pairs (-P) and JSON, with
// -o choosing and ordering the columns and -n dropping the heading.
#pragma once
#include <string>
#include <vector>

#include "kmemkit/render.hpp"

namespace kmemkit {

struct TableColumn {
    std::string name;       // the JSON key, and the name -o takes
    std::string heading;    // the default view's heading ("REGION"); empty: the name upper-cased
    std::string help;       // one line for --help and the man page
    bool right = false;     // right-aligned (numbers)
    bool shown = true;      // in the default column set
};

struct TableCell {
    std::string text;   // as the columns show it ("60 kB", "0xc0000000", "-")
    Value json;         // as JSON has it (a number, a string, null)
};

struct TableView {
    std::string name;                           // the JSON key of the rows ("regions")
    std::vector<TableColumn> columns;
    std::vector<std::vector<TableCell>> rows;   // one cell per column, in column order
    void add(std::vector<TableCell> row) { rows.push_back(std::move(row)); }
};

enum class TableMode { columns, raw, pairs, json };
struct TableStyle {
    TableMode mode = TableMode::columns;
    bool headings = true;
    std::string output;   // -o LIST: "name,size"; "+LIST" adds to the default set; "" the default set
};

// The columns -o LIST names, in its order; throws Error (col = the name's column in LIST) for an
// unknown name, listing the valid ones and the nearest.
std::vector<size_t> select_columns(const TableView& v, const std::string& list);
std::string render_table(const TableView& v, const TableStyle& style);
// "  NAME         help" lines, for --help ("Available output columns:") and tests
std::string columns_help(const std::vector<TableColumn>& cols);

}  // namespace kmemkit
