#include "common.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <system_error>
#include <unistd.h>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/render.hpp"

namespace kmemkit::cli {

namespace {
const char* g_tool = "kmemkit";
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
    app.add_option("-p,--profile", o.profile, "Board profile: a name (see --list-profiles) or a .yaml file")
        ->type_name("NAME|FILE")
        ->envname("KMEMKIT_PROFILE");
    app.add_option("--mem", o.mem, "RAM size: one bank at the profile's first RAM address (e.g. 512M)")
        ->type_name("SIZE");
    // one value per occurrence: `--ram A --ram B ADDR` leaves ADDR to the tool's positionals
    app.add_option("--ram", o.ram, "RAM bank START:SIZE, repeatable; replaces the profile's banks")
        ->type_name("START:SIZE")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    o.cmdline_opt = app.add_option("--cmdline", o.cmdline, "Kernel command line (replaces the profile's): mem=, vmalloc=")
                        ->type_name("TEXT");
    o.kernel_opt = app.add_option("--kernel", o.kernel, "Kernel version whose rules apply (e.g. 2.6.28, 3.4, 6.1)")
        ->type_name("VERSION");
    // --split: the name users ask with ("bootmem --split 3G|2G --highmem on|off", user question 7)
    app.add_option("--vmsplit,--split", o.vmsplit, "User/kernel split: 3G, 3G_OPT, 2G, 2G_OPT (x86), 1G")->type_name("SPLIT");
    app.add_option("--highmem", o.highmem, "CONFIG_HIGHMEM on or off")->type_name("on|off");
    app.add_flag("--list-profiles", o.list_profiles, "List the built-in board profiles and exit");
}

Board load_board(const BoardOptions& o) {
    // Without -p or KMEMKIT_PROFILE the tools use the board of the seed example
    // (`va2pa 0xc487a000 | grep zone`): the 64 MB OMAP5912 OSK on Linux 2.6.18.
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
        return b;
    } catch (const Error& e) {
        if (ov.cmdline && e.file.empty() && e.col > 0)
            throw Error(fmt::format("--cmdline: {} (at column {})", e.what(), e.col));
        if (!ov.cmdline && e.file.empty() && e.col > 0 && !p.cmdline.empty())
            throw Error(fmt::format("profile cmdline: {} (at column {})", e.what(), e.col), p.origin);
        throw;
    }
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
    app.name(tool);
    app.set_version_flag("-V,--version", std::string(tool) + " (kmemkit) " KMEMKIT_VERSION);
    app.failure_message([](const CLI::App* a, const CLI::Error& e) {
        return fmt::format("{}: error: {}\nTry '{} --help' for more information.\n", a->get_name(), e.what(),
                           a->get_name());
    });
    int rc = 0;
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            int code = app.exit(e);
            return code == 0 ? 0 : 2;
        }
        if (board && board->list_profiles) {
            Table t({{"NAME"}, {"DESCRIPTION"}});
            for (const auto& p : list_profiles()) t.add({p.name, p.description});
            out(t.render());
        } else {
            rc = body();
        }
        if (std::fflush(stdout) != 0) throw std::system_error(errno, std::generic_category(), "write error");
    } catch (const Error& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "%s: error: %s\n", tool, e.message().c_str());
        return 2;
    } catch (const std::system_error& e) {
        if (e.code().value() == EPIPE) return 0;
        std::fprintf(stderr, "%s: error: %s: %s\n", tool, "write error", std::strerror(e.code().value()));
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
