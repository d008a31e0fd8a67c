// --help as util-linux and ninja write it: usage, what the tool does, the options with their
// argument and default, the subcommands, two examples and the man page; none of CLI11's
// validator text ("UINT:UINT in [0 - 1099511627776]", "Excludes:", "Needs:").
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace kmemkit::cli {

class HelpFormatter : public CLI::Formatter {
public:
    std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;
    std::string make_usage(const CLI::App* app, std::string name) const override;
    std::string make_description(const CLI::App* app) const override;
    std::string make_footer(const CLI::App* app) const override;
    std::string make_subcommand(const CLI::App* sub) const override;
    std::string make_option_name(const CLI::Option* opt, bool positional) const override;
    std::string make_option_opts(const CLI::Option* opt) const override;
    std::string make_option_desc(const CLI::Option* opt) const override;
};

// Two (or so) command lines shown under "Examples:" in --help of `app` (a tool or a subcommand).
void set_examples(CLI::App& app, const std::vector<std::string>& lines);
// A section shown in --help of `app` before the examples ("Available output columns:" ...).
void set_help_section(CLI::App& app, const std::string& title, const std::string& text);

// What run() does to every option of the tool and its subcommands before parsing: the help
// formatter, defaults captured for --help, validator descriptions dropped (the help says the
// range in words where it matters), and integers past 64 bits refused instead of clamped.
void prepare_options(CLI::App& app);

// Every long and short option name of `app` and its subcommands ("--json", "-p"), for "did you mean".
std::vector<std::string> option_names(const CLI::App& app);

}  // namespace kmemkit::cli
