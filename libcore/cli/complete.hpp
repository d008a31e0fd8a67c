// Shell completion data.  `TOOL --complete [SUBCOMMAND]` (hidden, answered before the command
// line is parsed) prints what that command line takes, read from the CLI11 declarations, so the
// bash and zsh scripts (completions/) hard-code no option, profile, column or verb.  One line per
// item, fields separated by a tab (none empty, so `IFS=$'\t' read` keeps them apart):
//   command     NAME  DESCRIPTION
//   option      NAMES ATTRS VALUES DESCRIPTION   (NAMES: "-p --profile"; VALUES space-separated, - for none)
//   positional  NAME  ATTRS VALUES DESCRIPTION
// ATTRS is a space-separated set: flag (takes no value), value (takes one), file (a file name),
// words (one of VALUES), list (a comma-separated list of VALUES).
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace kmemkit::cli {

struct CompleteSpec {
    std::function<std::vector<std::string>()> values;   // computed only when asked
    bool list = false;    // the value is a comma-separated list of them
    bool files = false;   // a file name is accepted too
};
// Declares the values `opt` completes to.  Without a declaration: a {a,b} IsMember check gives
// its words, a lower-case "a|b" type name its alternatives, FILE in the type name files, and an
// -o/--output option the column list of the command's --help (add_table_options declares it).
void complete_values(CLI::Option* opt, CompleteSpec spec);

// The lines above for `app` or, with `path`, for its subcommand path[0] (and so on).
std::string completion_text(CLI::App& app, const std::vector<std::string>& path);

}  // namespace kmemkit::cli
