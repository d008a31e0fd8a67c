// Renderings of NodeMemory (bootmem): the tools choose one and print it.
#pragma once
#include <string>

#include "kmemkit/render.hpp"
#include "kmemkit/table_view.hpp"
#include "kmemkit/zones.hpp"

namespace kmemkit {

// The result model for --json (numbers, plus *_hex strings) and --kv (`field: value`).
Value zones_value(const NodeMemory& n, const Profile& p, bool hex);
// Default human text: node totals, then one row per zone.
std::string zones_table(const NodeMemory& n, const Profile& p);
// The zones as a table view (bootmem -o/-n/-r/-P).
TableView zones_view(const NodeMemory& n);
const std::vector<TableColumn>& zones_columns();

}  // namespace kmemkit
