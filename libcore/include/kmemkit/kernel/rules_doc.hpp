// The kernel rule tables as one audit table (doc/kernel-rules.md): for every
// field of every table, each range of releases with one value and the source
// of the row that set it.  Generated, so the document cannot drift.
#pragma once
#include <string>

namespace kmemkit {
std::string kernel_rules_markdown();
}
