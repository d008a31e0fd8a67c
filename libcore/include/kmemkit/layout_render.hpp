// Text renderings of a Layout (the tools only choose one and print it).
#pragma once
#include <string>

#include "kmemkit/layout.hpp"
#include "kmemkit/render.hpp"

namespace kmemkit {

// The result model shared by --json and --kv.  With `hex`, addresses are hex
// strings (for `field: value` lines a person reads); otherwise numbers plus
// *_hex strings (JSON: numbers stay numbers).
Value layout_value(const Layout& l, const Profile& p, bool hex);
// The default human view: region table, derived values, kernel messages, notes.
std::string layout_table(const Layout& l, const Profile& p);
// --format=kernel: the mem_init block (and the kernel's own warnings, first).
// Returns "" when this kernel prints no block; `why` then says so.
std::string layout_kernel_text(const Layout& l, const Profile& p, std::string* why);
// --explain
std::string layout_explain(const Layout& l, const Profile& p);
// --diagram: the 4 GB space as a vertical bar `rows` lines tall (high addresses on top)
std::string layout_diagram(const Layout& l, int rows = 48, bool unicode = false);

}  // namespace kmemkit
