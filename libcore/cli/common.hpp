// The command-line layer every tool shares: the board options, the output
// options, and main()'s error/exit-status/EPIPE handling.  Tools stay thin:
// declare options, call one libcore function, render.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kmemkit/table_view.hpp"
#include "kmemkit/profile.hpp"

namespace kmemkit::cli {

struct BoardOptions {
    std::string profile;
    std::string mem;
    std::vector<std::string> ram;
    std::string cmdline;
    std::string kernel;
    std::string vmsplit;
    std::string highmem;
    bool list_profiles = false;
    CLI::Option* cmdline_opt = nullptr;
    CLI::Option* kernel_opt = nullptr;   // given, even as '' (an unset $KERNEL is an error, not the profile's)
};
// -p/--profile, --mem, --ram, --cmdline, --kernel, --vmsplit, --highmem, --list-profiles
void add_board_options(CLI::App& app, BoardOptions& o);
// The profile used when neither -p nor KMEMKIT_PROFILE names one.
constexpr const char* kDefaultProfile = "omap5912-osk";
// Loads the profile (kDefaultProfile when none is given) and applies the overrides;
// says the board's notes (note()) and warnings (warn(): a command line the kernel cuts, RAM no
// kernel boots in) on stderr; throws kmemkit::Error.
Board load_board(const BoardOptions& o);

enum class Format { text, json, kv };
struct OutputOptions {
    bool json = false;
    bool kv = false;
    Format format() const { return json ? Format::json : kv ? Format::kv : Format::text; }
};
// --json, --kv
void add_output_options(CLI::App& app, OutputOptions& o);

// util-linux's output controls of a table view: -o/--output LIST, -n/--noheadings, -r/--raw,
// -P/--pairs (lsblk's); with --json and any of them, the view's rows as JSON.  `columns` go to
// --help ("Available output columns:").
struct TableOptions {
    std::string output;
    bool noheadings = false, raw = false, pairs = false;
    bool any() const { return !output.empty() || noheadings || raw || pairs; }
    TableStyle style(bool json) const;
};
void add_table_options(CLI::App& app, TableOptions& t, const std::vector<TableColumn>& columns,
                       const std::string& what);

// Writes to stdout; throws std::system_error on a write error (EPIPE included).
void out(std::string_view s);

// Sets the tool's name, --version, error format; parses; runs `body`; maps
// errors to exit status (2 usage/input, whatever body returns otherwise);
// flushes stdout, treating EPIPE as a quiet success.
int run(CLI::App& app, const char* tool, int argc, char** argv, BoardOptions* board,
        const std::function<int()>& body);

// Standard input has one reader: the second of -p -, a data input given as - (or read by
// default) and --from-dmesg - is an Error naming both.  `what` names the reader ("-p -").
void claim_stdin(const std::string& what);

// "tool: warning: msg" on stderr
void warn(const std::string& msg);
// "tool: note: msg" on stderr (what kmemkit did that the user may not expect)
void note(const std::string& msg);
const char* tool_name();

// The command line as a shell would take it again (a picture's footer): the tool's name and its
// arguments, quoted where needed, with the value of the option `drop` left out ("--svg FILE": the
// path says nothing of the picture).
std::string invocation(int argc, char** argv, std::string_view drop);
// When stdin is a terminal: "tool: reading WHAT from the terminal; ^D to end" on stderr, so a tool
// run without arguments does not wait without a word.  Nothing on a pipe or a file.
void hint_if_terminal(std::string_view what);

}  // namespace kmemkit::cli
