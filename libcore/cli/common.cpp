#include "common.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <system_error>
#include <unistd.h>

#include <fcntl.h>
#include <unistd.h>

#include "complete.hpp"
#include "help.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/spelling.hpp"

namespace kmemkit::cli {

namespace {
const char* g_tool = "kmemkit";
std::string g_stdin_user;   // what reads standard input (claim_stdin)

// An option value that is empty is an unset variable ($BOARD, $KERNEL), not a request for the
// default: say so instead of quietly taking the profile's value.
CLI::Validator non_empty(const char* what) {
    return CLI::Validator(
        [what](std::string& s) -> std::string {
            return s.empty() ? fmt::format("the value is empty (an unset variable?): give {}", what) : std::string();
        },
        "");
}

// A closed standard descriptor would be taken by the next open(), and a profile read or an SVG
// written through it; hold it with /dev/null opened the wrong way round, so that reading a
// closed stdin or writing a closed stdout fails with EBADF, as it would have.
void hold_closed_std_fds() {
    for (int fd = 0; fd <= 2; ++fd)
        if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            int got = ::open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
            if (got >= 0 && got != fd) ::close(got);
        }
}

// "unknown option '--jsno' (did you mean '--json'?)" for the first unknown option; CLI11's
// own text for an operand too many
std::string extras_message(const CLI::App& app, const CLI::ExtrasError& e) {
    for (const auto& arg : app.remaining(true)) {
        if (arg.size() < 2 || arg[0] != '-' || arg == "--") continue;
        const std::string opt = arg.substr(0, arg.find('='));
        // the option of a subcommand given before it (buddyctl --json): say whose it is
        for (const CLI::App* sub : app.get_subcommands(std::function<bool(const CLI::App*)>{}))
            if (sub->get_option_no_throw(opt))
                return fmt::format("unknown option '{}' (an option of '{} {}', which takes it after its name)", opt,
                                   app.get_name(), sub->get_name());
        const std::string near = nearest_word(opt, option_names(app), 2);
        return fmt::format("unknown option '{}'{}", opt, near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near));
    }
    return e.what();
}
}  // namespace

void claim_stdin(const std::string& what) {
    if (!g_stdin_user.empty() && g_stdin_user != what)
        throw Error(fmt::format("{} and {} both read standard input: give one of them as a file", g_stdin_user, what));
    g_stdin_user = what;
}

const char* tool_name() { return g_tool; }

void warn(const std::string& msg) { std::fprintf(stderr, "%s: warning: %s\n", g_tool, msg.c_str()); }
void note(const std::string& msg) { std::fprintf(stderr, "%s: note: %s\n", g_tool, msg.c_str()); }

void out(std::string_view s) {
    if (s.empty()) return;
    if (std::fwrite(s.data(), 1, s.size(), stdout) != s.size())
        throw std::system_error(errno ? errno : EIO, std::generic_category(), "write error");
}

void add_board_options(CLI::App& app, BoardOptions& o) {
    auto* profile = app.add_option("-p,--profile", o.profile, "Board profile: a name (see --list-profiles) or a .yaml file")
                        ->type_name("NAME|FILE")
                        ->envname("KMEMKIT_PROFILE")
                        ->default_str(kDefaultProfile)
                        ->check(non_empty("a profile name (see --list-profiles), a .yaml file, or - for stdin"));
    complete_values(profile, {[] {
                                  std::vector<std::string> names;
                                  for (const auto& p : list_profiles())   // a name found in two places once
                                      if (std::find(names.begin(), names.end(), p.name) == names.end())
                                          names.push_back(p.name);
                                  return names;
                              },
                              false, true});
    app.add_option("--mem", o.mem, "RAM size: one bank at the profile's first RAM address (e.g. 512M)")
        ->type_name("SIZE")
        ->check(non_empty("a size such as 512M"));
    // one value per occurrence: `--ram A --ram B ADDR` leaves ADDR to the tool's positionals
    app.add_option("--ram", o.ram, "RAM bank START:SIZE, repeatable; replaces the profile's banks")
        ->type_name("START:SIZE")
        ->check(non_empty("START:SIZE such as 0x50000000:256M"))
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    o.cmdline_opt = app.add_option("--cmdline", o.cmdline, "Kernel command line (replaces the profile's): mem=, vmalloc=")
                        ->type_name("TEXT");
    o.kernel_opt = app.add_option("--kernel", o.kernel, "Kernel version whose rules apply (e.g. 2.6.28, 3.4, 6.1)")
        ->type_name("VERSION")
        ->check(non_empty("a version such as 3.10"));
    // --split: the name users ask with ("bootmem --split 3G|2G --highmem on|off", user question 7)
    app.add_option("--vmsplit,--split", o.vmsplit, "User/kernel split: 3G, 3G_OPT, 2G, 2G_OPT (x86), 1G")
        ->type_name("SPLIT")
        ->check(non_empty("3G, 2G or 1G"));
    app.add_option("--highmem", o.highmem, "CONFIG_HIGHMEM on or off")->type_name("on|off")->check(non_empty("on or off"));
    app.add_flag("--list-profiles", o.list_profiles,
                 "List the profiles -p finds by name, and where each comes from, and exit");
}

Board load_board(const BoardOptions& o) {
    // Without -p or KMEMKIT_PROFILE the tools use the board of the seed example
    // (`va2pa 0xc487a000 | grep zone`): the 64 MB OMAP5912 OSK on Linux 2.6.18.
    if (o.profile == "-") claim_stdin("-p -");
    Profile p = load_profile(o.profile.empty() ? std::string(kDefaultProfile) : o.profile);
    BoardOverrides ov;
    if (!o.mem.empty()) {
        try {
            ov.mem = parse_size(o.mem);
        } catch (const Error& e) {
            throw Error(std::string("--mem: ") + e.what());
        }
    }
    for (const auto& r : o.ram) ov.ram.push_back(parse_ram_spec(r));
    if (o.cmdline_opt && o.cmdline_opt->count()) ov.cmdline = o.cmdline;
    if (o.kernel_opt ? o.kernel_opt->count() > 0 : !o.kernel.empty()) ov.kernel = o.kernel;
    if (!o.vmsplit.empty()) ov.vmsplit = o.vmsplit;
    if (!o.highmem.empty()) {
        if (o.highmem == "on" || o.highmem == "yes" || o.highmem == "true") ov.highmem = true;
        else if (o.highmem == "off" || o.highmem == "no" || o.highmem == "false") ov.highmem = false;
        else throw Error(fmt::format("--highmem '{}': expected on or off", o.highmem));
    }
    try {
        Board b = make_board(std::move(p), ov);
        for (const auto& n : b.notes) note(n);
        for (const auto& w : b.warnings) warn(w);
        if (auto w = small_ram_warning(b)) warn(*w);
        return b;
    } catch (const Error& e) {
        if (ov.cmdline && e.file.empty() && e.col > 0)
            throw Error(fmt::format("--cmdline: {} (at column {})", e.what(), e.col));
        if (!ov.cmdline && e.file.empty() && e.col > 0 && !p.cmdline.empty())
            throw Error(fmt::format("profile cmdline: {} (at column {})", e.what(), e.col), p.origin);
        throw;
    }
}

TableStyle TableOptions::style(bool json) const {
    TableStyle s;
    s.mode = json ? TableMode::json : pairs ? TableMode::pairs : raw ? TableMode::raw : TableMode::columns;
    s.headings = !noheadings;
    s.output = output;
    return s;
}

void add_table_options(CLI::App& app, TableOptions& t, const std::vector<TableColumn>& columns,
                       const std::string& what) {
    auto* o = app.add_option("-o,--output", t.output, "The columns of " + what + " to print, e.g. " + columns.front().name + "," +
                                                          columns.back().name + " (+LIST: the default ones and LIST)")
                  ->type_name("LIST");
    std::vector<std::string> names;
    for (const auto& c : columns) names.push_back(c.name);
    complete_values(o, {[names] { return names; }, true});
    app.add_flag("-n,--noheadings", t.noheadings, "Print " + what + " without the heading line");
    auto* r = app.add_flag("-r,--raw", t.raw, "Print " + what + " raw: columns separated by one space, unaligned");
    auto* p = app.add_flag("-P,--pairs", t.pairs, "Print " + what + " as key=\"value\" pairs, one row a line");
    r->excludes(p);
    set_help_section(app, "Available output columns (" + what + "):", columns_help(columns));
}

void add_output_options(CLI::App& app, OutputOptions& o) {
    auto* j = app.add_flag("--json", o.json, "Print JSON");
    auto* k = app.add_flag("--kv", o.kv, "Print 'field: value' lines");
    j->excludes(k);
}

int run(CLI::App& app, const char* tool, int argc, char** argv, BoardOptions* board,
        const std::function<int()>& body) {
    g_tool = tool;
    std::signal(SIGPIPE, SIG_IGN);   // report EPIPE as an error code, end quietly
    hold_closed_std_fds();
    app.name(tool);
    app.set_version_flag("-V,--version", std::string(tool) + " (kmemkit) " KMEMKIT_VERSION);
    app.failure_message([](const CLI::App* a, const CLI::Error& e) {
        return fmt::format("{}: error: {}\nTry '{} --help' for more information.\n", a->get_name(), e.what(),
                           a->get_name());
    });
    // the completion scripts' query, before prepare_options drops the {a,b} descriptions of the
    // IsMember checks that give an option's words
    if (argc > 1 && std::string_view(argv[1]) == "--complete") {
        try {
            out(completion_text(app, std::vector<std::string>(argv + 2, argv + argc)));
            return std::fflush(stdout) == 0 ? 0 : 2;
        } catch (const std::system_error&) {
            return 2;
        }
    }
    prepare_options(app);
    int rc = 0;
    try {
        bool answered = false;   // --help or --version
        try {
            app.parse(argc, argv);
        } catch (const CLI::ExtrasError& e) {
            std::fprintf(stderr, "%s: error: %s\nTry '%s --help' for more information.\n", tool,
                         extras_message(app, e).c_str(), tool);
            return 2;
        } catch (const CLI::ParseError& e) {
            if (app.exit(e) != 0) return 2;
            answered = true;   // written to std::cout, i.e. stdout: checked below like any output
        }
        if (answered) {
        } else if (board && board->list_profiles) {
            Table t({{"NAME"}, {"DESCRIPTION"}, {"ORIGIN"}});
            for (const auto& p : list_profiles()) t.add({p.name, p.description, p.origin});
            out(t.render());
        } else {
            rc = body();
        }
        // std::cout (--help, --version) writes through to stdout: one check covers both; a write
        // that failed inside fwrite leaves the error flag, not a failing fflush
        if (std::fflush(stdout) != 0 || std::ferror(stdout))
            throw std::system_error(errno ? errno : EIO, std::generic_category(), "write error");
    } catch (const Error& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "%s: error: %s\n", tool, e.message().c_str());
        return 2;
    } catch (const std::system_error& e) {
        if (e.code().value() == EPIPE) return 0;
        std::fprintf(stderr, "%s: error: %s\n", tool, e.what());
        return 2;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "%s: error: out of memory\n", tool);
        return 2;
    }
    if (std::fclose(stdout) != 0 && errno != EPIPE) {
        std::fprintf(stderr, "%s: error: write error: %s\n", tool, std::strerror(errno));
        return 2;
    }
    return rc;
}

std::string invocation(int argc, char** argv, std::string_view drop) {
    auto quoted = [](std::string_view a) {
        const bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789-_=+,./:@%") == std::string_view::npos;
        if (plain) return std::string(a);
        std::string q = "'";
        for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return q + "'";
    };
    std::string s = g_tool;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a.size() > drop.size() && a.substr(0, drop.size()) == drop && a[drop.size()] == '=') a = drop;
        else if (a == drop && i + 1 < argc) ++i;
        s += " " + quoted(a);
    }
    return s;
}

void hint_if_terminal(std::string_view what) {
    if (::isatty(0)) std::fprintf(stderr, "%s: reading %.*s from the terminal; ^D to end\n", g_tool, int(what.size()), what.data());
}

}  // namespace kmemkit::cli
