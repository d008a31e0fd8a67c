// Board profiles: what a machine and its kernel configuration fix, and
// nothing that the kernel derives (documented in man/kmemkit-profile.5).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kmemkit/cmdline.hpp"
#include "kmemkit/kernel/rules.hpp"
#include "kmemkit/kernel/x86_fixmap.hpp"

namespace kmemkit {

struct MemBank {
    uint64_t start = 0;
    uint64_t size = 0;
    uint64_t end() const { return start + size; }
};

struct Range {                      // [start, end)
    uint64_t start = 0, end = 0;
};

// One section line of mem_init's block (.text/.init/.data/.bss).  Either the
// addresses (start/end) or, for kernels that print (ptrval), only the size.
struct ImageSection {
    std::optional<Range> range;
    std::optional<uint64_t> size_kb;
};

struct KernelConfig {
    uint32_t page_offset = 0xc0000000;   // CONFIG_PAGE_OFFSET (VMSPLIT_3G)
    std::string vmsplit = "3G";
    bool highmem = false;                // CONFIG_HIGHMEM
    bool pae = false;                    // x86 CONFIG_X86_PAE / ARM CONFIG_ARM_LPAE
    unsigned nr_cpus = 1;
    bool thumb2 = false;                 // ARM CONFIG_THUMB2_KERNEL (modules at PAGE_OFFSET-8M)
    bool zone_dma = false;               // ARM machine selects ZONE_DMA (2.6.28+)
    std::optional<uint64_t> dma_zone_size; // ARM dma_zone_size / arm_dma_pfn_limit (bytes)
    bool modules = true;                 // CONFIG_MODULES
    unsigned max_order = 11;             // MAX_ORDER (CONFIG_FORCE_MAX_ZONEORDER)
    unsigned struct_page_size = 32;      // sizeof(struct page)
    bool vipt_aliasing = false;          // ARM: highmem refused on VIPT aliasing caches
    bool nr_cpus_given = false;          // nr_cpus stated (x86: else the fixmap takes the distributions' 8)
    X86FixmapConfig x86;                 // config.x86: the options enum fixed_addresses depends on
};

struct Reservation {                     // memory the kernel reserves at boot
    std::string name;
    uint64_t start = 0, size = 0;
};

// One entry of a profile's vmalloc_end: the machine's VMALLOC_END (mach/vmalloc.h) from kernel
// `since` on (until the next entry), absolute or PAGE_OFFSET + value as the header writes it.
struct VmallocEndRule {
    std::optional<KernelVersion> since;  // none: every version (the single-value form)
    uint64_t value = 0;
    bool page_offset_relative = false;
};

// Where a profile value sits in its file (1-based; 0 when unknown), for errors found
// after parsing (an override that makes a profile value contradictory).
struct SourcePos {
    int line = 0, col = 0;
};
struct ProfileMarks {
    SourcePos root, kernel, vmalloc_end, vmsplit, pae, thumb2, cmdline;
    std::vector<SourcePos> ram;          // per bank, in file order
};

struct Profile {
    std::string name;
    std::string description;
    std::string origin;                  // "embedded" or the file path
    std::string file;                    // what errors cite: the path, or "<profile NAME>" when built in
    ProfileMarks marks;
    Arch arch = Arch::arm;
    KernelVersion kernel;
    uint64_t phys_offset = 0;            // ARM PHYS_OFFSET; x86 0
    bool phys_offset_given = false;      // stated in the profile (else the first bank's start)
    std::vector<VmallocEndRule> vmalloc_end_rules;   // as written, ascending by version
    std::optional<uint32_t> vmalloc_end; // the machine VMALLOC_END for `kernel` and PAGE_OFFSET (ARM <= 3.3 /
                                         // vendor kernels), resolved from vmalloc_end_rules
    // vendor facts (vendor: in the profile): a VMALLOC_END the vendor kernel keeps on every version, and
    // RAM its board code takes away after lowmem was sized (reserved and removed from memblock: lowmem keeps
    // its size, the page counts and "Memory:" lines do not see it)
    std::optional<uint32_t> vendor_vmalloc_end;
    std::vector<MemBank> carveouts;
    std::vector<MemBank> ram;            // banks / e820 usable ranges, ascending
    std::string cmdline;                 // default kernel command line
    KernelConfig config;
    // ARM
    uint64_t consistent_dma_size = 2u << 20;   // CONSISTENT_DMA_SIZE (2.6.34-3.x "DMA" line)
    uint32_t consistent_end = 0xffe00000;      // CONSISTENT_END (vendor kernels may move it)
    std::optional<Range> dtcm, itcm;           // CONFIG_HAVE_TCM lines
    uint32_t vectors_base = 0xffff0000;        // CONFIG_VECTORS_BASE
    // x86: the fixmap size depends on the configuration (NR_CPUS, APICs), so
    // the profile states it; PKMAP_BASE is derived from it unless given.
    std::optional<uint32_t> fixaddr_start;     // FIXADDR_START
    uint32_t fixaddr_top = 0xfffff000;         // __FIXADDR_TOP
    std::optional<uint32_t> fixaddr_boot_start;// FIXADDR_BOOT_START (<= 3.10), default FIXADDR_START
    std::optional<uint32_t> pkmap_base;        // PKMAP_BASE when the profile states it (4.15+ LDT-based)
    std::optional<unsigned> fix_kmap_begin;    // FIX_KMAP_BEGIN (fixmap.kmap_begin; kmapsim), else derived
    std::optional<Range> cpu_entry_area;       // 4.15-5.4 "cpu_entry" line
    // the kernel image, as mem_init prints it (optional)
    std::optional<ImageSection> text, init, data, bss;
    std::vector<Reservation> reserved;
};

struct EmbeddedProfile {
    const char* name;
    const char* yaml;
};
const std::vector<EmbeddedProfile>& embedded_profiles();

// Parses and validates YAML text.  `origin` names it in errors ("file.yaml").
// Throws Error with origin:line:col.
Profile parse_profile(const std::string& yaml_text, const std::string& origin);

// Loads by name or path, in this order: "-" reads the YAML from standard input; an
// argument containing '/' or ending in .yaml/.yml is a file; otherwise NAME.yaml in each
// folder of $KMEMKIT_PROFILE_PATH (colon-separated), then in the installed
// PREFIX/share/kmemkit/profiles of the running binary, then the built-in profiles.  An
// unknown name says the nearest known one.  Throws Error.
Profile load_profile(const std::string& name_or_path);

// Every profile -p NAME finds, in the search order of load_profile(), each name once (the
// one -p loads); origin is the file's path or "built-in".
struct ProfileInfo { std::string name, description, origin; };
std::vector<ProfileInfo> list_profiles();

// Maximum profile file size accepted (a profile is a few hundred bytes).
constexpr size_t kMaxProfileBytes = 1 << 20;

// Command-line overrides shared by every tool (--mem, --ram, --kernel ...).
struct BoardOverrides {
    std::optional<uint64_t> mem;              // --mem SIZE: one bank at the profile's first RAM start
    std::vector<MemBank> ram;                 // --ram START:SIZE (repeatable)
    std::optional<std::string> cmdline;       // --cmdline (replaces the profile's)
    std::optional<std::string> kernel;        // --kernel VERSION
    std::optional<std::string> vmsplit;       // --vmsplit 3G|2G|1G|...
    std::optional<bool> highmem;              // --highmem on|off
};

struct Board {
    Profile profile;
    Cmdline cmdline;
    std::vector<std::string> notes;      // what the overrides changed that the user may not expect
    std::vector<std::string> warnings;   // what the kernel would do that the user surely did not mean
};

// Applies overrides and parses the command line; validates the result (the
// profile checks of parse_profile() again, now naming the override at fault).
// A command line longer than the kernel's COMMAND_LINE_SIZE is cut as the kernel cuts it,
// with a warning.
// --mem/--ram replace a mem= of the profile's command line (a note says so).
Board make_board(Profile p, const BoardOverrides& o);

// --mem SIZE and sweeping mem=: the RAM becomes one bank of SIZE at the first bank's start.
void set_ram_size(Profile& p, uint64_t size);
// RAM given on the tool's command line replaces a mem= of the kernel command line (which would
// otherwise limit it): drops every mem= from b.cmdline and adds a note naming `what` ("--mem 800M").
void drop_cmdline_mem(Board& b, const std::string& what);

// The machine VMALLOC_END that applies to p.kernel with p.config.page_offset, if the profile gives
// one; vmalloc_end_rule() is the entry it comes from (nullptr when none applies).
std::optional<uint32_t> resolve_vmalloc_end(const Profile& p);
// The configuration enum fixed_addresses is computed for: config.x86 with the profile's
// nr_cpus (when given), highmem and pae.
X86FixmapConfig x86_fixmap_config(const Profile& p);
const VmallocEndRule* vmalloc_end_rule(const Profile& p);

// "3G" -> 0xc0000000 etc. for the architecture; throws Error.
uint32_t page_offset_for_vmsplit(Arch a, const std::string& vmsplit);
// "START:SIZE" for --ram
MemBank parse_ram_spec(const std::string& spec);

}  // namespace kmemkit
