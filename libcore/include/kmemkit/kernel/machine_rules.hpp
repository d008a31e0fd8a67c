// Machines whose VMALLOC_END (mach/vmalloc.h, per machine before ARM 3.4) a
// built-in profile states, and the releases for which it holds.  The rows are
// in src/kernel/machine_rules.cpp.
#pragma once
#include <optional>
#include <string>

#include "kmemkit/kernel/version.hpp"

namespace kmemkit {

// The built-in profile whose machine is the log's "Machine:" line, and the
// kernel versions for which its vmalloc_end holds.
struct MachineMatch {
    std::string profile;
    VersionKey since = 0, until = 0; // kv() keys: the profile's vmalloc_end holds for [since, until)
    bool holds_for(const KernelVersion& v) const { return v.at_least(since) && !v.at_least(until); }
    std::string versions;            // "2.6.29-3.3"
    std::string source;              // the machine headers it was read from
};
std::optional<MachineMatch> machine_profile_for(const std::string& machine);

}  // namespace kmemkit
