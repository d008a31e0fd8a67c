// Kernel versions as the kernel orders them.  The only place that knows how a
// version is ordered: the rule tables (kernel/rules.hpp) choose their rows with
// it, and nothing else in libcore compares versions (tests/check_no_version_compare.sh).
#pragma once
#include <cstdint>
#include <string>

namespace kmemkit {

enum class Arch { arm, x86 };
const char* arch_name(Arch a);

// A release key: MAJOR.MINOR.PATCH as the rule tables write their first
// versions.  The fields are wide enough for any real patch level (4.14.336,
// 4.9.337: include/linux/version.h clamps SUBLEVEL to 255 from 4.9.256, we
// do not).
using VersionKey = uint64_t;
constexpr VersionKey kv(unsigned major, unsigned minor, unsigned patch = 0) {
    return VersionKey(major) << 48 | VersionKey(minor) << 36 | VersionKey(patch) << 20;
}

struct KernelVersion {
    unsigned major = 0, minor = 0, patch = 0, sub = 0;   // 2.6.28.6 -> 2, 6, 28, 6
    unsigned rc = 0;                                      // 4.15-rc8 -> 8; 0 for a release
    std::string text;                                     // as written ("3.18.7-v7+")
    std::string suffix;                                   // what follows the numbers ("-v7+", "-rc8")
    // The order of releases: 4.15-rc1 < 4.15-rc8 < 4.15 < 4.15.1 < 4.15.1.1.  An -rc kernel
    // has its release's merge window in it, so it takes the rows of that release
    // (key() >= kv(4, 15)), as LINUX_VERSION_CODE does (KERNEL_VERSION(4, 15, 0) for 4.15-rc8).
    VersionKey key() const {
        return kv(major, minor, patch) | VersionKey(sub) << 8 | VersionKey(rc ? rc : 255);
    }
    bool operator<(const KernelVersion& o) const { return key() < o.key(); }
    bool operator==(const KernelVersion& o) const { return key() == o.key(); }
    bool at_least(VersionKey since) const { return key() >= since; }
};

// "2.6.28.6", "3.18.7-v7+", "6.1.0-50-armmp", "4.15.0-rc8", "5.1-rc2", "6.1".  The numbers are
// MAJOR.MINOR[.PATCH[.SUB]]; a suffix starts with '-', '+', '~' or '_' and holds no blanks.
// Throws Error (with the 1-based column of the fault) for anything else: "", "3.10.x", "3.10.-1".
KernelVersion parse_kernel_version(const std::string& text);

// The accepted form, for messages that refuse a version.
extern const char* const kKernelVersionForm;

// The versions kmemkit's rule tables were read for (2.6.18 .. 6.x); older 2.6 kernels are
// accepted with a note (why) and take the first rows.
bool version_is_modelled(const KernelVersion& v, std::string* why = nullptr);

}  // namespace kmemkit
