// Checking a real board: read the boot log (dmesg) a kernel printed, rebuild
// the board profile from what the log shows, compute the layout with the
// same rules as vmlayout, and compare it line by line with the log.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmemkit/dmesg_reader.hpp"
#include "kmemkit/kernel/machine_rules.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/render.hpp"

namespace kmemkit {

// Largest log accepted (a boot log is tens of kB; a whole /var/log/dmesg a few MB).
constexpr size_t kMaxDmesgBytes = size_t(64) << 20;

// A line of the "Virtual kernel memory layout:" block.
struct BlockEntry {
    size_t lineno = 0;
    std::string name;        // "vmalloc", ".text", "timers"
    std::string text;        // the line as the kernel printed it (dmesg indentation removed)
};

struct DmesgFacts {
    size_t lines = 0;                        // lines read
    ReadReport read;                         // what the reader removed or rejoined (dmesg_reader.hpp)
    unsigned boots = 0;                      // "Linux version" lines (the last boot is used)
    std::optional<std::string> version;      // "3.4.39" ("Linux version X")
    size_t version_line = 0;
    bool version_banner = false;             // from the "Linux version" line (else from an image name, uname ...)
    std::string version_why;                 // where the version came from
    std::optional<Arch> arch;
    std::string arch_why;                    // which line told the architecture
    std::string machine;                     // "Machine:", "Machine model:", "DMI:"
    std::optional<unsigned> nr_cpus;         // x86 "setup_percpu: NR_CPUS:N" (CONFIG_NR_CPUS)
    bool paravirt_line = false;              // x86 "Booting paravirtualized kernel on ..." (CONFIG_PARAVIRT)
    std::optional<std::string> cmdline;      // "Kernel command line:"
    size_t cmdline_line = 0;
    bool cmdline_cut = false;                // the capture cut long lines (80 columns)
    size_t cut_width = 0;
    // RAM as the log shows it
    std::vector<uint64_t> bank_sizes;        // ARM "Memory: 182MB 1MB = 183MB total"
    std::vector<MemBank> node_ranges;        // "node   0: [mem a-b]" / early_node_map pfn ranges
    std::vector<MemBank> e820_usable;        // BIOS-e820 usable ranges
    std::vector<MemBank> truncated_banks;    // ARM "Truncating/Ignoring RAM at A-B": the bank before the cut
    struct Cut { size_t lineno = 0; uint64_t at = 0; };
    std::vector<Cut> truncations;            // ARM "Truncating RAM at A-B to -C": where lowmem was cut (exclusive)
    std::optional<uint64_t> memory_total_kb; // "Memory: xK/YK available" (Y)
    size_t memory_total_line = 0;
    std::string memory_total_text;           // "Memory: 123868K/131072K available"
    std::optional<uint64_t> highmem_kb;      // "..., NK highmem"
    std::optional<uint64_t> last_pfn, max_arch_pfn;
    std::optional<uint64_t> phys_offset;     // where the log shows it
    std::string phys_offset_why;
    bool zone_highmem = false, zone_dma = false; // zones named in the log
    // the layout block
    bool has_block = false;
    size_t block_line = 0;
    std::string block_header;                // "Virtual kernel memory layout:" (ARM) / "virtual ..." (x86)
    std::vector<BlockEntry> block;
    // the kernel messages kmemkit models (Truncating RAM, NNNMB LOWMEM available, ...)
    std::vector<LogLine> messages;
    // "Zone ranges:" / "Zone PFN ranges:" block
    std::string zone_header;
    std::vector<LogLine> zone_lines;
    // every line of the zone report kernel_zone_lines() renders (ranges, node
    // ranges, "On node 0 totalpages", "X zone: ..." lines, "Built 1 zonelists",
    // ARM "Memory: ...MB total"), in log order
    std::vector<LogLine> zone_log;
};

// Parses the text of a boot log in any of the published forms
// read_published_log() reads (dmesg_reader.hpp).  Throws Error when the text
// is too large.
DmesgFacts parse_dmesg(std::string_view text);

// Reads FILE ("-": stdin), at most kMaxDmesgBytes.  Throws Error.
std::string read_dmesg_file(const std::string& path);

// Where VMALLOC_END of an ARM kernel before 3.4 (a per-machine value,
// mach/vmalloc.h) comes from when the profile is rebuilt from a log.
struct VmallocEndOrigin {
    uint32_t vmalloc_end = 0;
    enum Kind { layout_block, too_big_warning, truncation, machine_profile } kind = layout_block;
    std::string why;                 // the formula and the line it rests on
    size_t lineno = 0;               // the log line (0: none)
    std::string profile;             // machine_profile: the built-in profile used
    uint64_t profile_phys_offset = 0;
};
// The VMALLOC_END the log implies for Linux `kv`: the layout block's vmalloc
// line, else the "vmalloc area is too big" clamp (2.6.29+), else the
// "Truncating RAM ... to -C" cut with the era's vmalloc reserve (vmalloc= of
// the command line or the 128 MB default), else the built-in profile whose
// machine matches the "Machine:" line for that kernel version.  nullopt when
// none applies.  Not for kernels whose VMALLOC_END is generic (3.4+).
std::optional<VmallocEndOrigin> vmalloc_end_from_log(const DmesgFacts& f, const KernelVersion& kv);


// The profile the log implies, as YAML in the format of kmemkit-profile(5)
// (comments say which line each value came from).  `kernel` replaces or
// supplies the version; `kernel_why` says where it came from in the profile's
// comment ("--kernel" when empty).  Throws Error when the log has no recognisable kernel.
std::string profile_yaml_from_dmesg(const DmesgFacts& f, const std::optional<std::string>& kernel = {},
                                    const std::string& kernel_why = "");
// parse_profile(profile_yaml_from_dmesg(f, kernel), "<dmesg>")
Profile profile_from_dmesg(const DmesgFacts& f, const std::optional<std::string>& kernel = {});

enum class CheckStatus { ok, differ, missing, extra, not_printed };
const char* check_status_name(CheckStatus s);

struct CheckItem {
    std::string what;        // "layout", "message", "zones"
    CheckStatus status = CheckStatus::ok;
    size_t lineno = 0;       // in the log (0: not in the log)
    std::string log;         // the log's line
    std::string model;       // kmemkit's line
    std::string reason;      // why they differ
};

struct Comparison {
    std::vector<CheckItem> items;
    std::vector<std::string> notes;     // what was inferred, and from where
    unsigned ok = 0, differ = 0, not_printed = 0;
    bool agree() const { return differ == 0; }
};

// Compares the layout of `board` with the log.  `from_log`: the profile was
// rebuilt from the log (the reasons then speak of what the log did not show).
Comparison compare_with_log(const DmesgFacts& f, const Board& board, const Layout& l, bool from_log);

// A log that names no kernel version (no "Linux version" line, image name or
// uname string) and no --kernel: the model is run for every release candidate
// of the log's arch (release_candidates(), kernel/rules.hpp), the profile
// rebuilt from the log for each; the candidates with the fewest differences
// (none, when some agree) that follow one another form the assumed range, the
// run with the most ok lines when there are several.
struct AssumedRange {
    std::string kernel;          // the range's first release: the version the comparison is shown for
    std::string range;           // "3.4-3.15", "5.14 or later"
    unsigned candidates = 0;     // candidates for the arch
    unsigned built = 0;          // those for which a profile could be rebuilt and computed
    unsigned agree = 0;          // those whose comparison agrees
    unsigned in_range = 0;       // candidates in the range
    unsigned differ = 0;         // differences of each release of the range (0: the whole range agrees)
    bool whole_range_agrees() const { return differ == 0; }
    std::string note;            // the note: line that says all this
};
// Throws Error (what the log has, why each candidate gave no profile, ending
// with --kernel / -p board.yaml) when no candidate gives a profile.
AssumedRange assume_kernel_range(const DmesgFacts& f, const BoardOverrides& ov = {});

// Renderings of a Comparison.
std::string comparison_text(const Comparison& c, const DmesgFacts& f, const Board& b);
Value comparison_value(const Comparison& c, const DmesgFacts& f, const Board& b);

}  // namespace kmemkit
